/// Wraps text to a width in columns, at spaces where it can and inside long words where it
/// must; explicit newlines are kept.
///
/// ```swift
/// TextWrap.lines("the quick brown fox", width: 10) // ["the quick", "brown fox"]
/// ```
public enum TextWrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += wrap(String(paragraph), width: width)
        }
        return out
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        if DisplayWidth.of(text) <= width { return [text] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let w = DisplayWidth.of(word)
            let needed = lineWidth == 0 ? w : lineWidth + 1 + w
            if needed <= width {
                line += lineWidth == 0 && line.isEmpty ? word : " " + word
                lineWidth = needed
                continue
            }
            if !line.isEmpty || lineWidth > 0 { lines.append(line) }
            line = ""
            lineWidth = 0
            if w <= width {
                line = word
                lineWidth = w
                continue
            }
            for character in word {   // a word longer than the line: cut it
                let cw = DisplayWidth.of(String(character))
                if lineWidth + cw > width {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                line.append(character)
                lineWidth += cw
            }
        }
        lines.append(line)
        return lines
    }
}
