public import Foundation
import GRDB

/// The local store of muxi-chat: every session id used with a formation and user (with its
/// title and times), shared by the subcommands and the full-screen app.
///
/// SQLite in WAL mode, so several instances can use it at once; schema changes are
/// migrations. A file that is not a readable store is moved aside (never deleted) and a new
/// one is made; ``warnings`` says so.
///
/// ```swift
/// let store = try LocalStore.open(at: LocalStore.defaultPath())
/// try store.recordSession(StoredSession.Key(formation: url, user: "alice", id: "sess_1"), title: "Hello")
/// let last = try store.lastSession(formation: url, user: "alice")
/// ```
public final class LocalStore: Sendable {
    private let pool: DatabasePool
    /// The file's path.
    public let path: String
    /// What happened while opening (a damaged file moved aside), to show the user.
    public let warnings: [String]

    private init(pool: DatabasePool, path: String, warnings: [String]) {
        self.pool = pool
        self.path = path
        self.warnings = warnings
    }

    /// `$XDG_STATE_HOME/muxi-chat/store.sqlite`, or `~/.local/state/muxi-chat/store.sqlite`.
    ///
    /// ```swift
    /// LocalStore.defaultPath(environment: ["XDG_STATE_HOME": "/tmp/s"]) // "/tmp/s/muxi-chat/store.sqlite"
    /// ```
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return base + "/muxi-chat/store.sqlite"
    }

    /// Where the artifacts of a session are saved: `$XDG_DATA_HOME/muxi-chat/artifacts/<session>/`
    /// (`~/.local/share/…` without it; `_` for no known session; the id made a safe name).
    ///
    /// ```swift
    /// LocalStore.artifactsFolder(session: "sess_1", environment: ["XDG_DATA_HOME": "/d"]) // "/d/muxi-chat/artifacts/sess_1"
    /// ```
    public static func artifactsFolder(session: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        let name = (session ?? "").filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }.prefix(100)
        return base + "/muxi-chat/artifacts/" + (name.isEmpty ? "_" : String(name))
    }

    /// Opens (creating when missing) the store at `path`.
    ///
    /// Throws ``LocalStoreError`` when the folder cannot be created or written.
    public static func open(at path: String) throws -> LocalStore {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LocalStoreError(message: "cannot create the state folder \(folder): \(error.localizedDescription)")
        }
        do {
            return LocalStore(pool: try makePool(path), path: path, warnings: [])
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return try moveAside(path, why: "was damaged")
        } catch is ForeignDatabase {
            return try moveAside(path, why: "is another program's SQLite database, not a muxi-chat store")
        } catch let error as DatabaseError {
            let full = diskIsFull(folder) ? " (the disk holding it is full)" : ""
            throw LocalStoreError(message: "cannot open the local store \(path): \(error.message ?? error.description)\(full)")
        }
    }

    /// Moves the file at `path` (and its WAL files) aside, never deleting it, and starts anew.
    private static func moveAside(_ path: String, why: String) throws -> LocalStore {
        let aside = path + ".damaged-" + String(Int(Date().timeIntervalSince1970))
        do {
            try FileManager.default.moveItem(atPath: path, toPath: aside)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix) }
            return LocalStore(pool: try makePool(path), path: path,
                              warnings: ["the local store \(path) \(why); it was moved to \(aside) and a new one was started"])
        } catch {
            throw LocalStoreError(message: "the local store \(path) \(why), and could not be moved aside: \(error)")
        }
    }

    /// Whether the file system holding `folder` has (next to) no room left: SQLite says only
    /// "disk I/O error" when its WAL cannot grow.
    static func diskIsFull(_ folder: String) -> Bool {
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? NSNumber
        return free.map { $0.int64Value < 64 << 10 } ?? false
    }

    /// A database with tables but none of ours: someone else's file, not to be written into.
    private struct ForeignDatabase: Error {}

    private static func makePool(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let foreign = try pool.read { db in
            try !db.tableExists("grdb_migrations") && Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") != 0
        }
        if foreign { throw ForeignDatabase() }
        try migrator.migrate(pool)
        return pool
    }

    /// Caches a message of a session (the runtime keeps sessions in memory only).
    /// `status` is how the answer ended as the user saw it: `done`, `cancelled` or `failed`.
    /// `files` are the message's attachments (a question) or artifacts (an answer).
    public func cacheMessage(_ key: StoredSession.Key, role: MessageRole, text: String, status: String = "done",
                             files: [CachedFile] = [], at date: Date = Date()) throws {
        let filesJSON = files.isEmpty ? "" : String(decoding: (try? JSONEncoder().encode(files)) ?? Data(), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT INTO message (formation, user, session, role, text, status, files, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [key.formation, key.user, key.id, role.rawValue, text, status, filesJSON, date.timeIntervalSince1970])
        }
    }

    /// The cached messages of a session, oldest first.
    public func cachedMessages(_ key: StoredSession.Key) throws -> [CachedMessage] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT role, text, status, files, at FROM message WHERE formation = ? AND user = ? AND session = ? ORDER BY id",
                             arguments: [key.formation, key.user, key.id]).map {
                let files: String = $0["files"]
                return CachedMessage(role: MessageRole(rawValue: $0["role"]) ?? .assistant, text: $0["text"], status: $0["status"],
                                     files: files.isEmpty ? [] : (try? JSONDecoder().decode([CachedFile].self, from: Data(files.utf8))) ?? [],
                                     at: Date(timeIntervalSince1970: $0["at"]))
            }
        }
    }

    /// How many messages are kept locally for each session of this formation and user (kept
    /// as messages are added, so this reads one row a session).
    public func messageCounts(formation: String, user: String) throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, messages FROM session WHERE formation = ? AND user = ? AND messages > 0",
                                        arguments: [formation, user]) {
                counts[row["id"]] = row["messages"]
            }
            return counts
        }
    }

    /// Remembers a message typed in the composer (for Up/Down recall); keeps the last 500.
    public func addHistory(_ text: String, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO inputHistory (text, at) VALUES (?, ?)", arguments: [text, date.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM inputHistory WHERE id <= (SELECT max(id) - 500 FROM inputHistory)")
        }
    }

    /// The remembered messages, oldest first.
    public func history() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT text FROM inputHistory ORDER BY id") }
    }

    /// Records that `key` was used now: creates it (with `title`, cut to 80 characters, when
    /// given) or updates its last-active time and turn count.
    public func recordSession(_ key: StoredSession.Key, title: String? = nil, at date: Date = Date()) throws {
        let cleanTitle = StoredSession.title(from: title ?? "")
        try write { db in
            try db.execute(sql: """
                INSERT INTO session (formation, user, id, title, createdAt, lastActive, turns) VALUES (?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (formation, user, id) DO UPDATE SET
                    lastActive = excluded.lastActive, turns = turns + 1, hidden = 0,
                    title = CASE WHEN title = '' THEN excluded.title ELSE title END
                """, arguments: [key.formation, key.user, key.id, cleanTitle, date.timeIntervalSince1970, date.timeIntervalSince1970])
        }
    }

    /// The session used last with this formation and user.
    public func lastSession(formation: String, user: String) throws -> StoredSession? {
        try sessions(formation: formation, user: user, limit: 1).first
    }

    /// The sessions used with this formation and user, most recent first (not those removed
    /// from the list).
    public func sessions(formation: String, user: String, limit: Int = 1000) throws -> [StoredSession] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM session WHERE formation = ? AND user = ? AND NOT hidden ORDER BY lastActive DESC LIMIT ?
                """, arguments: [formation, user, limit]).map(StoredSession.init(row:))
        }
    }

    /// The ids of the sessions removed from the list: hidden even when the server lists them.
    public func hiddenSessions(formation: String, user: String) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM session WHERE formation = ? AND user = ? AND hidden",
                                    arguments: [formation, user]))
        }
    }

    /// Removes a session from the list for good: hidden, with its title and local copy kept
    /// (the server keeps its own; a new turn in the session shows it again).
    public func removeSession(_ key: StoredSession.Key) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO session (formation, user, id, title, createdAt, lastActive, turns, hidden) VALUES (?, ?, ?, '', ?, ?, 0, 1)
                ON CONFLICT (formation, user, id) DO UPDATE SET hidden = 1
                """, arguments: [key.formation, key.user, key.id, Date().timeIntervalSince1970, Date().timeIntervalSince1970])
        }
    }

    /// Remembers the session on screen when the app quits (nil: a new session).
    public func setOpenSession(formation: String, user: String, id: String?) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO openSession (formation, user, id) VALUES (?, ?, ?)", arguments: [formation, user, id])
        }
    }

    /// The session that was on screen when the app last quit: `.some(nil)` for a new session,
    /// nil when the app never quit with this formation and user.
    public func openSession(formation: String, user: String) throws -> String?? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id FROM openSession WHERE formation = ? AND user = ?", arguments: [formation, user])
            else { return nil }
            return .some(row["id"] as String?)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError { throw LocalStoreError(error, path: path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError { throw LocalStoreError(error, path: path) }
    }
}

