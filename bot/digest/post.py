"""Posting the digest: at most once per ISO week, and never "maybe" when Slack said no.

A run claims the week (per workspace) in the state database before posting and
confirms it with the `ts` Slack returns; of two runs racing, one wins the claim. A
failed post is sorted:

- DEFINITE: Slack answered with an error (`channel_not_found`, `token_revoked`, a 429
  that outlasted the retries, a reply that is not Slack's JSON) or was never reached
  (connection refused). Nothing was posted: the claim is released, the outcome and the
  log say why, and the next run posts the week.
- AMBIGUOUS: a 5xx, or the answer was lost after the request went out (a timeout, a
  dropped connection). The post may have landed. The digest carries message metadata
  naming its week, so before posting again the run reads the channel's history for it
  and, if it is there, confirms the week with that message's ts instead of posting a
  second digest. A run that gives up leaves the week "unconfirmed"; the next run does
  the same check first.

So the client retries only what cannot post twice: a 429 asking for a short wait, and
a connection never made. A 5xx is never retried blindly. A run that stops mid-post
leaves its claim "posting"; after POSTING_LEASE another run takes it over, through the
same history check. Weeks claimed before the metadata existed cannot be checked: they
are left for a person, and `--force`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from ..config import Settings, SettingsError
from ..querylog import QueryLog
from ..render.digest import curator_messages, digest_message, digest_text
from ..search.engine import SearchIndex
from .content import Digest, IsoWeek, build_digest, record_fingerprints
from .slack_calls import (
    EVENT_TYPE,
    Failure,
    classify,
    digest_client,
    find_digest,
    history_failure,
)
from .state import POSTING_LEASE, DigestState

log = logging.getLogger(__name__)

# Reading history back starts this long before the claim: Slack's clock is not ours.
CLOCK_MARGIN = dt.timedelta(hours=1)
# After each ambiguous failure, the pause before reading the history (and posting
# again if the post is not there): at most len(RETRY_WAITS) posts in one run.
RETRY_WAITS = (1.0, 2.0, 3.0)


class WeekNotStarted(ValueError):
    """`--post --week` named a week that has not begun: posting it now would be wrong."""


@dataclass(frozen=True)
class Outcome:
    posted: bool
    message: str
    ts: str | None = None


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
    questions = query_log.entries(now=now, team_id=state.team_id)
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
    team_id: str = "",
) -> Outcome:
    """Post the digest for `week` (by default the week of `now`) once per workspace
    (`team_id`, "" in single-workspace token mode). An explicit week follows the same
    once-per-week rules; one that has not begun is a WeekNotStarted."""
    state = state.for_team(team_id)
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
    labels = {t["id"]: t["label"] for t in index.meta.themes}
    message = digest_message(digest, labels)  # before claiming: a rendering bug claims nothing

    def confirmed(ts: str) -> None:
        state.confirm(key, ts)
        state.save_snapshot(record_fingerprints(records), [r["id"] for r in reports])
        _post_to_curators(client, settings, this_week)

    send = _Sender(client, state, channel, key, message, settings.slack_api_url, confirmed)
    # Twice: a claim that vanishes between the two reads was released by a run that
    # Slack refused; this run may claim the week afresh.
    for _ in range(2):
        if state.claim(key, channel, force=force, now=now):
            return send(since=now, earlier=None)
        claim = state.claim_of(key)
        if claim is not None:
            break
    else:
        return Outcome(
            False,
            f"The digest for {key} is being claimed and released by other runs; nothing posted.",
        )
    if claim.posted_ts:
        return Outcome(
            False,
            f"The digest for {key} was already posted (ts {claim.posted_ts}); nothing posted. Use --force to post again.",
        )
    if claim.status is None:
        text = (
            f"The digest for {key} was claimed at {claim.claimed_at.isoformat()} by an earlier "
            "version of the bot and never confirmed: the post may or may not have gone out, and "
            f"it carried nothing to look for. Nothing posted; check {channel}, and use --force "
            "to post it again."
        )
        log.warning(text)
        return Outcome(False, text)
    if not state.take_over(claim, now=now):
        until = (claim.attempt_at or claim.claimed_at) + POSTING_LEASE
        # Here, and only here, "may or may not" is the truth: that run may be waiting
        # for Slack's answer right now, or may have died mid-post.
        text = (
            f"The digest for {key} is being posted by another run (claimed at "
            f"{claim.claimed_at.isoformat()}, not yet confirmed): it may still be waiting for "
            "Slack, or may have stopped mid-post, so the post may or may not have gone out. "
            f"Nothing posted. After {until.isoformat()}, --post checks {channel} for it and "
            "posts it only if it is missing; --force posts it regardless."
        )
        log.warning(text)
        return Outcome(False, text)
    earlier = f"an earlier run claimed it at {claim.claimed_at.isoformat()} and did not confirm it"
    return send(since=claim.claimed_at, earlier=earlier)


class _Sender:
    """One run's attempts at the post, sorting each failure (see the module docstring)."""

    def __init__(self, client, state, channel, key, message, api_url, confirmed):
        self.client, self.state, self.channel, self.key = client, state, channel, key
        self.message, self.api_url, self.confirmed = message, api_url, confirmed

    def __call__(self, *, since: dt.datetime, earlier: str | None) -> Outcome:
        """`earlier`: why the post may already be in the channel before this run tries."""
        key, channel = self.key, self.channel
        doubt, tries = earlier, 0
        while True:
            if doubt:
                found = self._look(since, doubt)
                if isinstance(found, Outcome):
                    return found
                if found:
                    self.confirmed(found)
                    if tries == 0:
                        return Outcome(
                            False,
                            f"The digest for {key} was already posted (ts {found}, found in "
                            f"{channel}'s history: {doubt}); confirmed it, nothing posted again.",
                            found,
                        )
                    return Outcome(
                        True,
                        f"Posted the digest for {key} to {channel} (ts {found}): Slack's answer "
                        f"was lost ({doubt}), and the post was found in {channel}'s history, so "
                        "it was not sent again.",
                        found,
                    )
            if tries == len(RETRY_WAITS):
                break
            tries += 1
            failure, ts = self._send()
            if ts:
                self.confirmed(ts)
                return Outcome(True, f"Posted the digest for {key} to {channel} (ts {ts}).", ts)
            if failure.definite:
                return self._refused(failure, doubt)
            log.warning(
                "digest for %s: %s; the post may have landed: reading %s's history before trying again",
                key,
                failure.reason,
                channel,
            )
            doubt = failure.reason
            # Slack may show a post a moment after answering 5xx for it; and backs off.
            time.sleep(RETRY_WAITS[tries - 1])
        self.state.unconfirmed(key)
        text = (
            f"Not confirmed: {doubt} ({tries} tries); the post may have landed. {key} stays "
            f"unconfirmed: the next --post checks {channel}'s history first and posts it only "
            "if it is missing."
        )
        log.error(text)
        return Outcome(False, text)

    def _send(self) -> tuple[Failure | None, str | None]:
        try:
            response = self.client.chat_postMessage(
                channel=self.channel,
                text=self.message.text,
                blocks=self.message.blocks,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"week": self.key}},
            )
        except BaseException as error:
            failure = classify(error, channel=self.channel, api_url=self.api_url)
            if failure is None:  # a bug or an interrupt, maybe after sending: check next time
                self.state.unconfirmed(self.key)
                raise
            return failure, None
        return None, response["ts"]

    def _look(self, since: dt.datetime, doubt: str) -> str | Outcome | None:
        """The ts of this week's digest in the channel, None if it is not there, or the
        Outcome of a run that cannot tell."""
        try:
            return find_digest(self.client, self.channel, self.key, oldest=since - CLOCK_MARGIN)
        except BaseException as error:
            self.state.unconfirmed(self.key)
            why = history_failure(error, channel=self.channel, api_url=self.api_url)
            if why is None:
                raise
        text = (
            f"The digest for {self.key} may or may not have gone out: {doubt}, and reading "
            f"{self.channel}'s history to check failed ({why}). Nothing posted; check "
            f"{self.channel}, and use --force if it is missing (or --post again once the "
            "history can be read)."
        )
        log.error(text)
        return Outcome(False, text)

    def _refused(self, failure: Failure, doubt: str | None) -> Outcome:
        if doubt:  # an earlier try may still show up: leave the week for the next check
            self.state.unconfirmed(self.key)
            text = (
                f"Not posted this time: {failure.reason}. An earlier try may have landed "
                f"({doubt}), so {self.key} stays unconfirmed: the next --post checks "
                f"{self.channel}'s history first and posts it only if it is missing."
            )
        else:
            self.state.release(self.key)
            text = f"Not posted: {failure.reason}."
        log.error("digest for %s: %s", self.key, text)
        return Outcome(False, text)


def _post_to_curators(client: WebClient, settings: Settings, this_week) -> None:
    """Unanswered questions go only to CURATOR_CHANNEL, never to the digest, in as many
    messages as they need (bot/render/digest.py cuts long ones and says so)."""
    channel = settings.curator_channel
    if not channel:
        return
    unanswered = [q for q in this_week if not q.answered and q.feedback is None]
    not_helpful = [q for q in this_week if q.feedback == "not_helpful"]
    messages = curator_messages(unanswered, not_helpful)
    for number, message in enumerate(messages, start=1):
        try:
            client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
        except Exception as error:
            failure = classify(error, channel=channel, api_url=settings.slack_api_url)
            if failure is None:
                raise
            log.error(
                "the curators' message to %s stopped at part %d of %d: %s; "
                "`inspection-bot kb gaps` lists every question",
                channel,
                number,
                len(messages),
                failure.reason,
            )
            return


__all__ = [
    "Digest",
    "DigestState",
    "Outcome",
    "WeekNotStarted",
    "classify",
    "digest_client",
    "dry_run",
    "find_digest",
    "post_digest",
]
