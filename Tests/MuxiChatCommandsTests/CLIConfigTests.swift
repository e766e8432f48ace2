import Testing
import TestSupport
import Foundation
@testable import MuxiChatCommands
import MuxiClient

/// The config file and the precedence of flags, environment and profile (no server needed).
@Suite struct CLIConfigTests {
    static let sample = """
        # comment
        default_profile = "local"

        [profile.local]
        url = "http://file-url:1"   # trailing comment
        client_key = "fmc_from_file"
        user = 'file-user'

        [profile.other]
        url = "http://other:2"
        draft = true
        """

    @Test func parsesProfiles() throws {
        let file = try ConfigFile.parse(Self.sample, path: "c.toml")
        #expect(file.defaultProfile == "local")
        #expect(file.profiles["local"] == ["url": "http://file-url:1", "client_key": "fmc_from_file", "user": "file-user"])
        #expect(file.profiles["other"]?["draft"] == "true")
    }

    @Test(arguments: [("[profile.x\nurl = \"a\"", 1), ("[profile.x]\nurl = \"unterminated", 2), ("[profile.x]\nnonsense", 2),
                      ("[profile.x]\ncolour = \"red\"", 2), ("url = \"top level\"", 1), ("[server]", 1), ("[profile.x]\nurl = bare", 2)])
    func syntaxErrorsNameTheLine(text: String, line: Int) {
        do {
            _ = try ConfigFile.parse(text, path: "c.toml")
            Issue.record("accepted: \(text)")
        } catch let error as CLIError {
            #expect(error.message.hasPrefix("c.toml:\(line):") && error.exitCode == 2)
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverTheFile() throws {
        let home = CLI.home()
        let path = home["XDG_CONFIG_HOME"]! + "/muxi-chat/config.toml"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.sample.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        var env = home
        let fromFile = try ConnectionOptions.parse([]).resolve(environment: env)
        #expect(fromFile.value("url") == "http://file-url:1" && fromFile.value("user") == "file-user" && fromFile.warnings.isEmpty)
        env["MUXI_URL"] = "http://env-url:3"
        env["MUXI_USER_ID"] = "env-user"
        let fromEnv = try ConnectionOptions.parse([]).resolve(environment: env)
        #expect(fromEnv.value("url") == "http://env-url:3" && fromEnv.value("client_key") == "fmc_from_file")
        let fromFlag = try ConnectionOptions.parse(["--url", "http://flag:4", "--profile", "other"]).resolve(environment: env)
        #expect(fromFlag.value("url") == "http://flag:4" && fromFlag.value("draft") == "true" && fromFlag.value("user") == "env-user")
        #expect(throws: CLIError.self) { try ConnectionOptions.parse(["--profile", "missing"]).resolve(environment: env) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = try ConnectionOptions.parse([]).resolve(environment: home)
        #expect(open.warnings.first?.contains("chmod 600") == true)
    }

    @Test func theBinaryReportsConfigurationProblemsWithExitCode2() throws {
        let home = CLI.home()
        let noURL = try CLI.run(["health"], env: home)
        #expect(noURL.code == 2 && noURL.err.hasPrefix("error: configuration: no formation to talk to"))
        #expect(noURL.err.contains("hint: ") && noURL.out.isEmpty)
        let path = home["XDG_CONFIG_HOME"]! + "/muxi-chat/config.toml"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "[profile.x]\nurl = oops".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["health"], env: home)
        #expect(bad.code == 2 && bad.err.contains("config.toml:2:"))
        let usage = try CLI.run(["messages"], env: home)
        #expect(usage.code == 2 && usage.err.hasPrefix("error: usage: Missing expected argument"))
        #expect(usage.err.contains("hint: see muxi-chat messages --help"))
        let help = try CLI.run(["--help"], env: home)
        #expect(help.code == 0 && help.out.contains("SUBCOMMANDS:"))
    }

    @Test func theKeysSectionRebindsTheAppsKeysAndBadBindingsNameTheLine() throws {
        let file = try ConfigFile.parse("[keys]\npalette = \"alt+k\"\nsearch = 'none'\n[profile.x]\nurl = \"http://x\"", path: "c.toml")
        #expect(file.keys.map(\.command) == ["palette", "search"] && file.keys.map(\.line) == [2, 3])
        #expect(file.profiles["x"]?["url"] == "http://x")
        let home = CLI.home()
        let path = home["XDG_CONFIG_HOME"]! + "/muxi-chat/config.toml"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "[keys]\nhelp = \"f1\"\npalette = \"ctrl+a\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["app", "--url", "http://127.0.0.1:1"], env: home)
        #expect(bad.code == 2 && bad.err.contains("config.toml:3: [keys] ctrl+a is an editing key of the message box"))
        let health = try CLI.run(["health", "--url", "http://127.0.0.1:1"], env: home)   // every command checks it
        #expect(health.code == 2 && health.err.contains("[keys] ctrl+a is an editing key"))
    }

    @Test func aBadScheduleIsRefusedBeforeAnythingIsSent() throws {
        let bad = try CLI.run(["jobs", "create", "--url", "http://127.0.0.1:1", "--admin-key", "k", "--type", "recurring",
                               "--schedule", "0 25 * * *", "x"], env: CLI.home())
        #expect(bad.code == 2 && bad.err.contains("cron hour \"25\" is not valid"))
    }

    @Test func webhookVerifyReadsStdin() throws {
        let body = #"{"id":"req_1","status":"completed","timestamp":1764412805123,"response":[{"type":"text","text":"done"}]}"#
        let t = Int(Date().timeIntervalSince1970)
        let header = WebhookSigning.header(body: Array(body.utf8), secret: "s3cret", t: t)
        let ok = try CLI.run(["webhook", "verify", "--secret", "s3cret", "--signature", header], stdin: body, env: CLI.home())
        #expect(ok.code == 0 && ok.out.contains(#""text": "done""#) && ok.out.contains(#""request_id": "req_1""#))
        let bad = try CLI.run(["webhook", "verify", "--secret", "wrong", "--signature", header], stdin: body, env: CLI.home())
        #expect(bad.code == 3 && bad.err.contains("INVALID_SIGNATURE"))
    }
}

import Crypto

enum WebhookSigning {
    static func header(body: [UInt8], secret: String, t: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(t),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

}

@Suite struct CLIUsageTests {
    /// The trial's CLI defects (14, 19, 26): usage hints that name a real command, unknown
    /// commands to `help`, errors that do not repeat themselves, config values checked.
    @Test func usageHintsAndErrorsReadWell() throws {
        let home = CLI.home()
        let flagFirst = try CLI.run(["--user", "u1", "sessions"], env: home)
        #expect(flagFirst.code == 2 && flagFirst.err.contains("hint: see muxi-chat sessions --help"))
        let bogus = try CLI.run(["--bogus"], env: home)
        #expect(bogus.code == 2 && bogus.err.contains("hint: see muxi-chat --help") && !bogus.err.contains("USAGE:"))
        let help = try CLI.run(["help", "bogus"], env: home)
        #expect(help.code == 2 && help.err.contains("unknown command bogus"))
        #expect(try CLI.run(["help", "ask"], env: home).code == 0)
        let empty = try CLI.run(["ask", "", "--url", "http://127.0.0.1:1"], env: home)
        #expect(empty.code == 2 && empty.err.contains("the message is empty"))
        #expect(MuxiChat.describe(kind: .notFound, code: "NOT_FOUND", message: "no such job") == "not found: no such job")
        #expect(MuxiChat.describe(kind: .notFound, code: "TRIGGER_NOT_FOUND", message: "no trigger") == "not found: no trigger (TRIGGER_NOT_FOUND)")
    }

