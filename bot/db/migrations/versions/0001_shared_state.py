"""Shared state: every table the bot keeps, keyed by workspace, and the rows of the
stores an earlier version wrote adopted into them.

An earlier version created its own tables in `state.db` (the event ledger, the
digest's weeks and snapshot, the engaged threads) and kept the query log in a file
of its own, `querylog.db`, beside it. Here those tables are renamed aside, the new
ones created, and their rows carried over: digest weeks and the snapshot belong to
workspace "" (the single workspace of token mode), ledger rows are answered (an
earlier version recorded an id when it took it, and the day they are kept for has
long passed by any retry), and the query log's questions are copied from
`querylog.db` when it exists. bot.db.migrate removes `querylog.db` once this has
committed, so a question erased later is erased everywhere.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

log = logging.getLogger("bot.db.migrate")

# The tables an earlier version created, and the indexes it gave them.
LEGACY = ("handled_events", "digest_weeks", "digest_snapshot", "engaged_threads", "queries")
LEGACY_INDEXES = ("handled_events_at", "engaged_threads_at", "queries_asked_at")


def _create_tables() -> None:
    op.create_table(
        "handled_events",
        sa.Column("event_id", sa.String(128), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("claimed_at", sa.Float, nullable=False),
        sa.Column("lease_until", sa.Float, nullable=False),
        sa.Column("answered_at", sa.Float),
    )
    op.create_index("handled_events_claimed_at", "handled_events", ["claimed_at"])
    op.create_table(
        "digest_weeks",
        sa.Column("team_id", sa.String(32), primary_key=True, server_default=""),
        sa.Column("week", sa.String(16), primary_key=True),
        sa.Column("claimed_at", sa.Text, nullable=False),
        sa.Column("channel", sa.String(64)),
        sa.Column("posted_ts", sa.String(64)),
        sa.Column("status", sa.String(16)),
        sa.Column("attempt_at", sa.Text),
    )
    op.create_table(
        "digest_snapshot",
        sa.Column("team_id", sa.String(32), primary_key=True, server_default=""),
        sa.Column("records", sa.Text, nullable=False),
        sa.Column("reports", sa.Text, nullable=False),
    )
    op.create_table(
        "queries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("asked_at", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("feedback", sa.String(32)),
        sa.Column("shown", sa.Text),
        sa.Column("reason", sa.String(32)),
    )
    op.create_index("queries_asked_at", "queries", ["asked_at"])
    op.create_index("queries_team", "queries", ["team_id"])
    op.create_table(
        "engaged_threads",
        sa.Column("team_id", sa.String(32), primary_key=True, server_default=""),
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("thread_ts", sa.String(64), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answers", sa.Integer, nullable=False, server_default="0"),
        sa.Column("engaged_at", sa.Float, nullable=False),
    )
    op.create_index("engaged_threads_at", "engaged_threads", ["engaged_at"])
    op.create_table(
        "workspace_settings",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("digest_channel", sa.String(64)),
        sa.Column("curator_users", sa.Text),
        sa.Column("query_log", sa.Boolean),
        sa.Column("updated_by", sa.String(32)),
        sa.Column("updated_at", sa.Text),
        sa.CheckConstraint("team_id <> ''", name="workspace_settings_team"),
    )
    # slack_sdk's SQLAlchemy installation and OAuth state stores, as its builders
    # (slack_sdk 3.x) define them: bolt's OAuth flow reads and writes these.
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False, default=False),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False, default=False),
        sa.Column("installed_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"]
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime, nullable=False),
    )


def _columns(bind, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(bind).get_columns(table)}


def _adopt(bind, legacy: set[str]) -> None:
    """Carry the rows of an earlier version's tables (renamed `legacy_<name>`) over."""
    if "handled_events" in legacy:
        op.execute(
            "INSERT INTO handled_events (event_id, team_id, claimed_at, lease_until, answered_at) "
            "SELECT event_id, '', COALESCE(handled_at, 0), COALESCE(handled_at, 0), "
            "COALESCE(handled_at, 0) FROM legacy_handled_events WHERE event_id IS NOT NULL"
        )
    if "digest_weeks" in legacy:
        have = _columns(bind, "legacy_digest_weeks")
        status = "status" if "status" in have else "NULL"
        attempt = "attempt_at" if "attempt_at" in have else "NULL"
        op.execute(
            "INSERT INTO digest_weeks (team_id, week, claimed_at, channel, posted_ts, status, "
            f"attempt_at) SELECT '', week, claimed_at, channel, posted_ts, {status}, {attempt} "  # noqa: S608
            "FROM legacy_digest_weeks WHERE week IS NOT NULL"
        )
    if "digest_snapshot" in legacy:
        op.execute(
            "INSERT INTO digest_snapshot (team_id, records, reports) "
            "SELECT '', records, reports FROM legacy_digest_snapshot ORDER BY id LIMIT 1"
        )
    if "engaged_threads" in legacy:
        op.execute(
            "INSERT INTO engaged_threads (team_id, channel, thread_ts, question, answers, "
            "engaged_at) SELECT '', channel, thread_ts, question, answers, engaged_at "
            "FROM legacy_engaged_threads"
        )
    if "queries" in legacy:
        have = _columns(bind, "legacy_queries")
        reason = "reason" if "reason" in have else "NULL"
        op.execute(
            "INSERT INTO queries (team_id, asked_at, query, themes, answered, feedback, shown, "
            f"reason) SELECT '', asked_at, query, themes, answered, feedback, shown, {reason} "  # noqa: S608
            "FROM legacy_queries ORDER BY id"
        )


