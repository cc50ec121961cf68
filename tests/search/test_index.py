"""The index: built on first use, rebuilt on change, swapped in atomically."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError
from bot.paths import Paths
from bot.search.engine import IndexMissing, SearchIndex
from bot.search.index import build_index, index_is_current, live_index_dir, read_meta
from bot.search.service import open_index
from tests.conftest import SEEDS


@pytest.fixture
def paths(knowledge_copy: Path, tmp_path: Path) -> Paths:
    return Paths(knowledge=knowledge_copy, seeds=SEEDS, data=tmp_path / "data")


def ids(index: SearchIndex, text: str) -> list[str]:
    from bot.answers import answer

    return [h.id for h in answer(text, index=index).hits]


def test_built_automatically_on_first_use(paths):
    assert not live_index_dir(paths.data).exists()
    index = open_index(paths)
    assert index.meta.documents > 400
    assert index_is_current(paths)
    assert ids(index, "out of hours service")


def test_rebuilt_when_the_knowledge_changes(paths):
    first = open_index(paths).meta.fingerprint
    glossary = paths.knowledge / "glossary.yaml"
    glossary.write_text(
        glossary.read_text() + "\n  - term: TAF\n    expansions: [team around the family]\n"
    )
    assert not index_is_current(paths)
    second = open_index(paths)
    assert second.meta.fingerprint != first
    assert any(g["term"] == "TAF" for g in second.meta.glossary)


def test_a_broken_file_at_rebuild_keeps_the_old_index_serving(paths, caplog):
    before = open_index(paths)
    good_build = before.path
    report = paths.knowledge / "reports" / "poole-2010.yaml"
    report.write_text(report.read_text().replace("kind: strength", "kind: strength\n   bad: [", 1))
    with pytest.raises(KnowledgeError) as caught:
        build_index(paths)
    assert "poole-2010.yaml:" in str(caught.value.problems[0])
    assert "YAML syntax error" in str(caught.value.problems[0])
    # The live index is untouched, and serving goes on from it, logging file and line.
    assert live_index_dir(paths.data).resolve() == good_build
    after = open_index(paths)
    assert after.path == good_build
    assert ids(after, "out of hours service")
    assert "poole-2010.yaml:" in caplog.text


def test_a_broken_file_with_no_index_at_all_is_an_error(paths):
    report = paths.knowledge / "reports" / "poole-2010.yaml"
    report.write_text(report.read_text().replace("themes: [", "themes: [nonsense-theme, ", 1))
    with pytest.raises(KnowledgeError) as caught:
        open_index(paths)
    assert "unknown theme 'nonsense-theme'" in str(caught.value)


def test_concurrent_builds_leave_one_complete_index(paths):
    errors: list[BaseException] = []

    def build():
        try:
            build_index(paths)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    index = SearchIndex(live_index_dir(paths.data))
    assert index.meta.documents > 400
    builds = list((paths.data / "indexes").iterdir())
    assert len(builds) <= 2  # old builds are pruned


def test_a_deleted_index_is_rebuilt(paths):
    open_index(paths)
    shutil.rmtree(live_index_dir(paths.data).resolve())
    index = open_index(paths)
    assert ids(index, "adoption")


def test_opening_a_missing_index_without_rebuilding_says_so(paths):
    with pytest.raises(IndexMissing):
        open_index(paths, rebuild_if_stale=False)


def test_meta_records_the_fingerprint(paths):
    build_index(paths)
    meta = read_meta(live_index_dir(paths.data))
    assert meta is not None and len(meta.fingerprint) == 64


def test_any_record_is_found_by_its_curated_asks(knowledge_copy, tmp_path):
    # A figure asked for in words the report never uses ("grandparents ... legal
    # custody") is found once a curator adds that way of asking to it.
    from tests.conftest import SEEDS

    question = "how many grannies got legal custody of grandchildren"
    report = knowledge_copy / "reports" / "poole-2017.yaml"
    text = report.read_text()
    anchor = "    quote: nine children became the subject of special guardianship orders\n"
    start = text.index(anchor)
    asks = text.index("    asks:\n", start) + len("    asks:\n")
    report.write_text(text[:asks] + f"      - {question}\n" + text[asks:])
    index = open_index(Paths(knowledge=knowledge_copy, seeds=SEEDS, data=tmp_path / "data"))
    found = index.search(index.parse(question), kinds={"figure"}, limit=1)
    assert found[0].hit.id == "poole-2017-figure-special-guardianship-orders"
    assert "grannies" not in found[0].hit.quote  # asks are never shown as the report's words
