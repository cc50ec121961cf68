"""Answers from the real index: the right layout for each intent, honest abstention."""

from __future__ import annotations

import pytest

from bot.answers import answer
from bot.knowledge.text import letters_digits
from bot.search.index import alternative_stems


def ask(search_index, text, **kw):
    return answer(text, index=search_index, **kw)


def test_a_finding_question_gets_findings_with_quotes_and_lines(search_index):
    result = ask(search_index, "is the MASH coping?")
    assert result.answered and result.intent == "finding"
    top = result.hits[0]
    assert top.report == "poole-2017"
    text = (top.quote + (top.summary or "")).lower()
    assert "safeguarding hub" in text or "mash" in text
    assert top.lines[0] <= top.lines[1]
    assert top.source == "000_de87dc580cd60475.txt"


def test_judgement_questions_get_judgements(search_index):
    result = ask(search_index, "what grade did adoption get")
    assert result.intent == "judgement"
    assert result.hits[0].id == "poole-2017-judgement-adoption"
    assert result.hits[0].extra["grade"] == "Good"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how did ofsted rate services for children in care", "poole-2017-judgement-looked-after"),
        ("did ofsted rate the lscb highly", "poole-2017-judgement-lscb"),
        ("what mark did inspectors give poole's management", "poole-2017-judgement-leadership"),
        ("is adoption in poole any good", "poole-2017-judgement-adoption"),
        # A judgement's heading sharing a word ("foster", "children") is weaker evidence
        # of the area than what the best findings are about.
        (
            "what grade did support for former foster kids over 18 get",
            "poole-2017-judgement-care-leavers",
        ),
        (
            "how was the work keeping at-risk children safe at home graded",
            "poole-2017-judgement-help-and-protection",
        ),
    ],
)
def test_a_grade_asked_in_other_words_gets_the_latest_judgement_first(
    search_index, question, expected
):
    result = ask(search_index, question)
    assert result.intent == "judgement"
    assert result.hits[0].id == expected


def test_the_best_and_worst_graded_areas_are_judgements_ordered_by_grade(search_index):
    best = ask(search_index, "which area did best in the inspection", limit=10)
    grades = [h.extra["grade"] for h in best.hits]
    assert all(h.kind == "judgement" and h.year == 2017 for h in best.hits)
    assert len(grades) == 7
    assert grades == ["Good"] * 3 + ["Requires improvement to be good"] * 4
    worst = ask(search_index, "which parts of the service were rated worst", limit=10)
    assert [h.extra["grade"] for h in worst.hits] == list(reversed(grades))
    # The verb in any form: "which parts did Ofsted rate highest".
    highest = ask(search_index, "which parts did ofsted rate highest in 2017?", limit=10)
    assert [h.extra["grade"] for h in highest.hits] == grades
    lowest = ask(search_index, "did any area get the lowest possible rating?", limit=10)
    assert [h.extra["grade"] for h in lowest.hits] == list(reversed(grades))
    # Or in sport's words: "came top", "came out bottom".
    top = ask(search_index, "which bits came top when the marks were handed out", limit=10)
    assert [h.extra["grade"] for h in top.hits] == grades
    bottom = ask(search_index, "what came out bottom in the grades", limit=10)
    assert [h.extra["grade"] for h in bottom.hits] == list(reversed(grades))
    # Or how well, without a superlative: "which areas scored well".
    well = ask(search_index, "which areas scored well", limit=10)
    assert [h.extra["grade"] for h in well.hits] == grades
    badly = ask(search_index, "which areas were judged poorly", limit=10)
    assert [h.extra["grade"] for h in badly.hits] == list(reversed(grades))


@pytest.mark.parametrize(
    "question",
    [
        "what was the headline judgement in the 2017 report",
        "whats the bottom line on how the borough did for kids",
        "poole RI or good?",
    ],
)
def test_a_grade_asked_of_nothing_specific_leads_with_the_overall_judgement(search_index, question):
    result = ask(search_index, question)
    assert result.answered and result.intent == "judgement"
    assert result.hits[0].id == "poole-2017-judgement-overall"


