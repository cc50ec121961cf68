"""The ledger of handled events, on SQLite and on PostgreSQL: each id answered once; a
claim is a lease that a retry takes over once it has expired unanswered; "answered"
is final; expired rows are deleted on a schedule through an index (not by scanning
the table on every event); malformed ids are refused; and a ledger that cannot be
written never stops an answer."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import insert, select

from bot.db.engine import engine_for, sqlite_url
from bot.db.tables import handled_events
from bot.ledger import EventLedger, valid_event_id


class Clock:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _ids(ledger: EventLedger) -> list[str]:
    with ledger.engine.connect() as db:
        return sorted(db.execute(select(handled_events.c.event_id)).scalars())


def test_an_id_is_claimed_once(state_db):
    ledger = EventLedger(state_db)
    first, repeat, other = ledger.claim("Ev1"), ledger.claim("Ev1"), ledger.claim("Ev2")
    assert first and not repeat and other
    assert (first.state, repeat.state, other.state) == ("new", "held", "new")


def test_an_answered_id_is_never_answered_again(state_db):
    clock = Clock()
    ledger = EventLedger(state_db, lease_seconds=30, clock=clock)
    assert ledger.claim("Ev1")
    ledger.answered("Ev1")
    assert ledger.claim("Ev1").state == "answered"
    clock.now += 3600  # long past the lease: still answered
    assert ledger.claim("Ev1").state == "answered"


def test_an_unanswered_lease_is_taken_over_once_it_expires(state_db):
    clock = Clock()
    first = EventLedger(state_db, lease_seconds=30, clock=clock)
    second = EventLedger(state_db, lease_seconds=30, clock=clock)
    assert first.claim("Ev1", team_id="T1")  # then the worker dies without answering
    clock.now += 29
    assert second.claim("Ev1", team_id="T1").state == "held"
    clock.now += 1
    taken = second.claim("Ev1", team_id="T1")
    assert taken and taken.state == "taken_over"
    # The new holder has a lease of its own: a third try within it is refused.
    clock.now += 10
    assert first.claim("Ev1").state == "held"
    second.answered("Ev1")
    clock.now += 60
    assert first.claim("Ev1").state == "answered"


def test_the_lease_is_real_time_when_no_clock_is_given(state_db):
    ledger = EventLedger(state_db, lease_seconds=1)
    assert ledger.claim("Ev-real")
    assert ledger.claim("Ev-real").held
    time.sleep(1.1)
    assert ledger.claim("Ev-real").state == "taken_over"


def test_a_claim_records_the_workspace(state_db):
    ledger = EventLedger(state_db)
    ledger.claim("Ev1", team_id="T0123")
    with state_db.connect() as db:
        assert db.execute(select(handled_events.c.team_id)).scalar() == "T0123"


def test_expired_claims_are_deleted_on_a_schedule_not_on_every_event(state_db):
    clock = Clock()
    ledger = EventLedger(state_db, clock=clock)
    assert ledger.claim("Ev-first")  # expiry runs with the first claim, then every 10 min
    with state_db.begin() as db:
        db.execute(
            insert(handled_events).values(
                event_id="Ev-ancient", claimed_at=0, lease_until=0, answered_at=0
            )
        )
    clock.now += 60
    assert ledger.claim("Ev-second")
    assert "Ev-ancient" in _ids(ledger)  # not yet: the next expiry is due at +600 s
    clock.now += EventLedger.EXPIRE_EVERY
    assert ledger.claim("Ev-third")
    assert _ids(ledger) == ["Ev-first", "Ev-second", "Ev-third"]
    clock.now += EventLedger.KEEP_SECONDS + 1
    assert ledger.claim("Ev-fourth")
    assert _ids(ledger) == ["Ev-fourth"]


def test_expiry_reads_the_claim_time_index(tmp_path):
    ledger = EventLedger(engine_for(sqlite_url(tmp_path)))
    with sqlite3.connect(tmp_path / "state.db") as db:
        plan = db.execute(
            "EXPLAIN QUERY PLAN DELETE FROM handled_events WHERE claimed_at < ?", (0,)
        ).fetchall()
    assert ledger.problem is None
    assert "handled_events_claimed_at" in str(plan)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("Ev0ABCDEF123", True),
        ("action:13345224609.738474920.8088930838d88f008e0", True),
        ("E" * 128, True),
        ("E" * 129, False),
        ("", False),
        ({"id": 1}, False),
        (["Ev1"], False),
        (12, False),
        ("Ev1; DROP TABLE", False),
    ],
)
def test_event_ids_must_look_like_slacks(value, valid):
    assert valid_event_id(value) is valid


def test_a_corrupt_ledger_claims_anyway_and_says_why(tmp_path, caplog):
    path = tmp_path / "state.db"
    path.write_bytes(b"not a database" * 100)
    ledger = EventLedger(engine_for(sqlite_url(tmp_path)))
    assert ledger.claim("Ev1").state == "unavailable"  # answered: a duplicate beats silence
    # This process still recognises its own repeat, from the claim it kept.
    assert ledger.claim("Ev1").state == "held"
    assert ledger.claim("Ev2").state == "unavailable"
    assert ledger.problem and "DatabaseError" in ledger.problem
    assert str(path) in caplog.text and "INSPECTION_BOT_DATA_DIR" in caplog.text


def test_a_ledger_recovers_when_its_directory_comes_back(tmp_path):
    data = tmp_path / "data"
    ledger = EventLedger(engine_for(sqlite_url(data)))
    assert ledger.claim("Ev1")
    for child in data.iterdir():
        child.unlink()
    data.rmdir()
    assert ledger.claim("Ev2")  # recreated; the answer is never held up
    assert ledger.problem is None and not ledger.claim("Ev2")


def test_an_unreachable_postgresql_claims_anyway_within_the_connect_timeout(caplog):
    from tests.pg import free_port

    url = f"postgresql://nobody:secret-pw@127.0.0.1:{free_port()}/nothing"
    ledger = EventLedger(engine_for(url))
    started = time.monotonic()
    assert ledger.claim("Ev1").state == "unavailable"
    assert ledger.claim("Ev2").state == "unavailable"  # refused at once, every time
    assert time.monotonic() - started < 2.5
    assert ledger.problem and "OperationalError" in ledger.problem
    assert "DATABASE_URL" in caplog.text and "secret-pw" not in caplog.text


def test_a_postgresql_host_that_never_answers_costs_one_connect_timeout_not_every_ack():
    """A server that accepts the connection and then says nothing (a host gone
    quiet): the first claim waits out the connect timeout, then the ledger is left
    alone for RETRY_AFTER, so the acks after it do not wait too."""
    import socket

    from bot.db.engine import CONNECT_TIMEOUT

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # the kernel completes handshakes; nobody ever answers
    try:
        port = silent.getsockname()[1]
        ledger = EventLedger(engine_for(f"postgresql://nobody@127.0.0.1:{port}/nothing"))
        started = time.monotonic()
        assert ledger.claim("EvQ1").state == "unavailable"
        assert time.monotonic() - started < CONNECT_TIMEOUT + 0.5
        started = time.monotonic()
        assert [ledger.claim(f"EvQ{n}").state for n in range(2, 7)] == ["unavailable"] * 5
        assert time.monotonic() - started < 0.2
    finally:
        silent.close()


def test_claims_made_while_postgresql_was_down_are_written_once_it_is_back(postgres_cluster):
    """No claim is lost to a restart: what a replica answered while the server was
    away is written when it returns, so another replica ignores Slack's retry of it."""
    from sqlalchemy import create_engine

    from bot.db import migrate
    from bot.db.engine import driver_url

    url = postgres_cluster.create_database()
    migrate.upgrade(engine_for(url))
    ledger = EventLedger(engine_for(url))
    assert ledger.claim("EvBefore").state == "new"
    postgres_cluster.stop()
    try:
        assert ledger.claim("EvAway").state == "unavailable"
        ledger.answered("EvAway")
        assert ledger.claim("EvAway").state == "answered"  # remembered meanwhile
    finally:
        postgres_cluster.start()
    time.sleep(EventLedger.RETRY_AFTER + 0.2)
    assert ledger.claim("EvAfter").state == "new"  # this write carries the kept claim too
    assert ledger.problem is None

    other = create_engine(driver_url(url))  # another replica's own connection
    try:
        replica = EventLedger(other)
        assert replica.claim("EvAway").state == "answered"
        assert replica.claim("EvBefore").state == "held"
    finally:
        other.dispose()
