"""The local console: type what you would type in Slack, see what the bot posts.

Each line goes through the bolt App's own dispatch (signed like a real request),
and its Web API calls are answered by an in-process Slack double, so the console
runs exactly the listeners Slack would. Buttons are offered as numbered choices.
When standard input is not a terminal there are no prompts: each line is
answered and the console exits at the end of input, so a script can drive it.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, replace
from typing import TextIO

from rich.console import Console
from rich.markup import escape as rich_escape
from slack_bolt.request import BoltRequest

from ..config import Settings
from . import payloads
from .app import create_app
from .double import Recorded, SlackDouble
from .services import BotServices

SECRET = "console-signing-secret"
CONSOLE_USER = "UUSER1"  # who the console's lines come from
BOT_NAMES = ("@inspection-bot", "@inspection", "@bot")
_LINK = re.compile(r"<([^|>]+)\|([^>]+)>")


@dataclass(frozen=True)
class _Choice:
    """Something a number presses: a button, a feedback button, or a modal's option."""

    action_id: str
    value: str
    ephemeral: bool = True
    thread_ts: str | None = None
    # "button", "feedback_buttons", "option" (a modal's) or "prompt" (a suggested one)
    element: str = "button"
    modal: dict | None = None  # for an option: the modal it submits


def _plain(mrkdwn: str) -> str:
    """Slack mrkdwn to terminal text: links as 'label (url)', entities decoded."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", mrkdwn)
    return html.unescape(text.replace("*", ""))


class ConsoleSession:
    def __init__(self, settings: Settings, out: Console):
        self.out = out
        self.double = SlackDouble().start()
        self.settings = replace(
            settings,
            slack_bot_token="xoxb-local-console",
            slack_signing_secret=SECRET,
            slack_app_token=None,
            slack_api_url=self.double.api_url,
            query_log=False,  # a local tool, like the command line: nothing is logged
        )
        self.services = BotServices.create(self.settings, background=False)
        self.app = create_app(self.settings, self.services, process_before_response=True)
        self.choices: list[_Choice] = []
        self._seen = len(self.double.records)
        self._replies = 0
        self._acked: dict | None = None
        self._updated_view: dict | None = None
        # The channel thread of the last mention: plain lines continue it (follow-ups).
        self._thread: str | None = None

    def close(self) -> None:
        self.double.stop()

    # -- input --------------------------------------------------------------------------

    def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.isdigit() and self.choices:
            self._press(int(line))
        elif line.lower() in ("home", "messages"):  # open the app's Home or Messages tab
            self._thread = None
            event = payloads.app_home_opened(user=CONSOLE_USER, tab=line.lower())
            self._dispatch(*payloads.event_callback(event))
        elif line.startswith("/inspection"):
            self._thread = None
            text = line[len("/inspection") :].strip()
            body, kind = payloads.slash_command(text, response_url=self._response_url())
            self._dispatch(body, kind)
        elif line.lower().startswith(BOT_NAMES):
            text = line.split(None, 1)[1] if " " in line else ""
            mention = f"<@{self.double.bot_user_id}> {text}"
            event = payloads.app_mention(mention, thread_ts=self._thread)
            self._thread = self._thread or event["ts"]
            self._dispatch(*payloads.event_callback(event))
        elif self._thread:  # a reply in the mention's thread, without a mention
            event = payloads.channel_message(line, thread_ts=self._thread, user=CONSOLE_USER)
            self._dispatch(*payloads.event_callback(event))
        else:
            self._dispatch(*payloads.event_callback(payloads.direct_message(line)))
        self._show_new()

    def _response_url(self) -> str:
        self._replies += 1
        return self.double.response_url(f"console-{self._replies}")

    def _press(self, number: int) -> None:
        if not 1 <= number <= len(self.choices):
            self.out.print(f"[yellow]Choose 1 to {len(self.choices)}.[/yellow]")
            return
        choice = self.choices[number - 1]
        if choice.element == "prompt":  # a suggested prompt: sent as the user's DM
            self._dispatch(*payloads.event_callback(payloads.direct_message(choice.value)))
            return
        if choice.element == "option":  # submit the modal with this option chosen
            modal = choice.modal or {}
            body, kind = payloads.view_submission(
                modal.get("callback_id", ""),
                private_metadata=modal.get("private_metadata", ""),
                values=payloads.radio_choice(choice.action_id, choice.action_id, choice.value),
                user=CONSOLE_USER,
            )
        else:
            body, kind = payloads.block_action(
                choice.action_id,
                choice.value,
                response_url=self._response_url(),
                channel="DDIRECT1",
                ephemeral=choice.ephemeral,
                thread_ts=choice.thread_ts,
                element=choice.element,
            )
        self._dispatch(body, kind)

    def _dispatch(self, body: str, content_type: str) -> None:
        headers = payloads.signed_headers(body, SECRET, content_type=content_type)
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        if response.status >= 400:
            self.out.print(f"[red]The bot refused the request ({response.status}).[/red]")
        elif response.body and response.body.lstrip().startswith("{"):
            acked = json.loads(response.body)
            if acked.get("response_action") == "update":  # a modal replaced on submit
                self._updated_view = acked.get("view") or {}
            elif acked.get("response_action") != "errors":
                # A slash command answered in its ack: show it like an ephemeral reply.
                self._acked = acked

    # -- output ---------------------------------------------------------------------------

    def _show_new(self) -> None:
        records = self.double.records[self._seen :]
        self._seen = len(self.double.records)
        self.choices = []
        if self._acked:
            records = [Recorded("response_url", "ack", self._acked, 0.0), *records]
            self._acked = None
        if self._updated_view:
            update = Recorded("api", "views.update", {"view": self._updated_view}, 0.0)
            records = [update, *records]
            self._updated_view = None
        for record in records:
            if (
                record.name in ("chat.postMessage", "chat.postEphemeral")
                or record.kind == "response_url"
            ):
                self._show_message(record)
            elif record.name in ("views.open", "views.publish", "views.update"):
                self._show_view(record.body.get("view") or {})
            elif record.name == "assistant.threads.setStatus" and record.body.get("status"):
                self.out.print(f"[dim italic]… {rich_escape(record.body['status'])}[/dim italic]")
            elif record.name == "assistant.threads.setSuggestedPrompts":
                self._show_prompts(record.body)

    def _show_message(self, record: Recorded) -> None:
        body = record.body
        public = record.name == "chat.postMessage"
        where = (
            "in the thread"
            if body.get("thread_ts")
            else ("posted" if public else "only you can see this")
        )
        self.out.print(f"[dim]── inspection-bot ({where}) ──[/dim]")
        blocks = body.get("blocks") or []
        if not blocks:
            self.out.print(_plain(body.get("text") or ""), markup=False)
        thread = body.get("thread_ts")
        for block in blocks:
            self._show_block(block, ephemeral=not public, thread_ts=thread)
        self.out.print()

    def _show_view(self, view: dict) -> None:
        title = (view.get("title") or {}).get("text", "")
        if view.get("type") == "home":
            title = "Home tab"
        self.out.print(f"[bold reverse] {rich_escape(title)} [/bold reverse]")
        for block in view.get("blocks") or []:
            if block.get("type") == "input":
                self._offer_options(block, view)
            else:
                self._show_block(block, ephemeral=True, thread_ts=None)
        self.out.print()

    def _show_prompts(self, body: dict) -> None:
        """The Messages tab's suggested prompts: each a number that sends it."""
        self.out.print(f"[bold]{rich_escape(body.get('title') or 'Suggested prompts')}[/bold]")
        for prompt in body.get("prompts") or []:
            self._offer_choice(_Choice("", prompt["message"], element="prompt"), prompt["title"])
        self.out.print()

    def _offer_options(self, block: dict, view: dict) -> None:
        """A modal's radio buttons: each option a number that submits the modal."""
        self.out.print(_plain(block.get("label", {}).get("text", "")), markup=False)
        element = block.get("element") or {}
        for option in element.get("options") or []:
            choice = _Choice(element.get("action_id", ""), option["value"], element="option")
            self.choices.append(replace(choice, modal=view))
            label = rich_escape(option["text"]["text"])
            self.out.print(f"   [cyan]\\[{len(self.choices)}] {label}[/cyan]")

    def _show_block(self, block: dict, *, ephemeral: bool, thread_ts: str | None) -> None:
        kind = block.get("type")
        if kind == "header":
            self.out.print(
                f"[bold underline]{html.unescape(block['text']['text'])}[/bold underline]"
            )
        elif kind == "section":
            if block.get("text"):
                self.out.print(_plain(block["text"]["text"]), markup=False)
            for i in range(0, len(block.get("fields") or []), 2):
                pair = block["fields"][i : i + 2]
                self.out.print("   " + " — ".join(_plain(f["text"]) for f in pair), markup=False)
            if block.get("accessory", {}).get("type") == "button":
                self._offer(block["accessory"], ephemeral, thread_ts)
        elif kind == "context":
            text = "  ".join(_plain(e.get("text", "")) for e in block.get("elements", []))
            self.out.print(f"[dim]{rich_escape(text)}[/dim]")
        elif kind == "divider":
            self.out.print("[dim]" + "─" * 40 + "[/dim]")
        elif kind == "actions":
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    self._offer(element, ephemeral, thread_ts)
        elif kind == "context_actions":
            for element in block.get("elements", []):
                if element.get("type") == "feedback_buttons":
                    for side, label in (("positive", "Helpful"), ("negative", "Not helpful")):
                        button = element[f"{side}_button"]
                        text = f"{button['text']['text']} {label}"
                        self._offer_choice(
                            _Choice(
                                element["action_id"],
                                button["value"],
                                ephemeral,
                                thread_ts,
                                element="feedback_buttons",
                            ),
                            text,
                        )

    def _offer(self, button: dict, ephemeral: bool, thread_ts: str | None) -> None:
        choice = _Choice(button["action_id"], button.get("value", ""), ephemeral, thread_ts)
        self._offer_choice(choice, button["text"]["text"])

    def _offer_choice(self, choice: _Choice, label: str) -> None:
        self.choices.append(choice)
        self.out.print(f"   [cyan]\\[{len(self.choices)}] {rich_escape(label)}[/cyan]")


def run_console(
    settings: Settings, *, stdin: TextIO | None = None, console: Console | None = None
) -> int:
    stdin = stdin or sys.stdin
    out = console or Console()
    interactive = stdin.isatty()
    session = ConsoleSession(settings, out)
    try:
        if interactive:
            out.print(
                "[bold]inspection-bot[/bold], local console (no Slack tokens set). Type "
                "[cyan]/inspection <question>[/cyan], [cyan]@inspection-bot <question>[/cyan], or "
                "just a question (a DM; after a mention, a follow-up in its thread). "
                "[cyan]home[/cyan] and [cyan]messages[/cyan] open those tabs. Numbers press "
                "buttons. Ctrl-D to quit.\n"
            )
        while True:
            if interactive:
                out.print("[bold green]you>[/bold green] ", end="")
            line = stdin.readline()
            if not line:
                break
            if line.strip().lower() in ("quit", "exit") and interactive:
                break
            session.handle(line)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
    return 0
