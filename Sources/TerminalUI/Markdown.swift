/// A run of text in one style.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One screen line: spans that fit the width.
public typealias StyledLine = [Span]

/// Renders markdown to styled lines wrapped by display width: headings, **bold**, *emphasis*,
/// ~~strikethrough~~, `inline code`, fenced code blocks (set apart, not re-wrapped but cut to
/// the width), lists, block quotes, tables (aligned columns; the raw rows when too wide), and
/// links shown with their URL.
///
/// ```swift
/// let lines = Markdown.render("## Title\n\n- **one**\n- two", width: 40)
/// ```
public enum Markdown {
    /// The raw contents of the fenced code blocks of `text`, in order (what copying a code
    /// block puts on the clipboard: unwrapped, without the fences).
    ///
    /// ```swift
    /// Markdown.codeBlocks("Run:\n```sh\nmake demo\n```")   // ["make demo"]
    /// ```
    public static func codeBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                if let open = current {
                    blocks.append(open.joined(separator: "\n"))
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        if let open = current, !open.isEmpty { blocks.append(open.joined(separator: "\n")) }   // still streaming
        return blocks
    }

    public static func render(_ text: String, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var out: [StyledLine] = []
        var inFence = false
        var paragraph: [String] = []   // consecutive text lines: one paragraph (soft line breaks)
        func flushParagraph() {
            if !paragraph.isEmpty { out += wrap(inline(paragraph.joined(separator: " "), base: .plain), width: width) }
            paragraph.removeAll()
        }
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < rows.count {
            let raw = rows[index]
            index += 1
            let trimmed = raw.trimmingLeadingSpaces
            if !inFence, let table = Table(rows, at: index - 1) {
                flushParagraph()
                out += table.render(width: width)
                index = table.end
                continue
            }
            let plainText = !inFence && !trimmed.isEmpty && !trimmed.hasPrefix("```") && !trimmed.hasPrefix("~~~")
                && headingLevel(trimmed) == nil && !trimmed.hasPrefix(">") && listItem(trimmed) == nil
                && !["---", "***", "___"].contains(trimmed)
            if plainText {
                paragraph.append(trimmed)
                continue
            }
            flushParagraph()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                let language = inFence ? String(trimmed.dropFirst(3)).trimmingLeadingSpaces : ""
                out.append([Span(inFence ? "┌─ " + (language.isEmpty ? "code" : language) : "└─", Style(color: .muted))])
                continue
            }
            if inFence {
                let code = DisplayWidth.truncate(raw.replacingTabs, to: max(1, width - 2))
                out.append([Span("│ ", Style(color: .muted)), Span(code, Style(color: .code))])
                continue
            }
            if trimmed.isEmpty {
                out.append([])
                continue
            }
            if let level = headingLevel(trimmed) {
                let title = String(trimmed.dropFirst(level + 1))
                let style = Style(color: .accent, bold: true, underline: level == 1)
                out += wrap(inline(title, base: style), width: width, first: [], rest: [])
                continue
            }
            if trimmed == "---" || trimmed == "***" || trimmed == "___" {
                out.append([Span(String(repeating: "─", count: width), Style(color: .muted))])
                continue
            }
            if trimmed.hasPrefix(">") {
                let body = String(trimmed.dropFirst()).trimmingLeadingSpaces
                let bar = Span("▌ ", Style(color: .muted))
                out += wrap(inline(body, base: Style(italic: true)), width: width, first: [bar], rest: [bar])
                continue
            }
            let indent = raw.count - trimmed.count
            if let (marker, rest) = listItem(trimmed) {
                let pad = String(repeating: " ", count: min(indent, 8))
                let bullet = Span(pad + marker + " ", Style(color: .accent))
                let hang = Span(String(repeating: " ", count: DisplayWidth.of(bullet.text)))
                out += wrap(inline(rest, base: .plain), width: width, first: [bullet], rest: [hang])
                continue
            }
        }
        flushParagraph()
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func listItem(_ line: String) -> (String, String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            return ("•", String(line.dropFirst(2)))
        }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, digits.count <= 3 {
            let after = line.dropFirst(digits.count)
            if after.hasPrefix(". ") || after.hasPrefix(") ") { return (digits + ".", String(after.dropFirst(2))) }
        }
        return nil
    }

    /// Inline markup: `code`, **bold**, *em* / _em_, ~~strike~~, [text](url).
    static func inline(_ text: String, base: Style) -> [Span] {
        var spans: [Span] = []
        var current = ""
        var style = base
        var bold = false, italic = false
        let chars = Array(text)
        var i = 0
        func flush() {
            if !current.isEmpty { spans.append(Span(current, style)) }
            current = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "`", let close = chars[(i + 1)...].firstIndex(of: "`") {
                flush()
                spans.append(Span(String(chars[(i + 1)..<close]), Style(color: .code)))
                i = close + 1
                continue
            }
            if c == "[", let mid = chars[i...].firstIndex(of: "]"), mid + 1 < chars.count, chars[mid + 1] == "(",
                let end = chars[(mid + 1)...].firstIndex(of: ")")
            {
                flush()
                spans.append(Span(String(chars[(i + 1)..<mid]), Style(color: .link, underline: true)))
                spans.append(Span(" (" + String(chars[(mid + 2)..<end]) + ")", Style(color: .muted)))
                i = end + 1
                continue
            }
            if c == "~", i + 1 < chars.count, chars[i + 1] == "~", let close = closing("~~", in: chars, from: i + 2) {
                flush()
                spans.append(Span(strike(String(chars[(i + 2)..<close])), style))
                i = close + 2
                continue
            }
            if (c == "*" || c == "_"), i + 1 < chars.count, chars[i + 1] == c {
                flush()
                bold.toggle()
                style.bold = bold || base.bold
                i += 2
                continue
            }
            if c == "*" || (c == "_" && (i == 0 || chars[i - 1] == " " || italic)) {
                flush()
                italic.toggle()
                style.italic = italic || base.italic
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        flush()
        return spans
    }

    /// Where `marker` next starts in `chars` at or after `from`, if it does.
    static func closing(_ marker: String, in chars: [Character], from: Int) -> Int? {
        let m = Array(marker)
        var i = from
        while i + m.count <= chars.count {
            if Array(chars[i..<(i + m.count)]) == m { return i > from ? i : nil }
            i += 1
        }
        return nil
    }

    /// Text struck through: each character with a combining long stroke (U+0336), which
    /// terminals draw over it and which takes no column of its own.
    static func strike(_ text: String) -> String {
        var out = ""
        for c in text {
            out.append(c)
            if c != " " { out.unicodeScalars.append("\u{0336}") }
        }
        return out
    }

    /// Wraps spans at spaces to `width`, starting the first line with `first` and the others
    /// with `rest` (bullets, quote bars).
    public static func wrap(_ spans: [Span], width: Int, first: StyledLine = [], rest: StyledLine = []) -> [StyledLine] {
        var lines: [StyledLine] = []
        var line: StyledLine = first
        var used = first.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let restWidth = rest.reduce(0) { $0 + DisplayWidth.of($1.text) }
        // words keep their style; a word may span several styled pieces
        var words: [[Span]] = [[]]
        for span in spans {
            for (n, piece) in span.text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                if n > 0 { words.append([]) }
                if !piece.isEmpty { words[words.count - 1].append(Span(String(piece), span.style)) }
            }
        }
        var atLineStart = true
        for word in words where !word.isEmpty {
            let w = word.reduce(0) { $0 + DisplayWidth.of($1.text) }
            let gap = atLineStart ? 0 : 1
            if used + gap + w > width, !atLineStart {
                lines.append(line)
                line = rest
                used = restWidth
                atLineStart = true
            }
            if !atLineStart {
                line.append(Span(" ", word[0].style))
                used += 1
            }
            for piece in word {
                var text = piece.text
                while used + DisplayWidth.of(text) > width, width - used > 0 {   // a word longer than the line
                    let cut = DisplayWidth.prefix(text, columns: width - used)
                    line.append(Span(cut, piece.style))
                    lines.append(line)
                    line = rest
                    used = restWidth
                    text = String(text.dropFirst(cut.count))
                    if width - used <= 0 { break }
                }
                if !text.isEmpty {
                    line.append(Span(text, piece.style))
                    used += DisplayWidth.of(text)
                }
            }
            atLineStart = false
        }
        lines.append(line)
        return lines
    }
}

