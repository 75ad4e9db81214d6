"""Grouping, ranking and selection on hand-made sentences with the real
embedder; the brief's structure and guarantees; the embedding cache; and
the end-to-end brief of the five seed articles from the refs/ translations."""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, need_shared
from summarize_fixtures import MODEL_ID, SAME_FACT, STORY, make_articles, real_embedding_hub, snapshot_dir, use_shared_hub
from toolkit import brief as S
from toolkit.embed import Embedder
from toolkit.errors import InputError, IntegrityError, ModelUnavailable
from toolkit.records import Flag


@pytest.fixture(scope="module")
def emb_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("emb")


@pytest.fixture(scope="module")
def embedder(emb_cache):
    # By hub id, as the CLI does, so the seed brief's vectors serve the
    # fresh-process test below.
    with pytest.MonkeyPatch.context() as mp:
        use_shared_hub(mp)
        return Embedder(MODEL_ID, cache_dir=emb_cache)


@pytest.fixture(scope="module")
def story(embedder):
    articles, english = make_articles()
    units, _ = S.brief_units(articles, english)
    vectors = embedder.encode([u.text for u in units])
    return units, vectors


def test_concepts_are_content_bigrams_with_numbers():
    assert S.concepts("Fifteen sailors were captured by the navy.") == {("fifteen", "sailor")}
    assert ("15", "sailor") in S.concepts("Iran held 15 sailors")
    # A function word breaks a pair.
    assert S.concepts("the budget of the city") == set()


def test_concept_weights_count_sources_not_sentences():
    sets = [{("a", "b"), ("c", "d")}, {("a", "b")}, {("a", "b"), ("c", "d")}, {("e", "f")}]
    weights = S.concept_weights(sets, [1, 1, 2, 3])
    assert weights == {("a", "b"): 2.0, ("c", "d"): 2.0}
    # One article: sentences stand in for sources.
    assert S.concept_weights(sets, [1, 1, 1, 1])[("a", "b")] == 3.0


def test_lead_prior_falls_with_position():
    assert S.lead_prior(0) == 1.0
    assert S.lead_prior(0) > S.lead_prior(1) > S.lead_prior(5) > 0


@pytest.mark.parametrize("text, events", [
    ("The two leaders signed the agreement on Monday.", {"sign"}),
    ("The agreement was signed after two hours of talks.", {"sign"}),
    ("The minister accepted the proposal to sign the agreement.", {"accept"}),
    ("The president will sign the treaty next week.", set()),
    ("The mayor said the council approved the plan.", {"approv"}),
    ("The leaders held talks in the capital.", {"talk"}),
    # A present passive is a state or a condition, not something done.
    ("The pact provides help if a party is attacked.", set()),
    # A name is not a verb, wherever it stands.
    ("The United States strongly opposes emission targets.", set()),
    ("United Nations envoys arrived on Monday.", {"arriv"}),
])
def test_reported_events(text, events):
    assert S.reported_events(text) == events


@pytest.mark.parametrize("other, same", [
    ("The agreement was signed after two hours of talks between the leaders.", True),
    # Related but different: an intention, and what the agreement says.
    ("The minister accepted the proposal to sign the agreement.", False),
    ("The agreement provides for mutual help if either side is attacked.", False),
    ("The leaders did not sign the agreement on Monday.", False),
])
def test_a_source_counts_only_when_it_states_the_point(other, same):
    sentence = "The two leaders signed the agreement on Monday in the capital."
    assert S.states_point(sentence, other, 0.7) is same
    assert S.states_point(sentence, other, S.CITE_SIMILARITY - 0.01) is False


