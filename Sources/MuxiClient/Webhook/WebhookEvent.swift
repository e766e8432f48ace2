public import struct Foundation.Date

/// A webhook from the formation, in any of its shapes (completion, failure, clarification,
/// escalation).
///
/// ```swift
/// switch event.status {
/// case .completed: print(event.content.compactMap(\.text).joined())
/// case .failed: print(event.error?.message ?? "")
/// case .awaitingClarification: print(event.clarification?.question ?? "")
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
    /// How the request ended: `completed`, `failed`, `awaiting_clarification`, `escalated`,
    /// `unknown`, or another the runtime adds.
    public struct Status: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `completed`.
        public static let completed = Status(rawValue: "completed")
        /// `failed`.
        public static let failed = Status(rawValue: "failed")
        /// `awaiting_clarification`.
        public static let awaitingClarification = Status(rawValue: "awaiting_clarification")
        /// `escalated`.
        public static let escalated = Status(rawValue: "escalated")
        /// `unknown`: the payload said nothing.
        public static let unknown = Status(rawValue: "unknown")
    }

    /// How the request ended.
    public var status: Status
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
        status = json.string("status").map(Status.init(rawValue:)) ?? (escalation != nil ? .escalated : .unknown)
        timestamp = json.date("timestamp")
        content = (json["response"]?.arrayValue ?? []).map {
            ContentItem(type: $0.string("type") ?? "text", text: $0.string("text"), file: $0["file"])
        }
        if let e = json["error"], !e.isNull {
            error = ErrorDetails(code: e.string("code") ?? "unknown", message: e.string("message") ?? e.stringValue ?? "",
                                 trace: e.string("trace"))
        }
        if status == .awaitingClarification {
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
