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
    public enum Field: Sendable, Equatable, CaseIterable { case type, detail }

    public var editing: MemoryItem?
    public var type: LineEditor
    public var detail: LineEditor
    public var field = Field.detail
    /// Why the last Enter was refused, until the next key.
    public var problem: String?

    public init(editing: MemoryItem? = nil) {
        self.editing = editing
        type = LineEditor(editing?.type ?? "preference")
        detail = LineEditor(editing?.detail ?? "")
    }
}

/// Where a list that comes from the server stands.
public enum LoadStatus: Sendable, Equatable {
    case loading, loaded
    case failed(String)
}

/// The memory inspector: the user's memories with a filter, the undo of a delete, the marks of
/// what the last turn taught the agent, the buffer memory and the formation's memory
/// configuration. Its form and confirmations are ``Modal``s.
public struct MemoryPane: Sendable, Equatable {
    public var items: [MemoryItem] = [] { didSet { refilter() } }
    public var status = LoadStatus.loading
    /// Whether the server has memories after those loaded (they come page by page as the list
    /// scrolls near its end, or all when a filter is typed: a heavy user has thousands).
    public var hasMore = false
    /// Whether a page is on its way.
    public var loadingMore = false
    /// The line about the last action ("saved", "deleted; u puts it back", an error).
    public var note: Notice?
    public var selection = ListSelection()
    public var filter = TextFilter() { didSet { if filter.query != oldValue.query { refilter() } } }
    /// The memories the pane shows: all, or those whose type or detail holds the filter. Kept
    /// as the list or the filter change, not made again on every frame (a heavy user has
    /// thousands).
    public private(set) var visible: [MemoryItem] = []
    /// The memory deleted last, which `u` puts back until `undoUntil`.
    public var undo: MemoryItem?
    public var undoUntil = Date.distantPast
    /// The ids of the memories that appeared or changed since the last turn started.
    public var changed: Set<String> = []
    /// The detail of a memory just saved: selected once the list shows it.
    var selectWhenLoaded: String?
    /// The memories as the last turn started (id → detail), to find what changed.
    var before: [String: String]?
    /// The user's buffer memory, once loaded: "user: 12 messages, 3.4 KB".
    public var buffer: String?
    /// The formation's memory configuration, once loaded (admin key).
    public var config: [String]?

    public init() {}

    /// How long a delete can be undone.
    public static let undoSeconds: TimeInterval = 8
    /// Memories asked for at a time: the most the runtime gives in one answer
    /// (`GET /v1/memories` refuses `limit` above 100, muxi-runtime 1.20260928.0).
    public static let pageSize = 100

    /// How many to load from the start again on a reload: the pages already shown.
    var reloadCount: Int { max(Self.pageSize, items.count) }

    /// The next page, when the chosen memory is near the end of those loaded or a filter is
    /// set, the server has more, and none is on its way.
    mutating func pageIfNeeded() -> [Effect] {
        guard hasMore, !loadingMore else { return [] }
        let filtering = filter.query.map { !$0.isEmpty } ?? false
        guard filtering || selection.index >= visible.count - 20 else { return [] }
        loadingMore = true
        return [.loadMoreMemories(offset: items.count)]
    }

    mutating func appendPage(_ page: [MemoryItem], offset: Int, more: Bool) {
        loadingMore = false
        guard offset == items.count else { return }   // a reload came in between: this page is stale
        let known = Set(items.map(\.id))
        items += page.filter { !known.contains($0.id) }
        hasMore = more && !page.isEmpty
    }

    private mutating func refilter() {
        guard let query = filter.query, !query.isEmpty else {
            visible = items
            return
        }
        visible = items.filter { $0.type.localizedCaseInsensitiveContains(query) || $0.detail.localizedCaseInsensitiveContains(query) }
    }

    /// A turn starts: remember the memories, to mark what it changes.
    mutating func turnStarted() {
        before = Dictionary(items.map { ($0.id, $0.detail) }, uniquingKeysWith: { a, _ in a })
        changed = []
    }

