/// The formation's admin configuration blocks, tuning, skills and knowledge.
extension FormationClient {
    /// The agent-to-agent block as configured, secrets as placeholders; empty when the
    /// formation declares none (`GET /v1/a2a`, admin). Free-form: its shape is the formation's.
    ///
    /// ```swift
    /// let a2a = try await formation.a2aConfig()
    /// ```
    public func a2aConfig() async throws -> JSONValue { try await configSection("a2a") }

    /// The `logging:` block as configured (`GET /v1/logging`, admin); see
    /// ``loggingDestinations()`` for it read.
    ///
    /// ```swift
    /// let logging = try await formation.loggingConfig()
    /// ```
    public func loggingConfig() async throws -> JSONValue { try await configSection("logging") }

    /// The system log and the conversation log's destinations (`GET /v1/logging/destinations`, admin).
    ///
    /// ```swift
    /// let setup = try await formation.loggingDestinations()
    /// ```
    public func loggingDestinations() async throws -> LoggingSetup {
        try LoggingSetup(json: try await send(Route("GET", ["logging", "destinations"], key: .admin, user: .none)))
    }

    /// The MCP defaults and limits (`GET /v1/mcp`, admin).
    ///
    /// ```swift
    /// print(try await formation.mcpSettings().maxToolCalls)
    /// ```
    public func mcpSettings() async throws -> MCPSettings {
        try MCPSettings(json: try await send(Route("GET", ["mcp"], key: .admin, user: .none)))
    }

    /// The MCP servers, secrets as placeholders (`GET /v1/mcp/servers`, admin).
    ///
    /// ```swift
    /// for s in try await formation.mcpServers() { print(s.id) }
    /// ```
    public func mcpServers() async throws -> [MCPServer] {
        try await send(Route("GET", ["mcp", "servers"], key: .admin, user: .none)).list("servers")
    }

    /// One MCP server (`GET /v1/mcp/servers/{id}`, admin); unknown: ``MuxiError/Kind/notFound``.
    ///
    /// ```swift
    /// let github = try await formation.mcpServer("github")
    /// ```
    public func mcpServer(_ id: String) async throws -> MCPServer {
        try MCPServer(json: try await send(Route("GET", ["mcp", "servers", id], key: .admin, user: .none)))
    }

    /// The tools of the formation's own MCP endpoint (`GET /v1/mcp/tools`, admin). (The
    /// runtime lists its built-in formation tools here, not the configured servers' tools.)
    ///
    /// ```swift
    /// let tools = try await formation.mcpTools()
    /// ```
    public func mcpTools() async throws -> [MCPTool] {
        try await send(Route("GET", ["mcp", "tools"], key: .admin, user: .none)).list("tools")
    }

    /// The overlord's soul: the text that shapes its character; empty when unset
    /// (`GET /v1/overlord/soul`, admin).
    ///
    /// ```swift
    /// print(try await formation.overlordSoul())
    /// ```
    public func overlordSoul() async throws -> String {
        try await send(Route("GET", ["overlord", "soul"], key: .admin, user: .none)).string("soul") ?? ""
    }

    /// Reads the secrets file again, adding and overriding, never removing
    /// (`POST /v1/secrets/reload`, admin).
    ///
    /// ```swift
    /// let reload = try await formation.reloadSecrets()
    /// ```
    @discardableResult
    public func reloadSecrets() async throws -> SecretsReload {
        try SecretsReload(json: try await send(Route("POST", ["secrets", "reload"], key: .admin, user: .none)))
    }

    /// The live `MUXI.md`: what the runtime has learned to add to every turn (`GET /v1/tuning`, admin).
    ///
    /// ```swift
    /// print(try await formation.tuning().content ?? "(none)")
    /// ```
    public func tuning() async throws -> TuningDocument {
        try TuningDocument(json: try await send(Route("GET", ["tuning"], key: .admin, user: .none)))
    }

    /// Replaces the live `MUXI.md` (`POST /v1/tuning`, admin). At most 32,768 UTF-8 bytes
    /// (it goes into every turn): larger is refused here, before sending.
    ///
    /// ```swift
    /// try await formation.replaceTuning("Answer in British English.")
    /// ```
    @discardableResult
    public func replaceTuning(_ content: String) async throws -> TuningDocument {
        guard content.utf8.count <= 32_768 else {
            throw MuxiError.validation("MUXI.md is at most 32768 bytes (\(content.utf8.count) given)")
        }
        let written = try await send(Route("POST", ["tuning"], key: .admin, user: .none, body: ["content": .string(content)]))
        return try TuningDocument(json: ["content": .string(content), "path": written["path"] ?? .null, "bytes": written["bytes"] ?? .null])
    }

