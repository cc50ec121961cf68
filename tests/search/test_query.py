"""Query understanding on its own: user text in, structured query out."""

from __future__ import annotations

import pytest

from bot.search.query import GlossaryForms, parse_query

GLOSSARY = GlossaryForms.build(
    [
        {
            "term": "MASH",
            "expansions": ["multi-agency safeguarding hub"],
            "synonyms": ["front door"],
        },
        {
            "term": "children looked after",
            "expansions": [],
            "synonyms": ["children in care", "kids in care"],
        },
        {"term": "Prevent", "expansions": ["Prevent duty"], "synonyms": ["counter-radicalisation"]},
    ]
)
THEMES = ("adoption", "care-leavers", "out-of-hours")


def parse(text: str):
    return parse_query(text, glossary=GLOSSARY, theme_ids=THEMES)


def alternatives(parsed, label):
    return next(g.alternatives for g in parsed.groups if g.label == label)


def test_a_question_mark_is_punctuation_not_a_wildcard():
    parsed = parse("is the MASH coping?")
    assert parsed.topic_words == ["mash", "coping"]
    assert all("?" not in w for g in parsed.groups for a in g.alternatives for w in a)


def test_filler_and_question_words_are_dropped():
    assert parse("what did Ofsted say about the out of hours service?").topic_words == [
        "out",
        "hours",
        "service",
    ]


def test_glossary_expands_an_acronym_to_its_meaning():
    assert ("multi", "agency", "safeguarding", "hub") in alternatives(
        parse("is the MASH coping"), "mash"
    )


def test_glossary_expands_a_meaning_back_to_the_acronym():
    parsed = parse("multi-agency safeguarding hub capacity")
    assert ("mash",) in alternatives(parsed, "multi agency safeguarding hub")


def test_everyday_words_map_to_the_reports_words():
    parsed = parse("kids in care stability")
    assert ("children", "looked", "after") in alternatives(parsed, "kids in care")


def test_an_everyday_word_that_is_also_a_programme_needs_its_capital():
    assert parse("how do they prevent escalation").groups[0].kind == "word"
    assert [g.kind for g in parse("training on Prevent").groups if g.label == "prevent"] == [
        "glossary"
    ]


