import Foundation
import TerminalUI

extension AppState {
    /// The app's whole behaviour: the new state is `self` after the event; the effects are
    /// what the outside world must do. Pure: no I/O, no clock, no random ids.
    public mutating func apply(_ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            expireNotices(afterKey: true)
            return route(key)
        case .historyLoaded(let entries):
            composer.history.prepend(entries)
            return []
        case .resize(let w, let h):
            width = w
            height = h
            // an image drawn for the old size is drawn again for the new one
            if case .artifacts(var panel) = modal, let view = panel.view, view.picture != nil,
               case .image(let format, _, _, _)? = view.content, let path = view.file.savedAt {
                panel.view?.picture = nil
                modal = .artifacts(panel)
                return [drawPicture(path, format: format)]
            }
            return []
        case .tick(let date):
            now = date
            expireNotices(afterKey: false)
            return []
        case .turnStarted(let turn, let requestID, let session):
            guard inFlight?.turn == turn else { return [] }
            inFlight?.requestID = requestID
            if sessionID != session {
                sessionID = session
                if !sessions.items.contains(where: { $0.id == session }) {
                    let title = transcript.entries.last(where: { $0.role == .user })?.text ?? ""
                    sessions.items.insert(SessionItem(id: session, title: String(title.prefix(60)), lastActive: now, onServer: true), at: 0)
                    sessions.selection.first()
                }
            }
            return []
        case .progress(let turn, let text):
            transcript.updateTurn(turn) { $0.progress = text }
            if inFlight?.turn == turn {
                inFlight?.stage = text
                inFlight?.answered = true
            }
            return []
        case .fileMade(let turn, let name):
            transcript.updateTurn(turn) { if !$0.madeSoFar.contains(name) { $0.madeSoFar.append(name) } }
            return []
        case .delta(let turn, let text):
            transcript.updateTurn(turn) {
                $0.text += text
                $0.progress = nil
            }
            if inFlight?.turn == turn { inFlight?.answered = true }
            return []
        case .completed(let turn, let text, let failed, let artifacts):
            guard transcript.updateTurn(turn, {
                $0.text = text
                $0.progress = nil
                $0.status = failed ? .failed : .done
                $0.artifacts = artifacts
            }) else { return [] }
            endTurn(turn)
            var effects: [Effect] = [.loadMemoriesAfterTurn(upTo: memory.reloadCount), .loadSessions]
            if let sessionID {
                effects.insert(.keepAnswer(turn: turn, sessionID: sessionID, text: text, status: failed ? .failed : .done, files: artifacts), at: 0)
            }
            return effects
        case .choices(_, let picker):
            guard !picker.choices.isEmpty, modal == nil || modal == .quitPrompt else { return [] }
            modal = .picker(picker)
            return []
        case .attachOffer(let file, let pasted):
            guard modal == nil, composer.string.hasSuffix(pasted) else { return [] }   // typed on, or busy: no question
            modal = .confirm(Confirmation(.attachPasted(file, pasted: pasted)))
            return []
        case .pathChoices(let prefix, let choices):
            return completePath(prefix: prefix, choices: choices)
        case .artifactRead(let path, let content):
            if case .artifacts(var panel) = modal, panel.view?.file.savedAt == path {
                panel.view?.content = content
                modal = .artifacts(panel)
                if case .image(let format, _, _, _) = content { return [drawPicture(path, format: format)] }
            }
            return []
        case .pictureReady(let path, let picture, let note):
            if case .artifacts(var panel) = modal, panel.view?.file.savedAt == path {
                panel.view?.picture = picture
                panel.view?.pictureNote = note
                modal = .artifacts(panel)
            }
            return []
        case .artifactNote(let line):
            if case .artifacts(var panel) = modal {
                panel.note = line
                modal = .artifacts(panel)
            } else {
                notice = line
            }
            return []
        case .attached(let file):
            composer.attachments.removeAll { $0.path == file.path }
            composer.attachments.append(file)
            notice = Notice("attached \(file.label); Backspace in an empty message removes it")
            return []
        case .link(let turn, let link):
            if let i = transcript.entries.lastIndex(where: { $0.turn == turn && $0.role == .assistant }) {
                transcript.entries[i].links.append(link)
            }
            return []
        case .turnFailed(let turn, let message):
            guard let flight = inFlight, flight.turn == turn else { return [] }
            let partial = transcript.answer(of: turn)?.text ?? ""
            transcript.updateTurn(turn) {
                $0.progress = nil
                $0.status = .failed
            }
            endTurn(turn)
            if !flight.answered && partial.isEmpty {
                // nothing came back: the message goes back in the box (unless something new
                // is being typed there; it is in the history either way)
                if composer.isEmpty && composer.attachments.isEmpty {
                    composer.set(flight.text)
                    composer.attachments = flight.files
                }
                transcript.entries.removeAll { $0.turn == turn && $0.role == .assistant }
                let back = composer.string == flight.text ? " Not sent: your message is back in the box." : " Not sent: Up recalls it."
                transcript.append(Entry(role: .error, text: message + back, turn: turn))
                return []
            }
            transcript.append(Entry(role: .error, text: message, turn: turn))
            guard let sessionID else { return [] }
            return [.keepAnswer(turn: turn, sessionID: sessionID, text: partial, status: .failed)]
        case .sessionsLoaded(let items):
            let first = !sessions.loaded
            sessions.replace(with: items, current: sessionID)
            if connection == .unknown { connection = .connected }
            // the first time, the memories next: the runtime (1.20260928.0) can fail a new
            // user's first requests that arrive together (a unique-key race)
            return first ? [.loadMemories(upTo: memory.reloadCount)] : []
        case .messagesLoaded(let session, let entries):
            guard session == sessionID, inFlight == nil else { return [] }
            transcript.show(entries)
            return []
        case .cacheShown(let session, let entries):
            guard session == sessionID, inFlight == nil else { return [] }
            transcript.show(entries + [Entry(role: .info, text: "The server no longer has this session (the runtime may have restarted); this is the local copy. Ctrl+R puts it back on the server.")],
                            restorable: session)
            return []
        case .searchResults(let query, let found):
            if sessions.filter.query == query { sessions.matches = found }
            return []
        case .restored(let session, let count):
            if transcript.restorable == session { transcript.restorable = nil }
            if let i = sessions.items.firstIndex(where: { $0.id == session }) { sessions.items[i].onServer = true }
            transcript.append(Entry(role: .info, text: "restored \(count) message\(count == 1 ? "" : "s") to the server"))
            return [.loadSessions]
        case .memoriesLoaded(let items, let more):
            memory.loaded(items, hasMore: more)
            return memory.pageIfNeeded()
        case .memoriesPage(let items, let offset, let more):
            memory.appendPage(items, offset: offset, more: more)
            return memory.pageIfNeeded()
        case .memoryDone(let text):
            memory.note = Notice(text, until: .at(now.addingTimeInterval(5)))
            return [.loadMemories(upTo: memory.reloadCount)]
        case .memoryDeleted(let item):
            memory.undo = item
            memory.undoUntil = now.addingTimeInterval(MemoryPane.undoSeconds)
            memory.note = Notice("deleted; u puts it back (\(Int(MemoryPane.undoSeconds)) s)", until: .at(memory.undoUntil))
            return [.loadMemories(upTo: memory.reloadCount)]
        case .memoryRestored:
            memory.note = Notice("restored", until: .at(now.addingTimeInterval(5)))
            return [.loadMemories(upTo: memory.reloadCount)]
        case .bufferLoaded(let messages, let kilobytes):
            let session = transcript.entries.filter { $0.role == .user || $0.role == .assistant }.count
            memory.buffer = "user: \(messages) message\(messages == 1 ? "" : "s"), \(String(format: "%.1f", kilobytes)) KB"
                + (sessionID == nil ? "" : " · this session: \(session)")
            memory.note = nil
            return []
        case .bufferCleared(let messages):
            memory.note = Notice("cleared \(messages) buffered message\(messages == 1 ? "" : "s")", until: .at(now.addingTimeInterval(5)))
            let reload = memory.buffer != nil
            memory.buffer = nil
            return reload ? [.loadBuffer, .loadMemories(upTo: memory.reloadCount)] : [.loadMemories(upTo: memory.reloadCount)]
        case .memoryConfigLoaded(let lines):
            memory.config = lines
            memory.note = nil
            return []
        case .failed(let subject, let message):
            return failed(subject, message)
        case .connection(let state):
            // a refused or missing key, found by a request, is not undone by a health check
            switch (connection, state) {
            case (.keyRefused, .connected), (.noKey, .connected): break
            default: connection = state
            }
            return []
        case .scrolled(let lines):
            transcript.scroll = lines
            transcript.jumpTo = nil
            if lines == 0 { transcript.newBelow = false }
            return []
        case .notice(let notice):
            self.notice = notice
            return []
        case .edited(let text):
            composer.set(text)
            focus = .composer
            return []
        case .jobsLoaded(let items):
            inJobs {
                $0.items = items
                $0.status = .loaded
                $0.selection.clamp(count: items.count)
            }
            return []
        case .jobDone(let text):
            let line = Notice(text, until: .at(now.addingTimeInterval(5)))
            return inJobs { $0.note = line } ? [.loadJobs] : []
        case .triggersLoaded(let names):
            inTriggers {
                $0.names = names
                $0.status = .loaded
                $0.selection.clamp(count: names.count)
            }
            return []
        case .triggerLoaded(let detail):
            inTriggers { $0.detail = detail }
            if case .triggerForm(var form, let panel) = modal, form.name == detail.name, form.data.string == "{}" {
                form.data = TriggerForm(name: detail.name, fields: detail.fields).data
                modal = .triggerForm(form, panel)
            }
            return []
        case .triggerAnswered(let name, let text):
            inTriggers {
                $0.note = Notice("\(name) answered (also added to the transcript):", until: .replaced)
                $0.answer = text
            }
            // the agent's answer to the trigger, marked as such, where copying finds it
            transcript.append(Entry(role: .info, text: "trigger \(name) answered:"))
            transcript.append(Entry(role: .assistant, text: text))
            return []
        case .triggerAccepted(let name, let requestID):
            let line = "\(name) accepted; request \(requestID ?? "(no id)") runs in the background"
            let shown = inTriggers {
                $0.note = Notice(line, until: .replaced)
                $0.answer = nil
            }
            if !shown { transcript.append(Entry(role: .info, text: "trigger " + line)) }
            return requestID.map { [.followTrigger(name: name, requestID: $0)] } ?? []
        case .triggerUnfinished(let name, let requestID, let status):
            transcript.append(Entry(role: .info, text: "trigger \(name): request \(requestID) still reports “\(status)”; muxi-chat requests shows it later"))
            return []
        case .agentsLoaded(let lines):
            transcript.append(Entry(role: .info, text: lines.isEmpty ? "no agents" : "agents:\n" + lines.joined(separator: "\n")))
            return []
        }
    }

    /// A failed request: its one line goes where what failed is shown.
    private mutating func failed(_ subject: Subject, _ message: String) -> [Effect] {
        switch subject {
        case .jobs:
            if !inJobs({ $0.status = .failed(message) }) { notice = Notice(message, .error) }
        case .triggers:
            let open = inTriggers {
                $0.status = .failed(message)
                $0.note = nil
            }
            if !open { transcript.append(Entry(role: .error, text: message)) }
        case .memories:
            memory.status = .failed(message)
        case .memoryAction:   // say so, and show the list as the server has it
            memory.note = Notice(message, .error, until: .replaced)
            return [.loadMemories(upTo: memory.reloadCount)]
        case .sessions:
            sessions.loaded = true
            notice = Notice("sessions: " + message, .error, until: .replaced)
        case .messages, .agents, .restore:
            transcript.append(Entry(role: .error, text: message))
        }
        return []
    }

    /// The turn ended (answered, failed or cancelled): notices about it end too.
    private mutating func endTurn(_ turn: Int) {
        guard inFlight?.turn == turn else { return }
        inFlight = nil
        expireNotices(afterKey: false)
    }

    private mutating func expireNotices(afterKey key: Bool) {
        let running = inFlight != nil, now = self.now
        if let n = notice, !n.holds(now: now, key: key, turnRunning: running) { notice = nil }
        if let n = memory.note, !n.holds(now: now, key: key, turnRunning: running) { memory.note = nil }
        inJobs { panel in
            if let n = panel.note, !n.holds(now: now, key: key, turnRunning: running) { panel.note = nil }
        }
    }

    /// A key: the open modal first, then the app-wide keys, then the focused pane; a letter
    /// no pane uses goes to the message. Ctrl+Z before all of them (unless the key map binds
    /// it): it stops the app wherever the focus is and whatever is open, as in any terminal
    /// program, and all of it is there again after `fg`.
    private mutating func route(_ key: Key) -> [Effect] {
        if key == .ctrl("z"), keymap.command(for: key) == nil { return [.suspend] }
        if case .handled(let effects) = modalKey(key) { return effects }
        if case .handled(let effects) = globalKey(key) { return effects }
        if !tabOrder.contains(focus) { focus = .composer }
        let outcome: KeyOutcome
        switch focus {
        case .sessions: outcome = sessionsKey(key)
        case .transcript: outcome = transcriptKey(key)
        case .memories: outcome = memoriesKey(key)
        case .composer: outcome = composerKey(key)
        }
        if case .handled(let effects) = outcome { return effects }
        if case .handled(let effects) = fallbackKey(key) { return effects }
        // typing in a list pane goes to the message
        if focus != .composer, Self.typesText(key) {
            focus = .composer
            if case .handled(let effects) = composerKey(key) { return effects }
        }
        return []
    }

    private static func typesText(_ key: Key) -> Bool {
        switch key {
        case .character, .paste: return true
        default: return false
        }
    }

    /// A key for the open modal, if one is open.
    private mutating func modalKey(_ key: Key) -> KeyOutcome {
        guard let open = modal else { return .notMine }
        switch open {
        case .confirm(let ask):
            switch ask.answer(key) {
            case .yes:
                modal = ask.returnTo
                return .handled(confirmed(ask.action))
            case .no:
                modal = ask.returnTo
                let line = Notice(ask.declined)
                if case .jobs = ask.returnTo { inJobs { $0.note = line } } else { notice = line }
                return .done
            case .undecided:
                notice = Notice(ask.reminder, .warning)
                return .done
            }
        case .memoryForm(let form): return .handled(memoryFormKey(key, form))
        case .help(let offset):
            switch key {
            case .down: modal = .help(offset: offset + 1)
            case .pageDown, .character(" "): modal = .help(offset: offset + max(1, height / 2))
            case .up: modal = .help(offset: max(0, offset - 1))
            case .pageUp: modal = .help(offset: max(0, offset - max(1, height / 2)))
            default: modal = nil
            }
            return .done
        case .palette(let palette): return .handled(paletteKey(key, palette))
        case .jobs(let panel): return .handled(jobsKey(key, panel))
        case .jobForm(let form, let panel): return .handled(jobFormKey(key, form, panel))
        case .triggers(let panel): return .handled(triggersKey(key, panel))
        case .triggerForm(let form, let panel): return .handled(triggerFormKey(key, form, panel))
        case .picker(var picker):
            switch key {
            case .up, .down:
                _ = picker.selection.key(key, count: picker.choices.count)
                modal = .picker(picker)
                return .done
            case .escape:
                modal = nil
                return .done
            case .enter where composer.isEmpty && inFlight == nil:
                guard let choice = picker.selection.item(in: picker.choices) else { return .done }
                modal = nil
                return .handled(startTurn(text: choice.label, answering: UIAnswer(widgetID: picker.widgetID, value: choice.value)))
            default: return .notMine   // typing answers in your own words; the picker stays until sent
            }
        case .search(let search): return searchKey(key, search)
        case .artifacts(let panel): return .handled(artifactsKey(key, panel))
        case .quitPrompt:
            if key == .ctrl("c") { return .handled([.quit]) }
            modal = nil
            return .notMine   // any other key goes on as usual
        }
    }

    /// What a confirmed question does.
    private mutating func confirmed(_ action: Confirmation.Action) -> [Effect] {
        switch action {
        case .removeSession(let item): return removeSession(item)
        case .deleteMemory(let item):
            memory.note = Notice("deleting…", until: .replaced)
            return [.deleteMemory(item)]
        case .clearBuffer(let session):
            memory.note = Notice("clearing…", until: .replaced)
            return [.clearBuffer(sessionID: session)]
        case .deleteJob(let job):
            inJobs { $0.note = Notice("deleting…", until: .replaced) }
            return [.deleteJob(id: job.id)]
        case .attachPasted(let file, let pasted):
            let text = composer.string
            if text.hasSuffix(pasted) { composer.set(String(text.dropLast(pasted.count))) }
            return apply(.attached(file))
        }
    }

    /// The keys that act wherever the focus is (when no modal took them).
    private mutating func globalKey(_ key: Key) -> KeyOutcome {
        if let command = keymap.command(for: key) { return .handled(run(command)) }
        switch key {
        case .character("?") where focus != .composer: return .handled(run(.help))
        case .ctrl("r"):
            guard let id = transcript.restorable, id == sessionID, inFlight == nil else { return .notMine }
            return .handled([.restore(sessionID: id)])
        case .alt("1"): focusPane(.sessions)
        case .alt("2"): focusPane(.transcript)
        case .alt("3"): focusPane(.memories)
        case .alt("4"): focusPane(.composer)
        case .escape where inFlight != nil:
            guard let flight = inFlight else { return .done }
            let partial = transcript.answer(of: flight.turn)?.text ?? ""
            transcript.updateTurn(flight.turn) {
                $0.status = .cancelled
                $0.progress = nil
            }
            endTurn(flight.turn)
            var effects: [Effect] = [.cancel(turn: flight.turn, requestID: flight.requestID)]
            if flight.answered || !partial.isEmpty, let sessionID {
                effects.append(.keepAnswer(turn: flight.turn, sessionID: sessionID, text: partial, status: .cancelled))
            }
            return .handled(effects)
        case .pageUp: transcript.scroll(by: max(1, height / 2))
        case .pageDown: transcript.scroll(by: -max(1, height / 2))
        case .wheelUp: transcript.scroll(by: 3)
        case .wheelDown: transcript.scroll(by: -3)
        default: return .notMine
        }
        return .done
    }

    /// Keys no pane took: Tab moves the focus, Ctrl+C clears the message or asks to quit,
    /// Ctrl+D on an empty message quits.
    private mutating func fallbackKey(_ key: Key) -> KeyOutcome {
        switch key {
        case .tab: focus = nextFocus(+1)
        case .backTab: focus = nextFocus(-1)
        case .ctrl("c"):
            if !composer.isEmpty {
                composer.editor.clear()
                composer.history.stopBrowsing()
                notice = Notice("message cleared (Ctrl+C again: quit)")
                return .done
            }
            modal = .quitPrompt
        case .ctrl("d") where composer.isEmpty: return .handled([.quit])
        default: return .notMine
        }
        return .done
    }

    mutating func focusPane(_ pane: Pane) {
        if pane == .sessions { showSessions = true }
        if pane == .memories { showMemories = true }
        focus = pane
    }

    private func nextFocus(_ step: Int) -> Pane {
        let order = tabOrder
        let i = order.firstIndex(of: focus) ?? 0
        return order[(i + step + order.count) % order.count]
    }
}

extension AppState {
    /// The effect that encodes the viewer's image for the picture area of the terminal's present size.
    func drawPicture(_ path: String, format: String) -> Effect {
        let area = ChatLayout.pictureArea(width: width, height: height)
        return .drawPicture(path: path, format: format, columns: area.width, rows: area.height)
    }
}
