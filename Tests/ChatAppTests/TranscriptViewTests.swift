import Testing
import Foundation
import ChatApp
import TerminalUI

/// The transcript's window: the same lines a full render would show, whatever the scroll, and
/// the text kept still while you read and an answer streams in below.
@Suite struct TranscriptViewTests {
    static func session(_ messages: Int, width: Int = 90, height: Int = 20) -> AppState {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: width, height: height))
        for i in 0..<messages {
            s.transcript.append(i % 2 == 0
                ? Entry(role: .user, text: "question \(i)")
                : Entry(role: .assistant, text: "answer \(i)\n\n- one\n- two\n\n" + String(repeating: "word ", count: i % 7 * 9)))
        }
        return s
    }

    static func transcriptRows(_ screen: Screen) -> [String] { screen.lines() }

    @Test func aWindowIsTheSameWhateverTheViewRemembers() {
        var s = Self.session(40)
        let view = TranscriptView()
        for scroll in [0, 1, 5, 17, 60, 200, 100_000, 3, 0] {
            _ = s.apply(.scrolled(to: scroll))
            let cached = ChatLayout.render(s, view: view).lines()
            let fresh = ChatLayout.render(s).lines()
            #expect(cached == fresh, "scroll \(scroll)")
        }
    }

    @Test func scrollingPastTheTopIsClampedSoThatPageDownMovesAtOnce() {
        var s = Self.session(40)
        let view = TranscriptView()
        s.focus = .transcript
        _ = s.apply(.key(.home))
        let top = ChatLayout.render(s, view: view).lines()
        #expect(top.joined().contains("question 0"))
        #expect(view.scroll < 1000)
        _ = s.apply(.scrolled(to: view.scroll))
        _ = s.apply(.key(.pageDown))
        #expect(ChatLayout.render(s, view: view).lines() != top)
    }

    @Test func scrolledUpTheTextStaysStillWhileTheAnswerStreamsBelow() {
        var s = Self.session(40)
        let view = TranscriptView()
        for c in "more" { _ = s.apply(.key(.character(c))) }
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "r", sessionID: "s"))
        _ = s.apply(.delta(turn: 1, text: "first line\n\n"))
        _ = ChatLayout.render(s, view: view)
        _ = s.apply(.key(.pageUp))
        let before = ChatLayout.render(s, view: view).lines()
        _ = s.apply(.scrolled(to: view.scroll))
        for i in 0..<30 { _ = s.apply(.delta(turn: 1, text: "streamed paragraph \(i)\n\n")) }
        let after = ChatLayout.render(s, view: view)
        _ = s.apply(.scrolled(to: view.scroll))
        #expect(Array(after.lines().prefix(s.height - 5)) == Array(before.prefix(s.height - 5)))
        #expect(after.lines().joined().contains("new text below"))
        s.focus = .transcript
        _ = s.apply(.key(.end))
        #expect(ChatLayout.render(s, view: view).lines().joined().contains("streamed paragraph 29"))
    }

    @Test func followingAStreamTheWindowJumpsHalfAPageAndTheNewestLineStaysInView() {
        var s = Self.session(40)
        let view = TranscriptView()
        for c in "go" { _ = s.apply(.key(.character(c))) }
        _ = s.apply(.key(.enter))
        _ = s.apply(.turnStarted(turn: 1, requestID: "r", sessionID: "s"))
        var tops: [String] = []
        for i in 0..<60 {
            _ = s.apply(.delta(turn: 1, text: "line \(i)\n\n"))
            let rows = ChatLayout.render(s, view: view).lines()
            #expect(rows.joined().contains("line \(i) "), "line \(i) is not in view")
            if tops.last != rows[1] { tops.append(rows[1]) }
        }
        // 120 new rows in a 14-row window: a line-by-line scroll would move it 120 times
        #expect(tops.count <= 120 / 7 + 2, "the window moved \(tops.count) times")
        // the answer ends: the text settles to the bottom, as a fresh view draws it
        _ = s.apply(.completed(turn: 1, text: (0..<60).map { "line \($0)" }.joined(separator: "\n\n"), failed: false))
        #expect(ChatLayout.render(s, view: view).lines() == ChatLayout.render(s).lines())
    }

    @Test func aResizeReflowsTheWindow() {
        var s = Self.session(10)
        let view = TranscriptView()
        _ = ChatLayout.render(s, view: view)
        _ = s.apply(.resize(width: 60, height: 14))
        #expect(ChatLayout.render(s, view: view).lines() == ChatLayout.render(s).lines())
    }

    @Test func aLongSessionCostsTheSameAsAShortOne() {
        // only the entries in the window are rendered: 10,000 messages take no longer per frame
        // than 10 (generous bound: this is a check of the algorithm, `make bench` measures)
        func perFrame(_ messages: Int) -> Duration {
            var s = Self.session(messages, width: 200, height: 50)
            let view = TranscriptView()
            for c in "q" { _ = s.apply(.key(.character(c))) }
            _ = s.apply(.key(.enter))
            _ = s.apply(.turnStarted(turn: 1, requestID: "r", sessionID: "s"))
            let clock = ContinuousClock()
            return clock.measure {
                for i in 0..<50 {
                    _ = s.apply(.delta(turn: 1, text: " token\(i)"))
                    _ = ChatLayout.render(s, view: view)
                }
            }
        }
        _ = perFrame(10)
        let short = perFrame(10), long = perFrame(10_000)
        #expect(long < short * 5, "10 messages: \(short), 10,000: \(long)")
    }
}
