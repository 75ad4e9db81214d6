"""The records of the fact layer: what one English sentence states.

A `Reading` is what the parser found in the sentence alone (cached by
text); a `Fact` is a reading with its times resolved against the date of
the article it comes from, so the same sentence in articles of different
days can name different days.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# How the sentence holds its main event.
DONE = "done"          # happened: "signed", "has signed", "was killed"
STATE = "state"        # is so now: "is", "remains", "holds"
PLANNED = "planned"    # intended or expected: "will sign", "agreed to sign", "plans to"
POSSIBLE = "possible"  # may happen: "could", "might", "may"
QUESTION = "question"  # asks rather than states
MODES = (DONE, STATE, PLANNED, POSSIBLE, QUESTION)

# What a number is. Only COUNT can count people, homes or anything else
# that a story's figures are made of.
COUNT, MONEY, PERCENT, DISTANCE, WEIGHT, MEASURE, MAGNITUDE = (
    "count", "money", "percent", "distance", "weight", "measure", "magnitude")
CLOCK, DATE, DURATION, ORDINAL, AGE = "clock", "date", "duration", "ordinal", "age"
QUANTITY_KINDS = (COUNT, MONEY, PERCENT, DISTANCE, WEIGHT, MEASURE, MAGNITUDE, CLOCK, DATE, DURATION, ORDINAL,
                  AGE)

# A count added to an earlier one ("three more cases"): no total.
INCREMENT = "increment"
# A count only allowed or expected ("could rise to 100,000"): no figure.
SPECULATED = "speculated"
# A count of another event the sentence sets this one beside ("a plot in
# which almost 3,000 people died", "the worst since 1989, when 11 million
# gallons spilled"): a figure of that event, not of the story's.
COMPARED = "compared"
# Bounds that leave a count no value of its own to report or set against
# another.
NO_FIGURE = frozenset((INCREMENT, SPECULATED, COMPARED))

# Who or what takes part.
PERSON, GROUP, PLACE, OTHER = "person", "group", "place", "other"


@dataclass(frozen=True)
class Entity:
    """A named participant: `key` compares names ("the united nations" and
    "United Nations" meet), `kind` is PERSON, GROUP, PLACE or OTHER."""

    text: str
    key: str
    kind: str


@dataclass(frozen=True)
class Quantity:
    """A number the sentence states and what it is: `kind` (COUNT,
    CLOCK, DISTANCE, ...), `counts` (the lemma of what a count counts:
    "people", "house"; the unit of a measure), `role` (for a count of people
    in a disaster or conflict: "dead", "injured", "missing", "displaced",
    "bodies found"; else ""), `event` (the lemma of the verb it belongs
    to), `bound` ("least", "more", "about", ... for "at least 27";
    "increment" for a count added to an earlier one, "three more cases";
    "speculated" for one its verb only allows, "could rise to 100,000";
    "" for an exact number)."""

    value: str
    shown: str
    kind: str
    counts: str = ""
    role: str = ""
    event: str = ""
    bound: str = ""


@dataclass(frozen=True)
class TimeExpr:
    """A time the sentence names, before it is resolved: the words, and the
    lemma of the verb it is attached to (the event it dates)."""

    text: str
    event: str = ""


@dataclass(frozen=True)
class When:
    """A time resolved to a calendar date: `date` ISO (the first day of the
    month or year at coarser `precision`), `precision` "day", "month" or
    "year", `method` how it was found ("stated": the date is written out;
    "weekday", "relative", "month": read against the article's date), and
    the words it came from."""

    date: str
    precision: str
    method: str
    shown: str


@dataclass(frozen=True)
class Reading:
    """What one sentence states, as parsed: its main `event` (lemma; the
    reported clause's for "X said that ..."), every event lemma of its main
    clauses (`events`), `negated`, `mode` (MODES), whether it is `said`
    (attributed to a speaker), its `participants`, `places`, `quantities`,
    `times`, `content` (lemmas of its content words other than names) and
    the events it only `intended` ("agreed to sign": sign)."""

    text: str
    event: str = ""
    events: tuple[str, ...] = ()
    negated: bool = False
    mode: str = STATE
    said: bool = False
    participants: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    content: tuple[str, ...] = ()
    intended: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Reading":
        return cls(
            text=data["text"], event=data["event"], events=tuple(data["events"]), negated=data["negated"],
            mode=data["mode"], said=data["said"],
            participants=tuple(Entity(**e) for e in data["participants"]),
            places=tuple(Entity(**e) for e in data["places"]),
            quantities=tuple(Quantity(**q) for q in data["quantities"]),
            times=tuple(TimeExpr(**t) for t in data["times"]), content=tuple(data["content"]),
            intended=tuple(data["intended"]))


@dataclass(frozen=True)
class Fact:
    """A `Reading` in its article: `when` is the date of its main event
    (None when the sentence gives none it can be read from), `dates` every
    time it names, resolved where it can be."""

    reading: Reading
    when: When | None = None
    dates: tuple[When, ...] = field(default=())

    @property
    def text(self) -> str:
        return self.reading.text