    /// The suggested `MUXI.md` waiting for a person's decision (`GET /v1/tuning/pending`, admin).
    ///
    /// ```swift
    /// if let text = try await formation.pendingTuning().content { print(text) }
    /// ```
    public func pendingTuning() async throws -> TuningDocument {
        try TuningDocument(json: try await send(Route("GET", ["tuning", "pending"], key: .admin, user: .none)))
    }

    /// Makes the pending suggestion the live `MUXI.md`; returns how many learnings it
    /// activated (`PATCH /v1/tuning/pending`, admin). None pending: ``MuxiError/Kind/notFound``
    /// (`TUNING_NO_PENDING`).
    ///
    /// ```swift
    /// let activated = try await formation.applyPendingTuning()
    /// ```
    @discardableResult
    public func applyPendingTuning() async throws -> Int {
        try await send(Route("PATCH", ["tuning", "pending"], key: .admin, user: .none)).int("learnings_activated") ?? 0
    }

    /// Throws the pending suggestion away; returns how many learnings it dismissed
    /// (`DELETE /v1/tuning/pending`, admin).
    ///
    /// ```swift
    /// try await formation.dismissPendingTuning()
    /// ```
    @discardableResult
    public func dismissPendingTuning() async throws -> Int {
        try await send(Route("DELETE", ["tuning", "pending"], key: .admin, user: .none)).int("learnings_dismissed") ?? 0
    }

    /// Runs the tuner now over the conversations since its last run (`POST /v1/tuning/run`,
    /// admin). It may call the LLM and take a while.
    ///
    /// ```swift
    /// let run = try await formation.runTuning()
    /// ```
    public func runTuning() async throws -> TuningRun {
        try TuningRun(json: try await send(Route("POST", ["tuning", "run"], key: .admin, user: .none)))
    }

    /// The skills loaded (`GET /v1/skills`, client). The runtime of 2026-09 answers this
    /// route, and the two below, with an internal error (its handlers call its own response
    /// helpers wrongly): the error is thrown as it comes.
    ///
    /// ```swift
    /// let skills = try await formation.skills()
    /// ```
    public func skills() async throws -> [Skill] {
        try await send(Route("GET", ["skills"], key: .client, user: .none)).list("skills")
    }

    /// One skill's detail: its tools and resources (`GET /v1/skills/{name}`, client).
    ///
    /// ```swift
    /// let skill = try await formation.skill("pdf-forms")
    /// ```
    public func skill(_ name: String) async throws -> Skill {
        try Skill(json: try await send(Route("GET", ["skills", name], key: .client, user: .none)))
    }

    /// The skills one agent may use (`GET /v1/agents/{id}/skills`, client).
    ///
    /// ```swift
    /// let skills = try await formation.agentSkills("assistant")
    /// ```
    public func agentSkills(_ agentID: String) async throws -> [Skill] {
        try await send(Route("GET", ["agents", agentID, "skills"], key: .client, user: .none)).list("skills")
    }

    /// Rebuilds the agents' knowledge trees: every agent's, one agent's, or one source's
    /// (`POST /v1/knowledge/rebuild`, admin).
    ///
    /// ```swift
    /// let rebuild = try await formation.rebuildKnowledge(agentID: "assistant")
    /// ```
    public func rebuildKnowledge(agentID: String? = nil, sourceID: String? = nil) async throws -> KnowledgeUpdate {
        var body: [String: JSONValue] = [:]
        if let agentID { body["agent_id"] = .string(agentID) }
        if let sourceID { body["source_id"] = .string(sourceID) }
        return try KnowledgeUpdate(json: try await send(Route("POST", ["knowledge", "rebuild"], key: .admin, user: .none, body: .object(body))))
    }

    /// Fetches an agent's remote knowledge sources again: all, or one (`POST
    /// /v1/agents/{id}/knowledge/sync`, admin). An agent without remote sources:
    /// ``MuxiError/Kind/validation``.
    ///
    /// ```swift
    /// let sync = try await formation.syncKnowledge(agentID: "assistant")
    /// ```
    public func syncKnowledge(agentID: String, sourceID: String? = nil) async throws -> KnowledgeUpdate {
        let body: JSONValue = sourceID.map { ["source_id": .string($0)] } ?? [:]
        return try KnowledgeUpdate(json: try await send(Route("POST", ["agents", agentID, "knowledge", "sync"], key: .admin, user: .none, body: body)))
    }
}
