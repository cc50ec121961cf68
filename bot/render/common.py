"""Wording shared by every renderer (Slack blocks, terminal, digest): one voice.

Plain text only; each renderer escapes and styles it for its own medium.
"""

from __future__ import annotations

import datetime as dt

from ..answers import Answer
from ..search.hits import Hit

CATEGORY_LABELS = {
    "strength": "Strength",
    "weakness": "Weakness",
    "area_for_development": "Area for development",
    "satisfactory_practice": "Satisfactory practice",
    "fact": "Fact",
    "statement": "Statement",
}
INTENT_TITLES = {
    "judgement": "Graded judgements",
    "figure": "Figures",
    "recommendation": "Recommendations",
    "comparison": "Then and now",
    "finding": "Findings",
}


def human_date(iso: str | None) -> str:
    if not iso:
        return "undated"
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def source_line(hit: Hit) -> str:
    """Where the quote stands: report, date, section and seed lines."""
    first, last = hit.lines
    lines = f"line {first}" if first == last else f"lines {first}–{last}"
    who = "Press report" if hit.is_press else hit.report_title
    return f"{who}, {human_date(hit.report_date)} · {hit.section} · {hit.source} {lines}"


def figure_value(hit: Hit) -> str:
    extra = hit.extra
    if extra.get("missing"):
        return "Not stated: the source text lost this number"
    # The report's own words where they say more: "approximately 30,000" is not "30000".
    text = extra.get("stated") or _value_and_unit(extra)
    if extra.get("rate_per_10000") is not None:
        text += f" ({extra['rate_per_10000']} per 10,000 children)"
    return text


def _value_and_unit(extra: dict) -> str:
    value = extra.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = extra.get("unit") or ""
    return f"{value}%" if unit in ("percent", "%") else f"{value} {unit}".strip()


def figure_when(hit: Hit) -> str | None:
    extra = hit.extra
    if extra.get("as_of"):
        return f"as at {human_date(extra['as_of'])}"
    if extra.get("period"):
        return extra["period"]
    return None


def headline(hit: Hit) -> str:
    """The bold first line of a hit: what the record says, in brief."""
    extra = hit.extra
    if hit.kind == "judgement":
        return f"{extra.get('area')}: {extra.get('grade')}"
    if hit.kind == "figure":
        when = figure_when(hit)
        return f"{extra.get('measure')}: {figure_value(hit)}" + (f" ({when})" if when else "")
    if hit.kind == "recommendation":
        to = "the LSCB" if extra.get("to") == "LSCB" else "the council"
        return f"Recommendation {extra.get('number')} to {to}: {extra.get('text')}"
    if hit.kind == "history":
        return f"{extra.get('event')}: {extra.get('outcome')}"
    if hit.kind == "passage":
        return f"From the report text ({hit.section})"
    label = CATEGORY_LABELS.get(hit.category or "", "")
    speaker = extra.get("speaker")
    if speaker:
        return f"{speaker} (quoted in the press): {hit.summary}"
    return f"{label}: {hit.summary}" if label else (hit.summary or "")


def attribution(hit: Hit) -> str | None:
    """Who is speaking, when it is not Ofsted."""
    if hit.is_press:
        return "Press report, not Ofsted's words"
    if not hit.reviewed:
        return "Unreviewed draft"
    return None


# Beside a decline about another council: what the reports do say that names it.
MENTIONS_LEAD = "Not an answer: the nearest the reports come."


def no_answer_text(answer: Answer, theme_labels: dict[str, str]) -> str:
    message = answer.notes[0] if answer.notes else "The inspection reports don't cover that."
    themes = ", ".join(theme_labels.get(t, t) for t in answer.themes)
    return f"{message} Closest topics they do cover: {themes}." if themes else message


def year_of(hit: Hit) -> str:
    return str(hit.year) if hit.year else "undated"
