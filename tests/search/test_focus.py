"""The question in a Slack message, told apart from the greeting and context around it."""

from __future__ import annotations

import pytest

from bot.search.focus import Focus, message_focus
from bot.search.query import parse_query


@pytest.mark.parametrize(
    ("message", "question", "context"),
    [
        (
            "Hi all, I'm new to the board - what does CSE stand for?",
            "what does CSE stand for?",
            "Hi all, I'm new to the board",
        ),
        (
            "Afternoon all. We're reviewing our audit tool this week: how did Ofsted find "
            "the quality of plans?",
            "how did Ofsted find the quality of plans?",
            "Afternoon all. We're reviewing our audit tool this week",
        ),
        (
            "What did inspectors say about supervision? I need to brief my team by Friday.",
            "What did inspectors say about supervision?",
            "I need to brief my team by Friday.",
        ),
    ],
)
def test_a_question_is_told_apart_from_what_the_asker_says_of_themselves(
    message, question, context
):
    assert message_focus(message) == Focus(question=question, context=context)


@pytest.mark.parametrize(
    "message",
    [
        "what does CSE stand for?",  # all question
        "edt findings 2017",  # no question at all
        "thanks all, that's really helpful",  # a sign-off, nothing asked
        # A clause about the service, not the asker, is what is asked about.
        "Siblings' needs lumped together on one file - still happening?",
        # The question points back at the clause before it.
        "I foster teenagers at short notice. Did inspectors pick up on this?",
        "my son uses a wheelchair - how do kids like him fare?",
        # A few words beside the question name its topic.
        "plo: what should improve?",
        "disabled kids - cp work ok?",
    ],
)
def test_a_message_that_is_all_question_or_points_back_has_no_separate_context(message):
    assert message_focus(message) is None


def test_context_words_rank_but_only_the_questions_words_must_be_found():
    parsed = parse_query(
        "Morning both - I sit on the fostering panel and we're short of carers: "
        "what did Ofsted say about adoption support?"
    )
    assert {"adoption", "support"} <= set(parsed.topic_words)
    assert not {"fostering", "panel", "carers", "morning"} & set(parsed.topic_words)
    assert {"fostering", "panel", "carers"} <= {g.label for g in parsed.groups}


def test_the_question_sets_the_intent_not_the_context():
    # "still" in the context is no comparison between inspections.
    parsed = parse_query("Hi all, still finding my feet here - how was adoption graded?")
    assert parsed.intent == "judgement"


def test_a_question_with_no_topic_of_its_own_keeps_the_contexts():
    parsed = parse_query(
        "For a study I need the rate of children in care against England's. "
        "What does the report give?"
    )
    assert parsed.intent == "figure"
    assert "study" in parsed.topic_words
