"""Slack's own surfaces, through the bot under gunicorn with signed requests, against
the Slack API double: the Home tab (views.publish), feedback buttons and their
reason modal (views.open, view_submission), and the agent DM (suggested prompts,
a loading status, answers in the DM's thread).

One bot serves the whole module; each test tells its calls apart by user, channel
or response_url name."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.db.engine import engine_for, sqlite_url
from bot.querylog import QueryLog
from bot.render.blocks import FEEDBACK
from bot.render.feedback import FEEDBACK_MODAL, REASON_ACTION, REASON_BLOCK
from bot.slack import payloads
from bot.slack.incoming import question_from_slack
from tests.conftest import displayed_texts
from tests.security.front_door import served_bot
from tests.slack.conftest import built_data, env_for, send  # noqa: F401

CURATOR = "UCURATOR1"
HOSTILE = "<!channel> <https://evil.example|click> Jane Doe " + "x" * 40_000


@pytest.fixture(scope="module")
def served(built_data, tmp_path_factory):  # noqa: F811
    with served_bot(built_data, tmp_path_factory.mktemp("surfaces"), CURATOR_USERS=CURATOR) as (
        bot,
        double,
        data,
    ):
        yield bot, double, data


def _calls(double, method: str, **match) -> list[dict]:
    return [
        c.body
        for c in double.calls(method)
        if all(c.body.get(key) == value for key, value in match.items())
    ]


def _wait(double, method: str, count: int = 1, **match) -> list[dict]:
    double.wait_for(lambda _: len(_calls(double, method, **match)) >= count, timeout=30)
    return _calls(double, method, **match)


def _open_home(bot, double, user: str) -> dict:
    before = len(_calls(double, "views.publish", user_id=user))
    event = payloads.event_callback(payloads.app_home_opened(user=user, tab="home"))
    assert send(bot.base, event)[0] == 200
    view = _wait(double, "views.publish", before + 1, user_id=user)[-1]["view"]
    View(**view).validate_json()
    assert len(view["blocks"]) <= 100
    return view


def test_opening_the_home_tab_publishes_the_home_view_for_that_user(served):
    bot, double, _ = served
    view = _open_home(bot, double, "UREADER1")
    text = "\n".join(displayed_texts(view["blocks"]))
    assert view["type"] == "home"
    assert "Ofsted inspection of children's services, 2017" in text
    assert "• Adoption performance: *Good*" in text
    assert "This week's spotlight" in text and "How to ask" in text
    assert "For curators" not in text
    # Opened again: the same view (cached until the knowledge or the week changes; a
    # week that turned over in between, as under CI's shifted clock, is a new view).
    again = _open_home(bot, double, "UREADER1")
    week = re.compile(r"This week's spotlight\* \((\d{4}-W\d\d)\)")
    if week.findall(json.dumps(again)) == week.findall(json.dumps(view)):
        assert again == view


def test_curators_see_this_weeks_counts_but_never_a_question(served):
    bot, double, _ = served
    body = payloads.slash_command(HOSTILE, response_url=double.response_url("home-q"))
    assert send(bot.base, body)[0] == 200
    double.wait_for(lambda r: any(x.name == "/response/home-q" for x in r), timeout=30)
    view = _open_home(bot, double, CURATOR)
    dumped = json.dumps(view)
    assert "For curators" in dumped and "Drafts awaiting review" in dumped
    assert "unanswered" in dumped and "marked not helpful" in dumped
    assert "Jane Doe" not in dumped and "<!channel>" not in dumped and "evil.example" not in dumped


# -- feedback: Slack's feedback buttons, and the modal a thumbs down opens ------------


def _answer(bot, double, text: str, name: str) -> dict:
    body = payloads.slash_command(text, response_url=double.response_url(name))
    assert send(bot.base, body)[0] == 200
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r), timeout=30)
    return double.calls(f"/response/{name}")[0].body


def _feedback_value(reply: dict, side: str) -> str:
    block = reply["blocks"][-1]
    assert block["type"] == "context_actions"
    (element,) = block["elements"]
    assert element["type"] == "feedback_buttons" and element["action_id"] == FEEDBACK
    return element[f"{side}_button"]["value"]


def _press_feedback(bot, double, reply: dict, side: str, name: str) -> None:
    body = payloads.block_action(
        FEEDBACK,
        _feedback_value(reply, side),
        response_url=double.response_url(name),
        element="feedback_buttons",
    )
    assert send(bot.base, body)[0] == 200


def _modal_for(double, question: str) -> dict:
    def mine():
        return [
            c.body["view"]
            for c in double.calls("views.open")
            if c.body["view"].get("callback_id") == FEEDBACK_MODAL
            and json.loads(c.body["view"]["private_metadata"])["q"] == question
        ]

    double.wait_for(lambda _: bool(mine()), timeout=30)
    view = mine()[-1]
    View(**view).validate_json()
    return view


def _submit(bot, view: dict, reason: str, **extra) -> dict:
    values = payloads.radio_choice(REASON_BLOCK, REASON_ACTION, reason)
    body = payloads.view_submission(
        FEEDBACK_MODAL, private_metadata=view["private_metadata"], values=values, **extra
    )
    status, text = send(bot.base, body)
    assert status == 200
    return json.loads(text) if text else {}


def _logged(data, question: str) -> list:
    return [e for e in QueryLog(engine_for(sqlite_url(data))).entries() if e.query == question]


def test_every_answer_ends_with_slacks_feedback_buttons(served):
    bot, double, _ = served
    reply = _answer(bot, double, "out of hours", "fb-blocks")
    for block in reply["blocks"]:
        Block.parse(block).validate_json()
    assert "not_helpful" not in json.dumps(reply)  # the old button is gone
    assert json.loads(_feedback_value(reply, "positive")) == {"f": "up"}


def test_a_thumbs_down_asks_what_was_wrong_and_logs_the_reason_never_posting(served):
    bot, double, data = served
    question = "supervision quality"
    reply = _answer(bot, double, question, "fb-down")
    _press_feedback(bot, double, reply, "negative", "fb-down-press")
    view = _modal_for(double, question)
    options = view["blocks"][-2]["element"]["options"]
    assert [o["text"]["text"] for o in options] == [
        "Wrong quote",
        "Wrong report",
        "Not what I asked",
        "Something missing",
    ]
    posts_before = len(double.calls("chat.postMessage"))
    answer = _submit(bot, view, "wrong_report")
    assert answer["response_action"] == "update"
    assert "Thank you" in json.dumps(answer["view"])
    View(**answer["view"]).validate_json()
    double.wait_for(lambda _: bool(_logged(data, question)) and len(_logged(data, question)) > 1)
    (entry,) = [e for e in _logged(data, question) if e.feedback]
    assert (entry.reason, len(entry.shown)) == ("wrong_report", 3)
    # Nothing went to a channel, nor to the user's response_url.
    assert len(double.calls("chat.postMessage")) == posts_before
    assert not double.calls("/response/fb-down-press")
    # `kb gaps` shows why.
    gaps = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "gaps"],
        env={**os.environ, "INSPECTION_BOT_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "supervision quality  (why: wrong report 1)" in gaps.stdout


def test_a_thumbs_up_opens_nothing_and_logs_nothing(served):
    bot, double, data = served
    reply = _answer(bot, double, "care leavers", "fb-up")
    opened = len(double.calls("views.open"))
    _press_feedback(bot, double, reply, "positive", "fb-up-press")
    time.sleep(0.5)
    assert len(double.calls("views.open")) == opened
    assert not double.calls("/response/fb-up-press")
    assert not [e for e in _logged(data, "care leavers") if e.feedback]


def test_a_hostile_question_in_the_modal_never_pings(served):
    bot, double, data = served
    # A user who types <!channel> and a link: Slack sends them escaped, and as tokens.
    typed = "&lt;!channel&gt; &lt;https://evil.example|click&gt; <!here> <https://x.example|y>"
    hostile = f"is the MASH coping? {typed} " + "MASH " * 8000
    reply = _answer(bot, double, hostile, "fb-hostile")
    _press_feedback(bot, double, reply, "negative", "fb-hostile-press")
    # Slack's link markup is read as its label, and questions are cut to 1,000
    # characters before they are searched or logged.
    question = question_from_slack(hostile)[:1000]
    view = _modal_for(double, question)
    assert len(view["private_metadata"]) <= 3000
    shown = "\n".join(displayed_texts(view["blocks"]))
    assert "<!channel>" not in shown and "<https://" not in shown and "<!here>" not in shown
    assert "&lt;!channel&gt; &lt;https://evil.example|click&gt;" in shown  # shown, inert


def test_a_forged_or_replayed_feedback_form_logs_nothing_more(served):
    bot, double, data = served
    question = "foster carers"
    reply = _answer(bot, double, question, "fb-forged")
    _press_feedback(bot, double, reply, "negative", "fb-forged-press")
    view = _modal_for(double, question)
    for metadata in ['{"q": "x", "o": -1}', "not json", '{"ids": ["../../etc"]}', "[" * 5000]:
        answer = _submit(bot, {"private_metadata": metadata}, "wrong_quote")
        assert "no longer works" in json.dumps(answer)
    assert _submit(bot, view, "<!channel>")["response_action"] == "errors"
    assert not [e for e in _logged(data, question) if e.feedback]
    # A genuine submission, then the same signed request replayed: logged once.
    _submit(bot, view, "missing", trigger_id="trigger-replayed1")
    _submit(bot, view, "missing", trigger_id="trigger-replayed1")
    time.sleep(0.5)
    assert [e.reason for e in _logged(data, question) if e.feedback] == ["missing"]


# -- the agent DM: suggested prompts, a loading status, answers in the DM's thread ---

STATUS = "assistant.threads.setStatus"
PROMPTS = "assistant.threads.setSuggestedPrompts"


def test_opening_the_messages_tab_suggests_prompts_from_the_knowledge(served):
    bot, double, _ = served
    opened = payloads.app_home_opened(user="UPROMPTS1", tab="messages", channel="DPROMPTS1")
    assert send(bot.base, payloads.event_callback(opened))[0] == 200
    (call,) = _wait(double, PROMPTS, channel_id="DPROMPTS1")
    assert "thread_ts" not in call  # the agent experience: prompts belong to the DM
    assert 3 <= len(call["prompts"]) <= 4 and call["title"]
    assert call["prompts"][0] == {
        "title": "The grades from the 2017 inspection",
        "message": "ratings",
    }
    assert all(set(p) == {"title", "message"} for p in call["prompts"])
    assert not _calls(double, "views.publish", user_id="UPROMPTS1")


def _dm(bot, double, text: str, channel: str, ts: str, **extra) -> dict:
    message = payloads.direct_message(text, channel=channel, ts=ts, **extra)
    assert send(bot.base, payloads.event_callback(message))[0] == 200
    return _wait(double, "chat.postMessage", channel=channel)[-1]


def test_a_dm_is_answered_in_its_thread_with_a_loading_status_set_and_cleared(served):
    bot, double, _ = served
    reply = _dm(bot, double, "what grade did adoption get", "DAGENT1", "1700000100.000100")
    assert reply["thread_ts"] == "1700000100.000100"
    assert "Adoption performance: Good" in json.dumps(reply["blocks"])
    assert reply["blocks"][-1]["type"] == "context_actions"  # feedback buttons
    _wait(double, STATUS, 2, channel_id="DAGENT1")
    statuses = [
        (c.body["thread_ts"], c.body["status"], c.at)
        for c in double.calls(STATUS)
        if c.body["channel_id"] == "DAGENT1"
    ]
    posted_at = next(
        c.at for c in double.calls("chat.postMessage") if c.body["channel"] == "DAGENT1"
    )
    (thread, loading, set_at), (_, cleared, _) = statuses
    assert (thread, loading, cleared) == ("1700000100.000100", "Searching the reports…", "")
    assert set_at <= posted_at


def test_a_reply_in_a_dm_thread_is_answered_in_that_thread(served):
    bot, double, _ = served
    reply = _dm(
        bot,
        double,
        "care leavers",
        "DAGENT2",
        "1700000200.000300",
        thread_ts="1700000200.000100",
    )
    assert reply["thread_ts"] == "1700000200.000100"
    statuses = _wait(double, STATUS, 1, channel_id="DAGENT2")
    assert statuses[0]["thread_ts"] == "1700000200.000100"


def test_a_refused_status_never_stops_the_answer(served):
    bot, double, _ = served
    double.fail(STATUS, error="missing_scope", times=2)
    reply = _dm(bot, double, "out of hours", "DAGENT3", "1700000300.000100")
    assert reply["thread_ts"] == "1700000300.000100" and reply["blocks"]
    double.clear_failures()


def test_a_hostile_dm_never_pings(served):
    bot, double, _ = served
    typed = "&lt;!channel&gt; &lt;https://evil.example|click&gt; <!here> foster carers "
    reply = _dm(bot, double, typed + "x " * 20_000, "DAGENT4", "1700000400.000100")
    shown = json.dumps([reply["text"], *displayed_texts(reply["blocks"])])  # not button values
    assert "<!channel>" not in shown and "<!here>" not in shown and "<https://evil" not in shown
