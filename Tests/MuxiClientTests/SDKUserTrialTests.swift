import Testing
import Foundation
import TestSupport
@testable import MuxiClient
import MuxiClientTesting

/// The SDK user trial's findings (design/sdk-user-trial-2026-12-01.md), each with its test.
@Suite struct SDKUserTrialTests {
    static let secrets = [Keys.client, Keys.admin, "sk_server_secret_42"]

    /// No public type prints a key: `print`, interpolation, `debugPrint` and `dump`.
    @Test func noDescriptionShowsAKey() throws {
        let formation = try makeClient(ScriptedTransport())
        let server = try ServerClient(url: "http://h:7890", keyID: "MUXI_k1", secretKey: "sk_server_secret_42")
        let signer = HMACSigner(keyID: "MUXI_k1", secretKey: "sk_server_secret_42")
        let values: [Any] = [formation, formation.configuration, server, signer]
        for value in values {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [String(describing: value), String(reflecting: value), "\(value)", dumped] {
                #expect(!Self.secrets.contains { text.contains($0) }, "\(text)")
            }
        }
        #expect(String(describing: formation.configuration).contains("clientKey: <redacted>"))
        #expect(String(describing: server).contains("keyID: \"MUXI_k1\""))
    }

    @Test func anUnscriptedCallSaysWhichMethodAndPath() async throws {
        let e = await #expect(throws: MuxiError.self) { try await makeClient(ScriptedTransport()).sessions() }
        #expect(e?.code == "NOT_SCRIPTED" && e?.message.contains("GET /v1/sessions") == true, "\(e?.message ?? "")")
    }

    @Test func jsonPrintsAsJSON() throws {
        #expect("\(JSONValue.object(["ok": true]))" == #"{"ok":true}"#)
        #expect(String(describing: try JSONValue(parsing: Array(#"[1,"a",null]"#.utf8))) == #"[1,"a",null]"#)
    }

    @Test func aStreamIsIteratedOnceAndASecondIterationSendsNothing() async throws {
        let t = ScriptedTransport()
        let completed = ChatToken(kind: .completed, text: "once", requestID: "req_1", sessionID: "sess_1").sseFrame
        t.on("POST", "/v1/chat", .sse([completed, "event: done\ndata: {}\n\n"]))
        let stream = try makeClient(t).chatStream(ChatRequest("hi"))
        for try await _ in stream {}
        let e = await #expect(throws: MuxiError.self) { for try await _ in stream {} }
        #expect(e?.code == "STREAM_ALREADY_READ")
        #expect(t.requests(to: "/v1/chat").count == 1)
    }

    @Test func jobsArePausedResumedAndDeletedWithTheAdminKeyAlone() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/scheduler/jobs/job_1/pause", .json(200, envelope(#"{"id":"job_1","status":"PAUSED"}"#)))
        t.on("POST", "/v1/scheduler/jobs/job_1/resume", .json(200, envelope(#"{"id":"job_1","status":"ACTIVE"}"#)))
        t.on("DELETE", "/v1/scheduler/jobs/job_1", .json(200, envelope(#"{"deleted":true}"#)))
        let admin = try makeClient(t, userID: nil)
        try await admin.pauseSchedulerJob("job_1")
        try await admin.resumeSchedulerJob("job_1")
        try await admin.deleteSchedulerJob("job_1")
        #expect(t.requests.count == 3 && t.requests.allSatisfy { $0.header("X-Muxi-User-ID") == nil })
    }

    @Test func muxiDebugIsOnOnlyForOneTrueOrYes() {
        for (value, on) in [("0", false), ("false", false), ("no", false), ("", false), (nil, false), ("1", true), ("true", true), ("YES", true)] {
            #expect(FormationConfiguration.isOn(value) == on, "MUXI_DEBUG=\(value ?? "unset")")
        }
    }

    /// The README's "Testing your code" snippet, as written there.
    @Test func theReadmeTestingSnippetWorks() async throws {
        let transport = ScriptedTransport()
        let frame = { (kind: ChatToken.Kind, text: String) in
            ChatToken(kind: kind, text: text, requestID: "req_1", sessionID: "sess_1").sseFrame
        }
        transport.on("POST", "/v1/chat", .sse([frame(.content, "Hi"), frame(.completed, "Hi"), "event: done\ndata: {}\n\n"]))
        let formation = try FormationClient(url: "http://test", clientKey: "k", userID: "u", transport: transport)
        var answer = ""
        for try await event in formation.chatStream(ChatRequest("Hello")) {
            if case .completed(let done) = event { answer = done.text }
        }
        #expect(answer == "Hi")
    }

    @Test func configurationComesFromTheCommandLinesVariables() throws {
        let direct = try FormationConfiguration.fromEnvironment(["MUXI_URL": "http://h:8001", "MUXI_CLIENT_KEY": "fmc_1", "MUXI_USER_ID": "ann"])
        #expect(direct.baseURL == "http://h:8001/v1" && direct.clientKey == "fmc_1" && direct.userID == "ann" && direct.adminKey == nil)
        let proxied = try FormationConfiguration.fromEnvironment(["MUXI_SERVER_URL": "http://s:7890", "MUXI_FORMATION_ID": "my bot", "MUXI_ADMIN_KEY": "fma_1"])
        #expect(proxied.baseURL == "http://s:7890/api/my%20bot/v1" && proxied.adminKey == "fma_1")
        let e1 = #expect(throws: MuxiError.self) { try FormationConfiguration.fromEnvironment([:]) }
        #expect(e1?.message.contains("MUXI_URL") == true)
        let e2 = #expect(throws: MuxiError.self) { try FormationConfiguration.fromEnvironment(["MUXI_SERVER_URL": "http://s:1"]) }
        #expect(e2?.message.contains("MUXI_FORMATION_ID") == true)
        let server = try ServerClient.fromEnvironment(["MUXI_SERVER_URL": "http://s:7890", "MUXI_KEY_ID": "MUXI_k", "MUXI_SECRET_KEY": "sk"])
        #expect(server.keyID == "MUXI_k")
        #expect(throws: MuxiError.self) { try ServerClient.fromEnvironment(["MUXI_SERVER_URL": "http://s:7890"]) }
    }

    @Test func anyRouteThroughTheEscapeHatch() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/tuning", .json(200, envelope(#"{"runs":[],"count":0}"#)))
        t.on("GET", "/v1/logs", .sse([": keepalive\n\n", "event: log\ndata: {\"level\":\"info\"}\n\n", "data: plain\n\n"]))
        t.on("GET", "/v1/nope", .json(404, #"{"success":false,"error":{"code":"NOT_FOUND","message":"Not Found"}}"#))
        let client = try makeClient(t)
        #expect(try await client.request("GET", "/tuning", query: [("limit", "5")])["count"] == 0)
        #expect(t.requests.first?.url == "http://formation.test/v1/tuning?limit=5")
        #expect(t.requests.first?.header("X-Muxi-Client-Key") == Keys.client && t.requests.first?.header("X-Muxi-User-ID") == "alice")
        var frames: [SSEFrame] = []
        for try await frame in client.eventStream("GET", "logs") { frames.append(frame) }
        #expect(frames.map(\.event) == ["log", nil] && frames.map(\.text) == [#"{"level":"info"}"#, "plain"])
        let e = await #expect(throws: MuxiError.self) { try await client.request("GET", "/nope") }
        #expect(e?.kind == .notFound)
    }
}
