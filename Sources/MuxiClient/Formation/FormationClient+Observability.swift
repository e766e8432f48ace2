/// The audit log and the live streams of logs and events.
extension FormationClient {
    /// The audit log, newest first (`GET /v1/audit`, admin).
    ///
    /// The runtime of 2026-09 writes no entry itself except the one a clear leaves, so the log
    /// is usually empty there.
    ///
    /// ```swift
    /// let recent = try await formation.auditLog(AuditFilter(limit: 20, resourceType: "secret"))
    /// ```
    public func auditLog(_ filter: AuditFilter = AuditFilter()) async throws -> [AuditEntry] {
        guard (1...1000).contains(filter.limit) else { throw MuxiError.validation("the audit limit is 1…1000 (\(filter.limit) given)") }
        return try await send(Route("GET", ["audit"], query: filter.query, key: .admin, user: .none)).list("entries")
    }

    /// Empties the audit log (`DELETE /v1/audit?confirm=clear-audit-log`, admin). (The
    /// runtime's own documentation says `confirm=yes`, which it refuses.)
    ///
    /// ```swift
    /// let cleared = try await formation.clearAuditLog()
    /// ```
    @discardableResult
    public func clearAuditLog() async throws -> AuditClear {
        try AuditClear(json: try await send(Route("DELETE", ["audit"], query: [("confirm", "clear-audit-log")], key: .admin, user: .none)))
    }

    /// The formation's log events as they happen (`GET /v1/logs`, admin), filtered by
    /// `filter` (at least one filter: the runtime refuses an unfiltered stream, and so does
    /// this method, before connecting). Cancelling the reading task closes the connection.
    ///
    /// The runtime of 2026-09 accepts the stream but never feeds it (nothing publishes to its
    /// subscribers), and sends no heartbeat: expect silence, not an error, and no idle
    /// time-out on this stream.
    ///
    /// ```swift
    /// for try await line in formation.streamLogs(LogFilter(level: "warning")) { print(line.level ?? "", line.message) }
    /// ```
    public func streamLogs(_ filter: LogFilter) -> AsyncThrowingStream<FormationEvent, any Error> {
        guard !filter.isEmpty else {
            return AsyncThrowingStream { $0.finish(throwing: MuxiError.validation(
                "a log stream needs a filter: user, session, request, agent, level or event type")) }
        }
        return events(Route("GET", ["logs"], query: filter.query, key: .admin, user: .none), userID: nil)
    }

    /// A user's activity as it happens (`GET /v1/events`), or one session's
    /// (`GET /v1/events/{session}`). With the client key it is the configured user's; with
    /// the admin key alone, every user's.
    ///
    /// The runtime of 2026-09 accepts the stream but never sends on it (and would write its
    /// frames with a literal `\n` that no SSE reader splits): the stream stays silent until
    /// cancelled. Per-turn events come with ``chatStream(_:)``.
    ///
    /// ```swift
    /// for try await event in formation.streamEvents(sessionID: "sess_1") { print(event.type ?? "", event.message) }
    /// ```
    public func streamEvents(sessionID: String? = nil, userID: String? = nil) -> AsyncThrowingStream<FormationEvent, any Error> {
        let segments = ["events"] + (sessionID.map { [$0] } ?? [])
        return events(Route("GET", segments, key: .either, user: .requiredWithClientKey), userID: userID)
    }

    /// The `data:` of each event of `route`'s stream as a ``FormationEvent``; an `error`
    /// event ends the stream with its message.
    private func events(_ route: Route, userID: String?) -> AsyncThrowingStream<FormationEvent, any Error> {
        frames(route, userID: userID, idle: false) { frame in
            let json = try JSONValue(parsing: frame.data)
            if frame.event == "error" || json.bool("error") == true {
                throw MuxiError(kind: .stream, code: "STREAM_ERROR", message: json.string("message") ?? "the stream ended with an error")
            }
            return try FormationEvent(json: json)
        }
    }
}
