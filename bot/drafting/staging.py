"""Proving a draft before anything is written: the knowledge base's own validator,
run on a scratch mirror of knowledge/ and seeds/ that holds the draft as well.

The validator reads files, so the mirror gets a copy of knowledge/, a link to every
seed, and the draft and its seed text; nothing in knowledge/ or seeds/ changes.
Validating the whole mirror, as `kb validate` does, also catches what one file alone
cannot show, such as a record id another report already uses.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..knowledge import Problem, validate_knowledge
from ..paths import Paths
from .extract import DraftError
from .seeds import SeedFiles

RECORD_KEYS = ("judgements", "figures", "recommendations", "findings")
HEADER = (
    "# A machine draft: every record is reviewed: false and stays out of curated answers.\n"
    "# Review each record against the source, fix summaries, kinds and themes, set\n"
    "# reviewed: true, then run `inspection-bot kb publish <id>`.\n"
)
# libyaml's emitter when PyYAML has it: the pure-Python one took seconds on a long draft.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def draft_yaml(data: dict, comments: dict[str, str] | None = None, footer: str = "") -> str:
    """The draft as YAML: `comments` go beside the report's keys they name (a null the
    text did not give), `footer` after the records."""
    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
    for key, comment in (comments or {}).items():
        text = re.sub(
            rf"^(  {re.escape(key)}: null)$", rf"\1  # {comment}", text, count=1, flags=re.M
        )
    return HEADER + text + footer


@dataclass(frozen=True)
class ProvenDraft:
    data: dict  # the draft as the validator accepts it
    text: str  # ... and as YAML, byte for byte what was validated
    left_out: list[str]  # ids of the candidate records the validator rejected


def prove_draft(
    data: dict,
    seed: SeedFiles,
    paths: Paths,
    *,
    comments: dict[str, str] | None = None,
    footer: str = "",
) -> ProvenDraft:
    """The draft as the validator accepts it, without the candidates it rejects.

    A candidate record the validator rejects (a quote it cannot prove, an id in use)
    is left out, as the curator would delete it. A problem with the draft as a whole
    refuses it: DraftError, naming the first problem.
    """
    rid = data["report"]["id"]
    with tempfile.TemporaryDirectory(prefix="inspection-bot-draft-") as scratch:
        knowledge, seeds = _mirror(paths, Path(scratch))
        (seeds / seed.text_name).unlink(missing_ok=True)  # a link to the same bytes
        (seeds / seed.text_name).write_bytes(seed.files[seed.text_name])
        target = knowledge / "drafts" / f"{rid}.yaml"
        shown = f"knowledge/drafts/{target.name}"
        target.write_text(draft_yaml(data, comments, footer), encoding="utf-8")
        problems = _problems_of_draft(data, knowledge, seeds, shown)
        candidates = {r["id"] for key in RECORD_KEYS for r in data[key]}
        left_out = {p.record_id for p in problems if p.record_id in candidates}
        if left_out:
            data = _without(data, left_out)
            target.write_text(draft_yaml(data, comments, footer), encoding="utf-8")
            problems = _problems_of_draft(data, knowledge, seeds, shown)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DraftError(f"the draft would not pass `kb validate`: {problems[0]}{more}")
        return ProvenDraft(data, target.read_text(encoding="utf-8"), sorted(left_out))


def _mirror(paths: Paths, scratch: Path) -> tuple[Path, Path]:
    knowledge, seeds = scratch / "knowledge", scratch / "seeds"
    # All of knowledge/, copied: whatever the validator reads there (themes, history,
    # vocabularies) it reads here, and a draft's file really is in drafts/.
    shutil.copytree(paths.knowledge, knowledge, symlinks=True)
    (knowledge / "drafts").mkdir(exist_ok=True)
    seeds.mkdir()
    if paths.seeds.is_dir():
        for path in paths.seeds.iterdir():
            (seeds / path.name).symlink_to(path.absolute())
    return knowledge, seeds


def _problems_of_draft(data: dict, knowledge: Path, seeds: Path, shown: str) -> list[Problem]:
    """The problems the draft brings: in its file, or naming one of its ids (a
    duplicate is reported where the second use stands, which may be another file).
    Problems the knowledge base had already are not the draft's to answer for."""
    ids = {data["report"]["id"]} | {r["id"] for key in RECORD_KEYS for r in data[key]}
    _, problems = validate_knowledge(knowledge, seeds, include_drafts=True)
    unknown_kind = data["report"].get("kind") is None  # null by design: the text gave none
    return [
        p
        for p in problems
        if (p.file == shown or p.record_id in ids)
        and not (unknown_kind and p.file == shown and p.message.startswith("kind must be one of"))
    ]


def _without(data: dict, left_out: set[str]) -> dict:
    kept = {key: [r for r in data[key] if r["id"] not in left_out] for key in RECORD_KEYS}
    kept["recommendations"] = [
        {**rec, "evidence": [e for e in rec["evidence"] if e not in left_out]}
        for rec in kept["recommendations"]
    ]
    return {"report": data["report"], **kept}
