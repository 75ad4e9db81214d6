"""The story a brief is made of, read once: the sources (copies marked,
articles off the story set apart, new sentences parsed meanwhile), the
candidate sentences with their facts, and how they relate (vectors, the
pairs that state one point, copy groups, facts given other values).
`toolkit.brief.build` chooses and checks the brief from it."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping, Sequence

from ..records import Article
from ..text.ids import article_of
from .copies import copy_groups, independent_sources, mark_copies, shared_sentences
from .differ import DIFFER_SIMILARITY, conflicting_units, fact_versions
from .english import Unit
from .offtopic import split_off_topic
from .pairs import similar_pairs
from .points import claim_rarity, corroborating, point_matrix, supporters
from .settings import BriefSettings
from .steps import COPIES, DIFFER, OFF_TOPIC, PARSE, POINTS, SHARED, SIMILAR, counted, whole
from .timeline import DEVELOPING_MIN_DAYS
from .versions import original_of, reported_as_news


@dataclass
class Story:
    """What the steps of `build_brief` share about the articles: the
    candidate `units` (originals only) and `copied` (sentences of copies),
    their unit-length vectors, the point matrices (`points_all` also has
    the copies' columns), copy groups and contested facts."""

    articles: list[Article]
    english: Mapping[str, str]
    originals: dict[int, int]
    total: int
    every: list[Any]
    units: list[Any]
    copied: list[Any]
    raw: Any = None
    points: Any = None
    points_all: Any = None
    groups: dict[str, str] = field(default_factory=dict)
    contested: dict[str, Any] = field(default_factory=dict)
    facts: list[Any] = field(default_factory=list)  # the `Fact` of each of units + copied

    def support(self, i: int) -> list[int]:
        # A source that gives the fact another value does not corroborate it.
        units = self.units
        return [j for j in supporters(units, self.points, i) if units[j].id not in self.contested.get(units[i].id, ())]

    def independent(self, cited: Sequence[Any]) -> int:
        return independent_sources([(c.id, c.article) for c in cited], self.originals, self.groups)

    @cached_property
    def dates(self) -> dict[int, str]:
        return {a.number: a.published.date for a in self.articles}

    def reporting(self, i: int) -> int:
        """Independent sources that report unit `i`'s point as news
        (`reported_as_news`): what ranks a fact for the key points, while
        the brief still shows every source that states it."""
        cited = [self.units[i]] + [self.units[j] for j in self.support(i)]
        news = reported_as_news({c.article for c in cited}, self.dates, DEVELOPING_MIN_DAYS)
        return self.independent([c for c in cited if c.article in news])


def read_sources(articles: Sequence[Article], english: Mapping[str, str], units: Sequence[Unit], embedder: Any,
             keep_off_topic: bool) -> tuple[list[Article], Any, list[str]]:
    """The articles with their copies marked, less those off the story
    (`split_off_topic`'s results); their `units` parsed meanwhile."""
    from ..facts.parse import parse_ahead

    progress = getattr(embedder, "progress", None)
    parsed = parse_ahead([u.text for u in units], progress=counted(progress, PARSE))
    # Copies first: a copy would make its original look close to the story.
    with whole(progress, COPIES):
        articles = mark_copies(articles, english)
    with whole(progress, OFF_TOPIC):
        found = split_off_topic(articles, english, embedder, keep=keep_off_topic)
    parsed()
    return found


def read_story(articles: list[Article], english: Mapping[str, str], candidates: tuple[list[Unit], dict[str, list[str]]],
           progress: Any = None) -> tuple[Story, dict[str, int]]:
    """The story's sentences (`brief_units` of every article, those in
    `articles`) and the counts set aside; `progress` hears of the parse."""
    from ..facts import QUESTION, facts_for

    originals = original_of(articles)
    dates = {a.number: a.published.date for a in articles}
    every = [u for u in candidates[0] if u.article in dates]
    skipped: dict[str, Any] = {k: [i for i in ids if article_of(i) in dates] for k, ids in candidates[1].items()}
    facts = facts_for([u.text for u in every], [dates[u.article] for u in every], progress=counted(progress, PARSE))
    read = dict(zip((u.id for u in every), facts))
    # A question states nothing a source could corroborate.
    asked = {sid for sid, f in read.items() if f.reading.mode == QUESTION}
    skipped["question"] = len(asked)
    every = [u for u in every if u.id not in asked]
    units = [u for u in every if originals[u.article] == u.article]
    copied = [u for u in every if originals[u.article] != u.article]
    story = Story(articles, english, originals, len(set(originals.values())), every, units, copied,
                   facts=[read[u.id] for u in units + copied])
    return story, skipped


def relate(story: Story, emb: Any, settings: BriefSettings) -> Any:
    """Fill in the story's vectors, point matrices, copy groups and
    contested facts; return the fact versions (`fact_versions`)."""
    import numpy as np

    from ..facts.same import MIN_COSINE

    units, copied, articles = story.units, story.copied, story.articles
    progress = getattr(emb, "progress", None)
    vectors = np.asarray(emb.encode([u.text for u in units + copied]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    raw_all = vectors / np.where(norms == 0, 1.0, norms)
    n = len(units)
    story.raw = raw_all[:n]
    # Every pair any rule below looks at, computed once and held sparsely:
    # a story of hundreds of articles has no room for n × n matrices.
    # float32 halves the product's time; the cosines it keeps differ from
    # float64's by under 1e-6, far inside any threshold's margin.
    near = similar_pairs(raw_all.astype(np.float32), min(settings.cite_similarity, MIN_COSINE, DIFFER_SIMILARITY),
                         progress=counted(progress, SIMILAR))
    # One fact at any time, for its versions; at one time, for its sources.
    any_time = point_matrix(units + copied, raw_all, claim_rarity([u.text for u in units]), settings,
                            facts=story.facts, same_time=False, near=near, progress=counted(progress, POINTS))
    story.points_all = corroborating(any_time, story.facts)
    story.points = story.points_all[:n, :n]
    story.groups = copy_groups(articles, shared_sentences(articles, story.english, [u.id for u in story.every],
                                                          progress=counted(progress, SHARED)))
    days = {a.number: a.published.date for a in articles}
    with whole(progress, DIFFER):
        # The units' cosines are read from the matrix of all sentences (they
        # come first in it), not copied out of it.
        facts = fact_versions(units, any_time[:n, :n], story.originals, days,
                              similar=DIFFER_SIMILARITY, facts=story.facts[:n], cosine=near)
        story.contested = conflicting_units(facts)
    return facts
