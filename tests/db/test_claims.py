"""Claims are atomic on both databases: threads and processes racing for one event id,
one expired lease, one digest week or a thread's last follow-up answer: exactly the
allowed number win. And a PostgreSQL that goes away costs a claim nothing but the
dedupe: it is granted at once, and the ledger is used again when the server is back."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
import time

import pytest

from bot.db.engine import engine_for
from bot.digest.state import DigestState
from bot.ledger import EventLedger
from bot.threads import ThreadStore

THREADS = 8
PROCESSES = 4
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _race(count: int, work) -> list:
    """`work(n)` in `count` threads released together; their results."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        start.wait()
        results[n] = work(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_threads_racing_for_one_id_one_wins(state_db):
    ledgers = [EventLedger(state_db) for _ in range(THREADS)]
    for round_ in range(10):
        key = f"EvRACE{round_}"
        won = _race(THREADS, lambda n, key=key: bool(ledgers[n].claim(key)))
        assert won.count(True) == 1, won


def test_threads_taking_over_one_expired_lease_one_wins(state_db):
    clock = [1_700_000_000.0]
    ledgers = [
        EventLedger(state_db, lease_seconds=30, clock=lambda: clock[0]) for _ in range(THREADS)
    ]
    for round_ in range(5):
        key = f"EvLEASE{round_}"
        assert ledgers[0].claim(key)  # the holder dies here, unanswered
        clock[0] += 31
        claims = _race(THREADS, lambda n, key=key: ledgers[n].claim(key))
        assert [c.state for c in claims].count("taken_over") == 1
        assert sorted({c.state for c in claims}) == ["held", "taken_over"]


def _claim_in_process(url: str, key: str, start, results) -> None:
    ledger = EventLedger(engine_for(url))
    start.wait()
    results.put(bool(ledger.claim(key)))


def test_processes_racing_for_one_id_one_wins(state_db, state_url):
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    for round_ in range(3):
        start, results = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(
                target=_claim_in_process, args=(state_url, f"EvPROC{round_}", start, results)
            )
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        won = [results.get(timeout=5) for _ in range(PROCESSES)]
        assert won.count(True) == 1, won


def test_runs_racing_for_a_digest_week_one_wins_per_workspace(state_db):
    states = [DigestState(state_db) for _ in range(THREADS)]
    won = _race(
        THREADS,
        lambda n: states[n].claim("2026-W49", "CDIGEST", force=False, now=NOW, team_id=f"T{n % 2}"),
    )
    assert won.count(True) == 2  # one in T0, one in T1
    claims = [states[0].claim_of("2026-W49", team_id=team) for team in ("T0", "T1")]
    assert all(c is not None and c.status == "posting" for c in claims)
    assert states[0].claim_of("2026-W49") is None  # token mode's workspace is untouched


def test_runs_taking_over_an_unconfirmed_week_one_wins(state_db):
    state = DigestState(state_db)
    assert state.claim("2026-W49", "CDIGEST", force=False, now=NOW)
    state.unconfirmed("2026-W49")
    claim = state.claim_of("2026-W49")
    later = NOW + dt.timedelta(hours=1)
    won = _race(THREADS, lambda n: DigestState(state_db).take_over(claim, now=later))
    assert won.count(True) == 1


def test_the_digest_snapshot_is_kept_per_workspace(state_db):
    state = DigestState(state_db)
    state.save_snapshot({"a": "1"}, ["r1"])
    state.for_team("T1").save_snapshot({"b": "2"}, ["r2"])
    state.save_snapshot({"a": "3"}, ["r1", "r3"])
    assert state.snapshot() == ({"a": "3"}, {"r1", "r3"})
    assert state.snapshot(team_id="T1") == ({"b": "2"}, {"r2"})
    assert state.snapshot(team_id="T2") == (None, None)


def test_workers_racing_for_follow_ups_never_pass_the_limit(state_db):
    store = ThreadStore(state_db, limit=3)
    store.engage("C1", "1.1", "adoption", team_id="T1")
    got = _race(
        THREADS, lambda n: ThreadStore(state_db, limit=3).claim_followup("C1", "1.1", team_id="T1")
    )
    assert got.count("adoption") == 3 and got.count(None) == THREADS - 3
    assert store.claim_followup("C1", "1.1") is None  # another workspace's thread


def test_a_stopped_postgresql_grants_claims_at_once_and_is_used_again_when_back(
    postgres_cluster, caplog
):
    from bot.db import migrate

    url = postgres_cluster.create_database()
    engine = engine_for(url)
    migrate.upgrade(engine)
    ledger = EventLedger(engine)
    assert ledger.claim("EvUP1").state == "new"
    postgres_cluster.stop()
    try:
        started = time.monotonic()
        claims = [ledger.claim(f"EvDOWN{n}") for n in range(5)]
        assert time.monotonic() - started < 2.5  # acks never wait on a database that is down
        assert {c.state for c in claims} == {"unavailable"} and all(claims)
        assert ledger.problem and "OperationalError" in ledger.problem
    finally:
        postgres_cluster._ctl_start()
    time.sleep(EventLedger.RETRY_AFTER + 0.1)
    assert ledger.claim("EvUP2").state == "new"
    assert ledger.problem is None
    assert ledger.claim("EvUP1").state == "held"  # what was written before is still there


@pytest.mark.parametrize("team", ["", "T0123"])
def test_answered_is_recorded_for_the_id_alone(state_db, team):
    ledger = EventLedger(state_db)
    assert ledger.claim("EvA", team_id=team)
    ledger.answered("EvA")
    assert ledger.claim("EvA", team_id=team).state == "answered"
    assert ledger.claim("EvB", team_id=team).state == "new"
