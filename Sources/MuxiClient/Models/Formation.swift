public import struct Foundation.Date

/// `GET /v1/health`: whether the formation is up.
///
/// ```swift
/// let health = try await client.health()
/// print(health.status, health.version ?? "")
/// ```
public struct Health: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// `healthy` or `unhealthy`.
    public let status: String
    /// The formation's configured version.
    public let version: String?
    /// Seconds since the formation started.
    public let uptimeSeconds: Double?

    /// Whether `status` is `healthy`.
    public var isHealthy: Bool { status == "healthy" }

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        status = try json.required("status", of: "health")
        version = json.string("version")
        uptimeSeconds = json.double("uptime_seconds")
    }
}

/// `GET /v1/status` (admin): the formation, its agents and its load.
///
/// ```swift
/// let status = try await client.status()
/// print(status.formationID, status.agentCount)
/// ```
public struct FormationStatus: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The formation's id.
    public let formationID: String
    /// The formation's display name.
    public let name: String?
    /// The formation's version.
    public let version: String?
    /// How many agents it has.
    public let agentCount: Int
    /// Requests handled since start, and active now.
    public let totalRequests: Int?
    /// Requests in progress.
    public let activeRequests: Int?
    /// Seconds since start.
    public let uptimeSeconds: Double?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        let formation = json["formation"] ?? .null
        formationID = try formation.required("id", of: "formation status")
        name = formation.string("name")
        version = formation.string("version")
        agentCount = json["agents"]?.int("count") ?? 0
        totalRequests = json["stats"]?["requests"]?.int("total")
        activeRequests = json["stats"]?["requests"]?.int("active")
        uptimeSeconds = json["stats"]?["running"]?.double("seconds")
    }
}

/// An agent of the formation (`GET /v1/agents`, admin).
///
/// ```swift
/// for agent in try await client.agents() { print(agent.id, agent.name) }
/// ```
public struct Agent: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The name.
    public let name: String
    /// The description.
    public let description: String?
    /// Whether this is the formation's default agent.
    public let isDefault: Bool
    /// The agent's system prompt.
    public let systemMessage: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("id", of: "agent")
        name = json.string("name") ?? id
        description = json.string("description")
        isDefault = json.bool("default") ?? false
        systemMessage = json.string("system_message")
    }
}

/// A standard operating procedure (`GET /v1/sops`).
///
/// ```swift
/// let sops = try await client.sops()
/// ```
public struct SOP: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The name.
    public let name: String
    /// The title.
    public let title: String?
    /// The type.
    public let type: String?
    /// The markdown body (only from ``FormationClient/sop(_:)``).
    public let content: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        name = try json.required("name", of: "SOP")
        title = json.string("title")
        type = json.string("type")
        content = json.string("content")
    }
}

/// A stored credential of the user, redacted (`GET /v1/credentials`).
///
/// ```swift
/// let creds = try await client.credentials()
/// ```
public struct Credential: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier.
    public let id: String
    /// The service.
    public let service: String
    /// The name.
    public let name: String?
    /// A masked preview of the secret.
    public let preview: String?
    /// When it was created.
    public let createdAt: Date?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        id = try json.required("credential_id", of: "credential")
        service = json.string("service") ?? ""
        name = json.string("name")
        preview = json.string("credential_preview")
        createdAt = json.date("created_at")
    }
}

/// A service that accepts user credentials (`GET /v1/credentials/services`).
///
/// ```swift
/// let services = try await client.credentialServices()
/// ```
public struct CredentialService: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The service.
    public let service: String
    /// The MCP server that provides it.
    public let serverID: String?
    /// The description.
    public let description: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        service = try json.required("service", of: "credential service")
        serverID = json.string("server_id")
        description = json.string("description")
    }
}

/// A user as the formation resolves an identifier (`POST /v1/users/resolve`).
///
/// ```swift
/// let user = try await client.resolveUser("alice@example.com")
/// print(user.muxiUserID)
/// ```
public struct ResolvedUser: MuxiModel {
    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The identifier (an email, a phone number…).
    public let identifier: String?
    /// The MUXI user id.
    public let muxiUserID: String
    /// The runtime's internal user id.
    public let internalUserID: String?

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        identifier = json.string("identifier")
        muxiUserID = try json.required("muxi_user_id", of: "user")
        internalUserID = json.string("internal_user_id")
    }
}

/// The identifiers linked to a MUXI user (`GET /v1/users/identifiers/{id}`).
///
/// ```swift
/// let ids = try await client.userIdentifiers(muxiUserID: user.muxiUserID)
/// ```
public struct UserIdentifiers: MuxiModel {
    /// One linked identifier (an email, a phone number, a Slack id…).
    public struct Identifier: MuxiModel {
        /// The JSON object as received, fields this library does not model included.
        public let raw: JSONValue
        /// The identifier (an email, a phone number…).
        public let identifier: String
        /// The type.
        public let type: String?
        /// When it was created.
        public let createdAt: Date?
        /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
        public init(json: JSONValue) throws(MuxiError) {
            raw = json
            identifier = try json.required("identifier", of: "identifier", unless: json.looseString)
            type = json.string("type")
            createdAt = json.date("created_at")
        }
    }

    /// The JSON object as received, fields this library does not model included.
    public let raw: JSONValue
    /// The MUXI user id.
    public let muxiUserID: String?
    /// The linked identifiers.
    public let identifiers: [Identifier]

    /// Reads the model from its JSON object; throws ``MuxiError`` when an identifying field is missing.
    public init(json: JSONValue) throws(MuxiError) {
        raw = json
        muxiUserID = json.string("muxi_user_id")
        identifiers = try json.list("identifiers")
    }
}
