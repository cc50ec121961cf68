"""The digest's state in `state.db`: which weeks are claimed, posted or unconfirmed,
and the knowledge snapshot the next digest is compared with.

A week's row moves: claimed ("posting", held by one run) -> "posted" with Slack's
ts; or -> released (deleted) when Slack refused the post; or -> "unconfirmed" when a
run gave up not knowing whether its post landed. An unconfirmed week, or one whose run
has held it longer than POSTING_LEASE, is taken over by the next run, which reads the
channel's history before posting (bot/digest/post.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..storage import connect

# A run's claim is its own this long; a run takes minutes at most (three posts of at
# most 30 s each, short rate-limit waits, a few pages of history).
POSTING_LEASE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Claim:
    week: str
    claimed_at: dt.datetime  # the first attempt: history is read back from here
    posted_ts: str | None
    # "posting" (a run holds it), "unconfirmed" (a run gave up not knowing), "posted";
    # None: claimed by a version that sent no metadata, so there is nothing to look for.
    status: str | None
    attempt_at: dt.datetime | None  # when the run holding it took it


class DigestState:
    """Posted weeks and the knowledge snapshot, in `state.db` in the data directory."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS digest_weeks (
                    week TEXT PRIMARY KEY, claimed_at TEXT NOT NULL, channel TEXT, posted_ts TEXT,
                    status TEXT, attempt_at TEXT
                );
                CREATE TABLE IF NOT EXISTS digest_snapshot (
                    id INTEGER PRIMARY KEY CHECK (id = 1), records TEXT NOT NULL, reports TEXT NOT NULL
                );
                """
            )
            # Added with the metadata check: a state.db from before gains them here.
            columns = {row[1] for row in db.execute("PRAGMA table_info(digest_weeks)")}
            for column in ("status", "attempt_at"):
                if column not in columns:
                    try:
                        db.execute(f"ALTER TABLE digest_weeks ADD COLUMN {column} TEXT")
                    except sqlite3.OperationalError as error:  # another process added it
                        if "duplicate column" not in str(error):
                            raise

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, timeout=30, autocommit=True)

    def week(self, key: str) -> tuple[str | None, str | None] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT claimed_at, posted_ts FROM digest_weeks WHERE week = ?", (key,)
            ).fetchone()
        return row

    def claim_of(self, key: str) -> Claim | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT claimed_at, posted_ts, status, attempt_at FROM digest_weeks WHERE week = ?",
                (key,),
            ).fetchone()
        if row is None:
            return None
        claimed_at, posted_ts, status, attempt_at = row
        return Claim(
            key,
            dt.datetime.fromisoformat(claimed_at),
            posted_ts,
            status,
            dt.datetime.fromisoformat(attempt_at) if attempt_at else None,
        )

    def claim(self, key: str, channel: str, *, force: bool, now: dt.datetime) -> bool:
        at = now.astimezone(dt.UTC).isoformat()
        with self._connect() as db:
            if force:
                db.execute("DELETE FROM digest_weeks WHERE week = ?", (key,))
            return bool(
                db.execute(
                    "INSERT OR IGNORE INTO digest_weeks (week, claimed_at, channel, status, attempt_at) "
                    "VALUES (?, ?, ?, 'posting', ?)",
                    (key, at, channel, at),
                ).rowcount
            )

    def take_over(self, claim: Claim, *, now: dt.datetime) -> bool:
        """Hold an unconfirmed week for this run: one a run gave up on, or one whose run
        outlived POSTING_LEASE. Compare-and-set on what was read, so of two runs
        taking it over, one wins."""
        expired = claim.attempt_at is None or now - claim.attempt_at >= POSTING_LEASE
        if claim.posted_ts or claim.status is None:
            return False
        if claim.status == "posting" and not expired:
            return False
        previous = claim.attempt_at.astimezone(dt.UTC).isoformat() if claim.attempt_at else None
        with self._connect() as db:
            return bool(
                db.execute(
                    "UPDATE digest_weeks SET status = 'posting', attempt_at = ? WHERE week = ? "
                    "AND posted_ts IS NULL AND status IS ? AND attempt_at IS ?",
                    (now.astimezone(dt.UTC).isoformat(), claim.week, claim.status, previous),
                ).rowcount
            )

    def unconfirmed(self, key: str) -> None:
        """The run gives up not knowing whether its post landed: the next one checks."""
        with self._connect() as db:
            db.execute(
                "UPDATE digest_weeks SET status = 'unconfirmed' WHERE week = ? AND posted_ts IS NULL",
                (key,),
            )

    def confirm(self, key: str, ts: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE digest_weeks SET posted_ts = ?, status = 'posted' WHERE week = ?", (ts, key)
            )

    def release(self, key: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM digest_weeks WHERE week = ? AND posted_ts IS NULL", (key,))

    def snapshot(self) -> tuple[dict | None, set | None]:
        with self._connect() as db:
            row = db.execute("SELECT records, reports FROM digest_snapshot WHERE id = 1").fetchone()
        if row is None:
            return None, None
        return json.loads(row[0]), set(json.loads(row[1]))

    def save_snapshot(self, records: dict, reports: list[str]) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO digest_snapshot (id, records, reports) VALUES (1, ?, ?)",
                (json.dumps(records), json.dumps(reports)),
            )
