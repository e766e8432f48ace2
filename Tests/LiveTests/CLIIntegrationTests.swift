import Testing
import TestSupport
import Foundation
import MuxiClient

/// Every subcommand of the real binary against the real runtime: output and exit codes.
extension LiveRuntime {
@Suite(.enabled(if: Live.enabled, "set MUXI_TEST_URL (make test does)"), .serialized)
struct CLIIntegrationTests {
    /// A fresh user with a private home, pointed at the runtime by the environment.
    static func env(user: String = "cli-\(UUID().uuidString.prefix(8).lowercased())") -> [String: String] {
        var env = CLI.home()
        env["MUXI_URL"] = Live.url
        env["MUXI_CLIENT_KEY"] = Live.env["MUXI_TEST_CLIENT_KEY"]
        env["MUXI_ADMIN_KEY"] = Live.env["MUXI_TEST_ADMIN_KEY"]
        env["MUXI_USER_ID"] = user
        return env
    }

    static func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    @Test func askStreamsTheAnswerAndContinueReusesTheSession() throws {
        let env = Self.env()
        let first = try CLI.run(["ask", "what", "is", "seven", "plus", "five?"], env: env)
        #expect(first.code == 0 && first.out == "Stand-in answer: what is seven plus five?\n")
        #expect(first.err.isEmpty)  // progress goes to stderr only on a terminal
        let piped = try CLI.run(["ask"], stdin: "a question from stdin\n", env: env)
        #expect(piped.out == "Stand-in answer: a question from stdin\n")
        let sessions = try Self.json(CLI.run(["sessions", "--json"], env: env).out)
        #expect(sessions.arrayValue?.count == 2)
        let latest = try #require(sessions[0]?["session_id"]?.stringValue)
        #expect(sessions[0]?["source"] == "both" && sessions[0]?["title"] == "a question from stdin")
        let again = try CLI.run(["ask", "--continue", "--json", "and once more"], env: env)
        let events = try again.out.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(events.allSatisfy { $0["session_id"]?.stringValue == latest })
        #expect(events.contains { $0["type"] == "progress" } && events.last?["type"] == "done")
        let completed = try #require(events.first { $0["type"] == "completed" })
        #expect(completed["text"] == "Stand-in answer: and once more" && completed["recovered"] == false)
        let deltas = events.filter { $0["type"] == "delta" }.compactMap { $0["text"]?.stringValue }.joined()
        #expect(deltas == "Stand-in answer: and once more")
        let messages = try CLI.run(["messages", latest], env: env)
        #expect(messages.code == 0 && messages.out.contains("USER") && messages.out.contains("Stand-in answer: and once more"))
        let viaSession = try CLI.run(["ask", "--session", latest, "--json", "fourth"], env: env)
        #expect(viaSession.out.contains(latest))
    }

    @Test func continueWithoutAnEarlierSessionIsNotFound() throws {
        let r = try CLI.run(["ask", "--continue", "hi"], env: Self.env())
        #expect(r.code == 4 && r.err.hasPrefix("error: not found:"))
    }

    @Test func healthAgentsRequestsAndCancel() throws {
        let env = Self.env()
        #expect(try CLI.run(["health"], env: env).out.hasPrefix("healthy"))
        #expect(try Self.json(CLI.run(["health", "--json"], env: env).out)["status"] == "healthy")
        let agents = try CLI.run(["agents"], env: env)
        #expect(agents.code == 0 && agents.out.split(separator: "\n").first?.hasPrefix("ID") == true && agents.out.contains("assistant"))
        _ = try CLI.run(["ask", "to make a request"], env: env)
        let requests = try Self.json(CLI.run(["requests", "--json"], env: env).out)
        #expect(requests[0]?["status"] == "completed")
        let cancelDone = try CLI.run(["cancel", requests[0]?["request_id"]?.stringValue ?? ""], env: env)
        #expect(cancelDone.code == 2 && cancelDone.err.contains("OPERATION_FAILED"))  // already finished: 400
        let cancelUnknown = try CLI.run(["cancel", "req_unknown"], env: env)
        #expect(cancelUnknown.code == 4)
    }

