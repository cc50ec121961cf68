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

import yaml

from ..knowledge.passages import Segment, segment
from ..knowledge.text import NUMBER_WORDS, letters_digits, split_sentences, word_count
from ..search.query import stem, tokenize
from .metadata import (
    DATE,
    MONTHS,
    DraftVocabulary,
    Metadata,
    head_and_tail,
    history_candidate,
    parse_date,
    read_metadata,
)

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
# A heading that gives its grade: "Overall effectiveness: requires improvement to be good".
_COLON_GRADE = re.compile(rf"^([A-Z][^:]{{2,120}}?):\s*{_GRADE}\.?$", re.I)
_PRONOUNS = ("these ", "this ", "they ", "it ", "those ", "which ")
_DATE = DATE
_MONTHS = MONTHS
_NUMBER_WORDS = NUMBER_WORDS
# Criticism and praise, as inspectors word them. A paragraph is a weakness when it
# criticises more than it praises, and a strength only when it does not criticise at
# all; anything between is left for the curator (see _guess_kind). Words are looked
# up in sets, two-word phrases as pairs: one pass over a paragraph's words.
_WEAK_WORDS = frozenset(
    re.findall(
        r"[a-z]+",
        """not lack lacks lacking insufficient insufficiently weak weaker weakness weaknesses
        poor poorly delay delays delayed drift inconsistent inconsistently shortfall shortfalls
        however fail fails failed failure failures unacceptable limited underdeveloped gap gaps
        inadequate ineffective unfit inappropriate inappropriately unsafe unclear unable
        deteriorated deteriorating deterioration worse concern concerns concerning serious
        seriously widespread variable missed overdue backlog backlogs superficial
        uncoordinated unmet absent slow slowly""",
    )
)
_WEAK_PAIRS = frozenset(
    [
        ("no", "longer"),
        ("too", "slow"),
        ("too", "long"),
        ("too", "many"),
        ("too", "few"),
        ("too", "often"),
        ("too", "variable"),
        ("requires", "improvement"),
        ("require", "improvement"),
    ]
)
_STRONG_WORDS = frozenset(
    re.findall(
        r"[a-z]+",
        """good effective effectively strong strength strengths well timely thorough robust
        comprehensive positive positively improved improving appropriate appropriately prompt
        promptly successful successfully excellent outstanding""",
    )
)
_WORDS = re.compile(r"[a-z]+")


def _praise_and_criticism(text: str) -> tuple[int, int]:
    words = _WORDS.findall(text.lower())
    weak = strong = 0
    for n, word in enumerate(words):
        pair = (words[n - 1], word) if n else None
        if word in _WEAK_WORDS or pair in _WEAK_PAIRS:
            weak += 1  # "too slow" is one criticism, counted at "slow"
        if word in _STRONG_WORDS:
            # "well" in "as well as" praises nothing.
            if word == "well" and (
                (n and words[n - 1] == "as") or (n + 1 < len(words) and words[n + 1] == "as")
            ):
                continue
            strong += 1
    return weak, strong


LIST_KINDS = {
    "strengths": "strength",
    "satisfactory practice": "satisfactory_practice",
    "areas for development": "area_for_development",
    "areas for improvement": "area_for_development",
}
# Sections whose paragraphs are the report's recommendations.
_RECOMMENDATIONS = re.compile(r"recommendation|what needs to improve", re.I)
# A press paragraph that gives someone's words: "Cllr A, cabinet member, said: ..."
_SPEAKER = re.compile(r"^[“\"]?([A-Z][^.:“\"]{2,150}?),? (?:said|added)(?:\s*:|,?\s*[“\"])")
# Ofsted's own headline: "Children's services in Northmoor are good".
_HEADLINE = re.compile(
    r"^(?:children['’]?s services|services for children) in .{2,80}? "
    r"(?:are|is|require|requires) (?:outstanding|good|inadequate|improvement to be good)\.?$",
    re.I,
)


@dataclass
class Draft:
    report: dict
    judgements: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # report keys the text did not give
    comments: dict[str, str] = field(default_factory=dict)  # report key -> a YAML comment
    footer: str = ""  # YAML comments after the records: history candidates

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
    return parse_date(text)


# -- sections --------------------------------------------------------------------------