def test_a_grade_asked_of_a_visit_that_gave_none_says_so_from_the_history(search_index):
    # "Visit" and "end" frame the question: it asks the visit's grade, not about visits.
    result = ask(search_index, "did the 2010 visit end with a score?")
    assert result.intent == "judgement"
    assert result.hits[0].kind == "history"
    assert result.hits[0].extra["outcome"] == "No graded judgement"


@pytest.mark.parametrize(
    "question",
    [
        "what was poole rated at the inspection before the 2017 one",
        "how were looked after children's services judged back in 2011",
        # The latest inspection named by being the latest, not by its year.
        "when had the regulator come round prior to this latest visit, and with what verdict?",
    ],
)
def test_a_grade_asked_of_an_earlier_time_comes_from_the_history(search_index, question):
    result = ask(search_index, question)
    assert result.hits[0].kind == "history"
    assert result.hits[0].extra["date"].startswith("2011")


def test_how_good_a_part_of_an_area_is_answered_by_its_findings_not_the_areas_grade(
    search_index,
):
    result = ask(search_index, "are pathway plans any good")
    assert all(h.kind != "judgement" for h in result.hits)
    assert "pathway plan" in (result.hits[0].summary or "").lower()
    assert ask(search_index, "is adoption any good").hits[0].id == "poole-2017-judgement-adoption"


def test_what_the_press_said_the_grade_was_comes_from_the_press(search_index):
    result = ask(search_index, "the echo said poole was rated what exactly?")
    assert result.hits[0].is_press


def test_a_request_for_every_recommendation_lists_them_all(search_index):
    result = ask(search_index, "list the to-do items the watchdog gave the town hall", limit=20)
    assert result.answered and result.intent == "recommendation"
    assert len(result.hits) == 15 and all(h.kind == "recommendation" for h in result.hits)


def test_what_ofsted_told_someone_to_do_is_a_recommendation(search_index):
    result = ask(search_index, "what did ofsted tell the LSCB to do", limit=5)
    assert result.intent == "recommendation"
    assert {h.id for h in result.hits[:3]} == {
        "poole-2017-rec-lscb-01",
        "poole-2017-rec-lscb-02",
        "poole-2017-rec-lscb-03",
    }


def test_what_must_change_asks_for_a_recommendation(search_index):
    result = ask(
        search_index, "what did the inspectors say must change about night and weekend cover"
    )
    assert result.intent == "recommendation"
    assert result.hits[0].id == "poole-2017-rec-05"


def test_a_number_answers_only_when_it_is_the_kind_of_number_asked(search_index):
    # A count of children in foster homes does not say how long anyone waits.
    waiting = ask(search_index, "how long do fostered kids wait to see a shrink")
    assert all(h.kind != "figure" or h.extra["unit"] in ("weeks", "years") for h in waiting.hits)
    assert ask(search_index, "how long do care proceedings take").hits[0].extra["unit"] == "weeks"
    assert ask(search_index, "how far away are children placed").hits[0].extra["unit"] == "miles"
    # A count of children does not say how many adults there are.
    carers = ask(search_index, "how many foster carers does poole have in total")
    assert not carers.answered and all(h.kind != "figure" for h in carers.hits)
    # Nor is a count of notifications sent to Ofsted a count of its inspectors; the
    # inspectors, counted, are what is asked, though they usually only frame a question.
    inspectors = ask(search_index, "how many inspectors came")
    assert all(h.kind != "figure" for h in inspectors.hits)
    assert "poole-2017-about-05" in [h.id for h in ask(search_index, "how many HMIs came").hits[:3]]
    # Families and households are not children either, in a count or in a share
    # ("38% of the children living with parents" counts children, not households).
    for adults in ("how many foster households are there", "how many families get early help"):
        counted = ask(search_index, adults)
        assert not counted.answered and all(h.kind != "figure" for h in counted.hits)
    in_house = ask(search_index, "how many in-house foster carers does poole have")
    assert not in_house.answered and all(h.kind != "figure" for h in in_house.hits)
    assert ask(search_index, "how many kids are on CP plans").hits[0].extra["unit"] == "children"
    fostered = ask(search_index, "how many foster children does poole have")
    assert fostered.hits[0].kind == "figure" and fostered.hits[0].extra["unit"] == "children"
    # A rate is a share, or a number the report also gives per 10,000 children.
    rate = ask(search_index, "LAC numbers at the time of the inspection, and the rate per 10k")
    assert rate.hits[0].id == "poole-2017-figure-children-looked-after"
    vacancies = ask(search_index, "what's the social worker vacancy rate in poole")
    assert not vacancies.answered and vacancies.reason == "no_match"
    assert all(h.kind != "figure" for h in vacancies.hits)


