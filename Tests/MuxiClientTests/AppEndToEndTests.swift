import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real binary in a real terminal (tmux) against the real runtime: what a person sees.
extension LiveRuntime {
@Suite(.enabled(if: Live.enabled && FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs MUXI_TEST_URL and tmux"),
       .serialized)
struct AppEndToEndTests {
    /// Runs tmux; only `capture-pane` output is read (a server started by `new-session` keeps
    /// inherited pipes open, so other commands write to /dev/null).
    /// A socket of this run's own: killing a previous server and starting a new one on the
    /// same socket races (the new session can land on the dying server).
    static let socket = "muxi-e2e-\(UUID().uuidString.prefix(8))"

    /// Runs tmux with posix_spawn and waitpid (Foundation's `Process` can miss the exit of a
    /// client whose server lives on); only `capture-pane` output is kept.
    static func tmux(_ args: [String]) -> String {
        let output = NSTemporaryDirectory() + "tmux-\(UUID().uuidString).out"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, args.first == "capture-pane" ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["tmux", "-L", socket] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        defer { try? FileManager.default.removeItem(atPath: output) }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    static func screen() -> String { tmux(["capture-pane", "-p", "-t", "e2e"]) }

    static func waitFor(_ needle: String, seconds: Double = 20) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if screen().contains(needle) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func typeSeeTheAnswerCancelResizeAndQuitWithTheTerminalRestored() async throws {
        let home = CLI.home()
        let dir = home["HOME"]!
        let env = "env -i HOME=\(dir) XDG_STATE_HOME=\(dir)/state XDG_CONFIG_HOME=\(dir)/config TERM=xterm-256color LANG=C.UTF-8 "
            + "MUXI_URL=\(Live.url!) MUXI_CLIENT_KEY=\(Live.env["MUXI_TEST_CLIENT_KEY"]!) MUXI_USER_ID=e2e-\(UUID().uuidString.prefix(6))"
        let script = "stty -a > \(dir)/before; \(env) \(CLI.binary); echo $? > \(dir)/code; stty -a > \(dir)/after; sleep 30"
        _ = Self.tmux(["new-session", "-d", "-s", "e2e", "-x", "110", "-y", "30", script])
        defer { _ = Self.tmux(["kill-server"]) }
        #expect(await Self.waitFor("● connected"))
        _ = Self.tmux(["send-keys", "-t", "e2e", "-l", "please show me markdown 你好"])
        _ = Self.tmux(["send-keys", "-t", "e2e", "Enter"])
        #expect(await Self.waitFor("That is all."))
        let answer = Self.screen()
        #expect(answer.contains("A markdown answer") && answer.contains("• bold and emphasis") && answer.contains("│ print(greeting)"))
        #expect(answer.contains("please show me markdown 你好"))
        _ = Self.tmux(["send-keys", "-t", "e2e", "-l", "please answer slowly, it is long"])
        _ = Self.tmux(["send-keys", "-t", "e2e", "Enter"])
        #expect(await Self.waitFor("Stand-in answer: please"))
        _ = Self.tmux(["send-keys", "-t", "e2e", "Escape"])
        #expect(await Self.waitFor("(cancelled)"))
        _ = Self.tmux(["resize-window", "-t", "e2e", "-x", "60", "-y", "20"])
        #expect(await Self.waitFor("(cancelled)", seconds: 5))
        #expect(!Self.screen().contains("Sessions"))   // narrow: the side panes collapse
        _ = Self.tmux(["send-keys", "-t", "e2e", "C-d"])
        let code = "\(dir)/code"
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: code) { try await Task.sleep(for: .milliseconds(100)) }
        #expect((try? String(contentsOfFile: code, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // the terminal modes are as before (the first line holds the size, which the test changed)
        let before = try String(contentsOfFile: "\(dir)/before", encoding: .utf8).split(separator: "\n").dropFirst()
        let after = try String(contentsOfFile: "\(dir)/after", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!before.isEmpty && Array(before) == Array(after))
    }
}
}
