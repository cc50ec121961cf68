"""Button presses and message text from hostile or careless users, through the bot
under gunicorn: forged button values get a kind message and never touch the index,
Share posts exactly what its user saw and only once, and Slack's escaping is
undone once on the way in and done once on the way out."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.render.blocks import FEEDBACK, MORE, NOT_HELPFUL, PASSAGE, SHARE
from bot.slack import payloads
from tests.conftest import displayed_texts
from tests.security.front_door import served_bot
from tests.slack.conftest import built_data, env_for, send  # noqa: F401

STALE = "That button no longer works"


@pytest.fixture(scope="module")
def served(built_data, tmp_path_factory):  # noqa: F811
    with served_bot(built_data, tmp_path_factory.mktemp("interactions")) as (bot, double, data):
        yield bot, double, data


def _reply(double, name: str) -> dict:
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r), timeout=30)
    return double.calls(f"/response/{name}")[-1].body


def _command(bot, double, text: str, name: str) -> dict:
    assert (
        send(bot.base, payloads.slash_command(text, response_url=double.response_url(name)))[0]
        == 200
    )
    return _reply(double, name)


def _button_value(blocks: list[dict], action_id: str) -> str:
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                return element["value"]
    raise AssertionError(f"no {action_id} button")


FORGED = [
    '{"q": "adoption", "o": "abc"}',
    '{"q": "adoption", "o": 1.5}',
    '{"q": "adoption", "o": -1}',
    '{"q": "adoption", "o": 99999999999999999999}',
    '{"q": {"nested": "object"}, "o": 0}',
    '{"id": ["a", "list"]}',
    '{"id": "../../etc/passwd"}',
    '{"ids": [{"x": 1}], "q": "adoption"}',
    "[1, 2, 3]",
    "not json at all",
    "[" * 5000,
    '{"q": "adoption", "f": "sideways"}',
    '{"q": "adoption", "f": ["down"]}',
]


@pytest.mark.parametrize("action", [SHARE, MORE, PASSAGE, FEEDBACK, NOT_HELPFUL])
def test_forged_button_values_get_a_kind_message_and_never_rebuild_the_index(served, action):
    bot, double, data = served
    builds = sorted(p.name for p in (data / "indexes").iterdir())
    for n, value in enumerate(FORGED):
        name = f"forged-{action}-{n}"
        body = payloads.block_action(action, value, response_url=double.response_url(name))
        assert send(bot.base, body)[0] == 200
        assert STALE in json.dumps(_reply(double, name)), value
    assert sorted(p.name for p in (data / "indexes").iterdir()) == builds
    assert not [line for line in bot.log_lines() if "rebuilding" in line or "repaired" in line]
    assert not double.calls("views.open")
    assert not [c for c in double.calls("chat.postMessage") if "Shared by" in json.dumps(c.body)]


def test_share_posts_exactly_the_ratings_the_user_saw_and_only_once(served):
    bot, double, _ = served
    seen = _command(bot, double, "ratings", "ratings")
    shown = [t for t in displayed_texts(seen["blocks"]) if t.startswith("*")]
    assert len(shown) >= 7  # every graded judgement
    body = payloads.block_action(
        SHARE, _button_value(seen["blocks"], SHARE), response_url=double.response_url("share")
    )
    before = len(double.calls("chat.postMessage"))
    assert send(bot.base, body)[0] == 200
    double.wait_for(lambda r: sum(x.name == "chat.postMessage" for x in r) > before, timeout=30)
    # The same signed press captured and replayed within the signature window.
    assert send(bot.base, body)[0] == 200
    shared = double.calls("chat.postMessage")[before:]
    assert len(shared) == 1
    blocks = shared[0].body["blocks"]
    assert [t for t in displayed_texts(blocks) if t.startswith("*")] == shown
    assert displayed_texts(blocks[:1]) == ["Shared by <@UUSER1>:", "“ratings”"]


def test_slack_escaped_text_is_decoded_once_and_escaped_once(served):
    bot, double, data = served
    # What Slack sends when a user types: R&D <b>adoption</b> & fostering
    reply = _command(bot, double, "R&amp;D &lt;b&gt;adoption&lt;/b&gt; &amp; fostering", "escaped")
    assert "R&amp;D &lt;b&gt;adoption&lt;/b&gt; &amp; fostering" in reply["text"]
    assert "&amp;amp;" not in json.dumps(reply) and "&amp;lt;" not in json.dumps(reply)
    with sqlite3.connect(data / "state.db") as db:
        logged = [row[0] for row in db.execute("SELECT query FROM queries")]
    assert "R&D <b>adoption</b> & fostering" in logged


def test_a_huge_question_is_cut_before_it_is_searched_or_logged(served):
    bot, double, data = served
    _command(bot, double, "adoption " * 20_000, "huge")  # 180 KB, under the body limit
    with sqlite3.connect(data / "state.db") as db:
        lengths = [row[0] for row in db.execute("SELECT length(query) FROM queries")]
    assert max(lengths) == 1000


@pytest.mark.parametrize("event_id", ["E" * 5000, {"an": "object"}, ["Ev1"], 42])
def test_a_malformed_event_id_is_refused_with_400(served, event_id):
    bot, _, _ = served
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": payloads.TEAM,
            "api_app_id": "ADOUBLE",
            "event": payloads.direct_message("adoption"),
            "event_id": event_id,
            "event_time": 1,
        }
    )
    assert send(bot.base, (body, payloads.JSON))[0] == 400


def test_a_press_without_a_response_url_is_answered_without_an_error(served):
    bot, double, _ = served
    from urllib.parse import parse_qs, urlencode

    body, kind = payloads.block_action(MORE, "not json", response_url="unused")
    payload = json.loads(parse_qs(body)["payload"][0])
    del payload["response_url"]  # as from a view, which has none
    assert send(bot.base, (urlencode({"payload": json.dumps(payload)}), kind))[0] == 200
    assert not [line for line in bot.log_lines() if "Traceback" in line or "KeyError" in line]
