/// Something that waits for a deliberate y before it is done, naming what it acts on.
///
/// ```swift
/// let ask = Confirmation(.deleteJob(job))
/// ask.question      // "delete the job “Say good morning”? y/n"
/// ask.answer(.character("y"))   // .yes
/// ```
public struct Confirmation: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case removeSession(SessionItem)
        case deleteMemory(MemoryItem)
        /// The buffer memory of a session, or of the user (nil).
        case clearBuffer(sessionID: String?)
        case deleteJob(JobItem)
        /// A pasted path names this file: attach it (the pasted text leaves the message).
        case attachPasted(AttachedFile, pasted: String)
    }

    public enum Answer: Sendable, Equatable {
        case yes, no
        /// Neither: the question stays.
        case undecided
    }

    public var action: Action
    /// The panel to show again once answered (the jobs panel for a job's delete).
    public var returnTo: Modal?

    public init(_ action: Action, returnTo: Modal? = nil) {
        self.action = action
        self.returnTo = returnTo
    }

    /// `y` confirms; `n`, Esc and Ctrl+C decline; anything else leaves the question open, so a
    /// stray key never decides.
    public func answer(_ key: Key) -> Answer {
        switch key {
        case .character("y"), .character("Y"): return .yes
        case .character("n"), .character("N"), .escape, .ctrl("c"): return .no
        default: return .undecided
        }
    }

    /// The question, naming the thing by its title.
    public var question: String {
        switch action {
        case .removeSession(let item):
            let name = item.title.isEmpty ? item.id : "“" + DisplayWidth.truncate(item.title, to: 40) + "”"
            return "remove \(name) from this list?" + (item.onServer ? " (the server keeps it)" : " (its local copy is kept, hidden)") + " y/n"
        case .deleteMemory(let item): return "delete the memory “" + DisplayWidth.truncate(item.detail, to: 40) + "”? y/n"
        case .clearBuffer(let session): return "clear the buffer memory of " + (session == nil ? "this user" : "this session") + "? y/n"
        case .deleteJob(let job): return "delete the job “" + DisplayWidth.truncate(job.title, to: 40) + "”? y/n"
        case .attachPasted(let file, _):
            return "attach the pasted file " + DisplayWidth.truncate(file.label, to: 60) + "? y attaches it, n keeps the path as text"
        }
    }

    /// What the question does: "remove", "delete", "clear".
    public var verb: String {
        switch action {
        case .removeSession: return "remove"
        case .deleteMemory, .deleteJob: return "delete"
        case .clearBuffer: return "clear"
        case .attachPasted: return "attach"
        }
    }

    /// What is said when the answer is no.
    public var declined: String { "not \(verb)\(verb.hasSuffix("e") ? "d" : "ed")" }

    /// What is said when another key is pressed: the question stays.
    public var reminder: String { "press y to \(verb) it, n to keep it" }
}

public import TerminalUI
