import Foundation
import MuxiClient
import TerminalUI

/// What running a command came to: done (with its effects), or refused with the reason (the
/// typed `/command` then stays in the message box to be corrected).
enum CommandOutcome: Equatable {
    case ran([Effect])
    case refused(String, until: Notice.Ending = .nextKey)
}

extension AppState {
    /// Runs an app command from its key or the palette; a refusal is the status line's notice.
    mutating func run(_ command: AppCommand, argument: String = "") -> [Effect] {
        switch perform(command, argument: argument) {
        case .ran(let effects): return effects
        case .refused(let why, let ending):
            notice = Notice(why, .warning, until: ending)
            return []
        }
    }

    /// Runs an app command (from its key, its slash form or the palette); `argument` is what
    /// followed the slash word.
    mutating func perform(_ command: AppCommand, argument: String = "") -> CommandOutcome {
        switch command {
        case .help: modal = .help(offset: 0)
        case .palette: modal = .palette(Palette())
        case .search: modal = .search(TranscriptSearch())
        case .copy:
            guard let index = transcript.copyTarget else { return .refused("nothing to copy yet") }
            return .ran([.copy(transcript.entries[index].text)])
        case .copyCode:
            guard let index = transcript.copyTarget else { return .refused("nothing to copy yet") }
            let blocks = Markdown.codeBlocks(transcript.entries[index].text)
            guard !blocks.isEmpty else {
                return .refused(transcript.chosen == nil ? "the last answer has no code block" : "the chosen message has no code block (Esc in the transcript: back to the last answer)")
            }
            let n = transcript.nextCodeBlock % blocks.count
            transcript.nextCodeBlock = n + 1
            notice = Notice("code block \(n + 1) of \(blocks.count)")
            return .ran([.copy(blocks[n])])
        case .editor: return .ran([.editExternally(composer.string)])
        case .newSession:
            guard inFlight == nil else { return .refused("a turn is running: Esc cancels it", until: .turnEnds) }
            return .ran(newSession())
        case .attach:
            let path = Self.unquotedPath(argument)
            guard !path.isEmpty else { return .refused("give the file's path: /attach PATH") }
            return .ran([.inspectAttachment(path: path)])
        case .artifacts:
            let files = transcript.entries.flatMap(\.artifacts)
            guard !files.isEmpty else { return .refused("no answer of this session made a file") }
            modal = .artifacts(ArtifactsPanel(items: files.reversed()))
        case .sessions: focusPane(.sessions)
        case .memory: focusPane(.memories)
        case .remember:
            let text = argument.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                var form = MemoryForm()
                form.type = LineEditor("memory")
                modal = .memoryForm(form)
                return .ran([])
            }
            memory.note = Notice("saving…", until: .replaced)
            return .ran([.addMemory(type: "memory", detail: text, replacing: nil)])
        case .jobs:
            modal = .jobs(JobsPanel())
            return .ran([.loadJobs])
        case .triggers:
            modal = .triggers(TriggersPanel())
            return .ran([.loadTriggers])
        case .trigger:
            let parts = argument.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let name = parts.first.map(String.init) else { return .refused("usage: /trigger NAME [JSON]") }
            let data = parts.count > 1 ? String(parts[1]) : "{}"
            guard (try? JSONValue(parsing: data)) != nil else { return .refused("/trigger \(name): the data is not valid JSON") }
            transcript.append(Entry(role: .info, text: "firing trigger \(name)…"))
            return .ran([.fireTrigger(name: name, data: data, async: false)])
        case .agents: return .ran([.loadAgents])
        case .clearBuffer:
            guard let sessionID else { return .refused("no session yet: nothing buffered") }
            modal = .confirm(Confirmation(.clearBuffer(sessionID: sessionID)))
        case .toggleSessions:
            showSessions.toggle()
            if !showSessions && focus == .sessions { focus = .composer }
        case .toggleMemories:
            showMemories.toggle()
            if !showMemories && focus == .memories { focus = .composer }
        case .quit: return .ran([.quit])
        }
        return .ran([])
    }

    /// The commands the palette shows for `query`: those whose name or summary holds every
    /// typed word.
    public static func paletteMatches(_ query: String) -> [AppCommand] {
        let words = query.lowercased().split(separator: " ")
        return AppCommand.allCases.filter { command in
            let text = (command.rawValue + " " + command.summary).lowercased()
            return words.allSatisfy { text.contains($0) }
        }
    }

    mutating func paletteKey(_ key: Key, _ palette: Palette) -> [Effect] {
        var open = palette
        let matches = Self.paletteMatches(open.query.string)
        switch key {
        case .escape:
            modal = nil
            return []
        case .up, .down, .pageUp, .pageDown: _ = open.selection.key(key, count: matches.count)
        case .enter:
            modal = nil
            guard let command = open.selection.item(in: matches) else { return [] }
            if command.argument != nil {   // it needs text: its slash form goes in the message, before what was typed
                composer.set(command.slash + " " + composer.string)
                focus = .composer
                return []
            }
            return run(command)
        default:
            if open.query.edit(key) { open.selection.first() }
        }
        modal = .palette(open)
        return []
    }

    /// A key while the search is open: typing edits the query (each change finds the newest
    /// match); Enter, Ctrl+F and Up go to the next older match, Down to the next newer one;
    /// Esc closes the search and copying acts on the last answer again. Other keys (PgUp…)
    /// reach the transcript.
    mutating func searchKey(_ key: Key, _ search: TranscriptSearch) -> KeyOutcome {
        var open = search
        switch key {
        case .escape:
            modal = nil
            transcript.choose(nil)
            return .done
        case .enter, .ctrl("f"), .up: open.match = findMatch(open.query.string, from: open.match, older: true)
        case .down: open.match = findMatch(open.query.string, from: open.match, older: false)
        default:
            guard open.query.edit(key) else { return .notMine }
            open.match = findMatch(open.query.string, from: nil, older: true)
        }
        let hits = matches(open.query.string)
        open.count = hits.count
        open.ordinal = open.match.flatMap { m in hits.reversed().firstIndex(of: m).map { $0 + 1 } } ?? 0
        modal = .search(open)
        if let match = open.match { transcript.choose(match) }
        return .done
    }

    /// The entries whose text holds `query`, ignoring case, oldest first.
    func matches(_ query: String) -> [Int] {
        guard !query.isEmpty else { return [] }
        return transcript.entries.indices.filter { transcript.entries[$0].text.range(of: query, options: .caseInsensitive) != nil }
    }

    /// The match after `from` going older (or newer), wrapping around; from nil, the newest.
    func findMatch(_ query: String, from: Int?, older: Bool) -> Int? {
        let hits = matches(query)
        guard !hits.isEmpty else { return nil }
        guard let from else { return hits.last }
        if older { return hits.last { $0 < from } ?? hits.last }
        return hits.first { $0 > from } ?? hits.first
    }

    /// A path as typed or pasted after `/attach`: surrounding quotes removed, a shell's
    /// `\ ` escapes undone (`'my file.txt'`, `my\ file.txt` and `my file.txt` are the same).
    static func unquotedPath(_ argument: String) -> String {
        let path = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.count >= 2, let first = path.first, first == path.last, first == "'" || first == "\"" {
            return String(path.dropFirst().dropLast())
        }
        return path.replacingOccurrences(of: "\\ ", with: " ")
    }
}
