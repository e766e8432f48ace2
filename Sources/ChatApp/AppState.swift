public import Foundation
public import TerminalUI

/// A pane of the screen.
public enum Pane: Int, Sendable, CaseIterable {
    case sessions, transcript, memories, composer
}

/// Everything the app shows; changed only by ``AppState/apply(_:)``.
///
/// What is shared lives here (the size, the focus, the session on screen, the connection, the
/// turn in flight, the one open ``Modal`` and the status line's ``Notice``); each pane keeps its
/// own state and handles its own keys. A key goes to the open modal first, then to the app-wide
/// keys, then to the focused pane.
///
/// ```swift
/// var state = AppState(formation: "127.0.0.1:8001", user: "alice")
/// _ = state.apply(.key(.character("h")))
/// let effects = state.apply(.key(.enter))   // [.saveHistory("h"), .send(turn: 1, …)]
/// ```
public struct AppState: Sendable, Equatable {
    public var formation: String
    public var user: String
    public var width = 80
    public var height = 24
    public var now = Date(timeIntervalSince1970: 0)
    public var focus: Pane = .composer
    /// Whether the side panes are wanted (F2, F3); one that does not fit the width takes the
    /// transcript's place while it has the focus.
    public var showSessions = true
    public var showMemories = true
    /// The session on screen (nil: a new one, made by the first message).
    public var sessionID: String?
    public var connection: ConnectionState = .unknown
    public var inFlight: InFlight?
    public var nextTurn = 1
    /// What takes the keys over the panes, if anything.
    public var modal: Modal?
    /// The status line's notice.
    public var notice: Notice?
    /// The app-wide keys (changed by the config file's `[keys]`).
    public var keymap = Keymap.standard

    public var sessions = SessionsPane()
    public var transcript = TranscriptPane()
    public var composer = ComposerPane()
    /// The memory inspector (the right pane).
    public var memory = MemoryPane()

    public init(formation: String, user: String, sessionID: String? = nil) {
        self.formation = formation
        self.user = user
        self.sessionID = sessionID
    }

    /// What the screen shows that the clock can change, besides a turn's elapsed time: the
    /// notices (they end at a time) and the open panel's (its line).
    var timeShown: [Notice?] {
        var notes = [notice, memory.note]
        switch modal {
        case .jobs(let panel), .jobForm(_, let panel): notes.append(panel.note)
        case .confirm(let ask): if case .jobs(let panel) = ask.returnTo { notes.append(panel.note) }
        default: break
        }
        return notes
    }

    /// The panes on screen in this state, in Tab order: a side pane that does not fit beside
    /// the transcript is reachable and takes the transcript's place while it has the focus.
    public var tabOrder: [Pane] {
        var order: [Pane] = []
        if showSessions { order.append(.sessions) }
        order.append(.transcript)
        if showMemories { order.append(.memories) }
        order.append(.composer)
        return order
    }
}

/// What happens to the app: keys, the terminal, the network, the clock.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    /// The history of sent messages, from the local store.
    case historyLoaded([String])
    case resize(width: Int, height: Int)
    case tick(Date)
    case turnStarted(turn: Int, requestID: String, sessionID: String)
    case progress(turn: Int, text: String)
    /// The runtime reports a file made during the turn (`artifact_created`); its bytes come
    /// with the answer.
    case fileMade(turn: Int, name: String)
    case delta(turn: Int, text: String)
    /// The whole answer; `artifacts` are the files it made (saved already where they carried their bytes).
    case completed(turn: Int, text: String, failed: Bool, artifacts: [ProducedFile] = [])
    /// Choices to offer (an `options` widget) after a turn.
    case choices(turn: Int, Picker)
    /// A link the agent offers.
    case link(turn: Int, Entry.Link)
    /// A file was checked and goes with the message being written.
    case attached(AttachedFile)
    /// A pasted path names an existing file: ask whether to attach it.
    case attachOffer(AttachedFile, pasted: String)
    /// The paths starting with `prefix` (folders end with `/`).
    case pathChoices(prefix: String, [String])
    /// A saved artifact's content, for the viewer.
    case artifactRead(path: String, ArtifactContent)
    /// An image of the viewer, encoded for the terminal's graphics protocol (or why it is not).
    case pictureReady(path: String, ScreenImage?, note: String?)
    /// The line about an artifact action (opened, copied, or why not).
    case artifactNote(Notice)
    /// The turn failed; `answered` tells whether the server had answered anything.
    case turnFailed(turn: Int, message: String)
    case sessionsLoaded([SessionItem])
    case messagesLoaded(sessionID: String, [Entry])
    /// The server has no messages for the session, but the local copy has.
    case cacheShown(sessionID: String, [Entry])
    /// The sessions the local full-text search found for the filter `query` (also old ones the
    /// list does not hold).
    case searchResults(query: String, found: [SessionItem])
    case restored(sessionID: String, count: Int)
    /// The memories from the start, and whether the server has more after them.
    case memoriesLoaded([MemoryItem], hasMore: Bool = false)
    /// The next page of memories (`offset` is where it starts).
    case memoriesPage([MemoryItem], offset: Int, hasMore: Bool)
    /// A memory action worked (a line to show); the list is reloaded.
    case memoryDone(String)
    /// A memory was deleted: it can be put back for a few seconds (`u`).
    case memoryDeleted(MemoryItem)
    /// A deleted memory was put back.
    case memoryRestored
    /// The user's buffer memory: messages and size.
    case bufferLoaded(messages: Int, kilobytes: Double)
    /// The buffer memory was cleared: how many messages.
    case bufferCleared(messages: Int)
    /// The formation's memory configuration (admin key), as lines to show.
    case memoryConfigLoaded([String])
    /// A request failed: one line where it belongs.
    case failed(Subject, message: String)
    case connection(ConnectionState)
    /// A one-line notice for the status line (copied, saved, an editor that failed).
    case notice(Notice)
    /// The message's text came back from `$EDITOR`.
    case edited(String)
    case jobsLoaded([JobItem])
    /// A job action worked; the list is reloaded.
    case jobDone(String)
    case triggersLoaded([String])
    case triggerLoaded(TriggersPanel.Detail)
    /// A trigger answered.
    case triggerAnswered(name: String, text: String)
    /// An async trigger was accepted: its request id.
    case triggerAccepted(name: String, requestID: String?)
    /// An async trigger's request still was not done when the app stopped asking.
    case triggerUnfinished(name: String, requestID: String, status: String)
    case agentsLoaded([String])
    /// Where the transcript's window really is, in lines up from the bottom, after a frame
    /// clamped the requested scroll to the text or kept the text still as lines arrived below.
    case scrolled(to: Int)
}

