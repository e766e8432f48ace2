import Testing
import TestSupport
import Foundation
import MuxiClient
import MuxiClientTesting
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
    /// A socket of each test's own: killing a previous server and starting a new one on the
    /// same socket races (the new session can land on the dying server).
    let socket = "muxi-e2e-\(UUID().uuidString.prefix(8))"

    /// Runs tmux (through ``Spawn``: Foundation's `Process` can miss the exit of a client whose
    /// server lives on); only the output of `capture-pane` and `display` is kept.
    func tmux(_ args: [String]) -> String {
        let output = NSTemporaryDirectory() + "tmux-\(UUID().uuidString).out"
        _ = Spawn.run("/usr/bin/tmux", ["-L", socket] + args, stdout: ["capture-pane", "display"].contains(args.first) ? output : nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    func screen() -> String { tmux(["capture-pane", "-p", "-t", "e2e"]) }

    /// The screen with what scrolled off it (the shell's, while the app is stopped).
    func shellOutput() -> String { tmux(["capture-pane", "-p", "-S", "-", "-t", "e2e"]) }

    /// Whether `condition` holds within `seconds` (``Live/eventually(within:_:)``, asked again
    /// every 50 ms).
    func waitUntil(seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
        (try? await Live.eventually(within: .seconds(seconds), condition)) ?? false
    }

    /// Whether `needle` shows within `seconds`; if not, the screen is printed (what was there instead).
    func waitFor(_ needle: String, seconds: Double = 20) async -> Bool {
        if await waitUntil(seconds: seconds, { screen().contains(needle) }) { return true }
        // on stderr: unbuffered, where the runner may end before stdout's buffer is written
        FileHandle.standardError.write(Data("no “\(needle)” after \(seconds) s; the screen:\n\(screen())\n".utf8))
        return false
    }

    /// The environment of the app: its own home and state folder, and a user of its own.
    static func environment(_ dir: String, user: String = "e2e-\(UUID().uuidString.prefix(6))", admin: Bool = false,
                            url: String = Live.url!) -> String {
        "env -i HOME=\(dir) XDG_STATE_HOME=\(dir)/state XDG_CONFIG_HOME=\(dir)/config TERM=xterm-256color LANG=C.UTF-8 "
            + "MUXI_URL=\(url) MUXI_CLIENT_KEY=\(Live.env["MUXI_TEST_CLIENT_KEY"]!) MUXI_USER_ID=\(user)"
            + (admin ? " MUXI_ADMIN_KEY=\(Live.env["MUXI_TEST_ADMIN_KEY"]!)" : "")
    }

    /// Sends tmux key names (Enter, BSpace, M-3…).
    func keys(_ keys: String...) { for key in keys { _ = tmux(["send-keys", "-t", "e2e", key]) } }
    /// Types text literally.
    func text(_ text: String) { _ = tmux(["send-keys", "-t", "e2e", "-l", text]) }

    @Test func memoriesAreAddedEditedDeletedAndPutBack() async throws {
        let dir = CLI.home()["HOME"]!
        let user = "e2e-mem-\(UUID().uuidString.prefix(6))"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "130", "-y", "30", "\(Self.environment(dir, user: user)) \(CLI.binary); sleep 30"])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("no memories yet"))
        keys("M-3", "a")
        #expect(await waitFor("Add a memory"))
        text("likes green tea")
        keys("Enter")
        #expect(await waitFor("Memories (1)"))   // saved, and the list reloaded from the server
        keys("e")
        #expect(await waitFor("Edit the memory"))
        text(" and mint")
        keys("Enter")
        let client = try Live.client(user: user)
        // the edit replaced it: the new one saved, then the old one deleted
        #expect(try await Live.eventually { try await client.memories().memories.map(\.detail) == ["likes green tea and mint"] })
        #expect(await waitFor("Memories (1)"))
        #expect(await waitFor(" likes green tea and mint"))
        keys("d")
        #expect(await waitFor("delete the memory “likes green tea and mint”? y/n"))
        keys("y")
        #expect(await waitFor("deleted; u puts it back"))
        #expect(!screen().contains(" likes green tea and mint"))
        keys("u")
        #expect(await waitFor(" likes green tea and mint"))
        #expect(try await client.memories().memories.map(\.detail) == ["likes green tea and mint"])
    }

    @Test func aJobIsCreatedForThisUserOnlyAndATriggerAnswersAndItIsCopied() async throws {
        let dir = CLI.home()["HOME"]!
        let user = "e2e-job-\(UUID().uuidString.prefix(6))"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "130", "-y", "30",
                  "\(Self.environment(dir, user: user, admin: true)) \(CLI.binary); sleep 30"])
        _ = tmux(["set-option", "-g", "set-clipboard", "on"])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        text("/jobs")
        keys("Enter")
        #expect(await waitFor("no jobs yet"))
        keys("n")
        text("water the plants")
        keys("Tab", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        text("99 9 * * *")
        keys("Enter")
        #expect(await waitFor("cron minute \"99\" is not valid"))   // checked here, nothing sent
        for _ in 0..<10 { keys("BSpace") }
        text("15 7 * * *")
        keys("Enter")
        #expect(await waitFor("water the plants"))
        #expect(await waitFor("15 7 * * *"))
        #expect(try await Live.eventually { try await Live.client(user: user).schedulerJobs().map(\.prompt) == ["water the plants"] })
        #expect(try await Live.client().schedulerJobs().isEmpty)     // another user sees none of it
        keys("Escape")
        try await Task.sleep(for: .milliseconds(200))   // a key within 25 ms of Esc would make Alt+key
        text("/triggers")
        keys("Enter")
        #expect(await waitFor("build-finished"))
        keys("Enter")
        #expect(await waitFor("fields: build, status"))
        keys("f")
        #expect(await waitFor("Fire build-finished"))
        keys("Enter")
        #expect(await waitFor("Stand-in answer: Build"))
        for _ in 0..<2 {   // the template, then the panel
            keys("Escape")
            try await Task.sleep(for: .milliseconds(200))
        }
        keys("C-o")
        #expect(await waitFor("copied"))
        let copied = try await Live.eventually { await clipboard().contains("Stand-in answer: Build") }
        #expect(copied)
    }

    @Test func aHostileAnswerIsShownAsSymbolsAndDoesNothingToTheTerminal() async throws {
        let proxy = try #require(Proxy.url)
        let dir = CLI.home()["HOME"]!
        let user = "e2e-hostile-\(UUID().uuidString.prefix(6))"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "130", "-y", "30", "\(Self.environment(dir, user: user, url: proxy)) \(CLI.binary); sleep 30"])
        _ = tmux(["set-option", "-g", "set-clipboard", "on"])
        _ = tmux(["set-option", "-g", "allow-rename", "on"])
        _ = tmux(["set-option", "-g", "set-titles", "on"])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        let title = tmux(["display-message", "-p", "-t", "e2e", "#{pane_title}|#{window_name}"])
        let attack = Hostile.attacks.joined(separator: " | ")
        let frames = [Hostile.frame(.content, "hostile: " + attack), Hostile.frame(.completed, "hostile: " + attack),
                      "event: done\ndata: {}\n\n"]
            .map { $0.replacingOccurrences(of: "req_h", with: "{request_id}").replacingOccurrences(of: "sess_h", with: "{session_id}") }
        let fault = JSONWriter.string(.array([.object(["match": "/v1/chat", "fault": "hostile",
                                                       "frames": .array(frames.map { .string($0) })])]))
        try await Proxy.queue(fault)
        text("show me something nasty")
        keys("Enter")
        #expect(await waitFor("hostile: ␛[2J␛[H"))
        let screen = screen()
        #expect(screen.contains("␛]0;pwned title␇") && screen.contains("␛]52;c;cHduZWQ=␇") && screen.contains("␛P+q544e"))
        #expect(screen.contains("Sessions"))   // the screen was not cleared
        #expect(tmux(["display-message", "-p", "-t", "e2e", "#{pane_title}|#{window_name}"]) == title)
        #expect(!(await clipboard()).contains("pwned"))
        try await Proxy.survived(user: user)
    }

    /// SIGINT, SIGTERM, SIGHUP and a crash (SIGSEGV) each leave the terminal as it was, with
    /// the exit code 128 + the signal.
    @Test(arguments: [(SIGINT, "INT"), (SIGTERM, "TERM"), (SIGHUP, "HUP"), (SIGSEGV, "SEGV")])
    func aSignalLeavesTheTerminalUsable(signal: Int32, name: String) async throws {
        let dir = CLI.home()["HOME"]!
        // the app in the foreground (a background job's stdin would not be the terminal), its pid noted first
        let script = "stty -a > \(dir)/before; sh -c 'echo $$ > \(dir)/pid; exec \(Self.environment(dir)) \(CLI.binary)'; "
            + "echo $? > \(dir)/code; stty -a > \(dir)/after; sleep 30"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", script])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        text("typed but not sent")
        let pid = try #require(Int32(try String(contentsOfFile: "\(dir)/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, signal)
        #expect(try await Self.exitCode("\(dir)/code") == "\(128 + signal)", "SIG\(name)")
        let before = try String(contentsOfFile: "\(dir)/before", encoding: .utf8)
        // the shell writes it just after the code: wait for it as for the code
        _ = try await Live.eventually(within: .seconds(5)) {
            !((try? String(contentsOfFile: "\(dir)/after", encoding: .utf8)) ?? "").isEmpty
        }
        let after = try String(contentsOfFile: "\(dir)/after", encoding: .utf8)
        #expect(!before.isEmpty && before == after, "SIG\(name): stty -a differs")
    }

    /// The message box's first line of text, as the screen shows it.
    func messageBox() -> String {
        let lines = screen().split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = lines.firstIndex(where: { $0.contains("┌ Message") }), top + 1 < lines.count else { return "" }
        return lines[top + 1].trimmingCharacters(in: CharacterSet(charactersIn: "│ "))
    }

    func waitForBox(_ text: String, seconds: Double = 10) async -> Bool {
        await waitUntil(seconds: seconds) { messageBox() == text }
    }

    /// The everyday sequences that lost work in the trial of 2026-12-01, typed as a person
    /// would: Tab in the middle of a sentence, Up on a draft, Esc in a stream then a restart,
    /// and a removal that stays removed.
    @Test func theUsersWorkIsNeverLost() async throws {
        let dir = CLI.home()["HOME"]!
        let user = "e2e-keep-\(UUID().uuidString.prefix(6))"
        let env = Self.environment(dir, user: user)
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "130", "-y", "30", "\(env) \(CLI.binary); echo $? > \(dir)/code1; sleep 30"])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        text("first question")
        keys("Enter")
        #expect(await waitFor("Stand-in answer: first question"))
        // Tab in a sentence stays in the message: the letters after it are not the sessions pane's commands
        text("we")
        keys("Tab")
        text("dye")
        #expect(await waitForBox("wedye"))
        #expect(!screen().contains("remove") && screen().contains("first question"))
        // Up on a draft, then Down: the draft is back
        keys("C-u")
        text("my precious draft")
        keys("Up")
        #expect(await waitForBox("first question"))
        keys("Down")
        #expect(await waitForBox("my precious draft"))
        keys("C-u")
        // Esc in the middle of an answer: the partial answer stays, also after a restart
        text("please answer slowly, with a long answer to cancel")
        keys("Enter")
        #expect(await waitFor("Stand-in answer: please"))
        keys("Escape")
        #expect(await waitFor("(cancelled)"))
        try await Task.sleep(for: .milliseconds(200))
        keys("C-d")
        #expect(try await Self.exitCode("\(dir)/code1") == "0")
        _ = tmux(["new-window", "-t", "e2e", "\(env) \(CLI.binary); echo $? > \(dir)/code2; sleep 30"])
        #expect(await waitFor("(cancelled)"))   // the session on screen at quit, with what was seen
        #expect(screen().contains("Stand-in answer: first question"))
        // a removal asks by title, and stays removed after a restart
        keys("M-1", "d")
        #expect(await waitFor("remove “first question” from this list? (the server keeps it) y/n"))
        keys("y")
        #expect(await waitFor("removed from this list; the server still has it"))
        try await Task.sleep(for: .milliseconds(200))
        keys("C-d")
        #expect(try await Self.exitCode("\(dir)/code2") == "0")
        _ = tmux(["new-window", "-t", "e2e", "\(env) \(CLI.binary); echo $? > \(dir)/code3; sleep 30"])
        #expect(await waitFor("● connected"))
        #expect(await waitFor("none yet"))
        #expect(!screen().contains("first question"))
    }

    /// Starts the app from an interactive shell in a new tmux session (as a person does) and
    /// waits until it is connected; its pid.
    func startInAShell() async throws -> pid_t {
        let dir = CLI.home()["HOME"]!
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "30", "env -i HOME=\(dir) TERM=xterm-256color PS1='shell$ ' bash --norc --noprofile -i"])
        #expect(await waitFor("shell$"))
        text("\(Self.environment(dir)) \(CLI.binary)")
        keys("Enter")
        #expect(await waitFor("● connected"))
        // the shell's child (env has become the app)
        let shell = tmux(["display", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").first.flatMap { pid_t($0) })
    }

    /// Ctrl+Z stops the app like any terminal program (the shell's prompt comes back) and `fg`
    /// brings it back drawn whole, with what was typed.
    @Test func ctrlZSuspendsAndFgRedraws() async throws {
        defer { _ = tmux(["kill-server"]) }
        _ = try await startInAShell()
        text("typed before the stop")
        // several times: a stop that came late (the app drew itself back before it stopped)
        // showed in one try of ten
        for stop in 1...4 {
            keys("C-z")
            let stopped = await waitUntil { shellOutput().components(separatedBy: "Stopped").count - 1 == stop }
            text("fg")
            keys("Enter")
            let back = await waitFor("● connected")
            #expect(stopped && back, "stop \(stop): stopped \(stopped), drawn again \(back)")
            guard stopped && back else { break }
            #expect(await waitForBox("typed before the stop"))
        }
        keys("C-c", "C-c", "C-c")
        #expect(await waitFor("shell$"))
    }

    /// A terminal resized while the app is stopped (the shell got the SIGWINCH, not the app):
    /// after `fg` the app is drawn at the new size, its status line on the last row.
    @Test func aResizeWhileStoppedIsTakenUpAfterFg() async throws {
        defer { _ = tmux(["kill-server"]) }
        _ = try await startInAShell()
        text("typed before the stop")
        keys("C-z")
        #expect(await waitFor("Stopped"))
        _ = tmux(["resize-window", "-t", "e2e", "-x", "90", "-y", "24"])
        try await Task.sleep(for: .milliseconds(300))
        text("fg")
        keys("Enter")
        #expect(await waitUntil { screen().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(23).first?.contains("● connected") == true })
        #expect(screen().split(separator: "\n").first.map { $0.count == 90 && $0.hasSuffix("┐") } == true)   // the frame fits
        #expect(await waitForBox("typed before the stop"))
    }

    /// A stop sent from outside (`kill -TSTP`) is a Ctrl+Z: after `fg` the app is drawn whole
    /// and takes a paste as a paste again (bracketed), so a pasted line break does not send the
    /// message half-written. (ncurses' own stop handler left bracketed paste off.)
    @Test func aStopFromOutsideIsACtrlZ() async throws {
        defer { _ = tmux(["kill-server"]) }
        let app = try await startInAShell()
        text("pasted:")
        kill(app, SIGTSTP)
        #expect(await waitFor("Stopped"))
        text("fg")
        keys("Enter")
        #expect(await waitFor("● connected"))
        _ = tmux(["set-buffer", "-b", "two", "first line\nsecond line"])
        _ = tmux(["paste-buffer", "-p", "-b", "two", "-t", "e2e"])
        #expect(await waitFor("second line"))
        try await Task.sleep(for: .seconds(1))
        #expect(!screen().contains("Stand-in answer"))
        #expect(messageBox() == "pasted:first line")
        keys("C-c", "C-c", "C-c")
    }

    /// With no shell to come back to (the app started as a session's own program, as
    /// `ssh -t host muxi-chat` does: an orphaned process group), Ctrl+Z stops nothing and the app
    /// goes on; a stop there would freeze it for good, with nobody to send `fg`. (Not under tmux:
    /// tmux continues a pane's stopped program itself.)
    @Test func ctrlZWithNoShellToComeBackToGoesOn() async throws {
        let dir = CLI.home()["HOME"]!
        let pty = try #require(Spawn.openTerminal(width: 120, height: 30))
        defer { close(pty.master) }
        let pid = Spawn.start("/bin/sh", ["-c", "exec \(Self.environment(dir)) \(CLI.binary)"], terminal: pty.path)
        #expect(pid > 0)
        defer { kill(pid, SIGKILL); _ = Spawn.wait(pid) }
        #expect(Self.read(pty.master, until: "connecting", seconds: 10).contains("connecting"))
        _ = Self.read(pty.master, until: nil, seconds: 1)
        _ = "before\u{1A}".withCString { write(pty.master, $0, strlen($0)) }
        _ = Self.read(pty.master, until: nil, seconds: 0.5)
        #expect(!Spawn.isStopped(pid))
        _ = " and after".withCString { write(pty.master, $0, strlen($0)) }
        #expect(Self.read(pty.master, until: "after", seconds: 5).contains("after"))
    }

    /// What the program on the terminal `master` writes, until `needle` shows (or for `seconds`).
    static func read(_ master: Int32, until needle: String?, seconds: Double) -> String {
        var seen = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { continue }
            let n = Glibc.read(master, &buffer, buffer.count)
            if n <= 0 { break }
            seen += buffer[0..<n]
            if let needle, String(decoding: seen, as: UTF8.self).contains(needle) { break }
        }
        return String(decoding: seen, as: UTF8.self)
    }

    /// What the app last put on the clipboard (tmux's paste buffer, with `set-clipboard on`).
    func clipboard() async -> String {
        let file = NSTemporaryDirectory() + "clip-\(UUID().uuidString).txt"
        _ = tmux(["save-buffer", file])
        defer { try? FileManager.default.removeItem(atPath: file) }
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Waits for the app of this test to end; its exit code (the line the shell writes after it:
    /// the file exists, empty, a moment before the shell's `echo` writes the code).
    static func exitCode(_ path: String) async throws -> String? {
        func code() -> String? {
            (try? String(contentsOfFile: path, encoding: .utf8)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        _ = try await Live.eventually(within: .seconds(5)) { code()?.isEmpty == false }
        return code()
    }

    @Test func aSessionIsListedAndResumedAfterARestartAndTheWheelScrolls() async throws {
        let dir = CLI.home()["HOME"]!
        let env = Self.environment(dir)
        let first = "\(env) \(CLI.binary); echo $? > \(dir)/code1; sleep 30"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "120", "-y", "30", first])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        text("remember the blue kite")
        keys("Enter")
        #expect(await waitFor("Stand-in answer: remember the blue kite"))
        #expect(await waitFor("● remember the blue kite"))   // the session pane lists it, marked current
        // a few more turns, then the mouse wheel scrolls the transcript up and back down
        for i in 1...6 {
            text("filler question number \(i)")
            keys("Enter")
            #expect(await waitFor("Stand-in answer: filler question number \(i)"))
        }
        #expect(!screen().contains("Stand-in answer: remember the blue kite"))
        for _ in 0..<10 { text("\u{1B}[<64;60;10M") }   // wheel up (SGR mouse)
        #expect(await waitFor("Stand-in answer: remember the blue kite", seconds: 5))
        for _ in 0..<10 { text("\u{1B}[<65;60;10M") }   // wheel down
        #expect(await waitFor("Stand-in answer: filler question number 6", seconds: 5))
        keys("C-d")
        #expect(try await Self.exitCode("\(dir)/code1") == "0")
        // started again: the last session of this formation and user is open, its text shown
        let second = "\(env) \(CLI.binary); echo $? > \(dir)/code2; sleep 30"
        _ = tmux(["new-window", "-t", "e2e", second])
        #expect(await waitFor("Stand-in answer: filler question number 6"))
        #expect(await waitFor("● remember the blue kite"))
        keys("C-d")
        #expect(try await Self.exitCode("\(dir)/code2") == "0")
    }

    @Test func typeSeeTheAnswerCancelResizeAndQuitWithTheTerminalRestored() async throws {
        let home = CLI.home()
        let dir = home["HOME"]!
        let env = Self.environment(dir)
        let script = "stty -a > \(dir)/before; \(env) \(CLI.binary); echo $? > \(dir)/code; stty -a > \(dir)/after; sleep 30"
        _ = tmux(["new-session", "-d", "-s", "e2e", "-x", "110", "-y", "30", script])
        defer { _ = tmux(["kill-server"]) }
        #expect(await waitFor("● connected"))
        text("please show me markdown 你好")
        keys("Enter")
        #expect(await waitFor("That is all."))
        let answer = screen()
        #expect(answer.contains("A markdown answer") && answer.contains("• bold and emphasis") && answer.contains("│ print(greeting)"))
        #expect(answer.contains("please show me markdown 你好"))
        text("please answer slowly, it is long")
        keys("Enter")
        #expect(await waitFor("Stand-in answer: please"))
        keys("Escape")
        #expect(await waitFor("(cancelled)"))
        _ = tmux(["resize-window", "-t", "e2e", "-x", "60", "-y", "20"])
        #expect(await waitFor("(cancelled)", seconds: 5))
        #expect(!screen().contains("Sessions"))   // narrow: the side panes collapse
        keys("C-d")
        #expect(try await Self.exitCode("\(dir)/code") == "0")
        // the terminal modes are as before (the first line holds the size, which the test changed)
        let before = try String(contentsOfFile: "\(dir)/before", encoding: .utf8).split(separator: "\n").dropFirst()
        let after = try String(contentsOfFile: "\(dir)/after", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!before.isEmpty && Array(before) == Array(after))
    }
}
}
