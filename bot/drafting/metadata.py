"""What a report's text says of itself: its kind, inspection, council, dates and
inspectors, and earlier judgements it mentions.

The kinds of inspection and the councils come from the curated vocabularies
(knowledge/inspections.yaml and knowledge/authorities.yaml), never from a list in
code: a kind or a council added there is recognised at the next draft. What the text
does not say is None; the drafter writes it as null, with a note, and never guesses.
Only the start and the end of a long text are read (head_and_tail), each a few
passes, so the metadata costs the same however long the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..knowledge.coverage import Vocabularies, load_vocabularies

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "(" + "|".join(MONTHS) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE = _DAY + r"\s+" + _MONTH + r",?\s+(\d{4})"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)"
# "7 June 2022", "7 and 8 June 2022", "3 to 14 March 2025", "28 February to 4 March
# 2025", "28 February 2025 to 4 March 2025": the days of a visit, as Ofsted writes them.
_SPAN = re.compile(
    rf"\b{_DAY}(?:\s+{_MONTH}(?:,?\s+(\d{{4}}))?)?\s*(?:and|to|until|till|–|—|-)\s*"
    rf"{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b|\b{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b",
    re.I,
)
_SPAN_LABEL = re.compile(
    r"\b(?:inspection|review|visit|fieldwork)\s+dates?\s*:?\s*$|"
    r"\b(?:on|between|from|dates?:)\s*$",
    re.I,
)
_VISITED = re.compile(
    r"\b(?:visit|visited|inspect\w*|review|conducted|carried out|took place|fieldwork)\b",
    re.I,
)
_PUBLISHED = re.compile(
    r"\b(?:report\s+published|published|publication\s+date|date\s+of\s+publication|"
    r"date\s+published)\s*:?\s*(?:on\s+)?" + _WEEKDAY + "?" + DATE,
    re.I,
)
_DATE_LINE = re.compile(rf"^[ \t]*{_WEEKDAY}?{DATE}[ \t]*$", re.I | re.M)
# A newspaper's date line: a weekday or a time with the date, or a label before it.
_PRESS_DATE_LINE = re.compile(
    rf"^[ \t]*(?:(?:published|updated|last updated|posted)\s*:?\s*(?:on\s+)?{_WEEKDAY}?{DATE}"
    rf"|{_WEEKDAY}{DATE}|{DATE},?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]m)?"
    rf"|{_WEEKDAY}?{DATE},?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]m)?).*$",
    re.I | re.M,
)

# -- the kind of text: a letter, a report, a press page ---------------------------------

_GREETING = re.compile(r"^[ \t]*Dear [A-Z]", re.M)
_THIS_LETTER = re.compile(r"\bthis letter\b")  # in the lowercased text
_OFSTED = re.compile(
    r"\bOfsted\b|Majesty['’]?s Inspector|\bHMI\b|\binspect(?:ion|ions|ors?|ed)\b", re.I
)
# What only an inspectorate's own document carries: a pattern, or words to find in
# the lowercased text (a plain search, far quicker than a case-blind pattern).
_REPORT_SIGNS: dict[str, re.Pattern | str] = {
    "a dates label": re.compile(r"^[ \t]*(?:inspection|review|visit) dates?\s*:", re.I | re.M),
    "'Report published'": "report published",
    "'Lead inspector'": "lead inspector",
    "an inspector's title": re.compile(r"Majesty['’]?s Inspector"),
    "'graded judgement'": "graded judgement",
    "'Ofsted produces this report'": "ofsted produces this report",
    "a letter's greeting": re.compile(r"^[ \t]*Dear [A-Z]", re.M),
    "'Yours sincerely'": "yours sincerely",
    "'This letter summarises'": "this letter summarises",
}
# A newspaper page's furniture, one kind of sign per pattern.
_PRESS_FURNITURE = {
    "a byline": re.compile(
        r"^[ \t]*By [A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}[ \t]*(?:[,|–-].*)?$", re.M
    ),
    "'Read more'": re.compile(
        r"^[ \t]*(?:read more|related (?:articles|stories)|more stories|most read|"
        r"trending now|you may also like)\b",
        re.I | re.M,
    ),
    "'Advertisement'": re.compile(r"^[ \t]*advertisement[ \t]*$", re.I | re.M),
    "a date line": _PRESS_DATE_LINE,
    "share buttons": re.compile(
        r"^[ \t]*(?:share(?: this(?: article| story)?)?|comments?(?: \(\d+\))?|"
        r"follow us\b.*|sign up\b.*|subscribe\b.*)[ \t]*$",
        re.I | re.M,
    ),
    # Not Ofsted's own "© Crown copyright" line.
    "a copyright line": re.compile(
        r"^[ \t]*(?:©|\(c\)|copyright\b)(?!.*crown copyright).*$", re.I | re.M
    ),
    "a picture caption": re.compile(r"^[ \t]*\(?(?:picture|image|photo)\s*:", re.I | re.M),
}
# Reported speech: how an article tells what others said or found.
_REPORTED = re.compile(
    r"\bsaid\s*:|\bsaid,?\s*[“\"]|\bsaid that\b|\baccording to\b|\b(?:inspectors|Ofsted) "
    r"(?:said|found|praised|criticised|warned|rated)\b|\btold (?:the|us|inspectors)\b",
    re.I,
)
_COPYRIGHT_OWNER = re.compile(
    r"^[ \t]*(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s+)?(.+?)\.?(?:\s+all rights reserved\.?)?[ \t]*$",
    re.I | re.M,
)

# -- inspectors ------------------------------------------------------------------------

_NAME_WORD = r"(?:[a-z]{1,2}['’])?[A-Z][A-Za-z'’-]*[a-z]"
_NAME = rf"{_NAME_WORD}(?:[ ](?:(?:van|von|de|der|du|le|la|da|di|del)[ ])?{_NAME_WORD}){{1,3}}"
_ROLE = (
    r"(?:(?:His|Her) Majesty['’]?s Inspector|Senior HMI|HMI|(?:Lead|Deputy lead|Team|"
    r"Social care regulatory) inspector|Ofsted Inspector)"
)
_SIGNATURE = re.compile(rf"^[ \t]*({_NAME})[ \t]*,?[ \t]*\n[ \t]*{_ROLE}[ \t]*$", re.M)
_NAME_AND_ROLE = re.compile(
    rf"^[ \t]*({_NAME})(?:[ \t]*,[ \t]*{_ROLE}|[ \t]+(?:Senior )?HMI)[ \t]*\.?[ \t]*$", re.M
)
_TEAM_LABEL = re.compile(
    r"^[ \t]*(?:(?:lead|deputy lead|assistant lead|team)\s+)?inspectors?\s*:[ \t]*"
    r"([^\n]*?(?:,[ \t]*\n[^\n]*)*)[ \t]*$",
    re.I | re.M,
)
_INSPECTORS_SENTENCE = re.compile(
    rf"Majesty['’]?s Inspectors?(?: for [a-z' ]+)?,?\s+({_NAME}(?:(?:,\s+|,?\s+and\s+){_NAME})*)"
)
_NOT_A_NAME = re.compile(
    r"\b(?:Majesty|Majesty's|Majesty’s|Inspector|Inspectors|Inspectorate|Ofsted|Council|"
    r"Services|Service|Director|Children|Children's|Children’s|Social|Care|Yours|Dear|"
    r"Quality|Assurance|Manager|Lead|Team|Deputy|Senior)\b"
)
_ROLE_SUFFIX = re.compile(r"\s+(?:Senior\s+)?(?:HMI|AI|OI)\.?$")

# -- earlier judgements ----------------------------------------------------------------

_GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement to be good": "Requires improvement to be good",
    "require improvement to be good": "Requires improvement to be good",
    "requires improvement": "Requires improvement to be good",
    "require improvement": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
_JUDGED = re.compile(
    r"\b(?:judged|rated|graded|found to be)\s+(?:to\s+be\s+|as\s+)?['‘“]?"
    r"(outstanding|good|inadequate|requires? improvement(?: to be good)?)\b",
    re.I,
)
_MONTH_YEAR = re.compile(rf"\b(?:in|at|on)\s+(?:\d{{1,2}}\s+)?{_MONTH}\s+(\d{{4}})\b", re.I)
_IN_YEAR = re.compile(r"\bin\s+((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class KindName:
    kind_id: str
    name: str  # as the vocabulary writes it
    normal: str  # its words, as _normal() makes them
    exact: bool = False  # names_exact: counts only as written


@dataclass(frozen=True)
class DraftVocabulary:
    """The curated names the drafter recognises, read once per draft."""

    kind_names: tuple[KindName, ...] = ()
    kind_labels: dict[str, str] = field(default_factory=dict)  # id -> name
    press_kind: str | None = None  # the kind a press article is of
    authority_names: tuple[tuple[str, str, str], ...] = ()  # (id, canonical name, normal)

    @classmethod
    def of(cls, vocabularies: Vocabularies) -> DraftVocabulary:
        names: list[KindName] = []
        press = None
        for kind in vocabularies.kinds:
            listed = (kind.name, *kind.names)
            if any(_normal(n) == "press article" for n in (kind.id, *listed)):
                # The kind whose name is the report kind "press article": a press
                # page is known by its furniture, not by naming itself.
                press = kind.id
                continue
            names += [KindName(kind.id, n, _normal(n)) for n in listed if _normal(n)]
            names += [KindName(kind.id, n, n, exact=True) for n in kind.names_exact]
        authorities = tuple(
            (a.id, a.name, _normal(n))
            for a in vocabularies.authorities
            for n in dict.fromkeys((a.name, *a.names))
            if _normal(n)
        )
        labels = {k.id: k.name for k in vocabularies.kinds}
        return cls(tuple(names), labels, press, authorities)

    @classmethod
    def load(cls, knowledge: Path) -> DraftVocabulary:
        vocabularies, _ = load_vocabularies(knowledge, str)  # problems: `kb validate`'s
        return cls.of(vocabularies)


_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_WORD_LINE = re.compile(r"[^a-z0-9\n]+")
_AROUND_NEWLINE = re.compile(r" ?\n ?")


def _normal(text: str) -> str:
    """Lowercased words, apostrophes dropped, everything else a single space: so that
    "Children's", "Childrens" and "children’s" read the same, across line breaks."""
    return _NON_WORD.sub(" ", text.lower().replace("'", "").replace("’", "")).strip()


class _Words:
    """The text's words as _normal() makes them, in one string: a line break is a
    space, so a name may wrap; a blank line is two, so a name never runs across
    paragraphs. Made in a few passes of C, not a loop over the lines."""

    def __init__(self, text: str):
        lowered = text.lower().replace("'", "").replace("’", "")
        lined = _AROUND_NEWLINE.sub("\n", _NON_WORD_LINE.sub(" ", lowered))
        self._lined = " " + lined + " "
        self.text = self._lined.replace("\n", " ")  # the same offsets

    def line_at(self, offset: int) -> int:
        return self._lined.count("\n", 0, offset) + 1

    def find(self, phrase: str) -> int:
        at = self.text.find(f" {phrase} ")
        return -1 if at < 0 else at + 1

    def count(self, phrase: str) -> int:
        return self.text.count(f" {phrase} ")


@dataclass
class Metadata:
    kind: str | None = None  # inspection report | inspection letter | press article
    inspection: str | None = None  # an id in inspections.yaml
    inspection_line: int | None = None  # where the text first names it
    inspection_name: str | None = None  # ... and how
    authority: str | None = None
    place: str | None = None  # the authority's id, or its name as a slug word
    inspected_from: dt.date | None = None
    inspected_to: dt.date | None = None
    published: dt.date | None = None
    publisher: str | None = None
    inspectors: list[str] = field(default_factory=list)
    press_signs: list[tuple[str, int]] = field(default_factory=list)  # (what, line)
    reprint_signs: list[tuple[str, int]] = field(default_factory=list)
    letter: bool = False

    @property
    def is_press(self) -> bool:
        return self.kind == "press article"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    match = re.search(DATE, text, re.I)
    return _date(*match.groups()) if match else None


def _span_dates(match: re.Match) -> tuple[dt.date | None, dt.date | None]:
    d1, m1, y1, d2, m2, y2, d, m, y = match.groups()
    if d is not None:
        single = _date(d, m, y)
        return single, single
    return _date(d1, m1 or m2, y1 or y2), _date(d2, m2, y2)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence a match stands in (at most 300 characters either side)."""
    before = text[max(0, start - 300) : start]
    cut = max(before.rfind(". "), before.rfind("\n\n"))
    after = text[end : end + 300]
    stop = min((i for i in (after.find(". "), after.find("\n\n")) if i >= 0), default=len(after))
    return before[cut + 1 :] + text[start:end] + after[:stop]