def test_a_comparison_naming_the_letter_compares_the_topic_not_the_letter(search_index):
    # Misspelt, too: the corrected words are what is compared in meaning.
    result = ask(search_index, "Is superviison still as good as the 2010 letter made out?")
    assert result.intent == "comparison"
    assert {h.year for h in result.hits} == {2010, 2017}
    assert all("supervision" in f"{h.quote} {h.summary}".lower() for h in result.hits)


def test_what_needed_fixing_in_the_letter_lists_its_areas_for_development(search_index):
    result = ask(search_index, "what needed fixing according to the 2010 letter")
    assert result.hits and all(h.category == "area_for_development" for h in result.hits)


def test_was_it_ever_rated_good_lists_the_good_grades_first(search_index):
    result = ask(search_index, "was poole ever rated good", limit=10)
    goods = [h for h in result.hits if h.extra.get("grade") == "Good"]
    assert goods and result.hits[: len(goods)] == tuple(goods)
    # "Even once" adds nothing to what is asked.
    outstanding = ask(search_index, "Has the borough ever been rated outstanding, even once?")
    assert outstanding.intent == "judgement" and outstanding.hits[0].kind in (
        "judgement",
        "history",
    )
    # Two grades named ask which of them: the overall judgement answers.
    assert ask(search_index, "poole RI or good?").hits[0].id == "poole-2017-judgement-overall"


def test_minors_are_children_not_minority_groups(search_index):
    # Porter's stemmer makes "minors" and "minority" one stem; the index keeps them apart.
    assert alternative_stems(("minority",)) != alternative_stems(("minors",))
    assert alternative_stems(("community",)) != alternative_stems(("communication",))
    result = ask(search_index, "how many minors in the borough", limit=10)
    assert all("minority" not in (h.extra.get("measure") or "").lower() for h in result.hits)


def test_a_recommendation_asked_in_other_words_is_found_by_its_topic(search_index):
    result = ask(
        search_index,
        "according to ofsted what has to happen before a case goes back to the family support tier",
    )
    assert result.intent == "recommendation"
    assert result.hits[0].id == "poole-2017-rec-04"


def test_a_misspelt_cue_still_says_what_is_asked(search_index):
    assert search_index.parse("recomendations for the mash").intent == "finding"
    result = ask(search_index, "recomendations for the mash")
    assert result.suggestion == "recommendations for the mash"
    assert result.intent == "recommendation" and result.hits[0].id == "poole-2017-rec-01"


def test_poole_against_the_national_average_is_a_figure_not_two_inspections(search_index):
    result = ask(search_index, "free school meals in secondary schools - poole vs national %")
    assert result.intent == "figure"
    assert {h.id for h in result.hits[:2]} == {
        "poole-2017-figure-fsm-secondary",
        "poole-2017-figure-fsm-secondary-national",
    }


def test_a_national_figure_of_another_measure_is_no_answer(search_index):
    # The reports give the national share of children from minority ethnic groups;
    # it does not answer how many children are in care across England.
    result = ask(search_index, "how many kids are in care in the whole of england")
    assert not result.answered and result.reason == "no_match"
    assert "no national figure" in result.notes[0]
    # Asked of that measure, in the glossary's other words, it answers.
    bme = ask(search_index, "what proportion of kids round here are BME vs nationally")
    assert bme.answered and bme.hits[0].id.startswith("poole-2017-figure-minority-ethnic")


