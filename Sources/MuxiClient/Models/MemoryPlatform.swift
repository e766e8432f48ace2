public import struct Foundation.Date

/// Where a background job of the runtime stands (memory ingestion, distilled batches, forget
/// and rebuild jobs): `queued`, `processing`, `completed`, `failed`, `cancelled`, or another
/// the runtime adds (kept as written, like ``RequestInfo/Status``).
///
/// ```swift
/// if try await formation.ingestionStatus(id).state == .completed { … }
/// ```
public struct JobState: WireValue {
    /// The value as written on the wire.
    public let rawValue: String
    /// A value as written on the wire (values this library does not know are kept).
    public init(rawValue: String) { self.rawValue = rawValue }
    /// `queued`.
    public static let queued = JobState(rawValue: "queued")
    /// `processing`.
    public static let processing = JobState(rawValue: "processing")
    /// `completed`.
    public static let completed = JobState(rawValue: "completed")
    /// `failed`.
    public static let failed = JobState(rawValue: "failed")
    /// `cancelled`.
    public static let cancelled = JobState(rawValue: "cancelled")
    /// Whether the job will not change any more.
    public var isTerminal: Bool { [.completed, .failed, .cancelled].contains(self) }
}

/// One memory to ingest from another system (`POST /v1/memories/batch`). `source` and
/// `sourceID` together make it idempotent: the same pair sent again is a duplicate.
///
/// ```swift
/// let item = MemoryItem(source: "gmail", sourceID: "msg-1842", content: "Alice moved to Lisbon in May")
/// ```
public struct MemoryItem: Sendable, Hashable {
    /// The system it comes from (1…50 characters, e.g. `gmail`).
    public var source: String
    /// Its id in that system (at most 255 characters).
    public var sourceID: String?
    /// The memory: text, or any JSON (up to 10,000 characters of text).
    public var content: JSONValue
    /// When it happened.
    public var timestamp: Date?
    /// Who or what it is about.
    public var subject: String?
    /// Free-form metadata.
    public var metadata: [String: JSONValue]
    /// `user` (the default), `group` or `formation`; shared scopes need a grant.
    public var scope: String?
    /// The group, for the `group` scope.
    public var scopeID: String?

    /// An item.
    public init(source: String, sourceID: String? = nil, content: JSONValue, timestamp: Date? = nil,
                subject: String? = nil, metadata: [String: JSONValue] = [:], scope: String? = nil, scopeID: String? = nil) {
        self.source = source
        self.sourceID = sourceID
        self.content = content
        self.timestamp = timestamp
        self.subject = subject
        self.metadata = metadata
        self.scope = scope
        self.scopeID = scopeID
    }

    var json: JSONValue {
        var body: [String: JSONValue] = ["source": .string(source), "content": content]
        if let sourceID { body["source_id"] = .string(sourceID) }
        if let timestamp { body["timestamp"] = .string(ISO8601.string(timestamp)) }
        if let subject { body["subject"] = .string(subject) }
        if !metadata.isEmpty { body["metadata"] = .object(metadata) }
        if let scope { body["scope"] = .string(scope) }
        if let scopeID { body["scope_id"] = .string(scopeID) }
        return .object(body)
    }
}

/// What the runtime did with a batch of ``MemoryItem``s: each item accepted, a duplicate or
/// invalid (in the order sent); the accepted ones are processed in the background.
///
/// ```swift
/// let receipt = try await formation.ingestMemories([item])
/// if let id = receipt.processingID { _ = try await formation.ingestionStatus(id) }
/// ```
public struct IngestionReceipt: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The background job, when something was accepted.
    public let processingID: String?
    /// One outcome per item sent, in the same order.
    public let items: [Item]
    /// How many were accepted.
    public let accepted: Int
    /// How many were already known.
    public let duplicates: Int
    /// How many were refused (see each item's ``Item/error``).
    public let invalid: Int

    /// The outcome of one item.
    public struct Item: Sendable, Hashable {
        /// Its index in the batch.
        public let index: Int
        /// `accepted`, `duplicate` or `invalid`.
        public let status: String
        /// The memory event made (or found, for a duplicate).
        public let eventID: String?
        /// Why it was refused.
        public let error: String?
    }

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        processingID = json.string("processing_id")
        items = (json["items"]?.arrayValue ?? []).enumerated().map { offset, item in
            Item(index: item.int("index") ?? offset, status: item.string("status") ?? "", eventID: item.string("event_id"),
                 error: item.string("error"))
        }
        accepted = json["counts"]?.int("accepted") ?? 0
        duplicates = json["counts"]?.int("duplicate") ?? 0
        invalid = json["counts"]?.int("invalid") ?? 0
    }
}

