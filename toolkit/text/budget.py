"""Token budgets: a fast upper-bound estimate of a sentence's subword
tokens, and cutting an over-long sentence into pieces that fit (clause
boundaries, then spaces, then inside a word), the pieces tiling it
exactly."""
from __future__ import annotations

import math
import re
from typing import Callable

from .boundaries import ARABIC_LETTER_RE, DIGIT, LATIN_LETTER

# Marian models (opus-mt-ar-en, opus-mt-tc-big-ar-en) accept 512 tokens. The
# estimate below over-counts: on FLORES-200 devtest Arabic and the seed
# articles it was never below the real opus-mt-ar-en token count (see
# tests/test_segment.py::test_estimate_is_an_upper_bound), so a budget of 448
# estimated tokens stays below the 512 real ones with a margin.
DEFAULT_MAX_TOKENS = 448

_CLAUSE_BREAK = re.compile(r"[،؛;:]\s*|,\s+")
_SPACE_RUN = re.compile(r"\s+")
_WHITESPACE = re.compile(r"\s")


def estimate_tokens(text: str) -> int:
    """A fast, conservative estimate of the subword tokens a Marian/NLLB
    sentencepiece model produces for `text` (end-of-sentence included)."""
    arabic = len(ARABIC_LETTER_RE.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    digits = len(DIGIT.findall(text))
    spaces = len(_WHITESPACE.findall(text))
    other = len(text) - arabic - latin - digits - spaces
    words = len(text.split())
    return math.ceil(0.55 * arabic + 1.0 * latin + 1.0 * digits + 1.0 * other + 0.5 * words) + 1

def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_points(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    return [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]


def fit_spans(text: str, start: int, end: int, max_tokens: int,
         count_tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Cut text[start:end] into spans that each fit the budget, preferring
    clause boundaries, then spaces, then a hard cut."""
    if count_tokens(text[start:end]) <= max_tokens:
        return [(start, end)]
    for pattern in (_CLAUSE_BREAK, _SPACE_RUN):
        cuts = _cut_points(text, start, end, pattern)
        if cuts:
            return _pack(text, [start, *cuts, end], max_tokens, count_tokens)
    # One "word" over the budget: cut by characters.
    pieces = []
    pos = start
    while pos < end:
        # Gallop to a length that does not fit, then bisect: the work per
        # piece follows the piece's length, not the rest of the text.
        lo, step = pos + 1, 1
        while lo + step <= end and count_tokens(text[pos:lo + step]) <= max_tokens:
            lo += step
            step *= 2
        hi = min(end, lo + step - 1)
        while lo < hi:  # longest prefix that fits
            mid = (lo + hi + 1) // 2
            if count_tokens(text[pos:mid]) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((pos, lo))
        pos = lo
    return pieces


def _pack(text: str, bounds: list[int], max_tokens: int,
          count_tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Merge consecutive chunks (between `bounds`) into the longest runs
    that fit, from the left."""
    def fits(a: int, b: int) -> bool:
        s, e = strip_span(text, bounds[a], bounds[b])
        return count_tokens(text[s:e]) <= max_tokens

    out: list[tuple[int, int]] = []
    last = len(bounds) - 1
    a = 0
    while a < last:
        # Gallop, then bisect, so each count covers about one piece of text
        # and a long paragraph is packed in near-linear time.
        b, step = a + 1, 1
        while b + step <= last and fits(a, b + step):
            b += step
            step *= 2
        hi = min(last, b + step - 1)
        while b < hi:
            mid = (b + hi + 1) // 2
            if fits(a, mid):
                b = mid
            else:
                hi = mid - 1
        out.append((bounds[a], bounds[b]))
        a = b
    result: list[tuple[int, int]] = []
    for s, e in out:
        s, e = strip_span(text, s, e)
        if s < e:
            result.extend(fit_spans(text, s, e, max_tokens, count_tokens))
    return result

def split_to_budget(text: str, max_tokens: int,
                    count_tokens: Callable[[str], int] = estimate_tokens) -> list[str]:
    """Cut one sentence into pieces that each fit `max_tokens` as counted by
    `count_tokens` (e.g. a model's real tokenizer); the pieces, joined with
    the whitespace between them, give back `text`."""
    s, e = strip_span(text, 0, len(text))
    if s >= e:
        return []
    return [text[a:b] for a, b in fit_spans(text, s, e, max_tokens, count_tokens)]