@pytest.mark.parametrize(
    ("question", "local"),
    [
        (
            "is poole's rate of child protection plans above the national average",
            "poole-2017-figure-child-protection-plans",
        ),
        (
            "how does the number of children in care compare with england",
            "poole-2017-figure-children-looked-after",
        ),
    ],
)
def test_a_national_figure_the_reports_never_give_is_declined_with_the_councils_own_shown(
    search_index, question, local
):
    # Never another measure's national average (English as an additional language)
    # in its place, and never the council's own as if it answered: declined, with the
    # council's own figure shown as the nearest the reports come.
    result = ask(search_index, question)
    assert not result.answered and result.reason == "no_match"
    assert result.hits[0].id == local
    assert all("national" not in (h.summary or "") for h in result.hits)
    assert result.notes == (
        "The reports give no national figure for this. The nearest they come is the "
        "council's own, below: it is not set against one they do not give.",
    )
    # Where the reports give one, it is shown and nothing is said to be missing.
    meals = ask(search_index, "free school meals in secondary schools - poole vs national %")
    assert meals.answered and meals.notes == ()


def test_a_number_the_reports_never_give_is_declined_with_the_nearest_shown(search_index):
    result = ask(search_index, "how many social workers does poole employ")
    assert not result.answered and result.reason == "no_match"
    assert result.notes == ("The reports give no number for this. The nearest they come is below.",)
    assert result.hits, "the nearest the reports come, shown as not the answer"
    # Where what the reports say nearby states a number, it is answered with it.
    assert ask(search_index, "how long has the lscb chair been in post").answered


def test_a_number_is_not_shown_beside_findings_unless_it_would_answer(search_index):
    # The free-school-meals figures are a little near "lunch" in meaning; a figure
    # question would not be answered by them, so no answer shows them.
    result = ask(search_index, "what is for lunch in the canteen on friday")
    assert not result.answered


def test_a_number_is_never_given_for_a_question_it_is_only_loosely_near(search_index):
    # No figure gives GCSE results of children in care; the percentages of school
    # children with English as an additional language are near it in meaning only.
    result = ask(search_index, "What percentage of looked-after children got five good GCSEs?")
    assert all(h.kind != "figure" for h in result.hits)


@pytest.mark.parametrize(
    "question",
    [
        "how many children went missing from care",
        "how many children went missing from home or care in poole during 2016/17?",
        # The share of pupils speaking another language at home is not a count of
        # children educated at home: a term of the field is covered where its words
        # stand together.
        "how many children in poole are home educated",
    ],
)
def test_a_count_of_what_the_reports_never_count_is_never_another_count(search_index, question):
    # The reports count children in care, and exclusions in 2016/17, but no missing
    # children: sharing every other word of the question does not make those the answer.
    result = ask(search_index, question, limit=5)
    numbers = [h.id for h in result.hits if h.kind == "figure" and h.extra["value"] is not None]
    assert numbers == []
    # The term the question names still finds its figure where the reports give one.
    fgm = ask(search_index, "how many FGM referrals were there", limit=1)
    assert fgm.hits[0].id == "poole-2017-figure-fgm-referrals"


def test_how_long_a_wait_is_answered_in_words_when_no_figure_gives_it(search_index):
    # No figure says how long children wait for mental health help; the finding that
    # says whether it is timely answers, with a note that no figure does.
    result = ask(search_index, "how long do children in care wait for CAMHS")
    assert result.answered and result.intent == "finding"
    assert "No figure in the reports answers this on its own" in result.notes[0]
    assert "mental health" in f"{result.hits[0].summary} {result.hits[1].summary}"


@pytest.mark.parametrize(
    ("question", "theme"),
    [
        ("are they propped up by temps?", "workforce"),
        ("if a kid is in trouble at 2am on a saturday does anyone help?", "out-of-hours"),
        ("is the MASH understaffed", "front-door"),
        ("are adoptions breaking down", "adoption"),
        ("do kids in care end up a long way from mum and dad?", "placements"),
    ],
)
def test_colloquial_questions_find_their_topic(search_index, question, theme):
    result = ask(search_index, question)
    assert result.answered and theme in result.hits[0].themes


def test_a_finding_comes_before_the_recommendation_on_it(search_index):
    result = ask(search_index, "parental consent at referral - are they actually recording it")
    assert result.hits[0].kind == "finding"
    assert "poole-2017-rec-02" in [h.id for h in result.hits]


@pytest.mark.parametrize(
    "question",
    [
        "can you list all the inspections you hold, in date order?",
        "every ofsted visit pls, newest first",
    ],
)
def test_every_inspection_asked_for_is_the_inspection_history(search_index, question):
    result = ask(search_index, question, limit=10)
    assert result.answered
    assert {h.kind for h in result.hits[:3]} == {"history"}


