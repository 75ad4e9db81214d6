"""Sources a journalist can weigh: copies and shared wording counted once
(toolkit.brief.copies), disagreements found and shown side by side
(toolkit.brief.differ), and the clearest sentence shown for a point."""
from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import REPO, need_shared, real_embedding_hub
from summarize_fixtures import MODEL_ID, STORY, make_articles, use_shared_hub
from toolkit import brief as S
from toolkit.brief.copies import find_copies, independent_sources, shared_sentences, copy_groups
from toolkit.brief.differ import conflict, fact_versions
from toolkit.brief.english import balanced_quotes, is_clear
from toolkit.brief.versions import original_of
from toolkit.embed import Embedder
from toolkit.records import Published

# An invented agency story and a local report quoting one of its sentences.
AGENCY = [
    "Rescue teams pulled twelve survivors from the collapsed hotel in the northern port city late on Tuesday.",
    "The regional governor said the building had failed a safety inspection two years ago.",
    "Engineers will examine the remaining structures along the seafront before residents may return.",
    "The hotel had been closed to guests for renovation since the beginning of the month.",
    "Police have opened an investigation into the company that carried out the renovation work.",
]
LOCAL = [
    "Families gathered outside the city hospital waiting for news of their relatives.",
    "The regional governor said the building had failed a safety inspection two years ago.",
    "Local shops stayed closed as a mark of respect for the victims and their families.",
    "Volunteers handed out water and blankets to people waiting near the cordon.",
]


def story(*bodies):
    return make_articles({k: lines for k, lines in enumerate(bodies, 1)})


def test_a_verbatim_or_edited_copy_is_recognised_and_names_its_original():
    edited = ["Hotel collapse: latest", "Our correspondent sends this report from the coast."] + [
        " ".join(s.split()[:2] + s.split()[3:]) if k == 2 else s for k, s in enumerate(AGENCY[1:])]
    articles, english = story(AGENCY, LOCAL, AGENCY, edited)
    assert find_copies(articles, english) == {3: 1, 4: 1}
    # A copy published first is the original.
    dated = [dataclasses.replace(a, published=Published(d, "option"))
             for a, d in zip(articles, ("2024-06-20", "2024-06-19", "2024-06-19", "2024-06-21"))]
    assert find_copies(dated, english) == {1: 3, 4: 3}


def test_shared_sentences_are_every_pair_a_full_comparison_finds():
    """The index looks only at each sentence's rarest shingles; it must
    find exactly the pairs that comparing every two sentences finds, at
    the threshold's edge too."""
    import random

    from toolkit.brief.copies import SHARED_SENTENCE, shingles, words

    rng = random.Random(7)
    vocab = [f"w{k}" for k in range(40)] + ["the", "said", "on", "oil"] * 10
    base = [[rng.choice(vocab) for _ in range(rng.randint(8, 30))] for _ in range(12)]
    by_article: dict[int, list[str]] = {}
    for number in range(1, 7):
        lines = []
        for _ in range(12):
            mine = list(rng.choice(base))
            # Edited copies: words changed, cut or added, some past the bound.
            for _ in range(rng.randint(0, 6)):
                mine[rng.randrange(len(mine))] = rng.choice(vocab)
            lines.append(" ".join(mine[:rng.randint(8, len(mine))] + mine[:rng.randint(0, 3)]))
        by_article[number] = lines
    articles, english = make_articles(by_article)
    sets = {s.id: (a.number, shingles(words(s.text, arabic=False))) for a in articles for s in a.sentences}
    ids = list(sets)
    want = [(x, y) for k, x in enumerate(ids) for y in ids[k + 1:]
            if sets[x][0] != sets[y][0] and len(sets[x][1] & sets[y][1]) / min(len(sets[x][1]), len(sets[y][1]))
            >= SHARED_SENTENCE]
    assert len(want) >= 15
    assert shared_sentences(articles, english) == want


def test_independent_reports_and_other_languages_are_not_copies():
    articles, english = make_articles()
    assert find_copies(articles, english) == {}
    arts, eng = story(AGENCY, AGENCY)
    arts[1] = dataclasses.replace(arts[1], language="en")
    assert find_copies(arts, eng) == {}


