"""Drafting a new report: text in, a knowledge-base file of candidate records out.

Every record is marked `reviewed: false`; every quote is a span of the source's own
text, so the draft passes the same validator as curated files. The rules read
Ofsted's general phrasings and the shapes PDF extraction leaves behind; none of them
is taken from a particular seed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..knowledge.passages import Segment, segment
from ..knowledge.text import NUMBER_WORDS, letters_digits, split_sentences, word_count
from ..search.query import stem, tokenize

GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement to be good": "Requires improvement to be good",
    "require improvement to be good": "Requires improvement to be good",
    "inadequate": "Inadequate",
}
_GRADE = r"(outstanding|good|inadequate|requires? improvement to be good)"
_GRADED = re.compile(
    rf"^the graded judgement (?:for|about) (?:the )?(.+?) is that it is {_GRADE}\.?$", re.I
)
_IS_GRADE = re.compile(rf"^(the .{{3,90}}?) (?:is|are) {_GRADE}\.?$", re.I)
_REQUIRES = re.compile(r"^(.{3,90}?) requires? improvement to be good\.?$", re.I)
_PRONOUNS = ("these ", "this ", "they ", "it ", "those ", "which ")
_MONTHS = [
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
_DATE = r"(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(_MONTHS) + r") (\d{4})"
_NUMBER_WORDS = NUMBER_WORDS
_WEAK = re.compile(
    r"\b(not|no longer|lack|lacks|insufficient|weak|weakness|weaknesses|poor|delay|delays|"
    r"delayed|drift|too slow|too long|inconsistent|shortfall|shortfalls|however|fail|fails|"
    r"failed|unacceptable|requires? improvement|limited|underdeveloped|gaps?)\b",
    re.I,
)
_STRONG = re.compile(
    r"\b(good|effective|effectively|strong|strength|strengths|well|timely|thorough|robust|"
    r"comprehensive|positive|positively|improved|improving|appropriate|appropriately|"
    r"prompt|promptly|successful|successfully)\b",
    re.I,
)
LIST_KINDS = {
    "strengths": "strength",
    "satisfactory practice": "satisfactory_practice",
    "areas for development": "area_for_development",
    "areas for improvement": "area_for_development",
}


@dataclass
class Draft:
    report: dict
    judgements: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_yaml_data(self) -> dict:
        return {
            "report": self.report,
            "judgements": self.judgements,
            "figures": self.figures,
            "recommendations": self.recommendations,
            "findings": self.findings,
        }


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "x"


def _date(text: str) -> dt.date | None:
    match = re.search(_DATE, text, re.I)
    if not match:
        return None
    day, month, year = match.groups()
    try:
        return dt.date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


# -- metadata --------------------------------------------------------------------------


def _kind(text: str) -> str:
    # [ \t]*, not \s*: at every line start \s* would run on through all the blank
    # lines below it, which made text of mostly blank lines quadratic.
    greeting = re.search(r"^[ \t]*Dear \w", text, re.M)
    if greeting and re.search(r"Yours (sincerely|faithfully)", text):
        return "inspection letter"
    if re.search(
        r"\bOfsted\b|Her Majesty'?s Inspector|\bHMI\b|\binspect(?:ion|ors?|ed)\b", text, re.I
    ):
        return "inspection report"
    return "press article"


def _authority(text: str) -> str:
    patterns = (
        r"\b((?:Borough|City|County|Royal Borough) of [A-Z][a-z]+(?: [A-Z][a-z]+)?)",
        r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Borough|City|County|District) Council)\b",
        r"^([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:Borough|Council|County Council)\s*$",
        r"[Ll]ocal authority:\s*([A-Z][^\n]{2,60})",
    )
    for pattern in patterns:
        match = re.search(pattern, text, re.M)
        if match:
            return match.group(1).strip()
    return "Unknown (the curator sets this)"


def _dates(text: str, kind: str) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(inspected from, inspected to, published), as the text states them, else None."""
    start = end = published = None
    span = re.search(
        r"[Ii]nspection dates?:?\s*" + _DATE + r"\s*(?:to|until|–|-)\s*" + _DATE, text, re.I
    )
    if span:
        start, end = _date(" ".join(span.groups()[:3])), _date(" ".join(span.groups()[3:]))
    else:
        days = re.search(
            r"(?:conducted|carried out|took place|inspected) (?:on|between) (\d{1,2})(?:st|nd|rd|th)?"
            r"(?: (?:and|to|–|-) (\d{1,2})(?:st|nd|rd|th)?)? (" + "|".join(_MONTHS) + r") (\d{4})",
            text,
            re.I,
        )
        if days:
            first, last, month, year = days.groups()
            start = _date(f"{first} {month} {year}")
            end = _date(f"{last or first} {month} {year}")
    stated = re.search(r"(?:report )?published:?\s*(?:on\s*)?" + _DATE, text, re.I)
    if stated:
        published = _date(" ".join(stated.groups()))
    elif kind == "inspection letter":
        opening = re.search(r"^\s*" + _DATE + r"\s*$", text[:600], re.M | re.I)
        if opening:
            published = _date(" ".join(opening.groups()))
    return start, end, published


