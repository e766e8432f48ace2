public import struct Foundation.Date

/// Reads the timestamps the runtime writes, in all of its forms: epoch seconds as an int or a
/// float, epoch milliseconds (the envelope's `timestamp`), and ISO 8601 strings with or without
/// fractional seconds and with `Z`, an offset, or nothing (taken as UTC).
///
/// ```swift
/// Timestamp.date(from: 1764412800.5)                       // seconds
/// Timestamp.date(from: 1764412805123)                      // milliseconds
/// Timestamp.date(from: "2026-11-29T12:47:36.794934")       // ISO, no zone: UTC
/// ```
package enum Timestamp {
    /// The date a JSON value stands for, or nil when it is not a timestamp.
    package static func date(from value: JSONValue) -> Date? {
        switch value {
        case .number(let n): return n.doubleValue.map(date(fromEpoch:))
        case .string(let s): return Double(s).map(date(fromEpoch:)) ?? iso8601(s)
        default: return nil
        }
    }

    /// A Unix time in seconds, or in milliseconds when it is too large to be seconds
    /// (past the year 5000).
    ///
    /// ```swift
    /// Timestamp.date(fromEpoch: 1764412805123) // milliseconds
    /// ```
    package static func date(fromEpoch value: Double) -> Date {
        Date(timeIntervalSince1970: abs(value) >= 1e11 ? value / 1000 : value)
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fraction]]` and
    /// `Z` or `±HH[:MM]`. No zone means UTC.
    ///
    /// ```swift
    /// Timestamp.iso8601("2030-01-01T09:00:00Z")
    /// ```
    package static func iso8601(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var v = 0
            for k in i..<(i + digits) {
                guard (0x30...0x39).contains(b[k]) else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            i += digits
            return v
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = 0.0
        var offset = 0
        if i < b.count {
            guard take(0x54) || take(0x74) || take(0x20), let h = number(2), take(0x3A), let m = number(2),
                h < 24, m < 60
            else { return nil }
            seconds = Double(h * 3600 + m * 60)
            if take(0x3A) {
                guard let s = number(2), s <= 60 else { return nil }
                seconds += Double(s)
                if take(0x2E) || take(0x2C) {
                    var scale = 0.1
                    let start = i
                    while i < b.count, (0x30...0x39).contains(b[i]) {
                        seconds += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > start else { return nil }
                }
            }
            if take(0x5A) || take(0x7A) {
            } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
                let sign = b[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = take(0x3A)
                let om = number(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
            guard i == b.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400) + seconds - Double(offset))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let parts = text.replacingCommas.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT -> [Sun, 06, Nov, 1994, 08:49:37, GMT]
        // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT -> [Sunday, 06-Nov-94, 08:49:37, GMT]
        // asctime:     Sun Nov  6 08:49:37 1994 -> [Sun, Nov, 6, 08:49:37, 1994]
        var day: Int?, month: Int?, year: Int?, time: String?
        if parts.count == 6 {
            day = Int(parts[1]); month = monthIndex(parts[2]); year = Int(parts[3]); time = parts[4]
        } else if parts.count == 4 {
            let dmy = parts[1].split(separator: "-").map(String.init)
            guard dmy.count == 3 else { return nil }
            day = Int(dmy[0]); month = monthIndex(dmy[1]); time = parts[2]
            if let y = Int(dmy[2]) { year = y < 100 ? (y < 70 ? 2000 + y : 1900 + y) : y }
        } else if parts.count == 5 {
            month = monthIndex(parts[1]); day = Int(parts[2]); time = parts[3]; year = Int(parts[4])
        }
        guard let day, let month, let year, let time else { return nil }
        let hms = time.split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, hms[0] < 24, hms[1] < 60, hms[2] <= 60, (1...31).contains(day) else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2]))
    }

    private static func monthIndex(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }
}

extension String {
    fileprivate var replacingCommas: String { String(map { $0 == "," ? " " : $0 }) }
}

/// ISO 8601 in UTC with milliseconds, as the restore and ingestion routes want.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        // civil-from-days (H. Hinnant)
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2)):"
            + "\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))Z"
    }
}
