/// What the app needs from a terminal; `CursesTerminal` is the real one, tests use a headless
/// one. Everything runs on the main actor.
@MainActor
public protocol TerminalDevice: AnyObject {
    /// The descriptor keys arrive on (stdin for a real terminal).
    var inputFD: Int32 { get }
    /// A descriptor that becomes readable on signals and resizes.
    var wakeFD: Int32 { get }
    func size() -> (width: Int, height: Int)
    /// Adopts the new size after a resize.
    func resized() -> (width: Int, height: Int)
    /// The pending signal (SIGINT, SIGTERM, SIGHUP) and whether a resize came.
    func takeSignals() -> (signal: Int32?, resized: Bool)
    func readKeys() -> [Key]
    func present(_ screen: Screen)
    func restore()
    /// Puts text on the system clipboard (OSC 52); false when the terminal cannot.
    func copyToClipboard(_ text: String) -> Bool
    /// Hands the terminal to `body` (an editor) and takes it back afterwards.
    func suspend(_ body: () -> Void)
}

extension TerminalDevice {
    /// No clipboard.
    public func copyToClipboard(_ text: String) -> Bool { false }
    /// Runs `body` as is.
    public func suspend(_ body: () -> Void) { body() }
}
