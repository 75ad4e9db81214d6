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
