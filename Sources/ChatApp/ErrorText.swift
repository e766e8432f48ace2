import Foundation
public import MuxiClient

/// Error lines written for where they are shown: the app and the CLI name the flags and
/// variables a user sets (`--client-key`, `MUXI_CLIENT_KEY`), never the SDK's parameters.
///
/// ```swift
/// ErrorText.line(for: error)   // "the server refused the key (…); check --client-key / MUXI_CLIENT_KEY"
/// ```
public enum ErrorText {
    public static func line(for error: MuxiError) -> String {
        switch error.kind {
        case .authentication, .authorization:
            return "the server refused the key (\(error.message)); check --client-key / MUXI_CLIENT_KEY" + (error.message.lowercased().contains("admin") ? " (or --admin-key / MUXI_ADMIN_KEY)" : "")
        case .connection where error.code == "CONNECTION_CUT": return error.message + "."
        case .connection: return "cannot reach the formation (\(error.message)). Is it running?"
        case .timeout: return "the server stopped answering (\(error.message))."
        case .rateLimit: return "rate limited" + (error.retryAfter.map { ": try again in \(Int($0)) s" } ?? "")
        case .configuration: return flagNames(error.message)
        case .notFound: return "not found: " + error.message
        default: return error.message
        }
    }

    /// The SDK's parameter names in a message, as the flags that set them.
    public static func flagNames(_ message: String) -> String {
        message.replacingOccurrences(of: "set clientKey (or MUXI_CLIENT_KEY)", with: "give --client-key or set MUXI_CLIENT_KEY")
            .replacingOccurrences(of: "set adminKey (or MUXI_ADMIN_KEY)", with: "give --admin-key or set MUXI_ADMIN_KEY")
            .replacingOccurrences(of: "clientKey", with: "--client-key").replacingOccurrences(of: "adminKey", with: "--admin-key")
            .replacingOccurrences(of: "userID", with: "--user")
    }

    /// What a failed request says about the connection, if anything.
    public static func connection(after error: MuxiError) -> ConnectionState? {
        switch error.kind {
        case .authentication, .authorization: return .keyRefused(error.message)
        case .connection, .timeout: return .unreachable(error.message)
        case .configuration where error.message.contains("clientKey") || error.message.contains("client key"): return .noKey
        default: return nil
        }
    }
}

/// The formation's memory configuration as lines to show: the response's envelope left out,
/// nested keys dotted, and anything that may hold a secret (connection strings, passwords,
/// keys, tokens) shown as hidden.
public enum MemoryConfigText {
    public static func lines(_ value: JSONValue) -> [String] {
        var root = value
        if case .object(let fields) = value, let data = fields["data"] { root = data }
        if case .object(var fields) = root {
            for envelope in ["request_id", "timestamp", "success", "error", "object", "type"] { fields[envelope] = nil }
            root = .object(fields)
        }
        return summary(root, prefix: "")
    }

    static func isSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return ["connection_string", "password", "secret", "token", "api_key", "dsn", "credential"].contains { k.contains($0) } || k.hasSuffix("_key") || k == "key"
    }

    private static func summary(_ value: JSONValue, prefix: String) -> [String] {
        switch value {
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { field -> [String] in
                let name = prefix.isEmpty ? field.key : prefix + "." + field.key
                if isSecret(field.key), field.value != .null { return [name + ": (hidden)"] }
                return summary(field.value, prefix: name)
            }
        default:
            return [prefix + ": " + JSONWriter.string(value)]
        }
    }
}
