"""When posting the digest fails. Against the Slack double over loopback HTTP.

DEFINITE failures (Slack answered with an error, or was never reached) release the
week, say why, and let the next run post it. AMBIGUOUS ones (a 5xx, an answer lost
after the request went out) may have landed: the channel's history is read for the
digest's metadata before posting again, so the channel never gets two. Every run is
given its clock, and the double's clock is pinned to the same moment.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from slack_sdk import WebClient

from bot.config import load_settings
from bot.db.engine import engine_for
from bot.digest.post import DigestState, digest_client
from tests.digest.test_digest import NOW, WEEK, cli, post
from tests.slack.conftest import env_for

LATER = NOW + dt.timedelta(hours=1)
METADATA = {"event_type": "inspection_digest", "event_payload": {"week": WEEK}}


@pytest.fixture
def digest_env(double, data_dir):
    # Slack's clock agrees with the runs' `now`: history reads never depend on today.
    double.clock = NOW.timestamp
    return env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST")


@pytest.fixture
def settings(digest_env):
    return load_settings(digest_env, dotenv=False)


def state(settings) -> DigestState:
    return DigestState(engine_for(settings.state_url))


def in_channel(double) -> list[dict]:
    return double.channel_messages("CDIGEST")


def short_timeout_client(settings, seconds: float = 1.0) -> WebClient:
    client = digest_client(settings)
    client.timeout = seconds  # the real client and retry rules, only less patient
    return client


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_digest_carries_metadata_naming_its_week(settings, double):
    assert post(settings).posted
    (message,) = in_channel(double)
    assert message["metadata"] == METADATA


# -- DEFINITE: nothing was posted, the week is free, the next run posts it ---------------


@pytest.mark.parametrize(
    ("failure", "says"),
    [
        (dict(error="token_revoked"), "SLACK_BOT_TOKEN"),
        (dict(error="missing_scope"), "chat:write"),
        (dict(error="invalid_blocks"), "invalid_blocks"),
        (dict(error="msg_too_long"), "msg_too_long"),
        (dict(status=429, retry_after=0, times=20), "rate limited; nothing posted; try later"),
        (dict(raw="<html><body>Bad gateway</body></html>"), "not Slack's JSON"),
        (dict(raw="{not json", status=200), "not Slack's JSON"),
        (dict(raw="<html>Not Found</html>", status=404), "not Slack's JSON"),
    ],
    ids=[
        "token_revoked",
        "missing_scope",
        "invalid_blocks",
        "msg_too_long",
        "429",
        "html",
        "bad-json",
        "404",
    ],
)
def test_a_refusal_releases_the_week_and_says_why(settings, double, caplog, failure, says):
    double.fail("chat.postMessage", **failure)
    outcome = post(settings)
    assert not outcome.posted
    assert says in outcome.message and says in caplog.text
    assert "may or may not" not in outcome.message
    assert state(settings).week(WEEK) is None  # released, not "claimed but unconfirmed"
    assert in_channel(double) == []
    double.clear_failures()  # Slack relents, or the token is fixed
    assert post(settings, now=LATER).posted  # the week was not lost
    assert len(in_channel(double)) == 1


def test_slack_never_reached_releases_the_week(digest_env, double, caplog):
    env = {**digest_env, "SLACK_API_URL": f"http://127.0.0.1:{closed_port()}/api"}
    outcome = post(load_settings(env, dotenv=False))
    assert not outcome.posted and "could not reach Slack" in outcome.message
    assert "could not reach Slack" in caplog.text
    settings = load_settings(digest_env, dotenv=False)
    assert state(settings).week(WEEK) is None
    assert post(settings, now=LATER).posted


@pytest.mark.parametrize("how", ["refused", "bad-json"])
def test_the_command_says_why_and_exits_1_without_a_traceback(digest_env, double, how):
    env = digest_env
    if how == "refused":
        env = {**digest_env, "SLACK_API_URL": f"http://127.0.0.1:{closed_port()}/api"}
    else:
        double.fail("chat.postMessage", raw="{not json", status=200)
    result = cli(env, "--post", "--week", WEEK)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("Not posted:")
    assert ("could not reach Slack" if how == "refused" else "not Slack's JSON") in result.stdout
    again = cli(digest_env, "--post", "--week", WEEK)  # Slack back: the week goes out
    assert again.returncode == 0 and again.stdout.startswith("Posted"), again.stderr[-3000:]


# -- AMBIGUOUS: the post may have landed; look before posting again ----------------------


def test_a_5xx_for_a_post_slack_kept_is_not_posted_twice(settings, double):
    double.fail("chat.postMessage", status=500, landed=True)
    outcome = post(settings)
    (message,) = in_channel(double)
    assert outcome.posted and outcome.ts == message["ts"]
    assert "found in" in outcome.message
    assert state(settings).week(WEEK)[1] == message["ts"]


@pytest.mark.parametrize(
    "failure", [dict(status=503), dict(status=502, raw="<html>Bad gateway</html>")]
)
def test_a_5xx_is_posted_again_only_after_reading_the_history(settings, double, failure):
    double.fail("chat.postMessage", **failure)
    outcome = post(settings)
    assert outcome.posted and len(in_channel(double)) == 1
    calls = [r.name for r in double.records if r.name != "auth.test"]
    assert calls == ["chat.postMessage", "conversations.history", "chat.postMessage"]
    (history,) = double.calls("conversations.history")
    assert history.body["channel"] == "CDIGEST"
    assert history.body["include_all_metadata"] in ("1", "true")
    assert float(history.body["oldest"]) < NOW.timestamp()  # from before the claim


def test_a_timeout_after_slack_got_the_post_is_confirmed_from_the_history(settings, double):
    double.fail("chat.postMessage", delay=3)  # kept at once, answered after the client gave up
    outcome = post(settings, client=short_timeout_client(settings))
    (message,) = in_channel(double)
    assert outcome.posted and outcome.ts == message["ts"]
    assert len(double.calls("chat.postMessage")) == 1


def test_a_timeout_for_a_post_slack_did_not_keep_posts_it_once(settings, double):
    double.fail("chat.postMessage", status=503, delay=3)
    outcome = post(settings, client=short_timeout_client(settings))
    assert outcome.posted and len(in_channel(double)) == 1
    assert len(double.calls("chat.postMessage")) == 2


def test_5xx_every_time_leaves_the_week_to_be_checked_not_guessed(settings, double, caplog):
    double.fail("chat.postMessage", status=503, times=10)
    outcome = post(settings)
    assert not outcome.posted
    assert "HTTP 503" in outcome.message and "checks CDIGEST" in outcome.message
    assert in_channel(double) == []
    assert state(settings).week(WEEK) is not None  # still claimed: it may yet appear
    double.clear_failures()
    later = post(settings, now=LATER)  # Slack is back; the channel has no digest
    assert later.posted and len(in_channel(double)) == 1
    assert double.calls("conversations.history")[-1].at < double.calls("chat.postMessage")[-1].at


def test_a_later_run_finds_a_landed_post_among_many_and_confirms_it(settings, double):
    double.fail("chat.postMessage", status=500, landed=True)
    double.fail("conversations.history", error="missing_scope")
    first = post(settings)
    assert not first.posted
    assert "may or may not" in first.message and "channels:history" in first.message
    assert len(in_channel(double)) == 1
    # People talk in the channel: the digest is more than a page of history back.
    chat = WebClient(token="xoxb-test-token", base_url=double.api_url)
    for n in range(250):
        chat.chat_postMessage(channel="CDIGEST", text=f"message {n}")
    second = post(settings, now=LATER)
    assert "already posted" in second.message and not second.posted
    digests = [m for m in in_channel(double) if m.get("metadata")]
    assert len(digests) == 1 and second.ts == digests[0]["ts"]
    assert len(double.calls("conversations.history")) >= 3  # two pages, after the failure
    third = post(settings, now=LATER + dt.timedelta(hours=1))
    assert "already posted" in third.message
    assert len([m for m in in_channel(double) if m.get("metadata")]) == 1


def test_a_run_still_posting_is_left_alone_until_its_lease_ends(settings, double):
    # A run claimed the week and stopped before it reached Slack.
    assert state(settings).claim(WEEK, "CDIGEST", force=False, now=NOW)
    soon = post(settings, now=NOW + dt.timedelta(minutes=1))
    assert not soon.posted and "being posted by another run" in soon.message
    assert double.calls("chat.postMessage") == []
    much_later = post(settings, now=NOW + dt.timedelta(hours=2))
    assert much_later.posted and len(in_channel(double)) == 1
    assert [r.name for r in double.records if r.name != "auth.test"] == [
        "conversations.history",
        "chat.postMessage",
    ]


def test_a_week_claimed_by_the_previous_version_is_not_guessed(settings, double):
    """Before metadata there is nothing to look for: say so, post nothing."""
    import sqlite3

    path = settings.paths.data / "state.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE digest_weeks (week TEXT PRIMARY KEY, claimed_at TEXT NOT NULL, "
            "channel TEXT, posted_ts TEXT)"
        )
        db.execute(
            "INSERT INTO digest_weeks VALUES (?, ?, 'CDIGEST', NULL)", (WEEK, NOW.isoformat())
        )
    outcome = post(settings, now=LATER)
    assert not outcome.posted
    assert "may or may not have gone out" in outcome.message and "--force" in outcome.message
    assert double.calls("chat.postMessage") == []
    assert post(settings, now=LATER, force=True).posted


def test_postgresql_going_down_mid_digest_is_one_line_and_never_a_second_post(
    digest_env, double, postgres_cluster
):
    """The state database stops while the digest's post is in flight: the run says so
    in one line (exit 1, no traceback). Once it is back, the week is still held by that
    run's claim, so the next run posts nothing (after the lease it would read the
    channel's history first, as tested above)."""
    import os
    import subprocess
    import sys
    import time

    from tests.security.front_door import ROOT

    env = {**os.environ, **digest_env, "DATABASE_URL": postgres_cluster.create_database()}
    upgrade = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    double.fail("chat.postMessage", delay=2.0)  # Slack keeps the post, answers late
    run = subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", "--post", "--week", WEEK],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not double.calls("chat.postMessage") and time.monotonic() < deadline:
        time.sleep(0.05)
    postgres_cluster.stop()
    try:
        out, err = run.communicate(timeout=60)
    finally:
        postgres_cluster.start()
    assert run.returncode == 1, out + err
    assert "Traceback" not in err
    assert "state database failed" in err
    again = cli(env, "--post", "--week", WEEK)
    assert "Traceback" not in again.stderr, again.stderr
    assert len(in_channel(double)) == 1
