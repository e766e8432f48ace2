public import struct Foundation.Date

/// The memory platform: ingestion from other systems, provenance, the captain's log,
/// maintenance, and distilleries.
extension FormationClient {
    /// Ingests memories from another system for the user, 1…100 at a time
    /// (`POST /v1/memories/batch`). Each item is accepted, a duplicate (its `source` and
    /// `sourceID` were seen) or invalid; the batch itself fails only as a whole (429 when the
    /// user has four batches in flight: nothing was kept, send again).
    ///
    /// ```swift
    /// let receipt = try await formation.ingestMemories([MemoryItem(source: "gmail", sourceID: "m-1", content: "Alice moved to Lisbon")])
    /// ```
    public func ingestMemories(_ items: [MemoryItem], userID: String? = nil) async throws -> IngestionReceipt {
        guard (1...100).contains(items.count) else { throw MuxiError.validation("a batch holds 1…100 memories (\(items.count) given)") }
        let body: JSONValue = ["items": .array(items.map(\.json))]
        return try IngestionReceipt(json: try await send(Route("POST", ["memories", "batch"], key: .either, user: .required, body: body), userID: userID))
    }

    /// Where an ingestion stands (`GET /v1/memories/ingestion/{id}`); kept five minutes
    /// after it finishes, then ``MuxiError/Kind/notFound``.
    ///
    /// ```swift
    /// let job = try await formation.ingestionStatus(receipt.processingID!)
    /// ```
    public func ingestionStatus(_ processingID: String, userID: String? = nil) async throws -> ProcessingJob {
        try ProcessingJob(json: try await send(Route("GET", ["memories", "ingestion", processingID], key: .either,
                                                     user: .requiredWithClientKey), userID: userID))
    }

    /// Where a memory event came from: its chain, root first (`GET /v1/memories/provenance`).
    ///
    /// ```swift
    /// let trail = try await formation.provenance(eventID: "Ec6EmRYE7oKTTHOMrMkRx")
    /// ```
    public func provenance(eventID: String, userID: String? = nil) async throws -> EventProvenance {
        try EventProvenance(json: try await send(Route("GET", ["memories", "provenance"], query: [("event_id", eventID)],
                                                       key: .either, user: .required), userID: userID))
    }

    /// What the knowledge graph knows of an entity, each fact with the events behind it
    /// (`GET /v1/memories/provenance?entity=…`).
    ///
    /// ```swift
    /// let london = try await formation.provenance(entity: "London")
    /// ```
    public func provenance(entity: String, userID: String? = nil) async throws -> EntityProvenance {
        try EntityProvenance(json: try await send(Route("GET", ["memories", "provenance"], query: [("entity", entity)],
                                                        key: .either, user: .required), userID: userID))
    }

    /// The user's captain's log, newest first: up to `limit` (1…100) days between two dates
    /// (`GET /v1/history`).
    ///
    /// ```swift
    /// let week = try await formation.history(limit: 7, includeSources: true)
    /// ```
    public func history(limit: Int = 10, from: Date? = nil, to: Date? = nil, includeSources: Bool = false,
                        userID: String? = nil) async throws -> [HistoryEntry] {
        guard (1...100).contains(limit) else { throw MuxiError.validation("the history limit is 1…100 (\(limit) given)") }
        let day = { (date: Date) in String(ISO8601.string(date).prefix(10)) }
        let query: [(String, String?)] = [("limit", String(limit)), ("date_from", from.map(day)), ("date_to", to.map(day)),
                                          ("include_sources", includeSources ? "true" : nil)]
        return try await send(Route("GET", ["history"], query: query, key: .either, user: .required), userID: userID).list("entries")
    }

    /// Brings a user's memory projections up to date with their events, one bounded pass
    /// (`POST /v1/memory/backfill`, admin): call again until ``MemoryMaintenance/isComplete``.
    ///
    /// ```swift
    /// while try await !formation.backfillMemory(userID: "alice").isComplete {}
    /// ```
    public func backfillMemory(userID: String) async throws -> MemoryMaintenance {
        try MemoryMaintenance(json: try await send(Route("POST", ["memory", "backfill"], key: .admin, user: .none,
                                                         body: ["user_id": .string(userID)])))
    }

