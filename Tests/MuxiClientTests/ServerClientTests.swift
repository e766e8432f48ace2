import Testing
import Foundation
import Crypto
import MuxiClient

/// A stand-in MUXI server: its HMAC check follows the Go server's (prefix `MUXI-HMAC `,
/// parameters split on ", ", ±300 s, the decoded path without the query, base64 signature).
final class StandInMuxiServer: @unchecked Sendable {
    static let keyID = "MUXI_0123456789abcdef"
    static let secret = "sk_" + String(repeating: "ab", count: 32)
    private let lock = NSLock()
    private var seen: [LoopbackServer.Request] = []
    var requests: [LoopbackServer.Request] { lock.withLock { seen } }

    static func unauthorized(_ reason: String) -> LoopbackServer.Response {
        .json(401, #"{"error":"Unauthorized","message":"\#(reason)","code":401}"#)
    }

    static func check(_ r: LoopbackServer.Request, now: Date = Date()) -> String? {
        guard let header = r.header("Authorization") else { return "Missing authorization header" }
        guard header.hasPrefix("MUXI-HMAC ") else { return "Invalid authorization header format" }
        var params: [String: String] = [:]
        for part in header.dropFirst("MUXI-HMAC ".count).components(separatedBy: ", ") {
            guard let eq = part.firstIndex(of: "=") else { return "Invalid authorization header format" }
            params[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let key = params["key"], let ts = params["timestamp"].flatMap(Int.init), let sig = params["signature"] else {
            return "Invalid authorization header format"
        }
        guard key == keyID else { return "Invalid key" }
        guard abs(Int(now.timeIntervalSince1970) - ts) <= 300 else { return "Request expired (timestamp too old or in future)" }
        let path = r.path.removingPercentEncoding ?? r.path
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(ts);\(r.method);\(path)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString() == sig ? nil : "Invalid signature"
    }

    func respond(_ r: LoopbackServer.Request) -> LoopbackServer.Response {
        lock.withLock { seen.append(r) }
        switch (r.method, r.path) {
        case ("GET", "/ping"): return LoopbackServer.Response(status: 200, headers: [("Content-Type", "text/plain")], body: Array("pong".utf8))
        case ("GET", "/health"): return .json(200, #"{"success":true,"status":"ok","version":"0.2026"}"#)
        default: break
        }
        if let reason = Self.check(r) { return Self.unauthorized(reason) }
        let sse = r.header("Accept") == "text/event-stream"
        switch (r.method, r.path.removingPercentEncoding ?? r.path) {
        case ("GET", "/rpc/server/status"):
            return .json(200, #"{"success":true,"data":{"server":{"status":"running","version":"0.2026"},"formations":{"total":1,"running":1,"stopped":0}}}"#)
        case ("GET", "/rpc/formations"):
            return .json(200, #"{"success":true,"data":{"formations":[{"id":"my bot","status":"running","port":8001,"version":"1.0.0","healthy":true}],"total":1}}"#)
        case ("GET", "/rpc/formations/my bot"):
            return .json(200, #"{"success":true,"data":{"id":"my bot","status":"running","port":8001,"current_version":"1.0.0","pid":42,"restart_count":0}}"#)
        case ("POST", "/rpc/formations"):
            guard let id = r.header("X-Formation-ID") else { return .json(400, #"{"error":"Bad Request","message":"X-Formation-ID header is required","code":400}"#) }
            guard r.header("Content-Type") == "application/gzip", r.body.starts(with: [0x1F, 0x8B]) else {
                return .json(400, #"{"error":"Bad Request","message":"expected a gzip bundle","code":400}"#)
            }
            if sse {
                return .sse("event: progress\ndata: {\"stage\":\"extracting\",\"message\":\"Extracting bundle\",\"progress\":10}\n\nevent: progress\ndata: {\"stage\":\"health_check\",\"message\":\"Waiting for health\"}\n\nevent: complete\ndata: {\"formation_id\":\"\(id)\",\"port\":8002,\"status\":\"running\"}\n\n")
            }
            return .json(201, #"{"success":true,"data":{"formation_id":"\#(id)","port":8002,"status":"running"}}"#)
        case ("PUT", "/rpc/formations/my bot"):
            return r.body.starts(with: [0x1F, 0x8B]) ? .json(200, #"{"success":true,"data":{"previous_version":"1.0.0","new_version":"1.1.0"}}"#)
                : .json(400, #"{"error":"Bad Request","message":"expected a gzip bundle","code":400}"#)
        case ("POST", "/rpc/formations/my bot/start"):
            return .json(409, #"{"error":"Conflict","message":"formation is already running","code":409}"#)
        case ("POST", "/rpc/formations/my bot/stop"), ("POST", "/rpc/formations/my bot/restart"),
             ("POST", "/rpc/formations/my bot/rollback"), ("DELETE", "/rpc/formations/my bot"):
            return .json(200, #"{"success":true,"data":{"id":"my bot"},"message":"ok"}"#)
        case ("GET", "/rpc/formations/my bot/logs"):
            if r.query["follow"] == "true" {
                return .sse("event: log\ndata: {\"line\":\"started\"}\n\nevent: log\ndata: {\"line\":\"healthy\"}\n\n")
            }
            return .json(200, #"{"success":true,"data":{"formation_id":"my bot","lines":["a","b"],"requested":"\#(r.query["lines"] ?? "none")"}}"#)
        default:
            return .json(404, #"{"error":"Not Found","message":"Endpoint not found","code":404}"#)
        }
    }
}

@Suite(.serialized) struct ServerClientTests {
    static func withServer(_ body: (ServerClient, StandInMuxiServer) async throws -> Void,
                           secret: String = StandInMuxiServer.secret, skew: TimeInterval = 0) async throws {
        let standIn = StandInMuxiServer()
        let server = try await LoopbackServer { standIn.respond($0) }
        let client = try ServerClient(url: server.url, keyID: StandInMuxiServer.keyID, secretKey: secret,
                                      now: { Date().addingTimeInterval(skew) })
        do { try await body(client, standIn) } catch { await server.stop(); throw error }
        await server.stop()
    }

    static let bundle: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + Array("not really a tarball".utf8)

    @Test func signedCallsAreAccepted() async throws {
        try await Self.withServer { client, standIn in
            #expect(try await client.ping() == "pong")
            #expect(try await client.health()["status"] == "ok")
            #expect(try await client.status()["server"]?["status"] == "running")
            let formations = try await client.formations()
            #expect(formations.map(\.id) == ["my bot"] && formations[0].isHealthy == true)
            let one = try await client.formation("my bot")
            #expect(one.pid == 42 && one.version == "1.0.0")
            #expect(try await client.stop("my bot")["id"] == "my bot")
            _ = try await client.restart("my bot")
            _ = try await client.rollback("my bot")
            _ = try await client.delete("my bot")
            let logs = try await client.logs("my bot", lines: 25)
            #expect(logs["requested"] == "25")
            #expect(standIn.requests.first { $0.path.hasSuffix("/logs") }?.uri.contains("my%20bot") == true)
        }
    }

    @Test func deployAndUpdateSendTheRawBundle() async throws {
        try await Self.withServer { client, standIn in
            let result = try await client.deploy(bundle: Self.bundle, formationID: "weather-bot", version: "1.0.0")
            #expect(result["formation_id"] == "weather-bot" && result["port"] == 8002)
            let deploy = try #require(standIn.requests.last)
            #expect(deploy.body == Self.bundle && deploy.header("X-Formation-ID") == "weather-bot")
            #expect(deploy.header("X-Formation-Version") == "1.0.0")
            #expect(try await client.update("my bot", bundle: Self.bundle)["new_version"] == "1.1.0")
            #expect(standIn.requests.last?.method == "PUT")
        }
    }

    @Test func deployStreamReportsProgressThenCompletion() async throws {
        try await Self.withServer { client, _ in
            var events: [ServerEvent] = []
            for try await e in client.deployStream(bundle: Self.bundle, formationID: "weather-bot") { events.append(e) }
            #expect(events.count == 3)
            #expect(events[0] == .progress(stage: "extracting", message: "Extracting bundle", percent: 10))
            guard case .complete(let done) = events[2] else { Issue.record("\(events)"); return }
            #expect(done["formation_id"] == "weather-bot")
        }
    }

    @Test func followingLogsYieldsLogEvents() async throws {
        try await Self.withServer { client, standIn in
            var lines: [String] = []
            for try await case .log(let line) in client.followLogs("my bot") { lines.append(line["line"]?.stringValue ?? "") }
            #expect(lines == ["started", "healthy"])
            #expect(standIn.requests.last?.header("Accept") == "text/event-stream")
        }
    }

    @Test func aWrongSecretOrAWrongClockIsAnAuthenticationError() async throws {
        try await Self.withServer({ client, _ in
            let e = await #expect(throws: MuxiError.self) { try await client.formations() }
            #expect(e?.kind == .authentication && e?.message == "Invalid signature")
        }, secret: "sk_wrong")
        try await Self.withServer({ client, _ in
            let e = await #expect(throws: MuxiError.self) { try await client.formations() }
            #expect(e?.message == "Request expired (timestamp too old or in future)")
        }, skew: 301)
        try await Self.withServer({ client, _ in
            let count = try await client.formations().count
            #expect(count == 1)
        }, skew: -299)
    }

    @Test func errorsAndConflicts() async throws {
        try await Self.withServer { client, _ in
            let e = await #expect(throws: MuxiError.self) { try await client.start("my bot") }
            #expect(e?.kind == .conflict && e?.message == "formation is already running")
            let missing = await #expect(throws: MuxiError.self) { try await client.cancelUpdate("nope") }
            #expect(missing?.kind == .notFound)
        }
    }

    @Test func theSignatureCoversTheDecodedPathWithoutTheQuery() {
        let signer = HMACSigner(keyID: "k", secretKey: "s")
        #expect(signer.signature(method: "get", target: "/rpc/formations/my%20bot/logs?follow=true", timestamp: 1)
                == signer.signature(method: "GET", target: "/rpc/formations/my bot/logs", timestamp: 1))
        #expect(signer.authorization(method: "GET", target: "/x", timestamp: 7).hasPrefix("MUXI-HMAC key=k, timestamp=7, signature="))
        #expect(throws: MuxiError.self) { try ServerClient(url: "http://h", keyID: "", secretKey: "") }
    }
}
