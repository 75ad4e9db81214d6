"""What two sentences give a fact's slot: the numbers with what each
counts, days of the week and months, and names in the same place of the
sentence, read from the words; and `conflict`, the first slot the two
give different values that cannot both be true. `toolkit.brief.differ`
decides which sentences are compared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..text.memo import memoised
from ..text.numbers import number_spans, tokens


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
# two names to fill one slot: with one word, "relations
# between Moscow and Pyongyang" and "relations between Russia and North
# Korea" would differ.
NAME_CONTEXT = 2
# ... or one of these words right before both and the word after: a place ("held in Moscow" /
# "to be held in Kumsusan").
PLACE_WORDS = frozenset("in at from to near off".split())


# Lower-case words inside a name ("Rio de Janeiro", "Abu al Hassan").
NAME_LINKS = frozenset("de da do dos del la le al el bin ibn van von".split())


def _name_slots(text: str) -> list[tuple[frozenset[str], tuple[str, ...], tuple[str, ...], str]]:
    """(name keys, NAME_CONTEXT words before, NAME_CONTEXT words after, as
    written) of each name of `text`: a run of capitalised words ("Kim Il
    Sung Square", "Rio de Janeiro"); days and months are not names here."""
    from ..verify import name_key

    toks = tokens(text)
    keys: list[str | None] = []
    words_seen = 0
    for kind, tok in toks:
        key = name_key(tok, words_seen) if kind == "word" else None
        words_seen += kind == "word"
        keys.append(None if tok.lower() in WEEKDAYS or tok.lower() in MONTH_NAMES else key)
    out = []
    k = 0
    while k < len(toks):
        if keys[k] is None:
            k += 1
            continue
        end = k + 1
        while end < len(toks) and (keys[end] is not None or (
                toks[end][1] in NAME_LINKS and end + 1 < len(toks) and keys[end + 1] is not None)):
            end += 1
        before = tuple(t.lower() for _, t in toks[max(0, k - NAME_CONTEXT):k])
        after = tuple(t.lower() for _, t in toks[end:end + NAME_CONTEXT])
        out.append((frozenset(x for x in keys[k:end] if x), before, after, " ".join(t for _, t in toks[k:end])))
        k = end
    return out


# How far a number's counted noun ("15 sailors", "15 of the sailors") or,
# at a clause's end, what it counts for ("a toll of 15") may stand from it.
NUMBER_REACH = 3


@dataclass(frozen=True)
class _Number:
    value: str              # normalised ("6438")
    counts: str             # the first content word after it within NUMBER_REACH ("" when none)
    said_of: frozenset[str]  # the content words up to NUMBER_REACH before it
    before: str             # the content word right before it ("" when none)
    bound: str | None       # its quantifier class ("least" for "at least 27"), None for an exact number
    shown: str              # as written


# An estimate ("about 200", "nearly 200") allows this much either way.
ESTIMATE_MARGIN = 0.15


@memoised()
def _number_slots(text: str) -> tuple[_Number, ...]:
    """The numbers of `text` with what they count (`_Number`); a day of a
    month counts ``month:<name>``. Vague counts ("dozens") are left out."""
    from ..verify import content_key
    from ..verify.words import QUANT_OF

    toks = tokens(text)
    low = [t.lower() for _, t in toks]
    out = []
    kept = [(value, s, e) for value, s, e in number_spans(toks) if value[:1].isdigit()]
    for value, s, e in kept:
        ahead = tuple(low[max(0, s - 4):s])
        bound = next((c for p, c in QUANT_OF if len(ahead) >= len(p) and ahead[len(ahead) - len(p):] == p), None)
        around = low[s - 1:s] + low[e:e + 1] if s else low[e:e + 1]
        month = next((w for w in around if w in MONTH_NAMES), None)
        after = [content_key(t) for kind, t in toks[e:e + NUMBER_REACH] if kind == "word"]
        prior = [content_key(t) for kind, t in toks[max(0, s - NUMBER_REACH):s] if kind == "word"]
        out.append(_Number(value, f"month:{month}" if month else next((k for k in after if k), ""),
                           frozenset(k for k in prior if k), prior[-1] or "" if prior else "", bound,
                           " ".join(t for _, t in toks[s:e])))
    return tuple(_ranges_shown(text, toks, kept, out))


def _ranges_shown(text: str, toks: Sequence[tuple[str, str]], spans: Sequence[tuple[str, int, int]],
                  numbers: list[_Number]) -> list[_Number]:
    """`numbers` (of `spans`: value, first token, token after) with each end
    of a range ("45,000-50,000", "50,000 to 100,000") shown as the whole
    range: one end alone would tell a reader a figure no source gave."""
    for k in range(len(spans) - 1):
        e1, s2 = spans[k][2], spans[k + 1][1]
        if not (s2 == e1 or (s2 == e1 + 1 and toks[e1][1].lower() == "to")):
            continue
        first, second = numbers[k].shown, numbers[k + 1].shown
        found = re.search(re.escape(first) + r"\s*(?:-|–|—|to)\s*" + re.escape(second), text)
        if found:
            numbers[k] = replace(numbers[k], shown=found.group(0))
            numbers[k + 1] = replace(numbers[k + 1], shown=found.group(0))
    return numbers


def _same_count(a: _Number, b: _Number) -> bool:
    """Two numbers count the same thing: the same counted word ("12 killed"
    / "15 killed") or the same word right before them ("Flight 447" /
    "flight 596") where both have a counted word ("15 billion lei" is not
    "150,000 euro"), else a word in common before them ("the toll rose to
    6,438" / "the toll stood at 6,301")."""
    if a.counts and b.counts:
        return a.counts == b.counts or (bool(a.before) and a.before == b.before)
    return bool(a.said_of & b.said_of)


def _compatible(a: _Number, b: _Number) -> bool:
    """Whether the two values can both be true: equal exact numbers, an
    exact number inside a bound ("at least 2" / "16"), near an estimate
    ("about 200" / "210"), or two bounds or estimates (no value to hold
    them to)."""
    from decimal import Decimal

    if a.bound and b.bound:
        return True
    if not a.bound and not b.bound:
        return a.value == b.value
    exact, near = (Decimal(b.value), a) if a.bound else (Decimal(a.value), b)
    limit = Decimal(near.value)
    if near.bound in ("more", "least"):
        return exact >= limit
    if near.bound in ("most", "less"):
        return exact <= limit
    return abs(exact - limit) <= limit * Decimal(str(ESTIMATE_MARGIN))


def conflict(first: str, second: str, *, numbers_only: bool = False,
             comparable: Callable[[str, str], bool] | None = None) -> Conflict | None:
    """The first slot in which `second` gives a fact of `first` another
    value, or None:

    * a number counting the same thing (`_same_count`: "12 killed" /
      "15 killed", "on June 19" / "on June 20") where neither sentence
      states the other's number and the two cannot both be true
      (`_compatible`: "at least 27" and "13" cannot, "at least 2" and
      "16" can);
    * days of the week, or months, both given and none in common;
    * a name in the same place of the sentence (the same NAME_CONTEXT
      words either side of it, or the same PLACE_WORDS word before it and
      the same word after it: "talks in the capital Pyongyang." / "...
      Moscow.") that the other sentence does not name (a name of several
      words: not all of them).

    With `numbers_only`, only numbers are compared; with `comparable`, only
    the pairs of values it accepts ("8:00 AM" and "600 displaced" are not
    one slot)."""
    from ..text.numbers import numbers_in

    mine, theirs = _number_slots(first), _number_slots(second)
    my_values, their_values = set(numbers_in(first)), set(numbers_in(second))
    for n1 in mine:
        if not n1.bound and n1.value in their_values:
            continue
        for n2 in theirs:
            if (not n2.bound and n2.value in my_values) or not _same_count(n1, n2) or _compatible(n1, n2):
                continue
            if comparable is not None and not comparable(n1.value, n2.value):
                continue
            return Conflict(NUMBER, n1.value, n2.value, n1.shown, n2.shown)
    if numbers_only:
        return None
    for kind, names in ((DAY, WEEKDAYS), (MONTH, MONTH_NAMES)):
        a, b = _calendar(first, names), _calendar(second, names)
        if a and b and not set(a) & set(b):
            k1, k2 = sorted(a)[0], sorted(b)[0]
            return Conflict(kind, k1, k2, a[k1], b[k2])
    na, nb = _name_slots(first), _name_slots(second)
    named1, named2 = set().union(*(n[0] for n in na)), set().union(*(n[0] for n in nb))
    for keys1, before1, after1, shown1 in na:
        if keys1 <= named2:
            continue
        for keys2, before2, after2, shown2 in nb:
            if keys2 <= named1 or keys1 & keys2:
                continue
            if (len(before1) == NAME_CONTEXT and before1 == before2 and after1 == after2) or (
                    before1[-1:] == before2[-1:] and before1[-1:] and before1[-1] in PLACE_WORDS
                    and after1[:1] == after2[:1]):
                return Conflict(NAME, " ".join(sorted(keys1)), " ".join(sorted(keys2)), shown1, shown2)
    return None
