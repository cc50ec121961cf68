"""Many workspaces: the OAuth install flow end to end over HTTP on loopback, against
the Slack double, on SQLite and on a real PostgreSQL; then the new workspace's
questions answered with its own token."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import SettingsError, load_settings
from bot.slack import payloads
from bot.slack.oauth import BOT_SCOPES, authorization_url, installation_store
from bot.slack.serve import serve_socket_mode, wsgi_application
from tests.slack.conftest import send, serve_wsgi
from tests.slack.oauth_helpers import for_team, get, install, oauth_env, prepare_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path) -> str | None:
    """DATABASE_URL: unset (SQLite under the data directory), or a fresh PostgreSQL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def oauth_bot(double, data_dir, database):
    extra = {"DATABASE_URL": database} if database else {}
    settings = load_settings(oauth_env(double, data_dir, **extra), dotenv=False)
    assert settings.oauth and settings.slack_bot_token is None
    prepare_database(settings.state_url)
    url, stop = serve_wsgi(wsgi_application(settings))
    yield url, settings
    stop()


def _wait_for(double, name: str, timeout: float = 10.0):
    double.wait_for(lambda r: any(x.name == name for x in r), timeout=timeout)
    return double.calls(name)


def test_a_workspace_installs_the_app_and_is_answered_with_its_own_token(oauth_bot, double):
    base, settings = oauth_bot
    done = install(base, double, "TNEWCOUNCIL", team_name="New Council")

    # /slack/install went to the authorize page on SLACK_API_URL's host, asking for
    # the manifest's bot scopes and no user scopes.
    assert done["location"].startswith(authorization_url(settings.slack_api_url))
    assert done["location"].startswith(f"http://127.0.0.1:{double.port}/oauth/v2/authorize?")
    assert done["query"]["client_id"] == [double.client_id]
    assert done["query"]["scope"] == [",".join(BOT_SCOPES)]
    assert done["cookie"].startswith("slack-app-oauth-state=")
    assert done["status"] == 200, done["page"]

    # The code was exchanged, with the app's credentials (HTTP basic auth).
    (exchange,) = double.calls("oauth.v2.access")
    assert exchange.body["code"] == done["code"]
    assert exchange.headers["authorization"].startswith("Basic ")
    (token,) = double.tokens_of("TNEWCOUNCIL")
    stored = installation_store(settings).find_installation(
        enterprise_id=None, team_id="TNEWCOUNCIL"
    )
    assert stored is not None and stored.bot_token == token
    assert stored.bot_refresh_token and stored.bot_token_expires_at

    double.clear()
    # A question from the new workspace: authorized with its token, answered.
    command = payloads.slash_command("adoption", response_url=double.response_url("new"))
    status, _ = send(base, for_team(command, "TNEWCOUNCIL"))
    assert status == 200
    _wait_for(double, "/response/new")
    assert {c.token for c in double.calls("auth.test")} == {token}

    # A mention is answered in the channel with that workspace's token.
    mention = payloads.app_mention("<@UBOTTNEWCOUNCIL> what grade did adoption get")
    status, _ = send(base, for_team(payloads.event_callback(mention), "TNEWCOUNCIL"))
    assert status == 200
    (post,) = _wait_for(double, "chat.postMessage")
    assert post.headers["authorization"] == f"Bearer {token}"
    assert post.token == token


def test_two_workspaces_each_get_their_own_token(oauth_bot, double):
    base, _ = oauth_bot
    for team in ("TAAA", "TBBB"):
        assert install(base, double, team)["status"] == 200
    double.clear()
    for n, team in enumerate(("TAAA", "TBBB", "TAAA")):
        event = payloads.app_mention(f"<@UBOT{team}> ofsted {n}", ts=f"1700000000.00010{n}")
        send(base, for_team(payloads.event_callback(event), team))
    double.wait_for(lambda r: sum(x.name == "chat.postMessage" for x in r) == 3)
    tokens = {p.body["thread_ts"]: p.token for p in double.calls("chat.postMessage")}
    (aaa,), (bbb,) = double.tokens_of("TAAA"), double.tokens_of("TBBB")
    assert tokens == {
        "1700000000.000100": aaa,
        "1700000000.000101": bbb,
        "1700000000.000102": aaa,
    }


