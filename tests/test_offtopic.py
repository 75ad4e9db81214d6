"""Articles that do not belong to the story (toolkit.brief.offtopic): the
rule's pieces on their own, the brief that leaves such an article out and
names it, `--keep-off-topic`, two articles, and (with ../shared) the seed
story with an article of another story added."""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import REPO, need_shared
from toolkit.brief import build_brief
from toolkit.brief.offtopic import (MIN_ARTICLES, article_terms, cohesion, find_off_topic, set_apart,
                                    term_similarity)
from toolkit.cli import main

# Three reports of one invented story and one of another (our own text).
BRIDGE = [
    "The old rail bridge at Marlow Creek collapsed on Tuesday morning after days of heavy rain.\n"
    "Two freight wagons fell into the river when the bridge gave way, the rail operator said.\n"
    "Nobody was hurt in the collapse, according to the Marlow Creek fire brigade.\n"
    "Engineers had warned last year that the bridge needed urgent repairs.\n",
    "A rail bridge over the river at Marlow Creek gave way on Tuesday, sending two freight wagons into the water.\n"
    "The fire brigade said no one was injured in the collapse.\n"
    "Trains between Marlow Creek and the coast are cancelled until further notice, the rail operator said.\n"
    "Residents said heavy rain had swollen the river for days before the bridge collapsed.\n",
    "Heavy rain brought down the Marlow Creek rail bridge on Tuesday morning.\n"
    "Two wagons of a freight train fell into the swollen river, but nobody was injured.\n"
    "The rail operator said engineers would inspect the other bridges on the line.\n"
    "Repairs to the bridge had been postponed last year for lack of money, the council said.\n",
]
CHESS = ("A sixteen-year-old won the national chess championship in the capital on Sunday.\n"
         "She beat the defending champion in a tense final game that lasted six hours.\n"
         "The tournament drew a record number of young players this year, its organisers said.\n"
         "The winner will represent the country at the world youth olympiad in the autumn.\n")


class BagEmbedder:
    """Unit-length hashed bags of words: close vectors for texts sharing
    words, with no model."""

    def encode(self, texts):
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                if len(word) > 3:
                    out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def describe(self):
        return {"model": "bag-of-words"}


@pytest.fixture
def bag(monkeypatch):
    # The commands build `toolkit.embed.Embedder`; this one needs no model.
    monkeypatch.setattr("toolkit.embed.Embedder", lambda *a, **k: BagEmbedder())


def write(tmp_path, texts):
    paths = []
    for i, text in enumerate(texts, 1):
        p = tmp_path / f"{i:02d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def summarize(*args):
    return CliRunner().invoke(main, ["summarize", "--format", "json", *map(str, args)])


def test_cohesion_is_low_only_for_the_article_far_from_a_close_story():
    sim = np.array([[1, .8, .7, .1], [.8, 1, .75, .05], [.7, .75, 1, .1], [.1, .05, .1, 1]])
    scores = cohesion(sim)
    assert scores[3] < 0.2 and min(scores[:3]) > 0.6
    assert set_apart(scores) == [3]


def test_half_or_more_set_apart_is_no_story_and_two_articles_have_no_rest():
    # Two stories of two articles each: neither pair is "the story".
    assert set_apart([0.1, 0.1, 0.2, 0.2]) == []
    assert set_apart([0.0, 1.0]) == [] and MIN_ARTICLES == 3
    assert set_apart([]) == []


def test_term_similarity_of_empty_articles_is_zero():
    sim = term_similarity([frozenset(), article_terms(["The bridge collapsed."])])
    assert sim[0, 1] == 0.0 and sim[1, 1] == 1.0


def test_cli_leaves_the_unrelated_article_out_names_it_and_counts_without_it(tmp_path, bag):
    *story, chess = write(tmp_path, BRIDGE + [CHESS])
    result = summarize(*story, chess)
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["manifest"]["off_topic"] == [{"article": 4, "source": str(chess), "score": pytest.approx(0, abs=0.6),
                                               "kept": False}]
    assert brief["total_sources"] == 3
    assert [r["id"] for r in brief["manifest"]["sources"]] == [1, 2, 3]
    assert all(not c.startswith("4.") for s in brief["sentences"] for c in s["ids"])
    assert "chess" not in result.stdout.lower().split('"off_topic"')[0]
    assert re.search(rf"article\(s\) 4 \({re.escape(str(chess))}\) share little", result.stderr)
    text = CliRunner().invoke(main, ["summarize", "--format", "txt", *map(str, story), str(chess)])
    assert f"4  {chess}  off-topic" in text.stdout


def test_keep_off_topic_keeps_it_in_still_named(tmp_path, bag):
    paths = write(tmp_path, BRIDGE + [CHESS])
    result = summarize("--keep-off-topic", *paths)
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["total_sources"] == 4
    assert [o["article"] for o in brief["manifest"]["off_topic"]] == [4]
    assert brief["manifest"]["off_topic"][0]["kept"] is True
    assert "kept in the brief" in result.stderr


def test_a_story_and_nothing_else_loses_no_article(tmp_path, bag):
    result = summarize(*write(tmp_path, BRIDGE))
    brief = json.loads(result.stdout)
    assert brief["manifest"]["off_topic"] == [] and brief["total_sources"] == 3


def test_two_unrelated_articles_are_both_kept(tmp_path, bag):
    result = summarize(*write(tmp_path, [BRIDGE[0], CHESS]))
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["manifest"]["off_topic"] == [] and brief["total_sources"] == 2


def test_build_brief_without_the_cli(bag):
    from summarize_fixtures import make_articles

    articles, english = make_articles({i + 1: t.splitlines() for i, t in enumerate(BRIDGE + [CHESS])})
    brief = build_brief(articles, english, embedder=BagEmbedder())
    assert [o["article"] for o in brief.manifest["off_topic"]] == [4] and brief.total_sources == 3
    assert any("share little" in w for w in brief.warnings)


def test_seeds_plus_an_article_of_another_story(monkeypatch):
    """The five seed articles (English of refs/) and one MultiLing article,
    with the real embedder: that article is named, the seeds all stay."""
    from conftest import real_embedding_hub
    from toolkit.embed import Embedder
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    monkeypatch.setenv("HF_HUB_CACHE", str(real_embedding_hub("tests/test_offtopic.py (BagEmbedder tests)")))
    seeds = sorted(need_shared("seeds").glob("*.txt"))
    other = need_shared("multidoc", "M004", "en", "M0041.txt")
    articles = load_articles([str(p) for p in seeds + [other]])
    english = {**load_references(REPO / "refs", articles[:5]), **{s.id: s.text for s in articles[5].sentences}}
    found = find_off_topic(articles, english, Embedder())
    assert [(o.article, o.source) for o in found] == [(6, str(other))]
    assert find_off_topic(articles[:5], english, Embedder()) == []