def test_a_sentence_shared_word_for_word_counts_once():
    articles, english = story(AGENCY, LOCAL)
    pairs = shared_sentences(articles, english)
    assert pairs == [("1.2", "2.2")]
    groups = copy_groups(articles, pairs)
    originals = original_of(articles)
    # The governor's words in both reports are one source; a third that
    # says it in its own words is another.
    assert independent_sources([("1.2", 1), ("2.2", 2)], originals, groups) == 1
    assert independent_sources([("1.2", 1), ("2.2", 2), ("3.1", 3)], originals, groups) == 2
    # Two reports that each also state the point in their own words are two
    # sources; one whose every cited sentence the other has is none.
    assert independent_sources([("1.1", 1), ("1.2", 1), ("2.2", 2), ("2.4", 2)], originals, groups) == 2
    assert independent_sources([("1.2", 1), ("2.2", 2), ("2.4", 2)], originals, groups) == 1
    copies = [dataclasses.replace(a, copy_of=1) if a.number == 2 else a for a in articles]
    assert independent_sources([("1.1", 1), ("2.1", 2)], original_of(copies), {}) == 1


@pytest.mark.parametrize("first, second, kind, values", [
    ("Twelve people were killed in the blast on Monday.", "15 people were killed in the blast on Monday.",
     "number", ("12", "15")),
    ("The death toll rose to 6,438 on Friday.", "The death toll stood at 6,301.", "number", ("6438", "6301")),
    ("The agreement was signed on June 19 in Pyongyang.", "The agreement was signed on June 20 in Pyongyang.",
     "number", ("19", "20")),
    ("The two leaders signed the agreement on Wednesday.", "The agreement was signed on Thursday.", "day",
     ("wednesday", "thursday")),
    ("Putin held talks at the guest house in the capital Pyongyang.",
     "Putin held talks at the guest house in the capital Moscow.", "name", ("pyongyang", "moscow")),
])
def test_conflicting_values(first, second, kind, values):
    c = conflict(first, second)
    assert c is not None and c.kind == kind and (c.first, c.second) == values


@pytest.mark.parametrize("first, second, shown", [
    ("The storm left as many as 4,500-5,000 people dead.", "The storm left as many as 5,000-10,000 people dead.",
     ("4,500-5,000", "5,000-10,000")),
    ("Between 20 and 30 boats sank; officials said 200 to 300 people drowned.", "Officials said 900 people drowned.",
     ("200 to 300", "900")),
    ("Officials said 250 people drowned.", "Officials said 900 people drowned.", ("250", "900")),
])
def test_an_end_of_a_range_is_shown_with_the_whole_range(first, second, shown):
    c = conflict(first, second)
    assert c is not None and (c.shown_first, c.shown_second) == shown


@pytest.mark.parametrize("first, second", [
    # a bound is not a value
    ("Sixteen bodies have been recovered from the ocean.", "At least two bodies have been recovered so far."),
    # numbers of different things
    ("Romanians raised 15 billion lei, the equivalent of 395,000 euro.",
     "The public raised 395,000 euro while the government pledged 150,000 euro."),
    # one sentence gives no day
    ("The agreement was signed on Wednesday.", "The agreement was signed in Pyongyang."),
    # another way to name one side, in another wording
    ("It will form the basis of relations between Moscow and Pyongyang.",
     "It will form the basis of relations between Russia and North Korea."),
    ("The plane vanished from radar 190 miles off the coast.", "The plane vanished from radar on June 1st."),
])
def test_no_conflict(first, second):
    assert conflict(first, second) is None


def _units(texts):
    arts, eng = story(*[[t] for t in texts])
    units, _ = S.brief_units(arts, eng)
    return arts, units


def test_versions_of_one_time_disagree_and_of_later_days_are_updates():
    import numpy as np

    texts = ["Twelve people were killed in the blast on Monday.", "Police said 15 people were killed in the blast on Monday.",
             "Twelve people were killed in the blast on Monday, officials said."]
    arts, units = _units(texts)
    points = np.ones((3, 3), dtype=bool)
    facts = fact_versions(units, points, original_of(arts))
    assert len(facts) == 1 and facts[0].kind == "disagreement"
    assert [(v.value, v.citations) for v in facts[0].versions] == [("12", ("1.1", "3.1")), ("15", ("2.1",))]
    assert "…" in facts[0].about and "killed" in facts[0].about
    dated = fact_versions(units, points, original_of(arts), {1: "2010-01-12", 2: "2010-01-14", 3: "2010-01-12"})
    assert dated[0].kind == "update" and dated[0].versions[-1].value == "15"
    # A copy does not disagree with its original.
    copies = [dataclasses.replace(a, copy_of=1) if a.number == 2 else a for a in arts]
    assert fact_versions(units[:2], points[:2, :2], original_of(copies)) == []


