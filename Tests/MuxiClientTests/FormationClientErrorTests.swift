import Testing
import TestSupport
import Foundation
import MuxiClient
import MuxiClientTesting

/// Errors and retries (protocol §4, issue: retries and errors).
@Suite struct FormationClientErrorTests {
    @Test(arguments: [
        ("chat_bad_key", 401, MuxiError.Kind.authentication, "UNAUTHORIZED", "Invalid client API key. Please check your 'X-Muxi-Client-Key' header value."),
        ("agents_with_client_key", 401, .authentication, "UNAUTHORIZED", "A valid admin API key is required. Please provide the 'X-Muxi-Admin-Key' header."),
        ("chat_invalid_body", 422, .validation, "INVALID_PARAMS", "Validation failed: 1 error(s)"),
        ("trigger_missing", 404, .notFound, "RESOURCE_NOT_FOUND", "Trigger template 'nope' not found at: <state>/formation/triggers/nope.md"),
    ])
    func nestedErrorBodiesAreRead(fixture: String, status: Int, kind: MuxiError.Kind, code: String, message: String) {
        let e = MuxiError.fromResponse(status: status, body: Fixture.bytes("json/\(fixture).json"))
        #expect(e.kind == kind && e.code == code && e.message == message && e.statusCode == status)
        #expect(e.details["error"]?["code"]?.stringValue == code)
    }

    /// A 404 that is the web framework's own (the route does not exist on this runtime) says
    /// so, naming the call; a 404 about a thing the route looked up stays as the server wrote it.
    @Test func aRouteTheRuntimeDoesNotServeSaysSo() async throws {
        let t = ScriptedTransport()
        // the runtime's own answer for a path it has no route for (captured 2026-12-01)
        t.on("GET", "/v1/tuning", .json(404, #"{"object":"error","type":"error.not_found","success":false,"error":{"code":"RESOURCE_NOT_FOUND","message":"Not Found","data":null},"data":{}}"#))
        t.on("GET", "/v1/skills", .json(404, #"{"detail":"Not Found"}"#))
        t.on("GET", "/v1/triggers/nope", .json(404, Fixture.text("json/trigger_missing.json")))
        let client = try makeClient(t)
        let unserved = await #expect(throws: MuxiError.self) { try await client.tuning() }
        #expect(unserved?.kind == .notFound && unserved?.code == "ROUTE_NOT_SERVED" && unserved?.statusCode == 404)
        #expect(unserved?.message == "this server does not serve GET /v1/tuning (a runtime older or newer than this library?)")
        let bare = await #expect(throws: MuxiError.self) { try await client.skills() }
        #expect(bare?.code == "ROUTE_NOT_SERVED" && bare?.message.contains("GET /v1/skills") == true)
        let missing = await #expect(throws: MuxiError.self) { try await client.trigger("nope") }
        #expect(missing?.code == "RESOURCE_NOT_FOUND")
    }

    @Test func serverStyleAndUnparseableErrorBodies() {
        let s = MuxiError.fromResponse(status: 401, body: Array(#"{"error":"Unauthorized","message":"Invalid signature","code":401}"#.utf8))
        #expect(s.kind == .authentication && s.code == "401" && s.message == "Invalid signature")
        let html = MuxiError.fromResponse(status: 502, body: Array("<html>bad gateway</html>".utf8))
        #expect(html.kind == .server && html.code == "SERVER_ERROR" && html.message.contains("bad gateway"))
        #expect(MuxiError.fromResponse(status: 405, body: []).kind == .unknown)
        #expect(MuxiError.fromResponse(status: 409, body: []).kind == .conflict)
        #expect(MuxiError.fromResponse(status: 429, body: []).code == "RATE_LIMITED")
    }

    @Test func rateLimitsAreRetriedHonouringRetryAfterWithTheSameIdempotencyKey() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions",
             .json(429, #"{"error":{"code":"RATE_LIMITED","message":"slow down"}}"#, headers: [HTTPHeader("Retry-After", "0")]),
             .json(503, "{}"),
             .json(200, Fixture.text("json/sessions_list.json")))
        let sessions = try await makeClient(t, maxRetries: 2).sessions()
        #expect(sessions.count == 3)
        #expect(t.requests.count == 3)
        #expect(Set(t.requests.compactMap { $0.header("X-Muxi-Idempotency-Key") }).count == 1)
    }

    @Test func retriesStopAtMaxRetries() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions", .json(502, "{}"))
        let e = await #expect(throws: MuxiError.self) { try await makeClient(t, maxRetries: 3).sessions() }
        #expect(e?.kind == .server && e?.statusCode == 502)
        #expect(t.requests.count == 4)
    }

    @Test func aRateLimitCarriesRetryAfterWhenRetriesAreExhausted() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/sessions", .json(429, "{}", headers: [HTTPHeader("Retry-After", "7")]))
        let e = await #expect(throws: MuxiError.self) { try await makeClient(t, maxRetries: 0).sessions() }
        #expect(e?.kind == .rateLimit && e?.retryAfter == 7)
    }

    @Test func aPostWithoutIdempotencyIsNotRetried() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/memories", .json(503, "{}"))
        _ = await #expect(throws: MuxiError.self) { try await makeClient(t).addMemory(type: "fact", detail: "x") }
        #expect(t.requests.count == 1)
        t.on("POST", "/v1/chat", .json(503, "{}"), .json(200, Fixture.text("json/chat_nonstream.json")))
        _ = try await makeClient(t).chat(ChatRequest("hi"))
        #expect(t.requests(to: "/v1/chat").count == 2)
        #expect(Set(t.requests(to: "/v1/chat").compactMap { $0.header("X-Muxi-Idempotency-Key") }).count == 1)
    }

    @Test func connectionFailuresAreRetriedThenReported() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .failure(MuxiError(kind: .connection, code: "CONNECTION_ERROR", message: "refused")))
        let e = await #expect(throws: MuxiError.self) { try await makeClient(t, maxRetries: 1).health() }
        #expect(e?.kind == .connection && t.requests.count == 2)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .hang)
        let client = try makeClient(t, maxRetries: 0) { $0.timeout = .milliseconds(200) }
        let started = ContinuousClock.now
        let e = await #expect(throws: MuxiError.self) { try await client.health() }
        #expect(e?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(10))   // (it would hang forever; generous for a loaded machine)
    }

