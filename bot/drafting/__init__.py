"""Adding the next report: draft it from its text, review it, publish it."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..knowledge import Problem, validate_knowledge
from ..knowledge.loader import report_paths
from ..paths import Paths
from .draft import damage_warnings, draft_report
from .extract import DraftError, import_source

__all__ = ["DraftError", "DraftResult", "draft_file", "publish_draft"]


@dataclass(frozen=True)
class DraftResult:
    path: Path
    report_id: str
    counts: dict
    warnings: list[str]
    dropped: list[str]  # records whose quotes did not prove, left out of the draft


def _existing_ids(paths: Paths) -> set[str]:
    ids = set()
    for path in report_paths(paths.knowledge, include_drafts=True):
        match = re.search(r"^  id:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
        ids.add(match.group(1) if match else path.stem)
    return ids


def _report_id(draft, taken: set[str]) -> str:
    authority = draft.report["authority"].split("(")[0]
    words = [
        w
        for w in re.findall(r"[a-z]+", authority.lower())
        if w not in ("borough", "of", "city", "county", "council", "royal", "district", "unknown")
    ]
    date = draft.report["inspected_from"] or draft.report["published"]
    base = "-".join([words[0] if words else "report", str(date.year) if date else "undated"])
    if draft.report["kind"] == "inspection letter":
        base += "-letter"
    candidate, n = base, 2
    while candidate in taken or f"{candidate}-draft" in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _dump(data: dict, path: Path) -> None:
    header = (
        "# A machine draft: every record is reviewed: false and stays out of curated answers.\n"
        "# Review each record against the source, fix summaries, kinds and themes, set\n"
        "# reviewed: true, then run `inspection-bot kb publish <id>`.\n"
    )
    path.write_text(
        header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )


def draft_file(source: Path, *, paths: Paths, report_id: str | None = None) -> DraftResult:
    seed = import_source(source, paths.seeds)
    text = seed.read_text(encoding="utf-8")
    themes = yaml.safe_load((paths.knowledge / "themes.yaml").read_text())["themes"]
    draft = draft_report(text, seed=seed.name, report_id="draft", themes=themes)
    rid = report_id or _report_id(draft, _existing_ids(paths))
    draft = draft_report(text, seed=seed.name, report_id=rid, themes=themes)
    drafts = paths.knowledge / "drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    target = drafts / f"{rid}.yaml"
    data = draft.as_yaml_data()
    _dump(data, target)
    # Prove the draft with the curated files' own validator; leave out what fails.
    _, problems = validate_knowledge(paths.knowledge, paths.seeds, report_files=[target])
    bad = {p.record_id for p in problems if p.record_id and p.record_id != rid}
    if bad:
        for key in ("judgements", "figures", "recommendations", "findings"):
            data[key] = [r for r in data[key] if r["id"] not in bad]
        for rec in data["recommendations"]:
            rec["evidence"] = [e for e in rec["evidence"] if e not in bad]
        _dump(data, target)
    counts = {k: len(data[k]) for k in ("judgements", "figures", "recommendations", "findings")}
    return DraftResult(target, rid, counts, damage_warnings(text), sorted(bad))


def publish_draft(report_id: str, *, paths: Paths) -> list[Problem | str]:
    """Move a reviewed draft into the knowledge base; on any problem, leave it as it was."""
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
