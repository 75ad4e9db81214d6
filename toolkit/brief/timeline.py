"""A story told over days: whether the articles span one, the dated
timeline of its developments, and the figures that changed as it went.

* `developing`: the dated articles span more than DEVELOPING_MIN_DAYS days.
* `timeline`: the days that matter, from what the articles say happened
  when, and for each the sentence that tells what happened that day
  (`toolkit.brief.dates`), in date order.
* `changing_figures`: counts of the dead, injured, missing and displaced
  (the figures a developing disaster story revises) as the fact layer reads
  them from every sentence; per article the largest count of a kind is its figure, and the
  figures of successive dates whose values follow one another in time
  (`toolkit.brief.versions.version_kind` says ``update``) are shown latest
  last. Dates come only from `Article.published`.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..records import Article, Brief, FactVersions, TimelineEntry, Version
from ..text.dates import format_day, span_days
from ..facts.model import COUNT, NO_FIGURE, Fact
from ..facts.same import habitual
from ..facts.quantities import ROLE_OF, ROLE_WORDS
from .dates import choose_timeline, unit_days
from .english import Unit
from .points import supporters
from .versions import REVISION_FLOOR, UPDATE, version_kind

if TYPE_CHECKING:
    import numpy as np


# Articles published over more than this many days tell a developing story
# (a summit reported on its two days, or a report and next-day follow-ups,
# is one event).
DEVELOPING_MIN_DAYS = 3

# A figure stated by one article only, further into it than this many
# sentences, is not the story's figure: news gives its current count in its
# first paragraphs, and what a long page says deep down (a reader's comment,
# a comparison with another disaster) is no update of it.
FIGURE_LEAD = 10

# Citations a text, terminal or Markdown line shows of a long list, with
# how many more (`format_citations`); JSON and the HTML report keep every
# one.
CITATIONS_SHOWN = 3


def dated(articles: Sequence[Article]) -> dict[int, str]:
    """Article number -> ISO publication date, for the dated articles."""
    return {a.number: a.published.date for a in articles if a.published.date}


def developing(articles: Sequence[Article]) -> bool:
    """Whether the articles tell a story over days: their dates span more
    than DEVELOPING_MIN_DAYS days."""
    return span_days(list(dated(articles).values())) > DEVELOPING_MIN_DAYS


def story_span(articles: Sequence[Article]) -> dict[str, object]:
    """The manifest entry of the story's dates: first and last date, span in
    days, how many articles are dated, and whether it is developing."""
    dates = sorted(dated(articles).values())
    return {"first": dates[0] if dates else "", "last": dates[-1] if dates else "",
            "days": span_days(dates), "dated": len(dates), "undated": len(articles) - len(dates),
            "developing": developing(articles)}


def build_timeline(articles: Sequence[Article], units: Sequence[Unit], points: np.ndarray,
                   facts: Sequence[Fact] | None, vectors: np.ndarray, *, wanted: int | None = None,
                   shown: Sequence[int] = ()) -> tuple[TimelineEntry, ...]:
    """The days that matter in a developing story and what happened on
    each, in date order (empty for a story of one day or of undated
    articles): `wanted` days, or as many as the story needs, chosen from
    the sentences dated to each (`event_day`; `facts` holds the `Fact` of
    each unit) and the articles published on it (`dates.choose_timeline`).
    Each entry is one sentence dated to its day, never one of `shown` (unit
    indexes the brief already shows) or one saying it again, cited with
    the sentences of other articles of that day that state its point.
    `vectors`: the units' unit-length vectors."""
    published = dated(articles)
    if not developing(articles):
        return ()
    days = unit_days(units, facts, published)
    chosen = choose_timeline(units, vectors, days, published, wanted=wanted, shown=shown)
    out = []
    for day, picked in chosen:
        for i in picked:
            backing = [units[j].id for j in supporters(units, points, i) if days[j] == day]
            reported = published[units[i].article]
            out.append(TimelineEntry(day, units[i].text, tuple(dict.fromkeys([units[i].id, *backing])),
                                     reported if reported != day else ""))
    return tuple(out)


def brief_timeline(articles: Sequence[Article], units: Sequence[Unit], points: np.ndarray,
                   facts: Sequence[Fact] | None, vectors: np.ndarray, shown: Sequence[Any],
                   wanted: int | None = None) -> tuple[TimelineEntry, ...]:
    """`build_timeline` beside the brief sentences `shown` (`BriefSentence`s):
    the timeline repeats none of them."""
    texts = {b.text for b in shown}
    return build_timeline(articles, units, points, facts, vectors, wanted=wanted,
                          shown=[i for i, u in enumerate(units) if u.text in texts])


# What a story's toll counts: people at large, or the dead, injured or
# missing themselves. "Four Brazilian soldiers were killed" is a count of
# one group, not the toll.
TOLL_NOUNS = frozenset(["", "people", "person", "persons", "victim", "casualty", "fatality", "refugee", "evacuee",
                        "resident", "inhabitant"])


def figure_counts(fact: Fact) -> list[tuple[str, str, str]]:
    """(role, value, shown) of each count of people in a disaster or
    conflict that the fact states: a count (never a clock time, a
    distance, a magnitude or a share) whose role the fact layer read
    ("dead", "injured", "missing", "displaced", "bodies found")."""
    return [(q.role, q.value, q.shown) for q in fact.reading.quantities
            if q.kind == COUNT and q.role and q.value != "0" and q.bound not in ("less", "most", *NO_FIGURE)
            and (q.counts in TOLL_NOUNS or q.counts in ROLE_OF)]


