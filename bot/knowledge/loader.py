"""Load the knowledge base from YAML and seeds, validating and proving every quote.

Every problem is collected (not just the first) and located by file and line, so a
curator sees everything to fix in one run.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .coverage import Vocabularies, load_vocabularies
from .models import (
    FINDING_KINDS,
    GRADES,
    RECOMMENDATION_TO,
    REPORT_KINDS,
    Figure,
    Finding,
    GlossaryTerm,
    HistoryEntry,
    Judgement,
    KnowledgeBase,
    KnowledgeError,
    Problem,
    Recommendation,
    Record,
    Report,
    Section,
    Theme,
)
from .passages import segment
from .proof import QuoteNotFound, SeedText
from .text import letters_digits, number_in_text
from .yamlfile import Located, read_yaml

HISTORY_OUTCOMES = (*GRADES, "No graded judgement")


@dataclass
class _Build:
    """What loading has gathered so far, and what it found wrong."""

    root: Path
    seeds_dir: Path
    themes: dict[str, Theme] = field(default_factory=dict)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)
    seed_texts: dict[str, SeedText] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    raw_history: list[tuple[str, Located]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # id -> "file:line" of first use

    def name(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def claim_id(self, record_id: str, file: str, line: int) -> bool:
        if not schema.ID.match(record_id):
            self.problems.append(
                Problem(file, line, "ids use lowercase letters, digits and hyphens", record_id)
            )
        if record_id in self.ids:
            self.problems.append(
                Problem(
                    file, line, f"duplicate id (first used at {self.ids[record_id]})", record_id
                )
            )
            return False
        self.ids[record_id] = f"{file}:{line}"
        return True


def load_knowledge(
    knowledge_dir: Path,
    seeds_dir: Path,
    *,
    include_drafts: bool = False,
    report_files: list[Path] | None = None,
) -> KnowledgeBase:
    """Load and prove the knowledge base; raise KnowledgeError listing every problem."""
    kb, problems = validate_knowledge(
        knowledge_dir, seeds_dir, include_drafts=include_drafts, report_files=report_files
    )
    if problems or kb is None:
        raise KnowledgeError(problems)
    return kb


def report_paths(knowledge_dir: Path, *, include_drafts: bool) -> list[Path]:
    paths = sorted((knowledge_dir / "reports").glob("*.yaml"))
    if include_drafts:
        paths += sorted((knowledge_dir / "drafts").glob("*.yaml"))
    return paths


def validate_knowledge(
    knowledge_dir: Path,
    seeds_dir: Path,
    *,
    include_drafts: bool = False,
    report_files: list[Path] | None = None,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load what can be loaded and return it with every problem found.

    `report_files` validates just those report files (with themes, and without
    history or glossary), as a curator does with a file in progress.
    """
    build = _Build(root=knowledge_dir, seeds_dir=seeds_dir)
    _load_themes(build, knowledge_dir / "themes.yaml")
    whole = report_files is None
    paths = report_paths(knowledge_dir, include_drafts=include_drafts) if whole else report_files
    drafts_dir = (knowledge_dir / "drafts").resolve()
    for path in paths or []:
        _load_report_file(build, path, draft=path.resolve().parent == drafts_dir)
    _resolve_years(build)
    if whole:
        _load_glossary(build, knowledge_dir / "glossary.yaml")
        _load_history(build, knowledge_dir / "history.yaml")
        vocabularies, problems = load_vocabularies(knowledge_dir, build.name)
        build.problems += problems
    else:
        vocabularies = Vocabularies()
    _check_links(build, whole=whole)
    kb = KnowledgeBase(
        themes=build.themes,
        glossary=tuple(build.glossary),
        reports=build.reports,
        passages={rid: st.passages for rid, st in build.seed_texts.items()},
        records=tuple(build.records),
        vocabularies=vocabularies,
    )
    return kb, build.problems


def _load_themes(build: _Build, path: Path) -> None:
    data, problems = read_yaml(path, display=build.name(path))
    build.problems += problems
    file = build.name(path)
    if not problems and not (isinstance(data, Located) and isinstance(data.get("themes"), list)):
        build.problems.append(Problem(file, 1, "themes.yaml must hold a list under 'themes'"))
        return
    for item in (data or {}).get("themes", []) if not problems else []:
        line = getattr(item, "line", 0)
        found = schema.THEME.check(item, file, line, None)
        build.problems += found
        if found:
            continue
        if item["id"] in build.themes:
            build.problems.append(Problem(file, line, "duplicate theme id", item["id"]))
            continue
        build.themes[item["id"]] = Theme(item["id"], item["label"], tuple(item.get("words", [])))


