"""Many workspaces (OAuth installs): each request bound to its workspace's settings,
the settings modal (`/inspection settings`, for workspace admins and owners), and a
workspace forgotten when it uninstalls the app or revokes its tokens.

In single-workspace token mode none of this changes anything: requests use the
deployment's settings, `/inspection settings` is a question like any other, and an
uninstall is only logged.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from logging import Logger

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ....db.engine import engine_for
from ....render.blocks import text_message
from ....render.settings import (
    ADMINS_ONLY,
    COULD_NOT_CHECK,
    FIELD_BLOCKS,
    SETTINGS_MODAL,
    notice_modal,
    saved_modal,
    settings_modal,
    submitted_values,
)
from ....workspaces import (
    InvalidSettings,
    WorkspaceQueryLog,
    WorkspaceSettings,
    WorkspaceSettingsStore,
    defaults,
    forget_workspace,
    validate,
)
from ..commands import COMMAND

SETTINGS_WORD = "settings"
# How long a process trusts the workspace settings it read (seconds): an admin's
# change reaches every replica within this, and a database that is down costs one
# try per workspace per interval, not one per request.
SETTINGS_TTL = 10.0


class _SettingsCache:
    """Workspace settings per process, read at most once per SETTINGS_TTL per
    workspace; when the database cannot be read, the last known (or the defaults)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], tuple[float, WorkspaceSettings]] = {}

    def get(
        self, store: WorkspaceSettingsStore, url: str, team_id: str, logger
    ) -> WorkspaceSettings:
        key = (url, team_id)
        now = time.monotonic()
        with self._lock:
            known = self._known.get(key)
        if known and now - known[0] < SETTINGS_TTL:
            return known[1]
        try:
            chosen = store.get(team_id)
        except Exception:
            logger.exception("could not read the settings of workspace %s", team_id)
            chosen = known[1] if known else store.fallback
        with self._lock:
            self._known[key] = (now, chosen)
        return chosen

    def forget(self, url: str, team_id: str) -> None:
        with self._lock:
            self._known.pop((url, team_id), None)


_cache = _SettingsCache()


def _store(settings) -> WorkspaceSettingsStore:
    return WorkspaceSettingsStore(engine_for(settings.state_url), fallback=defaults(settings))


def for_workspace(services, team_id: str, chosen: WorkspaceSettings):
    """The bot's services as workspace `team_id` has them: its digest channel, its
    curators and its query log (on or off, and its own rows)."""
    settings = dataclasses.replace(
        services.settings,
        digest_channel=chosen.digest_channel,
        curator_users=frozenset(chosen.curator_users),
        query_log=bool(chosen.query_log and services.query_log.enabled),
    )
    return dataclasses.replace(
        services,
        settings=settings,
        query_log=WorkspaceQueryLog(services.query_log, team_id, enabled=chosen.query_log),
    )


def bind_workspace(context: BoltContext, logger: Logger, next):  # noqa: A002 - bolt's name
    """With OAuth: every listener sees the services of the request's workspace."""
    services = context.get("services")
    team_id = context.team_id
    if services is not None and services.settings.oauth and team_id:
        chosen = _cache.get(_store(services.settings), services.settings.state_url, team_id, logger)
        context["services"] = for_workspace(services, team_id, chosen)
    return next()


# -- who may change the settings -------------------------------------------------------


def is_admin(client: WebClient, user: str) -> bool:
    """Whether `user` is an admin or owner of the workspace (users.info, with the
    workspace's own token): someone Slack does not know there is not. Raises
    SlackApiError when Slack cannot say."""
    try:
        info = client.users_info(user=user)
    except SlackApiError as error:
        if error.response is not None and error.response.get("error") == "user_not_found":
            return False
        raise
    member = info.get("user") or {}
    return bool(member.get("is_admin") or member.get("is_owner") or member.get("is_primary_owner"))


def _settings_command(command: dict, context: BoltContext) -> bool:
    services = context.get("services")
    text = command.get("text") if isinstance(command, dict) else None
    return bool(
        services is not None
        and services.settings.oauth
        and isinstance(text, str)
        and text.strip().lower() == SETTINGS_WORD
    )


