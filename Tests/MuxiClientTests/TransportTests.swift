import Testing
import TestSupport
import Foundation
import MuxiClient

/// The real transport (async-http-client) over a real socket on 127.0.0.1.
@Suite(.serialized) struct TransportTests {
    static func withServer(_ respond: @escaping @Sendable (LoopbackServer.Request) -> LoopbackServer.Response,
                           _ body: (String) async throws -> Void) async throws {
        let server = try await LoopbackServer(respond: respond)
        do { try await body(server.url) } catch { await server.stop(); throw error }
        await server.stop()
    }

    @Test func aChatStreamOverARealSocket() async throws {
        let sse = Fixture.bytes("sse/chat_stream_raw.sse")
        try await Self.withServer({ _ in LoopbackServer.Response(status: 200, headers: [("Content-Type", "text/event-stream")], body: sse) }) { url in
            let client = try FormationClient(url: url, clientKey: "k", userID: "u")
            var text = ""
            for try await event in client.chatStream(ChatRequest("hi")) {
                if case .completed(let c) = event { text = c.text }
            }
            #expect(text == "FAKE-LLM reply to: Stream me a short answer")
        }
    }

    @Test func aStreamThatGoesSilentFailsAtTheIdleTimeout() async throws {
        try await Self.withServer({ request in
            // the turn's stream goes silent; the server knows no such request or session (the
            // recovery tried after the silence finds nothing, and the silence is the error)
            guard request.path == "/v1/chat" else { return .json(404, #"{"error":{"code":"NOT_FOUND","message":"no such thing"}}"#) }
            return LoopbackServer.Response(status: 200, headers: [("Content-Type", "text/event-stream")],
                                           body: Array(": keepalive\n\n".utf8), ending: .stallAfterBody)
        }) { url in
            var config = try FormationConfiguration(url: url, clientKey: "k")
            config.userID = "u"
            config.streamIdleTimeout = .milliseconds(300)
            let client = FormationClient(configuration: config)
            let started = ContinuousClock.now
            let e = await #expect(throws: MuxiError.self) { for try await _ in client.chatStream(ChatRequest("hi")) {} }
            #expect(e?.kind == .timeout && e?.code == "STREAM_IDLE")
            #expect(ContinuousClock.now - started < .seconds(10))   // the server never sends another byte
        }
    }

    @Test func aServerThatNeverAnswersHitsTheTimeout() async throws {
        try await Self.withServer({ _ in LoopbackServer.Response(status: 200, ending: .noAnswer) }) { url in
            let client = try FormationClient(url: url, clientKey: "k", userID: "u", timeout: .milliseconds(300), maxRetries: 0)
            let started = ContinuousClock.now
            let e = await #expect(throws: MuxiError.self) { try await client.health() }
            #expect(e?.kind == .timeout)
            let s = await #expect(throws: MuxiError.self) { for try await _ in client.chatStream(ChatRequest("hi")) {} }
            #expect(s?.kind == .timeout)
            #expect(ContinuousClock.now - started < .seconds(10))   // the server never answers
        }
    }

    @Test func aRefusedConnectionIsAConnectionErrorAtOnce() async throws {
        let client = try FormationClient(url: "http://127.0.0.1:1", clientKey: "k", userID: "u", maxRetries: 0)
        let started = ContinuousClock.now
        let e = await #expect(throws: MuxiError.self) { try await client.health() }
        #expect(e?.kind == .connection && e?.message.contains("127.0.0.1:1") == true)
        #expect(ContinuousClock.now - started < .seconds(5))   // not async-http-client's retrying until its 30 s deadline
    }
}
