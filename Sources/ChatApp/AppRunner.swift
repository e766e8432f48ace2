import Foundation
public import LocalStore
public import MuxiClient
public import TerminalUI

/// What the app talks to.
public struct AppServices: Sendable {
    public let client: FormationClient
    public let store: LocalStore?
    /// Where files of the app go (a copy when the terminal has no clipboard).
    public let stateDirectory: String
    public init(client: FormationClient, store: LocalStore?, stateDirectory: String? = nil) {
        self.client = client
        self.store = store
        self.stateDirectory = stateDirectory ?? NSTemporaryDirectory()
    }
    var user: String { client.configuration.userID ?? "0" }
    var formation: String { client.configuration.baseURL }
}

/// Runs the app: one loop on the main actor consumes keys, network events and ticks, applies
/// them to the state, runs the effects and redraws (at most about 60 times a second).
@MainActor
public final class AppRunner {
    private enum Loop: Sendable {
        case app(AppEvent)
        case input
        case wake
        /// The frame held back by the redraw limit is due.
        case redraw
    }

    private var state: AppState
    private let terminal: any TerminalDevice
    private let services: AppServices
    private let stream: AsyncStream<Loop>
    private let events: AsyncStream<Loop>.Continuation
    private var turns: [Int: Task<Void, Never>] = [:]
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var dirty = true
    private var redrawScheduled = false
    private let view = TranscriptView()
    private let drained = DispatchSemaphore(value: 0)
    private let stopped = StopFlag()

    public init(state: AppState, terminal: any TerminalDevice, services: AppServices) {
        self.state = state
        self.terminal = terminal
        self.services = services
        (stream, events) = AsyncStream.makeStream(of: Loop.self)
    }

    /// Runs until the user quits or a signal arrives; returns the exit code (128 + signal).
    public func run() async -> Int32 {
        let size = terminal.size()
        _ = state.apply(.resize(width: size.width, height: size.height))
        _ = state.apply(.tick(Date()))
        state.history = (try? services.store?.history()) ?? []
        startWatcher()
        startTicker()
        // the memories once the sessions are in (see AppState.apply(.sessionsLoaded)): a new
        // user's first requests must not reach the runtime together
        var effects: [Effect] = [.loadSessions]
        if let id = state.sessionID { effects.append(.loadMessages(sessionID: id)) }
        perform(effects)
        checkHealth()
        draw()
        var exitCode: Int32 = 0
        loop: for await item in stream {
            switch item {
            case .input:
                let keys = terminal.readKeys()
                drained.signal()
                for key in keys where dispatch(.key(key)) { break loop }
            case .wake:
                let (signal, resized) = terminal.takeSignals()
                drained.signal()
                if let signal {
                    exitCode = 128 + signal
                    break loop
                }
                if resized {
                    let s = terminal.resized()
                    if dispatch(.resize(width: s.width, height: s.height)) { break loop }
                }
            case .app(let event):
                if dispatch(event) { break loop }
            case .redraw:
                redrawScheduled = false
            }
            if dirty { drawOrSchedule() }
        }
        turns.values.forEach { $0.cancel() }
        stopped.set()
        drained.signal()
        terminal.restore()
        return exitCode
    }

    /// Applies one event; true when the app must quit.
    private func dispatch(_ event: AppEvent) -> Bool {
        let effects = state.apply(event)
        dirty = true
        perform(effects.filter { $0 != .quit })   // what comes with a quit (/quit's history) is still done
        return effects.contains(.quit)
    }

    /// Draws now, or, when the last frame was less than a 60th of a second ago, once that has
    /// passed: a burst of chunks becomes one frame, and the last of them is never left undrawn.
    private func drawOrSchedule() {
        let due = lastDraw + .milliseconds(16)
        if ContinuousClock.now >= due {
            draw()
        } else if !redrawScheduled {
            redrawScheduled = true
            let events = self.events
            Task {
                try? await Task.sleep(until: due)
                events.yield(.redraw)
            }
        }
    }

