/// What the terminal tells the app: keys, a new size, a signal, or that it went away.
public enum TerminalEvent: Sendable, Equatable {
    case keys([Key])
    /// The terminal was resized; the new size is adopted.
    case resized(width: Int, height: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived: the app ends with 128 + the signal.
    case signal(Int32)
    /// SIGTSTP arrived (`kill -TSTP`): the app stops as on Ctrl+Z, until `fg`.
    case stop
    /// The terminal hung up (stdin closed).
    case hangUp
}

/// What the app needs from a terminal; `CursesTerminal` is the real one, tests use a headless
/// one. Everything but ``events()`` runs on the main actor.
///
/// ```swift
/// for await event in terminal.events() {
///     if case .keys(let keys) = event { handle(keys) }
/// }
/// ```
@MainActor
public protocol TerminalDevice: AnyObject {
    func size() -> (width: Int, height: Int)
    /// Keys, resizes and signals, as they arrive, until ``restore()``.
    func events() -> AsyncStream<TerminalEvent>
    func present(_ screen: Screen)
    func restore()
    /// Puts text on the system clipboard (OSC 52); false when the terminal cannot.
    func copyToClipboard(_ text: String) -> Bool
    /// Hands the terminal to `body` (an editor, or a stop until `fg`) and takes it back afterwards.
    func suspend(_ body: () -> Void)
    /// What the terminal can draw images with, asked of it the first time (see ``GraphicsProbe``);
    /// nil when it answers none.
    func graphics() -> TerminalGraphics?
}

extension TerminalDevice {
    /// No clipboard.
    public func copyToClipboard(_ text: String) -> Bool { false }
    /// Runs `body` as is.
    public func suspend(_ body: () -> Void) { body() }
    /// No graphics.
    public func graphics() -> TerminalGraphics? { nil }
}
