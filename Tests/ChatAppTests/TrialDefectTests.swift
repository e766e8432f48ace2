import Testing
import Foundation
import ChatApp
import LocalStore
import MuxiClient
import TerminalUI

/// One test for each defect of the new-user trial of 2026-12-01 that the pure state shows
/// (numbers as in the trial's report).
@Suite struct TrialDefectTests {
    static func lived(width: Int = 160, height: Int = 45) -> AppState {
        AppInvariantTests.lived(width: width, height: height)
    }

    static func text(_ s: AppState) -> String { ChatLayout.render(s).lines().joined(separator: "\n") }

    @Test func d1_tabInAMessageStaysAndARemovalNamesTheSessionAndNeedsY() {
        var s = Self.lived()
        s.type("we")
        _ = s.apply(.key(.tab))
        #expect(s.focus == .composer)
        s.type("dye")
        #expect(s.composer.string == "wedye" && s.sessions.items.count == 2)
        // Tab completes a /command instead
        var t = Self.lived()
        t.type("/rem")
        _ = t.apply(.key(.tab))
        #expect(t.composer.string == "/remember ")
        // a deliberate removal asks by title, and a stray key does not answer
        _ = s.apply(.key(.alt("1")))
        _ = s.apply(.key(.character("d")))
        #expect(Self.text(s).contains("remove “Weather in Paris” from this list? (the server keeps it) y/n"))
        #expect(s.apply(.key(.character("x"))).isEmpty && s.confirmation != nil)
        #expect(s.noticeText == "press y to remove it, n to keep it")
        #expect(s.apply(.key(.character("y"))) == [.removeSession("sess_a")])
        #expect(s.noticeText == "removed from this list; the server still has it")
    }

