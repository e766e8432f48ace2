public import Foundation
public import TerminalUI

/// A memory in the memory inspector.
public struct MemoryItem: Sendable, Equatable {
    public var id: String
    public var type: String
    public var detail: String
    public var scope: String
    public var created: Date?
    public init(id: String, type: String, detail: String, scope: String = "user", created: Date? = nil) {
        self.id = id
        self.type = type
        self.detail = detail
        self.scope = scope
        self.created = created
    }
}

/// The small form that adds a memory, or edits one (`editing`).
public struct MemoryForm: Sendable, Equatable {
    public var editing: MemoryItem?
    public var type: Composer
    public var detail: Composer
    /// 0: the type field, 1: the detail field.
    public var field = 1

    public init(editing: MemoryItem? = nil) {
        self.editing = editing
        type = Composer(editing?.type ?? "preference")
        detail = Composer(editing?.detail ?? "")
    }
}

/// The memory inspector: the user's memories with a filter, the add/edit form, confirmations,
/// the undo of a delete, the marks of what the last turn taught the agent, the buffer memory
/// and the formation's memory configuration.
public struct MemoryPane: Sendable, Equatable {
    /// What waits for a y/n.
    public enum Confirm: Sendable, Equatable {
        case delete(MemoryItem)
        case clearBuffer(sessionID: String?)
    }

    public var items: [MemoryItem] = []
    /// A line about the list or the last action ("loading…", an error, "saved").
    public var note = "loading…"
    public var selected = 0
    public var filter: String?
    public var editingFilter = false
    public var form: MemoryForm?
    public var confirm: Confirm?
    /// The memory deleted last, which `u` puts back until `undoUntil`.
    public var undo: MemoryItem?
    public var undoUntil = Date.distantPast
    /// The ids of the memories that appeared or changed since the last turn started.
    public var changed: Set<String> = []
    /// The detail of a memory just saved: selected once the list shows it.
    var selectWhenLoaded: String?
    /// The memories as the last turn started (id → detail), to find what changed.
    var before: [String: String]?
    /// The user's buffer memory, once loaded: "12 messages · 3.4 KB".
    public var buffer: String?
    /// The formation's memory configuration, once loaded (admin key).
    public var config: [String]?

    public init() {}

    /// How long a delete can be undone.
    public static let undoSeconds: TimeInterval = 8

    /// The memories the pane shows: all, or those whose type or detail holds the filter.
    public var visible: [MemoryItem] {
        guard let filter, !filter.isEmpty else { return items }
        let needle = filter.lowercased()
        return items.filter { $0.type.lowercased().contains(needle) || $0.detail.lowercased().contains(needle) }
    }

    /// A turn starts: remember the memories, to mark what it changes.
    mutating func turnStarted() {
        before = Dictionary(items.map { ($0.id, $0.detail) }, uniquingKeysWith: { a, _ in a })
        changed = []
    }

    mutating func loaded(_ list: [MemoryItem]) {
        let current = visible.indices.contains(selected) ? visible[selected].id : nil
        items = list
        if let before { changed = Set(list.filter { before[$0.id] != $0.detail }.map(\.id)) }
        if note == "loading…" || note == "no memories yet" || note.isEmpty { note = list.isEmpty ? "no memories yet" : "" }
        if let wanted = selectWhenLoaded, let index = visible.firstIndex(where: { $0.detail == wanted }) {
            selected = index
            selectWhenLoaded = nil
        } else {
            selected = visible.firstIndex { $0.id == current } ?? min(selected, max(0, visible.count - 1))
        }
    }

    /// A key while the pane has the focus (or its form or a confirmation is open); nil when
    /// the pane does not use the key.
    mutating func key(_ key: Key, sessionID: String?, now: Date) -> [Effect]? {
        if let waiting = confirm {
            confirm = nil
            guard key == .character("y") || key == .character("Y") else {
                note = "not done"
                return []
            }
            switch waiting {
            case .delete(let item):
                note = "deleting…"
                return [.deleteMemory(item)]
            case .clearBuffer(let session):
                note = "clearing…"
                return [.clearBuffer(sessionID: session)]
            }
        }
        if form != nil { return formKey(key) }
        if editingFilter { return filterKey(key) }
        let shown = visible
        let chosen = shown.indices.contains(selected) ? shown[selected] : nil
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, shown.count - 1), selected + 1)
        case .home: selected = 0
        case .end: selected = max(0, shown.count - 1)
        case .character("/"):
            editingFilter = true
            filter = ""
        case .escape where filter != nil:
            filter = nil
            selected = 0
        case .character("a"): form = MemoryForm()
        case .character("e"), .enter:
            guard let chosen else { return [] }
            form = MemoryForm(editing: chosen)
        case .character("d"), .delete:
            guard let chosen else { return [] }
            confirm = .delete(chosen)
        case .character("u"):
            guard let item = undo, now <= undoUntil else {
                note = "nothing to undo"
                return []
            }
            undo = nil
            note = "putting it back…"
            return [.addMemory(type: item.type, detail: item.detail, replacing: nil)]
        case .character("b"):
            note = "loading the buffer…"
            return [.loadBuffer]
        case .character("c"): confirm = .clearBuffer(sessionID: nil)
        case .character("C"):
            guard let sessionID else {
                note = "no session yet"
                return []
            }
            confirm = .clearBuffer(sessionID: sessionID)
        case .character("g"):
            if config != nil {
                config = nil
                return []
            }
            note = "loading the configuration…"
            return [.loadMemoryConfig]
        case .character("r"):
            note = "loading…"
            return [.loadMemories]
        default: return nil
        }
        return []
    }

    private mutating func formKey(_ key: Key) -> [Effect] {
        guard var open = form else { return [] }
        switch key {
        case .escape:
            form = nil
            return []
        case .tab, .backTab:
            open.field = 1 - open.field
        case .enter:
            let type = open.type.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let detail = open.detail.string.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !detail.isEmpty else {
                note = "a memory needs a detail"
                return []
            }
            form = nil
            if let old = open.editing, old.detail == detail, old.type == type { return [] }
            note = "saving…"
            selectWhenLoaded = detail
            return [.addMemory(type: type.isEmpty ? "memory" : type, detail: detail, replacing: open.editing?.id)]
        default:
            if open.field == 0 { _ = open.type.edit(key) } else { _ = open.detail.edit(key) }
        }
        form = open
        return []
    }

    private mutating func filterKey(_ key: Key) -> [Effect] {
        switch FilterKey(key, text: filter ?? "") {
        case .edited(let text):
            filter = text
            selected = 0
        case .cleared:
            editingFilter = false
            filter = nil
            selected = 0
        case .done(let text):
            editingFilter = false
            filter = text
            return key == .enter ? [] : (self.key(key, sessionID: nil, now: .distantPast) ?? [])
        case .ignored: break
        }
        return []
    }

    /// The keys of the pane, for the footer and the help.
    public static let keys: [(key: String, does: String)] = [
        ("a", "add"), ("e/Enter", "edit"), ("d", "delete"), ("u", "undo delete"), ("/", "filter"),
        ("b", "buffer"), ("c/C", "clear user/session buffer"), ("g", "config (admin)"), ("r", "reload"),
    ]
}
