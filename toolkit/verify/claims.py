"""Reading a claim's words: content keys (lower-cased, lightly stemmed),
names, event classes and reversing words."""
from __future__ import annotations

from ..text.memo import memoised
from ..text.numbers import NUMBER_WORDS, tokens
from .words import ATTRIBUTION, EVENT_OF, IGNORED, IRREGULAR, LIGHT, NEGATIONS, REVERSAL_WORDS, STOP, SYNONYMS


def _words(text: str) -> list[str]:
    return [t for kind, t in tokens(text) if kind == "word"]


# A story's words repeat thousands of times, in every pair the brief judges
# and every sentence the verifier checks: each word is keyed once.
@memoised()
def stem_word(word: str) -> str:
    """A light stem, enough for hope/hoped/hoping/hopes or stop/stopped to
    meet; irregular past forms of common verbs map to the verb."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = IRREGULAR.get(w.strip("'"), w.strip("'"))
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if (w.endswith(suffix) and len(w) - len(suffix) >= 3
                    and not (suffix == "s" and w.endswith(("ss", "us", "is")))):
                w = w[: -len(suffix)]
                if suffix == "s" and w.endswith("ing") and len(w) >= 6:  # "meetings"
                    w = w[:-3]
                break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


def _event(word: str) -> str | None:
    return EVENT_OF.get(word.lower())


@memoised()
def content_key(word: str) -> str | None:
    """The comparison key of a content word, or None for words that carry
    no checked content (function, attribution, hedge, number words)."""
    lw = word.lower()
    if lw in IGNORED or IRREGULAR.get(lw) in IGNORED or lw in NUMBER_WORDS or lw.endswith("n't"):
        return None
    cls = _event(lw)
    if cls:
        return "event:" + cls
    key = stem_word(SYNONYMS.get(lw, lw))
    return key if len(key) > 2 and key not in _IGNORED_STEMS else None


# Inflected attribution and light verbs ("takes", "stresses") are ignored
# too; function words only as written ("evening" is no "even").
_IGNORED_STEMS = frozenset(stem_word(w) for w in ATTRIBUTION | LIGHT)


def content_words(text: str) -> set[str]:
    """Comparison keys of the content words of `text`: lower-cased, lightly
    stemmed; words of one event class share the key ``event:<class>``."""
    return {k for k in map(content_key, _words(text)) if k}


def name_key(w: str, k: int) -> str | None:
    """The name key of word `w`, the k-th word of its sentence (see `names`)."""
    # Only whether the word is the first, or after it, tells.
    return _name_key(w, (k > 0) - (k < 0))


@memoised()
def _name_key(w: str, k: int) -> str | None:
    lw = w.lower()
    if len(w) > 1 and w.isupper() and lw not in NUMBER_WORDS:
        return lw  # an acronym: "US" is not the pronoun "us"
    if k > 0 and w == "May":
        return "may"  # the month; the verb is lower-case there
    if not w[0].isupper() or lw in STOP or lw in NUMBER_WORDS:
        return None
    if k == 0 and (lw in IGNORED or _event(lw)):
        return None
    return stem_word(w)


def names(text: str) -> set[str]:
    """Names, places, days and months, lower-cased and stemmed: capitalised
    words after the first, and the first word when it is capitalised and no
    function, attribution or number word ("Iranian drones hit ..." names
    Iranian; "The army said ..." names nothing); acronyms ("US", "UN")
    wherever they stand."""
    return {key for k, w in enumerate(_words(text)) for key in [name_key(w, k)] if key}


def known_keys(evidence: str) -> set[str]:
    """Every word of the evidence in the forms a name is compared in."""
    words = _words(evidence)
    return {w.lower() for w in words} | {stem_word(w) for w in words}


def events(text: str) -> dict[str, list[str]]:
    """Event class -> the words of `text` in it (see `EVENT_CLASSES`)."""
    out: dict[str, list[str]] = {}
    for w in _words(text):
        cls = _event(w)
        if cls and w.lower() not in out.setdefault(cls, []):
            out[cls].append(w.lower())
    return out


def reversals(text: str) -> set[str]:
    return {w.lower() for w in _words(text) if w.lower() in REVERSAL_WORDS or w.lower().endswith("n't")}


def negations(text: str) -> set[str]:
    return {w for w in reversals(text) if w in NEGATIONS or w.endswith("n't")}


def coverage(sentence: str, evidence: str) -> float:
    """Share of the sentence's content words found in the evidence (1.0 for
    a sentence without content words)."""
    words = content_words(sentence)
    if not words:
        return 1.0
    return len(words & content_words(evidence)) / len(words)


def new_words(sentence: str, evidence: str) -> list[str]:
    """The sentence's content words the evidence lacks, as written, in order."""
    have = content_words(evidence)
    out: list[str] = []
    for w in _words(sentence):
        key = content_key(w)
        if key and key not in have and w.lower() not in out:
            out.append(w.lower())
    return out


def stopword(word: str) -> bool:
    """A function word (never a content word of a claim)."""
    return word.lower() in STOP


def past_form(word: str) -> bool:
    """A past tense or past participle: regular "-ed" or a common irregular
    form ("signed", "met", "struck")."""
    w = word.lower()
    return (len(w) >= 5 and w.endswith("ed")) or (w in IRREGULAR and IRREGULAR[w] != w)