def test_words_the_whole_story_uses_prove_little():
    sentence = "Officials moved residents of the harbour district to shelters."
    # Shares only the story's common words with it, and reports something done.
    other = "Officials visited the harbour district to inspect the damage."
    story = [sentence, other] + [f"Officials in the harbour district reported damage {k}." for k in range(8)]
    rarity = S.claim_rarity(story)
    assert rarity["shelter"] > rarity["district"]
    assert S.states_point(sentence, other, 0.7) is True  # unweighted: half of the words are there
    assert S.states_point(sentence, other, 0.7, rarity) is False
    paraphrase = "Officials evacuated residents of the district to shelters."
    assert S.states_point(sentence, paraphrase, 0.7, rarity) is True


def _unit(sid, text):
    art, idx = (int(x) for x in sid.split("."))
    return S.Unit(sid, art, idx, idx - 1, idx - 1, 5, text)


def test_selection_forces_widely_reported_facts_says_each_once_and_fits_the_budget():
    units = [_unit("1.1", "Alpha beta gamma delta."), _unit("2.1", "Alpha beta gamma delta epsilon."),
             _unit("3.3", "Alpha beta gamma zeta."), _unit("4.1", "Theta iota kappa lambda mu nu xi."),
             _unit("4.2", "Omicron pi rho sigma.")]
    concept_sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(concept_sets, [u.article for u in units])
    points = np.zeros((5, 5), dtype=bool)
    points[0, 1] = points[0, 2] = points[1, 0] = True  # 1.1, 2.1 and 3.3 state one fact
    picked = S.select_sentences(units, concept_sets, weights, points, limit=3)
    assert picked[0] == 0                       # three sources: first, whatever its value
    assert not {1, 2} & set(picked)             # the same fact is not said again
    assert len(picked) == 3
    budget = S.select_sentences(units, concept_sets, weights, points, word_budget=9)
    assert sum(S.reader_words(units[i].text) for i in budget) <= 9
    assert S.select_sentences(units, concept_sets, weights, points, word_budget=3) == []


def test_a_complete_selection_keeps_every_lead_and_every_widely_reported_fact():
    # 1.2, 2.2 and 3.2 state one fact; each article's lead says its own thing.
    units = [_unit("1.1", "Alpha beta gamma delta."), _unit("1.2", "Epsilon zeta eta theta."),
             _unit("2.1", "Iota kappa lambda mu."), _unit("2.2", "Epsilon zeta eta theta iota."),
             _unit("3.1", "Nu xi omicron pi."), _unit("3.2", "Epsilon zeta eta theta kappa."),
             _unit("3.3", "Alpha beta gamma delta rho.")]
    concept_sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(concept_sets, [u.article for u in units])
    points = np.zeros((7, 7), dtype=bool)
    for i, j in itertools.permutations((1, 3, 5), 2):
        points[i, j] = True
    assert S.lead_units(units) == [0, 2, 4]
    capped = S.select_sentences(units, concept_sets, weights, points, limit=1)
    assert capped == [1]                        # the fact of three sources
    picked = S.select_sentences(units, concept_sets, weights, points, limit=1, complete=True)
    assert picked[0] == 1 and sorted(picked[1:]) == [0, 2, 4]
    # a lead whose point a chosen sentence states is not added again
    points[0, 1] = True
    picked = S.select_sentences(units, concept_sets, weights, points, limit=1, complete=True)
    assert picked[0] == 1 and sorted(picked[1:]) == [2, 4]
    assert S.select_sentences(units, concept_sets, weights, points, limit=1, complete=False) == [1]


def test_a_sentence_that_leans_on_the_one_before_fills_no_words_while_another_fits():
    # "He ..." and "Nor ..." say nothing on their own; with room left only
    # for them the brief stops short, and only a story of nothing else
    # shows one.
    units = [_unit("1.1", "The council approved the flood budget of the city on Monday."),
             _unit("2.1", "The council approved the flood budget on Monday."),
             _unit("2.2", "He called it fair."), _unit("3.1", "Nor, by all accounts, the mayor.")]
    concept_sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(concept_sets, [u.article for u in units])
    points = np.zeros((4, 4), dtype=bool)
    points[0, 1] = points[1, 0] = True
    assert S.select_sentences(units, concept_sets, weights, points, word_budget=14) == [1]
    assert S.select_sentences(units, concept_sets, weights, points, word_budget=25) == [1]
    assert S.select_sentences(units, concept_sets, weights, points, word_budget=5) in ([2], [3])
    assert S.select_sentences(units[2:], concept_sets[2:], weights, points[2:, 2:], limit=2) != []


