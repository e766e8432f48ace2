public import struct Foundation.Date

/// A persistent memory the formation keeps about a user (`GET /v1/memories`).
///
/// The runtime sends `content` as a string when listing and as `{type, detail}` when creating;
/// both are read here.
///
/// ```swift
/// for m in try await client.memories().memories { print(m.type ?? "-", m.detail) }
/// ```
public struct Memory: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The memory's type (`preference`, `fact`…), when known.
    public let type: String?
    /// The remembered text.
    public let detail: String
    /// When it was created.
    public let createdAt: Date?
    /// `user`, `group` or `formation`.
    public let scope: String?
    /// The id of the scope (the group or formation).
    public let scopeID: String?
    /// Free-form metadata.
    public let metadata: JSONValue

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "memory")
        metadata = json["metadata"] ?? .null
        switch json["content"] {
        case .object(let c)?:
            detail = c["detail"]?.stringValue ?? c["content"]?.stringValue ?? ""
            type = c["type"]?.stringValue ?? metadata.string("type")
        case .string(let s)?:
            detail = s
            type = metadata.string("type") ?? json.string("type")
        default:
            detail = json.string("detail") ?? ""
            type = metadata.string("type") ?? json.string("type")
        }
        createdAt = json.date("created_at")
        scope = json.string("scope")
        scopeID = json.string("scope_id")
    }
}

/// One page of ``Memory`` values.
///
/// ```swift
/// var page = try await client.memories(limit: 20)
/// while page.hasMore { page = try await client.memories(limit: 20, offset: page.nextOffset) }
/// ```
public struct MemoryPage: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The memories of this page.
    public let memories: [Memory]
    /// The offset this page started at.
    public let offset: Int
    /// The page size asked for.
    public let limit: Int

    /// Whether another page may follow (this one was full).
    public var hasMore: Bool { memories.count >= limit }
    /// The offset of the next page.
    public var nextOffset: Int { offset + memories.count }

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        memories = try json.list("memories")
        offset = json.int("offset") ?? 0
        limit = json.int("limit") ?? max(memories.count, 1)
    }
}

/// The buffer (short-term) memory of a user (`GET /v1/memory/buffer`).
///
/// ```swift
/// let b = try await client.userBuffer()
/// print(b.totalMessages, b.sizeKB)
/// ```
public struct BufferStatus: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The user it belongs to.
    public let userID: String?
    /// How many messages the buffer holds.
    public let totalMessages: Int
    /// The buffer size in KiB.
    public let sizeKB: Double

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        userID = json.string("user_id")
        totalMessages = json.int("total_messages") ?? 0
        sizeKB = json.double("buffer_size_kb") ?? 0
    }
}

/// What a buffer clear removed.
///
/// ```swift
/// let r = try await client.clearUserBuffer()
/// print(r.messagesCleared)
/// ```
public struct BufferClearResult: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The server's message.
    public let message: String?
    /// How many messages were removed.
    public let messagesCleared: Int
    /// How many sessions were emptied.
    public let sessionsCleared: Int?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        message = json.string("message")
        messagesCleared = json.int("messages_cleared") ?? json.int("entries_cleared") ?? 0
        sessionsCleared = json.int("sessions_cleared")
    }
}

/// Buffer statistics of the whole formation (`GET /v1/memory/stats`, admin).
///
/// ```swift
/// let s = try await client.bufferStats()
/// ```
public struct BufferStats: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Buffer entries in all.
    public let totalEntries: Int
    /// Users with buffer entries.
    public let totalUsers: Int
    /// Sessions with buffer entries.
    public let totalSessions: Int
    /// The buffer size in KiB.
    public let sizeKB: Double

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        totalEntries = json.int("total_entries") ?? 0
        totalUsers = json.int("total_users") ?? 0
        totalSessions = json.int("total_sessions") ?? 0
        sizeKB = json.double("buffer_size_kb") ?? 0
    }
}
