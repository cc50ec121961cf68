"""The bot's SQLite stores opened by several processes at once, as gunicorn workers
starting together or two digest runs do: none of them may fail with "database is
locked" (SQLite does not wait out the busy timeout when switching a new file to WAL),
and the schema is created once (the migration runs under SQLite's write lock)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bot.db import engine as db_engine
from bot.db import migrate
from bot.db.engine import engine_for, sqlite_url
from bot.digest.post import DigestState
from bot.ledger import EventLedger
from bot.querylog import QueryLog
from bot.threads import ThreadStore

STORES = {
    "digest state": DigestState,
    "query log": QueryLog,
    "event ledger": EventLedger,
    "thread store": ThreadStore,
}
PROCESSES = 4
ROUNDS = 12
# The migrations are read once, here, so the fork server's children start with them.
migrate.head()


def _open(store: str, data: str, start, errors) -> None:
    start.wait()
    try:
        opened = STORES[store](engine_for(sqlite_url(Path(data))))
        if getattr(opened, "problem", None):
            errors.put(opened.problem)
    except Exception as error:  # reported to the parent, which fails the test
        errors.put(f"{type(error).__name__}: {error}")


@pytest.mark.parametrize("store", sorted(STORES))
def test_processes_opening_a_new_store_together_all_succeed(store, tmp_path):
    # A fork server: each worker forks from a clean, single-threaded process (this one
    # runs other tests' threads), with this module already imported.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    errors = context.Queue()
    for round_ in range(ROUNDS):
        data = tmp_path / f"{round_}"
        start = context.Barrier(PROCESSES)
        workers = [
            context.Process(target=_open, args=(store, str(data), start, errors))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    for round_ in range(ROUNDS):
        with sqlite3.connect(tmp_path / f"{round_}" / "state.db") as db:
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (migrate.head(),)
            ]


def test_a_store_that_stays_locked_still_fails_after_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_SECONDS", 0.2)
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    waiting = sqlite3.connect(path, timeout=0.2)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db_engine._switch_to_wal(waiting)
    holder.execute("ROLLBACK")
    db_engine._switch_to_wal(waiting)
    assert waiting.execute("PRAGMA journal_mode").fetchone() == ("wal",)
