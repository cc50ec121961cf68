"""Attack: any text into the command grammar, query understanding, answering and
rendering gives a reply, never an exception, and never an unescaped ping or link."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.answers import answer
from bot.answers.commands import parse_command
from bot.render.blocks import (
    MAX_BLOCKS,
    MAX_BUTTON_VALUE,
    MAX_HEADER,
    MAX_SECTION_TEXT,
    answer_message,
)
from bot.search.query import parse_query
from tests.conftest import displayed_texts

SLACK_MARKUP = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123ABC>",
    "<@W0001|someone>",
    "<!subteam^S0001|@team>",
    "<#C0001|general>",
    "<http://x|y>",
    "<https://evil.example/path?a=1&b=2|click me>",
    "<mailto:a@b.c|mail>",
]
WHOOSH_SYNTAX = [
    "*",
    "?",
    "adopt*",
    "title:x",
    "[a TO z]",
    "NOT",
    "AND",
    "OR",
    "(",
    ")",
    '"',
    "~2",
    "^3",
    "{",
    "}",
]
WORDS = [
    "foster",
    "carers",
    "MASH",
    "out of hours",
    "adoption",
    "2017",
    "2010",
    "ratings",
    "help",
    "since",
    "how many",
]

pieces = st.one_of(
    st.sampled_from(SLACK_MARKUP),
    st.sampled_from(WHOOSH_SYNTAX),
    st.sampled_from(WORDS),
    st.text(min_size=0, max_size=40),  # any Unicode, control characters included
    st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "So")), max_size=20),
)
hostile = (
    st.lists(pieces, min_size=0, max_size=12).map(" ".join)
    | st.text(max_size=4000)
    | st.sampled_from(["x" * 4000, "word " * 800, "<!channel>" * 300, "&" * 3500, "\u202e" * 100])
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A "<" in what we send is either our own escaping ("&lt;") or a link we built from the
# knowledge base's own URLs; anything else would be markup smuggled in from the text.
_OWN_LINK = re.compile(r"<https://www\.bournemouthecho\.co\.uk/[^|<>]*\|Published source>")


def assert_safe(text: str) -> None:
    stripped = _OWN_LINK.sub("", text)
    stripped = re.sub(r"(?m)^>( |$)", "", stripped)  # our own blockquote marks
    assert "<" not in stripped and ">" not in stripped, text[:300]


@FUZZ
@given(hostile)
def test_the_command_grammar_always_parses(text):
    command = parse_command(text, [{"id": "adoption", "label": "Adoption"}])
    assert command.name in (
        "question",
        "help",
        "ratings",
        "recommendations",
        "figures",
        "reports",
        "themes",
    )


@FUZZ
@given(hostile)
def test_query_understanding_keeps_only_plain_words(text):
    parsed = parse_query(text)
    for group in parsed.groups:
        for alternative in group.alternatives:
            assert all(word.isalnum() for word in alternative)
    assert len(parsed.groups) <= 24


@FUZZ
@given(text=hostile)
def test_any_text_gets_a_reply_that_cannot_ping_or_link(search_index, text):
    result = answer(text, index=search_index)
    message = answer_message(result, theme_labels={})
    assert message.blocks and message.text
    assert len(message.blocks) <= MAX_BLOCKS
    for block in message.blocks:
        Block.parse(block).validate_json()
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER
        for element in [block.get("accessory") or {}, *block.get("elements", [])]:
            if "value" in element:
                assert len(element["value"]) <= MAX_BUTTON_VALUE
                json.loads(element["value"])
    for shown in [message.text, *displayed_texts(message.blocks)]:
        assert_safe(shown)