def test_a_workspace_that_never_installed_gets_no_answer(oauth_bot, double):
    base, _ = oauth_bot
    event = payloads.app_mention("<@UBOT> adoption")
    status, _ = send(base, for_team(payloads.event_callback(event), "TSTRANGER"))
    assert status == 200  # bolt's own "please reinstall" answer; nothing posted
    assert double.calls("chat.postMessage") == []


def test_a_redirect_without_the_browser_cookie_or_with_a_spent_state_installs_nothing(
    oauth_bot, double
):
    base, _ = oauth_bot
    status, headers, _ = get(f"{base}/slack/install")
    state = headers["location"].split("state=", 1)[1].split("&", 1)[0]
    code = double.install_code("TSNEAKY")
    status, _, _ = get(f"{base}/slack/oauth_redirect?code={code}&state={state}")
    assert status == 400  # no cookie: not the browser that started the install
    assert double.calls("oauth.v2.access") == []

    done = install(base, double, "TGOOD")
    assert done["status"] == 200
    again = double.install_code("TGOOD")
    status, _, _ = get(
        f"{base}/slack/oauth_redirect?code={again}&state={done['query']['state'][0]}",
        {"Cookie": done["cookie"]},
    )
    assert status == 401  # a state is good once
    assert len(double.calls("oauth.v2.access")) == 1


def test_the_oauth_pages_are_kept_small(oauth_bot, double):
    base, _ = oauth_bot
    status, _, _ = get(f"{base}/slack/oauth_redirect?state={'x' * 5000}")
    assert status == 414
    status, _, _ = get(f"{base}/slack/install", {"Content-Length": "5"})
    assert status == 400


def test_socket_mode_with_oauth_settings_is_a_clear_error(double, data_dir):
    env = oauth_env(double, data_dir, SLACK_APP_TOKEN="xapp-1-test", SLACK_BOT_TOKEN="xoxb-x")
    settings = load_settings(env, dotenv=False)
    with pytest.raises(SettingsError, match="Socket Mode"):
        serve_socket_mode(settings)


def test_oauth_without_a_signing_secret_names_it(double, data_dir):
    from bot.slack.serve import http_requirements

    env = oauth_env(double, data_dir)
    env.pop("SLACK_SIGNING_SECRET")
    settings = load_settings(env, dotenv=False)
    assert http_requirements(settings) == ("SLACK_SIGNING_SECRET",)
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        settings.require(*http_requirements(settings))


def test_token_mode_still_needs_its_bot_token(double, data_dir):
    from tests.slack.conftest import env_for

    env = env_for(double, data_dir)
    env.pop("SLACK_BOT_TOKEN")
    settings = load_settings(env, dotenv=False)
    from bot.slack.serve import http_requirements

    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        settings.require(*http_requirements(settings))


def test_the_scopes_asked_for_are_the_manifests():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)
    assert "/slack/oauth_redirect" in " ".join(manifest["oauth_config"].get("redirect_urls", []))


def test_under_gunicorn_an_install_on_one_worker_is_known_to_every_worker(
    double, data_dir, postgres_url, tmp_path
):
    """`inspection-bot serve --http` with OAuth settings and no bot token: two worker
    processes sharing PostgreSQL; the install lands on one, every worker answers the
    new workspace with its token."""
    from tests.security.front_door import running_bot

    env = oauth_env(double, data_dir, DATABASE_URL=postgres_url, DIGEST_SCHEDULE="off")
    prepare_database(postgres_url)
    with running_bot(env, tmp_path / "bot.log", workers=2) as bot:
        assert install(bot.base, double, "TGUNICORN")["status"] == 200
        (token,) = double.tokens_of("TGUNICORN")
        double.clear()
        for n in range(6):  # spread over both workers
            event = payloads.app_mention(f"<@UBOTTGUNICORN> adoption {n}", ts=f"1700000001.00{n}")
            assert send(bot.base, for_team(payloads.event_callback(event), "TGUNICORN"))[0] == 200
        double.wait_for(lambda r: sum(x.name == "chat.postMessage" for x in r) == 6, timeout=30)
        assert {p.token for p in double.calls("chat.postMessage")} == {token}
