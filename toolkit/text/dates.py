"""The one reader of dates in articles: an article's publication date from
its date line or dateline (the forms read are in `toolkit.text.datetext`)
or its HTML metadata, dates the user gives, and how dates are shown."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from typing import Iterable, Mapping, Sequence

from ..errors import InputError
from ..records import Article, Published
from .datetext import MAX_YEAR, MIN_YEAR, MONTH_NAMES, FoundDate, date_line, leading_dateline
# Where callers have always found them.
from .datetext import Dateline, find_dates  # noqa: F401

# A date line or dateline is looked for in this many first non-empty lines
# of an article (title, subtitle, caption, date line, lead).
HEAD_LINES = 6


def _published(found: FoundDate, method: str, evidence: str, line: int) -> Published:
    day = found.value
    assert day is not None
    return Published(day.isoformat(), method, " ".join(evidence.split()), line)


def published_in_text(text: str) -> tuple[Published, list[str]]:
    """The publication date of an article from its first HEAD_LINES
    non-empty lines: a date line or a dateline opening a paragraph, the
    first found; and notes (a weekday that does not fit, a dateline without
    a year). Line numbers are 1-based in `text`."""
    notes: list[str] = []
    seen = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEAD_LINES:
            break
        found, method, evidence = date_line(line), "date-line", line
        if found is None:
            dl = leading_dateline(line)
            if dl is not None and dl.date is not None:
                found, method, evidence = dl.date, "dateline", line[:dl.end]
                if found.value is None:
                    notes.append(f"line {number}: the dateline gives no year ({evidence.strip()}); "
                                 "give the date with --date")
                    found = None
        if found is not None:
            conflict = found.weekday_conflict()
            if conflict:
                notes.append(f"line {number}: {conflict}")
            return _published(found, method, evidence, number), notes
    return Published(), notes


# HTML metadata, most specific first.
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_META_NAMES = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
               "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date")
_JSON_LD = re.compile(r"<script\b[^>]*type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_TIME_TAG = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"'][^>]*>", re.I)
_ISO_START = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def iso_day(value: str) -> date | None:
    """The day an ISO date (or a timestamp starting with one) names; None
    for anything else or a year out of range."""
    m = _ISO_START.match(value)
    if not m:
        return None
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def _json_ld_dates(obj: object) -> Iterable[str]:
    if isinstance(obj, dict):
        value = obj.get("datePublished")
        if isinstance(value, str):
            yield value
        for v in obj.values():
            if isinstance(v, (dict, list)):
                yield from _json_ld_dates(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _json_ld_dates(v)


def published_in_html(markup: str) -> Published:
    """The publication date an HTML page states in its metadata:
    ``article:published_time`` (or a similar meta name), JSON-LD
    ``datePublished``, then the first ``<time datetime>``."""
    metas: dict[str, str] = {}
    for tag in _META.finditer(markup):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag.group())}
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if name in _META_NAMES and "content" in attrs and name not in metas:
            metas[name] = attrs["content"]
    for name in _META_NAMES:
        day = iso_day(metas.get(name, ""))
        if day is not None:
            return Published(day.isoformat(), "html-meta", f'{name}="{metas[name]}"')
    for block in _JSON_LD.finditer(markup):
        try:
            data = json.loads(block.group(1))
        except ValueError:
            continue
        for value in _json_ld_dates(data):
            day = iso_day(value)
            if day is not None:
                return Published(day.isoformat(), "json-ld", f'datePublished "{value}"')
    for m in _TIME_TAG.finditer(markup):
        day = iso_day(m.group(1))
        if day is not None:
            return Published(day.isoformat(), "time-tag", f'<time datetime="{m.group(1)}">')
    return Published()


def parse_iso_date(value: str) -> date:
    """A YYYY-MM-DD date; ValueError naming the problem otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    day = date.fromisoformat(value.strip())
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"year out of range: {value!r}")
    return day