/// A background processing job of the memory platform: an ingestion
/// (`GET /v1/memories/ingestion/{id}`) or a distilled batch (`GET /v1/memories/distilled/{id}`).
/// The runtime keeps a finished job's result for five minutes.
///
/// ```swift
/// let job = try await formation.ingestionStatus("ing_…")
/// print(job.state, job.counts)   // completed ["stored": 1, "filtered": 0, "failed": 0]
/// ```
public struct ProcessingJob: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The job's id.
    public let id: String
    /// Where it stands.
    public let state: JobState
    /// When it was created.
    public let createdAt: Date?
    /// When it finished.
    public let completedAt: Date?
    /// Why it failed.
    public let error: String?
    /// What happened to each item, once finished (`disposition`, `event_id`, `error`…).
    public let items: [JSONValue]
    /// The totals once finished (`stored`/`filtered`/`failed` for an ingestion,
    /// `projected`/`recorded`/`failed` for a distilled batch).
    public let counts: [String: Int]

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("processing_id", of: "processing job")
        state = JobState(rawValue: json.string("status") ?? "")
        createdAt = json.date("created_at")
        completedAt = json.date("completed_at")
        error = json.string("error")
        items = json["items"]?.arrayValue ?? []
        counts = (json["counts"]?.objectValue ?? [:]).compactMapValues(\.intValue)
    }
}

/// A memory event as the provenance routes render it: where a memory came from and how much
/// it is trusted now.
///
/// ```swift
/// let trail = try await formation.provenance(eventID: "Ec6E…")
/// for e in trail.chain { print(e.source, e.sourceID ?? "", e.effectiveConfidence) }
/// ```
public struct MemoryEvent: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The event's id.
    public let id: String
    /// Its type (`memory.ingested`, `fact.extracted`…).
    public let type: String
    /// The system it came from.
    public let source: String?
    /// Its id there.
    public let sourceID: String?
    /// The confidence it was given.
    public let sourceConfidence: Double
    /// The confidence now, after decay.
    public let effectiveConfidence: Double
    /// `static`, `decaying` or `volatile`.
    public let decayRate: String?
    /// When it happened.
    public let occurredAt: Date?
    /// What it says.
    public let payload: JSONValue
    /// When it was forgotten, if it was.
    public let deletedAt: Date?

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("event_id", of: "memory event")
        type = json.string("event_type") ?? ""
        source = json.string("source")
        sourceID = json.string("source_id")
        sourceConfidence = json.double("source_confidence") ?? 1
        effectiveConfidence = json.double("effective_confidence") ?? sourceConfidence
        decayRate = json.string("decay_rate")
        occurredAt = json.date("occurred_at")
        payload = json["payload"] ?? .null
        deletedAt = json.date("deleted_at")
    }
}

/// Where a memory event came from: the event and its chain, root first, ending with the
/// event itself (`GET /v1/memories/provenance?event_id=…`).
///
/// ```swift
/// let trail = try await formation.provenance(eventID: id)
/// ```
public struct EventProvenance: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The event asked about.
    public let event: MemoryEvent
    /// Its derivation, root first.
    public let chain: [MemoryEvent]

    /// Reads the model from its JSON object; throws ``MuxiError`` without the event.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        guard let event = json["event"] else { throw MuxiError.invalidResponse("provenance without \"event\"") }
        self.event = try MemoryEvent(json: event)
        chain = try json.list("chain")
    }
}

/// What the knowledge graph knows of an entity and the events behind it
/// (`GET /v1/memories/provenance?entity=…`).
///
/// ```swift
/// let london = try await formation.provenance(entity: "London")
/// for f in london.facts { print(f.statement, f.confidence) }
/// ```
public struct EntityProvenance: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The entity's name.
    public let name: String
    /// Its type.
    public let type: String?
    /// The facts about it (`A -[TYPE]-> B`), up to 25 each way.
    public let facts: [Fact]

    /// One fact of the graph.
    public struct Fact: Sendable, Hashable {
        /// The fact, `A -[TYPE]-> B`.
        public let statement: String
        /// The relationship's type.
        public let relationshipType: String?
        /// Its confidence now.
        public let confidence: Double
        /// The events it comes from, each a chain root first.
        public let events: [[MemoryEvent]]
    }

    /// Reads the model from its JSON object; throws ``MuxiError`` without the entity.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        guard let entity = json["entity"] else { throw MuxiError.invalidResponse("provenance without \"entity\"") }
        name = try entity.required("name", of: "entity")
        type = entity.string("type")
        facts = try (json["facts"]?.arrayValue ?? []).map { (fact) throws(MuxiError) in
            Fact(statement: fact.string("statement") ?? "", relationshipType: fact.string("relationship_type"),
                 confidence: fact.double("effective_confidence") ?? fact.double("confidence") ?? 0,
                 events: try (fact["events"]?.arrayValue ?? []).map { (e) throws(MuxiError) in try (e.arrayValue ?? []).map(MemoryEvent.init(json:)) })
        }
    }
}

