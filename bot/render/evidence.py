"""The "Find inspection evidence" modal: the answer to a message's text, opened by
the message shortcut. Pure: data in, a view dict out (no bolt here).

It shows the answer's blocks (already escaped by blocks.py) with their Share and
Full passage buttons. What needs a message under it is left out: More results
(no thread to continue) and the feedback buttons (a message-only block). Share
has no response_url here: the modal's private_metadata names the channel the
message is in, read back as untrusted input (`read_evidence_metadata`).
"""

from __future__ import annotations

import json
import re

from .blocks import MAX_MODAL_TITLE, MORE, Message, _context

EVIDENCE_MODAL = "evidence_modal"
TITLE = "Inspection evidence"
MAX_VIEW_BLOCKS = 100
_CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,30}")


def evidence_modal(reply: Message, *, channel: str | None) -> dict:
    """A modal with `reply` (the answer to the message's text) in it."""
    blocks = []
    more = False
    for block in reply.blocks:
        if block.get("type") == "context_actions":
            continue
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements", []) if e.get("action_id") != MORE]
            more = more or len(elements) < len(block.get("elements", []))
            if not elements:
                continue
            block = {**block, "elements": elements}
        blocks.append(block)
    if more:
        blocks.append(_context("For more results, ask `/inspection` the same question."))
    metadata = {"c": channel} if channel and _CHANNEL.fullmatch(channel) else {}
    return {
        "type": "modal",
        "callback_id": EVIDENCE_MODAL,
        "title": {"type": "plain_text", "text": TITLE[:MAX_MODAL_TITLE]},
        "close": {"type": "plain_text", "text": "Close"},
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def read_evidence_metadata(raw: object) -> str | None:
    """The channel an evidence modal's Share posts to, or None when the metadata is
    not one this module wrote."""
    try:
        value = json.loads(raw) if isinstance(raw, str) and len(raw) <= 200 else None
    except ValueError:
        return None
    channel = value.get("c") if isinstance(value, dict) else None
    return channel if isinstance(channel, str) and _CHANNEL.fullmatch(channel) else None
