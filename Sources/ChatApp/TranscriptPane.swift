import Foundation
public import TerminalUI

/// The transcript pane: the entries of the session on screen, where its window is, the message
/// chosen for copying, and whether the session is shown from the local copy.
public struct TranscriptPane: Sendable, Equatable {
    public var entries: [Entry] = []
    /// Lines scrolled up from the bottom (0: following the newest text).
    public var scroll = 0
    public var newBelow = false
    /// Entry the window should scroll to at the next frame.
    public var jumpTo: Int?
    /// The entry that copying acts on (nil: the last answer); `[` and `]` move it.
    public var chosen: Int?
    /// The code block of the chosen entry that copying a code block takes next.
    public var nextCodeBlock = 0
    /// A session shown from the local copy that can be put back on the server (Ctrl+R).
    public var restorable: String?

    public init() {}

    /// Shows other entries from the top of a fresh window.
    mutating func show(_ list: [Entry], restorable: String? = nil) {
        entries = list
        self.restorable = restorable
        scroll = 0
        newBelow = false
        jumpTo = nil
        chosen = nil
        nextCodeBlock = 0
    }

    /// Changes the answer of `turn` while it streams; events of a turn that was cancelled or
    /// has ended are dropped. Whether it changed.
    @discardableResult
    mutating func updateTurn(_ turn: Int, _ change: (inout Entry) -> Void) -> Bool {
        guard let i = entries.lastIndex(where: { $0.turn == turn && $0.role == .assistant }), entries[i].status == .streaming
        else { return false }
        change(&entries[i])
        textArrived()
        return true
    }

    /// The answer of `turn`, if it is in the transcript.
    func answer(of turn: Int) -> Entry? {
        entries.last { $0.turn == turn && $0.role == .assistant }
    }

    /// Adds an entry at the end (the window follows it, or marks it below).
    public mutating func append(_ entry: Entry) {
        entries.append(entry)
        textArrived()
    }

    /// New text below: following the bottom keeps it in view; scrolled up, a marker says so.
    mutating func textArrived() {
        if scroll > 0 { newBelow = true }
    }

    mutating func scroll(by lines: Int) {
        scroll = max(0, scroll + lines)
        if scroll == 0 { newBelow = false }
    }

    /// The entry copying acts on: the chosen one, else the last answer.
    public var copyTarget: Int? {
        if let chosen, entries.indices.contains(chosen) { return chosen }
        return entries.lastIndex { $0.role == .assistant && !$0.text.isEmpty }
    }

    /// `[` and `]`: the message before or after the chosen one.
    mutating func moveChoice(_ step: Int) {
        let messages = entries.indices.filter { entries[$0].role == .user || entries[$0].role == .assistant }
        guard !messages.isEmpty else { return }
        let current = copyTarget.flatMap { messages.firstIndex(of: $0) } ?? messages.count - 1
        choose(messages[max(0, min(messages.count - 1, current + step))])
    }

    mutating func choose(_ index: Int?) {
        chosen = index
        jumpTo = index
        nextCodeBlock = 0
    }
}

extension AppState {
    /// A key while the transcript has the focus.
    mutating func transcriptKey(_ key: Key) -> KeyOutcome {
        switch key {
        case .up: transcript.scroll(by: 1)
        case .down: transcript.scroll(by: -1)
        case .home: transcript.scroll = Int.max / 2
        case .end: transcript.scroll(by: -transcript.scroll)
        case .character("["): transcript.moveChoice(-1)
        case .character("]"): transcript.moveChoice(+1)
        case .character("y"): return .handled(run(.copy))
        case .character("c"): return .handled(run(.copyCode))
        case .escape where transcript.chosen != nil:
            transcript.choose(nil)
            notice = Notice("copying acts on the last answer again")
        default: return .notMine
        }
        return .done
    }
}
