"""Which days a developing story's timeline shows, and which sentences tell
what happened on each.

A day matters when the articles say something happened on it: every
article with a sentence whose event the fact layer dates to that day
(`event_day`: "on Thursday" read against its article's date, a date
written out; a sentence naming no day is dated by its article) counts
once, and every article published that day counts PUB_WEIGHT (news
follows events, so a burst of reports marks a day). The days with the most
are the timeline's, in date order; how many is asked for (`--dates N`) or
what the story needs (`story_days`). For each day the sentences dated to
it are ranked by how close each is to what that day's sentences say
together (the centroid of their vectors), less BACKGROUND_WEIGHT times its
closeness to what the whole story says, and by where it stands in its
article (news puts what happened first); the best that repeats no
sentence already shown is its entry.

Nothing here compares every sentence with every other: sentences are
grouped by day, and each is compared with its day's centroid, the
story's, and the few already chosen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Mapping, Sequence

from ..errors import InputError
from ..text.datetext import EN_WEEKDAYS
from ..facts import event_day
from ..facts.model import Fact
from .english import Unit, is_clear, stands_alone
from .quotes import quote_of
from .settings import QUOTE_FACTOR, UNCLEAR_FACTOR

if TYPE_CHECKING:
    import numpy as np

# The weights below were chosen on Timeline17 (bench/timeline_quality.py;
# every leave-one-topic-out fold chose them, but for one fold's background
# weight). An article dating a sentence to a day counts MENTION_WEIGHT; an
# article published on it counts PUB_WEIGHT: the days news outlets keep are
# above all those of bursts of reports, and the dates read in sentences
# decide among them and add the days looked back on.
MENTION_WEIGHT = 1.0
PUB_WEIGHT = 4.0
# Weight of a sentence's place in its article against its closeness to its
# day: the lead scores LEAD_WEIGHT more, decaying by e every LEAD_DECAY
# sentences.
LEAD_WEIGHT = 0.3
LEAD_DECAY = 3.0
# What the whole story says is no news of a day: a sentence's closeness to
# the story's centroid may count against it with this weight. Off: on
# Timeline17 every topic's held-out choice is 0 (docs/benchmarks.md).
BACKGROUND_WEIGHT = 0.0
# A sentence this close (cosine) to one already in the timeline says it
# again.
REPEAT_SIMILARITY = 0.8
# Without --dates: the days that score at least this share of the
# story's busiest day, at most MAX_DATES of them, at least MIN_DATES.
DAY_SHARE = 1 / 3
MIN_DATES = 3
MAX_DATES = 15


@dataclass(frozen=True)
class DateSettings:
    """The timeline's tuning settings; each field is the module constant of
    the same name in upper case (`bench/timeline_quality.py` tries others
    with `dataclasses.replace`)."""

    pub_weight: float = PUB_WEIGHT
    lead_weight: float = LEAD_WEIGHT
    lead_decay: float = LEAD_DECAY
    repeat_similarity: float = REPEAT_SIMILARITY
    day_share: float = DAY_SHARE
    # 0: publication counts only, the baseline the bench compares with.
    mention_weight: float = MENTION_WEIGHT
    background_weight: float = BACKGROUND_WEIGHT


DATE_SETTINGS = DateSettings()


def timeline_dates(dates: int | None) -> int | None:
    """`--dates` as asked (None: what the story needs); InputError below 1."""
    if dates is not None and dates < 1:
        raise InputError(f"--dates must be at least 1, got {dates}")
    return dates


def unit_days(units: Sequence[Unit], facts: Sequence[Fact] | None, published: Mapping[int, str]) -> list[str]:
    """The event day of each unit ("" for a unit of an undated article)."""
    return [event_day(facts[i] if facts is not None else None, published.get(u.article, ""))
            if published.get(u.article) else "" for i, u in enumerate(units)]


def day_scores(units: Sequence[Unit], days: Sequence[str], published: Mapping[int, str],
               settings: DateSettings = DATE_SETTINGS) -> dict[str, float]:
    """Day -> how much the articles say happened on it: the articles with
    a sentence dated to it (`days`, each unit's `event_day`), each article
    once, and PUB_WEIGHT per article published on it (MENTION_WEIGHT and
    PUB_WEIGHT: `settings`). (Counting every
    sentence instead lets one long look back outweigh a day's reports:
    on Timeline17 it finds fewer of the days news outlets chose.)"""
    named = {(u.article, d) for u, d in zip(units, days) if d}
    score: dict[str, float] = {}
    for _, day in named:
        score[day] = score.get(day, 0.0) + settings.mention_weight
    for day in published.values():
        score[day] = score.get(day, 0.0) + settings.pub_weight
    return score


def story_days(score: Mapping[str, float], wanted: int | None = None,
               settings: DateSettings = DATE_SETTINGS) -> list[str]:
    """The timeline's days, in date order: the `wanted` best scoring, or
    without it every day scoring at least DAY_SHARE of the best (between
    MIN_DATES and MAX_DATES days). Ties go to the earlier day."""
    ranked = sorted((d for d in score if score[d] > 0), key=lambda d: (-score[d], d))
    if wanted is None:
        top = score[ranked[0]] if ranked else 0.0
        wanted = min(MAX_DATES, max(MIN_DATES, sum(1 for d in ranked if score[d] >= settings.day_share * top)))
    return sorted(ranked[:wanted])


def day_sentences(units: Sequence[Unit], vectors: np.ndarray, members: Sequence[int], taken: Sequence[int],
                  k: int, settings: DateSettings = DATE_SETTINGS, story: np.ndarray | None = None) -> list[int]:
    """Up to `k` of `members` (unit indexes dated to one day) that best say
    what happened that day: closest to the centroid of the day's sentences,
    leads first among near equals, none within REPEAT_SIMILARITY of a
    sentence in `taken` or chosen before it."""
    import numpy as np

    rows = vectors[list(members)]
    centroid = rows.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    close = rows @ (centroid / norm) if norm else np.zeros(len(members))
    if story is not None:
        close = close - settings.background_weight * (rows @ story)
    lead = np.array([np.exp(-units[i].place / settings.lead_decay) for i in members])
    # As in the key points: a sentence a reader cannot take on its own, or
    # one giving someone's words at length, tells a day less well.
    plain = np.array([(1.0 if is_clear(units[i].text, units[i].flags) else UNCLEAR_FACTOR)
                      * (QUOTE_FACTOR if quote_of(units[i].text) else 1.0) for i in members])
    value = (close + settings.lead_weight * lead) * plain
    chosen: list[int] = []
    kept = [vectors[i] for i in taken]
    for pos in np.argsort(-value, kind="stable"):
        i = members[int(pos)]
        if kept and float(np.max(np.asarray(kept) @ vectors[i])) >= settings.repeat_similarity:
            continue
        chosen.append(i)
        kept.append(vectors[i])
        if len(chosen) == k:
            break
    return chosen


def choose_timeline(units: Sequence[Unit], vectors: np.ndarray, days: Sequence[str], published: Mapping[int, str],
                    *, wanted: int | None = None, per_day: int = 1, shown: Sequence[int] = (),
                    settings: DateSettings = DATE_SETTINGS) -> list[tuple[str, list[int]]]:
    """(day, unit indexes) of each timeline day in date order: the days
    (`story_days`) and their sentences (`day_sentences`, `per_day` each).
    `days` holds each unit's event day (`unit_days`), `vectors` its
    unit-length vector; `shown` (indexes of units the brief already shows)
    are never chosen, nor a unit within REPEAT_SIMILARITY of one. A day
    with no sentence left is skipped; when `wanted` is set, the next best
    day takes its place."""
    score = day_scores(units, days, published, settings)
    members: dict[str, list[int]] = {}
    skip = set(shown)
    for i, day in enumerate(days):
        if day and i not in skip:
            members.setdefault(day, []).append(i)
    # A day is told by a sentence that names no other weekday where it has
    # one: "... killed in Tuesday's earthquake" under a Thursday misleads.
    # Nor by one that leans on the sentence before it ("He said ...").
    for day, ids in members.items():
        members[day] = [i for i in ids if not _other_weekday(units[i].text, day)] or ids
        members[day] = [i for i in members[day] if stands_alone(units[i].text)] or members[day]
    # A day no sentence is dated to cannot be told.
    score = {d: s for d, s in score.items() if d in members}
    out: list[tuple[str, list[int]]] = []
    taken: list[int] = list(shown)
    story = vectors.mean(axis=0)
    story = story / max(float((story @ story) ** 0.5), 1e-12)
    for day in story_days(score, wanted, settings) if wanted is None else _ranked(score):
        picked = day_sentences(units, vectors, members[day], taken, per_day, settings, story)
        if picked:
            out.append((day, picked))
            taken += picked
        if wanted is not None and len(out) == wanted:
            break
    return sorted(out)


def _ranked(score: Mapping[str, float]) -> list[str]:
    return sorted(score, key=lambda d: (-score[d], d))


def _other_weekday(text: str, day: str) -> bool:
    """Whether `text` names a weekday (spelt out) and not that of `day`."""
    named = {EN_WEEKDAYS[w] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 5 and w in EN_WEEKDAYS}
    return bool(named) and date.fromisoformat(day).weekday() not in named
