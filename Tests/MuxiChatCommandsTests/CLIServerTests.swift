import Testing
import TestSupport
import Foundation
import MuxiClient

/// `muxi-chat server …` against the stand-in MUXI server (HMAC checked like the real one).
@Suite(.serialized) struct CLIServerTests {
    static func withServer(_ body: ([String: String]) throws -> Void) async throws {
        let standIn = StandInMuxiServer()
        let server = try await LoopbackServer { standIn.respond($0) }
        var env = CLI.home()
        env["MUXI_SERVER_URL"] = server.url
        env["MUXI_KEY_ID"] = StandInMuxiServer.keyID
        env["MUXI_SECRET_KEY"] = StandInMuxiServer.secret
        do { try body(env) } catch { await server.stop(); throw error }
        await server.stop()
    }

    @Test func serverCommands() async throws {
        try await Self.withServer { env in
            #expect(try JSONValue(parsing: CLI.run(["server", "status"], env: env).out)["server"]?["status"] == "running")
            #expect(try JSONValue(parsing: CLI.run(["server", "formations"], env: env).out)[0]?["id"] == "my bot")
            #expect(try CLI.run(["server", "stop", "my bot"], env: env).code == 0)
            let conflict = try CLI.run(["server", "start", "my bot"], env: env)
            #expect(conflict.code == 1 && conflict.err.hasPrefix("error: conflict:"))
            let bundle = env["HOME"]! + "/bot.tar.gz"
            _ = FileManager.default.createFile(atPath: bundle, contents: Data([0x1F, 0x8B, 0x08, 0x00, 1, 2, 3]))
            let deploy = try CLI.run(["server", "deploy", bundle, "--id", "weather-bot"], env: env)
            #expect(deploy.code == 0 && deploy.err.contains("extracting: Extracting bundle (10%)"))
            #expect(try JSONValue(parsing: deploy.out)["formation_id"] == "weather-bot")
            let logs = try CLI.run(["server", "logs", "my bot", "--follow"], env: env)
            #expect(logs.out == "started\nhealthy\n")
            var wrong = env
            wrong["MUXI_SECRET_KEY"] = "sk_wrong"
            let denied = try CLI.run(["server", "formations"], env: wrong)
            #expect(denied.code == 3 && denied.err.contains("Invalid signature") && !denied.err.contains("sk_wrong"))
            wrong["MUXI_KEY_ID"] = nil
            #expect(try CLI.run(["server", "status"], env: wrong).code == 2)
        }
    }
}
