public import struct Foundation.Date

/// `GET /v1/health`: whether the formation is up.
///
/// ```swift
/// let health = try await client.health()
/// print(health.status, health.version ?? "")
/// ```
public struct Health: MuxiModel {
    public let raw: JSONValue
    /// `healthy` or `unhealthy`.
    public let status: String
    /// The formation's configured version.
    public let version: String?
    /// Seconds since the formation started.
    public let uptimeSeconds: Double?

    /// Whether `status` is `healthy`.
    public var isHealthy: Bool { status == "healthy" }

    public init(json: JSONValue) throws {
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
    public let activeRequests: Int?
    /// Seconds since start.
    public let uptimeSeconds: Double?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let id: String
    public let name: String
    public let description: String?
    /// Whether this is the formation's default agent.
    public let isDefault: Bool
    public let systemMessage: String?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let name: String
    public let title: String?
    public let type: String?
    /// The markdown body (only from ``FormationClient/sop(_:)``).
    public let content: String?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let id: String
    public let service: String
    public let name: String?
    /// A masked preview of the secret.
    public let preview: String?
    public let createdAt: Date?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let service: String
    public let serverID: String?
    public let description: String?

    public init(json: JSONValue) throws {
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
    public let raw: JSONValue
    public let identifier: String?
    public let muxiUserID: String
    public let internalUserID: String?

    public init(json: JSONValue) throws {
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
        public let raw: JSONValue
        public let identifier: String
        public let type: String?
        public let createdAt: Date?
        public init(json: JSONValue) throws {
            raw = json
            identifier = try json.looseString ?? json.required("identifier", of: "identifier")
            type = json.string("type")
            createdAt = json.date("created_at")
        }
    }

    public let raw: JSONValue
    public let muxiUserID: String?
    public let identifiers: [Identifier]

    public init(json: JSONValue) throws {
        raw = json
        muxiUserID = json.string("muxi_user_id")
        identifiers = try json.list("identifiers")
    }
}