@pytest.mark.parametrize("quoted, reported_wins", [
    ('The minister said the new levees "will protect every family in the valley".', True),
    ('The minister said the new levees will protect every "family" in the valley.', False),  # a word in quotes
])
def test_a_sentence_that_reports_is_preferred_to_one_that_quotes(quoted, reported_wins):
    # The quoting sentence leads its article; the reporting one is second in
    # its own. Only a quoted passage (QUOTE_MIN_WORDS words or more) costs
    # the lead its place.
    units = [_unit("1.1", quoted), _unit("2.2", "The minister said the new levees will protect every family in the valley.")]
    concept_sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(concept_sets, [u.article for u in units])
    picked = S.select_sentences(units, concept_sets, weights, np.zeros((2, 2), dtype=bool), limit=1)
    assert picked == ([1] if reported_wins else [0])


@pytest.mark.parametrize("text, nxt, expected", [
    ("The council approved the new budget on Monday.", None, False),
    ("Continued support", None, True),
    ("between Russia and the city includes help in case of attack.", None, True),
    ("The mayor said that the comprehensive budget agreement.", "between the council and unions covers pay.", True),
    ("The mayor said the budget is fair.", "The council agreed.", False),
])
def test_fragments(text, nxt, expected):
    assert S.is_fragment(text, nxt) is expected


@pytest.mark.parametrize("text, previous, speaker", [
    ('Russian President Vladimir Putin said: "We are ready to talk."', [], "Vladimir Putin"),
    ('Pentagon spokesman Pat Ryder said that "this should be a cause for concern."', [], "Pat Ryder"),
    ('"We will build two schools this year," said Mayor Lina Haddad.', [], "Lina Haddad"),
    ('He added: "The budget is balanced and fair."', ["Mayor Lina Haddad said the vote went well."], "Lina Haddad"),
    ('The Korean leader added: "Relations are good."', ['Kim stressed the meeting, saying: "Yes."'], "Korean leader"),
    ('He added: "The budget is balanced and fair."', [], ""),
])
def test_speakers(text, previous, speaker):
    assert S.speaker_of(text, previous) == speaker


def test_quote_needs_enough_words():
    assert S.quote_of('She called it "a historic day for the whole city".') == "a historic day for the whole city"
    assert S.quote_of('The so-called "rules-based order" was criticised.') == ""


def test_clarity_prefers_unflagged_standalone_complete():
    assert S.clarity("The council approved it.") > S.clarity("The council approved it.", [Flag("loop")])
    assert S.clarity("The council approved it.") > S.clarity("It was approved by the council.")
    assert S.clarity("The council approved it.") > S.clarity("The council approved it")
    # a count against what the sentence before named needs that sentence
    assert S.clarity("Many bodies remain in the streets.") > S.clarity("Many more remain in the streets.")
    assert S.clarity("More than 200 people remain missing.") == S.clarity("The council approved it.")
    # a linking word before the pronoun leaves it pointing back all the same
    assert S.clarity("But it has by no means been easy.") < S.clarity("The talks have by no means been easy.")
    assert S.clarity("However, they left.") < S.clarity("However, the envoys left.")
    assert S.clarity("Butter prices rose.") == S.clarity("The council approved it.")
    assert S.clarity("Nor, by all accounts, was the company.") < S.clarity("By all accounts, the company was not.")
    # a quotation and nothing else: its speaker is in another sentence
    assert S.clarity('"We have taken steps to reassure the neighbours."') < \
        S.clarity('"We have taken steps," the minister said.')
    assert S.clarity('"Peace now" was the slogan of the march.') == S.clarity("The council approved it.")
    # a byline run into the lead is no news to show
    assert S.clarity("By Anna Field Business reporter, City News The council approved the budget.") < \
        S.clarity("The council approved the budget.")
    assert S.clarity("By Anna Field and Tom Ward The council approved the budget.") < \
        S.clarity("The council approved the budget.")
    for text in ("By Christmas Day, the council had approved the budget.", "By Monday, the council had approved it.",
                 "By contrast, the council approved the budget.", "By BP's own account, the leak has slowed."):
        assert S.clarity(text) == S.clarity("The council approved it."), text


