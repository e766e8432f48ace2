import Foundation
public import LocalStore
public import MuxiClient
public import TerminalUI
import TerminalImages

/// What the app talks to.
public struct AppServices: Sendable {
    public let client: FormationClient
    public let store: LocalStore?
    /// Where files of the app go (a copy when the terminal has no clipboard).
    public let stateDirectory: String
    /// How often an async trigger's request is asked after (60 times at most).
    public let followInterval: Duration
    /// Where the files a session's answers made are saved.
    public let artifactsFolder: @Sendable (_ sessionID: String?) -> String
    public init(client: FormationClient, store: LocalStore?, stateDirectory: String? = nil, followInterval: Duration = .seconds(2),
                artifactsFolder: @escaping @Sendable (String?) -> String = { LocalStore.artifactsFolder(session: $0) }) {
        self.client = client
        self.store = store
        self.stateDirectory = stateDirectory ?? NSTemporaryDirectory()
        self.followInterval = followInterval
        self.artifactsFolder = artifactsFolder
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
        case terminal(TerminalEvent)
        /// The frame held back by the redraw limit is due.
        case redraw
    }

    private var state: AppState
    private let terminal: any TerminalDevice
    private let services: AppServices
    private let stream: AsyncStream<Loop>
    private let events: AsyncStream<Loop>.Continuation
    /// Every task the runner started that may still run, so that quitting ends them all.
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTask = 0
    /// Images encoded so far (each gets an id, for kitty to delete it by).
    private var pictures = 0
    /// The task of each turn in flight (also in `tasks`).
    private var turns: [Int: Int] = [:]
    /// The task of the session filter's latest search.
    private var search: Int?
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var dirty = true
    private var redrawScheduled = false
    private let view = TranscriptView()

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
        if services.client.configuration.clientKey?.isEmpty ?? true { _ = state.apply(.connection(.noKey)) }
        let input = terminal.events()
        let events = self.events
        spawn { @MainActor in
            for await event in input { events.yield(.terminal(event)) }
        }
        startTicker()
        let store = services.store
        spawnEvents {
            var problems: [AppEvent] = []
            let history = Self.local(&problems, []) { try store?.history() }
            return problems + [.historyLoaded(history)]
        }
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
            case .terminal(.keys(let keys)):
                for key in keys where dispatch(.key(key)) { break loop }
                draw()   // what the user typed is drawn at once, never held back by the frame limit
            case .terminal(.resized(let width, let height)):
                if dispatch(.resize(width: width, height: height)) { break loop }
                draw()   // a new size is drawn whole at once, never held back
            case .terminal(.signal(let signal)):
                exitCode = 128 + signal
                break loop
            case .terminal(.stop):
                perform([.suspend])   // as Ctrl+Z
            case .terminal(.hangUp):
                break loop
            case .app(let event):
                if dispatch(event) { break loop }
            case .redraw:
                redrawScheduled = false
            }
            if dirty { drawOrSchedule() }
        }
        tasks.values.forEach { $0.cancel() }
        tasks = [:]
        do {
            try store?.setOpenSession(formation: services.formation, user: services.user, id: state.sessionID)
        } catch {}   // quitting: nowhere left to say it; the next start opens the last session used
        terminal.restore()
        return exitCode
    }

    /// Applies one event; true when the app must quit. A tick redraws only when something shown
    /// depends on the time (a turn's elapsed seconds, a notice that ended): an idle app does
    /// no work.
    private func dispatch(_ event: AppEvent) -> Bool {
        if case .tick = event {
            let before = state.timeShown
            let effects = state.apply(event)
            if state.inFlight != nil || state.timeShown != before { dirty = true }
            perform(effects)
            return false
        }
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
            spawn { @MainActor in
                try? await Task.sleep(until: due)
                events.yield(.redraw)
            }
        }
    }

    private func draw() {
        terminal.present(ChatLayout.render(state, view: view))
        if view.scroll != state.transcript.scroll || state.transcript.jumpTo != nil { _ = state.apply(.scrolled(to: view.scroll)) }
        lastDraw = .now
        dirty = false
    }

    /// Starts a task the runner keeps track of until it ends (or the app quits); its id.
    @discardableResult
    private func spawn(_ work: @escaping @Sendable () async -> Void) -> Int {
        let id = nextTask
        nextTask += 1
        tasks[id] = Task { [weak self] in
            await work()
            await self?.finished(id)
        }
        return id
    }

    private func finished(_ id: Int) { tasks[id] = nil }

    /// Runs `work` off the main actor (the network, the store) and hands its event to the loop.
    private func spawnEvent(_ work: @escaping @Sendable () async -> AppEvent?) {
        spawnEvents { await work().map { [$0] } ?? [] }
    }

    /// Runs `work` off the main actor and hands its events to the loop, in order; the task's id.
    @discardableResult
    private func spawnEvents(_ work: @escaping @Sendable () async -> [AppEvent]) -> Int {
        let events = self.events
        return spawn {
            for event in await work() { events.yield(.app(event)) }
        }
    }

    /// Runs one request off the main actor; a failure becomes one line where `subject` is shown.
    private func act(_ subject: Subject, _ action: @escaping @Sendable (FormationClient) async throws -> AppEvent) {
        let client = services.client
        spawnEvent {
            do {
                return try await action(client)
            } catch is CancellationError {
                return nil
            } catch let error as MuxiError {
                return .failed(subject, message: ErrorText.line(for: error))
            } catch {
                return .failed(subject, message: "\(error)")
            }
        }
    }

    /// Writes to the local store off the main actor; a failure is one notice.
    private func write(_ body: @escaping @Sendable (LocalStore) throws -> Void) {
        guard let store = services.store else { return }
        spawnEvent {
            do {
                try body(store)
                return nil
            } catch {
                return .notice(Notice("local store: \(error)", .warning, until: .at(Date().addingTimeInterval(8))))
            }
        }
    }

    private func perform(_ effects: [Effect]) {
        let formation = services.formation, user = services.user
        for effect in effects {
            switch effect {
            case .send(let turn, let text, let sessionID, let answering, let files):
                send(turn: turn, text: text, sessionID: sessionID, answering: answering, files: files)
            case .offerAttachment(let path, let pasted):
                spawnEvent {
                    guard let file = try? Self.attachable(path) else { return nil }   // not a file: it was text
                    return .attachOffer(file, pasted: pasted)
                }
            case .completePath(let prefix):
                spawnEvent { .pathChoices(prefix: prefix, Self.paths(startingWith: prefix)) }
            case .readArtifact(let path):
                spawnEvent {
                    guard let handle = FileHandle(forReadingAtPath: path) else {
                        return .artifactRead(path: path, .unreadable("\(path) cannot be read (moved or deleted?)"))
                    }
                    defer { try? handle.close() }
                    let total = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
                    let data = (try? handle.read(upToCount: ArtifactContent.limit)) ?? nil
                    return .artifactRead(path: path, ArtifactContent.of(data ?? Data(), name: (path as NSString).lastPathComponent, total: total))
                }
            case .drawPicture(let path, let format, let columns, let rows):
                let graphics = terminal.graphics()   // asked of the terminal once, here on the main actor
                pictures += 1
                let id = pictures
                spawnEvent {
                    guard let graphics else {
                        return .pictureReady(path: path, nil, note: "this terminal draws no images (it answered no graphics protocol)")
                    }
                    let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
                    guard let picture = ImageEncoder.encode(bytes, format: format, for: graphics, columns: columns, rows: rows, id: id) else {
                        return .pictureReady(path: path, nil, note: "\(graphics.graphicsProtocol.rawValue) does not draw this \(format)")
                    }
                    return .pictureReady(path: path, picture, note: nil)
                }
            case .openFile(let path):
                spawnEvent {
                    let opener = ProcessInfo.processInfo.environment["MUXI_CHAT_OPEN"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
                    // the path is an argument ($1), never shell text; nothing the opener prints reaches the screen
                    let status = Self.runShell(opener + " \"$1\" </dev/null >/dev/null 2>&1", argument: path)
                    let name = (path as NSString).lastPathComponent
                    if status == 0 { return .artifactNote(Notice("opened \(name) with \(opener)")) }
                    return .artifactNote(Notice("\(opener) could not open \(name) (exit \(status)): set MUXI_CHAT_OPEN to a program that opens files; the file is \(path)",
                                                .warning, until: .at(Date().addingTimeInterval(10))))
                }
            case .copyFile(let path):
                spawnEvent {
                    let folder = FileManager.default.currentDirectoryPath
                    do {
                        let name = (path as NSString).lastPathComponent   // made safe by ArtifactFiles.save
                        guard let data = FileManager.default.contents(atPath: path) else {
                            return .artifactNote(Notice("\(path) cannot be read (moved or deleted?)", .warning))
                        }
                        let copy = try ArtifactFiles.save(data, in: folder, name: name)
                        return .artifactNote(Notice("saved a copy: \(copy)"))
                    } catch {
                        return .artifactNote(Notice("not saved: \((error as? MuxiError)?.message ?? "\(error)")", .warning))
                    }
                }
            case .inspectAttachment(let path):
                spawnEvent {
                    do {
                        return .attached(try Self.attachable(path))
                    } catch {
                        return .notice(Notice("not attached: \((error as? MuxiError)?.message ?? "\(error)")", .warning, until: .at(Date().addingTimeInterval(8))))
                    }
                }
            case .cancel(let turn, let requestID):
                if let id = turns.removeValue(forKey: turn) { tasks[id]?.cancel() }
                if let requestID {
                    let client = services.client
                    spawn { _ = try? await client.cancel(requestID: requestID) }
                }
            case .keepAnswer(_, let sessionID, let text, let status, let files):
                let key = StoredSession.Key(formation: formation, user: user, id: sessionID)
                let kept = files.map { CachedFile(name: $0.name, type: $0.kind, size: $0.size, path: $0.savedAt) }
                write { try $0.cacheMessage(key, role: .assistant, text: text, status: status.rawValue, files: kept) }
            case .loadSessions: loadSessions()
            case .loadMessages(let id): loadMessages(id)
            case .loadMemories(let count): loadMemories(upTo: count)
            case .loadMemoriesAfterTurn(let count):
                loadMemories(upTo: count)
                loadMemories(upTo: count, after: .seconds(3))
            case .loadMoreMemories(let offset): loadMoreMemories(offset: offset)
            case .addMemory(let type, let detail, let replacing): addMemory(type: type, detail: detail, replacing: replacing)
            case .restoreMemory(let item):
                act(.memoryAction) { client in
                    _ = try await client.addMemory(type: item.type, detail: item.detail)
                    return .memoryRestored
                }
            case .deleteMemory(let item):
                act(.memoryAction) { client in
                    try await client.deleteMemory(item.id)
                    return .memoryDeleted(item)
                }
            case .loadBuffer:
                act(.memoryAction) { client in
                    let status = try await client.userBuffer()
                    return .bufferLoaded(messages: status.totalMessages, kilobytes: status.sizeKB)
                }
            case .clearBuffer(let sessionID):
                act(.memoryAction) { client in
                    let result = if let sessionID { try await client.clearSessionBuffer(sessionID) } else { try await client.clearUserBuffer() }
                    return .bufferCleared(messages: result.messagesCleared)
                }
            case .loadMemoryConfig:
                act(.memoryAction) { client in .memoryConfigLoaded(MemoryConfigText.lines(try await client.memoryConfig())) }
            case .copy(let text): copy(text)
            case .editExternally(let text): editExternally(text)
            case .loadJobs:
                act(.jobs) { client in
                    .jobsLoaded(try await client.schedulerJobs().map {
                        JobItem(id: $0.id, title: $0.title ?? $0.prompt, schedule: $0.schedule, recurring: $0.isRecurring, status: $0.status.rawValue,
                                lastRun: $0.lastRunAt, lastResult: $0.lastRunFailure ?? $0.lastRunStatus?.rawValue)
                    })
                }
            case .createJob(let recurring, let schedule, let message):
                act(.jobs) { client in
                    _ = try await client.createSchedulerJob(type: recurring ? .recurring : .oneTime, schedule: schedule, message: message)
                    return .jobDone("created")
                }
            case .pauseJob(let id, let resume):
                act(.jobs) { client in
                    _ = try await resume ? client.resumeSchedulerJob(id) : client.pauseSchedulerJob(id)
                    return .jobDone(resume ? "resumed" : "paused")
                }
            case .deleteJob(let id):
                act(.jobs) { client in
                    try await client.deleteSchedulerJob(id)
                    return .jobDone("deleted")
                }
            case .loadTriggers:
                act(.triggers) { client in .triggersLoaded(try await client.triggers()) }
            case .loadTrigger(let name):
                act(.triggers) { client in
                    let t = try await client.trigger(name)
                    return .triggerLoaded(TriggersPanel.Detail(name: t.name, template: t.content, fields: t.dataFields))
                }
            case .fireTrigger(let name, let data, let async):
                let session = state.sessionID
                act(.triggers) { client in
                    let result = try await client.fireTrigger(name, data: try JSONValue(parsing: data), async: async, sessionID: session)
                    if async { return .triggerAccepted(name: name, requestID: result.requestID) }
                    return .triggerAnswered(name: name, text: result.content ?? result.status.rawValue)
                }
            case .followTrigger(let name, let requestID): followTrigger(name, requestID)
            case .loadAgents:
                act(.agents) { client in
                    .agentsLoaded(try await client.agents().map { "• " + $0.id + ($0.description.map { ": " + $0 } ?? "") })
                }
            case .saveHistory(let text): write { try $0.addHistory(text) }
            case .search(let query):
                guard let store = services.store else { break }
                // a newer keystroke supersedes this one: its search is called off if it has not
                // started (keys typed in a burst make one query), and the state keeps only the
                // results of the current query
                if let previous = search { tasks[previous]?.cancel() }
                search = spawnEvents {
                    do { try await Task.sleep(for: .milliseconds(40)) } catch { return [] }
                    var problems: [AppEvent] = []
                    let found = Self.local(&problems, []) { try store.findSessions(formation: formation, user: user, query: query) }
                    return problems + [.searchResults(query: query, found: found.map {
                        SessionItem(id: $0.key.id, title: $0.title, lastActive: $0.lastActive, onServer: false, messages: $0.messages)
                    })]
                }
            case .removeSession(let id):
                write { try $0.removeSession(StoredSession.Key(formation: formation, user: user, id: id)) }
            case .restore(let id): restore(id)
            case .suspend:
                terminal.suspend { JobControl.stopUntilContinued() }   // until `fg`; then the screen is drawn again
                dirty = true
            case .quit: break
            }
        }
    }

    /// The files and folders whose path starts with `prefix` (relative to the folder the app
    /// started in; `~` is the home folder), folders ending with `/`, sorted; hidden ones only
    /// when the prefix names them; at most 200.
    nonisolated static func paths(startingWith prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let folder = slash.map { String(prefix[...$0]) } ?? ""
        let start = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let expanded = folder.isEmpty ? "." : (folder as NSString).expandingTildeInPath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: expanded) else { return [] }
        return names.filter { $0.hasPrefix(start) && (start.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().prefix(200).map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (expanded as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return folder + name + (isFolder.boolValue ? "/" : "")
        }
    }

    /// The file at `path` (relative to the folder the app started in; `~` is home) as it would
    /// be attached, checked as a send checks it (off the main actor: it reads the file's start).
    nonisolated static func attachable(_ path: String) throws(MuxiError) -> AttachedFile {
        let full = path.hasPrefix("/") || path.hasPrefix("~") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let info = try Attachment.check(path: full)
        return AttachedFile(path: (full as NSString).expandingTildeInPath, name: info.filename, size: info.size, contentType: info.contentType)
    }

    /// Saves an artifact that carries its bytes into `folder` (off the main actor).
    nonisolated static func save(_ artifact: Artifact, in folder: String) -> ProducedFile {
        let name = artifact.filename ?? artifact.id ?? "artifact"
        let kind = artifact.contentType ?? artifact.format ?? artifact.type
        guard artifact.inlineBytes != nil else { return ProducedFile(name: name, kind: kind, size: artifact.sizeBytes, savedAt: nil) }
        do {
            return ProducedFile(name: name, kind: kind, size: artifact.inlineBytes?.count, savedAt: try artifact.save(in: folder))
        } catch {
            return ProducedFile(name: name, kind: kind, size: artifact.sizeBytes, savedAt: nil, problem: error.message)
        }
    }

    private func send(turn: Int, text: String, sessionID: String?, answering: UIAnswer?, files: [AttachedFile]) {
        let services = self.services
        let events = self.events
        var request = ChatRequest(text, sessionID: sessionID)
        if let answering {
            request.uiResponse = UIResponse(id: answering.widgetID, value: (try? JSONValue(parsing: answering.value)) ?? .string(answering.value))
        }
        turns[turn] = spawn { [request] in
            var request = request
            do {   // read now, and checked again: the file may have changed since it was attached
                request.files = try files.map { file throws(MuxiError) in try Attachment(path: file.path) }
            } catch {
                events.yield(.app(.turnFailed(turn: turn, message: "not sent: " + ((error as? MuxiError)?.message ?? "\(error)"))))
                return
            }
            let stream = services.client.chatStream(request)
            events.yield(.app(.turnStarted(turn: turn, requestID: stream.requestID, sessionID: stream.sessionID)))
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: stream.sessionID)
            var kept = false
            /// The session and the question are kept once the server answers anything: a turn it
            /// never took leaves no session behind.
            func keep() {
                guard !kept else { return }
                kept = true
                do {
                    try services.store?.recordSession(key, title: text)
                    try services.store?.cacheMessage(key, role: .user, text: text,
                                                     files: files.map { CachedFile(name: $0.name, type: $0.contentType, size: $0.size) })
                } catch {
                    events.yield(.app(.notice(Notice("local store: \(error)", .warning, until: .at(Date().addingTimeInterval(8))))))
                }
            }
            do {
                for try await event in stream {
                    keep()
                    switch event {
                    case .progress(let t):
                        events.yield(.app(.progress(turn: turn, text: t.text)))
                        if t.stage == "artifact_created" {
                            events.yield(.app(.fileMade(turn: turn, name: t.metadata["filename"]?.stringValue ?? t.text)))
                        }
                    case .delta(let t): events.yield(.app(.delta(turn: turn, text: t.text)))
                    case .completed(let c):
                        let folder = services.artifactsFolder(c.sessionID.isEmpty ? stream.sessionID : c.sessionID)
                        events.yield(.app(.completed(turn: turn, text: c.text, failed: c.isError, artifacts: c.artifacts.map { Self.save($0, in: folder) })))
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
                if let connection = ErrorText.connection(after: error) { events.yield(.app(.connection(connection))) }
                events.yield(.app(.turnFailed(turn: turn, message: ErrorText.line(for: error))))
            } catch {
                events.yield(.app(.turnFailed(turn: turn, message: "\(error)")))
            }
        }
    }

    /// Asks after an async trigger's request (every 2 s, 60 times): its answer, its
    /// failure, or that it still runs (the runtime, 1.20260928.0, registers the request a moment
    /// after accepting it, so a first "not found" is asked again).
    private func followTrigger(_ name: String, _ requestID: String) {
        let client = services.client, interval = services.followInterval
        spawnEvent {
            var status = "processing"
            for _ in 0..<60 {
                do { try await Task.sleep(for: interval) } catch { return nil }
                do {
                    let info = try await client.requestStatus(requestID)
                    status = info.status.rawValue
                    switch info.status {
                    case .completed: return .triggerAnswered(name: name, text: info.resultText ?? "(completed, with no text)")
                    case .failed, .cancelled:
                        return .failed(.triggers, message: "trigger \(name) \(info.status.rawValue): \(info.error ?? "no reason given")")
                    default: continue
                    }
                } catch let error as MuxiError where error.kind == .notFound {
                    continue
                } catch is CancellationError {
                    return nil
                } catch let error as MuxiError {
                    return .failed(.triggers, message: "trigger \(name): " + ErrorText.line(for: error))
                } catch {
                    return nil
                }
            }
            return .triggerUnfinished(name: name, requestID: requestID, status: status)
        }
    }

    /// Reads the local store; a failure becomes one notice among `problems` and the read
    /// gives `fallback` (the app goes on without the local copy).
    nonisolated static func local<T>(_ problems: inout [AppEvent], _ fallback: T, _ body: () throws -> T?) -> T {
        do {
            return try body() ?? fallback
        } catch {
            if problems.isEmpty { problems.append(.notice(Notice("local store: \(error)", .warning, until: .at(Date().addingTimeInterval(8))))) }
            return fallback
        }
    }

    private func loadSessions() {
        let services = self.services
        spawnEvents {
            let formation = services.formation, user = services.user
            var problems: [AppEvent] = []
            let local = Self.local(&problems, []) { try services.store?.sessions(formation: formation, user: user) }
            let counts = Self.local(&problems, [:]) { try services.store?.messageCounts(formation: formation, user: user) }
            let hidden = Self.local(&problems, []) { try services.store?.hiddenSessions(formation: formation, user: user) }
            var server: [(id: String, lastActive: Date?, messages: Int?)] = []
            var problem: MuxiError?
            do {
                server = try await services.client.sessions().map { ($0.id, $0.lastActivity, $0.messageCount) }
            } catch let error as MuxiError {
                problem = error
            } catch {
                return []
            }
            let merged = SessionMerge.merge(server: server, local: local, counts: counts, hidden: hidden)
            let items = merged.map { SessionItem(id: $0.id, title: $0.title, lastActive: $0.lastActive, onServer: $0.onServer, messages: $0.messages) }
            guard let problem else { return problems + [.sessionsLoaded(items)] }
            return problems + (ErrorText.connection(after: problem).map { [.connection($0)] } ?? [])
                + [.sessionsLoaded(items), .failed(.sessions, message: ErrorText.line(for: problem))]
        }
    }

    /// The session's messages from the server; when the server has none (it lost its
    /// in-memory sessions), the local copy, which can be restored.
    private func loadMessages(_ id: String) {
        let services = self.services
        spawnEvents {
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: id)
            var problems: [AppEvent] = []
            let cachedMessages = Self.local(&problems, []) { try services.store?.cachedMessages(key) }
            let cached = cachedMessages.map(Entry.init(cached:))
            let server: Result<[Entry], MuxiError>
            do {
                let page = try await services.client.sessionMessages(id, limit: 200)
                server = .success(page.messages.map { Entry(role: $0.role == .user ? .user : .assistant, text: $0.text) })
            } catch let error as MuxiError {
                server = .failure(error)
            } catch {
                return []   // cancelled
            }
            return problems + TranscriptMerge.events(sessionID: id, server: server, local: cached)
        }
    }

    private func restore(_ id: String) {
        let services = self.services
        act(.restore) { client in
            let key = StoredSession.Key(formation: services.formation, user: services.user, id: id)
            let cached = try services.store?.cachedMessages(key) ?? []   // a store failure fails the restore, with its line
            let messages = cached.filter { !$0.text.isEmpty }.map { SessionMessage(role: $0.role == .user ? .user : .assistant, text: $0.text, timestamp: $0.at) }
            let result = try await client.restoreSession(id, messages: messages)
            return .restored(sessionID: id, count: result.messagesLoaded)
        }
    }

    /// The memories from the start, at least `count` of them (whole pages).
    private func loadMemories(upTo count: Int, after delay: Duration? = nil) {
        act(.memories) { client in
            if let delay { try await Task.sleep(for: delay) }
            var items: [MemoryItem] = []
            var more = true
            while more, items.count < count {
                let page = try await client.memories(limit: MemoryPane.pageSize, offset: items.count)
                items += page.memories.map(Self.item)
                more = page.hasMore && !page.memories.isEmpty
            }
            return .memoriesLoaded(items, hasMore: more)
        }
    }

    /// The page of memories after the `offset` loaded.
    private func loadMoreMemories(offset: Int) {
        act(.memories) { client in
            let page = try await client.memories(limit: MemoryPane.pageSize, offset: offset)
            return .memoriesPage(page.memories.map(Self.item), offset: offset, hasMore: page.hasMore && !page.memories.isEmpty)
        }
    }

    nonisolated static func item(_ m: Memory) -> MemoryItem {
        MemoryItem(id: m.id, type: m.type ?? "memory", detail: m.detail, scope: m.scope ?? "user", created: m.createdAt)
    }

    /// Saves a memory; an edit deletes the old one only once the new one is saved, so that an
    /// edit can never lose a memory.
    private func addMemory(type: String, detail: String, replacing: String?) {
        act(.memoryAction) { client in
            _ = try await client.addMemory(type: type, detail: detail)
            guard let replacing else { return .memoryDone("saved") }
            do {
                try await client.deleteMemory(replacing)
            } catch let error as MuxiError {
                return .failed(.memoryAction, message: "saved the new text, but the old memory stays: " + ErrorText.line(for: error))
            }
            return .memoryDone("edited")
        }
    }

    /// Puts text on the clipboard through the terminal (OSC 52) or, when it cannot, in a file.
    private func copy(_ text: String) {
        let count = text.count
        if terminal.copyToClipboard(text) {
            events.yield(.app(.notice(Notice("copied \(count) character\(count == 1 ? "" : "s") to the clipboard"))))
            return
        }
        let path = services.stateDirectory + "/copied.txt"
        do {
            try FileManager.default.createDirectory(atPath: services.stateDirectory, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            events.yield(.app(.notice(Notice("this terminal cannot set the clipboard: saved to \(path)"))))
        } catch {
            events.yield(.app(.notice(Notice("could not save to \(path): \(error.localizedDescription)", .error))))
        }
    }

    /// Edits the composer's text in `$VISUAL` / `$EDITOR` (default `vi`), with the screen
    /// handed over to it meanwhile.
    private func editExternally(_ text: String) {
        let path = NSTemporaryDirectory() + "muxi-chat-\(getpid())-\(UUID().uuidString.prefix(8)).md"
        // a trailing newline, as editors and scripts expect of a text file (taken off again after)
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            events.yield(.app(.notice(Notice("could not create \(path)", .error))))
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
            events.yield(.app(.notice(Notice("\(editor) exited with \(status): the message is unchanged", .warning))))
            return
        }
        events.yield(.app(.edited(edited.hasSuffix("\n") ? String(edited.dropLast()) : edited)))
    }

    /// Runs `/bin/sh -c command sh argument` on this terminal and waits; its exit status.
    nonisolated private static func runShell(_ command: String, argument: String) -> Int32 {
        let words: [String] = ["/bin/sh", "-c", command, "sh", argument]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    private func checkHealth() {
        let client = services.client
        spawnEvent {
            do {
                let h = try await client.health()
                return .connection(h.isHealthy ? .connected : .unhealthy(h.status))
            } catch let error as MuxiError {
                return .connection(ErrorText.connection(after: error) ?? .unreachable(error.message))
            } catch {
                return nil
            }
        }
    }

    /// Ticks the clock: ten times a second while a turn runs (its elapsed time shows), once a
    /// second otherwise, so an idle app costs next to nothing.
    private func startTicker() {
        let events = self.events
        let id = nextTask
        nextTask += 1
        tasks[id] = Task { @MainActor [weak self] in
            while !Task.isCancelled, let self {
                try? await Task.sleep(for: self.state.inFlight == nil ? .seconds(1) : .milliseconds(100))
                events.yield(.app(.tick(Date())))
            }
        }
    }
}
