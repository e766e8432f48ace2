import Testing
import TestSupport
import Foundation
import MuxiClient
import MuxiClientTesting

@Suite struct ChatStreamTests {
    static func collect(_ stream: ChatStream) async throws -> [ChatEvent] {
        var events: [ChatEvent] = []
        for try await e in stream { events.append(e) }
        return events
    }

    static func token(_ kind: ChatToken.Kind, _ text: String, extra: JSONValue = .null) -> String {
        ChatToken(kind: kind, text: text, requestID: "req_1", sessionID: "sess_1", userID: "alice", metadata: extra).sseFrame
    }

    @Test(arguments: [1, 3, 64, 100_000])
    func theRealCaptureStreamsAsTypedEvents(chunkSize: Int) async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse(bytes: Fixture.bytes("sse/chat_stream_raw.sse"), chunkSize: chunkSize))
        let stream = try makeClient(t).chatStream(ChatRequest("Stream me a short answer", sessionID: "sess_curl_2"))
        let events = try await Self.collect(stream)
        let text = events.compactMap { if case .delta(let d) = $0 { d.text } else { nil } }.joined()
        #expect(text == "FAKE-LLM reply to: Stream me a short answer")
        #expect(events.last == .done)
        #expect(events.filter { if case .completed = $0 { true } else { false } }.count == 1)
        let body = try #require(t.requests.first?.bodyJSON)
        #expect(body["stream"] == true && body["session_id"] == "sess_curl_2")
        #expect(body["request_id"]?.stringValue == stream.requestID)
        #expect(t.requests[0].header("Accept") == "text/event-stream")
    }

    @Test func deltasOfOneReadArriveAsOneEventAndNothingIsLost() async throws {
        let t = ScriptedTransport()
        let pieces = ["Hel", "lo, ", "wörld ", "😀", "\n", "\"quoted\"", " end"]
        let frames = pieces.map { Self.token(.content, $0) }.joined()
        t.on("POST", "/v1/chat", .sse([Self.token(.progress, "On it..."), frames, Self.token(.content, " more"),
                                       Self.token(.completed, pieces.joined() + " more"), "event: done\ndata: {}\n\n"]))
        let events = try await Self.collect(makeClient(t).chatStream(ChatRequest("hi")))
        let deltas = events.compactMap { if case .delta(let d) = $0 { d } else { nil } }
        #expect(deltas.map(\.text) == [pieces.joined(), " more"])
        #expect(deltas.allSatisfy { $0.requestID == "req_1" && $0.sessionID == "sess_1" && $0.userID == "alice" })
    }

    @Test func aDeltaOfAnotherRequestIsNotMergedIntoTheBatch() throws {
        var decoder = TokenDecoder()
        var text: [UInt8] = []
        let first = Array(Self.token(.content, "a").dropFirst(6).dropLast(2).utf8)
        #expect(!first.withUnsafeBufferPointer { decoder.appendContinuation($0, to: &text) })  // nothing cached yet
        _ = try decoder.decode(name: nil, data: first)
        let same = Array(Self.token(.content, "b\u{1F600}").dropFirst(6).dropLast(2).utf8)
        #expect(same.withUnsafeBufferPointer { decoder.appendContinuation($0, to: &text) })
        var other = ChatToken(kind: .content, text: "c", requestID: "req_2", sessionID: "sess_1", userID: "alice")
        let otherFrame = Array(other.sseFrame.dropFirst(6).dropLast(2).utf8)
        #expect(!otherFrame.withUnsafeBufferPointer { decoder.appendContinuation($0, to: &text) })
        other.kind = .progress
        let progress = Array(ChatToken(kind: .progress, text: "p", requestID: "req_1", sessionID: "sess_1", userID: "alice").sseFrame.dropFirst(6).dropLast(2).utf8)
        #expect(!progress.withUnsafeBufferPointer { decoder.appendContinuation($0, to: &text) })
        #expect(String(decoding: text, as: UTF8.self) == "b😀")
    }

    @Test func anErrorStatusIsReadBeforeAnyParsing() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .json(401, Fixture.text("json/chat_bad_key.json")))
        let e = await #expect(throws: MuxiError.self) { try await Self.collect(makeClient(t).chatStream(ChatRequest("hi"))) }
        #expect(e?.kind == .authentication && e?.code == "UNAUTHORIZED")
    }

    @Test func anEventErrorFrameThrows() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([": keepalive\n\n", Self.token(.progress, "On it..."),
                                       "event: error\ndata: {\"error\":\"Too long\",\"type\":\"AttributeError\"}\n\n"]))
        var seen: [ChatEvent] = []
        let e = await #expect(throws: MuxiError.self) {
            for try await event in try makeClient(t).chatStream(ChatRequest("hi")) { seen.append(event) }
        }
        #expect(e?.kind == .stream && e?.code == "AttributeError" && e?.message == "Too long")
        #expect(seen.count == 1)
    }

    @Test func doneWithoutCompletedRecoversTheAnswerFromTheRequestStatus() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.progress, "On it..."), "event: done\ndata: {\"finished\":true}\n\n"]))
        t.on("GET", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"completed","result":"The answer."}"#)))
        let events = try await Self.collect(makeClient(t).chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1")))
        guard case .completed(let c) = events[events.count - 2] else { Issue.record("\(events)"); return }
        #expect(c.text == "The answer." && c.recovered)
        #expect(events.last == .done)
    }

    @Test func doneWithoutCompletedFallsBackToTheSessionMessages() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse(["event: done\ndata: {\"finished\":true}\n\n"]))
        t.on("GET", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"processing"}"#)))
        t.on("GET", "/v1/sessions/sess_1/messages", .json(200, envelope(
            #"{"session_id":"sess_1","messages":[{"text":"hi","metadata":{"role":"user","request_id":"req_1"}},{"text":"Approve this plan?","metadata":{"role":"assistant","request_id":"req_1","agent_id":"planner"}}],"count":2,"has_more":false}"#)))
        let events = try await Self.collect(makeClient(t).chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1")))
        guard case .completed(let c) = events.first else { Issue.record("\(events)"); return }
        #expect(c.text == "Approve this plan?" && c.recovered && c.agentUsed == "planner")
    }

    @Test func aStreamOfOnlyKeepalivesIsGivenUpAfterTheStallLimit() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.progress, "On it...")] + Array(repeating: ": keepalive\n\n", count: 4000), pause: .milliseconds(5)))
        t.on("GET", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"completed","result":{"content":"Late answer"}}"#)))
        let client = try makeClient(t) { $0.streamStallLimit = .milliseconds(150) }
        let started = ContinuousClock.now
        let events = try await Self.collect(client.chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1")))
        #expect(ContinuousClock.now - started < .seconds(10))   // the stream itself would last 20 s
        guard case .completed(let c) = events[events.count - 2] else { Issue.record("\(events)"); return }
        #expect(c.text == "Late answer" && c.recovered)
    }

    /// A stream gone silent mid-turn (a busy runtime) is recovered: the request is known but
    /// still running and its session not made yet (404), which is "not yet", until it completes.
    @Test func aSilentStreamIsRecoveredOnceTheBusyServerFinishes() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.progress, "On it..."), ": keepalive\n\n"], pause: .seconds(30)))
        let running = ScriptedTransport.Reply.json(200, envelope(#"{"request_id":"req_1","status":"processing"}"#))
        t.on("GET", "/v1/requests/req_1", running, running,
             .json(200, envelope(#"{"request_id":"req_1","status":"completed","result":{"content":"Made it."}}"#)))
        t.on("GET", "/v1/sessions/sess_1/messages", .json(404, #"{"error":{"code":"RESOURCE_NOT_FOUND","message":"Session not found"}}"#),
             .json(404, #"{"error":{"code":"RESOURCE_NOT_FOUND","message":"Session not found"}}"#))
        let client = try makeClient(t) { $0.streamIdleTimeout = .milliseconds(200) }
        let events = try await Self.collect(client.chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1")))
        guard case .completed(let c) = events[events.count - 2] else { Issue.record("\(events)"); return }
        #expect(c.text == "Made it." && c.recovered)
    }

    /// Silence, and a server that knows neither the request nor the session: it never took the
    /// turn, so the silence is the error at once, not after the stall limit.
    @Test func aSilentStreamOfATurnTheServerNeverTookFailsAtOnce() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([": keepalive\n\n"], pause: .seconds(30)))
        let client = try makeClient(t) {
            $0.streamIdleTimeout = .milliseconds(200)
            $0.streamStallLimit = .seconds(60)   // what a wait for the answer would take
        }
        let started = ContinuousClock.now
        let e = await #expect(throws: MuxiError.self) { try await Self.collect(client.chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1"))) }
        // well under the stall limit even on a loaded machine (a 2-thread pool can hold timers for seconds)
        #expect(e?.code == "STREAM_IDLE" && ContinuousClock.now - started < .seconds(30))
    }

    @Test func aStallWithNoAnswerAnywhereIsAClearError() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse(Array(repeating: ": keepalive\n\n", count: 4000), pause: .milliseconds(5)))
        t.on("GET", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"processing"}"#)))
        t.on("GET", "/v1/sessions/sess_1/messages", .json(200, envelope(#"{"session_id":"sess_1","messages":[],"count":0}"#)))
        let client = try makeClient(t) { $0.streamStallLimit = .milliseconds(100) }
        let e = await #expect(throws: MuxiError.self) { try await Self.collect(client.chatStream(ChatRequest("hi", sessionID: "sess_1", requestID: "req_1"))) }
        #expect(e?.code == "NO_ANSWER" && e?.message.contains("req_1") == true)
    }

    @Test func aConnectionCutMidStreamIsRecoveredFromTheRequestStatus() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.content, "Half an ans")]))
        t.on("GET", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"completed","result":"Half an answer, whole."}"#)))
        var answer: ChatCompletion?
        for try await event in try makeClient(t).chatStream(ChatRequest("hi", requestID: "req_1")) {
            if case .completed(let c) = event { answer = c }
        }
        #expect(answer?.text == "Half an answer, whole." && answer?.recovered == true)
    }

    @Test func aConnectionCutMidStreamIsAnErrorAfterThePartialAnswer() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.content, "Half an ans")]))
        t.on("GET", "/v1/requests/req_1", .json(404, #"{"success":false,"error":{"code":"NOT_FOUND","message":"no such request"}}"#))
        t.on("GET", "/v1/sessions/sess_1/messages", .json(200, envelope(#"{"messages":[],"count":0}"#)))
        var text = ""
        let e = await #expect(throws: MuxiError.self) {
            for try await event in try makeClient(t).chatStream(ChatRequest("hi")) {
                if case .delta(let d) = event { text += d.text }
            }
        }
        #expect(text == "Half an ans" && e?.code == "STREAM_CUT")
    }

    @Test func aSilentConnectionFailsAtTheIdleTimeout() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([": keepalive\n\n", ": keepalive\n\n"], pause: .seconds(30)))
        let client = try makeClient(t) { $0.streamIdleTimeout = .milliseconds(200) }
        let started = ContinuousClock.now
        let e = await #expect(throws: MuxiError.self) { try await Self.collect(client.chatStream(ChatRequest("hi"))) }
        #expect(e?.kind == .timeout && e?.code == "STREAM_IDLE")
        #expect(ContinuousClock.now - started < .seconds(10))   // the next byte would come after 30 s
    }

    @Test func cancellingTheConsumerEndsTheStreamPromptly() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse([Self.token(.content, "a")] + Array(repeating: ": keepalive\n\n", count: 1000), pause: .milliseconds(50)))
        let client = try makeClient(t)
        let (started, first) = AsyncStream.makeStream(of: Void.self)
        let consumer = Task {
            var events: [ChatEvent] = []
            for try await e in client.chatStream(ChatRequest("hi")) {
                events.append(e)
                first.yield()   // the stream is running: now cancel it
            }
            return events
        }
        for await _ in started { break }
        let cancelled = ContinuousClock.now
        consumer.cancel()
        let result = await consumer.result
        #expect(ContinuousClock.now - cancelled < .seconds(5))   // the stream would last 50 s more
        if case .success(let events) = result { Issue.record("finished normally: \(events.count) events") }
    }

    @Test func theServerIsToldToCancel() async throws {
        let t = ScriptedTransport()
        t.on("DELETE", "/v1/requests/req_1", .json(200, envelope(#"{"request_id":"req_1","status":"cancelled","cancellation":"immediate","message":"ok"}"#)))
        let c = try await makeClient(t).cancel(requestID: "req_1")
        #expect(c.mode == "immediate" && t.requests[0].header("X-Muxi-User-ID") == "alice")
    }

    @Test func idsAreGeneratedUpFrontAndNothingIsSentBeforeIteration() throws {
        let t = ScriptedTransport()
        let stream = try makeClient(t).chatStream(ChatRequest("hi"))
        #expect(stream.requestID.hasPrefix("req_") && stream.requestID.count == 25)
        #expect(stream.sessionID.hasPrefix("sess_"))
        #expect(t.requests.isEmpty)
    }

    @Test func aNonSSEBodyWithStatus200IsRejectedClearly() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .json(200, Fixture.text("json/chat_nonstream.json")))
        let e = await #expect(throws: MuxiError.self) { try await Self.collect(makeClient(t).chatStream(ChatRequest("hi"))) }
        #expect(e?.code == "INVALID_RESPONSE")
    }
}
