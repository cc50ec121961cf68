"""Typed, frozen records of the knowledge base."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

FINDING_KINDS = (
    "strength",
    "weakness",
    "area_for_development",
    "satisfactory_practice",
    "fact",
    "statement",
)
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
REPORT_KINDS = ("inspection report", "inspection letter", "press article")
RECOMMENDATION_TO = ("local authority", "LSCB")


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    term: str
    expansions: tuple[str, ...]
    synonyms: tuple[str, ...]
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way of saying this term, the term itself first."""
        return (self.term, *self.expansions, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    heading: str
    first_line: int
    last_line: int


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    title: str
    short_title: str
    kind: str
    publisher: str
    authority: str
    inspected_from: dt.date | None
    inspected_to: dt.date | None
    published: dt.date | None
    date_note: str | None
    about_report: str | None
    seed: str
    url: str | None
    headline: str
    sections: tuple[Section, ...]
    year: int | None  # the year of the inspection it reports on
    reviewed: bool = True
    # From knowledge/drafts/: unreviewed until `kb publish` moves it, whatever its
    # records' `reviewed` flags say, and never in the curated index.
    draft: bool = False
    inspection: str | None = None  # the kind of inspection: an id in inspections.yaml

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    @property
    def date_label(self) -> str:
        """The date people cite the report by; says so when the source gives none."""
        if self.published:
            return f"{self.published.day} {self.published:%B %Y}"
        return "undated"

    @property
    def is_press(self) -> bool:
        return self.kind == "press article"


@dataclass(frozen=True, slots=True)
class Passage:
    """A unit of a seed's text: what search indexes and coverage counts."""

    report_id: str
    number: int
    first_line: int
    last_line: int
    text: str
    heading: bool = False

    @property
    def id(self) -> str:
        return f"{self.report_id}:p{self.number}"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a proven quote stands in its seed."""

    passage: int
    first_line: int
    last_line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """What every curated record has: a proven quote, its place, and its themes."""

    id: str
    report_id: str
    section_id: str
    quote: str
    themes: tuple[str, ...]
    location: Location
    reviewed: bool = True
    note: str | None = None
    # Ways people ask for this record in other words than its own (curated): search
    # finds a record by them as by its text; they are never shown as what it says.
    asks: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0

    record_type = "record"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(Record):
    category: str
    summary: str
    speaker: str | None = None
    recommendation_tag: bool = False

    record_type = "finding"


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement(Record):
    area: str
    grade: str
    parent: str | None = None

    record_type = "judgement"


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure(Record):
    measure: str
    value: float | int | None
    unit: str
    as_of: dt.date | None = None
    period: str | None = None
    rate_per_10000: float | int | None = None
    # The figure in the quote's own words where the value alone would say more or
    # less ("approximately 30,000", "15 years and three months").
    stated: str | None = None
    missing: bool = False

    record_type = "figure"


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation(Record):
    to: str
    number: int
    text: str
    evidence: tuple[str, ...] = ()

    record_type = "recommendation"


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry(Record):
    date: str
    event: str
    outcome: str

    record_type = "history"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the knowledge base, located for the curator."""

    file: str
    line: int
    message: str
    record_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" [{self.record_id}]" if self.record_id else ""
        return f"{where}:{who} {self.message}"


class KnowledgeError(Exception):
    """The knowledge base failed validation; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0] if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


@dataclass(frozen=True)
class KnowledgeBase:
    themes: dict[str, Theme]
    glossary: tuple[GlossaryTerm, ...]
    reports: dict[str, Report]
    passages: dict[str, tuple[Passage, ...]]
    records: tuple[Record, ...]
    # knowledge/authorities.yaml and inspections.yaml (bot.knowledge.coverage)
    vocabularies: object = None
    _by_id: dict[str, Record] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({r.id: r for r in self.records})

    def record(self, record_id: str) -> Record | None:
        return self._by_id.get(record_id)

    def of_type(self, cls: type[Record]) -> list[Record]:
        return [r for r in self.records if isinstance(r, cls)]

    def passage(self, report_id: str, number: int) -> Passage:
        return self.passages[report_id][number - 1]

    def passage_of(self, record: Record) -> Passage:
        return self.passage(record.report_id, record.location.passage)
