import Testing
import Foundation
import GRDB
@testable import LocalStore

@Suite struct SessionSearchTests {
    static let f = "f", u = "u"

    static func key(_ id: String, user: String = u) -> StoredSession.Key { .init(formation: f, user: user, id: id) }

    @Test func titlesMatchAnySubstringCaseInsensitivelyAndLiterally() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        try store.recordSession(Self.key("s1"), title: "Weather in Lisbon", at: Date(timeIntervalSince1970: 1))
        try store.recordSession(Self.key("s2"), title: "my_file at 100% \"quoted\"", at: Date(timeIntervalSince1970: 2))
        try store.recordSession(Self.key("s3"), title: "Éclairs à Paris", at: Date(timeIntervalSince1970: 3))
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "ISBO") == ["s1"])      // trigram index
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "th") == ["s1"])        // short: the walk
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "y_f") == ["s2"])       // _ is a character
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "0%") == ["s2"])        // % too
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "\"quoted\"") == ["s2"])
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "m_f").isEmpty)          // no wildcard
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "à pa") == ["s3"])
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "--") == ["s3", "s2", "s1"])   // no word: all
    }

    @Test func aTitleSetLaterIsFoundAndAnotherUsersIsNot() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        try store.removeSession(Self.key("s1"))                        // known with no title, hidden
        try store.recordSession(Self.key("s1"), title: "Kites in spring")   // used again: listed, titled
        try store.recordSession(Self.key("s9", user: "other"), title: "Kites too")
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "kites") == ["s1"])
        #expect(try store.searchSessions(formation: Self.f, user: "other", query: "kites") == ["s9"])
    }

    @Test func manyMatchesKeepTheMostRecentAndMessagesAddOlderSessions() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        let count = LocalStore.denseTitleMatches + 300
        for i in 0..<count {
            try store.recordSession(Self.key("t\(i)"), title: "trip number \(i)", at: Date(timeIntervalSince1970: Double(i)))
        }
        try store.recordSession(Self.key("old"), title: "nothing here", at: Date(timeIntervalSince1970: -5))
        try store.cacheMessage(Self.key("old"), role: .assistant, text: "a long trip to Porto")
        let found = try store.findSessions(formation: Self.f, user: Self.u, query: "trip", limit: 50)
        #expect(found.map(\.key.id) == (count - 50..<count).reversed().map { "t\($0)" })   // the dense path
        let porto = try store.findSessions(formation: Self.f, user: Self.u, query: "trip porto")
        #expect(porto.map(\.key.id) == ["old"])
        let all = try store.findSessions(formation: Self.f, user: Self.u, query: "trip", limit: 5000)
        #expect(all.count == count + 1 && all.last?.key.id == "old")
    }

    @Test func messagesFillTheLimitNewestFirstAndSkipHiddenSessions() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        for i in 0..<30 {
            try store.recordSession(Self.key("m\(i)"), title: "s\(i)", at: Date(timeIntervalSince1970: Double(i)))
            try store.cacheMessage(Self.key("m\(i)"), role: .user, text: "about croissants, \(i)")
        }
        try store.removeSession(Self.key("m29"))
        let found = try store.findSessions(formation: Self.f, user: Self.u, query: "croiss", limit: 10)
        #expect(found.first?.key.id == "m28")
        #expect(found.count <= 10 && !found.contains { $0.key.id == "m29" })
    }

    /// A store made before the trigram index (v5) is upgraded in place: its sessions, titles
    /// and counts kept, and searchable; a VACUUM afterwards leaves the index right.
    @Test func aVersion5StoreIsUpgradedAndStaysRightAfterVacuum() throws {
        let path = LocalStoreTests.tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            try LocalStore.migrator.migrate(queue, upTo: "v5: message counts kept per session")
            try queue.write { db in
                for i in 0..<40 {
                    try db.execute(sql: "INSERT INTO session (formation, user, id, title, createdAt, lastActive, turns, hidden) VALUES (?, ?, ?, ?, 0, ?, 1, ?)",
                                   arguments: [Self.f, Self.u, "v\(i)", "title \(i) \(i % 2 == 0 ? "even" : "odd")", Double(i), i == 4])
                }
                try db.execute(sql: "INSERT INTO message (formation, user, session, role, text, at) VALUES (?, ?, 'v3', 'user', 'hello pelican', 0)",
                               arguments: [Self.f, Self.u])
                try db.execute(sql: "DELETE FROM session WHERE id IN ('v0', 'v1', 'v2')")   // gaps in the old rowids
            }
        }
        let store = try LocalStore.open(at: path)
        #expect(try store.sessions(formation: Self.f, user: Self.u).count == 36)
        #expect(try store.messageCounts(formation: Self.f, user: Self.u) == ["v3": 1])
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "pelican") == ["v3"])
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "title 12 ") == ["v12"])
        try DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: "title 12 ") == ["v12"])
        #expect(try store.searchSessions(formation: Self.f, user: Self.u, query: " even").count == 17)   // 20 even, v0 v2 deleted, v4 hidden
        try store.cacheMessage(Self.key("v3"), role: .assistant, text: "more")
        #expect(try store.messageCounts(formation: Self.f, user: Self.u) == ["v3": 2])   // the count trigger is back
    }
}
