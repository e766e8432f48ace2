import Testing
import TerminalUI

@Suite struct ScreenTests {
    @Test func wideCharactersTakeTwoCellsAndControlCharactersAreVisible() {
        var s = Screen(width: 12, height: 2)
        let end = s.put("你好 ok", x: 0, y: 0)
        #expect(end == 7 && s.lines()[0] == "你好 ok")
        s.put("a\u{1B}[2Jb", x: 0, y: 1)
        #expect(s.lines()[1] == "a␛[2Jb")
    }

    @Test func aWideCharacterThatDoesNotFitIsNotDrawn() {
        var s = Screen(width: 3, height: 1)
        #expect(s.put("ab你", x: 0, y: 0) == 2)
        #expect(s.lines() == ["ab"])
    }

    @Test func emojiSequencesAreDrawnAsTheirParts() {
        var s = Screen(width: 10, height: 1)
        #expect(s.put("👨‍👩‍👧", x: 0, y: 0) == 6)
        #expect(s.put("e\u{0301}", x: 6, y: 0) == 7)
    }

    @Test func wrapping() {
        #expect(TextWrap.lines("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextWrap.lines("你好世界你好", width: 5) == ["你好", "世界", "你好"])
        #expect(TextWrap.lines("a\n\nb", width: 5) == ["a", "", "b"])
    }

    static func text(_ lines: [StyledLine]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func softLineBreaksJoinAParagraph() {
        #expect(Self.text(Markdown.render("one two\nthree four\n\nnext", width: 40)) == ["one two three four", "", "next"])
    }

    @Test func markdownRendersBlocksAndInlines() {
        let md = """
            ## A title

            Some **bold** and *em* with `code` and a [link](https://muxi.org).

            - first item that is long enough to wrap around
            - second

            > quoted

            ```swift
            let x = 1
            ```
            """
        let lines = Markdown.render(md, width: 30)
        #expect(Self.text(lines) == [
            "A title", "",
            "Some bold and em with code and", "a link (https://muxi.org).", "",
            "• first item that is long", "  enough to wrap around", "• second", "",
            "▌ quoted", "",
            "┌─ swift", "│ let x = 1", "└─",
        ])
        let bold = lines[2].first { $0.text == "bold" }
        #expect(bold?.style.bold == true)
        #expect(lines[2].first { $0.text == "code" }?.style.color == .code)
        #expect(lines[0].first?.style.bold == true)
    }
}
