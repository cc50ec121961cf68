"""The golden set is honest, and search quality never falls below what it reached."""

from __future__ import annotations

import re

import pytest

from bench.golden import load_golden, score
from bot.answers import answer
from bot.knowledge import Finding
from bot.search.vocabulary import FILLER

QUESTIONS = load_golden()

# The level reached when this guard was last raised (see bench/search_quality.py).
FLOOR = {"hit_at_1": 0.945, "hit_at_3": 0.99, "mrr": 0.965, "false_abstentions": 1}


def normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def content_stems(text: str) -> set[str]:
    return {w[:5] for w in normalise(text).split() if w not in FILLER and len(w) > 2}


def test_the_set_is_big_enough_and_varied():
    answerable = [q for q in QUESTIONS if not q.unanswerable]
    assert len(QUESTIONS) >= 60
    assert len(QUESTIONS) - len(answerable) >= 8
    intents = {q.intent for q in answerable}
    assert {"finding", "judgement", "figure", "recommendation", "comparison"} <= intents


def test_every_accepted_id_exists(kb):
    passages = {p.id for ps in kb.passages.values() for p in ps}
    for question in QUESTIONS:
        for accepted in question.accept:
            assert kb.record(accepted) or accepted in passages, (question.q, accepted)
        assert question.unanswerable or question.accept, question.q


def test_no_question_is_copied_from_the_knowledge_base(kb):
    texts = []
    for record in kb.records:
        texts.append(normalise(record.quote))
        if isinstance(record, Finding):
            texts.append(normalise(record.summary))
            texts += [normalise(a) for a in record.asks]
    for question in QUESTIONS:
        q = normalise(question.q)
        assert not any(q in text for text in texts), question.q


def test_at_least_twenty_questions_share_no_content_word_with_their_answer(kb):
    def shares_nothing(question) -> bool:
        words = content_stems(question.q)
        for accepted in question.accept:
            record = kb.record(accepted)
            if record is None:
                continue
            text = record.quote + " " + (getattr(record, "summary", "") or "")
            if words & content_stems(text):
                return False
        return True

    paraphrases = [q for q in QUESTIONS if not q.unanswerable and shares_nothing(q)]
    assert len(paraphrases) >= 20, [q.q for q in paraphrases]


def test_half_the_unanswerable_questions_use_the_reports_own_words(kb):
    vocabulary = set()
    for passages in kb.passages.values():
        for passage in passages:
            vocabulary |= content_stems(passage.text)
    unanswerable = [q for q in QUESTIONS if q.unanswerable]
    using_report_words = [q for q in unanswerable if content_stems(q.q) & vocabulary]
    assert len(using_report_words) * 2 >= len(unanswerable)


@pytest.fixture(scope="module")
def scores(search_index, kb):
    passage_of = {r.id: f"{r.report_id}:p{r.location.passage}" for r in kb.records}

    def rank(question: str):
        result = answer(question, index=search_index, limit=10)
        return result.answered, [h.id for h in result.hits]

    return score(QUESTIONS, rank, passage_of)


def test_quality_never_falls_below_the_level_reached(scores):
    assert scores.hit_at_1 >= FLOOR["hit_at_1"], scores.misses
    assert scores.hit_at_3 >= FLOOR["hit_at_3"], scores.misses
    assert scores.mrr >= FLOOR["mrr"], scores.misses


def test_every_unanswerable_question_is_declined(scores):
    assert scores.correct_abstentions == scores.unanswerable, scores.misses


def test_answerable_questions_are_not_declined(scores):
    assert scores.false_abstentions <= FLOOR["false_abstentions"], scores.misses
