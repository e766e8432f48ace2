import Foundation
import TerminalUI

extension ChatLayout {
    /// The keys of what has the focus (or of the open panel), for the status line.
    static func footer(_ state: AppState) -> [(key: String, does: String)] {
        let help = state.keymap.keys(for: .help).first.map { [($0, "help")] } ?? []
        let palette = state.keymap.keys(for: .palette).first.map { [($0, "commands")] } ?? []
        switch state.modal {
        case .help: return [("↑/↓ PgUp/PgDn", "scroll"), ("other keys", "close")]
        case .palette: return [("type", "filter"), ("Enter", "run"), ("Esc", "close")]
        case .jobs: return JobsPanel.keys
        case .artifacts: return ArtifactsPanel.keys
        case .triggers: return TriggersPanel.keys
        case .jobForm: return [("Tab", "next field"), ("Space", "kind"), ("Enter", "create"), ("Esc", "cancel")]
        case .triggerForm: return [("Tab", "wait or not"), ("Enter", "fire"), ("Esc", "cancel")]
        case .memoryForm: return [("Tab", "next field"), ("Enter", "save"), ("Esc", "cancel")]
        case .confirm: return [("y", "yes"), ("n/Esc", "no")]
        case .search: return [("Enter/↑", "older match"), ("↓", "newer"), ("Esc", "close")]
        case .picker: return [("↑/↓", "choose"), ("Enter", "answer"), ("Esc", "dismiss")] + help
        case .quitPrompt, nil: break
        }
        switch state.focus {
        case .composer: return help + Array(PaneKeys.composer.prefix(2)) + palette
        case .transcript: return help + PaneKeys.transcript
        case .sessions: return help + PaneKeys.sessions
        case .memories: return help + MemoryPane.keys
        }
    }

