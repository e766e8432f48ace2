import Foundation
import TerminalUI

extension ChatLayout {
    /// The memory inspector: a note line, then each memory (a mark when the last turn added or
    /// changed it; type, scope and date; the detail wrapped), the selected one highlighted when
    /// the pane has the focus; the buffer line and the configuration when loaded.
    static func drawMemories(_ state: AppState, _ rect: Rect, _ screen: inout Screen) {
        let pane = state.memory
        let shownItems = pane.visible
        var title = "Memories"
        if let filter = pane.filter.query { title += " /" + shown(filter) }
        if !pane.items.isEmpty { title += " (\(shownItems.count)\(pane.hasMore ? "+" : ""))" }   // "+": more on the server
        box(title, rect, focused: state.focus == .memories, &screen)
        let inner = rect.inset(1)
        guard inner.width > 2, inner.height > 0 else { return }
        var lines: [StyledLine] = []
        if let note = pane.note {
            let color: ColorRole = note.tone == .error ? .error : note.tone == .warning ? .warning : .muted
            lines += TextWrap.lines((note.tone == .info ? "" : "⚠ ") + shown(note.text), width: inner.width).map { [Span($0, Style(color: color))] }
        }
        switch pane.status {
        case .loading: lines.append([Span("loading…", Style(color: .muted))])
        case .failed(let why): lines += TextWrap.lines("⚠ " + shown(why), width: inner.width).map { [Span($0, Style(color: .error))] }
        case .loaded:
            if pane.items.isEmpty { lines += TextWrap.lines("no memories yet: a adds one, or tell the agent about yourself", width: inner.width).map { [Span($0, Style(color: .muted))] } }
        }
        if let buffer = pane.buffer {
            lines += TextWrap.lines("buffer " + buffer, width: inner.width).map { [Span($0, Style(color: .muted))] }
        }
        if let config = pane.config {
            lines.append([Span("memory configuration", Style(color: .accent, bold: true))])
            for line in config { lines += TextWrap.lines(shown(line), width: inner.width).map { [Span($0)] } }
            lines.append([])
        }
        // only the memories around the chosen one are laid out (a heavy user has thousands):
        // the chosen one in the middle of what is left of the pane, as many before and after
        // as fill it
        let room = max(1, inner.height - lines.count)
        let chosenIndex = min(pane.selection.index, max(0, shownItems.count - 1))
        func memoryLines(_ index: Int) -> [StyledLine] {
            let item = shownItems[index]
            let chosen = index == pane.selection.index && state.focus == .memories
            let mark = pane.changed.contains(item.id) ? "✦ " : ""
            var header = [Span(mark, Style(color: .success, bold: true)), Span(shown(item.type), Style(color: .accent, reverse: chosen))]
            let detail = [item.scope == "user" ? nil : shown(item.scope), item.created.map(time)].compactMap { $0 }.joined(separator: " · ")
            if !detail.isEmpty { header.append(Span(" " + detail, Style(color: .muted))) }
            return [header] + TextWrap.lines(shown(item.detail), width: inner.width - 1).map { [Span(" " + $0, Style(reverse: chosen))] }
        }
        var window: [StyledLine] = []
        var selectedRow = 0
        if !shownItems.isEmpty {
            var before: [[StyledLine]] = []
            var used = 0
            var i = chosenIndex - 1
            while i >= 0, used < room / 2 {
                let item = memoryLines(i)
                before.insert(item, at: 0)
                used += item.count
                i -= 1
            }
            window = before.flatMap { $0 }
            selectedRow = window.count
            var j = chosenIndex
            while j < shownItems.count, window.count - selectedRow < room {
                window += memoryLines(j)
                j += 1
            }
            // near the end of the list: fill the top with earlier memories
            while window.count < room, i >= 0 {
                let item = memoryLines(i)
                window.insert(contentsOf: item, at: 0)
                selectedRow += item.count
                i -= 1
            }
        }
        let first = max(0, min(selectedRow - room / 2, window.count - room))
        lines += window.dropFirst(first).prefix(room)
        for (row, line) in lines.prefix(inner.height).enumerated() {
            var x = inner.x
            for span in line { x = screen.put(span.text, x: x, y: inner.y + row, style: span.style, limit: inner.x + inner.width) }
        }
    }

    /// The add / edit form, over the middle of the screen.
    static func drawMemoryForm(_ form: MemoryForm, _ screen: inout Screen) {
        let width = min(64, screen.width - 4), height = 8
        let rect = Rect(x: (screen.width - width) / 2, y: max(0, (screen.height - height) / 2), width: width, height: height)
        screen.fill(rect)
        box(form.editing == nil ? "Add a memory" : "Edit the memory", rect, focused: true, &screen)
        let fieldWidth = max(1, width - 12)
        for (i, (field, label, editor)) in [(MemoryForm.Field.type, "type", form.type), (.detail, "detail", form.detail)].enumerated() {
            let y = rect.y + 2 + i * 2
            let active = form.field == field
            screen.put(label, x: rect.x + 2, y: y, style: Style(color: active ? .accent : .muted, bold: active))
            self.field(editor, x: rect.x + 10, y: y, width: fieldWidth, active: active, &screen)
        }
        let hint = form.problem.map { "⚠ " + $0 } ?? "Tab: next field  Enter: save  Esc: cancel"
        screen.put(hint, x: rect.x + 2, y: rect.y + height - 2, style: Style(color: form.problem == nil ? .muted : .error),
                   limit: rect.x + width - 2)
    }
}
