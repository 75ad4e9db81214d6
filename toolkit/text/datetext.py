"""Dates as articles write them: any date in a text (`find_dates`), a date
line (`date_line`), and the dateline that opens a lead paragraph
(`leading_dateline`, which segmentation cuts off the lead sentence).

Forms read, English and Arabic alike:

* ``Tuesday, January 12, 2010``, ``12 January 2010``, ``Jan. 12, 2010``;
* ``الثلاثاء 12 يناير 2010``, Levantine and Maghrebi month names
  (``12 كانون الثاني 2010``, ``12 جانفي 2010``), doubled names
  (``19 يونيو/حزيران 2024``), Arabic-Indic digits, an era letter (``2010م``);
* numeric ``2010-01-12``, ``2010/01/12`` and day first ``12/01/2010``;
* a Hijri date is not read as a Gregorian one (its month names are not
  Gregorian months); given with a Gregorian date (``… 1445 هـ الموافق 19
  يونيو 2024``) the Gregorian one is read;
* wire datelines: ``PYONGYANG, June 19 (Wire) -``, ``BEIJING (Reuters) -``,
  ``القاهرة - 19 يونيو (رويترز) -``.

A date without a year (``June 19`` in a wire dateline) gives no
publication date: the year is never guessed. A weekday that does not fit
its date is reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable

_D = "[0-9]"
EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# Arabic month names written with the common spelling variants folded
# (alef forms, final ya/alef maqsura, ta marbuta/ha), as `_fold` folds text.
AR_MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7,
    "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
    "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "اوت": 8,
}
EN_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
               "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
               "sunday": 6, "sun": 6}
AR_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")

# Years a publication date may have.
MIN_YEAR, MAX_YEAR = 1900, 2100
# A date line is a line that is a date and little else: at most this many
# words besides the date, its weekday and a time (a place, "Published:").
DATE_LINE_OTHER_WORDS = 4

# Matching runs on a folded copy of the text, of the same length so that
# spans stay valid: alef forms, alef maqsura and ta marbuta folded as in the
# month and weekday tables, Arabic-Indic digits as 0-9.
_FOLD = str.maketrans({**{c: "ا" for c in "أإآٱ"}, "ى": "ي", "ة": "ه",
                       **{a: str(i % 10) for i, a in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}})


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_EN_MONTH = (rf"(?i:{_alternation(MONTH_NAMES)}"
             rf"|(?:{_alternation(m for m in EN_MONTHS if m.capitalize() not in MONTH_NAMES)})\.?)")
_AR_MONTH = rf"(?:{_alternation(AR_MONTHS)})"
_MONTH = rf"(?P<month>{_EN_MONTH}|{_AR_MONTH})(?:\s*/\s*(?:{_AR_MONTH}|{_EN_MONTH}))?"
_WEEKDAY = (rf"(?P<weekday>(?i:{_alternation(WEEKDAY_NAMES)}"
            rf"|(?:{_alternation(w for w in EN_WEEKDAYS if w.capitalize() not in WEEKDAY_NAMES)})\.?)|(?:[وف]?(?:يوم\s+)?)"
            rf"(?:{_alternation(AR_WEEKDAYS)}))")
_YEAR = rf"(?P<year>{_D}{{4}})(?!{_D})(?:\s*(?:م|AD)\b|م)?"
_DAY = rf"(?<!{_D})(?P<day>{_D}{{1,2}})(?!{_D})(?:st|nd|rd|th)?"
_SEP = r"\s*[,،]?\s*"
# Day month year, month day year (the year optional in both), numeric forms.
_TEXT_DATE = (rf"(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:{_SEP}{_YEAR})?"
              rf"|{_MONTH.replace('month', 'month2')}\s+{_DAY.replace('day', 'day2')}(?:{_SEP}{_YEAR.replace('year', 'year2')})?)")
_ISO_DATE = rf"(?<!{_D})(?P<iy>{_D}{{4}})(?P<isep>[-/.])(?P<im>{_D}{{1,2}})(?P=isep)(?P<id>{_D}{{1,2}})(?!{_D})"
_DMY_DATE = rf"(?<![/.-]|{_D})(?P<nd>{_D}{{1,2}})(?P<nsep>[/.-])(?P<nm>{_D}{{1,2}})(?P=nsep)(?P<ny>{_D}{{4}})(?!{_D})"
_ANY_DATE = rf"(?:{_TEXT_DATE}|{_ISO_DATE}|{_DMY_DATE})"
DATE = re.compile(rf"(?:{_WEEKDAY}{_SEP}(?:the\s+)?)?{_ANY_DATE}")
_TIME = re.compile(rf"{_D}{{1,2}}[:.]{_D}{{2}}(?:\s*(?:am|pm|a\.m\.|p\.m\.|ص|م|gmt|utc|bst|est|edt|cet))*", re.I)
_WORD = re.compile(r"\w+")
_LABELS = re.compile(r"\b(?:published|posted|updated|last updated|date|on|at)\b|نشر|تاريخ النشر|اخر تحديث|"
                     r"آخر تحديث|بتاريخ|في|الموافق|هـ|ه", re.I)


@dataclass(frozen=True)
class FoundDate:
    """A date written in a text: its span, the date when the year is given
    (None otherwise), month and day, and the weekday written beside it
    (0 Monday .. 6 Sunday, or None)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    weekday: int | None = None

    @property
    def value(self) -> date | None:
        if self.year is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None

    def weekday_conflict(self) -> str:
        """A note when the written weekday does not fit the date, else ''."""
        day = self.value
        if day is None or self.weekday is None or day.weekday() == self.weekday:
            return ""
        return (f"the date says {WEEKDAY_NAMES[self.weekday]} but {day.day} {MONTH_NAMES[day.month - 1]} "
                f"{day.year} is a {WEEKDAY_NAMES[day.weekday()]}")


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _month_number(text: str) -> int | None:
    word = text.rstrip(".").lower()
    if word in EN_MONTHS:
        return EN_MONTHS[word]
    return AR_MONTHS.get(" ".join(word.split()))


