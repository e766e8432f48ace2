import Foundation
import MuxiClient
import TerminalUI

extension AppState {
    /// Runs an app command (from its key, its slash form or the palette); `argument` is what
    /// followed the slash word.
    mutating func run(_ command: AppCommand, argument: String = "") -> [Effect] {
        switch command {
        case .help: overlay = .help(offset: 0)
        case .palette: overlay = .palette(query: "", selected: 0)
        case .search: search = TranscriptSearch()
        case .copy:
            guard let index = copyTarget else {
                notice = "nothing to copy yet"
                return []
            }
            return [.copy(transcript[index].text)]
        case .copyCode:
            guard let index = copyTarget else {
                notice = "nothing to copy yet"
                return []
            }
            let blocks = Markdown.codeBlocks(transcript[index].text)
            guard !blocks.isEmpty else {
                notice = "that message has no code block"
                return []
            }
            let n = nextCodeBlock % blocks.count
            nextCodeBlock = n + 1
            notice = "code block \(n + 1) of \(blocks.count)"
            return [.copy(blocks[n])]
        case .editor: return [.editExternally(composer.string)]
        case .newSession:
            guard inFlight == nil else {
                notice = "a turn is running: Esc cancels it"
                return []
            }
            sessionID = nil
            transcript = []
            target = nil
            scroll = 0
            focus = .composer
        case .sessions:
            showSessions = true
            focus = .sessions
        case .memory:
            showMemories = true
            focus = .memories
        case .remember:
            let text = argument.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                memory.form = MemoryForm()
                return []
            }
            memory.note = "saving…"
            return [.addMemory(type: "memory", detail: text, replacing: nil)]
        case .jobs:
            overlay = .jobs(JobsPanel())
            return [.loadJobs]
        case .triggers:
            overlay = .triggers(TriggersPanel())
            return [.loadTriggers]
        case .trigger:
            let parts = argument.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard let name = parts.first.map(String.init) else {
                notice = "usage: /trigger NAME [JSON]"
                return []
            }
            let data = parts.count > 1 ? String(parts[1]) : "{}"
            guard (try? JSONValue(parsing: data)) != nil else {
                notice = "⚠ /trigger \(name): the data is not valid JSON"
                return []
            }
            transcript.append(Entry(role: .info, text: "firing trigger \(name)…"))
            return [.fireTrigger(name: name, data: data, async: false)]
        case .agents: return [.loadAgents]
        case .clearBuffer:
            guard let sessionID else {
                notice = "no session yet: nothing buffered"
                return []
            }
            memory.confirm = .clearBuffer(sessionID: sessionID)
        case .toggleSessions:
            showSessions.toggle()
            if !showSessions && focus == .sessions { focus = .composer }
        case .toggleMemories:
            showMemories.toggle()
            if !showMemories && focus == .memories { focus = .composer }
        case .quit: return [.quit]
        }
        return []
    }

    /// The entry copying acts on: the chosen one, else the last answer.
    var copyTarget: Int? {
        if let target, transcript.indices.contains(target) { return target }
        return transcript.lastIndex { $0.role == .assistant && !$0.text.isEmpty }
    }

    /// A message typed as `/command argument`: runs it; unknown commands are refused with a
    /// line and the text stays in the composer.
    mutating func slash(_ text: String) -> [Effect]? {
        guard text.hasPrefix("/"), !text.hasPrefix("//") else { return nil }
        let word = String(text.prefix { !$0.isWhitespace })
        guard let command = AppCommand(slash: word) else {
            notice = "unknown command \(word): /help lists them (a message starting with / is sent as //…)"
            return []
        }
        composer.clear()
        return run(command, argument: String(text.dropFirst(word.count)))
    }

    /// Tab in a composer holding a slash word: completes it, or lists the choices.
    mutating func completeSlash() -> Bool {
        let text = composer.string
        guard text.hasPrefix("/"), !text.contains(where: \.isWhitespace) else { return false }
        let choices = AppCommand.completions(of: text)
        switch choices.count {
        case 0: notice = "no command starts with \(text)"
        case 1: composer = Composer(choices[0].slash + (choices[0].argument == nil ? "" : " "))
        default:
            let names = choices.map(\.slash)
            var common = names[0]
            for name in names.dropFirst() { while !name.hasPrefix(common) { common.removeLast() } }
            if common.count > text.count { composer = Composer(common) }
            notice = names.joined(separator: "  ")
        }
        return true
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

    /// A key while an overlay is open.
    mutating func overlayKey(_ key: Key, _ open: Overlay) -> [Effect] {
        switch open {
        case .help(let offset):
            switch key {
            case .down: overlay = .help(offset: offset + 1)
            case .pageDown, .character(" "): overlay = .help(offset: offset + max(1, height / 2))
            case .up: overlay = .help(offset: max(0, offset - 1))
            case .pageUp: overlay = .help(offset: max(0, offset - max(1, height / 2)))
            default: overlay = nil
            }
            return []
        case .palette(var query, var selected):
            let matches = Self.paletteMatches(query)
            switch key {
            case .escape:
                overlay = nil
                return []
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(max(0, matches.count - 1), selected + 1)
            case .enter:
                overlay = nil
                guard matches.indices.contains(selected) else { return [] }
                let command = matches[selected]
                if command.argument != nil {   // it needs text: put its slash form in the composer
                    composer = Composer(command.slash + " ")
                    focus = .composer
                    return []
                }
                return run(command)
            case .backspace:
                if !query.isEmpty { query.removeLast() }
                selected = 0
            case .character(let c):
                query.append(c)
                selected = 0
            default: return []
            }
            overlay = .palette(query: query, selected: selected)
            return []
        case .jobs(var panel):
            if key == .escape && panel.form == nil && panel.confirmDelete == nil {
                overlay = nil
                return []
            }
            let effects = panel.key(key, now: now) ?? []
            overlay = .jobs(panel)
            return effects
        case .triggers(var panel):
            if key == .escape && panel.form == nil {
                if panel.detail != nil { panel.detail = nil; overlay = .triggers(panel) } else { overlay = nil }
                return []
            }
            let effects = panel.key(key) ?? []
            overlay = .triggers(panel)
            return effects
        }
    }

    /// A key while the search is open: typing edits the query (each change finds the newest
    /// match); Enter or Ctrl+F goes to the match before; Esc closes the search.
    mutating func searchKey(_ key: Key) -> [Effect]? {
        guard var open = search else { return nil }
        switch key {
        case .escape:
            search = nil
            return []
        case .enter, .ctrl("f"):
            open.editing = false
            open.match = findMatch(open.query, before: open.match)
            if open.match == nil { notice = "no match for “\(open.query)”" }
        case .character(let c) where open.editing:
            open.query.append(c)
            open.match = findMatch(open.query, before: nil)
        case .backspace where open.editing:
            if !open.query.isEmpty { open.query.removeLast() }
            open.match = findMatch(open.query, before: nil)
        default:
            if open.editing { return [] }
            return nil   // after Enter, other keys do their usual work
        }
        search = open
        if let match = open.match {
            target = match
            jumpTo = match
            nextCodeBlock = 0
        }
        return []
    }

    /// The newest entry before `before` (or the newest of all) whose text holds `query`,
    /// ignoring case; wraps around to the newest.
    func findMatch(_ query: String, before: Int?) -> Int? {
        guard !query.isEmpty else { return nil }
        let hit: (Entry) -> Bool = { $0.text.range(of: query, options: .caseInsensitive) != nil }
        let end = before ?? transcript.count
        return transcript[..<max(0, min(end, transcript.count))].lastIndex(where: hit) ?? transcript.lastIndex(where: hit)
    }

    /// `[` and `]` in the transcript: the message before or after the chosen one.
    mutating func moveTarget(_ step: Int) {
        let messages = transcript.indices.filter { transcript[$0].role == .user || transcript[$0].role == .assistant }
        guard !messages.isEmpty else { return }
        let current = copyTarget.flatMap { messages.firstIndex(of: $0) } ?? messages.count - 1
        let next = messages[max(0, min(messages.count - 1, current + step))]
        target = next
        jumpTo = next
        nextCodeBlock = 0
    }
}
