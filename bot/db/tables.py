"""Every table the bot keeps, as SQLAlchemy Core: the same on SQLite and PostgreSQL.

`team_id` is the Slack workspace a row belongs to: "" in single-workspace token
mode, where there is only one. Uninstalling a workspace deletes its rows
(bot/workspaces.py). Times the code compares as numbers are epoch seconds
(Float); times people read are ISO 8601 text, as the SQLite stores kept them.

The installation, bot and OAuth-state tables are slack_sdk's own, built by its
SQLAlchemy stores' builders, so bolt's OAuth flow reads exactly what the
migrations created.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Events and button presses answered once across every worker and replica. A claim
# is a lease: `lease_until` passes and, while `answered_at` is still empty, the
# next delivery of the same id (Slack's retry) takes it over.
handled_events = Table(
    "handled_events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("claimed_at", Float, nullable=False),
    Column("lease_until", Float, nullable=False),
    Column("answered_at", Float),
    Index("handled_events_claimed_at", "claimed_at"),
)

# The digest's weekly claims, one row per workspace per ISO week.
digest_weeks = Table(
    "digest_weeks",
    metadata,
    Column("team_id", String(32), primary_key=True, server_default=""),
    Column("week", String(16), primary_key=True),
    Column("claimed_at", Text, nullable=False),
    Column("channel", String(64)),
    Column("posted_ts", String(64)),
    Column("status", String(16)),
    Column("attempt_at", Text),
)

# What the last digest showed, per workspace, to say what is new in the next.
digest_snapshot = Table(
    "digest_snapshot",
    metadata,
    Column("team_id", String(32), primary_key=True, server_default=""),
    Column("records", Text, nullable=False),
    Column("reports", Text, nullable=False),
)

# What people asked (never who), for curators; eight weeks at most.
queries = Table(
    "queries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("asked_at", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("themes", Text, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("feedback", String(32)),
    Column("shown", Text),
    Column("reason", String(32)),
    Index("queries_asked_at", "asked_at"),
    Index("queries_team", "team_id"),
)

# Channel threads the bot was mentioned in, where follow-ups are answered.
engaged_threads = Table(
    "engaged_threads",
    metadata,
    Column("team_id", String(32), primary_key=True, server_default=""),
    Column("channel", String(64), primary_key=True),
    Column("thread_ts", String(64), primary_key=True),
    Column("question", Text, nullable=False),
    Column("answers", Integer, nullable=False, server_default="0"),
    Column("engaged_at", Float, nullable=False),
    Index("engaged_threads_at", "engaged_at"),
)

# Per-workspace settings, set by a workspace admin in the settings modal. NULL: the
# deployment's default (DIGEST_CHANNEL, CURATOR_USERS, QUERY_LOG).
workspace_settings = Table(
    "workspace_settings",
    metadata,
    Column("team_id", String(32), primary_key=True),
    Column("digest_channel", String(64)),
    Column("curator_users", Text),  # JSON list of user ids
    Column("query_log", Boolean),
    Column("updated_by", String(32)),
    Column("updated_at", Text),
    CheckConstraint("team_id <> ''", name="workspace_settings_team"),
)

slack_installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
slack_bots = SQLAlchemyInstallationStore.build_bots_table(
    metadata, SQLAlchemyInstallationStore.default_bots_table_name
)
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    metadata, SQLAlchemyOAuthStateStore.default_table_name
)