def _is_title(seg: Segment) -> bool:
    """A heading: flagged by the splitter, or a short unpunctuated run of lines
    (a long heading wraps, so the splitter sees prose)."""
    text = seg.text.strip()
    if seg.heading or re.match(r"^\d+(?:\.\d+)*\.?\s+[A-Z][^.]{0,80}$", text):
        return True  # flagged by the splitter, or a numbered heading ("2. What works")
    if ":" in text and len(seg.lines) == 1 and _COLON_GRADE.match(text) and word_count(text) <= 30:
        return True  # a heading with its grade ("Overall effectiveness: good")
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


def _guess_kind(text: str) -> tuple[str, str | None]:
    """A finding's kind, and a note when the words leave it to the curator.

    Criticism outweighing praise is a weakness; praise with no criticism at all is a
    strength. Criticism is never a strength by default: a tie, or praise qualified by
    criticism, is left as an unclassified `fact` with a note saying so."""
    weak, strong = _praise_and_criticism(text)
    if weak > strong:
        return "weakness", None
    if strong and not weak:
        return "strength", None
    if strong:
        return "fact", (
            f"Unclassified: {strong} words of praise and {weak} of criticism; "
            "the curator decides its kind."
        )
    return "fact", None


def _summary(text: str) -> str:
    sentences = split_sentences(text)
    words = (sentences[0] if sentences else text).split()
    return " ".join(words[:30]) + ("…" if len(words) > 30 else "")


def _judgements(segments: list[Segment], section_of: _SectionOf) -> list[dict]:
    found: dict[str, dict] = {}

    def add(area: str, grade_text: str, quote: str, line: int) -> None:
        area = re.sub(r"\s+in [A-Z][a-z]+$", "", area.strip(" .:"))
        if re.match(r"(children['’]?s|childrens) services|services for children", area, re.I):
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
        colon = _COLON_GRADE.match(text) if ":" in text and word_count(text) <= 30 else None
        if colon:
            add(colon.group(1), colon.group(2), text, seg.first_line)
        for sentence in split_sentences(text):
            for pattern in (_GRADED, _IS_GRADE, _REQUIRES):
                match = pattern.match(sentence)
                # "The graded judgement about ..." is Ofsted's own form, however long.
                if not match or word_count(sentence) > (30 if pattern is _GRADED else 16):
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


_MONTH_WORDS = "(?:" + "|".join(MONTHS) + ")"
_ORDINAL = r"(?:st|nd|rd|th)?"
# What looks like a number but is not a figure: dates and spans of days, months,
# years, times, list and section numbers, page footers, file names, web and mail
# addresses, telephone numbers and postcodes, ages and ordinals.
_NOT_FIGURES = re.compile(
    rf"\b\d{{1,2}}{_ORDINAL}(?:\s*(?:and|to|until|–|—|-)\s*\d{{1,2}}{_ORDINAL})?\s+{_MONTH_WORDS}"
    rf"(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTH_WORDS}\s+\d{{1,4}}\b"
    r"|\b(?:19|20)\d\d(?:\s*[/–—-]\s*(?:19|20)?\d\d)?\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:section|sections|s\.|paragraph|para|regulation|reg|page|pages|part|chapter|"
    r"appendix|annex|table|chart|stage|key stage|year|tier|level|step|phase|recommendation|"
    r"item|point|article|schedule|rule|standard|version|no\.|number)\s+\d+(?:\.\d+)*"
    r"(?:\s+(?:of|to|and)\s+\d+)?\b"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bhttps?://\S+|\bwww\.\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:pdf|txt|docx?|xlsx?|csv|html?|jpe?g|png|yaml)\b"
    r"|\b\w*\d\w*_[\w-]+|\b[\w-]+_\w*\d\w*"
    r"|\b(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{8,}\b"
    r"|\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b"
    r"|\baged?\s+(?:between\s+)?\d+(?:\s*(?:to|and|-|–)\s*\d+)?"
    r"|\b\d+(?:st|nd|rd|th)\b"
    r"|\b\d+(?:\.\d+)+(?=\s+[A-Z])",
    re.I,
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_ADDRESS = re.compile(
    r"\b\d+[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Road|Place|Avenue|Lane|Way|Drive|"
    r"Square|Gate|House|Court|Park|Close)\b"
)
_DIGIT = re.compile(r"\d")
_LIST_NUMBER = re.compile(r"^\s*\(?(?:\d+(?:\.\d+)*|[a-z])[.)]\s")
_TRAILING_LIST_NUMBER = re.compile(r"(\b[A-Z][a-z]+)\s+\d{1,2}(?:\.\d{1,2})*\.?$")


def _not_figures(sentence: str) -> str:
    if not _DIGIT.search(sentence):
        return sentence  # nothing to mask: a figure in words is read as it stands
    masked = _LIST_NUMBER.sub(" ", sentence)
    masked = _POSTCODE.sub(" ", _ADDRESS.sub(" ", masked))
    masked = _NOT_FIGURES.sub(" ", masked)
    # "... Good 2." : the next item's number, cut off by the sentence splitter.
    return _TRAILING_LIST_NUMBER.sub(r"\1 ", masked)


_CUT_OFF = re.compile(r"\b(increase|decrease|rise|fall|up|down) from$", re.I)
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|per cent)?(?:\s+([a-z-]+))?")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\s+([a-z-]+)", re.I)
_AT_DATE = re.compile(r"\b[Aa]t " + _DATE, re.I)


