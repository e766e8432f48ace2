import Testing
import TestSupport
import MuxiClient
import MuxiClientTesting

/// What goes on the wire: the right key, user, path, body for every route (protocol §3, §11).
@Suite struct FormationClientWireTests {
    @Test func baseURLsOfTheThreeModes() throws {
        #expect(try FormationConfiguration(url: "http://h:8001/").baseURL == "http://h:8001/v1")
        #expect(try FormationConfiguration(serverURL: "http://h:7890", formationID: "my bot").baseURL == "http://h:7890/api/my%20bot/v1")
        #expect(try FormationConfiguration(serverURL: "http://h:7890", formationID: "b", mode: .draft).baseURL == "http://h:7890/draft/b/v1")
        #expect(try FormationConfiguration(baseURL: "https://gw/x/v1//").baseURL == "https://gw/x/v1")
        for bad in ["", "  ", "localhost:8001", "ftp://h", "http://"] {
            #expect(throws: MuxiError.self) { try FormationConfiguration(url: bad) }
        }
    }

    @Test func adminRoutesSendOnlyTheAdminKey() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/agents", .json(200, envelope(#"{"agents":[{"id":"assistant","name":"Assistant","default":true}],"count":1}"#)))
        let agents = try await makeClient(t).agents()
        #expect(agents.map(\.id) == ["assistant"] && agents[0].isDefault)
        let r = try #require(t.requests.first)
        #expect(r.header("X-Muxi-Admin-Key") == Keys.admin)
        #expect(r.header("X-Muxi-Client-Key") == nil)
        #expect(r.header("X-Muxi-User-ID") == nil)
    }

    @Test func clientRoutesSendOnlyTheClientKeyAndTheUser() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions", .json(200, Fixture.text("json/sessions_list.json")))
        let sessions = try await makeClient(t).sessions()
        #expect(sessions.count == 3 && sessions[1].id == "sess_curl_2")
        let r = try #require(t.requests.first)
        #expect(r.header("X-Muxi-Client-Key") == Keys.client && r.header("X-Muxi-Admin-Key") == nil)
        #expect(r.header("X-Muxi-User-ID") == "alice")
    }

    @Test func missingKeysOrUserFailBeforeAnythingIsSent() async throws {
        let t = ScriptedTransport()
        let noAdmin = try makeClient(t) { $0.adminKey = nil }
        let e1 = await #expect(throws: MuxiError.self) { try await noAdmin.agents() }
        #expect(e1?.kind == .configuration && e1?.code == "ADMIN_KEY_REQUIRED")
        let noUser = try makeClient(t, userID: nil)
        let e2 = await #expect(throws: MuxiError.self) { try await noUser.sessions() }
        #expect(e2?.code == "USER_REQUIRED")
        let noClient = try makeClient(t) { $0.clientKey = nil }
        let e3 = await #expect(throws: MuxiError.self) { try await noClient.chat(ChatRequest("hi")) }
        #expect(e3?.code == "CLIENT_KEY_REQUIRED")
        #expect(t.requests.isEmpty)
    }

    @Test func userIDsAndPathSegmentsArePercentEncoded() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions/a%2Bb%40x.com%2Fs/messages", .json(200, Fixture.text("json/session_missing.json")))
        _ = try await makeClient(t).sessionMessages("a+b@x.com/s", userID: "a+b@x.com")
        let r = try #require(t.requests.first)
        #expect(r.url == "http://formation.test/v1/sessions/a%2Bb%40x.com%2Fs/messages?limit=50")
        #expect(r.header("X-Muxi-User-ID") == "a+b@x.com")
    }

    @Test func nonStreamingChatSendsStreamFalseAndItsOwnIDs() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .json(200, Fixture.text("json/chat_nonstream.json")))
        let reply = try await makeClient(t).chat(ChatRequest("hi"))
        #expect(reply.text == "FAKE-LLM reply to: Second message, no streaming please")
        #expect(reply.sessionID == "sess_curl_1")
        let body = try #require(t.requests.first?.bodyJSON)
        #expect(body["stream"] == false && body["message"] == "hi")
        #expect(body["request_id"]?.stringValue?.hasPrefix("req_") == true)
        #expect(body["session_id"]?.stringValue?.hasPrefix("sess_") == true)
    }

    @Test func fireTriggerWrapsDataAndSendsUseAsync() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/triggers/echo-event", .json(200, Fixture.text("json/trigger_fire_sync.json")),
             .json(200, Fixture.text("json/trigger_fire_async.json")))
        let client = try makeClient(t)
        let sync = try await client.fireTrigger("echo-event", data: ["event": "deploy"], async: false)
        #expect(sync.status == "completed" && sync.content?.hasPrefix("FAKE-LLM reply to: Event") == true)
        let async = try await client.fireTrigger("echo-event", data: [1, 2], async: true)
        #expect(async.status == "processing" && async.requestID == "req_NqnLyAG62RzBwDL6nIFYu")
        let bodies = t.requests.compactMap(\.bodyJSON)
        #expect(bodies[0] == ["data": ["event": "deploy"], "use_async": false])
        #expect(bodies[1] == ["data": [1, 2], "use_async": true])
        #expect(t.requests.allSatisfy { !$0.url.contains("?") && $0.header("X-Muxi-Client-Key") == Keys.client })
    }

    @Test func schedulerCallsCarryTheUserHeaderAndTheAdminKey() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/scheduler/jobs", .json(201, Fixture.text("json/scheduler_job_create.json")))
        t.on("GET", "/v1/scheduler/jobs", .json(200, Fixture.text("json/scheduler_jobs_list.json")))
        t.on("POST", "/v1/scheduler/jobs/job_1/pause", .json(200, Fixture.text("json/scheduler_job_pause.json")))
        t.on("DELETE", "/v1/scheduler/jobs/job_1", .json(200, Fixture.text("json/scheduler_job_delete.json")))
        let client = try makeClient(t)
        let job = try await client.createSchedulerJob(type: .recurring, schedule: "0 9 * * 1", message: "Weekly status summary", userID: "bob")
        #expect(job.id == "job_DEDOtGMl5GiYwvCH" && job.schedule == "0 9 * * 1" && job.isRecurring)
        #expect(try await client.schedulerJobs().count == 2)
        #expect(try await client.pauseSchedulerJob("job_1").status == "PAUSED")
        try await client.deleteSchedulerJob("job_1")
        let r = t.requests
        #expect(r[0].bodyJSON == ["type": "recurring", "schedule": "0 9 * * 1", "message": "Weekly status summary"])
        #expect(r[0].header("X-Muxi-User-ID") == "bob" && r[0].header("X-Muxi-Admin-Key") == Keys.admin)
        #expect(r.dropFirst().allSatisfy { $0.header("X-Muxi-User-ID") == "alice" })
    }

    @Test func secretsAreCreatedWithPostAndUpdatedWithPut() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/secrets", .json(409, #"{"object":"error","success":false,"error":{"code":"SECRET_EXISTS","message":"exists","data":null},"data":{}}"#))
        t.on("PUT", "/v1/secrets/API_KEY", .json(200, envelope(#"{"message":"updated"}"#)))
        try await makeClient(t).setSecret("API_KEY", value: "v")
        #expect(t.requests.map(\.method) == ["POST", "PUT"])
        #expect(t.requests[0].bodyJSON == ["key": "API_KEY", "value": "v"])
        #expect(t.requests[1].bodyJSON == ["value": "v"])
    }

    @Test func identifierRoutesUseTheClientKey() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/users/identifiers/u_1", .json(200, envelope(#"{"muxi_user_id":"u_1","identifiers":[{"identifier":"a@x.com","type":"email"}],"count":1}"#)))
        let ids = try await makeClient(t).userIdentifiers(muxiUserID: "u_1")
        #expect(ids.identifiers.map(\.identifier) == ["a@x.com"])
        #expect(t.requests[0].header("X-Muxi-Client-Key") == Keys.client && t.requests[0].header("X-Muxi-Admin-Key") == nil)
    }

    @Test func clearAllBuffersUsesTheRealRoute() async throws {
        let t = ScriptedTransport()
        t.on("DELETE", "/v1/memory/buffers", .json(200, envelope(#"{"message":"ok","entries_cleared":7,"kv_entries_cleared":0}"#)))
        #expect(try await makeClient(t).clearAllBuffers().messagesCleared == 7)
        #expect(t.requests[0].header("X-Muxi-User-ID") == nil)
    }

    @Test func memoryRoutes() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/memories", .json(200, Fixture.text("json/memory_add.json")))
        t.on("GET", "/v1/memories", .json(200, Fixture.text("json/memories_list_after_add.json")))
        t.on("DELETE", "/v1/memories/T7X3fDa1oIR5JjzKhin4N", .json(200, Fixture.text("json/memory_delete.json")))
        let client = try makeClient(t)
        let added = try await client.addMemory(type: "preference", detail: "Prefers tea over coffee")
        #expect(added.type == "preference" && added.detail == "Prefers tea over coffee")
        let page = try await client.memories(limit: 5, offset: 10)
        #expect(page.memories.first?.detail == "Prefers tea over coffee" && page.memories.first?.type == "preference")
        #expect(page.offset == 10 && page.nextOffset == 11 && !page.hasMore)
        try await client.deleteMemory(added.id)
        #expect(t.requests[0].bodyJSON == ["type": "preference", "detail": "Prefers tea over coffee"])
        #expect(t.requests[1].url.hasSuffix("/v1/memories?limit=5&offset=10"))
    }

    @Test func everyRequestCarriesSDKHeadersAndAnIdempotencyKey() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy","version":"1.0.0","uptime_seconds":4}"#))
        let h = try await makeClient(t).health()
        #expect(h.isHealthy && h.uptimeSeconds == 4)
        let r = t.requests[0]
        #expect(r.header("X-Muxi-SDK")?.hasPrefix("swift/") == true)
        #expect(r.header("X-Muxi-Idempotency-Key")?.isEmpty == false)
        #expect(r.header("X-Muxi-Client-Key") == nil && r.header("X-Muxi-Admin-Key") == nil)
    }
}