def test_quoted_phrases_stay_phrases():
    parsed = parse('"police custody" overnight')
    assert parsed.groups[0].alternatives == (("police", "custody"),)
    assert parsed.groups[0].kind == "phrase"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("year:2017 adoption", "year", 2017),
        ("report:2010 supervision", "report", "2010"),
        ("theme:adoption delays", "theme", "adoption"),
        ("theme:leavers", "theme", "care-leavers"),
        ("kind:recommendation supervision", "kind", "recommendation"),
        ("kind:recommendations", "kind", "recommendation"),
    ],
)
def test_filters_are_typed_and_removed_from_the_text(text, field, value):
    parsed = parse(text)
    assert getattr(parsed.filters, field) == value
    assert ":" not in parsed.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what grade did adoption get", "judgement"),
        ("overall rating", "judgement"),
        ("how many children are on child protection plans", "figure"),
        ("what should they do about supervision", "recommendation"),
        ("has supervision got better since 2010", "comparison"),
        ("compare assessments 2010 and 2017", "comparison"),
        ("foster placements for older children", "finding"),
        ("kind:figure children looked after", "figure"),
        # "Rate" as a verb asks for a grade; as a noun, for a number.
        ("how did ofsted rate services for children in care", "judgement"),
        ("would inspectors rate the mash highly", "judgement"),
        ("what's the re-referral rate", "figure"),
        ("do staff rate their managers", "finding"),
        ("do sws rate the in-house courses", "finding"),
        ("recs for the safeguarding board", "recommendation"),
        ("what's the rec about one-to-ones", "recommendation"),
        # What the letter regarded as satisfactory, not a number.
        ("what did the 2010 letter count as satisfactory practice", "finding"),
        ("what do they need to fix in the MASH", "recommendation"),
        # Whether recommendations were acted on is what was found.
        ("did poole act on the recommendations from the 2011 inspection", "finding"),
        ("did the DCS deal with the to-dos left from the previous round", "finding"),
        ("what should they do to address the MASH's capacity", "recommendation"),
        # A problem or a praise across inspections is set against the earlier one.
        ("has supervision always been good", "comparison"),
        ("was training praised both times", "comparison"),
        ("is recording children's views a long standing problem", "comparison"),
        ("were delays in assessments a problem before too", "comparison"),
        # A time, not two set side by side: the grade then is asked.
        ("what grades did the borough get last time round", "judgement"),
        ("how many FGM referrals in the past six months", "figure"),
        # Whether something was put right is what was found, not what to put right.
        ("did the improvement board actually fix the big problems", "finding"),
        # What Ofsted wants, asks of or requires of the council.
        ("what do inspectors want written down when parents say no", "recommendation"),
        ("what did the inspectorate ask of that switch", "recommendation"),
        ("what the inspectorate requires of this authority on placements", "recommendation"),
        ("what's been asked so children aren't left in limbo", "recommendation"),
        # What must be done, asked of the thing rather than of Ofsted.
        ("what action is required on the out of hours team", "recommendation"),
        ("core group work - anything needed?", "recommendation"),
        ("were improvements necessary in return interviews", "recommendation"),
        # Needs that are not the inspectors' to set are not.
        ("what help is needed by families in poverty", "finding"),
        # Asking children what they think, or wanting to know, is not.
        ("what did inspectors ask care leavers about", "finding"),
        ("what did inspectors want to know about the MASH", "finding"),
        ("what are they meant to do about the lack of foster carers", "recommendation"),
        ("do pathway plans pick up what young people want to do with their lives", "finding"),
        ("list the to-do items they were given", "recommendation"),
        ("do they have decent data on whether early help is working", "finding"),
        ("what improvement did the report ask for in supervision", "recommendation"),
        ("what mark did adoption get", "judgement"),
        ("is adoption any good", "judgement"),
        ("which area did best", "judgement"),
        ("the weakest graded parts of the service", "judgement"),
        ("best practice in supervision", "finding"),
        # Whoever is told or asks: recommendations come from the inspectors.
        ("what did ofsted tell the LSCB to do", "recommendation"),
        ("what did the inspectors ask for on the out of hours service", "recommendation"),
        ("were partners slow to hand over what social care asked for", "finding"),
        ("which parts did ofsted rate highest", "judgement"),
        ("the night team was fine in 2010 - so what went wrong by 2017?", "comparison"),
        # The result as a thing, with a weakness asked for: what it found.
        ("what's the most damning bit of the ofsted verdict", "finding"),
        ("how was the front door marked - below par?", "judgement"),
        ("What's the action point on stepping cases down to early help?", "recommendation"),
        ("was there an ask about children's heritage being taken into account", "recommendation"),
        ("did poole pass", "judgement"),
        ("pass or fail?", "judgement"),
        ("is there a free swim pass for care leavers", "finding"),
        ("was information passed on quickly", "finding"),
        ("how did we do overall in the 2017 inspection", "judgement"),
        ("how did the safeguarding board come out of its review?", "judgement"),
        ("how did care leavers get on at university", "finding"),
        ("were care leavers unaware of a discount pass for gyms", "finding"),
        ("which areas did ofsted judge good in 2017", "judgement"),
        ("did the report judge anything inadequate", "judgement"),
        ("what did the judge say about the council's court work", "finding"),
        ("did inspectors want better fallback plans", "recommendation"),
        ("which areas got good", "judgement"),
        ("ofsted's ask re the front door?", "recommendation"),
        ("did social workers ask on every visit whether the child felt safe", "finding"),
        ("is the front door better than in 2010", "comparison"),
    ],
)
def test_intent(text, intent):
    assert parse(text).intent == intent


def test_comparison_years_are_not_search_terms():
    parsed = parse("has supervision got better since 2010")
    assert parsed.topic_words == ["supervision"]
    assert parsed.years == (2010,)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "?",
        "*",
        "title:secret OR body:*",
        "NOT adoption",
        "adopt* AND [a TO z]",
        'unbalanced "quote about fostering',
        '"',
        "emoji 🙈👶🏽 in care",
        "x" * 4000,
        "word " * 1000,
        "<!channel> <@U12345> <!subteam^S123|@team> <https://evil.example|click> adoption",
        "\x00\x07control\x1b[31m chars",
        "(((((",
        "a:b:c:d year:abcd theme:",
    ],
)
def test_hostile_input_never_raises_and_never_keeps_query_syntax(text):
    parsed = parse(text)
    for group in parsed.groups:
        for alternative in group.alternatives:
            for word in alternative:
                assert word.isalnum(), word
    assert len(parsed.groups) <= 24


