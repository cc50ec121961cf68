"""Per-workspace settings and forgetting a workspace, on real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import func, insert, select

from bot.db import tables
from bot.db.engine import engine_for, sqlite_url
from bot.workspaces import (
    InvalidSettings,
    WorkspaceSettings,
    WorkspaceSettingsStore,
    forget_workspace,
    installed_teams,
    validate,
)
from tests.slack.oauth_helpers import prepare_database

DEFAULTS = WorkspaceSettings("CDEFAULT", frozenset({"UDEFAULT"}), True)
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    url = (
        sqlite_url(tmp_path)
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    prepare_database(url)
    return engine_for(url)


def test_a_workspace_without_settings_has_the_deployments(engine):
    store = WorkspaceSettingsStore(engine, fallback=DEFAULTS)
    assert store.get("TNEW") == DEFAULTS
    assert store.get("") == DEFAULTS  # token mode: no workspace, the defaults


def test_saved_settings_are_the_workspaces_own(engine):
    store = WorkspaceSettingsStore(engine, fallback=DEFAULTS)
    chosen = WorkspaceSettings("CDIGEST1", frozenset({"UONE", "UTWO"}), False)
    store.save("TAAA", chosen, updated_by="UADMIN", now=NOW)
    assert store.get("TAAA") == chosen
    assert store.get("TBBB") == DEFAULTS  # another workspace is untouched
    # Saved again: replaced, not added. No digest channel is a choice, not a default.
    store.save("TAAA", WorkspaceSettings(None, frozenset(), True), updated_by="UADMIN")
    assert store.get("TAAA") == WorkspaceSettings(None, frozenset(), True)
    with engine.connect() as connection:
        table = tables.workspace_settings
        assert connection.execute(select(func.count()).select_from(table)).scalar() == 1
        row = connection.execute(select(table)).mappings().one()
    assert row["updated_by"] == "UADMIN"


def test_settings_need_a_workspace(engine):
    with pytest.raises(ValueError):
        WorkspaceSettingsStore(engine).save("", DEFAULTS, updated_by="UADMIN")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"digest_channel": "general", "curator_users": [], "query_log": True}, "digest_channel"),
        ({"digest_channel": "U123ABC", "curator_users": [], "query_log": True}, "digest_channel"),
        (
            {"digest_channel": None, "curator_users": ["<!channel>"], "query_log": True},
            "curator_users",
        ),
        ({"digest_channel": None, "curator_users": "UABC123", "query_log": True}, "curator_users"),
        ({"digest_channel": None, "curator_users": [], "query_log": None}, "query_log"),
        (
            {"digest_channel": None, "curator_users": ["U1AB"] * 51, "query_log": True},
            "curator_users",
        ),
    ],
)
def test_the_modal_refuses_what_is_not_a_channel_or_people(values, field):
    with pytest.raises(InvalidSettings) as refused:
        validate(**values)
    assert set(refused.value.errors) == {field}


def test_the_modal_takes_channels_people_and_a_choice():
    assert validate(
        digest_channel="C0DIGEST", curator_users=["U0ONE", "W0TWO"], query_log=False
    ) == WorkspaceSettings("C0DIGEST", frozenset({"U0ONE", "W0TWO"}), False)
    assert validate(digest_channel=None, curator_users=[], query_log=True) == WorkspaceSettings(
        None, frozenset(), True
    )


def _fill(engine, team: str) -> None:
    """One of everything the bot keeps for a workspace."""
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=engine)
    store.save(
        Installation(
            app_id="ADOUBLE",
            team_id=team,
            bot_token=f"xoxb-{team}",
            bot_id=f"B{team}",
            bot_user_id=f"UBOT{team}",
            user_id="UINSTALLER",
        )
    )
    WorkspaceSettingsStore(engine).save(team, DEFAULTS, updated_by="UADMIN")
    with engine.begin() as connection:
        connection.execute(
            insert(tables.queries).values(
                team_id=team, asked_at=NOW.isoformat(), query="adoption", themes="[]", answered=1
            )
        )
        connection.execute(
            insert(tables.engaged_threads).values(
                team_id=team, channel="C1", thread_ts="1.1", question="q", engaged_at=1.0
            )
        )
        connection.execute(
            insert(tables.digest_weeks).values(team_id=team, week="2026-W48", claimed_at="x")
        )
        connection.execute(
            insert(tables.digest_snapshot).values(team_id=team, records="[]", reports="[]")
        )


def _counts(engine, team: str) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(
                select(func.count()).select_from(table).where(table.c.team_id == team)
            ).scalar()
            for table in (
                tables.slack_installations,
                tables.slack_bots,
                tables.workspace_settings,
                tables.queries,
                tables.engaged_threads,
                tables.digest_weeks,
                tables.digest_snapshot,
            )
        }


def test_forgetting_a_workspace_deletes_all_it_kept_and_nothing_of_another(engine):
    for team in ("TGONE", "TSTAYS"):
        _fill(engine, team)
    assert installed_teams(engine) == ["TGONE", "TSTAYS"]
    deleted = forget_workspace(engine, "TGONE")
    assert set(deleted.values()) == {1}
    assert set(_counts(engine, "TGONE").values()) == {0}
    assert set(_counts(engine, "TSTAYS").values()) == {1}
    assert installed_teams(engine) == ["TSTAYS"]
    assert set(forget_workspace(engine, "TGONE").values()) == {0}  # a retry: nothing left
    with pytest.raises(ValueError):
        forget_workspace(engine, "")
