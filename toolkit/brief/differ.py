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
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..records import FactVersions, Version
from ..text.numbers import number_spans, tokens
from .copies import id_order
from .english import Unit
from .versions import AGREE, version_kind

if TYPE_CHECKING:
    import numpy as np


WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTH_NAMES = frozenset("january february march april may june july august september october november "
                        "december".split())
NUMBER, DAY, MONTH, NAME = "number", "day", "month", "name"
# Besides sentences that state one another's point, sentences at least this
# similar (cosine) are compared on their numbers, which say what they count:
# a changed figure can take a sentence below the similarity at which it
# states the other's point. A day or a name says less about which fact it
# belongs to ("announced on Tuesday" / "signed on Wednesday").
DIFFER_SIMILARITY = 0.7


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


def _number_slots(text: str) -> list[_Number]:
    """The numbers of `text` with what they count (`_Number`); a day of a
    month counts ``month:<name>``. Vague counts ("dozens") are left out."""
    from ..verify import content_key
    from ..verify.words import QUANT_OF

    toks = tokens(text)
    low = [t.lower() for _, t in toks]
    out = []
    for value, s, e in number_spans(toks):
        if not value[:1].isdigit():
            continue
        ahead = tuple(low[max(0, s - 4):s])
        bound = next((c for p, c in QUANT_OF if len(ahead) >= len(p) and ahead[len(ahead) - len(p):] == p), None)
        around = low[s - 1:s] + low[e:e + 1] if s else low[e:e + 1]
        month = next((w for w in around if w in MONTH_NAMES), None)
        after = [content_key(t) for kind, t in toks[e:e + NUMBER_REACH] if kind == "word"]
        prior = [content_key(t) for kind, t in toks[max(0, s - NUMBER_REACH):s] if kind == "word"]
        out.append(_Number(value, f"month:{month}" if month else next((k for k in after if k), ""),
                           frozenset(k for k in prior if k), prior[-1] or "" if prior else "", bound,
                           " ".join(t for _, t in toks[s:e])))
    return out


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


# Words either side of the contested value that say what the fact is.
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
                  dates: Mapping[int, str] | None = None, similar: np.ndarray | None = None,
                  facts: Sequence[Any] | None = None, cosine: np.ndarray | None = None) -> list[FactVersions]:
    """The facts that sentences of different independent sources state with
    different values: pairs of units of which one states the other's point
    (`points`, from `point_matrix`) and that `conflict`. Pairs that share a
    sentence and a kind of slot are one fact. Each fact's versions are its
    values, each with the units giving it and the earliest publication date
    among their articles (`dates`: article number -> ISO date); its kind is
    `version_kind`'s (``disagreement`` or ``update``). Pairs only
    `similar` (a boolean matrix, e.g. cosine >= DIFFER_SIMILARITY) are
    compared on their numbers alone. With `facts` (a `toolkit.facts.Fact`
    per unit) pairs are chosen as `_conflicting_pairs` says, and each
    version is dated by its event (`toolkit.facts.event_day`)."""
    from ..facts import event_day

    dates = dates or {}
    found = _conflicting_pairs(units, points, originals, similar, facts, cosine, dates)

    def day_of(k: int) -> str:
        published = dates.get(units[k].article, "")
        return event_day(facts[k], published) if facts is not None else published

    slots = _groups(found)
    out: list[FactVersions] = []
    for (kind, _, _), values in sorted(slots.items(), key=lambda kv: min(kv[1])):
        by_value: dict[str, list[int]] = {}
        for k in sorted(values, key=lambda k: (units[k].article, units[k].order)):
            by_value.setdefault(values[k][0], []).append(k)
        versions = []
        for value, members in by_value.items():
            first = units[members[0]]
            days = sorted(d for d in (day_of(k) for k in members) if d)
            versions.append(Version(value, first.text, tuple(units[k].id for k in members),
                                    days[0] if days else "", values[members[0]][1]))
        versions.sort(key=lambda v: (v.date, id_order(v.citations[0])))
        # Only a count can move on as a story develops; a day or a name
        # given otherwise by a later source is still a contradiction.
        kind_of = version_kind(versions, can_change=kind == NUMBER)
        if kind_of == AGREE:
            continue
        shown = versions[0]
        out.append(FactVersions(_about(shown.text, shown.shown), kind_of, tuple(versions)))
    return out


