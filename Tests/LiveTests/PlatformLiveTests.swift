import Testing
import Foundation
import MuxiClient

extension LiveRuntime {
/// The operations added for every route of the runtime, against the real runtime: typed
/// answers, its refusals as typed errors, and its own defects named where they show.
@Suite(.enabled(if: Live.enabled, "set MUXI_TEST_URL (make test does) to run against the real runtime"), .serialized)
struct PlatformLiveTests {
    /// A route this runtime lacks is a clear error naming the call (exit 4 on the command line
    /// would follow from its kind), not the framework's bare "Not Found".
    @Test func aRouteTheRuntimeLacksIsNamed() async throws {
        let c = try Live.client()
        let e = await #expect(throws: MuxiError.self) { try await c.request("GET", "/no-such-route-here") }
        #expect(e?.code == "ROUTE_NOT_SERVED" && e?.message.contains("GET /v1/no-such-route-here") == true, "\(String(describing: e))")
        let known = await #expect(throws: MuxiError.self) { try await c.trigger("no-such-trigger") }
        #expect(known?.code == "TRIGGER_NOT_FOUND" && known?.message.contains("no-such-trigger") == true)
    }

    @Test func adminConfigurationIsTyped() async throws {
        let c = try Live.client()
        let logging = try await c.loggingDestinations()
        #expect(logging.systemLevel == "info" && logging.systemDestination == "stdout" && logging.destinations.isEmpty)
        #expect(try await c.loggingConfig()["system"]?["level"] == "info")
        let mcp = try await c.mcpSettings()
        #expect(mcp.maxToolCalls == 50 && mcp.defaultTimeoutSeconds == 30 && mcp.servers.isEmpty)
        #expect(try await c.mcpServers().isEmpty)
        let tools = try await c.mcpTools()
        #expect(tools.contains { $0.name == "get_memories" && $0.access == "client" && $0.parameters["user_id"] != nil })
        let missing = await #expect(throws: MuxiError.self) { try await c.mcpServer("nope") }
        #expect(missing?.kind == .notFound && missing?.code == "MCP_SERVER_NOT_FOUND")
        #expect(try await c.overlordSoul() == "")
        let a2a = try await c.a2aConfig()
        // no a2a block: nothing but the envelope's request id and time, which every answer carries
        let keys = Set((a2a.objectValue ?? [:]).keys).subtracting(["request_id", "timestamp", "idempotency_key"])
        #expect(keys.isEmpty, "\(a2a)")
    }

    /// The runtime's docstring says `confirm=yes`; it wants `confirm=clear-audit-log`.
    @Test func theAuditLogClearsAndKeepsTheClear() async throws {
        let c = try Live.client()
        try await c.clearAuditLog()
        let entries = try await c.auditLog(AuditFilter(limit: 10))
        #expect(entries.first?.action == "audit.cleared")
        #expect(try await c.auditLog(AuditFilter(action: "no.such.action")).isEmpty)
        let local = await #expect(throws: MuxiError.self) { try await c.auditLog(AuditFilter(limit: 0)) }
        #expect(local?.code == "INVALID_ARGUMENT")
        let refused = await #expect(throws: MuxiError.self) { try await c.auditLog(AuditFilter(resourceType: "a b&c")) }
        #expect(refused?.kind == .validation && refused?.statusCode == 422)
    }

