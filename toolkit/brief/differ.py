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

import functools
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from ..records import FactVersions, Version
from .conflicts import NAME, NUMBER, Conflict, conflict
from .copies import id_order
from .english import Unit
from .versions import AGREE, UPDATE, falls_away, version_kind

if TYPE_CHECKING:
    import numpy as np


# Besides sentences that state one another's point, sentences at least this
# similar (cosine) are compared on their numbers, which say what they count:
# a changed figure can take a sentence below the similarity at which it
# states the other's point. A day or a name says less about which fact it
# belongs to ("announced on Tuesday" / "signed on Wednesday").
DIFFER_SIMILARITY = 0.7


# A sentence naming more places than this lists them ("Mexico: 20 cases;
# United States: 40 ..."): which count is whose is not a slot to compare.
MAX_PLACES = 2

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
                  dates: Mapping[int, str] | None = None, similar: np.ndarray | float | None = None,
                  facts: Sequence[Any] | None = None, cosine: np.ndarray | None = None) -> list[FactVersions]:
    """The facts that sentences of different independent sources state with
    different values: pairs of units of which one states the other's point
    (`points`, from `point_matrix`) and that `conflict`. Pairs that share a
    sentence and a kind of slot are one fact. Each fact's versions are its
    values, each with the units giving it and the earliest publication date
    among their articles (`dates`: article number -> ISO date); its kind is
    `version_kind`'s (``disagreement`` or ``update``). Pairs only
    `similar` (a boolean matrix, e.g. cosine >= DIFFER_SIMILARITY) are
    compared on their numbers alone. With `facts` and `cosine`, `similar`
    may be a floor instead: the pairs whose cosine reaches it (a big
    story's cosines are not held twice). With `facts` (a `toolkit.facts.Fact`
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
        if kind_of == AGREE or (kind_of == UPDATE and falls_away([float(v.value) for v in versions])):
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
                       similar: np.ndarray | float | None, facts: Sequence[Any] | None, cosine: np.ndarray | None = None,
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
    from ..facts.same import THRESHOLD, event_slot, number_slot, score

    found: list[tuple[int, int, Conflict, str]] = []
    day_of = dates or {}
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
        day_i, day_j = day_of.get(units[i].article, ""), day_of.get(units[j].article, "")
        if not compatible(a, b, same_time=False):
            continue
        event = event_slot(a, b)
        # Only pairs close besides the value are compared (a loose pair sets
        # the counts of two things against each other), but a toll (a role
        # the parser reads) reported on one day is one slot however the
        # rest is worded; over days the latest figures follow it.
        # Judged only where asked: most pairs give no two values at all.
        close = functools.cache(lambda a=a, b=b, i=i, j=j: (
            _similar(similar, cosine, i, j) and
            (cosine is None or score(a.reading, b.reading, float(cosine[i, j])) >= THRESHOLD)))
        one_day = day_i == day_j

        def comparable(x: str, y: str, a: Any = a, b: Any = b, close: Callable[[], bool] = close, one_day: bool = one_day) -> bool:
            slot = number_slot(a, b, x, y)
            return slot is not None and (close() or (one_day and slot in ROLE_WORDS))

        c = conflict(units[i].text, units[j].text, numbers_only=event is None or not close(), comparable=comparable)
        if c is None or _no_slot(c, a, b, day_i, day_j):
            continue
        found.append((i, j, c, number_slot(a, b, c.first, c.second) if c.kind == NUMBER else event))
    return found


def _similar(similar: Any, cosine: Any, i: int, j: int) -> bool:
    if similar is None:
        return True
    if isinstance(similar, float):
        return float(cosine[i, j]) >= similar
    return bool(similar[i, j] or similar[j, i])


def _no_slot(c: Conflict, a: Any, b: Any, day_a: str, day_b: str) -> bool:
    """Whether the conflict the words show is no slot of one fact: a name
    unless each sentence names one place, a count in a sentence that lists
    places ("Mexico: 20 cases; United States: 40 ..."), a day or month that
    does not date both sentences' event or that each dates to its own
    article's day."""
    from ..facts.same import dates_event

    if c.kind == NAME:
        return not len(a.reading.places) == len(b.reading.places) == 1
    if c.kind == NUMBER:
        return max(len(a.reading.places), len(b.reading.places)) > MAX_PLACES
    return not (dates_event(a, c.first) and dates_event(b, c.second)) or _own_days(a, b, day_a, day_b)


def _own_days(a: Any, b: Any, day_a: str, day_b: str) -> bool:
    """Whether each of two facts dates its event to its own article's day,
    the two days apart: two days' reports of a thing that recurs ("Tuesday,
    8 June: commentators discuss ..."), not one event given two days."""
    return bool(day_a and day_b and day_a != day_b and a.when is not None and b.when is not None
                and a.when.date == day_a and b.when.date == day_b)


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
