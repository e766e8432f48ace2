// libFuzzer entry: arbitrary bytes as a chat stream's body, through the SSE parser and the
// token decoder, split at a point the input chooses (chunk boundaries are where bugs hide).
// Built by Tests/fuzz.sh with the sources it needs; never part of the package.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStream(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var parser = SSEParser(maxEventBytes: 1 << 20)
    var decoder = TokenDecoder()
    for piece in [bytes[..<cut], bytes[cut...]] {
        do {
            try parser.feed(Array(piece)) { record in
                if case .event(let name, let data) = record { _ = try? decoder.decode(name: name, data: data) }
            }
        } catch {
            return 0
        }
    }
    return 0
}
