/// The messages sent before, recalled with Up and Down like readline: Up from the draft saves
/// it and shows the newest entry; Down past the newest gives the draft back.
///
/// ```swift
/// var history = History(["first", "second"])
/// history.older(than: "my draft")    // "second"
/// history.older(than: "second")      // "first"
/// history.newer()                    // "second"
/// history.newer()                    // "my draft"
/// ```
public struct History: Sendable, Equatable {
    public private(set) var entries: [String]
    /// The entry shown, nil while the draft is.
    public private(set) var index: Int?
    /// What was being typed when Up was first pressed.
    public private(set) var draft = ""

    public init(_ entries: [String] = []) {
        self.entries = entries
    }

    public var isBrowsing: Bool { index != nil }

    /// Older entries (the store's), before those of this run.
    public mutating func prepend(_ older: [String]) {
        entries = older + entries
        if let i = index { index = i + older.count }
    }

    /// The entry before the one shown (or the newest, from the draft `current`); nil when there
    /// is none.
    public mutating func older(than current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        guard let i = index else {
            draft = current
            index = entries.count - 1
            return entries[entries.count - 1]
        }
        guard i > 0 else { return nil }
        index = i - 1
        return entries[i - 1]
    }

    /// The entry after the one shown, or the draft after the newest; nil when the draft is
    /// already shown.
    public mutating func newer() -> String? {
        guard let i = index else { return nil }
        if i + 1 < entries.count {
            index = i + 1
            return entries[i + 1]
        }
        index = nil
        defer { draft = "" }
        return draft
    }

    /// A message was sent: it is the newest entry (once), and browsing ends.
    public mutating func add(_ text: String) {
        if entries.last != text { entries.append(text) }
        index = nil
        draft = ""
    }

    /// Browsing ends where it is (the shown entry becomes the text being edited).
    public mutating func stopBrowsing() {
        index = nil
        draft = ""
    }
}
