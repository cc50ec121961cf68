"""Scope from the knowledge, not from lists in code: which councils, inspection kinds
and years are covered follows from the published reports (and the curated
knowledge/authorities.yaml and inspections.yaml vocabularies), and a stray word never
overrules strong retrieval evidence."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.answers import answer
from bot.answers.scope import names_someone
from bot.paths import Paths
from bot.search.hits import Hit
from bot.search.service import open_index
from tests.conftest import ROOT, SEEDS


def _out_of_scope(question, index):
    """The answer to a question the reports do not cover: declined as out of scope."""
    result = answer(question, index=index)
    assert not result.answered and result.reason == "out_of_scope"
    return result


def test_no_council_kind_or_year_the_reports_cover_is_written_in_code():
    code = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py")).lower()
    for covered in ("borough of poole", "christchurch", "hampshire", "monitoring visit", "ilacs"):
        assert covered not in code, covered
    scope = (ROOT / "bot" / "answers" / "scope.py").read_text()
    assert not re.search(r"\b20[12]\d\b", scope)  # no year the reports cover


def test_another_councils_own_grade_is_declined_with_what_the_reports_say_of_it(search_index):
    result = answer("what grade did bournemouth get for childrens services", index=search_index)
    assert not result.answered and result.reason == "out_of_scope"
    assert "do not inspect or grade Bournemouth Borough Council's own services" in result.notes[0]
    assert result.hits, "what the reports say that names Bournemouth"
    assert all("bournemouth" in f"{h.quote} {h.summary}".lower() for h in result.hits)


@pytest.mark.parametrize(
    "question", ["is dorset's own LSCB any good?", "what did ofsted find of Dorset's LSCB"]
)
def test_another_councils_own_service_is_declined_though_the_reports_name_it(
    search_index, question
):
    # The reports say the board works "jointly across Dorset": Dorset is named, but
    # its own board is not what they inspect.
    result = _out_of_scope(question, search_index)
    assert "do not inspect or grade Dorset Council's own services" in result.notes[0]
    assert result.hits and all("dorset" in f"{h.quote} {h.summary}".lower() for h in result.hits)


@pytest.mark.parametrize(
    "question",
    [
        "Bournemouth shares the LSCB with Poole - what grade did Bournemouth's children's "
        "services get?",
        "poole's board is shared, but how did Bournemouth Council's own MASH do?",
    ],
)
def test_another_councils_own_service_beside_poole_is_still_declined(search_index, question):
    # Poole named too does not make the other council's own services the subject: the
    # answer says what the reports say of it (the shared board), not Poole's grades.
    result = _out_of_scope(question, search_index)
    assert "do not inspect or grade Bournemouth Borough Council's own services" in result.notes[0]
    assert all(h.kind != "judgement" for h in result.hits)
    assert all("bournemouth" in f"{h.quote} {h.summary}".lower() for h in result.hits)


@pytest.mark.parametrize(
    "question",
    [
        "Poole and Bournemouth's joint board - how was it rated?",
        "was the bournemouth and poole LSCB judged inadequate?",
    ],
)
def test_what_poole_shares_with_another_council_is_still_graded(search_index, question):
    result = answer(question, index=search_index)
    assert result.answered and result.hits[0].id.endswith("judgement-lscb")


@pytest.mark.parametrize(
    "question",
    [
        "how does poole compare with bournemouth",
        "is poole doing better than bournemouth on child protection",
        "compare poole and bournemouth's safeguarding board",
    ],
)
def test_a_council_set_against_one_the_reports_do_not_grade_is_declined(search_index, question):
    result = _out_of_scope(question, search_index)
    assert "cannot compare the two" in result.notes[0]
    assert result.hits and all(
        "bournemouth" in f"{h.quote} {h.summary}".lower() for h in result.hits
    )


@pytest.mark.parametrize(
    "question",
    [
        "bournemouth and poole safeguarding board effectiveness",
        "did the bournemouth and poole safeguarding board do better than in 2011",
    ],
)
def test_the_shared_board_is_answered_and_a_year_is_not_a_council(search_index, question):
    assert answer(question, index=search_index).answered


@pytest.mark.parametrize(
    "question",
    [
        "what did HMI probation say about poole's youth offending service",
        "findings of the LGA peer review of poole's children's services",
    ],
)
def test_other_inspectorates_and_reviews_are_declined_naming_what_is_covered(
    search_index, question
):
    result = _out_of_scope(question, search_index)
    assert "None of them is a" in result.notes[0]


@pytest.mark.parametrize(
    "question",
    [
        "children spending the night in police custody because no placement was free",
        "is the town hall funding kids social care properly",
        # What was paid for is the subject, and a record says it.
        "did young people's views lead the lscb to fund counselling for survivors of abuse",
        "did the council pay for help recruiting foster carers",
        # The cost is what someone is helped with; the help is the subject.
        "will anyone help me with uni costs",
        "does the council help care leavers with university costs",
    ],
)
def test_a_money_word_never_overrules_strong_evidence(search_index, question):
    assert answer(question, index=search_index).answered


@pytest.mark.parametrize(
    "question", ["did they spend money on the out of hours service", "how are social workers paid"]
)
def test_paying_with_no_object_but_money_is_still_money(search_index, question):
    _out_of_scope(question, search_index)


@pytest.mark.parametrize(
    "question",
    [
        "how much are social workers paid",
        "what is the early help budget",
        "how much did the new electronic casework system cost the council?",
        "what's the weekly fostering allowance poole pays its carers",
        # The amount of a payment asked by its name, with no "how much ... paid".
        "what is the leaving care grant in poole",
        "how much is the setting-up-home grant",
    ],
)
def test_money_as_the_subject_is_declined(search_index, question):
    _out_of_scope(question, search_index)


def test_a_successor_council_is_answered_from_its_predecessors_reports_with_a_note(search_index):
    result = answer("what did the reports say about the MASH in BCP", index=search_index)
    assert result.answered
    assert any(
        "Bournemouth, Christchurch and Poole Council was formed in 2019" in n for n in result.notes
    )


@pytest.mark.parametrize(
    "question",
    [
        "BCP children's services rating",
        "has BCP sorted out the out-of-hours service since it took over?",
        "what did ofsted find when they inspected BCP childrens services after the merger?",
        "how was BCP judged",
    ],
)
def test_a_successor_councils_own_inspection_is_declined_with_its_predecessors_nearest(
    search_index, question
):
    # BCP was formed in 2019, after every report here: Poole's 2017 grade is not its.
    result = answer(question, index=search_index)
    assert not result.answered and result.reason == "out_of_scope"
    assert result.notes[0].startswith(
        "Bournemouth, Christchurch and Poole Council was formed in 2019; the reports here are "
        "about Borough of Poole, before it, and hold no inspection of Bournemouth, "
        "Christchurch and Poole Council itself."
    )
    assert result.hits and all(h.report == "poole-2017" or h.year < 2019 for h in result.hits)


@pytest.mark.parametrize(
    ("question", "kind"),
    [("what did the monitoring visit find", "monitoring visit"), ("JTAI findings", "JTAI")],
)
def test_a_kind_no_report_is_of_is_declined_saying_what_is_covered(search_index, question, kind):
    result = _out_of_scope(question, search_index)
    assert result.notes[0].startswith("The reports are about Borough of Poole: ")
    assert kind in result.notes[0]


def _index(knowledge, tmp_path):
    return open_index(Paths(knowledge=knowledge, seeds=SEEDS, data=tmp_path / "data"))


def test_publishing_a_report_of_a_new_kind_puts_that_kind_in_scope(knowledge_copy, tmp_path):
    report = knowledge_copy / "reports" / "poole-2010.yaml"
    text = report.read_text()
    title = re.search(r"^  title: .*$", text, flags=re.M).group(0)
    report.write_text(text.replace(title, "  title: Monitoring visit to the Borough of Poole", 1))
    result = answer(
        "what did the monitoring visit find about referrals", index=_index(knowledge_copy, tmp_path)
    )
    assert result.answered, result.notes


def test_the_councils_in_scope_follow_the_reports_authority(knowledge_copy, tmp_path):
    for path in (knowledge_copy / "reports").glob("*.yaml"):
        text = path.read_text().replace(
            "authority: Borough of Poole", "authority: Northmoor City Council"
        )
        path.write_text(text)
    index = _index(knowledge_copy, tmp_path)
    assert answer("how is Northmoor's front door", index=index).answered
    declined = answer("what grade did poole get", index=index)
    assert not declined.answered
    assert "The reports are about Northmoor City Council" in declined.notes[0]


@pytest.mark.parametrize(
    "question",
    [
        "when is the next inspection due",
        "will ofsted come back to check soon",
        "When is Ofsted next due to inspect us?",
        "is poole due for another inspection",
    ],
)
def test_what_the_reports_cannot_know_is_declined_with_the_nearest_they_come(
    search_index, question
):
    result = _out_of_scope(question, search_index)
    assert result.notes[0].startswith("The reports don't say")
    assert result.hits  # shown as the nearest they come, never as the answer


@pytest.mark.parametrize(
    "question",
    ["what did the CQC say about health visitors", "how is the independent fostering agency doing"],
)
def test_other_inspectorates_and_providers_are_declined(search_index, question):
    assert answer(question, index=search_index).reason == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "is management oversight still weak, like in 2010?",
        "do caseloads persist as a problem",
        "were referrals handled better back in 2010",
    ],
)
def test_an_implicit_comparison_quotes_both_inspections(search_index, question):
    result = answer(question, index=search_index, limit=6)
    assert result.intent == "comparison"
    assert {h.year for h in result.hits} >= {2010, 2017}, [h.id for h in result.hits]


def test_a_comparison_sets_side_by_side_the_years_the_question_names(knowledge_copy, tmp_path):
    """A third inspection (a copy of 2010's letter, dated 2013): "2013 compared with
    2017" shows those two, oldest first, and never 2010's."""
    text = (knowledge_copy / "reports" / "poole-2010.yaml").read_text()
    text = text.replace("poole-2010", "poole-2013")
    text = re.sub(r"(?m)^(  (?:inspected_from|inspected_to|published): )2010-", r"\g<1>2013-", text)
    text = text.replace("letter, 2010", "letter, 2013")
    (knowledge_copy / "reports" / "poole-2013.yaml").write_text(text)
    index = _index(knowledge_copy, tmp_path)
    result = answer("referrals and assessment in 2013 compared with 2017", index=index, limit=6)
    years = [h.year for h in result.hits]
    assert result.intent == "comparison" and set(years) == {2013, 2017}, years
    assert years == sorted(years)
    one_named = answer("are referrals still slow, like in 2013?", index=index, limit=6)
    assert {h.year for h in one_named.hits} <= {2013, 2017}


@pytest.mark.parametrize(
    ("question", "in_scope"),
    [
        ("is staff turnover high", True),
        ("is the use of secondary assessments right", True),
        ("what did ofsted say about Poole High School", False),
        ("St Mary's Primary safeguarding", False),
        ("Parkstone Grammar pastoral care", False),
        ("what did ofsted say about hamworthy primary", False),
        ("how is Poole High School doing", False),
        # Not a school's name: what "primary" describes, or words the sources use.
        ("how many primary pupils in poole get free school meals", True),
        ("poole primary eal pupils", True),
        ("england average eal primary", True),
        ("proportion of poole's high school pupils eligible for free lunches", True),
    ],
)
def test_a_school_is_named_only_by_a_schools_name(search_index, question, in_scope):
    result = answer(question, index=search_index)
    assert (result.reason != "out_of_scope") is in_scope, result.notes


def test_a_council_asked_about_across_a_merger_is_answered_with_a_note(knowledge_copy, tmp_path):
    """A BCP report (a copy of 2017's, dated 2022): "Poole in 2022" finds it, saying
    Poole had become part of BCP; "BCP in 2017" finds Poole's, saying BCP came later."""
    text = (knowledge_copy / "reports" / "poole-2017.yaml").read_text()
    text = text.replace("poole-2017", "bcp-2022").replace(
        "authority: Borough of Poole", "authority: Bournemouth, Christchurch and Poole Council"
    )
    text = re.sub(r"(?m)^(  (?:inspected_from|inspected_to|published): )2017-", r"\g<1>2022-", text)
    text = text.replace("children's services, 2017", "children's services, 2022")
    (knowledge_copy / "reports" / "bcp-2022.yaml").write_text(text)
    index = _index(knowledge_copy, tmp_path)
    poole = answer("the front door in Poole in 2022", index=index)
    assert poole.answered and {h.report for h in poole.hits} == {"bcp-2022"}
    assert any("Borough of Poole became part of Bournemouth" in n for n in poole.notes)
    bcp = answer("BCP front door in 2017", index=index)
    assert bcp.answered and {h.report for h in bcp.hits} == {"poole-2017"}
    assert any(
        "was formed in 2019; reports before then are about Borough of Poole" in n for n in bcp.notes
    )


def test_a_reports_inspection_field_puts_its_kind_in_scope(knowledge_copy, tmp_path):
    report = knowledge_copy / "reports" / "poole-2010.yaml"
    report.write_text(
        report.read_text().replace(
            "  kind: inspection letter\n",
            "  kind: inspection letter\n  inspection: focused-visit\n",
            1,
        )
    )
    result = answer(
        "what did the focused visit find about referrals", index=_index(knowledge_copy, tmp_path)
    )
    assert result.answered, result.notes


def test_an_unnamed_other_councils_own_services_are_declined(search_index):
    result = answer(
        "how is the neighbouring council's children's social care rated", index=search_index
    )
    assert not result.answered and result.reason == "out_of_scope"
    assert "another council's own services" in result.notes[0]


@pytest.mark.parametrize(
    "question",
    [
        "what did the 2014 inspection say about adoption",
        "what was found when poole was inspected in 2014",
        "what did ofsted find when they came to poole in 2014",
    ],
)
def test_an_inspection_in_a_year_without_one_is_declined(search_index, question):
    # 2014 is in the reports (a chief executive in post since then), but no inspection.
    result = _out_of_scope(question, search_index)
    assert "nothing about 2014" in result.notes[0]


def test_an_inspection_year_the_history_records_is_in_scope(search_index):
    assert answer(
        "what did the 2011 inspection say about looked after children", index=search_index
    ).answered


@pytest.mark.parametrize(
    "question",
    [
        "when are the inspectors coming back",
        "what will happen if poole fails again",
        "when does the next LSCB annual report come out",
        "how many social workers will be hired next year",
    ],
)
def test_what_comes_next_is_declined_however_it_is_asked(search_index, question):
    result = answer(question, index=search_index)
    assert not result.answered and result.notes[0].startswith("The reports don't say")


def test_time_spent_is_not_money(search_index):
    result = answer(
        "how many arrested teenagers ended up spending the night in a cell", index=search_index
    )
    assert result.answered
    top = result.hits[0]
    assert "overnight" in f"{top.quote} {top.summary} {top.extra.get('measure')}".lower()


@pytest.mark.parametrize(
    ("question", "reason", "says"),
    [
        ("how much is the lscb independent chair paid", "money", "pay, budgets or spending"),
        ("size of the adoption support fund budget for poole", "money", "pay, budgets"),
        ("how much pocket money do kids in care get", "money", "pay, budgets"),
        ("what was the name of the child in the serious case review", "identity", "never name"),
        ("poole children's services grade 2014", "unknown_year", "nothing about 2014"),
        ("ofsted rating of the nursery at canford heath", "school", "not schools, nurseries"),
        ("What did Ofsted find when it looked at Poole in 2014?", "unknown_year", "about 2014"),
        ("whats the phone number for the front door", "contact", "no contact details"),
        ("how do i sign up to foster for poole", "contact", "how to use or reach"),
        ("Can you give me the lead inspector's mobile number?", "contact", "no contact details"),
        ("Did Poole's DCS resign after the report came out?", "personnel", "not individual"),
        (
            "my daughter's social worker hasn't visited - is her case being handled properly?",
            "own_case",
            "one family's",
        ),
        ("can social services stop me seeing my son without court", "own_case", "one family's"),
        ("can we legally share info without parental consent", "own_case", "what the law allows"),
        ("was the RI grade harsh in your view", "opinion", "no opinions"),
        ("why did they take my kids off me", "own_case", "one family's"),
        ("can u get me a new social worker", "contact", "how to use or reach"),
        ("should i become a foster carer, im 58", "contact", "how to use or reach"),
        ("in your opinion was ofsted too harsh on poole", "opinion", "no opinions"),
        ("how do i write a chronology for court", "contact", "how to use or reach"),
        (
            "my grandson's social worker hasn't visited for weeks, can you find out why?",
            "own_case",
            "one family's",
        ),
        ("what does it say on my file about the move", "own_case", "one family's"),
        ("why hasn't my son's social worker called me back", "own_case", "one family's"),
        ("can we appeal the placement order made in june", "own_case", "one family's"),
        ("is Cllr Smith doing a good job as lead member?", "opinion", "no opinions"),
        ("should the chief executive step down after this", "opinion", "no opinions"),
        ("what rating did the private children's home in Oakdale get", "school", "providers"),
        ("how good is poole's adult social care these days?", "other_service", "adult social"),
        # The reports say Poole has no children's homes of its own: words the best
        # record holds, but a provider's grade is still not theirs to give.
        ("what rating did the children's home in Hamworthy get?", "school", "providers"),
        ("what did the published serious case review conclude?", "case_review", "own findings"),
        ("what happened to the baby in that scr", "case_review", "own findings"),
        ("adult safeguarding findings", "other_service", "adult social"),
        ("is councillor jones up to the job", "opinion", "no opinions"),
        ("my niece was put into care last year, why?", "own_case", "one family's"),
        ("2014 ofsted findings", "unknown_year", "about 2014"),
        ("yot hmip inspection", "other_inspection", "None of them"),
        ("was my son's file one of the cases ofsted read?", "own_case", "one family's"),
        ("they closed our case in june, was that the right call?", "own_case", "one family's"),
        ("can you tell me why his worker keeps changing?", "own_case", "one family's"),
        ("was Jane Smith a good director of children's services?", "opinion", "no opinions"),
    ],
)
def test_what_the_reports_cannot_say_is_declined_saying_why(search_index, question, reason, says):
    result = _out_of_scope(question, search_index)
    assert says in result.notes[0]


def test_school_meals_are_not_a_school_and_local_against_national_is_not_two_inspections(
    search_index,
):
    result = answer("free school meals primary poole vs national", index=search_index)
    assert result.answered
    assert {h.id for h in result.hits[:2]} == {
        "poole-2017-figure-fsm-primary",
        "poole-2017-figure-fsm-primary-national",
    }


@pytest.mark.parametrize(
    "question",
    [
        "what's behind infant fatalities round here - bed sharing?",
        "junior staff and supervision",
    ],
)
def test_infant_or_junior_without_a_school_is_not_a_school(search_index, question):
    result = answer(question, index=search_index)
    assert result.reason != "out_of_scope"


def test_a_named_infant_school_is_still_a_school(search_index):
    result = answer("ofsted report on st marys infant school", index=search_index)
    assert not result.answered and result.reason == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "did the DCS resign after the report came out?",
        "which team manager was to blame for the out of hours failings",
        "was anyone sacked over the out of hours service",
    ],
)
def test_what_happened_to_one_member_of_staff_is_declined_with_the_nearest(search_index, question):
    result = _out_of_scope(question, search_index)
    assert result.notes[0].startswith("The reports judge services, not individual staff")
    assert result.hits, "the nearest the reports come, shown as not the answer"


