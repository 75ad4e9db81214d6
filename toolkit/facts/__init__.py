"""What each English sentence states, read once: the event (predicate,
negation, whether it happened or is planned, possible or only said), who
took part (people, organisations, places), the quantities with what they
count, when (the event's date, resolved against the article's) and where.
The brief and the citation checker ask these facts whether two sentences
state the same fact, which numbers can be compared and which date an
event has, instead of reading the words themselves.

Modules: `nlp` (the spaCy pipeline: which, whether here, loading,
fetching), `model` (the records), `quantities` (numbers and what they
count), `reading` (one parsed sentence to a `Reading`), `parse` (sentences
to readings, cached), `when` (times read against the article's date),
`same` (whether two facts are one).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..text.dates import iso_day
from .model import (COUNT, DONE, PLANNED, POSSIBLE, QUESTION, STATE, Entity, Fact, Quantity, Reading, TimeExpr,
                    When)
from .nlp import SPACY_MODEL
from .parse import read_sentences
from .same import at_one_time, compatible, same_fact
from .when import event_date, resolve


def fact_of(reading: Reading, article_date: str = "") -> Fact:
    """The `Fact` of a reading in an article of `article_date` (ISO; ""
    for an undated article)."""
    when, dates = event_date(reading, iso_day(article_date))
    return Fact(reading, when, dates)


def event_day(fact: Fact | None, published: str) -> str:
    """The day of a fact's event: the date of its main event where the
    sentence gives a day ("on Thursday" in a Saturday report is the
    Thursday before; "will gather on Sunday", the Sunday after), else the
    article's date ("" when undated). A deed dated after its article is a
    misreading, and takes the article's date."""
    when = fact.when if fact is not None else None
    if when is None or when.precision != "day":
        return published
    if published and when.date > published and fact.reading.mode not in (PLANNED, POSSIBLE):
        return published
    return when.date


def facts_for(texts: Sequence[str], article_dates: Sequence[str] | None = None, *, nlp: Any = None,
              progress: Callable[[int, int], None] | None = None) -> list[Fact]:
    """The `Fact` of each of `texts`, each read against its article's date
    (`article_dates`, ISO or "", in the same order)."""
    readings = read_sentences(texts, nlp=nlp, progress=progress)
    dates = list(article_dates) if article_dates is not None else [""] * len(texts)
    return [fact_of(r, d) for r, d in zip(readings, dates)]


__all__ = ["SPACY_MODEL", "Fact", "Reading", "Entity", "Quantity", "TimeExpr", "When", "COUNT", "DONE", "PLANNED",
           "POSSIBLE", "QUESTION", "STATE", "read_sentences", "fact_of", "facts_for", "same_fact", "compatible", "at_one_time",
           "event_date", "event_day", "resolve"]
