"""Token rotation across replicas: two authorizers with engines of their own (as two
replicas have) race to refresh a workspace's expiring bot token against the Slack
double. Slack takes a refresh token once; the double does too. Exactly one refresh
must reach it, and both must end up using the token it returned."""

from __future__ import annotations

import logging
import threading

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import create_engine

from bot.config import load_settings
from bot.db.engine import driver_url, sqlite_url
from bot.slack.app import create_app
from bot.slack.oauth import SerialisedAuthorize
from bot.slack.services import BotServices
from tests.slack.oauth_helpers import oauth_env, prepare_database

TEAM = "TROTATE"


@pytest.fixture(params=["sqlite", "postgres"])
def state_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "state")
    return request.getfixturevalue("postgres_url")


def _separate_engine(url: str):
    """An engine of its own, as another replica (another process) has."""
    from bot.db.engine import _make_engine

    return _make_engine(url)


def _install_expiring(double, url: str, *, expires_in: int = 60) -> Installation:
    """A workspace installed with a bot token that expires within the refresh window."""
    client = WebClient(base_url=double.api_url)
    answer = client.oauth_v2_access(
        client_id=double.client_id,
        client_secret=double.client_secret,
        code=double.install_code(TEAM, expires_in=expires_in),
    )
    installation = Installation(
        app_id=answer["app_id"],
        team_id=TEAM,
        team_name="Rotating Council",
        bot_token=answer["access_token"],
        bot_id=f"B{TEAM}",
        bot_user_id=answer["bot_user_id"],
        bot_scopes=answer["scope"],
        bot_refresh_token=answer["refresh_token"],
        bot_token_expires_in=answer["expires_in"],
        user_id=answer["authed_user"]["id"],
        token_type="bot",
    )
    store = SQLAlchemyInstallationStore(client_id=double.client_id, engine=_separate_engine(url))
    store.save(installation)
    return installation


def _authorizer(double, url: str) -> SerialisedAuthorize:
    engine = _separate_engine(url)
    return SerialisedAuthorize(
        engine=engine,
        logger=logging.getLogger("test.authorize"),
        installation_store=SQLAlchemyInstallationStore(client_id=double.client_id, engine=engine),
        client_id=double.client_id,
        client_secret=double.client_secret,
        token_rotation_expiration_minutes=120,
        client=WebClient(base_url=double.api_url),
    )


def _authorize(authorizer: SerialisedAuthorize, double) -> str | None:
    context = BoltContext({"client": WebClient(base_url=double.api_url)})
    result = authorizer(context=context, enterprise_id=None, team_id=TEAM, user_id="UUSER1")
    return None if result is None else result.bot_token


def _refreshes(double) -> list:
    return [c for c in double.calls("oauth.v2.access") if c.body.get("grant_type")]


def test_two_replicas_racing_to_refresh_spend_the_refresh_token_once(double, state_url):
    prepare_database(state_url)
    old = _install_expiring(double, state_url)
    replicas = [_authorizer(double, state_url) for _ in range(2)]
    # Slack answers the refresh slowly: the second replica asks while the first waits.
    double.fail("oauth.v2.access", delay=0.5, times=2)
    start = threading.Barrier(2)
    tokens: list[str | None] = [None, None]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait(timeout=10)
            tokens[i] = _authorize(replicas[i], double)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors

    (refresh,) = _refreshes(double)
    assert refresh.body["refresh_token"] == old.bot_refresh_token
    newest = double.tokens_of(TEAM)[-1]
    assert newest != old.bot_token
    assert tokens == [newest, newest]

    # The new token is stored for every replica: a third asks Slack for nothing.
    double.clear()
    assert _authorize(_authorizer(double, state_url), double) == newest
    assert _refreshes(double) == []
    stored = SQLAlchemyInstallationStore(
        client_id=double.client_id, engine=_separate_engine(state_url)
    ).find_installation(enterprise_id=None, team_id=TEAM)
    assert stored.bot_token == newest and stored.bot_refresh_token != old.bot_refresh_token


def test_a_token_far_from_expiry_is_used_without_a_lock_or_a_refresh(double, state_url):
    prepare_database(state_url)
    installed = _install_expiring(double, state_url, expires_in=43200)
    assert _authorize(_authorizer(double, state_url), double) == installed.bot_token
    assert _refreshes(double) == []


def test_the_served_app_authorizes_through_the_serialised_authorize(double, data_dir):
    settings = load_settings(oauth_env(double, data_dir), dotenv=False)
    prepare_database(settings.state_url)
    app = create_app(settings, BotServices.create(settings, background=False), oauth=True)
    assert isinstance(app._authorize, SerialisedAuthorize)
    assert app._authorize.token_rotator.client.base_url == settings.slack_api_url
    assert app.oauth_flow.client.base_url == settings.slack_api_url


def test_sqlite_engines_are_made_with_immediate_transactions(tmp_path):
    """What serialises a refresh on SQLite: the engine's transactions take the write
    lock when they begin, so a second one waits (here: gives up at once)."""
    url = sqlite_url(tmp_path)
    first = _separate_engine(url)
    prepare_database(url)
    other = create_engine(driver_url(url), connect_args={"timeout": 0})
    import sqlite3

    with first.begin():
        raw = other.raw_connection()
        try:
            raw.driver_connection.isolation_level = None
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.driver_connection.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
