/// How many terminal columns text takes: 2 for East Asian wide and fullwidth characters and
/// emoji, 0 for combining marks and other zero-width characters, 1 otherwise; agreeing with
/// glibc's `wcwidth` (which ncurses uses) for CJK, emoji, flags and combining accents.
///
/// ```swift
/// DisplayWidth.of("héllo")   // 5
/// DisplayWidth.of("你好")     // 4
/// DisplayWidth.of("👍🏽")     // 4 (as wcwidth counts it)
/// ```
public enum DisplayWidth {
    /// The columns `text` takes.
    public static func of(_ text: String) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += of(scalar) }
        return total
    }

    /// The columns one scalar takes.
    ///
    /// ```swift
    /// DisplayWidth.of("\u{0301}" as Unicode.Scalar) // 0
    /// ```
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 || (0x2500...0x257F).contains(v) { return 1 }   // Latin, box drawing: the common cases
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0x1160...0x11FF).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1F1E6...0x1F1FF).contains(v) { return 1 }  // regional indicators: a flag is a pair, 2 columns
        return isWide(v) || scalar.properties.isEmojiPresentation ? 2 : 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` cut to at most `columns` columns, with `…` when it was cut.
    ///
    /// ```swift
    /// DisplayWidth.truncate("你好世界", to: 5) // "你好…"
    /// ```
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard of(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = of(String(character))
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// `text` followed by spaces up to `columns` columns.
    ///
    /// ```swift
    /// DisplayWidth.pad("你", to: 4) // "你  "
    /// ```
    public static func pad(_ text: String, to columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - of(text)))
    }
}
