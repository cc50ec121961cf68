"""The query log: what people asked, so curators can close the gaps. It lives in the
state database (`state.db` in the data directory, or DATABASE_URL's PostgreSQL),
one workspace's questions apart from another's by `team_id`.

It stores only the question text, the time, the themes, whether the bot answered,
and (for "not helpful") the record ids that were shown and the reason chosen (wrong
quote, wrong report, not what was asked, something missing). Never a user id, never
a channel (the workspace's id only says whose questions they are, so that
uninstalling a workspace erases them). Entries older than eight weeks are deleted.
QUERY_LOG=off turns it off. The command line and the benchmarks never write to it.

Writing is best effort: a corrupt file, a full disk, a read-only or deleted data
directory or a database that is down is logged and reported by `problem` (for
/healthz), and the answer the user is waiting for still goes out.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, true

from .db.tables import queries
from .limits import MAX_QUESTION_CHARS
from .storage import BestEffortStore

log = logging.getLogger(__name__)

RETENTION = dt.timedelta(weeks=8)
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
    NAME = "query log"
    CONSEQUENCE = "questions are answered but not logged"

    def __init__(self, engine: Engine, *, enabled: bool = True):
        self.enabled = enabled
        self._lock = threading.Lock()
        if enabled:
            super().__init__(engine)
        else:  # QUERY_LOG=off: nothing is read or written, ever
            self.engine, self.problem = engine, None

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
        team_id: str = "",
    ) -> None:
        """Log one question. Never raises: a failure is logged and kept in `problem`."""
        if not self.enabled:
            return
        at = _utc(now)
        row = {
            "team_id": team_id,
            "asked_at": at.isoformat(),
            "query": query[:MAX_QUESTION_CHARS],
            "themes": json.dumps(list(themes)),
            "answered": int(answered),
            "feedback": feedback,
            "shown": json.dumps(list(shown)),
            "reason": reason if reason in FEEDBACK_REASONS else None,
        }

        def work(db: Connection) -> None:
            db.execute(insert(queries).values(**row))
            db.execute(delete(queries).where(queries.c.asked_at < (at - RETENTION).isoformat()))

        with self._lock:
            self._run(work)

    def entries(
        self,
        *,
        since: dt.datetime | None = None,
        now: dt.datetime | None = None,
        team_id: str | None = "",
    ) -> list[LoggedQuery]:
        """One workspace's questions (every workspace's with `team_id=None`) of the
        last eight weeks (since `since`), oldest first; none when the log is off or
        cannot be read."""
        if not self.enabled:
            return []
        cutoff = max(since or dt.datetime.min.replace(tzinfo=dt.UTC), _utc(now) - RETENTION)

        def work(db: Connection) -> list:
            return db.execute(
                select(
                    queries.c.asked_at,
                    queries.c.query,
                    queries.c.themes,
                    queries.c.answered,
                    queries.c.feedback,
                    queries.c.shown,
                    queries.c.reason,
                )
                .where(queries.c.asked_at >= cutoff.isoformat())
                .where(true() if team_id is None else queries.c.team_id == team_id)
                .order_by(queries.c.asked_at, queries.c.id)
            ).all()

        with self._lock:
            rows = self._run(work, failed=[])
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

    def purge(
        self,
        *,
        matching: str | None = None,
        before: dt.datetime | None = None,
        team_id: str | None = "",
    ) -> int:
        """Erase entries (all, those containing `matching`, or those before a time) of
        one workspace, or of every workspace with `team_id=None`; the number erased."""
        if not self.enabled:
            return 0
        statement = delete(queries)
        if team_id is not None:
            statement = statement.where(queries.c.team_id == team_id)
        if matching:
            statement = statement.where(
                func.lower(queries.c.query).contains(matching.lower(), autoescape=True)
            )
        if before:
            statement = statement.where(queries.c.asked_at < _utc(before).isoformat())
        with self._lock:
            return self._run(lambda db: db.execute(statement).rowcount, failed=0)
