// libFuzzer entry: arbitrary bytes as a webhook: the first line as the X-Muxi-Signature
// header, the rest as the body (parsed as JSON, then as a webhook event).
// Built by Tests/fuzz.sh with the sources it needs; never part of the package.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let newline = bytes.firstIndex(of: 10) ?? bytes.count
    _ = WebhookSignatureHeader(String(decoding: bytes[..<newline], as: UTF8.self))
    if newline < bytes.count, let json = try? JSONValue(parsing: Array(bytes[(newline + 1)...])) {
        _ = WebhookEvent(json: json)
        _ = JSONWriter.bytes(json)
    }
    return 0
}
