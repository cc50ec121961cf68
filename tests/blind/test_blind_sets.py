"""The frozen blind sets stay usable: every accepted id still names a record (a renamed
record is renamed here too, and nothing else changes). They are never scored in tests:
bench.search_quality prints their totals, so no test can be tuned to them."""

from __future__ import annotations

import pytest

from bench.blind import BLIND, BLIND_2, load_blind


@pytest.mark.parametrize("path", [BLIND, BLIND_2], ids=lambda p: p.name)
def test_every_accepted_id_names_a_record(kb, path):
    questions = load_blind(path)
    assert len(questions) >= 120
    assert sum(q.unanswerable for q in questions) >= 24
    for question in questions:
        assert question.unanswerable or question.accept
        missing = [a for a in question.accept if kb.record(a) is None]
        assert not missing, f"{path.name}: an accepted id names no record: {missing}"
