import Testing
import TestSupport
import Foundation

/// Keys never appear in what muxi-chat writes: stdout, stderr, `--debug` logs, the local store,
/// error messages, a crash message. Each run below uses the real keys; then every byte written
/// is searched for them.
extension LiveRuntime {
@Suite(.enabled(if: Live.enabled, "needs MUXI_TEST_URL"), .serialized)
struct SecretsTests {
    static var keys: [String] { [Live.env["MUXI_TEST_CLIENT_KEY"]!, Live.env["MUXI_TEST_ADMIN_KEY"]!] }

    /// Every file under `folder`, as bytes.
    static func files(under folder: String) -> [(String, Data)] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walker.compactMap { item in
            let path = folder + "/" + (item as! String)
            return FileManager.default.contents(atPath: path).map { (path, $0) }
        }
    }

    @Test func noKeyIsWrittenAnywhere() async throws {
        var home = CLI.home()
        home["MUXI_URL"] = Live.url!
        home["MUXI_CLIENT_KEY"] = Self.keys[0]
        home["MUXI_ADMIN_KEY"] = Self.keys[1]
        home["MUXI_USER_ID"] = "secrets-\(UUID().uuidString.prefix(6))"
        var written: [(String, Data)] = []
        let runs: [[String]] = [
            ["--debug", "ask", "remember my key please"],          // a turn, with the request log
            ["--debug", "memories", "add", "--type", "fact", "a fact"],
            ["--debug", "jobs", "list"],
            ["--debug", "health"],
            ["--debug", "--client-key", "fmc_wrong", "ask", "x"],  // an authentication error
            ["--debug", "--url", "http://127.0.0.1:9", "ask", "x"], // a connection error
        ]
        for arguments in runs {
            let result = try CLI.run(arguments, env: home)
            written.append(("\(arguments) stdout", Data(result.out.utf8)))
            written.append(("\(arguments) stderr", Data(result.err.utf8)))
        }
        // the full-screen app with --debug (its log goes to a file), then a crash message
        let tmux = AppEndToEndTests()
        let dir = home["HOME"]!
        let env = home.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        _ = tmux.tmux(["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30",
                       "sh -c 'echo $$ > \(dir)/pid; exec env -i \(env) TERM=xterm-256color \(CLI.binary) --debug 2> \(dir)/app.err'; sleep 30"])
        defer { _ = tmux.tmux(["kill-server"]) }
        #expect(await tmux.waitFor("● connected"))
        tmux.text("hello with debug")
        tmux.keys("Enter")
        #expect(await tmux.waitFor("Stand-in answer: hello with debug"))
        written.append(("app screen", Data(tmux.screen().utf8)))
        let pid = try #require(Int32(try String(contentsOfFile: "\(dir)/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGSEGV)
        try await Task.sleep(for: .seconds(2))
        written.append(("crash screen", Data(tmux.screen().utf8)))
        written += Self.files(under: dir)   // the store (and its WAL), debug.log, app.err, the config
        #expect(written.contains { $0.0.hasSuffix("debug.log") })
        #expect(written.contains { $0.0.hasSuffix("store.sqlite") })
        var hits = 0
        for (name, data) in written {
            for key in Self.keys where data.range(of: Data(key.utf8)) != nil {
                hits += 1
                Issue.record("the key appears in \(name)")
            }
        }
        print("secrets: \(written.count) outputs and files searched, \(hits) hits of the keys")
    }
}
}
