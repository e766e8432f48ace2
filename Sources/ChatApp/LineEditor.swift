public import TerminalUI

/// A text being typed and its caret, with the editing keys of a shell (readline's Ctrl+A/E/K/U/W,
/// Alt+B/F). One type serves every text field of the app: the message (``multiline``), the form
/// fields, the filters, the palette and the search (one line).
///
/// ```swift
/// var editor = LineEditor("hello world")
/// _ = editor.edit(.ctrl("w"))    // "hello "
/// editor.string                  // "hello "
/// ```
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: [Character] = []
    public private(set) var cursor = 0
    /// Whether Ctrl+J / Alt+Enter and pasted newlines make new lines (the message); one-line
    /// fields turn pasted newlines into spaces.
    public let multiline: Bool

    public init(_ text: String = "", multiline: Bool = false) {
        self.multiline = multiline
        self.text = Array(multiline ? text : Self.oneLine(text))
        cursor = self.text.count
    }

    public var string: String { String(text) }
    public var isEmpty: Bool { text.isEmpty }

    public mutating func insert(_ s: String) {
        let chars = Array(multiline ? s : Self.oneLine(s))
        text.insert(contentsOf: chars, at: cursor)
        cursor += chars.count
    }

    public mutating func clear() {
        text.removeAll()
        cursor = 0
    }

    /// Replaces the whole text, the caret at its end.
    public mutating func set(_ s: String) {
        text = Array(multiline ? s : Self.oneLine(s))
        cursor = text.count
    }

    private static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// Applies an editing key; false when the key is not an editing key (or, for Up and Down,
    /// when the caret is already on the first or last line: the caller may recall history).
    public mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .paste(let s): insert(s)
        case .ctrl("j"), .alt("\r"):
            guard multiline else { return false }
            insert("\n")
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
        case .up:
            guard !onFirstLine else { return false }
            let column = cursor - lineStart
            let previousEnd = lineStart - 1
            var start = previousEnd
            while start > 0, text[start - 1] != "\n" { start -= 1 }
            cursor = min(start + column, previousEnd)
        case .down:
            guard !onLastLine else { return false }
            let column = cursor - lineStart
            let nextStart = lineEnd + 1
            var end = nextStart
            while end < text.count, text[end] != "\n" { end += 1 }
            cursor = min(nextStart + column, end)
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
