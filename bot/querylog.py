"""The local query log: what people asked, so curators can close the gaps.

It stores only the question text, the time, the themes, whether the bot answered,
and (for "not helpful") the record ids that were shown and the reason chosen (wrong
quote, wrong report, not what was asked, something missing). Never a user id, never
a channel. Entries older than eight weeks are deleted. QUERY_LOG=off turns it off.
The command line and the benchmarks never write to it.

Writing is best effort: a corrupt file, a full disk or a read-only or deleted data
directory is logged and reported by `problem` (for /healthz), and the answer the
user is waiting for still goes out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .limits import MAX_QUESTION_CHARS
from .storage import BestEffortStore

log = logging.getLogger(__name__)

RETENTION = dt.timedelta(weeks=8)
SCHEMA = """
CREATE TABLE IF NOT EXISTS queries (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,          -- UTC, ISO 8601
    query TEXT NOT NULL,
    themes TEXT NOT NULL,            -- JSON list of theme ids
    answered INTEGER NOT NULL,       -- 1 answered, 0 not covered
    feedback TEXT,                   -- 'not_helpful' or NULL
    shown TEXT,                      -- JSON list of record ids shown, for feedback
    reason TEXT                      -- why "not helpful" (FEEDBACK_REASONS), or NULL
);
CREATE INDEX IF NOT EXISTS queries_asked_at ON queries (asked_at);
"""
# Why an answer was not helpful, as the feedback modal offers it: stored key, label.
FEEDBACK_REASONS = {
    "wrong_quote": "Wrong quote",
    "wrong_report": "Wrong report",
    "not_asked": "Not what I asked",
    "missing": "Something missing",
}


@dataclass(frozen=True)
class LoggedQuery:
    asked_at: dt.datetime
    query: str
    themes: tuple[str, ...]
    answered: bool
    feedback: str | None
    shown: tuple[str, ...]
    reason: str | None = None  # a FEEDBACK_REASONS key, for "not helpful"


def _utc(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


class QueryLog(BestEffortStore):
    SCHEMA = SCHEMA
    NAME = "query log"
    CONSEQUENCE = "questions are answered but not logged"
    AUTOCOMMIT = False

    def __init__(self, path: Path, *, enabled: bool = True):
        self.enabled = enabled
        self._lock = threading.Lock()
        if enabled:
            super().__init__(path)
        else:  # QUERY_LOG=off: no file, ever
            self.path, self.problem = path, None

    def _migrate(self, db: sqlite3.Connection) -> None:
        columns = {row[1] for row in db.execute("PRAGMA table_info(queries)")}
        if "reason" not in columns:  # a log written before feedback had reasons
            db.execute("ALTER TABLE queries ADD COLUMN reason TEXT")

    def record(
        self,
        query: str,
        *,
        themes: tuple[str, ...],
        answered: bool,
        feedback: str | None = None,
        shown: tuple[str, ...] = (),
        reason: str | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Log one question. Never raises: a failure is logged and kept in `problem`."""
        if not self.enabled:
            return
        at = _utc(now)
        with self._lock:
            self._run(
                lambda db: self._insert(db, query, themes, answered, feedback, shown, reason, at)
            )

    def _insert(self, db, query, themes, answered, feedback, shown, reason, at) -> None:
        db.execute(
            "INSERT INTO queries (asked_at, query, themes, answered, feedback, shown, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                at.isoformat(),
                query[:MAX_QUESTION_CHARS],
                json.dumps(list(themes)),
                int(answered),
                feedback,
                json.dumps(list(shown)),
                reason if reason in FEEDBACK_REASONS else None,
            ),
        )
        db.execute("DELETE FROM queries WHERE asked_at < ?", ((at - RETENTION).isoformat(),))

    def entries(
        self, *, since: dt.datetime | None = None, now: dt.datetime | None = None
    ) -> list[LoggedQuery]:
        if not self.enabled or not self.path.exists():
            return []
        cutoff = max(since or dt.datetime.min.replace(tzinfo=dt.UTC), _utc(now) - RETENTION)
        with self._lock, self._connect() as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(queries)")}
            reason = "reason" if "reason" in columns else "NULL"  # read before any write
            rows = db.execute(
                f"SELECT asked_at, query, themes, answered, feedback, shown, {reason} "  # noqa: S608
                "FROM queries WHERE asked_at >= ? ORDER BY asked_at",
                (cutoff.isoformat(),),
            ).fetchall()
        return [
            LoggedQuery(
                dt.datetime.fromisoformat(at),
                query,
                tuple(json.loads(themes)),
                bool(answered),
                feedback,
                tuple(json.loads(shown or "[]")),
                reason,
            )
            for at, query, themes, answered, feedback, shown, reason in rows
        ]

    def purge(self, *, matching: str | None = None, before: dt.datetime | None = None) -> int:
        """Erase entries (all, those containing `matching`, or those before a time)."""
        if not self.path.exists():
            return 0
        clauses, params = [], []
        if matching:
            clauses.append("instr(lower(query), lower(?)) > 0")
            params.append(matching)
        if before:
            clauses.append("asked_at < ?")
            params.append(_utc(before).isoformat())
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        with self._lock, self._connect() as db:
            return db.execute(f"DELETE FROM queries{where}", params).rowcount  # noqa: S608
