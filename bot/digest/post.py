"""Posting the digest: at most once per ISO week, and saying so when "once" is uncertain.

The week is claimed in SQLite before posting and confirmed with the `ts` Slack
returns. Two processes racing claim the same row: one wins. A week claimed but never
confirmed (a crash mid-post) is never posted again automatically: the log says the
post may or may not have gone out, and `--force` is the way to recover.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from ..config import Settings, SettingsError
from ..querylog import QueryLog
from ..render.digest import curator_message, digest_message, digest_text
from ..search.engine import SearchIndex
from ..storage import connect
from .content import Digest, IsoWeek, build_digest, record_fingerprints

log = logging.getLogger(__name__)

# Errors no retry will fix: the week stays unposted and the log says what to do.
PERMANENT = {
    "channel_not_found": "the channel {channel} does not exist or the bot cannot see it: check DIGEST_CHANNEL",
    "not_in_channel": "the bot is not in {channel}: invite it with /invite @inspection-bot",
    "is_archived": "the channel {channel} is archived: choose another DIGEST_CHANNEL",
    "invalid_auth": "the bot token was rejected: check SLACK_BOT_TOKEN",
}


class WeekNotStarted(ValueError):
    """`--post --week` named a week that has not begun: posting it now would be wrong."""


@dataclass(frozen=True)
class Outcome:
    posted: bool
    message: str
    ts: str | None = None


class DigestState:
    """Posted weeks and the knowledge snapshot, in `state.db` in the data directory."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS digest_weeks (
                    week TEXT PRIMARY KEY, claimed_at TEXT NOT NULL, channel TEXT, posted_ts TEXT
                );
                CREATE TABLE IF NOT EXISTS digest_snapshot (
                    id INTEGER PRIMARY KEY CHECK (id = 1), records TEXT NOT NULL, reports TEXT NOT NULL
                );
                """
            )

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, timeout=30, autocommit=True)

    def week(self, key: str) -> tuple[str | None, str | None] | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT claimed_at, posted_ts FROM digest_weeks WHERE week = ?", (key,)
            ).fetchone()
        return row

    def claim(self, key: str, channel: str, *, force: bool, now: dt.datetime) -> bool:
        with self._connect() as db:
            if force:
                db.execute("DELETE FROM digest_weeks WHERE week = ?", (key,))
            return bool(
                db.execute(
                    "INSERT OR IGNORE INTO digest_weeks (week, claimed_at, channel) VALUES (?, ?, ?)",
                    (key, now.astimezone(dt.UTC).isoformat(), channel),
                ).rowcount
            )

    def confirm(self, key: str, ts: str) -> None:
        with self._connect() as db:
            db.execute("UPDATE digest_weeks SET posted_ts = ? WHERE week = ?", (ts, key))

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


def digest_client(settings: Settings) -> WebClient:
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=4),
            ConnectionErrorRetryHandler(max_retry_count=3),
        ],
        timeout=30,
    )


def _records(index: SearchIndex):
    return [c.hit for c in index.search(index.parse(""), match_all=True) if c.hit.kind != "passage"]


def compose(
    *,
    index: SearchIndex,
    state: DigestState,
    query_log: QueryLog,
    settings: Settings,
    now: dt.datetime,
    week: IsoWeek | None = None,
):
    """The digest for `week` (by default the week of `now`, in DIGEST_TIMEZONE), and
    what it was made from."""
    tz = ZoneInfo(settings.digest_timezone)
    week = week or IsoWeek.of(now.astimezone(tz))
    records = _records(index)
    previous, previous_reports = state.snapshot()
    reports = [r for r in index.meta.reports if r.get("reviewed", True)]
    questions = query_log.entries(now=now)
    digest = build_digest(
        week=week,
        tz=tz,
        records=records,
        reports=reports,
        previous=previous,
        previous_reports=previous_reports,
        questions=questions,
        evidence_of=index.hit_by_id,
    )
    this_week = [q for q in questions if week.contains(q.asked_at, tz)]
    return digest, records, reports, this_week


def dry_run(
    *,
    index: SearchIndex,
    state: DigestState,
    query_log: QueryLog,
    settings: Settings,
    now: dt.datetime,
    week: IsoWeek | None = None,
) -> str:
    """Any week's digest as text, posting nothing: a missed week, or a preview of the next."""
    digest, *_ = compose(
        index=index, state=state, query_log=query_log, settings=settings, now=now, week=week
    )
    labels = {t["id"]: t["label"] for t in index.meta.themes}
    return digest_text(digest, labels)


