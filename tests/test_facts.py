"""The fact layer: what a sentence states, read once. Readings from hand-made
parses (no model needed), times resolved against an article's date, the
same-fact tests, the cache, a missing pipeline, and real parses where
../shared has the real pipeline."""
from __future__ import annotations

from datetime import date

import pytest

from toolkit.errors import ModelUnavailable
from toolkit.facts import Fact, Quantity, Reading, TimeExpr, compatible, fact_of, facts_for, read_sentences
from toolkit.facts.model import (CLOCK, COMPARED, COUNT, DATE, DISTANCE, DONE, INCREMENT, MAGNITUDE, PLANNED, QUESTION,
                                 When)
from toolkit.facts.reading import read_doc
from toolkit.facts.model import Entity, PLACE
from toolkit.facts.same import number_slot, same_fact
from toolkit.facts.when import resolve


def _doc(words, pos, deps, heads, ents=(), lemmas=None):
    """A parsed sentence built by hand: `heads` as absolute indices, `ents`
    as (start, end, label)."""
    import spacy
    from spacy.tokens import Doc, Span

    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, pos=pos, deps=deps, heads=heads, lemmas=lemmas or [w.lower() for w in words])
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def test_a_clock_time_a_distance_and_a_magnitude_never_count_people():
    words = "A magnitude 6.9 quake struck at 8:00 , 40 km away , killing 12 people .".split()
    pos = ["DET", "NOUN", "NUM", "NOUN", "VERB", "ADP", "NUM", "PUNCT", "NUM", "NOUN", "ADV", "PUNCT", "VERB",
           "NUM", "NOUN", "PUNCT"]
    deps = ["det", "compound", "nummod", "nsubj", "ROOT", "prep", "pobj", "punct", "nummod", "npadvmod", "advmod",
            "punct", "advcl", "nummod", "dobj", "punct"]
    heads = [3, 3, 3, 4, 4, 4, 5, 4, 9, 10, 4, 4, 4, 14, 12, 4]
    lemmas = [{"struck": "strike", "killing": "kill"}.get(w, w.lower()) for w in words]
    reading = read_doc(_doc(words, pos, deps, heads, [(6, 7, "TIME"), (8, 10, "QUANTITY"), (13, 14, "CARDINAL")],
                            lemmas))
    kinds = {q.shown: q.kind for q in reading.quantities}
    assert kinds == {"6.9": MAGNITUDE, "8:00": CLOCK, "40": DISTANCE, "12": COUNT}
    twelve = next(q for q in reading.quantities if q.shown == "12")
    assert (twelve.counts, twelve.role, twelve.event) == ("people", "dead", "kill")
    assert not reading.negated and reading.event == "strike"


def test_planned_negated_and_asked_sentences():
    plan = read_doc(_doc("Russia will send aid .".split(), ["PROPN", "AUX", "VERB", "NOUN", "PUNCT"],
                         ["nsubj", "aux", "ROOT", "dobj", "punct"], [2, 2, 2, 2, 2]))
    assert plan.mode == PLANNED and plan.event == "send"
    denial = read_doc(_doc("Iran did not release them .".split(), ["PROPN", "AUX", "PART", "VERB", "PRON", "PUNCT"],
                           ["nsubj", "aux", "neg", "ROOT", "dobj", "punct"], [3, 3, 3, 3, 3, 3]))
    assert denial.negated
    question = read_doc(_doc("Who is ill ?".split(), ["PRON", "AUX", "ADJ", "PUNCT"],
                             ["nsubj", "ROOT", "acomp", "punct"], [1, 1, 1, 1]))
    assert question.mode == QUESTION


@pytest.mark.parametrize("words, article, mode, expected", [
    ("on Thursday", date(2010, 3, 13), DONE, ("2010-03-11", "day", "weekday")),  # a Saturday report
    ("on Saturday", date(2010, 3, 13), DONE, ("2010-03-13", "day", "weekday")),  # the article's own day
    ("on Tuesday", date(2010, 3, 13), PLANNED, ("2010-03-16", "day", "weekday")),  # to come
    ("yesterday", date(2010, 3, 1), DONE, ("2010-02-28", "day", "relative")),
    ("last month", date(2010, 1, 15), DONE, ("2009-12-01", "month", "relative")),
    ("December 28", date(2010, 1, 3), DONE, ("2009-12-28", "day", "month")),  # last year's
    ("January 12, 2010", None, DONE, ("2010-01-12", "day", "stated")),
    ("in 2007", None, DONE, ("2007-01-01", "year", "stated")),
])
def test_times_are_read_against_the_article_date(words, article, mode, expected):
    when = resolve(TimeExpr(words), article, mode)
    assert (when.date, when.precision, when.method) == expected


