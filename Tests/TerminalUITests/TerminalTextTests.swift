import Testing
import TerminalUI

@Suite struct TerminalTextTests {
    @Test(arguments: [("hello", 5), ("héllo", 5), ("e\u{0301}", 1), ("你好", 4), ("日本語", 6), ("한국어", 6),
                      ("😀", 2), ("👍🏽", 4), ("🇫🇷", 2), ("ｆｕｌｌ", 8), ("a\u{200B}b", 2), ("", 0)])
    func widthsAgreeWithWcwidth(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func truncateAndPadByColumns() {
        #expect(DisplayWidth.truncate("你好世界", to: 5) == "你好…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.pad("你", to: 4) == "你  ")
    }

    @Test func controlCharactersBecomeVisible() {
        #expect(ControlCharacters.visible("a\u{1B}[2Jb") == "a␛[2Jb")
        #expect(ControlCharacters.visible("\u{1B}]0;title\u{07}") == "␛]0;title␇")
        #expect(ControlCharacters.visible("\u{1B}]52;c;ZXZpbA==\u{07}") == "␛]52;c;ZXZpbA==␇")
        #expect(ControlCharacters.visible("x\u{9B}y\u{7F}") == "x<U+009B>y␡")
        #expect(ControlCharacters.visible("abc\u{202E}cba") == "abc<U+202E>cba")
        #expect(ControlCharacters.visible("keep\nlines\tand tabs") == "keep\nlines\tand tabs")
        #expect(ControlCharacters.visible("one\nline", keepingNewlines: false) == "one␊line")
    }

    @Test func tablesAlignByDisplayWidth() {
        let table = TextTable(headers: ["ID", "TEXT"], rows: [["你好", "a"], ["ab", "b"]]).render()
        #expect(table == "ID    TEXT\n你好  a\nab    b")
        let narrow = TextTable(headers: ["ID", "TEXT"], rows: [["x", String(repeating: "w", count: 50)]]).render(maxWidth: 20)
        #expect(narrow.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 20 })
    }
}

/// Markdown tables and strikethrough (the trial's defect 10).
@Suite struct MarkdownTableTests {
    static func text(_ lines: [StyledLine]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func aTableIsAlignedInColumns() {
        let lines = Self.text(Markdown.render("| a | bb |\n|---|:--:|\n| 1 | 2 |\n| long cell | 日本 |", width: 40))
        #expect(lines == ["a         │ bb", "──────────┼─────", "1         │ 2", "long cell │ 日本"])
    }

    @Test func aTableTooWideKeepsItsRowsRaw() {
        let lines = Self.text(Markdown.render("| a | b |\n|---|---|\n| \(String(repeating: "x", count: 30)) | y |", width: 20))
        #expect(lines.first == "| a | b |")
        #expect(lines.count > 2 && !lines.joined().contains("┼"))
    }

    @Test func aPipeLineWithoutASeparatorIsText() {
        #expect(Self.text(Markdown.render("| not a table |", width: 40)) == ["| not a table |"])
    }

    @Test func strikethroughIsDrawnStruck() {
        let line = Self.text(Markdown.render("keep ~~gone~~ here", width: 40)).joined()
        #expect(line == "keep g\u{0336}o\u{0336}n\u{0336}e\u{0336} here")
        #expect(DisplayWidth.of(line) == DisplayWidth.of("keep gone here"))
        #expect(Self.text(Markdown.render("a ~~ b", width: 40)) == ["a ~~ b"])
    }
}
