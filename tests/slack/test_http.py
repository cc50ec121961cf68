"""The HTTP front door on loopback, with requests signed exactly as Slack signs them,
against the local Slack API double."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request

from sqlalchemy import func, select

from bot.config import load_settings
from bot.db.engine import engine_for, sqlite_url
from bot.db.tables import queries
from bot.querylog import QueryLog
from bot.slack import payloads
from bot.slack.serve import wsgi_application
from tests.slack.conftest import SECRET, env_for, post, send, serve_wsgi


def _texts(blocks: list[dict]) -> str:
    return json.dumps(blocks)


def test_a_slash_command_is_acked_at_once_and_answered_through_the_response_url(http_bot, double):
    status, body = send(
        http_bot,
        payloads.slash_command("is the MASH coping?", response_url=double.response_url("a")),
    )
    assert status == 200 and body == ""
    double.wait_for(lambda r: any(x.name == "/response/a" for x in r))
    (reply,) = double.calls("/response/a")
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["replace_original"] is False
    blocks = reply.body["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Findings", "emoji": False},
    }
    assert "safeguarding hub" in _texts(blocks).lower()
    assert "000_de87dc580cd60475.txt lines" in _texts(blocks)
    buttons = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["share_answer", "more_results"]
    assert blocks[-1]["type"] == "context_actions"  # Slack's feedback buttons end it


def test_an_empty_command_shows_help(http_bot, double):
    assert "/inspection ratings" in _texts(_ask(http_bot, double, "", "h")["blocks"])


def test_a_mention_is_answered_in_its_thread(http_bot, double):
    event = payloads.app_mention(
        "<@UBOTDOUBLE> what grade did adoption get", ts="1700000000.000100"
    )
    status, _ = send(http_bot, payloads.event_callback(event))
    assert status == 200
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    (post_,) = double.calls("chat.postMessage")
    assert post_.body["channel"] == "CCHANNEL1"
    assert post_.body["thread_ts"] == "1700000000.000100"
    assert "Adoption performance: Good" in _texts(post_.body["blocks"])
    assert "share_answer" not in _texts(post_.body["blocks"])  # it is public already


def test_a_mention_asking_what_an_acronym_means_gets_the_glossary_then_the_reports(
    http_bot, double
):
    event = payloads.app_mention("<@UBOTDOUBLE> what does PLO stand for?", ts="1700000000.000300")
    status, _ = send(http_bot, payloads.event_callback(event))
    assert status == 200
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    (post_,) = double.calls("chat.postMessage")
    texts = _texts(post_.body["blocks"])
    assert "PLO stands for Public Law Outline." in texts
    assert "inspection-bot's glossary" in texts
    assert "Public Law Outline (PLO)" in texts  # the report's own words, quoted


def test_a_mention_inside_a_thread_is_answered_in_that_thread(http_bot, double):
    event = payloads.app_mention(
        "<@UBOTDOUBLE> out of hours", ts="1700000000.000300", thread_ts="1700000000.000001"
    )
    send(http_bot, payloads.event_callback(event))
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    assert double.calls("chat.postMessage")[0].body["thread_ts"] == "1700000000.000001"


def test_a_direct_message_is_answered_like_the_command_in_its_thread(http_bot, double):
    message = payloads.direct_message("ratings", ts="1700000009.000100")
    send(http_bot, payloads.event_callback(message))
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    (reply,) = double.calls("chat.postMessage")
    assert reply.body["channel"] == "DDIRECT1" and reply.body["thread_ts"] == "1700000009.000100"
    assert "Graded judgements" in _texts(reply.body["blocks"])


def test_the_bots_own_and_other_bots_messages_are_ignored(http_bot, double):
    send(http_bot, payloads.event_callback(payloads.direct_message("hello", bot_id="BDOUBLE")))
    edited = payloads.direct_message("edited")
    edited["subtype"] = "message_changed"
    send(http_bot, payloads.event_callback(edited))
    time.sleep(0.5)
    assert double.calls("chat.postMessage") == []


def test_url_verification_returns_the_challenge(http_bot):
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    status, text = send(http_bot, (body, payloads.JSON))
    assert status == 200 and "c-123" in text


def test_unsigned_tampered_stale_and_wrongly_signed_requests_get_401(http_bot, double):
    body, kind = payloads.slash_command("adoption", response_url=double.response_url("x"))
    assert post(f"{http_bot}/slack/events", body, {"Content-Type": kind})[0] == 401
    headers = payloads.signed_headers(body, SECRET, content_type=kind)
    assert post(f"{http_bot}/slack/events", body.replace("adoption", "adoptiom"), headers)[0] == 401
    stale = payloads.signed_headers(
        body, SECRET, content_type=kind, timestamp=int(time.time()) - 360
    )
    assert post(f"{http_bot}/slack/events", body, stale)[0] == 401
    assert send(http_bot, (body, kind), secret="not-the-secret")[0] == 401
    time.sleep(0.3)
    assert double.records == [r for r in double.records if r.name == "auth.test"]


RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def test_a_retried_or_replayed_event_is_answered_once(http_bot, double):
    event = payloads.event_callback(
        payloads.app_mention("<@UBOTDOUBLE> adoption"), event_id="EvONCE1"
    )
    assert send(http_bot, event)[0] == 200
    assert send(http_bot, event)[0] == 200  # a replay within the signature window
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    time.sleep(0.5)  # the answer was posted, and then marked answered
    assert send(http_bot, event, **RETRY)[0] == 200  # answered: ignored
    time.sleep(0.5)
    assert len(double.calls("chat.postMessage")) == 1


def test_a_retry_while_the_answer_is_being_posted_asks_slack_to_retry_later(http_bot, double):
    """A 200 would end Slack's retries: if the worker answering then died, the answer
    would be lost. So a retry of an event still being answered gets a 503, and once
    the answer is posted the next retry gets a 200 and no second answer."""
    double.fail("chat.postMessage", delay=2)  # Slack takes the post, answers late
    event = payloads.event_callback(
        payloads.app_mention("<@UBOTDOUBLE> adoption"), event_id="EvSLOW1"
    )
    assert send(http_bot, event)[0] == 200
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    assert send(http_bot, event, **RETRY)[0] == 503
    assert send(http_bot, event)[0] == 200  # not a retry: a replay, ignored
    deadline = time.monotonic() + 10
    while send(http_bot, event, **RETRY)[0] != 200:
        assert time.monotonic() < deadline, "the answer was never marked answered"
        time.sleep(0.2)
    time.sleep(0.5)
    assert len(double.calls("chat.postMessage")) == 1


def test_an_answer_that_was_never_posted_is_answered_on_a_retry_after_the_lease(double, data_dir):
    """ "Answered" is recorded only once the answer is posted: when Slack refused both
    the answer and the apology, the event is still open, and Slack's retry after the
    lease (LEDGER_LEASE_SECONDS) answers it, once."""
    settings = load_settings(env_for(double, data_dir, LEDGER_LEASE_SECONDS="1"), dotenv=False)
    url, stop = serve_wsgi(wsgi_application(settings))
    try:
        double.fail("chat.postMessage", status=500, times=2)  # the answer, then the apology
        event = payloads.event_callback(
            payloads.app_mention("<@UBOTDOUBLE> adoption", channel="CLEASE"), event_id="EvLOST1"
        )
        assert send(url, event)[0] == 200
        double.wait_for(lambda r: len([x for x in r if x.name == "chat.postMessage"]) >= 2)
        assert double.channel_messages("CLEASE") == []
        time.sleep(1.2)  # the lease runs out; nobody answered
        assert send(url, event, **RETRY)[0] == 200
        double.wait_for(lambda _: len(double.channel_messages("CLEASE")) == 1)
        time.sleep(0.5)  # marked answered after the post
        assert send(url, event, **RETRY)[0] == 200
        time.sleep(1.2)
        assert send(url, event, **RETRY)[0] == 200  # answered: never again, lease or not
        time.sleep(0.5)
        assert len(double.channel_messages("CLEASE")) == 1
    finally:
        stop()


def test_two_workers_sharing_a_data_dir_answer_one_event_once(settings, double):
    first, stop_first = serve_wsgi(wsgi_application(settings))
    second, stop_second = serve_wsgi(wsgi_application(settings))
    event = payloads.event_callback(
        payloads.app_mention("<@UBOTDOUBLE> care leavers"), event_id="EvTWO1"
    )
    try:
        threads = [threading.Thread(target=send, args=(base, event)) for base in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
        time.sleep(0.5)
        assert len(double.calls("chat.postMessage")) == 1
    finally:
        stop_first()
        stop_second()


def test_a_slack_api_error_is_logged_with_its_traceback_and_the_user_gets_an_apology(
    http_bot, double, caplog
):
    caplog.set_level(logging.ERROR)
    double.fail("chat.postMessage", error="msg_too_long")
    send(http_bot, payloads.event_callback(payloads.app_mention("<@UBOTDOUBLE> adoption")))
    double.wait_for(lambda r: len([x for x in r if x.name == "chat.postMessage"]) == 2)
    apology = double.calls("chat.postMessage")[1].body
    assert apology["text"].startswith("Sorry, something went wrong")
    failures = [r for r in caplog.records if "could not post" in r.getMessage()]
    assert failures and failures[0].exc_info is not None  # logged with its traceback


def test_a_429_on_the_response_url_is_retried_after_retry_after(http_bot, double):
    reply = _ask(http_bot, double, "foster carers", "r0")
    double.fail("/response/rl", status=429, retry_after=1)
    _press(http_bot, double, reply, "more_results", "rl")
    double.wait_for(lambda r: len([x for x in r if x.name == "/response/rl"]) == 2, timeout=15)
    first, second = double.calls("/response/rl")
    assert second.at - first.at >= 0.9
    assert second.body["blocks"]


def test_a_429_on_chat_post_message_is_retried(http_bot, double):
    double.fail("chat.postMessage", status=429, retry_after=1)
    send(http_bot, payloads.event_callback(payloads.direct_message("adoption")))
    double.wait_for(lambda r: len([x for x in r if x.name == "chat.postMessage"]) == 2, timeout=15)
    assert double.calls("chat.postMessage")[1].body["blocks"]


def _press(http_bot, double, reply: dict, action_id: str, name: str) -> None:
    """Press the reply's first button with `action_id`; its answer goes to `name`."""
    value = _first_reply_button(reply, action_id)
    send(http_bot, payloads.block_action(action_id, value, response_url=double.response_url(name)))


