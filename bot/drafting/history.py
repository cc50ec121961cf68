"""Extending the inspection timeline (knowledge/history.yaml) from a report's history
candidates: the earlier judgements its text states ("judged inadequate in December
2021"), which `kb draft` writes as a commented block at the end of the report file.

Nothing is guessed: a candidate whose `event` the curator has not named is refused,
every quote is proven by the validator, and on any problem history.yaml is left
exactly as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..knowledge import Problem, validate_knowledge
from ..paths import Paths
from .ids import REPORT_ID

MARKER = "# History candidates:"


def history_candidates(report_file: Path) -> list[dict]:
    """The candidates in a report file's commented block (none when it has none)."""
    text = report_file.read_text(encoding="utf-8")
    if MARKER not in text:
        return []
    block = [line for line in text[text.index(MARKER) :].splitlines() if line.startswith("#")]
    first = next((n for n, line in enumerate(block) if line.startswith("# - ")), len(block))
    body = "\n".join(re.sub(r"^#( |$)", "", line) for line in block[first:])
    try:
        entries = yaml.safe_load(body)
    except yaml.YAMLError:
        return []
    return [e for e in entries or [] if isinstance(e, dict)]


def _as_yaml(entry: dict) -> str:
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=84)
    return "\n" + "\n".join(f"  {line}" if line else "" for line in text.splitlines()) + "\n"


def add_history(report_id: str, *, paths: Paths) -> tuple[list[str], list[Problem | str]]:
    """Append a published report's named history candidates to history.yaml: the ids
    added, or the problems (and history.yaml unchanged)."""
    if not REPORT_ID.fullmatch(report_id):
        return [], [f"{report_id!r} is not a report id"]
    report_file = paths.knowledge / "reports" / f"{report_id}.yaml"
    if not report_file.exists():
        return [], [f"no published report knowledge/reports/{report_id}.yaml (publish it first)"]
    candidates = history_candidates(report_file)
    if not candidates:
        return [], [f"knowledge/reports/{report_id}.yaml has no history candidates"]
    unnamed = [c.get("id", "?") for c in candidates if not c.get("event")]
    if unnamed:
        return [], [
            f"name the event of {', '.join(map(str, unnamed))} in the history candidates at "
            f"the end of knowledge/reports/{report_id}.yaml first (the inspection it was)"
        ]
    history = paths.knowledge / "history.yaml"
    before = history.read_text(encoding="utf-8")
    history.write_text(
        before.rstrip("\n") + "\n" + "".join(_as_yaml(c) for c in candidates), encoding="utf-8"
    )
    _, problems = validate_knowledge(paths.knowledge, paths.seeds)
    if problems:
        history.write_text(before, encoding="utf-8")
        return [], list(problems)
    return [str(c["id"]) for c in candidates], []
