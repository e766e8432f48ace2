import Testing
import TestSupport
import Foundation
@testable import MuxiClient

/// Statuses as open sets (named values, others kept) and JSON from `Encodable` values.
@Suite struct WireValueTests {
    @Test func statusesNameTheKnownValuesAndKeepTheOthers() throws {
        let job = try ScheduledJob(json: ["id": "job_1", "message": "hi", "status": "ACTIVE", "last_run_status": "failed"])
        #expect(job.status == .active && job.lastRunStatus == .failed && !job.isPaused)
        let odd = try ScheduledJob(json: ["id": "job_2", "message": "hi", "status": "ARCHIVED"])
        switch odd.status {
        case .active, .paused, .completed: Issue.record("ARCHIVED is none of them")
        default: #expect(odd.status.rawValue == "ARCHIVED" && "\(odd.status)" == "ARCHIVED")
        }
        #expect(try JobStatusChange(json: ["id": "job_1", "status": "PAUSED"]).status == .paused)
        #expect(try TriggerResult(json: ["status": "processing"]).status == .processing)
        #expect(ChatCompletion(text: "no", status: .error, requestID: "r", sessionID: "s").isError)
        #expect(!ChatCompletion(text: "ok", requestID: "r", sessionID: "s").isError)
        let literal: RequestInfo.Status = "completed"
        #expect(literal == .completed && literal.isTerminal)
        let coded = try JSONDecoder().decode([ScheduledJob.Status].self, from: Data(#"["PAUSED","NEW"]"#.utf8))
        #expect(coded == [.paused, "NEW"])
        #expect(String(decoding: try JSONEncoder().encode(coded), as: UTF8.self) == #"["PAUSED","NEW"]"#)
    }

    @Test func webhookStatuses() throws {
        let escalation = WebhookEvent(json: ["request_id": "req_1", "state": "achieved", "attempts": 2])
        #expect(escalation.status == .escalated)
        let question = WebhookEvent(json: ["id": "req_2", "status": "awaiting_clarification", "clarification_question": "Which city?"])
        #expect(question.status == .awaitingClarification && question.clarification?.question == "Which city?")
        #expect(WebhookEvent(json: ["id": "req_3"]).status == .unknown)
    }

    @Test func jsonFromEncodableValues() throws {
        struct Issue: Encodable {
            let number: Int
            let title: String
            let labels: [String]
            let opened: Date
            let score: Double?
        }
        let title = "Bug \"report\"\n"
        let value = try JSONValue(encoding: Issue(number: 123, title: title, labels: ["bug"],
                                                  opened: Date(timeIntervalSince1970: 1_764_000_000), score: nil))
        #expect(value["number"] == 123 && value["title"]?.stringValue == title && value["labels"] == ["bug"])
        #expect(value["opened"] == "2025-11-24T16:00:00Z" && value["score"] == nil)
        let city = "Lisbon"
        #expect(try JSONValue(encoding: ["city": city, "units": "metric"]) == ["city": "Lisbon", "units": "metric"])
        #expect(try JSONValue(encoding: 0.1) == 0.1)
        let bad = #expect(throws: MuxiError.self) { try JSONValue(encoding: Double.nan) }
        #expect(bad?.kind == .validation)
    }

    /// The synchronous calls throw `MuxiError` itself: `error` in these `catch` blocks is a
    /// `MuxiError` without a cast (the test would not compile otherwise).
    @Test func synchronousCallsThrowMuxiErrorItself() {
        do { _ = try JSONValue(parsing: #"{"a": "#) } catch { #expect(error.kind == .validation && error.code == "INVALID_JSON") }
        do { _ = try FormationConfiguration(url: "not a url") } catch { #expect(error.kind == .configuration) }
        do { _ = try ServerClient(url: "http://h", keyID: "", secretKey: "") } catch { #expect(error.code == "SERVER_KEYS_REQUIRED") }
        do { _ = try ScheduledJob(json: ["status": "ACTIVE"]) } catch { #expect(error.message.contains("without \"id\"")) }
        do { _ = try Webhook.parse(Array("[1]".utf8)) } catch { #expect(error.code == "INVALID_WEBHOOK") }
    }
}
