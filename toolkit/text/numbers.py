"""The one reader of the numbers a text states, used alike by translation
flags (Arabic source, English output) and the brief's citation checker.

Values are compared as normalised decimal strings ("1200", "3.5"); digits
in any script, Arabic separators (٫ decimal, ٬ thousands), spelled English
numbers and scale words all meet on one value. A dot followed by groups of
exactly three digits is a thousands separator ("1.000" is 1000): that is
how Arabic news, and English translated from it, write thousands, while an
English decimal with three places and trailing zeros is rare in news; the
one exception is a single group before a scale word ("7.754 billion").
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Sequence

from .arabic import normalize_arabic, to_ascii_digits
from .memo import MEMO, memoised

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALES = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
           "mn": 10 ** 6, "mln": 10 ** 6, "bn": 10 ** 9}
ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split(), 1)}
ORDINALS.update({w: 10 * i for i, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2)})
ORDINALS.update({"hundredth": 100, "thousandth": 1000, "millionth": 10 ** 6})
SINGLE_NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "half": Decimal("0.5")}
# Counts without a value: a claim may only repeat them.
VAGUE_NUMBERS = frozenset("dozens hundreds thousands millions billions".split())
NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES) | frozenset(ORDINALS) | frozenset(
    SINGLE_NUMBERS) | VAGUE_NUMBERS | {"hundred", "dozen"}
# After digits in Arabic text (keys normalised): "٣ آلاف" = 3000, "١٫٢ مليون".
_ARABIC_SCALES = {"الف": 10 ** 3, "الاف": 10 ** 3, "مليون": 10 ** 6, "ملايين": 10 ** 6, "مليار": 10 ** 9,
                  "مليارات": 10 ** 9, "بليون": 10 ** 9, "تريليون": 10 ** 12, "ترليون": 10 ** 12}

# Digits with separators and an optional ordinal suffix ("24th"; a unit
# stuck to the digits, as in "50km", stays a word of its own); words with
# an inner apostrophe ("didn't", "Putin's"); "%" reads as "percent".
TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)(?:(?:st|nd|rd|th)(?![^\W\d_]))?"
                    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)?)|(?P<pct>%)")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


def tokens(text: str) -> list[tuple[str, str]]:
    """("num" | "word", token) in order; "%" becomes the word "percent"."""
    return list(_tokens(text))


# Kept: the verifier, the claim reader and the conflict check tokenise the
# same sentences again for every pair they look at.
@memoised()
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for m in TOKEN.finditer(text.replace("\u2019", "'")):
        if m.group("num"):
            out.append(_token("num", m.group("num")))
        elif m.group("word"):
            out.append(_token("word", m.group("word")))
        else:
            out.append(("word", "percent"))
    return tuple(out)


@memoised(4 * MEMO)
def _token(kind: str, token: str) -> tuple[str, str]:
    # One tuple per distinct token, shared by the kept sentences that have
    # it: most of what they hold is the same few thousand words.
    return kind, token


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _digits(raw: str, *, scaled: bool = False, comma_decimal: bool = False) -> list[Decimal]:
    """The value(s) of a run of digits and separators.

    * "1,200" and "1,200.5": thousands commas;
    * "1.000", "28.500", "1.000.000", "1.000,5": thousands dots, as Arabic
      news and English translated from it write them ("killed 222.570
      people", "over 120.000"), except one group of three before a scale
      word, which is a decimal ("7.754 billion dollars");
    * "1.2": a decimal point; "2,5" a decimal comma only where the text's
      language writes decimals so (`comma_decimal`: Arabic, whose own comma
      is "،");
    * anything else ("12,15", "1.2.3") is read as separate numbers."""
    if _THOUSANDS_COMMA.fullmatch(raw):
        return [Decimal(raw.replace(",", ""))]
    if _THOUSANDS_DOT.fullmatch(raw) and not (scaled and raw.count(".") == 1 and "," not in raw):
        return [Decimal(raw.replace(".", "").replace(",", "."))]
    if _DECIMAL.fullmatch(raw):
        return [Decimal(raw)]
    if comma_decimal and _DECIMAL_COMMA.fullmatch(raw):
        return [Decimal(raw.replace(",", "."))]
    return [Decimal(p) for p in re.split(r"[.,]", raw) if p]


def _spelled(words: Sequence[str], i: int) -> tuple[Decimal, int]:
    """The value of the number spelled out from words[i] and the index after
    it: "twelve", "twenty-five", "two hundred and fifty", "a dozen",
    "one thousand two hundred", "twenty-fourth"."""
    total, current = 0, 0
    if words[i] in ("a", "an"):
        current, i = 1, i + 1
    while i < len(words):
        w = words[i]
        if w in UNITS:
            # "seven eight" or "twenty twelve" are two numbers, not one.
            if current % 100 and current % 100 not in TENS.values():
                break
            current += UNITS[w]
        elif w in TENS:
            if current % 100:
                break
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in SCALES:
            total, current = total + (current or 1) * SCALES[w], 0
        elif w in ORDINALS:
            value = ORDINALS[w]
            current = (current or 1) * value if value >= 100 else current + value
            i += 1
            break
        elif (w == "and" and (total or current >= 100) and i + 1 < len(words)
              and (words[i + 1] in UNITS or words[i + 1] in TENS)):
            pass
        else:
            break
        i += 1
    return Decimal(total + current), i


def number_spans(toks: Sequence[tuple[str, str]], *, arabic: bool = False) -> list[tuple[str, int, int]]:
    """(value, first token, token after) of every number in `toks`, the
    output of `tokens` (or `_parse`: punctuation tokens end a number)."""
    key = tuple(toks)
    try:
        return list(_number_spans(key, arabic))
    except TypeError:  # tokens given as lists, which cannot key the memo
        return list(_number_spans.__wrapped__(key, arabic))


@memoised()
def _number_spans(toks: tuple[tuple[str, str], ...], arabic: bool) -> tuple[tuple[str, int, int], ...]:
    words = [t.lower() if kind == "word" else "" for kind, t in toks]
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(toks):
        kind, raw = toks[i]
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        start = i
        if kind == "num":
            scale = SCALES.get(nxt) or {"hundred": 100, "dozen": 12}.get(nxt) or (
                arabic and _ARABIC_SCALES.get(normalize_arabic(toks[i + 1][1]) if i + 1 < len(toks) else ""))
            try:
                values = _digits(raw, scaled=bool(scale), comma_decimal=arabic)
            except InvalidOperation:
                values = []
            if len(values) == 1 and scale:
                values, i = [values[0] * scale], i + 1
            found.extend((_fmt(v), start, i + 1) for v in values)
            i += 1
        elif w in VAGUE_NUMBERS:
            found.append((w, i, i + 1))
            i += 1
        elif w == "half" and (nxt in SCALES or (nxt in ("a", "an") and i + 2 < len(words)
                                                and words[i + 2] in SCALES)):
            # "half a million", "half-million": one number, not a half and a million.
            i += 1 if nxt in SCALES else 2
            found.append((_fmt(Decimal("0.5") * SCALES[words[i]]), start, i + 1))
            i += 1
        elif w in SINGLE_NUMBERS:
            found.append((_fmt(Decimal(SINGLE_NUMBERS[w])), i, i + 1))
            i += 1
        elif (w in UNITS or w in TENS or w in ORDINALS or w in SCALES or w in ("hundred", "dozen")
              or (w in ("a", "an") and (nxt in SCALES or nxt in ("hundred", "dozen")))):
            value, i = _spelled(words, i)
            found.append((_fmt(value), start, i))
        else:
            i += 1
    return tuple(found)


def numbers_in(text: str, *, arabic: bool = False) -> list[str]:
    """The numbers `text` states, as normalised values in order of first
    appearance: digits ("1,200", "1.5", "24th", "10%", "١٢٣"), spelled
    ("twelve", "twenty-five", "a dozen", "one thousand two hundred",
    ordinals), digits with a scale word ("1.2 million" = "1200000"),
    "once"/"twice", and the vague counts "dozens", "hundreds", "thousands",
    "millions", "billions" as themselves. `arabic`: the text is Arabic
    (a comma between digits is a decimal comma; Arabic scale words count)."""
    return list(_numbers_in(text, arabic))


@memoised()
def _numbers_in(text: str, arabic: bool) -> tuple[str, ...]:
    plain = to_ascii_digits(text).replace("\u066b", ".").replace("\u066c", ",")
    return tuple(dict.fromkeys(value for value, _, _ in number_spans(tokens(plain), arabic=arabic)))
