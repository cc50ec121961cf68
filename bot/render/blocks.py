"""Answers as Slack Block Kit messages. Pure functions: data in, dicts out.

Every piece of text is escaped (`&`, `<`, `>`), whether it came from a user or a
source, so nothing can ping a channel or forge a link. Long text is split at
sentence boundaries, never cut off, and every message keeps within Slack's limits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from ..answers import Answer
from ..search.hits import Hit
from .common import (
    INTENT_TITLES,
    MENTIONS_LEAD,
    attribution,
    figure_value,
    headline,
    human_date,
    no_answer_text,
    source_line,
    year_of,
)

# Slack's documented limits.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FIELD_TEXT = 2000
MAX_BUTTON_VALUE = 2000
MAX_MODAL_TITLE = 24
# Room left for our own markup around a quote in one section.
_QUOTE_CHUNK = 2800

SHARE = "share_answer"
MORE = "more_results"
PASSAGE = "full_passage"
FEEDBACK = "answer_feedback"  # Slack's feedback buttons, at the end of every answer
# The "Not helpful / wrong quote" button answers used to carry; still answered for
# the messages already in Slack (it opens the same reason modal as a thumbs down).
NOT_HELPFUL = "not_helpful"
ACTIONS = (SHARE, MORE, PASSAGE, FEEDBACK, NOT_HELPFUL)
# Slack's limits for feedback buttons: text and accessibility label.
MAX_FEEDBACK_LABEL = 75


@dataclass(frozen=True)
class Message:
    text: str  # the plain fallback, for notifications
    blocks: list[dict] = field(default_factory=list)


def escape(text: str) -> str:
    """Slack's three control characters, so text is shown, never interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, broken at sentence ends where possible."""
    if len(text) <= limit:
        return [text]
    sentences = re.split(r"(?<=[.!?])\s+", text)
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        while len(sentence) > limit:  # a single sentence too long: break at a space
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        candidate = f"{current} {sentence}".strip()
        if len(candidate) > limit:
            chunks.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def _section(text: str, accessory: dict | None = None) -> dict:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory:
        block["accessory"] = accessory
    return block


def _context(*texts: str) -> dict:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": t} for t in texts[:MAX_CONTEXT_ELEMENTS]],
    }


def _header(text: str) -> dict:
    text = text if len(text) <= MAX_HEADER else text[: MAX_HEADER - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _button(label: str, action_id: str, value: dict, style: str | None = None) -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": False},
        "action_id": action_id,
        "value": button_value(value),
    }
    if style:
        button["style"] = style
    return button


def feedback_block(question_state: dict, shown_ids: list[str]) -> dict:
    """Slack's built-in feedback buttons, in a context_actions block. A thumbs down
    carries the question and the records shown (checked as untrusted input when it
    comes back); a thumbs up carries nothing to look up."""

    def side(emoji: str, label: str, value: dict) -> dict:
        return {
            "text": {"type": "plain_text", "text": emoji, "emoji": True},
            "accessibility_label": label[:MAX_FEEDBACK_LABEL],
            "value": button_value(value),
        }

    return {
        "type": "context_actions",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": FEEDBACK,
                "positive_button": side("👍", "Helpful", {"f": "up"}),
                "negative_button": side(
                    "👎",
                    "Not helpful or a wrong quote",
                    {**question_state, "ids": shown_ids, "f": "down"},
                ),
            }
        ],
    }


def button_value(value: dict) -> str:
    """A button's state as JSON, kept whole under Slack's 2,000 characters by
    shortening the question it carries (never by cutting the JSON)."""

    def encode(v: dict) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

    encoded = encode(value)
    question = value.get("q") or ""
    while len(encoded) > MAX_BUTTON_VALUE and question:
        question = question[: max(0, len(question) - (len(encoded) - MAX_BUTTON_VALUE) - 1)]
        encoded = encode({**value, "q": question})
    return encoded