def _weekday_number(text: str | None) -> int | None:
    if not text:
        return None
    word = text.rstrip(".").lower()
    if word in EN_WEEKDAYS:
        return EN_WEEKDAYS[word]
    key = word.split()[-1]
    if key not in AR_WEEKDAYS and key[:1] in "وف":
        key = key[1:]
    return AR_WEEKDAYS.get(key)


def _found(m: re.Match[str]) -> FoundDate | None:
    g = m.groupdict()
    weekday = _weekday_number(g.get("weekday"))
    if g.get("iy"):
        year, month, day = _int(g["iy"]), _int(g["im"]), _int(g["id"])
    elif g.get("ny"):
        year, month, day = _int(g["ny"]), _int(g["nm"]), _int(g["nd"])
    else:
        month = _month_number(g.get("month") or g.get("month2") or "")
        day = _int(g.get("day") or g.get("day2"))
        year = _int(g.get("year") or g.get("year2"))
    if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return None
    found = FoundDate(m.start(), m.end(), year, month, day, weekday)
    if year is not None and found.value is None:
        return None
    return found


def find_dates(text: str) -> list[FoundDate]:
    """Every date written in `text`, in order (also those without a year)."""
    out = []
    for m in DATE.finditer(_fold(text)):
        found = _found(m)
        if found is not None:
            out.append(found)
    return out


def _other_words(line: str, found: FoundDate) -> int:
    rest = line[:found.start] + " " + line[found.end:]
    rest = _TIME.sub(" ", rest)
    rest = _LABELS.sub(" ", rest)
    return len([w for w in _WORD.findall(rest) if not w.isdigit()])


def date_line(line: str) -> FoundDate | None:
    """The date of a line that is a date line: a full date (with its year)
    and at most DATE_LINE_OTHER_WORDS other words (a time, a place,
    "Published:"), no sentence. None for any other line."""
    for found in find_dates(line):
        if found.value is not None and _other_words(line, found) <= DATE_LINE_OTHER_WORDS:
            return found
    return None


# A wire dateline opening a lead paragraph: a place in capitals (English) or
# one to three words (Arabic), a date, an agency in brackets or slashes,
# then a dash. English needs the capitals; Arabic needs a date or an agency.
_DASH = r"\s*(?:-{1,2}|–|—)\s*"
_AGENCY = r"(?:\((?P<agency>[^()\n]{1,40})\)|/(?P<agency2>[^/\n]{1,30})/)"
_EN_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}(?:,\s+[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2})?"
_AR_WORD = r"[\u0621-\u064a\u0671-\u06d3]+"
_AR_PLACE = rf"{_AR_WORD}(?:\s+{_AR_WORD}){{0,2}}"
_WIRE_EN = re.compile(rf"\s*(?P<place>{_EN_PLACE})(?:,\s*(?P<date>{_TEXT_DATE}))?\s*{_AGENCY}?{_DASH}")
# A web page's header before the wire dateline, with no sentence end in
# it: a byline, the place and the copy's time ("By Maggie Fox, Health and
# Science Editor WASHINGTON | Tue Apr 21, 2009 10:19 pm BST WASHINGTON
# (Reuters) -", "Sat Apr 25, 2009 12:51 am BST (Reuters) -"). The whole is
# the dateline. It needs the agency in brackets and a mark of a header: a
# byline ("By" and a name), a "|", a clock time, or a list of highlights
# ("* Mexican government announces ... * New mixture ...") or an editor's
# note in brackets opening it.
_HEADED_WIRE_EN = re.compile(rf"\s*(?P<head>[^.!?\n]{{0,300}}?)\s*(?:{_EN_PLACE}\s*)?"
                             rf"\((?P<agency>[A-Z][A-Za-z&.'’ -]{{0,39}})\){_DASH}")