    /// The command families of the newer routes: the same conventions (tables, `--json`,
    /// one-line errors, exit codes 2 usage, 3 refused key, 4 not found, 6 server).
    @Test func auditMcpTuningLogsAndNotify() throws {
        let env = Self.env()
        let noYes = try CLI.run(["audit", "clear"], env: env)
        #expect(noYes.code == 2 && noYes.err.contains("--yes"))
        #expect(try CLI.run(["audit", "clear", "--yes"], env: env).out.hasPrefix("cleared "))
        let audit = try CLI.run(["audit"], env: env)
        #expect(audit.code == 0 && audit.out.hasPrefix("TIME") && audit.out.contains("audit.cleared"))
        let tools = try Self.json(CLI.run(["mcp", "tools", "--json"], env: env).out)
        #expect(tools.arrayValue?.contains { $0["name"] == "get_memories" } == true)
        #expect(try CLI.run(["mcp"], env: env).out.hasPrefix("ID"))
        #expect(try CLI.run(["mcp", "settings"], env: env).out.contains("tool calls per turn"))
        #expect(try CLI.run(["tuning", "pending"], env: env).out == "(nothing pending)\n")
        let apply = try CLI.run(["tuning", "apply"], env: env)
        #expect(apply.code == 4 && apply.err.contains("TUNING_NO_PENDING"))
        let unfiltered = try CLI.run(["logs"], env: env)
        #expect(unfiltered.code == 2 && unfiltered.err.hasPrefix("error: usage: logs needs a filter"))
        var refused = env
        refused["MUXI_ADMIN_KEY"] = "fma_wrong"
        #expect(try CLI.run(["audit"], env: refused).code == 3)
        let notify = try CLI.run(["notify", "someone", "Your report is ready"], env: env)
        #expect(notify.code == 6 && notify.err.contains("NOT_DELIVERED") && notify.err.contains("webhook"))
    }

    /// The credentials and knowledge families on this runtime: listing works, an unknown id
    /// is exit 4, storing a credential is the runtime's own 500 (its resolver has no store),
    /// a secret is only ever read from stdin, and this formation has no knowledge sources.
    @Test func credentialsAndKnowledge() throws {
        let env = Self.env()
        #expect(try Self.json(CLI.run(["credentials", "--json"], env: env).out) == [])
        #expect(try CLI.run(["credentials", "services"], env: env).out.hasPrefix("SERVICE"))
        let unknown = try CLI.run(["credentials", "show", "cred_nope"], env: env)
        #expect(unknown.code == 4 && unknown.err.contains("RESOURCE_NOT_FOUND"))
        let stored = try CLI.run(["credentials", "add", "github", "--name", "work"], stdin: "ghp_not_a_real_token\n", env: env)
        #expect(stored.code == 6 && stored.err.contains("INTERNAL_ERROR") && !stored.err.contains("ghp_not_a_real_token"), "\(stored.err)")
        let empty = try CLI.run(["credentials", "add", "github"], stdin: "  \n", env: env)
        #expect(empty.code == 2 && empty.err.contains("the credential read from stdin is empty"))
        let broken = try CLI.run(["credentials", "add", "github"], stdin: "{\"token\": ", env: env)
        #expect(broken.code == 2 && broken.err.contains("not one"))
        #expect(try CLI.run(["credentials", "delete", "cred_nope"], env: env).code == 4)
        let rebuild = try CLI.run(["knowledge", "rebuild"], env: env)
        #expect(rebuild.code == 0 && rebuild.out.hasPrefix("AGENT"))
        let sync = try CLI.run(["knowledge", "sync", "assistant"], env: env)
        #expect(sync.code == 2 && sync.err.contains("no remote knowledge sources"))
        #expect(try CLI.run(["knowledge", "sync", "nobody"], env: env).code == 4)
        var refused = env
        refused["MUXI_ADMIN_KEY"] = "fma_wrong"
        #expect(try CLI.run(["knowledge", "rebuild"], env: refused).code == 3)
    }

    @Test func memoriesAndBuffer() throws {
        let env = Self.env()
        let added = try CLI.run(["memories", "add", "--type", "preference", "likes", "green", "tea", "🍵"], env: env)
        #expect(added.code == 0)
        let id = added.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try Self.json(CLI.run(["memories", "--json"], env: env).out)
        #expect(list[0]?["id"]?.stringValue == id && list[0]?["detail"] == "likes green tea 🍵" && list[0]?["type"] == "preference")
        let table = try CLI.run(["memories"], env: env).out
        #expect(table.contains("likes green tea 🍵"))
        #expect(try CLI.run(["memories", "delete", id], env: env).code == 0)
        #expect(try CLI.run(["memories", "delete", id], env: env).code == 4)
        _ = try CLI.run(["ask", "fill the buffer"], env: env)
        let cleared = try CLI.run(["buffer", "clear", "--json"], env: env)
        let clearedJSON = try Self.json(cleared.out)
        #expect(cleared.code == 0 && clearedJSON["messages_cleared"] != nil)
        #expect(try CLI.run(["buffer", "clear", "--session", "sess_nothing"], env: env).out == "cleared 0 messages\n")
    }