def test_a_relative_time_without_an_article_date_stays_unresolved():
    assert resolve(TimeExpr("on Thursday"), None) is None
    assert resolve(TimeExpr("recently"), date(2010, 3, 13)) is None


def test_the_event_date_is_the_time_of_the_main_event():
    reading = Reading("x", event="strike", events=("strike",), mode=DONE,
                      times=(TimeExpr("Thursday", "strike"), TimeExpr("yesterday", "say")))
    fact = fact_of(reading, "2010-03-13")
    assert fact.when == When("2010-03-11", "day", "weekday", "Thursday")
    assert len(fact.dates) == 2
    assert fact_of(reading, "").when is None


def _fact(event="hit", negated=False, mode=DONE, day=None, quantities=(), intended=()):
    when = When(day, "day", "weekday", day) if day else None
    return Fact(Reading("x", event=event, events=(event,), negated=negated, mode=mode, quantities=quantities,
                        intended=intended), when)


def test_facts_that_cannot_be_one():
    assert compatible(_fact(), _fact())
    assert not compatible(_fact(), _fact(negated=True))                       # asserted / denied
    assert not compatible(_fact(), _fact(mode=PLANNED))                       # done / to come
    assert not compatible(_fact(mode=QUESTION), _fact())                      # a question states nothing
    assert not compatible(_fact(day="2010-02-27"), _fact(day="2010-03-11"))   # two quakes
    assert compatible(_fact(day="2010-02-27"), _fact())                       # one day unknown
    assert not compatible(_fact(event="sign"), _fact(event="agree", intended=("sign",)))
    # different verbs may say one thing: the model weighs them
    assert compatible(_fact(event="decline"), _fact(event="comment", negated=True))


def test_only_numbers_of_one_kind_and_thing_are_one_slot():
    dead = lambda v: Quantity(v, v, COUNT, "people", "dead", "kill")  # noqa: E731
    clock = Quantity("8", "8:00", CLOCK, "am")
    a = _fact(quantities=(dead("12"), clock, Quantity("1004", "1,004", COUNT, "case")))
    b = _fact(quantities=(dead("15"), Quantity("9", "9:00", CLOCK, "am"), Quantity("9", "nine", COUNT, "case")))
    assert number_slot(a, b, "12", "15") == "dead"
    assert number_slot(a, b, "1004", "9") == "case"
    assert number_slot(a, b, "12", "9") is None        # deaths are not cases
    infected = _fact(quantities=(Quantity("11000", "11,000", COUNT, "people", "", "infect"),))
    assert number_slot(a, infected, "12", "11000") is None  # the dead are not the infected
    assert number_slot(a, b, "8", "9") is None         # clock times are never a fact's figure
    deep = lambda v, day: _fact(day=day, quantities=(Quantity(v, v, DISTANCE, "km"),))  # noqa: E731
    assert number_slot(deep("10", None), deep("35", None), "10", "35") is None
    assert number_slot(deep("10", "2010-02-27"), deep("35", "2010-02-27"), "10", "35") == "distance:km"
    # the same count in two places is two facts
    where = lambda place, v: Fact(Reading("x", event="confirm", quantities=(Quantity(v, v, COUNT, "case"),),  # noqa: E731
                                          places=(Entity(place, place.lower(), PLACE),)))
    assert number_slot(where("Canada", "13"), where("Scotland", "2"), "13", "2") is None
    assert number_slot(where("Canada", "13"), where("Canada", "15"), "13", "15") == "case"


