"""The curators' message: every unanswered question reaches CURATOR_CHANNEL, however
long or however many. Long ones are cut and say so; a list too big for one message is
split across several. Through the real query log and the Slack double."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block

from bot.config import load_settings
from bot.db.engine import engine_for
from bot.querylog import QueryLog
from bot.render.blocks import escape
from tests.conftest import displayed_texts
from tests.digest.test_digest import NOW, post
from tests.slack.conftest import env_for

CUT_AT = 500  # characters of a question shown to curators (README, bot/render/digest.py)
# Slack refuses a message whose blocks hold much over 13,000 characters in all
# (msg_blocks_too_long), well under its documented 40,000.
MESSAGE_ROOM = 12_000


@pytest.fixture
def settings(double, data_dir):
    env = env_for(double, data_dir, DIGEST_CHANNEL="CDIGEST", CURATOR_CHANNEL="CCURATORS")
    return load_settings(env, dotenv=False)


def ask(settings, questions, **kwargs) -> None:
    log = QueryLog(engine_for(settings.state_url))
    for question in questions:
        log.record(question, themes=(), answered=False, now=NOW, **kwargs)


def curator_texts(double) -> list[list[str]]:
    """What each curators' message displays, after checking it is one Slack accepts."""
    posts = [c for c in double.calls("chat.postMessage") if c.body["channel"] == "CCURATORS"]
    assert posts, "no curators' message"
    shown = []
    for message in posts:
        blocks = message.body["blocks"]
        assert 0 < len(blocks) <= 50
        for block in blocks:
            Block.parse(block).validate_json()
        texts = displayed_texts(blocks)
        assert sum(len(t) for t in texts) <= MESSAGE_ROOM
        assert not any("More results" in t or "More than fits" in t for t in texts)
        shown.append(texts)
    return shown


def long_question(n: int, length: int) -> str:
    words = f"question {n} asks about placements for older children in care "
    return (words * (length // len(words) + 1))[:length]


def assert_all_there(shown: list[list[str]], questions: list[str]) -> str:
    everything = "\n".join(t for texts in shown for t in texts)
    for question in questions:
        if len(question) <= CUT_AT:
            assert escape(question) in everything
        else:
            assert escape(question[:CUT_AT].rstrip()) + "… (cut" in everything
            assert escape(question[: CUT_AT + 20]) not in everything
    return everything


def test_four_huge_questions_and_a_short_one_all_reach_the_curators(settings, double):
    huge = [long_question(n, 40_000) for n in range(4)]
    short = "is there respite care for disabled children?"
    ask(settings, [*huge, short])
    assert post(settings).posted
    everything = assert_all_there(curator_texts(double), [*huge, short])
    assert everything.count("… (cut)") == 4
    assert "Questions longer than 500 characters are cut" in everything


def test_two_hundred_unanswered_questions_are_split_across_messages(settings, double):
    questions = [
        long_question(n, 800) if n % 2 else f"short question {n} about adoption" for n in range(200)
    ]
    questions.append("<!channel> & <@U123> what about Tommy?")
    ask(settings, questions)
    ask(settings, ["the MASH figures were wrong"], feedback="not_helpful", shown=("rec-1",))
    assert post(settings).posted
    shown = curator_texts(double)
    assert len(shown) > 1
    everything = assert_all_there(shown, [*questions, "the MASH figures were wrong"])
    assert "<!channel>" not in everything
    assert everything.count("… (cut)") == 100
    assert "(shown: rec-1)" in everything
    for n, texts in enumerate(shown, start=1):
        assert f"part {n} of {len(shown)}" in texts[0]


def test_no_gaps_says_none(settings, double):
    assert post(settings).posted
    (texts,) = curator_texts(double)
    assert "\n".join(texts).count("• none") == 2
