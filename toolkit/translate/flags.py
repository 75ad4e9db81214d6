"""Per-sentence warnings about a translation, from the source and the
output text alone (plus the engine's hit-limit report), so they are the
same for every engine and for cached results."""
from __future__ import annotations

import re

from ..records import Flag
from ..text.arabic import ARABIC_LETTER, normalize_arabic
from ..text.numbers import numbers_in

LOOP = "loop"
ARABIC_LEFT = "arabic-left"
UNTRANSLATED = "untranslated"
LENGTH_RATIO = "length-ratio"
NUMBERS_MISSING = "numbers-missing"
HIT_LIMIT = "hit-limit"
GLOSSARY = "glossary"
# Not a warning: the sentence is from an English article and is its own English.
ORIGINAL_ENGLISH = "original-english"
CODES = (LOOP, ARABIC_LEFT, UNTRANSLATED, LENGTH_RATIO, NUMBERS_MISSING, HIT_LIMIT, GLOSSARY, ORIGINAL_ENGLISH)

# A phrase of n words repeated back to back this many times is a decoding
# loop, not style ("very, very" is fine; "the the the the" is not).
LOOP_MIN_REPEATS = {1: 4, 2: 3, 3: 3}
LOOP_DEFAULT_REPEATS = 2  # phrases of 4+ words
LOOP_MAX_N = 8
# English output is usually 0.9-1.6x the Arabic character count.
RATIO_LOW, RATIO_HIGH = 0.5, 3.0
RATIO_MIN_SOURCE_CHARS = 20
# Over this share of letters in Arabic script, the output was not translated.
UNTRANSLATED_SHARE = 0.5

_ARABIC_LETTERS = re.compile(ARABIC_LETTER + "+")
_ARABIC_WORD = re.compile(r"\S*" + ARABIC_LETTER + r"\S*")
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# Words that state a count but are not numbers to the value parser in
# toolkit.text.numbers ("both sides" = 2).
_COUNT_IDIOMS = {"single": "1", "both": "2", "pair": "2"}


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _arabic_letters(text: str) -> int:
    return sum(len(m) for m in _ARABIC_LETTERS.findall(text))


def find_loop(text: str) -> str | None:
    """The first phrase repeated back to back often enough to be a loop."""
    words = [w.lower() for w in _WORD.findall(text)]
    for n in range(1, LOOP_MAX_N + 1):
        need = LOOP_MIN_REPEATS.get(n, LOOP_DEFAULT_REPEATS)
        for i in range(0, len(words) - n * need + 1):
            gram = words[i:i + n]
            if all(words[i + k * n:i + (k + 1) * n] == gram for k in range(1, need)):
                return " ".join(gram)
    # A loop inside one long token (sentencepiece pieces glued together).
    m = re.search(r"(\S{3,}?)\1{3,}", text)
    return m.group(1) if m else None


def missing_numbers(source: str, output: str) -> list[str]:
    """Numbers written in the source that the output states in no form
    (digits, words, digits with a scale word)."""
    words = {w.lower() for w in _WORD.findall(output)}
    # English numbers in any form ("twelve", "1.2 million", "24th") through
    # the same reader as the citation checker's.
    found = set(numbers_in(output)) | {v for w, v in _COUNT_IDIOMS.items() if w in words}
    return [n for n in numbers_in(source, arabic=True) if n not in found]


def compute_flags(source: str, output: str, *, hit_limit: bool = False) -> tuple[Flag, ...]:
    """The flags for one translated sentence, in a stable order."""
    flags: list[Flag] = []
    loop = find_loop(output)
    if loop:
        flags.append(Flag(LOOP, f"repeated: {loop!r}"))
    letters = _letters(output)
    arabic = _arabic_letters(output)
    same = normalize_arabic(output) == normalize_arabic(source) and bool(output.strip())
    if same or (letters and arabic / letters > UNTRANSLATED_SHARE):
        flags.append(Flag(UNTRANSLATED, "output is the source text" if same
                          else f"{arabic / letters:.0%} of the output is in Arabic script"))
    elif arabic:
        left = _ARABIC_WORD.findall(output)
        shown = " ".join(left[:5]) + (" ..." if len(left) > 5 else "")
        flags.append(Flag(ARABIC_LEFT, f"Arabic script in the output: {shown}"))
    src_chars = len("".join(source.split()))
    out_chars = len("".join(output.split()))
    if src_chars >= RATIO_MIN_SOURCE_CHARS:
        ratio = out_chars / src_chars
        if ratio < RATIO_LOW or ratio > RATIO_HIGH:
            flags.append(Flag(LENGTH_RATIO, f"output/source length {ratio:.2f} "
                                            f"(expected {RATIO_LOW}-{RATIO_HIGH})"))
    missing = missing_numbers(source, output)
    if missing:
        flags.append(Flag(NUMBERS_MISSING, "not in the output: " + ", ".join(missing)))
    if hit_limit:
        flags.append(Flag(HIT_LIMIT, "decoding stopped at the output length limit"))
    return tuple(flags)
