public import TerminalUI

/// A filter over a list (the sessions', the memories'): `/` starts typing it, typing edits it,
/// Enter (or an arrow, which then moves) keeps it, Esc clears it.
///
/// ```swift
/// var filter = TextFilter()
/// _ = filter.key(.character("/"))   // .changed: typing starts
/// _ = filter.key(.character("a"))   // .changed
/// filter.query                      // "a"
/// ```
public struct TextFilter: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The query changed (or typing started or ended with it kept).
        case changed
        /// The filter is gone.
        case cleared
        /// Typing ended; the key is the list's own (an arrow).
        case passOn
        case notMine
    }

    public private(set) var editor = LineEditor()
    /// Whether keys go to the query.
    public private(set) var editing = false
    /// Whether a filter is set (being typed, or kept).
    public private(set) var active = false

    public init() {}

    /// The query, nil when no filter is set.
    public var query: String? { active ? editor.string : nil }

    public mutating func clear() {
        editor.clear()
        editing = false
        active = false
    }

    public mutating func key(_ key: Key) -> Outcome {
        if editing {
            switch key {
            case .escape:
                clear()
                return .cleared
            case .enter:
                editing = false
                if editor.isEmpty { clear(); return .cleared }
                return .changed
            case .up, .down, .pageUp, .pageDown, .tab, .backTab:
                editing = false
                if editor.isEmpty { active = false }
                return .passOn
            default:
                return editor.edit(key) ? .changed : .notMine
            }
        }
        switch key {
        case .character("/"):
            editor.clear()
            editing = true
            active = true
            return .changed
        case .escape where active:
            clear()
            return .cleared
        default: return .notMine
        }
    }
}
