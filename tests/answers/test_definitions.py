"""'What does MASH stand for': the glossary's words, labelled, then the reports' own."""

from __future__ import annotations

import pytest

from bot.answers import answer
from bot.answers.definitions import defined_term, definition_note

GLOSSARY = [
    {
        "term": "MASH",
        "expansions": ["multi-agency safeguarding hub"],
        "synonyms": ["front door"],
        "note": "Where agencies share information about concerns for a child.",
    },
    {
        "term": "Prevent",
        "expansions": [],
        "synonyms": [],
        "note": "The duty to stop radicalisation.",
    },
]


@pytest.mark.parametrize(
    "question",
    [
        "what does MASH mean",
        "What does MASH stand for?",
        "whats the MASH they keep mentioning",
        "what's a MASH? the report keeps mentioning it",
        "whats a mash? what's their role?",
        "what is a MASH",
        "define MASH",
        "meaning of mash",
        "MASH acronym",
        "MASH stands for?",
        "mash short for what",
        "what do the letters MASH stand for",
        "what is the MASH in the report",
        "what does multi-agency safeguarding hub mean",
        "<@U0123ABCD> what does MASH stand for?",  # an @-mention is no part of it
        "what does the MASH mean in plain english",
        "what does MASH stand for please",
        "what does MASH stand for in the LSCB section?",  # where it was read, not more
        # A message saying more than its question: the question is read.
        "sorry, newbie question while I read the recs: what does MASH stand for?",
        "Hi all, I'm new on the board - what does MASH mean?",
    ],
)
def test_a_question_asking_only_what_a_term_means_is_a_definition(question):
    assert defined_term(question, GLOSSARY)["term"] == "MASH"


@pytest.mark.parametrize(
    "question",
    [
        "what's the MASH doing about referrals",  # asks about the MASH, not its name
        "is the MASH any good",
        "MASH",
        "what is the front door like",
        "what does the LADO mean",  # not in this glossary
        "what is prevent",  # an everyday word: only a capitalised one-word term is an acronym
        "what does MASH stand for in the section on early help failures and why",
        "I'm new here - what does MASH stand for and is it any good?",
    ],
)
def test_anything_more_than_the_meaning_is_not_a_definition(question):
    assert defined_term(question, GLOSSARY) is None


def test_the_note_says_it_is_the_glossarys_words_not_ofsteds():
    note = definition_note(GLOSSARY[0])
    assert note == (
        "MASH stands for multi-agency safeguarding hub. Where agencies share information "
        "about concerns for a child. (inspection-bot's glossary; the reports' own words follow.)"
    )


def test_a_definition_is_answered_with_the_glossary_then_records_spelling_it_out(search_index):
    result = answer("whats the PLO they keep mentioning", index=search_index)
    assert result.answered
    assert result.notes[0].startswith("PLO stands for Public Law Outline.")
    assert "inspection-bot's glossary" in result.notes[0]
    # The reports' own words: the record that spells the term out comes first.
    assert "public law outline" in result.hits[0].quote.lower()


def test_a_definition_pages_like_any_answer(search_index):
    first = answer("what does CSE stand for", index=search_index, limit=2)
    second = answer("what does CSE stand for", index=search_index, limit=2, offset=2)
    assert first.total == second.total > 2
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
