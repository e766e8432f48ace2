public import struct Foundation.Date

/// A scheduled job of a user (`GET /v1/scheduler/jobs`).
///
/// ```swift
/// for job in try await client.schedulerJobs() { print(job.id, job.schedule, job.status) }
/// ```
public struct ScheduledJob: MuxiModel {
    /// A job's state: `ACTIVE`, `PAUSED`, `COMPLETED` (a one-time job that ran), or another
    /// the runtime adds.
    public struct Status: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `ACTIVE`: it will run.
        public static let active = Status(rawValue: "ACTIVE")
        /// `PAUSED`: it will not run until resumed.
        public static let paused = Status(rawValue: "PAUSED")
        /// `COMPLETED`: a one-time job that ran.
        public static let completed = Status(rawValue: "COMPLETED")
    }

    /// How a run went: `success`, `failed`, or another the runtime adds.
    public struct RunStatus: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `success`.
        public static let success = RunStatus(rawValue: "success")
        /// `failed`: see ``ScheduledJob/lastRunFailure``.
        public static let failed = RunStatus(rawValue: "failed")
    }

    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The owner.
    public let userID: String?
    /// The title.
    public let title: String?
    /// The prompt the job runs.
    public let prompt: String
    /// Whether the job repeats.
    public let isRecurring: Bool
    /// The cron expression of a recurring job.
    public let cronExpression: String?
    /// When a one-time job runs.
    public let scheduledFor: Date?
    /// `ACTIVE`, `PAUSED`, `COMPLETED`…
    public let status: Status
    /// When it was created.
    public let createdAt: Date?
    /// When it last ran.
    public let lastRunAt: Date?
    /// How the last run went.
    public let lastRunStatus: RunStatus?
    /// Why the last run failed.
    public let lastRunFailure: String?
    /// How many times it ran.
    public let totalRuns: Int
    /// How many runs failed.
    public let totalFailures: Int

    /// The cron expression, or the ISO time of a one-time job.
    public var schedule: String { cronExpression ?? raw.string("scheduled_for") ?? "" }
    /// Whether the job is paused.
    public var isPaused: Bool { status.rawValue.uppercased() == "PAUSED" }

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "scheduled job")
        userID = json.string("user_id")
        title = json.string("title")
        prompt = json.string("original_prompt") ?? json.string("execution_prompt") ?? json.string("message") ?? ""
        isRecurring = json.bool("is_recurring") ?? (json.string("cron_expression") != nil)
        cronExpression = json.string("cron_expression")
        scheduledFor = json.date("scheduled_for")
        status = Status(rawValue: json.string("status") ?? "UNKNOWN")
        createdAt = json.date("created_at")
        lastRunAt = json.date("last_run_at")
        lastRunStatus = json.string("last_run_status").map(RunStatus.init(rawValue:))
        lastRunFailure = json.string("last_run_failure_message")
        totalRuns = json.int("total_runs") ?? 0
        totalFailures = json.int("total_failures") ?? 0
    }
}

/// The kind of job to create.
///
/// ```swift
/// let job = try await client.createSchedulerJob(type: .recurring, schedule: "0 9 * * *", message: "Daily summary")
/// ```
public enum JobType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Runs on a cron schedule.
    case recurring
    /// Runs once, at an ISO 8601 time.
    case oneTime = "one_time"
}

/// The result of pausing or resuming a job.
///
/// ```swift
/// let s = try await client.pauseSchedulerJob("job_1")
/// print(s.status) // PAUSED
/// ```
public struct JobStatusChange: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The job's state after the change (`PAUSED`, `ACTIVE`).
    public let status: ScheduledJob.Status

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "job status")
        status = ScheduledJob.Status(rawValue: json.string("status") ?? "")
    }
}

/// The scheduler's configuration (`GET /v1/scheduler`, admin).
///
/// ```swift
/// let c = try await client.schedulerConfig()
/// print(c.enabled, c.timezone ?? "UTC")
/// ```
public struct SchedulerConfig: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Whether the scheduler runs jobs.
    public let enabled: Bool
    /// The time zone of cron schedules.
    public let timezone: String?
    /// How often due jobs are looked for.
    public let checkIntervalMinutes: Int?
    /// How many jobs may run at once.
    public let maxConcurrentJobs: Int?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        enabled = json.bool("enabled") ?? false
        timezone = json.string("timezone")
        checkIntervalMinutes = json.int("check_interval_minutes")
        maxConcurrentJobs = json.int("max_concurrent_jobs")
    }
}