def test_the_rating_timeline_puts_graded_inspections_first(search_index):
    result = ask(search_index, "has poole slipped since it was rated good", limit=10)
    outcomes = [h.extra.get("outcome") for h in result.hits]
    graded = [o for o in outcomes if o and "graded" not in o.lower()]
    assert outcomes[: len(graded)] == graded and graded


def test_ratings_with_no_topic_list_every_judgement_overall_first(search_index):
    result = ask(search_index, "ratings", limit=20)
    judgements = [h for h in result.hits if h.kind == "judgement"]
    assert len(judgements) == 7
    assert judgements[0].id == "poole-2017-judgement-overall"


def test_figure_questions_get_values_with_dates(search_index):
    result = ask(search_index, "how many children are on child protection plans")
    top = result.hits[0]
    assert result.intent == "figure" and top.kind == "figure"
    assert top.extra["value"] == 106
    assert top.extra["as_of"] == "2017-09-12"
    assert top.extra["rate_per_10000"] == 35


def test_a_lost_figure_says_so_and_never_guesses(search_index):
    result = ask(search_index, "how many children in need were there in March 2017")
    missing = [h for h in result.hits if h.extra.get("missing")]
    assert missing and missing[0].extra["value"] is None
    assert any("lost a number" in note for note in result.notes)


def test_recommendation_questions_get_recommendations(search_index):
    result = ask(search_index, "what should they do about supervision")
    assert result.intent == "recommendation"
    assert result.hits[0].id == "poole-2017-rec-06"
    # "Rec" is how the sector shortens it; one-to-ones with a manager are supervision.
    result = ask(search_index, "what's the rec about one-to-ones with managers")
    assert (result.intent, result.hits[0].id) == ("recommendation", "poole-2017-rec-06")


def test_comparisons_are_oldest_first_with_both_inspections(search_index):
    result = ask(search_index, "has supervision got better since 2010")
    assert result.intent == "comparison"
    years = [h.year for h in result.hits]
    assert years == sorted(years)
    assert {2010, 2017} <= set(years)


@pytest.mark.parametrize(
    "question",
    [
        "what did ofsted say about Hampshire's MASH",
        "youth offending team funding",
        "agency staff turnover in 2020",
        "how much are social workers paid",
        "Ofsted rating of Poole High School",
        "weather in poole tomorrow",
    ],
)
def test_questions_the_reports_cannot_answer_are_declined(search_index, question):
    result = ask(search_index, question)
    assert not result.answered
    assert result.hits == ()
    assert result.themes  # the closest themes are always named
    assert result.notes


@pytest.mark.parametrize("question", ["when did Ofsted come in", "what does Ofsted do"])
def test_a_question_about_ofsted_itself_is_answered_not_called_empty(search_index, question):
    # Its only words usually frame a question; here they are its topic.
    result = ask(search_index, question)
    assert result.answered and result.reason is None
    assert any("ofsted" in f"{h.quote} {h.summary}".lower() for h in result.hits)


def test_empty_question_is_declined_kindly(search_index):
    result = ask(search_index, "   ")
    assert not result.answered and result.reason == "empty"


def test_a_typo_gets_a_suggestion_and_still_an_answer(search_index):
    result = ask(search_index, "fostr carers for teenagers")
    assert result.suggestion == "foster carers for teenagers"
    assert result.answered


def test_filters_restrict_to_a_report(search_index):
    result = ask(search_index, "report:2010 supervision")
    assert result.hits and {h.report for h in result.hits} == {"poole-2010"}
    result = ask(search_index, "year:2017 supervision")
    assert {h.year for h in result.hits} == {2017}


def test_paging_gives_the_next_results(search_index):
    first = ask(search_index, "foster carers", limit=3)
    second = ask(search_index, "foster carers", limit=3, offset=3)
    assert first.more and second.offset == 3
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_press_statements_are_found_for_what_people_said(search_index):
    result = ask(search_index, "what did the cabinet member say")
    assert result.hits[0].category == "statement"
    assert result.hits[0].is_press