def test_slack_markup_is_not_searched():
    parsed = parse("<!channel> <@U12345> adoption <https://x.example|timeliness>")
    assert parsed.topic_words == ["adoption", "timeliness"]


def test_boolean_words_are_ordinary_words():
    parsed = parse("NOT adoption OR fostering")
    assert "not" not in parsed.topic_words
    assert parsed.topic_words == ["adoption", "fostering"]


def test_empty_text_is_empty():
    assert parse("").empty
    assert parse("what did they say?").intent == "finding"


@pytest.mark.parametrize(
    ("text", "cue"),
    [("front door 2010 and 2017", "2010 and 2017"), ("caseloads 2019 vs 2022", "2019 vs 2022")],
)
def test_two_years_set_against_each_other_make_a_comparison_whatever_the_years(text, cue):
    parsed = parse_query(text)
    assert parsed.intent == "comparison" and cue.split()[0] in parsed.cue_words


@pytest.mark.parametrize(
    "text",
    [
        "number of kids on child protection plans, and has it gone up since march?",
        "how many children are looked after now, and has that changed since the start of the year",
    ],
)
def test_a_change_since_a_month_is_a_figure_not_two_inspections(text):
    assert parse_query(text).intent == "figure"
    # Since a year, it is one inspection against another.
    for since_a_year in ("changed since 2010", "gone up since march 2010"):
        assert parse_query(f"child protection plans {since_a_year}").intent == "comparison"


def test_the_councils_named_help_rank_but_are_not_a_required_topic():
    parsed = parse_query("poole's adoption timeliness", place_words=frozenset({"poole", "pooles"}))
    soft = {g.label for g in parsed.groups if g.soft}
    assert "poole" in soft or "pooles" in soft
    assert "poole" not in parsed.topic_words and "pooles" not in parsed.topic_words


def test_how_well_something_was_graded_is_not_a_topic_of_a_grade_question():
    parsed = parse("did ofsted rate the lscb highly")
    assert parsed.intent == "judgement"
    assert parsed.topic_words == ["lscb"]
    # In a finding question the same word may be the point ("poorly recorded").
    assert "poorly" in parse("are plans poorly recorded").topic_words


def test_words_that_set_the_intent_are_not_expanded_as_a_topic():
    # "Any cop" asks how good something is; "cop" is not the police here.
    glossary = GlossaryForms.build([{"term": "police", "synonyms": ["cops"]}])
    parsed = parse_query("is the kids department any cop", glossary=glossary)
    assert parsed.intent == "judgement"
    assert all(g.label != "cop" and ("police",) not in g.alternatives for g in parsed.groups)
    assert any(
        ("police",) in g.alternatives
        for g in parse_query("do the cops help", glossary=glossary).groups
    )


def test_what_frames_a_list_of_recommendations_is_not_its_topic():
    parsed = parse("list the main recommendations they gave")
    assert parsed.intent == "recommendation"
    assert parsed.empty


@pytest.mark.parametrize(
    "text",
    [
        "list every graded judgement from the 2017 report. Need it for the board pack on Thursday, thanks",
        "list every graded judgement from the 2017 report - it's for a briefing note",
        "list every graded judgement from the 2017 report, many thanks in advance",
    ],
)
def test_what_a_question_is_for_is_not_what_it_is_about(text):
    parsed = parse_query(text)
    assert not {"board", "pack", "thursday", "briefing", "note", "advance"} & set(
        parsed.topic_words
    )
    assert parsed.intent == "judgement"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "Ahead of scrutiny committee on Monday, how many children were on CP plans?",
            ["children", "cp", "plans"],
        ),
        ("For the board paper on Thursday: what did Ofsted say about the MASH", ["mash"]),
        (
            "prepping for tomorrow's panel - care leavers and housing",
            ["care", "leavers", "housing"],
        ),
        ("For children in care, what did Ofsted say about health?", ["children in care", "health"]),
        ("on the flip side, what did ofsted praise about the MASH", ["mash"]),
        ("how heavily does the council rely on locums", ["rely", "locums"]),
        ("camhs waits, is that a known problem?", ["camhs", "waits"]),
    ],
)
def test_the_occasion_a_question_is_asked_for_is_not_its_topic(text, topic):
    assert parse(text).topic_words == topic