    /// Forgets everything a user's memory holds from one source (`POST /v1/memory/forget`,
    /// admin): the events are soft-deleted at once; the projections are rebuilt in the
    /// background (``MemoryMaintenance/jobID``: ask ``forgetStatus(_:)``), inline with
    /// `wait: true`, or not at all with `rebuild: false`.
    ///
    /// ```swift
    /// let forget = try await formation.forgetMemorySource("gmail", userID: "alice")
    /// ```
    public func forgetMemorySource(_ source: String, userID: String, reason: String = "user_request",
                                   rebuild: Bool = true, wait: Bool = false) async throws -> MemoryMaintenance {
        let body: JSONValue = ["user_id": .string(userID), "source": .string(source), "reason": .string(reason),
                               "rebuild": .bool(rebuild), "background": .bool(!wait)]
        return try MemoryMaintenance(json: try await send(Route("POST", ["memory", "forget"], key: .admin, user: .none, body: body)))
    }

    /// A forget job's progress (`GET /v1/memory/forget/{id}`, admin).
    ///
    /// ```swift
    /// let job = try await formation.forgetStatus(forget.jobID!)
    /// ```
    public func forgetStatus(_ jobID: String) async throws -> MemoryMaintenance {
        try MemoryMaintenance(json: try await send(Route("GET", ["memory", "forget", jobID], key: .admin, user: .none)))
    }

    /// Rebuilds a user's memory projections from their events: all, or one (`POST
    /// /v1/memory/rebuild`, admin). `dryRun` reports without writing; without `wait` it runs
    /// in the background (``rebuildStatus(_:)``).
    ///
    /// ```swift
    /// let preview = try await formation.rebuildMemory(userID: "alice", dryRun: true)
    /// ```
    public func rebuildMemory(userID: String, projection: String? = nil, dryRun: Bool = false, backfill: Bool = false,
                              wait: Bool = false) async throws -> MemoryMaintenance {
        var body: [String: JSONValue] = ["user_id": .string(userID), "dry_run": .bool(dryRun), "backfill": .bool(backfill),
                                         "background": .bool(!wait)]
        if let projection { body["projection"] = .string(projection) }
        return try MemoryMaintenance(json: try await send(Route("POST", ["memory", "rebuild"], key: .admin, user: .none, body: .object(body))))
    }

    /// A rebuild job's progress (`GET /v1/memory/rebuild/{id}`, admin).
    ///
    /// ```swift
    /// let job = try await formation.rebuildStatus(rebuild.jobID!)
    /// ```
    public func rebuildStatus(_ jobID: String) async throws -> MemoryMaintenance {
        try MemoryMaintenance(json: try await send(Route("GET", ["memory", "rebuild", jobID], key: .admin, user: .none)))
    }

    /// Checks one user's memory, or everyone's, and repairs it: superseded facts deleted,
    /// orphans removed, conflicts reported (`POST /v1/memory/lint`, admin). The formation
    /// must declare `memory.lint`.
    ///
    /// ```swift
    /// let report = try await formation.lintMemory(userID: "alice")
    /// ```
    public func lintMemory(userID: String? = nil) async throws -> LintReport {
        let body: JSONValue = userID.map { ["user_id": .string($0)] } ?? [:]
        return try LintReport(json: try await send(Route("POST", ["memory", "lint"], key: .admin, user: .none, body: body)))
    }

    /// Every user's buffer sizes by namespace (`GET /v1/memory/buffers`, admin; the runtime
    /// marks it deprecated in favour of ``bufferStats()``).
    ///
    /// ```swift
    /// let buffers = try await formation.memoryBuffers()
    /// ```
    public func memoryBuffers() async throws -> [JSONValue] {
        try await send(Route("GET", ["memory", "buffers"], key: .admin, user: .none))["buffers"]?.arrayValue ?? []
    }

