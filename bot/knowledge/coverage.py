"""What the knowledge base covers: authorities, inspection kinds and years.

Computed when the index is built, from the published reports and two curated
vocabularies: knowledge/authorities.yaml (councils, their names, places,
predecessors and successors, and councils elsewhere) and knowledge/inspections.yaml
(kinds of inspection as Ofsted and readers name them). Nothing in code lists what is
covered: publish a report about a new council or of a new kind, and questions about
it are in scope at the next index build.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .models import KnowledgeBase, Problem
from .yamlfile import Located, read_yaml

# Words that name a kind of council, not a council: "Northmoor City Council" is
# known as "Northmoor" too.
_COUNCIL_WORDS = {"borough", "city", "council", "county", "district", "metropolitan", "of", "the"}


@dataclass(frozen=True)
class Authority:
    id: str
    name: str
    names: tuple[str, ...]
    places: tuple[str, ...] = ()
    became: str | None = None
    came_from: tuple[str, ...] = ()
    began: dt.date | None = None
    ended: dt.date | None = None


@dataclass(frozen=True)
class InspectionKind:
    id: str
    name: str
    names: tuple[str, ...]
    names_exact: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabularies:
    authorities: tuple[Authority, ...] = ()
    elsewhere: tuple[str, ...] = ()
    elsewhere_capitalised: tuple[str, ...] = ()
    kinds: tuple[InspectionKind, ...] = ()


def _strings(item, key: str, file: str, problems: list[Problem]) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(Problem(file, getattr(item, "line", 0), f"'{key}' must be a list of names"))
        return ()
    return tuple(v.strip() for v in value)


def _date(item, key: str, file: str, problems: list[Problem]) -> dt.date | None:
    value = item.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    problems.append(Problem(file, getattr(item, "line", 0), f"'{key}' must be a date (YYYY-MM-DD)"))
    return None


def _listed(knowledge_dir: Path, filename: str, key: str, what: str, name, problems):
    """The mapping in `filename` (None when the file is absent or broken) and its
    entries under `key` that have the `id` and `name` every entry needs."""
    path = knowledge_dir / filename
    if not path.exists():
        return None, []
    file = name(path)
    data, found = read_yaml(path, display=file)
    problems += found
    if found:
        return None, []
    if not isinstance(data, Located):
        problems.append(Problem(file, 1, f"{filename} must be a mapping"))
        return None, []
    items = []
    for item in data.get(key) or []:
        if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
            problems.append(
                Problem(file, getattr(item, "line", 0), f"{what} needs an 'id' and a 'name'")
            )
        else:
            items.append(item)
    return (data, file), items


def load_vocabularies(knowledge_dir: Path, name) -> tuple[Vocabularies, list[Problem]]:
    """Both files, each optional; every problem names its file and line."""
    problems: list[Problem] = []
    found, items = _listed(
        knowledge_dir, "authorities.yaml", "authorities", "an authority", name, problems
    )
    elsewhere, capitalised, authorities = (), (), []
    if found:
        data, file = found
        authorities = [
            Authority(
                id=str(item["id"]),
                name=str(item["name"]),
                names=_strings(item, "names", file, problems),
                places=_strings(item, "places", file, problems),
                became=item.get("became"),
                came_from=_strings(item, "from", file, problems),
                began=_date(item, "began", file, problems),
                ended=_date(item, "ended", file, problems),
            )
            for item in items
        ]
        elsewhere = _strings(data, "elsewhere", file, problems)
        capitalised = _strings(data, "elsewhere_capitalised", file, problems)
        ids = {a.id for a in authorities}
        problems += [
            Problem(file, 0, f"{a.id}: unknown authority {other!r}")
            for a in authorities
            for other in (a.became, *a.came_from)
            if other is not None and other not in ids
        ]
    found, items = _listed(knowledge_dir, "inspections.yaml", "kinds", "a kind", name, problems)
    kinds = [
        InspectionKind(
            id=str(item["id"]),
            name=str(item["name"]),
            names=_strings(item, "names", found[1], problems),
            names_exact=_strings(item, "names_exact", found[1], problems),
        )
        for item in items
    ]
    vocabularies = Vocabularies(tuple(authorities), elsewhere, capitalised, tuple(kinds))
    return vocabularies, problems


def _short_names(name: str) -> tuple[str, ...]:
    core = " ".join(w for w in re.findall(r"[\w'’-]+", name) if w.lower() not in _COUNCIL_WORDS)
    return tuple(dict.fromkeys(n for n in (name, core) if n))


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def coverage(kb: KnowledgeBase, vocabularies: Vocabularies) -> dict:
    """What the published reports cover, as JSON for the index's meta."""
    reports = [r for r in kb.reports.values() if not r.draft]
    known = {a.id: a for a in vocabularies.authorities}
    by_name = {n.lower(): a.id for a in known.values() for n in (a.name, *a.names)}
    for report in reports:  # a council nobody listed yet is known by its report's name
        if report.authority.lower() not in by_name:
            extra = Authority(
                f"report:{report.authority}", report.authority, _short_names(report.authority)
            )
            known[extra.id] = extra
            by_name.update({n.lower(): extra.id for n in (extra.name, *extra.names)})
    with_reports = {by_name[r.authority.lower()] for r in reports}
    authorities = []
    for a in known.values():
        note = None
        formed = None  # a council formed from others with reports, and with none itself
        covered = a.id in with_reports
        if not covered and a.became in with_reports:
            covered = True
            note = f"{a.name} became {known[a.became].name} in {a.ended.year if a.ended else 'time'}; the reports are about {known[a.became].name}."
        elif not covered and any(p in with_reports for p in a.came_from):
            covered = True
            earlier = [known[p].name for p in a.came_from if p in with_reports]
            formed = {"year": a.began.year if a.began else None, "from": _list(earlier)}
            note = f"{a.name} was formed{f' in {a.began.year}' if a.began else ''}; the reports here are about {_list(earlier)}, before it."
        # A council with reports of its own whose area later passed to another with
        # reports: a question about it after the change is about its successor.
        after = None
        if a.id in with_reports and a.became in with_reports and a.ended:
            successor = known[a.became].name
            after = {
                "year": a.ended.year,
                "note": f"{a.name} became part of {successor} in {a.ended.year}; reports "
                f"from then are about {successor}.",
            }
        # And the other way: a council with reports, formed from others with reports,
        # asked about before it existed.
        before = None
        earlier = [known[p].name for p in a.came_from if p in with_reports]
        if a.id in with_reports and earlier and a.began:
            before = {
                "year": a.began.year,
                "note": f"{a.name} was formed in {a.began.year}; reports before then are "
                f"about {_list(earlier)}.",
            }
        authorities.append(
            {
                "id": a.id,
                "name": a.name,
                "names": [*a.names, *a.places, a.name],
                "covered": covered,
                "note": note,
                "formed": formed,
                "after": after,
                "before": before,
            }
        )

    def of_kind(kind: InspectionKind, report) -> bool:
        text = f"{report.kind} | {report.title}".lower()
        if report.inspection == kind.id:
            return True
        return report.kind.lower() in (kind.id, kind.name.lower()) or any(
            n.lower() in text for n in kind.names
        )

    kinds = [
        {
            "id": k.id,
            "name": k.name,
            "names": list(k.names),
            "names_exact": list(k.names_exact),
            "covered": any(of_kind(k, r) for r in reports),
        }
        for k in vocabularies.kinds
    ]
    inspected = sorted(
        (r for r in reports if r.kind != "press article"), key=lambda r: (r.year or 0, r.id)
    )
    covered_names = [a["name"] for a in authorities if a["covered"] and not a["note"]]
    summary = (
        f"The reports are about {_list(covered_names) if covered_names else 'no council yet'}: "
        + "; ".join(r.short_title for r in inspected)
        + "."
    )
    return {
        "authorities": authorities,
        "elsewhere": list(vocabularies.elsewhere),
        "elsewhere_capitalised": list(vocabularies.elsewhere_capitalised),
        "kinds": kinds,
        "inspection_years": sorted({r.year for r in inspected if r.year}),
        "covered_authorities": covered_names,
        "summary": summary,
    }
