"""The channel threads the bot was mentioned in, where later messages without a
mention are answered as follow-ups, in the state database beside the event ledger
(`state.db` in the data directory, or DATABASE_URL's PostgreSQL), per workspace.

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
import threading
import time

from sqlalchemy import Connection, Engine, delete, select, update

from .db.dialect import upsert
from .db.tables import engaged_threads
from .limits import MAX_QUESTION_CHARS
from .storage import BestEffortStore

log = logging.getLogger(__name__)

T = engaged_threads.c


class ThreadStore(BestEffortStore):
    NAME = "thread store"
    CONSEQUENCE = "mentions are answered, follow-ups without a mention are not"
    KEEP_SECONDS = 7 * 24 * 3600
    EXPIRE_EVERY = 600.0
    MAX_THREADS = 10_000

    def __init__(self, engine: Engine, *, limit: int = 10, clock=time.time):
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._next_expiry = 0.0
        super().__init__(engine)

    def _thread(self, team_id: str, channel: str, thread_ts: str):
        return (T.team_id == team_id, T.channel == channel, T.thread_ts == thread_ts)

    def engage(self, channel: str, thread_ts: str, question: str, *, team_id: str = "") -> None:
        """A mention in this thread: follow it from now on (a new mention starts the
        count and the seven days again)."""
        if self.limit <= 0:
            return
        now = self._clock()
        row = {
            "team_id": team_id,
            "channel": channel,
            "thread_ts": thread_ts,
            "question": question[:MAX_QUESTION_CHARS],
            "answers": 0,
            "engaged_at": now,
        }

        def work(db: Connection) -> bool:
            db.execute(
                upsert(
                    db,
                    engaged_threads,
                    ["team_id", "channel", "thread_ts"],
                    row,
                    update=["question", "answers", "engaged_at"],
                )
            )
            self._expire(db, now)
            return True

        self._run(work)

    def claim_followup(self, channel: str, thread_ts: str, *, team_id: str = "") -> str | None:
        """The thread's last question when this follow-up may be answered (the thread
        is engaged, within its seven days and its limit), taking one of its answers;
        None otherwise, and when the store cannot be read."""
        if self.limit <= 0:
            return None
        now = self._clock()

        def work(db: Connection) -> str | None:
            # One statement: of several workers, never more than `limit` get a row.
            return db.execute(
                update(engaged_threads)
                .where(
                    *self._thread(team_id, channel, thread_ts),
                    T.answers < self.limit,
                    T.engaged_at >= now - self.KEEP_SECONDS,
                )
                .values(answers=T.answers + 1)
                .returning(T.question)
            ).scalar()

        return self._run(work)

    def remember(self, channel: str, thread_ts: str, question: str, *, team_id: str = "") -> None:
        """The question a follow-up was answered as: the next one builds on it."""

        def work(db: Connection) -> None:
            db.execute(
                update(engaged_threads)
                .where(*self._thread(team_id, channel, thread_ts))
                .values(question=question[:MAX_QUESTION_CHARS])
            )

        self._run(work)

    def _expire(self, db: Connection, now: float) -> None:
        with self._lock:
            if now < self._next_expiry:
                return
            self._next_expiry = now + self.EXPIRE_EVERY
        db.execute(delete(engaged_threads).where(T.engaged_at < now - self.KEEP_SECONDS))
        # Bounded: past MAX_THREADS, the least recently engaged go first.
        oldest_kept = db.execute(
            select(T.engaged_at).order_by(T.engaged_at.desc()).offset(self.MAX_THREADS - 1).limit(1)
        ).scalar()
        if oldest_kept is not None:
            db.execute(delete(engaged_threads).where(T.engaged_at < oldest_kept))
