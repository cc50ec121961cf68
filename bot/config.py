"""Settings: read once, at start, from the environment and `.env`, into one frozen object.

A setting the chosen mode needs and lacks is an error that names it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .paths import Paths

DEFAULT_API_URL = "https://slack.com/api/"
_ON = {"on", "true", "yes", "1"}
_OFF = {"off", "false", "no", "0"}


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    paths: Paths
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    query_log: bool = True
    port: int = 3000
    workers: int = 2
    log_level: str = "INFO"
    digest_channel: str | None = None
    curator_channel: str | None = None
    digest_schedule: str = "mon 09:00"
    digest_timezone: str = "Europe/London"
    # Slack user ids who also see the curators' part of the Home tab (counts only).
    curator_users: frozenset[str] = frozenset()
    # Follow-ups answered without a mention per engaged channel thread (0: none).
    followup_limit: int = 10
    # How long a worker's claim of an event holds before a Slack retry may take it
    # over (seconds; bot/ledger.py). Longer than any answer takes.
    ledger_lease_seconds: int = 30
    # Where shared state lives: SQLite under the data directory unless DATABASE_URL
    # names a PostgreSQL database (replicas, many workspaces).
    database_url: str | None = None
    # OAuth (many workspaces): with both set, HTTP mode serves /slack/install.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def state_url(self) -> str:
        """The database holding the ledger, digest claims, query log, threads,
        installations and workspace settings."""
        from .db.engine import sqlite_url

        return self.database_url or sqlite_url(self.paths.data)

    @property
    def oauth(self) -> bool:
        """Many workspaces: installs through Slack's OAuth flow, tokens per workspace."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def has_slack_tokens(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret))

    def require(self, *names: str) -> None:
        """Fail, naming every missing setting, when a mode needs settings that are unset."""
        missing = [n for n in names if not getattr(self, n.lower())]
        if missing:
            listed = ", ".join(missing)
            raise SettingsError(
                f"{listed} {'is' if len(missing) == 1 else 'are'} not set; this mode needs "
                f"{'it' if len(missing) == 1 else 'them'}. Set {listed} in the environment or "
                "in .env (see .env.example)."
            )


def normalise_api_url(url: str) -> str:
    """slack_sdk joins method names onto the base URL: without a trailing slash,
    `http://host:port/api` would lose its `/api`."""
    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise SettingsError(f"SLACK_API_URL must look like http://host:port/api/ (got {url!r})")
    return url if url.endswith("/") else url + "/"


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in _ON:
        return True
    if raw in _OFF:
        return False
    raise SettingsError(f"{name} must be on or off (got {raw!r})")


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number (got {raw!r})")
    return int(raw)


def _lease_seconds(env: dict[str, str]) -> int:
    seconds = _int(env, "LEDGER_LEASE_SECONDS", 30)
    if seconds < 1:
        raise SettingsError(f"LEDGER_LEASE_SECONDS must be at least 1 (got {seconds})")
    return seconds


def _timezone(env: dict[str, str], name: str, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    raw = (env.get(name) or "").strip() or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"{name} must be an IANA time zone such as Europe/London (got {raw!r})"
        ) from None
    return raw


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def _user_ids(env: dict[str, str], name: str) -> frozenset[str]:
    """A comma-separated list of Slack user ids (U… or W…); blanks are skipped."""
    ids = [part.strip() for part in (env.get(name) or "").split(",") if part.strip()]
    bad = [i for i in ids if not _USER_ID.fullmatch(i)]
    if bad:
        raise SettingsError(
            f"{name} must be Slack user ids separated by commas, such as U012AB3CD "
            f"(got {', '.join(repr(b[:40]) for b in bad[:3])})"
        )
    return frozenset(ids)


def _database_url(env: dict[str, str]) -> str | None:
    """DATABASE_URL: postgresql://user:password@host:port/name (or sqlite:///path)."""
    raw = (env.get("DATABASE_URL") or "").strip()
    if not raw:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        backend = make_url(raw).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in ("postgresql", "postgres", "sqlite"):
        raise SettingsError(
            "DATABASE_URL must look like postgresql://user:password@host:5432/name "
            f"(got {raw.split('@')[-1][:60]!r})"
        )
    return raw


def load_settings(env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read the settings once. `.env` fills in what the environment leaves unset."""
    if env is None:
        if dotenv:
            from dotenv import load_dotenv

            load_dotenv(Path.cwd() / ".env", override=False)
        env = dict(os.environ)
    digest_channel = (env.get("DIGEST_CHANNEL") or "").strip() or None
    curator_channel = (env.get("CURATOR_CHANNEL") or "").strip() or None
    if digest_channel and curator_channel and digest_channel == curator_channel:
        raise SettingsError(
            "CURATOR_CHANNEL must not be the same as DIGEST_CHANNEL: question text goes only "
            "to curators, never to the digest channel."
        )
    return Settings(
        paths=Paths.from_env(env),
        slack_bot_token=(env.get("SLACK_BOT_TOKEN") or "").strip() or None,
        slack_signing_secret=(env.get("SLACK_SIGNING_SECRET") or "").strip() or None,
        slack_app_token=(env.get("SLACK_APP_TOKEN") or "").strip() or None,
        slack_api_url=normalise_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL),
        query_log=_flag(env, "QUERY_LOG", True),
        port=_int(env, "PORT", 3000),
        workers=_int(env, "WEB_CONCURRENCY", 2),
        log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        digest_channel=digest_channel,
        curator_channel=curator_channel,
        digest_schedule=(env.get("DIGEST_SCHEDULE") or "mon 09:00").strip().lower(),
        digest_timezone=_timezone(env, "DIGEST_TIMEZONE", "Europe/London"),
        curator_users=_user_ids(env, "CURATOR_USERS"),
        followup_limit=_int(env, "FOLLOWUP_LIMIT", 10),
        ledger_lease_seconds=_lease_seconds(env),
        database_url=_database_url(env),
        slack_client_id=(env.get("SLACK_CLIENT_ID") or "").strip() or None,
        slack_client_secret=(env.get("SLACK_CLIENT_SECRET") or "").strip() or None,
    )
