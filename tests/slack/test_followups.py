"""Follow-ups in the channel threads the bot was mentioned in, and the message
shortcut "Find inspection evidence", through the bot under gunicorn with signed
requests, against the Slack API double.

One bot serves the whole module (FOLLOWUP_LIMIT=3); each test uses its own channel."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from slack_sdk.models.views import View

from bot.db.engine import engine_for, sqlite_url
from bot.render.blocks import PASSAGE, SHARE
from bot.render.evidence import EVIDENCE_MODAL
from bot.slack import payloads
from bot.slack.listeners.shortcuts import FIND_EVIDENCE
from bot.threads import ThreadStore
from tests.conftest import displayed_texts
from tests.security.front_door import served_bot
from tests.slack.conftest import built_data, env_for, send  # noqa: F401

LIMIT = 3
HOSTILE = (
    "&lt;!channel&gt; <!channel> <!here> <@U0VICTIM> <#C0SECRET|secret> "
    "<https://evil.example|click> &lt;https://evil.example|click&gt; foster carers "
)


@pytest.fixture(scope="module")
def served(built_data, tmp_path_factory):  # noqa: F811
    with served_bot(
        built_data, tmp_path_factory.mktemp("followups"), FOLLOWUP_LIMIT=str(LIMIT)
    ) as (bot, double, data):
        yield bot, double


def _posts(double, channel: str) -> list[dict]:
    return [c.body for c in double.calls("chat.postMessage") if c.body.get("channel") == channel]


def _wait_posts(double, channel: str, count: int) -> list[dict]:
    double.wait_for(lambda _: len(_posts(double, channel)) >= count, timeout=30)
    return _posts(double, channel)


def _event(bot, event: dict, event_id: str | None = None, **headers) -> None:
    assert send(bot.base, payloads.event_callback(event, event_id=event_id), **headers)[0] == 200


def _slack_retry(bot, event: dict, event_id: str) -> None:
    """A retry, delivered as Slack delivers them: a 503 ("being answered; retry later")
    comes only while the answer is posted but not yet recorded, and Slack tries again."""
    deadline = time.monotonic() + 10
    for attempt in itertools.count(1):
        body = payloads.event_callback(event, event_id=event_id)
        status = send(bot.base, body, **{"X-Slack-Retry-Num": str(attempt)})[0]
        if status == 200:
            return
        assert status == 503 and time.monotonic() < deadline, status
        time.sleep(0.2)


def _mention(bot, double, text: str, channel: str, ts: str) -> dict:
    _event(bot, payloads.app_mention(f"<@UBOTDOUBLE> {text}", channel=channel, ts=ts))
    return _wait_posts(double, channel, 1)[-1]


def _quiet(double, channel: str, count: int, wait: float = 1.5) -> None:
    """Nothing more than `count` posts arrives in `channel` within `wait` seconds."""
    time.sleep(wait)
    assert len(_posts(double, channel)) == count, _posts(double, channel)


def _shown(body: dict) -> str:
    """What a post or view shows, and everything Slack would format: all of it but
    the button values and the modal's metadata, which Slack never renders."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("value", "private_metadata")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(body))


def _never_pings(body: dict, *, sharer: str | None = None) -> None:
    shown = _shown(body)
    for raw in ("<!channel>", "<!here>", "<#C0SECRET", "<https://evil", "<@U0VICTIM"):
        assert raw not in shown
    mentions = shown.count("<@U")
    assert mentions == (1 if sharer else 0) and (not sharer or f"<@{sharer}>" in shown)


# -- follow-ups ------------------------------------------------------------------------


