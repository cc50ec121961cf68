"""The in-process weekly job (APScheduler), for a single serving process.

With several copies of the bot, set DIGEST_SCHEDULE=off and run
`inspection-bot digest --post` from one external scheduler (cron, a CronJob):
posting is claimed in the state database (SQLite, or DATABASE_URL's PostgreSQL
shared by every replica), so even overlapping runs post once per workspace.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from ..config import Settings, SettingsError
from ..db.state import state_engine
from ..querylog import QueryLog
from ..search.service import open_index
from .content import IsoWeek
from .post import DigestState, digest_client, post_digest

log = logging.getLogger(__name__)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_schedule(text: str) -> tuple[str, int, int] | None:
    """`mon 09:00` -> ("mon", 9, 0); `off` -> None. Anything else is a SettingsError."""
    text = " ".join(text.lower().split())
    if text == "off":
        return None
    try:
        day, clock = text.split(" ")
        hour, minute = (int(x) for x in clock.split(":"))
    except ValueError:
        day, hour, minute = "", -1, -1
    if day not in DAYS or not (0 <= hour < 24 and 0 <= minute < 60):
        raise SettingsError(f"DIGEST_SCHEDULE must be like 'mon 09:00' or 'off' (got {text!r})")
    return day, hour, minute


def run_digest_now(
    settings: Settings,
    *,
    force: bool = False,
    week: IsoWeek | None = None,
    now: dt.datetime | None = None,
    team_id: str = "",
):
    """Post the digest for `week`, by default the current one, for one workspace
    (`team_id`, "" in token mode). The clock is read here, at the edge, and only when
    `now` is not given."""
    index = open_index(settings.paths)
    engine = state_engine(settings)
    return post_digest(
        index=index,
        state=DigestState(engine),
        query_log=QueryLog(engine, enabled=settings.query_log),
        settings=settings,
        client=digest_client(settings),
        now=now or dt.datetime.now(dt.UTC),
        week=week,
        force=force,
        team_id=team_id,
    )


def digest_trigger(settings: Settings):
    """The weekly trigger for DIGEST_SCHEDULE in DIGEST_TIMEZONE; None when it is off.

    A time the clocks skip (01:30 on the night they go forward) fires once, at the
    same instant an hour later on the wall clock; a time they repeat may fire twice,
    and the once-per-week claim turns the second into "already posted"."""
    when = parse_schedule(settings.digest_schedule)
    if when is None:
        return None
    from apscheduler.triggers.cron import CronTrigger

    day, hour, minute = when
    return CronTrigger(
        day_of_week=day, hour=hour, minute=minute, timezone=ZoneInfo(settings.digest_timezone)
    )


def fire_times(trigger, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """When `trigger` fires between two moments, asked exactly as the scheduler asks.

    The clock moves on in UTC: wall-clock arithmetic on a zoned time would step back
    across the hour the clocks repeat, and ask about the same moment for ever."""
    times, previous, now = [], None, start.astimezone(dt.UTC)
    while (fire := trigger.get_next_fire_time(previous, now)) is not None and fire < end:
        times.append(fire)
        previous, now = fire, fire.astimezone(dt.UTC) + dt.timedelta(seconds=1)
    return times


def start_scheduler(settings: Settings):
    """Start the weekly job in a background thread; None when off or no channel is set."""
    trigger = digest_trigger(settings)
    if trigger is None or not settings.digest_channel:
        log.info(
            "weekly digest not scheduled (DIGEST_SCHEDULE=%s, DIGEST_CHANNEL=%s)",
            settings.digest_schedule,
            settings.digest_channel or "unset",
        )
        return None
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=settings.digest_timezone)

    def job():
        try:
            log.info(run_digest_now(settings).message)
        except Exception:
            log.exception("the weekly digest failed")

    scheduler.add_job(
        job,
        trigger,
        id="weekly-digest",
        coalesce=True,
        misfire_grace_time=3600,
    )
    scheduler.start()
    log.info("weekly digest scheduled: %s %s", settings.digest_schedule, settings.digest_timezone)
    return scheduler
