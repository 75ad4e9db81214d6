"""Whether two sentences state the same fact.

The decision reads the two facts: a question states nothing; a denial and
an assertion, or a deed and a plan, are different facts; so are events on
different days, and counts of one thing that cannot both be true. Between
facts that pass those tests, a logistic model weighs meaning (cosine
similarity of the sentence vectors) with what the facts share: content
words, participants, numbers and the event. Its weights were fitted on
news sentence pairs labelled by people (MSRP) and are shipped as
constants; `bench/corroboration.py` measures the decision.
"""
from __future__ import annotations

import math
import re
from typing import AbstractSet as Set, Any, Sequence

from ..text.memo import memoised

from .model import (NO_FIGURE, COUNT, DISTANCE, DONE, MAGNITUDE, MEASURE, MONEY, PERCENT, PLANNED, POSSIBLE, QUESTION, STATE,
                    WEIGHT, Fact, Reading)

FEATURES = ("bias", "cosine", "content_in_other", "content_in_mine", "names_in_other", "names_apart",
            "numbers_in_other", "numbers_apart", "same_event", "length_ratio", "words_in_other", "words_in_mine",
            "pairs_in_other", "pairs_in_mine", "polarity_apart", "mode_apart", "chars_in_other", "chars_in_mine",
            "content_only_mine", "content_only_other")
# Fitted by `bench/corroboration.py --fit` (logistic regression on the MSRP
# training pairs, features as `features` computes them).
WEIGHTS = (-10.1631, 3.8326, 0.6102, -0.6017, 0.0449, 0.3216, 0.5537, -0.2120, 0.0003, 4.4230, 2.0724, 2.6261,
           -3.5977, -0.5740, -0.4426, 0.0236, 3.9487, 0.7132, 0.1543, -0.3153)
# The model's probability at or above which B states A's fact: chosen on
# the project's own labelled pairs for precision first (a count too high
# misleads a reader more than one too low).
THRESHOLD = 0.5
# Below this cosine two sentences are never one fact, whatever they share:
# the brief compares only pairs at least this close.
MIN_COSINE = 0.5

_PAST_OR_NOW = (DONE, STATE)
_AHEAD = (PLANNED, POSSIBLE)


def _share(mine: Set[Any], other: Set[Any]) -> float:
    return len(mine & other) / len(mine) if mine else 1.0


def _names(r: Reading) -> set[str]:
    return {e.key for e in r.participants + r.places}


def _values(r: Reading) -> set[str]:
    return {q.value for q in r.quantities if q.kind not in ("date",)}


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


