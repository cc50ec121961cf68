"""Nothing in knowledge/drafts/ reaches a curated answer, a listing, a comparison,
the scope, the digest or a modal until `kb publish` moves it: not its records, and
not its statistics either (the drafts are indexed apart).

The draft here is the hand-made Northmoor report, with two of its records already
set `reviewed: true`, as a curator mid-review leaves it (the attack that found the
leak did exactly this)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest

from bot.answers import answer, list_records
from bot.config import load_settings
from bot.db.engine import engine_for, sqlite_url
from bot.digest.post import DigestState, dry_run
from bot.drafting import draft_file
from bot.paths import Paths
from bot.querylog import QueryLog
from bot.render.blocks import PASSAGE
from bot.search.service import open_index
from bot.slack import payloads
from tests.conftest import KNOWLEDGE, ROOT, SEEDS
from tests.security.front_door import running_bot
from tests.slack.conftest import env_for, send

FIXTURE = ROOT / "tests" / "fixtures" / "northmoor_focused_visit.txt"
QUESTIONS = [
    "contacts waiting for a management decision",  # the draft's own subject
    "children who go missing from care",
    "is the MASH coping?",
    "what grade did adoption get",
    "front door compared with 2010",
    "what did Ofsted find in 2025?",  # the draft's year: declined, not answered from 2017
    "what is the latest rating?",
    "return interviews after a missing episode",
]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two copies of the knowledge base, the same but for a part-reviewed draft."""
    made = {}
    for name in ("clean", "drafted"):
        root = tmp_path_factory.mktemp(name)
        shutil.copytree(KNOWLEDGE, root / "knowledge", ignore=shutil.ignore_patterns("drafts"))
        shutil.copytree(SEEDS, root / "seeds")
        made[name] = Paths(root / "knowledge", root / "seeds", root / "data")
    result = draft_file(FIXTURE, paths=made["drafted"])
    text = result.path.read_text()
    text = text.replace("reviewed: false", "reviewed: true", 3)  # the report and two records
    result.path.write_text(text)
    made["draft_id"] = result.report_id
    made["draft_records"] = re.findall(r"^- id: (\S+)", text, flags=re.M)
    assert made["draft_records"]
    return made


def _candidates(index, question):
    return [(c.hit.id, round(c.score, 9)) for c in index.search(index.parse(question))]


def test_curated_answers_and_scores_are_identical_with_a_draft_present(sites):
    clean, drafted = open_index(sites["clean"]), open_index(sites["drafted"])
    for question in QUESTIONS:
        assert answer(question, index=drafted).to_json() == answer(question, index=clean).to_json()
        assert _candidates(drafted, question) == _candidates(clean, question), question
    for kind in ("judgement", "recommendation", "figure"):
        assert list_records(kind, index=drafted) == list_records(kind, index=clean)
    assert drafted.meta.reports == clean.meta.reports
    assert sites["draft_id"] not in {r["id"] for r in drafted.meta.reports}


def test_the_drafts_own_index_shows_them_labelled_unreviewed(sites):
    with_drafts = open_index(sites["drafted"].for_drafts())
    result = answer(QUESTIONS[0], index=with_drafts, include_drafts=True)
    drafted = [h for h in result.hits if h.report == sites["draft_id"]]
    assert drafted, "the draft should be findable with --include-drafts"
    assert not any(h.reviewed for h in drafted)  # even the records marked reviewed: true
    assert any("unreviewed drafts" in note for note in result.notes)


def test_the_digest_is_identical_with_a_draft_present(sites, double):
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    texts = []
    for name in ("clean", "drafted"):
        paths = sites[name]
        settings = load_settings(
            {
                **env_for(double, paths.data),
                "INSPECTION_BOT_KNOWLEDGE_DIR": str(paths.knowledge),
                "INSPECTION_BOT_SEEDS_DIR": str(paths.seeds),
            },
            dotenv=False,
        )
        texts.append(
            dry_run(
                index=open_index(paths),
                state=DigestState(engine_for(sqlite_url(paths.data))),
                query_log=QueryLog(engine_for(sqlite_url(paths.data))),
                settings=settings,
                now=now,
            )
        )
    assert texts[0] == texts[1]
    assert "15 recommendations" in texts[1]


@pytest.fixture(scope="module")
def drafted_bot(sites, tmp_path_factory):
    from bot.slack.double import SlackDouble

    paths = sites["drafted"]
    with SlackDouble() as double:
        env = {
            **env_for(double, paths.data),
            "INSPECTION_BOT_KNOWLEDGE_DIR": str(paths.knowledge),
            "INSPECTION_BOT_SEEDS_DIR": str(paths.seeds),
        }
        log = tmp_path_factory.mktemp("log") / "gunicorn.log"
        with running_bot(env, log, workers=1) as bot:
            yield bot, double


def _ask(bot, double, text: str, name: str) -> str:
    status, _ = send(bot.base, payloads.slash_command(text, response_url=double.response_url(name)))
    assert status == 200
    double.wait_for(lambda r: any(x.name == f"/response/{name}" for x in r), timeout=30)
    return json.dumps(double.calls(f"/response/{name}")[0].body)


def test_no_draft_record_reaches_slack_through_the_front_door(drafted_bot, sites):
    bot, double = drafted_bot
    replies = [_ask(bot, double, q, f"q{n}") for n, q in enumerate(["recommendations", *QUESTIONS])]
    for record_id in sites["draft_records"]:
        assert not any(record_id in reply for reply in replies), record_id
    assert not any("Northmoor" in reply for reply in replies)


def test_a_forged_full_passage_press_for_a_draft_record_shows_nothing(drafted_bot, sites):
    bot, double = drafted_bot
    record_id = sites["draft_records"][0]
    value = json.dumps({"id": record_id})
    body = payloads.block_action(PASSAGE, value, response_url=double.response_url("fp"))
    assert send(bot.base, body)[0] == 200
    double.wait_for(lambda r: any(x.name == "/response/fp" for x in r), timeout=30)
    assert "no longer in the index" in json.dumps(double.calls("/response/fp")[0].body)
    assert not double.calls("views.open")


@pytest.fixture(scope="module")
def double():
    from bot.slack.double import SlackDouble

    with SlackDouble() as slack:
        yield slack
