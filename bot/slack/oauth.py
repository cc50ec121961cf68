"""Many workspaces: Slack's OAuth install flow, and bot tokens that rotate safely
across replicas.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, HTTP mode serves
`/slack/install` (a redirect to Slack's authorize page, with a state kept in the
database and a cookie) and `/slack/oauth_redirect` (the code exchanged through
`oauth.v2.access`, the installation saved). Installations and states live in
slack_sdk's own tables (bot/db/tables.py) in the state database: SQLite under the
data directory, or DATABASE_URL's PostgreSQL, which every replica shares.

Token rotation: an installation's bot token expires (12 hours) and its refresh token
works once. Bolt's `InstallationStoreAuthorize` refreshes a token that is near its
expiry on the request that notices; with two replicas, both could notice at once
and both spend the same refresh token, and the loser's workspace would be left with
a token Slack has already replaced. Here the refresh is serialised per workspace: on
PostgreSQL by a transaction-scoped advisory lock keyed by the workspace, on SQLite
by a BEGIN IMMEDIATE transaction (the write lock). Under the lock the installation
is read again: when another replica has refreshed it meanwhile, its new token is
used and nothing is sent to Slack; otherwise the refresh is made and saved in the
same transaction, so the next replica to take the lock reads it.

Socket Mode is for one workspace: Slack does not let a distributed app use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from urllib.parse import urlsplit

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Connection, Engine, func, select

from ..config import Settings
from ..db.engine import engine_for

log = logging.getLogger(__name__)

# The bot scopes the app asks for when a workspace installs it: manifest.yml's
# oauth_config.scopes.bot (a test keeps the two the same).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "assistant:write",
    "channels:history",
    "groups:history",
    "app_mentions:read",
    "im:history",
    "im:read",
    "im:write",
    # the settings modal checks that whoever saves it is a workspace admin or owner
    "users:read",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# Refresh a bot token this long before it expires (bolt's default: two hours).
ROTATE_BEFORE_MINUTES = 120
# How long an install's state is good for, from /slack/install to the redirect.
STATE_SECONDS = 600


def authorization_url(api_url: str) -> str:
    """Slack's authorize page on the Web API's host: https://slack.com/oauth/v2/authorize
    for https://slack.com/api/, the Slack double's own page in tests."""
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}/oauth/v2/authorize"


def installation_store(settings: Settings) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine_for(settings.state_url),
        logger=logging.getLogger("bot.slack.installations"),
    )


def oauth_settings(settings: Settings, client: WebClient) -> OAuthSettings:
    """Bolt's OAuth settings on the state database, with token refreshes serialised
    across replicas (SerialisedAuthorize) and sent to SLACK_API_URL's host."""
    if not settings.oauth:
        raise BoltError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    engine = engine_for(settings.state_url)
    store = installation_store(settings)
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's authorize page: no page of our own in between.
        install_page_rendering_enabled=False,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=False,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS,
            engine=engine,
            logger=logging.getLogger("bot.slack.oauth_states"),
        ),
        state_expiration_seconds=STATE_SECONDS,
        logger=logging.getLogger("bot.slack.oauth"),
    )
    oauth.authorize = serialised_authorize(settings, engine, store, client)
    return oauth


# -- serialised token rotation ----------------------------------------------------------


def serialised_authorize(
    settings: Settings, engine: Engine, store: SQLAlchemyInstallationStore, client: WebClient
) -> SerialisedAuthorize:
    """Bolt's authorize on the installation store, its token refreshes serialised."""
    return SerialisedAuthorize(
        engine=engine,
        logger=logging.getLogger("bot.slack.authorize"),
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        client=client,
    )


def lock_key(client_id: str, enterprise_id: str | None, team_id: str | None) -> int:
    """The advisory lock's key for one workspace's installation: a signed 64-bit
    number from its ids (a collision only makes two workspaces wait for each other)."""
    name = f"slack-token:{client_id}:{enterprise_id or ''}:{team_id or ''}"
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class _OnConnection:
    """An engine stand-in for slack_sdk's SQLAlchemy store: every read and write it
    makes goes through one connection, inside the transaction holding the lock."""

    def __init__(self, connection: Connection):
        self._connection = connection

    def begin(self):
        return contextlib.nullcontext(self._connection)

    def connect(self):
        return contextlib.nullcontext(self._connection)