def _first_reply_button(reply: dict, action_id: str) -> str:
    for block in reply["blocks"]:
        for element in [block.get("accessory") or {}, *(block.get("elements") or [])]:
            if element.get("action_id") == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button")


def _ask(http_bot, double, text: str, name: str) -> dict:
    """Ask through the slash command; return the answer posted to the response_url."""
    status, _ = send(http_bot, payloads.slash_command(text, response_url=double.response_url(name)))
    assert status == 200
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r))
    return double.calls(f"/response/{name}")[0].body


def test_share_posts_the_same_answer_to_the_channel_marked_as_shared(http_bot, double):
    reply = _ask(http_bot, double, "foster carers", "s")
    _press(http_bot, double, reply, "share_answer", "s2")
    double.wait_for(lambda r: any(x.name == "chat.postMessage" for x in r))
    shared = double.calls("chat.postMessage")[0].body
    assert shared["channel"] == "CCHANNEL1"
    assert "Shared by <@UUSER1>" in _texts(shared["blocks"])
    original = reply["blocks"]
    assert [b for b in shared["blocks"] if b["type"] == "section"][:3] == [
        b for b in original if b["type"] == "section"
    ][:3]


def test_share_where_the_bot_is_not_invited_says_how_to_fix_it(http_bot, double):
    reply = _ask(http_bot, double, "foster carers", "n")
    double.fail("chat.postMessage", error="not_in_channel")
    _press(http_bot, double, reply, "share_answer", "n2")
    double.wait_for(lambda r: any(x.name == "/response/n2" for x in r))
    assert "/invite @inspection-bot" in double.calls("/response/n2")[0].body["text"]