def test_staff_leaving_in_general_is_the_workforce_the_reports_describe(search_index):
    result = answer("are social workers resigning", index=search_index)
    assert result.answered and "workforce" in result.hits[0].themes


@pytest.mark.parametrize(
    "question",
    [
        "what was the name of the director of children's services in 2017",
        "whats the name of the out of hours team manager",
        # The lead inspector's name is in the nearest records, but is not the DCS's.
        "what is the name of the DCS",
        "which college do care leavers go to in the partnership",
    ],
)
def test_a_name_the_reports_never_give_is_declined_with_the_nearest(search_index, question):
    result = answer(question, index=search_index)
    assert not result.answered and result.reason == "out_of_scope"
    assert result.notes == ("The reports don't give that name. The nearest they come is below.",)
    assert result.hits, "the nearest the reports come, shown as not the answer"


@pytest.mark.parametrize(
    ("question", "named_in"),
    [
        ("what's the name of the lead inspector", "poole-2017-about-06"),
        # The name stands in the second record found: it leads.
        ("what is the name of the regional adoption agency", "poole-2017-area-09"),
    ],
)
def test_a_name_a_report_gives_is_answered_by_the_record_giving_it(
    search_index, question, named_in
):
    result = answer(question, index=search_index)
    assert result.answered
    assert result.hits[0].id == named_in


