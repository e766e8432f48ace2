import Foundation
public import TerminalUI

/// Draws the whole app into a ``Screen``: sessions on the left, the transcript in the centre,
/// memories on the right, the composer below, one status line at the bottom. Pure.
///
/// ```swift
/// let screen = ChatLayout.render(state)
/// ```
public enum ChatLayout {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    /// `view` carries the transcript's cache and position from frame to frame; pass the same
    /// one every frame (a fresh one draws the same screen, only slower).
    public static func render(_ state: AppState, view: TranscriptView = TranscriptView()) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        guard state.width >= minimumWidth, state.height >= minimumHeight else {
            let lines = ["Terminal too small", "(\(state.width)×\(state.height); need \(minimumWidth)×\(minimumHeight))"]
            for (i, line) in lines.enumerated() where i < state.height {
                screen.put(line, x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: max(0, state.height / 2 - 1) + i,
                           style: Style(color: .warning, bold: i == 0))
            }
            return screen
        }
        let composerLines = min(5, max(1, TextWrap.lines(state.composer.string, width: state.width - 4).count))
        let composerHeight = composerLines + 2
        let bodyHeight = state.height - composerHeight - 1
        let sessionsWidth = state.showSessions && state.width >= 70 ? min(28, state.width / 4) : 0
        let memoriesWidth = state.showMemories && state.width >= 100 ? min(32, state.width / 4) : 0
        let transcriptRect = Rect(x: sessionsWidth, y: 0, width: state.width - sessionsWidth - memoriesWidth, height: bodyHeight)
        if sessionsWidth > 0 { drawSessions(state, Rect(x: 0, y: 0, width: sessionsWidth, height: bodyHeight), &screen) }
        drawTranscript(state, transcriptRect, view: view, &screen)
        if memoriesWidth > 0 {
            drawMemories(state, Rect(x: state.width - memoriesWidth, y: 0, width: memoriesWidth, height: bodyHeight), &screen)
        }
        drawComposer(state, Rect(x: 0, y: bodyHeight, width: state.width, height: composerHeight), lines: composerLines, &screen)
        drawStatus(state, y: state.height - 1, &screen)
        if let overlay = state.overlay { drawOverlay(state, overlay, &screen) }
        if let form = state.memory.form { drawMemoryForm(form, &screen) }
        return screen
    }

    static func box(_ title: String, _ rect: Rect, focused: Bool, _ screen: inout Screen) {
        let style = Style(color: focused ? .accent : .muted, bold: focused)
        let inner = max(0, rect.width - 2)
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", x: rect.x, y: rect.y, style: style)
        for y in (rect.y + 1)..<max(rect.y + 1, rect.y + rect.height - 1) {
            screen.put("│", x: rect.x, y: y, style: style)
            screen.put("│", x: rect.x + rect.width - 1, y: y, style: style)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", x: rect.x, y: rect.y + rect.height - 1, style: style)
        screen.put(" " + DisplayWidth.truncate(title, to: max(0, inner - 2)) + " ", x: rect.x + 1, y: rect.y, style: style)
    }

    static func drawSessions(_ state: AppState, _ rect: Rect, _ screen: inout Screen) {
        box(state.filter.map { "Sessions /" + shown($0) } ?? "Sessions", rect, focused: state.focus == .sessions, &screen)
        let inner = rect.inset(1)
        let sessions = state.visibleSessions
        if sessions.isEmpty {
            screen.put(state.filter == nil ? "none yet" : "no match", x: inner.x, y: inner.y, style: Style(color: .muted),
                       limit: inner.x + inner.width)
            return
        }
        // two rows a session: the title, then its time and message count
        let perPage = max(1, inner.height / 2)
        let first = max(0, state.selected - perPage + 1)
        for (slot, index) in (first..<sessions.count).prefix(perPage).enumerated() {
            let item = sessions[index]
            let y = inner.y + slot * 2
            let marker = item.id == state.sessionID ? "●" : " "
            let title = shown(item.title.isEmpty ? item.id : item.title)
            let chosen = index == state.selected && state.focus == .sessions
            let style = chosen ? Style(reverse: true) : Style(color: item.onServer ? .normal : .muted)
            screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
            screen.put(marker + " " + DisplayWidth.truncate(title, to: inner.width - 2), x: inner.x, y: y, style: style,
                       limit: inner.x + inner.width)
            var detail = [item.lastActive.map(Self.time) ?? ""]
            if let n = item.messages { detail.append("\(n) msg\(n == 1 ? "" : "s")") }
            if !item.onServer { detail.append("local") }
            screen.put("  " + detail.filter { !$0.isEmpty }.joined(separator: " · "), x: inner.x, y: y + 1,
                       style: Style(color: .muted), limit: inner.x + inner.width)
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Nov 29 15:23" in local time; drawn for every session row on every frame, so it makes
    /// no `DateFormatter`.
    static func time(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.month, .day, .hour, .minute], from: date)
        let month = months[max(0, min(11, (c.month ?? 1) - 1))]
        let hour = c.hour ?? 0, minute = c.minute ?? 0
        return "\(month) \(c.day ?? 1) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// Server text made safe and measurable before layout: control characters visible, tabs
    /// as spaces (measuring first and sanitising at draw time would misplace the text).
    static func shown(_ text: String) -> String {
        ControlCharacters.visible(text).split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ")
    }

    /// The lines of one transcript entry at `width`.
    static func entryLines(_ original: Entry, width: Int) -> [StyledLine] {
        var entry = original
        entry.text = shown(entry.text)
        var lines: [StyledLine] = []
        switch entry.role {
        case .user:
            lines.append([Span("You", Style(color: .accent, bold: true))])
            lines += TextWrap.lines(entry.text, width: width).map { [Span($0)] }
        case .assistant:
            var header = [Span("Assistant", Style(color: .success, bold: true))]
            switch entry.status {
            case .cancelled: header.append(Span("  (cancelled)", Style(color: .warning)))
            case .failed: header.append(Span("  (failed)", Style(color: .error)))
            default: break
            }
            lines.append(header)
            lines += Markdown.render(entry.text, width: width)
            for link in entry.links {
                lines += TextWrap.lines("→ " + shown(link.label) + ": " + shown(link.url), width: width).map { [Span($0, Style(color: .link))] }
            }
            if let progress = entry.progress, entry.status == .streaming {
                lines.append([Span("… " + DisplayWidth.truncate(ControlCharacters.visible(progress, keepingNewlines: false), to: max(1, width - 2)),
                                   Style(color: .muted, italic: true))])
            }
        case .error:
            lines += TextWrap.lines("⚠ " + entry.text, width: width).map { [Span($0, Style(color: .error))] }
        case .info:
            lines += TextWrap.lines(entry.text, width: width).map { [Span($0, Style(color: .muted))] }
        }
        return lines
    }

    static func drawTranscript(_ state: AppState, _ rect: Rect, view: TranscriptView, _ screen: inout Screen) {
        let title = [state.formation, state.user, state.sessionID ?? "new session"].joined(separator: " · ")
        box(title, rect, focused: state.focus == .transcript, &screen)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        guard inner.width > 0, inner.height > 0 else { return }
        let lines = view.window(state.transcript, width: inner.width, height: inner.height, scroll: state.scroll, jumpTo: state.jumpTo)
        let scroll = view.scroll
        if lines.isEmpty {
            screen.put("Type a message and press Enter.", x: inner.x, y: inner.y, style: Style(color: .muted), limit: inner.x + inner.width)
            return
        }
        let query = state.search?.query ?? ""
        for (row, line) in lines.enumerated() {
            var x = inner.x
            for span in line { x = screen.put(span.text, x: x, y: inner.y + row, style: span.style, limit: inner.x + inner.width) }
            if let target = state.target, view.lineEntries[row] == target {
                screen.put("▌", x: inner.x - 1, y: inner.y + row, style: Style(color: .accent))
            }
            if !query.isEmpty {
                screen.highlight(query, y: inner.y + row, from: inner.x, to: inner.x + inner.width, style: Style(color: .warning, reverse: true))
            }
        }
        if let picker = state.picker { drawPicker(picker, inner, &screen) }
        if state.newBelow && scroll > 0 {
            let marker = " ↓ new text below "
            screen.put(marker, x: rect.x + rect.width - DisplayWidth.of(marker) - 2, y: rect.y + rect.height - 1,
                       style: Style(color: .warning, bold: true))
        }
    }

    /// The choices of a clarification, over the bottom of the transcript.
    static func drawPicker(_ picker: Picker, _ area: Rect, _ screen: inout Screen) {
        let rows = min(picker.choices.count, max(1, area.height - 4))
        let height = rows + 3
        let rect = Rect(x: area.x, y: area.y + area.height - height, width: area.width, height: height)
        screen.fill(rect)
        box("Choose (↑/↓, Enter; Esc to dismiss)", rect, focused: true, &screen)
        screen.put(shown(picker.prompt), x: rect.x + 2, y: rect.y + 1, style: Style(bold: true), limit: rect.x + rect.width - 2)
        let first = max(0, picker.selected - rows + 1)
        for (row, index) in (first..<picker.choices.count).prefix(rows).enumerated() {
            let chosen = index == picker.selected
            let style = chosen ? Style(color: .accent, reverse: true) : Style.plain
            screen.put((chosen ? "› " : "  ") + "\(index + 1). " + shown(picker.choices[index].label),
                       x: rect.x + 2, y: rect.y + 2 + row, style: style, limit: rect.x + rect.width - 2)
        }
    }

    static func drawComposer(_ state: AppState, _ rect: Rect, lines count: Int, _ screen: inout Screen) {
        box(state.inFlight == nil ? "Message" : "Message (Esc cancels the answer)", rect, focused: state.focus == .composer, &screen)
        let width = rect.width - 4
        let lines = TextWrap.lines(state.composer.string, width: width)
        let caretLines = TextWrap.lines(state.composer.beforeCursor, width: width)
        let caretRow = max(0, caretLines.count - 1)
        let first = max(0, caretRow - count + 1)
        for (row, line) in lines.dropFirst(first).prefix(count).enumerated() {
            screen.put(line, x: rect.x + 2, y: rect.y + 1 + row, limit: rect.x + rect.width - 2)
        }
        if state.focus == .composer {
            screen.cursor = (rect.x + 2 + DisplayWidth.of(caretLines.last ?? ""), rect.y + 1 + caretRow - first)
        }
    }

    static func drawStatus(_ state: AppState, y: Int, _ screen: inout Screen) {
        var parts = [(state.connected ? "● " : "○ ") + ControlCharacters.visible(state.connection, keepingNewlines: false)]
        if let flight = state.inFlight {
            let seconds = max(0, state.now.timeIntervalSince(flight.startedAt))
            parts.append(String(format: "%@ %.1fs", DisplayWidth.truncate(ControlCharacters.visible(flight.stage, keepingNewlines: false), to: 40), seconds))
        }
        if state.quitting { parts.append("press Ctrl+C again to quit") }
        if let search = state.search {
            parts = ["search: " + ControlCharacters.visible(search.query, keepingNewlines: false) + (search.editing ? "▏" : "")]
        }
        if let notice = state.notice { parts.append(ControlCharacters.visible(notice, keepingNewlines: false)) }
        if let id = state.confirmRemove { parts.append("remove \(id) from this list? y/n") }
        switch state.memory.confirm {
        case .delete(let item): parts.append("delete the memory “" + DisplayWidth.truncate(shown(item.detail), to: 30) + "”? y/n")
        case .clearBuffer(let session): parts.append("clear the buffer memory of " + (session == nil ? "this user" : "this session") + "? y/n")
        case nil: break
        }
        let left = " " + parts.joined(separator: "  ·  ")
        let keys = footer(state).map { $0.key + " " + $0.does }.joined(separator: "  ") + " "
        screen.fill(Rect(x: 0, y: y, width: state.width, height: 1), style: Style(reverse: true))
        let end = screen.put(left, x: 0, y: y, style: Style(color: state.connected ? .normal : .warning, reverse: true))
        if end + DisplayWidth.of(keys) + 2 <= state.width {
            screen.put(keys, x: state.width - DisplayWidth.of(keys), y: y, style: Style(dim: true, reverse: true))
        }
    }
}