def test_brief_structure_sections_and_citations(embedder):
    real_embedding_hub("tests/test_tiny_models.py::test_brief_sections_citations_and_lengths")
    articles, english = make_articles()
    brief = S.build_brief(articles, english, embedder=embedder)
    assert brief.total_sources == 4 and brief.manifest["method"] == "extractive"
    key = [b for b in brief.sentences if b.section == S.KEY]
    single = [b for b in brief.sentences if b.section == S.SINGLE]
    assert key[0].ids == ("1.1", "2.1", "3.1", "4.1") and key[0].sources == 4
    assert key[1].ids == ("1.2", "2.2") and key[1].sources == 2
    assert single and all(b.sources == 1 and len(b.ids) == 1 for b in single)
    for b in brief.sentences:
        assert b.supported and b.support >= 0.6
        assert set(b.ids) <= set(english) and b.text in {english[i] for i in b.ids}
    # Key points first, the best corroborated first.
    sections = [b.section for b in brief.sentences]
    assert sections == sorted(sections, key=[S.KEY, S.QUOTE, S.SINGLE].index)
    assert [b.sources for b in key] == sorted((b.sources for b in key), reverse=True)
    rows = brief.manifest["sources"]
    assert [(r["id"], r["file"], r["sentences"]) for r in rows] == [
        (1, "story/article1.txt", 3), (2, "story/article2.txt", 3), (3, "story/article3.txt", 2),
        (4, "story/article4.txt", 2)]
    assert rows[0]["title"] == STORY[1][0]
    text = S.render_text(brief, cite=True)
    assert "[1.1, 2.1, 3.1, 4.1] (4 of 4 sources)" in text
    assert "[1.1" not in S.render_text(brief, cite=False)


def test_length_by_sentences_and_words(embedder):
    real_embedding_hub("tests/test_tiny_models.py::test_brief_sections_citations_and_lengths")
    articles, english = make_articles()
    assert len(S.build_brief(articles, english, embedder=embedder, sentences=2).sentences) == 2
    one = S.build_brief(articles, english, embedder=embedder, sentences=1)
    assert [b.ids for b in one.sentences] == [("1.1", "2.1", "3.1", "4.1")]
    brief = S.build_brief(articles, english, embedder=embedder, words=25)
    assert 0 < sum(len(b.text.split()) for b in brief.sentences) <= 25
    # A limit is a maximum: a brief that cannot fit says so.
    with pytest.raises(InputError, match="no source sentence fits in 3 words"):
        S.build_brief(articles, english, embedder=embedder, words=3)
    for limit in (9, 12, 30, 60):
        got = S.build_brief(articles, english, embedder=embedder, words=limit)
        assert 0 < sum(S.reader_words(b.text) for b in got.sentences) <= limit
    with pytest.raises(InputError, match="not both"):
        S.build_brief(articles, english, embedder=embedder, sentences=2, words=10)
    with pytest.raises(InputError, match="at least 1"):
        S.build_brief(articles, english, embedder=embedder, sentences=0)