extension DisplayWidth {
    /// The longest prefix of `text` that fits in `columns` (at least one character).
    public static func prefix(_ text: String, columns: Int) -> String {
        var out = ""
        var used = 0
        for character in text {
            let w = of(String(character))
            if used + w > columns, !out.isEmpty { break }
            out.append(character)
            used += w
        }
        return out
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " || $0 == "\t" }) }
    var replacingTabs: String { split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ") }
}

/// A markdown table: a header row, a separator row (`|---|:--:|`), then body rows.
struct Table {
    var header: [String]
    var rows: [[String]]
    /// The line after the table.
    var end: Int

    /// The table starting at line `start` of `lines`, if one does.
    init?(_ lines: [String], at start: Int) {
        guard start + 1 < lines.count, let header = Self.cells(lines[start]), let separator = Self.cells(lines[start + 1]),
              separator.count == header.count,
              separator.allSatisfy({ cell in !cell.isEmpty && cell.allSatisfy { "-: ".contains($0) } && cell.contains("-") })
        else { return nil }
        self.header = header
        var rows: [[String]] = []
        var i = start + 2
        while i < lines.count, let cells = Self.cells(lines[i]) {
            rows.append(cells)
            i += 1
        }
        self.rows = rows
        end = i
    }

    /// The cells of a table row (`| a | b |`), nil for a line that is not one.
    static func cells(_ line: String) -> [String]? {
        let trimmed = line.trimmingLeadingSpaces
        guard trimmed.hasPrefix("|") else { return nil }
        var body = Substring(trimmed.dropFirst())
        while body.last == " " { body = body.dropLast() }
        if body.hasSuffix("|") { body = body.dropLast() }
        var cells: [String] = []
        var current = ""
        var code = false
        var previous: Character = " "
        for c in body {
            if c == "`" { code.toggle() }
            if c == "|" && !code && previous != "\\" {
                cells.append(current)
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        cells.append(current)
        return cells.map { $0.trimmingLeadingSpaces.trimmingTrailingSpaces }
    }

    func render(width: Int) -> [StyledLine] {
        let columns = header.count
        let body = rows.map { row in (0..<columns).map { $0 < row.count ? row[$0] : "" } }
        let headerSpans = header.map { Markdown.inline($0, base: Style(bold: true)) }
        let bodySpans = body.map { row in row.map { Markdown.inline($0, base: .plain) } }
        let measure = { (spans: [Span]) in spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
        var widths = headerSpans.map(measure)
        for row in bodySpans { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], measure(cell)) } }
        let total = widths.reduce(0, +) + 3 * (columns - 1)
        guard total <= width else {
            // too wide to align: the rows as they were written, wrapped
            let raw = [header] + body
            return raw.flatMap { Markdown.wrap(Markdown.inline("| " + $0.joined(separator: " | ") + " |", base: .plain), width: width) }
        }
        let rule = Style(color: .muted)
        func line(_ cells: [[Span]]) -> StyledLine {
            var out: StyledLine = []
            for (i, cell) in cells.enumerated() {
                if i > 0 { out.append(Span(" │ ", rule)) }
                out += cell
                let pad = widths[i] - measure(cell)
                if pad > 0 && i < columns - 1 { out.append(Span(String(repeating: " ", count: pad))) }
            }
            return out
        }
        var lines = [line(headerSpans)]
        lines.append([Span(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─"), rule)])
        lines += bodySpans.map(line)
        return lines
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
