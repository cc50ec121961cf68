"""Text-speak is spelled out before a question is parsed (bot/search/textspeak.py)."""

from __future__ import annotations

import pytest

from bot.answers import answer
from bot.search.query import parse_query
from bot.search.spelling import english_words
from bot.search.textspeak import spell_out


def _spelled(text: str) -> str:
    return spell_out(text, lambda word: word in english_words())


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        (
            "wot r social services meant 2 do so kids dont get stuck waitin 4 a home",
            "what are social services meant to do so kids don't get stuck waiting for a home",
        ),
        ("im his dad n no1 ever rang me", "I'm his dad and no one ever rang me"),
        ("mgmt oversight at cg mtgs", "management oversight at cg meetings"),
        ("sgos last yr", "sgos last yr"),  # "yr" is a year as often as "your": left alone
        ("Wot did Ofsted say b4?", "what did Ofsted say before?"),
        (
            "my sw keeps gettin swapped, is dat normal",
            "my sw keeps getting swapped, is that normal",
        ),
    ],
)
def test_text_speak_is_written_out(typed, spelled):
    assert _spelled(typed) == spelled


@pytest.mark.parametrize(
    "text",
    [
        "how many children aged 2 are in care",  # a number, not "to"
        "are 2 kids placed within 20 miles",
        "what did the report say about the 4 teams",
        "within the region, again",  # English words ending in "in" keep their spelling
        "Section C of the report",
        "the R&D budget",
        "the PLO in court",
    ],
)
def test_ordinary_words_and_numbers_are_left_alone(text):
    assert _spelled(text) == text


def test_a_question_in_text_speak_finds_what_the_spelled_out_question_finds(search_index):
    typed = answer("wot must change wiv poole nite team", index=search_index)
    spelled = answer("what must change with poole night team", index=search_index)
    assert typed.answered and typed.intent == spelled.intent == "recommendation"
    assert [h.id for h in typed.hits] == [h.id for h in spelled.hits]


def test_the_original_text_is_kept_for_display():
    parsed = parse_query("wot r u sayin")
    assert parsed.original == "wot r u sayin"
    assert parsed.text == "what are you saying"
