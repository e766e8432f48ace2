extension FormationClient {
    // MARK: Triggers

    /// The names of the formation's triggers (`GET /v1/triggers`).
    ///
    /// ```swift
    /// let names = try await formation.triggers()
    /// ```
    public func triggers() async throws -> [String] {
        try await send(Route("GET", ["triggers"], key: .client, user: .none)).strings("triggers")
    }

    /// One trigger's template and the data fields it reads (`GET /v1/triggers/{name}`).
    ///
    /// ```swift
    /// let t = try await formation.trigger("github-issue")
    /// ```
    public func trigger(_ name: String) async throws -> TriggerDetail {
        try TriggerDetail(json: try await send(Route("GET", ["triggers", name], key: .client, user: .none)))
    }

    /// Fires a trigger with `data` (`POST /v1/triggers/{name}` with `{"data": …, "use_async": …}`).
    /// Sync (`async: false`) waits for the answer; async returns at once with the request id.
    ///
    /// ```swift
    /// let r = try await formation.fireTrigger("github-issue",
    ///     data: ["repository": "muxi/runtime", "issue": ["number": 123, "title": "Bug report"]],
    ///     async: false, userID: "user_123")
    /// print(r.content ?? "")
    /// ```
    public func fireTrigger(_ name: String, data: JSONValue, async: Bool = false, sessionID: String? = nil,
                            userID: String? = nil) async throws -> TriggerResult {
        var body: [String: JSONValue] = ["data": data, "use_async": .bool(async)]
        if let sessionID { body["session_id"] = .string(sessionID) }
        let route = Route("POST", ["triggers", name], key: .client, user: .optional, body: .object(body),
                          honoursIdempotency: true)
        return try TriggerResult(json: try await send(route, userID: userID))
    }

    // MARK: Scheduler

    /// The scheduler's configuration (`GET /v1/scheduler`, admin).
    ///
    /// ```swift
    /// let config = try await formation.schedulerConfig()
    /// ```
    public func schedulerConfig() async throws -> SchedulerConfig {
        try SchedulerConfig(json: try await send(Route("GET", ["scheduler"], key: .admin, user: .none)))
    }

    /// The user's scheduled jobs (`GET /v1/scheduler/jobs`, filtered by the user header).
    ///
    /// ```swift
    /// let jobs = try await formation.schedulerJobs(userID: "user_123")
    /// ```
    public func schedulerJobs(userID: String? = nil) async throws -> [ScheduledJob] {
        try await send(Route("GET", ["scheduler", "jobs"], key: .either, user: .required), userID: userID).list("jobs")
    }

    /// One job (`GET /v1/scheduler/jobs/{id}`, admin).
    ///
    /// ```swift
    /// let job = try await formation.schedulerJob("job_abc123")
    /// ```
    public func schedulerJob(_ jobID: String, userID: String? = nil) async throws -> ScheduledJob {
        try ScheduledJob(json: try await send(Route("GET", ["scheduler", "jobs", jobID], key: .admin, user: .optional), userID: userID))
    }

    /// Creates a job owned by the user (`POST /v1/scheduler/jobs`, admin; the owner comes
    /// from the user header). `schedule` is a cron expression for ``JobType/recurring`` and a
    /// future ISO 8601 time for ``JobType/oneTime`` (no zone means UTC).
    ///
    /// ```swift
    /// let job = try await formation.createSchedulerJob(type: .recurring, schedule: "0 9 * * *",
    ///                                                 message: "Generate daily summary", userID: "user_123")
    /// ```
    public func createSchedulerJob(type: JobType, schedule: String, message: String, userID: String? = nil) async throws -> ScheduledJob {
        let route = Route("POST", ["scheduler", "jobs"], key: .admin, user: .required,
                          body: ["type": .string(type.rawValue), "schedule": .string(schedule), "message": .string(message)],
                          honoursIdempotency: true)
        return try ScheduledJob(json: try await send(route, userID: userID))
    }

    /// Changes a job (`PUT /v1/scheduler/jobs/{id}`, admin). The runtime replaces the job:
    /// the returned job may have a new id.
    ///
    /// ```swift
    /// let updated = try await formation.updateSchedulerJob("job_abc", schedule: "0 8 * * *")
    /// ```
    public func updateSchedulerJob(_ jobID: String, message: String? = nil, schedule: String? = nil, title: String? = nil,
                                   userID: String? = nil) async throws -> ScheduledJob {
        var body: [String: JSONValue] = [:]
        if let message { body["message"] = .string(message) }
        if let schedule { body["schedule"] = .string(schedule) }
        if let title { body["title"] = .string(title) }
        let route = Route("PUT", ["scheduler", "jobs", jobID], key: .admin, user: .optional, body: .object(body))
        return try ScheduledJob(json: try await send(route, userID: userID))
    }

    /// Pauses a job (`POST /v1/scheduler/jobs/{id}/pause`, admin).
    ///
    /// ```swift
    /// try await formation.pauseSchedulerJob("job_abc")
    /// ```
    @discardableResult
    public func pauseSchedulerJob(_ jobID: String, userID: String? = nil) async throws -> JobStatusChange {
        try JobStatusChange(json: try await send(Route("POST", ["scheduler", "jobs", jobID, "pause"], key: .admin, user: .optional), userID: userID))
    }

    /// Resumes a paused job (`POST /v1/scheduler/jobs/{id}/resume`, admin).
    ///
    /// ```swift
    /// try await formation.resumeSchedulerJob("job_abc")
    /// ```
    @discardableResult
    public func resumeSchedulerJob(_ jobID: String, userID: String? = nil) async throws -> JobStatusChange {
        try JobStatusChange(json: try await send(Route("POST", ["scheduler", "jobs", jobID, "resume"], key: .admin, user: .optional), userID: userID))
    }

    /// Deletes a job (`DELETE /v1/scheduler/jobs/{id}`, admin). Like pause and resume, it needs
    /// no user: the runtime records the user header, when sent, for its audit only.
    ///
    /// ```swift
    /// try await formation.deleteSchedulerJob("job_abc123")
    /// ```
    public func deleteSchedulerJob(_ jobID: String, userID: String? = nil) async throws {
        _ = try await send(Route("DELETE", ["scheduler", "jobs", jobID], key: .admin, user: .optional), userID: userID)
    }

    // MARK: SOPs

    /// The formation's standard operating procedures (`GET /v1/sops`).
    ///
    /// ```swift
    /// let sops = try await formation.sops()
    /// ```
    public func sops() async throws -> [SOP] {
        try await send(Route("GET", ["sops"], key: .client, user: .none)).list("sops")
    }

    /// One SOP with its content (`GET /v1/sops/{name}`).
    ///
    /// ```swift
    /// let sop = try await formation.sop("refund-request")
    /// ```
    public func sop(_ name: String) async throws -> SOP {
        try SOP(json: try await send(Route("GET", ["sops", name], key: .client, user: .none)))
    }
}
