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
        if let filter = pane.filter { title += " /" + shown(filter) }
        if !pane.items.isEmpty { title += " (\(shownItems.count))" }
        box(title, rect, focused: state.focus == .memories, &screen)
        let inner = rect.inset(1)
        guard inner.width > 2, inner.height > 0 else { return }
        var lines: [StyledLine] = []
        if !pane.note.isEmpty {
            lines += TextWrap.lines(shown(pane.note), width: inner.width).map { [Span($0, Style(color: pane.note.hasPrefix("⚠") ? .error : .muted))] }
        }
        if let buffer = pane.buffer {
            lines += TextWrap.lines("buffer " + buffer, width: inner.width).map { [Span($0, Style(color: .muted))] }
        }
        if let config = pane.config {
            lines.append([Span("memory configuration", Style(color: .accent, bold: true))])
            for line in config { lines += TextWrap.lines(shown(line), width: inner.width).map { [Span($0)] } }
            lines.append([])
        }
        var selectedRow = 0
        for (index, item) in shownItems.enumerated() {
            let chosen = index == pane.selected && state.focus == .memories
            if index == pane.selected { selectedRow = lines.count }
            let mark = pane.changed.contains(item.id) ? "✦ " : ""
            var header = [Span(mark, Style(color: .success, bold: true)),
                          Span(shown(item.type), Style(color: .accent, reverse: chosen))]
            let detail = [item.scope == "user" ? nil : shown(item.scope), item.created.map(time)].compactMap { $0 }.joined(separator: " · ")
            if !detail.isEmpty { header.append(Span(" " + detail, Style(color: .muted))) }
            lines.append(header)
            lines += TextWrap.lines(shown(item.detail), width: inner.width - 1).map { [Span(" " + $0, Style(reverse: chosen))] }
        }
        // keep the selected memory in view
        let first = max(0, min(selectedRow - inner.height / 2, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
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
        let fieldWidth = width - 12
        let fields: [(String, Composer)] = [("type", form.type), ("detail", form.detail)]
        for (i, (label, composer)) in fields.enumerated() {
            let y = rect.y + 2 + i * 2
            let active = form.field == i
            screen.put(label, x: rect.x + 2, y: y, style: Style(color: active ? .accent : .muted, bold: active))
            let before = DisplayWidth.of(composer.beforeCursor.replacingOccurrences(of: "\n", with: " "))
            let text = composer.string.replacingOccurrences(of: "\n", with: " ")
            let offset = max(0, before - fieldWidth + 1)
            let visible = String(text.dropFirst(offset))
            screen.put(visible, x: rect.x + 10, y: y, style: Style(underline: true), limit: rect.x + 10 + fieldWidth)
            if active { screen.cursor = (rect.x + 10 + before - offset, y) }
        }
        screen.put("Tab: next field  Enter: save  Esc: cancel", x: rect.x + 2, y: rect.y + height - 2, style: Style(color: .muted),
                   limit: rect.x + width - 2)
    }
}
