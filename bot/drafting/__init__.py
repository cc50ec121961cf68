"""Adding the next report: draft it from its text, review it, publish it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..knowledge import Problem, validate_knowledge
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
from .seeds import plan_seed_files, write_seed_files
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


def draft_file(source: Path, *, paths: Paths, report_id: str | None = None) -> DraftResult:
    """Draft `source` into knowledge/drafts/, copying it into seeds/.

    Every check comes before the first write: the id, the file, its text, and the
    draft itself against the validator. On DraftError nothing has been written.
    """
    # Imported here: the drafter brings in search's stemmer, and the command line
    # imports this package for its limits on every start.
    from .draft import damage_warnings, draft_report, report_metadata

    if report_id is not None:
        check_report_id(report_id)
    taken = taken_report_ids(paths.knowledge)
    if report_id is not None:
        refuse_taken(report_id, taken)
    original = read_source(source)
    seed = plan_seed_files(original, paths.seeds)
    themes = yaml.safe_load((paths.knowledge / "themes.yaml").read_text())["themes"]
    rid = report_id or default_report_id(report_metadata(original.text), taken)
    draft = draft_report(original.text, seed=seed.text_name, report_id=rid, themes=themes)
    proven = prove_draft(draft.as_yaml_data(), seed, paths)
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
    return DraftResult(target, rid, counts, damage_warnings(original.text), proven.left_out)


def publish_draft(report_id: str, *, paths: Paths) -> list[Problem | str]:
    """Move a reviewed draft into the knowledge base; on any problem, leave it as it was."""
    if not REPORT_ID.fullmatch(report_id):  # an id names a file in drafts/, never a path
        return [f"{report_id!r} is not a report id: {ID_RULE}"]
    source = paths.knowledge / "drafts" / f"{report_id}.yaml"
    if not source.exists():
        return [f"no draft knowledge/drafts/{report_id}.yaml"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    unreviewed = [
        r["id"]
        for key in ("judgements", "figures", "recommendations", "findings")
        for r in data.get(key) or []
        if r.get("reviewed") is False
    ]
    if unreviewed:
        listed = ", ".join(unreviewed[:10]) + (" ..." if len(unreviewed) > 10 else "")
        return [
            f"{len(unreviewed)} records are still reviewed: false ({listed}); review them or delete them first"
        ]
    target = paths.knowledge / "reports" / f"{report_id}.yaml"
    if target.exists():
        return [f"knowledge/reports/{report_id}.yaml already exists"]
    shutil.move(source, target)
    _, problems = validate_knowledge(paths.knowledge, paths.seeds)
    if problems:
        shutil.move(target, source)
        return list(problems)
    return []
