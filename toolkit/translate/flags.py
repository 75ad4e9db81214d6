"""Per-sentence warnings about a translation, from the source and the
output text alone (plus the engine's hit-limit report), so they are the
same for every engine and for cached results."""
from __future__ import annotations

import re

from ..normalize import normalize_arabic, to_ascii_digits
from ..verify import numbers as stated_numbers
from ..records import Flag

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

_ARABIC_LETTERS = re.compile("[\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
                             "\ufb50-\ufdff\ufe70-\ufefc]+")
_ARABIC_WORD = re.compile("\\S*[\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
                          "\ufb50-\ufdff\ufe70-\ufefc]\\S*")
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# A number: digits with optional thousands separators and a decimal part.
_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
# Words that state a count but are not numbers to the value parser in
# toolkit.verify ("both sides" = 2).
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


def canonical_number(token: str) -> str:
    """A number as plain ASCII digits without thousands separators: Arabic-
    Indic digits and the Arabic decimal (٫) and thousands (٬) separators are
    normalised; "1,000" and "1.000" (a thousands dot) both become 1000."""
    t = to_ascii_digits(token).replace("\u066b", ".").replace("\u066c", ",")
    parts = re.split(r"[.,]", t)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return "".join(parts)  # thousands separators
    if len(parts) == 2:
        return parts[0] + "." + parts[1].rstrip("0") if parts[1].rstrip("0") else parts[0]
    return t.replace(",", ".")


def numbers_in(text: str) -> list[str]:
    return [canonical_number(m.group(0)) for m in _NUMBER.finditer(to_ascii_digits(text))]


def missing_numbers(source: str, output: str) -> list[str]:
    """Numbers written in the source that the output states in no form
    (digits, words, digits with a scale word)."""
    words = {w.lower() for w in _WORD.findall(output)}
    # English numbers in any form ("twelve", "1.2 million", "24th") through
    # the citation checker's value parser, so both read numbers alike.
    found = set(numbers_in(output)) | stated_numbers(output)
    spelled = {v for w, v in _COUNT_IDIOMS.items() if w in words}
    missing = []
    for n in numbers_in(source):
        if n in found or n in spelled or n in missing:
            continue
        # "٢٠٢٤م" / "2024" vs "2,024"-style variants are covered above; a
        # decimal written with a comma in the output is the same number.
        if n.replace(".", ",") in found:
            continue
        missing.append(n)
    return missing


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
