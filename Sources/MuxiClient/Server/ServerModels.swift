public import struct Foundation.Date

/// A formation as the MUXI server lists it.
///
/// ```swift
/// for f in try await server.formations() { print(f.id, f.status) }
/// ```
public struct ServerFormation: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// `running`, `stopped`…
    public let status: String
    /// The port it listens on.
    public let port: Int?
    /// The deployed version.
    public let version: String?
    /// Whether its health check passes.
    public let isHealthy: Bool?
    /// Its process id.
    public let pid: Int?
    /// How often it was restarted.
    public let restartCount: Int?
    /// When it was deployed.
    public let deployedAt: Date?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("formation_id", of: "formation", unless: json.string("id"))
        status = json.string("status") ?? "unknown"
        port = json.int("port")
        version = json.string("version") ?? json.string("current_version")
        isHealthy = json.bool("healthy")
        pid = json.int("pid")
        restartCount = json.int("restart_count")
        deployedAt = json.date("deployed_at")
    }
}

/// One event of a server operation stream (deploy, update, start, restart, rollback, logs).
///
/// ```swift
/// for try await event in server.deployStream(bundle: bytes, formationID: "my-bot") {
///     if case .progress(let stage, let message, _) = event { print(stage, message) }
/// }
/// ```
public enum ServerEvent: Sendable, Hashable {
    /// A step of the operation (`extracting`, `health_check`…), with a percentage when known.
    case progress(stage: String, message: String, percent: Int?)
    /// The operation finished; the payload as sent.
    case complete(JSONValue)
    /// A log line (`event: log` while following logs).
    case log(JSONValue)
    /// Another event name, kept as received.
    case other(name: String, data: JSONValue)
}
