import Testing
import Foundation
import ChatApp
import MuxiClient
import MuxiClientTesting
import TerminalUI
import TerminalTesting
import TestSupport

/// The fault-injecting proxy of Tests/Harness/fault_proxy.py, between the client and the real
/// runtime (`make test` starts it and sets MUXI_TEST_PROXY_URL).
enum Proxy {
    static let url = Live.env["MUXI_TEST_PROXY_URL"]
    static let transport = AsyncHTTPClientTransport()

    static func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> JSONValue {
        let response = try await transport.send(HTTPRequest(method: method, url: url! + path, body: body.map { Array($0.utf8) }),
                                                headTimeout: .seconds(10))
        return try JSONValue(parsing: String(decoding: try await response.collect(), as: UTF8.self))
    }

    /// Queues faults (JSON objects, see fault_proxy.py).
    static func queue(_ faults: String) async throws { _ = try await call("POST", "/__faults", faults) }
    /// Drops the faults still queued.
    static func clear() async throws { _ = try await call("POST", "/__clear") }
    /// Counts the faults injected into `user`'s requests as handled as specified (the test
    /// checked them).
    static func survived(user: String) async throws {
        let count = try await log(user: user).filter { !($0["fault"]?.isNull ?? true) }.count
        _ = try await call("POST", "/__survived", #"{"count": \#(count)}"#)
    }
    /// The requests the proxy saw for `user`.
    static func log(user: String) async throws -> [JSONValue] {
        (try await call("GET", "/__stats")["log"]?.arrayValue ?? []).filter { $0["user"]?.stringValue == user }
    }
    static func openConnections() async throws -> Int { try await call("GET", "/__stats")["open"]?.intValue ?? -1 }

    /// A client of a fresh user through the proxy, retrying quickly.
    static func client(timeout: Duration = .seconds(30), maxRetries: Int = 2,
                       _ change: (inout FormationConfiguration) -> Void = { _ in }) throws -> (FormationClient, String) {
        let user = "fault-\(UUID().uuidString.prefix(8).lowercased())"
        var config = try FormationConfiguration(url: url!, clientKey: Live.env["MUXI_TEST_CLIENT_KEY"], adminKey: Live.env["MUXI_TEST_ADMIN_KEY"])
        config.userID = user
        config.timeout = timeout
        config.maxRetries = maxRetries
        config.retryPolicy = RetryPolicy(initialDelay: .milliseconds(50), maxDelay: .seconds(1), jitter: 0)
        change(&config)
        return (FormationClient(configuration: config), user)
    }
}

extension LiveRuntime {
@Suite(.enabled(if: Live.enabled && Proxy.url != nil, "needs MUXI_TEST_URL and MUXI_TEST_PROXY_URL (make test sets them)"), .serialized)
struct FaultTests {
    /// Consumes a stream; the events before it ended, and the error it ended with.
    static func consume(_ stream: ChatStream) async -> ([ChatEvent], (any Error)?) {
        var events: [ChatEvent] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    static func text(_ events: [ChatEvent]) -> String {
        events.map { if case .delta(let d) = $0 { d.text } else { "" } }.joined()
    }

    /// A cut tries the stalled stream's recovery first (the request's status, then the
    /// session's messages): the runtime may have finished the turn; only when it has no answer
    /// is the cut the error.
    @Test func aStreamCutMidwayIsRecoveredOrEndsWithAClearErrorAndThePartialAnswerKept() async throws {
        let (client, user) = try Proxy.client()
        try await Proxy.queue(#"[{"match": "/v1/chat", "fault": "cut", "after_content": 3}]"#)
        let (events, error) = await Self.consume(client.chatStream(ChatRequest("please answer slowly: cut me")))
        let recovered = events.contains { if case .completed(let c) = $0 { c.recovered } else { false } }
        if !recovered {
            let failure = try #require(error as? MuxiError, "\(String(describing: error))")
            #expect(failure.kind == .connection || failure.kind == .timeout, "\(failure)")
        }
        #expect(try await Proxy.log(user: user).contains { $0["path"]?.stringValue?.hasPrefix("/v1/requests/") == true
            || $0["path"]?.stringValue?.contains("/messages") == true }, "no recovery was tried")
        #expect(!Self.text(events).isEmpty)      // what came before the cut is kept
        #expect(try await Proxy.log(user: user).filter { $0["path"] == "/v1/chat" }.count == 1)   // a stream that began is not sent again
        try await Proxy.survived(user: user)
    }

