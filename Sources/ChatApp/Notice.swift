public import Foundation

/// A one-line message to the user that knows how long it is true: until the next key, until a
/// moment, until the turn it is about ends, or until the panel it is about closes.
///
/// ```swift
/// Notice("copied 12 characters")                                  // gone at the next key
/// Notice("a turn is running: Esc cancels it", .warning, until: .turnEnds)
/// ```
public struct Notice: Sendable, Equatable {
    public enum Tone: Sendable, Equatable { case info, warning, error }
    public enum Ending: Sendable, Equatable {
        case nextKey
        case at(Date)
        case turnEnds
        /// Stays until replaced (a pane's line about its list).
        case replaced
    }

    public var text: String
    public var tone: Tone
    public var ending: Ending

    public init(_ text: String, _ tone: Tone = .info, until ending: Ending = .nextKey) {
        self.text = text
        self.tone = tone
        self.ending = ending
    }

    /// Whether it still holds at `now`, after a key (`key`), or with a turn running or not.
    func holds(now: Date, key: Bool, turnRunning: Bool) -> Bool {
        switch ending {
        case .nextKey: return !key
        case .at(let date): return now < date
        case .turnEnds: return turnRunning
        case .replaced: return true
        }
    }
}

/// Whether a key was taken by a pane or modal (with what the outside world must do) or is not
/// its business, so the next one in line gets it.
public enum KeyOutcome: Sendable, Equatable {
    case handled([Effect])
    case notMine

    static let done = KeyOutcome.handled([])
}

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
