import Testing
import TestSupport
import Foundation
@testable import MuxiChatCommands
import MuxiClient

/// The SDK-update notice on the command line: one line on stderr, quiet for 12 hours for the
/// same version, never on stdout, silenced by `MUXI_SDK_VERSION_NOTIFICATION=0`.
@Suite(.serialized) struct CLIUpdateNoticeTests {
    @Test func theSameVersionStaysQuietForTwelveHours() {
        let update = SDKUpdate(latest: "0.2.0", current: "0.1.0")
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(UpdateNotice.shouldShow(update, remembered: nil, now: now))
        #expect(UpdateNotice.shouldShow(update, remembered: "garbage", now: now))
        #expect(!UpdateNotice.shouldShow(update, remembered: "0.2.0\t\(2_000_000_000 - 3600)\n", now: now))
        #expect(UpdateNotice.shouldShow(update, remembered: "0.2.0\t\(2_000_000_000 - 12 * 3600)", now: now))
        #expect(UpdateNotice.shouldShow(update, remembered: "0.1.9\t\(2_000_000_000 - 60)", now: now))   // a newer one
        #expect(UpdateNotice.shouldShow(update, remembered: "0.2.0\t\(2_000_000_000 + 60)", now: now))   // a clock set back
    }

    @Test func oneLineOnStderrThenQuiet() async throws {
        let server = try await LoopbackServer { _ in
            LoopbackServer.Response(status: 200, headers: [("Content-Type", "application/json"), ("X-Muxi-SDK-Latest", "999.0.0")],
                                    body: Array(#"{"status":"healthy","version":"1"}"#.utf8))
        }
        defer { Task { await server.stop() } }
        let env = CLI.home()
        let first = try CLI.run(["health", "--url", server.url, "--json"], env: env)
        #expect(first.code == 0 && (try? JSONValue(parsing: first.out)) != nil, "\(first.out)")
        #expect(first.err == UpdateNotice.text(SDKUpdate(latest: "999.0.0", current: MuxiClientVersion.current)) + "\n", "\(first.err)")
        let again = try CLI.run(["health", "--url", server.url], env: env)
        #expect(again.code == 0 && again.err.isEmpty, "\(again.err)")
        var silenced = CLI.home()
        silenced["MUXI_SDK_VERSION_NOTIFICATION"] = "0"
        let quiet = try CLI.run(["health", "--url", server.url], env: silenced)
        #expect(quiet.code == 0 && quiet.err.isEmpty, "\(quiet.err)")
    }
}