    /// The registered distilleries, revoked ones too, newest first (`GET
    /// /v1/memory/distilleries`, admin). The formation must enable `memory.distillery`.
    ///
    /// ```swift
    /// let all = try await formation.distilleries()
    /// ```
    public func distilleries() async throws -> [Distillery] {
        try await send(Route("GET", ["memory", "distilleries"], key: .admin, user: .none)).list("distilleries")
    }

    /// Registers a distillery by its public key (``DistilleryKey/publicKey``) (`POST
    /// /v1/memory/distilleries`, admin). `scope` limits what it may send (`user_ids`,
    /// `event_types`, `max_events_per_day`, `max_batch_size`).
    ///
    /// ```swift
    /// let d = try await formation.registerDistillery(name: "crm", publicKey: key.publicKey)
    /// ```
    public func registerDistillery(name: String, publicKey: String, description: String? = nil,
                                   scope: [String: JSONValue]? = nil, trustLevel: String? = nil) async throws -> Distillery {
        var body: [String: JSONValue] = ["name": .string(name), "public_key": .string(publicKey)]
        if let description { body["description"] = .string(description) }
        if let scope { body["scope"] = .object(scope) }
        if let trustLevel { body["trust_level"] = .string(trustLevel) }
        return try Distillery(json: try await send(Route("POST", ["memory", "distilleries"], key: .admin, user: .none, body: .object(body))))
    }

    /// Revokes a distillery: what it sent stays, what it sends next is refused (`DELETE
    /// /v1/memory/distilleries/{id}`, admin). Revoking twice is harmless.
    ///
    /// ```swift
    /// try await formation.revokeDistillery(d.id)
    /// ```
    @discardableResult
    public func revokeDistillery(_ id: String) async throws -> Distillery {
        try Distillery(json: try await send(Route("DELETE", ["memory", "distilleries", id], key: .admin, user: .none)))
    }

    /// Sends a batch of distilled memory events as the distillery `distilleryID`, signed with
    /// its `key` (`POST /v1/memories/distilled`). Sent again with the same ids, events count
    /// as duplicates, so a failed send may be repeated.
    ///
    /// ```swift
    /// let receipt = try await formation.ingestDistilled(events, batchID: "b-1", distilleryID: d.id, key: key)
    /// ```
    public func ingestDistilled(_ events: [DistilledEvent], batchID: String, distilleryID: String, key: DistilleryKey,
                                at time: Date = Date()) async throws -> DistilledReceipt {
        guard !events.isEmpty else { throw MuxiError.validation("a distilled batch holds at least one event") }
        let body: JSONValue = ["batch_id": .string(batchID), "events": .array(events.map(\.json))]
        let timestamp = Int(time.timeIntervalSince1970)
        var route = Route("POST", ["memories", "distilled"], key: .either, user: .none, body: body, honoursIdempotency: true)
        route.headers = [HTTPHeader("X-Distillery-ID", distilleryID), HTTPHeader("X-Distillery-Timestamp", String(timestamp)),
                         HTTPHeader("X-Distillery-Signature",
                                    try key.signature(of: JSONWriter.bytes(body), distilleryID: distilleryID, timestamp: timestamp))]
        return try DistilledReceipt(json: try await send(route))
    }

    /// Where a distilled batch's projection stands (`GET /v1/memories/distilled/{id}`). With
    /// the client key, only the distillery that sent it may ask (`distilleryID`).
    ///
    /// ```swift
    /// let job = try await formation.distilledStatus(receipt.processingID!, distilleryID: d.id)
    /// ```
    public func distilledStatus(_ processingID: String, distilleryID: String? = nil) async throws -> ProcessingJob {
        var route = Route("GET", ["memories", "distilled", processingID], key: .either, user: .none)
        if let distilleryID { route.headers = [HTTPHeader("X-Distillery-ID", distilleryID)] }
        return try ProcessingJob(json: try await send(route))
    }
}