def _visit_dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    """The first span of days that a label or a sentence about the visit gives."""
    for match in _SPAN.finditer(text):
        lead = text[max(0, match.start() - 40) : match.start()]
        if not _SPAN_LABEL.search(lead):
            continue
        label = re.search(r"dates?\s*:?\s*$", lead, re.I)
        if label or _VISITED.search(_sentence_around(text, match.start(), match.end())):
            start, end = _span_dates(match)
            if start and end and start <= end:
                return start, end
    return None, None


def _publication(text: str, kind: str | None) -> dt.date | None:
    stated = _PUBLISHED.search(text)
    if stated:
        return _date(*stated.groups()[-3:])
    if kind == "press article":
        line = _PRESS_DATE_LINE.search(text)
        return parse_date(line.group(0)) if line else None
    if kind == "inspection letter":
        # A letter is dated on a line of its own above the greeting.
        greeting = _GREETING.search(text)
        line = _DATE_LINE.search(text[: greeting.start()] if greeting else text[:4000])
        return parse_date(line.group(0)) if line else None
    return None


def _press_signs(text: str) -> list[tuple[str, int]]:
    signs = []
    for what, pattern in _PRESS_FURNITURE.items():
        match = pattern.search(text)
        if match:
            signs.append((what, _line_of(text, match.start())))
    return sorted(signs, key=lambda s: s[1])


