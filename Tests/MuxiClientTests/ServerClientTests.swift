import Testing
import TestSupport
import Foundation
import Crypto
import Logging
import MuxiClient

@Suite(.serialized) struct ServerClientTests {
    static func withServer(_ body: (ServerClient, StandInMuxiServer) async throws -> Void,
                           secret: String = StandInMuxiServer.secret, skew: TimeInterval = 0,
                           logger: Logger = Logger(label: "muxi")) async throws {
        let standIn = StandInMuxiServer()
        let server = try await LoopbackServer { standIn.respond($0) }
        let client = try ServerClient(url: server.url, keyID: StandInMuxiServer.keyID, secretKey: secret,
                                      retryPolicy: RetryPolicy(initialDelay: .milliseconds(1)), debug: true,
                                      logger: logger, now: { Date().addingTimeInterval(skew) })
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

    @Test func readsAreRetriedWithOneIdempotencyKeyAndActionsAreNot() async throws {
        let capture = LogCapture()
        try await Self.withServer({ client, standIn in
            standIn.beBusy(for: 2)
            #expect(try await client.formations().count == 1)
            let tries = standIn.requests.filter { $0.path == "/rpc/formations" }
            #expect(tries.count == 3)
            let keys = Set(tries.compactMap { $0.header("X-Muxi-Idempotency-Key") })
            #expect(keys.count == 1 && tries.allSatisfy { $0.header("Authorization") != nil })

            standIn.beBusy(for: 1)
            let e = await #expect(throws: MuxiError.self) { try await client.stop("my bot") }
            #expect(e?.statusCode == 503)
            #expect(standIn.requests.filter { $0.path.hasSuffix("/stop") }.count == 1)

            standIn.beBusy(for: 3)   // more than the two retries
            let busy = await #expect(throws: MuxiError.self) { try await client.status() }
            #expect(busy?.statusCode == 503 && standIn.requests.filter { $0.path == "/rpc/server/status" }.count == 3)

            standIn.beBusy(for: 1)   // a stream is retried before its body starts
            var lines = 0
            for try await case .log in client.followLogs("my bot", stream: .stderr) { lines += 1 }
            #expect(lines == 2)
            let follows = standIn.requests.filter { $0.path.hasSuffix("/logs") }
            #expect(follows.count == 2 && follows.allSatisfy { $0.query["stream"] == "stderr" })
        }, logger: Logger(label: "test") { _ in capture })
        let log = capture.lines.joined(separator: "\n")
        #expect(log.contains("GET /rpc/formations -> 503") && log.contains("retry GET /rpc/formations after"))
        #expect(log.contains("GET /rpc/formations -> 200") && log.contains("POST /rpc/formations/my%20bot/stop -> 503"))
        #expect(!log.contains(StandInMuxiServer.secret) && !log.contains("MUXI-HMAC") && !log.contains("signature"))
    }

    @Test func logsOfOneStream() async throws {
        try await Self.withServer { client, _ in
            let stdout = try await client.logs("my bot", lines: 5, stream: .stdout)
            let odd = try await client.logs("my bot", stream: "odd&name")
            let all = try await client.logs("my bot")
            #expect(stdout["stream"] == "stdout" && odd["stream"] == "odd&name" && all["stream"] == "none")
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
