import Testing
import Foundation
import ChatApp
import MuxiClient
import TerminalUI

/// Slash commands, the palette, the help made from the keymap, search, copying, the jobs and
/// triggers panels, and key bindings: pure state.
@Suite struct CommandTests {
    static func state() -> AppState {
        var s = AppState(formation: "f", user: "u", sessionID: "sess_1")
        _ = s.apply(.resize(width: 120, height: 30))
        _ = s.apply(.tick(Date(timeIntervalSince1970: 1_800_000_000)))
        return s
    }

    static func type(_ text: String, _ s: inout AppState) { _ = s.apply(.key(.paste(text))) }

    static func answered(_ s: inout AppState, _ question: String, _ answer: String) {
        type(question, &s)
        _ = s.apply(.key(.enter))
        let turn = s.inFlight!.turn
        _ = s.apply(.completed(turn: turn, text: answer, failed: false))
    }

    @Test func rememberSavesAMemory() {
        var s = Self.state()
        Self.type("/remember I take the train to work", &s)
        #expect(s.apply(.key(.enter)) == [.saveHistory("/remember I take the train to work"),
                                          .addMemory(type: "memory", detail: "I take the train to work", replacing: nil)])
        #expect(s.composer.isEmpty && s.transcript.entries.isEmpty)
    }

    @Test func anUnknownCommandIsRefusedAndTheTextKept() {
        var s = Self.state()
        Self.type("/frobnicate now", &s)
        #expect(s.apply(.key(.enter)) == [])
        #expect(s.composer.string == "/frobnicate now")
        #expect(ChatLayout.render(s).lines().last?.contains("unknown command /frobnicate") == true)
    }

    @Test func aDoubleSlashSendsTheMessageWithOneSlash() {
        var s = Self.state()
        Self.type("//etc/hosts is a file", &s)
        let effects = s.apply(.key(.enter))
        #expect(effects.contains(.send(turn: 1, text: "/etc/hosts is a file", sessionID: "sess_1")))
    }

    @Test func tabCompletesASlashCommand() {
        var s = Self.state()
        Self.type("/rem", &s)
        _ = s.apply(.key(.tab))
        #expect(s.composer.string == "/remember ")
        s.composer.editor.clear()
        Self.type("/tr", &s)
        _ = s.apply(.key(.tab))
        #expect(s.composer.string == "/trigger")        // the common part of /trigger and /triggers
        #expect(s.noticeText == "/triggers  /trigger")
        #expect(s.focus == .composer)
    }

    @Test func thePaletteFiltersAndRuns() {
        var s = Self.state()
        _ = s.apply(.key(.ctrl("p")))
        Self.typeKeys("jobs", &s)
        #expect(ChatLayout.render(s).lines().joined().contains("/jobs"))
        #expect(s.apply(.key(.enter)) == [.loadJobs])
        guard case .jobs = s.modal else { Issue.record("no jobs panel"); return }
        // a command that needs text puts its slash form in the composer
        _ = s.apply(.key(.escape))
        _ = s.apply(.key(.ctrl("p")))
        Self.typeKeys("remember", &s)
        _ = s.apply(.key(.enter))
        #expect(s.composer.string == "/remember " && s.modal == nil)
    }

    static func typeKeys(_ text: String, _ s: inout AppState) {
        for c in text { _ = s.apply(.key(.character(c))) }
    }

    @Test func theHelpIsMadeFromTheKeymap() throws {
        var s = Self.state()
        var keymap = Keymap.standard
        try keymap.bind("alt+k", to: "palette")
        s.keymap = keymap
        _ = s.apply(.key(.function(1)))
        let help = ChatLayout.render(s).lines().joined(separator: "\n")
        #expect(help.contains("Alt+K, /palette") && !help.contains("Ctrl+P, /palette"))
        #expect(help.contains("/remember TEXT"))
        _ = s.apply(.key(.character("x")))      // any key closes it
        #expect(s.modal == nil && s.composer.isEmpty)
        #expect(s.apply(.key(.alt("k"))) == [] && s.modal == .palette(Palette()))
    }

    @Test func keyBindingsAreChecked() {
        var keymap = Keymap.standard
        #expect(throws: KeymapError.self) { try keymap.bind("ctrl+p", to: "teleport") }
        #expect(throws: KeymapError.self) { try keymap.bind("ctrl+a", to: "search") }      // the composer's
        #expect(throws: KeymapError.self) { try keymap.bind("ctrl+f", to: "palette") }     // taken by search
        #expect(throws: Never.self) { try keymap.bind("none", to: "search") }
        #expect(keymap.command(for: .ctrl("f")) == nil)
    }

    @Test func searchFindsAndChoosesTheMessage() {
        var s = Self.state()
        Self.answered(&s, "first question", "the answer mentions penguins")
        Self.answered(&s, "second question", "about trains")
        _ = s.apply(.key(.ctrl("f")))
        Self.typeKeys("PENGU", &s)
        #expect(s.search?.match == 1 && s.transcript.chosen == 1)
        let screen = ChatLayout.render(s).lines()
        #expect(screen.last?.contains("search: PENGU") == true)
        #expect(screen.contains { $0.contains("▌the answer mentions penguins") })
        #expect(screen.last?.contains("1 of 1") == true)
        _ = s.apply(.key(.escape))   // closing the search: copying acts on the last answer again
        #expect(s.search == nil && s.transcript.chosen == nil)
        #expect(s.apply(.key(.ctrl("o"))) == [.copy("about trains")])
        #expect(!ChatLayout.render(s).lines().contains { $0.contains("▌") })
    }

    @Test func copyTakesTheLastAnswerOrItsCodeBlocksRaw() {
        var s = Self.state()
        Self.answered(&s, "show code", "Two:\n\n```swift\nlet a = 1\n```\n\nand\n\n```sh\nmake demo\n```")
        #expect(s.apply(.key(.ctrl("o"))).first == .copy("Two:\n\n```swift\nlet a = 1\n```\n\nand\n\n```sh\nmake demo\n```"))
        #expect(s.apply(.key(.alt("o"))) == [.copy("let a = 1")])
        #expect(s.apply(.key(.alt("o"))) == [.copy("make demo")])
        #expect(s.apply(.key(.alt("o"))) == [.copy("let a = 1")])
        s.focus = .transcript
        _ = s.apply(.key(.character("[")))
        #expect(s.apply(.key(.character("y"))) == [.copy("show code")])
    }

    @Test func jobsAreValidatedBeforeSending() {
        var s = Self.state()
        _ = s.apply(.key(.ctrl("p")))
        Self.typeKeys("jobs", &s)
        _ = s.apply(.key(.enter))
        _ = s.apply(.jobsLoaded([JobItem(id: "job_1", title: "daily news", schedule: "0 9 * * *", recurring: true, status: "ACTIVE")]))
        #expect(ChatLayout.render(s).lines().joined().contains("daily news"))
        _ = s.apply(.key(.character("n")))
        Self.typeKeys("summarise the news", &s)
        _ = s.apply(.key(.tab))
        for _ in 0..<12 { _ = s.apply(.key(.backspace)) }
        Self.typeKeys("61 9 * * *", &s)
        #expect(s.apply(.key(.enter)) == [])
        guard case .jobForm(let form, _) = s.modal else { Issue.record("closed"); return }
        #expect(form.problem?.contains("minute") == true)
        for _ in 0..<12 { _ = s.apply(.key(.backspace)) }
        Self.typeKeys("30 9 * * MON-FRI", &s)
        #expect(s.apply(.key(.enter)) == [.createJob(recurring: true, schedule: "30 9 * * MON-FRI", message: "summarise the news")])
        #expect(s.apply(.key(.character("p"))) == [.pauseJob(id: "job_1", resume: false)])
        _ = s.apply(.key(.character("d")))
        #expect(s.apply(.key(.character("y"))) == [.deleteJob(id: "job_1")])
        #expect(s.apply(.jobDone("deleted")) == [.loadJobs])
    }

    @Test func schedulesAreChecked() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for good in ["* * * * *", "*/15 9-17 * * 1-5", "0 0 1 JAN,JUL *", "5,10 0 * * SUN"] {
            #expect(throws: Never.self) { try JobSchedule.validate(good, type: .recurring, now: now) }
        }
        for bad in ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "5-1 * * * *", "*/0 * * * *", "a b c d e"] {
            #expect(throws: JobSchedule.Invalid.self) { try JobSchedule.validate(bad, type: .recurring, now: now) }
        }
        #expect(throws: Never.self) { try JobSchedule.validate("2030-01-01T09:00:00Z", type: .oneTime, now: now) }
        #expect(throws: Never.self) { try JobSchedule.validate("2030-01-01T09:00:00", type: .oneTime, now: now) }
        #expect(throws: JobSchedule.Invalid.self) { try JobSchedule.validate("2020-01-01T09:00:00Z", type: .oneTime, now: now) }
        #expect(throws: JobSchedule.Invalid.self) { try JobSchedule.validate("tomorrow", type: .oneTime, now: now) }
    }

    @Test func aTriggerFiresWithValidJSONOnly() {
        var s = Self.state()
        Self.type("/triggers", &s)
        #expect(s.apply(.key(.enter)).last == .loadTriggers)
        _ = s.apply(.triggersLoaded(["build-finished"]))
        #expect(s.apply(.key(.enter)) == [.loadTrigger("build-finished")])
        _ = s.apply(.triggerLoaded(TriggersPanel.Detail(name: "build-finished", template: "Build {{ project }} finished", fields: ["project"])))
        #expect(ChatLayout.render(s).lines().joined().contains("Build {{ project }} finished"))
        _ = s.apply(.key(.character("f")))
        guard case .triggerForm(let form, _) = s.modal else { Issue.record("closed"); return }
        #expect(form.data.string == "{\"project\": \"\"}")
        Self.typeKeys("x", &s)       // {"project": ""}x: not JSON
        #expect(s.apply(.key(.enter)) == [])
        _ = s.apply(.key(.backspace))
        _ = s.apply(.key(.tab))       // async
        #expect(s.apply(.key(.enter)) == [.fireTrigger(name: "build-finished", data: "{\"project\": \"\"}", async: true)])
        _ = s.apply(.triggerAccepted(name: "build-finished", requestID: "req_7"))
        guard case .triggers(let answered) = s.modal else { Issue.record("closed"); return }
        #expect(answered.note?.text == "build-finished accepted; request req_7 runs in the background")
        #expect(!s.transcript.entries.contains { $0.role == .assistant })   // not an answer of the agent
        // the slash form
        _ = s.apply(.key(.escape))   // the template
        _ = s.apply(.key(.escape))   // the panel
        Self.type("/trigger build-finished {\"project\": \"muxi\"}", &s)
        #expect(s.apply(.key(.enter)).last == .fireTrigger(name: "build-finished", data: "{\"project\": \"muxi\"}", async: false))
        Self.type("/trigger build-finished {oops", &s)
        #expect(s.apply(.key(.enter)) == [])   // refused, with a notice, and the text stays to be corrected
        #expect(s.noticeText?.contains("not valid JSON") == true && s.composer.string == "/trigger build-finished {oops")
    }
}

