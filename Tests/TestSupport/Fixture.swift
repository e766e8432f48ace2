import Foundation

/// Real captured responses of the runtime, copied into the test bundle.
public enum Fixture {
    public static func bytes(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil),
            let data = try? Data(contentsOf: url)
        else { fatalError("missing fixture \(name)") }
        return Array(data)
    }

    public static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }

    public static var sseCaptures: [String] {
        ["sse/chat_stream_raw.sse", "sse/chat_stream_greeting_fast_path.sse", "sse/chat_default_stream.sse",
         "sse/llm_down.sse", "sse/llm_down_breaker_open.sse"]
    }

    public static var jsonCaptures: [String] {
        let dir = Bundle.module.url(forResource: "Fixtures/json", withExtension: nil)!
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().map { "json/\($0)" }
    }
}