def test_more_results_gives_the_next_page(http_bot, double):
    reply = _ask(http_bot, double, "foster carers", "m")
    _press(http_bot, double, reply, "more_results", "m2")
    double.wait_for(lambda r: any(x.name == "/response/m2" for x in r))
    assert "*4. " in _texts(double.calls("/response/m2")[0].body["blocks"])


def test_full_passage_opens_a_modal_with_the_passage(http_bot, double):
    reply = _ask(http_bot, double, "out of hours", "p")
    _press(http_bot, double, reply, "full_passage", "p2")
    double.wait_for(lambda r: any(x.name == "views.open" for x in r))
    view = double.calls("views.open")[0].body["view"]
    assert view["type"] == "modal" and view["title"]["text"] == "Full passage"


def test_a_failed_modal_gets_an_apology(http_bot, double, caplog):
    reply = _ask(http_bot, double, "out of hours", "f")
    double.fail("views.open", error="expired_trigger_id")
    _press(http_bot, double, reply, "full_passage", "f2")
    double.wait_for(lambda r: any(x.name == "/response/f2" for x in r))
    assert double.calls("/response/f2")[0].body["text"].startswith("Sorry")


def test_the_old_not_helpful_button_opens_the_reason_modal(http_bot, double, data_dir):
    """Answers sent before the feedback buttons still carry it: it asks why, as a
    thumbs down does."""
    reply = _ask(http_bot, double, "supervision quality", "q")
    value = json.dumps({"q": "supervision quality", "o": 0, "ids": ["poole-2017-exec-14"]})
    send(
        http_bot,
        payloads.block_action("not_helpful", value, response_url=double.response_url("q2")),
    )
    double.wait_for(lambda r: any(x.name == "views.open" for x in r))
    view = double.calls("views.open")[0].body["view"]
    assert view["callback_id"] == "answer_feedback_modal"
    assert json.loads(view["private_metadata"])["ids"] == ["poole-2017-exec-14"]
    assert reply["blocks"]


