/// The chosen row of a list (sessions, memories, jobs, triggers, choices, commands), kept
/// inside the list as it changes.
///
/// ```swift
/// var selection = ListSelection()
/// selection.move(+1, count: 3)   // 1
/// selection.clamp(count: 1)      // 0
/// ```
public struct ListSelection: Sendable, Equatable {
    public private(set) var index = 0

    public init(_ index: Int = 0) {
        self.index = max(0, index)
    }

    public mutating func move(_ step: Int, count: Int) {
        index = max(0, min(count - 1, index + step))
    }

    public mutating func first() { index = 0 }
    public mutating func last(count: Int) { index = max(0, count - 1) }
    public mutating func select(_ i: Int, count: Int) { index = max(0, min(count - 1, i)) }

    /// Keeps the index inside a list of `count` rows.
    public mutating func clamp(count: Int) { index = max(0, min(index, count - 1)) }

    /// The chosen element of `items`, if the list has one.
    public func item<T>(in items: [T]) -> T? { items.indices.contains(index) ? items[index] : nil }

    /// Moves for the arrow and page keys; false for other keys.
    public mutating func key(_ key: Key, count: Int, page: Int = 10) -> Bool {
        switch key {
        case .up: move(-1, count: count)
        case .down: move(+1, count: count)
        case .home: first()
        case .end: last(count: count)
        case .pageUp: move(-page, count: count)
        case .pageDown: move(+page, count: count)
        default: return false
        }
        return true
    }
}

public import TerminalUI