def test_headings_fragments_and_untranslated_are_skipped(embedder):
    story = {1: ["Budget day", "The city council approved the new budget on Monday.",
                 "The mayor said that the comprehensive budget agreement.",
                 "between the council and the unions covers pay for teachers."],
             2: ["On Monday the city council voted to approve the new budget.",
                 "A new park will open near the river in the spring."]}
    articles, english = make_articles(story, headings=("1.1",))
    brief = S.build_brief(articles, english, embedder=embedder, flags={"2.2": [Flag("untranslated")]})
    assert brief.manifest["skipped"] == {"heading": ["1.1"], "fragment": ["1.3", "1.4"], "untranslated": ["2.2"]}
    cited = {i for b in brief.sentences for i in b.ids}
    assert cited == {"1.2", "2.1"}


@pytest.mark.parametrize("text, piece", [
    ('"At night, people take things.', True),
    ('Today they are running wild."', True),
    ("\u201cThey come back every night.", True),
    ("It is a very important step forward.\u201d", True),
    ("\u00abWe will rebuild the city.", True),
    ('"We will win," he said.', False),
    ("We all need to wake up,\u201d said Becky Buell, Oxfam's Policy Director.", False),
    ('The mayor said: "We will rebuild the city.', False),
    ('Officials said the "roadmap" was agreed.', False),
    ("The council approved the budget.", False),
])
def test_a_sentence_inside_a_longer_quotation_is_a_quote_piece(text, piece):
    from toolkit.brief.english import is_quote_piece

    assert is_quote_piece(text) is piece


def test_a_quote_piece_supports_but_is_never_shown():
    """The richest sentence is the middle of someone's quotation: it names no
    speaker, so the brief takes the next best instead, however long."""
    story = {1: ["The river flooded three villages in the north on Sunday.",
                 '"The river flooded three villages and the wheat harvest in the north is gone.'],
             2: ["The wheat harvest in the north was lost to the flood, farmers said."]}
    articles, english = make_articles(story)
    units, _ = S.brief_units(articles, english)
    sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(sets, [u.article for u in units])
    points = np.zeros((len(units), len(units)), dtype=bool)
    chosen = [units[i].id for i in S.select_sentences(units, sets, weights, points, limit=3)]
    assert "1.2" not in chosen and set(chosen) == {"1.1", "2.1"}
    # the same words outside quotation marks are taken
    plain = {**story, 1: [story[1][0], story[1][1].lstrip('"')]}
    articles, english = make_articles(plain)
    units, _ = S.brief_units(articles, english)
    chosen = [units[i].id for i in S.select_sentences(units, [S.concepts(u.text) for u in units], weights, points,
                                                      limit=3)]
    assert "1.2" in chosen


def test_a_broken_opening_sentence_does_not_push_the_lead_down(embedder):
    # The article's first complete sentence is its lead when the opening
    # sentence reached us broken in two; sentences after it keep their order.
    story = {1: ["The river flooded three villages in the north on Sunday.",
                 "Farmers lost most of the wheat harvest in the valley.",
                 "Schools in the region will stay closed until Thursday."],
             2: ["The minister said that the national emergency plan.",
                 "for the northern provinces includes money for new levees.",
                 "A national emergency fund was opened for the flooded provinces.",
                 "Volunteers from the capital arrived with blankets and food."]}
    articles, english = make_articles(story)
    units, skipped = S.brief_units(articles, english)
    assert skipped["fragment"] == ["2.1", "2.2"]
    assert [(u.id, u.order, u.place) for u in units if u.article == 2] == [("2.3", 2, 0), ("2.4", 3, 1)]
    assert [u.place for u in units if u.article == 1] == [u.order for u in units if u.article == 1]
    brief = S.build_brief(articles, english, embedder=embedder, sentences=2)
    assert sorted(i for b in brief.sentences for i in b.ids) == ["1.1", "2.3"]


