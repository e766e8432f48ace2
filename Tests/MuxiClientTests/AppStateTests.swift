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
        #expect(s.sessionID == "sess_1" && s.sessions.first?.id == "sess_1" && s.sessions.first?.title == "hello")
        _ = s.apply(.progress(turn: 1, text: "Thinking..."))
        #expect(s.transcript.last?.progress == "Thinking...")
        _ = s.apply(.delta(turn: 1, text: "Hi"))
        _ = s.apply(.delta(turn: 1, text: " there"))
        #expect(s.transcript.last?.text == "Hi there" && s.transcript.last?.progress == nil)
        let done = s.apply(.completed(turn: 1, text: "Hi there!", failed: false))
        #expect(s.transcript.last?.text == "Hi there!" && s.transcript.last?.status == .done && s.inFlight == nil)
        #expect(done == [.loadMemoriesAfterTurn, .loadSessions])
    }

    @Test func escCancelsTheTurnKeepingThePartialAnswer() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("long one", into: &s)
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "req_9", sessionID: "sess_1"))
        _ = s.apply(.delta(turn: 1, text: "partial"))
        #expect(s.apply(.key(.escape)) == [.cancel(turn: 1, requestID: "req_9")])
        #expect(s.transcript.last?.status == .cancelled && s.transcript.last?.text == "partial" && s.inFlight == nil)
        _ = s.apply(.delta(turn: 1, text: " late"))
        _ = s.apply(.completed(turn: 1, text: "the whole late answer", failed: false))
        #expect(s.transcript.last?.text == "partial" && s.transcript.last?.status == .cancelled)
        #expect(s.apply(.key(.escape)).isEmpty)
    }

    @Test func errorsAreOneLineAndTheTypedTextIsKept() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("question", into: &s)
        _ = s.apply(.key(.enter))
        Self.typed("next draft", into: &s)
        _ = s.apply(.turnFailed(turn: 1, message: "cannot reach the formation"))
        #expect(s.transcript.last == Entry(role: .error, text: "cannot reach the formation", turn: 1))
        #expect(s.composer.string == "next draft" && s.inFlight == nil)
        #expect(s.history == ["question"])
    }

    @Test func ctrlCClearsThenQuitsAndCtrlDQuitsOnAnEmptyComposer() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("draft", into: &s)
        #expect(s.apply(.key(.ctrl("d"))).isEmpty)   // not empty: Ctrl+D deletes, does not quit
        #expect(s.apply(.key(.ctrl("c"))).isEmpty && s.composer.isEmpty)
        #expect(s.apply(.key(.ctrl("c"))).isEmpty && s.quitting)
        #expect(s.apply(.key(.ctrl("c"))) == [.quit])
        var t = AppState(formation: "f", user: "u")
        #expect(t.apply(.key(.ctrl("d"))) == [.quit])
    }

    @Test func composerEditingKeys() {
        var c = Composer("hello brave world")
        _ = c.edit(.ctrl("w"))
        #expect(c.string == "hello brave ")
        _ = c.edit(.ctrl("a"))
        _ = c.edit(.ctrl("k"))
        #expect(c.string.isEmpty)
        c = Composer("one two")
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
        var c = Composer("ab")
        _ = c.edit(.delete)
        _ = c.edit(.ctrl("d"))
        #expect(c.string == "ab")
        _ = c.edit(.home)
        _ = c.edit(.delete)
        #expect(c.string == "b")
    }

    @Test func historyRecallWithUpAndDown() {
        var s = AppState(formation: "f", user: "u")
        s.history = ["first", "second"]
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
        #expect(s.transcript == [Entry(role: .user, text: "old")])
        _ = s.apply(.key(.tab))
        #expect(s.focus == .sessions)
        _ = s.apply(.key(.character("n")))
        #expect(s.sessionID == nil && s.transcript.isEmpty)
    }

    @Test func scrolledUpTheViewStaysAndAMarkerSaysNewTextArrived() {
        var s = AppState(formation: "f", user: "u")
        Self.typed("q", into: &s)
        _ = s.apply(.key(.enter))
        _ = s.apply(.key(.pageUp))
        _ = s.apply(.delta(turn: 1, text: "more"))
        #expect(s.scroll > 0 && s.newBelow)
        _ = s.apply(.key(.pageDown))
        _ = s.apply(.key(.pageDown))
        #expect(s.scroll == 0 && !s.newBelow)
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
        #expect(s.picker?.selected == 0)
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.down))
        #expect(s.picker?.selected == 1)
        let effects = s.apply(.key(.enter))
        #expect(effects == [.send(turn: 2, text: "Paris, Texas", sessionID: "sess_1", answering: UIAnswer(widgetID: "ui_1", value: "\"tx\""))])
        #expect(s.picker == nil && s.transcript.last(where: { $0.role == .user })?.text == "Paris, Texas")
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
        #expect(s.visibleSessions.map(\.id) == ["sess_b"])
        _ = s.apply(.key(.backspace))
        for c in "croissant" { _ = s.apply(.key(.character(c))) }
        #expect(s.visibleSessions.isEmpty)
        _ = s.apply(.searchResults(query: "croissant", ids: ["sess_a"]))   // found in a cached message
        #expect(s.visibleSessions.map(\.id) == ["sess_a"])
        _ = s.apply(.key(.enter))
        #expect(s.filter == "croissant")
        #expect(s.apply(.key(.enter)) == [.loadMessages(sessionID: "sess_a")])
        _ = s.apply(.key(.alt("1")))
        _ = s.apply(.key(.character("/")))
        _ = s.apply(.key(.escape))
        #expect(s.filter == nil && s.visibleSessions.count == 2)
    }

    @Test func dRemovesOnlyAfterY() {
        var s = Self.withSessions()
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.character("d")))
        #expect(s.confirmRemove == "sess_b")
        #expect(s.apply(.key(.character("n"))).isEmpty && s.sessions.count == 2)
        _ = s.apply(.key(.character("d")))
        #expect(s.apply(.key(.character("y"))) == [.removeSession("sess_b")] && s.sessions.map(\.id) == ["sess_a"])
    }

    @Test func aLostSessionShowsTheLocalCopyAndCtrlRRestoresIt() {
        var s = Self.withSessions()
        _ = s.apply(.key(.enter))
        _ = s.apply(.cacheShown(sessionID: "sess_a", [Entry(role: .user, text: "q"), Entry(role: .assistant, text: "a")]))
        #expect(s.restorable == "sess_a" && s.transcript.last?.text.contains("Ctrl+R") == true)
        #expect(s.apply(.key(.ctrl("r"))) == [.restore(sessionID: "sess_a")])
        _ = s.apply(.restored(sessionID: "sess_a", count: 2))
        #expect(s.restorable == nil && s.transcript.last?.text == "restored 2 messages to the server")
        #expect(s.apply(.key(.ctrl("r"))).isEmpty)
    }
}