def test_json_has_the_documented_fields(search_index):
    data = ask(search_index, "out of hours").to_json()
    assert {"query", "answered", "intent", "suggestion", "themes", "hits"} <= set(data)
    hit = data["hits"][0]
    assert set(hit) >= {
        "id",
        "kind",
        "category",
        "report",
        "report_title",
        "report_date",
        "source",
        "section",
        "summary",
        "quote",
        "passage",
        "lines",
        "score",
        "extra",
    }
    assert letters_digits(hit["quote"]) in letters_digits(hit["passage"])


def test_what_the_paper_said_is_its_report_not_the_statements_it_quotes(search_index):
    result = ask(search_index, "what did the local paper say about poole's ofsted")
    assert all(h.is_press for h in result.hits)
    assert result.hits[0].category != "statement"
    # What people told the paper is still what they said.
    said = ask(search_index, "what did the council say to the press")
    assert said.hits[0].category == "statement"


def test_press_coverage_lists_only_the_press(search_index, kb):
    result = ask(search_index, "echo newspaper coverage", limit=50)
    press = [r for r in kb.records if r.report_id == "press-2017"]
    assert result.total == len(press) and len(press) > 10
    assert {h.report for h in result.hits} == {"press-2017"}


def test_what_went_well_lists_strengths_only(search_index, kb):
    result = ask(search_index, "what went well in 2010", limit=50)
    strengths = [
        r
        for r in kb.records
        if r.report_id == "poole-2010"
        and getattr(r, "category", None) in ("strength", "satisfactory_practice")
    ]
    assert result.total == len(strengths) > 3
    assert {h.category for h in result.hits} <= {"strength", "satisfactory_practice"}
    assert result.hits[0].category == "strength"  # strengths before satisfactory practice


def test_a_preference_nothing_matches_lists_everything_in_frame(search_index):
    # No press coverage of 2010: every 2010 record, rather than nothing.
    result = ask(search_index, "press coverage in 2010", limit=50)
    assert result.total > 20 and {h.report for h in result.hits} == {"poole-2010"}


def test_press_coverage_without_any_press_says_so(knowledge_copy, tmp_path):
    from bot.paths import Paths
    from bot.search.service import open_index
    from tests.conftest import SEEDS

    (knowledge_copy / "reports" / "press-2017.yaml").unlink()
    index = open_index(Paths(knowledge=knowledge_copy, seeds=SEEDS, data=tmp_path / "data"))
    result = answer("echo newspaper coverage", index=index)
    assert not result.answered
    assert result.notes == ("The knowledge base holds no press coverage.",)


@pytest.mark.parametrize(
    "question",
    [
        # A number per worker: no figure counts cases per person, and a count of the
        # care leavers one team supports is not one.
        "average caseload per social worker - what number",
        "what is the mean number of cases per worker",
    ],
)
def test_a_ratio_no_figure_gives_is_declined_not_answered_with_a_count(search_index, question):
    result = ask(search_index, question)
    assert not result.answered
    assert result.notes == ("The reports give no number for this. The nearest they come is below.",)
    assert not any(h.kind == "figure" for h in result.hits)


def test_an_average_time_is_a_duration_answered_in_words_not_with_a_count(search_index):
    result = ask(search_index, "what is the average time to adoption")
    assert result.answered
    assert not any(h.kind == "figure" and h.extra.get("unit") == "adoptions" for h in result.hits)
    assert (
        result.hits[0].id.startswith("poole-2017-adoption")
        or "adoption" in result.hits[0].summary.lower()
    )


def test_a_number_of_hours_is_a_duration_never_a_count_of_children(search_index):
    result = ask(search_index, "on average how many hours were kids held in police custody")
    assert not any(h.kind == "figure" and h.extra.get("unit") == "children" for h in result.hits)


def test_a_grade_asked_twice_over_is_never_answered_by_a_visit_that_gave_none(search_index):
    # "Bottom line" and "up to scratch": a grade. No area's findings stand out, and the
    # 2010 visit graded nothing, so the overall judgement leads.
    result = ask(
        search_index, "bottom line - is social work with kids in the borough up to scratch or not"
    )
    assert result.hits[0].id == "poole-2017-judgement-overall"
    # Asked once, of one service, it is that service's findings.
    assert ask(search_index, "is the EDT up to scratch").hits[0].kind == "finding"