    mutating func loaded(_ list: [MemoryItem], hasMore more: Bool) {
        hasMore = more
        loadingMore = false
        let shown = visible
        let current = selection.item(in: shown)?.id
        items = list
        status = .loaded
        if let before { changed = Set(list.filter { before[$0.id] != $0.detail }.map(\.id)) }
        let now = visible
        if let wanted = selectWhenLoaded, let index = now.firstIndex(where: { $0.detail == wanted }) {
            selection.select(index, count: now.count)
            selectWhenLoaded = nil
        } else {
            selection.select(now.firstIndex { $0.id == current } ?? selection.index, count: now.count)
        }
    }

    /// The keys of the pane, for the footer and the help.
    public static let keys: [(key: String, does: String)] = [
        ("a", "add"), ("e/Enter", "edit"), ("d", "delete"), ("u", "undo delete"), ("/", "filter"),
        ("b", "buffer"), ("c/C", "clear user/session buffer"), ("g", "config (admin)"), ("r", "reload"),
    ]
}

extension AppState {
    /// A key while the memory inspector has the focus.
    mutating func memoriesKey(_ key: Key) -> KeyOutcome {
        switch memory.filter.key(key) {
        case .changed, .cleared:
            memory.selection.first()
            return .handled(memory.pageIfNeeded())
        case .passOn, .notMine: break
        }
        let shown = memory.visible
        if memory.selection.key(key, count: shown.count, page: max(1, height / 4)) { return .handled(memory.pageIfNeeded()) }
        let chosen = memory.selection.item(in: shown)
        switch key {
        case .character("a"): modal = .memoryForm(MemoryForm())
        case .character("e"), .enter:
            guard let chosen else { return .done }
            modal = .memoryForm(MemoryForm(editing: chosen))
        case .character("d"), .delete:
            guard let chosen else { return .done }
            modal = .confirm(Confirmation(.deleteMemory(chosen)))
        case .character("u"):
            guard let item = memory.undo, now <= memory.undoUntil else {
                memory.note = Notice("nothing to undo", .warning)
                return .done
            }
            memory.undo = nil
            memory.note = Notice("putting it back…", until: .replaced)
            return .handled([.restoreMemory(item)])
        case .character("b"):
            memory.note = Notice("loading the buffer…", until: .replaced)
            return .handled([.loadBuffer])
        case .character("c"): modal = .confirm(Confirmation(.clearBuffer(sessionID: nil)))
        case .character("C"):
            guard let sessionID else {
                memory.note = Notice("no session yet: nothing buffered", .warning)
                return .done
            }
            modal = .confirm(Confirmation(.clearBuffer(sessionID: sessionID)))
        case .character("g"):
            if memory.config != nil {
                memory.config = nil
                return .done
            }
            memory.note = Notice("loading the configuration…", until: .replaced)
            return .handled([.loadMemoryConfig])
        case .character("r"):
            memory.status = .loading
            return .handled([.loadMemories(upTo: memory.reloadCount)])
        default: return .notMine
        }
        return .done
    }

    /// A key while the memory form is open: it keeps every key.
    mutating func memoryFormKey(_ key: Key, _ form: MemoryForm) -> [Effect] {
        var open = form
        open.problem = nil
        switch key {
        case .escape:
            modal = nil
            return []
        case .tab, .backTab, .up, .down:
            open.field = open.field == .type ? .detail : .type
        case .enter:
            let type = open.type.string.trimmingCharacters(in: .whitespacesAndNewlines)
            let detail = open.detail.string.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !detail.isEmpty else {
                open.problem = "a memory needs a detail"
                modal = .memoryForm(open)
                return []
            }
            modal = nil
            if let old = open.editing, old.detail == detail, old.type == type { return [] }
            memory.note = Notice("saving…", until: .replaced)
            memory.selectWhenLoaded = detail
            return [.addMemory(type: type.isEmpty ? "memory" : type, detail: detail, replacing: open.editing?.id)]
        default:
            switch open.field {
            case .type: _ = open.type.edit(key)
            case .detail: _ = open.detail.edit(key)
            }
        }
        modal = .memoryForm(open)
        return []
    }
}
