import Testing
import Foundation
import ChatApp
import TerminalUI

/// The app's behaviour as pure state changes: `apply(event) -> effects`.
@Suite struct AppStateTests {
    static func typed(_ text: String, into state: inout AppState) {
        for c in text { _ = state.apply(.key(.character(c))) }
    }

    @Test func enterSendsAndTheAnswerStreamsIntoTheTurn() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("hello", into: &s)
        let effects = s.apply(.key(.enter))
        #expect(effects == [.saveHistory("hello"), .send(turn: 1, text: "hello", sessionID: nil)])
        #expect(s.composer.isEmpty && s.inFlight?.turn == 1)
        _ = s.apply(.turnStarted(turn: 1, requestID: "req_1", sessionID: "sess_1"))
        #expect(s.sessionID == "sess_1" && s.sessions.items.first?.id == "sess_1" && s.sessions.items.first?.title == "hello")
        _ = s.apply(.progress(turn: 1, text: "Thinking..."))
        #expect(s.transcript.entries.last?.progress == "Thinking...")
        _ = s.apply(.delta(turn: 1, text: "Hi"))
        _ = s.apply(.delta(turn: 1, text: " there"))
        #expect(s.transcript.entries.last?.text == "Hi there" && s.transcript.entries.last?.progress == nil)
        let done = s.apply(.completed(turn: 1, text: "Hi there!", failed: false))
        #expect(s.transcript.entries.last?.text == "Hi there!" && s.transcript.entries.last?.status == .done && s.inFlight == nil)
        #expect(done == [.keepAnswer(turn: 1, sessionID: "sess_1", text: "Hi there!", status: .done), .loadMemoriesAfterTurn(upTo: MemoryPane.pageSize), .loadSessions])
    }

    @Test func escCancelsTheTurnKeepingThePartialAnswer() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("long one", into: &s)
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "req_9", sessionID: "sess_1"))
        _ = s.apply(.delta(turn: 1, text: "partial"))
        #expect(s.apply(.key(.escape)) == [.cancel(turn: 1, requestID: "req_9"),
                                           .keepAnswer(turn: 1, sessionID: "sess_1", text: "partial", status: .cancelled)])
        #expect(s.transcript.entries.last?.status == .cancelled && s.transcript.entries.last?.text == "partial" && s.inFlight == nil)
        _ = s.apply(.delta(turn: 1, text: " late"))
        _ = s.apply(.completed(turn: 1, text: "the whole late answer", failed: false))
        #expect(s.transcript.entries.last?.text == "partial" && s.transcript.entries.last?.status == .cancelled)
        #expect(s.apply(.key(.escape)).isEmpty)
    }

    @Test func errorsAreOneLineAndTheTypedTextIsKept() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("question", into: &s)
        _ = s.apply(.key(.enter))
        Self.typed("next draft", into: &s)
        _ = s.apply(.turnFailed(turn: 1, message: "cannot reach the formation"))
        #expect(s.transcript.entries.last == Entry(role: .error, text: "cannot reach the formation Not sent: Up recalls it.", turn: 1))
        #expect(s.transcript.entries.map(\.role) == [.user, .error])   // what was sent stays in view
        #expect(s.composer.string == "next draft" && s.inFlight == nil)   // what was typed since stays; the sent one is in the history
        #expect(s.composer.history.entries == ["question"])
    }

    @Test func ctrlCClearsThenQuitsAndCtrlDQuitsOnAnEmptyComposer() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("draft", into: &s)
        #expect(s.apply(.key(.ctrl("d"))).isEmpty)   // not empty: Ctrl+D deletes, does not quit
        #expect(s.apply(.key(.ctrl("c"))).isEmpty && s.composer.isEmpty)
        #expect(s.apply(.key(.ctrl("c"))).isEmpty && (s.modal == .quitPrompt))
        #expect(s.apply(.key(.ctrl("c"))) == [.quit])
        var t = AppState(formation: "f", user: "u")
        #expect(t.apply(.key(.ctrl("d"))) == [.quit])
    }

    @Test func composerEditingKeys() {
        var c = LineEditor("hello brave world", multiline: true)
        _ = c.edit(.ctrl("w"))
        #expect(c.string == "hello brave ")
        _ = c.edit(.ctrl("a"))
        _ = c.edit(.ctrl("k"))
        #expect(c.string.isEmpty)
        c = LineEditor("one two", multiline: true)
        _ = c.edit(.alt("b"))
        _ = c.edit(.character("X"))
        #expect(c.string == "one Xtwo")
        _ = c.edit(.ctrl("e"))
        _ = c.edit(.ctrl("j"))
        _ = c.edit(.paste("line 2\nline 3"))
        #expect(c.string == "one Xtwo\nline 2\nline 3")
        _ = c.edit(.ctrl("u"))
        #expect(c.string == "one Xtwo\nline 2\n")
        _ = c.edit(.backspace)
        _ = c.edit(.ctrlLeft)
        #expect(c.beforeCursor == "one Xtwo\nline ")
    }

    @Test func deleteAtTheEndOfTheMessageDoesNothing() {
        var c = LineEditor("ab", multiline: true)
        _ = c.edit(.delete)
        _ = c.edit(.ctrl("d"))
        #expect(c.string == "ab")
        _ = c.edit(.home)
        _ = c.edit(.delete)
        #expect(c.string == "b")
    }

    @Test func historyRecallWithUpAndDown() {
        var s = AppState(formation: "f", user: "u")
        s.composer.history = History(["first", "second"])
        _ = s.apply(.key(.up))
        #expect(s.composer.string == "second")
        _ = s.apply(.key(.up))
        #expect(s.composer.string == "first")
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.down))
        #expect(s.composer.string.isEmpty)
    }

    @Test func focusAndSessions() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.sessionsLoaded([SessionItem(id: "a", title: "A", lastActive: nil, onServer: true),
                                     SessionItem(id: "b", title: "B", lastActive: nil, onServer: false)]))
        _ = s.apply(.key(.alt("1")))
        #expect(s.focus == .sessions)
        _ = s.apply(.key(.down))
        #expect(s.apply(.key(.enter)) == [.loadMessages(sessionID: "b")] && s.sessionID == "b" && s.focus == .composer)
        _ = s.apply(.messagesLoaded(sessionID: "b", [Entry(role: .user, text: "old")]))
        #expect(s.transcript.entries == [Entry(role: .user, text: "old")])
        _ = s.apply(.key(.tab))
        #expect(s.focus == .sessions)
        _ = s.apply(.key(.character("n")))
        #expect(s.sessionID == nil && s.transcript.entries.isEmpty)
    }

    @Test func scrolledUpTheViewStaysAndAMarkerSaysNewTextArrived() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("q", into: &s)
        _ = s.apply(.key(.enter))
        _ = s.apply(.key(.pageUp))
        _ = s.apply(.delta(turn: 1, text: "more"))
        #expect(s.transcript.scroll > 0 && s.transcript.newBelow)
        _ = s.apply(.key(.pageDown))
        _ = s.apply(.key(.pageDown))
        #expect(s.transcript.scroll == 0 && !s.transcript.newBelow)
    }
}

