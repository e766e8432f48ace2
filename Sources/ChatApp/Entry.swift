public import Foundation
public import LocalStore

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
    public enum Status: String, Sendable, Equatable { case streaming, done, cancelled, failed }

    public var role: Role
    public var text: String
    public var status: Status = .done
    /// The live progress line of a turn in flight (thinking, planning, tools).
    public var progress: String?
    public var turn: Int?
    public var links: [Link] = []
    /// The files sent with a message (a user's entry).
    public var attachments: [AttachedFile] = []
    /// The files the agent made (an answer).
    public var artifacts: [ProducedFile] = []
    /// The files the runtime said it made during the turn, by name: shown at once (a real
    /// model may write its answer for a while after), until the answer lists them.
    public var madeSoFar: [String] = []

    public init(role: Role, text: String, status: Status = .done, progress: String? = nil, turn: Int? = nil) {
        self.role = role
        self.text = text
        self.status = status
        self.progress = progress
        self.turn = turn
    }
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
    public var selection = ListSelection()

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
    /// What was sent: given back to the message box if the turn fails before any answer.
    public var text: String
    /// The files sent with it (given back with the text).
    public var files: [AttachedFile] = []
    /// Whether the server has answered anything yet (a progress line or text).
    public var answered = false
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

extension Entry {
    /// A message of the local copy, with the files listed under it.
    public init(cached message: CachedMessage) {
        self.init(role: message.role == .user ? .user : .assistant, text: message.text, status: Entry.Status(rawValue: message.status) ?? .done)
        if message.role == .user {
            attachments = message.files.map { AttachedFile(path: $0.path ?? $0.name, name: $0.name, size: $0.size ?? 0, contentType: $0.type) }
        } else {
            artifacts = message.files.map { ProducedFile(name: $0.name, kind: $0.type, size: $0.size, savedAt: $0.path) }
        }
    }
}
