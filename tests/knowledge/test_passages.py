"""Passages: the units search indexes and coverage counts."""

from bot.knowledge.passages import MAX_WORDS, segment
from bot.knowledge.text import word_count
from tests.conftest import SEEDS

REPORT_2017 = (SEEDS / "000_de87dc580cd60475.txt").read_text()


def test_text_between_blank_lines_is_one_passage():
    passages = segment("First line of a paragraph\ncontinues here.\n\nSecond paragraph.\n")
    assert [p.text for p in passages] == [
        "First line of a paragraph continues here.",
        "Second paragraph.",
    ]
    assert (passages[0].first_line, passages[0].last_line) == (1, 2)
    assert (passages[1].first_line, passages[1].last_line) == (4, 4)


def test_a_sentence_cut_by_a_page_break_is_joined():
    text = (
        "the authority has not put in place the performance data needed to\n"
        "\n\nmonitor the effectiveness of step-up processes.\n"
    )
    (passage,) = segment(text)
    assert passage.text.endswith("needed to monitor the effectiveness of step-up processes.")
    assert (passage.first_line, passage.last_line) == (1, 4)


def test_bullets_are_passages_of_their_own():
    text = "Strengths\n\n- Staff have good access to managers.\n- Staff value their training.\n"
    passages = segment(text)
    assert [p.text for p in passages] == [
        "Strengths",
        "- Staff have good access to managers.",
        "- Staff value their training.",
    ]
    assert passages[0].heading


def test_long_runs_split_at_sentence_boundaries_and_none_is_lost():
    segments = segment(REPORT_2017)
    assert all(word_count(s.text) <= MAX_WORDS for s in segments)
    # Every word of the seed is in exactly one passage, in order.
    assert [w for s in segments for w in s.text.split()] == REPORT_2017.split()


def test_the_executive_summary_is_split_into_paragraph_sized_passages():
    exec_summary = [s for s in segment(REPORT_2017, breaks={37, 122}) if 38 <= s.first_line < 122]
    assert 8 <= len(exec_summary) <= 16
    assert exec_summary[0].text.startswith("Childrens services in Poole require improvement")
    assert exec_summary[0].text.endswith("restructuring of services to children in need.")


def test_a_section_start_always_starts_a_passage():
    starts = {s.first_line for s in segment(REPORT_2017, breaks={883})}
    assert 883 in starts
