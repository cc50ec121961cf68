"""Many workspaces through signed requests on loopback, against the Slack double:
uninstalls and revoked tokens forget a workspace; the settings modal saves only for
admins and owners; a workspace's settings are the ones its requests use."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.config import load_settings
from bot.db import tables
from bot.db.engine import engine_for
from bot.render.settings import (
    ADMINS_ONLY,
    CHANNEL_ACTION,
    CHANNEL_BLOCK,
    CURATORS_ACTION,
    CURATORS_BLOCK,
    LOG_ACTION,
    LOG_BLOCK,
    SETTINGS_MODAL,
)
from bot.slack import payloads
from bot.slack.oauth import installation_store
from bot.slack.serve import wsgi_application
from bot.workspaces import WorkspaceSettings, WorkspaceSettingsStore, defaults
from tests.slack.conftest import send, serve_wsgi, wait_until
from tests.slack.oauth_helpers import for_team, install, oauth_env, prepare_database


@pytest.fixture(params=["sqlite", "postgres"])
def two_workspaces(request, double, data_dir):
    """The bot serving many workspaces, installed in TAAA and TBBB, each with an admin
    (UADMIN…) and a member (UMEMBER…)."""
    extra = {}
    if request.param == "postgres":
        extra["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    settings = load_settings(oauth_env(double, data_dir, **extra), dotenv=False)
    prepare_database(settings.state_url)
    base, stop = serve_wsgi(wsgi_application(settings))
    for team in ("TAAA", "TBBB"):
        assert install(base, double, team)["status"] == 200
        double.add_user(f"UADMIN{team}", team_id=team, is_admin=True)
        double.add_user(f"UOWNER{team}", team_id=team, is_owner=True)
        double.add_user(f"UMEMBER{team}", team_id=team)
    double.clear()
    yield base, settings
    stop()


def _count(settings, table, team: str) -> int:
    with engine_for(settings.state_url).connect() as connection:
        return connection.execute(
            select(func.count()).select_from(table).where(table.c.team_id == team)
        ).scalar()


def _ask(base, double, team: str, text: str, name: str) -> None:
    command = payloads.slash_command(text, response_url=double.response_url(name))
    assert send(base, for_team(command, team))[0] == 200
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r))


def _settings_form(channel=None, users=(), log="on") -> dict:
    option = {"text": {"type": "plain_text", "text": log}, "value": log}
    return {
        CHANNEL_BLOCK: {
            CHANNEL_ACTION: {"type": "conversations_select", "selected_conversation": channel}
        },
        CURATORS_BLOCK: {
            CURATORS_ACTION: {"type": "multi_users_select", "selected_users": list(users)}
        },
        LOG_BLOCK: {LOG_ACTION: {"type": "radio_buttons", "selected_option": option}},
    }


def _submit(base, team: str, user: str, form: dict) -> dict:
    body = payloads.view_submission(SETTINGS_MODAL, values=form, user=user)
    status, answer = send(base, for_team(body, team))
    assert status == 200
    return json.loads(answer) if answer else {}


# -- a workspace that goes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTTAAA"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
def test_a_workspace_that_uninstalls_is_forgotten(two_workspaces, double, event):
    base, settings = two_workspaces
    store = WorkspaceSettingsStore(engine_for(settings.state_url))
    for team in ("TAAA", "TBBB"):
        store.save(team, WorkspaceSettings("C0DIGEST", frozenset(), True), updated_by="U0")
        _ask(base, double, team, "adoption", f"before-{team}")
    logged = _count(settings, tables.queries, "TBBB")

    status, _ = send(base, for_team(payloads.event_callback(event), "TAAA"))
    assert status == 200
    wait_until(lambda: _count(settings, tables.slack_installations, "TAAA") == 0)
    for table in (tables.slack_bots, tables.workspace_settings, tables.queries):
        assert _count(settings, table, "TAAA") == 0, table.name
    # The other workspace keeps everything.
    assert installation_store(settings).find_installation(enterprise_id=None, team_id="TBBB")
    assert _count(settings, tables.workspace_settings, "TBBB") == 1
    assert _count(settings, tables.queries, "TBBB") == logged

    # The forgotten workspace's requests find no token: nothing is posted for it.
    double.clear()
    mention = payloads.event_callback(payloads.app_mention("<@UBOTTAAA> adoption"))
    send(base, for_team(mention, "TAAA"))
    assert double.calls("chat.postMessage") == []


def test_a_revoked_user_token_removes_only_that_users_installation(two_workspaces, double):
    base, settings = two_workspaces
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALLER"], "bot": []}}
    assert send(base, for_team(payloads.event_callback(event), "TAAA"))[0] == 200
    wait_until(lambda: _count(settings, tables.slack_installations, "TAAA") == 0)
    assert _count(settings, tables.slack_bots, "TAAA") == 1  # the bot stays installed


# -- the settings modal ----------------------------------------------------------------------


def test_an_admin_opens_the_settings_form_with_the_workspaces_token(two_workspaces, double):
    base, _ = two_workspaces
    command = payloads.slash_command(
        "settings", response_url=double.response_url("s"), user="UADMINTAAA"
    )
    assert send(base, for_team(command, "TAAA"))[0] == 200
    double.wait_for(lambda r: any(x.name == "views.open" for x in r))
    (info,) = double.calls("users.info")
    (opened,) = double.calls("views.open")
    (token,) = double.tokens_of("TAAA")
    assert info.body["user"] == "UADMINTAAA" and info.token == token
    assert opened.token == token
    assert opened.body["view"]["callback_id"] == SETTINGS_MODAL
    assert double.calls("/response/s") == []  # no answer to "settings" as a question


def test_a_member_is_told_kindly_that_only_admins_change_settings(two_workspaces, double):
    base, _ = two_workspaces
    command = payloads.slash_command(
        "settings", response_url=double.response_url("m"), user="UMEMBERTAAA"
    )
    send(base, for_team(command, "TAAA"))
    double.wait_for(lambda r: any(x.name == "/response/m" for x in r))
    (reply,) = double.calls("/response/m")
    assert reply.body["text"] == ADMINS_ONLY
    assert double.calls("views.open") == []


def test_only_an_admin_or_owner_saves_settings(two_workspaces, double):
    base, settings = two_workspaces
    store = WorkspaceSettingsStore(engine_for(settings.state_url), fallback=defaults(settings))
    form = _settings_form("C0DIGESTA", ["UADMINTAAA"], "off")

    refused = _submit(base, "TAAA", "UMEMBERTAAA", form)
    assert refused["response_action"] == "update"
    assert ADMINS_ONLY in json.dumps(refused["view"])
    assert _count(settings, tables.workspace_settings, "TAAA") == 0

    # An admin of another workspace is not an admin of this one.
    assert ADMINS_ONLY in json.dumps(_submit(base, "TAAA", "UADMINTBBB", form)["view"])
    assert _count(settings, tables.workspace_settings, "TAAA") == 0

    saved = _submit(base, "TAAA", "UOWNERTAAA", form)
    assert saved["response_action"] == "update" and "Settings saved" in json.dumps(saved)
    assert store.get("TAAA") == WorkspaceSettings("C0DIGESTA", frozenset({"UADMINTAAA"}), False)
    assert store.get("TBBB") == defaults(settings)
    checks = double.calls("users.info")
    assert [c.body["user"] for c in checks] == ["UMEMBERTAAA", "UADMINTBBB", "UOWNERTAAA"]


def test_settings_that_are_not_channels_or_people_are_refused_field_by_field(
    two_workspaces, double
):
    base, settings = two_workspaces
    form = _settings_form("not-a-channel", ["<!here>"], "maybe")
    answer = _submit(base, "TAAA", "UADMINTAAA", form)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {CHANNEL_BLOCK, CURATORS_BLOCK, LOG_BLOCK}
    assert _count(settings, tables.workspace_settings, "TAAA") == 0


# -- the settings in use ---------------------------------------------------------------------


def test_a_workspace_that_turns_its_query_log_off_is_not_logged(two_workspaces, double):
    base, settings = two_workspaces
    _submit(base, "TAAA", "UADMINTAAA", _settings_form(log="off"))
    for team in ("TAAA", "TBBB"):
        _ask(base, double, team, "foster placements for older children", f"q-{team}")
    wait_until(lambda: _count(settings, tables.queries, "TBBB") == 1)
    assert _count(settings, tables.queries, "TAAA") == 0


def test_curators_are_each_workspaces_own(two_workspaces, double):
    base, _ = two_workspaces
    _submit(base, "TAAA", "UADMINTAAA", _settings_form(users=["UCURATOR"]))
    for team in ("TAAA", "TBBB"):
        event = payloads.event_callback(payloads.app_home_opened(user="UCURATOR"))
        send(base, for_team(event, team))
    double.wait_for(lambda r: sum(x.name == "views.publish" for x in r) == 2)
    views = {p.token: json.dumps(p.body["view"]) for p in double.calls("views.publish")}
    (aaa,), (bbb,) = double.tokens_of("TAAA"), double.tokens_of("TBBB")
    assert "For curators" in views[aaa]
    assert "For curators" not in views[bbb]
