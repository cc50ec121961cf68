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
timeout (about 2 s at most): a rare duplicate answer beats silence.
"""

from __future__ import annotations

import logging
import re
import threading
import time
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

    def __init__(
        self, engine: Engine, *, lease_seconds: float = DEFAULT_LEASE_SECONDS, clock=time.time
    ):
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._next_expiry = 0.0
        super().__init__(engine)

    def claim(self, event_id: str, *, team_id: str = "") -> Claim:
        """Won for a new id, and for one whose lease expired unanswered (and whenever
        the ledger cannot be used); otherwise lost, saying whether it was answered or
        is still held."""
        now = self._clock()
        until = now + self.lease_seconds

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

        return self._run(work, failed=Claim(True, "unavailable"))

    def answered(self, event_id: str) -> None:
        """The answer to `event_id` was posted: no retry or replay answers it again."""
        now = self._clock()

        def work(db: Connection) -> None:
            db.execute(
                update(handled_events)
                .where(handled_events.c.event_id == event_id)
                .values(answered_at=now)
            )

        self._run(work)

    def _expire(self, db: Connection, now: float) -> None:
        with self._lock:
            if now < self._next_expiry:
                return
            self._next_expiry = now + self.EXPIRE_EVERY
        db.execute(
            delete(handled_events).where(handled_events.c.claimed_at < now - self.KEEP_SECONDS)
        )