    @Test func aStreamOfOnlyKeepalivesFallsBackToTheRequestStatus() async throws {
        let (client, user) = try Proxy.client { $0.streamStallLimit = .seconds(3) }
        try await Proxy.queue(#"[{"match": "/v1/chat", "fault": "stall", "after": 1}]"#)
        let (events, error) = await Self.consume(client.chatStream(ChatRequest("stall then recover")))
        #expect(error == nil)
        let completed = events.compactMap { if case .completed(let c) = $0 { c } else { nil } }.first
        #expect(completed?.recovered == true)
        #expect(completed?.text == "Stand-in answer: stall then recover")
        try await Proxy.survived(user: user)
    }

    /// A stream that goes silent mid-turn (no bytes, not even keepalives: what a runtime whose
    /// event loop is blocked by file generation sends) fails its idle limit, and the answer the
    /// runtime finished is recovered instead of lost.
    @Test func aStreamThatGoesSilentMidTurnIsRecovered() async throws {
        let (client, user) = try Proxy.client { $0.streamIdleTimeout = .seconds(2) }
        try await Proxy.queue(#"[{"match": "/v1/chat", "fault": "silent", "after": 1}]"#)
        let started = ContinuousClock.now
        let (events, error) = await Self.consume(client.chatStream(ChatRequest("silence then recover")))
        #expect(error == nil, "\(String(describing: error))")
        let completed = events.compactMap { if case .completed(let c) = $0 { c } else { nil } }.first
        #expect(completed?.recovered == true && completed?.text == "Stand-in answer: silence then recover")
        #expect(ContinuousClock.now - started < .seconds(20))
        try await Proxy.survived(user: user)
    }

    @Test func doneWithoutCompletedIsRecovered() async throws {
        let (client, user) = try Proxy.client()
        try await Proxy.queue(#"[{"match": "/v1/chat", "fault": "no_completed"}]"#)
        let (events, error) = await Self.consume(client.chatStream(ChatRequest("no completed frame")))
        #expect(error == nil)
        let completed = events.compactMap { if case .completed(let c) = $0 { c } else { nil } }.first
        #expect(completed?.recovered == true && completed?.text == "Stand-in answer: no completed frame")
        try await Proxy.survived(user: user)
    }

    @Test(arguments: ["1", "HTTP-DATE"])
    func rateLimitedIsRetriedAfterRetryAfterWithTheSameIdempotencyKey(retryAfter: String) async throws {
        let (client, user) = try Proxy.client()
        var value = retryAfter
        if retryAfter == "HTTP-DATE" {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            value = f.string(from: Date().addingTimeInterval(2))
        }
        try await Proxy.queue(#"[{"match": "/v1/triggers/build-finished", "method": "POST", "fault": "status", "code": 429, "retry_after": "\#(value)"}]"#)
        let started = ContinuousClock.now
        let result = try await client.fireTrigger("build-finished", data: ["build": "42", "status": "green"])
        #expect(result.content?.contains("Stand-in answer") == true)
        #expect(ContinuousClock.now - started >= .milliseconds(900))   // it waited as told
        let posts = try await Proxy.log(user: user).filter { $0["path"] == "/v1/triggers/build-finished" }
        #expect(posts.count == 2)
        #expect(posts[0]["idempotency_key"]?.stringValue != nil && posts[0]["idempotency_key"] == posts[1]["idempotency_key"])
        try await Proxy.survived(user: user)
    }

    @Test func aBurstOf502And503IsRetriedButNeverBeyondMaxRetries() async throws {
        let (client, user) = try Proxy.client(maxRetries: 2)
        try await Proxy.queue(#"[{"match": "/v1/sessions", "fault": "status", "code": 502}, {"match": "/v1/sessions", "fault": "status", "code": 503}]"#)
        _ = try await client.sessions()   // third attempt passes
        #expect(try await Proxy.log(user: user).filter { ($0["path"]?.stringValue ?? "").hasPrefix("/v1/sessions") }.count == 3)
        try await Proxy.queue(#"[{"match": "/v1/memories", "fault": "status", "code": 503, "times": 5}]"#)
        await #expect(throws: MuxiError.self) { _ = try await client.memories() }
        let tries = try await Proxy.log(user: user).filter { ($0["path"]?.stringValue ?? "").hasPrefix("/v1/memories") }
        #expect(tries.count == 3)   // the first try and two retries, not more
        try await Proxy.clear()
        try await Proxy.survived(user: user)
    }

    @Test func aStreamDrippedOneByteAtATimeIsWhole() async throws {
        let (client, user) = try Proxy.client()
        try await Proxy.queue(#"[{"match": "/v1/chat", "fault": "drip"}]"#)
        let (events, error) = await Self.consume(client.chatStream(ChatRequest("drip ünïcode 你好")))
        #expect(error == nil)
        #expect(Self.text(events) == "Stand-in answer: drip ünïcode 你好")
        try await Proxy.survived(user: user)
    }

    @Test func aResponseThatNeverStartsTimesOutAndIsNotRetriedForever() async throws {
        let (client, user) = try Proxy.client(timeout: .seconds(1), maxRetries: 1)
        try await Proxy.queue(#"[{"match": "/v1/sessions", "fault": "never", "times": 5}]"#)
        let started = ContinuousClock.now
        let error = await #expect(throws: MuxiError.self) { _ = try await client.sessions() }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await Proxy.log(user: user).count <= 2)
        try await Proxy.clear()
        try await Proxy.survived(user: user)
    }

    /// `muxi-chat logs` whose stream is cut after two lines: both lines printed (the escape
    /// sequence in one made visible), then one error line that says it was cut (not "cannot
    /// reach", and no hint about the URL), exit 7.
    @Test func aLogStreamCutInTheMiddleEndsWithOneLine() async throws {
        try await Proxy.queue(#"""
            [{"match": "/v1/logs", "fault": "hostile", "cut": true, "pause": 0.05, "frames": [
              "data: {\"level\":\"info\",\"event_type\":\"chat.started\",\"message\":\"first \\u001b[31mline\",\"timestamp\":1764600000}\n\n",
              "data: {\"level\":\"warning\",\"message\":\"second\"}\n\n"]}]
            """#)
        var env = CLI.home()
        env["MUXI_URL"] = Proxy.url
        env["MUXI_ADMIN_KEY"] = Live.env["MUXI_TEST_ADMIN_KEY"]
        let r = try CLI.run(["logs", "--level", "info"], env: env)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("first ␛[31mline") && lines[1].contains("warning") && !r.out.contains("\u{1B}"), "\(r.out)")
        #expect(r.code == 7 && r.err.split(separator: "\n").count == 1, "\(r.err)")
        #expect(r.err.contains("was cut mid-answer") && !r.err.contains("cannot reach") && !r.err.contains("hint"), "\(r.err)")
        _ = try await Proxy.call("POST", "/__survived", #"{"count": 1}"#)
    }

    @Test func noConnectionIsLeftOpen() async throws {
        #expect(try await Live.eventually(within: .seconds(15)) { try await Proxy.openConnections() == 0 })
    }

    /// The app under a cut: the partial answer stays, one error line, the typed text kept, the
    /// app still running.
    @MainActor @Test func theAppKeepsThePartialAnswerAndTheTypedTextWhenTheStreamIsCut() async throws {
        let (client, user) = try Proxy.client()
        // a made-up stream (the runtime's own turns can fail on their own, see the README), cut
        let frames = ["partial answer ", "before the cut"].map {
            ChatToken(kind: .content, text: $0, requestID: "{request_id}", sessionID: "{session_id}", userID: user).sseFrame
        }
        let fault = JSONWriter.string(.array([.object(["match": "/v1/chat", "fault": "hostile", "cut": true, "pause": 0.3,
                                                       "frames": .array(frames.map { .string($0) })])]))
        try await Proxy.queue(fault)
        let terminal = HeadlessTerminal()
        terminal.width = 140
        let runner = AppRunner(state: AppState(formation: "proxy", user: "fault"), terminal: terminal,
                               services: AppServices(client: client, store: nil))
        let run = Task { await runner.run() }
        terminal.type("the app is cut".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("partial answer"))
        terminal.type("my next question".map(Key.character))
        #expect(await terminal.waitFor("(failed)", timeout: .seconds(15)), "\(terminal.text)")
        #expect(await terminal.waitFor("my next question"))     // the typed text
        #expect(terminal.text.contains("partial answer before the cut"))   // the partial answer
        terminal.type([.ctrl("c"), .ctrl("c"), .ctrl("c")])
        #expect(await run.value == 0)
        try await Proxy.survived(user: user)
    }
}
}
