"""`kb draft` reads Ofsted's letter and report formats, and says what it cannot find.

The fixtures in tests/fixtures/drafting/ are hand-written in the layouts of Ofsted's
published documents (a focused visit and a monitoring visit letter, an ILACS report
with its four judgements, a JTAI letter, a SIF-style report, an unannounced inspection
letter, an LSCB review), a newspaper page reprinting a letter, and a copy of the
monitoring letter as PDF extraction leaves it. Each is drafted into a scratch copy of
knowledge/ and seeds/.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.drafting import draft_file
from bot.drafting.draft import _figure, _guess_kind, damage_warnings
from bot.drafting.ids import REPORT_ID, check_report_id
from bot.knowledge import validate_knowledge
from bot.paths import Paths
from tests.conftest import ROOT, SEEDS

FIXTURES = ROOT / "tests" / "fixtures" / "drafting"
BCP = "Bournemouth, Christchurch and Poole Council"


@pytest.fixture
def paths(knowledge_copy: Path, tmp_path: Path) -> Paths:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return Paths(knowledge=knowledge_copy, seeds=tmp_path / "seeds", data=tmp_path / "data")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# fixture: (kind, inspection, authority, inspected from, to, published, not found, id)
EXPECTED = {
    "bcp_focused_visit_2020.txt": (
        "inspection letter",
        "focused-visit",
        BCP,
        "2020-01-28",
        "2020-01-29",
        "2020-02-26",
        ["headline"],
        "bcp-2020-01-focused",
    ),
    "bcp_monitoring_visit_2022.txt": (
        "inspection letter",
        "monitoring-visit",
        BCP,
        "2022-06-07",
        "2022-06-08",
        "2022-07-19",
        [],
        "bcp-2022-06-monitoring",
    ),
    "bcp_monitoring_visit_2022_extracted.txt": (
        "inspection letter",
        "monitoring-visit",
        BCP,
        "2022-06-07",
        "2022-06-08",
        "2022-07-19",
        [],
        "bcp-2022-06-monitoring",
    ),
    "ilacs_tarnside_2019.txt": (
        "inspection report",
        "ilacs-inspection",
        "Tarnside Metropolitan Borough Council",
        "2019-11-25",
        "2019-12-06",
        None,
        ["published"],
        "tarnside-2019-11-ilacs",
    ),
    "jtai_fenwick_2024.txt": (
        "inspection letter",
        "jtai",
        "Fenwick, Lowdale and Marsh Council",
        "2024-02-05",
        "2024-02-09",
        "2024-03-18",
        ["inspectors"],
        "fenwick-lowdale-marsh-2024-02-jtai",
    ),
    "sif_ashcombe_2016.txt": (
        "inspection report",
        "sif-inspection",
        "Royal Borough of Ashcombe",
        "2016-04-04",
        "2016-04-28",
        "2016-06-07",
        [],
        "ashcombe-2016-04-sif",
    ),
    "unannounced_kelbrook_2011.txt": (
        "inspection letter",
        "unannounced-inspection",
        "Kelbrook Borough Council",
        "2011-07-12",
        "2011-07-13",
        "2011-08-09",
        ["headline"],
        "kelbrook-2011-07-unannounced",
    ),
    "lscb_corrington_2016.txt": (
        "inspection report",
        "lscb-review",
        "Corrington City Council",
        "2016-06-13",
        "2016-07-05",
        "2016-08-19",
        [],
        "corrington-2016-06-lscb",
    ),
    "press_reprint_bcp_2022.txt": (
        "press article",
        "press",
        BCP,
        "2022-06-07",
        "2022-06-08",
        "2022-07-21",
        ["about_report"],
        "bcp-2022-06-press",
    ),
}


def test_there_is_a_fixture_of_each_kind_and_all_are_tested():
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(EXPECTED)
    kinds = yaml.safe_load((ROOT / "knowledge" / "inspections.yaml").read_text())["kinds"]
    drafted = {expected[1] for expected in EXPECTED.values()}
    assert drafted <= {k["id"] for k in kinds}
    assert len(drafted) == 8  # focused, monitoring, ILACS, JTAI, SIF, unannounced, LSCB, press


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_format_drafts_its_kind_authority_and_dates(paths, name, monkeypatch, capsys):
    kind, inspection, authority, start, end, published, missing, report_id = EXPECTED[name]
    monkeypatch.setenv("INSPECTION_BOT_KNOWLEDGE_DIR", str(paths.knowledge))
    monkeypatch.setenv("INSPECTION_BOT_SEEDS_DIR", str(paths.seeds))
    monkeypatch.setenv("INSPECTION_BOT_DATA_DIR", str(paths.data))
    assert cli.main(["kb", "draft", str(FIXTURES / name)]) == 0
    summary = capsys.readouterr().out.splitlines()[0]
    draft = paths.knowledge / "drafts" / f"{report_id}.yaml"
    assert summary.startswith(f"Draft written to {draft} (report id {report_id}): ")
    if missing:
        assert summary.endswith(
            f"Not found in the text: {', '.join(missing)} (null in the draft; see its notes)."
        )
    else:
        assert "Not found" not in summary

    text = draft.read_text()
    report = load(draft)["report"]
    assert (report["kind"], report["inspection"], report["authority"]) == (
        kind,
        inspection,
        authority,
    )
    assert (report["inspected_from"], report["inspected_to"], report["published"]) == (
        day(start),
        day(end),
        day(published),
    )
    # Each key the text did not give is null, with a comment beside it and a note.
    for key in missing:
        assert report[key] is None
        assert re.search(rf"^  {key}: null  # not found in the text", text, re.M), key
        assert any(note.startswith(f"{key}: not found in the text") for note in report["notes"])
    # Never a placeholder for a value.
    for key in ("kind", "authority", "publisher", "headline", "title"):
        value = report.get(key)
        assert value is None or not re.search(r"unknown|curator|draft:", value, re.I), key
    assert REPORT_ID.fullmatch(report_id)
    check_report_id(report_id)
    _, problems = validate_knowledge(paths.knowledge, paths.seeds, include_drafts=True)
    assert problems == []


def test_the_monitoring_letter_names_its_title_inspectors_headline_and_history(paths):
    result = draft_file(FIXTURES / "bcp_monitoring_visit_2022.txt", paths=paths)
    data = load(result.path)
    report = data["report"]
    assert report["title"] == (
        "Monitoring visit to Bournemouth, Christchurch and Poole children's services"
    )
    assert report["inspectors"] == ["Amelia Hartley", "Joseph Quinn"]
    assert report["publisher"] == "Ofsted"
    assert report["headline"].startswith("Senior leaders have responded with urgency")
    assert report["reviewed"] is False
    # The earlier judgement the letter states is a candidate for history.yaml.
    notes = [n for n in report["notes"] if n.startswith("History candidate")]
    assert len(notes) == 1 and "judged inadequate in December 2021" in notes[0]
    footer = result.path.read_text().split("# History candidates")[1]
    ready = footer[footer.index("# - id:") :]
    entry = yaml.safe_load("\n".join(line[2:] for line in ready.splitlines()))
    assert entry == [
        {
            "id": "history-2021-12-inadequate",
            "date": "2021-12",
            "event": None,
            "outcome": "Inadequate",
            "report": result.report_id,
            "section": entry[0]["section"],
            "quote": "This was the first monitoring visit since the local authority was judged "
            "inadequate in December 2021.",
        }
    ]


def test_inspectors_are_read_from_signatures_labels_and_sentences(paths):
    drafted = {
        name: load(draft_file(FIXTURES / name, paths=paths).path)["report"]
        for name in (
            "sif_ashcombe_2016.txt",
            "unannounced_kelbrook_2011.txt",
            "lscb_corrington_2016.txt",
            "bcp_monitoring_visit_2022_extracted.txt",
        )
    }
    assert drafted["sif_ashcombe_2016.txt"]["inspectors"] == [
        "Daniel Okafor",
        "Grace Whitfield",
        "Martin Lowe",
        "Hannah Petrov",
    ]
    assert drafted["unannounced_kelbrook_2011.txt"]["inspectors"] == ["Helen Marsh"]
    assert drafted["lscb_corrington_2016.txt"]["inspectors"] == ["Colin Abernethy"]
    assert drafted["bcp_monitoring_visit_2022_extracted.txt"]["inspectors"] == [
        "Amelia Hartley",
        "Joseph Quinn",
    ]
    seed = load(draft_file(paths.seeds / "001_47818ba42b808dec.txt", paths=paths).path)
    assert seed["report"]["inspectors"] == ["Paul d'Inverno"]


def test_the_ilacs_report_has_its_four_judgements(paths):
    data = load(draft_file(FIXTURES / "ilacs_tarnside_2019.txt", paths=paths).path)
    assert sorted((j["area"], j["grade"]) for j in data["judgements"]) == [
        ("Overall effectiveness", "Requires improvement to be good"),
        (
            "The experiences and progress of children in care and care leavers",
            "Good",
        ),
        (
            "The experiences and progress of children who need help and protection",
            "Requires improvement to be good",
        ),
        (
            "The impact of leaders on social work practice with children and families",
            "Requires improvement to be good",
        ),
    ]
    assert len(data["recommendations"]) == 3  # "What needs to improve"
    assert data["report"]["headline"] == (
        "Services for children in Tarnside require improvement to be good"
    )
    assert data["report"]["date_note"] == "The text states no publication date."


def test_a_press_page_reprinting_a_letter_is_drafted_as_press(paths):
    result = draft_file(FIXTURES / "press_reprint_bcp_2022.txt", paths=paths)
    [warning] = [w for w in result.warnings if "press page" in w]
    for sign in ("a byline at line 6", "'Advertisement'", "'Read more'", "a date line at line 8"):
        assert sign in warning
    assert "reprinting an inspection's text" in warning and "never Ofsted's" in warning
    data = load(result.path)
    report = data["report"]
    assert report["publisher"] == "The Wessex Chronicle"
    assert "inspectors" not in report  # the quoted signature is not the article's
    assert any(n.startswith("A press page (a byline at line 6") for n in report["notes"])
    # Nothing in it is drafted as Ofsted's words: no judgements or recommendations,
    # and its paragraphs (the quoted letter's too) are the press's facts and statements.
    assert data["judgements"] == [] and data["recommendations"] == []
    assert {f["kind"] for f in data["findings"]} == {"fact", "statement"}
    [statement] = [f for f in data["findings"] if f["kind"] == "statement"]
    assert statement["speaker"] == "A council spokesperson"
    assert any("Senior leaders have responded" in f["quote"] for f in data["findings"])


def test_the_press_seed_is_drafted_as_press(paths):
    result = draft_file(paths.seeds / "003_d6e5cef82d56edca.txt", paths=paths)
    report = load(result.path)["report"]
    assert (report["kind"], report["inspection"], report["publisher"]) == (
        "press article",
        "press",
        None,
    )
    assert any("press article" in w for w in result.warnings)


def test_drafting_a_text_already_drafted_or_published_is_warned_about(paths):
    first = draft_file(FIXTURES / "bcp_monitoring_visit_2022.txt", paths=paths)
    assert not any("already" in w for w in first.warnings)
    again = draft_file(FIXTURES / "bcp_monitoring_visit_2022.txt", paths=paths)
    assert again.report_id == "bcp-2022-06-monitoring-2"
    assert (
        "the same text is already seeds/bcp_monitoring_visit_2022.txt, the source of "
        "knowledge/drafts/bcp-2022-06-monitoring.yaml: this drafts it a second time"
    ) in again.warnings
    published = draft_file(paths.seeds / "000_de87dc580cd60475.txt", paths=paths)
    assert any(
        "seeds/000_de87dc580cd60475.txt, the source of knowledge/reports/poole-2017.yaml" in w
        for w in published.warnings
    )


def test_criticism_is_never_a_strength_by_default():
    assert _guess_kind("The electronic recording system is unfit for purpose.")[0] == "weakness"
    assert _guess_kind("Some children were inappropriately stepped down from plans.")[0] == (
        "weakness"
    )
    assert _guess_kind("Plans are thorough and reviewed promptly.") == ("strength", None)
    kind, note = _guess_kind(
        "Supervision is regular and workers feel well supported, but records do not show it."
    )
    assert kind == "fact" and note.startswith("Unclassified: 1 words of praise and 1 of criticism")
    kind, note = _guess_kind("The system is unfit for purpose and good work is lost.")
    assert kind == "fact" and note.startswith("Unclassified")


def test_in_the_focused_visit_criticism_is_never_drafted_as_a_strength(paths):
    data = load(draft_file(FIXTURES / "bcp_focused_visit_2020.txt", paths=paths).path)
    criticised = [
        f
        for f in data["findings"]
        if re.search(r"unfit for purpose|inappropriately|too general", f["quote"])
    ]
    assert len(criticised) == 3
    assert all(f["kind"] != "strength" for f in criticised)
    unclassified = [f for f in data["findings"] if f.get("note", "").startswith("Unclassified")]
    assert unclassified and all(f["kind"] == "fact" for f in unclassified)


@pytest.mark.parametrize(
    "sentence",
    [
        "This letter summarises the findings of the monitoring visit to the council's "
        "children's services on 7 and 8 June 2022.",
        "The visit took place between 3 and 14 March 2025 and from 28 February to 4 March.",
        "Children who need help and protection Good 2.",
        "Adoption performance Outstanding 2.2 Experiences and progress of care leavers Good 3.",
        "1. Children who need help and protection are seen quickly by social workers.",
        "The full letter, ofsted_letter_2022_0612.pdf, is on page 3 of 12 of the pack.",
        "Recommendation 3 repeats what section 17 of the Children Act 1989 requires.",
        "Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD, T 0300 123 1231.",
        "The local authority was judged inadequate in December 2021 and again in 2019.",
    ],
)
def test_figures_are_never_taken_from_dates_list_numbers_or_file_names(sentence):
    assert _figure(sentence) is None


def test_a_figure_beside_a_date_is_still_read():
    figure = _figure("At 1 March 2025, 412 children were looked after by the council.")
    assert (figure["value"], str(figure["as_of"])) == (412, "2025-03-01")


def test_the_monitoring_letters_only_figure_is_a_real_one(paths):
    for name in ("bcp_monitoring_visit_2022.txt", "bcp_monitoring_visit_2022_extracted.txt"):
        data = load(draft_file(FIXTURES / name, paths=paths).path)
        assert [f["value"] for f in data["figures"]] == [46], name


def test_the_damaged_copy_is_warned_about_and_drafts_the_same_metadata(paths):
    text = (FIXTURES / "bcp_monitoring_visit_2022_extracted.txt").read_text()
    warnings = damage_warnings(text)
    assert any("bullet characters were probably lost" in w for w in warnings)
    assert any("'performanceinformation' may be two words joined" in w for w in warnings)
    assert any("hyphenated across a line break" in w and "'under-'" in w for w in warnings)
    # The letterhead and address above the greeting are not a scrambled table.
    assert not any("table may be scrambled" in w for w in warnings)
    clean = load(draft_file(FIXTURES / "bcp_monitoring_visit_2022.txt", paths=paths).path)
    damaged = load(
        draft_file(FIXTURES / "bcp_monitoring_visit_2022_extracted.txt", paths=paths).path
    )
    keep = ("kind", "inspection", "authority", "inspected_from", "inspected_to", "published")
    assert {k: damaged["report"][k] for k in keep} == {k: clean["report"][k] for k in keep}
    # No finding is drafted from the letterhead or the address.
    assert not any("Textphone" in f["quote"] for f in damaged["findings"] + clean["findings"])


def test_kinds_and_councils_come_from_the_curated_vocabularies(paths, tmp_path):
    """A kind of inspection or a council added to knowledge/ is recognised at the
    next draft: nothing in the code lists them."""
    kinds = paths.knowledge / "inspections.yaml"
    kinds.write_text(
        kinds.read_text()
        + "  - id: thematic-review\n    name: thematic review\n    names: [thematic review]\n"
    )
    councils = paths.knowledge / "authorities.yaml"
    councils.write_text(
        councils.read_text().replace(
            "elsewhere: [",
            "  - id: tarn\n    name: Tarnside Council\n"
            "    names: [Tarnside, Tarnside Metropolitan Borough Council]\nelsewhere: [",
            1,
        )
    )
    text = (FIXTURES / "ilacs_tarnside_2019.txt").read_text()
    source = tmp_path / "tarnside_thematic.txt"
    source.write_text(
        text.replace(
            "Inspection of children's social care services",
            "Thematic review of children's social care services",
        )
    )
    report = load(draft_file(source, paths=paths).path)["report"]
    assert (report["inspection"], report["authority"]) == ("thematic-review", "Tarnside Council")
    assert report["id"] == "tarn-2019-11-thematic"


def test_a_text_that_gives_nothing_is_drafted_with_nulls_and_notes(paths, tmp_path):
    source = tmp_path / "meeting.txt"
    source.write_text(
        "Notes from a meeting\n\n"
        "The group talked about how families are supported when they first ask for help, "
        "and agreed to meet again soon.\n"
    )
    result = draft_file(source, paths=paths)
    report = load(result.path)["report"]
    assert result.missing == [
        "kind",
        "inspection",
        "authority",
        "inspected_from",
        "inspected_to",
        "published",
        "inspectors",
        "headline",
        "publisher",
    ]
    assert all(report[key] is None for key in result.missing)
    assert report["date_note"] == "The text states no inspection dates and no publication date."
    assert REPORT_ID.fullmatch(result.report_id) and "undated" not in result.report_id


def test_a_null_is_accepted_only_in_a_draft(paths):
    result = draft_file(FIXTURES / "bcp_focused_visit_2020.txt", paths=paths)
    assert load(result.path)["report"]["headline"] is None
    _, problems = validate_knowledge(paths.knowledge, paths.seeds, include_drafts=True)
    assert problems == []
    shutil.move(result.path, paths.knowledge / "reports" / result.path.name)
    _, problems = validate_knowledge(paths.knowledge, paths.seeds)
    assert [p.message for p in problems] == ["'headline' must be text"]