/// What a failed request was about: its line goes where that is shown.
public enum Subject: Sendable, Equatable {
    case sessions, messages, memories
    /// Adding, editing, deleting a memory or clearing a buffer.
    case memoryAction
    case jobs, triggers, agents, restore
}

/// What the app asks the outside world to do.
public enum Effect: Sendable, Equatable {
    /// Send a message; `answering` is the picker it answers (its widget id and the value JSON).
    case send(turn: Int, text: String, sessionID: String?, answering: UIAnswer? = nil, files: [AttachedFile] = [])
    /// Check a file to attach (`/attach PATH`); it comes back as `.attached`, or a notice.
    case inspectAttachment(path: String)
    /// A path was pasted: if it names a file, offer to attach it (`.attachOffer`).
    case offerAttachment(path: String, pasted: String)
    /// List the files and folders whose path starts with `prefix` (Tab after `/attach ` or
    /// `@`); they come back as `.pathChoices`.
    case completePath(prefix: String)
    /// Read a saved artifact for the viewer; it comes back as `.artifactRead`.
    case readArtifact(path: String)
    /// Encode an image of the viewer for the terminal's graphics protocol, to cover at most
    /// `columns` × `rows` cells; it comes back as `.pictureReady`.
    case drawPicture(path: String, format: String, columns: Int, rows: Int)
    /// Open a file with the system's opener (`$MUXI_CHAT_OPEN`, else `xdg-open`).
    case openFile(path: String)
    /// Save a copy of a file in the folder the app was started in (never over a file).
    case copyFile(path: String)
    case cancel(turn: Int, requestID: String?)
    /// Keep the answer of a turn in the local copy as the user last saw it (whole, cancelled or
    /// failed), so reopening the session shows it again.
    case keepAnswer(turn: Int, sessionID: String, text: String, status: Entry.Status, files: [ProducedFile] = [])
    case loadSessions
    case loadMessages(sessionID: String)
    /// (Re)load the memories from the start: at least `upTo` of them (the pages already shown).
    case loadMemories(upTo: Int)
    /// The page of memories after the `offset` loaded ones (the list scrolled near its end, or a
    /// filter is set: then page after page, each asked for when the one before came).
    case loadMoreMemories(offset: Int)
    /// A turn ended: reload the memories (at least `upTo`) now and again a moment later (the
    /// runtime learns in the background after a turn).
    case loadMemoriesAfterTurn(upTo: Int)
    /// Save a memory; when `replacing` is set, delete that one once the new one is saved (an
    /// edit: the runtime has no update, and an edit must never lose the memory).
    case addMemory(type: String, detail: String, replacing: String?)
    /// Put a deleted memory back.
    case restoreMemory(MemoryItem)
    case deleteMemory(MemoryItem)
    case loadBuffer
    /// Clear the buffer memory of the session, or of the user when `sessionID` is nil.
    case clearBuffer(sessionID: String?)
    case loadMemoryConfig
    /// Put text on the clipboard (OSC 52), or in a file when the terminal cannot.
    case copy(String)
    /// Edit the text in `$EDITOR`; the result comes back as `.edited`.
    case editExternally(String)
    case loadJobs
    case createJob(recurring: Bool, schedule: String, message: String)
    case pauseJob(id: String, resume: Bool)
    case deleteJob(id: String)
    case loadTriggers
    case loadTrigger(String)
    case fireTrigger(name: String, data: String, async: Bool)
    /// Ask after an async trigger's request until it ends (bounded); its answer comes as
    /// `.triggerAnswered`, a failure as `.failed(.triggers, …)`.
    case followTrigger(name: String, requestID: String)
    case loadAgents
    case saveHistory(String)
    case search(String)
    /// Hide a session from the list for good (the local copy is kept).
    case removeSession(String)
    case restore(sessionID: String)
    /// Ctrl+Z: give the terminal back and stop until `fg`.
    case suspend
    case quit
}
