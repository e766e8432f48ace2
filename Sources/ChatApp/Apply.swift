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
            return [.loadMemories, .loadSessions]
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
            let current = sessions.indices.contains(selected) ? sessions[selected].id : sessionID
            sessions = items
            selected = items.firstIndex { $0.id == current } ?? 0
            return []
        case .messagesLoaded(let session, let entries):
            guard session == sessionID, inFlight == nil else { return [] }
            transcript = entries
            scroll = 0
            newBelow = false
            return []
        case .memoriesLoaded(let items):
            memories = items
            memoryNote = items.isEmpty ? "no memories yet" : ""
            return []
        case .loadFailed(let what, let message):
            if what == "memories" { memoryNote = message } else { transcript.append(Entry(role: .error, text: message)) }
            return []
        case .healthy(let ok, let text):
            connected = ok
            connection = text
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
        case .function(2): showSessions.toggle(); if !showSessions && focus == .sessions { focus = .composer }; return []
        case .function(3): showMemories.toggle(); if !showMemories && focus == .memories { focus = .composer }; return []
        case .escape:
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
            default:
                focus = .composer
                return composerKey(key)
            }
            return []
        case .memories:
            if case .character("r") = key { return [.loadMemories] }
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

    private mutating func sessionKey(_ key: Key) -> [Effect] {
        switch key {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, sessions.count - 1), selected + 1)
        case .enter:
            guard sessions.indices.contains(selected), inFlight == nil else { return [] }
            sessionID = sessions[selected].id
            transcript = [Entry(role: .info, text: "loading \(sessions[selected].id)…")]
            focus = .composer
            return [.loadMessages(sessionID: sessions[selected].id)]
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
            composer.clear()
            historyIndex = nil
            picker = nil
            if history.last != text { history.append(text) }
            return [.saveHistory(text)] + startTurn(text: text, answering: nil)
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
}
