"""Broken knowledge files are rejected with the file, the line and a useful message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import KnowledgeError, load_knowledge, validate_knowledge
from tests.conftest import KNOWLEDGE, SEEDS

FIXTURES = Path(__file__).parent / "fixtures"


def problems_for(name: str) -> list[str]:
    _, problems = validate_knowledge(KNOWLEDGE, SEEDS, report_files=[FIXTURES / name])
    return [str(p) for p in problems]


def test_a_valid_file_has_no_problems():
    assert problems_for("valid.yaml") == []


@pytest.mark.parametrize(
    ("fixture", "line", "expected"),
    [
        (
            "tampered_quote.yaml",
            25,
            "the quote is not in the source; closest passage: poole-2010:p16 lines 27-27",
        ),
        ("unknown_theme.yaml", 22, "unknown theme 'morale' (see themes.yaml)"),
        ("duplicate_id.yaml", 27, "duplicate id (first used at"),
        ("unknown_key.yaml", 24, "unknown key 'colour' in a finding"),
        ("missing_key.yaml", 20, "missing key 'summary'"),
        ("yaml_syntax.yaml", 27, "YAML syntax error: found unexpected end of stream"),
        ("figure_not_in_quote.yaml", 22, "the value 12 is not in the figure's quote"),
        (
            "stated_not_in_quote.yaml",
            24,
            "stated 'over two days from 17 August' is not in the quote",
        ),
    ],
)
def test_each_broken_fixture_names_file_line_and_problem(fixture, line, expected):
    problems = problems_for(fixture)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"tests/knowledge/fixtures/{fixture}:{line}:")
    assert expected in problems[0]


def test_yaml_syntax_error_says_where_the_broken_scalar_starts():
    (problem,) = problems_for("yaml_syntax.yaml")
    assert "while scanning a quoted scalar that starts at line 25" in problem


def test_the_record_id_is_named():
    (problem,) = problems_for("tampered_quote.yaml")
    assert "[poole-2010-strengths-01]" in problem


def test_load_raises_with_every_problem(knowledge_copy: Path):
    shutil.copy(FIXTURES / "tampered_quote.yaml", knowledge_copy / "reports" / "poole-2010.yaml")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy, SEEDS)
    assert any("the quote is not in the source" in str(p) for p in caught.value.problems)


def test_cli_validate_exits_nonzero_with_file_and_line(capsys):
    code = main(["kb", "validate", str(FIXTURES / "unknown_theme.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown_theme.yaml:22: [poole-2010-strengths-01] unknown theme 'morale'" in err


def test_cli_validate_passes_on_the_shipped_knowledge(capsys):
    assert main(["kb", "validate"]) == 0
    assert "every quote proven" in capsys.readouterr().out


def test_a_section_heading_must_match_its_seed_line(knowledge_copy: Path):
    path = knowledge_copy / "reports" / "poole-2010.yaml"
    path.write_text(
        path.read_text().replace("line: 25, heading: Strengths", "line: 26, heading: Strengths")
    )
    _, problems = validate_knowledge(knowledge_copy, SEEDS)
    assert any("does not start with its heading 'Strengths'" in str(p) for p in problems)


def test_a_missing_figure_must_not_carry_a_value(tmp_path: Path):
    text = (FIXTURES / "figure_not_in_quote.yaml").read_text()
    broken = tmp_path / "guess.yaml"
    broken.write_text(text.replace("    value: 12\n", "    value: 12\n    missing: true\n"))
    _, problems = validate_knowledge(KNOWLEDGE, SEEDS, report_files=[broken])
    assert any("a missing figure has value: null, never a guess" in str(p) for p in problems)
