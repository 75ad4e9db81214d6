"""Dates, copies and versions: the one model both the timeline of a
developing story and the "Sources differ" section build on.

- An article's date is `Article.published` (how it was found goes with it).
- A copy (the same text republished, whole or lightly edited) names its
  original in `Article.copy_of`; everything that counts sources counts
  independent sources with `independent_count`, so a copy never raises a
  count.
- A fact a later article restates as background is not news in it:
  `reported_as_news` keeps the reports near the first.
- The values sources give for one fact are `Version`s; `version_kind` is
  the one rule that says whether they are successive updates of a
  developing story or a disagreement between sources.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Mapping, Sequence

from ..records import Article, Version
from ..text.dates import iso_day

AGREE = "agree"
UPDATE = "update"
DISAGREEMENT = "disagreement"

# A later count of less than this share of an earlier one is a count of
# something else (five killed in an aftershock, an older tally reported
# late), not the count revised down.
REVISION_FLOOR = 0.5

# Values stated at least this many days apart follow one another (a toll
# revised the next day is an update); closer than that they are rival
# accounts of the same moment.
UPDATE_MIN_DAYS = 1


def original_of(articles: Sequence[Article]) -> dict[int, int]:
    """Article number -> the number of the independent source it belongs to
    (itself for an original, its original for a copy, followed to the end
    of a chain of copies)."""
    copy_of = {a.number: a.copy_of for a in articles}
    out: dict[int, int] = {}
    for number in copy_of:
        seen = {number}
        root = number
        while copy_of.get(root) is not None and copy_of[root] not in seen:
            root = copy_of[root]  # type: ignore[assignment]
            seen.add(root)
        out[number] = root
    return out


def independent_count(numbers: Iterable[int], originals: Mapping[int, int]) -> int:
    """How many independent sources the articles `numbers` are: copies of one
    original count once."""
    return len({originals.get(n, n) for n in numbers})


def reported_as_news(numbers: Iterable[int], dates: Mapping[int, str], window_days: int) -> set[int]:
    """The articles among `numbers` (all stating one fact) that report it
    as news: those dated within `window_days` of its first dated report,
    and the undated ones, which nothing shows to be later. Each follow-up
    of a developing story restates how it began; that repetition says the
    fact is background, not that more sources found it."""
    days = {n: _day(dates.get(n, "")) for n in numbers}
    known = [d for d in days.values() if d is not None]
    if not known:
        return set(days)
    first = min(known)
    return {n for n, d in days.items() if d is None or (d - first).days <= window_days}


def _day(iso: str) -> date | None:
    return iso_day(iso) if iso else None


def version_kind(versions: Sequence[Version], *, can_change: bool = True) -> str:
    """``agree`` when every version gives one value; ``update`` when the
    values follow one another in time (each value's dates all at least
    UPDATE_MIN_DAYS after the previous value's); ``disagreement`` when two
    values are given at the same time or a version has no date to order
    it by. A fact that cannot change as a story goes on (`can_change`
    false: the day something happened, a place, a name) is a disagreement
    whenever its values differ, whatever their dates."""
    values = {v.value for v in versions}
    if len(values) <= 1:
        return AGREE
    if not can_change:
        return DISAGREEMENT
    spans: dict[str, tuple[date, date]] = {}
    for v in versions:
        day = _day(v.date)
        if day is None:
            return DISAGREEMENT
        lo, hi = spans.get(v.value, (day, day))
        spans[v.value] = (min(lo, day), max(hi, day))
    ordered = sorted(spans.values())
    for (_, prev_last), (next_first, _) in zip(ordered, ordered[1:]):
        if (next_first - prev_last).days < UPDATE_MIN_DAYS:
            return DISAGREEMENT
    return UPDATE


def falls_away(values: Sequence[float]) -> bool:
    """Whether a count, its values in date order, ever falls below
    REVISION_FLOOR of the largest value before it."""
    peak = 0.0
    for value in values:
        if value < REVISION_FLOOR * peak:
            return True
        peak = max(peak, value)
    return False
