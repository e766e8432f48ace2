import Testing
import TerminalUI

/// What the terminal answers to the graphics queries, read without guessing.
@Suite struct GraphicsProbeTests {
    static func probe(_ replies: String...) -> GraphicsProbe {
        var probe = GraphicsProbe()
        for r in replies { probe.feed(Array(r.utf8)) }
        return probe
    }

    @Test func eachProtocolIsKnownByItsReply() {
        #expect(Self.probe("\u{1B}_Gi=31;OK\u{1B}\\", "\u{1B}[?62;22c").result == TerminalGraphics(.kitty))
        #expect(Self.probe("\u{1B}P>|iTerm2 3.5.0\u{1B}\\", "\u{1B}[?62;c").result?.graphicsProtocol == .iterm2)
        #expect(Self.probe("\u{1B}P>|WezTerm 20240203\u{1B}\\\u{1B}[?65;4;6;18;22c").result?.graphicsProtocol == .iterm2)
        #expect(Self.probe("\u{1B}[?63;1;2;4;6;9;15;22c").result?.graphicsProtocol == .sixel)
        // kitty wins over sixel when both are answered; a kitty error is no kitty
        #expect(Self.probe("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;4c").result?.graphicsProtocol == .kitty)
        #expect(Self.probe("\u{1B}_Gi=31;ENOTSUPPORTED:no\u{1B}\\\u{1B}[?62;22c").result == nil)
        // xterm without vt340, tmux, the Linux console: attributes without 4
        #expect(Self.probe("\u{1B}[?1;2c").result == nil && Self.probe("\u{1B}[?1;2c").isComplete)
        #expect(Self.probe("\u{1B}[?64;14c").result == nil)   // 14 is not 4
    }

    @Test func theCellSizeComesFromTheReplyOrTheWindow() {
        #expect(Self.probe("\u{1B}[6;17;8t\u{1B}[?62;4c").result == TerminalGraphics(.sixel, cellWidth: 8, cellHeight: 17))
        var probe = GraphicsProbe()
        probe.adopt(cellWidth: 9, cellHeight: 18)
        probe.feed(Array("\u{1B}[?62;4c".utf8))
        #expect(probe.result == TerminalGraphics(.sixel, cellWidth: 9, cellHeight: 18))
    }

    @Test func repliesSplitAnywhereAndKeysTypedMeanwhileAreKept() {
        let all = Array("ab\u{1B}_Gi=31;OK\u{1B}\\é\u{1B}P>|xterm(390)\u{1B}\\\u{1B}[?62;4cz".utf8)
        for cut in 1..<all.count {
            var probe = GraphicsProbe()
            probe.feed(Array(all[..<cut]))
            probe.feed(Array(all[cut...]))
            #expect(probe.isComplete && probe.result?.graphicsProtocol == .kitty, "cut at \(cut)")
            #expect(String(decoding: probe.other, as: UTF8.self) == "abéz", "cut at \(cut)")
        }
        #expect(!Self.probe("\u{1B}_Gi=31;OK\u{1B}\\").isComplete)   // DA1 not come yet
    }

    @Test func keysWithEscapesTypedDuringTheProbeAreKept() {
        var probe = GraphicsProbe()
        probe.feed([0x1B, 0x61])   // Alt+a
        probe.feed(Array("\u{1B}[A".utf8))   // Up
        probe.feed(Array("\u{1B}[?62;4c".utf8))
        probe.feed([0x1B])   // Esc, last
        probe.finish()
        #expect(probe.other == [0x1B, 0x61] + Array("\u{1B}[A".utf8) + [0x1B] && probe.result?.graphicsProtocol == .sixel)
    }
}
