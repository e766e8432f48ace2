public import struct Foundation.Date

/// A conversation on the server (`GET /v1/sessions`). The runtime keeps sessions in memory:
/// they are gone after it restarts.
///
/// ```swift
/// for s in try await client.sessions() { print(s.id, s.lastActivity ?? .distantPast) }
/// ```
public struct Session: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The session id (`sess_…`).
    public let id: String
    /// The user it belongs to.
    public let userID: String?
    /// Messages in the session (only from ``FormationClient/session(_:userID:)``).
    public let messageCount: Int?
    /// When it was created.
    public let createdAt: Date?
    /// When it was last used.
    public let lastActivity: Date?
    /// Whether the session is active.
    public let isActive: Bool

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("session_id", of: "session")
        userID = json.string("user_id")
        messageCount = json.int("message_count")
        createdAt = json.date("created_at")
        lastActivity = json.date("last_activity")
        isActive = json.bool("active") ?? true
    }
}

/// One message of a session. The runtime returns buffer items (`text` plus `metadata.role`),
/// not `{role, content}`; this reads both shapes and ignores the embedding vector.
///
/// ```swift
/// let page = try await client.sessionMessages("sess_1")
/// for m in page.messages { print(m.role.rawValue, m.text) }
/// ```
public struct SessionMessage: MuxiModel {
    /// Who wrote a message.
    public struct Role: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `user`.
        public static let user = Role(rawValue: "user")
        /// `assistant`.
        public static let assistant = Role(rawValue: "assistant")
        /// `system`.
        public static let system = Role(rawValue: "system")
    }

    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Who wrote it.
    public let role: Role
    /// The text.
    public let text: String
    /// When it was written.
    public let timestamp: Date?
    /// The turn this message belongs to.
    public let requestID: String?
    /// The agent that wrote it.
    public let agentID: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        let meta = json["metadata"] ?? .null
        role = Role(rawValue: meta.string("role") ?? json.string("role") ?? "assistant")
        if let t = json["text"]?.stringValue ?? json["content"]?.stringValue {
            text = t
        } else if let content = json["content"], !content.isNull {
            text = JSONWriter.string(content)
        } else {
            text = ""
        }
        timestamp = meta.date("timestamp") ?? json.date("timestamp")
        requestID = meta.string("request_id") ?? json.string("request_id")
        agentID = meta.string("agent_id") ?? json.string("agent_id")
    }

    /// A message to send to ``FormationClient/restoreSession(_:messages:userID:)``.
    ///
    /// ```swift
    /// let m = SessionMessage(role: .user, text: "hi", timestamp: Date())
    /// ```
    public init(role: Role, text: String, timestamp: Date, requestID: String? = nil, agentID: String? = nil) {
        self.role = role
        self.text = text
        self.timestamp = timestamp
        self.requestID = requestID
        self.agentID = agentID
        var meta: [String: JSONValue] = ["role": .string(role.rawValue)]
        if let requestID { meta["request_id"] = .string(requestID) }
        self.raw = ["text": .string(text), "metadata": .object(meta),
                    "timestamp": .number(JSONNumber(timestamp.timeIntervalSince1970))]
    }
}

/// `GET /v1/sessions/{id}/messages`: the messages, oldest first.
///
/// ```swift
/// let page = try await client.sessionMessages("sess_1", limit: 100)
/// ```
public struct SessionMessages: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The session id.
    public let sessionID: String
    /// The messages, oldest first.
    public let messages: [SessionMessage]
    /// Whether older messages exist beyond `limit`.
    public let hasMore: Bool

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        sessionID = json.string("session_id") ?? ""
        messages = try json.list("messages")
        hasMore = json.bool("has_more") ?? false
    }
}

/// `POST /v1/sessions/{id}/restore`: how many messages were loaded back.
///
/// ```swift
/// let r = try await client.restoreSession("sess_1", messages: cached)
/// print(r.messagesLoaded)
/// ```
public struct RestoreResult: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The session id.
    public let sessionID: String?
    /// How many messages were loaded.
    public let messagesLoaded: Int
    /// How many old messages did not fit.
    public let messagesDropped: Int

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        sessionID = json.string("session_id")
        messagesLoaded = json.int("messages_loaded") ?? 0
        messagesDropped = json.int("messages_dropped") ?? 0
    }
}

/// A tracked request, i.e. one chat turn or trigger run (`GET /v1/requests`).
///
/// ```swift
/// let r = try await client.requestStatus("req_1")
/// if r.status == .completed { print(r.resultText ?? "") }
/// ```
public struct RequestInfo: MuxiModel {
    /// A request's state: `pending`, `processing`, `running`, `completed`, `failed`,
    /// `cancelled`, `awaiting_clarification`, or another the runtime adds.
    public struct Status: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `pending`.
        public static let pending = Status(rawValue: "pending")
        /// `processing`.
        public static let processing = Status(rawValue: "processing")
        /// `running`.
        public static let running = Status(rawValue: "running")
        /// `completed`.
        public static let completed = Status(rawValue: "completed")
        /// `failed`.
        public static let failed = Status(rawValue: "failed")
        /// `cancelled`.
        public static let cancelled = Status(rawValue: "cancelled")
        /// `awaiting_clarification`.
        public static let awaitingClarification = Status(rawValue: "awaiting_clarification")
        /// Whether the request will not change any more.
        public var isTerminal: Bool { [.completed, .failed, .cancelled].contains(self) }
    }

    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The user it belongs to.
    public let userID: String?
    /// The status as the server reports it.
    public let status: Status
    /// When it was created.
    public let createdAt: Date?
    /// When it finished.
    public let completedAt: Date?
    /// The error text of a failed request.
    public let error: String?
    /// The result of a completed request, when it is text.
    public let resultText: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("request_id", of: "request")
        userID = json.string("user_id")
        status = Status(rawValue: json.string("status") ?? "unknown")
        createdAt = json.date("created_at")
        completedAt = json.date("completed_at")
        if let e = json["error"], !e.isNull { error = e.stringValue ?? e["message"]?.stringValue ?? JSONWriter.string(e) } else { error = nil }
        switch json["result"] {
        case .string(let s)?: resultText = s
        case .object(let o)?: resultText = o["content"]?.stringValue ?? o["text"]?.stringValue ?? o["response"]?.stringValue
        default: resultText = nil
        }
    }
}

/// `DELETE /v1/requests/{id}`: the cancellation as the server took it.
///
/// ```swift
/// let c = try await client.cancel(requestID: "req_1")
/// print(c.mode ?? "")   // "immediate" or "cooperative"
/// ```
public struct CancelResult: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The request (turn) id.
    public let requestID: String
    /// The status as the server reports it.
    public let status: String
    /// `immediate` or `cooperative`.
    public let mode: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        requestID = try json.required("request_id", of: "cancellation")
        status = json.string("status") ?? "cancelled"
        mode = json.string("cancellation")
    }
}
