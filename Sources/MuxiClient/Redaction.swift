/// How the types that hold keys describe themselves: never with a key. `print`, string
/// interpolation, `debugPrint` and `dump` (through the mirror) all show `<redacted>` where a
/// key is set.
///
/// ```swift
/// print(try FormationConfiguration(url: "http://h:8001", clientKey: "fmc_secret"))
/// // FormationConfiguration(baseURL: "http://h:8001/v1", clientKey: <redacted>, adminKey: nil, …)
/// ```
enum Redacted {
    /// What is shown for a key: `<redacted>` when set, `nil` when not.
    static func key(_ value: String?) -> String { value.map { $0.isEmpty ? "\"\"" : "<redacted>" } ?? "nil" }
}

extension FormationConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "FormationConfiguration(baseURL: \"\(baseURL)\", clientKey: \(Redacted.key(clientKey)), adminKey: \(Redacted.key(adminKey)), "
            + "userID: \(userID.map { "\"\($0)\"" } ?? "nil"), timeout: \(timeout), maxRetries: \(maxRetries), debug: \(debug))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "baseURL": baseURL, "clientKey": Redacted.key(clientKey), "adminKey": Redacted.key(adminKey),
            "userID": userID as Any, "timeout": timeout, "maxRetries": maxRetries, "retryPolicy": retryPolicy,
            "streamStallLimit": streamStallLimit, "streamIdleTimeout": streamIdleTimeout, "debug": debug,
        ], displayStyle: .struct)
    }
}

extension FormationClient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "FormationClient(\(configuration))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["configuration": configuration], displayStyle: .struct) }
}

extension ServerClient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "ServerClient(url: \"\(url)\", keyID: \"\(keyID)\", secretKey: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["url": url, "keyID": keyID, "secretKey": "<redacted>"], displayStyle: .struct)
    }
}

extension HMACSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "HMACSigner(keyID: \"\(keyID)\", secretKey: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["keyID": keyID, "secretKey": "<redacted>"], displayStyle: .struct) }
}
