public import Foundation

/// Checks a job's schedule before it is sent: a five-field cron expression for a recurring
/// job, an ISO 8601 time in the future for a one-time job. The runtime's own errors for a bad
/// schedule are vague; these name the field that is wrong.
///
/// ```swift
/// try JobSchedule.validate("0 9 * * MON-FRI", type: .recurring)
/// try JobSchedule.validate("2027-01-01T09:00:00Z", type: .oneTime)
/// ```
public enum JobSchedule {
    /// Why a schedule is refused.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    private static let fields: [(name: String, range: ClosedRange<Int>, names: [String])] = [
        ("minute", 0...59, []), ("hour", 0...23, []), ("day of month", 1...31, []),
        ("month", 1...12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day of week", 0...7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// Throws ``Invalid`` naming what is wrong; `now` is when "in the future" is measured from.
    public static func validate(_ schedule: String, type: JobType, now: Date = Date()) throws(Invalid) {
        let text = schedule.trimmingCharacters(in: .whitespaces)
        switch type {
        case .recurring: try validateCron(text)
        case .oneTime:
            guard let date = parseTime(text) else {
                throw Invalid(description: "\"\(text)\" is not an ISO 8601 time, e.g. 2027-01-01T09:00:00Z")
            }
            guard date > now else { throw Invalid(description: "\(text) is in the past") }
        }
    }

    /// An ISO 8601 time, with or without fractional seconds and zone (no zone: UTC).
    public static func parseTime(_ text: String) -> Date? {
        let withZone = ISO8601DateFormatter()
        if let d = withZone.date(from: text) { return d }
        withZone.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withZone.date(from: text) { return d }
        let local = ISO8601DateFormatter()
        local.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        local.timeZone = TimeZone(identifier: "UTC")
        return local.date(from: text)
    }

    static func validateCron(_ text: String) throws(Invalid) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 else {
            throw Invalid(description: "a cron expression has 5 fields (minute hour day-of-month month day-of-week), \"\(text)\" has \(parts.count)")
        }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                guard validItem(String(item).uppercased(), field.range, field.names) else {
                    throw Invalid(description: "cron \(field.name) \"\(part)\" is not valid (\(field.range.lowerBound)–\(field.range.upperBound), *, a-b, */n, lists)")
                }
            }
        }
    }

    private static func validItem(_ item: String, _ range: ClosedRange<Int>, _ names: [String]) -> Bool {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return false }
        if pieces.count == 2 {
            guard let step = Int(pieces[1]), step > 0, step <= range.upperBound else { return false }
        }
        let base = pieces[0]
        if base == "*" { return true }
        func value(_ s: Substring) -> Int? {
            if let n = Int(s) { return range.contains(n) ? n : nil }
            return names.firstIndex(of: String(s)).map { $0 + range.lowerBound }
        }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1: return value(bounds[0]) != nil
        case 2:
            guard let low = value(bounds[0]), let high = value(bounds[1]) else { return false }
            return low <= high
        default: return false
        }
    }
}
