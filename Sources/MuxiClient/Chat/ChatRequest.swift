public import struct Foundation.Data

/// One chat turn to send.
///
/// The client always sends a `request_id` and a `session_id` (generating them when you give
/// none), so a turn can be cancelled and correlated from its first byte.
///
/// ```swift
/// var turn = ChatRequest("What's the weather?", sessionID: "sess_abc")
/// turn.agentID = "weather"
/// ```
public struct ChatRequest: Sendable, Hashable {
    /// The user's text.
    public var message: String
    /// The conversation; nil starts a new one (an id is generated).
    public var sessionID: String?
    /// The turn's id; nil generates one (`req_…`).
    public var requestID: String?
    /// Force an agent instead of letting the formation route.
    public var agentID: String?
    /// Files sent with the message (see ``Attachment``).
    public var files: [Attachment]
    /// The answer to an options widget of the previous turn.
    public var uiResponse: UIResponse?
    /// A per-request webhook for async delivery.
    public var webhookURL: String?
    /// Overrides the formation's async threshold, in seconds.
    public var thresholdSeconds: Double?
    /// The channel the message came from, for proactive notifications.
    public var sourceChannel: String?
    /// More body fields, sent as they are (for fields this library does not know yet).
    public var extra: [String: JSONValue]

    /// A turn with `message`.
    ///
    /// ```swift
    /// let turn = ChatRequest("Hello!")
    /// ```
    public init(_ message: String, sessionID: String? = nil, requestID: String? = nil, agentID: String? = nil,
                files: [Attachment] = [], uiResponse: UIResponse? = nil) {
        self.message = message
        self.sessionID = sessionID
        self.requestID = requestID
        self.agentID = agentID
        self.files = files
        self.uiResponse = uiResponse
        self.webhookURL = nil
        self.thresholdSeconds = nil
        self.sourceChannel = nil
        self.extra = [:]
    }

    /// The request with its ids filled in (generated where missing).
    func resolved() -> ChatRequest {
        var copy = self
        if copy.sessionID?.isEmpty ?? true { copy.sessionID = IDs.make("sess_") }
        if copy.requestID?.isEmpty ?? true { copy.requestID = IDs.make("req_") }
        return copy
    }

    /// The JSON body, without the files (the route carries them: see ``Attachment``).
    func body(stream: Bool) -> JSONValue {
        var b = extra
        b["message"] = .string(message)
        b["stream"] = .bool(stream)
        if let sessionID { b["session_id"] = .string(sessionID) }
        if let requestID { b["request_id"] = .string(requestID) }
        if let agentID { b["agent_id"] = .string(agentID) }
        if let uiResponse { b["ui_response"] = ["id": .string(uiResponse.id), "value": uiResponse.value] }
        if let webhookURL { b["webhook_url"] = .string(webhookURL) }
        if let thresholdSeconds { b["threshold_seconds"] = .number(JSONNumber(thresholdSeconds)) }
        if let sourceChannel { b["source_channel"] = .string(sourceChannel) }
        return .object(b)
    }
}

/// The answer of a non-streaming chat (`"stream": false`).
///
/// ```swift
/// let reply = try await client.chat(ChatRequest("Hello!"))
/// print(reply.text)
/// ```
public struct ChatReply: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The answer.
    public let text: String
    /// Who wrote it.
    public let role: String
    /// The session id.
    public let sessionID: String?
    /// The request (turn) id.
    public let requestID: String?
    /// The user it belongs to.
    public let userID: String?
    /// Files the agent produced.
    public let artifacts: [Artifact]
    /// UI widgets of the answer.
    public let widgets: [UIWidget]
    /// The answer's metadata (`clarification`, `error_code`, `escalated`…).
    public let metadata: JSONValue

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        let message = json["message"] ?? .null
        switch message["content"] {
        case .string(let s)?: text = s
        case .array(let parts)?: text = parts.compactMap { $0["text"]?.stringValue }.joined()
        default: text = message.string("message") ?? ""
        }
        role = message.string("role") ?? "assistant"
        metadata = message["metadata"] ?? .null
        sessionID = json.string("session_id") ?? metadata.string("session_id")
        requestID = json.string("request_id")
        userID = json.string("user_id")
        artifacts = (message["artifacts"]?.arrayValue ?? []).compactMap { try? Artifact(json: $0) }
        widgets = (message["ui"]?.arrayValue ?? []).map(UIWidget.init(json:))
    }
}

/// Random ids in the runtime's style: a prefix and 21 URL-safe characters.
///
/// ```swift
/// IDs.make("req_") // "req_V1StGXR8_Z5jdHi6B-myT"
/// ```
package enum IDs {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")

    /// `prefix` followed by 21 random characters.
    package static func make(_ prefix: String) -> String {
        var g = SystemRandomNumberGenerator()
        return prefix + String((0..<21).map { _ in alphabet[Int(g.next() % 64)] })
    }
}