# A sentence is scored against each of its neighbours: its words and
# character n-grams are read once.
@memoised()
def _word_sets(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return frozenset(words), frozenset(zip(words, words[1:]))


# Character n-grams see a shared word in another form ("evacuated" /
# "evacuation") that whole words miss.
CHAR_GRAM = 4


@memoised()
def _char_grams(text: str) -> frozenset[str]:
    flat = " ".join(text.lower().split())
    return frozenset(flat[i:i + CHAR_GRAM] for i in range(len(flat) - CHAR_GRAM + 1))


def features(a: Reading, b: Reading, cosine: float) -> list[float]:
    """The model's inputs for "does `b` state the fact of `a`", in the
    order of FEATURES."""
    ca, cb = set(a.content), set(b.content)
    na, nb = _names(a), _names(b)
    va, vb = _values(a), _values(b)
    wa, wb = len(a.text.split()), len(b.text.split())
    events_a, events_b = {a.event, *a.events} - {""}, {b.event, *b.events} - {""}
    (ua, ba), (ub, bb) = _word_sets(a.text), _word_sets(b.text)
    ga, gb = _char_grams(a.text), _char_grams(b.text)
    return [
        1.0,
        cosine,
        _share(ca, cb),
        _share(cb, ca),
        _share(na, nb),
        float(bool(na) and bool(nb) and not na & nb),
        _share(va, vb),
        float(bool(va) and bool(vb) and not va & vb),
        float(bool(events_a & events_b)),
        min(wa, wb) / max(wa, wb, 1),
        _share(ua, ub),
        _share(ub, ua),
        _share(ba, bb),
        _share(bb, ba),
        float(a.negated != b.negated),
        float((a.mode in _PAST_OR_NOW) != (b.mode in _PAST_OR_NOW)),
        _share(ga, gb),
        _share(gb, ga),
        math.log1p(len(ca - cb)),
        math.log1p(len(cb - ca)),
    ]


def score(a: Reading, b: Reading, cosine: float, weights: Sequence[float] = WEIGHTS) -> float:
    """The model's probability that `b` states the fact of `a`."""
    z = sum(w * x for w, x in zip(weights, features(a, b, cosine)))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def compatible(a: Fact, b: Fact, *, same_time: bool = True) -> bool:
    """Whether nothing in the two facts says they are different facts: not
    a question, the same polarity, a deed in both or a plan in both, and
    (with `same_time`) no two days for the main event. Without it, the
    two may be one fact at two times: a figure and its update."""
    ra, rb = a.reading, b.reading
    if QUESTION in (ra.mode, rb.mode):
        return False
    # The same event asserted in one and denied, or only planned or
    # possible, in the other. Different verbs may say one thing ("declined
    # to comment" / "had no comment"): the model weighs those.
    if ra.event and ra.event == rb.event:
        if ra.negated != rb.negated:
            return False
        if (ra.mode in _PAST_OR_NOW) != (rb.mode in _PAST_OR_NOW) and DONE in (ra.mode, rb.mode):
            return False
    if ra.mode == DONE and set(ra.events) & set(rb.intended) - set(rb.events):
        return False
    if counts_elsewhere(ra, rb):
        return False
    return not same_time or corroborates(a, b)


def corroborates(a: Fact, b: Fact) -> bool:
    """Whether `b`, told as the same fact as `a`, is a second source for
    it: the same day (`at_one_time`) and no count given another value
    (`counts_otherwise`)."""
    return at_one_time(a, b) and not counts_otherwise(a.reading, b.reading)


def counts_otherwise(a: Reading, b: Reading) -> bool:
    """Whether the two give one count another exact value ("403 confirmed
    cases" / "226 cases"): a source that says otherwise does not
    corroborate, whichever is right ("Sources differ" shows them)."""
    exact_b: dict[tuple[str, str], set[str]] = {}
    for q in b.quantities:
        if q.kind in COUNTED and q.counts and not q.bound:
            exact_b.setdefault((q.kind, q.counts), set()).add(q.value)
    return any(q.kind in COUNTED and q.counts and not q.bound and (q.kind, q.counts) in exact_b
               and q.value not in exact_b[(q.kind, q.counts)] for q in a.quantities)


def counts_elsewhere(a: Reading, b: Reading) -> bool:
    """Whether the two count one thing in different places, with different
    values: "four cases in Delaware" and "two cases in Scotland" are two
    facts, not one fact told twice."""
    places_a, places_b = {e.key for e in a.places}, {e.key for e in b.places}
    if not places_a or not places_b or places_a & places_b:
        return False
    counted_b = {(q.counts, q.value) for q in b.quantities if q.kind == COUNT and q.counts}
    return any(q.kind == COUNT and q.counts and (q.counts, q.value) not in counted_b
               and any(c == q.counts for c, _ in counted_b) for q in a.quantities)


def at_one_time(a: Fact, b: Fact) -> bool:
    """Whether nothing says the two facts' events are on different days."""
    return not (a.when is not None and b.when is not None and a.when.precision == b.when.precision == "day"
                and a.when.date != b.when.date)


def same_fact(a: Fact, b: Fact, cosine: float, *, threshold: float = THRESHOLD,
              weights: Sequence[float] = WEIGHTS) -> bool:
    """Whether `b`, on its own, states the fact of `a` (the direction the
    brief counts and cites in: `b` is a second source for `a`)."""
    if cosine < MIN_COSINE or not compatible(a, b):
        return False
    return score(a.reading, b.reading, cosine, weights) >= threshold


# Numbers that count or price something can be set against each other
# whenever the two facts are one; measures (a magnitude, a distance, a
# share) only when both facts are dated to the same day, since each
# aftershock has its own; clock times, dates, durations, ranks and ages
# never are a fact's figure.
COUNTED = (COUNT, MONEY)
MEASURED = (MAGNITUDE, DISTANCE, PERCENT, WEIGHT, MEASURE)


def number_slot(a: Fact, b: Fact, first: str, second: str) -> str | None:
    """The slot the number `first` of `a` and `second` of `b` both fill, or
    None where they are not one slot of one fact: the same kind of number
    counting the same thing (the same counted noun, or the same role of
    people: "dead"), in the same place where both name places; a measure
    (COUNTED: any day; MEASURED: only between facts of one known day).
    The slot is the role or the counted noun."""
    same_day = a.when is not None and b.when is not None and a.when.precision == "day" and a.when == b.when
    places_a, places_b = {e.key for e in a.reading.places}, {e.key for e in b.reading.places}
    if places_a and places_b and not places_a & places_b:
        return None
    # A yearly toll or one of another year is another fact ("36,000 die
    # each year", "the 1918 pandemic killed 20 million").
    years_a, years_b = {w.date[:4] for w in a.dates}, {w.date[:4] for w in b.dates}
    if habitual(a) or habitual(b) or (years_a and years_b and not years_a & years_b):
        return None
    for qa in a.reading.quantities:
        if qa.value != first:
            continue
        for qb in b.reading.quantities:
            if qb.value != second or qa.kind != qb.kind or {qa.bound, qb.bound} & NO_FIGURE:
                continue
            if qa.kind in COUNTED and qa.role and qa.role == qb.role:
                return qa.role
            # "killed 85 people" / "infected 11,000 people": one noun, two counts.
            if qa.kind in COUNTED and qa.counts and qa.counts == qb.counts and qa.role == qb.role:
                return qa.counts
            if qa.kind in MEASURED and same_day and qa.counts == qb.counts:
                return f"{qa.kind}:{qa.counts}"
    return None


# Words of a time that make it a habit rather than an event.
HABITUAL = frozenset("each every annually yearly daily weekly monthly".split())


def habitual(fact: Fact) -> bool:
    """Whether the fact tells of what happens regularly ("each year")."""
    return any(w.lower() in HABITUAL for t in fact.reading.times for w in t.text.split())


# Words that name a time, not what happened at it.
TIME_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    morning afternoon evening night dawn dusk noon midnight day week month year hour time early late""".split())
# Content words two reports of one event share besides its time.
SHARED_WORDS = 2


def _time_named(fact: Fact) -> set[str]:
    """What names the time of the fact's main event: its date where read
    to a day, else the weekday and day words of the times attached to it
    (an undated article's "on Monday")."""
    if fact.when is not None and fact.when.precision == "day":
        return {fact.when.date}
    verbs = {fact.reading.event, *fact.reading.events, *fact.reading.intended}
    return {w.lower().strip(".,") for t in fact.reading.times if t.event in verbs for w in t.text.split()} & {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
        "tomorrow", "tonight"}


def same_event(a: Fact, b: Fact) -> bool:
    """Whether two sentences report one event in other words: the same day
    for their main events (`_time_named`), SHARED_WORDS content words in
    common besides words of time, no two places, and nothing that says
    they differ (`compatible`). "A storm hit the city on Monday" and
    "Residents woke on Monday to a strong storm" share the day and "storm",
    "strong"; "12 were killed in X on Monday" and "5 were killed in Y on
    Monday" name two places. `a` is the sentence whose point `b` would
    state: where it tells of several events, `b` tells of each."""
    days_a, days_b = _time_named(a), _time_named(b)
    if not days_a or days_a != days_b or not compatible(a, b):
        return False
    places_a, places_b = {e.key for e in a.reading.places}, {e.key for e in b.reading.places}
    if places_a and places_b and not places_a & places_b:
        return False
    # A sentence of several events ("held talks and signed") is stated only
    # by one that tells each of them; one event may be told with another verb.
    events = {a.reading.event, *a.reading.events} - {""}
    if len(events) > 1 and not events <= {b.reading.event, *b.reading.events, *b.reading.content}:
        return False
    shared = (set(a.reading.content) & set(b.reading.content)) - TIME_WORDS
    return len(shared) >= SHARED_WORDS


def dates_event(fact: Fact, word: str) -> bool:
    """Whether `word` (a weekday or a month, lower case) is part of a time
    the sentence attaches to its main events: "signed on Wednesday" dates
    the signing; in "Week 42: 17-23 October ... are not updated" the month
    dates a schedule, and the "27 February-5 March" of a heading the parser
    read as no time at all dates nothing."""
    events = {fact.reading.event, *fact.reading.events}
    return any(word in t.text.lower().split() and t.event in events for t in fact.reading.times)


def event_slot(a: Fact, b: Fact) -> str | None:
    """The event two facts share, where a day, month or name one gives
    otherwise can be one slot of it: the same main event (lemma)."""
    ea, eb = a.reading.event, b.reading.event
    return ea if ea and ea == eb else None

