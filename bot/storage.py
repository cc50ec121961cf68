"""What the bot's small stores share: the query log, the event ledger and the thread
store, each over the one database of `settings.state_url` (bot/db): SQLite under the
data directory by default, PostgreSQL with DATABASE_URL.

A store never stops an answer. A corrupt file, a full disk, a read-only or deleted
data directory, or a PostgreSQL server that is down or restarting is logged once
(naming the database, and INSPECTION_BOT_DATA_DIR or DATABASE_URL) and kept in
`problem`, for /healthz; the operation gives up without raising. On SQLite an
operation is tried once more after recreating a deleted store (the schema is
brought up to date, as a new file is). On PostgreSQL it is not: the connect
timeout is short (bot/db/engine.py). A server that refuses at once (down, restarting)
is tried again on the next operation, so claims are written again the moment it is
back; one that made an operation wait (a host that does not answer) is not tried
again for `RETRY_AFTER` seconds, so acks keep well inside Slack's three seconds while
it is away.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from .db import migrate

log = logging.getLogger(__name__)


def describe(engine: Engine) -> str:
    """The database, as a log line names it: a SQLite file's path, or a PostgreSQL
    URL without its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)


class BestEffortStore:
    """A small store that never stops an answer (see the module docstring)."""

    NAME = "store"
    # What a failure means for users, for the one log line.
    CONSEQUENCE = "answers still go out"
    # After a PostgreSQL failure that made the operation wait at least SLOW_FAILURE
    # seconds, how long the store answers without trying it.
    RETRY_AFTER = 1.0
    SLOW_FAILURE = 0.5

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.path = describe(engine)  # named in the log line
        self.problem: str | None = None  # why the last operation failed; None when healthy
        self._away_until = 0.0
        self._away_lock = threading.Lock()
        self._ensure_schema()

    def _ensure_schema(self) -> bool:
        """SQLite: create (or bring up to date) the schema; PostgreSQL: nothing here
        (`check_schema` at start, `db upgrade` before)."""
        if not self.sqlite:
            return False
        try:
            migrate.ensure(self.engine)
        except (SQLAlchemyError, OSError, migrate.SchemaError) as error:
            self._failed(error)
            return False
        return True

    def _failed(self, error: Exception, *, waited: float = 0.0) -> None:
        problem = f"{type(error).__name__}: {_first_line(error)}"
        if problem != self.problem:
            where = "INSPECTION_BOT_DATA_DIR" if self.sqlite else "DATABASE_URL"
            log.warning(
                "%s %s unavailable (%s); %s (%s: %s)",
                self.NAME,
                self.path,
                problem,
                self.CONSEQUENCE,
                "data directory" if self.sqlite else "database",
                where,
            )
        self.problem = problem
        if not self.sqlite and waited >= self.SLOW_FAILURE:
            with self._away_lock:
                self._away_until = time.monotonic() + self.RETRY_AFTER

    def _away(self) -> bool:
        return not self.sqlite and time.monotonic() < self._away_until

    def _run(self, work, *, failed=None):
        """`work(connection)` in one transaction, once more after recreating a deleted
        SQLite store; `failed` when it cannot be done."""
        if self._away():
            return failed
        for attempt in range(2):
            started = time.monotonic()
            try:
                with self.engine.begin() as connection:
                    result = work(connection)
            except (SQLAlchemyError, OSError) as error:
                if attempt == 0 and self.sqlite and self._ensure_schema():
                    continue
                self._failed(error, waited=time.monotonic() - started)
                return failed
            self.problem = None
            return result
        return failed


def _first_line(error: Exception) -> str:
    """SQLAlchemy's messages run on with the statement and a link; the cause's first
    line says what went wrong."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


__all__ = ["BestEffortStore", "Connection", "describe"]
