import Testing
import TestSupport
import Foundation
import LocalStore
#if canImport(Glibc)
import Glibc
#endif

/// The local store under SIGKILL and under two processes at once, with the real binary and the
/// real runtime. `make test` runs a few rounds; `make stress` many (STRESS_KILLS, STRESS_PAIRS).
extension LiveRuntime {
@Suite(.enabled(if: Live.enabled, "needs MUXI_TEST_URL"), .serialized)
struct StoreCrashTests {
    static let kills = Int(Live.env["STRESS_KILLS"] ?? "") ?? 12
    static let pairs = Int(Live.env["STRESS_PAIRS"] ?? "") ?? 3

    /// Starts `muxi-chat ask --json TEXT` with stdout to `output`; its pid.
    static func spawnAsk(_ text: String, env: [String: String], output: String) -> pid_t {
        Spawn.start(CLI.binary, ["ask", "--json", text], environment: env, stdout: output, stderr: output + ".err")
    }

    /// The session ids whose answer `ask --json` printed in full (a `completed` line).
    static func completedSession(_ output: String) -> String? {
        guard let text = try? String(contentsOfFile: output, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.contains(#""type":"completed""#) {
            if let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return json["session_id"] as? String }
        }
        return nil
    }

    static func environment(_ home: [String: String], user: String) -> [String: String] {
        var env = home
        env["MUXI_URL"] = Live.url!
        env["MUXI_CLIENT_KEY"] = Live.env["MUXI_TEST_CLIENT_KEY"]!
        env["MUXI_USER_ID"] = user
        return env
    }

    @Test func killedAtAnyMomentTheStoreOpensCleanlyAndKeepsEveryCompletedTurn() async throws {
        let home = CLI.home()
        let user = "kill-\(UUID().uuidString.prefix(6))"
        let env = Self.environment(home, user: user)
        let dir = home["HOME"]!
        let storePath = home["XDG_STATE_HOME"]! + "/muxi-chat/store.sqlite"
        var completed: [String] = []
        for round in 0..<Self.kills {
            let output = "\(dir)/ask-\(round).out"
            let pid = Self.spawnAsk("kill test \(round)", env: env, output: output)
            #expect(pid > 0)
            // anywhere from start-up to after the answer: the runtime answers in about 1.5 s
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...2500)))
            kill(pid, SIGKILL)
            _ = Spawn.wait(pid)
            if let session = Self.completedSession(output) { completed.append(session) }
            let store = try LocalStore.open(at: storePath)
            #expect(store.warnings.isEmpty, "round \(round): \(store.warnings)")
        }
        let store = try LocalStore.open(at: storePath)
        let stored = try store.sessions(formation: Live.url! + "/v1", user: user)
        for session in completed {
            let key = try #require(stored.first { $0.key.id == session }?.key, "a completed turn's session is missing")
            #expect(try store.cachedMessages(key).map(\.role) == [.user, .assistant], "the turn of \(session) is incomplete")
        }
        let aside = try FileManager.default.contentsOfDirectory(atPath: (storePath as NSString).deletingLastPathComponent).filter { $0.contains(".damaged-") }
        #expect(aside.isEmpty)
        print("store crash test: \(Self.kills) kills, \(completed.count) turns had completed before the kill, all kept")
    }

    /// Runs a command line; its wait status (0: exited with 0).
    static func shell(_ command: String) -> Int32 { Spawn.run("/bin/sh", ["-c", command]) }

    /// Whether a small file system can be mounted here (root in a container that allows it).
    static let canMount: Bool = {
        let probe = NSTemporaryDirectory() + "muxi-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { _ = shell("umount \(probe) 2>/dev/null; rmdir \(probe)") }
        return shell("mount -t tmpfs -o size=64k tmpfs \(probe) 2>/dev/null") == 0
    }()

    @Test(.enabled(if: canMount, "needs to mount a small tmpfs (root)"))
    func aFullDiskIsAWarningTheAnswerStillComesAndNothingIsLost() async throws {
        var home = CLI.home()
        let state = home["HOME"]! + "/tiny"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=1m tmpfs \(state)") == 0)
        defer { _ = Self.shell("umount \(state)") }
        home["XDG_STATE_HOME"] = state
        let env = Self.environment(home, user: "full-\(UUID().uuidString.prefix(6))")
        let first = try CLI.run(["ask", "before the disk fills"], env: env)
        #expect(first.code == 0 && first.err.isEmpty)
        #expect(Self.shell("dd if=/dev/zero of=\(state)/filler bs=4k 2>/dev/null; sync") != -1)   // the disk is now full
        let full = try CLI.run(["ask", "with the disk full"], env: env)
        #expect(full.code == 0 && full.out.contains("Stand-in answer: with the disk full"))   // the answer still comes
        #expect(full.err.contains("warning:") && full.err.contains("full"), "\(full.err)")    // with one clear warning
        try FileManager.default.removeItem(atPath: state + "/filler")
        let store = try LocalStore.open(at: state + "/muxi-chat/store.sqlite")
        #expect(store.warnings.isEmpty)
        #expect(try store.sessions(formation: Live.url! + "/v1", user: env["MUXI_USER_ID"]!).map(\.title).contains("before the disk fills"))
    }

    @Test func twoInstancesChattingAtOnceLoseNothing() async throws {
        let home = CLI.home()
        let user = "pair-\(UUID().uuidString.prefix(6))"
        let env = Self.environment(home, user: user)
        let dir = home["HOME"]!
        // the runtime can fail a new user's first requests when they arrive together (a
        // unique-key race on user_identifiers, see the README): the user meets it once first
        #expect(try CLI.run(["ask", "hello first"], env: env).code == 0)
        var sessions: [String] = []
        for round in 0..<Self.pairs {
            let outputs = ["\(dir)/a-\(round).out", "\(dir)/b-\(round).out"]
            let pids = outputs.enumerated().map { Self.spawnAsk("pair \(round) side \($0.offset)", env: env, output: $0.element) }
            for pid in pids { #expect(Spawn.wait(pid) == 0) }
            sessions += outputs.compactMap(Self.completedSession)
        }
        #expect(sessions.count == 2 * Self.pairs)
        let store = try LocalStore.open(at: home["XDG_STATE_HOME"]! + "/muxi-chat/store.sqlite")
        #expect(store.warnings.isEmpty)
        let known = Set(try store.sessions(formation: Live.url! + "/v1", user: user).map(\.key.id))
        #expect(Set(sessions).isSubset(of: known))
    }
}
}
