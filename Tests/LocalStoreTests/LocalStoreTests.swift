import Testing
import Foundation
import GRDB
import LocalStore

@Suite struct LocalStoreTests {
    static func tempPath() -> String {
        NSTemporaryDirectory() + "muxi-store-\(UUID().uuidString)/store.sqlite"
    }

    @Test func recordsSessionsNewestFirstWithTheFirstTitle() throws {
        let store = try LocalStore.open(at: Self.tempPath())
        let a = StoredSession.Key(formation: "http://f/v1", user: "alice", id: "sess_a")
        let b = StoredSession.Key(formation: "http://f/v1", user: "alice", id: "sess_b")
        try store.recordSession(a, title: "First\nsecond line", at: Date(timeIntervalSince1970: 100))
        try store.recordSession(b, title: "Other", at: Date(timeIntervalSince1970: 200))
        try store.recordSession(a, title: "ignored, a title stays", at: Date(timeIntervalSince1970: 300))
        let sessions = try store.sessions(formation: "http://f/v1", user: "alice")
        #expect(sessions.map(\.key.id) == ["sess_a", "sess_b"])
        #expect(sessions[0].title == "First" && sessions[0].turns == 2)
        #expect(try store.lastSession(formation: "http://f/v1", user: "alice")?.key == a)
        #expect(try store.sessions(formation: "http://f/v1", user: "bob").isEmpty)
        try store.removeSession(a)
        #expect(try store.lastSession(formation: "http://f/v1", user: "alice")?.key == b)
    }

    @Test func aDamagedFileIsMovedAsideNotLost() throws {
        let path = Self.tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("this is not a database, but someone's data".utf8).write(to: URL(fileURLWithPath: path))
        let store = try LocalStore.open(at: path)
        #expect(store.warnings.count == 1 && store.warnings[0].contains("moved to"))
        let folder = (path as NSString).deletingLastPathComponent
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".damaged-") }
        #expect(aside.count == 1)
        #expect(try String(contentsOfFile: folder + "/" + aside[0], encoding: .utf8).hasPrefix("this is not a database"))
        try store.recordSession(StoredSession.Key(formation: "f", user: "u", id: "s"))
    }

    @Test func anotherProgramsDatabaseIsMovedAsideNotWrittenInto() throws {
        let path = Self.tempPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let foreign = try DatabaseQueue(path: path)
        try foreign.write { try $0.execute(sql: "CREATE TABLE session (x TEXT); INSERT INTO session VALUES ('theirs')") }
        try foreign.close()
        let store = try LocalStore.open(at: path)
        #expect(store.warnings.first?.contains("another program's SQLite database") == true)
        let folder = (path as NSString).deletingLastPathComponent
        let aside = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.contains(".damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
        let kept = try DatabaseQueue(path: folder + "/" + aside)
        #expect(try kept.read { try String.fetchOne($0, sql: "SELECT x FROM session") } == "theirs")
        try store.recordSession(StoredSession.Key(formation: "f", user: "u", id: "s"))
    }

    @Test func anUnwritableFolderIsAClearError() {
        #expect(throws: LocalStoreError.self) { try LocalStore.open(at: "/proc/muxi-chat/store.sqlite") }
    }

    @Test func twoStoresOnOneFileSeeEachOthersSessions() throws {
        let path = Self.tempPath()
        let one = try LocalStore.open(at: path)
        let two = try LocalStore.open(at: path)
        try one.recordSession(StoredSession.Key(formation: "f", user: "u", id: "s1"))
        try two.recordSession(StoredSession.Key(formation: "f", user: "u", id: "s2"))
        #expect(Set(try one.sessions(formation: "f", user: "u").map(\.key.id)) == ["s1", "s2"])
    }

    @Test func defaultPathFollowsXDG() {
        #expect(LocalStore.defaultPath(environment: ["XDG_STATE_HOME": "/x"]) == "/x/muxi-chat/store.sqlite")
        #expect(LocalStore.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/muxi-chat/store.sqlite")
    }
}

@Suite struct MessageCacheTests {
    @Test func cachesMessagesAndSearchesTitlesAndText() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        let a = StoredSession.Key(formation: "f", user: "u", id: "sess_a")
        let b = StoredSession.Key(formation: "f", user: "u", id: "sess_b")
        try store.recordSession(a, title: "Weather in Paris", at: Date(timeIntervalSince1970: 1))
        try store.recordSession(b, title: "Build failures", at: Date(timeIntervalSince1970: 2))
        try store.cacheMessage(a, role: .user, text: "Weather in Paris?")
        try store.cacheMessage(a, role: .assistant, text: "Sunny, 18 degrees, croissants recommended")
        try store.cacheMessage(b, role: .user, text: "why did the nightly build fail")
        #expect(try store.cachedMessages(a).map(\.role) == [.user, .assistant])
        #expect(try store.searchSessions(formation: "f", user: "u", query: "croiss") == ["sess_a"])
        #expect(try store.searchSessions(formation: "f", user: "u", query: "build") == ["sess_b"])
        #expect(try store.searchSessions(formation: "f", user: "u", query: "paris") == ["sess_a"])
        #expect(try store.searchSessions(formation: "f", user: "u", query: "") == ["sess_b", "sess_a"])
        #expect(try store.searchSessions(formation: "f", user: "u", query: "\"; DROP TABLE session; --").isEmpty)
        try store.removeSession(a)   // hidden from the list and the search; the local copy is kept
        #expect(try store.cachedMessages(a).count == 2)
        #expect(try store.searchSessions(formation: "f", user: "u", query: "croissants").isEmpty)
        #expect(try store.hiddenSessions(formation: "f", user: "u") == ["sess_a"])
    }
}

@Suite struct MessageCountTests {
    @Test func countsAreKeptAsMessagesAreAdded() throws {
        let store = try LocalStore.open(at: LocalStoreTests.tempPath())
        let a = StoredSession.Key(formation: "f", user: "u", id: "sess_a")
        let b = StoredSession.Key(formation: "f", user: "u", id: "sess_b")
        try store.recordSession(a, title: "A")
        try store.recordSession(b, title: "B")
        for _ in 0..<3 { try store.cacheMessage(a, role: .user, text: "q") }
        try store.cacheMessage(b, role: .assistant, text: "x", status: "cancelled")
        #expect(try store.messageCounts(formation: "f", user: "u") == ["sess_a": 3, "sess_b": 1])
        #expect(try store.messageCounts(formation: "f", user: "other").isEmpty)
        #expect(try store.cachedMessages(b).first?.status == "cancelled")
    }
}
