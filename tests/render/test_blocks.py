"""Slack Block Kit rendering: valid blocks, Slack's limits, escaping, nothing cut off."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.answers import answer, list_records
from bot.render.blocks import (
    ACTIONS,
    FEEDBACK,
    MORE,
    PASSAGE,
    SHARE,
    answer_message,
    escape,
    help_message,
    hit_blocks,
    passage_modal,
    split_text,
    text_message,
)
from bot.search.hits import Hit
from tests.conftest import displayed_texts

EVIL = (
    "<!channel> <!here> <!everyone> <@U123ABC> <!subteam^S1|@team> "
    "<https://evil.example|click> & more"
)
RAW = ("<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<!subteam", "<https://evil")
ESCAPED = (
    "&lt;!channel&gt;",
    "&lt;!here&gt;",
    "&lt;!everyone&gt;",
    "&lt;@U123ABC&gt;",
    "&lt;!subteam^S1|@team&gt;",
    "&lt;https://evil.example|click&gt;",
    "&amp; more",
)

CASES = {
    "finding": lambda ix: answer("is the MASH coping?", index=ix),
    "judgement": lambda ix: answer("what grade did adoption get", index=ix),
    "figure": lambda ix: answer("how many children are on child protection plans", index=ix),
    "lost figure": lambda ix: answer(
        "how many children in need were there in March 2017", index=ix
    ),
    "recommendation": lambda ix: answer("what should they do about supervision", index=ix),
    "comparison": lambda ix: answer("has supervision got better since 2010", index=ix),
    "ratings": lambda ix: answer("ratings", index=ix),
    "second page": lambda ix: answer("foster carers", index=ix, offset=3),
    "figures listing": lambda ix: list_records("figure", index=ix),
    "figures on adoption": lambda ix: list_records("figure", index=ix, theme="adoption"),
    "recommendations listing": lambda ix: list_records("recommendation", index=ix),
    "judgements listing": lambda ix: list_records("judgement", index=ix),
    "unanswerable": lambda ix: answer("weather tomorrow", index=ix),
    "empty": lambda ix: answer("", index=ix),
}
MODES = {
    "ephemeral": {},
    "in channel": {"ephemeral": False},
    "shared": {"shared_by": "U999"},
}


@pytest.fixture(scope="module")
def labels(search_index) -> dict[str, str]:
    return {t["id"]: t["label"] for t in search_index.meta.themes}


def make_hit(**overrides) -> Hit:
    fields = {
        "id": "test-hit",
        "kind": "finding",
        "category": "weakness",
        "report": "poole-2017",
        "report_title": "Test report",
        "report_date": "2017-11-24",
        "source": "seed.txt",
        "section": "Executive summary",
        "summary": "The hub is short of staff.",
        "quote": "The hub is short of staff.",
        "passage": "The hub is short of staff.",
        "lines": (10, 12),
    }
    return Hit(**{**fields, **overrides})


def buttons(blocks: list[dict]) -> list[dict]:
    found = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    for block in blocks:
        if block["type"] == "actions":
            found += [e for e in block["elements"] if e["type"] == "button"]
    return found


def feedback_buttons(blocks: list[dict]) -> dict | None:
    """The feedback buttons element an answer ends with (None when it has none)."""
    if not blocks or blocks[-1]["type"] != "context_actions":
        assert all(b["type"] != "context_actions" for b in blocks)
        return None
    (element,) = blocks[-1]["elements"]
    assert element["type"] == "feedback_buttons" and element["action_id"] == FEEDBACK
    return element


def feedback_value(blocks: list[dict], side: str = "negative") -> dict:
    return json.loads(feedback_buttons(blocks)[f"{side}_button"]["value"])


def button(blocks: list[dict], action_id: str) -> dict:
    (found,) = [b for b in buttons(blocks) if b["action_id"] == action_id]
    return found


def assert_within_slack_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= 50
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            fields = block.get("fields", [])
            assert len(fields) <= 10
            assert all(len(f["text"]) <= 2000 for f in fields)
        elif block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
    for b in buttons(blocks):
        assert b["action_id"] in ACTIONS
        assert len(b["value"]) <= 2000
    element = feedback_buttons(blocks)
    if element:
        for side in ("positive_button", "negative_button"):
            assert len(element[side]["value"]) <= 2000
            assert len(element[side]["accessibility_label"]) <= 75


def shown_text(message) -> str:
    """Everything Slack would display: the fallback and every `text` in the blocks."""
    return json.dumps([message.text, *displayed_texts(message.blocks)])


def quoted_lines(blocks: list[dict]) -> list[str]:
    """The blockquoted lines of every section, without their `> ` markers."""
    return [
        line[2:]
        for block in blocks
        if block["type"] == "section" and "text" in block
        for line in block["text"]["text"].split("\n")
        if line.startswith("> ")
    ]


# -- every kind of answer is valid Block Kit within Slack's limits ----------------------


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_answers_are_valid_block_kit_within_limits(search_index, labels, case, mode):
    message = answer_message(case(search_index), theme_labels=labels, **mode)
    assert message.blocks
    assert 0 < len(message.text) <= 3000
    assert_within_slack_limits(message.blocks)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_button_values_are_json_state_for_the_answer(search_index, labels, case):
    result = case(search_index)
    blocks = answer_message(result, theme_labels=labels).blocks
    for b in buttons(blocks):
        value = json.loads(b["value"])
        if b["action_id"] == PASSAGE:
            assert value["id"] in {h.id for h in result.hits}
        else:
            assert value["q"] == result.query


def test_a_finding_answer_in_full(search_index, labels):
    result = answer("is the MASH coping?", index=search_index)
    blocks = answer_message(result, theme_labels=labels).blocks
    assert [b["type"] for b in blocks] == [
        "header",
        *["section", "context"] * 3,
        "actions",
        "context_actions",
    ]
    assert blocks[0]["text"]["text"] == "Findings"
    assert blocks[1]["text"]["text"].startswith(
        "*1. Weakness: Police notifications are not all good quality or serious enough "
        "for social care, so MASH social workers are pressed gathering unnecessary "
        "information.*\n> “"
    )
    assert json.loads(blocks[1]["accessory"]["value"]) == {"id": "poole-2017-help-findings-04"}
    assert [b["action_id"] for b in blocks[-2]["elements"]] == [SHARE, MORE]
    assert json.loads(button(blocks, SHARE)["value"]) == {
        "q": "is the MASH coping?",
        "o": 0,
        "n": 3,
    }
    assert json.loads(button(blocks, MORE)["value"]) == {"q": "is the MASH coping?", "o": 3}
    # Slack's feedback buttons end the answer: a thumbs down carries what was shown.
    assert feedback_value(blocks) == {
        "q": "is the MASH coping?",
        "o": 0,
        "ids": [h.id for h in result.hits],
        "f": "down",
    }
    assert feedback_value(blocks, "positive") == {"f": "up"}


def test_a_judgement_answer_has_the_grade_at_a_glance(search_index, labels):
    result = answer("what grade did adoption get", index=search_index)
    blocks = answer_message(result, theme_labels=labels).blocks
    assert [b["type"] for b in blocks] == [
        "header",
        "section",
        "section",
        "context",
        "actions",
        "context_actions",
    ]
    assert blocks[0]["text"]["text"] == "Graded judgements"
    assert [f["text"] for f in blocks[1]["fields"]] == ["Adoption performance", "*Good*"]
    # One answer, so no "More results".
    assert [b["action_id"] for b in blocks[-2]["elements"]] == [SHARE]


def test_a_figure_answer_shows_the_value_with_its_date(search_index, labels):
    result = answer("how many children are on child protection plans", index=search_index)
    message = answer_message(result, theme_labels=labels)
    assert message.blocks[0]["text"]["text"] == "Figures"
    assert message.blocks[1]["fields"][:2] == [
        {"type": "mrkdwn", "text": "Children subject to a child protection plan"},
        {"type": "mrkdwn", "text": "*106 children (35 per 10,000 children)*"},
    ]
    assert message.text.startswith(
        "Figures for “how many children are on child protection plans”: Children subject to "
        "a child protection plan: 106 children (35 per 10,000 children) (as at 12 September 2017)"
    )


def test_a_figure_is_shown_in_the_reports_own_words_where_it_rounds(search_index, labels):
    # The value 30000 is what the quote proves; "approximately" is what it says.
    result = answer("how many children live in Poole", index=search_index)
    message = answer_message(result, theme_labels=labels)
    assert message.blocks[1]["fields"][:2] == [
        {"type": "mrkdwn", "text": "Children and young people under 18 living in Poole"},
        {"type": "mrkdwn", "text": "*approximately 30,000 children*"},
    ]


def test_unanswerable_question_names_the_closest_themes(search_index, labels):
    message = answer_message(answer("weather tomorrow", index=search_index), theme_labels=labels)
    text = (
        "The inspection reports don't cover that. Closest topics they do cover: Children "
        "looked after, Child protection, Leadership, governance and scrutiny."
    )
    assert message.text == text
    assert message.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Try `/inspection themes` for what the reports cover."}
            ],
        },
    ]


def test_an_empty_question_asks_for_one(search_index, labels):
    message = answer_message(answer("", index=search_index), theme_labels=labels)
    assert message.text.startswith(
        "Ask a question, for example: what did Ofsted say about the out-of-hours service? "
        "Closest topics they do cover: "
    )
    assert not buttons(message.blocks) and feedback_buttons(message.blocks) is None


def test_comparison_puts_the_inspections_side_by_side_oldest_first(search_index, labels):
    result = answer("has supervision got better since 2010", index=search_index)
    blocks = answer_message(result, theme_labels=labels).blocks
    assert blocks[0]["text"]["text"] == "Then and now"
    (overview,) = [b for b in blocks if "fields" in b]
    columns = [f["text"].split("\n")[0] for f in overview["fields"]]
    assert columns == ["*2010*", "*2017*"]
    assert all(
        line.startswith("• ") for f in overview["fields"] for line in f["text"].split("\n")[1:]
    )
    dividers = [
        b["text"]["text"] for b in blocks if b.get("text", {}).get("text") in ("*2010*", "*2017*")
    ]
    assert dividers == ["*2010*", "*2017*"]


def test_a_shared_answer_says_who_shared_it_and_has_no_share_button(search_index, labels):
    result = answer("is the MASH coping?", index=search_index)
    blocks = answer_message(result, theme_labels=labels, shared_by="U999").blocks
    assert blocks[0] == {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "Shared by <@U999>:"},
            {"type": "plain_text", "text": "“is the MASH coping?”", "emoji": False},
        ],
    }
    actions = [b["action_id"] for b in buttons(blocks)]
    assert SHARE not in actions and feedback_buttons(blocks) is None
    assert actions == [PASSAGE, PASSAGE, PASSAGE, MORE]


def test_an_in_channel_answer_has_no_share_button(search_index, labels):
    result = answer("is the MASH coping?", index=search_index)
    blocks = answer_message(result, theme_labels=labels, ephemeral=False).blocks
    assert [b["action_id"] for b in blocks[-2]["elements"]] == [MORE]
    assert feedback_buttons(blocks) is not None


def test_a_long_listing_keeps_within_50_blocks_and_keeps_the_buttons(search_index, labels):
    result = list_records("figure", index=search_index, limit=30)
    blocks = answer_message(result, theme_labels=labels).blocks
    assert len(blocks) <= 50
    assert_within_slack_limits(blocks)
    assert [b["type"] for b in blocks[-2:]] == ["actions", "context_actions"]
    assert blocks[-3]["elements"][0]["text"] == "More than fits in one message: use *More results*."


def test_records_left_out_to_fit_are_where_more_results_starts(search_index, labels):
    result = list_records("figure", index=search_index, limit=30)
    blocks = answer_message(result, theme_labels=labels).blocks
    shown = [json.loads(b["value"])["id"] for b in buttons(blocks) if b["action_id"] == PASSAGE]
    assert 0 < len(shown) < len(result.hits)  # the page did not fit
    assert shown == [h.id for h in result.hits[: len(shown)]]
    next_offset = json.loads(button(blocks, MORE)["value"])["o"]
    assert next_offset == result.offset + len(shown)
    not_helpful = feedback_value(blocks)["ids"]
    assert not_helpful == shown  # "wrong quote" names only what was on screen


# -- escaping ---------------------------------------------------------------------------


def test_escape_slacks_control_characters():
    assert escape("Tom & Jerry <b> 1 > 0") == "Tom &amp; Jerry &lt;b&gt; 1 &gt; 0"
    assert escape("&lt;") == "&amp;lt;"
    assert escape("plain text") == "plain text"


@pytest.mark.parametrize(
    "question",
    [EVIL, f"is the MASH coping? {EVIL}", f"weather tomorrow {EVIL}"],
    ids=["alone", "with a question", "unanswerable"],
)
@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
def test_mentions_and_links_in_a_question_are_shown_never_interpreted(
    search_index, labels, question, mode
):
    result = answer(question, index=search_index)
    message = answer_message(result, theme_labels=labels, **mode)
    rendered = shown_text(message)
    assert [raw for raw in RAW if raw in rendered] == []
    if result.answered:
        # The question itself appears, escaped, in the fallback text.
        assert all(escaped in message.text for escaped in ESCAPED)
    if "shared_by" in mode:
        assert all(escaped in message.blocks[0]["elements"][1]["text"] for escaped in ESCAPED)


def test_mentions_in_a_source_are_escaped_too():
    hit = make_hit(summary=f"Summary {EVIL}", quote=f"Quote {EVIL}", section=f"Section {EVIL}")
    rendered = json.dumps(hit_blocks(hit, 1))
    assert [raw for raw in RAW if raw in rendered] == []
    assert json.dumps("&lt;!channel&gt;")[1:-1] in rendered


def test_text_message_is_escaped():
    message = text_message(f"Thanks {EVIL}")
    assert message.text == f"Thanks {escape(EVIL)}"
    assert message.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Thanks {escape(EVIL)}"}}
    ]


# -- long text is split, never cut --------------------------------------------------------


def long_prose(n: int) -> str:
    return " ".join(
        f"Sentence {i} says that the child{i} was seen{'!' if i % 7 == 0 else '.'}"
        for i in range(n)
    )


def test_short_text_is_one_chunk():
    assert split_text("Short. Text.", 3000) == ["Short. Text."]


def test_split_text_breaks_at_sentence_ends():
    assert split_text("One. Two. Three.", 9) == ["One. Two.", "Three."]
    assert split_text("Why? Because! Yes.", 13) == ["Why? Because!", "Yes."]


def test_long_text_splits_into_chunks_within_the_limit_losing_nothing():
    text = long_prose(210)
    assert len(text) == 9439
    chunks = split_text(text, 3000)
    assert len(chunks) == 4
    assert all(len(chunk) <= 3000 for chunk in chunks)
    assert all(chunk.endswith((".", "!")) for chunk in chunks)
    assert " ".join(chunks) == text


def test_split_text_normalises_whitespace_between_sentences_only():
    text = long_prose(100).replace(". ", ".\n\n  ")
    chunks = split_text(text, 1000)
    assert all(len(chunk) <= 1000 for chunk in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_one_long_sentence_without_full_stops_splits_at_spaces():
    text = " ".join(f"word{i}" for i in range(1100))[:7000].rstrip()
    assert len(text) >= 6990 and "." not in text
    chunks = split_text(text, 3000)
    assert len(chunks) == 3
    assert all(len(chunk) <= 3000 for chunk in chunks)
    assert " ".join(chunks) == text


def test_a_long_sentence_between_short_ones_keeps_its_place():
    long_sentence = " ".join(["word"] * 30)  # 149 characters
    text = f"First. {long_sentence} Last."
    chunks = split_text(text, 50)
    assert all(len(chunk) <= 50 for chunk in chunks)
    assert chunks[0] == "First."
    assert chunks[-1].endswith("Last.")
    assert " ".join(chunks) == text


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.tuples(
            st.text(alphabet="abcdefghij", min_size=1, max_size=12),
            st.sampled_from(["", "", "", ".", "!", "?", ","]),
        ),
        min_size=1,
        max_size=120,
    ),
    limit=st.integers(min_value=13, max_value=300),
)
def test_split_text_property(words, limit):
    text = " ".join(word + mark for word, mark in words)
    chunks = split_text(text, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert " ".join(chunks) == text


def test_a_very_long_quote_keeps_every_word_across_its_sections():
    quote = long_prose(210)
    assert len(quote) == 9439
    hit = make_hit(quote=quote)
    blocks = hit_blocks(hit, 1)
    assert_within_slack_limits(blocks)
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 4
    assert sections[0]["text"]["text"].startswith("*1. Weakness: The hub is short of staff.*\n> “")
    assert " ".join(quoted_lines(blocks)) == f"“{quote}”"
    assert blocks[-1] == {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": "Test report, 24 November 2017 · Executive summary · seed.txt lines 10–12",
            }
        ],
    }


def test_a_long_quote_full_of_ampersands_stays_within_the_section_limit():
    quote = " ".join(["Police & health partners attend strategy meetings."] * 200)
    blocks = hit_blocks(make_hit(quote=quote), 1)
    assert max(len(b["text"]["text"]) for b in blocks if b["type"] == "section") <= 3000


def test_button_values_stay_valid_json_for_a_long_non_ascii_question(search_index, labels):
    result = answer("is the MASH coping? " + "é" * 1000, index=search_index)
    for b in buttons(answer_message(result, theme_labels=labels).blocks):
        assert len(b["value"]) <= 2000
        json.loads(b["value"])


def test_a_long_question_keeps_button_values_within_limit(search_index, labels):
    question = "is the MASH coping? " + "really " * 600
    result = answer(question, index=search_index)
    blocks = answer_message(result, theme_labels=labels).blocks
    assert_within_slack_limits(blocks)
    value = button(blocks, SHARE)["value"]
    carried = json.loads(value)["q"]
    assert len(value) <= 2000 and len(carried) > 1500
    assert question.startswith(carried)  # shortened, never altered


# -- the full passage modal ----------------------------------------------------------------


def test_passage_modal_for_a_real_hit(search_index):
    hit = answer("is the MASH coping?", index=search_index).hits[0]
    modal = passage_modal(hit)
    View(**modal).validate_json()
    assert modal["type"] == "modal"
    assert modal["callback_id"] == "full_passage_modal"
    assert modal["title"] == {"type": "plain_text", "text": "Full passage"}
    assert len(modal["title"]["text"]) <= 24
    assert_within_slack_limits(modal["blocks"])
    assert modal["blocks"][0]["text"]["text"] == (
        "*Weakness: Police notifications are not all good quality or serious enough for "
        "social care, so MASH social workers are pressed gathering unnecessary information.*"
    )

    # Letters and digits, as the quote's proof matches: the source lost an apostrophe
    # ("childrens") that the curated quote restores.
    def letters(text):
        return re.sub(r"[^a-z0-9]", "", text.lower())

    assert letters(hit.quote) in letters(" ".join(quoted_lines(modal["blocks"])))
    assert modal["blocks"][-1]["elements"][0]["text"] == (
        "The quote stands at lines 385–387 of 000_de87dc580cd60475.txt."
    )


def test_passage_modal_for_a_long_passage_keeps_every_word():
    passage = long_prose(210)
    modal = passage_modal(make_hit(passage=passage, lines=(5, 5)))
    View(**modal).validate_json()
    assert_within_slack_limits(modal["blocks"])
    assert " ".join(quoted_lines(modal["blocks"])) == passage
    # One line: no "the quote stands at lines" note.
    assert modal["blocks"][-1]["elements"][0]["text"].endswith("seed.txt line 5")


# -- help --------------------------------------------------------------------------------


def help_text(message) -> str:
    return message.blocks[1]["text"]["text"]


def test_help_with_the_query_log_says_what_is_kept_and_for_how_long():
    message = help_message(query_log=True)
    assert_within_slack_limits(message.blocks)
    assert message.text == "How to use /inspection"
    assert help_text(message).endswith(
        "_Questions are logged without your name or channel, and kept for 8 weeks, so "
        "curators can see what the reports don't answer._"
    )


def test_help_without_the_query_log_says_questions_are_not_logged():
    text = help_text(help_message(query_log=False))
    assert text.endswith("_Questions are not logged (QUERY_LOG=off)._")
    assert "logged without" not in text and "weeks" not in text


def test_help_names_the_councils_the_knowledge_base_covers_and_settings_where_they_exist():
    text = help_text(help_message(query_log=True, councils=("Northmoor <City> Council",)))
    assert "children's services of Northmoor &lt;City&gt; Council." in text
    assert "/inspection settings" not in text
    many = help_text(help_message(query_log=True, workspace_settings=True))
    assert "• `/inspection settings`: workspace admins choose the digest channel" in many


@pytest.mark.parametrize(
    "case", ["help for care leavers", "early help", "figures on adoption", "reports of abuse"]
)
def test_help_lists_the_questions_that_look_like_commands(case):
    assert f"`{case}`" in help_text(help_message(query_log=True))


@pytest.mark.parametrize(
    "question",
    ["*urgent* ~not~ is the MASH coping?", "is the \u202emash\u202c coping? \u2066x\u2069"],
)
def test_the_sharers_words_are_plain_text_without_direction_controls(
    search_index, labels, question
):
    result = answer(question, index=search_index)
    shared_line = answer_message(result, theme_labels=labels, shared_by="U1").blocks[0]
    words = shared_line["elements"][1]
    assert words["type"] == "plain_text"  # Slack applies no *bold* or ~strike~ here
    assert not set(words["text"]) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "MASH" in words["text"].upper()


def test_fit_keeps_the_buttons_and_the_feedback_buttons_after_them():
    from bot.render.blocks import feedback_block, fit

    hit = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}, _ctx("source")]
    actions = {"type": "actions", "elements": []}
    feedback = feedback_block({"q": "q", "o": 0}, ["a"])
    blocks = fit(hit * 40 + [actions, feedback])
    assert len(blocks) <= 50 and blocks[-2:] == [actions, feedback]
    assert blocks[-3]["elements"][0]["text"].startswith("More than fits in one message")


def _ctx(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def test_a_decline_that_shows_quotes_ends_with_feedback_buttons_and_a_bare_one_does_not(
    search_index, labels
):
    from dataclasses import replace

    shown = answer("is the MASH coping?", index=search_index)
    decline = replace(shown, answered=False, notes=("Not about Poole.",))
    blocks = answer_message(decline, theme_labels=labels).blocks
    assert_within_slack_limits(blocks)
    assert feedback_value(blocks)["ids"] == [h.id for h in shown.hits]
    bare = answer_message(replace(decline, hits=()), theme_labels=labels).blocks
    assert feedback_buttons(bare) is None


def test_a_number_the_reports_never_give_says_so_above_the_nearest_not_as_the_answer(
    search_index, labels
):
    declined = answer("how many social workers does poole employ", index=search_index)
    blocks = answer_message(declined, theme_labels=labels).blocks
    assert_within_slack_limits(blocks)
    texts = displayed_texts(blocks)
    note = next(i for i, t in enumerate(texts) if "give no number for this" in t)
    lead = next(i for i, t in enumerate(texts) if "Not an answer: the nearest" in t)
    first_quote = next(i for i, t in enumerate(texts) if declined.hits[0].quote[:40] in t)
    assert note < lead < first_quote
