"""The question in a Slack message, told apart from what surrounds it.

People rarely type a bare question into Slack. They greet ("Morning all -"), say who
they are or why they ask ("I sit on the MASH steering group for the force"), ask,
and sign off ("need to brief my team by Friday"). Every word of that is typed, but
only the question says what a record must be about: "what does PLO mean?" asks a
definition whatever the message says of the recommendations being read.

`message_focus` splits a message into its sentences and clauses and returns the
question among them, with the rest as context. The context still helps rank (it
often says which service "it" is); it is not what a record must contain. Pure
string work: no field vocabulary, nothing about what the reports cover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A greeting or thanks at the start of a message, and the people it is addressed to:
# "hi all,", "Morning!", "Afternoon all.", "sorry, newbie question:".
_GREETING = re.compile(
    r"^\s*(?:(?:hi|hiya|hello|hey|morning|good morning|afternoon|good afternoon|evening"
    r"|good evening|thanks|thank you|cheers|sorry|apologies)"
    r"(?: (?:all|both|everyone|everybody|team|folks|guys|there|again|in advance))?\b[\s,.!:;–—-]*)+",
    re.I,
)

# Where a message divides: the end of a sentence, a colon or semicolon, a dash set
# off by spaces, a new line.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\s*[:;]\s+|\s+[–—-]+\s+|\s*\n+\s*")

# How a question opens, when it does not end with a question mark.
_ASKING = re.compile(
    r"^(?:what|whats|what's|how|hows|how's|why|when|where|who|whos|who's|which|whose"
    r"|did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|any|anything"
    r"|tell me|show me|give me|list|explain)\b",
    re.I,
)


@dataclass(frozen=True)
class Focus:
    """A message's question(s), and the clauses around them."""

    question: str
    context: str


# Context speaks of the asker ("I sit on the MASH steering group", "we adopted two
# years ago", "a constituent tells us"); a clause about the service is a topic.
_ABOUT_THE_ASKER = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|we|we're|we've|we'd|our|ours|us)\b", re.I
)

# A clause of at most this many words beside a question is its topic.
LABEL_WORDS = 3
_WORD = re.compile(r"[A-Za-z][\w'’-]*")

# A question that points back at the clauses before it ("was that flagged before?",
# "how do kids like him fare?") is about what they say: they are its topic.
_POINTING_BACK = re.compile(
    r"\b(?:it|its|it's|this|that|these|those|such|he|him|his|she|her|hers)\b"
    r"|\blike (?:me|us|mine|ours)\b",
    re.I,
)


def _clauses(text: str) -> list[str]:
    greeting = _GREETING.match(text)
    head = [greeting.group(0)] if greeting and greeting.end() < len(text.rstrip()) else []
    rest = text[greeting.end() :] if head else text
    clauses = [c.strip() for c in [*head, *_BOUNDARY.split(rest)] if c and c.strip()]
    return [c for c in clauses if re.search(r"[A-Za-z]", c)]


def message_focus(text: str) -> Focus | None:
    """The question of a message that holds something else too; None when the
    message is all question, has no clause that asks, or asks about what the
    clauses before it say."""
    clauses = _clauses(text)
    if len(clauses) < 2:
        return None
    asks = [c.endswith("?") or bool(_ASKING.match(c)) for c in clauses]
    # A few words beside a question name its topic ("plo: what should improve?",
    # "disabled kids - cp work ok?", "what's the recommendation? out-of-hours
    # capacity"): part of the question, not context.
    beside = [
        any(asks[j] for j in (i - 1, i + 1) if 0 <= j < len(clauses)) for i in range(len(clauses))
    ]
    asking = [
        c
        for i, c in enumerate(clauses)
        if asks[i] or (beside[i] and len(_WORD.findall(c)) <= LABEL_WORDS)
    ]
    if not asking or len(asking) == len(clauses):
        return None
    question = " ".join(asking)
    if _POINTING_BACK.search(question):
        return None
    rest = [c for c in clauses if c not in asking]
    if not all(_GREETING.fullmatch(c) or _ABOUT_THE_ASKER.search(c) for c in rest):
        # "Brothers and sisters lumped together on one file - still happening?": a
        # clause about the service, not the asker, is what the question asks about.
        return None
    return Focus(question=question, context=" ".join(rest))