def test_same_fact_needs_closeness_and_compatibility():
    a = Fact(Reading("The storm hit the city on Monday.", event="hit", events=("hit",), mode=DONE,
                     content=("storm", "hit", "city", "monday")))
    b = Fact(Reading("The storm hit the city on Monday.", event="hit", events=("hit",), mode=DONE,
                     content=("storm", "hit", "city", "monday")))
    assert same_fact(a, b, 0.99)
    assert not same_fact(a, b, 0.2)
    denied = Fact(Reading(b.text, event="hit", events=("hit",), mode=DONE, negated=True, content=b.reading.content))
    assert not same_fact(a, denied, 0.99)


def test_readings_are_cached_by_text(tmp_path, monkeypatch):
    import spacy

    nlp = spacy.blank("en")
    texts = ["Twelve people were killed.", "Rescue teams arrived.", "Twelve people were killed."]
    first = read_sentences(texts, nlp=nlp, cache_dir=tmp_path)
    assert [r.text for r in first] == texts
    monkeypatch.setattr(nlp, "pipe", lambda *a, **k: pytest.fail("parsed again"))
    assert read_sentences(texts, nlp=nlp, cache_dir=tmp_path) == first


def test_a_missing_pipeline_names_the_command_that_fetches_it(monkeypatch, tmp_path):
    from toolkit.facts import nlp

    monkeypatch.setenv("TOOLKIT_NLP_MODEL", "en_core_web_nonexistent")
    with pytest.raises(ModelUnavailable, match="toolkit models download"):
        nlp.load()
    monkeypatch.setenv("TOOLKIT_NLP_MODEL", str(tmp_path / "nowhere"))
    with pytest.raises(ModelUnavailable, match="no spaCy pipeline at"):
        nlp.load()


def test_summarize_without_the_pipeline_is_one_line_exit_3(monkeypatch):
    from click.testing import CliRunner

    from conftest import embedding_hub
    from toolkit.cli import main

    monkeypatch.setenv("HF_HUB_CACHE", str(embedding_hub()))
    monkeypatch.setenv("TOOLKIT_NLP_MODEL", "en_core_web_nonexistent")
    run = CliRunner().invoke(main, ["summarize", "--translations", "examples/en/", "examples/"])
    assert run.exit_code == 3
    assert "toolkit models download" in run.output and "Traceback" not in run.output


@pytest.mark.parametrize("text, mode, negated, kinds", [
    ("A magnitude 6.9 earthquake struck Chile on Thursday at 8:00 AM local time, killing 12 people.", DONE, False,
     {"6.9": MAGNITUDE, "8:00": CLOCK, "12": COUNT}),
    ("The two leaders will sign the agreement next month.", PLANNED, False, {}),
    ("The Iranian government has not released the 15 sailors.", DONE, True, {"15": COUNT}),
    ("So who is getting H1N1 swine flu in the US ?", QUESTION, False, {}),
])
def test_real_parses(text, mode, negated, kinds, real_nlp):
    reading = facts_for([text])[0].reading
    assert (reading.mode, reading.negated) == (mode, negated)
    assert {q.shown: q.kind for q in reading.quantities if q.shown in kinds} == kinds


def test_increments_habits_and_other_years_are_no_slot():
    from toolkit.facts.model import INCREMENT

    cases = lambda v, bound="": Quantity(v, v, COUNT, "case", "", "confirm", bound)  # noqa: E731
    assert number_slot(_fact(quantities=(cases("3", INCREMENT),)), _fact(quantities=(cases("25"),)), "3", "25") is None
    yearly = Fact(Reading("x", event="die", quantities=(cases("36000"),), times=(TimeExpr("each year", "die"),)))
    assert number_slot(yearly, _fact(quantities=(cases("160"),)), "36000", "160") is None
    then = Fact(Reading("x", quantities=(cases("200"),)), dates=(When("1976-01-01", "year", "stated", "1976"),))
    now = Fact(Reading("x", quantities=(cases("150"),)), dates=(When("2009-04-27", "day", "weekday", "Monday"),))
    assert number_slot(then, now, "200", "150") is None


