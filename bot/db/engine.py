"""One SQLAlchemy engine per database URL per process.

SQLite (the embedded default, `state.db` in the data directory) runs in WAL mode
with a busy timeout, so the gunicorn workers on one host share it as they shared
the hand-written stores. PostgreSQL connections are checked before use
(`pool_pre_ping`), so a restarted server costs one failed check, not a failed
answer, and a connect gives up after a few seconds: Slack's 3-second ack must
never wait on a database that is down.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

# How long a PostgreSQL connect may take before the store gives up on it (seconds).
CONNECT_TIMEOUT = 2
# SQLite's busy timeout: how long a writer waits for another process's write.
SQLITE_BUSY_SECONDS = 10

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / 'state.db'}"


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def driver_url(url: str) -> str:
    """`postgresql://` as people write it, with the psycopg (3) driver named, which
    is the one installed; other URLs unchanged."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def engine_for(url: str) -> Engine:
    """The process's engine for `url`, made on first use. After a fork (gunicorn
    workers) each process makes its own: pooled connections are never shared
    across processes."""
    import os

    key = f"{os.getpid()}:{url}"
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = _make_engine(url)
        return engine


def _make_engine(url: str) -> Engine:
    target = driver_url(url)
    if make_url(target).get_backend_name() == "sqlite":
        database = make_url(target).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # No pool: each use opens the file afresh and closes it after, as the stores
        # always did. A pooled connection would go on writing to a data directory
        # deleted under it, and hold descriptors between uses.
        engine = create_engine(
            target,
            poolclass=NullPool,
            connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection, _record):
            # WAL: readers never wait for the one writer. Python's sqlite3 opens a
            # transaction itself; SQLAlchemy's own BEGIN is used instead.
            dbapi_connection.isolation_level = None
            _switch_to_wal(dbapi_connection)
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(engine, "begin")
        def _begin(connection):
            # IMMEDIATE: a transaction that will write takes the write lock at its
            # start, so two processes never both read-then-fail-to-upgrade.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(
        target,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=CONNECT_TIMEOUT,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )


def _switch_to_wal(dbapi_connection) -> None:
    """Switching a new file to WAL takes an exclusive lock, and SQLite answers
    "database is locked" at once, without waiting out the busy timeout, when two
    processes make the switch together (gunicorn workers starting, two digest runs
    racing): so the switch is retried, with a little jitter, until the timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            contended = "locked" in str(error) or "busy" in str(error)
            if not contended or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


def dispose_all() -> None:
    """Close every pooled connection (tests; a process about to exit)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
