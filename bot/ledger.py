"""The ledger of handled events and button presses, shared by every worker and every
replica through the state database (`state.db` in the data directory, or
DATABASE_URL's PostgreSQL).

Slack retries a delivery it thinks failed, a captured request may be replayed
within the five-minute signature window, and several workers share the work: only
one of them answers an id. A claim is a lease:

- `claim(key)` takes a new id, or takes over one whose lease (LEDGER_LEASE_SECONDS,
  30 s by default) has expired and which was never answered: the worker or replica
  that held it died (a SIGKILL, a node lost) before answering.
- `answered(key)` is recorded only after the answer was posted, by the listener
  that posted it. An answered id is never answered again.

Both are one atomic statement each (INSERT ... ON CONFLICT DO NOTHING; UPDATE ...
WHERE the lease has expired and nobody answered), so of any number of workers and
replicas racing on one id exactly one wins, on SQLite and on PostgreSQL alike.

What a repeat gets (bot/slack/app.py's `answer_each_event_once`): a repeat of an
answered id, and any repeat that is not a Slack retry, is acknowledged with an empty
200 and ignored, as before. A Slack retry (X-Slack-Retry-Num) of an id whose lease
another worker still holds, unanswered, is refused with a 503: acknowledging it
would tell Slack to stop retrying, and if the holder then died the answer would be
lost. Slack retries after about a minute and again after five, by which time the
holder has answered (the retry is ignored) or its lease has expired (the retry
takes it over and answers). Leases are compared with each replica's wall clock, so
replicas' clocks are assumed to agree to well within the lease.

Rows are kept a day; expired ones are deleted on a schedule (at most every
`EXPIRE_EVERY` seconds per process, through an index on the claim time), not by
scanning the table on every event.

If the ledger cannot be written (a corrupt file, a full disk, a read-only or deleted
data directory, PostgreSQL down) the claim succeeds anyway, within the connect
timeout (about 2 s at most): a rare duplicate answer beats silence. Such a claim is
not forgotten: the process keeps it (at most `MAX_UNWRITTEN`, the oldest dropped
first) and writes it with the next operation that reaches the database, so once
PostgreSQL is back after a restart a retry of an event answered while it was away
is still recognised, by every replica. Meanwhile this process recognises its own
repeats from what it kept.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select, update

from .db.dialect import insert_ignoring_conflicts
from .db.tables import handled_events
from .storage import BestEffortStore

log = logging.getLogger(__name__)

# Slack's event ids are a dozen characters ("Ev0ABCDEF123"); interaction keys add a
# prefix and a trigger id. Anything else is not from Slack.
MAX_ID_CHARS = 128
_ID = re.compile(r"[A-Za-z0-9._:-]+")
DEFAULT_LEASE_SECONDS = 30.0
_FAILED = object()


def valid_event_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS and bool(_ID.fullmatch(value))


@dataclass(frozen=True)
class Claim:
    """What `claim` found: true when this worker is to answer."""

    won: bool
    # new: first claim; taken_over: an expired, unanswered lease; answered: a repeat
    # of an id already answered; held: another worker's lease, unanswered, still
    # running; unavailable: the ledger could not be used (answer anyway).
    state: str

    def __bool__(self) -> bool:
        return self.won

    @property
    def held(self) -> bool:
        return self.state == "held"


class EventLedger(BestEffortStore):
    NAME = "event ledger"
    CONSEQUENCE = "answering anyway, so a retried event may be answered twice"
    KEEP_SECONDS = 24 * 3600
    EXPIRE_EVERY = 600.0
    # Claims made while the database was away, kept to be written when it is back.
    MAX_UNWRITTEN = 10_000
    # How many of them one operation writes: the first ack after an outage must not
    # wait for thousands of inserts.
    WRITE_AT_ONCE = 100

    def __init__(
        self, engine: Engine, *, lease_seconds: float = DEFAULT_LEASE_SECONDS, clock=time.time
    ):
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._next_expiry = 0.0
        # event id -> the row to write: team_id, claimed_at, lease_until, answered_at
        self._unwritten: OrderedDict[str, dict] = OrderedDict()
        super().__init__(engine)

    def claim(self, event_id: str, *, team_id: str = "") -> Claim:
        """Won for a new id, and for one whose lease expired unanswered (and whenever
        the ledger cannot be used); otherwise lost, saying whether it was answered or
        is still held."""
        now = self._clock()
        until = now + self.lease_seconds
        kept = self._kept(event_id)
        if kept is not None and (kept["answered_at"] is not None or kept["lease_until"] > now):
            return Claim(False, "held" if kept["answered_at"] is None else "answered")

        def work(db: Connection) -> Claim:
            taken = db.execute(
                insert_ignoring_conflicts(db, handled_events, ["event_id"]).values(
                    event_id=event_id,
                    team_id=team_id,
                    claimed_at=now,
                    lease_until=until,
                    answered_at=None,
                )
            ).rowcount
            if taken:
                self._expire(db, now)
                return Claim(True, "new")
            taken = db.execute(
                update(handled_events)
                .where(
                    handled_events.c.event_id == event_id,
                    handled_events.c.answered_at.is_(None),
                    handled_events.c.lease_until <= now,
                )
                .values(claimed_at=now, lease_until=until, team_id=team_id)
            ).rowcount
            if taken:
                return Claim(True, "taken_over")
            answered = db.execute(
                select(handled_events.c.answered_at).where(handled_events.c.event_id == event_id)
            ).scalar()
            return Claim(False, "held" if answered is None else "answered")

        claim = self._run(work, failed=None)
        if claim is None:  # unavailable: answer, and keep the claim to write later
            self._keep(
                event_id,
                {"team_id": team_id, "claimed_at": now, "lease_until": until, "answered_at": None},
            )
            return Claim(True, "unavailable")
        return claim

    def answered(self, event_id: str) -> None:
        """The answer to `event_id` was posted: no retry or replay answers it again."""
        now = self._clock()
        with self._lock:
            kept = self._unwritten.get(event_id)
            if kept is not None:
                kept["answered_at"] = now

        def work(db: Connection) -> bool:
            db.execute(
                update(handled_events)
                .where(handled_events.c.event_id == event_id)
                .values(answered_at=now)
            )
            return True

        if not self._run(work, failed=False) and kept is None:
            self._keep(
                event_id,
                {"team_id": "", "claimed_at": now, "lease_until": now, "answered_at": now},
            )

    # -- claims kept while the database was away ------------------------------------------

    def _kept(self, event_id: str) -> dict | None:
        with self._lock:
            kept = self._unwritten.get(event_id)
            return dict(kept) if kept is not None else None

    def _keep(self, event_id: str, row: dict) -> None:
        with self._lock:
            self._unwritten[event_id] = row
            self._unwritten.move_to_end(event_id)
            while len(self._unwritten) > self.MAX_UNWRITTEN:
                self._unwritten.popitem(last=False)

    def _write_unwritten(self, db: Connection) -> list[str]:
        """Write the kept claims in this transaction: new ids inserted, and an answer
        recorded over another replica's unanswered claim of the same id. The ids
        written, to forget once the transaction has committed."""
        with self._lock:
            rows = [(key, dict(row)) for key, row in self._unwritten.items()]
        rows = rows[: self.WRITE_AT_ONCE]
        for event_id, row in rows:
            db.execute(
                insert_ignoring_conflicts(db, handled_events, ["event_id"]).values(
                    event_id=event_id, **row
                )
            )
            if row["answered_at"] is not None:
                db.execute(
                    update(handled_events)
                    .where(
                        handled_events.c.event_id == event_id,
                        handled_events.c.answered_at.is_(None),
                    )
                    .values(answered_at=row["answered_at"])
                )
        return [event_id for event_id, _ in rows]

    def _run(self, work, *, failed=None):
        """`work(db)` after writing the kept claims, in one transaction; the kept
        claims are forgotten only when it committed."""
        written: list[str] = []

        def with_kept(db: Connection):
            written[:] = self._write_unwritten(db)
            return work(db)

        result = super()._run(with_kept, failed=_FAILED)
        if result is _FAILED:
            return failed
        with self._lock:
            for event_id in written:
                self._unwritten.pop(event_id, None)
        return result

    def _expire(self, db: Connection, now: float) -> None:
        with self._lock:
            if now < self._next_expiry:
                return
            self._next_expiry = now + self.EXPIRE_EVERY
        db.execute(
            delete(handled_events).where(handled_events.c.claimed_at < now - self.KEEP_SECONDS)
        )