@Suite struct PickerTests {
    static func asked() -> AppState {
        var s = AppState(formation: "f", user: "u", sessionID: "sess_1")
        for c in "weather in Paris" { _ = s.apply(.key(.character(c))) }
        _ = s.apply(.key(.enter))
        _ = s.apply(.completed(turn: 1, text: "Which Paris do you mean?", failed: false))
        _ = s.apply(.choices(turn: 1, Picker(widgetID: "ui_1", prompt: "Which Paris?",
                                              choices: [.init(label: "Paris, France", value: "\"fr\""), .init(label: "Paris, Texas", value: "\"tx\"")])))
        return s
    }

    @Test func arrowsAndEnterAnswerWithUIResponse() {
        var s = Self.asked()
        #expect(s.picker?.selection.index == 0)
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.down))
        #expect(s.picker?.selection.index == 1)
        let effects = s.apply(.key(.enter))
        #expect(effects == [.send(turn: 2, text: "Paris, Texas", sessionID: "sess_1", answering: UIAnswer(widgetID: "ui_1", value: "\"tx\""))])
        #expect(s.picker == nil && s.transcript.entries.last(where: { $0.role == .user })?.text == "Paris, Texas")
    }

    @Test func escDismissesAndTypingAnswersInYourOwnWords() {
        var s = Self.asked()
        _ = s.apply(.key(.escape))
        #expect(s.picker == nil)
        s = Self.asked()
        for c in "the one in Kentucky" { _ = s.apply(.key(.character(c))) }
        let effects = s.apply(.key(.enter))
        #expect(effects.last == .send(turn: 2, text: "the one in Kentucky", sessionID: "sess_1"))
        #expect(s.picker == nil)
    }

    @Test func thePickerAndLinksAreDrawn() {
        var s = Self.asked()
        _ = s.apply(.resize(width: 90, height: 20))
        _ = s.apply(.link(turn: 1, Entry.Link(label: "Docs", url: "https://muxi.org")))
        let text = ChatLayout.render(s).lines().joined(separator: "\n")
        #expect(text.contains("› 1. Paris, France") && text.contains("  2. Paris, Texas") && text.contains("Which Paris?"))
        #expect(text.contains("→ Docs: https://muxi.org"))
    }
}

