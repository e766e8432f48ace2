extension FormationClient {
    /// The memory configuration of the formation (`GET /v1/memory`, admin).
    ///
    /// ```swift
    /// let config = try await formation.memoryConfig()
    /// ```
    public func memoryConfig() async throws -> JSONValue {
        try await send(Route("GET", ["memory"], key: .admin, user: .none))
    }

    /// One page of the user's persistent memories (`GET /v1/memories`).
    ///
    /// ```swift
    /// let page = try await formation.memories(limit: 20, userID: "user_123")
    /// ```
    public func memories(limit: Int = 10, offset: Int = 0, scopes: [String] = [], userID: String? = nil) async throws -> MemoryPage {
        let route = Route("GET", ["memories"],
                          query: [("limit", String(limit)), ("offset", String(offset)),
                                  ("scopes", scopes.isEmpty ? nil : scopes.joined(separator: ","))],
                          key: .either, user: .required)
        var json = try await send(route, userID: userID)
        if case .object(var fields) = json {
            fields["offset"] = .number(JSONNumber(offset))
            fields["limit"] = .number(JSONNumber(limit))
            json = .object(fields)
        }
        return try MemoryPage(json: json)
    }

    /// Every persistent memory of the user, page after page.
    ///
    /// ```swift
    /// let all = try await formation.allMemories()
    /// ```
    public func allMemories(pageSize: Int = 100, userID: String? = nil) async throws -> [Memory] {
        var all: [Memory] = []
        var offset = 0
        while true {
            let page = try await memories(limit: pageSize, offset: offset, userID: userID)
            all += page.memories
            guard page.hasMore, !page.memories.isEmpty else { return all }
            offset = page.nextOffset
        }
    }

    /// Adds a memory about the user (`POST /v1/memories` with `type` and `detail`).
    ///
    /// ```swift
    /// let m = try await formation.addMemory(type: "preference", detail: "User prefers Python", userID: "user_123")
    /// ```
    public func addMemory(type: String, detail: String, scope: String? = nil, metadata: JSONValue? = nil,
                          userID: String? = nil) async throws -> Memory {
        var body: [String: JSONValue] = ["type": .string(type), "detail": .string(detail)]
        if let scope { body["scope"] = .string(scope) }
        if let metadata { body["metadata"] = metadata }
        let route = Route("POST", ["memories"], key: .either, user: .required, body: .object(body))
        return try Memory(json: try await send(route, userID: userID))
    }

    /// Deletes one memory (`DELETE /v1/memories/{id}`).
    ///
    /// ```swift
    /// try await formation.deleteMemory("mem_abc123", userID: "user_123")
    /// ```
    public func deleteMemory(_ memoryID: String, userID: String? = nil) async throws {
        _ = try await send(Route("DELETE", ["memories", memoryID], key: .either, user: .required), userID: userID)
    }

    /// The user's buffer (short-term) memory (`GET /v1/memory/buffer`).
    ///
    /// ```swift
    /// let buffer = try await formation.userBuffer()
    /// ```
    public func userBuffer(userID: String? = nil) async throws -> BufferStatus {
        try BufferStatus(json: try await send(Route("GET", ["memory", "buffer"], key: .either, user: .required), userID: userID))
    }

    /// Clears the user's buffer memory (`DELETE /v1/memory/buffer`).
    ///
    /// ```swift
    /// try await formation.clearUserBuffer(userID: "user_123")
    /// ```
    @discardableResult
    public func clearUserBuffer(userID: String? = nil) async throws -> BufferClearResult {
        try BufferClearResult(json: try await send(Route("DELETE", ["memory", "buffer"], key: .either, user: .required), userID: userID))
    }

    /// Clears one session's buffer memory (`DELETE /v1/memory/buffer/{session}`).
    ///
    /// ```swift
    /// try await formation.clearSessionBuffer("sess_abc123")
    /// ```
    @discardableResult
    public func clearSessionBuffer(_ sessionID: String, userID: String? = nil) async throws -> BufferClearResult {
        let route = Route("DELETE", ["memory", "buffer", sessionID], key: .either, user: .required)
        return try BufferClearResult(json: try await send(route, userID: userID))
    }

    /// Clears the buffers of every user (`DELETE /v1/memory/buffers`, admin). The official
    /// SDKs call `DELETE /memory/buffer` without a user, which clears nothing.
    ///
    /// ```swift
    /// try await formation.clearAllBuffers()
    /// ```
    @discardableResult
    public func clearAllBuffers() async throws -> BufferClearResult {
        try BufferClearResult(json: try await send(Route("DELETE", ["memory", "buffers"], key: .admin, user: .none)))
    }

    /// Buffer statistics of the formation (`GET /v1/memory/stats`, admin).
    ///
    /// ```swift
    /// let stats = try await formation.bufferStats()
    /// ```
    public func bufferStats() async throws -> BufferStats {
        try BufferStats(json: try await send(Route("GET", ["memory", "stats"], key: .admin, user: .none)))
    }
}