def _quote_lines(escaped: str) -> str:
    """Already-escaped text as a Slack blockquote."""
    return "\n".join(f"> {line}" if line else ">" for line in escaped.split("\n"))


def _blockquote(text: str) -> str:
    return _quote_lines(escape(text))


def quote_sections(text: str, room: int) -> list[str]:
    """A quote as blockquote chunks that fit a section: escaped first, then split,
    so `&amp;` and friends can never push a section over Slack's limit."""
    return [_quote_lines(chunk) for chunk in split_text(escape(text), room)]


def hit_blocks(hit: Hit, number: int) -> list[dict]:
    """One record: its headline and quote, then where it stands in its source."""
    title = f"*{number}. {escape(headline(hit))}*"
    note = attribution(hit)
    if note:
        title += f"\n_{escape(note)}_"
    chunks = quote_sections(f"“{hit.quote}”", _QUOTE_CHUNK - len(title))
    accessory = _button("Full passage", PASSAGE, {"id": hit.id})
    blocks = [_section(f"{title}\n{chunks[0]}", accessory)]
    blocks += [_section(chunk) for chunk in chunks[1:]]
    where = [escape(source_line(hit))]
    if hit.url:
        where.append(f"<{escape(hit.url)}|Published source>")
    blocks.append(_context(*where))
    return blocks


def _summary_fields(answer: Answer) -> dict | None:
    """At-a-glance fields: grades for judgements, values for figures."""
    pairs = []
    for hit in answer.hits:
        if hit.kind == "judgement":
            pairs.append((hit.extra.get("area") or "", hit.extra.get("grade") or ""))
        elif hit.kind == "figure":
            pairs.append((hit.extra.get("measure") or "", figure_value(hit)))
    if not pairs:
        return None
    fields = []
    for label, value in pairs[:5]:
        fields.append({"type": "mrkdwn", "text": escape(label)[:MAX_FIELD_TEXT]})
        fields.append({"type": "mrkdwn", "text": f"*{escape(value)}*"[:MAX_FIELD_TEXT]})
    return {"type": "section", "fields": fields}


def _comparison_fields(answer: Answer) -> dict | None:
    """Then and now side by side: one column per inspection, oldest first."""
    by_year: dict[str, list[str]] = {}
    for hit in answer.hits:
        by_year.setdefault(year_of(hit), []).append(escape(headline(hit)))
    if len(by_year) < 2:
        return None
    fields = []
    for year, lines in list(by_year.items())[:10]:
        text = f"*{year}*\n" + "\n".join(f"• {line}" for line in lines)
        fields.append({"type": "mrkdwn", "text": split_text(text, MAX_FIELD_TEXT)[0]})
    return {"type": "section", "fields": fields}


