"""The Home tab as a Block Kit view. Pure: data in, a dict out; no Slack framework,
no clock (the week and the dates come in with the data).

It says what the bot covers (the reports with their dates and kinds, the latest
graded judgements), how to ask, this week's spotlight recommendation (the digest's
rotation) and when the knowledge was last published. Curators also see counts of
what waits for them: drafts to review, and this week's unanswered and not-helpful
questions. Counts only: a question's text never appears on the Home tab.

Every text is escaped, so nothing in a report can ping a channel or forge a link,
and the view keeps within Slack's limits (100 blocks, 3,000 characters a section)
however large the knowledge base grows: long lists are cut, saying how many more
there are and which command lists them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..digest.content import IsoWeek, Spotlight
from ..search.hits import Hit
from .blocks import MAX_SECTION_TEXT, _context, _header, _section, escape
from .common import human_date

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home tab view
HOME_CALLBACK = "inspection_home"
REPORTS_SHOWN = 12
JUDGEMENTS_SHOWN = 12
THEMES_SHOWN = 12
LINE_ROOM = 240  # characters of one listed item (before escaping) before it is cut
QUOTE_ROOM = 600
_SAFE_URL = re.compile(r"https?://[^\s|<>&\"']{1,500}")


@dataclass(frozen=True)
class HomeKnowledge:
    """What the Home tab shows of the knowledge, gathered once per index and week."""

    week: IsoWeek
    reports: tuple[dict, ...] = ()  # the published reports, as the index's meta lists them
    judgements: tuple[Hit, ...] = ()  # the latest inspection's graded judgements
    themes: tuple[dict, ...] = ()
    spotlight: Spotlight | None = None
    built_on: dt.date | None = None  # the day the index was built, in the bot's time zone
    # The themes Ofsted's recommendations touch, most often first: what the
    # Messages tab suggests asking about (all themes when there are none).
    asked_themes: tuple[dict, ...] = ()


@dataclass(frozen=True)
class CuratorCounts:
    """For CURATOR_USERS only: numbers, never questions."""

    drafts: int
    unanswered: int | None  # None when the query log is off or cannot be read
    not_helpful: int | None


def cut(text: object, room: int = LINE_ROOM) -> str:
    """One line of at most `room` characters, cut at a word with "…"."""
    line = " ".join(str(text or "").split())
    if len(line) <= room:
        return line
    cut_at = line.rfind(" ", 0, room - 1)
    return line[: cut_at if cut_at > room // 2 else room - 1].rstrip() + "…"


def _sections(lines: list[str], room: int = MAX_SECTION_TEXT) -> list[dict]:
    """Whole escaped lines packed into as few sections as fit (never splitting a
    line, so an escape such as `&amp;` is never cut in two)."""
    blocks, current = [], ""
    for line in lines:
        line = line[:room]
        if current and len(current) + 1 + len(line) > room:
            blocks.append(_section(current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(_section(current))
    return blocks


def _report_sort_key(report: dict) -> tuple:
    return (report.get("published") or "", report.get("year") or 0, report.get("id") or "")


def newest_report(reports: tuple[dict, ...] | list[dict]) -> dict | None:
    """The report published last (by its publication date)."""
    dated = [r for r in reports if r.get("published")]
    return max(dated, key=_report_sort_key) if dated else None


def _report_line(report: dict) -> str:
    when = human_date(report.get("published")) if report.get("published") else "undated"
    kind = escape(cut(report.get("kind") or "report", 60))
    title = escape(cut(report.get("title") or report.get("id"), 120))
    line = f"• *{title}*: {kind}, {when}"
    url = report.get("url")
    if isinstance(url, str) and _SAFE_URL.fullmatch(url):
        line += f" <{url}|source>"
    headline = cut(report.get("headline"), LINE_ROOM - 120)
    if headline:
        line += f"\n   _{escape(headline)}_"
    return line


def _reports_blocks(reports: tuple[dict, ...]) -> list[dict]:
    ordered = sorted(reports, key=_report_sort_key, reverse=True)
    lines = [
        f"*The reports* ({len(ordered)}), newest first",
        *(_report_line(r) for r in ordered[:REPORTS_SHOWN]),
    ]
    if len(ordered) > REPORTS_SHOWN:
        lines.append(f"…and {len(ordered) - REPORTS_SHOWN} more: `/inspection reports`")
    if not ordered:
        lines.append("No published reports yet.")
    return _sections(lines)


def _judgement_blocks(judgements: tuple[Hit, ...]) -> list[dict]:
    if not judgements:
        return [_section("*Graded judgements*\nThe published reports give no graded judgements.")]
    first = judgements[0]
    when = human_date(first.report_date) if first.report_date else "undated"
    lines = [f"*Latest graded judgements*: {escape(cut(first.report_title, 120))}, {when}"]
    for hit in judgements[:JUDGEMENTS_SHOWN]:
        area = escape(cut(hit.extra.get("area"), LINE_ROOM // 2))
        grade = escape(cut(hit.extra.get("grade"), LINE_ROOM // 2))
        lines.append(f"• {area}: *{grade}*")
    if len(judgements) > JUDGEMENTS_SHOWN:
        lines.append(f"…and {len(judgements) - JUDGEMENTS_SHOWN} more: `/inspection ratings`")
    return _sections(lines)


def _themes_line(themes: tuple[dict, ...]) -> str:
    labels = [escape(cut(t.get("label") or t.get("id"), 60)) for t in themes[:THEMES_SHOWN]]
    more = f" and {len(themes) - THEMES_SHOWN} more" if len(themes) > THEMES_SHOWN else ""
    listed = " · ".join(labels) + more
    return f"*Themes* ({len(themes)}): {listed}. All of them: `/inspection themes`"


HOW_TO_ASK = "\n".join(
    [
        "*How to ask*",
        "• `/inspection foster placements for older children`: any question, answered "
        "privately until you share it",
        "• `/inspection ratings`, `recommendations [theme]`, `figures [theme]`, `reports`, "
        "`themes`, `help`",
        "• Message me in the *Messages* tab, or mention @inspection-bot in a channel: "
        "I answer in a thread",
        "Every answer quotes the reports word for word and says where each quote stands.",
    ]
)


def _spotlight_blocks(spotlight: Spotlight | None, week: IsoWeek) -> list[dict]:
    title = f"*This week's spotlight* ({week.key})"
    if spotlight is None:
        return [_section(f"{title}\nThe reports make no recommendations to put in it.")]
    rec = spotlight.recommendation
    to = "the LSCB" if rec.extra.get("to") == "LSCB" else "the council"
    number = escape(cut(rec.extra.get("number"), 20))
    quote = escape(cut(rec.quote, QUOTE_ROOM))
    text = (
        f"{title}: recommendation {number} to {to}, {spotlight.position} of {spotlight.of} "
        f"in the weekly rotation\n> “{quote}”"
    )
    blocks = [_section(text)]
    where = escape(cut(rec.report_title, 120))
    note = f"From {where}."
    if spotlight.sections:
        note += f" Evidence from: {escape(cut('; '.join(spotlight.sections), LINE_ROOM))}."
    blocks.append(_context(note + " All of them: `/inspection recommendations`"))
    return blocks


def _published_block(knowledge: HomeKnowledge) -> dict:
    newest = newest_report(knowledge.reports)
    parts = []
    if newest:
        title = escape(cut(newest.get("title") or newest.get("id"), 120))
        parts.append(
            f"Newest report: {title}, published {human_date(newest['published'])} "
            "(its publication date)."
        )
    if knowledge.built_on:
        parts.append(
            f"Knowledge last published to the bot: {human_date(knowledge.built_on.isoformat())} "
            "(the day the search index was built from the curated knowledge)."
        )
    return _context(" ".join(parts) or "No publication dates are known.")


def _curator_blocks(counts: CuratorCounts, week: IsoWeek) -> list[dict]:
    drafts = counts.drafts
    lines = [
        f"• Drafts awaiting review: *{drafts}* in `knowledge/drafts/`"
        + (" (review, then `inspection-bot kb publish <id>`)" if drafts else "")
    ]
    if counts.unanswered is None or counts.not_helpful is None:
        lines.append(
            "• No question counts: the query log is off (`QUERY_LOG=off`) or cannot be "
            "read (`/healthz` says which)."
        )
    else:
        lines.append(
            f"• This week ({week.key}): *{counts.unanswered}* unanswered, "
            f"*{counts.not_helpful}* marked not helpful. "
            "`inspection-bot kb gaps` lists the questions."
        )
    return [
        {"type": "divider"},
        _header("For curators"),
        _section("\n".join(lines)),
        _context("Only CURATOR_USERS see this part. Counts only: never a question's text."),
    ]


def home_view(knowledge: HomeKnowledge, curator: CuratorCounts | None = None) -> dict:
    """The Home tab: what the bot covers, how to ask, this week's spotlight, when the
    knowledge was published, and (for curators) what waits for them."""
    blocks = [
        _header("inspection-bot"),
        _section(
            "*What Ofsted found, quoted word for word.* I answer questions from the "
            "inspection reports below, with each quote's source."
        ),
        *_reports_blocks(knowledge.reports),
        *_judgement_blocks(knowledge.judgements),
        _section(_themes_line(knowledge.themes)),
        {"type": "divider"},
        _section(HOW_TO_ASK),
        {"type": "divider"},
        *_spotlight_blocks(knowledge.spotlight, knowledge.week),
        _published_block(knowledge),
    ]
    if curator is not None:
        blocks += _curator_blocks(curator, knowledge.week)
    return {"type": "home", "callback_id": HOME_CALLBACK, "blocks": blocks[:MAX_HOME_BLOCKS]}


def unavailable_home_view(text: str) -> dict:
    """The Home tab when the knowledge cannot be read right now: say so, and how to ask."""
    return {
        "type": "home",
        "callback_id": HOME_CALLBACK,
        "blocks": [_header("inspection-bot"), _section(escape(text)), _section(HOW_TO_ASK)],
    }


# -- the Messages tab: suggested prompts ------------------------------------------------

MAX_PROMPTS = 4  # what assistant.threads.setSuggestedPrompts takes
PROMPT_TITLE_ROOM = 60
PROMPT_MESSAGE_ROOM = 200
PROMPTS_TITLE = "Ask about the inspections"


def _prompt_text(text: object, room: int) -> str:
    """Prompt text is sent as the user's own message when pressed: no markup that
    could ping or link (`<`, `>`, `@`), and `&` spelt out."""
    words = str(text or "").replace("&", " and ")
    words = "".join(" " if ch in "<>@" else ch for ch in words)
    return cut(words, room)


def suggested_prompts(knowledge: HomeKnowledge) -> list[dict]:
    """Up to four prompts drawn from the knowledge: the latest inspection's grades,
    this week's spotlight recommendation, and two themes (a different pair each
    week). Each is a title shown on the button and the message it sends."""
    prompts: list[tuple[str, str]] = []
    if knowledge.judgements:
        latest = knowledge.judgements[0]
        year = latest.year or ""
        prompts.append((f"The grades from the {year} inspection".replace("  ", " "), "ratings"))
    spot = knowledge.spotlight
    if spot is not None:
        rec = spot.recommendation
        theme = rec.themes[0] if rec.themes else ""
        about = rec.extra.get("text") or rec.summary or rec.quote
        prompts.append(
            (f"This week's spotlight: {about}", f"recommendations {theme}".strip()),
        )
    themes = [t for t in knowledge.asked_themes or knowledge.themes if t.get("label")]
    if themes:
        start = (knowledge.week.monday.toordinal() // 7) % len(themes)
        for offset in range(min(len(themes), MAX_PROMPTS - len(prompts))):
            label = str(themes[(start + offset) % len(themes)]["label"])
            about = label[:1].lower() + label[1:] if label[1:2].islower() else label
            prompts.append((label, f"Tell me about {about}"))
    fillers = [("How to ask", "help"), ("The reports", "reports"), ("The themes", "themes")]
    while len(prompts) < 3:  # a knowledge base with little in it yet
        prompts.append(fillers.pop(0))
    return [
        {
            "title": _prompt_text(title, PROMPT_TITLE_ROOM),
            "message": _prompt_text(message, PROMPT_MESSAGE_ROOM),
        }
        for title, message in prompts[:MAX_PROMPTS]
    ]
