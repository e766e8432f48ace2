import Foundation
public import TerminalUI

/// The sessions pane: the user's sessions (the server's and the local copy's, merged), the
/// chosen one, and the filter (`/`), which also searches the local copy's messages.
public struct SessionsPane: Sendable, Equatable {
    public var items: [SessionItem] = [] { didSet { refilter() } }
    public var selection = ListSelection()
    public var filter = TextFilter() { didSet { if filter.query != oldValue.query { refilter() } } }
    /// The sessions the local full-text search found for the filter.
    public var matches: [SessionItem]? { didSet { refilter() } }
    /// The sessions the pane shows: all, or those matching the filter (kept as the list, the
    /// filter or the matches change, not made again on every frame).
    public private(set) var visible: [SessionItem] = []
    /// Whether a list has come in yet.
    public var loaded = false

    public init() {}

    private mutating func refilter() {
        guard let query = filter.query, !query.isEmpty else {
            visible = items
            return
        }
        let found = matches ?? []
        let ids = Set(found.map(\.id))
        var shown = items.filter { item in
            ids.contains(item.id) || item.title.localizedCaseInsensitiveContains(query) || item.id.localizedCaseInsensitiveContains(query)
        }
        // what the search found beyond the sessions the list holds (a heavy user's old ones)
        let listed = Set(items.map(\.id))
        let older = found.filter { !listed.contains($0.id) }
        if !older.isEmpty {
            shown += older
            shown.sort { ($0.lastActive ?? .distantPast) > ($1.lastActive ?? .distantPast) }
        }
        visible = shown
    }

    public var chosen: SessionItem? { selection.item(in: visible) }

    /// A new list: the chosen session stays chosen (or the one on screen, the first time).
    mutating func replace(with list: [SessionItem], current: String?) {
        let keep = chosen?.id ?? current
        items = list
        loaded = true
        selection.select(visible.firstIndex { $0.id == keep } ?? 0, count: visible.count)
    }
}

extension AppState {
    /// A key while the sessions pane has the focus.
    mutating func sessionsKey(_ key: Key) -> KeyOutcome {
        switch sessions.filter.key(key) {
        case .changed:
            sessions.selection.first()
            guard let query = sessions.filter.query, !query.isEmpty, sessions.filter.editing else { return .done }
            return .handled([.search(query)])
        case .cleared:
            sessions.matches = nil
            sessions.selection.first()
            return .done
        case .passOn, .notMine: break
        }
        let visible = sessions.visible
        if sessions.selection.key(key, count: visible.count, page: max(1, height / 4)) { return .done }
        switch key {
        case .enter:
            guard let chosen = sessions.chosen else { return .done }
            return .handled(openSession(chosen.id))
        case .character("n"): return .handled(newSession())
        case .character("d"), .delete:
            guard let chosen = sessions.chosen else { return .done }
            modal = .confirm(Confirmation(.removeSession(chosen)))
            return .done
        default: return .notMine
        }
    }

    /// Opens a session: its messages load (from the server, else the local copy).
    mutating func openSession(_ id: String) -> [Effect] {
        guard inFlight == nil else {
            notice = Notice("a turn is running: Esc cancels it", .warning, until: .turnEnds)
            return []
        }
        sessionID = id
        transcript.show([Entry(role: .info, text: "loading \(id)…")])
        focus = .composer
        return [.loadMessages(sessionID: id)]
    }

    /// A new session: the first message makes it.
    mutating func newSession() -> [Effect] {
        guard inFlight == nil else {
            notice = Notice("a turn is running: Esc cancels it", .warning, until: .turnEnds)
            return []
        }
        sessionID = nil
        transcript.show([])
        focus = .composer
        return []
    }

    /// A session the user confirmed removing: gone from the list, hidden in the store.
    mutating func removeSession(_ item: SessionItem) -> [Effect] {
        sessions.items.removeAll { $0.id == item.id }
        sessions.selection.clamp(count: sessions.visible.count)
        if sessionID == item.id {
            sessionID = nil
            transcript.show([])
        }
        notice = Notice(item.onServer ? "removed from this list; the server still has it" : "removed from this list")
        return [.removeSession(item.id)]
    }
}