def test_a_follow_up_in_the_thread_is_answered_once_with_the_earlier_topic(served):
    bot, double = served
    channel, root = "CFOLLOW1", "1700001000.000100"
    first = _mention(bot, double, "what did Ofsted say about adoption?", channel, root)
    assert first["thread_ts"] == root
    follow = payloads.channel_message("and in 2010?", channel=channel, thread_ts=root)
    _event(bot, follow, event_id="EvFOLLOWUP1")
    second = _wait_posts(double, channel, 2)[-1]
    assert second["thread_ts"] == root
    assert "adoption" in second["text"] and "2010" in second["text"]  # read with the topic
    # Slack retries the delivery, and the bot sees its own answer and an edit: no more.
    _slack_retry(bot, follow, event_id="EvFOLLOWUP1")
    own = payloads.channel_message(
        "Results", channel=channel, thread_ts=root, user="UBOTDOUBLE", bot_id="BDOUBLE"
    )
    _event(bot, own)
    edited = payloads.channel_message(
        "and in 2017?", channel=channel, thread_ts=root, subtype="message_changed"
    )
    _event(bot, edited)
    other_bot = payloads.channel_message(
        "and in 2017?", channel=channel, thread_ts=root, bot_id="BOTHER"
    )
    _event(bot, other_bot)
    # A reply that mentions the bot is answered as a mention, not twice.
    mentioned = "<@UBOTDOUBLE> care leavers"
    reply_ts = "1700001000.000900"
    _event(bot, payloads.channel_message(mentioned, channel=channel, thread_ts=root, ts=reply_ts))
    _event(bot, payloads.app_mention(mentioned, channel=channel, ts=reply_ts, thread_ts=root))
    _wait_posts(double, channel, 3)
    _quiet(double, channel, 3)


def test_a_follow_up_on_intent_keeps_the_earlier_topic(served):
    bot, double = served
    channel, root = "CFOLLOW2", "1700002000.000100"
    _mention(bot, double, "care leavers", channel, root)
    follow = payloads.channel_message(
        "what did they recommend about that?", channel=channel, thread_ts=root
    )
    _event(bot, follow)
    answer = _wait_posts(double, channel, 2)[-1]
    assert "care leavers" in answer["text"].lower() and answer["thread_ts"] == root


def test_no_follow_up_in_a_thread_the_bot_was_not_mentioned_in(served):
    bot, double = served
    channel = "CFOLLOW3"
    _event(bot, payloads.channel_message("and in 2010?", channel=channel, thread_ts="1.000001"))
    _event(bot, payloads.channel_message("what about adoption?", channel=channel))  # no thread
    # A thread elsewhere, mentioned in: its engagement does not carry to this channel.
    _mention(bot, double, "adoption", "CFOLLOW3B", "1700003000.000100")
    _event(
        bot, payloads.channel_message("and 2010?", channel=channel, thread_ts="1700003000.000100")
    )
    _quiet(double, channel, 0)


def test_the_follow_up_limit_stops_the_bot_in_a_thread(served):
    bot, double = served
    channel, root = "CFOLLOW4", "1700004000.000100"
    _mention(bot, double, "adoption", channel, root)
    for n in range(LIMIT + 2):
        _event(
            bot, payloads.channel_message(f"and in {2010 + n}?", channel=channel, thread_ts=root)
        )
        if n < LIMIT:
            _wait_posts(double, channel, n + 2)
    _quiet(double, channel, LIMIT + 1)
    # A new mention in the thread engages it again.
    _event(
        bot, payloads.app_mention("<@UBOTDOUBLE> foster carers", channel=channel, thread_ts=root)
    )
    _wait_posts(double, channel, LIMIT + 2)
    _event(bot, payloads.channel_message("and in 2010?", channel=channel, thread_ts=root))
    _wait_posts(double, channel, LIMIT + 3)


def test_a_hostile_follow_up_never_pings(served):
    bot, double = served
    channel, root = "CFOLLOW5", "1700005000.000100"
    _mention(bot, double, "adoption", channel, root)
    text = HOSTILE + "foster carers " * 3000  # over 40,000 characters
    _event(bot, payloads.channel_message(text, channel=channel, thread_ts=root))
    answer = _wait_posts(double, channel, 2)[-1]
    _never_pings(answer)
    assert answer["blocks"] and answer["thread_ts"] == root


