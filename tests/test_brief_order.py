"""The story's main event opens the brief and survives any length: the lead
claim the sources agree on, chosen on plain vectors here and on the seed
story with the real embedder."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import REPO, need_shared
from summarize_fixtures import MODEL_ID, use_shared_hub
from toolkit import brief as S
from toolkit.brief.english import Unit
from toolkit.brief.order import lead_agreement, main_event


def _unit(article: int, place: int, text: str) -> Unit:
    return Unit(id=f"{article}.{place + 1}", article=article, index=place, order=place, place=place, length=3,
                text=text)


def _vectors(rows):
    v = np.asarray(rows, dtype=np.float64)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_lead_agreement_is_closeness_to_the_other_articles_leads():
    units = [_unit(1, 0, "a"), _unit(1, 1, "b"), _unit(2, 0, "c"), _unit(3, 0, "d")]
    raw = _vectors([[1, 0], [0, 1], [1, 0], [0, 1]])
    agreement = lead_agreement(units, raw, S.lead_units(units))
    # unit 0 is as close to lead 2 as it can be and far from lead 3
    assert agreement[0] == pytest.approx(0.5) and agreement[1] == pytest.approx(0.5)
    assert agreement[2] == pytest.approx(0.5)
    # asked for some units only, each gets what it gets among all
    assert lead_agreement(units, raw, S.lead_units(units), [3, 1]) == [agreement[3], agreement[1]]
    single = [_unit(1, 0, "a"), _unit(1, 1, "b")]
    assert lead_agreement(single, _vectors([[1, 0], [0, 1]]), [0]) == [0.0, 0.0]


def test_main_event_is_the_corroborated_lead_nearest_the_other_leads():
    # Three leads: 1.1 and 2.1 tell one event, 3.1 another; 1.2 is a later
    # sentence that states 2.1's point. 2.1 is corroborated and nearest the
    # others' leads, so the group is 2.1 and what states the same.
    units = [_unit(1, 0, "a"), _unit(1, 1, "b"), _unit(2, 0, "c"), _unit(3, 0, "d")]
    raw = _vectors([[1, 0.1], [1, 0], [1, 0.05], [0.2, 1]])
    points = np.zeros((4, 4), dtype=bool)
    points[2, 1] = True  # 1.2 states the point of 2.1
    points[1, 2] = True
    group = main_event(units, raw, points, S.lead_units(units))
    assert group[0] == 2 and set(group) == {1, 2}
    # Nothing corroborated: the lead nearest the others still names the event.
    alone = main_event(units, raw, np.zeros((4, 4), dtype=bool), S.lead_units(units))
    assert alone and alone[0] in (0, 2)
    assert main_event(units[:2], raw[:2], points[:2, :2], [0]) == []


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    from toolkit.embed import Embedder
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    paths = sorted(need_shared("seeds").glob("*.txt"))
    articles = load_articles([str(p) for p in paths])
    english = load_references(REPO / "refs", articles)
    with pytest.MonkeyPatch.context() as mp:
        use_shared_hub(mp)
        embedder = Embedder(MODEL_ID, cache_dir=tmp_path_factory.mktemp("emb"))
    return articles, english, embedder


def _signing(text: str) -> bool:
    return "signed" in text and "agreement" in text


@pytest.mark.parametrize("length", [{}, {"sentences": 5}, {"sentences": 1}, {"words": 120}, {"words": 40}])
def test_the_signing_opens_the_seed_brief_at_any_length(seeds, length):
    articles, english, embedder = seeds
    brief = S.build_brief(articles, english, embedder=embedder, **length)
    first = brief.sentences[0]
    assert _signing(first.text) and first.section == S.KEY, [b.text for b in brief.sentences]
    assert brief.manifest["main_event"] in first.ids
    # after it, the key points keep most sources first
    counts = [b.sources for b in brief.sentences[1:] if b.section == S.KEY]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("length", [{"sentences": 1}, {"sentences": 3}, {"words": 30}])
def test_the_storm_opens_the_examples_brief_as_a_key_point(seeds, length):
    """The bundled examples: every source leads with the storm, each in its
    own words, so no other source counts for it; it is still the first key
    point, and the rest of the key points still have most sources first."""
    from toolkit.ingest import load_articles
    from toolkit.references import load_references

    _, _, embedder = seeds
    articles = load_articles([str(p) for p in sorted((REPO / "examples").glob("*.txt"))])
    english = load_references(REPO / "examples" / "en", articles)
    brief = S.build_brief(articles, english, embedder=embedder, **length)
    first = brief.sentences[0]
    assert "storm" in first.text and first.section == S.KEY and first.ids[0].split(".")[1] in ("1", "2")
    assert brief.manifest["main_event"] == first.ids[0]
