import Testing
import Foundation
import ChatApp
import TerminalUI
import PropertyBased

/// Invariants of the app over generated key sequences, on the pure state: what people type,
/// in any order, never loses their text, never deletes anything without a deliberate y, never
/// opens two modals, and never sends keys to a pane they cannot see.
// One property at a time: each is seconds of work on a thread of the concurrency pool (two
// threads on this machine), and two at once starved every other test's timers for 10 s.
@Suite(.serialized) struct AppInvariantTests {
    static let memory = MemoryItem(id: "m1", type: "fact", detail: "lives in Lisbon")
    static let session = SessionItem(id: "sess_a", title: "Weather in Paris", lastActive: nil, onServer: true)

    /// A user with sessions, memories, a history, an open session and an answer on screen.
    static func lived(width: Int = 120, height: Int = 30) -> AppState {
        var s = AppState(formation: "f", user: "u", sessionID: "sess_a")
        _ = s.apply(.resize(width: width, height: height))
        _ = s.apply(.connection(.connected))
        _ = s.apply(.sessionsLoaded([session, SessionItem(id: "sess_b", title: "Build failures", lastActive: nil, onServer: false)]))
        _ = s.apply(.memoriesLoaded([memory, MemoryItem(id: "m2", type: "preference", detail: "likes tea")]))
        _ = s.apply(.messagesLoaded(sessionID: "sess_a", [Entry(role: .user, text: "hello"), Entry(role: .assistant, text: "Hi! ```sh\nls\n```")]))
        _ = s.apply(.historyLoaded(["older question", "multi\nline question"]))
        return s
    }

    /// Keys that move around, open and close things, but type nothing and clear nothing.
    static let navigation: [Key] = [
        .tab, .backTab, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .wheelUp, .wheelDown,
        .alt("1"), .alt("2"), .alt("3"), .alt("4"), .function(1), .function(2), .function(3), .ctrl("p"), .ctrl("f"), .escape,
    ]

    /// Everything a person presses: letters that are commands in some pane, editing keys,
    /// Enter, Esc, the function keys.
    static let everything: [Key] = navigation + "adeyYnucCgrbR/? []fpx".map { Key.character($0) } + [
        .enter, .backspace, .delete, .ctrl("j"), .ctrl("u"), .ctrl("k"), .ctrl("w"), .ctrl("r"), .ctrl("n"), .ctrl("o"), .alt("o"), .ctrl("c"),
        .paste("pasted\ntext"),
    ]

    static func destructive(_ effect: Effect) -> Bool {
        switch effect {
        case .removeSession, .deleteMemory, .deleteJob, .clearBuffer: return true
        default: return false
        }
    }

