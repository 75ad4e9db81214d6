"""Articles that do not belong to the story: one that shares little with the
other articles is named and kept out of the brief and its counts, never
merged into it silently.

How much an article shares with the others is measured twice, on its
English: the content words it has in common with each other article
(`term_similarity`) and how close the mean of its sentence vectors is to
each other article's (`centroid_similarity`). Each is taken as a share of
how close the other articles are to each other (`cohesion`), so the rule
does not depend on how tight a story is or how many words its articles
share; an article whose mean of the two is low is set apart (`set_apart`).
The rule and its figures come from bench/offtopic.py (docs/benchmarks.md,
"Off-topic articles").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..records import Article

if TYPE_CHECKING:
    import numpy as np

# With two articles there is no rest to compare one with: neither is set
# apart (which one would be the story?). Nor is a pair warned about: pairs
# of one developing story share as few content words as pairs of two
# stories do (bench/offtopic.py, "two articles").
MIN_ARTICLES = 3
# An article scoring below this (`story_scores`) is off-topic: chosen on
# the DUC 2004 clusters, each with an article of another cluster added, to
# set apart no more than 1 in 500 of the clusters' own articles
# (bench/offtopic.py).
BELOW = 0.6


@dataclass(frozen=True)
class OffTopic:
    """An article set apart: its `article` number, `source` file and
    `score` (its share of the median of the others' scores, lower is
    farther from the story)."""

    article: int
    source: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "source": self.source, "score": round(self.score, 3)}


def article_texts(article: Article, english: Mapping[str, str]) -> list[str]:
    """The English of each sentence of `article` (its own text where no
    English is given)."""
    return [english.get(s.id, s.text) for s in article.sentences]


def article_terms(texts: Iterable[str]) -> frozenset[str]:
    """The comparison keys of the content words of `texts`, names included:
    who and where a story is about is most of what tells it apart."""
    from ..verify import content_words

    out: set[str] = set()
    for text in texts:
        out |= content_words(text)
    return frozenset(out)


def term_similarity(terms: Sequence[frozenset[str]]) -> "np.ndarray":
    """Pairwise cosine of the articles' content-word sets (1 on the
    diagonal; 0 where one has none)."""
    import numpy as np

    from .pairs import shared_counts

    n = len(terms)
    sizes = [len(t) for t in terms]
    # Python's ``** 0.5``, not numpy's: the two differ in the last bit.
    size = np.array([[(a * b) ** 0.5 for b in sizes] for a in sizes], dtype=np.float64).reshape(n, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(size > 0, shared_counts(terms) / size, 0.0)
    sim[np.arange(n), np.arange(n)] = 1.0
    return sim


def centroid_similarity(vectors: Sequence["np.ndarray"]) -> "np.ndarray":
    """Pairwise cosine of the mean sentence vector of each article."""
    import numpy as np

    means = np.stack([np.asarray(v, dtype=np.float64).mean(axis=0) for v in vectors])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    means = means / np.where(norms == 0, 1.0, norms)
    return means @ means.T


def cohesion(sim: "np.ndarray") -> list[float]:
    """Each article's mean similarity to the other articles, as a share of
    the mean similarity among those others: about 1 for an article as close
    to the story as its articles are to each other, low for one that is far
    from a story whose other articles are close."""
    import numpy as np

    n = sim.shape[0]
    m = n - 1
    # The others' sum is the whole less the article's row and column:
    # one pass over the matrix, not a copy of it per article.
    rest = sim.sum() - sim.sum(axis=0) - sim.sum(axis=1) + np.diag(sim)
    within = (rest - (np.trace(sim) - np.diag(sim))) / (m * (m - 1)) if m > 1 else np.zeros(n)
    mean = (sim.sum(axis=1) - np.diag(sim)) / m if m else np.zeros(n)
    return [float(a / b) if b > 0 else 1.0 for a, b in zip(mean, within)]


def story_scores(terms: Sequence[frozenset[str]], vectors: Sequence["np.ndarray"]) -> list[float]:
    """Per article, the mean of its content-word and its sentence-vector
    `cohesion`: the two signals miss different intruders (bench/offtopic.py)."""
    lex, emb = cohesion(term_similarity(terms)), cohesion(centroid_similarity(vectors))
    return [(a + b) / 2 for a, b in zip(lex, emb)]


def set_apart(scores: Sequence[float]) -> list[int]:
    """The indices of the articles that do not belong: those scoring below
    BELOW, unless they are half the articles or more (then there is no
    story for them to be apart from), and none in a story of fewer than
    MIN_ARTICLES."""
    if len(scores) < MIN_ARTICLES:
        return []
    low = [i for i, s in enumerate(scores) if s < BELOW]
    return low if 2 * len(low) < len(scores) else []


def find_off_topic(articles: Sequence[Article], english: Mapping[str, str], embedder: Any) -> list[OffTopic]:
    """The articles of `articles` that do not belong to their story
    (`set_apart`), from the English of their sentences (`english`) and
    their vectors (`embedder`: anything with ``encode(texts)``); copies
    (`Article.copy_of` set) are left out of the scoring."""
    import numpy as np

    # A copy (`Article.copy_of`) is its original again: scored with it, it
    # would make that original look close to the story.
    articles = [a for a in articles if a.copy_of is None]
    if len(articles) < MIN_ARTICLES:
        return []
    texts = [article_texts(a, english) for a in articles]
    flat = np.asarray(embedder.encode([t for ts in texts for t in ts]), dtype=np.float64)
    ends = np.cumsum([len(ts) for ts in texts]).tolist()
    vectors = [flat[end - len(ts):end] for ts, end in zip(texts, ends)]
    scores = story_scores([article_terms(ts) for ts in texts], vectors)
    return [OffTopic(articles[i].number, articles[i].source, scores[i]) for i in set_apart(scores)]


def split_off_topic(articles: Sequence[Article], english: Mapping[str, str], embedder: Any, *,
                    keep: bool = False) -> tuple[list[Article], list[OffTopic], list[str]]:
    """(the articles the brief is made of, those found off-topic, the
    warnings naming them). With `keep` the off-topic articles stay in and
    are still named."""
    found = find_off_topic(articles, english, embedder)
    if not found:
        return list(articles), [], []
    # A copy goes with its original.
    off = {o.article for o in found} | {a.number for a in articles if a.copy_of in {o.article for o in found}}
    names = ", ".join(f"{o.article} ({o.source})" for o in found)
    if keep:
        return list(articles), found, [f"article(s) {names} share little with the other articles; kept in the "
                                       "brief as asked (see manifest 'off_topic')"]
    return ([a for a in articles if a.number not in off], found,
            [f"article(s) {names} share little with the other articles and are left out of the brief and its "
             "counts (see manifest 'off_topic'; --keep-off-topic keeps them in)"])


def off_topic_manifest(found: Sequence[OffTopic], keep: bool) -> list[dict[str, Any]]:
    """The manifest's "off_topic" entries."""
    return [{**o.to_dict(), "kept": keep} for o in found]
