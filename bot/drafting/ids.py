"""Report ids: slugs that name a file in knowledge/, never a path, never one in use."""

from __future__ import annotations

import re
from pathlib import Path

from ..knowledge.loader import report_paths
from .extract import DraftError

# The id becomes knowledge/drafts/<id>.yaml and prefixes every record id, so it is a
# plain slug: no "/", no "..", nothing a shell or a URL treats specially.
REPORT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_REPORT_ID = 64
ID_RULE = (
    "use lowercase letters and digits, in words joined by single hyphens, "
    f"at most {MAX_REPORT_ID} characters (e.g. northmoor-2025)"
)
_IGNORED_WORDS = ("borough", "of", "city", "county", "council", "royal", "district", "unknown")


def check_report_id(report_id: str) -> None:
    if len(report_id) > MAX_REPORT_ID or not REPORT_ID.fullmatch(report_id):
        raise DraftError(f"--id {report_id!r} is not a report id: {ID_RULE}")


def taken_report_ids(knowledge: Path) -> dict[str, str]:
    """Every id a published report or a draft uses (its file name and the id inside
    it), with the file that uses it."""
    taken: dict[str, str] = {}
    for path in report_paths(knowledge, include_drafts=True):
        shown = f"knowledge/{path.parent.name}/{path.name}"
        taken.setdefault(path.stem, shown)
        match = re.search(
            r"^  id:\s*(\S+)", path.read_text(encoding="utf-8", errors="replace"), re.M
        )
        if match:
            taken.setdefault(match.group(1), shown)
    return taken


def refuse_taken(report_id: str, taken: dict[str, str]) -> None:
    if report_id in taken:
        raise DraftError(
            f"the report id '{report_id}' is taken by {taken[report_id]}; choose another --id"
        )


def default_report_id(report: dict, taken: dict[str, str]) -> str:
    """The authority's first word and the year ("northmoor-2025"), made unique."""
    words = [
        w
        for w in re.findall(r"[a-z]+", report["authority"].split("(")[0].lower())
        if w not in _IGNORED_WORDS
    ]
    date = report["inspected_from"] or report["published"]
    place = words[0][:40] if words else "report"
    base = f"{place}-{date.year if date else 'undated'}"
    if report["kind"] == "inspection letter":
        base += "-letter"
    candidate, n = base, 2
    while candidate in taken or f"{candidate}-draft" in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