def test_a_capital_at_the_start_of_a_sentence_or_the_councils_own_name_names_no_one():
    hit = Hit(
        id="x",
        kind="finding",
        category="fact",
        report="r",
        report_title="t",
        report_date=None,
        source="s.txt",
        section="s",
        summary=None,
        quote="Managers are visible. The Local Safeguarding Children Board meets in Poole in July.",
        passage="p1",
        lines=(1, 1),
    )
    assert not names_someone(hit, "which charity", frozenset({"poole"}))
    assert names_someone(hit, "which charity")  # without the council's words, Poole is a name
    # A person asked for takes a first name and a surname.
    assert not names_someone(hit, "who chairs it")
    named = dataclasses.replace(hit, quote="Lead inspector: Joy Howick HMI")
    assert names_someone(named, "who was the lead inspector")
    # An organisation's long name is no one's first name and surname.
    body = dataclasses.replace(
        hit, quote="It inspects the Children and Family Court Advisory and Support Service."
    )
    assert not names_someone(body, "who was the director")
    titled = dataclasses.replace(hit, quote="Copied to Councillor Janet Walton, lead member")
    assert names_someone(titled, "who was the lead member")


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("when is the council's next full ofsted inspection due", "future"),
        ("which recruitment company did the council use for foster carers", "name"),
        ("who runs the out of hours team? I need a name", "name"),
        (
            "what did ofsted find when it inspected the borough's children's services in 2014",
            "unknown_year",
        ),
        ("where does the council rank nationally, league table position", "ranking"),
        ("was the 2017 result better or worse than most councils in england", "ranking"),
        ("is poole in the top 10 councils for adoption", "ranking"),
        ("did the council sack anyone after the report", "personnel"),
        ("who was pooles director of childrens services in 2017", "name"),
        ("who wrote the echo article and what date", "name"),
        ("results of the send inspection in poole", "other_inspection"),
        ("what annual rating did poole get from ofsted in 2010", "other_inspection"),
        ("what did ofsted find when it next inspected after 2017", "after_latest"),
        ("did the out of hours service get fixed after the report", "after_latest"),
        # The history records the 2011 inspections' grades; no report of them is here.
        ("what did the 2011 inspection criticise", "no_report"),
        ("what's the pay for an IRO", "money"),
        ("what did ofsted say in 2012", "unknown_year"),
        ("will poole get a better grade next time", "future"),
        ("which council has the best children's services in the south west", "ranking"),
        ("what did the local MP say about the report", "speaker"),
        # Named in the reports is not quoted by them.
        ("What did the DCS tell the press about the report?", "speaker"),
        ("What did the leader of Poole council say about the Ofsted report?", "speaker"),
        ("what did ofsted's monitoring visits after the 2017 report find?", "after_latest"),
        ("how did poole youth offending service do in its last inspection", "other_inspection"),
        ("What did the SEND area inspection say about EHCP delays?", "other_inspection"),
    ],
)
def test_what_the_reports_never_say_is_declined_however_it_is_worded(
    search_index, question, reason
):
    result = answer(question, index=search_index)
    assert not result.answered and result.reason == "out_of_scope", result.notes
    assert _problem_reasons(search_index, question)[0] == reason


