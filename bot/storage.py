"""SQLite connections for the bot's small stores: the query log, the event ledger
and the digest's state.

Every store runs in WAL mode, so readers never wait for the one writer. Switching
a new database file to WAL takes an exclusive lock, and SQLite answers "database
is locked" at once, without waiting out the busy timeout, when two processes make
the switch together (gunicorn workers starting, two digest runs racing). So the
switch is retried, with a little jitter, until the timeout runs out.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path


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
