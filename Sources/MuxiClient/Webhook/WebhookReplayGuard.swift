public import struct Foundation.Date
import class Foundation.NSLock

/// Remembers the webhook signatures already accepted, so that a captured webhook sent again
/// is refused (`Webhook.Verification.replayed`). Signatures older than the tolerance are
/// forgotten: those are refused as expired anyway, so memory stays bounded by the traffic of
/// one tolerance window. Share one guard for the life of the server; it is thread-safe.
///
/// ```swift
/// let replays = WebhookReplayGuard()
/// let verdict = Webhook.verify(payload: body, header: sig, secret: key, replays: replays)
/// ```
public final class WebhookReplayGuard: @unchecked Sendable {
    private let lock = NSLock()
    /// Signature → its timestamp.
    private var seen: [[UInt8]: Int] = [:]

    public init() {}

    /// Records the header's signatures; false when one of them was recorded before.
    func firstUse(of header: WebhookSignatureHeader, now: Date, tolerance: Duration) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let oldest = Int(now.timeIntervalSince1970 - Double(tolerance.components.seconds)) - 1
        if seen.count > 1024 { seen = seen.filter { $0.value >= oldest } }
        guard !header.signatures.contains(where: { seen[$0] != nil }) else { return false }
        for signature in header.signatures { seen[signature] = header.timestamp }
        return true
    }
}
