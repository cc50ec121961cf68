"""The golden question set, and how well a ranking answers it.

Shared by the quality benchmark (which prints the numbers) and the regression
test (which fails if they fall).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "questions.yaml"
# Questions written from personas on 2026-12-01, independently of the golden and blind
# sets and of each other, and tuned on like the golden set (tests/golden/test_persona.py
# guards them). The third to the twenty-fifth were held out and scored once before they
# joined (BENCHMARKS.md).
PERSONA = (
    GOLDEN.parent / "persona_questions.yaml",
    GOLDEN.parent / "persona_questions_2.yaml",
    GOLDEN.parent / "persona_questions_3.yaml",
    GOLDEN.parent / "persona_questions_4.yaml",
    GOLDEN.parent / "persona_questions_5.yaml",
    GOLDEN.parent / "persona_questions_6.yaml",
    GOLDEN.parent / "persona_questions_7.yaml",
    GOLDEN.parent / "persona_questions_8.yaml",
    GOLDEN.parent / "persona_questions_9.yaml",
    GOLDEN.parent / "persona_questions_10.yaml",
    GOLDEN.parent / "persona_questions_11.yaml",
    GOLDEN.parent / "persona_questions_12.yaml",
    GOLDEN.parent / "persona_questions_13.yaml",
    GOLDEN.parent / "persona_questions_14.yaml",
    GOLDEN.parent / "persona_questions_15.yaml",
    GOLDEN.parent / "persona_questions_16.yaml",
    GOLDEN.parent / "persona_questions_17.yaml",
    GOLDEN.parent / "persona_questions_18.yaml",
    GOLDEN.parent / "persona_questions_19.yaml",
    GOLDEN.parent / "persona_questions_20.yaml",
    GOLDEN.parent / "persona_questions_21.yaml",
    GOLDEN.parent / "persona_questions_22.yaml",
    GOLDEN.parent / "persona_questions_23.yaml",
    GOLDEN.parent / "persona_questions_24.yaml",
    GOLDEN.parent / "persona_questions_25.yaml",
)


@dataclass(frozen=True)
class Question:
    q: str
    accept: frozenset[str]
    unanswerable: bool
    intent: str | None
    paraphrase: bool


def load_persona() -> list[Question]:
    return [q for path in PERSONA for q in load_golden(path)]


def load_golden(path: Path = GOLDEN) -> list[Question]:
    data = yaml.safe_load(path.read_text())
    return [
        Question(
            q=item["q"],
            accept=frozenset(item.get("accept") or ()),
            unanswerable=bool(item.get("unanswerable")),
            intent=item.get("intent"),
            paraphrase=bool(item.get("paraphrase")),
        )
        for item in data["questions"]
    ]


@dataclass(frozen=True)
class Scores:
    hit_at_1: float
    hit_at_3: float
    mrr: float
    correct_abstentions: int
    unanswerable: int
    false_abstentions: int
    answerable: int
    misses: tuple[str, ...]

    def row(self) -> str:
        return (
            f"hit@1 {self.hit_at_1:.3f}  hit@3 {self.hit_at_3:.3f}  MRR {self.mrr:.3f}  "
            f"abstained {self.correct_abstentions}/{self.unanswerable} unanswerable  "
            f"false abstentions {self.false_abstentions}/{self.answerable}"
        )


# A ranker takes a question and returns (answered, ranked ids); an id matches when
# it is in `accept`, or is the passage an accepted record quotes from.
Ranker = Callable[[str], tuple[bool, list[str]]]


def score(questions: list[Question], rank: Ranker, passage_of: dict[str, str]) -> Scores:
    ones, threes, reciprocal = [], [], []
    correct_abstentions = false_abstentions = 0
    misses = []
    for question in questions:
        answered, ids = rank(question.q)
        if question.unanswerable:
            correct_abstentions += not answered
            if answered:
                misses.append(f"answered an unanswerable question: {question.q!r} -> {ids[:1]}")
            continue
        if not answered:
            false_abstentions += 1
            ids = []
        accepted = set(question.accept) | {
            passage_of[a] for a in question.accept if a in passage_of
        }
        position = next((i for i, x in enumerate(ids) if x in accepted), None)
        ones.append(position == 0)
        threes.append(position is not None and position < 3)
        reciprocal.append(0.0 if position is None else 1.0 / (position + 1))
        if position != 0:
            misses.append(
                f"{question.q!r}: got {ids[:3]}, want one of {sorted(question.accept)[:4]}"
            )
    answerable = [q for q in questions if not q.unanswerable]
    return Scores(
        hit_at_1=statistics.fmean(ones) if ones else 0.0,
        hit_at_3=statistics.fmean(threes) if threes else 0.0,
        mrr=statistics.fmean(reciprocal) if reciprocal else 0.0,
        correct_abstentions=correct_abstentions,
        unanswerable=len(questions) - len(answerable),
        false_abstentions=false_abstentions,
        answerable=len(answerable),
        misses=tuple(misses),
    )
