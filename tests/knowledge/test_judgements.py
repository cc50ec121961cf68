"""A graded judgement's quote states its own area and grade, as the report states them.

Reports set each grade apart under its area's heading, so the quote may run from the
heading to the grade across two passages: that, and nothing else, may span two.
"""

from __future__ import annotations

import re

import pytest

from bot.knowledge import Judgement
from bot.knowledge.models import GRADES
from bot.knowledge.passages import segment
from bot.knowledge.proof import QuoteNotFound, SeedText

# Words that name no area: "The experiences and progress of care leavers" is named by
# experiences, progress, care, leavers.
_FILLER = {"a", "an", "and", "the", "of", "for", "in", "to", "who", "about"}

# The overall judgement is the one area without a heading of its own: Ofsted states it
# of the service as a whole, "Children's services in Poole require improvement to be
# good", or under "Overall effectiveness".
_OVERALL = ("overall effectiveness", "children's services")


def _words(text: str) -> list[str]:
    """Lowercased words, apostrophes dropped and a plural or verb's "s" taken off, so
    "Children's" is "children" as the seeds' "Childrens" is, and "requires" "require"."""
    found = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in found]


def _contains(quote: list[str], phrase: list[str]) -> bool:
    return any(quote[i : i + len(phrase)] == phrase for i in range(len(quote) - len(phrase) + 1))


def _area_words(area: str) -> set[str]:
    named = re.sub(r"\([^)]*\)", "", area)  # "(review)" qualifies, it does not name
    return {w for w in _words(named) if w not in _FILLER}


def _problems(judgement: Judgement) -> list[str]:
    quote = _words(judgement.quote)
    problems = []
    if not _contains(quote, _words(judgement.grade)):
        problems.append(f"does not state its grade {judgement.grade!r}")
    others = [g for g in GRADES if not _contains(_words(judgement.grade), _words(g))]
    problems += [f"states another grade, {g!r}" for g in others if _contains(quote, _words(g))]
    if judgement.area.lower() == _OVERALL[0]:
        if not any(_contains(quote, _words(name)) for name in _OVERALL):
            problems.append(f"does not name its area (one of {_OVERALL})")
    elif missing := _area_words(judgement.area) - set(quote):
        problems.append(f"does not name its area {judgement.area!r}: no {sorted(missing)}")
    return problems


def test_every_judgement_quote_names_its_area_and_its_grade(kb):
    judgements = kb.of_type(Judgement)
    assert judgements
    wrong = {j.id: problems for j in judgements if (problems := _problems(j))}
    assert wrong == {}


def test_the_check_catches_a_quote_of_something_else(kb):
    leadership = kb.record("poole-2017-judgement-leadership")
    bare = Judgement(**{**_fields(leadership), "quote": "Requires improvement to be good"})
    assert _problems(bare) == [
        "does not name its area 'Leadership, management and governance': "
        "no ['governance', 'leadership', 'management']"
    ]
    other = Judgement(
        **{
            **_fields(kb.record("poole-2017-judgement-looked-after")),
            "quote": "The overall quality of help, protection and care for children has "
            "not been sustained, and these now require improvement to be good.",
        }
    )
    assert _problems(other)[0].startswith("does not name its area")
    good = Judgement(
        **{
            **_fields(leadership),
            "grade": "Good",
            "quote": "Leadership, management and governance Requires improvement to be good",
        }
    )
    assert _problems(good) == ["states another grade, 'Requires improvement to be good'"]


def _fields(record) -> dict:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def test_the_three_set_apart_grades_are_quoted_from_heading_to_grade(kb):
    for rid, lines in [
        ("poole-2017-judgement-help-and-protection", (318, 323)),
        ("poole-2017-judgement-looked-after", (564, 569)),
        ("poole-2017-judgement-leadership", (1002, 1006)),
    ]:
        judgement = kb.record(rid)
        assert (judgement.location.first_line, judgement.location.last_line) == lines
        assert judgement.quote.endswith(" Requires improvement to be good")


def test_only_judgements_run_across_passages(kb):
    for record in kb.records:
        passage = kb.passage_of(record)
        inside = passage.first_line <= record.location.first_line
        inside = inside and record.location.last_line <= passage.last_line
        assert inside or isinstance(record, Judgement), record.id


SEED = """Leadership, management and
governance

Requires improvement
to be good

Summary
Leaders know the service well. The service
requires improvement to be good.

Adoption is strong.

Good
"""


@pytest.fixture
def seed() -> SeedText:
    return SeedText("test", segment(SEED))


def test_a_heading_and_the_grade_under_it_are_proven_across_two_passages(seed):
    location = seed.locate(
        "Leadership, management and governance Requires improvement to be good", None
    )
    assert (location.passage, location.first_line, location.last_line) == (1, 1, 5)


@pytest.mark.parametrize(
    "quote",
    [
        "management and governance Requires improvement to be good",  # part of the heading
        "Leadership, management and governance Requires improvement",  # part of the grade
        "governance Requires improvement to be good Summary",  # on past the grade
        "Requires improvement to be good Summary Leaders know the service well.",
        "The service requires improvement to be good. Adoption is strong.",
        "Adoption is strong. Good",  # a sentence, not a heading, before the grade
    ],
)
def test_nothing_else_may_run_across_passages(seed, quote):
    with pytest.raises(QuoteNotFound, match="runs across two passages"):
        seed.locate(quote, None)