def _problem_reasons(index, question):
    from bot.answers.pipeline import _inspection_years
    from bot.answers.scope import scope_problems
    from bot.search.query import tokenize

    parsed = index.parse(question)
    return [
        p.reason
        for p in scope_problems(
            parsed.text,
            tokenize(parsed.text),
            parsed.years,
            set(index.meta.years),
            index.meta.coverage,
            _inspection_years(index),
            grade_question=parsed.intent == "judgement",
            council_words=index.place_words,
        )
    ]


def test_speed_against_the_rest_of_the_country_is_a_finding_not_a_ranking(search_index):
    # The adoption section says children move to adoptive families more quickly than
    # in many other parts of the country: asked without a grade, it is answered.
    result = answer("is adoption quicker here than in other councils", index=search_index)
    assert result.answered and result.hits[0].id.startswith("poole-2017-adoption")


@pytest.mark.parametrize(
    "question",
    [
        "was the safeguarding children board (the joint one with bournemouth) rated good?",
        "how was the bournemouth and poole lscb graded",
        "is the lscb shared with bournemouth any good",
    ],
)
def test_what_the_council_shares_with_another_is_graded_not_declined(search_index, question):
    result = answer(question, index=search_index)
    assert result.answered
    assert result.hits[0].id == "poole-2017-judgement-lscb"


