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

/// ISO 8601 in UTC with milliseconds, as the restore route wants.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        // civil-from-days (H. Hinnant)
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2)):"
            + "\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))Z"
    }
}