def _report_signs(text: str, lower: str) -> list[tuple[str, int]]:
    signs = []
    for what, sign in _REPORT_SIGNS.items():
        if isinstance(sign, str):
            at = lower.find(sign)
        else:
            match = sign.search(text)
            at = match.start() if match else -1
        if at >= 0:
            signs.append((what, _line_of(text, at)))
    return sorted(signs, key=lambda s: s[1])


def _at_most(n: int, matches) -> int:
    count = 0
    for _ in matches:
        count += 1
        if count >= n:
            break
    return count


def _kind(text: str, meta: Metadata) -> str | None:
    lower = text.lower()
    furniture = _press_signs(text)
    reports = _report_signs(text, lower)
    meta.letter = bool(
        _GREETING.search(text)
        or "yours sincerely" in lower
        or "yours faithfully" in lower
        or _THIS_LETTER.search(lower)
    )
    if len(furniture) >= 2 or (
        not reports and not meta.letter and _at_most(2, _REPORTED.finditer(text)) >= 2
    ):
        meta.press_signs = furniture or [("reported speech", 0)]
        meta.reprint_signs = reports
        return "press article"
    if meta.letter:
        return "inspection letter"
    if reports or _OFSTED.search(text) or meta.inspection:
        return "inspection report"
    return None


