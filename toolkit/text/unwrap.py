"""Paragraphs rebuilt from hard-wrapped text.

Newswire, e-mail and text saved from terminals is often folded at a fixed
width (~70 columns) with no blank line between paragraphs; every later step
reads a line as a paragraph, so such a text would give a sentence piece per
line. A text is read as hard-wrapped only from its line-length profile: most
lines lie in a narrow band below the widest ordinary line, and many of them
end inside a sentence. One-paragraph-per-line text (lines of any length,
each ending a sentence), headline lists and tables never have that profile
and come back unchanged.

Two wrappers are told apart. A greedy one (Python's textwrap, most editors)
breaks a line only when the next word would not fit, so a line ends a
paragraph exactly when the next line's first word would have fitted on it.
A minimum-length one (the DUC newswire) breaks at the first space past a
column, so every line inside a paragraph is at least that long. Blank lines,
a deeper indentation, a list item, a table row and a change of e-mail
quoting depth always start a new paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .arabic import ARABIC_LETTER
from .boundaries import CLOSERS, TERMINATORS
from .datetext import date_line

# Fewest continuation candidates (lines inside a block that end without a
# sentence end) before a text is read as wrapped: two folded lines are
# indistinguishable from a heading and its lead.
MIN_OPEN_LINES = 2
# Share of the lines inside blocks whose length lies in the band just under
# the wrap width, and the band's depth as a share of that width.
BAND_SHARE = 0.5
BAND_DEPTH = 0.25
# Share of those band lines that end inside a sentence: a paragraph per line
# ends nearly every line with a sentence end.
OPEN_SHARE = 0.3
# Share of open lines that a greedy wrapper explains (the next word would
# not have fitted) for the greedy rule to be used.
GREEDY_SHARE = 0.9
# Columns a line ending inside a sentence may fall short of the greedy rule.
OPEN_SLACK = 2

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•·▪–]|\(?[0-9\u0660-\u0669]{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+\S")
# Table rows: tab-separated cells, two runs of spaces between words (one
# is a stray gap), or pipes.
_TABLE_ROW = re.compile(r"\t|\S {3,}\S.* {3,}\S|\|")
_WORD = re.compile(r"\w+(?:-\w+)*")
_ARABIC = re.compile(ARABIC_LETTER)
_SENTENCE_END = re.compile("[" + re.escape(TERMINATORS) + "](?:[" + re.escape(CLOSERS) + "]*)(?:\\s|$)")


@dataclass(frozen=True)
class Unwrapped:
    """`text`: one paragraph per line; `lines`: the 1-based input line each
    output line starts on; `joined`: the input lines read into `paragraphs`
    paragraphs (both 0 when the text was not read as wrapped); `quoted`: lines whose e-mail
    quoting (`> `) was removed; `width`: the wrap width found (0 if none)."""

    text: str
    lines: tuple[int, ...]
    joined: int = 0
    paragraphs: int = 0
    quoted: int = 0
    width: int = 0


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # without quoting, indentation and trailing blanks
    depth: int  # e-mail quoting depth
    indent: int

    @property
    def table(self) -> bool:
        return bool(_TABLE_ROW.search(self.text))


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + "`")
    return bool(stripped) and (stripped[-1] in TERMINATORS or stripped[-1] == ":")


def _read_lines(text: str) -> tuple[list[_Line | None], int]:
    """Lines with quoting stripped (None for a blank line), and how many were
    quoted. Quoting is taken as such only when at least two lines carry it."""
    raw = text.split("\n")
    quoted = sum(1 for line in raw if _QUOTE.match(line) and ">" in line)
    out: list[_Line | None] = []
    for number, line in enumerate(raw, 1):
        depth = 0
        if quoted >= 2:
            m = _QUOTE.match(line)
            if m and ">" in m.group(0):
                depth = m.group(0).count(">")
                line = line[m.end():]
        body = line.strip()
        if not body:
            out.append(None)
            continue
        lead = len(line) - len(line.lstrip())
        out.append(_Line(number, body, depth, len(line[:lead].expandtabs(8))))
    return out, quoted if quoted >= 2 else 0


def _percentile(values: Sequence[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _first_word(text: str) -> int:
    return len(text.split(None, 1)[0])


def _profile(lines: list[_Line | None]) -> tuple[int, int] | None:
    """(width, band floor) of a wrapped text, the floor 0 for a greedy
    wrapper; None when the text is not hard-wrapped."""
    inner = [(a, b) for a, b in zip(lines, lines[1:]) if a is not None and b is not None
             and not a.table and not b.table]
    if len(inner) < MIN_OPEN_LINES:
        return None
    lengths = [len(a.text) for a, _ in inner]
    p90 = _percentile(lengths, 0.9)
    width = max(n for n in lengths if n <= p90 * 1.2)
    band = [(a, b) for a, b in inner if len(a.text) >= width * (1 - BAND_DEPTH)]
    open_lines = [(a, b) for a, b in band if not _ends_sentence(a.text)]
    if (len(band) < BAND_SHARE * len(inner) or len(open_lines) < MIN_OPEN_LINES
            or len(open_lines) < OPEN_SHARE * len(band)):
        return None
    if not any(line is not None and _SENTENCE_END.search(line.text) for line in lines):
        return None  # a list of headlines or names: wrapped prose has sentence ends
    greedy = sum(1 for a, b in open_lines if len(a.text) + 1 + _first_word(b.text) > width)
    if greedy >= GREEDY_SHARE * len(open_lines):
        return width, 0
    return width, _percentile([len(a.text) for a, _ in open_lines], 0.05)


def _continues(a: _Line, b: _Line, width: int, floor: int, indent: int, in_list: bool,
               apart: Callable[[str], bool]) -> bool:
    """Whether line b goes on with a's paragraph; `in_list`: that paragraph
    is a list item."""
    if a.depth != b.depth or a.table or b.table or apart(a.text) or apart(b.text):
        return False
    if _LIST_ITEM.match(b.text) and (in_list or a.text.endswith(":")):
        # Only inside a list or after its introduction: a wrapper also
        # starts lines with a date's day ("Oct." / "9. The") or a dash.
        return False
    if b.indent > indent and not in_list:
        return False  # an indented first line opens a paragraph
    if not _ends_sentence(b.text) and date_line(b.text) is not None:
        return False  # a title's date line, also after a title that filled its line
    # Inside a sentence, allow for the double spaces a wrapper counts and
    # the text no longer shows at the line end.
    slack = 0 if _ends_sentence(a.text) else OPEN_SLACK
    if len(a.text) + 1 + _first_word(b.text) > width - slack:
        return True
    if floor:
        # A minimum-length wrapper: every line inside a paragraph reaches
        # the floor; a line ending inside a sentence before a word in small
        # letters goes on whatever its length.
        return len(a.text) >= floor or not _ends_sentence(a.text) and b.text[:1].islower()
    return False


def _join(left: str, right: str, vocabulary: set[str]) -> str:
    """Two lines of one paragraph. A hyphen between letters at the line end
    is a word broken by the wrapper only when the joined form is a word of
    the text (it occurs elsewhere without the hyphen); otherwise it is a
    compound's own hyphen ("well-" + "known") and stays."""
    if len(left) > 1 and left.endswith("-") and left[-2].isalpha() and right[:1].isalpha():
        if left.endswith("--"):
            return left + right
        if _ARABIC.match(left[-2]):
            return left + " " + right  # Arabic is not hyphenated: a dash
        head = _WORD.findall(left[:-1])[-1:] or [""]
        tail = _WORD.findall(right)[:1] or [""]
        joined = (head[0].rsplit("-", 1)[-1] + tail[0]).lower()
        hyphened = (head[0] + "-" + tail[0]).lower()
        if joined in vocabulary and hyphened not in vocabulary:
            return left[:-1] + right
        return left + right
    return left + " " + right