# A blog post's header holds only these: a "|" or a clock time.
_BLOG_MARK = re.compile(r"\||\b\d{1,2}:\d{2}\b")
_HEADER_MARK = re.compile(rf"(?:^|\s)By [A-Z]|^\*\s|^\(|{_BLOG_MARK.pattern}")
_WIRE_AR = re.compile(rf"\s*(?P<place>{_AR_PLACE})\s*(?:[،,-]|\s+في)?\s*(?P<date>{_ANY_DATE})?\s*{_AGENCY}?{_DASH}?")
# A date run into the lead when its line break was lost ("Tuesday, May 4,
# 2021 Heavy rain ..."): weekday optional in English, where a capital must
# follow; Arabic needs the weekday or a separator after the date.
_TERMINATOR = re.compile("[.!?؟…]")
# What follows a cut dateline must be a sentence of at least this many words.
MIN_LEAD_WORDS = 4


@dataclass(frozen=True)
class Dateline:
    """A dateline that opens a paragraph: where it ends (the lead starts
    after it) and its date, if it gives one."""

    end: int
    date: FoundDate | None


def _lead_follows(line: str, end: int) -> bool:
    rest = line[end:]
    return len(rest.split()) >= MIN_LEAD_WORDS and bool(_TERMINATOR.search(rest))


def leading_dateline(line: str) -> Dateline | None:
    """The dateline at the start of a paragraph, cut off its lead sentence
    by segmentation: a wire dateline (``BEIJING, Jan 13 (Reuters) -``), or
    a date whose line break was lost (``Saturday, March 26, 2005 Up to ...``;
    ``السبت 26 آذار 2005، الأرقام ...``). None when the paragraph does not
    open with one, or when what follows is not a sentence; a date that
    opens a sentence (``May 4, 2021 was ...``) stays in it."""
    folded = _fold(line)
    m = _WIRE_EN.match(folded)
    if m and (m.group("date") or m.group("agency") or m.group("agency2") or len(m.group("place")) > 2) \
            and re.search(r"[-–—]\s*$", m.group(0)) and _lead_follows(line, m.end()):
        return Dateline(m.end(), _date_in(m, "date"))
    m = _HEADED_WIRE_EN.match(folded)
    if m and _HEADER_MARK.search(m.group("head")) and _lead_follows(line, m.end()):
        return Dateline(m.end(), None)
    m = _WIRE_AR.match(folded)
    # A weekday opening the paragraph starts a date, not a place.
    if m and _weekday_number(m.group("place").split()[0]) is None:
        has_agency = m.group("agency") or m.group("agency2")
        dashed = re.search(r"[-–—]\s*$", m.group(0))
        if (has_agency or (m.group("date") and dashed)) and _lead_follows(line, m.end()):
            return Dateline(m.end(), _date_in(m, "date"))
    m = DATE.match(folded, _header_end(folded) or len(folded) - len(folded.lstrip()))
    if m:
        found = _found(m)
        if found is None or found.year is None:
            return None
        end = m.end()
        arabic = not re.match(r"\s*[A-Za-z]", line)
        after = re.match(r"\s*[,،\-–—]+\s*", line[end:])
        if arabic:
            if found.weekday is None and not after:
                return None
            if after:
                end += after.end()
        else:
            if not re.match(r"\s*[\"“(]?[A-Z]", line[end:]):
                return None
        while end < len(line) and line[end].isspace():
            end += 1
        if _lead_follows(line, end):
            return Dateline(end, found)
    return None


# Longest header of a blog post before its date.
HEADER_MAX_CHARS = 80


def _header_end(folded: str) -> int | None:
    """Where the date starts after a blog post's header run into its first
    sentence ("Mary Hockaday | 17:45 UK time, Wednesday, 29 April 2009 This
    week, ..."): a header with no sentence end that holds a "|" or a clock
    time (a byline alone is no header here: "By Ana Ruiz Jackson died on 25
    June 2009 Jurors ..." runs a caption's date into the lead)."""
    for m in DATE.finditer(folded[:HEADER_MAX_CHARS + 40]):
        head = folded[:m.start()]
        if m.start() > HEADER_MAX_CHARS or _TERMINATOR.search(head):
            return None
        if _BLOG_MARK.search(head):
            return m.start()
    return None


def _date_in(m: re.Match[str], group: str) -> FoundDate | None:
    text = m.group(group)
    if not text:
        return None
    found = find_dates(text)
    if not found:
        return None
    f = found[0]
    start = m.start(group)
    return FoundDate(start + f.start, start + f.end, f.year, f.month, f.day, f.weekday)