QUERIES = sa.table(
    "queries",
    sa.column("team_id", sa.String),
    sa.column("asked_at", sa.Text),
    sa.column("query", sa.Text),
    sa.column("themes", sa.Text),
    sa.column("answered", sa.Integer),
    sa.column("feedback", sa.String),
    sa.column("shown", sa.Text),
    sa.column("reason", sa.String),
)


def _adopt_query_log(bind) -> None:
    """Copy the questions of an earlier version's `querylog.db`, beside this SQLite
    file. Best effort: a log that cannot be read is named and left where it is."""
    database = bind.engine.url.database
    if bind.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    path = Path(database).parent / "querylog.db"
    if not path.is_file():
        return
    try:
        old = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            have = {row[1] for row in old.execute("PRAGMA table_info(queries)")}
            reason = "reason" if "reason" in have else "NULL"
            rows = (
                old.execute(
                    "SELECT asked_at, query, themes, answered, feedback, shown, "  # noqa: S608
                    f"{reason} FROM queries ORDER BY id"
                ).fetchall()
                if have
                else []
            )
        finally:
            old.close()
    except sqlite3.Error as error:
        log.warning(
            "could not read the earlier query log %s (%s): its questions were not carried "
            "over, and it is left in place",
            path,
            error,
        )
        return
    if rows:
        op.bulk_insert(
            QUERIES,
            [
                dict(
                    team_id="",
                    asked_at=at,
                    query=query,
                    themes=themes,
                    answered=answered,
                    feedback=feedback,
                    shown=shown,
                    reason=reason,
                )
                for at, query, themes, answered, feedback, shown, reason in rows
            ],
        )
    notes = context.config.attributes.setdefault("notes", [])
    notes.append(f"carried {len(rows)} question(s) over from {path}")
    context.config.attributes["adopted_query_log"] = path


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    legacy = {name for name in LEGACY if name in existing}
    if legacy:
        for index in LEGACY_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
        for name in sorted(legacy):
            op.rename_table(name, f"legacy_{name}")
    _create_tables()
    if legacy:
        _adopt(bind, legacy)
        for name in sorted(legacy):
            op.drop_table(f"legacy_{name}")
        notes = context.config.attributes.setdefault("notes", [])
        notes.append(f"adopted the earlier version's tables: {', '.join(sorted(legacy))}")
    _adopt_query_log(bind)


def downgrade() -> None:
    for name in (
        "slack_oauth_states",
        "slack_bots",
        "slack_installations",
        "workspace_settings",
        "engaged_threads",
        "queries",
        "digest_snapshot",
        "digest_weeks",
        "handled_events",
    ):
        op.drop_table(name)
