import Testing
import TestSupport
import Foundation
import Crypto
import MuxiClient

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
