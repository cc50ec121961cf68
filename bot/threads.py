"""The channel threads the bot was mentioned in, where later messages without a
mention are answered as follow-ups (`state.db` in the data directory, beside the
event ledger).

A thread is engaged by a mention and kept for `KEEP_SECONDS` (7 days) from it;
each follow-up answered takes one of its `limit` answers (FOLLOWUP_LIMIT), claimed
atomically, so several workers never answer past the limit. The thread's last
question is kept with it, cut to MAX_QUESTION_CHARS, so a follow-up can build on
it; expired threads are deleted on a schedule, and the table is bounded to
`MAX_THREADS`, the least recently engaged going first.

Best effort, like the ledger: a failure to record a mention never stops its
answer. A thread that cannot be read back is not followed: the bot then answers
only mentions, rather than risk joining a thread it was not asked into.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from .limits import MAX_QUESTION_CHARS
from .storage import BestEffortStore

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS engaged_threads (
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    question TEXT NOT NULL,
    answers INTEGER NOT NULL DEFAULT 0,
    engaged_at REAL NOT NULL,
    PRIMARY KEY (channel, thread_ts)
);
CREATE INDEX IF NOT EXISTS engaged_threads_at ON engaged_threads (engaged_at);
"""


class ThreadStore(BestEffortStore):
    SCHEMA = SCHEMA
    NAME = "thread store"
    CONSEQUENCE = "mentions are answered, follow-ups without a mention are not"
    KEEP_SECONDS = 7 * 24 * 3600
    EXPIRE_EVERY = 600.0
    MAX_THREADS = 10_000

    def __init__(self, path: Path, *, limit: int = 10, clock=time.time):
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._next_expiry = 0.0
        super().__init__(path)

    def engage(self, channel: str, thread_ts: str, question: str) -> None:
        """A mention in this thread: follow it from now on (a new mention starts the
        count and the seven days again)."""
        if self.limit <= 0:
            return
        now = self._clock()

        def work(db):
            db.execute(
                "INSERT INTO engaged_threads (channel, thread_ts, question, answers, engaged_at)"
                " VALUES (?, ?, ?, 0, ?) ON CONFLICT (channel, thread_ts) DO UPDATE SET"
                " question = excluded.question, answers = 0, engaged_at = excluded.engaged_at",
                (channel, thread_ts, question[:MAX_QUESTION_CHARS], now),
            )
            self._expire(db, now)
            return True

        self._run(work)

    def claim_followup(self, channel: str, thread_ts: str) -> str | None:
        """The thread's last question when this follow-up may be answered (the thread
        is engaged, within its seven days and its limit), taking one of its answers;
        None otherwise, and when the store cannot be read."""
        if self.limit <= 0:
            return None
        now = self._clock()

        def work(db):
            row = db.execute(
                "UPDATE engaged_threads SET answers = answers + 1"
                " WHERE channel = ? AND thread_ts = ? AND answers < ? AND engaged_at >= ?"
                " RETURNING question",
                (channel, thread_ts, self.limit, now - self.KEEP_SECONDS),
            ).fetchone()
            return row[0] if row else None

        return self._run(work)

    def remember(self, channel: str, thread_ts: str, question: str) -> None:
        """The question a follow-up was answered as: the next one builds on it."""

        def work(db):
            db.execute(
                "UPDATE engaged_threads SET question = ? WHERE channel = ? AND thread_ts = ?",
                (question[:MAX_QUESTION_CHARS], channel, thread_ts),
            )

        self._run(work)

    def _expire(self, db: sqlite3.Connection, now: float) -> None:
        with self._lock:
            if now < self._next_expiry:
                return
            self._next_expiry = now + self.EXPIRE_EVERY
        db.execute("DELETE FROM engaged_threads WHERE engaged_at < ?", (now - self.KEEP_SECONDS,))
        db.execute(
            "DELETE FROM engaged_threads WHERE rowid IN (SELECT rowid FROM engaged_threads"
            " ORDER BY engaged_at DESC LIMIT -1 OFFSET ?)",
            (self.MAX_THREADS,),
        )
