import NIOConcurrencyHelpers

/// The time of the last activity, shared between tasks.
final class LockedClock: Sendable {
    private let box = NIOLockedValueBox(ContinuousClock.now)

    func touch() { box.withLockedValue { $0 = .now } }
    var last: ContinuousClock.Instant { box.withLockedValue { $0 } }
}