def test_a_day_or_a_name_given_otherwise_later_is_a_disagreement_not_an_update():
    import numpy as np

    texts = ["The agreement was signed on Wednesday in Pyongyang.", "The agreement was signed on Thursday in Pyongyang."]
    arts, units = _units(texts)
    points = np.ones((2, 2), dtype=bool)
    facts = fact_versions(units, points, original_of(arts), {1: "2024-06-19", 2: "2024-06-25"})
    assert [f.kind for f in facts] == ["disagreement"]


def _toll(text: str, value: str, counts: str = "people", role: str = "dead"):
    from toolkit.facts.model import COUNT, DONE, PLACE, Entity, Fact, Quantity, Reading

    return Fact(Reading(text, event="kill", events=("kill",), mode=DONE,
                        quantities=(Quantity(value, value, COUNT, counts, role, "kill"),),
                        places=(Entity("Atlantic Ocean", "atlantic ocean", PLACE),)))


def test_a_toll_given_two_values_differs_however_the_rest_is_worded():
    import numpy as np

    texts = ["The jetliner crashed into the Atlantic Ocean, killing all 228 people on board.",
             "The aircraft was destroyed when it hit the Atlantic Ocean, killing all 304 people on board."]
    arts, units = _units(texts)
    points, far = np.ones((2, 2), dtype=bool), np.zeros((2, 2), dtype=bool)
    low = np.zeros((2, 2))
    tolls = [_toll(texts[0], "228"), _toll(texts[1], "304")]
    found = fact_versions(units, points, original_of(arts), similar=far, facts=tolls, cosine=low)
    assert [[v.value for v in f.versions] for f in found] == [["228", "304"]]
    # Reported on two days, a toll worded apart is left to the latest figures.
    days = {1: "2009-06-01", 2: "2009-06-03"}
    assert fact_versions(units, points, original_of(arts), days, similar=far, facts=tolls, cosine=low) == []
    # A sentence listing places (a table of countries) gives no count a slot.
    def listing(fact):
        from toolkit.facts.model import PLACE, Entity

        more = tuple(Entity(n, n.lower(), PLACE) for n in ("Brazil", "France"))
        return dataclasses.replace(fact, reading=dataclasses.replace(fact.reading, places=fact.reading.places + more))

    listed = [tolls[0], listing(tolls[1])]
    assert fact_versions(units, points, original_of(arts), similar=far, facts=listed, cosine=low) == []
    # A count of anything else is compared only between sentences close
    # besides the value: two wordings far apart may count two things.
    counts = [_toll(texts[0], "228", role=""), _toll(texts[1], "304", role="")]
    assert fact_versions(units, points, original_of(arts), similar=far, facts=counts, cosine=low) == []


def test_a_day_given_otherwise_differs_only_where_it_dates_the_event():
    import numpy as np
    from toolkit.facts.model import DONE, Fact, Reading, TimeExpr

    texts = ["The agreement was signed on Wednesday in Pyongyang.", "The agreement was signed on Thursday in Pyongyang."]
    arts, units = _units(texts)
    points, near, high = np.ones((2, 2), dtype=bool), np.ones((2, 2), dtype=bool), np.ones((2, 2))

    def signed(text, day, attached="sign"):
        times = (TimeExpr(day, attached),) if day else ()
        return Fact(Reading(text, event="sign", events=("sign",), mode=DONE, times=times, content=("agreement", "sign")))

    def kinds(facts):
        return [f.kind for f in fact_versions(units, points, original_of(arts), similar=near, facts=facts, cosine=high)]

    assert kinds([signed(texts[0], "Wednesday"), signed(texts[1], "Thursday")]) == ["disagreement"]
    # A floor on the cosines reads as the matrix of the pairs that reach it.
    days = [signed(texts[0], "Wednesday"), signed(texts[1], "Thursday")]
    for cosine, expected in ((high, ["disagreement"]), (np.full((2, 2), 0.69), [])):
        floor = fact_versions(units, points, original_of(arts), similar=0.7, facts=days, cosine=cosine)
        matrix = fact_versions(units, points, original_of(arts), similar=cosine >= 0.7, facts=days, cosine=cosine)
        assert [f.kind for f in floor] == [f.kind for f in matrix] == expected
    # The parser found no time of the signing in the second sentence (a
    # heading's dates, a schedule): nothing to set against the first.
    assert kinds([signed(texts[0], "Wednesday"), signed(texts[1], "")]) == []
    assert kinds([signed(texts[0], "Wednesday"), signed(texts[1], "Thursday", attached="publish")]) == []
    # Each article dating its event to its own day: two days' reports of a
    # thing that recurs (a daily column's "Tuesday, 8 June"), not one event.
    from toolkit.facts.model import When

    own = [dataclasses.replace(signed(t, d), when=When(iso, "day", "weekday", d))
           for t, d, iso in ((texts[0], "Wednesday", "2024-06-19"), (texts[1], "Thursday", "2024-06-20"))]
    days = {1: "2024-06-19", 2: "2024-06-20"}
    assert fact_versions(units, points, original_of(arts), days, similar=near, facts=own, cosine=high) == []


