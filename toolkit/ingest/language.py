"""An article's language from its script: Arabic, to be translated, or
English, passed through."""
from __future__ import annotations

import re
from collections import Counter

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
    # Each distinct character judged once: an article is thousands of
    # characters of a few dozen kinds.
    for c, k in Counter(text).items():
        if c.isalpha():
            letters += k
            if ARABIC_CHAR.match(c):
                arabic += k
            elif _LATIN_SCRIPT.match(c):
                latin += k
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


# The commonest function words of the languages most often met beside
# English and Arabic in news, by script. Function words make up a large
# share of any running text and differ between these languages, so counting
# them tells the language of an article-length text apart
# (bench/language_detect.py). Words two languages of a script share ("de",
# "en", "و", "به") are left out of the lists.
FUNCTION_WORDS = {
    ENGLISH: "the of and to in is that for on with was as by at from it are be this have has said were which".split(),
    "fr": "le la les des du et est une un dans pour que qui sur au aux par pas sont avec ce il elle ont été".split(),
    "es": "el la los las del y es una un en para que por con se su al lo como más pero fue han sido".split(),
    "de": "der die das und ist nicht ein eine mit von den dem zu im auf für sich des auch wird wurde sind".split(),
    "it": "il la le di che è per una un del della non con sono gli nel alla dei anche ha come".split(),
    "pt": "o a os as de do da dos das e é um uma em para que com não por no na foi são".split(),
    "nl": "de het een en van is dat op te in voor met zijn niet aan er ook door werd wordt".split(),
    "tr": "ve bir bu için ile olarak olan çok daha gibi ama ise sonra kadar göre şu ki değil".split(),
    ARABIC: "في من على إلى الى أن التي الذي عن مع هذا هذه كان قد لا ما بين وقال كما".split(),
    "fa": "است را از با این که می برای های شد کرد آن یک خود شده نیز بر".split(),
    "ur": "کے کی ہے میں اور کو سے نے پر یہ ہیں کا تھا گیا".split(),
}
# The languages told apart within each script; the first is the one a text
# without any of the listed words is taken to be.
SCRIPT_LANGUAGES = {ENGLISH: (ENGLISH, "fr", "es", "de", "it", "pt", "nl", "tr"), ARABIC: (ARABIC, "fa", "ur")}
LANGUAGE_NAMES = {"fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese",
                  "nl": "Dutch", "tr": "Turkish", "fa": "Persian", "ur": "Urdu", ENGLISH: "English", ARABIC: "Arabic"}
_WORD = re.compile(r"\w+(?:'\w+)?")
# Persian and Urdu write yeh and kaf with their own letters (ی ک), which
# some Arabic sites also use: both are read as the Arabic letters, so that
# only the words decide.
_FOLD = str.maketrans({"ی": "ي", "ک": "ك"})
_SETS = {lang: frozenset(w.translate(_FOLD) for w in words) for lang, words in FUNCTION_WORDS.items()}


def _languages_of() -> dict[str, tuple[str, ...]]:
    """Each function word -> the languages it is one of."""
    out: dict[str, tuple[str, ...]] = {}
    for lang, words in _SETS.items():
        for w in words:
            out[w] = out.get(w, ()) + (lang,)
    return out


_LANGUAGES_OF = _languages_of()


def written_language(text: str, script: str) -> str:
    """The language of `text`, written in the script of `script` ("en":
    Latin, "ar": Arabic), whose function words it uses most: "fr", "fa", ...;
    `script` itself where no other language has more of them."""
    languages = SCRIPT_LANGUAGES[script]
    counts = dict.fromkeys(languages, 0)
    # Each word looked up once, not once per language.
    for w in _WORD.findall(text.lower().translate(_FOLD)):
        for lang in _LANGUAGES_OF.get(w, ()):
            if lang in counts:
                counts[lang] += 1
    best = max(languages, key=lambda lang: (counts[lang], lang == script))
    return best if counts[best] > counts[script] else script


def latin_language(text: str) -> str:
    """The language of Latin-script `text` ("en", "fr", ...)."""
    return written_language(text, ENGLISH)
