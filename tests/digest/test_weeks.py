"""An explicit ISO week for operators (`digest --post/--dry-run --week`), and the
weekly schedule around the year's end and the nights the clocks change. Every test
passes its clock in; none reads the real date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_settings
from bot.digest.content import IsoWeek
from bot.digest.post import WeekNotStarted
from bot.digest.schedule import digest_trigger, fire_times
from tests.digest.test_digest import NOW, cli, digest_posts, post
from tests.slack.conftest import env_for

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "key", "monday"),
    [
        ("2026-W48", "2026-W48", dt.date(2026, 11, 23)),
        ("2026-W53", "2026-W53", dt.date(2026, 12, 28)),  # a 53-week year
        ("2027-w01", "2027-W01", dt.date(2027, 1, 4)),
        (" 2020W01 ", "2020-W01", dt.date(2019, 12, 30)),  # week 1 can start in December
    ],
)
def test_iso_weeks_parse(text, key, monday):
    week = IsoWeek.parse(text)
    assert (week.key, week.monday) == (key, monday)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-W53", "2027 has no ISO week 53"),
        ("2026-W00", "2026 has no ISO week 0"),
        ("9999-W52", "9999 has no ISO week 52"),  # its Sunday is the last date there is
        ("2026-48", "like 2026-W48"),
        ("next week", "like 2026-W48"),
        ("", "like 2026-W48"),
    ],
)
def test_malformed_weeks_say_what_is_wrong(text, reason):
    with pytest.raises(ValueError, match=reason):
        IsoWeek.parse(text)


@pytest.fixture
def settings(double, data_dir):
    return load_settings(env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST"), dotenv=False)


def test_a_missed_week_is_resent_once(settings, double):
    missed = IsoWeek.parse("2026-W46")
    first = post(settings, now=NOW, week=missed)
    assert first.posted and "2026-W46" in first.message
    assert "week 2026-W46" in digest_posts(double)[0].body["text"]
    again = post(settings, now=NOW, week=missed)
    assert not again.posted and "already posted" in again.message
    assert post(settings, now=NOW).posted  # the current week is its own
    assert len(digest_posts(double)) == 2


def test_a_week_not_yet_begun_is_refused_and_claims_nothing(settings, double):
    with pytest.raises(WeekNotStarted, match="2026-W49 has not started yet"):
        post(settings, now=NOW, week=IsoWeek.parse("2026-W49"))
    assert digest_posts(double) == []
    monday = dt.datetime(2026, 11, 30, 0, 0, tzinfo=LONDON)
    assert post(settings, now=monday, week=IsoWeek.parse("2026-W49")).posted


def test_a_week_begins_at_midnight_in_the_digest_timezone(double, data_dir):
    """At 12:00 UTC on Sunday 3 January 2027 it is already Monday in Auckland."""
    sunday_noon = dt.datetime(2027, 1, 3, 12, 0, tzinfo=dt.UTC)
    week = IsoWeek.parse("2027-W01")
    london = load_settings(env_for(double, data_dir, DIGEST_CHANNEL="C1"), dotenv=False)
    with pytest.raises(WeekNotStarted):
        post(london, now=sunday_noon, week=week)
    auckland = load_settings(
        env_for(double, data_dir, DIGEST_CHANNEL="C1", DIGEST_TIMEZONE="Pacific/Auckland"),
        dotenv=False,
    )
    assert post(auckland, now=sunday_noon, week=week).posted


@pytest.mark.parametrize("week", ["2026-W54", "2026-48", "soon"])
def test_the_command_refuses_a_malformed_week_and_posts_nothing(double, data_dir, week):
    env = env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST")
    result = cli(env, "--post", "--week", week)
    assert result.returncode == 2
    assert "--week" in result.stderr and "Traceback" not in result.stderr
    assert double.calls("chat.postMessage") == []


def test_the_command_refuses_a_week_that_has_not_begun(double, data_dir):
    env = env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST")
    result = cli(env, "--post", "--week", "2999-W01")
    assert result.returncode == 2
    assert "2999-W01 has not started yet" in result.stderr and "--dry-run" in result.stderr
    assert double.calls("chat.postMessage") == []


def test_dry_run_previews_any_week_and_posts_nothing(double, data_dir):
    env = env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST")
    result = cli(env, "--dry-run", "--week", "2999-W01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Inspection digest, week of 31 December 2998 (2999-W01)")
    assert double.calls("chat.postMessage") == []


def _london(moment: dt.datetime) -> str:
    """The London wall clock at that instant (through UTC: a zoned time the clocks
    skip would otherwise come back unchanged)."""
    return moment.astimezone(dt.UTC).astimezone(LONDON).isoformat()


def _weeks_posted(settings, double, fires) -> list[str]:
    """Post at every moment the trigger fires, and again an hour later (a second
    runner, or a restart that replays the job), and return the weeks that went out."""
    for fire in fires:
        post(settings, now=fire)
        post(settings, now=fire + dt.timedelta(hours=1))
    return [c.body["text"].rsplit(" ", 1)[-1] for c in digest_posts(double)]


def test_monday_nine_posts_once_in_week_53_and_once_in_week_1(settings, double):
    trigger = digest_trigger(settings)  # the default: mon 09:00 Europe/London
    fires = fire_times(
        trigger, dt.datetime(2026, 12, 21, tzinfo=LONDON), dt.datetime(2027, 1, 18, tzinfo=LONDON)
    )
    assert [_london(f) for f in fires] == [
        "2026-12-21T09:00:00+00:00",
        "2026-12-28T09:00:00+00:00",
        "2027-01-04T09:00:00+00:00",
        "2027-01-11T09:00:00+00:00",
    ]
    assert _weeks_posted(settings, double, fires) == [
        "2026-W52",
        "2026-W53",
        "2027-W01",
        "2027-W02",
    ]


def test_a_time_the_clocks_skip_still_posts_once_that_week(double, data_dir):
    settings = load_settings(
        env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST", DIGEST_SCHEDULE="sun 01:30"),
        dotenv=False,
    )
    fires = fire_times(
        digest_trigger(settings),
        dt.datetime(2027, 3, 15, tzinfo=LONDON),
        dt.datetime(2027, 4, 5, tzinfo=LONDON),
    )
    # 01:30 does not exist in London on 28 March 2027: it fires once, at 02:30 BST.
    assert [_london(f) for f in fires] == [
        "2027-03-21T01:30:00+00:00",
        "2027-03-28T02:30:00+01:00",
        "2027-04-04T01:30:00+01:00",
    ]
    assert _weeks_posted(settings, double, fires) == ["2027-W11", "2027-W12", "2027-W13"]


def test_a_time_the_clocks_repeat_posts_once_that_week(double, data_dir):
    settings = load_settings(
        env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST", DIGEST_SCHEDULE="sun 01:30"),
        dotenv=False,
    )
    fires = fire_times(
        digest_trigger(settings),
        dt.datetime(2027, 10, 25, tzinfo=LONDON),
        dt.datetime(2027, 11, 1, tzinfo=LONDON),
    )
    assert fires  # 01:30 on 31 October 2027 happens twice in London
    assert _weeks_posted(settings, double, fires) == ["2027-W43"]