def _budget_story():
    """The story with two sources giving a budget of 12 million and a third 15."""
    lines = {k: list(v) for k, v in STORY.items()}
    lines[1][0] = "The city council approved the new budget of 12 million dollars on Monday."
    lines[2][0] = "On Monday the city council voted to approve the new budget of 12 million dollars."
    lines[3][0] = "The new municipal budget of 15 million dollars was approved by the council on Monday."
    return make_articles(lines)


def test_a_figure_a_later_source_gives_otherwise_is_shown_as_an_update(embedder, real_nlp):
    articles, english = _budget_story()
    days = {1: "2010-01-04", 2: "2010-01-04", 3: "2010-01-20"}
    articles = [dataclasses.replace(a, published=Published(days.get(a.number, "2010-01-04"), "option")) for a in articles]
    brief = S.build_brief(articles, english, embedder=embedder)
    assert brief.disagreements == ()
    budget = [f for f in brief.figures if any("3.1" in v.citations for v in f.versions)]
    assert len(budget) == 1 and budget[0].kind == "update"
    assert [v.value for v in budget[0].versions] == ["12000000", "15000000"]


@pytest.mark.parametrize("text, clear", [
    ("Putin thanked North Korea for its support.", True),
    ("He thanked North Korea for its support.", False),
    ('Putin thanked North Korea for "its steadfast support.', False),
    ('Putin thanked North Korea for "its steadfast support."', True),
    ("Putin thanked North Korea for its support", False),
    ("Putin thanked them.", False),
])
def test_a_clear_sentence_names_its_subject_closes_its_quotes_and_is_whole(text, clear):
    assert is_clear(text) is clear
    assert balanced_quotes(text) is (text.count('"') % 2 == 0)


# --------------------------------------------------------------------------
# Briefs with the real embedder


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        use_shared_hub(mp)
        return Embedder(MODEL_ID, cache_dir=tmp_path_factory.mktemp("emb"))


def _with_copy(articles, english, of: int):
    src = next(a for a in articles if a.number == of)
    n = len(articles) + 1
    sents = tuple(dataclasses.replace(s, id=f"{n}.{s.index}", article=n) for s in src.sentences)
    copy = dataclasses.replace(src, number=n, source=f"story/copy{n}.txt", sentences=sents)
    return articles + [copy], {**english, **{f"{n}.{s.index}": english[s.id] for s in src.sentences}}


def test_adding_a_copy_changes_no_count_and_no_key_point(embedder):
    real_embedding_hub("tests/test_tiny_models.py::test_brief_sections_citations_and_lengths")
    articles, english = make_articles()
    base = S.build_brief(articles, english, embedder=embedder)
    more, eng = _with_copy(articles, english, 1)
    brief = S.build_brief(more, eng, embedder=embedder)
    assert brief.total_sources == base.total_sources == 4
    assert [(b.text, b.section, b.independent_sources) for b in brief.sentences] == [
        (b.text, b.section, b.independent_sources) for b in base.sentences]
    budget = next(b for b in brief.sentences if "budget" in b.text and "approve" in b.text)
    assert "5.1" in budget.ids and budget.sources == 5 and budget.independent_sources == 4
    assert brief.manifest["copies"] == {"5": 1}
    text = S.render_text(brief, cite=True)
    assert "Brief (4 independent sources, 5 articles)" in text
    assert "(4 of 4 independent sources: 5 articles, 5 is a copy of 1)" in text
    assert "(copy of 1)" in text
    data = brief.to_dict()
    assert {s["independent_sources"] for s in data["sentences"]} <= {1, 2, 3, 4}
    assert [r["copy_of"] for r in data["manifest"]["sources"]] == [None, None, None, None, 1]
    assert more[-1].to_dict()["copy_of"] is None  # set on the brief's copy of the record, not the input
    json.dumps(data)