@contextlib.contextmanager
def workspace_lock(engine: Engine, key: int):
    """A connection in a transaction that holds the workspace's refresh lock until it
    commits: an advisory lock on PostgreSQL, SQLite's write lock (BEGIN IMMEDIATE,
    which the engine issues for every transaction) on SQLite."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(key)))
        yield connection


def _due(installation: Installation, minutes: int) -> bool:
    """Whether a token of this installation expires within `minutes`."""
    horizon = time.time() + minutes * 60
    bot = installation.bot_refresh_token and installation.bot_token_expires_at
    user = installation.user_refresh_token and installation.user_token_expires_at
    return any(at is not None and at is not False and at <= horizon for at in (bot, user))


class SerialisedAuthorize(InstallationStoreAuthorize):
    """Bolt's installation-store authorize, with each refresh made by one replica at a
    time per workspace, re-reading the installation once the lock is held."""

    def __init__(self, *, engine: Engine, **kwargs):
        super().__init__(cache_enabled=True, **kwargs)
        self.engine = engine

    def _rotate_and_save_tokens_if_necessary(
        self, installation: Installation | None
    ) -> Installation | None:
        if installation is None or (
            installation.user_refresh_token is None and installation.bot_refresh_token is None
        ):
            return None
        if self.token_rotator is None:
            raise BoltError(self._config_error_message)
        minutes = self.token_rotation_expiration_minutes
        if not _due(installation, minutes):
            return None  # the common case: no lock, no write
        store = self.installation_store
        client_id = getattr(store, "client_id", "")
        key = lock_key(client_id, installation.enterprise_id, installation.team_id)
        with workspace_lock(self.engine, key) as connection:
            locked = SQLAlchemyInstallationStore(
                client_id=client_id, engine=_OnConnection(connection), logger=self.logger
            )
            current = locked.find_installation(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                user_id=installation.user_id if installation.user_refresh_token else None,
                is_enterprise_install=installation.is_enterprise_install,
            )
            if current is None:  # uninstalled meanwhile
                return None
            if not _due(current, minutes):
                # Another replica refreshed it while this one waited: use its token.
                log.info("using the token another replica refreshed for %s", current.team_id)
                return _as_seen(current, installation)
            refreshed = self.token_rotator.perform_token_rotation(
                installation=current, minutes_before_expiration=minutes
            )
            if refreshed is None:
                return None
            locked.save(refreshed)
            log.info("refreshed the bot token of %s", refreshed.team_id)
            return _as_seen(refreshed, installation)


def _as_seen(fresh: Installation, asked: Installation) -> Installation:
    """`fresh`'s tokens for the request bolt is authorizing. A user token is passed on
    only when bolt asked about that user's installation (it clears the installer's
    user token from a workspace's latest installation for anyone else)."""
    result = Installation(**fresh.to_dict_for_copying())
    if asked.user_refresh_token is None:
        result.user_token = asked.user_token
        result.user_refresh_token = asked.user_refresh_token
        result.user_token_expires_at = asked.user_token_expires_at
        result.user_scopes = asked.user_scopes
    return result


# -- every workspace's token, for work outside a request (the weekly digest) -------------


def workspace_tokens(settings: Settings) -> dict[str, str]:
    """Each installed workspace's bot token, by team id, refreshed first when it is
    near its expiry (serialised with the replicas, as a request's would be). A
    workspace whose refresh Slack refuses is left out, and logged."""
    from slack_sdk.errors import SlackTokenRotationError

    from ..workspaces import installed_teams
    from .app import web_client

    engine = engine_for(settings.state_url)
    store = installation_store(settings)
    authorize = serialised_authorize(settings, engine, store, web_client(settings, oauth=True))
    tokens: dict[str, str] = {}
    for team_id in installed_teams(engine):
        installation = store.find_installation(enterprise_id=None, team_id=team_id)
        if installation is None or not installation.bot_token:
            continue  # another app's (client id's) bot, or an org-wide install
        try:
            refreshed = authorize._rotate_and_save_tokens_if_necessary(installation)
        except SlackTokenRotationError:
            log.exception("could not refresh the bot token of %s; skipping it", team_id)
            continue
        tokens[team_id] = (refreshed or installation).bot_token
    return tokens
