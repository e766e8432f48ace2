/// The formation's logging set-up (`GET /v1/logging/destinations`, admin): the system log and
/// the conversation log's destinations.
///
/// ```swift
/// let logging = try await formation.loggingDestinations()
/// print(logging.systemLevel, logging.destinations.map(\.transport))
/// ```
public struct LoggingSetup: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The system log's level (`debug`, `info`…).
    public let systemLevel: String
    /// Where the system log goes (`stdout`, a file path…).
    public let systemDestination: String
    /// The conversation log's destinations.
    public let destinations: [LoggingDestination]

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        systemLevel = json["system"]?.string("level") ?? "debug"
        systemDestination = json["system"]?.string("destination") ?? "stdout"
        destinations = try json["conversation"].map { (c) throws(MuxiError) in try c.list("destinations") } ?? []
    }
}

/// One destination of the conversation log.
///
/// ```swift
/// for d in try await formation.loggingDestinations().destinations { print(d.id, d.transport, d.level) }
/// ```
public struct LoggingDestination: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier (`dest-0`… when the formation names none).
    public let id: String
    /// `stdout`, `file` or `stream`.
    public let transport: String
    /// The lowest level written.
    public let level: String
    /// `jsonl` or `text`.
    public let format: String?
    /// Whether it is on.
    public let isEnabled: Bool
    /// The file or URL, when the transport has one.
    public let destination: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "logging destination")
        transport = json.string("transport") ?? "stdout"
        level = json.string("level") ?? "INFO"
        format = json.string("format")
        isEnabled = json.bool("enabled") ?? true
        destination = json.string("destination")
    }
}

/// The MCP defaults and limits (`GET /v1/mcp`, admin).
///
/// ```swift
/// let mcp = try await formation.mcpSettings()
/// print(mcp.maxToolCalls, mcp.servers.count)
/// ```
public struct MCPSettings: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Retries of a failing tool call.
    public let defaultRetryAttempts: Int
    /// A tool call's time limit, in seconds.
    public let defaultTimeoutSeconds: Int
    /// Tool rounds in one turn.
    public let maxToolIterations: Int
    /// Tool calls in one turn.
    public let maxToolCalls: Int
    /// The same error in a row before the turn gives up.
    public let maxRepeatedErrors: Int
    /// The whole turn's tool time, in seconds.
    public let maxTimeoutSeconds: Int
    /// One tool's longest time, in seconds.
    public let maxToolTimeoutSeconds: Int
    /// Whether user prompts are enhanced with tool hints.
    public let enhancesUserPrompts: Bool
    /// The servers as configured. This route sends secrets as the runtime resolved them; use
    /// ``FormationClient/mcpServers()`` for the placeholders.
    public let servers: [JSONValue]

    /// Reads the model from its JSON object (the runtime's defaults for missing fields).
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        defaultRetryAttempts = json.int("default_retry_attempts") ?? 3
        defaultTimeoutSeconds = json.int("default_timeout_seconds") ?? 30
        maxToolIterations = json.int("max_tool_iterations") ?? 10
        maxToolCalls = json.int("max_tool_calls") ?? 50
        maxRepeatedErrors = json.int("max_repeated_errors") ?? 3
        maxTimeoutSeconds = json.int("max_timeout_in_seconds") ?? 300
        maxToolTimeoutSeconds = json.int("max_tool_timeout_in_seconds") ?? 30
        enhancesUserPrompts = json.bool("enhance_user_prompts") ?? true
        servers = json["servers"]?.arrayValue ?? []
    }
}