def test_a_caption_run_into_the_lead_does_not_push_the_lead_down(tmp_path):
    # The first article's caption lost its full stop and runs into the lead
    # on one line; the second has a title on a line of its own. Each lead
    # keeps the place a lead has in its kind of article.
    from toolkit.ingest import load_articles

    (tmp_path / "a.txt").write_text("Crowds gathered outside the court on Monday The judge delayed the verdict by "
                                    "two hours.\nThe jury had deliberated for three days.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Verdict delayed\nThe judge delayed the verdict by two hours on Monday.\n"
                                    "The jury had deliberated for three days.\n", encoding="utf-8")
    articles = load_articles([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    english = {s.id: s.text for a in articles for s in a.sentences}
    units, skipped = S.brief_units(articles, english)
    assert skipped["heading"] == ["1.1", "2.1"]
    assert [(u.id, u.order, u.place) for u in units] == [("1.2", 1, 0), ("1.3", 2, 1), ("2.2", 1, 1), ("2.3", 2, 2)]


def test_one_article_and_bad_inputs(embedder):
    articles, english = make_articles({1: STORY[1]})
    brief = S.build_brief(articles, english, embedder=embedder)
    assert brief.total_sources == 1 and any("only one source" in w for w in brief.warnings)
    assert brief.sentences and all(b.section in (S.KEY, S.QUOTE) and b.sources == 1 for b in brief.sentences)
    with pytest.raises(InputError, match="no articles"):
        S.build_brief([], {}, embedder=embedder)
    articles, english = make_articles()
    del english["2.2"]
    with pytest.raises(IntegrityError, match="no English for sentence 2.2"):
        S.build_brief(articles, english, embedder=embedder)


def test_unsupported_sentences_are_dropped_never_shown(embedder, monkeypatch):
    import toolkit.verify as V

    real = V.verify_sentences

    def reject_first(candidates, english, **kw):
        out = real(candidates, english, **kw)
        first = out[0]
        return [V.CheckedSentence(first.text, first.citations, first.sources, False, reason="low-similarity",
                                  detail="rejected in test")] + out[1:]

    monkeypatch.setattr(V, "verify_sentences", reject_first)
    articles, english = make_articles()
    full = S.build_brief(articles, english, embedder=embedder)
    assert full.manifest["dropped"] and full.manifest["dropped"][0]["reason"] == "low-similarity"
    shown = {b.text for b in full.sentences}
    assert full.manifest["dropped"][0]["text"] not in shown
    assert all(b.supported for b in full.sentences)
    assert any("failed the citation check" in w for w in full.warnings)


# --------------------------------------------------------------------------
# Embedding cache and model resolution


def test_embedding_cache_is_reused_without_the_model(tmp_path, monkeypatch):
    use_shared_hub(monkeypatch)
    first = Embedder(cache_dir=tmp_path)
    assert first.revision == snapshot_dir().name
    v1 = first.encode(["The council met.", "The park opened.", "The council met."])
    assert first.misses == 2 and first.loaded
    second = Embedder(cache_dir=tmp_path)

    def no_model(*_):
        raise AssertionError("model loaded although every vector is cached")

    monkeypatch.setattr(second, "_load", no_model)
    v2 = second.encode(["The park opened.", "The council met."])
    assert second.hits == 2 and second.misses == 0
    assert np.allclose(v2, v1[[1, 0]])
    assert np.allclose(np.linalg.norm(v2, axis=1), 1.0, atol=1e-5)
    assert (tmp_path / "embeddings.sqlite3").is_file()


def test_missing_model_offline_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable, match="not in the Hugging Face cache.*hf download") as exc:
        Embedder("sentence-transformers/all-MiniLM-L6-v2")
    assert "\n" not in str(exc.value)
    with pytest.raises(ModelUnavailable, match="not a sentence-transformers model directory"):
        Embedder(str(tmp_path))


# --------------------------------------------------------------------------
# The five seed articles with the refs/ translations


@pytest.fixture(scope="module")
def seed_brief(embedder):
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    seeds = sorted(need_shared("seeds").glob("*.txt"))
    articles = load_articles([str(p) for p in seeds])
    english = load_references(REPO / "refs", articles)
    return articles, english, S.build_brief(articles, english, embedder=embedder)


def test_seed_brief_cites_only_existing_ids(seed_brief):
    articles, english, brief = seed_brief
    ids = {s.id for a in articles for s in a.sentences}
    headings = {s.id for a in articles for s in a.sentences if s.is_heading}
    assert len(brief.sentences) == S.DEFAULT_SENTENCES + brief.manifest["budget"]["added"]
    for b in brief.sentences:
        assert b.supported and b.ids and set(b.ids) <= ids and not set(b.ids) & headings
        assert b.text in {english[i] for i in b.ids}
        assert b.sources == len({c.article for c in b.citations})
    assert {S.KEY, S.SINGLE} <= {b.section for b in brief.sentences} <= {S.KEY, S.QUOTE, S.SINGLE}
    assert brief.total_sources == 5 and len(brief.manifest["sources"]) == 5


def test_seed_brief_states_no_fact_twice(seed_brief, embedder):
    _, english, brief = seed_brief
    cited = [set(b.ids) for b in brief.sentences]
    shown = [b.text for b in brief.sentences]
    for a, b in itertools.combinations(range(len(cited)), 2):
        # No brief sentence is cited as stating another's point.
        assert not {i for i in cited[a] if english[i] == shown[b]}
        assert not {i for i in cited[b] if english[i] == shown[a]}
    vectors = embedder.encode(shown)
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(sims), dtype=bool)] < 0.85).all()