def test_the_other_councils_own_board_is_still_declined(search_index):
    _out_of_scope("what did ofsted say about bournemouth's own lscb", search_index)
    _out_of_scope("what grade did bournemouth get", search_index)


@pytest.mark.parametrize(
    "question",
    [
        "is the MASH better now than in 2017",
        "did the council ever fix the out of hours service after the report came out?",
        "has the MASH improved since the 2017 inspection",
        "has poole got better since the most recent inspection",
    ],
)
def test_a_change_after_the_latest_inspection_is_declined_with_the_nearest(search_index, question):
    result = answer(question, index=search_index)
    assert not result.answered and result.reason == "out_of_scope"
    assert result.notes[0].startswith(
        "The reports don't say: the latest inspection in them is 2017's, and they record "
        "nothing after it."
    )
    assert result.hits, "the nearest the reports come, shown as not the answer"


@pytest.mark.parametrize(
    "question",
    [
        "has supervision got better since 2010",
        # The 2017 report says what changed since the inspection before it.
        "what has changed since the last inspection",
        # A later report says what was done about an earlier inspection's findings.
        "did poole act on the recommendations from the 2011 inspection",
        "what had the council changed since the 2011 inspection",
        # The press quotes the LSCB's chair and the lead member.
        "what did the LSCB chair say",
        "is the MASH coping now",
        # The press reported the council's response after the report came out.
        "what did the council say after the report came out",
    ],
)
def test_a_change_the_reports_record_is_answered(search_index, question):
    assert answer(question, index=search_index).answered


