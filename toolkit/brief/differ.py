"""Where sources state one fact differently: another number (12 killed /
15 killed), another day or month (signed on Wednesday / on Thursday), or
another name or place in the same slot of the sentence.

Only sentences that state the same point (`toolkit.brief.points`) are
compared, and only what both of them give a value for: a sentence that
leaves the figure out does not disagree with one that gives it. Whether the
versions of a fact disagree or follow one another as a developing story's
updates is `toolkit.brief.versions.version_kind`'s call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from ..records import FactVersions, Version
from ..text.numbers import number_spans, tokens
from .english import Unit
from .versions import AGREE, version_kind

if TYPE_CHECKING:
    import numpy as np


WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTH_NAMES = frozenset("january february march april may june july august september october november "
                        "december".split())
NUMBER, DAY, MONTH, NAME = "number", "day", "month", "name"


@dataclass(frozen=True)
class Conflict:
    """Two sentences giving one slot of a fact different values."""

    kind: str    # NUMBER, DAY, MONTH or NAME
    first: str   # the value in the first sentence, normalised
    second: str  # the value in the second
    shown_first: str   # as written
    shown_second: str


def _words(text: str) -> list[tuple[int, str, str]]:
    """(word index, as written, lower-cased) of the words of `text`."""
    return [(k, tok, tok.lower()) for k, (kind, tok) in enumerate(tokens(text)) if kind == "word"]


def _calendar(text: str, names: frozenset[str]) -> dict[str, str]:
    # "may" is a month only as a capitalised word inside the sentence.
    return {low: tok for k, tok, low in _words(text) if low in names and (low != "may" or (k and tok == "May"))}


# Words either side of a name that must be the same in both sentences for
# two names to fill one slot: with one word, "relations between Moscow and
# Pyongyang" and "relations between Russia and North Korea" would differ.
NAME_CONTEXT = 2


def _name_slots(text: str) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]]:
    """Name key -> [(NAME_CONTEXT words before, NAME_CONTEXT words after,
    as written)] of the names of `text` (days and months aside)."""
    from ..verify import name_key

    toks = tokens(text)
    out: dict[str, list[tuple[str, str, str]]] = {}
    words_seen = 0
    for k, (kind, tok) in enumerate(toks):
        if kind != "word":
            continue
        key = name_key(tok, words_seen)
        words_seen += 1
        if key is None or tok.lower() in WEEKDAYS or tok.lower() in MONTH_NAMES:
            continue
        before = tuple(t.lower() for _, t in toks[max(0, k - NAME_CONTEXT):k])
        after = tuple(t.lower() for _, t in toks[k + 1:k + 1 + NAME_CONTEXT])
        out.setdefault(key, []).append((before, after, tok))
    return out


# How far a number's counted noun ("15 sailors", "15 of the sailors") or,
# at a clause's end, what it counts for ("a toll of 15") may stand from it.
NUMBER_REACH = 3


def _number_slots(text: str) -> list[tuple[str, str, frozenset[str], str]]:
    """(value, what it counts, what it is said of, as written) of the
    exact numbers of `text`: what it counts is the first content word
    after it within NUMBER_REACH words ("" when none; a day of a month
    counts ``month:<name>``), what it is said of the content words up to
    NUMBER_REACH words before it ("the death toll rose to"). Numbers after a quantifier ("at least 27", "about
    200") are bounds or estimates, not values to disagree on, and vague
    counts ("dozens") are left out."""
    from ..verify import content_key
    from ..verify.words import QUANT_OF

    toks = tokens(text)
    low = [t.lower() for _, t in toks]
    out = []
    for value, s, e in number_spans(toks):
        if not value[:1].isdigit():
            continue
        before = tuple(low[max(0, s - 4):s])
        if any(before[len(before) - len(p):] == p for p, _ in QUANT_OF if len(before) >= len(p)):
            continue
        around = low[s - 1:s] + low[e:e + 1]
        month = next((w for w in around if w in MONTH_NAMES), None)
        after = [content_key(t) for kind, t in toks[e:e + NUMBER_REACH] if kind == "word"]
        what = f"month:{month}" if month else next((k for k in after if k), "")
        prior = frozenset(k for kind, t in toks[max(0, s - NUMBER_REACH):s] if kind == "word"
                          for k in [content_key(t)] if k)
        out.append((value, what, prior, " ".join(t for _, t in toks[s:e])))
    return out


def _same_count(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    """Two numbers count the same thing: the same counted word where both
    have one ("12 killed" / "15 killed"; "15 billion lei" is not "150,000
    euro"), else a word in common before them ("the toll rose to 6,438" /
    "the toll stood at 6,301")."""
    if a[0] and b[0]:
        return a[0] == b[0]
    return bool(a[1] & b[1])


def conflict(first: str, second: str) -> Conflict | None:
    """The first slot in which `second` gives a fact of `first` another
    value, or None:

    * a number counting the same thing (`_number_slots`: "12 killed" /
      "15 killed", "on June 19" / "on June 20") where neither sentence
      states the other's number;
    * days of the week, or months, both given and none in common;
    * a name in the same place of the sentence (the same NAME_CONTEXT
      words before and after it: "talks in the capital Pyongyang." /
      "talks in the capital Moscow.") that the other sentence does not
      name at all."""
    from ..text.numbers import numbers_in

    mine, theirs = _number_slots(first), _number_slots(second)
    my_values, their_values = set(numbers_in(first)), set(numbers_in(second))
    for v1, what1, of1, shown1 in mine:
        if v1 in their_values:
            continue
        for v2, what2, of2, shown2 in theirs:
            if v2 not in my_values and _same_count((what1, of1), (what2, of2)):
                return Conflict(NUMBER, v1, v2, shown1, shown2)
    for kind, names in ((DAY, WEEKDAYS), (MONTH, MONTH_NAMES)):
        a, b = _calendar(first, names), _calendar(second, names)
        if a and b and not set(a) & set(b):
            k1, k2 = sorted(a)[0], sorted(b)[0]
            return Conflict(kind, k1, k2, a[k1], b[k2])
    na, nb = _name_slots(first), _name_slots(second)
    for k1, places1 in na.items():
        if k1 in nb:
            continue
        for k2, places2 in nb.items():
            if k2 in na:
                continue
            for before1, after1, shown1 in places1:
                for before2, after2, shown2 in places2:
                    if len(before1) == NAME_CONTEXT and before1 == before2 and after1 == after2:
                        return Conflict(NAME, k1, k2, shown1, shown2)
    return None


# Words of the sentence kept either side of the contested value to say
# what the fact is.
ABOUT_WORDS = 8


def _about(text: str, shown: str) -> str:
    """What the fact is: the words around the contested value in a
    sentence stating it, the value left open ("... killed … people in
    the ...")."""
    at = text.find(shown) if shown else -1
    if at < 0:
        return text
    before, after = text[:at].split(), text[at + len(shown):].split()
    head = ("… " if len(before) > ABOUT_WORDS else "") + " ".join(before[-ABOUT_WORDS:])
    tail = " ".join(after[:ABOUT_WORDS]) + (" …" if len(after) > ABOUT_WORDS else "")
    return " ".join(x for x in (head, "…", tail) if x)


def fact_versions(units: Sequence[Unit], points: np.ndarray, originals: Mapping[int, int],
                  dates: Mapping[int, str] | None = None) -> list[FactVersions]:
    """The facts that sentences of different independent sources state with
    different values: pairs of units of which one states the other's point
    (`points`, from `point_matrix`) and that `conflict`. Pairs that share a
    sentence and a kind of slot are one fact. Each fact's versions are its
    values, each with the units giving it and the earliest publication date
    among their articles (`dates`: article number -> ISO date); its kind is
    `version_kind`'s (``disagreement`` or ``update``)."""
    import numpy as np

    dates = dates or {}
    found: list[tuple[int, int, Conflict]] = []
    for i, j in zip(*np.nonzero(points | points.T)):
        i, j = int(i), int(j)
        if i >= j or originals.get(units[i].article, units[i].article) == originals.get(units[j].article,
                                                                                          units[j].article):
            continue
        c = conflict(units[i].text, units[j].text)
        if c is not None:
            found.append((i, j, c))
    # One fact per connected group of conflicting pairs of one kind of slot.
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for i, j, c in found:
        ri, rj = root((c.kind, i)), root((c.kind, j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    facts: dict[tuple[str, int], dict[int, tuple[str, str]]] = {}
    for i, j, c in found:
        values = facts.setdefault(root((c.kind, i)), {})
        values.setdefault(i, (c.first, c.shown_first))
        values.setdefault(j, (c.second, c.shown_second))
    out: list[FactVersions] = []
    for (kind, _), values in sorted(facts.items(), key=lambda kv: min(kv[1])):
        by_value: dict[str, list[int]] = {}
        for k in sorted(values, key=lambda k: (units[k].article, units[k].order)):
            by_value.setdefault(values[k][0], []).append(k)
        versions = []
        for value, members in by_value.items():
            first = units[members[0]]
            days = sorted(d for d in (dates.get(units[k].article, "") for k in members) if d)
            versions.append(Version(value, first.text, tuple(units[k].id for k in members),
                                    days[0] if days else "", values[members[0]][1]))
        versions.sort(key=lambda v: (v.date, _order(v.citations[0])))
        kind_of = version_kind(versions)
        if kind_of == AGREE:
            continue
        shown = versions[0]
        out.append(FactVersions(_about(shown.text, shown.shown), kind_of, tuple(versions)))
    return out


def _order(sid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in sid.split(".") if p.isdigit())


def conflicting_units(facts: Sequence[FactVersions]) -> dict[str, set[str]]:
    """Sentence ID -> the IDs that give another value for a fact it states."""
    out: dict[str, set[str]] = {}
    for fact in facts:
        for v in fact.versions:
            others = {c for w in fact.versions if w is not v for c in w.citations}
            for c in v.citations:
                out.setdefault(c, set()).update(others)
    return out
