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
from summarize_fixtures import MODEL_ID, SAME_FACT, STORY, make_articles, snapshot_dir, use_shared_hub
from toolkit import summarize as S
from toolkit.embed import Embedder
from toolkit.errors import InputError, IntegrityError, ModelUnavailable
from toolkit.types import Flag


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
    units, _ = S.candidates(articles, english)
    vectors = embedder.encode([u.text for u in units])
    return units, vectors


def _groups(units, vectors):
    sim, threshold, _ = S.similarity_matrix(vectors)
    groups = S.group_facts(sim, [u.article for u in units], threshold)
    return [{units[i].id for i in g} for g in groups], groups, sim


def test_paraphrases_grouped_and_different_facts_kept_apart(story):
    units, vectors = story
    groups, _, _ = _groups(units, vectors)
    for fact in SAME_FACT:
        assert set(fact) in groups
    ids = [u.id for u in units]
    assert sorted(i for g in groups for i in g) == sorted(ids)  # every sentence in exactly one group
    # Facts reported once stay on their own.
    for sid in ("1.3", "2.3", "3.2", "4.2"):
        assert {sid} in groups


def test_few_sentences_use_plain_cosine(embedder):
    vectors = embedder.encode(["The council approved the budget on Monday.",
                               "On Monday the council approved the budget.",
                               "A new park will open near the river."])
    sim, threshold, centred = S.similarity_matrix(vectors)
    assert not centred and threshold == S.RAW_GROUP_THRESHOLD
    assert S.group_facts(sim, [1, 2, 3], threshold) == [[0, 1], [2]]


def test_fact_from_four_sources_outranks_one_from_one(story):
    units, vectors = story
    _, groups, _ = _groups(units, vectors)
    arts = [u.article for u in units]
    # Give the single-source fact every other advantage: most central, lead position.
    central = [0.0] * len(units)
    positions = [0.0] * len(units)
    single = next(g for g in groups if len(g) == 1)
    central[single[0]] = 1.0
    positions[single[0]] = 1.0
    scores = S.rank_facts(groups, arts, central, positions)
    four = next(k for k, g in enumerate(groups) if len({arts[i] for i in g}) == 4)
    assert scores[four] > scores[groups.index(single)]
    assert max(range(len(groups)), key=scores.__getitem__) == four


def test_position_and_centrality_order_equal_corroboration():
    groups = [[0], [1], [2]]
    scores = S.rank_facts(groups, [1, 2, 3], [0.2, 0.9, 0.2], [0.1, 0.1, 1.0])
    assert scores[1] > scores[0] and scores[2] > scores[0]


def test_mmr_skips_near_duplicates_and_respects_budgets():
    sim = np.array([[1.0, 0.95, 0.1], [0.95, 1.0, 0.1], [0.1, 0.1, 1.0]])
    scores = [3.0, 1.5, 1.4]
    assert S.select_mmr([0, 1, 2], scores, sim, limit=2) == [0, 2]
    assert S.select_mmr([0, 1, 2], scores, sim, duplicate=0.9) == [0, 2]
    assert S.select_mmr([0, 1, 2], scores, sim, lam=1.0, limit=2) == [0, 1]
    assert S.select_mmr([0, 1, 2], scores, sim, words=[10, 10, 5], word_budget=12) == [0]
    assert S.select_mmr([0, 1, 2], scores, sim, words=[10, 10, 5], word_budget=8) == [2]
    assert S.select_mmr([1, 2], scores, sim, chosen=[0], duplicate=0.9) == [2]
    assert S.select_mmr([], scores, sim) == []


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


def test_brief_structure_sections_and_citations(embedder):
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
    # Brief order follows where facts appear in the sources.
    firsts = [min(int(i.split(".")[1]) / len(STORY[int(i.split(".")[0])]) for i in b.ids) for b in single]
    assert firsts == sorted(firsts)
    rows = brief.manifest["sources"]
    assert [(r["id"], r["file"], r["sentences"]) for r in rows] == [
        (1, "story/article1.txt", 3), (2, "story/article2.txt", 3), (3, "story/article3.txt", 2),
        (4, "story/article4.txt", 2)]
    assert rows[0]["title"] == STORY[1][0]
    text = S.render_text(brief, cite=True)
    assert "[1.1, 2.1, 3.1, 4.1] (4 of 4 sources)" in text
    assert "[1.1" not in S.render_text(brief, cite=False)