def _load_glossary(build: _Build, path: Path) -> None:
    if not path.exists():
        return
    file = build.name(path)
    data, problems = read_yaml(path, display=file)
    build.problems += problems
    if problems:
        return
    if not (isinstance(data, Located) and isinstance(data.get("terms"), list)):
        build.problems.append(Problem(file, 1, "glossary.yaml must hold a list under 'terms'"))
        return
    for item in data["terms"]:
        found = schema.TERM.check(item, file, getattr(item, "line", 0), None)
        build.problems += found
        if not found:
            build.glossary.append(
                GlossaryTerm(
                    item["term"],
                    tuple(item.get("expansions", [])),
                    tuple(item.get("synonyms", [])),
                    item.get("note") or "",
                )
            )


def _load_report_file(build: _Build, path: Path, *, draft: bool) -> None:
    file = build.name(path)
    data, problems = read_yaml(path, display=file)
    build.problems += problems
    if problems:
        return
    found = schema.REPORT_FILE.check(data, file, 1, None)
    build.problems += found
    if found:
        return
    report = _parse_report(build, data["report"], file, draft=draft)
    if report is None:
        return
    for key, shape, parse in (
        ("judgements", schema.JUDGEMENT, _judgement),
        ("figures", schema.FIGURE, _figure),
        ("recommendations", schema.RECOMMENDATION, _recommendation),
        ("findings", schema.FINDING, _finding),
    ):
        for item in data.get(key) or []:
            _add_record(build, report, item, file, shape, parse, draft=draft)


def _parse_report(build: _Build, raw: Located, file: str, *, draft: bool) -> Report | None:
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    found = schema.REPORT.check(raw, file, raw.line, rid)
    build.problems += found
    if found:
        return None
    if raw["kind"] not in REPORT_KINDS:
        build.problems.append(
            Problem(
                file, raw.line_of("kind"), f"kind must be one of {', '.join(REPORT_KINDS)}", rid
            )
        )
    if raw["published"] is None and not raw.get("date_note"):
        build.problems.append(
            Problem(file, raw.line_of("published"), "a null date needs a date_note saying why", rid)
        )
    seed_path = build.seeds_dir / raw["seed"]
    if not seed_path.is_file():
        build.problems.append(
            Problem(file, raw.line_of("seed"), f"seed file not found: seeds/{raw['seed']}", rid)
        )
        return None
    seed = seed_path.read_text(encoding="utf-8")
    sections = _parse_sections(build, raw, seed, file, rid)
    if sections is None or not build.claim_id(rid, file, raw.line):
        return None
    report = Report(
        id=rid,
        title=raw["title"],
        short_title=raw.get("short_title") or raw["title"],
        kind=raw["kind"],
        publisher=raw["publisher"],
        authority=raw["authority"],
        inspected_from=raw["inspected_from"],
        inspected_to=raw["inspected_to"],
        published=raw["published"],
        date_note=raw.get("date_note"),
        about_report=raw.get("about_report"),
        seed=raw["seed"],
        url=raw.get("url"),
        headline=raw["headline"],
        sections=sections,
        year=None,
        reviewed=raw.get("reviewed", not draft),
        draft=draft,
        inspection=raw.get("inspection"),
    )
    build.reports[rid] = report
    breaks = {s.first_line for s in sections}
    build.seed_texts[rid] = SeedText(rid, segment(seed, breaks=breaks))
    return report


