"""The embedding cache: a rebuild reads back the vectors an earlier build computed,
and a broken cache only costs time."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search import semantic
from bot.search.vector_cache import VectorCache


def test_vectors_round_trip_per_model(tmp_path):
    cache = VectorCache(tmp_path / "vectors.db", "model-a")
    vector = np.arange(4, dtype=np.float32)
    cache.put({b"k1": vector})
    assert np.array_equal(cache.get([b"k1", b"k2"])[b"k1"], vector)
    assert VectorCache(tmp_path / "vectors.db", "model-b").get([b"k1"]) == {}


def test_a_corrupt_cache_is_read_as_empty_and_never_raises(tmp_path):
    path = tmp_path / "vectors.db"
    path.write_bytes(b"not a database" * 100)
    cache = VectorCache(path, "model-a")
    assert cache.get([b"k1"]) == {}
    cache.put({b"k1": np.zeros(3, dtype=np.float32)})  # logged, not raised


def test_a_second_build_reads_the_first_builds_vectors(tmp_path, monkeypatch):
    try:
        model = semantic.embedder()
    except semantic.ModelUnavailable:
        pytest.skip("the model's weights are not installed")
    texts = ["Children wait too long for a social worker.", "Care leavers live in safe homes."]
    disk = VectorCache(tmp_path / "vectors.db", semantic.model_id())
    monkeypatch.setattr(semantic, "_cache", {})
    first = semantic._embed_cached(model, texts, disk)

    calls = []
    real = model.embed
    monkeypatch.setattr(model, "embed", lambda batch: calls.append(batch) or real(batch))
    monkeypatch.setattr(semantic, "_cache", {})  # a new process: nothing in memory
    second = semantic._embed_cached(model, texts, disk)
    assert calls == []  # nothing computed again
    assert np.allclose(first, second)
