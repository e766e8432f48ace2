public import TerminalUI

/// What the transcript remembers between frames, so that a frame costs the same with ten
/// messages or ten thousand: each entry's lines at the last width (only an entry that changed
/// is rendered again), and where the window was. Only the entries in the window, and those
/// below it, are ever rendered.
///
/// It also keeps the text still while you read. Scrolled up, lines that arrive below the window
/// move the window's distance from the bottom with them. Following the bottom while an answer
/// streams, the window advances half its height at a time instead of a line at a time ("jump
/// scroll"): the text you are reading moves rarely, and the terminal is sent far fewer bytes,
/// since a side-by-side layout cannot use the terminal's own line scrolling. When the answer
/// ends, the text settles to the bottom again.
///
/// ```swift
/// let view = TranscriptView()
/// let screen = ChatLayout.render(state, view: view)   // again each frame, with the same view
/// if view.scroll != state.scroll { _ = state.apply(.scrolled(to: view.scroll)) }
/// ```
public final class TranscriptView {
    private struct Rendered {
        var entry: Entry
        var width: Int
        var lines: [StyledLine]
    }

    private var rendered: [Int: Rendered] = [:]
    private var previous: (entries: Int, top: Int, width: Int)?
    /// Following the bottom, the empty rows left below the text: it grows into them, and when
    /// they run out the window jumps half its height at once.
    private var slack = 0
    /// The distance from the bottom the last frame showed: the requested one, clamped to the
    /// text, plus the lines that arrived below while scrolled up.
    public private(set) var scroll = 0
    /// The entry each line of the last window belongs to.
    private(set) var lineEntries: [Int] = []

    public init() {}

    /// The lines to show in a window of `height` rows, `scroll` lines up from the bottom.
    /// With `jumpTo`, the window starts at that entry instead (as far as the text allows).
    func window(_ entries: [Entry], width: Int, height: Int, scroll requested: Int, jumpTo: Int? = nil) -> [StyledLine] {
        var used: [Int: Rendered] = [:]
        func lines(_ index: Int) -> [StyledLine] {
            if let hit = used[index] { return hit.lines }
            let entry = entries[index]
            var item = rendered[index].flatMap { $0.entry == entry && $0.width == width ? $0 : nil }
                ?? Rendered(entry: entry, width: width, lines: (index > 0 ? [[]] : []) + ChatLayout.entryLines(entry, width: width))
            item.entry = entry
            used[index] = item
            return item.lines
        }
        var scroll = requested
        var grown: Int?
        if let previous, previous.width == width, previous.entries <= entries.count, previous.top < entries.count {
            // lines that arrived below the window's top entry since the last frame
            grown = 0
            for index in previous.top..<entries.count {
                let before = index < previous.entries ? rendered[index].map(\.lines.count) ?? 0 : 0
                grown! += lines(index).count - before
            }
        }
        if let jumpTo, entries.indices.contains(jumpTo) {
            scroll = max(0, (jumpTo..<entries.count).reduce(0) { $0 + lines($1).count } - height)
            slack = 0
        } else if requested > 0 {
            scroll += grown ?? 0
            slack = 0
        } else if let grown, entries.last?.status == .streaming {
            slack -= grown
            if slack < 0 { slack = height / 2 }   // jump: half a window of room for what comes next
        } else {
            slack = 0
        }
        let gap = scroll > 0 ? 0 : slack
        var chunks: [[StyledLine]] = []
        var count = 0
        var index = entries.count - 1
        while index >= 0 && count < scroll + height - gap {
            let chunk = lines(index)
            chunks.append(chunk)
            count += chunk.count
            index -= 1
        }
        scroll = max(0, min(scroll, count - height))
        let all = chunks.reversed().flatMap { $0 }
        let owners = chunks.indices.reversed().flatMap { i in Array(repeating: entries.count - 1 - i, count: chunks[i].count) }
        let start = max(0, min(all.count - 1, all.count - height - scroll + gap))
        var top = index + 1, skipped = 0
        for chunk in chunks.reversed() {
            guard skipped + chunk.count <= start else { break }
            skipped += chunk.count
            top += 1
        }
        rendered = used
        previous = (entries.count, min(top, max(0, entries.count - 1)), width)
        self.scroll = scroll
        lineEntries = Array(owners[start..<min(owners.count, start + height)])
        return Array(all[start..<min(all.count, start + height)])
    }
}