def test_seed_brief_carries_every_articles_lead_claim(seed_brief, embedder):
    """At default length each article's first complete sentence is in the
    brief, or a brief sentence states its point or it states one's."""
    articles, english, brief = seed_brief
    units, _ = S.brief_units(articles, english)
    vectors = np.asarray(embedder.encode([u.text for u in units]), dtype=np.float64)
    points = S.point_matrix(units, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    shown = {b.text for b in brief.sentences}
    chosen = [i for i, u in enumerate(units) if u.text in shown]
    for lead in S.lead_units(units):
        assert lead in chosen or any(points[lead, j] or points[j, lead] for j in chosen), units[lead].id
    # a length the user asks for is a maximum
    asked = S.build_brief(articles, english, embedder=embedder, sentences=S.DEFAULT_SENTENCES)
    assert len(asked.sentences) == S.DEFAULT_SENTENCES and "added" not in asked.manifest["budget"]


def test_seed_brief_counts_only_sources_that_state_the_point(seed_brief, embedder):
    _, english, brief = seed_brief

    def states(a: str, b: str) -> bool:
        va, vb = np.asarray(embedder.encode([a, b]), dtype=np.float64)
        return S.states_point(a, b, float(va @ vb / np.linalg.norm(va) / np.linalg.norm(vb)) + 0.001)

    signing = [b for b in brief.sentences if "signed" in b.text.lower() and "agreement" in b.text.lower()]
    assert signing and signing[0].section == S.KEY and signing[0].sources >= 2
    # Every sentence cited for the signing reports a signing, not a plan to
    # sign or what the agreement says.
    for sid in signing[0].ids:
        assert S.reported_events(english[sid]) & {"sign"}, english[sid]
    for b in brief.sentences:
        shown = next(c for c in b.citations if english[c.id] == b.text)
        for c in b.citations:
            if c.article != shown.article:
                # The similarity the checker measured, which is what grouping used;
                # or the point was chosen in a less clear sentence that the
                # shown one states too (S.is_clear).
                assert S.states_point(b.text, english[c.id], c.similarity + 0.001) or any(
                    states(english[d.id], english[c.id]) and states(english[d.id], b.text)
                    for d in b.citations), (b.text, english[c.id])
    # Facts that three or more sources state are all key points.
    assert sum(b.sources >= 3 for b in brief.sentences) >= 3


def test_cached_brief_never_imports_torch(seed_brief, emb_cache, monkeypatch):
    # `seed_brief` filled the embedding cache; a fresh process finds every vector there.
    hub = use_shared_hub(monkeypatch)
    seeds = sorted(need_shared("seeds").glob("*.txt"))
    code = (
        "import sys\n"
        "from toolkit.ingest import load_articles\nfrom toolkit.references import load_references\n"
        "from toolkit.brief import build_brief\n"
        f"arts = load_articles({[str(p) for p in seeds]!r})\n"
        f"b = build_brief(arts, load_references({str(REPO / 'refs')!r}, arts))\n"
        "print(len(b.sentences), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    env = {**os.environ, "TOOLKIT_CACHE_DIR": str(emb_cache), "HF_HUB_CACHE": str(hub)}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(len(seed_brief[2].sentences)), "False", "False"]


def test_damaged_cache_entries_and_files_are_recomputed(tmp_path, monkeypatch, embedder):
    import sqlite3

    use_shared_hub(monkeypatch)
    texts = ["The council met.", "The park opened."]
    first = Embedder(cache_dir=tmp_path)
    good = first.encode(texts)
    db = tmp_path / "embeddings.sqlite3"
    with sqlite3.connect(db) as con:  # one entry cut short, one scaled off unit length
        rows = con.execute("SELECT key, dim, vec FROM vectors").fetchall()
        con.execute("UPDATE vectors SET vec = ? WHERE key = ?", (rows[0][2][:8], rows[0][0]))
        con.execute("UPDATE vectors SET vec = ? WHERE key = ?",
                    ((np.frombuffer(rows[1][2], dtype=np.float32) * 3).tobytes(), rows[1][0]))
    again = Embedder(cache_dir=tmp_path)
    assert np.allclose(again.encode(texts), good, atol=1e-5) and again.misses == 2
    db.write_bytes(b"this is not a database" * 100)
    third = Embedder(cache_dir=tmp_path)
    assert np.allclose(third.encode(texts), good, atol=1e-5)
    assert third.recovered and Path(third.recovered).is_file() and db.is_file()
    assert Embedder(cache_dir=tmp_path).encode(texts[:1]).shape == (1, good.shape[1])


def test_a_point_of_many_sources_shows_a_few_citations_and_the_count_in_text():
    """Text, terminal and Markdown lines show the first citations of a long
    list and how many more; JSON keeps every one, and the short form reads
    back as the IDs it shows."""
    import json

    from toolkit.records import Brief, BriefSentence, Citation
    from toolkit.verify import format_citations, parse_citations

    ids = [f"{k}.1" for k in range(1, 60)]
    many = BriefSentence("The well was capped.", tuple(Citation(i, int(i.split(".")[0]), 0.9) for i in ids), 59,
                         True, "key", support=0.9)
    few = BriefSentence("Oil reached the coast.", tuple(Citation(i, int(i.split(".")[0]), 0.9) for i in ids[:6]),
                        6, True, "key", support=0.9)
    brief = Brief(sentences=(many, few), total_sources=59, manifest={})
    assert S.line_parts(many, 59, True)[1] == "[1.1, 2.1, 3.1, +56 more]"
    assert S.line_parts(few, 59, True)[1] == format_citations(ids[:6])  # six are read at a glance
    for markdown in (False, True):
        text = S.render_text(brief, cite=True, markdown=markdown)
        assert "+56 more]" in text and "59.1" not in text
    assert parse_citations("The well was capped. [1.1, 2.1, 3.1, +56 more]") == ("The well was capped.",
                                                                                  ("1.1", "2.1", "3.1"))
    assert '"59.1"' in json.dumps(brief.to_dict())
