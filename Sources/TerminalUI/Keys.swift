/// A key press (or paste, or mouse wheel), as the app sees it.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight
    /// Control plus a letter (`ctrl("a")`).
    case ctrl(Character)
    /// Alt (Meta) plus a key: `alt("b")`, or `alt("\r")` for Alt+Enter.
    case alt(Character)
    case function(Int)
    /// A bracketed paste: the whole text, one edit.
    case paste(String)
    case wheelUp, wheelDown
}

/// What the terminal layer reads: characters, and keys the terminal already decoded.
public enum TerminalInput: Sendable, Hashable {
    case scalar(Unicode.Scalar)
    case key(Key)
}

/// Turns terminal input into keys: control characters, Alt (an ESC prefix), bracketed paste
/// (`ESC[200~ … ESC[201~`, delivered as one ``Key/paste(_:)``), and the CSI sequences for
/// Ctrl+arrows that the terminal database may not know. Unknown escape sequences are dropped,
/// never typed.
///
/// ```swift
/// var decoder = KeyDecoder()
/// decoder.feed(.scalar("\u{1B}")); decoder.feed(.scalar("b"))
/// decoder.take() // [.alt("b")]
/// ```
public struct KeyDecoder: Sendable {
    private var pending: [Unicode.Scalar] = []
    private var paste: String.UnicodeScalarView?
    private var keys: [Key] = []

    public init() {}

    /// Whether an escape sequence is still open (the caller waits a moment for the rest,
    /// then calls ``flush()``).
    public var isWaiting: Bool { !pending.isEmpty }

    public mutating func feed(_ input: TerminalInput) {
        switch input {
        case .key(let key):
            if paste != nil { return }
            flush()
            keys.append(key)
        case .scalar(let s):
            if paste != nil { return feedPaste(s) }
            if !pending.isEmpty || s == "\u{1B}" {
                pending.append(s)
                resolveEscape(final: false)
                return
            }
            keys.append(Self.key(for: s))
        }
    }

    /// Ends a lone Esc (or an incomplete sequence) after the wait.
    public mutating func flush() {
        if !pending.isEmpty { resolveEscape(final: true) }
    }

    /// The keys decoded so far.
    public mutating func take() -> [Key] {
        defer { keys.removeAll() }
        return keys
    }

    static func key(for s: Unicode.Scalar) -> Key {
        switch s.value {
        case 0x0D: return .enter
        case 0x0A: return .ctrl("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(s.value + 0x60))))
        case 0x00...0x1F: return .escape
        default: return .character(Character(s))
        }
    }

    private mutating func resolveEscape(final: Bool) {
        // pending[0] is ESC
        if pending.count == 1 {
            if final { keys.append(.escape); pending.removeAll() }
            return
        }
        let second = pending[1]
        if second == "[" || second == "O" {
            guard let last = pending.last, pending.count > 2, (0x40...0x7E).contains(last.value) else {
                if final || pending.count > 32 { pending.removeAll() }
                return
            }
            let body = String(String.UnicodeScalarView(pending[2...]))
            pending.removeAll()
            switch body {
            case "200~": paste = String.UnicodeScalarView()
            case "1;5D", "5D": keys.append(.ctrlLeft)
            case "1;5C", "5C": keys.append(.ctrlRight)
            case "1;3D": keys.append(.alt("b"))
            case "1;3C": keys.append(.alt("f"))
            case "Z": keys.append(.backTab)
            case "A": keys.append(.up)
            case "B": keys.append(.down)
            case "C": keys.append(.right)
            case "D": keys.append(.left)
            case "H", "1~", "7~": keys.append(.home)    // VT and rxvt forms, for terminals whose
            case "F", "4~", "8~": keys.append(.end)     // TERM entry does not describe them
            case "3~": keys.append(.delete)
            case "5~": keys.append(.pageUp)
            case "6~": keys.append(.pageDown)
            default: break  // unknown sequence: dropped
            }
            return
        }
        pending.removeAll()
        if second == "\u{1B}" {
            keys.append(.escape)
            pending = [second]
            return
        }
        switch Self.key(for: second) {
        case .enter: keys.append(.alt("\r"))
        case .character(let c): keys.append(.alt(c))
        case .backspace: keys.append(.alt("\u{7F}"))
        default: keys.append(.escape)
        }
    }

    private mutating func feedPaste(_ s: Unicode.Scalar) {
        paste?.append(s)
        let end: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]
        if let p = paste, p.count >= end.count, Array(p.suffix(end.count)) == end {
            var text = p
            text.removeLast(end.count)
            let normalised = String(text).replacingCarriageReturns
            keys.append(.paste(normalised))
            paste = nil
        }
    }
}

extension String {
    /// CRLF and CR as LF (pasted text from terminals uses CR).
    var replacingCarriageReturns: String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in unicodeScalars {
            if s == "\r" { out.append("\n"); previousCR = true; continue }
            if s == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(s)
        }
        return String(out)
    }
}