def test_a_topic_written_where_an_occasion_might_be_stays_the_topic():
    assert "adoption" in parse("For the board paper on adoption, what did Ofsted say?").topic_words


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("what were the 2010 strengths, in short?", []),
        ("supervision then and now, in a couple of lines pls", ["supervision"]),
        ("give me a line for the paper on how care leavers are doing", ["care", "leavers"]),
        ("tl;dr on the MASH", ["mash"]),
    ],
)
def test_how_long_an_answer_should_be_and_what_it_is_for_are_not_its_topic(text, topic):
    parsed = parse_query(text)
    assert parsed.topic_words == topic
    # "The paper" an answer is for is not the press it would be quoting.
    assert "press" not in parsed.prefer


@pytest.mark.parametrize(
    "text",
    [
        "anything they were NOT happy with on strategy discussions?",
        "what wasn't working in the MASH",
        "what was the virtual school head not doing",
    ],
)
def test_a_negatively_framed_question_asks_for_weaknesses(text):
    parsed = parse_query(text)
    assert "weakness" in parsed.prefer
    assert not {"happy", "working", "doing"} & set(parsed.topic_words)


def test_asking_for_the_exact_quote_is_no_topic():
    # Every answer quotes the reports word for word.
    parsed = parse_query("what's the actual quote, the exact wording, on supervision")
    assert parsed.topic_words == ["supervision"]


def test_a_number_per_worker_asks_for_a_figure_and_keeps_its_topic():
    parsed = parse_query("whats the average caseload per social worker")
    assert parsed.intent == "figure"
    assert "caseload" in parsed.topic_words


def test_who_found_it_is_not_what_it_is_about():
    # HMI, like Ofsted and the inspectors, frames a question; it is its topic only
    # when counted.
    parsed = parse_query("what did HMI say about supervision")
    assert parsed.topic_words == ["supervision"]
    assert "hmis" in parse_query("how many HMIs turned up").topic_words


@pytest.mark.parametrize(
    "text",
    [
        "did they tell social workers to get better at recording identity",
        "were they told to get better at return interviews",
        "was the council asked to improve supervision",
    ],
)
def test_better_in_what_they_were_told_to_do_is_a_recommendation_not_a_comparison(text):
    assert parse_query(text).intent == "recommendation"
    # With a year it is still the two inspections set side by side.
    assert parse_query("is supervision better than in 2010").intent == "comparison"


@pytest.mark.parametrize(
    "text",
    [
        "how many kids were still waiting for a family",
        "what percentage of care leavers are still in touch",
        "number of children still on a plan at 18",
    ],
)
def test_still_in_a_count_is_those_remaining_then_not_a_comparison(text):
    assert parse_query(text).intent == "figure"
    # A problem that persists, or a count set against a named year, is compared.
    assert parse_query("are children still waiting too long for a family").intent == "comparison"
    assert parse_query("how many 2010 recommendations are still open").intent == "comparison"


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("someone told me we got inadequate - true?", []),
        ("a colleague told me adoption was judged good. is that correct?", ["adoption"]),
        ("was adoption rated good? someone said so at the residents' meeting", ["adoption"]),
        ("adoption was rated good, is that right?", ["adoption"]),
        ("staff loved their one-to-ones in 2010 - still true?", ["staff", "loved", "ones", "true"]),
    ],
)
def test_a_claim_to_check_is_framing_but_still_true_asks_if_it_holds(text, topics):
    labels = [g.label for g in parse(text).groups if not g.soft]
    assert labels == topics


@pytest.mark.parametrize(
    "text",
    [
        "supervision was praised in the old HMI letter - what does the latest report say?",
        "what did the surprise visit find on supervision, and what about now?",
        "how is supervision these days? it was praised back then",
    ],
)
def test_an_earlier_look_and_a_later_one_named_in_words_are_a_comparison(text):
    assert parse(text).intent == "comparison"


@pytest.mark.parametrize(
    "text",
    [
        "what did the latest report say about supervision?",
        "what did the earlier visit find about supervision?",
    ],
)
def test_one_look_named_in_words_is_no_comparison(text):
    assert parse(text).intent != "comparison"