    @Test func d2_upOnADraftThenDownGivesItBack() {
        var s = Self.lived()
        s.type("my precious draft")
        _ = s.apply(.key(.up))
        #expect(s.composer.string != "my precious draft")
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.down))
        #expect(s.composer.string == "my precious draft")
    }

    @Test func d3_aCancelledOrFailedPartialAnswerIsKeptAndShownAgain() {
        var s = Self.lived()
        s.type("long question")
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "req_1", sessionID: "sess_a"))
        _ = s.apply(.delta(turn: 1, text: "partial"))
        #expect(s.apply(.key(.escape)).contains(.keepAnswer(turn: 1, sessionID: "sess_a", text: "partial", status: .cancelled)))
        // cancelled before anything came back: nothing to keep, and no session made up
        var t = Self.lived()
        _ = t.apply(.key(.alt("1")))
        _ = t.apply(.key(.character("n")))
        t.type("cancel me early")
        _ = t.apply(.key(.enter))
        #expect(!t.apply(.key(.escape)).contains { if case .keepAnswer = $0 { return true }; return false })
        // a failure after some text is kept as failed
        var u = Self.lived()
        u.type("q")
        _ = u.apply(.key(.enter))
        _ = u.apply(.delta(turn: 1, text: "half an answer"))
        #expect(u.apply(.turnFailed(turn: 1, message: "the stream was cut")) == [.keepAnswer(turn: 1, sessionID: "sess_a", text: "half an answer", status: .failed)])
        // reopened: the server's messages, and the unfinished answer after its question
        let server = [Entry(role: .user, text: "hello"), Entry(role: .assistant, text: "Hi"), Entry(role: .user, text: "long question")]
        let local = server + [Entry(role: .assistant, text: "partial", status: .cancelled)]
        let merged = TranscriptMerge.addUnfinished(server: server, local: local)
        #expect(merged.last == Entry(role: .assistant, text: "partial", status: .cancelled))
        var v = Self.lived()
        _ = v.apply(.messagesLoaded(sessionID: "sess_a", merged))
        #expect(Self.text(v).contains("Assistant  (cancelled)"))
    }

    @Test func d4_aRemovedSessionStaysRemovedWithItsTitleKept() throws {
        let path = NSTemporaryDirectory() + "muxi-d4-\(UUID().uuidString)/store.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try LocalStore.open(at: path)
        let key = StoredSession.Key(formation: "f", user: "u", id: "sess_b")
        try store.recordSession(key, title: "Second session: about bananas")
        try store.removeSession(key)
        let hidden = try store.hiddenSessions(formation: "f", user: "u")
        let merged = SessionMerge.merge(server: [("sess_b", Date(), 2), ("sess_c", Date(), 1)],
                                        local: try store.sessions(formation: "f", user: "u"), counts: [:], hidden: hidden)
        #expect(merged.map(\.id) == ["sess_c"])   // the server still lists it; it stays out of the list
        try store.recordSession(key)              // a new turn in it brings it back, title and all
        #expect(try store.sessions(formation: "f", user: "u").first?.title == "Second session: about bananas")
    }

    @Test func d5_aRefusedOrMissingKeyIsSaidBeforeTheFirstMessage() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 120, height: 30))
        _ = s.apply(.connection(.keyRefused("Invalid API key")))
        _ = s.apply(.connection(.connected))   // /health needs no key: it does not undo a refusal
        #expect(s.connection == .keyRefused("Invalid API key"))
        #expect(ChatLayout.render(s).lines().last?.contains("○ key refused: check --client-key") == true)
        var t = AppState(formation: "f", user: "u")
        _ = t.apply(.connection(.noKey))
        #expect(t.connection.label.contains("--client-key"))
        let error = MuxiError(kind: .authentication, code: "UNAUTHORIZED", message: "Invalid API key")
        #expect(ErrorText.line(for: error) == "the server refused the key (Invalid API key); check --client-key / MUXI_CLIENT_KEY")
        #expect(!ErrorText.line(for: error).contains("history"))
        let missing = MuxiError(kind: .configuration, code: "CONFIGURATION", message: "POST /chat needs the client key; set clientKey (or MUXI_CLIENT_KEY)")
        #expect(ErrorText.line(for: missing) == "POST /chat needs the client key; give --client-key or set MUXI_CLIENT_KEY")
        #expect(ErrorText.connection(after: error) == .keyRefused("Invalid API key"))
    }

    @Test(arguments: [(80, 24), (99, 30), (60, 20)])
    func d6_belowHundredColumnsTheMemoryInspectorTakesTheTranscriptsPlace(width: Int, height: Int) {
        var s = Self.lived(width: width, height: height)
        _ = s.apply(.key(.alt("3")))
        let rects = ChatLayout.paneRects(s)
        #expect(rects.memories != nil && rects.transcript == nil)
        #expect(Self.text(s).contains("lives in Lisbon"))
        // hidden with F3: out of the Tab cycle, and its keys do nothing
        _ = s.apply(.key(.function(3)))
        #expect(s.focus == .composer && !s.tabOrder.contains(.memories))
        for _ in 0..<6 { _ = s.apply(.key(.tab)) }   // (an empty message passes the focus on)
        #expect(s.focus != .memories)
    }

    @Test func d7_upAndDownMoveBetweenLinesThenRecallHistory() {
        var s = Self.lived()
        s.type("line one")
        _ = s.apply(.key(.ctrl("j")))
        s.type("line two")
        _ = s.apply(.key(.alt("\r")))
        s.type("line four")
        _ = s.apply(.key(.up))
        _ = s.apply(.key(.home))
        s.type("X")
        #expect(s.composer.string == "line one\nXline two\nline four")
        // a multi-line history entry does not trap Up
        var t = Self.lived()
        for _ in 0..<4 { _ = t.apply(.key(.up)) }
        #expect(t.composer.string == "older question")
    }

    @Test func d8_closingTheSearchLeavesNothingChosenAndCountsMatches() {
        var s = Self.lived()
        _ = s.apply(.key(.ctrl("f")))
        s.type("hello")
        #expect(ChatLayout.render(s).lines().last?.contains("1 of 1") == true)
        _ = s.apply(.key(.backspace))
        s.type("zzz")
        #expect(ChatLayout.render(s).lines().last?.contains("no match") == true)
        _ = s.apply(.key(.escape))
        #expect(s.transcript.chosen == nil && s.transcript.copyTarget == 1)
        #expect(PaneKeys.composer.contains { $0.key == "Up/Down" })
        #expect(AppCommand.search.summary.contains("Enter: next match"))
    }

    @Test func d15_aRefusedSlashCommandKeepsTheText() {
        var s = Self.lived()
        s.type("/trigger echo-event {\"event\": \"x\", \"source\": oops}")
        #expect(s.apply(.key(.enter)).isEmpty)
        #expect(s.composer.string == "/trigger echo-event {\"event\": \"x\", \"source\": oops}")
        #expect(s.notice?.tone == .warning)
    }

    @Test func d16_theSessionOnScreenAtQuitIsOpenedNext() throws {
        let path = NSTemporaryDirectory() + "muxi-d16-\(UUID().uuidString)/store.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try LocalStore.open(at: path)
        #expect(try store.openSession(formation: "f", user: "u") == nil)
        try store.setOpenSession(formation: "f", user: "u", id: "sess_b")
        #expect(try store.openSession(formation: "f", user: "u") == .some("sess_b"))
        try store.setOpenSession(formation: "f", user: "u", id: nil)   // a new session was on screen
        #expect(try store.openSession(formation: "f", user: "u") == .some(nil))
    }

    @Test func d18_anAsyncTriggerIsAcceptedNotAnswered() {
        var s = Self.lived()
        _ = s.apply(.triggerAccepted(name: "echo-event", requestID: "req_J"))
        #expect(s.transcript.entries.last == Entry(role: .info, text: "trigger echo-event accepted; request req_J runs in the background"))
        #expect(s.transcript.entries.filter { $0.role == .assistant }.count == 1)
    }

    @Test func d20_theKeyHintKeepsF1HelpAtEightyColumns() {
        var s = Self.lived(width: 80, height: 24)
        #expect(ChatLayout.render(s).lines().last?.contains("F1 help") == true)
        _ = s.apply(.key(.alt("1")))
        #expect(ChatLayout.render(s).lines().last?.contains("F1 help") == true)
        var wide = Self.lived(width: 200, height: 50)
        _ = wide.apply(.key(.alt("3")))
        let footer = ChatLayout.render(wide).lines().last ?? ""
        for key in ["b buffer", "c/C clear", "g config", "r reload"] { #expect(footer.contains(key), "\(key) missing in \(footer)") }
    }

    @Test func d21_noticesEndWithWhatTheyDescribe() {
        var s = Self.lived()
        s.type("q")
        _ = s.apply(.key(.enter))
        _ = s.apply(.key(.ctrl("n")))
        #expect(s.noticeText == "a turn is running: Esc cancels it")
        _ = s.apply(.completed(turn: 1, text: "a", failed: false))
        #expect(s.notice == nil)
        // the undo's line ends with the undo
        _ = s.apply(.tick(Date(timeIntervalSince1970: 100)))
        _ = s.apply(.memoryDeleted(AppInvariantTests.memory))
        #expect(s.memory.note?.text.contains("u puts it back") == true)
        _ = s.apply(.tick(Date(timeIntervalSince1970: 100 + MemoryPane.undoSeconds)))
        #expect(s.memory.note == nil)
        // a form's warning goes with the form
        _ = s.apply(.key(.ctrl("p")))
        s.type("jobs")
        _ = s.apply(.key(.enter))
        _ = s.apply(.jobsLoaded([]))
        _ = s.apply(.key(.character("n")))
        _ = s.apply(.key(.enter))
        guard case .jobForm(let form, _) = s.modal else { Issue.record("no form"); return }
        #expect(form.problem != nil)
        _ = s.apply(.key(.escape))
        #expect(!Self.text(s).contains("needs a message"))
        // the buffer's size goes when it is cleared; "local" goes when a session is restored
        _ = s.apply(.bufferLoaded(messages: 28, kilobytes: 88.5))
        _ = s.apply(.bufferCleared(messages: 28))
        #expect(s.memory.buffer == nil)
        _ = s.apply(.restored(sessionID: "sess_b", count: 3))
        #expect(s.sessions.items.first { $0.id == "sess_b" }?.onServer == true)
    }

    @Test func d23_theCursorIsInTheFieldBeingTypedIn() {
        var s = Self.lived()
        _ = s.apply(.key(.alt("3")))
        _ = s.apply(.key(.character("a")))
        let cursor = ChatLayout.render(s).cursor
        let composer = ChatLayout.paneRects(s).composer
        #expect(cursor != nil && cursor.map { $0.y < composer.y } == true)
        _ = s.apply(.key(.escape))
        _ = s.apply(.key(.function(1)))
        #expect(ChatLayout.render(s).cursor == nil)
    }

    @Test func d24_ctrlZSuspends() {
        var s = Self.lived()
        s.type("draft")
        #expect(s.apply(.key(.ctrl("z"))) == [.suspend])
        #expect(s.composer.string == "draft")
    }

    /// Ctrl+Z stops the app whatever is open (help, the command palette, a memory's form, the
    /// artifacts list), and what was open is there unchanged after `fg`.
    @Test(arguments: [[Key.function(1)], [.ctrl("p")], [.alt("3"), .character("a"), .character("x")], [.ctrl("p"), .character("x")]])
    func ctrlZStopsWithAModalOpen(_ opening: [Key]) {
        var s = Self.lived()
        s.type("draft")
        for key in opening { _ = s.apply(.key(key)) }
        let before = Self.text(s)
        #expect(s.apply(.key(.ctrl("z"))) == [.suspend])
        #expect(Self.text(s) == before)
        #expect(s.composer.string == "draft")
    }

    @Test func d27_textIsCutWithoutADanglingSeparator() {
        #expect(ChatLayout.fit(["Dec 1 06:46", "24 msgs", "local"], separator: " · ", width: 22) == "Dec 1 06:46 · 24 msgs")
        var s = Self.lived()
        _ = s.apply(.key(.ctrl("p")))
        #expect(!Self.text(s).contains("Esc: c\n"))
        #expect(Self.text(s).contains("search the transcript"))
    }

    @Test func d28_theTriggerFormStartsWithTheTriggersFields() {
        var s = Self.lived()
        _ = s.apply(.key(.ctrl("p")))
        s.type("triggers")
        _ = s.apply(.key(.enter))
        _ = s.apply(.triggersLoaded(["echo-event"]))
        #expect(s.apply(.key(.character("f"))) == [.loadTrigger("echo-event")])   // fields not known yet: asked for
        _ = s.apply(.triggerLoaded(TriggersPanel.Detail(name: "echo-event", template: "Echo", fields: ["event", "source"])))
        guard case .triggerForm(let form, _) = s.modal else { Issue.record("no form"); return }
        #expect(form.data.string == "{\"event\": \"\", \"source\": \"\"}")
    }

    @Test func d28_theMemoryConfigurationHidesSecretsAndTheEnvelope() throws {
        let json = try JSONValue(parsing: #"{"request_id":"req_1","timestamp":"2026","data":{"persistent":{"connection_string":"postgres://u:pw@h/db","enabled":true},"buffer":{"size":50}}}"#)
        let lines = MemoryConfigText.lines(json)
        #expect(lines == ["buffer.size: 50", "persistent.connection_string: (hidden)", "persistent.enabled: true"])
    }
}

@Suite struct TranscriptMergeTests {
    @Test func anUnfinishedAnswerWhoseQuestionTheServerLostGoesAtTheEndWithIt() {
        let server = [Entry(role: .user, text: "hello"), Entry(role: .assistant, text: "Hi")]
        let local = server + [Entry(role: .user, text: "slowly"), Entry(role: .assistant, text: "Stand-in", status: .cancelled)]
        #expect(TranscriptMerge.addUnfinished(server: server, local: local) == local)
    }

    @Test func aPartialAnswerTheServerKeptIsMarkedNotRepeated() {
        let server = [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "part of it")]
        let local = [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "part", status: .failed)]
        #expect(TranscriptMerge.addUnfinished(server: server, local: local) == [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "part of it", status: .failed)])
    }

    @Test func theLocalCopyIsShownWhenTheServerHasNothingOrFails() {
        let local = [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "a")]
        #expect(TranscriptMerge.events(sessionID: "s", server: .success([]), local: local) == [.cacheShown(sessionID: "s", local)])
        #expect(TranscriptMerge.events(sessionID: "s", server: .success(local), local: local) == [.messagesLoaded(sessionID: "s", local)])
        let down = MuxiError(kind: .connection, code: "CONNECTION_ERROR", message: "refused")
        #expect(TranscriptMerge.events(sessionID: "s", server: .failure(down), local: local).first == .cacheShown(sessionID: "s", local))
        #expect(TranscriptMerge.events(sessionID: "s", server: .failure(down), local: []).count == 1)
        #expect(TranscriptMerge.events(sessionID: "s", server: .success([]), local: [])
                == [.messagesLoaded(sessionID: "s", [Entry(role: .info, text: "no messages for s, on the server or here")])])
    }

    @Test func finishedAnswersChangeNothing() {
        let server = [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "a")]
        #expect(TranscriptMerge.addUnfinished(server: server, local: server) == server)
    }
}