@pytest.mark.parametrize(
    ("question", "answered_by"),
    [
        # A designated role, not a name asked for.
        (
            "Prepping for the named GPs meeting: is it true Ofsted said health professionals "
            "don't reliably turn up to child protection conferences?",
            {"poole-2017-help-findings-22", "poole-2017-help-summary-05"},
        ),
        # Coming into care in a year is not an inspection in it.
        (
            "what did ofsted find about children who came into care in 2016",
            None,
        ),
        # How foster carers are supported is what inspectors found, not a service's how-to.
        ("how do foster carers get support", {"poole-2017-lac-findings-14"}),
        # Asking the bot for something it holds is no request for a service.
        (
            "can you give me a timeline of every ofsted inspection of poole you've got",
            None,
        ),
        ("when do social services take children into care", None),
        # Heed is paid, not money; a child coming back is no inspection to come.
        (
            "did inspectors want staff to pay more heed to a youngster's heritage, race and faith?",
            {"poole-2017-rec-11"},
        ),
        ("if i run off and then come back does anyone ask me why", None),
        # Money that names a thing the reports discuss, not a budget.
        ("pocket money sorted?", {"poole-2017-leadership-findings-16"}),
        # What a plan says to do ("seek legal advice") is not legal advice asked for.
        (
            "our audits keep finding contingency plans that just say 'seek legal advice'. "
            "did ofsted make a recommendation",
            {"poole-2017-rec-03"},
        ),
        # The council is what is graded; the school is only where it happened.
        (
            "a teacher at my school was accused of hurting a pupil - is poole any good at "
            "sorting out claims like this?",
            {"poole-2017-help-findings-35"},
        ),
    ],
)
def test_words_that_look_out_of_scope_in_a_covered_question_do_not_decline_it(
    search_index, question, answered_by
):
    result = answer(question, index=search_index)
    assert result.answered, result.notes
    if answered_by:
        assert result.hits[0].id in answered_by