    @Test func configValuesAreChecked() throws {
        let home = CLI.home()
        let path = home["XDG_CONFIG_HOME"]! + "/muxi-chat/config.toml"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for bad in ["\"ten\"", "-5", "0"] {
            try "[profile.local]\nurl = \"http://127.0.0.1:1\"\ntimeout = \(bad)\n".write(toFile: path, atomically: true, encoding: .utf8)
            let run = try CLI.run(["health", "--profile", "local"], env: home)
            #expect(run.code == 2 && run.err.contains("the timeout must be a number of seconds above 0"), "\(bad): \(run.err)")
        }
        try "[profile.local]\nurl = \"http://127.0.0.1:1\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let unchosen = try CLI.run(["health"], env: home)
        #expect(unchosen.code == 2 && unchosen.err.contains("profiles there: local") && unchosen.err.contains("--profile NAME"))
    }
}

import ArgumentParser

@Suite struct CommandNameTests {
    /// Every command names itself: left to derive its name, swift-argument-parser describes the
    /// type, and each such description scans every protocol conformance of the binary (a third
    /// of `--version`'s time, measured with perf, with 30 commands).
    @Test func everyCommandHasAnExplicitName() {
        func walk(_ command: any ParsableCommand.Type, _ path: String) -> [String] {
            let configuration = command.configuration
            let here = configuration.commandName == nil ? [path] : []
            return here + configuration.subcommands.flatMap { walk($0, path + " " + $0._commandName) }
        }
        #expect(walk(MuxiChat.self, "muxi-chat") == [])
    }
}

@Suite struct VersionTests {
    /// One version: `--version` prints the library's, the README's dependency line names it,
    /// and requests carry it in `X-Muxi-SDK` (checked in SDKUpdateTests).
    @Test func theVersionHasOneSource() throws {
        let printed = try CLI.run(["--version"], env: CLI.home())
        #expect(printed.code == 0 && printed.out == MuxiClientVersion.current + "\n")
        let readme = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/MuxiChatCommandsTests/CLIConfigTests.swift", with: "README.md"),
                                encoding: .utf8)
        #expect(readme.contains(#"from: "\#(MuxiClientVersion.current)")"#))
    }
}