def test_length_by_sentences_and_words(embedder):
    articles, english = make_articles()
    assert len(S.build_brief(articles, english, embedder=embedder, sentences=2).sentences) == 2
    one = S.build_brief(articles, english, embedder=embedder, sentences=1)
    assert [b.ids for b in one.sentences] == [("1.1", "2.1", "3.1", "4.1")]
    brief = S.build_brief(articles, english, embedder=embedder, words=25)
    assert 0 < sum(len(b.text.split()) for b in brief.sentences) <= 25
    assert S.build_brief(articles, english, embedder=embedder, words=3).sentences == ()
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


def test_forced_grouping_cites_only_sentences_like_the_one_shown(embedder):
    articles, english = make_articles()
    # A threshold that puts every sentence in one group: members unlike the
    # sentence shown are detached instead of being cited as support.
    brief = S.build_brief(articles, english, embedder=embedder, threshold=-1.0)
    assert brief.sentences
    for b in brief.sentences:
        assert b.supported
        assert all(c.similarity >= S.CITE_SIMILARITY for c in b.citations), b
    # the park sentence is about something else and is never cited as support
    assert not [b for b in brief.sentences if "park" not in b.text.lower() and
                any("park" in english[i].lower() for i in b.ids)]


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
    from toolkit.refs import load_references

    seeds = sorted(need_shared("seeds").glob("*.txt"))
    articles = load_articles([str(p) for p in seeds])
    english = load_references(REPO / "refs", articles)
    return articles, english, S.build_brief(articles, english, embedder=embedder)


def _labelled_pairs() -> dict[frozenset[str], int]:
    out = {}
    for line in (Path(__file__).parent / "data" / "summarize_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "a\t")):
            a, b, same, _ = line.split("\t")
            out[frozenset((a, b))] = int(same)
    return out


def test_seed_brief_cites_only_existing_ids(seed_brief):
    articles, english, brief = seed_brief
    ids = {s.id for a in articles for s in a.sentences}
    headings = {s.id for a in articles for s in a.sentences if s.is_heading}
    assert len(brief.sentences) == S.DEFAULT_SENTENCES
    for b in brief.sentences:
        assert b.supported and b.ids and set(b.ids) <= ids and not set(b.ids) & headings
        assert b.text in {english[i] for i in b.ids}
        assert b.sources == len({c.article for c in b.citations})
    assert {b.section for b in brief.sentences} == {S.KEY, S.QUOTE, S.SINGLE}
    assert brief.total_sources == 5 and len(brief.manifest["sources"]) == 5


def test_seed_brief_states_no_fact_twice(seed_brief, embedder):
    _, english, brief = seed_brief
    labels = _labelled_pairs()
    cited = [set(b.ids) for b in brief.sentences]
    for a, b in itertools.combinations(range(len(cited)), 2):
        assert not cited[a] & cited[b]
        # No hand-labelled same-fact pair is split across two brief sentences.
        for x, y in itertools.product(cited[a], cited[b]):
            assert labels.get(frozenset((x, y))) != 1, (x, y)
    vectors = embedder.encode([b.text for b in brief.sentences])
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(sims), dtype=bool)] < 0.85).all()


def test_seed_brief_signing_cited_from_three_articles(seed_brief):
    _, _, brief = seed_brief
    signing = [b for b in brief.sentences if "sign" in b.text.lower() and "agreement" in b.text.lower()]
    assert signing and signing[0].section == S.KEY
    assert len({c.article for c in signing[0].citations}) >= 3
    assert brief.sentences[0] is signing[0]  # the best-corroborated fact leads the brief


def test_cached_brief_never_imports_torch(seed_brief, emb_cache, monkeypatch):
    # `seed_brief` filled the embedding cache; a fresh process finds every vector there.
    hub = use_shared_hub(monkeypatch)
    seeds = sorted(need_shared("seeds").glob("*.txt"))
    code = (
        "import sys\n"
        "from toolkit.ingest import load_articles\nfrom toolkit.refs import load_references\n"
        "from toolkit.summarize import build_brief\n"
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
