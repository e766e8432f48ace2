#!/usr/bin/env python3
"""A heavy user's local store for `make bench`: SESSIONS sessions and MESSAGES messages of one
formation and user, written into a store the app made (so its schema and migrations are the
app's own). The message search index is filled by the store's own triggers.

Usage: make_store.py STORE FORMATION USER SESSIONS MESSAGES"""
import sqlite3
import sys

path, formation, user, sessions, messages = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
db = sqlite3.connect(path)
words = ["trains", "tea", "Lisbon", "weather", "build", "stream", "kite", "garden", "invoice", "recipe"]
with db:
    db.executemany("INSERT INTO session (formation, user, id, title, createdAt, lastActive, turns) VALUES (?, ?, ?, ?, ?, ?, 1)",
                   ((formation, user, "sess_l%06d" % i, "session %d about %s" % (i, words[i % 10]), 1.7e9 + i, 1.7e9 + i)
                    for i in range(sessions)))
    per = max(1, messages // max(1, sessions))
    db.executemany("INSERT INTO message (formation, user, session, role, text, at) VALUES (?, ?, ?, ?, ?, ?)",
                   ((formation, user, "sess_l%06d" % (i // per % sessions), "user" if i % 2 == 0 else "assistant",
                     "message %d mentions %s and %s" % (i, words[i % 10], words[(i // 10) % 10]), 1.7e9 + i)
                    for i in range(messages)))
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