# -- sections --------------------------------------------------------------------------


def _is_title(seg: Segment) -> bool:
    """A heading: flagged by the splitter, or a short unpunctuated run of lines
    (a long heading wraps, so the splitter sees prose)."""
    text = seg.text.strip()
    if seg.heading or re.match(r"^\d+(?:\.\d+)*\.?\s+[A-Z][^.]{0,80}$", text):
        return True  # flagged by the splitter, or a numbered heading ("2. What works")
    return (
        bool(text)
        and word_count(text) <= 15
        and text[0].isupper()
        and not text.endswith((".", ":", ";", ",", "?", "!", ")"))
        and not text.startswith(("-", "•"))
    )


def _section_starts(segments: list[Segment]) -> list[tuple[int, str, str]]:
    """(line, heading as it stands, title) for headings that introduce text."""
    starts: list[tuple[int, str, str]] = []
    pending: list[Segment] = []
    for seg in segments:
        if _is_title(seg):
            pending.append(seg)
            continue
        if pending and (word_count(seg.text) >= 12 or seg.text.lstrip().startswith(("-", "•"))):
            # Only the headings standing together just above the text name it: a
            # title page's lines, further up, are not part of this heading.
            run = [pending[-1]]
            for earlier in reversed(pending[:-1]):
                if earlier.last_line + 1 != run[-1].first_line:
                    break
                run.append(earlier)
            pending = run[::-1]
            first = pending[0]
            title = " — ".join(p.text for p in pending if p.text.lower() not in GRADES)
            starts.append((first.first_line, first.lines[0].text, title or first.text))
        pending = []
    return starts


