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
quoting depth always start a new paragraph. A heading that fills its line
is told from a wrapped line only by the next line opening a sentence the
way news sentences open (`_heading_then_sentence`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .arabic import ARABIC_LETTER
from .boundaries import CARRY_ON, CLOSERS, OPENERS, TERMINATORS, opens_sentence
from .datetext import date_line
from .segment import is_heading

# Fewest continuation candidates (lines inside a block that end without a
# sentence end) before a text is read as wrapped: two folded lines are
# indistinguishable from a heading and its lead, unless the first ends in a
# comma or a word that carries on (`_carries_on`, counted twice).
MIN_OPEN_LINES = 2
# Most lines a heading is folded into.
HEADING_LINES = 3
# The shortest line taken as a wrapped line by its last word alone.
MIN_WRAPPED = 30
# Share of the lines inside blocks whose length lies in the band just under
# the wrap width, and the band's depth as a share of that width.
BAND_SHARE = 0.5
BAND_DEPTH = 0.25
# Share of those band lines that end inside a sentence: a paragraph per line
# ends nearly every line with a sentence end.
OPEN_SHARE = 0.3
# Share of open lines that a greedy wrapper explains (the next word would
# not have fitted) for the greedy rule to be used. The others are headings
# and captions that end their paragraph without a full stop; a minimum-length
# wrapper (DUC 2004) explains at most ~0.8 by chance.
GREEDY_SHARE = 0.85
# Most columns a line ending inside a sentence may fall short of the greedy
# rule: a wrapper counts the run of spaces it drops at a line end, and a
# text that has runs of k spaces between its words may have dropped one.
MAX_SLACK = 3

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•·▪–]|\(?[0-9\u0660-\u0669]{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+\S")
# Table rows: tab-separated cells, two runs of spaces between words (one
# is a stray gap), or pipes.
_TABLE_ROW = re.compile(r"\t|\S {3,}\S.* {3,}\S|\|")
_WORD = re.compile(r"\w+(?:-\w+)*")
_ARABIC = re.compile(ARABIC_LETTER)
_SPACES = re.compile(r"[ \t]{2,}")
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


def _carries_on(text: str) -> bool:
    """Whether a line ends in a mark or word after which its sentence must
    go on: a comma, a dash, a preposition, an article."""
    return text[-1] in ",،;؛-–—(" or text.split()[-1].lower() in CARRY_ON


def _profile(lines: list[_Line | None], apart: Callable[[str], bool], slack: int) -> tuple[int, int] | None:
    """(width, band floor) of a wrapped text, the floor 0 for a greedy
    wrapper; None when the text is not hard-wrapped. Lines kept `apart`
    (boilerplate) are never joined and say nothing about the wrapper."""
    inner = [(a, b) for a, b in zip(lines, lines[1:]) if a is not None and b is not None
             and not a.table and not b.table and not apart(a.text) and not apart(b.text)]
    if not inner:
        return None
    lengths = [len(a.text) for a, _ in inner]
    p90 = _percentile(lengths, 0.9)
    width = max(n for n in lengths if n <= p90 * 1.2)
    band = [(a, b) for a, b in inner if len(a.text) >= width * (1 - BAND_DEPTH)]
    open_lines = [(a, b) for a, b in band if not _ends_sentence(a.text)]
    # A line that ends in a comma or a word that carries on ("the", "في")
    # ends neither a heading nor a paragraph: it counts twice, when it is as
    # long as a wrapped line is (not "Dear editor," or "WASHINGTON -").
    evidence = len(open_lines) + sum(1 for a, _ in open_lines
                                     if _carries_on(a.text) and len(a.text) >= MIN_WRAPPED)
    if (len(band) < BAND_SHARE * len(inner) or evidence < MIN_OPEN_LINES
            or len(open_lines) < OPEN_SHARE * len(band)):
        return None
    if not any(line is not None and _SENTENCE_END.search(line.text) for line in lines):
        return None  # a list of headlines or names: wrapped prose has sentence ends
    greedy = sum(1 for a, b in open_lines if len(a.text) + 1 + _first_word(b.text) > width - slack)
    if greedy >= GREEDY_SHARE * len(open_lines):
        return width, 0
    return width, _percentile([len(a.text) for a, _ in open_lines], 0.05)


@dataclass(frozen=True)
class _Wrap:
    """What the text's layout says about its wrapper: `width`, `floor` (the
    band floor of a minimum-length wrapper, 0 for a greedy one), `slack`
    (spaces a greedy wrapper may have dropped at a line end), the usual
    `indent`, the `vocabulary` of the text and the lines kept `apart`."""

    width: int
    floor: int
    slack: int
    indent: int
    vocabulary: frozenset[str]
    apart: Callable[[str], bool]


def _heading_then_sentence(a: _Line, b: _Line, head: bool) -> bool:
    """Whether a, the first line of its paragraph, reads as a heading of its
    own although it fills its line: it has no sentence end and no mark or
    word that carries on (a comma, a preposition), and b opens a sentence
    as news sentences open (`opens_sentence`). In English a capitalised
    first word ("The", "He") is evidence enough; an Arabic one ("وأكد") also
    continues run-on sentences without a full stop, so it counts only in the
    article's `head`, before any sentence end (a site name, the title)."""
    if _SENTENCE_END.search(a.text) or _ends_sentence(a.text) or not is_heading(a.text):
        return False
    if _carries_on(a.text):
        return False
    word = b.text.split(None, 1)[0]
    return opens_sentence(word) and (head or word.lstrip(OPENERS)[:1].isupper())


def _lone_heading(a: _Line, rest: Sequence[_Line | None], wrap: _Wrap) -> bool:
    """Whether the lines `rest` open with a heading of its own after a line
    a that ends a sentence and fills its line: lines without a sentence end
    that end their paragraph and together read as a heading (a title of one
    or two lines). A paragraph of body text ends with a sentence end; a
    section title or a caption has none."""
    if not _ends_sentence(a.text):
        return False
    text = ""
    for k, b in enumerate(rest):
        if b is None or _SENTENCE_END.search(b.text) or _ends_sentence(b.text):
            return False
        text = f"{text} {b.text}".strip()
        if not is_heading(text) or _carries_on(b.text):
            return False
        c = rest[k + 1] if k + 1 < len(rest) else None
        if c is None or not _continues(b, c, wrap, False, k == 0, False):
            return True
    return False


def _continues(a: _Line, b: _Line, wrap: _Wrap, in_list: bool, opening: bool, head: bool) -> bool:
    """Whether line b goes on with a's paragraph; `in_list`: that paragraph
    is a list item; `opening`: a is its first line; `head`: no line before
    b has a sentence end."""
    if a.depth != b.depth or a.table or b.table or wrap.apart(a.text) or wrap.apart(b.text):
        return False
    if _LIST_ITEM.match(b.text) and (in_list or a.text.endswith(":")):
        # Only inside a list or after its introduction: a wrapper also
        # starts lines with a date's day ("Oct." / "9. The") or a dash.
        return False
    if b.indent > wrap.indent and not in_list:
        return False  # an indented first line opens a paragraph
    if not _ends_sentence(b.text) and date_line(b.text) is not None:
        return False  # a title's date line, also after a title that filled its line
    if opening and _heading_then_sentence(a, b, head):
        return False
    # Inside a sentence, allow for the spaces a wrapper counts and the text
    # no longer shows at the line end.
    slack = 0 if _ends_sentence(a.text) else wrap.slack
    if len(a.text) + 1 + _first_word(b.text) > wrap.width - slack:
        return True
    if wrap.floor:
        # A minimum-length wrapper: every line inside a paragraph reaches
        # the floor; a line ending inside a sentence before a word in small
        # letters goes on whatever its length.
        return len(a.text) >= wrap.floor or not _ends_sentence(a.text) and b.text[:1].islower()
    return False


def _join(left: str, a: _Line, right: str, wrap: _Wrap) -> str:
    """Two lines of one paragraph. A hyphen between letters at the line end
    is a word broken by the wrapper only when the joined form is a word of
    the text (it occurs elsewhere without the hyphen); otherwise it is a
    compound's own hyphen ("well-" + "known") and stays. A greedy wrapper
    that breaks at hyphens would have kept the next word on the line after
    a compound's hyphen when it fitted there, so a hyphen followed by a
    word that fits was followed by a space ("the time- being"); `a` is the
    line that `left` ends with."""
    if len(left) > 1 and left.endswith("-") and left[-2].isalpha() and right[:1].isalpha():
        if left.endswith("--"):
            return left + right
        if _ARABIC.match(left[-2]):
            return left + " " + right  # Arabic is not hyphenated: a dash
        if not wrap.floor and len(a.text) + _first_word(right) <= wrap.width - wrap.slack:
            return left + " " + right
        head = _WORD.findall(left[:-1])[-1:] or [""]
        tail = _WORD.findall(right)[:1] or [""]
        joined = (head[0].rsplit("-", 1)[-1] + tail[0]).lower()
        hyphened = (head[0] + "-" + tail[0]).lower()
        if joined in wrap.vocabulary and hyphened not in wrap.vocabulary:
            return left[:-1] + right
        return left + right
    return left + " " + right


def _slack(lines: list[_Line | None]) -> int:
    """Spaces a wrapper may have dropped at a line end beyond the one it
    replaces: one fewer than the longest run of blanks between words."""
    runs = [len(m.group(0)) for line in lines if line is not None and not line.table
            for m in _SPACES.finditer(line.text)]
    return min(MAX_SLACK, max(runs, default=1) - 1)


def _never(line: str) -> bool:
    return False


def unwrap(text: str, apart: Callable[[str], bool] = _never) -> Unwrapped:
    """`text` (newline-separated lines) as one paragraph per line when it is
    hard-wrapped; otherwise unchanged except for e-mail quoting. `apart`:
    lines that are never joined to another (boilerplate such as "read also:
    <link>", which cleaning removes only as a whole line)."""
    lines, quoted = _read_lines(text)
    slack = _slack(lines)
    profile = _profile(lines, apart, slack)
    raw = text.split("\n")
    if profile is None and not quoted:
        return Unwrapped(text, tuple(range(1, len(raw) + 1)))
    width, floor = profile or (0, 0)
    indents = [line.indent for line in lines if line is not None]
    wrap = _Wrap(width, floor, slack, max(set(indents), key=indents.count) if indents else 0,
                 frozenset(w.lower() for w in _WORD.findall(text)) if profile else frozenset(), apart)
    paragraphs: list[str] = []
    numbers: list[int] = []
    joined = 0
    previous: _Line | None = None
    in_list = opening = False
    head = True
    for k, line in enumerate(lines):
        if line is None:
            previous = None
            continue
        if (profile and previous is not None and _continues(previous, line, wrap, in_list, opening, head)
                and not _lone_heading(previous, lines[k:k + HEADING_LINES], wrap)):
            paragraphs[-1] = _join(paragraphs[-1], previous, line.text, wrap)
            joined += 1
            opening = False
        else:
            paragraphs.append(line.text if profile or quoted else raw[line.number - 1])
            numbers.append(line.number)
            in_list = bool(_LIST_ITEM.match(line.text))
            opening = True
        previous = line
        head = head and not (_SENTENCE_END.search(line.text) or _ends_sentence(line.text))
    if profile is None:
        # Only quoting removed: every line stays a line, indentation aside.
        return Unwrapped("\n".join(paragraphs), tuple(numbers), quoted=quoted)
    return Unwrapped("\n".join(paragraphs), tuple(numbers), joined=joined + len(paragraphs),
                     paragraphs=len(paragraphs), quoted=quoted, width=width)