def test_a_service_the_reports_discuss_is_not_another_inspection(search_index):
    # "Early years" is a topic of the 2017 report, whatever "the inspection" it is asked of.
    assert "other_inspection" not in _problem_reasons(
        search_index, "how good is early years provision according to the inspection"
    )


def test_what_a_press_statement_says_is_answered_by_it(search_index):
    result = answer("what did the LSCB chair tell the echo", index=search_index)
    assert result.answered and result.hits[0].extra.get("speaker", "").startswith("Sarah Elliott")


@pytest.mark.parametrize(
    "question",
    [
        "how is the move to adult services planned for disabled teenagers?",
        "does the director of children's services also run adult social care?",
        "does poole have any children's homes of its own?",
        "my son is in care - can you find out what ofsted said about placements near home?",
        "is the MASH doing a good job?",
        "how many serious case reviews were there in 2016/17?",
        "how does the board learn from serious case reviews?",
        "my daughter was taken into care - how long do care proceedings take?",
        # Practice words that only look like out-of-scope ones.
        "do assessments weigh a child's identity and heritage?",
    ],
)
def test_what_only_sounds_like_a_case_an_opinion_or_another_service_is_answered(
    search_index, question
):
    # A family's own words around a question the reports answer, a service's (not a
    # person's) job, the move to adult services and the council's own homes are all
    # what the reports cover.
    result = answer(question, index=search_index)
    assert result.answered, result.notes