def _groups(found: Sequence[tuple[int, int, Conflict, str]]
            ) -> dict[tuple[str, str, int], dict[int, tuple[str, str]]]:
    """The facts the conflicting pairs make: (kind, slot, first sentence)
    -> sentence -> (value, as written). One fact per sentence and the
    sentences that give its slot another value: a group never grows through
    a member ("12 dead" / "15 dead" and "15 dead" / "150 dead" elsewhere are
    two facts), since each pair is judged on its own and a chain of them
    can join anything. A sentence that gives a value the group already has
    joins it through any member: it repeats one of the versions."""
    anchor_of: dict[tuple[str, str, int], int] = {}
    slots: dict[tuple[str, str, int], dict[int, tuple[str, str]]] = {}
    def repeats(anchor: int, value: str, key: tuple[str, str]) -> bool:
        return value in {v for v, _ in slots.get((*key, anchor), {}).values()}

    for i, j, c, slot in sorted(found, key=lambda f: (f[0], f[1])):
        key = (c.kind, slot)
        a, b = anchor_of.get((*key, i)), anchor_of.get((*key, j))
        if a is None and b is not None and repeats(b, c.first, key):
            anchor = b  # i repeats a version of j's fact
        elif a is None or a == i or repeats(a, c.second, key):
            anchor = i if a is None else a
            if b is not None and b != anchor:
                continue
        else:
            continue
        anchor_of[(*key, i)] = anchor_of[(*key, j)] = anchor
        values = slots.setdefault((*key, anchor), {})
        values.setdefault(i, (c.first, c.shown_first))
        values.setdefault(j, (c.second, c.shown_second))
    return slots


def _conflicting_pairs(units: Sequence[Unit], points: np.ndarray, originals: Mapping[int, int],
                       similar: np.ndarray | None, facts: Sequence[Any] | None, cosine: np.ndarray | None = None,
                       dates: Mapping[int, str] | None = None) -> list[tuple[int, int, Conflict, str]]:
    """(i, j, the conflict, its slot) of each pair of units of different
    independent sources that `fact_versions` compares and that conflict.
    With `facts`, numbers are compared only where they fill one slot
    (`number_slot`), days, months and names only between facts of one
    event (`event_slot`), a name only where each sentence names one place,
    and, given `cosine`, only sentences that the fact layer's model reads
    as one statement besides the value (`toolkit.facts.same.score`); the
    slot names what the values are of; it is "" without facts."""
    from ..facts import compatible
    from ..facts.quantities import ROLE_WORDS
    from ..facts.same import THRESHOLD, dates_event, event_slot, number_slot, score

    found: list[tuple[int, int, Conflict, str]] = []
    stated = _unordered(points)
    # With facts only pairs that state one point are compared; without,
    # similar pairs too, on their numbers.
    near = stated if facts is not None or similar is None else stated | _unordered(similar)
    for i, j in sorted(near):
        if originals.get(units[i].article, units[i].article) == originals.get(units[j].article, units[j].article):
            continue
        if facts is None:
            c = conflict(units[i].text, units[j].text, numbers_only=(i, j) not in stated)
            if c is not None:
                found.append((i, j, c, ""))
            continue
        # Two days for one fact's event are its update, not another fact:
        # `version_kind` tells them apart by the versions' dates.
        a, b = facts[i], facts[j]
        if not compatible(a, b, same_time=False):
            continue
        event = event_slot(a, b)
        # Only pairs close besides the value are compared (a loose pair sets
        # the counts of two things against each other), but a toll (a role
        # the parser reads) reported on one day is one slot however the
        # rest is worded; over days the latest figures follow it.
        close = ((similar is None or bool(similar[i, j] or similar[j, i])) and
                 (cosine is None or score(a.reading, b.reading, float(cosine[i, j])) >= THRESHOLD))
        one_day = (dates or {}).get(units[i].article, "") == (dates or {}).get(units[j].article, "")

        def comparable(x: str, y: str, a: Any = a, b: Any = b, close: bool = close, one_day: bool = one_day) -> bool:
            slot = number_slot(a, b, x, y)
            return slot is not None and (close or (one_day and slot in ROLE_WORDS))

        c = conflict(units[i].text, units[j].text, numbers_only=event is None or not close, comparable=comparable)
        # A list of places ("six in Canada, one in Spain") is no slot; a day
        # or month is one only where both sentences date their event by it.
        if c is not None and ((c.kind == NAME and not len(a.reading.places) == len(b.reading.places) == 1) or (
                c.kind in (DAY, MONTH) and not (dates_event(a, c.first) and dates_event(b, c.second)))):
            continue
        if c is not None:
            found.append((i, j, c, number_slot(a, b, c.first, c.second) if c.kind == NUMBER else event))
    return found


def _unordered(pairs: Any) -> set[tuple[int, int]]:
    """The true entries (i, j) of a boolean matrix (numpy or `PairMatrix`)
    as unordered pairs (i < j), a unit with itself left out."""
    import numpy as np

    return {(int(min(i, j)), int(max(i, j))) for i, j in zip(*np.nonzero(pairs)) if i != j}


def conflicting_units(facts: Sequence[FactVersions]) -> dict[str, set[str]]:
    """Sentence ID -> the IDs that give another value for a fact it states."""
    out: dict[str, set[str]] = {}
    for fact in facts:
        for v in fact.versions:
            others = {c for w in fact.versions if w is not v for c in w.citations}
            for c in v.citations:
                out.setdefault(c, set()).update(others)
    return out