    @Test func ingestedMemoriesHaveAStatusAndAProvenance() async throws {
        let c = try Live.client()
        let id = "ing-\(UUID().uuidString.prefix(6))"
        let receipt = try await c.ingestMemories([
            MemoryItem(source: "crm", sourceID: id, content: "The user's favourite city is Porto"),
            MemoryItem(source: "", content: "no source"),
        ])
        #expect(receipt.accepted == 1 && receipt.invalid == 1)
        #expect(receipt.items.map(\.status) == ["accepted", "invalid"] && receipt.items[1].error?.contains("source") == true)
        let event = try #require(receipt.items[0].eventID)
        let again = try await c.ingestMemories([MemoryItem(source: "crm", sourceID: id, content: "The user's favourite city is Porto")])
        #expect(again.duplicates == 1 && again.items.first?.eventID == event && again.processingID == nil)

        var job = try await c.ingestionStatus(try #require(receipt.processingID))
        _ = try await Live.eventually(within: .seconds(30)) {
            job = try await c.ingestionStatus(job.id)
            return job.state.isTerminal
        }
        #expect(job.state == .completed && job.counts["stored"] == 1)
        let trail = try await c.provenance(eventID: event)
        #expect(trail.event.id == event && trail.event.source == "crm" && trail.event.sourceID == id)
        #expect(trail.chain.last?.id == event && trail.event.payload["content"] == "The user's favourite city is Porto")
        let unknown = await #expect(throws: MuxiError.self) { try await c.provenance(entity: "Nowhere-\(id)") }
        #expect(unknown?.kind == .notFound || unknown?.statusCode == 404)
    }

    /// A distillery registered with our key sends a signed day of the captain's log; it shows
    /// in the user's history; a batch signed with another key is refused; revoked, it may
    /// send no more.
    @Test func aDistillerySignsBatchesThatReachTheHistory() async throws {
        let user = "dist-\(UUID().uuidString.prefix(6).lowercased())"
        let c = try Live.client(user: user)
        let key = DistilleryKey()
        #expect(!String(describing: key).contains(key.rawRepresentation.map { String($0) }.joined()))
        let distillery = try await c.registerDistillery(name: "live-\(user)", publicKey: key.publicKey,
                                                         scope: ["user_ids": .array([.string(user)])])
        #expect(distillery.status == "active" && distillery.publicKey == key.publicKey)
        #expect(try await c.distilleries().contains { $0.id == distillery.id })

        let day = DistilledEvent(type: "log.entry", userID: user, sourceID: "day-1",
                                 payload: ["date": "2026-11-30", "summary": "Planned the Porto trip"])
        let forged = await #expect(throws: MuxiError.self) {
            try await c.ingestDistilled([day], batchID: "b-forged", distilleryID: distillery.id, key: DistilleryKey())
        }
        #expect(forged?.kind == .authentication)
        let receipt = try await c.ingestDistilled([day], batchID: "b-1", distilleryID: distillery.id, key: key)
        #expect(receipt.accepted == 1 && receipt.rejections.isEmpty)
        var job = try await c.distilledStatus(try #require(receipt.processingID), distilleryID: distillery.id)
        _ = try await Live.eventually(within: .seconds(30)) {
            job = try await c.distilledStatus(job.id, distilleryID: distillery.id)
            return job.state.isTerminal
        }
        #expect(job.state == .completed && job.counts["projected"] == 1)
        let history = try await c.history(limit: 5, includeSources: true)
        #expect(history.contains { $0.date == "2026-11-30" && $0.summary == "Planned the Porto trip" })

        let revoked = try await c.revokeDistillery(distillery.id)
        #expect(revoked.status == "revoked" && revoked.revokedAt != nil)
        let gone = await #expect(throws: MuxiError.self) {
            try await c.ingestDistilled([day], batchID: "b-2", distilleryID: distillery.id, key: key)
        }
        #expect(gone?.statusCode == 410)
    }

    @Test func maintenanceRunsForOneUser() async throws {
        let user = "maint-\(UUID().uuidString.prefix(6).lowercased())"
        let c = try Live.client(user: user)
        let backfill = try await c.backfillMemory(userID: user)
        #expect(backfill.isComplete && Set(backfill.projections.keys).isSuperset(of: ["flat_facts", "captains_log"]))
        let lint = try await c.lintMemory(userID: user)
        #expect(lint.users == 1 && lint.unresolvedConflicts == 0)
        let dryRun = try await c.rebuildMemory(userID: user, dryRun: true, wait: true)
        #expect(dryRun.state == .completed && !dryRun.projections.isEmpty)
        let forget = try await c.forgetMemorySource("nothing-here", userID: user, rebuild: false)
        #expect(forget.deletedEvents == 0)
        let expired = await #expect(throws: MuxiError.self) { try await c.rebuildStatus("rebuild_nope") }
        #expect(expired?.statusCode == 404)
    }

