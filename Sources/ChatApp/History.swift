/// The messages sent before, recalled with Up and Down like readline: Up from the draft keeps
/// it and shows the newest entry; Down past the newest gives the draft back. An entry edited
/// while recalled keeps its edit until the next message is sent, so nothing typed is lost by
/// moving through the history.
///
/// ```swift
/// var history = History(["first", "second"])
/// history.older(than: "my draft")    // "second"
/// history.older(than: "second")      // "first"
/// history.newer(than: "first")       // "second"
/// history.newer(than: "second")      // "my draft"
/// ```
public struct History: Sendable, Equatable {
    public private(set) var entries: [String]
    /// The entry shown, nil while the draft is.
    public private(set) var index: Int?
    /// What was being typed when Up was first pressed.
    public private(set) var draft = ""
    /// Recalled entries as edited (index → text), until a message is sent.
    private var edits: [Int: String] = [:]

    public init(_ entries: [String] = []) {
        self.entries = entries
    }

    public var isBrowsing: Bool { index != nil }

    /// Older entries (the store's), before those of this run.
    public mutating func prepend(_ older: [String]) {
        entries = older + entries
        if let i = index { index = i + older.count }
        edits = Dictionary(uniqueKeysWithValues: edits.map { ($0.key + older.count, $0.value) })
    }

    /// The entry before the one shown; `current` is the text in the box, kept as the draft
    /// or as the shown entry's edit. Nil when there is no older entry.
    public mutating func older(than current: String) -> String? {
        let target = (index ?? entries.count) - 1
        guard target >= 0 else { return nil }
        keep(current)
        index = target
        return edits[target] ?? entries[target]
    }

    /// The entry after the one shown, or the draft after the newest; nil when the draft is
    /// already shown.
    public mutating func newer(than current: String) -> String? {
        guard let i = index else { return nil }
        keep(current)
        if i + 1 < entries.count {
            index = i + 1
            return edits[i + 1] ?? entries[i + 1]
        }
        index = nil
        return draft
    }

    private mutating func keep(_ current: String) {
        if let i = index {
            if current != entries[i] { edits[i] = current } else { edits[i] = nil }
        } else {
            draft = current
        }
    }

    /// A message was sent: it is the newest entry (once), edits are dropped, browsing ends.
    public mutating func add(_ text: String) {
        if entries.last != text { entries.append(text) }
        index = nil
        draft = ""
        edits = [:]
    }

    /// The box was cleared on purpose (Ctrl+C): browsing ends where it is.
    public mutating func stopBrowsing() {
        index = nil
        draft = ""
    }
}
