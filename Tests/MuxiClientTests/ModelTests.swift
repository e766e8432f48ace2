import Testing
import TestSupport
import Foundation
@testable import MuxiClient

/// Every captured body decodes into its model.
@Suite struct ModelTests {
    static func data(_ name: String) throws -> JSONValue {
        try Envelope.unwrap(try JSONValue(parsing: Fixture.bytes("json/\(name).json")), status: 200)
    }

    @Test func everyCaptureIsValidJSON() throws {
        #expect(Fixture.jsonCaptures.count > 40)
        for name in Fixture.jsonCaptures { _ = try JSONValue(parsing: Fixture.bytes(name)) }
    }

    @Test func sessionsMessagesAndRequests() throws {
        let s = try Session(json: try Self.data("session_get"))
        #expect(s.id == "sess_curl_1" && s.messageCount == 4 && s.createdAt != nil)
        let m = try SessionMessages(json: try Self.data("session_messages"))
        #expect(m.messages.first?.role == .user && m.messages.first?.text == "Hello, what is 2+2?")
        #expect(m.messages[1].role == .assistant && m.messages[1].requestID == "req_F1sLRuUE_g8GAc60FwYD3")
        let r: [RequestInfo] = try Self.data("requests_list").list("requests")
        #expect(r.first?.status == .completed && r.first?.status.isTerminal == true)
    }

    @Test func memoryContentAsStringOrObject() throws {
        let list = try MemoryPage(json: try Self.data("memories_list_after_add"))
        let added = try Memory(json: try Self.data("memory_add"))
        #expect(list.memories[0].detail == added.detail)
        #expect(list.memories[0].type == "preference" && added.type == "preference")
        #expect(list.memories[0].createdAt != nil && added.createdAt != nil)
        let b = try BufferStatus(json: try Self.data("buffer_get"))
        #expect(b.totalMessages == 8 && b.sizeKB == 2.71)
        #expect(try BufferClearResult(json: try Self.data("buffer_clear_user")).sessionsCleared == 3)
        #expect(try BufferStats(json: try Self.data("memory_stats_admin")).totalEntries == 3)
    }

    @Test func schedulerTriggersAgentsStatus() throws {
        let jobs: [ScheduledJob] = try Self.data("scheduler_jobs_list").list("jobs")
        #expect(jobs[0].isRecurring == false && jobs[0].scheduledFor == Timestamp.iso8601("2030-01-01T09:00:00Z"))
        #expect(jobs[0].schedule == "2030-01-01T09:00:00Z")
        let after = try ScheduledJob(json: try Self.data("scheduler_job_after_runs"))
        #expect(after.totalRuns > 0 && after.lastRunAt != nil)
        #expect(try SchedulerConfig(json: try Self.data("scheduler_config")).timezone == "UTC")
        let trigger = try TriggerDetail(json: try Self.data("trigger_get"))
        #expect(trigger.dataFields == ["event", "source"])
        #expect(try Self.data("triggers_list").strings("triggers") == ["echo-event"])
        let status = try FormationStatus(json: try Self.data("status_admin"))
        #expect(status.formationID == "peer-formation" && status.agentCount == 1)
        #expect(try Agent(json: try Self.data("agent_get")).id == "assistant")
    }

    @Test func modelsRoundTripThroughCodableKeepingUnknownFields() throws {
        var raw = try Self.data("session_get")
        if case .object(var o) = raw { o["brand_new_field"] = "kept"; raw = .object(o) }
        let session = try Session(json: raw)
        let data = try JSONEncoder().encode(session)
        let back = try JSONDecoder().decode(Session.self, from: data)
        #expect(back == session && back.raw["brand_new_field"] == "kept")
    }

    @Test func aMissingIdentifierIsAClearError() {
        #expect(throws: MuxiError.self) { try Session(json: ["user_id": "x"]) }
    }

    @Test func envelopeMetadataIsAddedOnlyWhenAbsent() throws {
        let chat = try Self.data("chat_nonstream")
        #expect(chat["request_id"] == .null)
        let trigger = try Self.data("trigger_fire_async")
        #expect(trigger["request_id"] == "req_NqnLyAG62RzBwDL6nIFYu")
        let failure = #"{"object":"error","success":false,"error":{"code":"X","message":"m"},"data":{}}"#
        #expect(throws: MuxiError.self) { try Envelope.unwrap(try JSONValue(parsing: failure), status: 200) }
    }
}