def test_one_event_told_in_other_words():
    from toolkit.facts.same import same_event

    def told(event, content, day="Monday", places=(), events=()):
        return Fact(Reading("x", event=event, events=(event, *events), mode=DONE, content=content,
                            times=(TimeExpr(f"on {day}", event),),
                            places=tuple(Entity(p, p.lower(), PLACE) for p in places)))

    hit = told("hit", ("storm", "strong", "hit", "city"), places=("Safaa",))
    woke = told("wake", ("resident", "wake", "strong", "storm"))
    assert same_event(hit, woke) and same_event(woke, hit)
    assert not same_event(hit, told("wake", ("resident", "wake", "strong", "storm"), day="Tuesday"))
    assert not same_event(told("kill", ("people", "kill", "blast"), places=("Kabul",)),
                          told("kill", ("people", "kill", "blast"), places=("Lahore",)))
    assert not same_event(hit, told("flood", ("storm", "flood")))  # one word in common proves little
    # one half of "held talks and signed" does not state the whole
    both = told("talk", ("talk", "sign", "agreement", "leader"), events=("sign",))
    assert not same_event(both, told("talk", ("talk", "leader", "agreement")))


def test_a_source_giving_a_count_another_value_does_not_corroborate():
    from toolkit.facts.same import corroborates

    cases = lambda v: Quantity(v, v, COUNT, "case", "", "confirm")  # noqa: E731
    assert corroborates(_fact(quantities=(cases("403"),)), _fact(quantities=(cases("403"),)))
    assert not corroborates(_fact(quantities=(cases("403"),)), _fact(quantities=(cases("2"),)))
    assert corroborates(_fact(quantities=(cases("403"),)), _fact())  # says nothing of the count
    assert not corroborates(_fact(day="2010-03-01"), _fact(day="2010-03-04"))


def test_a_sentence_that_says_little_beyond_the_story_is_never_corroborated():
    from toolkit.brief.points import claim_rarity, thin_claims

    texts = ["Swine flu cases rose in Mexico City hospitals as clinics closed schools.",
             "Swine flu patients filled clinics while officials urged calm and masks.",
             "Health workers tested swine flu samples from pupils and teachers.",
             "And that was before swine flu."]
    assert thin_claims(texts, claim_rarity(texts), 0.25) == {3}


def test_the_day_of_an_event_to_come_is_after_its_article():
    from toolkit.facts import event_day

    plan = Reading("x", event="gather", events=("gather",), mode=PLANNED, times=(TimeExpr("on Sunday", "gather"),))
    deed = Reading("x", event="gather", events=("gather",), mode=DONE, times=(TimeExpr("on Sunday", "gather"),))
    assert event_day(fact_of(plan, "2005-01-20"), "2005-01-20") == "2005-01-23"   # the Sunday to come
    assert event_day(fact_of(deed, "2005-01-20"), "2005-01-20") == "2005-01-16"   # the Sunday before
    assert event_day(fact_of(Reading("x"), "2005-01-20"), "2005-01-20") == "2005-01-20"


