public import TerminalUI

/// The message being typed: text and caret, with the editing keys of a shell.
public struct Composer: Sendable, Equatable {
    public private(set) var text: [Character] = []
    public private(set) var cursor = 0

    public init(_ text: String = "") {
        self.text = Array(text)
        cursor = self.text.count
    }

    public var string: String { String(text) }
    public var isEmpty: Bool { text.isEmpty }

    public mutating func insert(_ s: String) {
        let chars = Array(s)
        text.insert(contentsOf: chars, at: cursor)
        cursor += chars.count
    }

    public mutating func clear() {
        text.removeAll()
        cursor = 0
    }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .paste(let s): insert(s)
        case .ctrl("j"), .alt("\r"): insert("\n")
        case .backspace:
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):   // (a `where` after the last pattern would guard only that one)
            if cursor < text.count { text.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = lineStart
        case .end, .ctrl("e"): cursor = lineEnd
        case .ctrl("k"): text.removeSubrange(cursor..<lineEnd)
        case .ctrl("u"):
            let start = lineStart
            text.removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("w"), .alt("\u{7F}"):
            let start = wordStart
            text.removeSubrange(start..<cursor)
            cursor = start
        case .alt("b"), .ctrlLeft: cursor = wordStart
        case .alt("f"), .ctrlRight: cursor = wordEnd
        default: return false
        }
        return true
    }

    private var lineStart: Int {
        var i = cursor
        while i > 0, text[i - 1] != "\n" { i -= 1 }
        return i
    }

    private var lineEnd: Int {
        var i = cursor
        while i < text.count, text[i] != "\n" { i += 1 }
        return i
    }

    private var wordStart: Int {
        var i = cursor
        while i > 0, text[i - 1].isWhitespace { i -= 1 }
        while i > 0, !text[i - 1].isWhitespace { i -= 1 }
        return i
    }

    private var wordEnd: Int {
        var i = cursor
        while i < text.count, text[i].isWhitespace { i += 1 }
        while i < text.count, !text[i].isWhitespace { i += 1 }
        return i
    }

    /// Whether the caret is on the first (or last) line, where Up (Down) recalls history.
    public var onFirstLine: Bool { !text[..<cursor].contains("\n") }
    public var onLastLine: Bool { !text[cursor...].contains("\n") }

    /// The text before the caret (to place the caret on screen).
    public var beforeCursor: String { String(text[..<cursor]) }
}
