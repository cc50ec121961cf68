"""The `/inspection` grammar: a word alone or before a theme is a command; else a question."""

from __future__ import annotations

import pytest

from bot.answers.commands import Command, match_theme, parse_command


@pytest.fixture(scope="module")
def themes(search_index) -> list[dict]:
    return search_index.meta.themes


@pytest.mark.parametrize("text", ["", "   ", "\t\n", None])
def test_nothing_typed_is_help(themes, text):
    assert parse_command(text, themes) == Command("help")


@pytest.mark.parametrize(
    "word", ["help", "ratings", "reports", "themes", "figures", "recommendations"]
)
def test_a_sub_command_alone(themes, word):
    assert parse_command(word, themes) == Command(word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RATINGS", Command("ratings")),
        ("  Help  ", Command("help")),
        ("Figures", Command("figures")),
    ],
)
def test_sub_commands_ignore_case_and_surrounding_space(themes, text, expected):
    assert parse_command(text, themes) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recommendations foster-care", Command("recommendations", theme="foster-care")),
        ("recommendations Foster carers", Command("recommendations", theme="foster-care")),
        ("recommendations   FOSTER   CARERS", Command("recommendations", theme="foster-care")),
        ("figures adoption", Command("figures", theme="adoption")),
        ("Figures Adoption", Command("figures", theme="adoption")),
        ("figures care-leavers", Command("figures", theme="care-leavers")),
        ("figures front door, MASH and referrals", Command("figures", theme="front-door")),
    ],
)
def test_recommendations_and_figures_take_a_theme_by_id_or_label(themes, text, expected):
    assert parse_command(text, themes) == expected


@pytest.mark.parametrize(
    "text",
    [
        "help for care leavers",
        "early help",
        "figures on adoption",
        "reports of abuse",
        "ratings for adoption please",
        "ratings adoption",
        "themes adoption",
        "recommendations about foster carers",
        "figures adoption please",
        "what are the ratings",
    ],
)
def test_anything_else_is_a_question_with_the_full_text(themes, text):
    assert parse_command(text, themes) == Command("question", text=text)


def test_a_question_has_its_whitespace_normalised(themes):
    assert parse_command("  early \n help  ", themes) == Command("question", text="early help")


def test_without_themes_a_theme_is_just_a_question():
    assert parse_command("figures adoption") == Command("question", text="figures adoption")


def test_match_theme(themes):
    assert match_theme("Adoption", themes) == "adoption"
    assert match_theme("foster carers", themes) == "foster-care"
    assert match_theme("Out-of-hours service", themes) == "out-of-hours"
    assert match_theme("no such theme", themes) is None
    assert match_theme(" - ", themes) is None
