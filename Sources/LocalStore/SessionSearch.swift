import GRDB

/// The session filter's search: titles by substring, cached messages by word prefixes.
///
/// Built to answer within a frame on a store of 100,000 sessions and 1,000,000 messages:
/// titles go through a trigram index (a substring of three characters or more), messages
/// through the full-text index read newest first and stopped as soon as enough sessions are
/// found, so neither scans the store.
extension LocalStore {
    /// How many title matches are sorted by recency in memory; past this many, the sessions
    /// are walked newest first instead (a common substring finds its matches at once that way).
    static let denseTitleMatches = 1000

    /// The ids of this formation's and user's sessions whose title or cached messages match
    /// `query` (words, as prefixes, all required), most recent first.
    ///
    /// ```swift
    /// try store.searchSessions(formation: url, user: "alice", query: "paris weath") // ["sess_a"]
    /// ```
    public func searchSessions(formation: String, user: String, query: String) throws -> [String] {
        try findSessions(formation: formation, user: user, query: query).map(\.key.id)
    }

    /// The sessions (at most `limit`, most recent first) whose title holds `query` or whose
    /// cached messages hold every word of it (as prefixes): whole rows, so a list that holds
    /// only the recent sessions can show an old one that matches.
    ///
    /// Messages are searched newest first: when more than `limit` sessions match, the ones
    /// kept are those with the newest matching messages. Words of one letter search titles
    /// only (as a prefix, one letter matches nearly every message of a large store).
    ///
    /// ```swift
    /// try store.findSessions(formation: url, user: "alice", query: "croiss").map(\.title) // ["Weather in Paris"]
    /// ```
    public func findSessions(formation: String, user: String, query: String, limit: Int = 500) throws -> [StoredSession] {
        let words = query.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0.count >= 2 }
        let needle = query.trimmingCharacters(in: .whitespaces)
        guard !needle.isEmpty, query.contains(where: { $0.isLetter || $0.isNumber }) else {
            return try sessions(formation: formation, user: user, limit: limit)
        }
        return try read { db in
            var found: [String: StoredSession] = [:]
            for session in try Self.titleMatches(db, formation: formation, user: user, needle: needle, limit: limit) {
                found[session.key.id] = session
            }
            if !words.isEmpty {
                let match = words.map { "\"" + $0 + "\"*" }.joined(separator: " ")
                let ids = try Self.sessionsWithMessages(db, formation: formation, user: user, match: match, limit: limit)
                for session in try Self.rows(db, formation: formation, user: user, ids: ids.filter { found[$0] == nil }) {
                    found[session.key.id] = session
                }
            }
            return Array(found.values.sorted { ($0.lastActive, $0.key.id) > ($1.lastActive, $1.key.id) }.prefix(limit))
        }
    }

    /// The sessions whose title holds `needle` (case-insensitive), most recent first.
    private static func titleMatches(_ db: Database, formation: String, user: String, needle: String, limit: Int) throws -> [StoredSession] {
        if needle.count >= 3 {
            // the trigram index: a quoted phrase is a plain substring (no wildcards)
            let phrase = "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let keys = try Int64.fetchAll(db, sql: "SELECT rowid FROM sessionTitle WHERE sessionTitle MATCH ? LIMIT ?",
                                          arguments: [phrase, denseTitleMatches + 1])
            if keys.count <= denseTitleMatches {
                guard !keys.isEmpty else { return [] }
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM session WHERE key IN (\(keys.map(String.init).joined(separator: ",")))
                    AND formation = ? AND user = ? AND NOT hidden ORDER BY lastActive DESC LIMIT ?
                    """, arguments: [formation, user, limit]).map(StoredSession.init(row:))
            }
        }
        // short or common: walk the sessions newest first, which finds dense matches at once
        let pattern = "%" + needle.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try Row.fetchAll(db, sql: """
            SELECT * FROM session WHERE formation = ? AND user = ? AND NOT hidden AND title LIKE ? ESCAPE '\\'
            ORDER BY lastActive DESC LIMIT ?
            """, arguments: [formation, user, pattern, limit]).map(StoredSession.init(row:))
    }

    /// The ids of up to `limit` sessions with a cached message matching the full-text query
    /// `match`, the newest matching messages first. The index is read first (CROSS JOIN pins
    /// that order: the planner otherwise scans the messages) and stopped once enough are found.
    private static func sessionsWithMessages(_ db: Database, formation: String, user: String, match: String, limit: Int) throws -> [String] {
        let cursor = try String.fetchCursor(db, sql: """
            SELECT m.session FROM messageSearch CROSS JOIN message m ON m.id = messageSearch.rowid
            WHERE messageSearch MATCH ? AND m.formation = ? AND m.user = ? ORDER BY messageSearch.rowid DESC
            """, arguments: [match, formation, user])
        var seen: Set<String> = []
        var ids: [String] = []
        while ids.count < limit, let id = try cursor.next() {
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    /// The listed (not hidden) sessions among `ids`.
    private static func rows(_ db: Database, formation: String, user: String, ids: [String]) throws -> [StoredSession] {
        var sessions: [StoredSession] = []
        for start in stride(from: 0, to: ids.count, by: 200) {
            let chunk = Array(ids[start..<min(start + 200, ids.count)])
            sessions += try Row.fetchAll(db, sql: """
                SELECT * FROM session WHERE formation = ? AND user = ? AND NOT hidden
                AND id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))
                """, arguments: StatementArguments([formation, user] + chunk)).map(StoredSession.init(row:))
        }
        return sessions
    }
}
