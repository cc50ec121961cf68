"""The weekly digest as Block Kit (for the channel) and as text (for --dry-run).

The channel's digest never shows any question's text: people may type a child's
name into a question. Unanswered questions go only to curators, in their own messages:
each question cut to QUESTION_LIMIT characters (ending "… (cut)"), and the list split
across as many messages as it needs. None is ever dropped.
"""

from __future__ import annotations

from ..digest.content import Digest
from ..querylog import LoggedQuery
from .blocks import (
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    Message,
    _context,
    _header,
    _section,
    escape,
    fit,
    quote_sections,
)
from .common import source_line

_ROOM = MAX_SECTION_TEXT - 200  # room for the blockquote marks

# A question longer than this is shown cut to it, and says so: curators see what was
# asked, and `inspection-bot kb gaps` prints it as the query log keeps it. Escaped
# (`&` becomes `&amp;`), a cut question still fits one section.
QUESTION_LIMIT = 500
# Characters of block text per curators' message. Slack documents 40,000 for a
# message, but refuses blocks adding up to much over 13,000 (msg_blocks_too_long).
CURATOR_MESSAGE_ROOM = 12_000
_SECTION_ROOM = MAX_SECTION_TEXT - 100  # room for a "(continued)" heading

KIND_WORDS = {
    "finding": "findings",
    "recommendation": "recommendations",
    "judgement": "judgements",
    "figure": "figures",
    "history": "history entries",
}


def _new_knowledge(digest: Digest) -> str:
    if digest.first:
        counts = ", ".join(
            f"{n} {KIND_WORDS.get(k, k)}"
            for k, n in sorted(digest.totals.items())
            if k != "passage"
        )
        return f"The knowledge base holds {counts}. From next week this part lists what changed."
    parts = [f"New report: {title}" for title in digest.new_reports]
    counts = ", ".join(f"{n} {KIND_WORDS.get(k, k)}" for k, n in sorted(digest.new_records.items()))
    if counts:
        parts.append(f"Added or changed: {counts}.")
    return "\n".join(parts) or "Nothing new in the knowledge base since the last digest."


def _questions(digest: Digest, labels: dict[str, str]) -> str:
    if not digest.asked:
        return "No questions were asked this week."
    themes = ", ".join(f"{labels.get(t, t)} ({n})" for t, n in digest.top_themes)
    return (
        f"{digest.asked} question{'s' if digest.asked != 1 else ''} this week; the reports "
        f"could not answer {digest.unanswered}. Most asked about: {themes}."
    )


def digest_message(digest: Digest, theme_labels: dict[str, str]) -> Message:
    week = digest.week
    blocks = [_header(f"Inspection digest, week of {week.monday.day} {week.monday:%B %Y}")]
    blocks.append(_section(f"*New knowledge*\n{escape(_new_knowledge(digest))}"))
    spot = digest.spotlight
    if spot:
        rec = spot.recommendation
        to = "the LSCB" if rec.extra.get("to") == "LSCB" else "the council"
        blocks.append(
            _section(
                f"*Spotlight: recommendation {rec.extra.get('number')} to {to}* "
                f"({spot.position} of {spot.of})"
            )
        )
        blocks += [_section(chunk) for chunk in quote_sections(rec.quote, _ROOM)]
        if spot.sections:
            sections = "; ".join(spot.sections)
            blocks.append(_context(f"Evidence from: {escape(sections)}"))
        for hit in spot.evidence[:4]:
            blocks.append(_section(f"*{escape(hit.summary or '')}*"))
            blocks += [_section(chunk) for chunk in quote_sections(hit.quote, _ROOM)]
            blocks.append(_context(escape(source_line(hit))))
    blocks.append(_section(f"*This week's questions*\n{escape(_questions(digest, theme_labels))}"))
    blocks.append(_context("Ask your own: `/inspection help`"))
    text = f"Inspection digest, week {week.key}"
    return Message(text=text, blocks=fit(blocks))


