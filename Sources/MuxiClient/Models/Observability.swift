public import struct Foundation.Date

/// One entry of the formation's audit log (`GET /v1/audit`, admin), newest first.
///
/// ```swift
/// for e in try await formation.auditLog(limit: 20) { print(e.action, e.resourceType, e.result) }
/// ```
public struct AuditEntry: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// When it happened.
    public let timestamp: Date?
    /// What was done (`audit.cleared`, `secret.created`…).
    public let action: String
    /// What it was done to (`agent`, `secret`, `mcp_server`, `scheduler_job`,
    /// `logging_destination`, `async`, `memory`).
    public let resourceType: String?
    /// Which one.
    public let resourceID: String?
    /// Who did it.
    public let user: String?
    /// How it went.
    public let result: String?
    /// The HTTP status it answered.
    public let statusCode: Int?
    /// A description.
    public let message: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` without an action.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        timestamp = json.date("timestamp")
        action = try json.required("action", of: "audit entry")
        resourceType = json.string("resource_type")
        resourceID = json.string("resource_id")
        user = json.string("user")
        result = json.string("result")
        statusCode = json.int("status_code")
        message = json.string("message")
    }
}

/// Which audit entries to read; every filter is optional.
///
/// ```swift
/// let filter = AuditFilter(action: "secret.created", since: Date().addingTimeInterval(-3600))
/// ```
public struct AuditFilter: Sendable, Hashable {
    /// The most entries (1…1000; the runtime's default is 100).
    public var limit: Int
    /// Only this action.
    public var action: String?
    /// Only this kind of resource (see ``AuditEntry/resourceType``).
    public var resourceType: String?
    /// Only entries since then.
    public var since: Date?

    /// A filter.
    public init(limit: Int = 100, action: String? = nil, resourceType: String? = nil, since: Date? = nil) {
        self.limit = limit
        self.action = action
        self.resourceType = resourceType
        self.since = since
    }

    var query: [(String, String?)] {
        [("limit", String(limit)), ("action", action), ("resource_type", resourceType),
         ("since", since.map(ISO8601.string))]
    }
}

/// Which of the formation's live log events to receive (`GET /v1/logs`, admin). The runtime
/// refuses a stream with no filter at all; ``level`` is the lowest severity sent.
///
/// ```swift
/// let errors = LogFilter(level: "error")
/// let mine = LogFilter(userID: "alice", eventType: "chat.*")
/// ```
public struct LogFilter: Sendable, Hashable {
    /// Only events of this user.
    public var userID: String?
    /// Only events of this session.
    public var sessionID: String?
    /// Only events of this request.
    public var requestID: String?
    /// Only events of this agent. (The runtime of 2026-09 compares it with a field its events
    /// never carry, so it matches nothing there.)
    public var agentID: String?
    /// The lowest severity: `debug`, `info`, `warning`, `error` or `critical`.
    public var level: String?
    /// Only this event type; `*` stands for any text (`chat.*`).
    public var eventType: String?

    /// A filter.
    public init(userID: String? = nil, sessionID: String? = nil, requestID: String? = nil, agentID: String? = nil,
                level: String? = nil, eventType: String? = nil) {
        self.userID = userID
        self.sessionID = sessionID
        self.requestID = requestID
        self.agentID = agentID
        self.level = level
        self.eventType = eventType
    }

    /// Whether no filter is set (the runtime answers such a stream with 400).
    public var isEmpty: Bool { query.allSatisfy { $0.1 == nil } }

    var query: [(String, String?)] {
        [("user_id", userID), ("session_id", sessionID), ("request_id", requestID), ("agent_id", agentID),
         ("level", level), ("event_type", eventType)]
    }
}

/// One event of a live stream: a log line (`GET /v1/logs`) or a user's activity
/// (`GET /v1/events`).
///
/// ```swift
/// for try await e in formation.streamLogs(LogFilter(level: "info")) { print(e.level ?? "", e.message) }
/// ```
public struct FormationEvent: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// When it happened.
    public let timestamp: Date?
    /// The severity, for a log event.
    public let level: String?
    /// The event type (`chat.started`, `agent.thinking`…).
    public let type: String?
    /// The text.
    public let message: String
    /// The user, session, request and agent it belongs to, when it says.
    public let userID: String?
    /// The session.
    public let sessionID: String?
    /// The request.
    public let requestID: String?
    /// The agent.
    public let agentID: String?
    /// The event's own data.
    public let data: JSONValue

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        timestamp = json.date("timestamp")
        level = json.string("level")
        type = json.string("event_type") ?? json.string("type")
        message = json.string("message") ?? ""
        userID = json.string("user_id")
        sessionID = json.string("session_id")
        requestID = json.string("request_id")
        agentID = json.string("agent_id")
        data = json["data"] ?? .null
    }
}

/// What clearing the audit log removed (`DELETE /v1/audit`, admin). The log then holds one
/// `audit.cleared` entry.
///
/// ```swift
/// let cleared = try await formation.clearAuditLog()
/// print(cleared.removedEntries)
/// ```
public struct AuditClear: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// How many entries were removed.
    public let removedEntries: Int
    /// Who cleared it.
    public let clearedBy: String?

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        removedEntries = json.int("previous_entries_count") ?? 0
        clearedBy = json.string("cleared_by")
    }
}
