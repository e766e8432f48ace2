public import struct Foundation.Date

/// A conversation on the server (`GET /v1/sessions`). The runtime keeps sessions in memory:
/// they are gone after it restarts.
///
/// ```swift
/// for s in try await client.sessions() { print(s.id, s.lastActivity ?? .distantPast) }
/// ```
public struct Session: MuxiModel {
    public let raw: JSONValue
    /// The session id (`sess_…`).
    public let id: String
    public let userID: String?
    /// Messages in the session (only from ``FormationClient/session(_:userID:)``).
    public let messageCount: Int?
    public let createdAt: Date?
    public let lastActivity: Date?
    public let isActive: Bool

    public init(json: JSONValue) throws {
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
    public struct Role: RawRepresentable, Sendable, Hashable, Codable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let user = Role(rawValue: "user")
        public static let assistant = Role(rawValue: "assistant")
        public static let system = Role(rawValue: "system")
    }

    public let raw: JSONValue
    public let role: Role
    public let text: String
    public let timestamp: Date?
    /// The turn this message belongs to.
    public let requestID: String?
    public let agentID: String?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let sessionID: String
    public let messages: [SessionMessage]
    /// Whether older messages exist beyond `limit`.
    public let hasMore: Bool

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let sessionID: String?
    public let messagesLoaded: Int
    public let messagesDropped: Int

    public init(json: JSONValue) throws {
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
    public struct Status: RawRepresentable, Sendable, Hashable, Codable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let pending = Status(rawValue: "pending")
        public static let processing = Status(rawValue: "processing")
        public static let running = Status(rawValue: "running")
        public static let completed = Status(rawValue: "completed")
        public static let failed = Status(rawValue: "failed")
        public static let cancelled = Status(rawValue: "cancelled")
        public static let awaitingClarification = Status(rawValue: "awaiting_clarification")
        /// Whether the request will not change any more.
        public var isTerminal: Bool { [.completed, .failed, .cancelled].contains(self) }
    }

    public let raw: JSONValue
    public let id: String
    public let userID: String?
    public let status: Status
    public let createdAt: Date?
    public let completedAt: Date?
    /// The error text of a failed request.
    public let error: String?
    /// The result of a completed request, when it is text.
    public let resultText: String?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let requestID: String
    public let status: String
    /// `immediate` or `cooperative`.
    public let mode: String?

    public init(json: JSONValue) throws {
        raw = json
        requestID = try json.required("request_id", of: "cancellation")
        status = json.string("status") ?? "cancelled"
        mode = json.string("cancellation")
    }
}
