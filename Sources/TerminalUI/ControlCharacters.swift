/// Makes untrusted text (answers, titles, memories, errors from the network) safe to show on
/// a terminal: control characters and bidirectional overrides become visible symbols, so
/// nothing from the server can move the cursor, clear the screen, set the window title or
/// write to the clipboard.
///
/// ```swift
/// ControlCharacters.visible("a\u{1B}[2Jb")   // "a␛[2Jb"
/// ControlCharacters.visible("line\nnext")    // unchanged: newlines and tabs are kept
/// ```
public enum ControlCharacters {
    /// `text` with C0 controls (but newline and tab), DEL, C1 controls and bidirectional
    /// overrides and isolates replaced by visible symbols.
    public static func visible(_ text: String, keepingNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { needsReplacement($0, keepingNewlines: keepingNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsReplacement(scalar, keepingNewlines: keepingNewlines) {
                out.append(contentsOf: symbol(for: scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func needsReplacement(_ s: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch s.value {
        case 0x0A, 0x09: return !keepingNewlines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    static func symbol(for s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x00...0x1F: return String(Unicode.Scalar(0x2400 + s.value) ?? "?")   // ␀ … ␟, ␛ for ESC
        case 0x7F: return "␡"
        default:
            let hex = String(s.value, radix: 16, uppercase: true)
            return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
        }
    }
}