def format_day(iso: str) -> str:
    """``2010-01-12`` as ``12 Jan 2010`` (as a wire editor writes it); ''
    for ''."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def span_days(dates: Sequence[str]) -> int:
    """Days between the earliest and the latest of ISO dates (0 for fewer
    than two)."""
    days = sorted(date.fromisoformat(d) for d in dates if d)
    return (days[-1] - days[0]).days if len(days) > 1 else 0


# Dates in a file name, each bounded by non-digits so that an article number
# beside a date (2011-02-11_199) is never read into it: year first with one
# separator (2011-02-11, 2011_02_11, 2011.02.11), year first run together
# (20110211), and day or month first before the year (13-02-2011, 02-13-2011).
_NAME_YMD = re.compile(r"(?<!\d)(\d{4})(?:([-_.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))(?!\d)")
_NAME_XXY = re.compile(r"(?<!\d)(\d{1,2})([-_.])(\d{1,2})\2(\d{4})(?!\d)")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if MIN_YEAR <= found.year <= MAX_YEAR else None


def published_in_name(source: str) -> tuple[Published, list[str]]:
    """The publication date a file name gives (directories are not read),
    method ``file-name``; and a note where the name holds a date that cannot
    be told apart. A number before the year is a day or a month, and a
    newsroom may write either first: such a date is read only when one
    reading alone is a date (13-02-2011, 02-13-2011, 05-05-2011), never
    guessed (11-02-2011 is 11 February or 2 November). Two different dates
    in one name give none."""
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    found: set[date] = set()
    notes: list[str] = []
    for m in _NAME_YMD.finditer(name):
        day = _day(int(m.group(1)), int(m.group(3) or m.group(5)), int(m.group(4) or m.group(6)))
        if day is not None:
            found.add(day)
    for m in _NAME_XXY.finditer(_NAME_YMD.sub(" ", name)):
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        readings = {d for d in (_day(year, b, a), _day(year, a, b)) if d is not None}
        if len(readings) > 1:
            notes.append(f"the file name's {m.group(0)} may be day first or month first; "
                         "give the date with --date")
        found |= readings if len(readings) == 1 else set()
    if len(found) > 1:
        notes.append(f"the file name holds {len(found)} different dates; give the date with --date")
    if len(found) != 1:
        return Published(), notes
    return Published(found.pop().isoformat(), "file-name", name), notes


def article_published(text: str, markup: str | None = None, source: str = "") -> tuple[Published, list[str]]:
    """An article's publication date from what it says itself: a date line
    or dateline among its first lines (`published_in_text`; `text` as
    decoded, so lines are the input's), then the metadata of its HTML page
    (`markup`, when it is one; lines in the extracted text are not the
    input's and are given as 0), then its file name (`source`,
    `published_in_name`). Notes go with it (see `published_in_text`), and
    one where the file name gives another date than the article: the
    article's own word is taken."""
    published, notes = published_in_text(text)
    if markup is not None and published.method != "none":
        published = Published(published.date, published.method, published.evidence, 0)
    if published.method == "none" and markup is not None:
        published = published_in_html(markup)
    from_name, name_notes = published_in_name(source) if source else (Published(), [])
    if published.method == "none":
        return from_name, notes + name_notes
    if from_name.date and from_name.date != published.date:
        notes.append(f"the file name says {from_name.date} but the {published.method.replace('-', ' ')} "
                     f"says {published.date} ({published.evidence}); the article's date is used "
                     "(give another with --date)")
    return published, notes


def given_dates(articles: Sequence[Article], specs: Sequence[str]) -> tuple[list[Article], list[str]]:
    """`articles` with the dates the user gave (``FILE=YYYY-MM-DD``, FILE as
    given on the command line, its file name or its name without
    extension), method ``option``; notes where the article's own date
    differs. InputError for a malformed spec, a bad date, or a FILE that
    names no article (or more than one)."""
    if not specs:
        return list(articles), []
    by_key: dict[str, list[int]] = {}
    for k, a in enumerate(articles):
        for key in {a.source, a.source.replace("\\", "/").rsplit("/", 1)[-1], a.name}:
            by_key.setdefault(key, []).append(k)
    out = list(articles)
    notes: list[str] = []
    for spec in specs:
        name, sep, value = spec.rpartition("=")
        if not sep or not name:
            raise InputError(f"--date takes FILE=YYYY-MM-DD, got {spec!r}")
        try:
            day = parse_iso_date(value)
        except ValueError as exc:
            raise InputError(f"--date {spec}: {exc}") from None
        hits = by_key.get(name, [])
        if len(hits) != 1:
            raise InputError(f"--date {spec}: {'no' if not hits else 'more than one'} article is named {name!r}")
        out[hits[0]] = _stated(out[hits[0]], Published(day.isoformat(), "option", f"--date {spec}"), notes)
    return out, notes


def field_dates(articles: Sequence[Article], published: Mapping[int, tuple[str, int]], name: str
                ) -> tuple[list[Article], list[str]]:
    """`articles` with the dates a translations JSONL gives them (article
    number -> (ISO date, line) from its "published" field, file `name`),
    method ``jsonl``; notes where the article's own date differs. A date
    given with ``--date`` stays: the command line is the latest word."""
    out = []
    notes: list[str] = []
    for a in articles:
        day, line = published.get(a.number, ("", 0))
        if not day or a.published.method == "option":
            if day and day != a.published.date:
                notes.append(f"{a.source}: --date {a.published.date} is used, not the \"published\" "
                             f"{day} of {name} line {line}")
            out.append(a)
        elif day == a.published.date:
            out.append(a)  # the article's own evidence says more than a field
        else:
            out.append(_stated(a, Published(day, "jsonl", f'"published" of {name} line {line}'), notes))
    return out, notes


def _stated(a: Article, given: Published, notes: list[str]) -> Article:
    """`a` dated as the user says (`given`), with a note when that replaces
    another date the article gives."""
    if a.published.date and a.published.date != given.date:
        what = "--date" if given.method == "option" else "the JSONL date"
        notes.append(f"{a.source}: {what} {given.date} replaces the {a.published.method} date "
                     f"{a.published.date} ({a.published.evidence})")
    return replace(a, published=given)


def published_label(published: Published) -> str:
    """How a publication date is shown to people: ``published 12 Jan 2010
    (date line, line 3)`` or ``no date found``."""
    if not published.date:
        return "no date found"
    where = published.method.replace("-", " ")
    if published.line:
        where += f", line {published.line}"
    return f"published {format_day(published.date)} ({where})"
