"""Adding the next report: draft it from its text, review it, publish it."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..knowledge import Problem, validate_knowledge
from ..knowledge.coverage import load_vocabularies
from ..knowledge.yamlfile import Located, read_yaml
from ..paths import Paths
from .extract import MAX_PDF_BYTES, MAX_TEXT_BYTES, DraftError, read_source
from .ids import (
    ID_RULE,
    MAX_REPORT_ID,
    REPORT_ID,
    check_report_id,
    default_report_id,
    refuse_taken,
    taken_report_ids,
)
from .seeds import SeedFiles, plan_seed_files, same_content, write_seed_files
from .staging import RECORD_KEYS, prove_draft

__all__ = [
    "MAX_PDF_BYTES",
    "MAX_REPORT_ID",
    "MAX_TEXT_BYTES",
    "DraftError",
    "DraftResult",
    "draft_file",
    "publish_draft",
]


@dataclass(frozen=True)
class DraftResult:
    path: Path
    report_id: str
    counts: dict
    warnings: list[str]
    dropped: list[str]  # candidate records the validator rejected, left out of the draft
    missing: list[str] = field(default_factory=list)  # report keys the text did not give


def draft_file(source: Path, *, paths: Paths, report_id: str | None = None) -> DraftResult:
    """Draft `source` into knowledge/drafts/, copying it into seeds/.

    Every check comes before the first write: the id, the file, its text, and the
    draft itself against the validator. On DraftError nothing has been written.
    """
    # Imported here: the drafter brings in search's stemmer, and the command line
    # imports this package for its limits on every start.
    from .draft import damage_warnings, draft_report, report_metadata
    from .metadata import DraftVocabulary

    if report_id is not None:
        check_report_id(report_id)
    taken = taken_report_ids(paths.knowledge)
    if report_id is not None:
        refuse_taken(report_id, taken)
    original = read_source(source)
    seed = plan_seed_files(original, paths.seeds)
    themes = yaml.safe_load((paths.knowledge / "themes.yaml").read_text())["themes"]
    vocabulary = DraftVocabulary.load(paths.knowledge)
    meta = report_metadata(original.text, vocabulary)
    rid = report_id or default_report_id(meta, taken)
    draft = draft_report(
        original.text,
        seed=seed.text_name,
        report_id=rid,
        themes=themes,
        vocabulary=vocabulary,
        meta=meta,
    )
    proven = prove_draft(
        draft.as_yaml_data(), seed, paths, comments=draft.comments, footer=draft.footer
    )
    warnings = _already_drafted(seed, paths) + _press_warnings(meta)
    target = paths.knowledge / "drafts" / f"{rid}.yaml"
    written = write_seed_files(seed, paths.seeds)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # never over another draft
            file.write(proven.text)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise DraftError(f"cannot write knowledge/drafts/{target.name}: {error}") from None
    counts = {key: len(proven.data[key]) for key in RECORD_KEYS}
    warnings += damage_warnings(original.text)
    return DraftResult(target, rid, counts, warnings, proven.left_out, draft.missing)


def _already_drafted(seed: SeedFiles, paths: Paths) -> list[str]:
    """A warning for each file in seeds/ that already holds this text, naming the
    drafts and reports made from it: drafting it again makes a second report of it."""
    from ..knowledge.loader import report_paths

    same = same_content(seed, paths.seeds)
    if not same:
        return []
    users: dict[str, list[str]] = {}
    for path in report_paths(paths.knowledge, include_drafts=True):
        match = re.search(
            r"^  seed:\s*(\S+)", path.read_text(encoding="utf-8", errors="replace"), re.M
        )
        if match:
            users.setdefault(match.group(1), []).append(f"knowledge/{path.parent.name}/{path.name}")
    return [
        f"the same text is already seeds/{name}"
        + (
            f", the source of {', '.join(users[name])}: this drafts it a second time"
            if name in users
            else " (no report uses it yet)"
        )
        for name in same
    ]


def _press_warnings(meta) -> list[str]:
    if not meta.is_press:
        return []
    signs = ", ".join(f"{what} at line {line}" for what, line in meta.press_signs if line)
    if meta.reprint_signs:
        quoted = ", ".join(f"{what} at line {line}" for what, line in meta.reprint_signs)
        return [
            f"this is a press page ({signs}) reprinting an inspection's text ({quoted}): "
            "drafted as a press article; its words are the newspaper's, never Ofsted's"
        ]
    return [
        "this reads as a press article"
        + (f" ({signs})" if signs else " (reported speech, no inspection's own headings)")
        + ": drafted as the press, never as Ofsted's words"
    ]


# A value nobody has written yet: `kb publish` refuses it wherever it stands.
_PLACEHOLDER = re.compile(r"\b(?:TODO|TBC|TBD|FIXME|XXX)\b")
_PLACEHOLDER_WORDS = re.compile(
    r"^\s*(?:unknown|untitled|to be confirmed|draft\s*:|\?+\s*$|<[^>]*>\s*$)"
    r"|\bthe curator (?:sets|writes|names|fills|adds)\b|\bplaceholder\b|\blorem ipsum\b",
    re.I,
)
# Report keys that must have a value to publish; the dates may be null with a date_note.
_REQUIRED = ("kind", "authority", "publisher", "headline")
_DATES = ("inspected_from", "inspected_to", "published")


def _is_placeholder(value: object) -> bool:
    return isinstance(value, str) and bool(
        _PLACEHOLDER.search(value) or _PLACEHOLDER_WORDS.search(value)
    )


def unfinished(data: object, file: str, inspection_ids: set[str]) -> list[Problem]:
    """Why a draft is not ready to publish, each at its file and line: a key still
    null, a placeholder, an unknown kind of inspection, a record still unreviewed."""
    if not isinstance(data, Located) or not isinstance(data.get("report"), Located):
        return [Problem(file, 1, "not a report file: it needs a 'report' mapping")]
    report = data["report"]
    rid = report.get("id") if isinstance(report.get("id"), str) else None
    problems = []
    for key in _REQUIRED:
        if report.get(key) is None:
            problems.append(
                Problem(file, report.line_of(key), f"{key} is null: set it to publish", rid)
            )
    for key in _DATES:
        if key in report and report[key] is None and not report.get("date_note"):
            problems.append(
                Problem(
                    file,
                    report.line_of(key),
                    f"{key} is null and no date_note says why: set one or the other",
                    rid,
                )
            )
    inspection = report.get("inspection")
    if inspection is not None and inspection not in inspection_ids:
        problems.append(
            Problem(
                file,
                report.line_of("inspection"),
                f"inspection {inspection!r} is not a kind in knowledge/inspections.yaml "
                f"({', '.join(sorted(inspection_ids))})",
                rid,
            )
        )
    if report.get("reviewed") is False:
        problems.append(
            Problem(
                file,
                report.line_of("reviewed"),
                "the report's own keys are still reviewed: false; check them against the "
                "source, then set reviewed: true",
                rid,
            )
        )
    problems += _placeholders(report, file, rid, skip=("notes", "sections"))
    for section in report.get("sections") or []:
        problems += _placeholders(section, file, rid)
    for key in RECORD_KEYS:
        for record in data.get(key) or []:
            if not isinstance(record, Located):
                continue
            record_id = record.get("id") if isinstance(record.get("id"), str) else None
            if record.get("reviewed") is False:
                problems.append(
                    Problem(
                        file,
                        record.line_of("reviewed"),
                        "still reviewed: false; review it and set reviewed: true, or delete it",
                        record_id,
                    )
                )
            problems += _placeholders(record, file, record_id, skip=("quote",))
    return sorted(problems, key=lambda p: p.line)


def _placeholders(mapping, file: str, rid: str | None, skip=()) -> list[Problem]:
    if not isinstance(mapping, Located):
        return []
    found = []
    for key, value in mapping.items():
        values = value if isinstance(value, list) else [value]
        if key not in skip and any(_is_placeholder(v) for v in values):
            shown = next(v for v in values if _is_placeholder(v))
            found.append(
                Problem(
                    file,
                    mapping.line_of(key),
                    f"'{key}' holds a placeholder ({shown!r}): write the real value",
                    rid,
                )
            )
    return found


def publish_draft(report_id: str, *, paths: Paths) -> list[Problem | str]:
    """Move a finished draft into the knowledge base; on any problem, leave it as it
    was. Refused, naming each problem's file and line, while a required key is null,
    a value is a placeholder, or a record (or the report's own keys) is unreviewed."""
    if not REPORT_ID.fullmatch(report_id):  # an id names a file in drafts/, never a path
        return [f"{report_id!r} is not a report id: {ID_RULE}"]
    source = paths.knowledge / "drafts" / f"{report_id}.yaml"
    if not source.exists():
        return [f"no draft knowledge/drafts/{report_id}.yaml"]
    shown = f"knowledge/drafts/{report_id}.yaml"
    data, problems = read_yaml(source, display=shown)
    if problems:
        return list(problems)
    vocabularies, _ = load_vocabularies(paths.knowledge, str)
    problems = unfinished(data, shown, {k.id for k in vocabularies.kinds})
    if problems:
        return list(problems)
    target = paths.knowledge / "reports" / f"{report_id}.yaml"
    if target.exists():
        return [f"knowledge/reports/{report_id}.yaml already exists"]
    shutil.move(source, target)
    _, problems = validate_knowledge(paths.knowledge, paths.seeds)
    if problems:
        shutil.move(target, source)
        return list(problems)
    return []
