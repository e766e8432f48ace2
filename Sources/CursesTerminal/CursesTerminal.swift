import CNcurses
import Foundation
public import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signal numbers caught while the screen is active, handed to the UI through a pipe.
nonisolated(unsafe) private var wakeWriteFD: Int32 = -1
nonisolated(unsafe) private var caughtSignal: sig_atomic_t = 0

/// The terminal modes before the app started, and the crash handlers it replaced: a crash
/// gives the terminal back, then the previous handler (Swift's backtracer) runs as usual.
nonisolated(unsafe) private var savedModes = termios()
nonisolated(unsafe) private var hasSavedModes = false
/// Indexed by signal number (a fixed buffer: a signal handler must not touch Swift collections).
nonisolated(unsafe) private let previousCrashActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
nonisolated(unsafe) private let hasPreviousCrashAction = UnsafeMutablePointer<Bool>.allocate(capacity: 65)
private let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

private func onCrash(_ number: Int32) {
    // async-signal-safe only: write(2) and tcsetattr(3)
    let reset: [UInt8] = Array("\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)
    _ = reset.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    if hasSavedModes { _ = tcsetattr(0, TCSANOW, &savedModes) }
    if number > 0, number < 65, hasPreviousCrashAction[Int(number)] {
        _ = sigaction(number, previousCrashActions + Int(number), nil)
    } else {
        signal(number, SIG_DFL)
    }
    raise(number)
    _exit(128 + number)   // the previous handler returned (a signal sent with kill, not a fault)
}

private func onSignal(_ number: Int32) {
    if number != SIGWINCH && number != SIGTSTP { caughtSignal = number }
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(wakeWriteFD, &byte, 1)
}

/// Why the terminal cannot be used.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// The terminal through ncurses: draws ``Screen``s (only the rows that changed), reads keys,
/// and always gives the terminal back as it found it (on quit, error, SIGINT, SIGTERM and
/// SIGHUP). The only code in the project that calls ncurses.
@MainActor
public final class CursesTerminal: TerminalDevice {
    private var previous: Screen?
    /// The images drawn by the last ``present(_:)``.
    private var shownImages: [ScreenImage] = []
    /// What ``graphics()`` found, once asked.
    private struct Probed { let value: TerminalGraphics? }
    private var probed: Probed?
    /// One cell's scalars for ncurses, reused from cell to cell.
    private var scalars: [wchar_t] = []
    private var active = false
    private var decoder = KeyDecoder()
    private let colors: Bool
    private let clipboard: Bool
    /// The read end of the wake pipe (signals, resizes), to wait on with `poll`.
    private let wakeFD: Int32
    private var watcher: InputWatcher?
    private var continuation: AsyncStream<TerminalEvent>.Continuation?
    private var ctrlLeftCode: Int32 = -1
    private var ctrlRightCode: Int32 = -1

    /// Takes over the terminal. Throws when stdin or stdout is not a terminal, or `TERM` is
    /// missing or `dumb`.
    public init(environment: [String: String]) throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalUnavailable(description: "the full-screen app needs a terminal; for scripts use: muxi-chat ask MESSAGE")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else {
            throw TerminalUnavailable(description: "TERM is \(term.isEmpty ? "not set" : "dumb"): the full-screen app needs a real terminal; use: muxi-chat ask MESSAGE")
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalUnavailable(description: "cannot create a pipe") }
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        wakeFD = fds[0]
        wakeWriteFD = fds[1]
        colors = environment["NO_COLOR"].map(\.isEmpty) ?? true
        clipboard = Self.hasClipboard(environment)
        hasSavedModes = tcgetattr(0, &savedModes) == 0
        for number in crashSignals {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = onCrash   // Darwin's spelling (not built here: Linux only)
            #else
            action.__sigaction_handler.sa_handler = onCrash
            #endif
            sigemptyset(&action.sa_mask)
            hasPreviousCrashAction[Int(number)] = sigaction(number, &action, previousCrashActions + Int(number)) == 0
        }
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            // no UTF-8 locale set (LANG unset, or C): borders, symbols and any non-ASCII text
            // would be blanks; terminals speak UTF-8, so use it for the characters
            _ = setlocale(LC_CTYPE, "C.UTF-8") ?? setlocale(LC_CTYPE, "en_US.UTF-8")
        }
        // SIGTSTP (`kill -TSTP`) stops the app the way Ctrl+Z does. Taken before newterm: ncurses
        // then leaves it alone, where otherwise it puts its own handler there (which left
        // bracketed paste off after `fg`) and ignores the signal during every screen update
        // (a stop sent meanwhile was lost: seen in one try of ten)
        signal(SIGTSTP, onSignal)
        guard newterm(nil, cn_stdout(), cn_stdin()) != nil else {
            signal(SIGTSTP, SIG_DFL)
            throw TerminalUnavailable(description: "ncurses cannot use TERM=\(term)")
        }
        active = true
        raw()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        nodelay(cn_stdscr(), true)
        set_escdelay(25)
        var oldMask: mmask_t = 0
        _ = mousemask(cn_wheel_up() | cn_wheel_down(), &oldMask)
        if colors && has_colors() {
            start_color()
            use_default_colors()
            let pairs: [(ColorRole, Int16)] = [(.accent, Int16(COLOR_CYAN)), (.muted, Int16(COLOR_WHITE)), (.error, Int16(COLOR_RED)),
                                               (.success, Int16(COLOR_GREEN)), (.code, Int16(COLOR_YELLOW)), (.link, Int16(COLOR_BLUE)),
                                               (.warning, Int16(COLOR_YELLOW))]
            for (role, color) in pairs { init_pair(Int16(role.rawValue), color, -1) }
        }
        ctrlLeftCode = Self.code(of: "kLFT5")
        ctrlRightCode = Self.code(of: "kRIT5")
        Self.emit("\u{1B}[?2004h")   // bracketed paste
        for number in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] { signal(number, onSignal) }
    }

    private static func code(of capability: String) -> Int32 {
        guard let sequence = tigetstr(capability), Int(bitPattern: sequence) != -1 else { return -1 }
        let value = key_defined(sequence)
        return value > 0 ? value : -1
    }

    private static func emit(_ text: String) { emit(Array(text.utf8)) }

    /// Writes all of `bytes` (an image is many kilobytes: a write may take only part).
    private static func emit(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(1, raw.baseAddress! + done, raw.count - done)
                if n > 0 { done += n } else if n < 0 && errno != EINTR && errno != EAGAIN { return }
            }
        }
    }

    /// Whether the terminal is taken to obey OSC 52: `MUXI_CHAT_CLIPBOARD=osc52` or `=file`
    /// decides; otherwise yes inside tmux (with its `set-clipboard on`) and in xterm-like
    /// terminals, no on the Linux console and in GNU screen.
    static func hasClipboard(_ environment: [String: String]) -> Bool {
        switch environment["MUXI_CHAT_CLIPBOARD"]?.lowercased() {
        case "osc52": return true
        case "file": return false
        default: break
        }
        if environment["TMUX"] != nil { return true }
        let term = environment["TERM"] ?? ""
        return !(term.hasPrefix("linux") || term.hasPrefix("screen") || term.hasPrefix("vt") || term == "dumb")
    }

    /// Sends the text to the system clipboard with OSC 52 (base64; nothing of it is shown).
    public func copyToClipboard(_ text: String) -> Bool {
        guard clipboard else { return false }
        Self.emit("\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}")
        return true
    }

    /// Leaves the screen (modes restored, as on quit), runs `body`, then takes the terminal
    /// back and redraws everything. A resize meanwhile is taken up as if it came now: the
    /// kernel told the program in the foreground then (the shell, the editor), not this one.
    public func suspend(_ body: () -> Void) {
        Self.emit("\u{1B}[?2004l")
        endwin()
        body()
        let now = size()
        if now.width != Int(cn_cols()) || now.height != Int(cn_lines()) {
            var byte = UInt8(SIGWINCH)
            _ = write(wakeWriteFD, &byte, 1)
        }
        Self.emit("\u{1B}[?2004h")
        previous = nil
        shownImages = []   // the screen was left: they are drawn again
        clearok(cn_stdscr(), true)
        wrefresh(cn_stdscr())
    }

    /// The terminal's size now (asks the kernel, so it is right after a resize).
    public func size() -> (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            return (Int(ws.ws_col), Int(ws.ws_row))
        }
        return (Int(cn_cols()), Int(cn_lines()))
    }

    /// Keys, resizes and signals as they arrive: a watcher thread waits for stdin and the wake
    /// pipe, and the reading (ncurses) happens here on the main actor.
    public func events() -> AsyncStream<TerminalEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: TerminalEvent.self)
        self.continuation = continuation
        let box = UncheckedBox(self)
        watcher = InputWatcher(input: 0, wake: wakeFD) { ready in
            Task { @MainActor in
                let terminal = box.value
                switch ready {
                case .input:
                    let keys = terminal.readKeys()
                    if !keys.isEmpty { continuation.yield(.keys(keys)) }
                case .wake:
                    let (signal, resized, stop) = terminal.takeSignals()
                    if resized {
                        let s = terminal.resized()
                        continuation.yield(.resized(width: s.width, height: s.height))
                    }
                    if stop { continuation.yield(.stop) }
                    if let signal { continuation.yield(.signal(signal)) }
                case .hangUp:
                    continuation.yield(.hangUp)
                    return
                }
                terminal.watcher?.drainedOnce()
            }
        }
        return stream
    }

    /// Adopts a new size after SIGWINCH; the next ``present(_:)`` redraws everything.
    private func resized() -> (width: Int, height: Int) {
        let s = size()
        resizeterm(Int32(s.height), Int32(s.width))
        wclear(cn_stdscr())
        previous = nil
        shownImages = []   // the clear took them away
        return s
    }

    /// Drains the wake pipe: the signal to end with (SIGINT, SIGTERM, SIGHUP), whether a resize
    /// came, whether a stop was asked for (SIGTSTP).
    private func takeSignals() -> (signal: Int32?, resized: Bool, stop: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64)
        var resized = false, stop = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(wakeFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            if buffer[0..<n].contains(UInt8(SIGWINCH)) { resized = true }
            if buffer[0..<n].contains(UInt8(SIGTSTP)) { stop = true }
        }
        let signal = caughtSignal
        caughtSignal = 0
        return (signal == 0 ? nil : signal, resized, stop)
    }

    /// Every key waiting on stdin.
    func readKeys() -> [Key] {
        var ch: wint_t = 0
        while true {
            let status = wget_wch(cn_stdscr(), &ch)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if let key = key(forCode: Int32(ch)) { decoder.feed(.key(key)) }
            } else if let scalar = Unicode.Scalar(UInt32(ch)) {
                decoder.feed(.scalar(scalar))
            }
        }
        if decoder.isWaiting {
            // the rest of an escape sequence comes within a moment; a lone Esc does not
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 25) > 0 { return readKeys() }
            decoder.flush()
        }
        return decoder.take()
    }

    private func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return nil
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            if event.bstate & cn_wheel_up() != 0 { return .wheelUp }
            if event.bstate & cn_wheel_down() != 0 { return .wheelDown }
            return nil
        case ctrlLeftCode: return .ctrlLeft
        case ctrlRightCode: return .ctrlRight
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Draws `screen`, writing only the rows that changed since the last call. A frame laid out
    /// for another size than the terminal has now is not drawn (the terminal was resized and
    /// the resize is on its way): drawn, it would wrap into a broken frame.
    public func present(_ screen: Screen) {
        let now = size()
        guard now.width == screen.width, now.height == screen.height else { return }
        let window = cn_stdscr()
        for y in 0..<screen.height {
            if let previous, screen.row(y, equals: previous) { continue }
            wmove(window, Int32(y), 0)
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.text.isEmpty { continue }  // right half of a wide character
                scalars.removeAll(keepingCapacity: true)
                for scalar in cell.text.unicodeScalars { scalars.append(wchar_t(bitPattern: scalar.value)) }
                scalars.append(0)
                _ = cn_put(window, Int32(y), Int32(x), &scalars, Int32(scalars.count - 1), attributes(cell.style),
                           colors ? Int16(cell.style.color.rawValue) : 0)
            }
        }
        if let cursor = screen.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        drawImages(screen.images, window)
        previous = screen
    }

    /// Images are written after the text, between DECSC and DECRC so that ncurses' idea of
    /// the cursor stays true. One that went away is deleted (kitty); sixel and iTerm2 pixels
    /// stay until cleared, and may have been moved with the text around them, so the whole
    /// screen is cleared and drawn again (once, when an image goes).
    private func drawImages(_ images: [ScreenImage], _ window: UnsafeMutablePointer<WINDOW>?) {
        let gone = shownImages.filter { !images.contains($0) }
        for image in gone where !image.removal.isEmpty { Self.emit(image.removal) }
        if gone.contains(where: { $0.removal.isEmpty }) {
            clearok(window, true)
            wrefresh(window)
        }
        for image in images where !shownImages.contains(image) {
            Self.emit(Array("\u{1B}7\u{1B}[\(image.y + 1);\(image.x + 1)H".utf8) + image.payload + Array("\u{1B}8".utf8))
        }
        shownImages = images
    }

    /// What the terminal draws images with: asked once (``GraphicsProbe``), its replies read
    /// here so that none reaches the key parser; keys typed meanwhile are kept. Half a second
    /// at most: a terminal that answers nothing has no graphics.
    public func graphics() -> TerminalGraphics? {
        if let probed { return probed.value }
        var probe = GraphicsProbe()
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            probe.adopt(cellWidth: Int(size.ws_xpixel) / Int(size.ws_col), cellHeight: Int(size.ws_ypixel) / Int(size.ws_row))
        }
        Self.emit(GraphicsProbe.query)
        let deadline = ContinuousClock.now + .milliseconds(500)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !probe.isComplete, ContinuousClock.now < deadline {
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
            let left = Int32(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            guard poll(&pfd, 1, left) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            probe.feed(Array(buffer[0..<n]))
        }
        probe.finish()
        for scalar in String(decoding: probe.other, as: UTF8.self).unicodeScalars { decoder.feed(.scalar(scalar)) }
        probed = Probed(value: probe.isComplete ? probe.result : nil)
        return probed?.value
    }

    private nonisolated func attributes(_ style: Style) -> attr_t {
        var a: attr_t = 0
        if style.bold { a |= cn_a_bold() }
        if style.dim || (!colors && style.color == .muted) { a |= cn_a_dim() }
        if style.reverse { a |= cn_a_reverse() }
        if style.underline { a |= cn_a_underline() }
        if style.italic { a |= cn_a_italic() }
        if colors && style.color == .muted { a |= cn_a_dim() }
        return a
    }

    /// Gives the terminal back: leaves the screen, turns bracketed paste off, restores modes.
    public func restore() {
        guard active else { return }
        active = false
        watcher?.stop()
        watcher = nil
        continuation?.finish()
        Self.emit("\u{1B}[?2004l")
        endwin()
        for number in [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP] { signal(number, SIG_DFL) }
        for number in crashSignals where hasPreviousCrashAction[Int(number)] {
            _ = sigaction(number, previousCrashActions + Int(number), nil)
        }
    }
}

/// Carries the terminal into the watcher's closure; it is only used on the main actor.
private struct UncheckedBox<T: AnyObject>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