def test_an_age_asked_is_a_figure_in_years(search_index):
    result = ask(search_index, "at what age does the pathways team get involved")
    assert result.hits[0].id == "poole-2017-figure-pathways-start-age"
    # In text-speak too: "r u", "ur" and "meant to be" frame the question.
    chat = ask(search_index, "how old r u when u get ur PA")
    assert chat.answered and chat.hits[0].kind == "figure"
    assert chat.hits[0].extra["unit"] == "years"


def test_what_went_wrong_lists_weaknesses_latest_inspection_first(search_index):
    result = ask(search_index, "what went wrong", limit=200)
    assert {h.category for h in result.hits} <= {"weakness", "area_for_development"}
    years = [h.year for h in result.hits]
    assert years[0] == 2017 and 2010 in years
    assert years == sorted(years, reverse=True)


def test_a_number_stated_in_a_finding_is_never_said_to_be_missing(search_index):
    # Seven inspectors: said in the report's text, though no figure record holds it.
    result = ask(search_index, "how many bodies were on the visiting crew")
    assert not any("give no number" in note for note in result.notes)


def test_a_negatively_framed_question_leads_with_what_was_found_wanting(search_index):
    result = ask(
        search_index, "<@U0INSPBOT> anything they were NOT happy with on strategy discussions?"
    )
    assert result.hits[0].category in ("weakness", "area_for_development")
    assert "strategy" in result.hits[0].quote.lower()


def test_a_grade_comparison_leads_with_the_inspection_of_the_year_it_names(search_index):
    # The 2010 visit gave no grade, but it is the side of the comparison asked for.
    result = ask(
        search_index,
        "Has Poole got better or worse since Ofsted's unannounced visit in 2010?",
        limit=5,
    )
    assert result.intent == "comparison"
    assert result.hits[0].id == "history-2010-unannounced"
    assert any(h.id == "history-2017-inspection" for h in result.hits)
    # Naming no year: graded inspections first, in date order.
    timeline = ask(search_index, "how has the rating changed over the years")
    assert [h.id for h in timeline.hits[:2]] == [
        "history-2011-safeguarding",
        "history-2011-looked-after",
    ]


def test_a_remembered_quote_finds_what_was_said_however_it_is_misremembered(search_index):
    # The carer said "It's the best thing we have ever done", not "best decision".
    result = ask(
        search_index,
        "a foster to adopt carer said something like 'best decision we ever made' - "
        "what's the actual quote?",
    )
    assert result.hits[0].id == "poole-2017-adoption-07"


def test_naming_the_letter_says_which_source_not_what_about(search_index):
    # Every letter's opening lines are near "the 2010 letter" in meaning; the
    # satisfactory practice it records is what is asked.
    result = ask(search_index, "What did the 2010 letter count as satisfactory practice?", limit=3)
    assert any(h.category == "satisfactory_practice" for h in result.hits)
    assert result.hits[0].id != "poole-2010-letter-01"


@pytest.mark.parametrize(
    ("question", "categories"),
    [
        ("what did the earlier letter praise", {"strength", "satisfactory_practice"}),
        ("main worries in the 2010 letter", {"area_for_development", "weakness"}),
    ],
)
def test_the_letters_strengths_or_worries_are_listed_when_nothing_else_is_asked(
    search_index, question, categories
):
    result = ask(search_index, question, limit=3)
    assert all(h.report == "poole-2010" and h.category in categories for h in result.hits)
    # "What did the letter say": the letter, not what the press quoted people saying.
    said = ask(search_index, "what did the letter say", limit=3)
    assert all(h.report == "poole-2010" for h in said.hits)


def test_how_the_council_came_out_of_an_inspection_leads_with_the_overall_judgement(
    search_index,
):
    result = ask(search_index, "how did we do overall in the 2017 inspection")
    assert result.intent == "judgement"
    assert result.hits[0].id == "poole-2017-judgement-overall"


@pytest.mark.parametrize(
    "question", ["is the mash any good", "how did the mash do in the inspection"]
)
def test_a_part_of_an_area_asked_how_good_gets_its_findings_not_an_ungraded_visit(
    search_index, question
):
    # The 2010 visit to the front door gave no grade: it does not answer how good the
    # MASH is. The MASH's own findings do.
    result = ask(search_index, question)
    assert result.answered
    assert "mash" in (result.hits[0].quote + (result.hits[0].summary or "")).lower()
    assert all(h.kind != "history" for h in result.hits)


