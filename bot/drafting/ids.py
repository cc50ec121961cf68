"""Report ids: slugs that name a file in knowledge/, never a path, never one in use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..knowledge.loader import report_paths
from .extract import DraftError

if TYPE_CHECKING:
    from .metadata import Metadata

# The id becomes knowledge/drafts/<id>.yaml and prefixes every record id, so it is a
# plain slug: no "/", no "..", nothing a shell or a URL treats specially.
REPORT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_REPORT_ID = 64
ID_RULE = (
    "use lowercase letters and digits, in words joined by single hyphens, "
    f"at most {MAX_REPORT_ID} characters (e.g. northmoor-2025)"
)


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


def default_report_id(meta: Metadata, taken: dict[str, str]) -> str:
    """Authority, month and kind ("northmoor-2025-03-focused"), made unique: the
    authority's id in authorities.yaml (or its name's own words), the month of the
    inspection (else of publication), and the first word of its kind of inspection
    (else of its report kind). A part the text did not give is left out."""
    date = meta.inspected_from or meta.published
    kind = meta.inspection or (meta.kind or "").rsplit(" ", 1)[-1]
    parts = [
        _slug(meta.place or "")[:30].strip("-"),
        f"{date.year}-{date.month:02d}" if date else "",
        _slug(kind).split("-")[0],
    ]
    base = "-".join(p for p in parts if p) or "draft"
    if not parts[0]:
        base = f"draft-{base}" if base != "draft" else base
    base = base[: MAX_REPORT_ID - 4].strip("-")
    candidate, n = base, 2
    while candidate in taken or f"{candidate}-draft" in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