    private func draw() {
        terminal.present(ChatLayout.render(state, view: view))
        if view.scroll != state.scroll || state.jumpTo != nil { _ = state.apply(.scrolled(to: view.scroll)) }
        lastDraw = .now
        dirty = false
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .send(let turn, let text, let sessionID, let answering):
                send(turn: turn, text: text, sessionID: sessionID, answering: answering)
            case .cancel(let turn, let requestID):
                turns[turn]?.cancel()
                turns[turn] = nil
                if let requestID {
                    let client = services.client
                    Task { _ = try? await client.cancel(requestID: requestID) }
                }
            case .loadSessions: loadSessions()
            case .loadMessages(let id): loadMessages(id)
            case .loadMemories: loadMemories()
            case .loadMemoriesAfterTurn:
                loadMemories()
                loadMemories(after: .seconds(3))
            case .addMemory(let type, let detail, let replacing): addMemory(type: type, detail: detail, replacing: replacing)
            case .deleteMemory(let item):
                act("memory") { client in
                    try await client.deleteMemory(item.id)
                    return .memoryDeleted(item)
                }
            case .loadBuffer:
                act("memory") { client in
                    let status = try await client.userBuffer()
                    return .bufferLoaded(messages: status.totalMessages, kilobytes: status.sizeKB)
                }
            case .clearBuffer(let sessionID):
                act("memory") { client in
                    let result = if let sessionID { try await client.clearSessionBuffer(sessionID) } else { try await client.clearUserBuffer() }
                    return .memoryDone("cleared \(result.messagesCleared) buffered message\(result.messagesCleared == 1 ? "" : "s")")
                }
            case .loadMemoryConfig:
                act("memory") { client in .memoryConfigLoaded(Self.summary(try await client.memoryConfig())) }
            case .copy(let text): copy(text)
            case .editExternally(let text): editExternally(text)
            case .loadJobs:
                act("jobs") { client in
                    .jobsLoaded(try await client.schedulerJobs().map {
                        JobItem(id: $0.id, title: $0.title ?? $0.prompt, schedule: $0.schedule, recurring: $0.isRecurring, status: $0.status,
                                lastRun: $0.lastRunAt, lastResult: $0.lastRunFailure ?? $0.lastRunStatus)
                    })
                }
            case .createJob(let recurring, let schedule, let message):
                act("jobs") { client in
                    _ = try await client.createSchedulerJob(type: recurring ? .recurring : .oneTime, schedule: schedule, message: message)
                    return .jobDone("created")
                }
            case .pauseJob(let id, let resume):
                act("jobs") { client in
                    _ = try await resume ? client.resumeSchedulerJob(id) : client.pauseSchedulerJob(id)
                    return .jobDone(resume ? "resumed" : "paused")
                }
            case .deleteJob(let id):
                act("jobs") { client in
                    try await client.deleteSchedulerJob(id)
                    return .jobDone("deleted")
                }
            case .loadTriggers:
                act("triggers") { client in .triggersLoaded(try await client.triggers()) }
            case .loadTrigger(let name):
                act("triggers") { client in
                    let t = try await client.trigger(name)
                    return .triggerLoaded(TriggersPanel.Detail(name: t.name, template: t.content, fields: t.dataFields))
                }
            case .fireTrigger(let name, let data, let async):
                let session = state.sessionID
                act("triggers") { client in
                    let result = try await client.fireTrigger(name, data: try JSONValue(parsing: data), async: async, sessionID: session)
                    let text = async ? "accepted (\(result.status)); request \(result.requestID ?? "-")" : result.content ?? result.status
                    return .triggerFired(name: name, text: text)
                }
            case .loadAgents:
                act("agents") { client in
                    .agentsLoaded(try await client.agents().map { "• " + $0.id + ($0.description.map { ": " + $0 } ?? "") })
                }
            case .saveHistory(let text): try? services.store?.addHistory(text)
            case .search(let query):
                let ids = (try? services.store?.searchSessions(formation: services.formation, user: services.user, query: query)) ?? []
                events.yield(.app(.searchResults(query: query, ids: ids)))
            case .removeSession(let id):
                try? services.store?.removeSession(StoredSession.Key(formation: services.formation, user: services.user, id: id))
            case .restore(let id): restore(id)
            case .quit: break
            }
        }
    }

    private func send(turn: Int, text: String, sessionID: String?, answering: UIAnswer?) {
        let services = self.services
        let events = self.events
        var request = ChatRequest(text, sessionID: sessionID)
        if let answering {
            request.uiResponse = UIResponse(id: answering.widgetID, value: (try? JSONValue(parsing: answering.value)) ?? .string(answering.value))
        }
        turns[turn] = Task { [request] in
            let stream = services.client.chatStream(request)
            events.yield(.app(.turnStarted(turn: turn, requestID: stream.requestID, sessionID: stream.sessionID)))
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: stream.sessionID)
            try? services.store?.recordSession(key, title: text)
            try? services.store?.cacheMessage(key, role: "user", text: text)
            do {
                for try await event in stream {
                    switch event {
                    case .progress(let t): events.yield(.app(.progress(turn: turn, text: t.text)))
                    case .delta(let t): events.yield(.app(.delta(turn: turn, text: t.text)))
                    case .completed(let c):
                        try? services.store?.cacheMessage(key, role: "assistant", text: c.text)
                        events.yield(.app(.completed(turn: turn, text: c.text, failed: c.isError)))
                    case .failed(let t): events.yield(.app(.turnFailed(turn: turn, message: t.text)))
                    case .widgets(let widgets):
                        for widget in widgets {
                            switch widget {
                            case .actionLink(let label, let url, _):
                                events.yield(.app(.link(turn: turn, Entry.Link(label: label, url: url))))
                            case .options(let o):
                                let choices = o.options.map { Picker.Choice(label: $0.label, value: JSONWriter.string($0.value)) }
                                events.yield(.app(.choices(turn: turn, Picker(widgetID: o.id, prompt: o.prompt, choices: choices))))
                            case .unknown:
                                break
                            }
                        }
                    default: break
                    }
                }
            } catch is CancellationError {
            } catch let error as MuxiError {
                events.yield(.app(.turnFailed(turn: turn, message: Self.explain(error))))
            } catch {
                events.yield(.app(.turnFailed(turn: turn, message: "\(error)")))
            }
        }
    }

    /// One clear line with what to do.
    nonisolated static func explain(_ error: MuxiError) -> String {
        switch error.kind {
        case .authentication: return "the server refused the key (\(error.message)); check --client-key / MUXI_CLIENT_KEY. Your message is in the history (Up)."
        case .connection: return "cannot reach the formation (\(error.message)). Is it running? Your message is in the history (Up)."
        case .timeout: return "the server stopped answering (\(error.message)). Press Up and Enter to try again."
        case .rateLimit: return "rate limited\(error.retryAfter.map { ": try again in \(Int($0)) s" } ?? ""). Press Up and Enter to try again."
        default: return "\(error.kind.rawValue): \(error.message)"
        }
    }

    private func loadSessions() {
        let services = self.services
        let events = self.events
        Task {
            let local = (try? services.store?.sessions(formation: services.formation, user: services.user)) ?? []
            let counts = (try? services.store?.messageCounts(formation: services.formation, user: services.user)) ?? [:]
            var items: [String: SessionItem] = [:]
            for s in local {
                items[s.key.id] = SessionItem(id: s.key.id, title: s.title, lastActive: s.lastActive, onServer: false, messages: counts[s.key.id])
            }
            if let server = try? await services.client.sessions() {
                for s in server {
                    var item = items[s.id] ?? SessionItem(id: s.id, title: "", lastActive: s.lastActivity, onServer: true)
                    item.onServer = true
                    item.lastActive = max(item.lastActive ?? .distantPast, s.lastActivity ?? .distantPast)
                    items[s.id] = item
                }
            }
            events.yield(.app(.sessionsLoaded(items.values.sorted { ($0.lastActive ?? .distantPast) > ($1.lastActive ?? .distantPast) })))
        }
    }

    /// The session's messages from the server; when the server has none (it lost its
    /// in-memory sessions), the local copy, which can be restored.
    private func loadMessages(_ id: String) {
        let services = self.services
        let events = self.events
        Task {
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: id)
            let cached = ((try? services.store?.cachedMessages(key)) ?? []).map {
                Entry(role: $0.role == "user" ? .user : .assistant, text: $0.text)
            }
            do {
                let page = try await services.client.sessionMessages(id, limit: 200)
                let entries = page.messages.map { Entry(role: $0.role == .user ? .user : .assistant, text: $0.text) }
                if !entries.isEmpty {
                    events.yield(.app(.messagesLoaded(sessionID: id, entries)))
                } else if !cached.isEmpty {
                    events.yield(.app(.cacheShown(sessionID: id, cached)))
                } else {
                    events.yield(.app(.messagesLoaded(sessionID: id, [Entry(role: .info, text: "no messages for \(id), on the server or here")])))
                }
            } catch let error as MuxiError {
                if !cached.isEmpty { events.yield(.app(.cacheShown(sessionID: id, cached))) }
                events.yield(.app(.loadFailed(what: "messages", message: Self.explain(error))))
            } catch {}
        }
    }

    private func restore(_ id: String) {
        let services = self.services
        let events = self.events
        Task {
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: id)
            let cached = (try? services.store?.cachedMessages(key)) ?? []
            let messages = cached.map { SessionMessage(role: $0.role == "user" ? .user : .assistant, text: $0.text, timestamp: $0.at) }
            do {
                let result = try await services.client.restoreSession(id, messages: messages)
                events.yield(.app(.restored(sessionID: id, count: result.messagesLoaded)))
            } catch let error as MuxiError {
                events.yield(.app(.loadFailed(what: "restore", message: "could not restore \(id): " + Self.explain(error))))
            } catch {}
        }
    }

    private func loadMemories(after delay: Duration? = nil) {
        let client = services.client
        let events = self.events
        Task {
            if let delay { try? await Task.sleep(for: delay) }
            do {
                let all = try await client.allMemories(pageSize: 100)
                events.yield(.app(.memoriesLoaded(all.map {
                    MemoryItem(id: $0.id, type: $0.type ?? "memory", detail: $0.detail, scope: $0.scope ?? "user", created: $0.createdAt)
                })))
            } catch let error as MuxiError {
                events.yield(.app(.loadFailed(what: "memories", message: Self.explain(error))))
            } catch {}
        }
    }

    /// Saves a memory; an edit deletes the old one only once the new one is saved, so that an
    /// edit can never lose a memory.
    private func addMemory(type: String, detail: String, replacing: String?) {
        act("memory") { client in
            _ = try await client.addMemory(type: type, detail: detail)
            guard let replacing else { return .memoryDone("saved") }
            do {
                try await client.deleteMemory(replacing)
            } catch let error as MuxiError {
                return .loadFailed(what: "memory", message: "saved the new text, but the old memory stays: " + Self.explain(error))
            }
            return .memoryDone("edited")
        }
    }

    /// Runs one request for a pane (`what`: "memory", "jobs", "triggers", "agents"); a failure
    /// becomes one line there (see ``AppEvent/loadFailed(what:message:)``).
    private func act(_ what: String, _ action: @escaping @Sendable (FormationClient) async throws -> AppEvent) {
        let client = services.client
        let events = self.events
        Task {
            do {
                events.yield(.app(try await action(client)))
            } catch let error as MuxiError {
                events.yield(.app(.loadFailed(what: what, message: Self.explain(error))))
            } catch {
                events.yield(.app(.loadFailed(what: what, message: "\(error)")))
            }
        }
    }

    /// Puts text on the clipboard through the terminal (OSC 52) or, when it cannot, in a file.
    private func copy(_ text: String) {
        let count = text.count
        if terminal.copyToClipboard(text) {
            events.yield(.app(.notice("copied \(count) character\(count == 1 ? "" : "s") to the clipboard")))
            return
        }
        let path = services.stateDirectory + "/copied.txt"
        do {
            try FileManager.default.createDirectory(atPath: services.stateDirectory, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            events.yield(.app(.notice("this terminal cannot set the clipboard: saved to \(path)")))
        } catch {
            events.yield(.app(.notice("could not save to \(path): \(error.localizedDescription)")))
        }
    }

    /// Edits the composer's text in `$VISUAL` / `$EDITOR` (default `vi`), with the screen
    /// handed over to it meanwhile.
    private func editExternally(_ text: String) {
        let path = NSTemporaryDirectory() + "muxi-chat-\(getpid())-\(UUID().uuidString.prefix(8)).md"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            events.yield(.app(.notice("could not create \(path)")))
            return
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        var status: Int32 = -1
        terminal.suspend {
            status = Self.runShell(editor + " \"$1\"", argument: path)
        }
        dirty = true
        guard status == 0, let edited = try? String(contentsOfFile: path, encoding: .utf8) else {
            events.yield(.app(.notice("\(editor) exited with \(status): the message is unchanged")))
            return
        }
        events.yield(.app(.edited(edited.hasSuffix("\n") ? String(edited.dropLast()) : edited)))
    }

    /// Runs `/bin/sh -c command sh argument` on this terminal and waits; its exit status.
    private static func runShell(_ command: String, argument: String) -> Int32 {
        let words: [String] = ["/bin/sh", "-c", command, "sh", argument]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// A JSON object as "key: value" lines, nested keys dotted; for the memory configuration.
    nonisolated static func summary(_ value: JSONValue, prefix: String = "") -> [String] {
        switch value {
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { summary($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
        default:
            return [prefix + ": " + JSONWriter.string(value)]
        }
    }

    private func checkHealth() {
        let client = services.client
        let events = self.events
        Task {
            do {
                let h = try await client.health()
                events.yield(.app(.healthy(h.isHealthy, h.isHealthy ? "connected" : h.status)))
            } catch let error as MuxiError {
                events.yield(.app(.healthy(false, "offline: \(error.message)")))
            } catch {}
        }
    }

    /// Ticks the clock: ten times a second while a turn runs (its elapsed time shows), once a
    /// second otherwise, so an idle app costs next to nothing.
    private func startTicker() {
        let events = self.events
        Task { @MainActor [weak self] in
            while !Task.isCancelled, let self {
                try? await Task.sleep(for: self.state.inFlight == nil ? .seconds(1) : .milliseconds(100))
                events.yield(.app(.tick(Date())))
            }
        }
    }

    /// A thread that only waits for stdin or the wake pipe and says so; it never touches the
    /// terminal itself (ncurses is not thread-safe).
    private func startWatcher() {
        let events = self.events
        let wake = terminal.wakeFD
        let input = terminal.inputFD
        let drained = self.drained
        let stopped = self.stopped
        let thread = Thread {
            var fds = [pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            while !stopped.isSet {
                fds[0].revents = 0
                fds[1].revents = 0
                guard poll(&fds, 2, 200) > 0 else { continue }
                if (fds[0].revents | fds[1].revents) & Int16(POLLNVAL) != 0 { return }
                if fds[1].revents != 0 {
                    events.yield(.wake)
                    drained.wait()
                }
                if fds[0].revents & Int16(POLLIN | POLLHUP) != 0 {
                    events.yield(.input)
                    drained.wait()
                    if fds[0].revents & Int16(POLLHUP) != 0 && fds[0].revents & Int16(POLLIN) == 0 {
                        events.yield(.app(.key(.ctrl("d"))))  // the terminal went away: quit
                        return
                    }
                }
            }
        }
        thread.start()
    }
}

/// Tells the input watcher thread to end.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
