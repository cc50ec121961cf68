"""The ledger of handled events: each id answered once, expired on a schedule through
an index (not by scanning the table on every event), malformed ids refused, and a
ledger that cannot be written never stops an answer."""

from __future__ import annotations

import sqlite3

import pytest

from bot.ledger import EventLedger, valid_event_id


class Clock:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _ids(ledger: EventLedger) -> list[str]:
    with sqlite3.connect(ledger.path) as db:
        return sorted(row[0] for row in db.execute("SELECT event_id FROM handled_events"))


def test_an_id_is_claimed_once(tmp_path):
    ledger = EventLedger(tmp_path / "state.db")
    assert ledger.claim("Ev1") and not ledger.claim("Ev1") and ledger.claim("Ev2")


def test_expired_claims_are_deleted_on_a_schedule_not_on_every_event(tmp_path):
    clock = Clock()
    ledger = EventLedger(tmp_path / "state.db", clock=clock)
    assert ledger.claim("Ev-first")  # expiry runs with the first claim, then every 10 min
    with sqlite3.connect(ledger.path) as db:
        db.execute("INSERT INTO handled_events VALUES ('Ev-ancient', 0)")
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
    ledger = EventLedger(tmp_path / "state.db")
    with sqlite3.connect(ledger.path) as db:
        plan = db.execute(
            "EXPLAIN QUERY PLAN DELETE FROM handled_events WHERE handled_at < ?", (0,)
        ).fetchall()
    assert "USING COVERING INDEX handled_events_at" in str(plan) or "USING INDEX" in str(plan)


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
    ledger = EventLedger(path)
    assert ledger.claim("Ev1") and ledger.claim("Ev1")  # a rare duplicate beats silence
    assert ledger.problem and "DatabaseError" in ledger.problem
    assert str(path) in caplog.text and "INSPECTION_BOT_DATA_DIR" in caplog.text


def test_a_ledger_recovers_when_its_directory_comes_back(tmp_path):
    data = tmp_path / "data"
    ledger = EventLedger(data / "state.db")
    assert ledger.claim("Ev1")
    for child in data.iterdir():
        child.unlink()
    data.rmdir()
    assert ledger.claim("Ev2")  # recreated; the answer is never held up
    assert ledger.problem is None and not ledger.claim("Ev2")