def open_settings(
    ack: Ack, command: dict, context: BoltContext, client: WebClient, logger: Logger
) -> None:
    """`/inspection settings`: the form for an admin, a kind word for anyone else."""
    ack()
    services = context["services"]
    team_id, user = context.team_id, command.get("user_id")
    try:
        allowed = isinstance(user, str) and is_admin(client, user)
    except SlackApiError:
        logger.exception("users.info failed for the settings command")
        services.respond(command["response_url"], text_message(COULD_NOT_CHECK))
        return
    if not allowed:
        services.respond(command["response_url"], text_message(ADMINS_ONLY))
        return
    current = _store(services.settings).get(team_id)
    view = settings_modal(current, log_available=_log_on(services))
    try:
        client.views_open(trigger_id=command["trigger_id"], view=view)
    except (SlackApiError, KeyError):
        logger.exception("could not open the settings modal")


def _log_on(services) -> bool:
    """Whether the deployment keeps a query log at all (QUERY_LOG), under the
    workspace's own view of it."""
    shared = getattr(services.query_log, "shared", services.query_log)
    return bool(shared.enabled)


def settings_submitted(
    ack: Ack, body: dict, view: dict, context: BoltContext, client: WebClient, logger: Logger
) -> None:
    """The form sent: saved only for a workspace admin or owner, and only when valid."""
    services = context["services"]
    team_id = context.team_id
    user = (body.get("user") or {}).get("id")
    if not team_id or not services.settings.oauth:
        ack(response_action="update", view=notice_modal("Not saved", ADMINS_ONLY))
        return
    try:
        allowed = isinstance(user, str) and is_admin(client, user)
    except SlackApiError:
        logger.exception("users.info failed for a settings submission")
        ack(response_action="update", view=notice_modal("Not saved", COULD_NOT_CHECK))
        return
    if not allowed:
        logger.warning("refused workspace settings from %s in %s: not an admin", user, team_id)
        ack(response_action="update", view=notice_modal("Not saved", ADMINS_ONLY))
        return
    try:
        chosen = validate(**submitted_values(view))
    except InvalidSettings as error:
        errors = {FIELD_BLOCKS[field]: message for field, message in error.errors.items()}
        ack(response_action="errors", errors=errors)
        return
    store = _store(services.settings)
    try:
        store.save(team_id, chosen, updated_by=user)
    except Exception:
        logger.exception("could not save the settings of workspace %s", team_id)
        ack(response_action="update", view=notice_modal("Not saved", COULD_NOT_CHECK))
        return
    _cache.forget(services.settings.state_url, team_id)
    ack(response_action="update", view=saved_modal(chosen))
    services.answered(context)


# -- a workspace that goes ---------------------------------------------------------------


def _forget(context: BoltContext, body: dict, logger: Logger, why: str) -> None:
    services = context["services"]
    team_id = context.team_id or body.get("team_id")
    if not services.settings.oauth:
        logger.info("%s in the bot's one workspace; SLACK_BOT_TOKEN stays as it is", why)
        return
    if not isinstance(team_id, str) or not team_id:
        logger.warning("%s without a workspace id; nothing deleted", why)
        return
    deleted = forget_workspace(engine_for(services.settings.state_url), team_id)
    _cache.forget(services.settings.state_url, team_id)
    services.answered(context)  # a retry of this event has nothing left to do
    logger.info("%s: forgot workspace %s (%s)", why, team_id, deleted)


def app_uninstalled(body: dict, context: BoltContext, logger: Logger) -> None:
    _forget(context, body, logger, "the app was uninstalled")


def tokens_revoked(body: dict, event: dict, context: BoltContext, logger: Logger) -> None:
    """The bot's token revoked: the workspace is forgotten. Only users' tokens
    revoked (the bot asks for none, but an install might have): their installations."""
    tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
    if tokens.get("bot"):
        _forget(context, body, logger, "the bot's tokens were revoked")
        return
    users = [u for u in tokens.get("oauth") or [] if isinstance(u, str)]
    services = context["services"]
    if users and services.settings.oauth and context.team_id:
        from ...oauth import installation_store

        store = installation_store(services.settings)
        for user in users:
            store.delete_installation(
                enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user
            )
        services.answered(context)
        logger.info("deleted %d user installation(s) in %s", len(users), context.team_id)


# The events this package answers, as the manifest subscribes to them.
EVENTS = {"app_uninstalled": app_uninstalled, "tokens_revoked": tokens_revoked}


def register(app: App) -> None:
    app.middleware(bind_workspace)
    app.command(COMMAND, matchers=[_settings_command])(open_settings)
    app.view_submission(SETTINGS_MODAL)(settings_submitted)
    for event, listener in EVENTS.items():
        app.event(event)(listener)
