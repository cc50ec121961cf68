"""SQLite connections for the bot's small stores: the query log, the event ledger
and the digest's state.

Every store runs in WAL mode, so readers never wait for the one writer. Switching
a new database file to WAL takes an exclusive lock, and SQLite answers "database
is locked" at once, without waiting out the busy timeout, when two processes make
the switch together (gunicorn workers starting, two digest runs racing). So the
switch is retried, with a little jitter, until the timeout runs out.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)


class _ClosingConnection(sqlite3.Connection):
    """`with connect(...) as db:` commits (or rolls back) and then closes.

    sqlite3's own context manager only ends the transaction: the connection, and its
    file descriptors, stayed open until a cyclic garbage collection, and under load a
    process ran out of descriptors ("Too many open files") with answers unsent."""

    def __exit__(self, *exc_info):
        try:
            return super().__exit__(*exc_info)
        finally:
            self.close()


def connect(path: Path, *, timeout: float, autocommit: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode, closed when its `with` block ends; `autocommit` runs
    each statement as its own transaction."""
    db = sqlite3.connect(
        path,
        timeout=timeout,
        isolation_level=None if autocommit else "",
        factory=_ClosingConnection,
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as error:
            if not _contended(error) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(random.uniform(0.005, 0.05))


def _contended(error: sqlite3.OperationalError) -> bool:
    message = str(error)
    return "locked" in message or "busy" in message


class BestEffortStore:
    """A small store that never stops an answer: a corrupt file, a full disk, or a
    read-only or deleted data directory is logged once (naming the file and
    INSPECTION_BOT_DATA_DIR) and kept in `problem`, for /healthz; an operation is
    tried once more after recreating a deleted store, and otherwise given up."""

    SCHEMA = ""
    NAME = "store"
    # What a failure means for users, for the one log line.
    CONSEQUENCE = "answers still go out"
    AUTOCOMMIT = True

    def __init__(self, path: Path):
        self.path = path
        self.problem: str | None = None  # why the last operation failed; None when healthy
        self._ensure_schema()

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, timeout=10, autocommit=self.AUTOCOMMIT)

    def _ensure_schema(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(self.SCHEMA)
                self._migrate(db)
        except (sqlite3.Error, OSError) as error:
            self._failed(error)
            return False
        return True

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring a store written by an earlier version up to this one's schema."""

    def _failed(self, error: Exception) -> None:
        problem = f"{type(error).__name__}: {error}"
        if problem != self.problem:
            log.warning(
                "%s %s unavailable (%s); %s (data directory: INSPECTION_BOT_DATA_DIR)",
                self.NAME,
                self.path,
                problem,
                self.CONSEQUENCE,
            )
        self.problem = problem

    def _run(self, work, *, failed=None):
        """`work(db)`, once more after recreating a deleted store; `failed` when it
        cannot be done."""
        for attempt in range(2):
            try:
                with self._connect() as db:
                    result = work(db)
            except (sqlite3.Error, OSError) as error:
                if attempt == 0 and self._ensure_schema():
                    continue
                self._failed(error)
                return failed
            self.problem = None
            return result
        return failed