/// Every overlay and form drawn at the smallest and a large size: nothing traps, nothing
/// spills outside the screen.
@Suite struct OverlaySizeTests {
    @Test(arguments: [(40, 10), (41, 11), (80, 24), (200, 50)])
    func everyOverlayFits(width: Int, height: Int) {
        var base = AppState(formation: "f", user: "u", sessionID: "s")
        _ = base.apply(.resize(width: width, height: height))
        base.memory.items = [MemoryItem(id: "m", type: "preference", detail: String(repeating: "long detail ", count: 20))]
        var jobs = JobsPanel()
        jobs.items = [JobItem(id: "j", title: String(repeating: "job ", count: 40), schedule: "0 9 * * *", recurring: true, status: "ACTIVE")]
        var triggers = TriggersPanel()
        triggers.names = ["build-finished"]
        triggers.detail = TriggersPanel.Detail(name: "build-finished", template: String(repeating: "template ", count: 50), fields: ["a", "b"])
        var zzz = Palette()
        zzz.query = LineEditor("zzz")
        let overlays: [Modal] = [.help(offset: 0), .help(offset: 1000), .palette(Palette()), .palette(zzz), .jobs(jobs),
                                 .jobForm(JobForm(), jobs), .triggers(triggers),
                                 .triggerForm(TriggerForm(name: "build-finished", fields: ["a", "b"]), triggers),
                                 .confirm(Confirmation(.deleteJob(jobs.items[0]), returnTo: .jobs(jobs))), .search(TranscriptSearch()), .quitPrompt]
        for overlay in overlays {
            var s = base
            s.modal = overlay
            let screen = ChatLayout.render(s)
            #expect(screen.lines().count == height)
            #expect(screen.lines().allSatisfy { DisplayWidth.of($0) <= width })
        }
        var form = base
        form.modal = .memoryForm(MemoryForm(editing: base.memory.items[0]))
        #expect(ChatLayout.render(form).lines().allSatisfy { DisplayWidth.of($0) <= width })
    }
}
