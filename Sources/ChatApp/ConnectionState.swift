/// What the app knows of its connection to the formation, shown in the status line.
public enum ConnectionState: Sendable, Equatable {
    case unknown
    case connected
    /// The server answered 401/403 to the client key.
    case keyRefused(String)
    /// No client key was given.
    case noKey
    case unreachable(String)
    /// The server answers but reports itself unhealthy.
    case unhealthy(String)

    public var isUsable: Bool { self == .connected }

    /// The status line's words.
    public var label: String {
        switch self {
        case .unknown: return "connecting…"
        case .connected: return "connected"
        case .keyRefused: return "key refused: check --client-key"
        case .noKey: return "no client key: give --client-key or set MUXI_CLIENT_KEY"
        case .unreachable(let why): return "offline: " + why
        case .unhealthy(let status): return "unhealthy: " + status
        }
    }
}
