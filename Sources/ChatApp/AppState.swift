public import Foundation
public import TerminalUI

/// A pane of the screen.
public enum Pane: Int, Sendable, CaseIterable {
    case sessions, transcript, memories, composer
}

/// One entry of the transcript.
public struct Entry: Sendable, Equatable {
    /// A link the agent offers (an `action_link` widget).
    public struct Link: Sendable, Equatable {
        public var label: String
        public var url: String
        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }
    }

    public enum Role: Sendable, Equatable { case user, assistant, error, info }
    public enum Status: Sendable, Equatable { case streaming, done, cancelled, failed }

    public var role: Role
    public var text: String
    public var status: Status = .done
    /// The live progress line of a turn in flight (thinking, planning, tools).
    public var progress: String?
    public var turn: Int?
    public var links: [Link] = []

    public init(role: Role, text: String, status: Status = .done, progress: String? = nil, turn: Int? = nil) {
        self.role = role
        self.text = text
        self.status = status
        self.progress = progress
        self.turn = turn
    }
}

/// What is open over the screen.
public enum Overlay: Sendable, Equatable {
    /// The help, scrolled down by `offset` lines.
    case help(offset: Int)
    /// The command palette and what was typed in it.
    case palette(query: String, selected: Int)
    case jobs(JobsPanel)
    case triggers(TriggersPanel)
}

/// The transcript search: what is searched and the entry of the current match.
public struct TranscriptSearch: Sendable, Equatable {
    public var query = ""
    /// Whether keys go to the query (until Enter).
    public var editing = true
    public var match: Int?
}

/// A session in the session pane.
public struct SessionItem: Sendable, Equatable {
    public var id: String
    public var title: String
    public var lastActive: Date?
    public var onServer: Bool
    /// Messages known for the session (the local copy's count), when known.
    public var messages: Int?
    public init(id: String, title: String, lastActive: Date?, onServer: Bool, messages: Int? = nil) {
        self.id = id
        self.title = title
        self.lastActive = lastActive
        self.onServer = onServer
        self.messages = messages
    }
}

/// A question with choices the agent asked (an `options` widget), answered in the same session.
public struct Picker: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var label: String
        /// The option's value as JSON text (sent back as `ui_response.value`).
        public var value: String
        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    public var widgetID: String
    public var prompt: String
    public var choices: [Choice]
    public var selected = 0

    public init(widgetID: String, prompt: String, choices: [Choice]) {
        self.widgetID = widgetID
        self.prompt = prompt
        self.choices = choices
    }
}

/// The turn being answered.
public struct InFlight: Sendable, Equatable {
    public var turn: Int
    public var requestID: String?
    public var startedAt: Date
    public var stage: String
}

/// Everything the app shows; changed only by ``AppState/apply(_:)``.
public struct AppState: Sendable, Equatable {
    public var formation: String
    public var user: String
    public var width = 80
    public var height = 24
    public var now = Date(timeIntervalSince1970: 0)
    public var focus: Pane = .composer
    public var showSessions = true
    public var showMemories = true

    public var sessions: [SessionItem] = []
    public var selected = 0
    public var sessionID: String?

    public var transcript: [Entry] = []
    /// Lines scrolled up from the bottom (0: following the newest text).
    public var scroll = 0
    public var newBelow = false

    public var composer = Composer()
    public var history: [String] = []
    public var historyIndex: Int?

    /// The memory inspector (the right pane).
    public var memory = MemoryPane()
    /// Whether the memories were asked for (after the first list of sessions).
    public var memoriesRequested = false
    /// The panel or overlay over the screen, if one is open (help, palette, jobs, triggers).
    public var overlay: Overlay?
    /// The app-wide keys (changed by the config file's `[keys]`).
    public var keymap = Keymap.standard
    /// The transcript search (Ctrl+F), while open.
    public var search: TranscriptSearch?
    /// The transcript entry that copying acts on (nil: the last answer); `[` and `]` move it.
    public var target: Int?
    /// The code block of the target that copying a code block takes next.
    public var nextCodeBlock = 0
    /// Entry the transcript should scroll to at the next frame.
    public var jumpTo: Int?
    /// A one-line notice in the status line ("copied …"), until the next key.
    public var notice: String?