    @Test func aBodyThatDripsForeverHitsTheTotalTimeout() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .response(status: 200, headers: [], chunks: Array(repeating: [0x20], count: 1000), pause: .milliseconds(20)))
        let client = try makeClient(t, maxRetries: 0) { $0.timeout = .milliseconds(300) }
        let e = await #expect(throws: MuxiError.self) { try await client.health() }
        #expect(e?.kind == .timeout)
    }

    @Test func anHTMLPageInsteadOfJSONIsAClearError() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .response(status: 200, headers: [], chunks: [Array("<html>Up</html>".utf8)], pause: nil))
        let e = await #expect(throws: MuxiError.self) { try await makeClient(t).health() }
        #expect(e?.code == "INVALID_RESPONSE" && e?.message.contains("<html>") == true)
    }

    @Test func backoffGrowsAndIsCapped() {
        let p = RetryPolicy(initialDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: 0.1)
        #expect(p.delay(attempt: 0, retryAfter: nil, random: 0) == .milliseconds(500))
        #expect(p.delay(attempt: 3, retryAfter: nil, random: 0) == .seconds(4))
        #expect(p.delay(attempt: 20, retryAfter: nil, random: 1) == .seconds(33))
        #expect(p.delay(attempt: 1, retryAfter: nil, random: -1) == .milliseconds(900))
        #expect(p.delay(attempt: 0, retryAfter: 2.5) == .milliseconds(2500))
        #expect(p.delay(attempt: 0, retryAfter: 3600) == nil)
    }
}
