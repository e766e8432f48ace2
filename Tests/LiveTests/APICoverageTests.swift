import Testing
import Foundation
import MuxiClient
import NIOConcurrencyHelpers

/// A transport that notes every request's method and path (no query) before sending it.
final class RecordingTransport: HTTPTransport {
    private let base = AsyncHTTPClientTransport()
    private let seen = NIOLockedValueBox<Set<String>>([])

    func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse {
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        seen.withLockedValue { _ = $0.insert("\(request.method) \(path)") }
        return try await base.send(request, headTimeout: headTimeout)
    }

    var requests: Set<String> { seen.withLockedValue { $0 } }
}

extension LiveRuntime {
/// Every route and method of the running runtime's `/openapi.json` has a method of the
/// library, proven by calling it: a tour calls every public operation of ``FormationClient``
/// against the real runtime through a transport that records what was sent, and each route of
/// the document must have been sent, or be in ``omissions`` with its reason.
@Suite(.enabled(if: Live.enabled, "set MUXI_TEST_URL (make test does) to run against the real runtime"), .serialized)
struct APICoverageTests {
    /// The routes the library leaves out on purpose, each with why.
    static let omissions: [String: String] = [
        "GET /v1/": "an HTML page (\"Up\"/\"Down\"), not an envelope: health() is the typed check",
        "GET /v1/v1": "the same HTML page mounted a second time under /v1 by the runtime",
    ]

    @Test func everyRouteOfTheRuntimeHasAMethod() async throws {
        let recorder = RecordingTransport()
        let user = "cov-\(UUID().uuidString.prefix(8).lowercased())"
        let client = try FormationClient(url: Live.url!, clientKey: Live.env["MUXI_TEST_CLIENT_KEY"],
                                         adminKey: Live.env["MUXI_TEST_ADMIN_KEY"], userID: user,
                                         timeout: .seconds(60), maxRetries: 0, transport: recorder)
        let admin = try FormationClient(url: Live.url!, adminKey: Live.env["MUXI_TEST_ADMIN_KEY"], userID: user,
                                        timeout: .seconds(60), maxRetries: 0, transport: recorder)
        try await Self.tour(client, admin: admin, user: user)

        let document = try await Self.openAPI()
        var routes: [String] = []
        for (path, operations) in document["paths"]?.objectValue ?? [:] {
            for method in (operations.objectValue ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                routes.append("\(method.uppercased()) \(path)")
            }
        }
        let sent = recorder.requests
        let covered = routes.filter { route in sent.contains { Self.matches(route, $0) } }
        let missing = routes.filter { !covered.contains($0) && Self.omissions[$0] == nil }.sorted()
        let stale = Self.omissions.keys.filter { covered.contains($0) || !routes.contains($0) }.sorted()
        print("API coverage: \(covered.count) of \(routes.count) route/method pairs have a method; "
              + "\(Self.omissions.count) left out on purpose: \(Self.omissions.keys.sorted().joined(separator: ", "))")
        #expect(routes.count >= 100, "the runtime's OpenAPI document lists \(routes.count) routes")
        #expect(missing.isEmpty, "routes with neither a method nor a reason: \(missing.joined(separator: ", "))")
        #expect(stale.isEmpty, "omissions that are covered or gone: \(stale.joined(separator: ", "))")
    }

    /// Whether the sent request `sent` ("POST /v1/triggers/x") is an instance of the
    /// documented `route` ("POST /v1/triggers/{trigger_name}").
    static func matches(_ route: String, _ sent: String) -> Bool {
        let r = route.split(separator: "/", omittingEmptySubsequences: false)
        let s = sent.split(separator: "/", omittingEmptySubsequences: false)
        guard r.count == s.count else { return false }
        return zip(r, s).allSatisfy { template, value in
            template.hasPrefix("{") ? !value.isEmpty : template == value
        }
    }

