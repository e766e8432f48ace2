import Foundation
import NIOConcurrencyHelpers

/// A newer Swift SDK announced by a MUXI server in `X-Muxi-SDK-Latest` (the server picks it
/// by the `swift/…` of the `X-Muxi-SDK` header every request carries).
///
/// ```swift
/// SDKUpdate.isNewer("0.20260408.0", than: "0.1.0")   // true: compared number by number
/// ```
public struct SDKUpdate: Sendable, Hashable {
    /// The version the server announces.
    public let latest: String
    /// This library's version (``MuxiClientVersion/current``).
    public let current: String

    /// An update from `current` to `latest`.
    public init(latest: String, current: String) {
        self.latest = latest
        self.current = current
    }

    /// Whether `latest` is a later version than `current`, comparing the dot-separated
    /// parts as numbers (`0.10.0` is later than `0.9.0`); a part that is not a number is
    /// compared as text.
    public static func isNewer(_ latest: String, than current: String) -> Bool {
        let a = latest.split(separator: "."), b = current.split(separator: ".")
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "0", y = i < b.count ? String(b[i]) : "0"
            if let m = Int(x), let n = Int(y) {
                if m != n { return m > n }
            } else if x != y {
                return x > y
            }
        }
        return false
    }

    /// Whether this process has reported an update.
    static let reported = NIOLockedValueBox(false)

    /// Calls `handler` with the update when `latest` is newer than this library, unless it
    /// was already called in this process or `MUXI_SDK_VERSION_NOTIFICATION` is `0`.
    static func report(latest: String, current: String = MuxiClientVersion.current,
                       environment: (String) -> String? = Environment.value,
                       once: NIOLockedValueBox<Bool> = reported, to handler: @Sendable (SDKUpdate) -> Void) {
        let value = latest.trimmingCharacters(in: .whitespaces)
        guard environment("MUXI_SDK_VERSION_NOTIFICATION") != "0", isNewer(value, than: current) else { return }
        let first = once.withLockedValue { done in
            defer { done = true }
            return !done
        }
        if first { handler(SDKUpdate(latest: value, current: current)) }
    }
}
