"""An article's language from its script: Arabic, to be translated, or
English, passed through."""
from __future__ import annotations

import re

from ..text.arabic import ARABIC_SCRIPT

ARABIC_CHAR = re.compile(ARABIC_SCRIPT)
ARABIC, ENGLISH, AUTO = "ar", "en", "auto"
LANGUAGES = (AUTO, ARABIC, ENGLISH)
# Shares of the letters in the cleaned text. An article is English when at
# least EN_MIN_LATIN of its letters are Latin, else Arabic when at least
# AR_MIN_ARABIC are Arabic; anything else (another script, or an even mix)
# is processed as Arabic with a warning. Arabic script leaves most vowels
# unwritten, so the same content takes fewer Arabic letters than Latin ones:
# an Arabic article quoting English names, titles or even whole sentences
# keeps far more than 30% Arabic letters, and English wire copy quoting an
# Arabic name or slogan in Arabic script keeps far more than 70% Latin ones
# (measured margins in README, "English sources").
EN_MIN_LATIN = 0.7
AR_MIN_ARABIC = 0.3
_LATIN_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def script_shares(text: str) -> tuple[int, float, float]:
    """(letters, Arabic share, Latin share) of the letters in `text`."""
    letters = arabic = latin = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if ARABIC_CHAR.match(c):
                arabic += 1
            elif _LATIN_SCRIPT.match(c):
                latin += 1
    if not letters:
        return 0, 0.0, 0.0
    return letters, arabic / letters, latin / letters


def detect_language(text: str) -> str | None:
    """"en" when the letters are mostly Latin, "ar" when enough are Arabic,
    None for neither (another script, an even mix, or no letters)."""
    letters, arabic, latin = script_shares(text)
    if letters and latin >= EN_MIN_LATIN:
        return ENGLISH
    if letters and arabic >= AR_MIN_ARABIC:
        return ARABIC
    return None


# The commonest function words of the Latin-script languages most often met
# beside English in news. Function words make up a large share of any
# running text and differ between these languages, so counting them tells
# the language of an article-length text apart (bench/language_detect.py).
FUNCTION_WORDS = {
    ENGLISH: "the of and to in is that for on with was as by at from it are be this have has said were which".split(),
    "fr": "le la les des du et est une un dans pour que qui sur au aux par pas sont avec ce il elle ont été".split(),
    "es": "el la los las del y es una un en para que por con se su al lo como más pero fue han sido".split(),
    "de": "der die das und ist nicht ein eine mit von den dem zu im auf für sich des auch wird wurde sind".split(),
    "it": "il la le di che è per una un del della non con sono gli nel alla dei anche ha come".split(),
    "pt": "o a os as de do da dos das e é um uma em para que com não por no na foi são".split(),
    "nl": "de het een en van is dat op te in voor met zijn niet aan er ook door werd wordt".split(),
}
LANGUAGE_NAMES = {"fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese",
                  "nl": "Dutch", ENGLISH: "English", ARABIC: "Arabic"}
_LATIN_WORD = re.compile(r"[a-zà-ÿ]+(?:'[a-zà-ÿ]+)?")


def latin_language(text: str) -> str:
    """The language of Latin-script `text` whose function words it uses
    most ("en", "fr", ...); "en" where it has none of them."""
    words = _LATIN_WORD.findall(text.lower())
    counts = {lang: 0 for lang in FUNCTION_WORDS}
    sets = {lang: frozenset(ws) for lang, ws in FUNCTION_WORDS.items()}
    for w in words:
        for lang, ws in sets.items():
            if w in ws:
                counts[lang] += 1
    best = max(counts, key=lambda lang: (counts[lang], lang == ENGLISH))
    return best if counts[best] > counts[ENGLISH] else ENGLISH
