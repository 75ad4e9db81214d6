"""Copies and shared wording: which articles are the same text republished
(whole, or with a paragraph added or cut, light edits, another headline)
and which sentences two otherwise different articles share word for word
(agency copy inside a local report).

Texts are compared in the language they were written in: the Arabic of an
Arabic article, the English of an English one; a translation is never a
copy of its original. Both rules compare word n-grams ("shingles") of
normalised words, so punctuation, diacritics, letter variants, digits of
another script and a changed word here and there do not hide a copy.
The thresholds were measured on the MultiLing 2011 development clusters and
the seed articles (bench/source_relations.py, docs/benchmarks.md).
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..records import Article, Sentence
from ..text.arabic import normalize_arabic, to_ascii_digits
from ..text.memo import memoised

# Words per shingle: three words in the same order rarely repeat by chance
# between independently written sentences, and one changed word spoils only
# three shingles.
SHINGLE = 3
# A sentence is shared word for word with another when this share of the
# shorter one's shingles is in the longer one (a word or two changed, a
# clause added or cut).
SHARED_SENTENCE = 0.7
# Sentences of fewer words than this are too short to tell a shared text
# from a common phrase ("Putin arrived in Pyongyang").
MIN_SHARED_WORDS = 8
# An article is a copy of another when this share of the shingles of the
# shorter of the two is in the other: a paragraph added or cut leaves the
# rest shared; independent reports of one story share far less.
COPY_CONTAINMENT = 0.6
# ... and the shorter text has at least this many shingles (a one-line
# article says too little to be told from a quote of another).
MIN_COPY_SHINGLES = 20

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class Groups:
    """Things joined into groups, directly or through others (union-find);
    each group is named by its least member under `key`."""

    def __init__(self, key: Callable[[Any], Any] | None = None):
        self.parent: dict[Any, Any] = {}
        self.key = key or (lambda x: x)

    def root(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, x: Any, y: Any) -> None:
        rx, ry = self.root(x), self.root(y)
        if rx != ry:
            first, last = sorted((rx, ry), key=self.key)
            self.parent[last] = first


def words(text: str, *, arabic: bool) -> list[str]:
    """The comparison words of `text`: lower-cased; for Arabic, letters
    normalised (`normalize_arabic`), ASCII digits."""
    return list(_words(text, arabic))


# The copies and the shared sentences read every sentence's words.
@memoised()
def _words(text: str, arabic: bool) -> tuple[str, ...]:
    plain = to_ascii_digits(text)
    if arabic:
        plain = normalize_arabic(plain)
    return tuple(w.lower() for w in _WORD.findall(plain))


def shingles(tokens: Sequence[str]) -> frozenset[str]:
    """The word n-grams (SHINGLE words, written with a space between them:
    a word holds none) of `tokens`; a text shorter than that is one
    shingle."""
    return _shingles(tuple(tokens))


# The copies and the shared sentences read every sentence's shingles, and
# count them in sets and dicts: a string keeps its hash, a tuple does not.
@memoised()
def _shingles(tokens: tuple[str, ...]) -> frozenset[str]:
    if len(tokens) < SHINGLE:
        return frozenset({" ".join(tokens)}) if tokens else frozenset()
    return frozenset(" ".join(tokens[k:k + SHINGLE]) for k in range(len(tokens) - SHINGLE + 1))


def containment(a: set, b: set) -> float:
    """The share of the smaller set that is in the other (0 when one is
    empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def _compared_text(article: Article, sentence: Sentence, english: Mapping[str, str]) -> str:
    # An English article's own text is its English; an Arabic article is
    # compared on its Arabic.
    return english.get(sentence.id, sentence.text) if article.language == "en" else sentence.text


def sentence_words(articles: Sequence[Article], english: Mapping[str, str] | None = None
                   ) -> dict[str, list[str]]:
    """Sentence ID -> comparison words (headings included)."""
    english = english or {}
    return {s.id: words(_compared_text(a, s, english), arabic=a.language != "en")
            for a in articles for s in a.sentences}


def find_copies(articles: Sequence[Article], english: Mapping[str, str] | None = None) -> dict[int, int]:
    """Article number -> the number of the article it copies, for every
    copy among `articles`. Two articles of one language whose shingles
    overlap by COPY_CONTAINMENT or more (of the shorter text) are one text,
    and so are articles linked through another. In each such group the
    original is the earliest published where all are dated, else the one
    given first; every other member names it, so copies never chain."""
    from .pairs import shared_counts

    per_word = sentence_words(articles, english)
    sets = [set().union(*(shingles(per_word[s.id]) for s in a.sentences)) for a in articles]
    # `containment` of every two articles, from one count of shared shingles.
    shared = shared_counts(sets)
    groups = Groups()
    for k, a in enumerate(articles):
        for m in range(k + 1, len(articles)):
            b, small = articles[m], min(len(sets[k]), len(sets[m]))
            if a.language == b.language and small >= MIN_COPY_SHINGLES and (
                    int(shared[k, m]) / small >= COPY_CONTAINMENT):
                groups.join(a.number, b.number)
    members_of: dict[int, list[Article]] = {}
    for a in articles:
        members_of.setdefault(groups.root(a.number), []).append(a)
    out: dict[int, int] = {}
    for members in members_of.values():
        if len(members) < 2:
            continue
        dated = all(m.published.date for m in members)
        first = min(members, key=lambda m: (m.published.date if dated else "", m.number))
        out.update({m.number: first.number for m in members if m is not first})
    return out


def shared_sentences(articles: Sequence[Article], english: Mapping[str, str] | None = None,
                     ids: Iterable[str] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> list[tuple[str, str]]:
    """Pairs of sentence IDs of different articles of one language that are
    the same sentence word for word (SHARED_SENTENCE of the shorter one's
    shingles, at least MIN_SHARED_WORDS words each); `ids` limits the
    sentences compared (default: every non-heading sentence);
    `progress(done, total)` hears of the sentences compared."""
    from .steps import EVERY

    per_word = sentence_words(articles, english)
    wanted = set(ids) if ids is not None else None
    rows = [(a.number, a.language, s.id, shingles(per_word[s.id]))
            for a in articles for s in a.sentences
            if not s.is_heading and (wanted is None or s.id in wanted) and len(per_word[s.id]) >= MIN_SHARED_WORDS]
    if progress is not None:
        progress(0, len(rows))
    prefixes, index = _prefix_index([row[3] for row in rows])
    sizes = [len(row[3]) for row in rows]
    found: list[tuple[int, int]] = []
    for k, (art, lang, _, sh) in enumerate(rows):
        if progress is not None and k and k % EVERY == 0:
            progress(k, len(rows))
        for m in _partners(k, prefixes[k], index, sizes):
            art2, lang2, _, sh2 = rows[m]
            if art2 != art and lang2 == lang and len(sh & sh2) / min(len(sh), len(sh2)) >= SHARED_SENTENCE:
                found.append((min(k, m), max(k, m)))
    if progress is not None and rows:
        progress(len(rows), len(rows))
    # The brief reads no sentence's words or shingles after this: a story
    # of a thousand articles holds a hundred megabytes of them.
    _words.cache_clear()  # type: ignore[attr-defined]
    _shingles.cache_clear()  # type: ignore[attr-defined]
    return [(rows[k][2], rows[m][2]) for k, m in sorted(found)]


def _prefix_index(sets: Sequence[frozenset[str]]
                  ) -> tuple[list[list[str]], dict[str, list[int]]]:
    """Each set's prefix (its rarest shingles, as many as `_partners`
    needs) and, for the shingles in any prefix, the sets holding them.
    Two sets that share t members share one among the first ``len - t + 1``
    of the smaller's in any fixed order, rarest first here: the common
    shingles of a story ("the oil spill"), held by hundreds of sentences,
    are never walked."""
    held = Counter(itertools.chain.from_iterable(sets))
    prefixes = []
    for members in sets:
        # One shingle more than the bound asks: rounding never loses a pair.
        need = max(1, math.ceil(SHARED_SENTENCE * len(members)) - 1)
        # Sorted by shingle, then (stably) by how many sets hold it: one
        # order for every set.
        prefixes.append(sorted(sorted(members), key=held.__getitem__)[:len(members) - need + 1])
    wanted = set(itertools.chain.from_iterable(prefixes))
    index: dict[str, list[int]] = {sh: [] for sh in wanted}
    for k, members in enumerate(sets):
        for sh in members & wanted:
            index[sh].append(k)
    return prefixes, index


def _partners(k: int, prefix: Sequence[str], index: Mapping[str, list[int]],
              sizes: Sequence[int]) -> list[int]:
    """The sets no smaller than set `k` that hold a shingle of its
    `prefix` (`_prefix_index`): those that may share SHARED_SENTENCE of
    its shingles. A pair of sets of one size is found from both and kept
    from its first."""
    size = sizes[k]
    found = {m for sh in prefix for m in index[sh] if m != k and sizes[m] >= size}
    return [m for m in found if m > k or sizes[m] > size]


def copy_groups(articles: Sequence[Article], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Sentence ID -> a representative ID of the sentences it is one text
    with (shared word for word, directly or through another); every
    sentence of `articles` is in the map, most as its own group."""
    ids = {s.id for a in articles for s in a.sentences}
    groups = Groups(id_order)
    for x, y in pairs:
        if x in ids and y in ids:
            groups.join(x, y)
    return {x: groups.root(x) for x in ids}


def copy_own_sentences(units: Sequence[Any], copied: Sequence[Any], originals: Mapping[int, int],
                       groups: Mapping[str, str]) -> dict[str, list[str]]:
    """Per copying article, the IDs of its sentences (`copied`: the copies'
    candidate sentences) its original does not have (a new first
    paragraph): none of the originals' sentences (`units`) is one text
    with them (`groups`, from `copy_groups`). They are not summarised:
    said, never silently dropped."""
    texts_of: dict[int, set[str]] = {}
    for u in units:
        texts_of.setdefault(u.article, set()).add(groups[u.id])
    own = {str(a): [u.id for u in copied if u.article == a and groups[u.id] not in texts_of.get(originals[a], ())]
           for a in sorted({u.article for u in copied})}
    return {a: ids for a, ids in own.items() if ids}


def id_order(sid: str) -> tuple[int, ...]:
    """Sort key of a sentence ID: article, sentence, piece ("2.10" after "2.9")."""
    return tuple(int(p) for p in sid.split(".") if p.isdigit())


def independent_sources(cited: Iterable[tuple[str, int]], originals: Mapping[int, int],
                        groups: Mapping[str, str]) -> int:
    """How many independent sources the cited sentences (ID, article) are:
    copies of one article count once (`originals`, from
    `toolkit.brief.versions.original_of`), and an article whose every cited
    sentence is one that another cited article has too, word for word
    (`groups`, from `copy_groups`), is no source of its own."""
    texts: dict[int, set[str]] = {}
    for sid, art in cited:
        texts.setdefault(originals.get(art, art), set()).add(groups.get(sid, sid))
    sources = Groups()
    for x, mine in texts.items():
        sources.root(x)
        for y, theirs in texts.items():
            if x != y and mine <= theirs:
                sources.join(x, y)
    return len({sources.root(x) for x in texts})


def mark_copies(articles: Sequence[Article], english: Mapping[str, str]) -> list[Article]:
    """`articles` with `copy_of` set on each found to copy another. A copy
    (the same text republished) is cited beside its original but never
    counted, weighted or chosen: adding one changes no count and no key
    point."""
    found = find_copies(articles, english)
    return [replace(a, copy_of=found[a.number]) if a.copy_of is None and a.number in found else a
            for a in articles]
