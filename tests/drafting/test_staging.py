"""A draft is proven by the knowledge base's validator before anything is written:
candidates it rejects are left out, and a draft it rejects as a whole is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.drafting import DraftError, publish_draft
from bot.drafting.draft import draft_report
from bot.drafting.extract import read_source
from bot.drafting.seeds import plan_seed_files
from bot.drafting.staging import prove_draft
from bot.paths import Paths
from tests.conftest import ROOT, SEEDS
from tests.security.test_draft_inputs import snapshot

FIXTURE = ROOT / "tests" / "fixtures" / "northmoor_focused_visit.txt"


@pytest.fixture
def paths(knowledge_copy: Path, tmp_path: Path) -> Paths:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return Paths(knowledge=knowledge_copy, seeds=tmp_path / "seeds", data=tmp_path / "data")


def northmoor_draft(paths: Paths):
    source = read_source(FIXTURE)
    seed = plan_seed_files(source, paths.seeds)
    themes = yaml.safe_load((paths.knowledge / "themes.yaml").read_text())["themes"]
    draft = draft_report(
        source.text, seed=seed.text_name, report_id="northmoor-2025", themes=themes
    )
    return draft.as_yaml_data(), seed


def test_a_good_draft_is_proven_whole_and_nothing_is_written(paths, tmp_path):
    data, seed = northmoor_draft(paths)
    before = snapshot(tmp_path)
    proven = prove_draft(data, seed, paths)
    assert proven.left_out == []
    assert yaml.safe_load(proven.text)["findings"] == data["findings"]
    assert snapshot(tmp_path) == before


def test_a_candidate_the_validator_rejects_is_left_out(paths):
    data, seed = northmoor_draft(paths)
    data["findings"][0]["quote"] = "Words that stand nowhere in the source text at all."
    data["findings"][1]["id"] = "poole-2017-rec-01"  # a curated recommendation's id
    rejected = sorted([data["findings"][0]["id"], "poole-2017-rec-01"])
    proven = prove_draft(data, seed, paths)
    assert proven.left_out == rejected
    kept = [f["id"] for f in yaml.safe_load(proven.text)["findings"]]
    assert len(kept) == len(data["findings"]) - 2
    assert not set(rejected) & set(kept)


def test_a_draft_the_validator_rejects_as_a_whole_is_refused(paths, tmp_path):
    data, seed = northmoor_draft(paths)
    data["report"]["sections"][1]["heading"] = "A heading the seed does not have"
    before = snapshot(tmp_path)
    with pytest.raises(DraftError) as refused:
        prove_draft(data, seed, paths)
    assert str(refused.value).startswith(
        "the draft would not pass `kb validate`: knowledge/drafts/northmoor-2025.yaml:"
    )
    assert "does not start with its heading 'A heading the seed does not have'" in str(
        refused.value
    )
    assert snapshot(tmp_path) == before


def test_publish_takes_only_a_report_id(paths, tmp_path):
    before = snapshot(tmp_path)
    problems = publish_draft("../reports/poole-2017", paths=paths)
    assert problems == [
        "'../reports/poole-2017' is not a report id: use lowercase letters and digits, in "
        "words joined by single hyphens, at most 64 characters (e.g. northmoor-2025)"
    ]
    assert snapshot(tmp_path) == before
