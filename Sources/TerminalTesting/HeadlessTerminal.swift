public import TerminalUI

/// A terminal without a screen, for tests of the real event loop: keys typed with
/// ``type(_:)``, sizes set with ``resize(width:height:)``, every frame kept.
///
/// ```swift
/// let terminal = HeadlessTerminal()
/// let run = Task { await AppRunner(state: state, terminal: terminal, services: services).run() }
/// terminal.type("hello".map(Key.character) + [.enter])
/// #expect(await terminal.waitFor("hello"))
/// ```
@MainActor
public final class HeadlessTerminal: TerminalDevice {
    private let stream: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    public private(set) var screens: [Screen] = []
    public private(set) var restored = false
    public private(set) var suspended = 0
    public var width = 100, height = 24

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: TerminalEvent.self)
    }

    /// Keys as a person types them (one read).
    public func type(_ keys: [Key]) { continuation.yield(.keys(keys)) }

    /// The terminal is resized.
    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        continuation.yield(.resized(width: width, height: height))
    }

    /// A signal arrives (SIGTERM…).
    public func signal(_ number: Int32) { continuation.yield(.signal(number)) }

    public func size() -> (width: Int, height: Int) { (width, height) }
    public func events() -> AsyncStream<TerminalEvent> { stream }
    public func present(_ screen: Screen) { screens.append(screen) }
    public func restore() {
        restored = true
        continuation.finish()
    }
    public func suspend(_ body: () -> Void) {
        suspended += 1
        body()
    }

    /// The last frame, as text.
    public var text: String { screens.last?.lines().joined(separator: "\n") ?? "" }

    /// Waits (up to 5 s) until the screen shows `needle`; each new frame is looked at once
    /// (no polling on a clock).
    public func waitFor(_ needle: String, timeout: Duration = .seconds(5)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.contains(needle) }
    }

    /// Waits (up to 5 s) until the screen's text satisfies `holds`.
    public func waitUntil(timeout: Duration = .seconds(5), _ holds: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var seen = -1
        while ContinuousClock.now < deadline {
            if screens.count != seen {
                seen = screens.count
                if holds(text) { return true }
            }
            await Task.yield()
        }
        return holds(text)
    }
}
