"""@-mentions (answered in the mention's thread, which the bot then follows: a
later message there without a mention is answered as a follow-up), the agent DM
(each question answered in its thread, with a loading status), and the app's Home
and Messages tabs being opened (the Home view; suggested prompts)."""

from __future__ import annotations

from logging import Logger

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ....render.home import PROMPTS_TITLE
from ...incoming import question_from_slack
from ...services import APOLOGY, team_of


def _from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype"))


def _post(
    client: WebClient,
    logger: Logger,
    context: dict,
    *,
    channel: str,
    thread_ts: str | None,
    message,
) -> None:
    """Post the answer (or, when Slack refuses it, an apology), and once one of them
    is posted, mark the event answered in the ledger."""
    try:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError:
        logger.exception("could not post the answer to %s", channel)
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=APOLOGY)
        except SlackApiError:
            logger.exception("could not post the apology either")
            return
    context["services"].answered(context)


def app_mention(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    if _from_a_bot(event) and event.get("subtype") != "thread_broadcast":
        return
    question = question_from_slack(event.get("text"))
    # In the mention's thread: a reply to a mention inside a thread stays there.
    thread = event.get("thread_ts") or event.get("ts")
    reply = context["services"].mention_reply(
        event["channel"], thread, question, team_id=team_of(context)
    )
    _post(client, logger, context, channel=event["channel"], thread_ts=thread, message=reply)


def _mentions(text: object, user: object) -> bool:
    return isinstance(text, str) and isinstance(user, str) and f"<@{user}" in text


def thread_followup(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    """A message in a channel thread the bot was mentioned in, without a mention of
    its own (a mention is answered as one), read with the thread's last question.
    Never in a thread the bot was not asked into; not past FOLLOWUP_LIMIT answers or
    seven days; never for bots, edits or other subtypes, or the bot's own posts."""
    services = context["services"]
    bot_user = context.get("bot_user_id")
    if services.threads is None or _from_a_bot(event) or event.get("user") == bot_user:
        return
    channel, thread = event.get("channel"), event.get("thread_ts")
    if not thread or thread == event.get("ts"):
        return  # not a reply in a thread
    if _mentions(event.get("text"), bot_user):
        return  # the app_mention event answers it
    reply = services.follow_up_reply(
        channel, thread, question_from_slack(event.get("text")), team_id=team_of(context)
    )
    if reply is not None:
        _post(client, logger, context, channel=channel, thread_ts=thread, message=reply)


def message(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    """Every message event: the agent DM, or a reply in a channel thread."""
    if event.get("channel_type") == "im":
        direct_message(event, context, client, logger)
    elif event.get("channel_type") in ("channel", "group"):
        thread_followup(event, context, client, logger)


LOADING = "Searching the reports…"


def _set_status(client: WebClient, logger: Logger, channel: str, thread: str, text: str) -> bool:
    """The agent's loading status in a DM thread ("" clears it). Best effort: a
    workspace without the agent features refuses it, and the answer goes out anyway."""
    try:
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread, status=text)
    except SlackApiError as error:
        reason = error.response.get("error") if error.response else error
        logger.info("could not set the loading status in %s: %s", channel, reason)
        return False
    return True


def direct_message(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    """The agent DM: each question is answered in its own thread (a reply inside a
    thread stays there), with a loading status while the reports are searched."""
    if event.get("channel_type") != "im" or _from_a_bot(event):
        return
    question = question_from_slack(event.get("text"))
    channel = event["channel"]
    thread = event.get("thread_ts") or event.get("ts")
    thread = thread if isinstance(thread, str) and thread else None
    loading = bool(thread) and _set_status(client, logger, channel, thread, LOADING)
    try:
        reply = context["services"].command_reply(
            question, ephemeral=False, team_id=team_of(context)
        )
        _post(client, logger, context, channel=channel, thread_ts=thread, message=reply)
    finally:
        if loading:  # posting a reply clears it too; this also covers a failed post
            _set_status(client, logger, channel, thread, "")


def app_home_opened(event: dict, context: dict, client: WebClient, logger: Logger) -> None:
    """The Home tab: published for the user who opened it (curators see more)."""
    user = event.get("user")
    if not isinstance(user, str) or not user:
        return
    services = context["services"]
    if event.get("tab") == "home":
        view = services.home_view(user, team_id=team_of(context))
        try:
            client.views_publish(user_id=user, view=view)
        except SlackApiError:
            logger.exception("could not publish the Home tab")
            return
        services.answered(context)
    elif event.get("tab") == "messages" and isinstance(event.get("channel"), str):
        # The agent DM: prompts drawn from the knowledge. No thread_ts: in the agent
        # messaging experience they belong to the DM, not to a thread.
        prompts = services.suggested_prompts()
        if not prompts:
            return
        try:
            client.assistant_threads_setSuggestedPrompts(
                channel_id=event["channel"], prompts=prompts, title=PROMPTS_TITLE
            )
        except SlackApiError as error:
            reason = error.response.get("error") if error.response else error
            logger.info("could not set suggested prompts: %s", reason)
            return
        services.answered(context)


# The events this package answers, as the manifest subscribes to them.
EVENTS = {
    "app_mention": app_mention,
    "message": message,
    "app_home_opened": app_home_opened,
}


def register(app: App) -> None:
    for event, listener in EVENTS.items():
        app.event(event)(listener)