def test_the_thread_store_keeps_threads_seven_days_and_bounds_them(tmp_path):
    now = [1_000_000.0]
    store = ThreadStore(engine_for(sqlite_url(tmp_path)), limit=2, clock=lambda: now[0])
    assert store.claim_followup("C1", "1.1") is None  # never mentioned
    store.engage("C1", "1.1", "adoption")
    assert store.claim_followup("C1", "1.1") == "adoption"
    store.remember("C1", "1.1", "adoption 2010")
    assert store.claim_followup("C1", "1.1") == "adoption 2010"
    assert store.claim_followup("C1", "1.1") is None  # the limit
    store.engage("C1", "1.1", "care leavers")  # mentioned again
    now[0] += ThreadStore.KEEP_SECONDS + 1
    assert store.claim_followup("C1", "1.1") is None  # seven days on
    store.MAX_THREADS = 3
    for n in range(5):
        now[0] += ThreadStore.EXPIRE_EVERY + 1
        store.engage("C2", f"{n}.1", "x")
    assert [store.claim_followup("C2", f"{n}.1") for n in range(5)] == [None, None, "x", "x", "x"]
    # A broken store: mentions still work (nothing raised), follow-ups are not answered.
    (tmp_path / "state.db").write_bytes(b"\x00garbage" * 500)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"state.db{suffix}").unlink(missing_ok=True)
    store.engage("C3", "1.1", "adoption")
    assert store.claim_followup("C3", "1.1") is None and store.problem


# -- the message shortcut ----------------------------------------------------------------


def _shortcut(bot, double, text: str, channel: str) -> dict:
    before = len(double.calls("views.open"))
    body = payloads.message_shortcut(FIND_EVIDENCE, text, channel=channel)
    assert send(bot.base, body)[0] == 200
    double.wait_for(lambda _: len(double.calls("views.open")) > before, timeout=30)
    view = double.calls("views.open")[-1].body["view"]
    View(**view).validate_json()
    assert view["callback_id"] == EVIDENCE_MODAL and view["type"] == "modal"
    return view


def _button(view: dict, action_id: str) -> dict:
    for block in view["blocks"]:
        for element in [block.get("accessory") or {}, *block.get("elements", [])]:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button")


def test_the_shortcut_opens_the_answer_in_a_modal_and_share_posts_to_the_channel(served):
    bot, double = served
    view = _shortcut(bot, double, "Is the out of hours service any good?", "CSHORT1")
    shown = "\n".join(displayed_texts(view["blocks"]))
    assert any(b["type"] == "header" for b in view["blocks"]) and "> “" in shown
    assert not [b for b in view["blocks"] if b["type"] == "context_actions"]
    share = _button(view, SHARE)
    # Share from the modal: no response_url, so to the message's channel, as Share does.
    press = payloads.block_action(
        SHARE, share["value"], response_url="unused", user="USHARER1", view=view
    )
    assert send(bot.base, press)[0] == 200
    (post,) = _wait_posts(double, "CSHORT1", 1)
    assert post["blocks"][0]["elements"][0]["text"] == "Shared by <@USHARER1>:"
    # Full passage from the modal is stacked on it.
    passage = _button(view, PASSAGE)
    pushes = len(double.calls("views.push"))
    press = payloads.block_action(PASSAGE, passage["value"], response_url="unused", view=view)
    assert send(bot.base, press)[0] == 200
    double.wait_for(lambda _: len(double.calls("views.push")) > pushes, timeout=30)
    View(**double.calls("views.push")[-1].body["view"]).validate_json()


def test_the_shortcut_declines_what_the_reports_do_not_cover(served):
    bot, double = served
    view = _shortcut(bot, double, "what is for lunch in the canteen on friday", "CSHORT2")
    shown = "\n".join(displayed_texts(view["blocks"]))
    assert "/inspection themes" in shown
    assert not any(b["type"] == "header" for b in view["blocks"])


def test_a_forged_share_from_a_modal_posts_nowhere(served):
    bot, double = served
    view = _shortcut(bot, double, "adoption", "CSHORT3")
    share = _button(view, SHARE)
    forged = {**view, "private_metadata": '{"c": "<!channel>"}'}
    press = payloads.block_action(SHARE, share["value"], response_url="unused", view=forged)
    assert send(bot.base, press)[0] == 200
    time.sleep(1)
    assert not _posts(double, "<!channel>") and not _posts(double, "CSHORT3")


def test_a_hostile_message_through_the_shortcut_never_pings(served):
    bot, double = served
    view = _shortcut(bot, double, HOSTILE + "foster carers " * 3000, "CSHORT4")
    _never_pings(view)
    press = payloads.block_action(
        SHARE, _button(view, SHARE)["value"], response_url="unused", user="USHARER2", view=view
    )
    assert send(bot.base, press)[0] == 200
    (post,) = _wait_posts(double, "CSHORT4", 1)
    _never_pings(post, sharer="USHARER2")
    assert "&lt;!channel&gt;" in _shown(post)  # what the author typed: shown, inert
