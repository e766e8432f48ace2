import Foundation

/// The config file: `$XDG_CONFIG_HOME/muxi-chat/config.toml` (default
/// `~/.config/muxi-chat/config.toml`), a small TOML subset of named profiles:
///
/// ```toml
/// default_profile = "local"
///
/// [profile.local]
/// url = "http://127.0.0.1:18371"
/// client_key = "fmc_…"
/// admin_key = "fma_…"
/// user = "alice"
/// ```
///
/// Keys: `url`, `server_url`, `formation`, `draft` (true/false), `client_key`, `admin_key`,
/// `user`, `key_id`, `secret_key`, `timeout` (seconds). A `[keys]` section changes the
/// full-screen app's keys, command = key: `palette = "ctrl+k"`, `search = "none"`. Strings are in double quotes (with
/// `\"`, `\\`, `\n`, `\t`, `\uXXXX` escapes) or single quotes (literal); `#` starts a comment.
struct ConfigFile: Sendable {
    var defaultProfile: String?
    var profiles: [String: [String: String]]
    var path: String
    /// The `[keys]` section: command name, key name, and the line (for errors).
    var keys: [(command: String, key: String, line: Int)] = []
    /// Set when the file holds keys and others can read it.
    var permissionWarning: String?

    static func defaultPath(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/muxi-chat/config.toml"
    }

    /// Reads the file at `path`; nil when there is none.
    static func load(path: String) throws -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.configuration("cannot read the config file \(path)")
        }
        var file = try parse(String(decoding: data, as: UTF8.self), path: path)
        let mode = ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? 0
        let holdsKeys = file.profiles.values.contains { $0.keys.contains { $0.hasSuffix("_key") } }
        if holdsKeys && mode & 0o077 != 0 {
            file.permissionWarning = "warning: \(path) holds keys and other users can read it (mode \(String(mode, radix: 8))); run: chmod 600 \(path)"
        }
        return file
    }

    static func parse(_ text: String, path: String) throws -> ConfigFile {
        var file = ConfigFile(defaultProfile: nil, profiles: [:], path: path)
        var section: String?
        var inKeys = false
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            func fail(_ why: String) -> CLIError { .configuration("\(path):\(number + 1): \(why)") }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("a section header must end with ]") }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if name == "keys" {
                    section = nil
                    inKeys = true
                    continue
                }
                inKeys = false
                guard name.hasPrefix("profile."), name.count > 8 else { throw fail("sections are [profile.NAME] or [keys], not [\(name)]") }
                section = String(name.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                file.profiles[section ?? "", default: [:]] = file.profiles[section ?? ""] ?? [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected key = value") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = try parseValue(line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces), fail: fail)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw fail("invalid key \"\(key)\"")
            }
            if inKeys {
                file.keys.append((key, value, number + 1))
            } else if let section {
                guard knownKeys.contains(key) else {
                    throw fail("unknown key \"\(key)\" (known: \(knownKeys.sorted().joined(separator: ", ")))")
                }
                file.profiles[section, default: [:]][key] = value
            } else if key == "default_profile" {
                file.defaultProfile = value
            } else {
                throw fail("only default_profile may stand outside a [profile.NAME] section")
            }
        }
        return file
    }

    static let knownKeys: Set<String> = ["url", "server_url", "formation", "draft", "client_key", "admin_key", "user",
                                         "key_id", "secret_key", "timeout"]

    private static func stripComment(_ line: String) -> String {
        var inDouble = false, inSingle = false, escaped = false
        for (i, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && inDouble { escaped = true; continue }
            if c == "\"" && !inSingle { inDouble.toggle() }
            if c == "'" && !inDouble { inSingle.toggle() }
            if c == "#" && !inDouble && !inSingle { return String(line.prefix(i)) }
        }
        return line
    }

    private static func parseValue(_ text: String, fail: (String) -> CLIError) throws -> String {
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else { throw fail("unterminated string") }
            return String(text.dropFirst().dropLast())
        }
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\""), !text.hasSuffix("\\\"") || text.hasSuffix("\\\\\"") else {
                throw fail("unterminated string")
            }
            var out = ""
            var chars = Array(text.dropFirst().dropLast())
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count {
                    i += 1
                    switch chars[i] {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "u":
                        guard i + 4 < chars.count, let v = UInt32(String(chars[(i + 1)...(i + 4)]), radix: 16),
                            let scalar = Unicode.Scalar(v)
                        else { throw fail("bad \\u escape") }
                        out.unicodeScalars.append(scalar)
                        i += 4
                    default: throw fail("unknown escape \\\(chars[i])")
                    }
                } else if c == "\"" {
                    throw fail("unescaped quote inside a string")
                } else {
                    out.append(c)
                }
                i += 1
            }
            chars.removeAll()
            return out
        }
        if ["true", "false"].contains(text) || Double(text) != nil { return text }
        throw fail("values are quoted strings, true/false or numbers")
    }
}