def test_a_parse_stopped_half_way_keeps_the_batches_it_read(tmp_path, monkeypatch):
    import spacy

    from toolkit.facts import parse

    monkeypatch.setattr(parse, "BATCH", 2)
    nlp = spacy.blank("en")
    texts = [f"Sentence number {k} was read." for k in range(5)]
    real_pipe = nlp.pipe

    def dies_after_three(items, **kw):
        for k, doc in enumerate(real_pipe(items, **kw)):
            if k == 3:
                raise KeyboardInterrupt
            yield doc

    monkeypatch.setattr(nlp, "pipe", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        read_sentences(texts, nlp=nlp, cache_dir=tmp_path)
    seen = []
    monkeypatch.setattr(nlp, "pipe", lambda items, **kw: (seen.extend(items), real_pipe(items, **kw))[1])
    again = read_sentences(texts, nlp=nlp, cache_dir=tmp_path)
    assert [r.text for r in again] == texts
    assert seen == texts[2:]  # the first batch was kept; only the rest is parsed again


def test_a_count_only_expected_is_no_figure():
    from toolkit.brief.timeline import figure_counts
    from toolkit.facts.model import SPECULATED

    expected = Fact(Reading("x", quantities=(Quantity("100000", "100,000", COUNT, "toll", "dead", "increase",
                                                      SPECULATED),)))
    told = Fact(Reading("x", quantities=(Quantity("12", "12", COUNT, "people", "dead", "kill"),)))
    assert figure_counts(expected) == [] and figure_counts(told) == [("dead", "12", "12")]
    assert number_slot(expected, told, "100000", "12") is None


@pytest.mark.parametrize("text, value, bound", [
    ("The 15 sailors who were arrested will be put on trial.", "15", ""),
    ("The death toll could rise to 100,000.", "100000", "speculated"),
    ("Officials said 12 people may have died.", "12", "speculated"),
    # what is new is the subject's: "new cases include 13 children"
    ("The new cases include 13 children at the school.", "13", "increment"),
    ("The new budget of 15 million dollars was approved.", "15000000", ""),
])
def test_what_a_subject_counts_is_no_speculation(text, value, bound):
    reading = _written_out(text)
    assert [q.bound for q in reading.quantities if q.value == value] == [bound]


def test_a_span_of_years_is_a_date_not_a_count():
    fact = fact_of(_written_out("Experts compare it with the Spanish flu pandemic of 1918-1919, which killed 20 million "
                                "people."), "2009-04-28")
    kinds = {q.value: q.kind for q in fact.reading.quantities}
    assert kinds["1918"] == DATE and kinds["20000000"] == COUNT
    assert "1918-01-01" in [w.date for w in fact.dates]


@pytest.mark.parametrize("text, value", [
    ("Week 42: 17-23 October 2009 Transmission details are not updated.", "17"),
    ("Week 9: 27 February-5 March Transmission details are not updated.", "27"),
    ("Its main part will take place on June 19.", "19"),
])
def test_a_day_beside_a_month_is_a_date(text, value):
    reading = _written_out(text)
    assert [q.kind for q in reading.quantities if q.value == value] == [DATE]


@pytest.mark.parametrize("text, roles", [
    ('Officials said: "They are talking about three million people being killed, injured or homeless.', {"3000000": ""}),
    ("Donors help the estimated three million injured and made homeless by the disaster.", {"3000000": ""}),
    ("The quake killed 200 and injured 1,000 people.", {"200": "dead", "1000": "injured"}),
])
def test_a_count_of_several_roles_together_has_none(text, roles):
    reading = _written_out(text)
    assert {q.value: q.role for q in reading.quantities} == roles


@pytest.mark.parametrize("text, value, role, bound", [
    # the verb's complement says what the count is
    ("About 20,000 people were left homeless by the storm.", "20000", "displaced", "about"),
    ("Fewer than five guards were found dead.", "5", "dead", "less"),
    # "affected" is the widest count, no other role's
    ("Officials think two million people have been affected by the floods.", "2000000", "affected", ""),
    # a count of another event the story is set beside is no figure of its own
    ("Critics compared the spill with a fire in which almost 300 people died.", "300", "dead", COMPARED),
    # others beside those told of before: no total
    ("Nine other guards died and 30 were injured.", "9", "dead", INCREMENT),
    ("A possible half-million people are now without power.", "500000", "", ""),
])
def test_what_a_count_is_read_from_the_words_around_it(text, value, role, bound):
    assert [(q.role, q.bound) for q in _written_out(text).quantities if q.value == value] == [(role, bound)]


def test_the_homeless_and_the_affected_are_not_one_figure():
    from toolkit.brief.timeline import figure_counts

    homeless = fact_of(_written_out("About 20,000 people were left homeless by the storm."))
    affected = fact_of(_written_out("Officials think two million people have been affected by the floods."))
    compared = fact_of(_written_out("Critics compared the spill with a fire in which almost 300 people died."))
    assert number_slot(homeless, affected, "20000", "2000000") is None
    assert figure_counts(compared) == []
    told = fact_of(Reading("x", quantities=(Quantity("12", "12", COUNT, "people", "dead", "die"),)))
    assert number_slot(compared, told, "300", "12") is None


def _written_out(text: str) -> Reading:
    """The reading of a sentence of `fact_fixtures.PARSES`, as the real
    pipeline parses it, without the pipeline."""
    from fact_fixtures import PARSES, parsed

    return read_doc(parsed(PARSES[text]))


def test_the_real_parser_gives_the_written_out_readings(real_nlp):
    from fact_fixtures import PARSES

    # Numbers and times are what these readings are tested for; the written
    # parse has no morphology, which the event reading also uses.
    texts = list(PARSES)
    assert [(r.quantities, r.times) for r in read_sentences(texts)] == [
        (_written_out(t).quantities, _written_out(t).times) for t in texts]
