"""Salience: concepts shared across sources, the lead prior, and the
greedy choice of sentences within the budget."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping, Sequence

from .english import Unit, clarity, is_quote_piece
from .points import supporters, word_tokens
from .quotes import quote_of
# The settings' defaults live in `settings`; the constants stay importable here.
from .settings import (DEFAULT_SETTINGS, FORCE_SOURCES, LEAD_DECAY, LEAD_WEIGHT,  # noqa: F401
                       LENGTH_EXPONENT, MIN_CONCEPT_SOURCES, QUOTE_FACTOR, UNCLEAR_FACTOR, BriefSettings)

if TYPE_CHECKING:
    import numpy as np




def concepts(text: str) -> set[tuple[str, str]]:
    """The content-word bigrams of `text` (lower-cased, lightly stemmed; a
    function word breaks a bigram). Two sources that report the
    same fact tend to share such pairs ("strategic partnership", "magnitude
    quake") far more than single words, which every article of a story
    shares. Numbers are words here: "15 sailors" is as telling as any."""
    from ..verify import stem_word, stopword

    keys = [None if stopword(tok) else tok if kind == "num" else stem_word(tok) for kind, tok in word_tokens(text)]
    return {(a, b) for a, b in zip(keys, keys[1:]) if a and b}


def concept_weights(concept_sets: Sequence[set[tuple[str, str]]], articles: Sequence[int],
                    settings: BriefSettings = DEFAULT_SETTINGS) -> dict[tuple[str, str], float]:
    """Weight of each concept: the number of distinct articles that use it,
    for concepts in at least MIN_CONCEPT_SOURCES articles. With a single
    article, the number of its sentences that use it (at least two)."""
    seen: dict[tuple[str, str], set[int]] = {}
    single = len(set(articles)) == 1
    for k, (cs, art) in enumerate(zip(concept_sets, articles)):
        for c in cs:
            seen.setdefault(c, set()).add(k if single else art)
    floor = 2 if single else settings.min_concept_sources
    return {c: float(len(who)) for c, who in seen.items() if len(who) >= floor}


def lead_prior(order: int, settings: BriefSettings = DEFAULT_SETTINGS) -> float:
    """How much a sentence's place in its article says about its weight:
    1 for the lead, decaying with each later sentence. News is written
    most important first, and a plain lead summary is hard to beat."""
    return math.exp(-order / settings.lead_decay)


def sentence_value(gain: float, order: int, words: int, settings: BriefSettings = DEFAULT_SETTINGS) -> float:
    """The greedy selection value of a sentence: the concept weight it adds
    to the brief (`gain`, as a share of the best any sentence offers at the
    start, so the setting means the same for 3 sources or 30) plus its lead
    prior, per word (sub-linearly, so a long informative sentence is not
    crowded out by short ones)."""
    return ((gain + settings.lead_weight * lead_prior(order, settings))
            / max(words, 1) ** settings.length_exponent)


def reader_words(text: str) -> int:
    """Words as `wc -w` and a word processor count them: every
    whitespace-separated token, a lone dash included, so the brief never
    exceeds a limit however it is counted."""
    return len(text.split())


class _Selection:
    """The brief being chosen: the units taken, the units it may not take
    (taken, stating a taken unit's point, stating a point a taken unit
    states, or a piece of a longer quotation, `is_quote_piece`), the
    concepts covered and the words used."""

    def __init__(self, units: Sequence[Unit], concept_sets: Sequence[set[tuple[str, str]]],
                 weights: Mapping[tuple[str, str], float], points: np.ndarray,
                 word_budget: int | None, settings: BriefSettings) -> None:
        self.units, self.concept_sets, self.weights, self.points = units, concept_sets, weights, points
        self.word_budget, self.settings = word_budget, settings
        self.words = [reader_words(u.text) for u in units]
        self.chosen: list[int] = []
        self.blocked: set[int] = set()
        self.covered: set[tuple[str, str]] = set()
        self.used = 0
        # Gains are shares of the best any sentence offers at the start.
        self.scale = max((sum(weights.get(c, 0.0) for c in cs) for cs in concept_sets), default=0.0) or 1.0
        # A sentence that leans on its article ("He added", "this visit",
        # "Nor ...") cannot be shown alone: it backs a point, it does not
        # state one, unless nothing else fits (`lean`). A flagged
        # translation is less sure.
        marks = [clarity(u.text, u.flags)[:2] for u in units]  # (flags, stands alone)
        self.leaning = {i for i, m in enumerate(marks) if not m[1]}
        self.lean = False
        self.clear = [(1.0 if m == (0, 1) else settings.unclear_factor)
                      * (settings.quote_factor if quote_of(u.text) else 1.0) for m, u in zip(marks, units)]
        # A sentence inside a longer quotation names no speaker.
        self.blocked.update(i for i, u in enumerate(units) if is_quote_piece(u.text))

    def fits(self, i: int) -> bool:
        return (i not in self.blocked and (self.lean or i not in self.leaning)
                and (self.word_budget is None or self.used + self.words[i] <= self.word_budget))

    def take(self, i: int) -> None:
        self.chosen.append(i)
        self.blocked.add(i)
        self.blocked.update(int(j) for j in (self.points[i] | self.points[:, i]).nonzero()[0])
        self.covered.update(self.concept_sets[i])
        self.used += self.words[i]

    def value(self, i: int) -> float:
        gain = sum(self.weights.get(c, 0.0) for c in self.concept_sets[i] - self.covered) / self.scale
        return sentence_value(gain, self.units[i].place, self.words[i], self.settings) * self.clear[i]

    def best(self) -> int | None:
        best, best_val = None, -1.0
        for i in range(len(self.units)):
            if self.fits(i):
                val = self.value(i)
                if val > best_val:
                    best, best_val = i, val
        return best


def select_sentences(units: Sequence[Unit], concept_sets: Sequence[set[tuple[str, str]]],
                     weights: Mapping[tuple[str, str], float], points: np.ndarray, *,
                     limit: int | None = None, word_budget: int | None = None,
                     complete: bool = False, sources: Sequence[int] | None = None,
                     first: Sequence[int] = (), settings: BriefSettings = DEFAULT_SETTINGS) -> list[int]:
    """Indices of the units the brief shows, most valuable first.

    First every fact that `settings.force_sources` (FORCE_SOURCES) or more
    sources state (most sources first), then greedily the unit of best
    `sentence_value`, until `limit` sentences or nothing more fits in
    `word_budget` words. A unit that states the point of one already chosen
    (or whose point a chosen one states; `points` from `point_matrix`) is
    never taken: the brief says each fact once. Nor is a unit that leans
    on the sentence before it ("He added ...", `english.clarity`), unless
    no other unit fits at all.

    With `complete`, `limit` is what the brief holds at least, not at most:
    every fact of FORCE_SOURCES sources is taken whatever the limit, and
    after the greedy choice each article's lead claim (its first complete
    sentence, `lead_units`) that the brief does not state yet, most
    valuable first. A default-length brief leaves out no source's main
    claim and no widely reported fact.

    `sources`: how many independent sources state each unit's point
    (default: the distinct articles of it and its supporters; `build_brief`
    counts those that report it as news, `versions.reported_as_news`).
    `first`: units that state the story's main event (`order.main_event`);
    the one that fits with the most sources (then the most valuable) is
    taken before anything else."""
    sel = _Selection(units, concept_sets, weights, points, word_budget, settings)
    if sources is None:
        sources = [len({u.article} | {units[j].article for j in supporters(units, points, i)})
                   for i, u in enumerate(units)]
    opening = max((i for i in first if sel.fits(i)), key=lambda i: (sources[i], sel.value(i), -i), default=None)
    if opening is not None:
        sel.take(opening)
    strong = sorted((i for i in range(len(units)) if sources[i] >= settings.force_sources),
                    key=lambda i: (-sources[i], -sel.value(i), i))
    for i in strong:
        if limit is not None and len(sel.chosen) >= limit and not complete:
            break
        if sel.fits(i):
            sel.take(i)
    _greedy(sel, limit)
    if not sel.chosen:
        # Only sentences that lean on another fit: better one of them than no brief.
        sel.lean = True
        _greedy(sel, limit)
    if complete:
        for i in sorted(lead_units(units), key=lambda i: (-sel.value(i), i)):
            if sel.fits(i):
                sel.take(i)
    return sel.chosen


def _greedy(sel: _Selection, limit: int | None) -> None:
    while limit is None or len(sel.chosen) < limit:
        best = sel.best()
        if best is None:
            break
        sel.take(best)


def lead_units(units: Sequence[Unit]) -> list[int]:
    """Index of each article's lead claim: its first complete sentence
    (least `place`; headings, date lines and fragments are not units)."""
    first: dict[int, int] = {}
    for i, u in enumerate(units):
        if u.article not in first or u.place < units[first[u.article]].place:
            first[u.article] = i
    return sorted(first.values())
