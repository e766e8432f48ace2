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
