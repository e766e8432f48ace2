import Foundation
public import TerminalUI

/// The message box: the text being typed and the history of what was sent.
public struct ComposerPane: Sendable, Equatable {
    public var editor = LineEditor(multiline: true)
    public var history = History()
    /// The files to send with the message (`/attach PATH`; Backspace in an empty box removes
    /// the last one).
    public var attachments: [AttachedFile] = []

    public init() {}

    /// The message's text.
    public var string: String { editor.string }
    public var isEmpty: Bool { editor.isEmpty }

    /// Puts text in the box (a recalled entry, a draft given back), the caret at its end.
    mutating func set(_ text: String) { editor.set(text) }
}

extension AppState {
    /// A key while the message box has the focus. Up and Down move between the lines of a
    /// message and recall history only from its first or last line; Down past the newest entry
    /// gives the draft back. Tab completes a `/command` and otherwise leaves a non-empty message
    /// where it is (an empty one passes the focus on).
    mutating func composerKey(_ key: Key) -> KeyOutcome {
        switch key {
        case .enter: return .handled(submit())
        case .up:
            if composer.editor.edit(.up) { return .done }
            if let text = composer.history.older(than: composer.string) { composer.set(text) }
            return .done
        case .down:
            if composer.editor.edit(.down) { return .done }
            if let text = composer.history.newer(than: composer.string) { composer.set(text) }
            return .done
        case .tab, .backTab:
            if key == .tab && completeSlash() { return .done }
            if key == .tab, let word = pathWord { return .handled([.completePath(prefix: word.path)]) }
            return composer.isEmpty ? .notMine : .done
        case .ctrl("d") where composer.isEmpty, .ctrl("c"):
            return .notMine
        case .paste(let text) where Self.pastedPath(text) != nil:
            _ = composer.editor.edit(key)
            return .handled([.offerAttachment(path: Self.pastedPath(text) ?? "", pasted: text)])
        case .backspace where composer.isEmpty && !composer.attachments.isEmpty:
            let removed = composer.attachments.removeLast()
            notice = Notice("removed \(removed.name) from the message (/attach \(removed.name.contains(" ") ? "\"…\"" : "…") adds it again)")
            return .done
        default:
            return composer.editor.edit(key) ? .done : .notMine
        }
    }

    /// Enter: runs a `/command`, else sends the message. A refused command or a message that
    /// cannot be sent now keeps the text where it is.
    mutating func submit() -> [Effect] {
        let text = composer.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || !composer.attachments.isEmpty else { return [] }
        if text.hasPrefix("/"), !text.hasPrefix("//") {
            let word = String(text.prefix { !$0.isWhitespace })
            guard let command = AppCommand(slash: word) else {
                notice = Notice("unknown command \(word): /help lists them (a message starting with / is sent as //…)", .warning)
                return []
            }
            switch perform(command, argument: String(text.dropFirst(word.count))) {
            case .refused(let why, let ending):
                notice = Notice(why, .warning, until: ending)
                return []   // the text stays, to be corrected
            case .ran(let effects):
                composer.history.add(text)
                composer.editor.clear()
                return [.saveHistory(text)] + effects
            }
        }
        guard inFlight == nil else {
            notice = Notice("a turn is still running: wait for it, or press Esc to cancel it", .warning, until: .turnEnds)
            return []
        }
        let files = composer.attachments
        if !text.isEmpty { composer.history.add(text) }
        composer.editor.clear()
        composer.attachments = []
        if case .picker = modal { modal = nil }
        let message = text.isEmpty ? "(see the attached " + (files.count == 1 ? "file)" : "files)") : text
        return (text.isEmpty ? [] : [.saveHistory(text)])
            + startTurn(text: message.hasPrefix("//") ? String(message.dropFirst()) : message, answering: nil, files: files)
    }

    /// Starts a turn: the message and an empty answer that will stream in.
    mutating func startTurn(text: String, answering: UIAnswer?, files: [AttachedFile] = []) -> [Effect] {
        guard inFlight == nil else { return [] }
        let turn = nextTurn
        nextTurn += 1
        var question = Entry(role: .user, text: text, turn: turn)
        question.attachments = files
        transcript.entries.append(question)
        transcript.entries.append(Entry(role: .assistant, text: "", status: .streaming, progress: "sending…", turn: turn))
        inFlight = InFlight(turn: turn, requestID: nil, startedAt: now, stage: "sending…", text: text, files: files)
        memory.turnStarted()
        transcript.scroll = 0
        transcript.newBelow = false
        transcript.chosen = nil
        return [.send(turn: turn, text: text, sessionID: sessionID, answering: answering, files: files)]
    }

    /// The path a paste holds when it is one (what a file dropped on a terminal pastes): one
    /// line starting with `/`, `~/`, `./`, `../` or `file://`, quotes and `\ ` escapes undone.
    static func pastedPath(_ text: String) -> String? {
        let path = unquotedPath(text)
        guard !path.isEmpty, !path.contains(where: \.isNewline) else { return nil }
        if path.hasPrefix("file://") { return String(path.dropFirst("file://".count)).removingPercentEncoding }
        return ["/", "~/", "./", "../"].contains(where: path.hasPrefix) && path.count > 1 ? path : nil
    }

    /// The path being typed where Tab completes one: the argument of `/attach`, or a word
    /// starting with `@` (a mention: completed to a file, it is attached); only with the
    /// caret at the end of the message.
    var pathWord: (path: String, mention: Bool)? {
        let text = composer.string
        guard composer.editor.beforeCursor == text else { return nil }
        if text.hasPrefix("/attach ") { return (Self.unquotedPath(String(text.dropFirst("/attach ".count))), false) }
        guard let word = text.split(separator: " ", omittingEmptySubsequences: false).last, word.hasPrefix("@") else { return nil }
        return (String(word.dropFirst()), true)
    }

    /// The files and folders whose path starts with `prefix` (from the runner's listing):
    /// one is completed (a folder with its `/`; a mentioned file is also attached), several
    /// complete their common start and are listed, none is said.
    mutating func completePath(prefix: String, choices: [String]) -> [Effect] {
        guard let word = pathWord, word.path == prefix else { return [] }   // typed on since: stale
        let text = composer.string
        let head = String(text.dropLast(word.mention ? prefix.count : text.count - "/attach ".count))
        func escaped(_ path: String) -> String { word.mention ? path : path.replacingOccurrences(of: " ", with: "\\ ") }
        switch choices.count {
        case 0:
            notice = Notice("no file or folder starts with \(prefix.isEmpty ? "that" : prefix)", .warning)
            return []
        case 1:
            let choice = choices[0]
            if word.mention && !choice.hasSuffix("/") {
                composer.set(head + choice + " ")
                return [.inspectAttachment(path: choice)]
            }
            composer.set(head + escaped(choice))
            return []
        default:
            var common = choices[0]
            for choice in choices.dropFirst() { while !choice.hasPrefix(common) { common.removeLast() } }
            if common.count > prefix.count { composer.set(head + escaped(common)) }
            let names = choices.prefix(8).map { ($0 as NSString).lastPathComponent + ($0.hasSuffix("/") ? "/" : "") }
            notice = Notice(names.joined(separator: "  ") + (choices.count > 8 ? "  … \(choices.count - 8) more" : ""))
            return []
        }
    }

    /// Tab in a message holding only a slash word: completes it, or lists the choices.
    mutating func completeSlash() -> Bool {
        let text = composer.string
        guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains(where: \.isWhitespace) else { return false }
        let choices = AppCommand.completions(of: text)
        switch choices.count {
        case 0: notice = Notice("no command starts with \(text)", .warning)
        case 1: composer.set(choices[0].slash + (choices[0].argument == nil ? "" : " "))
        default:
            let names = choices.map(\.slash)
            var common = names[0]
            for name in names.dropFirst() { while !name.hasPrefix(common) { common.removeLast() } }
            if common.count > text.count { composer.set(common) }
            notice = Notice(names.joined(separator: "  "))
        }
        return true
    }
}
