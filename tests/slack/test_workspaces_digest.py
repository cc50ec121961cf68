"""`inspection-bot digest --post --all-workspaces`: one digest per installed workspace
that has a digest channel, each with its own bot token, once per workspace per ISO
week however many runs start at once (two replicas and the CronJob), on one
PostgreSQL database. Real processes, the Slack double over HTTP on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation

from bot.config import load_settings
from bot.db.engine import engine_for
from bot.slack.oauth import installation_store, workspace_tokens
from bot.workspaces import WorkspaceSettings, WorkspaceSettingsStore
from tests.slack.oauth_helpers import oauth_env, prepare_database

ROOT = Path(__file__).resolve().parents[2]
WEEK = "2026-W48"  # begun, whatever day the tests run; never today's week


def _install(double, settings, team: str, *, expires_in: int = 43200) -> str:
    """A workspace installed as the OAuth flow saves it; its bot token."""
    answer = WebClient(base_url=double.api_url).oauth_v2_access(
        client_id=double.client_id,
        client_secret=double.client_secret,
        code=double.install_code(team, expires_in=expires_in),
    )
    installation_store(settings).save(
        Installation(
            app_id=answer["app_id"],
            team_id=team,
            bot_token=answer["access_token"],
            bot_id=f"B{team}",
            bot_user_id=answer["bot_user_id"],
            bot_scopes=answer["scope"],
            bot_refresh_token=answer.get("refresh_token"),
            bot_token_expires_in=answer.get("expires_in"),
            user_id="UINSTALLER",
        )
    )
    return answer["access_token"]


@pytest.fixture
def workspaces(double, data_dir, postgres_url):
    """Three installed workspaces on PostgreSQL: TAAA and TBBB with digest channels,
    TNONE without one (and no deployment default)."""
    env = oauth_env(double, data_dir, DATABASE_URL=postgres_url, DIGEST_SCHEDULE="off")
    settings = load_settings(env, dotenv=False)
    prepare_database(settings.state_url)
    store = WorkspaceSettingsStore(engine_for(settings.state_url))
    tokens = {}
    for team, channel in (("TAAA", "C0DIGESTA"), ("TBBB", "C0DIGESTB"), ("TNONE", None)):
        tokens[team] = _install(double, settings, team)
        store.save(team, WorkspaceSettings(channel, frozenset(), True), updated_by="UADMIN")
    double.clear()
    return env, settings, tokens


def _digest(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "digest", *extra, "--all-workspaces", "--week", WEEK],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_runs_at_once_post_one_digest_per_workspace(workspaces, double):
    env, _, tokens = workspaces
    runs = [_digest(env, "--post") for _ in range(2)]
    outputs = [run.communicate(timeout=180) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        # A run that finds the other still posting a workspace's week says so and
        # exits 1 (it cannot know yet whether that post went out); never a traceback.
        assert run.returncode == 0 or "being posted by another run" in out + err, out + err
        assert "Traceback" not in err
    posts = [c for c in double.calls("chat.postMessage")]
    by_channel = {(p.body["channel"], p.token) for p in posts}
    assert len(posts) == 2, [(p.body["channel"], p.token) for p in posts]
    assert by_channel == {("C0DIGESTA", tokens["TAAA"]), ("C0DIGESTB", tokens["TBBB"])}
    assert all(WEEK in p.body["text"] for p in posts)
    combined = "".join(out for out, _ in outputs)
    assert "TNONE" in combined and "no digest channel" in combined


def test_a_dry_run_for_every_workspace_posts_nothing(workspaces, double):
    env, _, _ = workspaces
    run = _digest(env, "--dry-run")
    out, err = run.communicate(timeout=180)
    assert run.returncode == 0, out + err
    assert "TAAA" in out and "TBBB" in out and WEEK in out
    assert double.calls("chat.postMessage") == []


def test_an_expired_token_is_refreshed_before_the_digest_uses_it(double, data_dir, postgres_url):
    settings = load_settings(oauth_env(double, data_dir, DATABASE_URL=postgres_url), dotenv=False)
    prepare_database(settings.state_url)
    old = _install(double, settings, "TOLD", expires_in=60)
    tokens = workspace_tokens(settings)
    assert tokens["TOLD"] != old and tokens["TOLD"] == double.tokens_of("TOLD")[-1]
    assert workspace_tokens(settings) == tokens  # fresh now: no second refresh
    assert len([c for c in double.calls("oauth.v2.access") if c.body.get("grant_type")]) == 1