def _find_word(text: str, phrase: str) -> int:
    """Where `phrase` first stands as written, as whole words; -1 if nowhere."""
    at = text.find(phrase)
    while at >= 0:
        before = text[at - 1 : at] if at else ""
        after = text[at + len(phrase) : at + len(phrase) + 1]
        if not re.match(r"[\w-]", before) and not re.match(r"[\w-]", after):
            return at
        at = text.find(phrase, at + 1)
    return -1


def _inspection(words: _Words, text: str, vocabulary: DraftVocabulary, meta: Metadata) -> None:
    """The kind the text names first (its title, a letter's subject line, its opening
    sentence); at the same place, the longer name."""
    best: tuple[int, int, int] | None = None
    for name in vocabulary.kind_names:
        if name.exact:
            at = _find_word(text, name.name)
            if at < 0:
                continue
            where = (_line_of(text, at), 1 << 30, -len(name.normal))
        else:
            at = words.find(name.normal)
            if at < 0:
                continue
            where = (words.line_at(at), at, -len(name.normal))
        if best is None or where < best:
            best = where
            meta.inspection, meta.inspection_line, meta.inspection_name = (
                name.kind_id,
                where[0],
                name.name,
            )


# -- the authority ---------------------------------------------------------------------

_CAP = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_PLACE = rf"{_CAP}(?: {_CAP})*(?:(?:, {_CAP}(?: {_CAP})*)* and {_CAP}(?: {_CAP})*)?"
_AS_WRITTEN = (
    re.compile(
        rf"\b(?:(?:Royal|London|Metropolitan) )?(?:Borough|City|County) of (?:the )?{_PLACE}"
        r"(?: Council)?"
    ),
    re.compile(rf"\b{_PLACE} (?:Metropolitan )?(?:Borough |City |County |District )?Council\b"),
)
_LEADING = {
    "The", "In", "At", "By", "For", "From", "To", "Of", "And", "This", "That", "Dear",
    "When", "Since", "With", "Within", "Across", "Both", "All", "Our", "Your", "Their",
    "Its", "An", "A", "Leaders", "Copy", "Cc",
}  # fmt: skip
_LABELLED = re.compile(r"^[ \t]*local authority\s*:[ \t]*([A-Z][^\n]{2,80}?)[ \t]*$", re.I | re.M)
_SERVICES_OF = re.compile(
    rf"\b(?:visit to|inspection of|within|in) (?:the )?({_PLACE}) children['’]?s services\b"
)
_COUNCIL_WORDS = {"borough", "city", "council", "county", "district", "metropolitan", "royal"}
_COUNCIL_WORDS |= {"of", "the", "and", "london"}