@Suite struct SessionPaneTests {
    static func withSessions() -> AppState {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.sessionsLoaded([SessionItem(id: "sess_a", title: "Weather in Paris", lastActive: nil, onServer: true),
                                     SessionItem(id: "sess_b", title: "Build failures", lastActive: nil, onServer: false)]))
        _ = s.apply(.key(.alt("1")))
        return s
    }

    @Test func slashFiltersByTitleAndBySearchResults() {
        var s = Self.withSessions()
        _ = s.apply(.key(.character("/")))
        #expect(s.apply(.key(.character("b"))) == [.search("b")])
        #expect(s.sessions.visible.map(\.id) == ["sess_b"])
        _ = s.apply(.key(.backspace))
        for c in "croissant" { _ = s.apply(.key(.character(c))) }
        #expect(s.sessions.visible.isEmpty)
        _ = s.apply(.searchResults(query: "croissant", found: [s.sessions.items[0]]))   // found in a cached message
        #expect(s.sessions.visible.map(\.id) == ["sess_a"])
        _ = s.apply(.key(.enter))
        #expect(s.sessions.filter.query == "croissant")
        #expect(s.apply(.key(.enter)) == [.loadMessages(sessionID: "sess_a")])
        _ = s.apply(.key(.alt("1")))
        _ = s.apply(.key(.character("/")))
        _ = s.apply(.key(.escape))
        #expect(s.sessions.filter.query == nil && s.sessions.visible.count == 2)
    }

    @Test func dRemovesOnlyAfterY() {
        var s = Self.withSessions()
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.character("d")))
        #expect(s.confirmation?.action == .removeSession(s.sessions.items[1]))
        #expect(s.apply(.key(.character("n"))).isEmpty && s.sessions.items.count == 2 && s.modal == nil)
        _ = s.apply(.key(.character("d")))
        #expect(s.apply(.key(.character("y"))) == [.removeSession("sess_b")] && s.sessions.items.map(\.id) == ["sess_a"])
    }

    @Test func aLostSessionShowsTheLocalCopyAndCtrlRRestoresIt() {
        var s = Self.withSessions()
        _ = s.apply(.key(.enter))
        _ = s.apply(.cacheShown(sessionID: "sess_a", [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "a")]))
        #expect(s.transcript.restorable == "sess_a" && s.transcript.entries.last?.text.contains("Ctrl+R") == true)
        #expect(s.apply(.key(.ctrl("r"))) == [.restore(sessionID: "sess_a")])
        _ = s.apply(.restored(sessionID: "sess_a", count: 2))
        #expect(s.transcript.restorable == nil && s.transcript.entries.last?.text == "restored 2 messages to the server")
        #expect(s.apply(.key(.ctrl("r"))).isEmpty)
    }

    @Test func theFilterShowsOldSessionsTheListDoesNotHold() {
        var s = Self.withSessions()
        _ = s.apply(.key(.character("/")))
        for c in "kite" { _ = s.apply(.key(.character(c))) }
        #expect(s.sessions.visible.isEmpty)
        let old = SessionItem(id: "sess_old", title: "the blue kite", lastActive: Date(timeIntervalSince1970: 5), onServer: false, messages: 4)
        _ = s.apply(.searchResults(query: "kite", found: [old]))
        #expect(s.sessions.visible == [old])
        _ = s.apply(.searchResults(query: "kit", found: []))   // a stale answer is dropped
        #expect(s.sessions.visible == [old])
        #expect(s.apply(.key(.enter)) == [] && s.apply(.key(.enter)) == [.loadMessages(sessionID: "sess_old")])
    }
}
