import Testing
import Foundation
import ChatApp
import TerminalUI
import TerminalTesting

/// The screen as plain text at a few sizes. `SNAPSHOT_RECORD=1 swift test --filter LayoutSnapshot`
/// writes missing or changed snapshots to Tests/ChatAppTests/Snapshots and fails, so that a
/// person looks at them before they are committed.
@Suite struct LayoutSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        ScreenSnapshot.check(screen, name, in: folder, sourceLocation: sourceLocation)
    }

    static func conversation(width: Int, height: Int) -> AppState {
        var s = AppState(formation: "127.0.0.1:18371", user: "alice")
        _ = s.apply(.resize(width: width, height: height))
        _ = s.apply(.tick(Date(timeIntervalSince1970: 1000)))
        _ = s.apply(.connection(.connected))
        _ = s.apply(.sessionsLoaded([SessionItem(id: "sess_1", title: "日本語の質問", lastActive: nil, onServer: true),
                                     SessionItem(id: "sess_0", title: "an older chat", lastActive: nil, onServer: false)]))
        _ = s.apply(.memoriesLoaded([MemoryItem(id: "m1", type: "preference", detail: "likes green tea 🍵")]))
        for c in "東京の天気は？" { _ = s.apply(.key(.character(c))) }
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "req_1", sessionID: "sess_1"))
        _ = s.apply(.delta(turn: 1, text: "## 天気\n\n- **晴れ** 18°C\n- `code` and a [link](https://muxi.org)"))
        _ = s.apply(.completed(turn: 1, text: "## 天気\n\n- **晴れ** 18°C\n- `code` and a [link](https://muxi.org)", failed: false))
        for c in "next question" { _ = s.apply(.key(.character(c))) }
        _ = s.apply(.key(.enter))
        _ = s.apply(.progress(turn: 2, text: "Thinking..."))
        _ = s.apply(.tick(Date(timeIntervalSince1970: 1002.5)))
        return s
    }

    @Test func wide() { Self.check(ChatLayout.render(Self.conversation(width: 120, height: 24)), "wide-120x24") }

    @Test func medium() { Self.check(ChatLayout.render(Self.conversation(width: 80, height: 20)), "medium-80x20") }

    @Test func narrowHidesTheSidePanes() { Self.check(ChatLayout.render(Self.conversation(width: 50, height: 16)), "narrow-50x16") }

    @Test func tooSmall() { Self.check(ChatLayout.render(Self.conversation(width: 30, height: 8)), "too-small-30x8") }

    @Test func aResizeReflowsEverything() {
        var s = Self.conversation(width: 120, height: 24)
        _ = s.apply(.resize(width: 64, height: 18))
        Self.check(ChatLayout.render(s), "resized-64x18")
    }

    @Test func hostileTextIsShownNotObeyed() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 70, height: 12))
        _ = s.apply(.messagesLoaded(sessionID: "x", []))
        s.transcript.entries = [Entry(role: .assistant, text: "clear\u{1B}[2J title\u{1B}]0;pwned\u{07} clip\u{1B}]52;c;aGk=\u{07} bidi\u{202E}olleh")]
        let lines = ChatLayout.render(s).lines().joined()
        #expect(lines.contains("clear␛[2J title␛]0;pwned␇ clip␛]52;c;aGk=␇") && lines.contains("bidi<U+202E>olleh"))
        #expect(!lines.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    }
}

@Suite struct SessionRowTests {
    @Test func sessionRowsShowLocalTimeAndCount() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 100, height: 20))
        var parts = DateComponents()
        (parts.year, parts.month, parts.day, parts.hour, parts.minute) = (2026, 11, 29, 9, 5)
        let date = Calendar.current.date(from: parts)!
        _ = s.apply(.sessionsLoaded([SessionItem(id: "sess_1", title: "Hello", lastActive: date, onServer: false, messages: 4)]))
        #expect(ChatLayout.render(s).lines()[2].contains("  Nov 29 09:05 · 4 msgs"))   // " · local" is cut at this width
    }
}
