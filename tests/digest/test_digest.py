"""The weekly digest: content, rendering, and posting exactly once per ISO week,
against the Slack API double."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from slack_sdk.models.blocks import Block

from bot.config import load_settings
from bot.db.engine import engine_for
from bot.digest.content import IsoWeek, build_spotlight, rotation_order
from bot.digest.post import DigestState, digest_client, post_digest
from bot.digest.schedule import parse_schedule
from bot.querylog import QueryLog
from bot.search.service import open_index
from tests.conftest import ROOT
from tests.slack.conftest import env_for

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
WEEK = "2026-W48"  # NOW's week: a process the test starts is told it, never reads the clock


@pytest.fixture
def digest_env(double, data_dir):
    return env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST", CURATOR_CHANNEL="CCURATORS")


@pytest.fixture
def settings(digest_env):
    return load_settings(digest_env, dotenv=False)


def post(settings, *, now=NOW, force=False, week=None, client=None):
    return post_digest(
        index=open_index(settings.paths),
        state=DigestState(engine_for(settings.state_url)),
        query_log=QueryLog(engine_for(settings.state_url)),
        settings=settings,
        client=client or digest_client(settings),
        now=now,
        week=week,
        force=force,
    )


def digest_posts(double) -> list:
    return [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]


def cli(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "digest", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_digest_goes_to_the_digest_channel_with_valid_blocks(settings, double):
    outcome = post(settings)
    assert outcome.posted and "2026-W48" in outcome.message
    digest_posts = [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]
    (message,) = digest_posts
    blocks = message.body["blocks"]
    assert len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
    text = json.dumps(blocks)
    assert "Spotlight: recommendation" in text
    assert "/inspection help" in text
    assert message.body["text"] == "Inspection digest, week 2026-W48"


def test_a_second_post_in_the_same_week_posts_nothing_and_says_so(settings, double, digest_env):
    assert post(settings).posted
    second = post(settings, now=NOW + dt.timedelta(days=3))
    assert not second.posted and "already posted" in second.message
    # A restart: a new process, the same data directory.
    result = cli(digest_env, "--post", "--week", WEEK)
    assert result.returncode == 0 and "already posted" in result.stdout
    assert len([c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]) == 1


def test_force_posts_again(settings, double):
    post(settings)
    assert post(settings, force=True).posted
    assert len([c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]) == 2


def test_a_new_week_posts_again(settings, double):
    post(settings)
    assert post(settings, now=NOW + dt.timedelta(days=7)).posted


def test_two_processes_racing_produce_one_post(digest_env, double):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cli(digest_env, "--post", "--week", WEEK)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]) == 1
    outputs = sorted(r.stdout.split(" ")[0] for r in results)
    assert outputs == ["Posted", "The"], [r.stderr[-2000:] for r in results]


def test_a_429_then_success_posts_once(settings, double):
    double.fail("chat.postMessage", status=429, retry_after=1)
    assert post(settings).posted
    digest_calls = [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"]
    assert len(digest_calls) == 2  # the refused attempt, then the post


def test_a_5xx_is_posted_again_once_the_channel_shows_it_did_not_land(settings, double):
    double.fail("chat.postMessage", status=503)
    assert post(settings).posted
    assert len(double.channel_messages("CDIGEST")) == 1


def test_channel_not_found_logs_the_fix_and_leaves_the_week_unposted(settings, double, caplog):
    double.fail("chat.postMessage", error="not_in_channel")
    outcome = post(settings)
    assert not outcome.posted and "/invite @inspection-bot" in outcome.message
    assert "invite it with /invite @inspection-bot" in caplog.text
    assert post(settings).posted  # once fixed, the week posts


def test_killed_after_slack_got_the_post_a_rerun_does_not_post_again(digest_env, double, settings):
    """The killed run and its rerun read the real clock (they are processes); the run
    after them is given a moment well past the claim, read from the state itself."""
    double.fail("chat.postMessage", delay=30)  # Slack records the post, then answers late
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", "--post", "--week", WEEK],
        cwd=ROOT,
        env={**os.environ, **digest_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r), timeout=60)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    rerun = cli(digest_env, "--post", "--week", WEEK)  # the claim is fresh: hands off
    assert rerun.returncode == 1
    assert "being posted by another run" in rerun.stdout
    assert "--force" in rerun.stdout
    time.sleep(0.2)
    assert len(double.calls("chat.postMessage")) == 1
    claimed_at, _ = DigestState(engine_for(settings.state_url)).week(WEEK)
    later = dt.datetime.fromisoformat(claimed_at) + dt.timedelta(hours=1)
    after = post(settings, now=later, week=IsoWeek.parse(WEEK))
    assert "already posted" in after.message  # found in the channel, confirmed
    assert len(digest_posts(double)) == 1
    assert after.ts == double.channel_messages("CDIGEST")[0]["ts"]


def test_question_text_never_reaches_the_digest_channel(settings, double):
    log = QueryLog(engine_for(settings.state_url))
    log.record(
        "what happened to Tommy Smith at 12 Acacia Road",
        themes=("child-protection",),
        answered=False,
        now=NOW,
    )
    log.record("adoption timeliness", themes=("adoption",), answered=True, now=NOW)
    post(settings)
    digest = [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CDIGEST"][0]
    assert "Tommy" not in json.dumps(digest.body) and "Acacia" not in json.dumps(digest.body)
    assert "2 questions this week; the reports could not answer 1" in json.dumps(
        digest.body["blocks"]
    )
    curators = [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CCURATORS"]
    assert "Tommy Smith" in json.dumps(curators[0].body["blocks"])


def test_the_query_log_keeps_eight_weeks_and_no_user_id(settings):
    log = QueryLog(engine_for(settings.state_url))
    log.record("old question", themes=(), answered=True, now=NOW - dt.timedelta(weeks=9))
    log.record("new question", themes=(), answered=True, now=NOW)
    assert [e.query for e in log.entries(now=NOW)] == ["new question"]
    from sqlalchemy import inspect

    with log.engine.connect() as db:
        columns = {c["name"] for c in inspect(db).get_columns("queries")}
    assert not {c for c in columns if "user" in c or "channel" in c}


def test_fifteen_weeks_walk_through_all_fifteen_recommendations(search_index):
    recs = [
        c.hit
        for c in search_index.search(
            search_index.parse(""), kinds={"recommendation"}, match_all=True
        )
    ]
    assert len(recs) == 15
    chosen = []
    for n in range(15):
        week = IsoWeek.of(NOW + dt.timedelta(weeks=n))
        spot = build_spotlight(week, recs, search_index.hit_by_id)
        chosen.append(spot.recommendation.id)
        assert spot.evidence and spot.sections
    assert sorted(chosen) == sorted(h.id for h in recs)
    order = [h.id for h in rotation_order(recs)]
    start = order.index(chosen[0])
    assert chosen == (order[start:] + order[:start])  # the report's own order, in turn


def test_dry_run_prints_a_real_digest(digest_env):
    result = cli(digest_env, "--dry-run", "--week", WEEK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Inspection digest, week of 23 November 2026 (2026-W48)")
    assert "Spotlight: recommendation" in result.stdout
    assert "Ask your own: /inspection help" in result.stdout


def test_the_same_channel_for_digest_and_curators_is_refused(double, data_dir):
    env = env_for(double, data_dir, DIGEST_CHANNEL="CSAME", CURATOR_CHANNEL="CSAME")
    result = cli(env, "--post", "--week", WEEK)
    assert result.returncode == 2 and "CURATOR_CHANNEL must not be the same" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mon 09:00", ("mon", 9, 0)), ("Fri  16:30", ("fri", 16, 30)), ("off", None)],
)
def test_schedules(text, expected):
    assert parse_schedule(text) == expected


@pytest.mark.parametrize("text", ["monday 9", "mon 25:00", "sometime"])
def test_bad_schedules_are_refused(text):
    from bot.config import SettingsError

    with pytest.raises(SettingsError, match="DIGEST_SCHEDULE"):
        parse_schedule(text)