# Words of a letter's address block, not of a council's name: "Director of
# Children's Services, Northmoor and Fell Council" names the council after the comma.
_NOT_A_PLACE = re.compile(
    r"\b(?:Services?|Director|Executive|Officer|Children['’]?s|Centre|Hall|Offices?|Chief|"
    r"Member|Leader|Head|Manager)\b"
)


def _strip_leading(name: str) -> str:
    parts = name.split(", ")
    while len(parts) > 1 and _NOT_A_PLACE.search(parts[0]):
        parts = parts[1:]
    words = ", ".join(parts).split(" ")
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


def place_slug(name: str) -> str | None:
    words = [w for w in _normal(name).split() if w not in _COUNCIL_WORDS]
    return "-".join(words)[:30].strip("-") or None


def _core(normal: str) -> str:
    return " ".join(w for w in normal.split() if w not in _COUNCIL_WORDS)


def _authority(words: _Words, text: str, vocabulary: DraftVocabulary, meta: Metadata) -> None:
    """The council the text is about: the one it names most often (a longer name
    counts, not the shorter names inside it), the first named on a tie. A council in
    authorities.yaml is given its curated name; any other, its name as written."""
    owners: dict[str, tuple[str, str, str | None]] = {}  # words -> (key, name, place)
    cores: dict[str, tuple[str, str, str | None]] = {}
    for auth_id, name, normal in vocabulary.authority_names:
        owners.setdefault(normal, (auth_id, name, auth_id))
        cores.setdefault(_core(normal), (auth_id, name, auth_id))
    # Only the lines that name a council are read with the (slower) name patterns.
    lines = [line for line in text.split("\n") if "Council" in line or " of " in line]
    for pattern in _AS_WRITTEN:
        for match in (m for line in lines for m in pattern.finditer(line)):
            name = _strip_leading(" ".join(match.group(0).split()))
            normal = _normal(name)
            if len(normal.split()) >= 2 and _core(normal) and normal not in owners:
                # "Borough of X Council" is the curated X; another name is as written.
                owners[normal] = cores.get(_core(normal)) or (
                    f"written:{_core(normal)}",
                    name,
                    place_slug(name),
                )
    raw = {normal: words.count(normal) for normal in owners}
    # Occurrences inside a longer name are the longer name's: counted longest first.
    counts: dict[str, int] = {}
    for normal in sorted(raw, key=len, reverse=True):
        inside = sum(
            n * f" {longer} ".count(f" {normal} ")
            for longer, n in counts.items()
            if f" {normal} " in f" {longer} "
        )
        counts[normal] = raw[normal] - inside
    totals: dict[str, list] = {}  # key -> [count, first offset, name, place]
    for normal, (key, name, place) in owners.items():
        if counts[normal] <= 0:
            continue
        first = words.find(normal)
        entry = totals.setdefault(key, [0, first, name, place])
        entry[0] += counts[normal]
        entry[1] = min(entry[1], first)
    if totals:
        _, _, meta.authority, meta.place = max(totals.values(), key=lambda e: (e[0], -e[1]))
        return
    for pattern in (_LABELLED, _SERVICES_OF):
        match = pattern.search(text)
        if match:
            name = _strip_leading(" ".join(match.group(1).split()))
            known = cores.get(_core(_normal(name)))
            meta.authority, meta.place = (known[1], known[2]) if known else (name, place_slug(name))
            return