def _sections(text: str) -> list[dict]:
    segments = segment(text)
    # The opening starts at the first line with text: the validator checks that its
    # heading stands there, and a text may begin with blank lines.
    first_line, first_text = next(
        ((n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()),
        (1, ""),
    )
    sections = [
        {"id": "opening", "line": first_line, "heading": first_text[:80], "title": "Opening"}
    ]
    seen = {"opening"}
    next_suffix: dict[str, int] = {}  # per slug, where to look for a free "-n" next
    for line, heading, title in _section_starts(segments):
        if line <= first_line:
            continue
        base = _slug(title, 30)
        ident = base
        if ident in seen:
            # Numbers below next_suffix[base] are all taken (seen only grows), so a
            # report repeating a heading is numbered in one pass, not one per repeat.
            n = next_suffix.get(base, 2)
            while f"{base}-{n}" in seen:
                n += 1
            ident, next_suffix[base] = f"{base}-{n}", n + 1
        seen.add(ident)
        sections.append(
            {"id": ident, "line": line, "heading": heading.strip()[:80], "title": title[:120]}
        )
    return sections


class _SectionOf:
    """The section a line falls in: the last one starting at or before it (a binary
    search; a scan of every section for every passage was quadratic)."""

    def __init__(self, sections: list[dict]):
        self.sections = sections
        self.starts = [s["line"] for s in sections]  # ascending: seed order

    def __call__(self, line: int) -> dict:
        return self.sections[max(0, bisect.bisect_right(self.starts, line) - 1)]


# -- records ---------------------------------------------------------------------------


def _stems(text: str) -> str:
    return " ".join(stem(w) for w in tokenize(text))


class _Themes:
    """Guesses a record's themes from the theme labels and words; each phrase is
    stemmed once per draft, not once per record."""

    def __init__(self, themes: list[dict]):
        self.phrases = [
            (theme["id"], f" {stems} ", 1 + stems.count(" "))
            for theme in themes
            for phrase in [theme["label"], *theme.get("words", [])]
            if (stems := _stems(phrase))
        ]
        ids = [t["id"] for t in themes]
        self.fallback = "inspection" if "inspection" in ids else ids[0]

    def __call__(self, text: str) -> list[str]:
        words = f" {_stems(text)} "
        scores: Counter = Counter()
        for theme_id, phrase, weight in self.phrases:
            if phrase in words:
                scores[theme_id] += weight
        return [t for t, _ in scores.most_common(2)] or [self.fallback]


def _guess_kind(text: str) -> str:
    weak, strong = len(_WEAK.findall(text)), len(_STRONG.findall(text))
    if weak > strong:
        return "weakness"
    if strong:
        return "strength"
    return "fact"


def _summary(text: str) -> str:
    sentences = split_sentences(text)
    words = (sentences[0] if sentences else text).split()
    return " ".join(words[:30]) + ("…" if len(words) > 30 else "")


def _judgements(segments: list[Segment], section_of: _SectionOf) -> list[dict]:
    found: dict[str, dict] = {}

    def add(area: str, grade_text: str, quote: str, line: int) -> None:
        area = re.sub(r"\s+in [A-Z][a-z]+$", "", area.strip(" .:"))
        if re.match(r"(children'?s|childrens) services", area, re.I):
            area = "Overall effectiveness"
        key = area.lower()
        if key in found or key.startswith(_PRONOUNS) or key.startswith(tuple(GRADES)):
            return
        found[key] = {
            "id": f"judgement-{len(found) + 1:02d}",
            "area": area[:1].upper() + area[1:],
            "grade": GRADES[grade_text.lower()],
            "section": section_of(line)["id"],
            "quote": quote,
            "themes": ["inspection"],
            "reviewed": False,
        }

    previous: Segment | None = None
    for seg in segments:
        text = " ".join(seg.text.split())
        bare = text.rstrip(".").lower()
        # A heading followed by a grade on its own ("Leadership..." / "Good").
        if (
            bare in GRADES
            and previous is not None
            and _is_title(previous)
            and previous.text.rstrip(".").lower() not in GRADES
        ):
            add(previous.text, bare, text, seg.first_line)
        for sentence in split_sentences(text):
            for pattern in (_GRADED, _IS_GRADE, _REQUIRES):
                match = pattern.match(sentence)
                if not match or word_count(sentence) > 16:
                    continue
                area = match.group(1)
                grade = (
                    match.group(2)
                    if pattern is not _REQUIRES
                    else "requires improvement to be good"
                )
                add(area, grade, sentence, seg.first_line)
                break
        previous = seg
    return list(found.values())


def _figures(segments: list[Segment], section_of: _SectionOf) -> list[dict]:
    figures = []
    seen: set[str] = set()  # a sentence the report repeats is read once: one figure
    for seg in segments:
        for sentence in split_sentences(" ".join(seg.text.split())):
            sentence = sentence.lstrip("-• ").strip()
            key = letters_digits(sentence)
            if key in seen:
                continue
            seen.add(key)
            figure = _figure(sentence)
            if figure:
                figure["section"] = section_of(seg.first_line)["id"]
                figures.append(figure)
    return figures


def _figure(sentence: str) -> dict | None:
    if word_count(sentence) < 4:
        return None  # a list number or a heading, not a statement of a figure
    cut_off = re.search(
        r"\b(increase|decrease|rise|fall|up|down) from$", sentence.rstrip(" ."), re.I
    )
    if cut_off:
        return {
            "measure": f"Lost figure: {sentence[:80]}",
            "value": None,
            "unit": "count",
            "missing": True,
            "note": "The source text ends before the number; the curator must not guess it.",
            "quote": sentence,
        }
    masked = re.sub(_DATE, " ", sentence, flags=re.I)
    masked = re.sub(r"^\s*\d+(?:\.\d+)*\.\s", " ", masked)  # "3. Numbers": a heading's number
    masked = re.sub(
        r"\b(?:19|20)\d\d(?:/\d\d)?\b|\b(?:section|s\.)\s*\d+\b", " ", masked, flags=re.I
    )
    number = re.search(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|per cent)?(?:\s+([a-z-]+))?", masked
    )
    value: float | None = None
    unit = "count"
    if number:
        value = float(number.group(1).replace(",", ""))
        if number.group(2):
            unit = "percent"
        elif number.group(3):
            unit = number.group(3)
    else:
        words = re.search(r"\b(" + "|".join(_NUMBER_WORDS) + r")\s+([a-z-]+)", masked, re.I)
        if not words or words.group(1).lower() == "no" and not words.group(2).endswith("s"):
            return None
        value, unit = _NUMBER_WORDS[words.group(1).lower()], words.group(2)
    as_of = _date(sentence) if re.search(r"\b[Aa]t " + _DATE, sentence, re.I) else None
    return {
        "measure": sentence[:90].rstrip(",;: "),
        "value": int(value) if value is not None and value == int(value) else value,
        "unit": unit,
        "as_of": as_of,
        "quote": sentence,
    }