def answer_message(
    answer: Answer,
    *,
    theme_labels: dict[str, str],
    ephemeral: bool = True,
    shared_by: str | None = None,
    title: str | None = None,
    shown: int | None = None,
) -> Message:
    """The whole reply to a question: blocks for Slack and a plain fallback.
    `shown` limits it to the first hits a user saw (what Share posts)."""
    if shown is not None:
        answer = replace(answer, hits=answer.hits[:shown])
    state = {"q": answer.query, "o": answer.offset}
    blocks: list[dict] = []
    question = escape(" ".join(answer.query.split()))
    if shared_by:
        blocks.append(_shared_by(shared_by, answer.query))
    if answer.suggestion:
        blocks.append(_context(f"Did you mean: _{escape(answer.suggestion)}_?"))
    if not answer.answered:
        text = no_answer_text(answer, theme_labels)
        blocks.append(_section(escape(text)))
        if answer.hits:  # what the reports say of the council asked about: context only
            blocks.append(_context(f"_{escape(MENTIONS_LEAD)}_"))
            for number, hit in enumerate(answer.hits, start=1):
                blocks.extend(hit_blocks(hit, number))
        blocks.append(_context("Try `/inspection themes` for what the reports cover."))
        if answer.hits and not shared_by:  # quotes were shown: they can be judged
            blocks.append(feedback_block(state, [h.id for h in answer.hits]))
        return Message(text=escape(text), blocks=fit(blocks))

    blocks.append(_header(title or INTENT_TITLES[answer.intent]))
    for note in answer.notes:
        blocks.append(_context(f":information_source: {escape(note)}"))
    overview = (
        _comparison_fields(answer) if answer.intent == "comparison" else _summary_fields(answer)
    )
    if overview:
        blocks.append(overview)
    groups = _hit_groups(answer)
    shown_hits = _fitting(groups, room=MAX_BLOCKS - len(blocks) - 1)
    if shown_hits < len(groups):
        # The rest of this page waits for More results, which starts where this stops.
        shown_hits = _fitting(groups, room=MAX_BLOCKS - len(blocks) - 2)
    for group in groups[:shown_hits]:
        blocks.extend(group)
    hits = answer.hits[:shown_hits]
    if shown_hits < len(groups):
        blocks.append(_context("More than fits in one message: use *More results*."))
    buttons = []
    if ephemeral and not shared_by:
        # Share posts exactly the hits shown here: the same page, cut to what fitted.
        share = {**state, "n": len(hits)}
        buttons.append(_button("Share in channel", SHARE, share, style="primary"))
    if answer.more or shown_hits < len(groups):
        buttons.append(_button("More results", MORE, {**state, "o": answer.offset + len(hits)}))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    if not shared_by:
        # Every answer ends with Slack's own feedback buttons (a shared copy is the
        # sharer's: its readers did not ask).
        blocks.append(feedback_block(state, [h.id for h in hits]))
    shown = ", ".join(escape(headline(h)) for h in hits)
    fallback = f"{INTENT_TITLES[answer.intent]} for “{question[:300]}”: {shown}"
    return Message(text=fallback[:3000], blocks=fit(blocks))


# Bidirectional controls would let a question reorder the words around it.
_BIDI = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _shared_by(user: str, question: str) -> dict:
    """Who shared, as a mention, and their words as plain text: Slack formats none of
    it (no *bold* or ~strike~ from a question), and direction controls are dropped."""
    words = " ".join(question.translate(_BIDI).split())[:500]
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": f"Shared by <@{escape(user)}>:"},
            {"type": "plain_text", "text": f"“{escape(words)}”", "emoji": False},
        ],
    }


def _hit_groups(answer: Answer) -> list[list[dict]]:
    """Each hit's blocks, a comparison's year heading going with its first hit."""
    groups = []
    year = None
    for number, hit in enumerate(answer.hits, start=answer.offset + 1):
        group = []
        if answer.intent == "comparison" and year_of(hit) != year:
            year = year_of(hit)
            group.append(_section(f"*{year}*"))
        groups.append(group + hit_blocks(hit, number))
    return groups


def _fitting(groups: list[list[dict]], *, room: int) -> int:
    """How many hits, from the first, fit in `room` blocks (never fewer than one)."""
    used = 0
    for count, group in enumerate(groups):
        used += len(group)
        if used > room:
            return max(count, 1)
    return len(groups)