def _never(line: str) -> bool:
    return False


def unwrap(text: str, apart: Callable[[str], bool] = _never) -> Unwrapped:
    """`text` (newline-separated lines) as one paragraph per line when it is
    hard-wrapped; otherwise unchanged except for e-mail quoting. `apart`:
    lines that are never joined to another (boilerplate such as "read also:
    <link>", which cleaning removes only as a whole line)."""
    lines, quoted = _read_lines(text)
    profile = _profile(lines)
    raw = text.split("\n")
    if profile is None and not quoted:
        return Unwrapped(text, tuple(range(1, len(raw) + 1)))
    width, floor = profile or (0, 0)
    indents = [line.indent for line in lines if line is not None]
    indent = max(set(indents), key=indents.count) if indents else 0
    vocabulary = {w.lower() for w in _WORD.findall(text)} if profile else set()
    paragraphs: list[str] = []
    numbers: list[int] = []
    joined = 0
    previous: _Line | None = None
    in_list = False
    for line in lines:
        if line is None:
            previous = None
            continue
        if profile and previous is not None and _continues(previous, line, width, floor, indent, in_list, apart):
            paragraphs[-1] = _join(paragraphs[-1], line.text, vocabulary)
            joined += 1
        else:
            paragraphs.append(line.text if profile or quoted else raw[line.number - 1])
            numbers.append(line.number)
            in_list = bool(_LIST_ITEM.match(line.text))
        previous = line
    if profile is None:
        # Only quoting removed: every line stays a line, indentation aside.
        return Unwrapped("\n".join(paragraphs), tuple(numbers), quoted=quoted)
    return Unwrapped("\n".join(paragraphs), tuple(numbers), joined=joined + len(paragraphs),
                     paragraphs=len(paragraphs), quoted=quoted, width=width)
