"""The blind question set, scored beside the golden set with the same rules.

tests/blind/questions.yaml is frozen: it is never edited while tuning, so the gap
between the golden and the blind score shows how much of the golden score is fit to
the golden questions. Its format is the golden set's (see bench/golden.py), plus
`persona`, which scoring ignores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.golden import Question, Scores, load_golden

BLIND = Path(__file__).resolve().parents[1] / "tests" / "blind" / "questions.yaml"
# A second frozen set, written by a helper that saw neither the bot nor any other set,
# held out from all tuning like the first (see its header).
BLIND_2 = BLIND.parent / "questions_2.yaml"
SHOWN = 3  # records a Slack answer shows before "More results"
INSPECTION_KINDS = ("inspection report", "inspection letter")


def load_blind(path: Path = BLIND) -> list[Question]:
    return load_golden(path)


def personas(path: Path = BLIND) -> Counter:
    data = yaml.safe_load(path.read_text())
    return Counter(item.get("persona", "unknown") for item in data["questions"])


def inspection_years(hits: Iterable) -> set[int]:
    """The inspections a list of hits quotes: history entries by their own date."""
    years = set()
    for hit in hits:
        if hit.kind == "history" and hit.extra.get("date"):
            years.add(int(str(hit.extra["date"])[:4]))
        elif hit.report_kind in INSPECTION_KINDS and hit.year:
            years.add(hit.year)
    return years


@dataclass(frozen=True)
class Spread:
    """Comparisons whose shown answer quotes two or more inspections."""

    spanning: int
    comparisons: int

    def cell(self) -> str:
        return f"{self.spanning}/{self.comparisons}"


def comparison_spread(questions: list[Question], answers: dict) -> Spread:
    """`answers` maps a question's text to its Answer (hits ranked best first)."""
    comparisons = [q for q in questions if q.intent == "comparison" and not q.unanswerable]
    spanning = 0
    for question in comparisons:
        result = answers.get(question.q)
        if result is not None and result.answered:
            spanning += len(inspection_years(result.hits[:SHOWN])) >= 2
    return Spread(spanning=spanning, comparisons=len(comparisons))


def describe(name: str, questions: list[Question]) -> str:
    answerable = sum(not q.unanswerable for q in questions)
    comparisons = sum(q.intent == "comparison" and not q.unanswerable for q in questions)
    return (
        f"{name}: {len(questions)} questions ({answerable} answerable, "
        f"{len(questions) - answerable} unanswerable, "
        f"{sum(q.paraphrase for q in questions)} paraphrases, {comparisons} comparisons)"
    )


def side_by_side(columns: list[tuple[str, Scores, Spread]]) -> str:
    """A table of each set's scores, and the gap: the last set (blind) minus the first
    (golden)."""

    def share(n: int, d: int) -> float:
        return n / d if d else 0.0

    rows = [
        ("hit@1", [(c[1].hit_at_1, None) for c in columns]),
        ("hit@3", [(c[1].hit_at_3, None) for c in columns]),
        ("MRR", [(c[1].mrr, None) for c in columns]),
        (
            "out of scope declined",
            [
                (
                    share(c[1].correct_abstentions, c[1].unanswerable),
                    f"{c[1].correct_abstentions}/{c[1].unanswerable}",
                )
                for c in columns
            ],
        ),
        (
            "false abstentions",
            [
                (
                    share(c[1].false_abstentions, c[1].answerable),
                    f"{c[1].false_abstentions}/{c[1].answerable}",
                )
                for c in columns
            ],
        ),
        (
            f"comparisons quoting 2+ inspections (top {SHOWN})",
            [(share(c[2].spanning, c[2].comparisons), c[2].cell()) for c in columns],
        ),
    ]
    width = max(len(r[0]) for r in rows)
    header = "".join(f"  {name:>15}" for name, _, _ in columns)
    lines = [f"  {'':{width}}{header}  {'gap':>7}"]
    for label, cells in rows:
        text = "".join(
            f"  {(f'{value:.3f}' + (f' ({count})' if count else '')):>15}" for value, count in cells
        )
        lines.append(f"  {label:{width}}{text}  {cells[-1][0] - cells[0][0]:+7.3f}")
    return "\n".join(lines)
