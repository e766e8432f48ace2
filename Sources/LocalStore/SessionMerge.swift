public import Foundation

/// One session of the merged list: what the server and the local copy know of it.
public struct MergedSession: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable { case server, local, both }
    public var id: String
    public var title: String
    public var lastActive: Date?
    /// The message count: the server's when it says, else the local copy's.
    public var messages: Int?
    public var source: Source
    public var onServer: Bool { source != .local }
}

/// The one rule that makes the sessions list, for the app's sessions pane and the CLI's
/// `sessions`: the server's sessions and the local ones together, newest first, without those
/// the user removed from the list. The title and count come from the local copy when the
/// server has none; the last activity is the later of the two.
///
/// ```swift
/// let list = SessionMerge.merge(server: [("sess_a", date, 4)], local: stored, counts: [:], hidden: [])
/// ```
public enum SessionMerge {
    public static func merge(server: [(id: String, lastActive: Date?, messages: Int?)], local: [StoredSession],
                             counts: [String: Int], hidden: Set<String>) -> [MergedSession] {
        var rows: [String: MergedSession] = [:]
        for s in local where !hidden.contains(s.key.id) {
            rows[s.key.id] = MergedSession(id: s.key.id, title: s.title, lastActive: s.lastActive, messages: counts[s.key.id], source: .local)
        }
        for s in server where !hidden.contains(s.id) {
            if var row = rows[s.id] {
                row.source = .both
                row.lastActive = [row.lastActive, s.lastActive].compactMap { $0 }.max()
                row.messages = s.messages ?? row.messages
                rows[s.id] = row
            } else {
                rows[s.id] = MergedSession(id: s.id, title: "", lastActive: s.lastActive, messages: s.messages, source: .server)
            }
        }
        return rows.values.sorted {
            let a = $0.lastActive ?? .distantPast, b = $1.lastActive ?? .distantPast
            return a != b ? a > b : $0.id < $1.id
        }
    }
}
