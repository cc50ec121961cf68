"""The Home tab: built by a pure function from the knowledge (and, for curators,
counts), valid for Slack's View model, within Slack's limits with any knowledge
base, escaped, and cached per index build and ISO week."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.views import View

from bot.digest.content import IsoWeek, Spotlight, build_spotlight
from bot.querylog import LoggedQuery
from bot.render.home import CuratorCounts, HomeKnowledge, home_view, newest_report
from bot.slack.home import HomeCache, count_drafts, curator_counts, gather_home
from tests.conftest import displayed_texts
from tests.render.test_blocks import EVIL, RAW, make_hit

LONDON = ZoneInfo("Europe/London")
WEEK = IsoWeek.parse("2026-W48")


def valid(view: dict) -> dict:
    View(**view).validate_json()
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    for block in view["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
    return view


def shown(view: dict) -> str:
    return "\n".join(displayed_texts(view["blocks"]))


@pytest.fixture(scope="module")
def knowledge(search_index) -> HomeKnowledge:
    return gather_home(search_index, week=WEEK, tz=LONDON)


def test_the_home_tab_says_what_the_bot_covers_how_to_ask_and_the_spotlight(
    knowledge, search_index
):
    text = shown(valid(home_view(knowledge)))
    for report in search_index.meta.reports:
        assert report["title"] in text
    assert "inspection report, 24 November 2017" in text
    assert "press article, undated" in text
    # The latest graded judgements, as `/inspection ratings` lists them.
    assert "Latest graded judgements*: Ofsted inspection of children's services, 2017" in text
    assert "• Adoption performance: *Good*" in text
    assert "• Overall effectiveness: *Requires improvement to be good*" in text
    assert "/inspection foster placements for older children" in text
    # This week's spotlight is the digest's for the same week.
    assert {h.kind for h in knowledge.judgements} == {"judgement"}
    spot = knowledge.spotlight
    assert spot is not None and spot.of == 15
    assert f"This week's spotlight* ({WEEK.key})" in text
    assert f"{spot.position} of 15" in text
    # When the knowledge was published, and which date that is.
    assert "published 24 November 2017 (its publication date)" in text
    assert "(the day the search index was built from the curated knowledge)" in text
    assert "For curators" not in text


def test_the_spotlight_follows_the_digest_rotation(search_index):
    from bot.answers import list_records

    recs = list(list_records("recommendation", index=search_index, limit=1000).hits)
    for key in ("2026-W48", "2026-W49", "2027-W01"):
        week = IsoWeek.parse(key)
        home = gather_home(search_index, week=week, tz=LONDON)
        expected = build_spotlight(week, recs, search_index.hit_by_id)
        assert home.spotlight.recommendation.id == expected.recommendation.id


def test_curators_see_counts_and_never_a_question(knowledge):
    counts = CuratorCounts(drafts=2, unanswered=5, not_helpful=1)
    text = shown(valid(home_view(knowledge, curator=counts)))
    assert "For curators" in text
    assert "Drafts awaiting review: *2* in `knowledge/drafts/`" in text
    assert f"This week ({WEEK.key}): *5* unanswered, *1* marked not helpful" in text
    off = shown(valid(home_view(knowledge, CuratorCounts(0, None, None))))
    assert "QUERY_LOG=off" in off and "unanswered" not in off


def test_curator_counts_are_this_weeks_by_the_digests_rules(tmp_path):
    monday = dt.datetime(2026, 11, 23, 0, 30, tzinfo=LONDON)
    before = monday - dt.timedelta(hours=1)  # Sunday night: the week before

    def q(at, answered=True, feedback=None, text="a child's name"):
        return LoggedQuery(at.astimezone(dt.UTC), text, (), answered, feedback, ())

    questions = [
        q(monday, answered=False),
        q(monday + dt.timedelta(days=6, hours=23), answered=False),
        q(before, answered=False),
        q(monday, feedback="not_helpful"),
        q(monday, answered=True),
    ]
    counts = curator_counts(drafts=3, questions=questions, week=WEEK, tz=LONDON)
    assert counts == CuratorCounts(drafts=3, unanswered=2, not_helpful=1)
    assert curator_counts(drafts=0, questions=None, week=WEEK, tz=LONDON).unanswered is None
    drafts = tmp_path / "knowledge" / "drafts"
    drafts.mkdir(parents=True)
    for name in ("a.yaml", "b.yaml", "notes.txt"):
        (drafts / name).write_text("x")
    assert count_drafts(tmp_path / "knowledge") == 2
    assert count_drafts(tmp_path / "nowhere") == 0


def _hostile_knowledge(n_reports: int, n_judgements: int) -> HomeKnowledge:
    huge = "word " * 8000  # 40,000 characters
    reports = tuple(
        {
            "id": f"r{i}",
            "year": 2000 + i % 30,
            "title": f"{EVIL} report {i} {huge if i in (3, 29) else ''}",
            "kind": EVIL,
            "published": f"{2000 + i % 30}-01-{1 + i % 28:02d}",
            "headline": EVIL + huge,
            "url": "https://evil.example|<!channel>" if i % 3 == 1 else f"https://ok.example/{i}",
            "reviewed": True,
        }
        for i in range(n_reports)
    )
    judgements = tuple(
        make_hit(
            id=f"j{i}",
            kind="judgement",
            report_title=EVIL + huge,
            extra={"area": f"{EVIL} area {i} {huge}", "grade": EVIL},
        )
        for i in range(n_judgements)
    )
    themes = tuple({"id": f"t{i}", "label": EVIL + huge} for i in range(500))
    rec = make_hit(
        id="rec", kind="recommendation", quote=EVIL + huge, extra={"number": EVIL, "to": EVIL}
    )
    spotlight = Spotlight(rec, 1, 9000, sections=(EVIL + huge,) * 50, evidence=())
    return HomeKnowledge(
        week=WEEK,
        reports=reports,
        judgements=judgements,
        themes=themes,
        spotlight=spotlight,
        built_on=dt.date(2026, 11, 20),
    )


@pytest.mark.parametrize("size", [(0, 0), (1, 1), (5000, 3000)])
def test_any_knowledge_base_fits_slacks_limits_and_never_pings(size):
    home = _hostile_knowledge(*size)
    for curator in (None, CuratorCounts(10**6, 10**6, 10**6)):
        view = valid(home_view(home, curator=curator))
        dumped = json.dumps(view)
        for raw in RAW:
            assert raw not in dumped, raw
        assert "<https://evil.example|" not in dumped  # a URL with a pipe is never linked
        assert len(dumped) < 60_000
    if size[0]:
        text = shown(view)
        assert f"…and {size[0] - 12} more: `/inspection reports`" in text or size[0] <= 12
        assert "<https://ok.example/" in text  # a plain URL is still a link


def test_with_no_knowledge_the_home_tab_still_says_how_to_ask():
    text = shown(valid(home_view(HomeKnowledge(week=WEEK))))
    assert "No published reports yet." in text and "How to ask" in text
    assert newest_report(()) is None


def test_the_view_is_cached_per_index_build_and_week(knowledge):
    cache = HomeCache()
    built = []

    def build():
        built.append(1)
        return knowledge

    first = cache.get(("fingerprint-a", "2026-W48"), build)
    again = cache.get(("fingerprint-a", "2026-W48"), build)
    assert first == again and cache.builds == 1 == len(built)
    cache.get(("fingerprint-b", "2026-W48"), build)  # the knowledge was republished
    cache.get(("fingerprint-b", "2026-W49"), build)  # a new week: the spotlight moves on
    assert cache.builds == 3


@pytest.mark.parametrize(
    "url", ["https://evil.example|<!channel>", "javascript:alert(1)", "https://a.example/x y"]
)
def test_a_report_url_that_could_forge_a_link_is_not_linked(url):
    report = {"id": "r", "title": "R", "kind": "inspection report", "url": url}
    dumped = json.dumps(valid(home_view(HomeKnowledge(week=WEEK, reports=(report,)))))
    assert "|source>" not in dumped and "<!channel>" not in dumped


# -- the Messages tab's suggested prompts -------------------------------------------


def test_suggested_prompts_come_from_the_knowledge(knowledge):
    from bot.render.home import suggested_prompts

    prompts = suggested_prompts(knowledge)
    assert 3 <= len(prompts) <= 4  # assistant.threads.setSuggestedPrompts takes four
    assert prompts[0] == {"title": "The grades from the 2017 inspection", "message": "ratings"}
    assert prompts[1]["title"].startswith("This week's spotlight: ")
    assert prompts[1]["message"].startswith("recommendations ")
    themes = {t["label"] for t in knowledge.themes}
    assert all(p["title"] in themes for p in prompts[2:])
    assert all(p["message"].startswith("Tell me about ") for p in prompts[2:])
    # The themes Ofsted's recommendations touch, a different pair each week.
    later = gather_home_for(knowledge, "2026-W49")
    assert suggested_prompts(later)[2:] != prompts[2:]


def gather_home_for(knowledge: HomeKnowledge, week: str) -> HomeKnowledge:
    from dataclasses import replace

    return replace(knowledge, week=IsoWeek.parse(week))


@pytest.mark.parametrize("size", [(0, 0), (1, 1), (5000, 3000)])
def test_suggested_prompts_never_carry_markup_and_keep_slacks_count(size):
    from bot.render.home import suggested_prompts

    prompts = suggested_prompts(_hostile_knowledge(*size))
    assert 3 <= len(prompts) <= 4
    for prompt in prompts:
        assert set(prompt) == {"title", "message"}
        assert len(prompt["title"]) <= 60 and len(prompt["message"]) <= 200
        for text in prompt.values():
            assert not set(text) & set("<>@") and "&" not in text


def test_an_empty_knowledge_base_still_suggests_three_prompts():
    from bot.render.home import suggested_prompts

    assert [p["message"] for p in suggested_prompts(HomeKnowledge(week=WEEK))] == [
        "help",
        "reports",
        "themes",
    ]
