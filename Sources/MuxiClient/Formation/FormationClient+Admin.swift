extension FormationClient {
    /// Whether the formation is up (`GET /v1/health`, no key).
    ///
    /// ```swift
    /// print(try await formation.health().status)
    /// ```
    public func health() async throws -> Health {
        try Health(json: try await send(Route("GET", ["health"], key: .none, user: .none)))
    }

    /// The formation's status and load (`GET /v1/status`, admin).
    ///
    /// ```swift
    /// let status = try await formation.status()
    /// ```
    public func status() async throws -> FormationStatus {
        try FormationStatus(json: try await send(Route("GET", ["status"], key: .admin, user: .none)))
    }

    /// A summary of the configuration (`GET /v1/config`, admin).
    ///
    /// ```swift
    /// let config = try await formation.config()
    /// ```
    public func config() async throws -> JSONValue {
        try await send(Route("GET", ["config"], key: .admin, user: .none))
    }

    /// The whole formation definition, secrets as placeholders (`GET /v1/formation`, admin).
    ///
    /// ```swift
    /// let info = try await formation.formationInfo()
    /// ```
    public func formationInfo() async throws -> JSONValue {
        try await send(Route("GET", ["formation"], key: .admin, user: .none))
    }

    /// The overlord's configuration: persona, response format, workflow, clarification
    /// (`GET /v1/overlord`, admin).
    ///
    /// ```swift
    /// let overlord = try await formation.overlordConfig()
    /// ```
    public func overlordConfig() async throws -> JSONValue { try await configSection("overlord") }

    /// The LLM settings (`GET /v1/llm/settings`, admin).
    ///
    /// ```swift
    /// let llm = try await formation.llmSettings()
    /// ```
    public func llmSettings() async throws -> JSONValue { try await configSection("llm/settings") }

    /// The async delivery settings: threshold, webhook URL, retries (`GET /v1/async`, admin).
    ///
    /// ```swift
    /// let async = try await formation.asyncConfig()
    /// ```
    public func asyncConfig() async throws -> JSONValue { try await configSection("async") }

    /// One admin configuration block: `overlord`, `llm/settings`, `async`, `a2a`, `logging`,
    /// `mcp`… (`GET /v1/{section}`, admin).
    ///
    /// ```swift
    /// let llm = try await formation.configSection("llm/settings")
    /// ```
    public func configSection(_ section: String) async throws -> JSONValue {
        let segments = section.split(separator: "/").map(String.init)
        return try await send(Route("GET", segments, key: .admin, user: .none))
    }

    /// The formation's agents (`GET /v1/agents`, admin).
    ///
    /// ```swift
    /// for agent in try await formation.agents() { print(agent.id, agent.name) }
    /// ```
    public func agents() async throws -> [Agent] {
        try await send(Route("GET", ["agents"], key: .admin, user: .none)).list("agents")
    }

    /// One agent (`GET /v1/agents/{id}`, admin).
    ///
    /// ```swift
    /// let agent = try await formation.agent("assistant")
    /// ```
    public func agent(_ agentID: String) async throws -> Agent {
        try Agent(json: try await send(Route("GET", ["agents", agentID], key: .admin, user: .none)))
    }

    // MARK: Secrets (admin)

    /// The names of the formation's secrets with masked values (`GET /v1/secrets`).
    ///
    /// ```swift
    /// let masked = try await formation.secrets()   // ["OPENAI_KEY": "sk-12••••cdef"]
    /// ```
    public func secrets() async throws -> [String: String] {
        let data = try await send(Route("GET", ["secrets"], key: .admin, user: .none))
        return (data["secrets"]?.objectValue ?? [:]).compactMapValues(\.looseString)
    }

    /// Creates a secret (`POST /v1/secrets`); ``MuxiError/Kind/conflict`` when it exists.
    ///
    /// ```swift
    /// try await formation.createSecret("GITHUB_TOKEN", value: token)
    /// ```
    public func createSecret(_ key: String, value: String) async throws {
        _ = try await send(Route("POST", ["secrets"], key: .admin, user: .none,
                                 body: ["key": .string(key), "value": .string(value)]))
    }

    /// Changes an existing secret (`PUT /v1/secrets/{key}`); ``MuxiError/Kind/notFound`` when it
    /// does not exist.
    ///
    /// ```swift
    /// try await formation.updateSecret("GITHUB_TOKEN", value: newToken)
    /// ```
    public func updateSecret(_ key: String, value: String) async throws {
        _ = try await send(Route("PUT", ["secrets", key], key: .admin, user: .none, body: ["value": .string(value)]))
    }

    /// Creates the secret, or changes it when it exists.
    ///
    /// ```swift
    /// try await formation.setSecret("GITHUB_TOKEN", value: token)
    /// ```
    public func setSecret(_ key: String, value: String) async throws {
        do {
            try await createSecret(key, value: value)
        } catch let error as MuxiError where error.kind == .conflict {
            try await updateSecret(key, value: value)
        }
    }

    /// Deletes a secret (`DELETE /v1/secrets/{key}`); ``MuxiError/Kind/conflict`` when in use.
    ///
    /// ```swift
    /// try await formation.deleteSecret("GITHUB_TOKEN")
    /// ```
    public func deleteSecret(_ key: String) async throws {
        _ = try await send(Route("DELETE", ["secrets", key], key: .admin, user: .none))
    }

    // MARK: Credentials (user-scoped)

    /// Services that accept user credentials (`GET /v1/credentials/services`).
    ///
    /// ```swift
    /// let services = try await formation.credentialServices()
    /// ```
    public func credentialServices() async throws -> [CredentialService] {
        try await send(Route("GET", ["credentials", "services"], key: .either, user: .optional)).list("services")
    }

    /// The user's stored credentials, redacted (`GET /v1/credentials`).
    ///
    /// ```swift
    /// let creds = try await formation.credentials(userID: "user_123")
    /// ```
    public func credentials(userID: String? = nil) async throws -> [Credential] {
        try await send(Route("GET", ["credentials"], key: .either, user: .required), userID: userID).list("credentials")
    }

    /// One of the user's credentials, redacted: the first seven and last three characters
    /// of its secret (`GET /v1/credentials/{id}`); unknown: ``MuxiError/Kind/notFound``.
    ///
    /// ```swift
    /// let c = try await formation.credential("cred_abc")
    /// print(c.preview ?? "")
    /// ```
    public func credential(_ credentialID: String, userID: String? = nil) async throws -> Credential {
        try Credential(json: try await send(Route("GET", ["credentials", credentialID], key: .either, user: .required), userID: userID))
    }

    /// Stores a credential for the user (`POST /v1/credentials`).
    ///
    /// ```swift
    /// let c = try await formation.createCredential(service: "github", name: "work", credential: ["token": "ghp_…"])
    /// ```
    public func createCredential(service: String, name: String? = nil, credential: JSONValue,
                                 userID: String? = nil) async throws -> Credential {
        var body: [String: JSONValue] = ["service": .string(service), "credential": credential]
        if let name { body["name"] = .string(name) }
        return try Credential(json: try await send(Route("POST", ["credentials"], key: .either, user: .required,
                                                         body: .object(body)), userID: userID))
    }

    /// Deletes one of the user's credentials (`DELETE /v1/credentials/{id}`).
    ///
    /// ```swift
    /// try await formation.deleteCredential("cred_abc")
    /// ```
    public func deleteCredential(_ credentialID: String, userID: String? = nil) async throws {
        _ = try await send(Route("DELETE", ["credentials", credentialID], key: .either, user: .required), userID: userID)
    }

    // MARK: Users and identifiers (client key)

    /// Resolves an identifier to a MUXI user, creating the user when missing
    /// (`POST /v1/users/resolve`).
    ///
    /// ```swift
    /// let user = try await formation.resolveUser("alice@example.com", type: "email")
    /// ```
    public func resolveUser(_ identifier: String, type: String? = nil) async throws -> ResolvedUser {
        var body: [String: JSONValue] = ["identifier": .string(identifier)]
        if let type { body["identifier_type"] = .string(type) }
        return try ResolvedUser(json: try await send(Route("POST", ["users", "resolve"], key: .client, user: .none,
                                                           body: .object(body))))
    }

    /// The identifiers linked to a MUXI user (`GET /v1/users/identifiers/{id}`).
    ///
    /// ```swift
    /// let ids = try await formation.userIdentifiers(muxiUserID: user.muxiUserID)
    /// ```
    public func userIdentifiers(muxiUserID: String) async throws -> UserIdentifiers {
        try UserIdentifiers(json: try await send(Route("GET", ["users", "identifiers", muxiUserID], key: .client, user: .none)))
    }

    /// Links identifiers to a MUXI user (`POST /v1/users/identifiers`); each is a plain
    /// string or `[identifier, type]`.
    ///
    /// ```swift
    /// try await formation.linkUserIdentifiers(["+15551234567"], to: user.muxiUserID)
    /// ```
    @discardableResult
    public func linkUserIdentifiers(_ identifiers: [JSONValue], to muxiUserID: String? = nil) async throws -> UserIdentifiers {
        var body: [String: JSONValue] = ["identifiers": .array(identifiers)]
        if let muxiUserID { body["muxi_user_id"] = .string(muxiUserID) }
        return try UserIdentifiers(json: try await send(Route("POST", ["users", "identifiers"], key: .client, user: .none,
                                                              body: .object(body))))
    }

    /// Unlinks one identifier (`DELETE /v1/users/identifiers/{identifier}`).
    ///
    /// ```swift
    /// try await formation.unlinkUserIdentifier("+15551234567")
    /// ```
    public func unlinkUserIdentifier(_ identifier: String) async throws {
        _ = try await send(Route("DELETE", ["users", "identifiers", identifier], key: .client, user: .none))
    }
}
