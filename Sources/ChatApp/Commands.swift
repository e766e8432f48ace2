public import TerminalUI

/// What the app can be asked to do, by a key of the ``Keymap``, a slash command in the
/// composer, or the palette (Ctrl+P). The help overlay and the footer are made from this list
/// and the keymap, so they always tell the truth.
///
/// ```swift
/// AppCommand(slash: "/remember")   // .remember
/// AppCommand.remember.argument     // "TEXT"
/// ```
public enum AppCommand: String, Sendable, CaseIterable {
    case help, palette, search, copy
    case copyCode = "copy-code"
    case editor
    case newSession = "new"
    case attach, artifacts
    case sessions, memory, remember, jobs, triggers, trigger, agents
    case clearBuffer = "clear-buffer"
    case toggleSessions = "toggle-sessions"
    case toggleMemories = "toggle-memories"
    case quit

    /// What it does, for the help and the palette.
    public var summary: String {
        switch self {
        case .help: return "show the keys and commands"
        case .palette: return "find and run a command"
        case .search: return "search the transcript (Enter: next match, Esc: close)"
        case .copy: return "copy the chosen message (default: the last answer) as raw text"
        case .copyCode: return "copy the next code block of the chosen message"
        case .editor: return "edit the message in $EDITOR"
        case .newSession: return "start a new session"
        case .attach: return "attach the file at PATH to the message (Backspace in an empty message removes it)"
        case .artifacts: return "the files this session's answers made: show, open, save a copy"
        case .sessions: return "go to the sessions pane"
        case .memory: return "go to the memory inspector"
        case .remember: return "save TEXT as a memory"
        case .jobs: return "scheduled jobs: list, create, pause, resume, delete"
        case .triggers: return "triggers: list, show, fire"
        case .trigger: return "fire trigger NAME with JSON data"
        case .agents: return "list the formation's agents"
        case .clearBuffer: return "clear this session's buffer memory (after y)"
        case .toggleSessions: return "show or hide the sessions pane"
        case .toggleMemories: return "show or hide the memory pane"
        case .quit: return "quit"
        }
    }

    /// The argument its slash form takes, if any.
    public var argument: String? {
        switch self {
        case .remember: return "TEXT"
        case .attach: return "PATH"
        case .trigger: return "NAME [JSON]"
        default: return nil
        }
    }

    /// Its slash form in the composer: `/` and its name.
    public var slash: String { "/" + rawValue }

    /// The command a slash word names (`/new`), if any.
    public init?(slash word: String) {
        guard word.hasPrefix("/"), let command = AppCommand(rawValue: String(word.dropFirst())) else { return nil }
        self = command
    }

    /// The slash commands whose name starts with `prefix` (`/re` → `/remember`).
    public static func completions(of prefix: String) -> [AppCommand] {
        allCases.filter { $0.slash.hasPrefix(prefix) }
    }
}

/// Which key runs which ``AppCommand``; the defaults can be changed in the config file's
/// `[keys]` section (`palette = "ctrl+k"`). Editing keys of the composer and the keys of each
/// pane are fixed; these are the app-wide ones.
///
/// ```swift
/// var keymap = Keymap.standard
/// try keymap.bind("alt+s", to: "search")
/// keymap.command(for: .alt("s"))   // .search
/// ```
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Key: AppCommand]

    public static let standard = Keymap(bindings: [
        .function(1): .help, .ctrl("p"): .palette, .ctrl("f"): .search, .ctrl("g"): .editor,
        .ctrl("o"): .copy, .alt("o"): .copyCode, .ctrl("n"): .newSession,
        .function(2): .toggleSessions, .function(3): .toggleMemories,
    ])

    public func command(for key: Key) -> AppCommand? { bindings[key] }

    /// The keys bound to `command`, named as the help shows them.
    public func keys(for command: AppCommand) -> [String] {
        bindings.filter { $0.value == command }.map { Self.name(of: $0.key) }.sorted()
    }

    /// Binds the key named `keyName` ("ctrl+p", "alt+x", "f5") to the command named
    /// `commandName`, instead of the command's default keys; "none" unbinds the command.
    public mutating func bind(_ keyName: String, to commandName: String) throws(KeymapError) {
        guard let command = AppCommand(rawValue: commandName) else {
            throw KeymapError(message: "unknown command \"\(commandName)\"; known: " + AppCommand.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if keyName.lowercased() == "none" {
            bindings = bindings.filter { $0.value != command }
            return
        }
        guard let key = Self.key(named: keyName) else {
            let lower = keyName.lowercased().replacingOccurrences(of: "-", with: "+")
            if lower.hasPrefix("ctrl+"), lower.count == 6, let c = lower.last, Self.editingLetters.contains(c) {
                throw KeymapError(message: "\(keyName) is an editing key of the message box (Ctrl+A/E/K/U/W/J/C/D/M/I/H); choose another")
            }
            throw KeymapError(message: "unknown key \"\(keyName)\"; write ctrl+LETTER, alt+KEY or f1…f12")
        }
        if let taken = bindings[key], taken != command {
            throw KeymapError(message: "\(keyName) is already bound to \(taken.rawValue); unbind that first (\(taken.rawValue) = \"none\")")
        }
        bindings = bindings.filter { $0.value != command }
        bindings[key] = command
    }

    /// The key a name means: `ctrl+p`, `alt+x`, `f1`; nil for names it does not know, and for
    /// keys the composer needs (Ctrl+A/E/K/U/W/J/C/D/M/I).
    public static func key(named name: String) -> Key? {
        let lower = name.lowercased().replacingOccurrences(of: "-", with: "+")
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        let parts = lower.split(separator: "+")
        guard parts.count == 2, parts[1].count == 1, let c = parts[1].first else { return nil }
        switch parts[0] {
        case "ctrl" where c.isLetter && !editingLetters.contains(c): return .ctrl(c)
        case "alt" where !c.isWhitespace: return .alt(c)
        default: return nil
        }
    }

    /// The Ctrl letters the message box needs (and the terminal sends for Enter, Tab, Backspace).
    static let editingLetters: Set<Character> = Set("aekuwjcdmihz")

    /// How the help names a key: "Ctrl+P", "Alt+O", "F1".
    public static func name(of key: Key) -> String {
        switch key {
        case .ctrl(let c): return "Ctrl+" + c.uppercased()
        case .alt(let c): return "Alt+" + c.uppercased()
        case .function(let n): return "F\(n)"
        default: return "\(key)"
        }
    }
}

/// A `[keys]` entry the keymap cannot take.
public struct KeymapError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The fixed keys of each pane, for the footer and the help (the app-wide ones are in the
/// ``Keymap``; the memory inspector's and the panels' are beside their state).
public enum PaneKeys {
    public static let composer: [(key: String, does: String)] = [
        ("Enter", "send"), ("Tab", "focus / complete /command"), ("Ctrl+J, Alt+Enter", "new line"), ("Up/Down", "earlier messages"),
        ("Esc", "cancel the answer"), ("Ctrl+A/E/K/U/W, Alt+B/F", "edit"), ("Ctrl+C", "clear (twice: quit)"), ("Ctrl+D", "quit"),
    ]
    public static let transcript: [(key: String, does: String)] = [
        ("PgUp/PgDn, Home/End, wheel", "scroll"), ("[ ]", "choose a message"), ("y", "copy it"), ("c", "copy its next code block"),
    ]
    public static let sessions: [(key: String, does: String)] = [
        ("Enter", "open"), ("n", "new"), ("/", "filter"), ("d", "remove"), ("Ctrl+R", "restore to the server"),
    ]
}