def background(fact: Fact, published: str) -> bool:
    """Whether a sentence tells of another time than its story's: a habit
    ("each year") or a year before its article's ("In 1976 ... killed
    one"). A toll of the story's own event, however long after it, is not."""
    year = published[:4]
    return habitual(fact) or any(w.date[:4] < year for w in fact.dates)


def changing_figures(articles: Sequence[Article], units: Sequence[Unit], facts: Sequence[Fact]
                     ) -> tuple[FactVersions, ...]:
    """The counts that changed over the story's dates, one FactVersions per
    role (`figure_counts`) whose values are updates, versions in date
    order; `facts` holds the `Fact` of each unit."""
    when = dated(articles)
    best: dict[tuple[str, int], tuple[float, str, str, str, int]] = {}
    # An article's figure of a kind is the first it states: news gives the
    # current toll first, comparisons with other disasters later.
    for u, fact in sorted(zip(units, facts), key=lambda uf: (uf[0].article, uf[0].order)):
        if u.article not in when or background(fact, when[u.article]):
            continue
        for kind, value, shown in figure_counts(fact):
            best.setdefault((kind, u.article), (float(value), value, shown, u.id, u.order))
    # ... and one given only deep in one article (a reader's comment on
    # another disaster, a comparison) is not the story's figure.
    told = Counter((kind, entry[1]) for (kind, _), entry in best.items())
    best = {k: e for k, e in best.items() if e[4] < FIGURE_LEAD or told[(k[0], e[1])] > 1}
    out = []
    for kind in ROLE_WORDS:
        per_article = sorted(((when[a], a, best[k, a]) for k, a in best if k == kind), key=lambda x: (x[0], x[1]))
        versions: list[Version] = []
        text_of = {u.id: u.text for u in units}
        peak = 0.0
        for day, _, (number, value, shown, sid, _) in per_article:
            if number < REVISION_FLOOR * peak:
                continue
            peak = max(peak, number)
            versions.append(Version(value, text_of[sid], (sid,), day, shown))
        if len({v.value for v in versions}) > 1 and version_kind(versions) == UPDATE:
            out.append(FactVersions(kind, UPDATE, _merge(versions)))
    return tuple(out)


def _merge(versions: Sequence[Version]) -> tuple[Version, ...]:
    """Successive versions with one value as one (the earliest date, every
    citation): a toll repeated for days changed once."""
    merged: list[Version] = []
    for v in versions:
        if merged and merged[-1].value == v.value:
            last = merged[-1]
            merged[-1] = Version(last.value, last.text, last.citations + v.citations, last.date, last.shown)
        else:
            merged.append(v)
    return tuple(merged)


def figure_line(fact: FactVersions, cite: bool = False) -> str:
    """One line for a changing figure: ``dead: rose from 200,000 on 29 Jan
    2010 [5.5] to 222,570 by 18 Mar 2010 [10.3]`` (citations with `cite`)."""
    from ..verify import format_citations

    def ref(v: Version) -> str:
        return f" {format_citations(v.citations)}" if cite and v.citations else ""

    first, last = fact.versions[0], fact.versions[-1]
    verb = "rose" if float(last.value) >= float(first.value) else "fell"
    # A label that is the words of a sentence keeps no full stop before the colon.
    return (f"{fact.about.rstrip(' .')}: {verb} from {first.shown or first.value} on {format_day(first.date)}{ref(first)} "
            f"to {last.shown or last.value} by {format_day(last.date)}{ref(last)}")


def timeline_line(entry: TimelineEntry, cite: bool = False, escape: Callable[[str], str] = str) -> str:
    """One timeline line: ``12 Jan 2010: <sentence> [1.3]``; `escape`
    applies to the article text only (Markdown)."""
    from ..verify import format_citations

    cites = f" {format_citations(entry.citations, most=CITATIONS_SHOWN)}" if cite and entry.citations else ""
    reported = f" (reported {format_day(entry.reported)})" if entry.reported else ""
    return f"{format_day(entry.date)}{reported}: {escape(entry.text)}{cites}"


def story_note(brief: Brief) -> str:
    """The line that says a story is developing ("A developing story: 10
    dated articles over 65 days, 12 Jan 2010 to 18 Mar 2010."), or ''."""
    story = brief.manifest.get("story") or {}
    if not story.get("developing"):
        return ""
    undated = f"; {story['undated']} undated" if story.get("undated") else ""
    return (f"A developing story: {story['dated']} dated articles over {story['days']} days, "
            f"{format_day(str(story['first']))} to {format_day(str(story['last']))}{undated}.")


TIMELINE_TITLE = "Timeline"
FIGURES_TITLE = "Latest figures"


def story_sections(brief: Brief, *, cite: bool = False, markdown: bool = False) -> list[str]:
    """The text or Markdown lines of a developing story's note, timeline and
    latest figures, to follow the brief's sections; none for a story of one
    day."""
    from ..text.markdown import md_escape

    note = story_note(brief)
    if not note:
        return []
    esc = md_escape if markdown else str
    out = ["", esc(note)]
    # Figure lines hold numbers and dates only: nothing to escape.
    for title, lines in ((TIMELINE_TITLE, [timeline_line(e, cite, esc) for e in brief.timeline]),
                         (FIGURES_TITLE, [figure_line(f, cite) for f in brief.figures])):
        if not lines:
            continue
        out.append("")
        out.append(f"### {title}" if markdown else f"{title}\n{'-' * len(title)}")
        out += [f"- {line}" for line in lines]
    return out
