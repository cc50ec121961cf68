"""The workspaces the bot is installed in: each one's settings, and forgetting one.

A workspace admin sets three things for their workspace (the settings modal): the
channel the weekly digest goes to, the curators who see counts on the Home tab, and
whether questions are logged at all. What they leave unset falls back to the
deployment's defaults (DIGEST_CHANNEL, CURATOR_USERS, QUERY_LOG). In single-workspace
token mode nobody sets anything: the defaults are the settings.

When a workspace uninstalls the app, or revokes its tokens, everything the bot keeps
for it goes: its installation and bot tokens, its settings, its query log, the
threads it followed there, and its digest's weekly claims and snapshot.

No Slack framework here: the listeners (bot/slack/listeners/workspace) call in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from .config import Settings
from .db import tables

CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,30}")
USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
MAX_CURATORS = 50


@dataclass(frozen=True)
class WorkspaceSettings:
    """What one workspace's admins chose, or the deployment's defaults."""

    digest_channel: str | None
    curator_users: frozenset[str]
    query_log: bool


def defaults(settings: Settings) -> WorkspaceSettings:
    return WorkspaceSettings(
        digest_channel=settings.digest_channel,
        curator_users=frozenset(settings.curator_users),
        query_log=settings.query_log,
    )


class InvalidSettings(ValueError):
    """Input the settings modal refuses; `errors` maps each field to a kind message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def validate(
    *, digest_channel: object, curator_users: object, query_log: object
) -> WorkspaceSettings:
    """The modal's values as settings, or InvalidSettings naming what is wrong. A
    channel is a Slack channel id (C… or G…) or nothing; curators are user ids."""
    errors: dict[str, str] = {}
    channel = digest_channel if isinstance(digest_channel, str) and digest_channel else None
    if channel is not None and not CHANNEL_ID.fullmatch(channel):
        errors["digest_channel"] = "Choose a channel from the list."
    users = curator_users if isinstance(curator_users, list | tuple | set | frozenset) else None
    if users is None or not all(isinstance(u, str) and USER_ID.fullmatch(u) for u in users):
        errors["curator_users"] = "Choose people from the list."
    elif len(users) > MAX_CURATORS:
        errors["curator_users"] = f"Choose at most {MAX_CURATORS} curators."
    if not isinstance(query_log, bool):
        errors["query_log"] = "Choose whether questions are logged."
    if errors:
        raise InvalidSettings(errors)
    return WorkspaceSettings(
        digest_channel=channel, curator_users=frozenset(users or ()), query_log=query_log
    )


class WorkspaceSettingsStore:
    """Per-workspace settings in the state database (`workspace_settings`)."""

    def __init__(self, engine: Engine, *, fallback: WorkspaceSettings | None = None):
        self.engine = engine
        self.fallback = fallback or WorkspaceSettings(None, frozenset(), True)

    def get(self, team_id: str | None) -> WorkspaceSettings:
        """The workspace's settings; a field never set (or no workspace: token mode)
        is the deployment's default."""
        if not team_id:
            return self.fallback
        table = tables.workspace_settings
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(table).where(table.c.team_id == team_id))
                .mappings()
                .first()
            )
        if row is None:
            return self.fallback
        curators = self.fallback.curator_users
        if row["curator_users"] is not None:
            try:
                curators = frozenset(str(u) for u in json.loads(row["curator_users"]))
            except (ValueError, TypeError):
                curators = self.fallback.curator_users
        channel = row["digest_channel"]  # "": chosen to have none; NULL: never chosen
        return WorkspaceSettings(
            digest_channel=(channel or None)
            if channel is not None
            else self.fallback.digest_channel,
            curator_users=curators,
            query_log=row["query_log"] if row["query_log"] is not None else self.fallback.query_log,
        )

    def save(
        self,
        team_id: str,
        chosen: WorkspaceSettings,
        *,
        updated_by: str,
        now: dt.datetime | None = None,
    ) -> None:
        """Store what an admin chose (all three fields), replacing what was there."""
        if not team_id:
            raise ValueError("settings belong to a workspace: team_id is required")
        at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat()
        values = {
            "team_id": team_id,
            "digest_channel": chosen.digest_channel or "",
            "curator_users": json.dumps(sorted(chosen.curator_users)),
            "query_log": chosen.query_log,
            "updated_by": updated_by,
            "updated_at": at,
        }
        table = tables.workspace_settings
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(table).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.team_id],
            set_={k: v for k, v in values.items() if k != "team_id"},
        )
        with self.engine.begin() as connection:
            connection.execute(statement)

    def teams(self) -> list[str]:
        """Workspaces that have saved settings."""
        table = tables.workspace_settings
        with self.engine.connect() as connection:
            return [r[0] for r in connection.execute(select(table.c.team_id))]


def installed_teams(engine: Engine) -> list[str]:
    """Every workspace with a bot installed (many workspaces), in a stable order."""
    bots = tables.slack_bots
    with engine.connect() as connection:
        rows = connection.execute(
            select(bots.c.team_id)
            .where(bots.c.team_id.is_not(None), bots.c.bot_token.is_not(None))
            .distinct()
            .order_by(bots.c.team_id)
        )
        return [r[0] for r in rows]


# Everything kept for one workspace, deleted when it goes.
_PER_WORKSPACE = (
    tables.workspace_settings,
    tables.queries,
    tables.engaged_threads,
    tables.digest_weeks,
    tables.digest_snapshot,
    tables.slack_bots,
    tables.slack_installations,
)


def forget_workspace(engine: Engine, team_id: str) -> dict[str, int]:
    """Delete all that the bot keeps for workspace `team_id`, in one transaction:
    its installation and bot tokens, settings, query log, followed threads and
    digest state. Rows deleted per table. Never touches another workspace, nor the
    single workspace of token mode (team_id "")."""
    if not team_id:
        raise ValueError("which workspace? team_id is required")
    deleted: dict[str, int] = {}
    with engine.begin() as connection:
        for table in _PER_WORKSPACE:
            result = connection.execute(delete(table).where(table.c.team_id == team_id))
            deleted[table.name] = result.rowcount or 0
    return deleted


# -- one workspace's view of the shared stores --------------------------------------------


class WorkspaceQueryLog:
    """The query log as one workspace sees it: its questions only, written with its
    team id, and nothing at all when the workspace turned its log off (QUERY_LOG=off
    for the deployment turns it off for every workspace)."""

    def __init__(self, log, team_id: str, *, enabled: bool):
        self.shared = self._log = log
        self.team_id = team_id
        self.enabled = bool(enabled and log.enabled)

    @property
    def problem(self):
        return self._log.problem

    def record(self, *args, **kwargs) -> None:
        if self.enabled:
            kwargs.setdefault("team_id", self.team_id)
            self._log.record(*args, **kwargs)

    def entries(self, **kwargs):
        if not self.enabled:
            return []
        kwargs.setdefault("team_id", self.team_id)
        return self._log.entries(**kwargs)

    def __getattr__(self, name):  # anything else: the shared log's
        return getattr(self._log, name)