    @Test func triggersSyncAsyncAndBadData() throws {
        let env = Self.env()
        #expect(try CLI.run(["triggers"], env: env).out == "build-finished\n")
        let sync = try CLI.run(["triggers", "fire", "build-finished", "--data", #"{"build":"b-9","status":"green"}"#], env: env)
        #expect(sync.code == 0 && sync.out.hasPrefix(#"Stand-in answer: Build "b-9" finished with status green."#))
        let file = env["HOME"]! + "/data.json"
        try #"{"build":"b-10","status":"red"}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let async = try CLI.run(["triggers", "fire", "build-finished", "--data", "@" + file, "--async"], env: env)
        #expect(async.code == 0 && async.out.hasPrefix("req_"))
        let bad = try CLI.run(["triggers", "fire", "build-finished", "--data", "{not json"], env: env)
        #expect(bad.code == 2 && bad.err.contains("--data is not valid JSON"))
        let missing = try CLI.run(["triggers", "fire", "no-such-trigger"], env: env)
        #expect(missing.code == 4 && missing.err.hasPrefix("error: not found: ") && missing.err.contains("(RESOURCE_NOT_FOUND)"))
    }

    @Test func jobsBelongToTheirUser() throws {
        let alice = Self.env(), bob = Self.env()
        let created = try CLI.run(["jobs", "create", "--type", "recurring", "--schedule", "0 9 * * 1", "weekly", "report"], env: alice)
        #expect(created.code == 0)
        let id = created.out.trimmingCharacters(in: .whitespacesAndNewlines)
        let jobs = try Self.json(CLI.run(["jobs", "--json"], env: alice).out)
        #expect(jobs[0]?["id"]?.stringValue == id && jobs[0]?["schedule"] == "0 9 * * 1" && jobs[0]?["message"] == "weekly report")
        #expect(try Self.json(CLI.run(["jobs", "--json"], env: bob).out).arrayValue?.isEmpty == true)
        #expect(try CLI.run(["jobs", "pause", id], env: alice).out == "\(id) paused\n")
        #expect(try CLI.run(["jobs", "resume", id], env: alice).out == "\(id) active\n")
        #expect(try CLI.run(["jobs", "delete", id], env: alice).code == 0)
        let bad = try CLI.run(["jobs", "create", "--type", "recurring", "--schedule", "whenever", "x"], env: alice)
        #expect(bad.code == 2 && bad.err.contains("--schedule: a cron expression has 5 fields"))   // refused here, before sending
    }

    @Test func errorPaths() throws {
        var env = Self.env()
        let unknownSession = try CLI.run(["messages", "sess_never_was"], env: env)
        #expect(unknownSession.code == 4 && unknownSession.err.contains("no messages"))   // not found, and says so
        env["MUXI_CLIENT_KEY"] = "fmc_wrong"
        let wrongKey = try CLI.run(["ask", "hi"], env: env)
        #expect(wrongKey.code == 3 && wrongKey.err.hasPrefix("error: authentication: ") && wrongKey.err.contains("hint:"))
        #expect(!wrongKey.err.contains("fmc_wrong"))
        env["MUXI_CLIENT_KEY"] = Live.env["MUXI_TEST_CLIENT_KEY"]
        let listed = try Self.json(CLI.run(["sessions", "--json"], env: env).out)
        #expect(listed.arrayValue?.contains { $0["source"] == "local" } == false)   // the refused turn left no session behind
        env["MUXI_CLIENT_KEY"] = "fmc_wrong"
        let unreachable = try CLI.run(["health", "--url", "http://127.0.0.1:1"], env: env)
        #expect(unreachable.code == 7 && unreachable.err.hasPrefix("error: connection: "))
        env["MUXI_ADMIN_KEY"] = nil
        let noAdmin = try CLI.run(["agents"], env: env)
        #expect(noAdmin.code == 2 && noAdmin.err.contains("ADMIN_KEY_REQUIRED") && noAdmin.err.contains("MUXI_ADMIN_KEY"))
    }
}

}