def _figure(sentence: str) -> dict | None:
    if word_count(sentence) < 4:
        return None  # a list number or a heading, not a statement of a figure
    cut_off = _CUT_OFF.search(sentence.rstrip(" ."))
    if cut_off:
        return {
            "measure": f"Lost figure: {sentence[:80]}",
            "value": None,
            "unit": "count",
            "missing": True,
            "note": "The source text ends before the number; the curator must not guess it.",
            "quote": sentence,
        }
    masked = _not_figures(sentence)
    number = _NUMBER.search(masked)
    value: float | None = None
    unit = "count"
    if number:
        value = float(number.group(1).replace(",", ""))
        if number.group(2):
            unit = "percent"
        elif number.group(3):
            unit = number.group(3)
    else:
        words = _NUMBER_WORD.search(masked)
        if not words or words.group(1).lower() == "no" and not words.group(2).endswith("s"):
            return None
        value, unit = _NUMBER_WORDS[words.group(1).lower()], words.group(2)
    as_of = _date(sentence) if _AT_DATE.search(sentence) else None
    return {
        "measure": sentence[:90].rstrip(",;: "),
        "value": int(value) if value is not None and value == int(value) else value,
        "unit": unit,
        "as_of": as_of,
        "quote": sentence,
    }


def report_metadata(text: str, vocabulary: DraftVocabulary | None = None) -> Metadata:
    """What the text says of itself: its kind, inspection, council, dates, inspectors."""
    return read_metadata(text, vocabulary)


# What each report key the text may not give asks of the curator.
_MISSING = {
    "kind": "set it to inspection report, inspection letter or press article",
    "inspection": "set the id of its kind of inspection in knowledge/inspections.yaml",
    "authority": "set the council the text is about (its name in knowledge/authorities.yaml)",
    "inspected_from": "the text gives no days of the inspection; set them, or say why in date_note",
    "inspected_to": "the text gives no last day of the inspection; set it, or say why in date_note",
    "published": "the text gives no publication date; set it, or keep date_note saying why",
    "inspectors": "the text names no inspector; add them from the published report, or leave null",
    "headline": "write the outcome in a few words",
    "publisher": "name the newspaper or site that published it",
    "about_report": "set the id of the report it covers, once that report is published",
}