    /// No channel is declared and no webhook set: a notification reaches nothing, which the
    /// runtime answers 502 with `success: true`; that is an answer, not an error.
    @Test func notificationsAndChannels() async throws {
        let user = "reach-\(UUID().uuidString.prefix(6).lowercased())"
        let c = try Live.client(user: user)
        #expect(try await c.userChannels(user).timezone == nil)
        let changed = try await c.updateUserChannels(user, UserChannelsChange(timezone: "Europe/Lisbon"))
        #expect(changed.timezone == "Europe/Lisbon" && changed.userID == user)
        let badZone = await #expect(throws: MuxiError.self) {
            try await c.updateUserChannels(user, UserChannelsChange(timezone: "Mars/Olympus"))
        }
        #expect(badZone?.kind == .validation)
        let sent = try await c.sendNotification("Your report is ready", to: user)
        #expect(sent.delivered.isEmpty && sent.failed == ["webhook"] && sent.channels == ["webhook"])
        _ = try await c.resolveUser(user)
        #expect(try await c.lookupUser(user).identifier == user)
        let nobody = await #expect(throws: MuxiError.self) { try await c.lookupUser("nobody-\(user)@example.com") }
        #expect(nobody?.kind == .notFound)
    }

    /// The skills routes are broken in this runtime (500: its handlers call its own response
    /// helpers with the wrong arguments); the library passes the error on as it comes.
    @Test func tuningAndTheRuntimesBrokenSkills() async throws {
        let c = try Live.client()
        let pending = try await c.pendingTuning()
        #expect(pending.path?.hasSuffix("PENDING-MUXI.md") == true)
        let none = await #expect(throws: MuxiError.self) { try await c.applyPendingTuning() }
        #expect(none?.code == "TUNING_NO_PENDING")
        let tooBig = await #expect(throws: MuxiError.self) { try await c.replaceTuning(String(repeating: "x", count: 32_769)) }
        #expect(tooBig?.code == "INVALID_ARGUMENT")
        let skills = await #expect(throws: MuxiError.self) { try await c.skills() }
        #expect(skills?.statusCode == 500 && skills?.message.contains("create_success_response") == true)
        let missingCredential = await #expect(throws: MuxiError.self) { try await c.credential("cred_nope") }
        #expect(missingCredential?.kind == .notFound)
    }

    /// The logs and events streams open and stay silent on this runtime (nothing feeds them);
    /// cancelling closes them at once. An unfiltered log stream is refused before connecting.
    @Test func logAndEventStreamsOpenStaySilentAndClose() async throws {
        let c = try Live.client()
        let refused = await #expect(throws: MuxiError.self) { for try await _ in c.streamLogs(LogFilter()) {} }
        #expect(refused?.code == "INVALID_ARGUMENT")
        for stream in [c.streamLogs(LogFilter(level: "debug")), c.streamEvents()] {
            let reader = Task { () -> Int in
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
            try await Task.sleep(for: .seconds(1))
            let cancelled = ContinuousClock.now
            reader.cancel()
            let result = await reader.result
            #expect(ContinuousClock.now - cancelled < .seconds(2))
            if case .success(let count) = result { #expect(count == 0) }
        }
        let clientOnly = try Live.client(adminKey: nil)
        let admin = await #expect(throws: MuxiError.self) { for try await _ in clientOnly.streamLogs(LogFilter(level: "info")) {} }
        #expect(admin?.kind == .configuration || admin?.kind == .authentication)
    }
}
}