def report_metadata(text: str) -> dict:
    """What the text says of itself: its kind, authority and dates."""
    kind = _kind(text)
    start, end, published = _dates(text, kind)
    return {
        "kind": kind,
        "authority": _authority(text),
        "inspected_from": start,
        "inspected_to": end,
        "published": published,
    }


def draft_report(text: str, *, seed: str, report_id: str, themes: list[dict]) -> Draft:
    meta = report_metadata(text)
    sections = _sections(text)
    segments = segment(text, breaks={s["line"] for s in sections})
    section_of = _SectionOf(sections)
    guess_themes = _Themes(themes)
    kind = meta["kind"]
    report = {
        "id": report_id,
        "title": _title(segments),
        "kind": kind,
        "publisher": "Ofsted" if kind != "press article" else "Unknown (the curator sets this)",
        "authority": meta["authority"],
        "inspected_from": meta["inspected_from"],
        "inspected_to": meta["inspected_to"],
        "published": meta["published"],
        "date_note": None
        if meta["published"]
        else "The drafter found no publication date in the text.",
        "seed": seed,
        "url": None,
        "headline": "Draft: the curator writes the headline outcome",
        "sections": sections,
    }
    draft = Draft(report=report)
    draft.judgements = _judgements(segments, section_of)
    draft.recommendations, draft.findings = _paragraphs(
        segments, sections, section_of, guess_themes
    )
    draft.figures = [
        {"id": f"figure-{n:02d}", **f, "themes": guess_themes(f["quote"]), "reviewed": False}
        for n, f in enumerate(_figures(segments, section_of), start=1)
    ]
    tagged = [f for f in draft.findings if f.get("recommendation_tag")]
    _link_evidence(draft.recommendations, tagged)
    _prefix_ids(draft, report_id)
    return draft