/// A session known locally.
///
/// ```swift
/// for s in try store.sessions(formation: url, user: "alice") { print(s.key.id, s.title) }
/// ```
public struct StoredSession: Sendable, Hashable {
    /// Which session: formation (its API root), user and id.
    public struct Key: Sendable, Hashable {
        public var formation: String
        public var user: String
        public var id: String
        public init(formation: String, user: String, id: String) {
            self.formation = formation
            self.user = user
            self.id = id
        }
    }

    public var key: Key
    /// From the first message, one line, at most 80 characters.
    public var title: String
    public var createdAt: Date
    public var lastActive: Date
    /// Turns sent from this machine.
    public var turns: Int
    /// Messages in the local copy.
    public var messages: Int

    init(row: Row) {
        key = Key(formation: row["formation"], user: row["user"], id: row["id"])
        title = row["title"]
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        lastActive = Date(timeIntervalSince1970: row["lastActive"])
        turns = row["turns"]
        messages = row["messages"] ?? 0
    }

    /// A title from a first message: its first line, blanks collapsed, at most 80 characters.
    ///
    /// ```swift
    /// StoredSession.title(from: "  Hello\nworld") // "Hello"
    /// ```
    public static func title(from message: String) -> String {
        let firstLine = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let collapsed = firstLine.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > 80 ? String(collapsed.prefix(79)) + "…" : collapsed
    }
}

