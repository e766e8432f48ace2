import Testing
import TestSupport
import Foundation
import Logging
import MuxiClient
import MuxiClientTesting

/// Captures log lines in memory.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var captured: [String] = []
    var lines: [String] { lock.withLock { captured } }
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lock.withLock { captured.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }
}

@Suite struct DebugLogTests {
    @Test func debugLogsOneLinePerRequestAndNeverAKey() async throws {
        let capture = LogCapture()
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions", .json(503, "{}"), .json(200, Fixture.text("json/sessions_list.json")))
        t.on("GET", "/v1/agents", .json(401, Fixture.text("json/agents_with_client_key.json")))
        let client = try makeClient(t) {
            $0.debug = true
            $0.logger = Logger(label: "test") { _ in capture }
        }
        _ = try await client.sessions()
        _ = try? await client.agents()
        let lines = capture.lines
        #expect(lines.contains { $0.contains("GET /v1/sessions?limit=50 -> 503") })
        #expect(lines.contains { $0.contains("retry GET /v1/sessions?limit=50 after") && $0.contains("due to 503") })
        #expect(lines.contains { $0.contains("GET /v1/sessions?limit=50 -> 200") })
        #expect(lines.contains { $0.contains("GET /v1/agents -> 401") })
        #expect(!lines.joined().contains(Keys.client) && !lines.joined().contains(Keys.admin))
    }

    @Test func withoutDebugNothingIsLogged() async throws {
        let capture = LogCapture()
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        let client = try makeClient(t) {
            var logger = Logger(label: "test") { _ in capture }
            logger.logLevel = .info
            $0.logger = logger
        }
        _ = try await client.health()
        #expect(capture.lines.isEmpty)
    }
}