def post_digest(
    *,
    index: SearchIndex,
    state: DigestState,
    query_log: QueryLog,
    settings: Settings,
    client: WebClient,
    now: dt.datetime,
    week: IsoWeek | None = None,
    force: bool = False,
) -> Outcome:
    """Post the digest for `week` (by default the week of `now`) once. An explicit week
    follows the same once-per-week rules; one that has not begun is a WeekNotStarted."""
    channel = settings.digest_channel
    if not channel:
        raise SettingsError("DIGEST_CHANNEL is not set; posting the digest needs it.")
    tz = ZoneInfo(settings.digest_timezone)
    if week is not None and week.starts_after(now.astimezone(tz)):
        raise WeekNotStarted(
            f"The week {week.key} has not started yet (it begins on Monday "
            f"{week.monday.isoformat()}, {settings.digest_timezone}); nothing posted. "
            "--post sends a week that has begun; --dry-run previews any week."
        )
    digest, records, reports, this_week = compose(
        index=index, state=state, query_log=query_log, settings=settings, now=now, week=week
    )
    key = digest.week.key
    if not state.claim(key, channel, force=force, now=now):
        claimed_at, ts = state.week(key) or (None, None)
        if ts:
            return Outcome(
                False,
                f"The digest for {key} was already posted (ts {ts}); nothing posted. Use --force to post again.",
            )
        message = (
            f"The digest for {key} was claimed at {claimed_at} but never confirmed: the post may "
            "or may not have gone out (a crash mid-post). Nothing posted; check the channel, "
            "and use --force to post it again."
        )
        log.warning(message)
        return Outcome(False, message)
    labels = {t["id"]: t["label"] for t in index.meta.themes}
    message = digest_message(digest, labels)
    try:
        response = client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks
        )
    except SlackApiError as error:
        reason = (error.response or {}).get("error", "") if error.response is not None else ""
        if reason in PERMANENT:
            state.release(key)
            fix = PERMANENT[reason].format(channel=channel)
            log.error("digest for %s not posted: %s (%s)", key, fix, reason)
            return Outcome(False, f"Not posted: {fix}.")
        log.exception(
            "digest for %s: Slack answered an error; the post may or may not have gone out", key
        )
        return Outcome(
            False,
            f"Not confirmed: Slack answered {reason or error}. The post may or may not have gone out; use --force after checking.",
        )
    ts = response.get("ts")
    state.confirm(key, ts)
    state.save_snapshot(record_fingerprints(records), [r["id"] for r in reports])
    _post_to_curators(client, settings, this_week)
    return Outcome(True, f"Posted the digest for {key} to {channel} (ts {ts}).", ts)


def _post_to_curators(client: WebClient, settings: Settings, this_week) -> None:
    """Unanswered questions, in full, go only to CURATOR_CHANNEL, never to the digest."""
    if not settings.curator_channel:
        return
    unanswered = [q for q in this_week if not q.answered and q.feedback is None]
    not_helpful = [q for q in this_week if q.feedback == "not_helpful"]
    message = curator_message(unanswered, not_helpful)
    try:
        client.chat_postMessage(
            channel=settings.curator_channel, text=message.text, blocks=message.blocks
        )
    except SlackApiError:
        log.exception("could not post the curators' message to %s", settings.curator_channel)


__all__ = ["Digest", "DigestState", "Outcome", "WeekNotStarted", "dry_run", "post_digest"]
