"""The workspace settings modal (many workspaces): the digest channel, the curators
and whether questions are logged. Pure: settings in, a view dict out; and the
submitted view's state read back into plain values (checked by bot/workspaces.py,
never trusted here).
"""

from __future__ import annotations

from ..workspaces import WorkspaceSettings
from .blocks import _context, _section

SETTINGS_MODAL = "workspace_settings_modal"
SETTINGS_DONE = "workspace_settings_done"
CHANNEL_BLOCK = "digest_channel"
CHANNEL_ACTION = "digest_channel"
CURATORS_BLOCK = "curator_users"
CURATORS_ACTION = "curator_users"
LOG_BLOCK = "query_log"
LOG_ACTION = "query_log"
# What a field's error is shown under: the field name bot/workspaces.validate uses
# -> the modal's block id.
FIELD_BLOCKS = {
    "digest_channel": CHANNEL_BLOCK,
    "curator_users": CURATORS_BLOCK,
    "query_log": LOG_BLOCK,
}

ADMINS_ONLY = (
    "Only a workspace admin or owner can change inspection-bot's settings for this "
    "workspace. Ask one of them if something should change."
)
COULD_NOT_CHECK = (
    "Sorry, I couldn't check that you are a workspace admin just now, so nothing was "
    "saved. Please try again in a minute."
)


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": False}


def _option(value: str, label: str) -> dict:
    return {"text": _plain(label), "value": value}


_LOG_OPTIONS = {
    "on": "On: questions are kept for 8 weeks (never who asked) for the curators",
    "off": "Off: questions from this workspace are not logged",
}


def settings_modal(current: WorkspaceSettings, *, log_available: bool = True) -> dict:
    """The form, filled in with the workspace's current settings."""
    channel = {
        "type": "conversations_select",
        "action_id": CHANNEL_ACTION,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "placeholder": _plain("No weekly digest"),
    }
    if current.digest_channel:
        channel["initial_conversation"] = current.digest_channel
    curators = {
        "type": "multi_users_select",
        "action_id": CURATORS_ACTION,
        "placeholder": _plain("Nobody"),
    }
    if current.curator_users:
        curators["initial_users"] = sorted(current.curator_users)
    log_state = "on" if current.query_log and log_available else "off"
    log_field = {
        "type": "radio_buttons",
        "action_id": LOG_ACTION,
        "options": [_option(k, v) for k, v in _LOG_OPTIONS.items()],
        "initial_option": _option(log_state, _LOG_OPTIONS[log_state]),
    }
    blocks = [
        _section(
            "These settings are for this workspace only. Only workspace admins and "
            "owners can save them."
        ),
        {
            "type": "input",
            "block_id": CHANNEL_BLOCK,
            "optional": True,
            "label": _plain("Weekly digest channel"),
            "hint": _plain("The bot posts the weekly digest here. Invite it to the channel."),
            "element": channel,
        },
        {
            "type": "input",
            "block_id": CURATORS_BLOCK,
            "optional": True,
            "label": _plain("Curators"),
            "hint": _plain(
                "They see, on the bot's Home tab, how many questions went unanswered "
                "or unhelped this week: counts only, never a question."
            ),
            "element": curators,
        },
        {
            "type": "input",
            "block_id": LOG_BLOCK,
            "label": _plain("Query log"),
            "element": log_field,
        },
    ]
    if not log_available:
        blocks.append(
            _context("This deployment keeps no query log (QUERY_LOG=off), whatever is chosen here.")
        )
    return {
        "type": "modal",
        "callback_id": SETTINGS_MODAL,
        "title": _plain("Workspace settings"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def notice_modal(title: str, text: str) -> dict:
    """What replaces the form after it was sent: saved, or why not."""
    return {
        "type": "modal",
        "callback_id": SETTINGS_DONE,
        "title": _plain(title[:24]),
        "close": _plain("Close"),
        "blocks": [_section(text)],
    }


def saved_modal(chosen: WorkspaceSettings) -> dict:
    channel = f"<#{chosen.digest_channel}>" if chosen.digest_channel else "none"
    curators = ", ".join(f"<@{u}>" for u in sorted(chosen.curator_users)) or "nobody"
    log = "on" if chosen.query_log else "off"
    return notice_modal(
        "Settings saved",
        f"Saved for this workspace.\n• Weekly digest: {channel}\n• Curators: {curators}\n"
        f"• Query log: {log}",
    )


def submitted_values(view: object) -> dict:
    """The form's raw values, as sent (each None when missing or of the wrong shape):
    `digest_channel` a string or None, `curator_users` a list, `query_log` a bool."""
    values = {}
    state = view.get("state") if isinstance(view, dict) else None
    raw = state.get("values") if isinstance(state, dict) else None
    raw = raw if isinstance(raw, dict) else {}

    def field(block: str, action: str) -> dict:
        found = raw.get(block)
        found = found.get(action) if isinstance(found, dict) else None
        return found if isinstance(found, dict) else {}

    channel = field(CHANNEL_BLOCK, CHANNEL_ACTION)
    values["digest_channel"] = channel.get("selected_conversation", channel.get("selected_channel"))
    users = field(CURATORS_BLOCK, CURATORS_ACTION).get("selected_users")
    values["curator_users"] = [] if users is None else users
    option = field(LOG_BLOCK, LOG_ACTION).get("selected_option")
    chosen = option.get("value") if isinstance(option, dict) else None
    values["query_log"] = (
        {"on": True, "off": False}.get(chosen) if isinstance(chosen, str) else None
    )
    return values
