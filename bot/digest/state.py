"""The digest's state in the state database (`state.db` in the data directory, or
DATABASE_URL's PostgreSQL): per workspace, which weeks are claimed, posted or
unconfirmed, and the knowledge snapshot the next digest is compared with.

A week's row moves: claimed ("posting", held by one run) -> "posted" with Slack's
ts; or -> released (deleted) when Slack refused the post; or -> "unconfirmed" when a
run gave up not knowing whether its post landed. An unconfirmed week, or one whose run
has held it longer than POSTING_LEASE, is taken over by the next run, which reads the
channel's history before posting (bot/digest/post.py).

Every claim is one atomic statement (INSERT ... ON CONFLICT DO NOTHING; a
compare-and-set UPDATE), so of the runs racing for a week, on any replica or the
CronJob, one wins, on SQLite and on PostgreSQL alike. `team_id` is the workspace
("" in single-workspace token mode); `for_team` binds a state to one.

Unlike the bot's best-effort stores, the digest's state is not optional: a
database error propagates, and the run posts nothing rather than risk a double.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select, update

from ..db import migrate
from ..db.dialect import insert_ignoring_conflicts, upsert
from ..db.tables import digest_snapshot, digest_weeks

# A run's claim is its own this long; a run takes minutes at most (three posts of at
# most 30 s each, short rate-limit waits, a few pages of history).
POSTING_LEASE = dt.timedelta(minutes=15)

W = digest_weeks.c


@dataclass(frozen=True)
class Claim:
    week: str
    claimed_at: dt.datetime  # the first attempt: history is read back from here
    posted_ts: str | None
    # "posting" (a run holds it), "unconfirmed" (a run gave up not knowing), "posted";
    # None: claimed by a version that sent no metadata, so there is nothing to look for.
    status: str | None
    attempt_at: dt.datetime | None  # when the run holding it took it
    team_id: str = ""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


class DigestState:
    """Posted weeks and the knowledge snapshot, per workspace."""

    def __init__(self, engine: Engine, *, team_id: str = ""):
        self.engine = engine
        self.team_id = team_id
        migrate.ensure(engine)  # SQLite: created here, as it always was

    def for_team(self, team_id: str) -> DigestState:
        """The same database, one workspace's weeks and snapshot."""
        bound = object.__new__(DigestState)
        bound.engine, bound.team_id = self.engine, team_id
        return bound

    def _team(self, team_id: str | None) -> str:
        return self.team_id if team_id is None else team_id

    def _week(self, key: str, team_id: str | None):
        return (W.team_id == self._team(team_id), W.week == key)

    def week(self, key: str, *, team_id: str | None = None) -> tuple[str | None, str | None] | None:
        with self.engine.begin() as db:
            row = db.execute(
                select(W.claimed_at, W.posted_ts).where(*self._week(key, team_id))
            ).first()
        return tuple(row) if row is not None else None

    def claim_of(self, key: str, *, team_id: str | None = None) -> Claim | None:
        with self.engine.begin() as db:
            row = db.execute(
                select(W.claimed_at, W.posted_ts, W.status, W.attempt_at).where(
                    *self._week(key, team_id)
                )
            ).first()
        if row is None:
            return None
        claimed_at, posted_ts, status, attempt_at = row
        return Claim(
            key,
            dt.datetime.fromisoformat(claimed_at),
            posted_ts,
            status,
            dt.datetime.fromisoformat(attempt_at) if attempt_at else None,
            self._team(team_id),
        )

    def claim(
        self, key: str, channel: str, *, force: bool, now: dt.datetime, team_id: str | None = None
    ) -> bool:
        at = _iso(now)
        team = self._team(team_id)
        with self.engine.begin() as db:
            if force:
                db.execute(delete(digest_weeks).where(*self._week(key, team)))
            return bool(
                db.execute(
                    insert_ignoring_conflicts(db, digest_weeks, ["team_id", "week"]).values(
                        team_id=team,
                        week=key,
                        claimed_at=at,
                        channel=channel,
                        status="posting",
                        attempt_at=at,
                    )
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
        previous = _iso(claim.attempt_at) if claim.attempt_at else None
        with self.engine.begin() as db:
            return bool(
                db.execute(
                    update(digest_weeks)
                    .where(
                        *self._week(claim.week, claim.team_id),
                        W.posted_ts.is_(None),
                        W.status == claim.status,
                        W.attempt_at.is_(None) if previous is None else W.attempt_at == previous,
                    )
                    .values(status="posting", attempt_at=_iso(now))
                ).rowcount
            )

    def unconfirmed(self, key: str, *, team_id: str | None = None) -> None:
        """The run gives up not knowing whether its post landed: the next one checks."""
        with self.engine.begin() as db:
            db.execute(
                update(digest_weeks)
                .where(*self._week(key, team_id), W.posted_ts.is_(None))
                .values(status="unconfirmed")
            )

    def confirm(self, key: str, ts: str, *, team_id: str | None = None) -> None:
        with self.engine.begin() as db:
            db.execute(
                update(digest_weeks)
                .where(*self._week(key, team_id))
                .values(posted_ts=ts, status="posted")
            )

    def release(self, key: str, *, team_id: str | None = None) -> None:
        with self.engine.begin() as db:
            db.execute(delete(digest_weeks).where(*self._week(key, team_id), W.posted_ts.is_(None)))

    def snapshot(self, *, team_id: str | None = None) -> tuple[dict | None, set | None]:
        with self.engine.begin() as db:
            row = db.execute(
                select(digest_snapshot.c.records, digest_snapshot.c.reports).where(
                    digest_snapshot.c.team_id == self._team(team_id)
                )
            ).first()
        if row is None:
            return None, None
        return json.loads(row[0]), set(json.loads(row[1]))

    def save_snapshot(
        self, records: dict, reports: list[str], *, team_id: str | None = None
    ) -> None:
        row = {
            "team_id": self._team(team_id),
            "records": json.dumps(records),
            "reports": json.dumps(reports),
        }
        with self.engine.begin() as db:
            db.execute(upsert(db, digest_snapshot, ["team_id"], row, update=["records", "reports"]))