    public var connection = "connecting…"
    public var connected = false
    public var inFlight: InFlight?
    public var nextTurn = 1
    public var quitting = false
    /// The open clarification picker, if any.
    public var picker: Picker?
    /// The session filter being typed (`/` in the sessions pane), and the ids that match it.
    public var filter: String?
    public var filterMatches: [String]?
    /// Whether keys go to the filter (after `/`, until Enter or Esc).
    public var editingFilter = false
    /// The session waiting for a y/n before it is removed from the local list.
    public var confirmRemove: String?
    /// A session shown from the local cache that can be put back on the server (Ctrl+R).
    public var restorable: String?

    public init(formation: String, user: String, sessionID: String? = nil) {
        self.formation = formation
        self.user = user
        self.sessionID = sessionID
    }
}

/// What happens to the app: keys, the terminal, the network, the clock.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick(Date)
    case turnStarted(turn: Int, requestID: String, sessionID: String)
    case progress(turn: Int, text: String)
    case delta(turn: Int, text: String)
    case completed(turn: Int, text: String, failed: Bool)
    /// Choices to offer (an `options` widget) after a turn.
    case choices(turn: Int, Picker)
    /// A link the agent offers.
    case link(turn: Int, Entry.Link)
    case turnFailed(turn: Int, message: String)
    case sessionsLoaded([SessionItem])
    case messagesLoaded(sessionID: String, [Entry])
    /// The server has no messages for the session, but the local cache has.
    case cacheShown(sessionID: String, [Entry])
    case searchResults(query: String, ids: [String])
    case restored(sessionID: String, count: Int)
    case memoriesLoaded([MemoryItem])
    /// A memory action worked (a line to show); the list is reloaded.
    case memoryDone(String)
    /// A memory was deleted: it can be put back for a few seconds (`u`).
    case memoryDeleted(MemoryItem)
    /// The user's buffer memory: messages and size.
    case bufferLoaded(messages: Int, kilobytes: Double)
    /// The formation's memory configuration (admin key), as lines to show.
    case memoryConfigLoaded([String])
    case loadFailed(what: String, message: String)
    case healthy(Bool, String)
    /// A one-line notice for the status line (copied, saved, an editor that failed).
    case notice(String)
    /// The composer's text came back from `$EDITOR`.
    case edited(String)
    case jobsLoaded([JobItem])
    /// A job action worked; the list is reloaded.
    case jobDone(String)
    case triggersLoaded([String])
    case triggerLoaded(TriggersPanel.Detail)
    /// A trigger answered (or, async, was accepted): the text is added to the transcript.
    case triggerFired(name: String, text: String)
    case agentsLoaded([String])
    /// Where the transcript's window really is, in lines up from the bottom, after a frame
    /// clamped the requested scroll to the text or kept the text still as lines arrived below.
    case scrolled(to: Int)
}

/// The answer to a picker: the widget id and the chosen value (JSON text).
public struct UIAnswer: Sendable, Equatable {
    public var widgetID: String
    public var value: String
    public init(widgetID: String, value: String) {
        self.widgetID = widgetID
        self.value = value
    }
}

/// What the app asks the outside world to do.
public enum Effect: Sendable, Equatable {
    /// Send a message; `answering` is the picker it answers (its widget id and the value JSON).
    case send(turn: Int, text: String, sessionID: String?, answering: UIAnswer? = nil)
    case cancel(turn: Int, requestID: String?)
    case loadSessions
    case loadMessages(sessionID: String)
    /// Reload the memories.
    case loadMemories
    /// A turn ended: reload the memories now and again a moment later (the runtime learns in
    /// the background after a turn).
    case loadMemoriesAfterTurn
    /// Save a memory; when `replacing` is set, delete that one once the new one is saved (an
    /// edit: the runtime has no update, and an edit must never lose the memory).
    case addMemory(type: String, detail: String, replacing: String?)
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
    case loadAgents
    case saveHistory(String)
    case search(String)
    case removeSession(String)
    case restore(sessionID: String)
    case quit
}
