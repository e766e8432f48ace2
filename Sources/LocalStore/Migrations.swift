import GRDB

extension LocalStore {
    /// The store's schema, one migration per change; a store is brought up to date when opened.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sessions") { db in
            try db.create(table: "session") { t in
                t.column("formation", .text).notNull()
                t.column("user", .text).notNull()
                t.column("id", .text).notNull()
                t.column("title", .text).notNull().defaults(to: "")
                t.column("createdAt", .double).notNull()
                t.column("lastActive", .double).notNull()
                t.column("turns", .integer).notNull().defaults(to: 0)
                t.primaryKey(["formation", "user", "id"])
            }
            try db.create(index: "session_recent", on: "session", columns: ["formation", "user", "lastActive"])
        }
        migrator.registerMigration("v2: input history") { db in
            try db.create(table: "inputHistory") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("text", .text).notNull()
                t.column("at", .double).notNull()
            }
        }
        migrator.registerMigration("v3: message cache and search") { db in
            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("formation", .text).notNull()
                t.column("user", .text).notNull()
                t.column("session", .text).notNull()
                t.column("role", .text).notNull()
                t.column("text", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(index: "message_session", on: "message", columns: ["formation", "user", "session", "id"])
            try db.execute(sql: "CREATE VIRTUAL TABLE messageSearch USING fts5(text, content='message', content_rowid='id')")
            try db.execute(sql: """
                CREATE TRIGGER message_ai AFTER INSERT ON message BEGIN
                    INSERT INTO messageSearch(rowid, text) VALUES (new.id, new.text);
                END
                """)
            try db.execute(sql: """
                CREATE TRIGGER message_ad AFTER DELETE ON message BEGIN
                    INSERT INTO messageSearch(messageSearch, rowid, text) VALUES ('delete', old.id, old.text);
                END
                """)
        }
        migrator.registerMigration("v4: answer status, hidden sessions, the open session") { db in
            try db.alter(table: "message") { t in t.add(column: "status", .text).notNull().defaults(to: "done") }
            try db.alter(table: "session") { t in t.add(column: "hidden", .boolean).notNull().defaults(to: false) }
            try db.create(table: "openSession") { t in
                t.column("formation", .text).notNull()
                t.column("user", .text).notNull()
                t.column("id", .text)
                t.primaryKey(["formation", "user"])
            }
        }
        migrator.registerMigration("v5: message counts kept per session") { db in
            // a heavy user's store holds a million messages: counting them on every list took
            // most of a second; the count is now kept as messages are added
            try db.alter(table: "session") { t in t.add(column: "messages", .integer).notNull().defaults(to: 0) }
            try db.execute(sql: """
                UPDATE session SET messages = (SELECT count(*) FROM message m
                    WHERE m.formation = session.formation AND m.user = session.user AND m.session = session.id)
                """)
            try db.execute(sql: """
                CREATE TRIGGER message_count AFTER INSERT ON message BEGIN
                    UPDATE session SET messages = messages + 1
                    WHERE formation = new.formation AND user = new.user AND id = new.session;
                END
                """)
        }
        migrator.registerMigration("v6: titles searched by trigrams; sessions keyed by a stable integer") { db in
            // The session filter searched titles with LIKE '%…%' over every session (300 ms at
            // 100,000). A trigram index answers a substring in a millisecond. It is keyed by an
            // explicit INTEGER PRIMARY KEY: VACUUM may renumber an implicit rowid, and the index
            // would then point at the wrong sessions.
            try db.execute(sql: "DROP TRIGGER message_count")   // it names `session`, which is rebuilt
            try db.execute(sql: """
                CREATE TABLE session_v6 (
                    key INTEGER PRIMARY KEY,
                    formation TEXT NOT NULL, user TEXT NOT NULL, id TEXT NOT NULL,
                    title TEXT NOT NULL DEFAULT '', createdAt DOUBLE NOT NULL, lastActive DOUBLE NOT NULL,
                    turns INTEGER NOT NULL DEFAULT 0, hidden BOOLEAN NOT NULL DEFAULT 0, messages INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (formation, user, id))
                """)
            try db.execute(sql: """
                INSERT INTO session_v6 (formation, user, id, title, createdAt, lastActive, turns, hidden, messages)
                SELECT formation, user, id, title, createdAt, lastActive, turns, hidden, messages FROM session ORDER BY rowid
                """)
            try db.execute(sql: "DROP TABLE session")
            try db.execute(sql: "ALTER TABLE session_v6 RENAME TO session")
            try db.create(index: "session_recent", on: "session", columns: ["formation", "user", "lastActive"])
            try db.execute(sql: """
                CREATE TRIGGER message_count AFTER INSERT ON message BEGIN
                    UPDATE session SET messages = messages + 1
                    WHERE formation = new.formation AND user = new.user AND id = new.session;
                END
                """)
            try db.execute(sql: "CREATE VIRTUAL TABLE sessionTitle USING fts5(title, content='session', content_rowid='key', tokenize='trigram')")
            try db.execute(sql: "INSERT INTO sessionTitle(sessionTitle) VALUES ('rebuild')")
            try db.execute(sql: """
                CREATE TRIGGER session_ai AFTER INSERT ON session BEGIN
                    INSERT INTO sessionTitle(rowid, title) VALUES (new.key, new.title);
                END
                """)
            try db.execute(sql: """
                CREATE TRIGGER session_au AFTER UPDATE OF title ON session WHEN old.title IS NOT new.title BEGIN
                    INSERT INTO sessionTitle(sessionTitle, rowid, title) VALUES ('delete', old.key, old.title);
                    INSERT INTO sessionTitle(rowid, title) VALUES (new.key, new.title);
                END
                """)
            try db.execute(sql: """
                CREATE TRIGGER session_ad AFTER DELETE ON session BEGIN
                    INSERT INTO sessionTitle(sessionTitle, rowid, title) VALUES ('delete', old.key, old.title);
                END
                """)
        }
        migrator.registerMigration("v7: the files of a message") { db in
            // a message's attachments (a question) or artifacts (an answer), as JSON: what the
            // user saw listed under it is shown again when the session is reopened
            try db.alter(table: "message") { t in t.add(column: "files", .text).notNull().defaults(to: "") }
        }
        return migrator
    }
}
