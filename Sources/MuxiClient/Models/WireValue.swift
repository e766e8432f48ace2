/// A value from an open set the runtime writes (a status, a role, a kind): one of the values
/// a type names (`.completed`), or any other the runtime sends, kept as received rather than
/// refused or guessed at. Every status of the library (``RequestInfo/Status``, ``JobState``,
/// ``ScheduledJob/Status``, ``TriggerResult/Status``, ``WebhookEvent/Status``,
/// ``ChatCompletion/Status``…) is one of these: compare with the named values, and switch
/// with a `default:` for the ones the runtime adds later.
///
/// ```swift
/// switch job.status {
/// case .active: print("runs")
/// case .paused: print("paused")
/// default: print("the runtime says \(job.status)")
/// }
/// let done: ScheduledJob.Status = "COMPLETED"   // a literal is the wire value
/// ```
public protocol WireValue: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String {
    /// The value as written on the wire (values the library does not name are kept).
    init(rawValue: String)
}

extension WireValue {
    /// The value as written on the wire.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// The runtime's spelling.
    public var description: String { rawValue }
}