/// One entry of the user's captain's log: what a day of conversations decided
/// (`GET /v1/history`).
///
/// ```swift
/// for day in try await formation.history(limit: 7) { print(day.date, day.summary) }
/// ```
public struct HistoryEntry: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The day (`YYYY-MM-DD`).
    public let date: String
    /// What happened.
    public let summary: String
    /// The decisions taken, as the runtime stores them (a list or text).
    public let decisions: JSONValue
    /// The projects touched.
    public let projects: JSONValue
    /// The memory events it was written from (`source_type`, `source_id`), when asked for.
    public let sources: [JSONValue]

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "history entry")
        date = json.string("date") ?? ""
        summary = json.string("summary") ?? ""
        decisions = json["decisions"] ?? .null
        projects = json["projects"] ?? .null
        sources = json["sources"]?.arrayValue ?? []
    }
}

/// What a memory maintenance call did or started: a backfill, a forget, a rebuild or its
/// status (`POST /v1/memory/backfill`, `/forget`, `/rebuild`, admin).
///
/// A call that runs in the background answers with ``jobID`` and ``state`` `processing`;
/// ask ``FormationClient/forgetStatus(_:)`` or ``FormationClient/rebuildStatus(_:)`` later.
///
/// ```swift
/// let pass = try await formation.backfillMemory(userID: "alice")
/// print(pass.isComplete, pass.projections["flat_facts"] ?? [:])
/// ```
public struct MemoryMaintenance: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The user it was for.
    public let userID: String?
    /// The background job, when it runs in one.
    public let jobID: String?
    /// Where it stands (`completed` when it ran inline).
    public let state: JobState
    /// Why it failed.
    public let error: String?
    /// Memory events forgotten (for a forget).
    public let deletedEvents: Int?
    /// Per projection (`artifact_metadata`, `captains_log`, `flat_facts`, `knowledge_graph`):
    /// its counts (`events`, `applied`, `failed`; `synthesized` for a backfill).
    public let projections: [String: [String: Int]]
    /// For a backfill, whether every projection is caught up (else call again).
    public let isComplete: Bool

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        userID = json.string("user_id")
        jobID = json.string("job_id")
        state = json.string("status").map(JobState.init(rawValue:)) ?? .completed
        error = json.string("error")
        deletedEvents = json.int("deleted_events")
        let table = json["projections"]?.objectValue ?? json["synthesized"]?.objectValue ?? [:]
        projections = table.mapValues { ($0.objectValue ?? [:]).compactMapValues(\.intValue) }
        isComplete = (json["synthesized"]?.objectValue ?? [:]).values.allSatisfy { $0.bool("complete") ?? false }
    }
}

/// What a memory lint found and fixed (`POST /v1/memory/lint`, admin).
///
/// ```swift
/// let report = try await formation.lintMemory(userID: "alice")
/// print(report.unresolvedConflicts, report.findings["alice"] ?? [])
/// ```
public struct LintReport: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Users examined.
    public let users: Int
    /// Conflicting facts left for a person to settle.
    public let unresolvedConflicts: Int
    /// Superseded facts deleted.
    public let supersededDeleted: Int
    /// Orphans removed.
    public let orphansRemoved: Int
    /// What it found, per user.
    public let findings: [String: [String]]

    /// Reads the model from its JSON object (the `report` of the answer, or the report itself).
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        let report = json["report"] ?? json
        users = report.int("users") ?? 0
        unresolvedConflicts = report.int("unresolved_conflicts") ?? 0
        supersededDeleted = report.int("superseded_deleted") ?? 0
        orphansRemoved = report.int("orphans_removed") ?? 0
        findings = (report["findings"]?.objectValue ?? [:]).mapValues { ($0.arrayValue ?? []).compactMap(\.looseString) }
    }
}