def draft_report(
    text: str,
    *,
    seed: str,
    report_id: str,
    themes: list[dict],
    vocabulary: DraftVocabulary | None = None,
    meta: Metadata | None = None,
) -> Draft:
    meta = meta or report_metadata(text, vocabulary)
    lines = text.split("\n")
    sections = _sections(text)
    segments = segment(text, breaks={s["line"] for s in sections})
    section_of = _SectionOf(sections)
    guess_themes = _Themes(themes)
    report: dict = {
        "id": report_id,
        "title": _title(lines, segments, meta),
        "kind": meta.kind,
        "inspection": meta.inspection,
        "publisher": meta.publisher,
        "authority": meta.authority,
        "inspected_from": meta.inspected_from,
        "inspected_to": meta.inspected_to,
        "published": meta.published,
        "date_note": _date_note(meta),
    }
    if meta.is_press:
        report["about_report"] = None
    else:
        report["inspectors"] = meta.inspectors or None
    report |= {"seed": seed, "url": None, "headline": None, "reviewed": False}
    draft = Draft(report=report)
    if not meta.is_press:
        # A press page may quote a judgement or a recommendation; it is still the
        # press's text, drafted as its findings, never as Ofsted's records.
        draft.judgements = _judgements(segments, section_of)
    recommendations, draft.findings = _paragraphs(
        segments, sections, section_of, guess_themes, press=meta.is_press
    )
    draft.recommendations = [] if meta.is_press else recommendations
    draft.figures = [
        {"id": f"figure-{n:02d}", **f, "themes": guess_themes(f["quote"]), "reviewed": False}
        for n, f in enumerate(_figures(segments, section_of), start=1)
    ]
    report["headline"] = _headline(
        head_and_tail(text), segments, sections, section_of, draft.judgements, meta
    )
    tagged = [f for f in draft.findings if f.get("recommendation_tag")]
    _link_evidence(draft.recommendations, tagged)
    _prefix_ids(draft, report_id)
    _notes(draft, meta, segments, section_of, text)
    report["sections"] = sections
    return draft


def _date_note(meta: Metadata) -> str | None:
    lost = [
        what
        for what, value in (
            ("inspection dates", meta.inspected_from),
            ("publication date", meta.published),
        )
        if value is None
    ]
    if not lost:
        return None
    return f"The text states no {' and no '.join(lost)}."


def _notes(draft: Draft, meta: Metadata, segments: list[Segment], section_of, text: str) -> None:
    """What the curator must know: each key the text did not give (null in the draft,
    with a comment beside it), a press page's standing, and earlier judgements the
    text states, ready for history.yaml."""
    report = draft.report
    notes = []
    for key, advice in _MISSING.items():
        if key in report and report[key] is None:
            draft.missing.append(key)
            draft.comments[key] = "not found in the text: see notes"
            notes.append(f"{key}: not found in the text, so null; {advice}.")
    if meta.is_press:
        signs = ", ".join(f"{what} at line {line}" for what, line in meta.press_signs if line)
        notes.append(
            "A press page"
            + (f" ({signs})" if signs else "")
            + ": its words are the publisher's, never Ofsted's, even where it quotes Ofsted."
        )
    # A press page's account of earlier judgements is the press's, not a source for
    # the inspection history.
    candidates = [] if meta.is_press else _history(segments, section_of, report["id"], text)
    for entry, line in candidates:
        notes.append(
            f"History candidate at line {line}: {entry['quote']!r}; a ready entry for "
            "knowledge/history.yaml is at the end of this file."
        )
    if candidates:
        draft.footer = _history_footer([entry for entry, _ in candidates])
    if notes:
        report["notes"] = notes


_JUDGED_WORDS = ("judged", "rated", "graded", "found to be")