def digest_text(digest: Digest, theme_labels: dict[str, str]) -> str:
    """The same digest for a terminal (`inspection-bot digest --dry-run`)."""
    week = digest.week
    lines = [f"Inspection digest, week of {week.monday.day} {week.monday:%B %Y} ({week.key})", ""]
    lines += ["New knowledge", "  " + _new_knowledge(digest).replace("\n", "\n  "), ""]
    spot = digest.spotlight
    if spot:
        rec = spot.recommendation
        to = "the LSCB" if rec.extra.get("to") == "LSCB" else "the council"
        lines += [
            f"Spotlight: recommendation {rec.extra.get('number')} to {to} ({spot.position} of {spot.of})",
            f"  “{rec.quote}”",
        ]
        if spot.sections:
            lines.append(f"  Evidence from: {'; '.join(spot.sections)}")
        for hit in spot.evidence[:4]:
            lines += [f"  - {hit.summary}", f"    “{hit.quote}”", f"    {source_line(hit)}"]
        lines.append("")
    lines += ["This week's questions", "  " + _questions(digest, theme_labels), ""]
    lines.append("Ask your own: /inspection help")
    return "\n".join(lines)


def cut_question(text: str, limit: int = QUESTION_LIMIT) -> tuple[str, bool]:
    """A question on one line, at most `limit` characters; and whether it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def _question_line(q: LoggedQuery, *, shown: bool = False) -> str:
    text, cut = cut_question(q.query)
    line = f"• {escape(text)}"
    if cut:
        line += "… (cut)"
    if shown:
        # The record ids it was shown, as many as leave the line within one section.
        ids, room = escape(", ".join(q.shown)), _SECTION_ROOM - len(line) - len(" (shown: …)")
        if len(ids) > room:
            ids = ids[:room].rsplit(", ", 1)[0] + "…"
        line += f" (shown: {ids})"
    return line


def _sections(title: str, lines: list[str]) -> list[tuple[str, str]]:
    """(title, text) sections of whole lines, each within _SECTION_ROOM; the first
    carries the heading."""
    sections, current = [], f"*{title}*"
    for line in lines or ["• none"]:
        if len(current) + 1 + len(line) > _SECTION_ROOM:
            sections.append((title, current))
            current = line
        else:
            current += "\n" + line
    sections.append((title, current))
    return sections


def _pack(sections: list[tuple[str, str]], *, reserved: int) -> list[list[str]]:
    """Sections into messages within Slack's limits, whole sections only; a list that
    goes on into the next message says so at the top of it."""
    pages: list[list[str]] = [[]]
    used = 0
    for title, text in sections:
        full = len(pages[-1]) >= MAX_BLOCKS - reserved
        if pages[-1] and (full or used + len(text) > CURATOR_MESSAGE_ROOM - 200):
            pages.append([])
            used = 0
        if not pages[-1] and not text.startswith("*"):
            text = f"*{title}* (continued)\n{text}"
        pages[-1].append(text)
        used += len(text)
    return pages


def curator_messages(
    unanswered: list[LoggedQuery], not_helpful: list[LoggedQuery]
) -> list[Message]:
    """For CURATOR_CHANNEL only: every question the bot could not answer or was told
    was not helpful, each cut to QUESTION_LIMIT, in as many messages as they need."""
    lines = [_question_line(q) for q in unanswered]
    marked = [_question_line(q, shown=True) for q in not_helpful]
    sections = _sections(
        f"Questions the reports could not answer this week ({len(unanswered)})", lines
    )
    sections += _sections(f"Marked not helpful / wrong quote ({len(not_helpful)})", marked)
    any_cut = any(cut_question(q.query)[1] for q in [*unanswered, *not_helpful])
    note = (
        f"Questions longer than {QUESTION_LIMIT} characters are cut, marked (cut); "
        "`inspection-bot kb gaps` prints them as the query log keeps them."
    )
    pages = _pack(sections, reserved=1)  # one context block: the part, the note
    messages = []
    for number, texts in enumerate(pages, start=1):
        part = f"part {number} of {len(pages)}" if len(pages) > 1 else ""
        context = [t for t in (part and f"Curators' gaps, {part}", any_cut and note) if t]
        blocks = [_context(*context)] if context else []
        blocks += [_section(t) for t in texts]
        label = f"Curators: this week's gaps{f' ({part})' if part else ''}"
        messages.append(Message(text=label, blocks=blocks))
    return messages
