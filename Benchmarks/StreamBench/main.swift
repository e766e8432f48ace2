// Our client consuming a chat stream and writing the answer text to stdout as it arrives,
// for `make bench`. Usage: muxi-stream-bench URL
import MuxiClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum StreamBench {
    static func main() async {
        guard CommandLine.arguments.count == 2 else {
            fail("usage: muxi-stream-bench URL", status: 2)
        }
        do {
            let client = try FormationClient(url: CommandLine.arguments[1], clientKey: "bench", userID: "bench")
            var out: [UInt8] = []
            out.reserveCapacity(1 << 16)
            for try await event in client.chatStream(ChatRequest("bench")) {
                guard case .delta(let token) = event else { continue }
                out.append(contentsOf: token.text.utf8)
                if out.count >= 1 << 16 { flush(&out) }
            }
            flush(&out)
        } catch {
            fail("error: \(error)", status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(status)
    }

    static func flush(_ out: inout [UInt8]) {
        var written = 0
        while written < out.count {
            let n = out.withUnsafeBytes { write(1, $0.baseAddress! + written, out.count - written) }
            if n <= 0 { exit(1) }
            written += n
        }
        out.removeAll(keepingCapacity: true)
    }
}