    static func openAPI() async throws -> JSONValue {
        let response = try await AsyncHTTPClientTransport().send(HTTPRequest(method: "GET", url: Live.url! + "/openapi.json"),
                                                                 headTimeout: .seconds(30))
        return try JSONValue(parsing: try await response.collect())
    }

    /// Calls `operation`; its answer does not matter here (the runtime refuses some on
    /// purpose: unknown ids, features it lacks), only that the request went out.
    static func call<T>(_ operation: () async throws -> T) async {
        _ = try? await operation()
    }

    /// Opens `stream`, waits until its request was sent, and closes it.
    static func open<S: AsyncSequence & Sendable>(_ stream: S, path: String, on recorder: RecordingTransport) async {
        let task = Task { for try await _ in stream {} }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !recorder.requests.contains(where: { $0.hasSuffix(path) }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
    }

    /// Every public operation, once.
    static func tour(_ c: FormationClient, admin: FormationClient, user: String) async throws {
        let recorder = c.configuration.transport as! RecordingTransport
        // formation and admin configuration
        await call { try await c.health() }
        await call { try await c.status() }
        await call { try await c.config() }
        await call { try await c.formationInfo() }
        await call { try await c.overlordConfig() }
        await call { try await c.overlordSoul() }
        await call { try await c.llmSettings() }
        await call { try await c.asyncConfig() }
        await call { try await c.a2aConfig() }
        await call { try await c.loggingConfig() }
        await call { try await c.loggingDestinations() }
        await call { try await c.mcpSettings() }
        await call { try await c.mcpServers() }
        await call { try await c.mcpServer("none") }
        await call { try await c.mcpTools() }
        await call { try await c.memoryConfig() }
        await call { try await c.schedulerConfig() }
        await call { try await c.agents() }
        await call { try await c.agent("assistant") }
        await call { try await c.agentSkills("assistant") }
        await call { try await c.skills() }
        await call { try await c.skill("none") }
        await call { try await c.sops() }
        await call { try await c.sop("none") }
        await call { try await c.syncKnowledge(agentID: "assistant") }
        await call { try await c.rebuildKnowledge(agentID: "assistant") }
        // secrets, credentials, users
        let secret = "COV_\(UUID().uuidString.prefix(6))"
        await call { try await c.secrets() }
        await call { try await c.createSecret(secret, value: "one") }
        await call { try await c.updateSecret(secret, value: "two") }
        await call { try await c.deleteSecret(secret) }
        await call { try await c.reloadSecrets() }
        await call { try await c.credentialServices() }
        await call { try await c.credentials() }
        await call { try await c.credential("cred_none") }
        await call { try await c.createCredential(service: "none", credential: ["token": "x"]) }
        await call { try await c.deleteCredential("cred_none") }
        let resolved = try? await c.resolveUser(user)
        await call { try await c.lookupUser(user) }
        await call { try await c.userIdentifiers(muxiUserID: resolved?.muxiUserID ?? "none") }
        await call { try await c.linkUserIdentifiers([.string("\(user)-alias")], to: resolved?.muxiUserID) }
        await call { try await c.unlinkUserIdentifier("\(user)-alias") }
        await call { try await c.userChannels(user) }
        await call { try await c.updateUserChannels(user, UserChannelsChange(timezone: "Europe/Lisbon")) }
        await call { try await c.sendNotification("coverage", to: user) }
        // chat, sessions, requests, events
        let reply = try? await c.chat(ChatRequest("coverage tour"))
        let session = reply?.sessionID ?? "sess_none", request = reply?.requestID ?? "req_none"
        await open(c.chatStream(ChatRequest("coverage stream")), path: "/v1/chat", on: recorder)
        await call { try await c.audioChat([Attachment(filename: "a.wav", contentType: "audio/wav", data: Data("hi".utf8))]) }
        await call { try await c.sessions() }
        await call { try await c.session(session) }
        await call { try await c.sessionMessages(session) }
        await call { try await c.restoreSession("sess_cov_\(UUID().uuidString.prefix(6))", messages: [SessionMessage(role: .user, text: "q", timestamp: Date())]) }
        await call { try await c.requests() }
        await call { try await c.requestStatus(request) }
        await call { try await c.cancel(requestID: "req_none") }
        await open(c.streamRequest(sessionID: session, requestID: request), path: "/\(request)", on: recorder)
        await open(c.streamEvents(), path: "/v1/events", on: recorder)
        await open(c.streamEvents(sessionID: session), path: "/v1/events/\(session)", on: recorder)
        await open(admin.streamLogs(LogFilter(userID: user)), path: "/v1/logs", on: recorder)
        // triggers, scheduler
        await call { try await c.triggers() }
        await call { try await c.trigger("none") }
        await call { try await c.fireTrigger("none", data: [:]) }
        let job = try? await c.createSchedulerJob(type: .oneTime, schedule: "2031-01-01T09:00:00Z", message: "coverage")
        await call { try await c.schedulerJobs() }
        await call { try await c.schedulerJob(job?.id ?? "job_none") }
        await call { try await c.updateSchedulerJob(job?.id ?? "job_none", message: "coverage, changed") }
        await call { try await c.pauseSchedulerJob(job?.id ?? "job_none") }
        await call { try await c.resumeSchedulerJob(job?.id ?? "job_none") }
        await call { try await c.deleteSchedulerJob(job?.id ?? "job_none") }
        // memory
        await call { try await c.memories() }
        let memory = try? await c.addMemory(type: "fact", detail: "coverage likes tea")
        await call { try await c.deleteMemory(memory?.id ?? "mem_none") }
        let receipt = try? await c.ingestMemories([MemoryItem(source: "coverage", sourceID: "c-1", content: "coverage likes green tea")])
        await call { try await c.ingestionStatus(receipt?.processingID ?? "ing_none") }
        await call { try await c.provenance(eventID: receipt?.items.first?.eventID ?? "none") }
        await call { try await c.history() }
        await call { try await c.userBuffer() }
        await call { try await c.clearSessionBuffer(session) }
        await call { try await c.clearUserBuffer() }
        await call { try await c.bufferStats() }
        await call { try await c.memoryBuffers() }
        await call { try await c.clearAllBuffers() }   // every user's (this runtime answers 503)
        await call { try await c.backfillMemory(userID: user) }
        await call { try await c.lintMemory(userID: user) }
        await call { try await c.rebuildMemory(userID: user, dryRun: true) }
        await call { try await c.rebuildStatus("rebuild_none") }
        await call { try await c.forgetMemorySource("coverage-none", userID: user, rebuild: false) }
        await call { try await c.forgetStatus("forget_none") }
        let key = DistilleryKey()
        let distillery = try? await c.registerDistillery(name: "coverage", publicKey: key.publicKey)
        await call { try await c.distilleries() }
        let distilled = try? await c.ingestDistilled([DistilledEvent(type: "log.entry", userID: user, sourceID: "cov-1",
                                                                     payload: ["summary": "coverage"])],
                                                     batchID: "cov", distilleryID: distillery?.id ?? "none", key: key)
        await call { try await c.distilledStatus(distilled?.processingID ?? "dst_none") }
        await call { try await c.revokeDistillery(distillery?.id ?? "none") }
        // artifacts
        let artifacts = try? await c.artifacts()
        let artifact = artifacts?.artifacts.first?.id ?? "art_none"
        await call { try await c.artifact(artifact) }
        await call { try await c.artifactVersions(artifact) }
        await call { try await c.saveArtifact(artifact, in: NSTemporaryDirectory()) }
        // tuning (the live document is put back as it was)
        let tuning = try? await c.tuning()
        await call { try await c.replaceTuning(tuning?.content ?? "") }
        await call { try await c.pendingTuning() }
        await call { try await c.applyPendingTuning() }
        await call { try await c.dismissPendingTuning() }
        await call { try await c.runTuning() }
        // audit, last: the tour's own calls are not in it anyway
        await call { try await c.auditLog() }
        await call { try await c.clearAuditLog() }
    }
}
}