def _finds(text: str, word: str):
    """Every place `word` stands in `text` (a plain search: quicker than a pattern)."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _history(
    segments: list[Segment], section_of, report_id: str, text: str
) -> list[tuple[dict, int]]:
    found: list[tuple[dict, int]] = []
    seen: set[str] = set()
    # The lines that say "judged", "rated", ...: found in one pass over the text.
    lower = text.lower()
    starts = sorted(
        at
        for word in _JUDGED_WORDS
        for at in _finds(lower, word)
        if not lower[at - 1 : at].isalpha()
        and not lower[at + len(word) : at + len(word) + 1].isalpha()
    )
    lines, line, previous = [], 1, 0
    for at in starts:
        line += text.count("\n", previous, at)
        previous = at
        lines.append(line)
    if not lines:
        return found
    for seg in segments:
        first = bisect.bisect_left(lines, seg.first_line)
        if first == len(lines) or lines[first] > seg.last_line:
            continue
        for sentence in split_sentences(" ".join(seg.text.split())):
            sentence = sentence.lstrip("-• ").strip()
            candidate = history_candidate(sentence) if word_count(sentence) <= 60 else None
            if candidate is None or letters_digits(sentence) in seen:
                continue
            seen.add(letters_digits(sentence))
            date, outcome = candidate
            entry = {
                "id": f"history-{date}-{_slug(outcome, 30)}",
                "date": date,
                "event": None,
                "outcome": outcome,
                "report": report_id,
                "section": section_of(seg.first_line)["id"],
                "quote": sentence,
            }
            found.append((entry, seg.first_line))
    return found


def _history_footer(entries: list[dict]) -> str:
    text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=88)
    text = text.replace("  event: null\n", "  event: null  # name the inspection it was\n")
    return (
        "\n# History candidates: earlier judgements this text states. Check each against\n"
        "# the source, name its event, and copy it into knowledge/history.yaml (where\n"
        "# `kb validate` proves its quote). They are not part of this report.\n#\n"
        + "".join(f"# {line}\n" if line else "#\n" for line in text.splitlines())
    )


_CONNECTOR = re.compile(r"\b(?:and|of|the|for|in|to|with|on|by|from|at|a|an)$|,$", re.I)
_LABEL = re.compile(r"^[^:]{1,40}:\s")


def _heading_from(lines: list[str], first: int) -> str | None:
    """The heading standing at line `first` (1-based), with the lines it wraps onto."""
    taken = [lines[first - 1].strip()]
    if not taken[0] or taken[0].endswith(".") or word_count(taken[0]) > 25:
        return None
    for line in lines[first : first + 5]:
        line = line.strip()
        joined = _CONNECTOR.search(taken[-1]) or (line[:1].islower())
        if not line or not joined or line.endswith(".") or _LABEL.match(line):
            break
        taken.append(line)
    return " ".join(taken)[:200]


def _is_address_block(seg: Segment) -> bool:
    """Three or more short lines, none a sentence or a bullet: a letter's letterhead,
    its addressee, a signature block."""
    if len(seg.lines) < 3:
        return False
    lines = [line.text.strip() for line in seg.lines if line.text.strip()]
    return len(lines) >= 3 and all(
        word_count(line) <= 6
        and not line.endswith((".", ":", ";", "?", "!"))
        and not line.startswith(("-", "•"))
        for line in lines
    )


def _title(lines: list[str], segments: list[Segment], meta: Metadata) -> str:
    """The heading that names the report: where the text first names its kind of
    inspection, a letter's subject line, a press page's headline; else its first
    words."""
    if meta.inspection_line and not meta.is_press:
        heading = _heading_from(lines, meta.inspection_line)
        if heading:
            return heading
        seg = next((s for s in segments if s.last_line >= meta.inspection_line), None)
        wanted = letters_digits(meta.inspection_name or "")
        for sentence in split_sentences(" ".join(seg.text.split())) if seg else []:
            if wanted and wanted in letters_digits(sentence):
                return sentence[:200]
    if meta.letter and not meta.is_press:
        greeting = next(
            (n for n, line in enumerate(lines, 1) if re.match(r"^[ \t]*Dear [A-Z]", line)), None
        )
        for seg in segments:
            if greeting and seg.first_line > greeting and _is_title(seg):
                return " ".join(seg.text.split())[:200]
    if meta.is_press:
        for seg in segments:
            text = " ".join(seg.text.split())
            if word_count(text) >= 5 and len(seg.lines) == 1 and _is_title(seg):
                return text[:200]
    for seg in segments:
        if word_count(seg.text) >= 5:
            return " ".join(seg.text.split())[:200]
    return next(line.strip() for line in lines if line.strip())[:200]


def _first_segment_at(segments: list[Segment], line: int) -> int:
    """The index of the first segment starting at or after `line`."""
    return bisect.bisect_left(segments, line, key=lambda seg: seg.first_line)


# At the start of a line: "Children's services in Northmoor are good".
_HEADLINE_SENTENCE = re.compile(
    r"^[ \t]*(?:children['’]?s services|services for children) in [^.]{2,80}?\s"
    r"(?:are|is|require|requires)\s(?:outstanding|good|inadequate|improvement\sto\sbe\sgood)\b",
    re.I | re.M,
)


def _headline(text: str, segments, sections, section_of, judgements, meta: Metadata) -> str | None:
    """The outcome in a few words, as the text gives it: Ofsted's own headline
    sentence, the first sentence under "Headline findings", the overall judgement;
    a press page's first sentence. None when the text gives none."""
    if meta.is_press:
        for seg in segments:
            if word_count(seg.text) >= 12 and not _is_title(seg):
                return _summary(" ".join(seg.text.split()))
        return None
    match = _HEADLINE_SENTENCE.search(text)
    if match:
        return " ".join(match.group(0).split())
    headline_lines = [s["line"] for s in sections if s["title"].lower().startswith("headline")]
    for line in headline_lines:
        for seg in segments[_first_segment_at(segments, line) :]:
            if section_of(seg.first_line)["line"] != line:
                break
            if word_count(seg.text) >= 12:
                return _summary(" ".join(seg.text.split()))
    overall = [j for j in judgements if j["area"].lower().startswith("overall")] or judgements
    if overall:
        return f"{overall[0]['area']}: {overall[0]['grade']}"
    return None