def _parse_sections(
    build: _Build, raw: Located, seed: str, file: str, rid: str
) -> tuple[Section, ...] | None:
    lines = seed.split("\n")
    parsed: list[tuple[Located, int]] = []
    ok = True
    for item in raw["sections"]:
        line = getattr(item, "line", raw.line_of("sections"))
        found = schema.SECTION.check(item, file, line, rid)
        build.problems += found
        if found:
            ok = False
            continue
        at = item["line"]
        window = letters_digits(" ".join(lines[at - 1 : at + 3])) if 1 <= at <= len(lines) else ""
        if not window.startswith(letters_digits(item["heading"])):
            build.problems.append(
                Problem(
                    file,
                    item.line_of("heading"),
                    f"section '{item['id']}': the seed's line {at} does not start with "
                    f"its heading {item['heading']!r}",
                    rid,
                )
            )
            ok = False
        parsed.append((item, at))
    starts = [at for _, at in parsed]
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        build.problems.append(
            Problem(file, raw.line_of("sections"), "sections must be in seed order", rid)
        )
        ok = False
    ids = [item["id"] for item, _ in parsed]
    if len(set(ids)) != len(ids):
        build.problems.append(Problem(file, raw.line_of("sections"), "duplicate section id", rid))
        ok = False
    if not ok or not parsed:
        if not parsed:
            build.problems.append(Problem(file, raw.line, "a report needs sections", rid))
        return None
    ends = [at - 1 for at in starts[1:]] + [len(lines)]
    return tuple(
        Section(item["id"], item["title"], item["heading"], at, end)
        for (item, at), end in zip(parsed, ends, strict=True)
    )


def _add_record(build, report, item, file, shape, parse, *, draft) -> None:
    line = getattr(item, "line", 0)
    rid = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
    problems = shape.check(item, file, line, rid)
    if problems:
        build.problems += problems
        return
    problems = _check_themes(build, item, file, rid)
    section = next((s for s in report.sections if s.id == item["section"]), None)
    if section is None:
        problems.append(
            Problem(file, item.line_of("section"), f"unknown section '{item['section']}'", rid)
        )
    try:
        location = build.seed_texts[report.id].locate(item["quote"], section)
    except QuoteNotFound as error:
        problems.append(Problem(file, item.line_of("quote"), str(error), rid))
        location = None
    if not build.claim_id(rid, file, line):
        return
    specific = parse(item, file, rid)
    problems += specific[1]
    build.problems += problems
    if problems or location is None:
        return
    build.records.append(
        specific[0](
            id=rid,
            report_id=report.id,
            section_id=item["section"],
            quote=" ".join(item["quote"].split()),
            themes=tuple(item.get("themes", [])),
            location=location,
            reviewed=item.get("reviewed", report.reviewed and not draft),
            note=item.get("note"),
            asks=tuple(item.get("asks", [])),
            source_file=file,
            source_line=line,
        )
    )


def _check_themes(build: _Build, item: Located, file: str, rid: str | None) -> list[Problem]:
    unknown = [t for t in item.get("themes", []) if t not in build.themes]
    if not unknown:
        return []
    return [
        Problem(file, item.line_of("themes"), f"unknown theme '{t}' (see themes.yaml)", rid)
        for t in unknown
    ]


# Each parser returns a constructor taking the common fields, and its own problems.


def _finding(item: Located, file: str, rid: str):
    problems = []
    if item["kind"] not in FINDING_KINDS:
        problems.append(
            Problem(
                file, item.line_of("kind"), f"kind must be one of {', '.join(FINDING_KINDS)}", rid
            )
        )
    if item["kind"] == "statement" and not item.get("speaker"):
        problems.append(Problem(file, item.line, "a statement needs its speaker", rid))

    def make(**common):
        return Finding(
            **common,
            category=item["kind"],
            summary=" ".join(item["summary"].split()),
            speaker=item.get("speaker"),
            recommendation_tag=item.get("recommendation_tag", False),
        )

    return make, problems


def _judgement(item: Located, file: str, rid: str):
    problems = []
    if item["grade"] not in GRADES:
        problems.append(
            Problem(file, item.line_of("grade"), f"grade must be one of {', '.join(GRADES)}", rid)
        )

    def make(**common):
        return Judgement(
            **common, area=item["area"], grade=item["grade"], parent=item.get("parent")
        )

    return make, problems


def _states(stated: str, value, quote: str) -> bool:
    """Is `stated` the quote's own words (any case and spacing), holding the value?"""
    held = value is None or number_in_text(value, stated)
    return held and _squashed(stated) in _squashed(quote)


def _squashed(text: str) -> str:
    return " ".join(text.lower().split())


