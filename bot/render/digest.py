"""The weekly digest as Block Kit (for the channel) and as text (for --dry-run).

The channel's digest never shows any question's text: people may type a child's
name into a question. Unanswered questions go only to curators, in their own message.
"""

from __future__ import annotations

from ..digest.content import Digest
from ..querylog import LoggedQuery
from .blocks import (
    MAX_SECTION_TEXT,
    Message,
    _context,
    _header,
    _section,
    escape,
    fit,
    quote_sections,
    split_text,
)
from .common import source_line

_ROOM = MAX_SECTION_TEXT - 200  # room for the blockquote marks

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


def curator_message(unanswered: list[LoggedQuery], not_helpful: list[LoggedQuery]) -> Message:
    """For CURATOR_CHANNEL only: the questions the bot could not answer, in full."""
    lines = ["*Questions the reports could not answer this week*"]
    lines += [f"• {escape(q.query)}" for q in unanswered] or ["• none"]
    lines.append("*Marked not helpful / wrong quote*")
    lines += [
        f"• {escape(q.query)} (shown: {escape(', '.join(q.shown))})" for q in not_helpful
    ] or ["• none"]
    chunks = split_text("\n".join(lines).replace("\n", " \n"), MAX_SECTION_TEXT)
    return Message(text="Curators: this week's gaps", blocks=fit([_section(c) for c in chunks]))
