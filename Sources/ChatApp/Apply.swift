import Foundation
import TerminalUI

extension AppState {
    /// The app's whole behaviour: the new state is `self` after the event; the effects are
    /// what the outside world must do. Pure: no I/O, no clock, no random ids.
    public mutating func apply(_ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key): return handle(key)
        case .resize(let w, let h):
            width = w
            height = h
            return []
        case .tick(let date):
            now = date
            return []
        case .turnStarted(let turn, let requestID, let session):
            guard inFlight?.turn == turn else { return [] }
            inFlight?.requestID = requestID
            if sessionID != session {
                sessionID = session
                if !sessions.contains(where: { $0.id == session }) {
                    let title = transcript.last(where: { $0.role == .user })?.text ?? ""
                    sessions.insert(SessionItem(id: session, title: String(title.prefix(60)), lastActive: now, onServer: true), at: 0)
                    selected = 0
                }
            }
            return []
        case .progress(let turn, let text):
            updateTurn(turn) { $0.progress = text }
            if inFlight?.turn == turn { inFlight?.stage = text }
            return []
        case .delta(let turn, let text):
            updateTurn(turn) {
                $0.text += text
                $0.progress = nil
            }
            textArrived()
            return []
        case .completed(let turn, let text, let failed):
            updateTurn(turn) {
                $0.text = text
                $0.progress = nil
                $0.status = failed ? .failed : .done
            }
            if inFlight?.turn == turn { inFlight = nil }
            textArrived()
            return [.loadMemoriesAfterTurn, .loadSessions]
        case .choices(_, let picker):
            guard !picker.choices.isEmpty else { return [] }
            self.picker = picker
            return []
        case .link(let turn, let link):
            if let i = transcript.lastIndex(where: { $0.turn == turn && $0.role == .assistant }) {
                transcript[i].links.append(link)
            }
            return []
        case .turnFailed(let turn, let message):
            let streaming = transcript.contains { $0.turn == turn && $0.role == .assistant && $0.status == .streaming }
            updateTurn(turn) {
                $0.progress = nil
                $0.status = .failed
            }
            if streaming { transcript.append(Entry(role: .error, text: message, turn: turn)) }
            if inFlight?.turn == turn { inFlight = nil }
            textArrived()
            return []
        case .sessionsLoaded(let items):
            let shown = visibleSessions
            let current = shown.indices.contains(selected) ? shown[selected].id : sessionID
            sessions = items
            selected = visibleSessions.firstIndex { $0.id == current } ?? 0
            // the first time, the memories next: the runtime (1.20260928.0) can fail a new
            // user's first requests that arrive together (a unique-key race)
            guard !memoriesRequested else { return [] }
            memoriesRequested = true
            return [.loadMemories]
        case .messagesLoaded(let session, let entries):
            guard session == sessionID, inFlight == nil else { return [] }
            transcript = entries
            restorable = nil
            scroll = 0
            newBelow = false
            return []
        case .cacheShown(let session, let entries):
            guard session == sessionID, inFlight == nil else { return [] }
            transcript = entries + [Entry(role: .info, text: "The server no longer has this session (the runtime may have restarted); this is the local copy. Ctrl+R puts it back on the server.")]
            restorable = session
            scroll = 0
            return []
        case .searchResults(let query, let ids):
            if filter == query { filterMatches = ids }
            return []
        case .restored(let session, let count):
            if restorable == session { restorable = nil }
            transcript.append(Entry(role: .info, text: "restored \(count) message\(count == 1 ? "" : "s") to the server"))
            return []
        case .memoriesLoaded(let items):
            memory.loaded(items)
            return []
        case .memoryDone(let text):
            memory.note = text
            return [.loadMemories]
        case .memoryDeleted(let item):
            memory.undo = item
            memory.undoUntil = now.addingTimeInterval(MemoryPane.undoSeconds)
            memory.note = "deleted; u puts it back (\(Int(MemoryPane.undoSeconds)) s)"
            return [.loadMemories]
        case .bufferLoaded(let messages, let kilobytes):
            let session = transcript.filter { $0.role == .user || $0.role == .assistant }.count
            memory.buffer = "user: \(messages) message\(messages == 1 ? "" : "s"), \(String(format: "%.1f", kilobytes)) KB"
                + (sessionID == nil ? "" : " · this session: \(session)")
            memory.note = ""
            return []
        case .memoryConfigLoaded(let lines):
            memory.config = lines
            memory.note = ""
            return []
        case .loadFailed(let what, let message):
            // a failure inside an open panel is that panel's one line
            if what == "jobs", inJobs({ $0.note = "⚠ " + message }) { return [] }
            if what == "triggers", inTriggers({ $0.note = "⚠ " + message }) { return [] }
            switch what {
            case "memories": memory.note = "⚠ " + message
            case "memory":   // an action failed: say so, and show the list as the server has it
                memory.note = "⚠ " + message
                return [.loadMemories]
            default: transcript.append(Entry(role: .error, text: message))
            }
            return []
        case .healthy(let ok, let text):
            connected = ok
            connection = text
            return []
        case .scrolled(let lines):
            scroll = lines
            jumpTo = nil
            if lines == 0 { newBelow = false }
            return []
        case .notice(let text):
            notice = text
            return []
        case .edited(let text):
            composer = Composer(text)
            focus = .composer
            return []
        case .jobsLoaded(let items):
            inJobs {
                $0.items = items
                $0.selected = min($0.selected, max(0, items.count - 1))
                if $0.note == "loading…" || $0.note.isEmpty { $0.note = items.isEmpty ? "no jobs yet: n creates one" : "" }
            }
            return []
        case .jobDone(let text):
            return inJobs { $0.note = text } ? [.loadJobs] : []
        case .triggersLoaded(let names):
            inTriggers {
                $0.names = names
                $0.selected = min($0.selected, max(0, names.count - 1))
                $0.note = names.isEmpty ? "this formation has no triggers" : ""
            }
            return []
        case .triggerLoaded(let detail):
            inTriggers { $0.detail = detail }
            return []
        case .triggerFired(let name, let text):
            transcript.append(Entry(role: .info, text: "trigger \(name):"))
            transcript.append(Entry(role: .assistant, text: text))
            inTriggers {
                $0.note = "\(name) answered (also added to the transcript):"
                $0.answer = text
            }
            textArrived()
            return []
        case .agentsLoaded(let lines):
            transcript.append(Entry(role: .info, text: lines.isEmpty ? "no agents" : "agents:\n" + lines.joined(separator: "\n")))
            textArrived()
            return []
        }
    }

    /// Changes the answer of `turn` while it streams; events of a turn that was cancelled or
    /// has ended are dropped.
    private mutating func updateTurn(_ turn: Int, _ change: (inout Entry) -> Void) {
        guard let i = transcript.lastIndex(where: { $0.turn == turn && $0.role == .assistant }),
            transcript[i].status == .streaming
        else { return }
        change(&transcript[i])
    }

    /// New text below: following the bottom keeps it in view; scrolled up, a marker says so.
    private mutating func textArrived() {
        if scroll > 0 { newBelow = true }
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        if key != .ctrl("c") { quitting = false }
        notice = nil
        if let id = confirmRemove {
            confirmRemove = nil
            guard key == .character("y") || key == .character("Y") else { return [] }
            sessions.removeAll { $0.id == id }
            selected = min(selected, max(0, sessions.count - 1))
            if sessionID == id {
                sessionID = nil
                transcript = []
            }
            return [.removeSession(id)]
        }
        if memory.form != nil || memory.confirm != nil {   // modal: the form or a y/n has every key
            return memory.key(key, sessionID: sessionID, now: now) ?? []
        }
        if let open = overlay { return overlayKey(key, open) }
        if let effects = searchKey(key) { return effects }
        if let command = keymap.command(for: key) { return run(command) }
        if key == .character("?") && focus != .composer { return run(.help) }
        if key == .tab && focus == .composer && completeSlash() { return [] }
        if key == .ctrl("r"), let id = restorable, id == sessionID, inFlight == nil {
            return [.restore(sessionID: id)]
        }
        if var open = picker {
            switch key {
            case .up: open.selected = max(0, open.selected - 1); picker = open; return []
            case .down: open.selected = min(open.choices.count - 1, open.selected + 1); picker = open; return []
            case .escape: picker = nil; return []
            case .enter where composer.isEmpty:
                let choice = open.choices[open.selected]
                picker = nil
                return startTurn(text: choice.label, answering: UIAnswer(widgetID: open.widgetID, value: choice.value))
            default: break   // typing answers in your own words; the picker stays until sent
            }
        }
        switch key {
        case .tab: focus = nextFocus(+1); return []
        case .backTab: focus = nextFocus(-1); return []
        case .alt("1"): focus = .sessions; showSessions = true; return []
        case .alt("2"): focus = .transcript; return []
        case .alt("3"): focus = .memories; showMemories = true; return []
        case .escape where inFlight != nil:
            guard let flight = inFlight else { return [] }
            updateTurn(flight.turn) {
                $0.status = .cancelled
                $0.progress = nil
            }
            inFlight = nil
            return [.cancel(turn: flight.turn, requestID: flight.requestID)]
        case .ctrl("c"):
            if !composer.isEmpty {
                composer.clear()
                return []
            }
            if quitting { return [.quit] }
            quitting = true
            return []
        case .ctrl("d") where composer.isEmpty: return [.quit]
        case .pageUp: scroll += max(1, height / 2); return []
        case .pageDown:
            scroll = max(0, scroll - max(1, height / 2))
            if scroll == 0 { newBelow = false }
            return []
        case .wheelUp: scroll += 3; return []
        case .wheelDown:
            scroll = max(0, scroll - 3)
            if scroll == 0 { newBelow = false }
            return []
        default: break
        }
        switch focus {
        case .sessions: return sessionKey(key)
        case .transcript:
            switch key {
            case .up: scroll += 1
            case .down: scroll = max(0, scroll - 1); if scroll == 0 { newBelow = false }
            case .home: scroll = Int.max / 2
            case .end: scroll = 0; newBelow = false
            case .character("["): moveTarget(-1)
            case .character("]"): moveTarget(+1)
            case .character("y"): return run(.copy)
            case .character("c"): return run(.copyCode)
            default:
                focus = .composer
                return composerKey(key)
            }
            return []
        case .memories:
            if let effects = memory.key(key, sessionID: sessionID, now: now) { return effects }
            focus = .composer
            return composerKey(key)
        case .composer:
            return composerKey(key)
        }
    }

    /// Starts a turn: the message and an empty answer that will stream in.
    private mutating func startTurn(text: String, answering: UIAnswer?) -> [Effect] {
        guard inFlight == nil else { return [] }
        let turn = nextTurn
        nextTurn += 1
        transcript.append(Entry(role: .user, text: text, turn: turn))
        transcript.append(Entry(role: .assistant, text: "", status: .streaming, progress: "sending…", turn: turn))
        inFlight = InFlight(turn: turn, requestID: nil, startedAt: now, stage: "sending…")
        memory.turnStarted()
        scroll = 0
        newBelow = false
        return [.send(turn: turn, text: text, sessionID: sessionID, answering: answering)]
    }

    private func nextFocus(_ step: Int) -> Pane {
        let order: [Pane] = [.sessions, .transcript, .memories, .composer].filter {
            ($0 != .sessions || showSessions) && ($0 != .memories || showMemories)
        }
        let i = order.firstIndex(of: focus) ?? 0
        return order[(i + step + order.count) % order.count]
    }

    /// The sessions the pane shows: all, or those matching the filter.
    public var visibleSessions: [SessionItem] {
        guard let filter, !filter.isEmpty else { return sessions }
        let needle = filter.lowercased()
        return sessions.filter { item in
            filterMatches?.contains(item.id) == true || item.title.lowercased().contains(needle) || item.id.lowercased().contains(needle)
        }
    }

    private mutating func sessionKey(_ key: Key) -> [Effect] {
        if editingFilter {
            switch FilterKey(key, text: filter ?? "") {
            case .edited(let text):
                filter = text
                selected = 0
                return [.search(text)]
            case .cleared:
                editingFilter = false
                filter = nil
                filterMatches = nil
                selected = 0
            case .done(let text):
                editingFilter = false
                if text == nil { filter = nil; filterMatches = nil }
                return key == .enter ? [] : sessionKey(key)
            case .ignored: break
            }
            return []
        }
        if key == .escape, filter != nil {
            filter = nil
            filterMatches = nil
            selected = 0
            return []
        }
        let visible = visibleSessions
        switch key {
        case .character("/"):
            editingFilter = true
            filter = ""
            filterMatches = nil
            return []
        case .character("d"):
            if visible.indices.contains(selected) { confirmRemove = visible[selected].id }
            return []
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, visible.count - 1), selected + 1)
        case .enter:
            guard visible.indices.contains(selected), inFlight == nil else { return [] }
            let id = visible[selected].id
            sessionID = id
            restorable = nil
            transcript = [Entry(role: .info, text: "loading \(id)…")]
            focus = .composer
            return [.loadMessages(sessionID: id)]
        case .character("n"):
            guard inFlight == nil else { return [] }
            sessionID = nil
            transcript = []
            scroll = 0
            focus = .composer
        default:
            focus = .composer
            return composerKey(key)
        }
        return []
    }

    private mutating func composerKey(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            let text = composer.string.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return [] }
            guard inFlight == nil else {
                transcript.append(Entry(role: .info, text: "a turn is still running: wait for it, or press Esc to cancel it"))
                return []
            }
            historyIndex = nil
            if let effects = slash(text) {
                guard composer.isEmpty else { return effects }   // refused: the text stays
                if history.last != text { history.append(text) }
                return [.saveHistory(text)] + effects
            }
            composer.clear()
            picker = nil
            if history.last != text { history.append(text) }
            return [.saveHistory(text)] + startTurn(text: text.hasPrefix("//") ? String(text.dropFirst()) : text, answering: nil)
        case .up where composer.onFirstLine && !history.isEmpty:
            let i = max(0, (historyIndex ?? history.count) - 1)
            historyIndex = i
            composer = Composer(history[i])
            return []
        case .down where composer.onLastLine && historyIndex != nil:
            let i = (historyIndex ?? 0) + 1
            if i >= history.count {
                historyIndex = nil
                composer.clear()
            } else {
                historyIndex = i
                composer = Composer(history[i])
            }
            return []
        default:
            _ = composer.edit(key)
            return []
        }
    }

    /// Changes the jobs panel, when it is open; whether it was.
    @discardableResult
    mutating func inJobs(_ change: (inout JobsPanel) -> Void) -> Bool {
        guard case .jobs(var panel) = overlay else { return false }
        change(&panel)
        overlay = .jobs(panel)
        return true
    }

    /// Changes the triggers panel, when it is open; whether it was.
    @discardableResult
    mutating func inTriggers(_ change: (inout TriggersPanel) -> Void) -> Bool {
        guard case .triggers(var panel) = overlay else { return false }
        change(&panel)
        overlay = .triggers(panel)
        return true
    }
}

/// What a key does to a filter being typed (the sessions' and the memories'): characters and
/// Backspace edit it, Esc clears it, Enter (or an arrow, which then moves) keeps it.
enum FilterKey: Equatable {
    case edited(String)
    case cleared
    /// Typing ended; the filter kept (nil when empty).
    case done(String?)
    case ignored

    init(_ key: Key, text: String) {
        switch key {
        case .character(let c): self = .edited(text + String(c))
        case .backspace: self = .edited(String(text.dropLast()))
        case .escape: self = .cleared
        case .enter, .up, .down: self = .done(text.isEmpty ? nil : text)
        default: self = .ignored
        }
    }
}