def _figure(item: Located, file: str, rid: str):
    problems = []
    missing, value = item.get("missing", False), item["value"]
    if missing and value is not None:
        problems.append(
            Problem(
                file, item.line_of("value"), "a missing figure has value: null, never a guess", rid
            )
        )
    elif not missing and value is None:
        problems.append(
            Problem(
                file, item.line_of("value"), "value is null: mark the figure missing: true", rid
            )
        )
    elif value is not None and not number_in_text(value, item["quote"]):
        problems.append(
            Problem(
                file, item.line_of("value"), f"the value {value} is not in the figure's quote", rid
            )
        )
    rate = item.get("rate_per_10000")
    if rate is not None and not number_in_text(rate, item["quote"]):
        problems.append(
            Problem(
                file, item.line_of("rate_per_10000"), f"the rate {rate} is not in the quote", rid
            )
        )

    stated = item.get("stated")
    if stated is not None and not _states(stated, value, item["quote"]):
        problems.append(
            Problem(
                file,
                item.line_of("stated"),
                f"stated {stated!r} is not in the quote, or does not hold the value",
                rid,
            )
        )

    def make(**common):
        return Figure(
            **common,
            measure=item["measure"],
            value=value,
            unit=item["unit"],
            as_of=item.get("as_of"),
            period=item.get("period"),
            rate_per_10000=rate,
            stated=stated,
            missing=missing,
        )

    return make, problems


def _recommendation(item: Located, file: str, rid: str):
    problems = []
    if item["to"] not in RECOMMENDATION_TO:
        problems.append(
            Problem(
                file, item.line_of("to"), f"to must be one of {', '.join(RECOMMENDATION_TO)}", rid
            )
        )

    def make(**common):
        return Recommendation(
            **common,
            to=item["to"],
            number=item["number"],
            text=item["text"],
            evidence=tuple(item["evidence"]),
        )

    return make, problems


def _load_history(build: _Build, path: Path) -> None:
    if not path.exists():
        return
    file = build.name(path)
    data, problems = read_yaml(path, display=file)
    build.problems += problems
    if problems:
        return
    if not (isinstance(data, Located) and isinstance(data.get("history"), list)):
        build.problems.append(Problem(file, 1, "history.yaml must hold a list under 'history'"))
        return
    for item in data["history"]:
        line = getattr(item, "line", 0)
        rid = item.get("id") if isinstance(item, dict) else None
        found = schema.HISTORY.check(item, file, line, rid)
        if found:
            build.problems += found
            continue
        report = build.reports.get(item["report"])
        if report is None:
            build.problems.append(
                Problem(file, item.line_of("report"), f"unknown report '{item['report']}'", rid)
            )
            continue
        if item["outcome"] not in HISTORY_OUTCOMES:
            build.problems.append(
                Problem(
                    file,
                    item.line_of("outcome"),
                    f"outcome must be one of {', '.join(HISTORY_OUTCOMES)}",
                    rid,
                )
            )
            continue

        def parse(item, file, rid):
            def make(**common):
                return HistoryEntry(
                    **common, date=str(item["date"]), event=item["event"], outcome=item["outcome"]
                )

            return make, []

        _add_record(build, report, item, file, schema.HISTORY, parse, draft=False)


def _resolve_years(build: _Build) -> None:
    """A report's year is its inspection's; a press article takes the report it covers."""
    for rid, report in list(build.reports.items()):
        date = report.inspected_from or report.published
        year = date.year if date else None
        if year is None and report.about_report in build.reports:
            covered = build.reports[report.about_report]
            date = covered.inspected_from or covered.published
            year = date.year if date else None
        build.reports[rid] = dataclasses.replace(report, year=year)


def _check_links(build: _Build, *, whole: bool) -> None:
    """Cross-record references: evidence links, judgement parents, covered reports."""
    by_id = {r.id: r for r in build.records}
    for record in build.records:
        refs: list[tuple[str, type]] = []
        if isinstance(record, Recommendation):
            refs = [(e, Finding) for e in record.evidence]
        elif isinstance(record, Judgement) and record.parent:
            refs = [(record.parent, Judgement)]
        for ref, cls in refs:
            target = by_id.get(ref)
            if target is None and (whole or ref in build.ids):
                build.problems.append(
                    Problem(
                        record.source_file, record.source_line, f"unknown id '{ref}'", record.id
                    )
                )
            elif target is not None and not isinstance(target, cls):
                build.problems.append(
                    Problem(
                        record.source_file,
                        record.source_line,
                        f"'{ref}' is a {target.record_type}, not a {cls.record_type}",
                        record.id,
                    )
                )
    for report in build.reports.values():
        if whole and report.about_report and report.about_report not in build.reports:
            build.problems.append(
                Problem(
                    "knowledge/reports",
                    0,
                    f"about_report '{report.about_report}' not found",
                    report.id,
                )
            )
