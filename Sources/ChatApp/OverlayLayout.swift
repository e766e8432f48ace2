import Foundation
import TerminalUI

extension ChatLayout {
    /// The keys of what has the focus (or of the open panel), for the status line.
    static func footer(_ state: AppState) -> [(key: String, does: String)] {
        let help = state.keymap.keys(for: .help).first.map { [($0, "help")] } ?? []
        let palette = state.keymap.keys(for: .palette).first.map { [($0, "commands")] } ?? []
        switch state.overlay {
        case .help: return [("↑/↓ PgUp/PgDn", "scroll"), ("other keys", "close")]
        case .palette: return [("type", "filter"), ("Enter", "run"), ("Esc", "close")]
        case .jobs: return JobsPanel.keys
        case .triggers: return TriggersPanel.keys
        case nil: break
        }
        if state.search != nil { return [("Enter", "previous match"), ("Esc", "close")] }
        switch state.focus {
        case .composer: return Array(PaneKeys.composer.prefix(2)) + help + palette
        case .transcript: return PaneKeys.transcript + help
        case .sessions: return PaneKeys.sessions + help
        case .memories: return Array(MemoryPane.keys.prefix(5)) + help
        }
    }

    /// A box over the middle of the screen, `width` × `height` at most; its inner rectangle.
    static func dialog(_ title: String, width: Int, height: Int, _ screen: inout Screen) -> Rect {
        let w = min(width, screen.width - 2), h = min(height, screen.height - 2)
        let rect = Rect(x: (screen.width - w) / 2, y: max(0, (screen.height - h) / 2), width: w, height: h)
        screen.fill(rect)
        box(title, rect, focused: true, &screen)
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    /// Lines in a rectangle, from `first`.
    static func put(_ lines: [StyledLine], in rect: Rect, from first: Int = 0, _ screen: inout Screen) {
        for (row, line) in lines.dropFirst(first).prefix(rect.height).enumerated() {
            var x = rect.x
            for span in line { x = screen.put(span.text, x: x, y: rect.y + row, style: span.style, limit: rect.x + rect.width) }
        }
    }

    static func drawOverlay(_ state: AppState, _ overlay: Overlay, _ screen: inout Screen) {
        switch overlay {
        case .help(let offset): drawHelp(state, offset: offset, &screen)
        case .palette(let query, let selected): drawPalette(state, query: query, selected: selected, &screen)
        case .jobs(let panel): drawJobs(panel, &screen)
        case .triggers(let panel): drawTriggers(panel, &screen)
        }
    }

    /// The help: made from the keymap, the commands and the panes' key tables.
    static func drawHelp(_ state: AppState, offset: Int, _ screen: inout Screen) {
        let inner = dialog("Keys and commands (↑/↓ scroll, other keys close)", width: 100, height: screen.height - 2, &screen)
        let keyWidth = 28
        func section(_ title: String, _ rows: [(key: String, does: String)]) -> [StyledLine] {
            [[Span(title, Style(color: .accent, bold: true))]]
                + rows.map { [Span(DisplayWidth.pad(DisplayWidth.truncate($0.key, to: keyWidth - 1), to: keyWidth), Style(bold: true)), Span($0.does)] }
                + [[]]
        }
        let commands = AppCommand.allCases.map { command in
            let keys = state.keymap.keys(for: command)
            let key = (keys + [command.slash + (command.argument.map { " " + $0 } ?? "")]).joined(separator: ", ")
            return (key: key, does: command.summary)
        }
        var lines = section("Commands (keys, or type them in the message; Ctrl+P finds them)", commands)
        lines += section("Message", PaneKeys.composer)
        lines += section("Transcript", PaneKeys.transcript)
        lines += section("Sessions", PaneKeys.sessions)
        lines += section("Memories", MemoryPane.keys)
        lines += section("Jobs (/jobs)", JobsPanel.keys)
        lines += section("Triggers (/triggers)", TriggersPanel.keys)
        put(lines, in: inner, from: min(offset, max(0, lines.count - inner.height)), &screen)
    }

    static func drawPalette(_ state: AppState, query: String, selected: Int, _ screen: inout Screen) {
        let matches = AppState.paletteMatches(query)
        let inner = dialog("Commands", width: 80, height: min(screen.height - 2, matches.count + 4), &screen)
        screen.put("› " + query, x: inner.x, y: inner.y, style: Style(bold: true), limit: inner.x + inner.width)
        screen.cursor = (min(inner.x + inner.width - 1, inner.x + 2 + DisplayWidth.of(query)), inner.y)
        var lines: [StyledLine] = []
        for (i, command) in matches.enumerated() {
            let chosen = i == selected
            let keys = state.keymap.keys(for: command).joined(separator: ", ")
            lines.append([Span(DisplayWidth.pad(command.slash, to: 18), Style(color: .accent, reverse: chosen)),
                          Span(DisplayWidth.pad(keys, to: 10), Style(color: .muted)), Span(command.summary, Style(reverse: chosen))])
        }
        if lines.isEmpty { lines = [[Span("no command matches", Style(color: .muted))]] }
        let area = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        put(lines, in: area, from: max(0, selected - area.height + 1), &screen)
    }

    static func drawJobs(_ panel: JobsPanel, _ screen: inout Screen) {
        let inner = dialog("Scheduled jobs of this user", width: 110, height: screen.height - 4, &screen)
        var lines: [StyledLine] = []
        if !panel.note.isEmpty {
            lines.append([Span(shown(panel.note), Style(color: panel.note.hasPrefix("⚠") ? .error : .muted))])
        }
        if let job = panel.confirmDelete { lines.append([Span("delete “\(shown(job.title))”? y/n", Style(color: .warning, bold: true))]) }
        if let form = panel.form {
            lines.append([Span("New job", Style(color: .accent, bold: true))])
            let fields = [("message", form.message.string), ("schedule", form.schedule.string)]
            for (i, (label, text)) in fields.enumerated() {
                let active = form.field == i
                lines.append([Span(DisplayWidth.pad(label, to: 10), Style(color: active ? .accent : .muted, bold: active)),
                              Span(shown(text).replacingOccurrences(of: "\n", with: " ") + (active ? "▏" : ""), Style(underline: true))])
            }
            lines.append([Span(DisplayWidth.pad("kind", to: 10), Style(color: form.field == 2 ? .accent : .muted, bold: form.field == 2)),
                          Span(form.recurring ? "(•) recurring (cron)   ( ) one time (ISO 8601)" : "( ) recurring (cron)   (•) one time (ISO 8601)")])
            lines.append([Span("Tab: next field  Space: kind  Enter: create  Esc: cancel", Style(color: .muted))])
            lines.append([])
        }
        lines.append([Span(DisplayWidth.pad("STATUS", to: 10) + DisplayWidth.pad("SCHEDULE", to: 26) + DisplayWidth.pad("LAST RUN", to: 24) + "JOB",
                           Style(color: .muted, bold: true))])
        for (i, job) in panel.items.enumerated() {
            let last = job.lastRun.map { time($0) + " " + shown(job.lastResult ?? "") } ?? "never"
            let text = DisplayWidth.pad(shown(job.status.lowercased()), to: 10) + DisplayWidth.pad(DisplayWidth.truncate(shown(job.schedule), to: 25), to: 26)
                + DisplayWidth.pad(DisplayWidth.truncate(last, to: 23), to: 24) + shown(job.title).replacingOccurrences(of: "\n", with: " ")
            lines.append([Span(text, Style(reverse: i == panel.selected))])
        }
        put(lines, in: inner, &screen)
    }

    static func drawTriggers(_ panel: TriggersPanel, _ screen: inout Screen) {
        let inner = dialog("Triggers", width: 100, height: screen.height - 4, &screen)
        var lines: [StyledLine] = []
        if !panel.note.isEmpty {
            lines.append([Span(shown(panel.note), Style(color: panel.note.hasPrefix("⚠") ? .error : .muted))])
        }
        if let answer = panel.answer {
            lines += Markdown.render(shown(answer), width: inner.width) + [[]]
        }
        if let form = panel.form {
            lines.append([Span("Fire " + shown(form.name), Style(color: .accent, bold: true))])
            lines.append([Span("data      ", Style(color: .accent)), Span(shown(form.data.string).replacingOccurrences(of: "\n", with: " ") + "▏", Style(underline: true))])
            lines.append([Span("answer    ", Style(color: .muted)), Span(form.async ? "( ) wait for it   (•) async: just start it" : "(•) wait for it   ( ) async: just start it")])
            lines.append([Span("JSON data; Tab: wait or not  Enter: fire  Esc: cancel", Style(color: .muted))])
            lines.append([])
        }
        for (i, name) in panel.names.enumerated() {
            lines.append([Span(shown(name), Style(reverse: i == panel.selected))])
            if let detail = panel.detail, detail.name == name {
                if !detail.fields.isEmpty { lines.append([Span("  fields: " + detail.fields.map(shown).joined(separator: ", "), Style(color: .muted))]) }
                lines += TextWrap.lines(shown(detail.template), width: inner.width - 2).map { [Span("  " + $0, Style(color: .code))] }
            }
        }
        put(lines, in: inner, &screen)
    }
}
