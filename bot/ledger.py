"""The ledger of handled events and button presses, shared by every worker on the
host through SQLite (`state.db` in the data directory).

Slack retries a delivery it thinks failed, a captured request may be replayed
within the five-minute signature window, and several workers share the work: only
the first to claim an id answers it. Claims are kept a day; expired ones are
deleted on a schedule (at most every `EXPIRE_EVERY` seconds per process, through an
index on the claim time), not by scanning the table on every event.

If the ledger cannot be written (a corrupt file, a full disk, a read-only or deleted
data directory) the claim succeeds anyway: a rare duplicate answer beats silence.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from pathlib import Path

from .storage import BestEffortStore

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS handled_events (event_id TEXT PRIMARY KEY, handled_at REAL);
CREATE INDEX IF NOT EXISTS handled_events_at ON handled_events (handled_at);
"""
# Slack's event ids are a dozen characters ("Ev0ABCDEF123"); interaction keys add a
# prefix and a trigger id. Anything else is not from Slack.
MAX_ID_CHARS = 128
_ID = re.compile(r"[A-Za-z0-9._:-]+")


def valid_event_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS and bool(_ID.fullmatch(value))


class EventLedger(BestEffortStore):
    SCHEMA = SCHEMA
    NAME = "event ledger"
    CONSEQUENCE = "answering anyway, so a retried event may be answered twice"
    KEEP_SECONDS = 24 * 3600
    EXPIRE_EVERY = 600.0

    def __init__(self, path: Path, *, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._next_expiry = 0.0
        super().__init__(path)

    def claim(self, event_id: str) -> bool:
        """True for the first claim of an id (and whenever the ledger cannot be
        written); False for a repeat."""
        now = self._clock()

        def work(db: sqlite3.Connection) -> bool:
            claimed = db.execute(
                "INSERT OR IGNORE INTO handled_events (event_id, handled_at) VALUES (?, ?)",
                (event_id, now),
            ).rowcount
            self._expire(db, now)
            return bool(claimed)

        return self._run(work, failed=True)

    def _expire(self, db: sqlite3.Connection, now: float) -> None:
        with self._lock:
            if now < self._next_expiry:
                return
            self._next_expiry = now + self.EXPIRE_EVERY
        db.execute("DELETE FROM handled_events WHERE handled_at < ?", (now - self.KEEP_SECONDS,))
