import Testing
import TestSupport
import Foundation
import Crypto
import MuxiClient

@Suite struct WebhookTests {
    static let secret = "fma_webhook_secret"
    static let now = Date(timeIntervalSince1970: 1_764_412_805)

    static func sign(_ body: [UInt8], t: Int = 1_764_412_805, secret: String = secret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(t),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// What the runtime sends for a completion: Python json.dumps (", " and ": ", insertion order,
    /// non-ASCII escaped), while it signs the canonical form (compact, sorted, raw UTF-8).
    static let sentBody = Array(#"{"id": "req_1", "object": "response", "status": "completed", "timestamp": 1764412805123, "formation_id": "bot", "user_id": "alice@example.com", "processing_time": 12.84, "processing_mode": "async", "webhook_url": "https://h/w", "error": null, "response": [{"type": "text", "text": "caf\u00e9 \u2014 done"}]}"#.utf8)
    static let canonical = Array(#"{"error":null,"formation_id":"bot","id":"req_1","object":"response","processing_mode":"async","processing_time":12.84,"response":[{"text":"café — done","type":"text"}],"status":"completed","timestamp":1764412805123,"user_id":"alice@example.com","webhook_url":"https://h/w"}"#.utf8)

    @Test func theRawBodyVerifies() {
        let header = Self.sign(Self.sentBody)
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now) == .valid)
    }

    @Test func theRuntimesCanonicalSigningVerifiesAgainstTheBodyItSends() {
        #expect(JSONWriter.bytes(try! JSONValue(parsing: Self.sentBody)) == Self.canonical)
        let header = Self.sign(Self.canonical)
        #expect(Webhook.verifySignature(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now))
    }

    @Test func tamperedWrongSecretExpiredAndFuturePayloadsAreRejected() {
        let header = Self.sign(Self.canonical)
        var tampered = Self.sentBody
        tampered[tampered.count - 10] = 0x58
        #expect(Webhook.verify(payload: tampered, header: header, secret: Self.secret, now: Self.now) == .mismatch)
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: "other", now: Self.now) == .mismatch)
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret,
                               now: Self.now.addingTimeInterval(301)) == .outsideTolerance(seconds: 301))
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret,
                               now: Self.now.addingTimeInterval(-301)) == .outsideTolerance(seconds: -301))
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret,
                               tolerance: .seconds(1000), now: Self.now.addingTimeInterval(600)) == .valid)
    }

    @Test func aReplayedWebhookIsRefusedAndAnExpiredOneForgotten() {
        let replays = WebhookReplayGuard()
        let header = Self.sign(Self.sentBody)
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now, replays: replays) == .valid)
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now.addingTimeInterval(5),
                               replays: replays) == .replayed)
        // a forged header does not use up the real one's place
        let other = Self.sign(Self.sentBody, t: 1_764_412_806)
        #expect(Webhook.verify(payload: Self.sentBody, header: other, secret: "wrong", now: Self.now, replays: replays) == .mismatch)
        #expect(Webhook.verify(payload: Self.sentBody, header: other, secret: Self.secret, now: Self.now, replays: replays) == .valid)
        // many distinct webhooks: old entries are dropped, memory stays bounded, new ones pass
        for i in 0..<3000 {
            let t = 1_764_412_805 + i
            let verdict = Webhook.verify(payload: Self.sentBody, header: Self.sign(Self.sentBody, t: t), secret: Self.secret,
                                         now: Date(timeIntervalSince1970: Double(t)), replays: replays)
            #expect(verdict == .valid || (i <= 1 && verdict == .replayed))
        }
    }

    @Test(arguments: [nil, "", "garbage", "t=abc,v1=00", "v1=" + String(repeating: "a", count: 64), "t=1,t=2,v1=" + String(repeating: "a", count: 64),
                      "t=1764412805", "t=1764412805,v1=zz", "t=1764412805,v1=" + String(repeating: "a", count: 63), ",,,=,t=,v1="])
    func malformedHeadersNeverTrap(header: String?) {
        let result = Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now)
        #expect(result == .missingHeader || result == .malformedHeader)
    }

    @Test func repeatedV1EntriesAreAllTried() {
        let good = Self.sign(Self.canonical)
        let header = "t=1764412805,v1=" + String(repeating: "0", count: 64) + "," + good.split(separator: ",")[1] + ",v0=x"
        #expect(Webhook.verify(payload: Self.sentBody, header: header, secret: Self.secret, now: Self.now) == .valid)
    }

    @Test func completionPayload() throws {
        let e = try Webhook.parse(Self.sentBody)
        #expect(e.requestID == "req_1" && e.status == "completed" && e.formationID == "bot" && e.userID == "alice@example.com")
        #expect(e.content.map(\.text) == ["café — done"] && e.processingTime == 12.84)
        #expect(e.timestamp == Date(timeIntervalSince1970: 1764412805.123))
    }

    @Test func failureClarificationAndEscalationPayloads() throws {
        let failed = try Webhook.parse(Array(#"{"id":"req_2","status":"failed","timestamp":1764412805123,"error":{"code":"processing_failed","message":"boom","trace":null},"response":[]}"#.utf8))
        #expect(failed.error?.code == "processing_failed" && failed.error?.message == "boom" && failed.error?.trace == nil)
        let clar = try Webhook.parse(Array(#"{"request_id":"req_3","status":"awaiting_clarification","clarification_question":"Which Paris?","clarification_request_id":"clr_1","original_message":"weather in Paris","user_id":"u","timestamp":1764412805.12}"#.utf8))
        #expect(clar.requestID == "req_3" && clar.clarification?.question == "Which Paris?")
        #expect(clar.timestamp.map { abs($0.timeIntervalSince1970 - 1764412805.12) < 0.001 } == true)
        let esc = try Webhook.parse(Array(#"{"request_id":"req_4","state":"achieved","attempts":3,"timestamp":1764412805.12,"result":"done at last"}"#.utf8))
        #expect(esc.status == "escalated" && esc.escalation?.state == "achieved" && esc.escalation?.result == "done at last")
        #expect(throws: MuxiError.self) { try Webhook.parse(Array("[1,2]".utf8)) }
        #expect(throws: MuxiError.self) { try Webhook.parse(Array("{".utf8)) }
    }
}

/// The runtime signs webhooks with orjson and may send them with another encoder: floats are
/// re-written as orjson writes them (the SDK user trial's `tinyfloat` case).
@Suite struct WebhookFloatTests {
    /// Pairs from orjson 3 itself (`orjson.dumps(v)`), for Python's `repr` forms.
    @Test(arguments: [("1e-05", "0.00001"), ("1e-07", "1e-7"), ("1e+16", "1e+16"), ("1.5", "1.5"), ("0.1", "0.1"),
                      ("1e+300", "1e+300"), ("-0.0", "-0.0"), ("2.5e-05", "0.000025"), ("1e+22", "1e+22"),
                      ("1000000000000000.0", "1000000000000000.0"), ("123.0", "123.0"), ("3e-05", "0.00003"),
                      ("1.2345678901234568e-05", "0.000012345678901234568"), ("0.0001", "0.0001"), ("5e-324", "5e-324"),
                      ("1.7976931348623157e+308", "1.7976931348623157e+308"), ("0.30000000000000004", "0.30000000000000004"),
                      ("123456789012345678", "123456789012345678"), ("-2.5e-05", "-0.000025"), ("12345678.9", "12345678.9")])
    func floatsAreWrittenAsOrjsonWritesThem(python: String, orjson: String) throws {
        let number = try #require(JSONNumber(text: python))
        #expect(String(decoding: JSONWriter.canonical(.number(number)), as: UTF8.self) == orjson)
    }

    @Test func aBodyWithATinyFloatSignedByTheRuntimeIsValid() throws {
        let sent = Array(#"{"status":"completed","score":1e-05,"result":"ok"}"#.utf8)      // the stdlib encoder's form
        let signed = Array(#"{"result":"ok","score":0.00001,"status":"completed"}"#.utf8)  // what orjson signed
        let header = WebhookTests.sign(signed)
        #expect(Webhook.verify(payload: sent, header: header, secret: WebhookTests.secret,
                               now: Date(timeIntervalSince1970: 1_764_412_805)) == .valid)
    }
}
