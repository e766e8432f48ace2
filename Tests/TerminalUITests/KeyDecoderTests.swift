import Testing
import TerminalUI

@Suite struct KeyDecoderTests {
    static func decode(_ text: String, flush: Bool = true) -> [Key] {
        var d = KeyDecoder()
        for s in text.unicodeScalars { d.feed(.scalar(s)) }
        if flush { d.flush() }
        return d.take()
    }

    @Test func controlKeysAndText() {
        #expect(Self.decode("a\r") == [.character("a"), .enter])
        #expect(Self.decode("\u{01}\u{05}\u{0B}\u{15}\u{17}\n") == [.ctrl("a"), .ctrl("e"), .ctrl("k"), .ctrl("u"), .ctrl("w"), .ctrl("j")])
        #expect(Self.decode("\u{7F}\t") == [.backspace, .tab])
        #expect(Self.decode("こ😀") == [.character("こ"), .character("😀")])
    }

    @Test func escapeAltAndSequences() {
        #expect(Self.decode("\u{1B}") == [.escape])
        #expect(Self.decode("\u{1B}b\u{1B}f\u{1B}\r") == [.alt("b"), .alt("f"), .alt("\r")])
        #expect(Self.decode("\u{1B}[1;5D\u{1B}[1;5C\u{1B}[Z") == [.ctrlLeft, .ctrlRight, .backTab])
        #expect(Self.decode("\u{1B}]0;evil title\u{07}x").last == .character("x"))
        #expect(Self.decode("\u{1B}[999;999zq") == [.character("q")])
    }

    @Test func vtSequencesTheTerminalDatabaseMayNotKnow() {
        #expect(Self.decode("\u{1B}[1~\u{1B}[4~\u{1B}[3~\u{1B}[5~\u{1B}[6~\u{1B}[7~\u{1B}[8~")
                == [.home, .end, .delete, .pageUp, .pageDown, .home, .end])
    }

    @Test func bracketedPasteIsOneEdit() {
        let keys = Self.decode("\u{1B}[200~line one\r\nline two\u{1B}[B\u{1B}[201~z")
        #expect(keys == [.paste("line one\nline two\u{1B}[B"), .character("z")])
    }

    @Test func aPartialSequenceWaits() {
        var d = KeyDecoder()
        d.feed(.scalar("\u{1B}"))
        #expect(d.isWaiting && d.take().isEmpty)
        d.feed(.scalar("["))
        d.feed(.scalar("A"))
        #expect(d.take() == [.up] && !d.isWaiting)
    }
}