def test_what_a_copy_adds_to_its_original_is_named_not_summarised(embedder):
    edited = ["Our correspondent sends this report from the coast on the latest news."] + AGENCY[1:]
    articles, english = story(AGENCY, LOCAL, edited)
    brief = S.build_brief(articles, english, embedder=embedder)
    assert brief.manifest["copies"] == {"3": 1}
    assert brief.manifest["copy_own_sentences"] == {"3": ["3.1"]}
    assert any("not summarised" in w for w in brief.warnings)
    assert not any(c.id == "3.1" for b in brief.sentences for c in b.citations)


def test_sources_that_give_another_figure_are_shown_side_by_side_not_counted(embedder, real_nlp):
    articles, english = _budget_story()
    brief = S.build_brief(articles, english, embedder=embedder)
    assert len(brief.disagreements) == 1
    fact = brief.disagreements[0]
    assert [v.value for v in fact.versions] == ["12000000", "15000000"]
    assert "3.1" in fact.versions[1].citations and "1.1" in fact.versions[0].citations
    # The budget's passing is stated by every source; a sentence giving the
    # amount never cites the source that gives another.
    budget = next(b for b in brief.sentences if "budget" in b.text)
    assert ("12 million" in budget.text) == ("3.1" not in budget.ids)
    text = S.render_text(brief, cite=True)
    assert "Sources differ" in text and "15 million" in text
    data = brief.to_dict()["disagreements"]
    assert data[0]["versions"][1] == {"text": english["3.1"], "value": "15 million", "citations": ["3.1"]}


def test_the_seed_brief_shows_the_clearest_sentence_of_each_point(embedder):
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    seeds = sorted(need_shared("seeds").glob("*.txt"))
    articles = load_articles([str(p) for p in seeds])
    english = load_references(REPO / "refs", articles)
    brief = S.build_brief(articles, english, embedder=embedder)
    shown = [b.text for b in brief.sentences]
    assert any(s.startswith("He expressed") for s in shown) is False
    for b in brief.sentences:
        if is_clear(b.text):
            continue
        # A clearer sentence of the point is left only where another brief
        # sentence rests on it (shown, it would say that point twice).
        others = {i for o in brief.sentences if o is not b for i in o.ids}
        assert all(i in others for i in b.ids if is_clear(english[i])), b.text
    assert brief.disagreements == ()
    # A verbatim copy of the third article changes no count and no key point.
    more, eng = _with_copy(articles, english, 3)
    again = S.build_brief(more, eng, embedder=embedder)
    assert [(b.text, b.independent_sources) for b in again.sentences if b.section == S.KEY] == [
        (b.text, b.independent_sources) for b in brief.sentences if b.section == S.KEY]
    assert again.total_sources == 5


def test_report_marks_copies_counts_independent_sources_and_shows_sources_differ():
    from report_fixtures import BRIEF_PAYLOAD, Tags, make_articles as report_articles, make_brief
    from toolkit.records import Citation, FactVersions, Version
    from toolkit.report import build_report, render

    articles, english = report_articles(fillers=1)
    base = make_brief()
    key = dataclasses.replace(base.sentences[0], citations=base.sentences[0].citations + (Citation("3.2", 3, 0.7),),
                              sources=3, independent_sources=2)
    rows = [{"id": a.number, "file": a.source, "name": a.name, "title": "", "sentences": len(a.sentences),
             "copy_of": 2 if a.number == 3 else None} for a in articles]
    fact = FactVersions(f"The library holds … books {BRIEF_PAYLOAD}", "disagreement", (
        Version("20000", "twenty thousand", ("1.3",), shown="twenty thousand"),
        Version("30000", "thirty thousand", ("2.3",), shown="30,000")))
    brief = dataclasses.replace(base, sentences=(key,) + base.sentences[1:], total_sources=2,
                                manifest={**base.manifest, "sources": rows}, disagreements=(fact,))
    report = build_report(articles, english, brief)
    md = render(report, "md")
    assert "2 of 2 independent sources: 3 articles, 3 is a copy of 2" in md
    assert "### Sources differ" in md and "**30,000**" in md and "3 (copy of 2)" in md
    page = render(report, "html")
    assert "Sources differ" in page and '<span class="copy">copy of 2</span>' in page
    assert not [t for t, attrs in Tags(page).tags if "onmouseover" in attrs]
