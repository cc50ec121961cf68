"""The in-process weekly job (APScheduler), for a single serving process.

With several copies of the bot, set DIGEST_SCHEDULE=off and run
`inspection-bot digest --post` from one external scheduler (cron, a CronJob):
posting is claimed in SQLite, so even overlapping runs post once.
"""

from __future__ import annotations

import datetime as dt
import logging

from ..config import Settings, SettingsError
from ..querylog import QueryLog
from ..search.service import open_index
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


def run_digest_now(settings: Settings, *, force: bool = False):
    index = open_index(settings.paths)
    return post_digest(
        index=index,
        state=DigestState(settings.paths.data / "state.db"),
        query_log=QueryLog(settings.paths.data / "querylog.db", enabled=settings.query_log),
        settings=settings,
        client=digest_client(settings),
        now=dt.datetime.now(dt.UTC),
        force=force,
    )


def start_scheduler(settings: Settings):
    """Start the weekly job in a background thread; None when off or no channel is set."""
    when = parse_schedule(settings.digest_schedule)
    if when is None or not settings.digest_channel:
        log.info(
            "weekly digest not scheduled (DIGEST_SCHEDULE=%s, DIGEST_CHANNEL=%s)",
            settings.digest_schedule,
            settings.digest_channel or "unset",
        )
        return None
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    day, hour, minute = when
    scheduler = BackgroundScheduler(timezone=settings.digest_timezone)

    def job():
        try:
            log.info(run_digest_now(settings).message)
        except Exception:
            log.exception("the weekly digest failed")

    scheduler.add_job(
        job,
        CronTrigger(day_of_week=day, hour=hour, minute=minute, timezone=settings.digest_timezone),
        id="weekly-digest",
        coalesce=True,
        misfire_grace_time=3600,
    )
    scheduler.start()
    log.info(
        "weekly digest scheduled: %s %02d:%02d %s", day, hour, minute, settings.digest_timezone
    )
    return scheduler
