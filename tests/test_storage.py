"""The bot's SQLite stores opened by several processes at once, as gunicorn workers
starting together or two digest runs do: none of them may fail with "database is
locked" (SQLite does not wait out the busy timeout when switching a new file to WAL)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bot.digest.post import DigestState
from bot.ledger import EventLedger
from bot.querylog import QueryLog
from bot.storage import connect

STORES = {"digest state": DigestState, "query log": QueryLog, "event ledger": EventLedger}
PROCESSES = 4
ROUNDS = 40


def _open(store: str, path: str, start, errors) -> None:
    start.wait()
    try:
        STORES[store](Path(path))
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
        path = tmp_path / f"{round_}.db"
        start = context.Barrier(PROCESSES)
        workers = [
            context.Process(target=_open, args=(store, str(path), start, errors))
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
    with sqlite3.connect(tmp_path / "0.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_store_that_stays_locked_still_fails_after_the_timeout(tmp_path):
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        connect(path, timeout=0.2)
    holder.execute("ROLLBACK")
    assert connect(path, timeout=0.2).execute("PRAGMA journal_mode").fetchone() == ("wal",)
