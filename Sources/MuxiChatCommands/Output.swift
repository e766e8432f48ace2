import Foundation
import MuxiClient
import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the command line itself (not of the server), with the exit code it maps to.
struct CLIError: Error, Sendable {
    var kind: String
    var code: String
    var message: String
    var hint: String?
    var exitCode: Int32

    static func configuration(_ message: String, hint: String? = nil) -> CLIError {
        CLIError(kind: "configuration", code: "CONFIGURATION", message: message, hint: hint, exitCode: 2)
    }

    static func usage(_ message: String, hint: String? = nil) -> CLIError {
        CLIError(kind: "usage", code: "USAGE", message: message, hint: hint, exitCode: 2)
    }

    static func notFound(_ message: String, hint: String? = nil) -> CLIError {
        CLIError(kind: "not found", code: "NOT_FOUND", message: message, hint: hint, exitCode: 4)
    }
}

/// Where output goes, and how: text from the server is written raw to a pipe or file, and
/// with control characters made visible on a terminal.
struct Output: Sendable {
    let stdoutIsTerminal = isatty(1) == 1
    let stderrIsTerminal = isatty(2) == 1

    /// Terminal width of stdout, or nil when stdout is not a terminal.
    var width: Int? {
        guard stdoutIsTerminal else { return nil }
        var size = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    }

    /// Server text made safe for stdout.
    func safe(_ text: String) -> String {
        stdoutIsTerminal ? ControlCharacters.visible(text) : text
    }

    /// One table cell: one line, control characters visible even in a pipe (a cell must not
    /// break the table).
    func cell(_ text: String?) -> String {
        ControlCharacters.visible(text ?? "", keepingNewlines: false)
    }

    func write(_ text: String) { Self.write(text, to: 1) }
    func line(_ text: String = "") { Self.write(text + "\n", to: 1) }
    func error(_ text: String) { Self.write(text + "\n", to: 2) }

    /// An aligned table; an empty one is its header alone (so a script sees the columns).
    func table(_ headers: [String], _ rows: [[String]]) {
        line(TextTable(headers: headers, rows: rows).render(maxWidth: width))
    }

    /// Pretty, key-sorted JSON.
    func json(_ value: JSONValue) {
        line(JSONPretty.string(value))
    }

    static func write(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                return Glibc.write(fd, base + offset, raw.count - offset)
                #else
                return Darwin.write(fd, base + offset, raw.count - offset)
                #endif
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Indented JSON with sorted keys, for `--json` output.
enum JSONPretty {
    static func string(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + string($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.keys.sorted().map { key in
                inner + JSONWriter.string(.string(key)) + ": " + string(members[key] ?? .null, indent: inner)
            }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return JSONWriter.string(value)
        }
    }
}

/// How values are shown in tables and JSON.
enum Format {
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }

    static func iso(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return .string(f.string(from: date))
    }

    static func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func int(_ i: Int?) -> JSONValue { i.map { .number(JSONNumber($0)) } ?? .null }
}