def test_when_the_reason_modal_cannot_open_the_not_helpful_is_kept_anyway(
    http_bot, double, data_dir
):
    reply = _ask(http_bot, double, "supervision quality", "e")
    double.fail("views.open", error="expired_trigger_id")
    negative = reply["blocks"][-1]["elements"][0]["negative_button"]["value"]
    body = payloads.block_action(
        "answer_feedback",
        negative,
        response_url=double.response_url("e2"),
        element="feedback_buttons",
    )
    send(http_bot, body)
    double.wait_for(lambda r: any(x.name == "/response/e2" for x in r))
    assert "Thank you" in double.calls("/response/e2")[0].body["text"]
    entries = QueryLog(engine_for(sqlite_url(data_dir))).entries()
    feedback = [e for e in entries if e.feedback == "not_helpful"]
    assert feedback[0].query == "supervision quality" and len(feedback[0].shown) == 3
    assert feedback[0].reason is None


def test_feedback_is_not_logged_when_query_log_is_off(double, data_dir):
    settings = load_settings(env_for(double, data_dir, QUERY_LOG="off"), dotenv=False)
    url, stop = serve_wsgi(wsgi_application(settings))
    try:
        reply = _ask(url, double, "adoption", "off")
        negative = reply["blocks"][-1]["elements"][0]["negative_button"]["value"]
        body = payloads.block_action(
            "answer_feedback",
            negative,
            response_url=double.response_url("off2"),
            element="feedback_buttons",
        )
        send(url, body)
        double.wait_for(lambda r: any(x.name == "views.open" for x in r))
        view = double.calls("views.open")[0].body["view"]
        assert "QUERY_LOG=off" in json.dumps(view)
        values = payloads.radio_choice("reason", "reason", "wrong_quote")
        submitted = payloads.view_submission(
            view["callback_id"], private_metadata=view["private_metadata"], values=values
        )
        status, text = send(url, submitted)
        assert status == 200 and "not stored" in text
    finally:
        stop()
    assert _nothing_logged(data_dir)


def test_questions_are_not_logged_when_query_log_is_off(double, data_dir):
    settings = load_settings(env_for(double, data_dir, QUERY_LOG="off"), dotenv=False)
    url, stop = serve_wsgi(wsgi_application(settings))
    try:
        assert _ask(url, double, "adoption", "o")["blocks"]
    finally:
        stop()
    assert _nothing_logged(data_dir)


def _nothing_logged(data_dir) -> bool:
    """No question in the state database, and no query log file of its own."""
    engine = engine_for(sqlite_url(data_dir))
    with engine.connect() as db:
        count = db.execute(select(func.count()).select_from(queries)).scalar()
    return count == 0 and not (data_dir / "querylog.db").exists()


def test_healthz_answers_once_the_index_is_open(http_bot):
    with urllib.request.urlopen(f"{http_bot}/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {
            "ok": True,
            "index": "ok",
            "stores": {"query_log": "ok", "event_ledger": "ok", "threads": "ok"},
            "degraded": [],
        }


def test_the_api_url_gets_its_trailing_slash(settings, double):
    assert settings.slack_api_url == double.api_url