def _paragraphs(
    segments: list[Segment],
    sections: list[dict],
    section_of: _SectionOf,
    guess_themes: _Themes,
    *,
    press: bool = False,
) -> tuple[list[dict], list[dict]]:
    """Recommendations (the paragraphs of a recommendations section) and findings (the
    other substantive paragraphs and bullets). A paragraph the report repeats word for
    word is drafted once: the copies would be the same record to review again. A press
    page's paragraphs are its own facts and statements, never strengths or weaknesses
    found by Ofsted."""
    rec_sections = {s["id"] for s in sections if _RECOMMENDATIONS.search(s["title"])}
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
    last_speaker: str | None = None
    for seg in segments:
        if seg.heading or word_count(seg.text) < 6:
            continue
        text = " ".join(seg.text.split())
        section = section_of(seg.first_line)
        if section["id"] in rec_sections and not press:
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
        if len(seg.lines) >= 3 and _is_address_block(seg):
            continue  # a letterhead or an address: no finding
        quote = text.lstrip("-• ").strip()
        if ("finding", letters_digits(quote)) in seen:
            continue
        seen.add(("finding", letters_digits(quote)))
        list_kind = LIST_KINDS.get(section["title"].split(" — ")[-1].strip().lower())
        counts[section["id"]] += 1
        speaker = None
        if press:
            said = _SPEAKER.match(quote)
            if said and not re.search(r"\b(?:inspectors?|Ofsted)\b", said.group(1), re.I):
                speaker = said.group(1).strip()
            elif quote.startswith(("“", '"')) and last_speaker:
                speaker = last_speaker  # the same speaker's words, running on
            last_speaker = speaker
            kind, note = ("statement" if speaker else "fact"), None
        elif list_kind:
            kind, note = list_kind, None
        else:
            kind, note = _guess_kind(quote)
        finding = {
            "id": f"{section['id']}-{counts[section['id']]:02d}",
            "kind": kind,
            "themes": guess_themes(quote),
            "section": section["id"],
            "summary": _summary(quote),
            "quote": quote,
            "reviewed": False,
        }
        if speaker:
            finding["speaker"] = speaker
        if note:
            finding["note"] = note
        if quote.endswith("(Recommendation)"):
            finding["recommendation_tag"] = True
        findings.append(finding)
    return recommendations, findings


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
    # A letter's letterhead and address, above its greeting, are short lines by design.
    greeting = next(
        (n for n, line in enumerate(lines[:80], 1) if re.match(r"^[ \t]*Dear [A-Z]", line)), 0
    )
    lost_bullets = [n for n, line in enumerate(lines, 1) if re.match(r"^ \S", line)]
    if lost_bullets:
        warnings.append(
            f"{len(lost_bullets)} lines start with a space (first at line {lost_bullets[0]}): "
            "bullet characters were probably lost"
        )
    split = [
        (n, line.split()[-1])
        for n, line in enumerate(lines[:-1], 1)
        if line.endswith("-") and line[-2:-1].islower() and lines[n][:1].islower()
    ]
    if split:
        warnings.append(
            f"{len(split)} words are hyphenated across a line break (first at line "
            f"{split[0][0]}: '{split[0][1]}'); a quote keeps the words as the text has them"
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
        if n <= greeting:
            continue
        short = 0 < len(line.split()) <= 4 and not line.rstrip().endswith((".", ":", "?"))
        run = run + 1 if short or (run and not line.strip()) else 0
        if run == 8:
            warnings.append(
                f"around line {n}: many short unpunctuated lines; a table may be scrambled"
            )
    return warnings
