"""`kb publish` refuses an unfinished report, and publishes a finished one that search
then answers from, with no change to the code.

Each case runs the commands as a curator does (`python -m bot ...`) against a scratch
copy of knowledge/ and seeds/ (as tests/security/test_draft_inputs.py does), with the
INSPECTION_BOT_KNOWLEDGE_DIR, _SEEDS_DIR and _DATA_DIR environment variables.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ROOT
from tests.security.test_draft_inputs import Site, snapshot
from tests.security.test_draft_inputs import site as site  # noqa: F401 - the fixture

MONITORING = ROOT / "tests" / "fixtures" / "drafting" / "bcp_monitoring_visit_2022.txt"
FOCUSED = ROOT / "tests" / "fixtures" / "drafting" / "bcp_focused_visit_2020.txt"


def drafted(site: Site, source, report_id: str):
    (site.inputs / source.name).write_bytes(source.read_bytes())
    result = site.draft(source.name)
    assert result.returncode == 0, result.stderr
    assert f"(report id {report_id})" in result.stdout.splitlines()[0]
    return site.knowledge / "drafts" / f"{report_id}.yaml"


def test_draft_review_publish_and_search_the_monitoring_visit(site):
    draft = drafted(site, MONITORING, "bcp-2022-06-monitoring")
    # The curator reviews: every record, and the report's own keys, set reviewed: true.
    draft.write_text(draft.read_text().replace("reviewed: false", "reviewed: true"))
    published = site.run("kb", "publish", "bcp-2022-06-monitoring")
    assert (published.returncode, published.stderr) == (0, ""), published.stderr
    assert not draft.exists()
    assert (site.knowledge / "reports" / "bcp-2022-06-monitoring.yaml").is_file()
    assert site.run("kb", "validate").returncode == 0

    searched = site.run(
        "search",
        "--json",
        "what did the monitoring visit in June 2022 find about the front door?",
    )
    assert searched.returncode == 0, searched.stderr
    answer = json.loads(searched.stdout)
    assert answer["answered"], answer["notes"]
    assert answer["hits"] and {h["report"] for h in answer["hits"]} == {"bcp-2022-06-monitoring"}
    assert answer["hits"][0]["report_kind"] == "inspection letter"


def test_the_history_candidate_becomes_a_proven_history_entry(site):
    draft = drafted(site, MONITORING, "bcp-2022-06-monitoring")
    text = draft.read_text()
    draft.write_text(text.replace("reviewed: false", "reviewed: true"))
    assert site.run("kb", "publish", "bcp-2022-06-monitoring").returncode == 0
    ready = text[text.index("# - id: history-2021-12-inadequate") :]
    entry = "\n".join("  " + line[2:] for line in ready.splitlines())
    entry = entry.replace("event: null  # name the inspection it was", "event: Inspection")
    history = site.knowledge / "history.yaml"
    history.write_text(history.read_text().rstrip("\n") + "\n" + entry + "\n")
    validated = site.run("kb", "validate")
    assert (validated.returncode, validated.stderr) == (0, "")


def refused(site: Site, report_id: str) -> list[str]:
    before = snapshot(site.root)
    result = site.run("kb", "publish", report_id)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("Not published: ") and lines[-1].endswith(
        "; the draft is unchanged."
    )
    assert snapshot(site.root) == before  # nothing moved, nothing written
    assert not (site.knowledge / "reports" / f"{report_id}.yaml").exists()
    return lines[:-1]


def test_publish_refuses_unreviewed_records_naming_each_at_its_line(site):
    draft = drafted(site, MONITORING, "bcp-2022-06-monitoring")
    problems = refused(site, "bcp-2022-06-monitoring")
    text = draft.read_text().split("\n")
    unreviewed = [n for n, line in enumerate(text, 1) if line.strip() == "reviewed: false"]
    assert len(problems) == len(unreviewed) > 10
    for problem, line in zip(problems, unreviewed, strict=True):
        assert problem.startswith(f"knowledge/drafts/bcp-2022-06-monitoring.yaml:{line}: ")
        assert "still reviewed: false" in problem


def test_publish_refuses_a_null_key_and_a_placeholder(site):
    draft = drafted(site, FOCUSED, "bcp-2020-01-focused")
    text = draft.read_text().replace("reviewed: false", "reviewed: true")
    assert re.search(r"^  headline: null  # not found in the text", text, re.M)
    text = text.replace("  publisher: Ofsted", "  publisher: Unknown (the curator sets this)")
    text = text.replace("  date_note: null", "  date_note: null\n  url: TODO", 1)
    text = text.replace("  url: null\n", "", 1)
    text = text.replace("  inspected_to: 2020-01-29", "  inspected_to: null")
    draft.write_text(text)
    lines = draft.read_text().split("\n")

    def at(prefix: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if line.startswith(prefix))

    where = "knowledge/drafts/bcp-2020-01-focused.yaml"
    assert refused(site, "bcp-2020-01-focused") == [
        f"{where}:{at('  publisher:')}: [bcp-2020-01-focused] 'publisher' holds a placeholder "
        "('Unknown (the curator sets this)'): write the real value",
        f"{where}:{at('  inspected_to:')}: [bcp-2020-01-focused] inspected_to is null and no "
        "date_note says why: set one or the other",
        f"{where}:{at('  url:')}: [bcp-2020-01-focused] 'url' holds a placeholder ('TODO'): "
        "write the real value",
        f"{where}:{at('  headline:')}: [bcp-2020-01-focused] headline is null: set it to publish",
    ]


def test_publish_refuses_a_draft_that_found_no_council(site):
    (site.inputs / "bare.txt").write_text(
        "Inspection of children's services\n\n"
        "Inspectors found that children are seen quickly and that their plans are reviewed "
        "regularly by managers.\n"
    )
    result = site.draft("bare.txt")
    assert result.returncode == 0, result.stderr
    summary = result.stdout.splitlines()[0]
    assert "Not found in the text: inspection, authority, inspected_from, inspected_to" in summary
    report_id = re.search(r"\(report id (\S+)\)", summary).group(1)
    assert re.fullmatch(r"draft-report(-\d+)?", report_id)
    draft = site.knowledge / "drafts" / f"{report_id}.yaml"
    draft.write_text(draft.read_text().replace("reviewed: false", "reviewed: true"))
    problems = refused(site, report_id)
    assert [p.split("] ", 1)[1] for p in problems] == [
        "authority is null: set it to publish",
        "headline is null: set it to publish",
    ]


@pytest.mark.parametrize("report_id", ["poole-2017", "no-such-draft"])
def test_publish_of_no_draft_is_refused(site, report_id):
    before = snapshot(site.root)
    result = site.run("kb", "publish", report_id)
    assert result.returncode == 2
    assert result.stderr.startswith(f"no draft knowledge/drafts/{report_id}.yaml\n")
    assert snapshot(site.root) == before


def test_kb_history_adds_the_named_candidates_to_the_timeline_and_nothing_unnamed(site):
    draft = drafted(site, MONITORING, "bcp-2022-06-monitoring")
    draft.write_text(draft.read_text().replace("reviewed: false", "reviewed: true"))
    published = site.run("kb", "publish", "bcp-2022-06-monitoring")
    assert "inspection-bot kb history bcp-2022-06-monitoring" in published.stdout
    history = site.knowledge / "history.yaml"
    before = history.read_bytes()

    unnamed = site.run("kb", "history", "bcp-2022-06-monitoring")
    assert (
        unnamed.returncode == 2 and "name the event of history-2021-12-inadequate" in unnamed.stderr
    )
    assert history.read_bytes() == before

    report = site.knowledge / "reports" / "bcp-2022-06-monitoring.yaml"
    report.write_text(
        report.read_text().replace(
            "event: null  # name the inspection it was",
            "event: Inspection of local authority children's services",
        )
    )
    added = site.run("kb", "history", "bcp-2022-06-monitoring")
    assert (added.returncode, added.stderr) == (0, "")
    assert added.stdout.strip() == "Added to knowledge/history.yaml: history-2021-12-inadequate."
    assert site.run("kb", "validate").returncode == 0
    asked = json.loads(site.run("search", "--json", "was it ever judged inadequate").stdout)
    assert "history-2021-12-inadequate" in [h["id"] for h in asked["hits"]], asked