# -- inspectors ------------------------------------------------------------------------


def _clean_name(name: str) -> str | None:
    name = _ROLE_SUFFIX.sub("", " ".join(name.split())).strip(" ,.")
    if not re.fullmatch(_NAME, name) or _NOT_A_NAME.search(name):
        return None
    return name


def _inspectors(text: str) -> list[str]:
    found: dict[str, int] = {}  # name -> where it stands first

    def add(name: str, at: int) -> None:
        cleaned = _clean_name(name)
        if cleaned:
            found[cleaned] = min(found.get(cleaned, at), at)

    for pattern in (_SIGNATURE, _NAME_AND_ROLE):
        for match in pattern.finditer(text):
            add(match.group(1), match.start())
    for pattern in (_TEAM_LABEL, _INSPECTORS_SENTENCE):
        for match in pattern.finditer(text):
            at = match.start(1)
            for part in re.split(r"(,|\band\b)", match.group(1)):
                add(part, at)
                at += len(part)
    return sorted(found, key=found.get)


def _publisher(text: str, kind: str | None) -> str | None:
    if kind != "press article":
        return "Ofsted" if kind else None  # Ofsted publishes its inspections' reports
    owner = _COPYRIGHT_OWNER.search(text)
    if owner:
        name = re.sub(r"\s*all rights reserved\.?$", "", owner.group(1), flags=re.I).strip(" .")
        return name or None
    return None


# A report says what it is at its start (its title, a letter's head and opening, a
# newspaper's masthead and byline) and who inspected at its end (a signature, the
# team): metadata is read from the first and last parts of a long text only, so that
# it costs the same however long the report.
HEAD_CHARS = 30_000
TAIL_CHARS = 15_000


def head_and_tail(text: str) -> str:
    """`text` with its middle lines emptied: the same line numbers, far less to read."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    head_end = text.rfind("\n", 0, HEAD_CHARS) + 1
    tail_start = text.find("\n", len(text) - TAIL_CHARS) + 1
    if not 0 < head_end < tail_start:
        return text
    return text[:head_end] + "\n" * text.count("\n", head_end, tail_start) + text[tail_start:]


def read_metadata(text: str, vocabulary: DraftVocabulary | None = None) -> Metadata:
    vocabulary = vocabulary or DraftVocabulary()
    text = head_and_tail(text)
    words = _Words(text)
    meta = Metadata()
    _inspection(words, text, vocabulary, meta)
    meta.kind = _kind(text, meta)
    if meta.is_press:
        meta.inspection, meta.inspection_line = vocabulary.press_kind, None
        meta.inspection_name = None
    _authority(words, text, vocabulary, meta)
    meta.inspected_from, meta.inspected_to = _visit_dates(text)
    meta.published = _publication(text, meta.kind)
    meta.publisher = _publisher(text, meta.kind)
    if not meta.is_press:
        meta.inspectors = _inspectors(text)
    return meta


# -- earlier judgements, for history.yaml ----------------------------------------------


def history_candidate(sentence: str) -> tuple[str, str] | None:
    """(date, outcome) when a sentence says the council was judged something at a
    stated earlier time ("... judged inadequate in December 2021")."""
    judged = _JUDGED.search(sentence)
    if not judged:
        return None
    outcome = _GRADE_WORDS.get(" ".join(judged.group(1).lower().split()))
    when = _MONTH_YEAR.search(sentence)
    if when:
        month, year = when.groups()
        return f"{year}-{MONTHS.index(month.lower()) + 1:02d}", outcome
    year = _IN_YEAR.search(sentence)
    return (year.group(1), outcome) if year and outcome else None