def test_how_many_weeks_asks_a_number_and_no_number_is_not_answered_in_words(search_index):
    # "How long is the wait" is answered in words (whether help is timely); "how many
    # weeks" counts weeks the reports never count.
    counted = ask(search_index, "How many weeks were children in care waiting for CAMHS?")
    assert not counted.answered and counted.reason == "no_match"
    assert ask(search_index, "how long do children in care wait for camhs").answered


def test_a_figure_asked_without_the_country_is_the_councils_own_first(search_index):
    result = ask(search_index, "what % get free school meals", limit=4)
    assert not any("national" in (h.summary or "") for h in result.hits[:2])
    assert {h.id for h in result.hits[:2]} == {
        "poole-2017-figure-fsm-primary",
        "poole-2017-figure-fsm-secondary",
    }
    # "No-cost lunches" are free school meals, and no price.
    against = ask(search_index, "what share of pupils get no-cost lunches versus england overall")
    assert against.answered and against.hits[0].id.startswith("poole-2017-figure-fsm-")


def test_young_adults_formerly_in_care_are_care_leavers_in_a_figure_question(search_index):
    result = ask(
        search_index,
        "how many young adults formerly fostered by poole had no job or course when ofsted visited?",
    )
    assert result.answered and result.hits[0].id == "poole-2017-figure-care-leavers-neet"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "did ofsted tell the council to brief households who take in a child at a "
            "moment's notice?",
            "poole-2017-rec-09",
        ),
        ("what must poole do so troubled teenagers get a family home?", "poole-2017-rec-08"),
    ],
)
def test_a_recommendation_in_other_words_is_the_one_its_findings_are_evidence_for(
    search_index, question, expected
):
    # No recommendation shares these words; the findings they match are the curated
    # evidence of one recommendation, which leads.
    result = ask(search_index, question)
    assert result.intent == "recommendation"
    assert result.hits[0].id == expected


def test_the_recommendation_cited_leads_only_when_the_best_findings_agree():
    from types import SimpleNamespace

    from bot.answers.grades import recommendation_cited_by

    def record(hit_id, kind, evidence=()):
        return SimpleNamespace(
            hit=SimpleNamespace(id=hit_id, kind=kind, extra={"evidence": list(evidence)})
        )

    recs = [
        record("rec-1", "recommendation", ["f1", "f2"]),
        record("rec-2", "recommendation", ["f3"]),
    ]
    f1, f2, f3, f9 = (record(f, "finding") for f in ("f1", "f2", "f3", "f9"))
    assert recommendation_cited_by([f1, f2], recs) == [recs[0]]
    # Votes by rank, 1, 1/2, 1/3: the best finding's recommendation leads with over half.
    assert recommendation_cited_by([f3, f1, f2], recs) == [recs[1]]
    # Uncited best finding: rec-2 has 1/2 and rec-1 1/3 of 11/6, neither half.
    assert recommendation_cited_by([f9, f3, f1], recs) == []
    assert recommendation_cited_by([f9], recs) == []


def test_a_count_asked_of_a_visit_whose_letter_gives_only_its_dates_is_not_answered(search_index):
    # "Carried out on 17 and 18 August 2010" states when, not how many.
    result = ask(search_index, "how many children were in care at the time of the 2010 visit?")
    assert not result.answered


def test_a_top_line_score_is_the_overall_judgement(search_index):
    result = ask(search_index, "in one line, what's our top-line score?")
    assert result.hits[0].id == "poole-2017-judgement-overall"


def test_a_question_wrapped_in_greeting_and_context_is_answered_as_asked(search_index):
    # Slack messages greet and say why they ask; the question alone says what a
    # record must be about, and which kind of answer it wants.
    message = (
        "sorry, quick newbie question while I read the recommendations: what does SGO stand for?"
    )
    result = ask(search_index, message)
    assert result.answered
    assert "special guardianship" in result.notes[0].lower()
    wrapped = ask(
        search_index,
        "Hi both, I'm new on the improvement board and still finding my feet - "
        "how was adoption graded?",
    )
    assert wrapped.intent == "judgement"
    assert wrapped.hits[0].id == "poole-2017-judgement-adoption"