def fit(blocks: list[dict]) -> list[dict]:
    """Keep within 50 blocks: drop whole records from the end, keeping the buttons
    (and the feedback buttons after them).

    answer_message already shows only the hits that fit; this is the last guard."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail: list[dict] = []
    while len(tail) < 2 and blocks[-1 - len(tail)]["type"] in ("actions", "context_actions"):
        tail.insert(0, blocks[-1 - len(tail)])
    body = blocks[: MAX_BLOCKS - len(tail) - 1]
    while body and body[-1]["type"] != "context":
        body.pop()
    note = _context("More than fits in one message: use *More results*.")
    return [*body, note, *tail]


def passage_modal(hit: Hit) -> dict:
    """A modal with the whole source passage a quote stands in."""
    blocks = [_section(f"*{escape(headline(hit))}*")]
    for chunk in quote_sections(hit.passage, _QUOTE_CHUNK):
        blocks.append(_section(chunk))
    first, last = hit.lines
    blocks.append(_context(escape(source_line(hit))))
    if first != last:
        blocks.append(
            _context(f"The quote stands at lines {first}–{last} of {escape(hit.source)}.")
        )
    return {
        "type": "modal",
        "callback_id": "full_passage_modal",
        "title": {"type": "plain_text", "text": "Full passage"[:MAX_MODAL_TITLE]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": fit(blocks),
    }


def text_message(text: str) -> Message:
    """A short plain reply (thanks, apologies), escaped."""
    return Message(text=escape(text), blocks=[_section(escape(text))])


def help_message(
    *,
    query_log: bool,
    retention_weeks: int = 8,
    councils: tuple[str, ...] = (),
    workspace_settings: bool = False,
) -> Message:
    """How to use the bot. `councils` are those the reports are about (from the
    knowledge base, never written here); `workspace_settings` when admins can open
    `/inspection settings` (installs in many workspaces)."""
    about = " and ".join(escape(c) for c in councils) or "the councils they inspect"
    lines = [
        f"*Ask what Ofsted found in the children's services of {about}.* Answers quote "
        "the reports word for word, with where each quote stands.",
        "• `/inspection foster placements for older children`: any question",
        "• `/inspection ratings`: the graded judgements",
        "• `/inspection recommendations [theme]`: what Ofsted asked the council to do",
        "• `/inspection figures [theme]`: the numbers the reports give",
        "• `/inspection reports`: the sources and their dates",
        "• `/inspection themes`: what the reports cover",
        "• Filters: `year:2017`, `report:2010`, `theme:adoption`, `kind:recommendation`",
        "A word above is a command only on its own or followed by a theme "
        "(`recommendations adoption`); `help for care leavers`, `early help`, "
        "`figures on adoption` and `reports of abuse` are questions.",
        "You can also mention @inspection-bot in a channel (it answers in the thread) or "
        "send it a direct message. Answers are private until you press *Share in channel*.",
    ]
    if workspace_settings:
        lines.append(
            "• `/inspection settings`: workspace admins choose the digest channel, the "
            "curators and whether questions are logged"
        )
    if query_log:
        lines.append(
            f"_Questions are logged without your name or channel, and kept for "
            f"{retention_weeks} weeks, so curators can see what the reports don't answer._"
        )
    else:
        lines.append("_Questions are not logged (QUERY_LOG=off)._")
    text = "\n".join(lines)
    return Message(
        text="How to use /inspection", blocks=[_header("inspection-bot"), _section(text)]
    )


def reports_message(reports: list[dict]) -> Message:
    lines = []
    for r in sorted(reports, key=lambda r: (r.get("year") or 0, r["id"])):
        date = human_date(r.get("published"))
        note = (
            f" ({escape(r['date_note'])})" if r.get("date_note") and not r.get("published") else ""
        )
        line = f"• *{escape(r['title'])}*: {escape(date)}{note}. {escape(r['headline'])}"
        if r.get("url"):
            line += f" <{escape(r['url'])}|Link>"
        lines.append(line)
    text = "\n".join(lines)
    return Message(
        text="The sources",
        blocks=[_header("The sources"), *(_section(c) for c in split_text(text, MAX_SECTION_TEXT))],
    )


def themes_message(themes: list[dict]) -> Message:
    text = "\n".join(f"• `{escape(t['id'])}`: {escape(t['label'])}" for t in themes)
    chunks = split_text(text.replace("\n", " \n"), MAX_SECTION_TEXT)
    return Message(
        text="What the reports cover",
        blocks=[_header("What the reports cover"), *(_section(c) for c in chunks)],
    )
