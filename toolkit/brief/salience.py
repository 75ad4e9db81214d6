"""Salience: concepts shared across sources, the lead prior, and the
greedy choice of sentences within the budget."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping, Sequence

from .english import Unit, clarity
from .points import supporters, word_tokens
from .quotes import quote_of

if TYPE_CHECKING:
    import numpy as np


# Salience (see `sentence_value`), chosen on the MultiLing 2011 development
# clusters with leave-one-cluster-out checks (bench/brief_quality.py):
# a concept counts when this many sources use it,
MIN_CONCEPT_SOURCES = 2
# the lead prior decays by e every LEAD_DECAY sentences and weighs
# LEAD_WEIGHT times the richest sentence's concept weight,
LEAD_DECAY = 1.0
LEAD_WEIGHT = 3.0
# and value is per word ** LENGTH_EXPONENT.
LENGTH_EXPONENT = 0.5
# Value kept by a sentence that starts with a pronoun or points back into
# its article, or carries translation flags.
UNCLEAR_FACTOR = 0.5
# Value kept by a sentence that quotes someone (a quoted passage of
# QUOTE_MIN_WORDS words or more): a brief reports what happened, and a quote
# gives the speaker's words for it at length; the human summaries of the
# development clusters paraphrase instead of quoting.
QUOTE_FACTOR = 0.5
# A fact that this many sources state is always in the key points.
FORCE_SOURCES = 3


def concepts(text: str) -> set[tuple[str, str]]:
    """The content-word bigrams of `text` (lower-cased, lightly stemmed; a
    function word breaks a bigram). Two sources that report the
    same fact tend to share such pairs ("strategic partnership", "magnitude
    quake") far more than single words, which every article of a story
    shares. Numbers are words here: "15 sailors" is as telling as any."""
    from ..verify import stem_word, stopword

    keys = [None if stopword(tok) else tok if kind == "num" else stem_word(tok) for kind, tok in word_tokens(text)]
    return {(a, b) for a, b in zip(keys, keys[1:]) if a and b}


def concept_weights(concept_sets: Sequence[set[tuple[str, str]]], articles: Sequence[int]
                    ) -> dict[tuple[str, str], float]:
    """Weight of each concept: the number of distinct articles that use it,
    for concepts in at least MIN_CONCEPT_SOURCES articles. With a single
    article, the number of its sentences that use it (at least two)."""
    seen: dict[tuple[str, str], set[int]] = {}
    single = len(set(articles)) == 1
    for k, (cs, art) in enumerate(zip(concept_sets, articles)):
        for c in cs:
            seen.setdefault(c, set()).add(k if single else art)
    floor = 2 if single else MIN_CONCEPT_SOURCES
    return {c: float(len(who)) for c, who in seen.items() if len(who) >= floor}


def lead_prior(order: int) -> float:
    """How much a sentence's place in its article says about its weight:
    1 for the lead, decaying with each later sentence. News is written
    most important first, and a plain lead summary is hard to beat."""
    return math.exp(-order / LEAD_DECAY)


def sentence_value(gain: float, order: int, words: int) -> float:
    """The greedy selection value of a sentence: the concept weight it adds
    to the brief (`gain`, as a share of the best any sentence offers at the
    start, so the setting means the same for 3 sources or 30) plus its lead
    prior, per word (sub-linearly, so a long informative sentence is not
    crowded out by short ones)."""
    return (gain + LEAD_WEIGHT * lead_prior(order)) / max(words, 1) ** LENGTH_EXPONENT


def reader_words(text: str) -> int:
    """Words as `wc -w` and a word processor count them: every
    whitespace-separated token, a lone dash included, so the brief never
    exceeds a limit however it is counted."""
    return len(text.split())


def select_sentences(units: Sequence[Unit], concept_sets: Sequence[set[tuple[str, str]]],
                     weights: Mapping[tuple[str, str], float], points: np.ndarray, *,
                     limit: int | None = None, word_budget: int | None = None,
                     complete: bool = False, sources: Sequence[int] | None = None,
                     first: Sequence[int] = ()) -> list[int]:
    """Indices of the units the brief shows, most valuable first.

    First every fact that FORCE_SOURCES or more sources state (most sources
    first), then greedily the unit of best `sentence_value`, until `limit`
    sentences or nothing more fits in `word_budget` words. A unit that
    states the point of one already chosen (or whose point a chosen one
    states; `points` from `point_matrix`) is never taken: the brief says
    each fact once.

    With `complete`, `limit` is what the brief holds at least, not at most:
    every fact of FORCE_SOURCES sources is taken whatever the limit, and
    after the greedy choice each article's lead claim (its first complete
    sentence, `lead_units`) that the brief does not state yet, most
    valuable first. A default-length brief leaves out no source's main
    claim and no widely reported fact.

    `sources`: how many independent sources state each unit's point
    (default: the distinct articles of it and its supporters).
    `first`: units that state the story's main event (`order.main_event`);
    the one that fits with the most sources (then the most valuable) is
    taken before anything else."""
    n = len(units)
    words = [reader_words(u.text) for u in units]
    chosen: list[int] = []
    blocked: set[int] = set()
    covered: set[tuple[str, str]] = set()
    used = 0

    def fits(i: int) -> bool:
        return (i not in blocked and (word_budget is None or used + words[i] <= word_budget))

    def take(i: int) -> None:
        nonlocal used
        chosen.append(i)
        blocked.add(i)
        blocked.update(int(j) for j in (points[i] | points[:, i]).nonzero()[0])
        covered.update(concept_sets[i])
        used += words[i]

    def gain(i: int) -> float:
        return sum(weights.get(c, 0.0) for c in concept_sets[i] - covered) / scale

    scale = max((sum(weights.get(c, 0.0) for c in cs) for cs in concept_sets), default=0.0) or 1.0

    if sources is None:
        sources = [len({u.article} | {units[j].article for j in supporters(units, points, i)})
                   for i, u in enumerate(units)]
    # A sentence that leans on its article ("He added", "this visit") reads
    # worse on its own; a flagged translation is less sure.
    clear = [(1.0 if clarity(u.text, u.flags)[:2] == (0, 1) else UNCLEAR_FACTOR)
             * (QUOTE_FACTOR if quote_of(u.text) else 1.0) for u in units]

    def value(i: int) -> float:
        return sentence_value(gain(i), units[i].place, words[i]) * clear[i]

    opening = max((i for i in first if fits(i)), key=lambda i: (sources[i], value(i), -i), default=None)
    if opening is not None:
        take(opening)
    strong = sorted((i for i in range(n) if sources[i] >= FORCE_SOURCES), key=lambda i: (-sources[i], -value(i), i))
    for i in strong:
        if limit is not None and len(chosen) >= limit and not complete:
            break
        if fits(i):
            take(i)
    while limit is None or len(chosen) < limit:
        best, best_val = None, -1.0
        for i in range(n):
            if fits(i):
                val = value(i)
                if val > best_val:
                    best, best_val = i, val
        if best is None:
            break
        take(best)
    if complete:
        for i in sorted(lead_units(units), key=lambda i: (-value(i), i)):
            if fits(i):
                take(i)
    return chosen


def lead_units(units: Sequence[Unit]) -> list[int]:
    """Index of each article's lead claim: its first complete sentence
    (least `place`; headings, date lines and fragments are not units)."""
    first: dict[int, int] = {}
    for i, u in enumerate(units):
        if u.article not in first or u.place < units[first[u.article]].place:
            first[u.article] = i
    return sorted(first.values())