    @Test func typingNeverDeletesAnything() async {
        let typing = "dyenac ux/?".map { Key.character($0) } + [.tab, .backTab]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(typing.count - 1)).array(of: 1...60)) { picks in
            let keys = picks.map { typing[$0] }
            var s = Self.lived()
            s.type("we")   // a message being written
            for key in keys {
                let effects = s.apply(.key(key))
                #expect(!effects.contains(where: Self.destructive), "\(key) deleted something while typing")
                #expect(s.focus == .composer, "\(key) took the focus from a message being typed")
            }
            #expect(s.composer.string.hasPrefix("we"))
        }
    }

    @Test func theDraftSurvivesAnyNavigation() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...(Self.navigation.count - 1)).array(of: 1...60)) { picks in
            let keys = picks.map { Self.navigation[$0] }
            var s = Self.lived()
            s.type("my precious draft")
            for key in keys { _ = s.apply(.key(key)) }
            // come back: close what is open, go to the message, and Down to the draft
            for _ in 0..<3 { _ = s.apply(.key(.escape)) }
            _ = s.apply(.key(.alt("4")))
            for _ in 0..<4 { _ = s.apply(.key(.down)) }
            #expect(s.composer.string == "my precious draft", "after \(keys)")
        }
    }

    @Test func deletionsNeedADeliberateYesAndKeysGoWhereTheUserSees() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...(Self.everything.count - 1)).array(of: 1...80), Gen.int(in: 40...200),
                            Gen.int(in: 10...50)) { picks, width, height in
            let keys = picks.map { Self.everything[$0] }
            var s = Self.lived(width: width, height: height)
            for key in keys {
                let before = s
                let effects = s.apply(.key(key))
                if effects.contains(.quit) { break }
                if effects.contains(where: Self.destructive) {
                    guard case .confirm = before.modal, key == .character("y") || key == .character("Y") else {
                        Issue.record("\(key) deleted something without a confirmation (modal: \(String(describing: before.modal)))")
                        return
                    }
                }
                #expect(s.tabOrder.contains(s.focus), "focus on a hidden pane after \(key)")
                let rects = ChatLayout.paneRects(s)
                let shown: [Pane: Rect?] = [.sessions: rects.sessions, .transcript: rects.transcript, .memories: rects.memories, .composer: rects.composer]
                #expect(shown[s.focus] ?? nil != nil, "the focused \(s.focus) pane is not on screen at \(width)×\(height)")
                // the terminal's cursor is where the user types, or hidden
                let cursor = ChatLayout.render(s).cursor
                switch s.modal {
                case .memoryForm?, .palette?, .jobForm?, .triggerForm?, .search?:
                    #expect(cursor != nil, "no cursor in the field being typed in")
                case nil, .picker?, .quitPrompt?:
                    if s.focus == .composer {
                        #expect(cursor.map { rects.composer.contains(x: $0.x, y: $0.y) } == true, "the cursor is not in the message box")
                    } else {
                        #expect(cursor == nil, "a cursor in the message box while \(s.focus) has the keys")
                    }
                default:
                    #expect(cursor == nil, "the cursor shows under \(String(describing: s.modal))")
                }
            }
        }
    }

    @Test func historyIsReadline() {
        var s = Self.lived()
        s.type("draft")
        _ = s.apply(.key(.up))
        #expect(s.composer.string == "multi\nline question")
        _ = s.apply(.key(.up))   // the caret is on the last line of the recalled message: Up moves to its first line
        _ = s.apply(.key(.up))   // then on to the older entry
        #expect(s.composer.string == "older question")
        _ = s.apply(.key(.down))
        #expect(s.composer.string == "multi\nline question")
        _ = s.apply(.key(.down))
        #expect(s.composer.string == "draft")   // past the newest: the draft back
        // Up and Down move between the lines of the message being written
        var t = Self.lived()
        t.type("line one")
        _ = t.apply(.key(.ctrl("j")))
        t.type("line two")
        _ = t.apply(.key(.up))
        t.type("X")
        #expect(t.composer.string == "line oneX\nline two")
        _ = t.apply(.key(.down))
        t.type("Y")
        #expect(t.composer.string == "line oneX\nline twoY")
        // a recalled entry keeps its edit while moving through the history, and the draft stays
        var u = Self.lived()
        u.type("draft")
        _ = u.apply(.key(.up))
        _ = u.apply(.key(.up))
        _ = u.apply(.key(.up))
        u.type(" again")
        _ = u.apply(.key(.down))
        #expect(u.composer.string == "multi\nline question")
        _ = u.apply(.key(.up))
        _ = u.apply(.key(.up))
        #expect(u.composer.string == "older question again")
        _ = u.apply(.key(.down))
        _ = u.apply(.key(.down))
        #expect(u.composer.string == "draft")
        _ = u.apply(.key(.enter))
        _ = u.apply(.key(.up))
        #expect(u.composer.string == "draft")   // sent: the newest entry; the edit is dropped
        _ = u.apply(.key(.up))
        _ = u.apply(.key(.up))
        _ = u.apply(.key(.up))
        #expect(u.composer.string == "older question")
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
}