    /// A box over the middle of the screen, `width` × `height` at most; its inner rectangle.
    static func dialog(_ title: String, width: Int, height: Int, _ screen: inout Screen) -> Rect {
        let rect = dialogFrame(width: width, height: height, screenWidth: screen.width, screenHeight: screen.height)
        screen.fill(rect)
        box(title, rect, focused: true, &screen)
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    /// Where ``dialog(_:width:height:_:)`` puts its box on a screen of that size.
    static func dialogFrame(width: Int, height: Int, screenWidth: Int, screenHeight: Int) -> Rect {
        let w = min(width, screenWidth - 2), h = min(height, screenHeight - 2)
        return Rect(x: (screenWidth - w) / 2, y: max(0, (screenHeight - h) / 2), width: w, height: h)
    }

    /// Lines in a rectangle, from `first`.
    static func put(_ lines: [StyledLine], in rect: Rect, from first: Int = 0, _ screen: inout Screen) {
        for (row, line) in lines.dropFirst(first).prefix(rect.height).enumerated() {
            var x = rect.x
            for span in line { x = screen.put(span.text, x: x, y: rect.y + row, style: span.style, limit: rect.x + rect.width) }
        }
    }

    static func drawOverlay(_ state: AppState, _ modal: Modal, _ screen: inout Screen) {
        switch modal {
        case .help(let offset): drawHelp(state, offset: offset, &screen)
        case .palette(let palette): drawPalette(state, palette, &screen)
        case .jobs(let panel): drawJobs(panel, form: nil, &screen)
        case .jobForm(let form, let panel): drawJobs(panel, form: form, &screen)
        case .triggers(let panel): drawTriggers(panel, form: nil, &screen)
        case .triggerForm(let form, let panel): drawTriggers(panel, form: form, &screen)
        case .confirm(let ask): if let back = ask.returnTo { drawOverlay(state, back, &screen) }
        case .artifacts(let panel): drawArtifacts(panel, &screen)
        case .memoryForm, .picker, .search, .quitPrompt: break
        }
    }

    /// A pane's or panel's line: its notice, else where its list stands.
    static func statusLine(_ status: LoadStatus, note: Notice?, empty: String, isEmpty: Bool) -> StyledLine? {
        if let note {
            return [Span(shown(note.text), Style(color: note.tone == .error ? .error : note.tone == .warning ? .warning : .muted))]
        }
        switch status {
        case .loading: return [Span("loading…", Style(color: .muted))]
        case .failed(let why): return [Span("⚠ " + shown(why), Style(color: .error))]
        case .loaded: return isEmpty ? [Span(empty, Style(color: .muted))] : nil
        }
    }

    /// A one-line text field at `x, y`, `width` columns, scrolled to keep the caret in view;
    /// the terminal's cursor goes to the caret when it is the active field.
    static func field(_ editor: LineEditor, x: Int, y: Int, width: Int, active: Bool, _ screen: inout Screen) {
        let before = DisplayWidth.of(shown(editor.beforeCursor))
        let offset = max(0, before - width + 1)
        var visible = shown(editor.string)
        var dropped = 0
        while dropped < offset, let first = visible.first {
            dropped += DisplayWidth.of(String(first))
            visible.removeFirst()
        }
        screen.fill(Rect(x: x, y: y, width: width, height: 1), style: Style(underline: true))
        screen.put(visible, x: x, y: y, style: Style(underline: true), limit: x + width)
        if active { screen.cursor = (x + before - dropped, y) }
    }

    /// The help: made from the keymap, the commands and the panes' key tables.
    static func drawHelp(_ state: AppState, offset: Int, _ screen: inout Screen) {
        // over every pane, whole (a dialog narrower than the screen would cut a pane's border)
        let inner = dialog("Keys and commands (↑/↓ scroll, other keys close)", width: screen.width, height: screen.height - 1, &screen)
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

    static func drawPalette(_ state: AppState, _ palette: Palette, _ screen: inout Screen) {
        let matches = AppState.paletteMatches(palette.query.string)
        let selected = palette.selection.index
        let inner = dialog("Commands", width: 80, height: min(screen.height - 2, matches.count + 4), &screen)
        screen.put("› ", x: inner.x, y: inner.y, style: Style(bold: true))
        field(palette.query, x: inner.x + 2, y: inner.y, width: max(1, inner.width - 2), active: true, &screen)
        var lines: [StyledLine] = []
        for (i, command) in matches.enumerated() {
            let chosen = i == selected
            let keys = state.keymap.keys(for: command).joined(separator: ", ")
            let room = max(1, inner.width - 28)
            lines.append([Span(DisplayWidth.pad(command.slash, to: 18), Style(color: .accent, reverse: chosen)),
                          Span(DisplayWidth.pad(keys, to: 10), Style(color: .muted)), Span(wordTruncate(command.summary, to: room), Style(reverse: chosen))])
        }
        if lines.isEmpty { lines = [[Span("no command matches", Style(color: .muted))]] }
        let area = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        put(lines, in: area, from: max(0, selected - area.height + 1), &screen)
    }

    /// Text cut at a word to `columns`, with "…" when anything was left out.
    static func wordTruncate(_ text: String, to columns: Int) -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        var cut = DisplayWidth.truncate(text, to: max(1, columns - 1))
        if cut.hasSuffix("…") { cut.removeLast() }
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > columns / 2 { cut = String(cut[..<space]) }
        return cut + "…"
    }

    static func drawJobs(_ panel: JobsPanel, form: JobForm?, _ screen: inout Screen) {
        let inner = dialog("Scheduled jobs of this user", width: 110, height: screen.height - 4, &screen)
        var lines: [StyledLine] = []
        var fields: [(row: Int, editor: LineEditor, active: Bool)] = []
        if let line = statusLine(panel.status, note: panel.note, empty: "no jobs yet: n creates one", isEmpty: panel.items.isEmpty) {
            lines.append(line)
        }
        if let form {
            lines.append([Span("New job", Style(color: .accent, bold: true))])
            if let problem = form.problem { lines.append([Span("⚠ " + shown(problem), Style(color: .error))]) }
            for (field, label, editor) in [(JobForm.Field.message, "message", form.message), (.schedule, "schedule", form.schedule)] {
                let active = form.field == field
                fields.append((lines.count, editor, active))
                lines.append([Span(DisplayWidth.pad(label, to: 10), Style(color: active ? .accent : .muted, bold: active))])
            }
            let kind = form.field == .kind
            lines.append([Span(DisplayWidth.pad("kind", to: 10), Style(color: kind ? .accent : .muted, bold: kind)),
                          Span(form.recurring ? "(•) recurring (cron)   ( ) one time (ISO 8601)" : "( ) recurring (cron)   (•) one time (ISO 8601)",
                               Style(reverse: kind))])
            lines.append([Span("Tab: next field  Space: kind  Enter: create  Esc: cancel", Style(color: .muted))])
            lines.append([])
        }
        lines.append([Span(DisplayWidth.pad("STATUS", to: 10) + DisplayWidth.pad("SCHEDULE", to: 26) + DisplayWidth.pad("LAST RUN", to: 24) + "JOB",
                           Style(color: .muted, bold: true))])
        for (i, job) in panel.items.enumerated() {
            let last = job.lastRun.map { time($0) + " " + shown(job.lastResult ?? "") } ?? "never"
            let text = DisplayWidth.pad(shown(job.status.lowercased()), to: 10) + DisplayWidth.pad(DisplayWidth.truncate(shown(job.schedule), to: 25), to: 26)
                + DisplayWidth.pad(DisplayWidth.truncate(last, to: 23), to: 24) + shown(job.title).replacingOccurrences(of: "\n", with: " ")
            lines.append([Span(text, Style(reverse: i == panel.selection.index && form == nil))])
        }
        put(lines, in: inner, &screen)
        for f in fields where f.row < inner.height {
            field(f.editor, x: inner.x + 10, y: inner.y + f.row, width: max(1, inner.width - 10), active: f.active, &screen)
        }
    }

    /// The viewer's dialog, the same for the layout and for ``pictureArea(width:height:)``.
    static func artifactsDialog(width: Int, height: Int) -> (width: Int, height: Int) { (120, height - 4) }

    /// Where the viewer draws an image, on a `width` × `height` terminal: the dialog's inside
    /// under its first three lines (a note, the file's line, the image's own).
    static func pictureArea(width: Int, height: Int) -> Rect {
        let d = artifactsDialog(width: width, height: height)
        let box = dialogFrame(width: d.width, height: d.height, screenWidth: width, screenHeight: height)
        return Rect(x: box.x + 2, y: box.y + 1 + 3, width: max(0, box.width - 4), height: max(0, box.height - 2 - 3))
    }

    static func drawArtifacts(_ panel: ArtifactsPanel, _ screen: inout Screen) {
        let title = panel.view.map { "File: " + shown($0.file.name) } ?? "Files made in this session"
        let d = artifactsDialog(width: screen.width, height: screen.height)
        let inner = dialog(title, width: d.width, height: d.height, &screen)
        let note = panel.note.map { [Span(shown($0.text), Style(color: $0.tone == .warning ? .warning : .muted))] }
        var lines: [StyledLine] = note.map { [$0] } ?? []
        if let view = panel.view, case .image? = view.content {
            // a fixed place: the note's line (blank without one), the file's, the image's, then the picture
            lines = [note ?? [], [Span(shown(view.file.label), Style(color: .muted))]]
            lines += view.content?.lines(width: inner.width) ?? []
            let area = pictureArea(width: screen.width, height: screen.height)
            if var picture = view.picture, picture.columns <= area.width, picture.rows <= area.height {
                picture.x = area.x
                picture.y = area.y
                screen.images.append(picture)
            } else {
                lines.append([Span(shown(view.pictureNote ?? "drawing…") + "; o opens it with the system's viewer", Style(color: .muted))])
            }
            put(lines, in: inner, &screen)
            return
        }
        if let view = panel.view {
            lines.append([Span(shown(view.file.label), Style(color: .muted))])
            let body = view.content?.lines(width: inner.width) ?? [[Span("loading…", Style(color: .muted))]]
            let first = min(view.offset, max(0, body.count - 1))
            lines += body.dropFirst(first)
        } else {
            for (i, file) in panel.items.enumerated() {
                lines.append([Span(DisplayWidth.truncate(shown(file.label), to: inner.width), Style(reverse: i == panel.selection.index))])
            }
        }
        put(lines, in: inner, &screen)
    }

    static func drawTriggers(_ panel: TriggersPanel, form: TriggerForm?, _ screen: inout Screen) {
        let inner = dialog("Triggers", width: 100, height: screen.height - 4, &screen)
        var lines: [StyledLine] = []
        var dataRow: Int?
        if let line = statusLine(panel.status, note: panel.note, empty: "this formation has no triggers", isEmpty: panel.names.isEmpty) {
            lines.append(line)
        }
        if let answer = panel.answer {
            lines += Markdown.render(shown(answer), width: inner.width) + [[]]
        }
        if let form {
            lines.append([Span("Fire " + shown(form.name), Style(color: .accent, bold: true))])
            if let problem = form.problem { lines.append([Span("⚠ " + shown(problem), Style(color: .error))]) }
            dataRow = lines.count
            lines.append([Span("data      ", Style(color: .accent))])
            lines.append([Span("answer    ", Style(color: .muted)), Span(form.async ? "( ) wait for it   (•) async: just start it" : "(•) wait for it   ( ) async: just start it")])
            lines.append([Span("JSON data; Tab: wait or not  Enter: fire  Esc: cancel", Style(color: .muted))])
            lines.append([])
        }
        for (i, name) in panel.names.enumerated() {
            lines.append([Span(shown(name), Style(reverse: i == panel.selection.index && form == nil))])
            if let detail = panel.detail, detail.name == name {
                if !detail.fields.isEmpty { lines.append([Span("  fields: " + detail.fields.map(shown).joined(separator: ", "), Style(color: .muted))]) }
                lines += TextWrap.lines(shown(detail.template), width: inner.width - 2).map { [Span("  " + $0, Style(color: .code))] }
            }
        }
        put(lines, in: inner, &screen)
        if let form, let row = dataRow, row < inner.height {
            field(form.data, x: inner.x + 10, y: inner.y + row, width: max(1, inner.width - 10), active: true, &screen)
        }
    }
}
