"""The shipped knowledge base: complete, proven, and fast to load."""

from __future__ import annotations

from bot.knowledge import (
    Figure,
    Finding,
    HistoryEntry,
    Judgement,
    Recommendation,
)
from bot.knowledge.stats import knowledge_stats


def test_the_seven_graded_judgements_of_2017(kb):
    grades = {j.area: j.grade for j in kb.of_type(Judgement) if j.report_id == "poole-2017"}
    assert len(grades) == 7
    assert sorted(grades.values()).count("Good") == 3
    assert sorted(grades.values()).count("Requires improvement to be good") == 4


def test_twelve_recommendations_to_the_council_and_three_to_the_lscb(kb):
    recs = kb.of_type(Recommendation)
    assert sorted(r.number for r in recs if r.to == "local authority") == list(range(1, 13))
    assert sorted(r.number for r in recs if r.to == "LSCB") == [1, 2, 3]
    assert all(r.evidence for r in recs), "every recommendation links its evidence"


def test_every_2010_bullet_is_a_finding(kb):
    kinds = [f.category for f in kb.of_type(Finding) if f.report_id == "poole-2010"]
    assert kinds.count("strength") >= 2
    assert kinds.count("satisfactory_practice") >= 9
    assert kinds.count("area_for_development") >= 9


def test_press_statements_name_their_speakers(kb):
    statements = [f for f in kb.of_type(Finding) if f.category == "statement"]
    speakers = {f.speaker.split(",")[0] for f in statements}
    assert speakers == {"Cllr Mike White", "Sarah Elliott"}
    assert all(f.report_id == "press-2017" for f in statements)


def test_lost_figures_are_recorded_as_missing_never_guessed(kb):
    missing = [f for f in kb.of_type(Figure) if f.missing]
    assert any("This is a decrease from" in f.quote for f in missing)
    assert all(f.value is None for f in missing)


def test_the_2011_judgements_are_in_the_history(kb):
    history = kb.of_type(HistoryEntry)
    assert {h.outcome for h in history if h.date.startswith("2011")} == {"Good"}
    assert {h.date[:4] for h in history} >= {"2010", "2011", "2017"}


def test_at_least_ninety_percent_of_the_2017_report_is_quoted(kb):
    coverage = {c.report_id: c for c in knowledge_stats(kb).coverage}
    assert coverage["poole-2017"].share >= 0.9
    assert coverage["poole-2010"].share >= 0.9


def test_quotes_resolve_to_lines_inside_their_sections(kb):
    for record in kb.records:
        section = kb.reports[record.report_id].section(record.section_id)
        assert section.first_line <= record.location.first_line
        assert record.location.last_line <= section.last_line


def test_a_repeated_quote_resolves_inside_its_section(kb):
    # "Children's services in Poole require improvement to be good" stands on the
    # title page (line 10) and opens the executive summary (line 38).
    overall = kb.record("poole-2017-judgement-overall")
    assert overall.section_id == "exec"
    assert overall.location.first_line == 38


def test_records_are_frozen(kb):
    record = kb.records[0]
    try:
        record.quote = "changed"  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("records must be immutable")
