public import struct Foundation.Date

extension FormationClient {
    /// The user's sessions on the server, most recent first (`GET /v1/sessions`).
    ///
    /// ```swift
    /// for s in try await formation.sessions(userID: "user_123") { print(s.id) }
    /// ```
    public func sessions(limit: Int = 50, activeOnly: Bool = false, userID: String? = nil) async throws -> [Session] {
        let route = Route("GET", ["sessions"], query: [("limit", String(limit)), ("active_only", activeOnly ? "true" : nil)],
                          key: .client, user: .required)
        return try await send(route, userID: userID).list("sessions")
    }

    /// One session (`GET /v1/sessions/{id}`); ``MuxiError/Kind/notFound`` when unknown.
    ///
    /// ```swift
    /// let s = try await formation.session("sess_abc123")
    /// ```
    public func session(_ sessionID: String, userID: String? = nil) async throws -> Session {
        try Session(json: try await send(Route("GET", ["sessions", sessionID], key: .client, user: .required), userID: userID))
    }

    /// A session's messages, oldest first (`GET /v1/sessions/{id}/messages`). An unknown
    /// session gives an empty list (that is what the runtime answers).
    ///
    /// ```swift
    /// let page = try await formation.sessionMessages("sess_abc123", userID: "user_123")
    /// ```
    public func sessionMessages(_ sessionID: String, limit: Int = 50, userID: String? = nil) async throws -> SessionMessages {
        let route = Route("GET", ["sessions", sessionID, "messages"], query: [("limit", String(limit))],
                          key: .client, user: .required)
        return try SessionMessages(json: try await send(route, userID: userID))
    }

    /// Loads messages back into a session (`POST /v1/sessions/{id}/restore`), e.g. after the
    /// runtime restarted and lost its in-memory sessions. Replaces the session's messages.
    ///
    /// ```swift
    /// let result = try await formation.restoreSession("sess_abc123", messages: cachedMessages)
    /// ```
    public func restoreSession(_ sessionID: String, messages: [SessionMessage], userID: String? = nil) async throws -> RestoreResult {
        let items: [JSONValue] = messages.map { m in
            var item: [String: JSONValue] = [
                "role": .string(m.role.rawValue), "content": .string(m.text),
                "timestamp": .string(ISO8601.string(m.timestamp ?? Date())),
            ]
            if let agent = m.agentID { item["agent_id"] = .string(agent) }
            if let request = m.requestID { item["metadata"] = ["request_id": .string(request)] }
            return .object(item)
        }
        let route = Route("POST", ["sessions", sessionID, "restore"], key: .client, user: .required,
                          body: ["messages": .array(items)])
        return try RestoreResult(json: try await send(route, userID: userID))
    }

    /// The user's tracked requests (`GET /v1/requests`).
    ///
    /// ```swift
    /// let running = try await formation.requests().filter { !$0.status.isTerminal }
    /// ```
    public func requests(userID: String? = nil) async throws -> [RequestInfo] {
        try await send(Route("GET", ["requests"], key: .either, user: .required), userID: userID).list("requests")
    }

    /// One request's state and result (`GET /v1/requests/{id}`).
    ///
    /// ```swift
    /// let info = try await formation.requestStatus("req_abc")
    /// ```
    public func requestStatus(_ requestID: String, userID: String? = nil) async throws -> RequestInfo {
        try RequestInfo(json: try await send(Route("GET", ["requests", requestID], key: .either, user: .required), userID: userID))
    }

    /// Asks the server to stop a turn (`DELETE /v1/requests/{id}`). To stop a stream you are
    /// reading, also cancel the task that reads it.
    ///
    /// ```swift
    /// _ = try await formation.cancel(requestID: stream.requestID)
    /// ```
    @discardableResult
    public func cancel(requestID: String, userID: String? = nil) async throws -> CancelResult {
        try CancelResult(json: try await send(Route("DELETE", ["requests", requestID], key: .either, user: .required), userID: userID))
    }
}
