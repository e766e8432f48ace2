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
        let rects = paneRects(state)
        if let r = rects.sessions { drawSessions(state, r, &screen) }
        if let r = rects.transcript { drawTranscript(state, r, view: view, &screen) }
        if let r = rects.memories { drawMemories(state, r, &screen) }
        drawComposer(state, rects.composer, lines: rects.composer.height - 2, &screen)
        drawStatus(state, y: state.height - 1, &screen)
        switch state.modal {
        case .memoryForm(let form): drawMemoryForm(form, &screen)
        case .picker(let picker): if let r = rects.transcript { drawPicker(picker, r.inset(1), &screen) }
        case .search, .confirm, .quitPrompt, nil: break
        case .some(let modal): drawOverlay(state, modal, &screen)
        }
        if let modal = state.modal, !modal.typesText, !modal.passesTyping { screen.cursor = nil }
        return screen
    }

    /// Where each pane is drawn (nil: not on screen). A side pane that does not fit beside the
    /// transcript (sessions below 70 columns, memories below 100) takes the transcript's place
    /// while it has the focus, so every pane in the Tab order can be seen when it takes keys.
    public static func paneRects(_ state: AppState) -> (sessions: Rect?, transcript: Rect?, memories: Rect?, composer: Rect) {
        let composerLines = min(5, max(1, TextWrap.lines(state.composer.string, width: state.width - 4).count))
        let composerHeight = composerLines + 2 + (state.composer.attachments.isEmpty ? 0 : 1)
        let bodyHeight = state.height - composerHeight - 1
        let composer = Rect(x: 0, y: bodyHeight, width: state.width, height: composerHeight)
        let sessionsFit = state.width >= 70, memoriesFit = state.width >= 100
        let body = Rect(x: 0, y: 0, width: state.width, height: bodyHeight)
        if state.focus == .sessions && state.showSessions && !sessionsFit { return (body, nil, nil, composer) }
        if state.focus == .memories && state.showMemories && !memoriesFit { return (nil, nil, body, composer) }
        let sessionsWidth = state.showSessions && sessionsFit ? min(28, state.width / 4) : 0
        let memoriesWidth = state.showMemories && memoriesFit ? min(32, state.width / 4) : 0
        return (sessionsWidth > 0 ? Rect(x: 0, y: 0, width: sessionsWidth, height: bodyHeight) : nil,
                Rect(x: sessionsWidth, y: 0, width: state.width - sessionsWidth - memoriesWidth, height: bodyHeight),
                memoriesWidth > 0 ? Rect(x: state.width - memoriesWidth, y: 0, width: memoriesWidth, height: bodyHeight) : nil,
                composer)
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
        let pane = state.sessions
        box(pane.filter.query.map { "Sessions /" + shown($0) } ?? "Sessions", rect, focused: state.focus == .sessions, &screen)
        let inner = rect.inset(1)
        let sessions = pane.visible
        if sessions.isEmpty {
            let empty = pane.filter.query != nil ? "no match (Esc: all sessions)" : pane.loaded ? "none yet: your first message starts one" : "loading…"
            for (row, line) in TextWrap.lines(empty, width: max(1, inner.width)).prefix(inner.height).enumerated() {
                screen.put(line, x: inner.x, y: inner.y + row, style: Style(color: .muted), limit: inner.x + inner.width)
            }
            return
        }
        let selected = pane.selection.index
        // two rows a session: the title, then its time and message count
        let perPage = max(1, inner.height / 2)
        let first = max(0, selected - perPage + 1)
        for (slot, index) in (first..<sessions.count).prefix(perPage).enumerated() {
            let item = sessions[index]
            let y = inner.y + slot * 2
            let marker = item.id == state.sessionID ? "●" : " "
            let title = shown(item.title.isEmpty ? item.id : item.title)
            let chosen = index == selected && state.focus == .sessions
            let style = chosen ? Style(reverse: true) : Style(color: item.onServer ? .normal : .muted)
            screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
            screen.put(marker + " " + DisplayWidth.truncate(title, to: inner.width - 2), x: inner.x, y: y, style: style,
                       limit: inner.x + inner.width)
            var detail = [item.lastActive.map(Self.time) ?? ""]
            if let n = item.messages { detail.append("\(n) msg\(n == 1 ? "" : "s")") }
            if !item.onServer { detail.append("local") }
            screen.put("  " + fit(detail.filter { !$0.isEmpty }, separator: " · ", width: inner.width - 2), x: inner.x, y: y + 1,
                       style: Style(color: .muted), limit: inner.x + inner.width)
        }
    }

    /// Parts joined while they fit whole in `width` columns: a part that does not fit is left
    /// out with the ones after it, never cut into a dangling separator.
    public static func fit(_ parts: [String], separator: String, width: Int) -> String {
        var text = ""
        for part in parts {
            let next = text.isEmpty ? part : text + separator + part
            guard DisplayWidth.of(next) <= width else { break }
            text = next
        }
        if text.isEmpty, let first = parts.first { return DisplayWidth.truncate(first, to: width) }
        return text
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
            for file in entry.attachments {
                lines += TextWrap.lines("[file] " + shown(file.label), width: width).map { [Span($0, Style(color: .muted))] }
            }
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
            for file in entry.artifacts {
                lines += TextWrap.lines("[made] " + shown(file.label), width: width).map { [Span($0, Style(color: .link))] }
            }
            for name in entry.madeSoFar where !entry.artifacts.contains(where: { $0.name == name }) {
                let note = entry.status == .streaming ? " · comes with the answer" : " · not in the answer: see /artifacts"
                lines += TextWrap.lines("[made] " + shown(name) + note, width: width).map { [Span($0, Style(color: .muted))] }
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
        let pane = state.transcript
        let lines = view.window(pane.entries, width: inner.width, height: inner.height, scroll: pane.scroll, jumpTo: pane.jumpTo)
        let scroll = view.scroll
        if lines.isEmpty {
            screen.put("Type a message and press Enter.", x: inner.x, y: inner.y, style: Style(color: .muted), limit: inner.x + inner.width)
            return
        }
        var query = ""
        if case .search(let search) = state.modal { query = search.query.string }
        for (row, line) in lines.enumerated() {
            var x = inner.x
            for span in line { x = screen.put(span.text, x: x, y: inner.y + row, style: span.style, limit: inner.x + inner.width) }
            if let target = pane.chosen, view.lineEntries[row] == target {
                screen.put("▌", x: inner.x - 1, y: inner.y + row, style: Style(color: .accent))
            }
            if !query.isEmpty {
                screen.highlight(query, y: inner.y + row, from: inner.x, to: inner.x + inner.width, style: Style(color: .warning, reverse: true))
            }
        }
        if pane.newBelow && scroll > 0 {
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
        let first = max(0, picker.selection.index - rows + 1)
        for (row, index) in (first..<picker.choices.count).prefix(rows).enumerated() {
            let chosen = index == picker.selection.index
            let style = chosen ? Style(color: .accent, reverse: true) : Style.plain
            screen.put((chosen ? "› " : "  ") + "\(index + 1). " + shown(picker.choices[index].label),
                       x: rect.x + 2, y: rect.y + 2 + row, style: style, limit: rect.x + rect.width - 2)
        }
    }

    static func drawComposer(_ state: AppState, _ rect: Rect, lines count: Int, _ screen: inout Screen) {
        box(state.inFlight == nil ? "Message" : "Message (Esc cancels the answer)", rect, focused: state.focus == .composer, &screen)
        let width = rect.width - 4
        var top = rect.y + 1, count = count
        if !state.composer.attachments.isEmpty {   // the chips: what goes with the message
            let chips = state.composer.attachments.map { "[" + ControlCharacters.visible($0.label, keepingNewlines: false) + "]" }
            screen.put(DisplayWidth.truncate(chips.joined(separator: " "), to: max(1, width)), x: rect.x + 2, y: top,
                       style: Style(color: .accent), limit: rect.x + rect.width - 2)
            top += 1
            count -= 1
        }
        let lines = TextWrap.lines(state.composer.string, width: width)
        let caretLines = TextWrap.lines(state.composer.editor.beforeCursor, width: width)
        let caretRow = max(0, caretLines.count - 1)
        let first = max(0, caretRow - count + 1)
        for (row, line) in lines.dropFirst(first).prefix(max(0, count)).enumerated() {
            screen.put(line, x: rect.x + 2, y: top + row, limit: rect.x + rect.width - 2)
        }
        if state.focus == .composer {
            screen.cursor = (rect.x + 2 + DisplayWidth.of(caretLines.last ?? ""), top + caretRow - first)
        }
    }

    static func drawStatus(_ state: AppState, y: Int, _ screen: inout Screen) {
        let plain = { (text: String) in ControlCharacters.visible(text, keepingNewlines: false) }
        var parts = [(state.connection.isUsable ? "● " : "○ ") + plain(state.connection.label)]
        var tone = state.connection.isUsable || state.connection == .unknown ? Notice.Tone.info : .warning
        if let flight = state.inFlight {
            let seconds = max(0, state.now.timeIntervalSince(flight.startedAt))
            parts.append(String(format: "%@ %.1fs", DisplayWidth.truncate(plain(flight.stage), to: 40), seconds))
        }
        var cursor: Int?
        switch state.modal {
        case .search(let search):
            let count = search.query.isEmpty ? "" : search.count == 0 ? "  no match" : "  \(search.ordinal) of \(search.count)"
            parts = ["search: " + plain(search.query.string)]
            cursor = DisplayWidth.of(" " + parts[0])
            parts[0] += count
        case .confirm(let ask):
            parts.append(plain(ask.question))
            tone = .warning
        case .quitPrompt:
            parts.append("press Ctrl+C again to quit")
            tone = .warning
        default: break
        }
        if let notice = state.notice {
            parts.append((notice.tone == .info ? "" : "⚠ ") + plain(notice.text))
            if notice.tone != .info { tone = notice.tone }
        }
        let left = " " + parts.joined(separator: "  ·  ")
        screen.fill(Rect(x: 0, y: y, width: state.width, height: 1), style: Style(reverse: true))
        let color: ColorRole = tone == .info ? .normal : tone == .warning ? .warning : .error
        let end = screen.put(left, x: 0, y: y, style: Style(color: color, reverse: true))
        if let cursor { screen.cursor = (min(state.width - 1, cursor), y) }
        // the keys that fit after the text: as many as fit, always the help key
        let all = footer(state)
        var keys = all
        while !keys.isEmpty {
            let text = keys.map { $0.key + " " + $0.does }.joined(separator: "  ") + " "
            if end + DisplayWidth.of(text) + 2 <= state.width {
                screen.put(text, x: state.width - DisplayWidth.of(text), y: y, style: Style(dim: true, reverse: true))
                break
            }
            // drop the last key that is not the help, then the help's words
            if let i = keys.lastIndex(where: { $0.does != "help" }) { keys.remove(at: i) } else { break }
        }
    }
}