/// Who wrote a message kept locally.
public enum MessageRole: String, Sendable, Hashable {
    case user, assistant
}

/// A message kept locally.
public struct CachedMessage: Sendable, Hashable {
    public var role: MessageRole
    public var text: String
    /// How the answer ended as the user saw it: `done`, `cancelled` or `failed`.
    public var status: String
    /// Its attachments (a question) or artifacts (an answer).
    public var files: [CachedFile]
    public var at: Date
    public init(role: MessageRole, text: String, status: String = "done", files: [CachedFile] = [], at: Date) {
        self.role = role
        self.text = text
        self.status = status
        self.files = files
        self.at = at
    }
}

/// A file listed under a message kept locally: its name, type and size, and where it was
/// saved (an artifact). Only these facts are kept, never the file.
public struct CachedFile: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var size: Int?
    public var path: String?
    public init(name: String, type: String, size: Int?, path: String? = nil) {
        self.name = name
        self.type = type
        self.size = size
        self.path = path
    }
}

/// A failure of the local store, with a message for the user.
public struct LocalStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    init(message: String) { self.message = message }

    init(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_FULL: message = "the disk is full: cannot write the local store \(path)"
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            message = "the local store \(path) cannot be written (read-only folder or file?)"
        case .SQLITE_BUSY, .SQLITE_LOCKED: message = "the local store \(path) is busy (another muxi-chat holds it)"
        default:
            message = LocalStore.diskIsFull((path as NSString).deletingLastPathComponent)
                ? "the disk is full: cannot write the local store \(path)"
                : "local store \(path): \(error.message ?? error.description)"
        }
    }
}
