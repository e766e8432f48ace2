import Testing
import TestSupport
@testable import MuxiClient

@Suite struct TokenDecoderTests {
    static func events(_ name: String) throws -> [ChatEvent] {
        var decoder = TokenDecoder()
        return try SSEFrame.parseAll(Fixture.bytes(name)).compactMap { try decoder.decode(name: $0.event, data: $0.data) }
    }

    @Test func theRealStreamDecodesIntoTypedEvents() throws {
        let events = try Self.events("sse/chat_stream_raw.sse")
        let deltas = events.compactMap { if case .delta(let t) = $0 { t.text } else { nil } }
        guard case .completed(let done)? = events.dropLast().last else { Issue.record("no completed"); return }
        #expect(deltas.joined() == done.text)
        #expect(done.text == "FAKE-LLM reply to: Stream me a short answer")
        #expect(done.status == "success")
        #expect(done.agentUsed == "assistant")
        #expect(done.requestID == "req_J0lFkSjSBzVRofpQ8MPMl")
        #expect(done.sessionID == "sess_curl_2")
        #expect(events.last == .done)
        let first = try #require(events.first)
        guard case .progress(let p) = first else { Issue.record("first is \(first)"); return }
        #expect(p.kind == .progress && p.stage == "init" && p.userID == "alice")
        #expect(p.metadata["skip_rephrase"]?.boolValue == true)
    }

    @Test func theFastPathAndTheGeneralPathAgree() throws {
        for name in Fixture.sseCaptures {
            var decoder = TokenDecoder()
            for frame in try SSEFrame.parseAll(Fixture.bytes(name)) where frame.event == nil {
                let fast = try decoder.decode(name: nil, data: frame.data)
                // the general path: the same JSON re-encoded with a space, which the fast path declines
                let spaced = Array(("{ " + frame.text.dropFirst()).utf8)
                var fresh = TokenDecoder()
                var slow = try fresh.decode(name: nil, data: spaced)
                if case .delta(var t)? = slow { t.metadata = .null; slow = .delta(t) }
                if case .delta? = fast { #expect(fast == slow, "\(frame.text)") } else {
                    #expect(fast.map(Self.text) == slow.map(Self.text))
                }
            }
        }
    }

    static func text(_ e: ChatEvent) -> String {
        switch e {
        case .delta(let t), .progress(let t), .failed(let t), .other(let t): return t.kind.rawValue + t.text
        case .completed(let c): return "completed" + c.text
        default: return "\(e)"
        }
    }

    @Test func errorFramesThrowTypedErrors() throws {
        var decoder = TokenDecoder()
        let error = try #require(throws: MuxiError.self) {
            try decoder.decode(name: "error", data: Array(#"{"error":"boom","type":"RbacRejectedError"}"#.utf8))
        }
        #expect(error.kind == .stream && error.code == "RbacRejectedError" && error.message == "boom")
        #expect(throws: MuxiError.self) { try decoder.decode(name: nil, data: Array(#"{"error":"bare"}"#.utf8)) }
        #expect(throws: MuxiError.self) { try decoder.decode(name: nil, data: Array("not json".utf8)) }
    }

    @Test func widgetsOfEveryKind() throws {
        var decoder = TokenDecoder()
        let json = #"{"ui":[{"type":"options","id":"ui_1","prompt":"Which Paris?","options":[{"value":"fr","label":"France"},{"value":"tx","label":"Texas"}],"multi":false},{"type":"action_link","label":"Docs","url":"https://muxi.org","hint":"opens"},{"type":"action_link","label":"bad","url":"javascript:alert(1)"},{"type":"mcp_resource","uri":"x"}]}"#
        let event = try decoder.decode(name: "ui", data: Array(json.utf8))
        guard case .widgets(let w)? = event else { Issue.record("\(String(describing: event))"); return }
        guard case .options(let o) = w[0] else { Issue.record("not options"); return }
        #expect(o.id == "ui_1" && o.options.map(\.label) == ["France", "Texas"])
        #expect(o.response(choosing: o.options[1]) == UIResponse(id: "ui_1", value: "tx"))
        #expect(w[1] == .actionLink(label: "Docs", url: "https://muxi.org", hint: "opens"))
        guard case .unknown = w[2], case .unknown = w[3] else { Issue.record("unsafe link or unknown kind kept as a link"); return }
    }

    @Test func reattachedStreamsUseRawTokens() throws {
        var decoder = TokenDecoder()
        #expect(try decoder.decode(name: nil, data: Array(#"{"type":"stream_open","session_id":"s","request_id":"r"}"#.utf8)) == .heartbeat)
        let delta = try decoder.decode(name: nil, data: Array(#"{"request_id":"r","session_id":"s","type":"content","content":"x"}"#.utf8))
        guard case .delta(let t)? = delta else { Issue.record("\(String(describing: delta))"); return }
        #expect(t.text == "x" && t.requestID == "r")
        #expect(try decoder.decode(name: nil, data: Array(#"{"type":"stream_completed"}"#.utf8)) == .done)
    }

    @Test func discontinuityAndClarificationFlags() throws {
        var decoder = TokenDecoder()
        let e = try decoder.decode(name: nil, data: Array(#"{"token":{"request_id":"r","session_id":"s","user_id":"u","type":"completed","content":"Which?","status":"awaiting_clarification","clarification":true,"stream_discontinuity":true}}"#.utf8))
        guard case .completed(let c)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(c.isClarification && c.streamDiscontinuity && c.status == "awaiting_clarification")
    }

    @Test func idsAreReusedAcrossTokensWithoutMixingThemUp() throws {
        var decoder = TokenDecoder()
        let a = try decoder.decode(name: nil, data: Array(#"{"token":{"request_id":"req_aaaaaaaaaaaaaaaaaaaaaaaa","type":"content","content":"1"}}"#.utf8))
        let b = try decoder.decode(name: nil, data: Array(#"{"token":{"request_id":"req_aaaaaaaaaaaaaaaaaaaaaaab","type":"content","content":"2"}}"#.utf8))
        let c = try decoder.decode(name: nil, data: Array(#"{"token":{"request_id":"req_aaaaaaaaaaaaaaaaaaaaaaa\u0062","type":"content","content":"3"}}"#.utf8))
        guard case .delta(let ta)? = a, case .delta(let tb)? = b, case .delta(let tc)? = c else { Issue.record("not deltas"); return }
        #expect(ta.requestID == "req_aaaaaaaaaaaaaaaaaaaaaaaa")
        #expect(tb.requestID == "req_aaaaaaaaaaaaaaaaaaaaaaab")
        #expect(tc.requestID == "req_aaaaaaaaaaaaaaaaaaaaaaab")
    }
}
