"""Times a sentence names, read against the date of its article: "on
Thursday" in an article of Saturday 13 March 2010 is Thursday 11 March,
"yesterday" the day before, "last month" the month before. A date written
out in full needs no article date; a relative one without it stays
unresolved rather than guessed."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Sequence

from ..text.datetext import EN_MONTHS, EN_WEEKDAYS, find_dates
from .model import DONE, PLANNED, POSSIBLE, Reading, TimeExpr, When

# A weekday named in a report of something done is the latest such day up
# to the article's date; of something to come, the next one from it.
_AHEAD = (PLANNED, POSSIBLE)
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
# A month or day named without a year in a report of something done is in
# the article's year, unless that would put it after the article by more
# than this many days (a January report of "December 28" is last year's).
FUTURE_SLACK_DAYS = 2


def _words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split()]


def _month_start(day: date, back: int) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _in_year(article: date, month: int, day: int, ahead: bool) -> date | None:
    try:
        value = date(article.year, month, day)
    except ValueError:
        return None
    if not ahead and (value - article).days > FUTURE_SLACK_DAYS:
        value = value.replace(year=article.year - 1)
    return value


def resolve(expr: TimeExpr, article: date | None, mode: str = DONE) -> When | None:
    """The calendar date of `expr` (None where it names no day, month or
    year that can be known: "recently", or a relative time without an
    article date)."""
    ahead = mode in _AHEAD
    found = find_dates(expr.text)
    if found and found[0].value is not None:
        return When(found[0].value.isoformat(), "day", "stated", expr.text)
    words = _words(expr.text)
    if article is None:
        return _year_only(words, expr.text)
    if found:
        value = _in_year(article, found[0].month, found[0].day, ahead)
        return When(value.isoformat(), "day", "month", expr.text) if value else None
    for w in words:
        if w in _RELATIVE_DAYS:
            return When((article + timedelta(days=_RELATIVE_DAYS[w])).isoformat(), "day", "relative", expr.text)
        if w in EN_WEEKDAYS and len(w) > 3:
            gap = (EN_WEEKDAYS[w] - article.weekday()) % 7
            if not ahead or "last" in words:
                gap = gap - 7 if gap else 0
            elif "next" in words and gap == 0:
                gap = 7
            return When((article + timedelta(days=gap)).isoformat(), "day", "weekday", expr.text)
    if "month" in words and ("last" in words or "this" in words or "next" in words):
        back = 1 if "last" in words else (-1 if "next" in words else 0)
        return When(_month_start(article, back).isoformat(), "month", "relative", expr.text)
    month = next((EN_MONTHS[w] for w in words if w in EN_MONTHS and len(w) > 3), None)
    if month is not None:
        year = _year_in(words) or (article.year - 1 if not ahead and month > article.month else article.year)
        return When(date(year, month, 1).isoformat(), "month", "month", expr.text)
    if "year" in words and "last" in words:
        return When(date(article.year - 1, 1, 1).isoformat(), "year", "relative", expr.text)
    return _year_only(words, expr.text)


def _year_in(words: Sequence[str]) -> int | None:
    # "1918-1919" is one word of two years: the first is when it began.
    runs = (m.group() for w in words for m in _DIGITS.finditer(w))
    return next((int(r) for r in runs if len(r) == 4 and 1900 <= int(r) <= 2100), None)


_DIGITS = re.compile(r"\d+")


def _year_only(words: Sequence[str], shown: str) -> When | None:
    year = _year_in(words)
    return When(date(year, 1, 1).isoformat(), "year", "stated", shown) if year else None


def event_date(reading: Reading, article: date | None) -> tuple[When | None, tuple[When, ...]]:
    """(the date of the sentence's main event, every time it names
    resolved): the main event's date is that of a time attached to one of
    its event verbs, the finest such; None when none is."""
    resolved: list[tuple[TimeExpr, When]] = []
    for expr in reading.times:
        when = resolve(expr, article, reading.mode)
        if when is not None:
            resolved.append((expr, when))
    verbs = set(reading.events) | {reading.event}
    own = [w for e, w in resolved if e.event in verbs or not e.event]
    order = {"day": 0, "month": 1, "year": 2}
    main = min(own, key=lambda w: order[w.precision]) if own else None
    return main, tuple(w for _, w in resolved)
