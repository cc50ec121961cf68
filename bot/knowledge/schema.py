"""The keys each kind of YAML mapping may carry, and their types.

One table per mapping kind: `required` keys must be present, the rest may be;
anything else is an unknown key and an error naming its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from .models import Problem
from .yamlfile import Located

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HISTORY_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _is_text(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_text_or_none(v: object) -> bool:
    return v is None or _is_text(v)


def _is_text_list(v: object) -> bool:
    return isinstance(v, list) and all(_is_text(x) for x in v)


def _is_date_or_none(v: object) -> bool:
    return v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime))


def _is_number_or_none(v: object) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool))


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_bool(v: object) -> bool:
    return isinstance(v, bool)


def _is_list(v: object) -> bool:
    return isinstance(v, list)


def _is_text_list_or_none(v: object) -> bool:
    return v is None or _is_text_list(v)


def _is_history_date(v: object) -> bool:
    return isinstance(v, str) and bool(HISTORY_DATE.match(v)) or isinstance(v, dt.date)


TEXT = ("text", _is_text)
TEXT_OR_NONE = ("text or null", _is_text_or_none)
TEXT_LIST = ("a list of text", _is_text_list)
DATE_OR_NONE = ("a date (YYYY-MM-DD) or null", _is_date_or_none)
NUMBER_OR_NONE = ("a number or null", _is_number_or_none)
INT = ("a whole number", _is_int)
BOOL = ("true or false", _is_bool)
LIST = ("a list", _is_list)
TEXT_LIST_OR_NONE = ("a list of text, or null", _is_text_list_or_none)


def in_drafts(file: str) -> bool:
    """A file in knowledge/drafts/: a machine draft, still being reviewed."""
    return PurePath(file).parent.name == "drafts"


@dataclass(frozen=True)
class Shape:
    name: str
    required: dict[str, tuple[str, Callable[[object], bool]]]
    optional: dict[str, tuple[str, Callable[[object], bool]]]
    # Keys a draft may leave null where its text did not say (`kb publish` refuses
    # them until the curator sets them); a published file must give them.
    null_in_drafts: frozenset[str] = field(default_factory=frozenset)

    def check(self, mapping: object, file: str, line: int, record_id: str | None) -> list[Problem]:
        if not isinstance(mapping, Located):
            return [Problem(file, line, f"a {self.name} must be a mapping of keys", record_id)]
        problems = []
        for key in self.required:
            if key not in mapping:
                problems.append(Problem(file, mapping.line, f"missing key '{key}'", record_id))
        for key, value in mapping.items():
            spec = self.required.get(key) or self.optional.get(key)
            if spec is None:
                known = ", ".join([*self.required, *self.optional])
                problems.append(
                    Problem(
                        file,
                        mapping.line_of(key),
                        f"unknown key '{key}' in a {self.name} (known keys: {known})",
                        record_id,
                    )
                )
            elif value is None and key in self.null_in_drafts and in_drafts(file):
                continue
            elif not spec[1](value):
                problems.append(
                    Problem(file, mapping.line_of(key), f"'{key}' must be {spec[0]}", record_id)
                )
        return problems


_COMMON = {"reviewed": BOOL, "note": TEXT_OR_NONE, "asks": TEXT_LIST}
_RECORD = {"id": TEXT, "section": TEXT, "quote": TEXT, "themes": TEXT_LIST}

REPORT_FILE = Shape(
    "report file",
    {"report": ("a mapping", lambda v: isinstance(v, dict))},
    {"judgements": LIST, "figures": LIST, "recommendations": LIST, "findings": LIST},
)
REPORT = Shape(
    "report",
    {
        "id": TEXT,
        "title": TEXT,
        "kind": TEXT,
        "publisher": TEXT,
        "authority": TEXT,
        "inspected_from": DATE_OR_NONE,
        "inspected_to": DATE_OR_NONE,
        "published": DATE_OR_NONE,
        "seed": TEXT,
        "headline": TEXT,
        "sections": LIST,
    },
    {
        "short_title": TEXT,
        "date_note": TEXT_OR_NONE,
        "about_report": TEXT_OR_NONE,
        "url": TEXT_OR_NONE,
        "reviewed": BOOL,
        # Written by `kb draft`: the kind of inspection (an id in inspections.yaml),
        # the inspectors the text names, and notes for the curator.
        "inspection": TEXT_OR_NONE,
        "inspectors": TEXT_LIST_OR_NONE,
        "notes": TEXT_LIST,
    },
    null_in_drafts=frozenset({"kind", "authority", "publisher", "headline"}),
)
SECTION = Shape("section", {"id": TEXT, "line": INT, "heading": TEXT, "title": TEXT}, {})
FINDING = Shape(
    "finding",
    {**_RECORD, "kind": TEXT, "summary": TEXT},
    {**_COMMON, "speaker": TEXT, "recommendation_tag": BOOL},
)
JUDGEMENT = Shape(
    "judgement", {**_RECORD, "area": TEXT, "grade": TEXT}, {**_COMMON, "parent": TEXT}
)
FIGURE = Shape(
    "figure",
    {**_RECORD, "measure": TEXT, "value": NUMBER_OR_NONE, "unit": TEXT},
    {
        **_COMMON,
        "as_of": DATE_OR_NONE,
        "period": TEXT_OR_NONE,
        "rate_per_10000": NUMBER_OR_NONE,
        "stated": TEXT_OR_NONE,
        "missing": BOOL,
    },
)
RECOMMENDATION = Shape(
    "recommendation",
    {**_RECORD, "to": TEXT, "number": INT, "text": TEXT, "evidence": TEXT_LIST},
    _COMMON,
)
HISTORY = Shape(
    "history entry",
    {
        "id": TEXT,
        "section": TEXT,
        "quote": TEXT,
        "date": ("a date: YYYY, YYYY-MM or YYYY-MM-DD", _is_history_date),
        "event": TEXT,
        "outcome": TEXT,
        "report": TEXT,
    },
    {**_COMMON, "themes": TEXT_LIST},
)
THEME = Shape("theme", {"id": TEXT, "label": TEXT}, {"words": TEXT_LIST})
TERM = Shape(
    "glossary term",
    {"term": TEXT},
    {"expansions": TEXT_LIST, "synonyms": TEXT_LIST, "note": TEXT_OR_NONE},
)
