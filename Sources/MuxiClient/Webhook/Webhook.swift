public import struct Foundation.Date
import Crypto

/// Verifies and parses the webhooks a formation sends (async completions, clarifications,
/// escalations).
///
/// ```swift
/// // In your HTTP handler, with the raw body bytes:
/// guard Webhook.verifySignature(payload: body, header: request.headers["X-Muxi-Signature"], secret: adminKey) else {
///     return .unauthorized
/// }
/// let event = try Webhook.parse(body)
/// if event.status == "completed" { print(event.content.compactMap(\.text).joined()) }
/// ```
public enum Webhook {
    /// The outcome of a signature check.
    public enum Verification: Sendable, Hashable {
        case valid
        /// No `X-Muxi-Signature` header.
        case missingHeader
        /// The header is not `t=<unix>,v1=<hex>`.
        case malformedHeader
        /// The timestamp is outside the tolerance (older, or in the future).
        case outsideTolerance(seconds: Double)
        /// No `v1` signature matches.
        case mismatch
        /// This exact signature was accepted before (see ``WebhookReplayGuard``).
        case replayed
    }

    /// Checks `X-Muxi-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>` in
    /// constant time. The raw bytes are tried first, then the runtime's canonical JSON of the
    /// body (compact, sorted keys), because the runtime signs the canonical form but sends
    /// another encoding. Repeated or unknown parts never trap; any matching `v1` counts.
    ///
    /// ```swift
    /// let v = Webhook.verify(payload: body, header: sig, secret: key, tolerance: .seconds(300), now: Date())
    /// ```
    public static func verify(payload: [UInt8], header: String?, secret: String,
                              tolerance: Duration = .seconds(300), now: Date = Date()) -> Verification {
        guard let header, !header.isEmpty else { return .missingHeader }
        var timestamps: [String] = []
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2 else { continue }
            let key = pieces[0].trimmingCharactersInWhitespaceSub
            let value = pieces[1].trimmingCharactersInWhitespaceSub
            if key == "t" { timestamps.append(value) }
            if key == "v1", let bytes = hexBytes(value), bytes.count == 32 { signatures.append(bytes) }
        }
        guard timestamps.count == 1, let t = Int(timestamps[0]), !signatures.isEmpty else { return .malformedHeader }
        let age = now.timeIntervalSince1970 - Double(t)
        guard abs(age) <= tolerance.seconds else { return .outsideTolerance(seconds: age) }
        let key = SymmetricKey(data: Array(secret.utf8))
        func matches(_ body: [UInt8]) -> Bool {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: key))
            var found = false
            for candidate in signatures where constantTimeEqual(candidate, expected) { found = true }
            return found
        }
        if matches(payload) { return .valid }
        if let parsed = try? JSONValue(parsing: payload), matches(JSONWriter.bytes(parsed)) { return .valid }
        return .mismatch
    }

    /// Whether the signature is valid (see ``verify(payload:header:secret:tolerance:now:)``).
    ///
    /// ```swift
    /// guard Webhook.verifySignature(payload: body, header: sig, secret: key) else { return 401 }
    /// ```
    public static func verifySignature(payload: [UInt8], header: String?, secret: String,
                                       tolerance: Duration = .seconds(300), now: Date = Date()) -> Bool {
        verify(payload: payload, header: header, secret: secret, tolerance: tolerance, now: now) == .valid
    }

    /// Parses a webhook body of any of the runtime's shapes into a ``WebhookEvent``.
    ///
    /// ```swift
    /// let event = try Webhook.parse(body)
    /// ```
    public static func parse(_ payload: [UInt8]) throws -> WebhookEvent {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: payload)
        } catch {
            throw MuxiError(kind: .validation, code: "INVALID_WEBHOOK", message: "the webhook body is not JSON: \(error)")
        }
        guard json.objectValue != nil else {
            throw MuxiError(kind: .validation, code: "INVALID_WEBHOOK", message: "the webhook body is not a JSON object")
        }
        return WebhookEvent(json: json)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func hexBytes(_ s: String) -> [UInt8]? {
        let b = Array(s.utf8)
        guard b.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var i = 0
        while i < b.count {
            guard let h = nibble(b[i]), let l = nibble(b[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

/// A webhook from the formation, in any of its shapes (completion, failure, clarification,
/// escalation).
///
/// ```swift
/// switch event.status {
/// case "completed": print(event.content.compactMap(\.text).joined())
/// case "failed": print(event.error?.message ?? "")
/// case "awaiting_clarification": print(event.clarification?.question ?? "")
/// default: break
/// }
/// ```
public struct WebhookEvent: Sendable, Hashable {
    /// One item of a completion's `response`.
    public struct ContentItem: Sendable, Hashable {
        /// The type.
        public var type: String
        /// The text.
        public var text: String?
        /// A file item, as sent.
        public var file: JSONValue?
    }

    /// A failure's details.
    public struct ErrorDetails: Sendable, Hashable {
        /// A machine-readable code.
        public var code: String
        /// The server's message.
        public var message: String
        /// A stack trace, when the formation runs in debug mode.
        public var trace: String?
    }

    /// A question the agent asks.
    public struct Clarification: Sendable, Hashable {
        /// The question.
        public var question: String
        /// The id to answer the question with.
        public var clarificationRequestID: String?
        /// The message that raised the question.
        public var originalMessage: String?
    }

    /// The end of an escalated retry chain.
    public struct Escalation: Sendable, Hashable {
        /// `achieved`, `impossible`, `stuck`, `budget_exhausted` or `abandoned`.
        public var state: String
        /// How many attempts were made.
        public var attempts: Int?
        /// The result of an achieved escalation.
        public var result: String?
        /// The report of a failed escalation.
        public var report: JSONValue?
    }

    /// The request this is about (`id`, or `request_id` in clarification and escalation payloads).
    public var requestID: String
    /// `completed`, `failed`, `awaiting_clarification`, `escalated`, or `unknown`.
    public var status: String
    /// When it was written.
    public var timestamp: Date?
    /// The content items.
    public var content: [ContentItem]
    /// The failure, when it failed.
    public var error: ErrorDetails?
    /// The question, when awaiting clarification.
    public var clarification: Clarification?
    /// The escalation outcome, for escalation payloads.
    public var escalation: Escalation?
    /// The formation that sent it.
    public var formationID: String?
    /// The user it belongs to.
    public var userID: String?
    /// Seconds the request took.
    public var processingTime: Double?
    /// `async` (default) or another mode.
    public var processingMode: String
    /// Where it was delivered.
    public var webhookURL: String?
    /// The whole payload.
    public var raw: JSONValue

    init(json: JSONValue) {
        raw = json
        requestID = json.string("id") ?? json.string("request_id") ?? ""
        escalation = json.string("state").map {
            Escalation(state: $0, attempts: json.int("attempts"), result: json.string("result"), report: json["report"])
        }
        status = json.string("status") ?? (escalation != nil ? "escalated" : "unknown")
        timestamp = json.date("timestamp")
        content = (json["response"]?.arrayValue ?? []).map {
            ContentItem(type: $0.string("type") ?? "text", text: $0.string("text"), file: $0["file"])
        }
        if let e = json["error"], !e.isNull {
            error = ErrorDetails(code: e.string("code") ?? "unknown", message: e.string("message") ?? e.stringValue ?? "",
                                 trace: e.string("trace"))
        }
        if status == "awaiting_clarification" {
            clarification = Clarification(question: json.string("clarification_question") ?? "",
                                          clarificationRequestID: json.string("clarification_request_id"),
                                          originalMessage: json.string("original_message"))
        }
        formationID = json.string("formation_id")
        userID = json.string("user_id")
        processingTime = json.double("processing_time")
        processingMode = json.string("processing_mode") ?? "async"
        webhookURL = json.string("webhook_url")
    }
}

extension Substring {
    fileprivate var trimmingCharactersInWhitespaceSub: String { String(self).trimmingCharactersInWhitespace }
}
