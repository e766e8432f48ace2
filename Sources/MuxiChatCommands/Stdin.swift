import Foundation

/// What a command reads from stdin (a message, a secret): a usage error when stdin is a
/// terminal (nothing was piped) or holds only white space.
///
/// ```swift
/// let text = try Stdin.text(what: "message", hint: "echo question | muxi-chat ask")
/// ```
enum Stdin {
    static func text(what: String, hint: String? = nil) throws -> String {
        if isatty(0) == 1 { throw CLIError.usage("no \(what)", hint: hint) }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CLIError.usage("the \(what) read from stdin is empty") }
        return text
    }
}
