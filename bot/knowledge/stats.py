"""Counts of the knowledge base, and how much of each source it quotes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .models import Finding, KnowledgeBase, Passage
from .text import word_count

SUBSTANTIVE_WORDS = 25


@dataclass(frozen=True)
class Coverage:
    report_id: str
    substantive: int
    quoted: int
    uncovered: tuple[Passage, ...]

    @property
    def share(self) -> float:
        return self.quoted / self.substantive if self.substantive else 1.0


@dataclass(frozen=True)
class Stats:
    by_report: dict[str, Counter]
    by_kind: Counter
    by_theme: Counter
    coverage: tuple[Coverage, ...]
    total: int


def substantive(passage: Passage) -> bool:
    return not passage.heading and word_count(passage.text) >= SUBSTANTIVE_WORDS


def knowledge_stats(kb: KnowledgeBase) -> Stats:
    by_report: dict[str, Counter] = {rid: Counter() for rid in kb.reports}
    by_kind: Counter = Counter()
    by_theme: Counter = Counter()
    quoted: dict[str, set[int]] = {rid: set() for rid in kb.reports}
    for record in kb.records:
        kind = record.record_type
        if isinstance(record, Finding):
            kind = f"finding: {record.category}"
        by_report[record.report_id][record.record_type] += 1
        by_kind[kind] += 1
        by_theme.update(record.themes)
        quoted[record.report_id].add(record.location.passage)
    coverage = []
    for rid, passages in kb.passages.items():
        wanted = [p for p in passages if substantive(p)]
        missed = tuple(p for p in wanted if p.number not in quoted[rid])
        coverage.append(Coverage(rid, len(wanted), len(wanted) - len(missed), missed))
    return Stats(by_report, by_kind, by_theme, tuple(coverage), len(kb.records))
