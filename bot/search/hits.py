"""A search hit: everything needed to show a record or passage, stored in the index.

The index carries each hit's full payload, so answering never needs the YAML: a
broken knowledge file cannot stop the bot from serving the last good index.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from ..knowledge import (
    Figure,
    Finding,
    HistoryEntry,
    Judgement,
    KnowledgeBase,
    Passage,
    Recommendation,
    Record,
    Report,
)


# Slots: a running bot caches thousands of hits, and each without a __dict__ is one
# object fewer for every full garbage collection to walk.
@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str  # finding | judgement | figure | recommendation | history | passage
    category: str | None  # a finding's own kind: strength, weakness, ...
    report: str
    report_title: str
    report_date: str | None  # ISO date of publication, or null when undated
    source: str  # the seed's file name
    section: str
    summary: str | None
    quote: str
    passage: str
    lines: tuple[int, int]
    themes: tuple[str, ...] = ()
    reviewed: bool = True
    year: int | None = None
    report_kind: str = ""
    url: str | None = None
    score: float = 0.0
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["lines"] = list(self.lines)
        data["themes"] = list(self.themes)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Hit:
        data = dict(data)
        data["lines"] = tuple(data["lines"])
        data["themes"] = tuple(data.get("themes", ()))
        return cls(**data)

    def scored(self, score: float) -> Hit:
        return replace(self, score=round(score, 4))

    @property
    def is_press(self) -> bool:
        return self.report_kind == "press article"


def _report_fields(report: Report) -> dict:
    return {
        "report": report.id,
        "report_title": report.short_title,
        "report_date": report.published.isoformat() if report.published else None,
        "source": report.seed,
        "year": report.year,
        "report_kind": report.kind,
        "url": report.url,
    }


def _extra(record: Record) -> dict:
    if isinstance(record, Figure):
        return {
            "measure": record.measure,
            "value": record.value,
            "unit": record.unit,
            "as_of": record.as_of.isoformat() if record.as_of else None,
            "period": record.period,
            "rate_per_10000": record.rate_per_10000,
            "stated": record.stated,
            "missing": record.missing,
            "note": record.note,
        }
    if isinstance(record, Judgement):
        return {"area": record.area, "grade": record.grade, "parent": record.parent}
    if isinstance(record, Recommendation):
        return {
            "to": record.to,
            "number": record.number,
            "text": record.text,
            "evidence": list(record.evidence),
        }
    if isinstance(record, HistoryEntry):
        return {"date": record.date, "event": record.event, "outcome": record.outcome}
    if isinstance(record, Finding) and record.speaker:
        return {"speaker": record.speaker}
    return {}


def _summary(record: Record) -> str:
    if isinstance(record, Finding):
        return record.summary
    if isinstance(record, Judgement):
        return f"{record.area}: {record.grade}"
    if isinstance(record, Figure):
        return record.measure
    if isinstance(record, Recommendation):
        return record.text
    if isinstance(record, HistoryEntry):
        return f"{record.event}: {record.outcome}"
    return ""


def record_hit(record: Record, kb: KnowledgeBase) -> Hit:
    report = kb.reports[record.report_id]
    fields = _report_fields(report)
    if isinstance(record, HistoryEntry):
        fields["year"] = int(record.date[:4])  # the event's year, not its source's
    return Hit(
        id=record.id,
        kind=record.record_type,
        category=record.category if isinstance(record, Finding) else None,
        section=report.section(record.section_id).title,
        summary=_summary(record),
        quote=record.quote,
        passage=kb.passage_of(record).text,
        lines=(record.location.first_line, record.location.last_line),
        themes=record.themes,
        reviewed=record.reviewed and not report.draft,
        extra=_extra(record),
        **fields,
    )


def passage_hit(passage: Passage, kb: KnowledgeBase) -> Hit:
    report = kb.reports[passage.report_id]
    section = next(
        (s for s in report.sections if s.first_line <= passage.first_line <= s.last_line),
        report.sections[0],
    )
    return Hit(
        id=passage.id,
        kind="passage",
        category=None,
        section=section.title,
        summary=None,
        quote=passage.text,
        passage=passage.text,
        lines=(passage.first_line, passage.last_line),
        reviewed=report.reviewed and not report.draft,
        **_report_fields(report),
    )