/// One MCP server as configured, secrets as `${{ secrets.X }}` placeholders
/// (`GET /v1/mcp/servers`, admin).
///
/// ```swift
/// for s in try await formation.mcpServers() { print(s.id, s.type ?? "?", s.endpoint ?? s.command ?? "") }
/// ```
public struct MCPServer: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// `command` or `http`.
    public let type: String?
    /// The description.
    public let description: String?
    /// The program, for a command server.
    public let command: String?
    /// Its arguments.
    public let arguments: [String]
    /// The URL, for an http server.
    public let endpoint: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` without an id.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "MCP server")
        type = json.string("type")
        description = json.string("description")
        command = json.string("command")
        arguments = json.strings("args")
        endpoint = json.string("endpoint")
    }
}

/// A tool the formation offers over its own MCP endpoint (`GET /v1/mcp/tools`, admin).
///
/// ```swift
/// for t in try await formation.mcpTools() { print(t.name, t.access, t.parameters.keys.sorted()) }
/// ```
public struct MCPTool: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The name.
    public let name: String
    /// What it does.
    public let description: String
    /// `admin` or `client`: the key it needs.
    public let access: String
    /// Its parameters by name: `{type, required, enum?, default?}` each.
    public let parameters: [String: JSONValue]

    /// Reads the model from its JSON object; throws ``MuxiError`` without a name.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        name = try json.required("name", of: "MCP tool")
        description = json.string("description") ?? ""
        access = json.string("access") ?? "client"
        parameters = json["parameters"]?.objectValue ?? [:]
    }
}

/// A Markdown document the runtime keeps on disk: the live `MUXI.md` tuning or its pending
/// suggestion (`GET /v1/tuning`, `GET /v1/tuning/pending`, admin).
///
/// ```swift
/// let pending = try await formation.pendingTuning()
/// if let text = pending.content { print(text) }
/// ```
public struct TuningDocument: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The text; nil when there is none.
    public let content: String?
    /// The file the runtime reads it from (for the pending one, even before it exists).
    public let path: String?

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        content = json.string("content")
        path = json.string("path")
    }
}

/// What a tuning run did (`POST /v1/tuning/run`, admin).
///
/// ```swift
/// let run = try await formation.runTuning()
/// print(run.eventsRead, run.entriesWritten, run.tunerError ?? "ok")
/// ```
public struct TuningRun: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Conversation events read.
    public let eventsRead: Int
    /// Learnings written.
    public let entriesWritten: Int
    /// Why the tuner failed, when it did.
    public let tunerError: String?
    /// Why the tuner did not run, when it did not.
    public let tunerSkipped: String?
    /// How long it took, in milliseconds.
    public let durationMilliseconds: Double

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        eventsRead = json.int("events_read") ?? 0
        entriesWritten = json.int("entries_written") ?? 0
        tunerError = json.string("tuner_error")
        tunerSkipped = json.string("tuner_skipped")
        durationMilliseconds = json.double("duration_ms") ?? 0
    }
}

/// What reloading the secrets file changed (`POST /v1/secrets/reload`, admin).
///
/// ```swift
/// let reload = try await formation.reloadSecrets()
/// print(reload.added, reload.overwritten)
/// ```
public struct SecretsReload: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// Names new in the file.
    public let added: [String]
    /// Names whose value the file changed.
    public let overwritten: [String]
    /// Names kept as they were (a reload never removes one).
    public let preserved: [String]

    /// Reads the model from its JSON object.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        added = json.strings("added")
        overwritten = json.strings("overwritten")
        preserved = json.strings("preserved")
    }
}

/// A skill: instructions and resources an agent can load (`GET /v1/skills`, client).
///
/// ```swift
/// for s in try await formation.skills() { print(s.name, s.scope ?? "") }
/// ```
public struct Skill: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The name.
    public let name: String
    /// What it is for.
    public let description: String
    /// `builtin`, `public` or `private`.
    public let scope: String?
    /// The tools it may use (in the detail of one skill).
    public let allowedTools: [String]
    /// Its resource files (in the detail of one skill).
    public let resources: [String]

    /// Reads the model from its JSON object; throws ``MuxiError`` without a name.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        name = try json.required("name", of: "skill")
        description = json.string("description") ?? ""
        scope = json.string("scope")
        allowedTools = json.strings("allowed_tools")
        resources = json.strings("resources")
    }
}