def _paragraphs(
    segments: list[Segment], sections: list[dict], section_of: _SectionOf, guess_themes: _Themes
) -> tuple[list[dict], list[dict]]:
    """Recommendations (the paragraphs of a recommendations section) and findings (the
    other substantive paragraphs and bullets). A paragraph the report repeats word for
    word is drafted once: the copies would be the same record to review again."""
    rec_sections = {s["id"] for s in sections if "recommendation" in s["title"].lower()}
    board_from = min(
        (
            s["line"]
            for s in sections
            if re.search(r"safeguarding (children )?(board|partnership)|lscb", s["title"], re.I)
        ),
        default=None,
    )
    recommendations: list[dict] = []
    findings: list[dict] = []
    seen: set[tuple[str, str]] = set()
    counts: Counter = Counter()
    for seg in segments:
        if seg.heading or word_count(seg.text) < 6:
            continue
        text = " ".join(seg.text.split())
        section = section_of(seg.first_line)
        if section["id"] in rec_sections:
            if ("rec", letters_digits(text)) in seen:
                continue
            seen.add(("rec", letters_digits(text)))
            to = (
                "LSCB"
                if board_from is not None and seg.first_line >= board_from
                else "local authority"
            )
            counts[to] += 1
            recommendations.append(
                {
                    "id": f"rec-{'lscb-' if to == 'LSCB' else ''}{counts[to]:02d}",
                    "to": to,
                    "number": counts[to],
                    "text": _summary(text),
                    "themes": guess_themes(text),
                    "section": section["id"],
                    "quote": text,
                    "evidence": [],
                    "reviewed": False,
                }
            )
            continue
        if word_count(text) < 12 and not text.startswith(("-", "•")):
            continue
        quote = text.lstrip("-• ").strip()
        if ("finding", letters_digits(quote)) in seen:
            continue
        seen.add(("finding", letters_digits(quote)))
        list_kind = LIST_KINDS.get(section["title"].split(" — ")[-1].strip().lower())
        counts[section["id"]] += 1
        finding = {
            "id": f"{section['id']}-{counts[section['id']]:02d}",
            "kind": list_kind or _guess_kind(quote),
            "themes": guess_themes(quote),
            "section": section["id"],
            "summary": _summary(quote),
            "quote": quote,
            "reviewed": False,
        }
        if quote.endswith("(Recommendation)"):
            finding["recommendation_tag"] = True
        findings.append(finding)
    return recommendations, findings


def _title(segments: list[Segment]) -> str:
    for seg in segments:
        if word_count(seg.text) >= 5:
            return " ".join(seg.text.split())[:200]
    return "Untitled report"


def _content(text: str) -> set[str]:
    return {stem(w) for w in tokenize(text) if len(w) > 3}


def _link_evidence(recommendations: list[dict], tagged: list[dict]) -> None:
    """A paragraph tagged "(Recommendation)" evidences the recommendation it shares
    most words with. Each text's words are stemmed once, not once per pair."""
    candidates = [
        (r, _content(r["quote"])) for r in recommendations if r["to"] == "local authority"
    ]
    for finding in tagged:
        words = _content(finding["quote"])
        best = max(candidates, key=lambda pair: len(words & pair[1]), default=None)
        if best is not None and words & best[1]:
            best[0]["evidence"].append(finding["id"])


def _prefix_ids(draft: Draft, report_id: str) -> None:
    for group in (draft.judgements, draft.figures, draft.recommendations, draft.findings):
        for record in group:
            record["id"] = f"{report_id}-{record['id']}"
    for rec in draft.recommendations:
        rec["evidence"] = [f"{report_id}-{e}" for e in rec["evidence"]]


def damage_warnings(text: str) -> list[str]:
    """Where the text looks damaged by extraction. Warnings only: nothing is changed."""
    warnings = []
    lines = text.split("\n")
    lost_bullets = [n for n, line in enumerate(lines, 1) if re.match(r"^ \S", line)]
    if lost_bullets:
        warnings.append(
            f"{len(lost_bullets)} lines start with a space (first at line {lost_bullets[0]}): "
            "bullet characters were probably lost"
        )
    for n, line in enumerate(lines, 1):
        if re.search(r"\b(?:19|20)\d\d(?:19|20)?\d\d\b", line) and re.search(
            r"\b(19|20)\d{4}\b", line
        ):
            warnings.append(
                f"line {n}: a six-digit number like a year range; a dash was probably lost"
            )
        if re.search(r"\b(increase|decrease|rise|fall) from\s*$", line.strip(), re.I):
            warnings.append(f"line {n}: a sentence stops before its number; a figure was cut off")
        for word in re.findall(r"\b[a-z]{17,}\b", line):
            warnings.append(f"line {n}: '{word}' may be two words joined where a hyphen was lost")
    run = 0
    for n, line in enumerate(lines + [""], 1):
        short = 0 < len(line.split()) <= 4 and not line.rstrip().endswith((".", ":", "?"))
        run = run + 1 if short or (run and not line.strip()) else 0
        if run == 8:
            warnings.append(
                f"around line {n}: many short unpunctuated lines; a table may be scrambled"
            )
    return warnings
