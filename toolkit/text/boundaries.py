"""Where sentences end inside one paragraph: full stops judged from the
words on either side, ellipses, quotation marks (see `toolkit.text.segment`
for the rules in words)."""
from __future__ import annotations

import bisect
import re
from typing import Iterator

from .arabic import ARABIC_LETTER, normalize_arabic

# "۔" is the full stop of Urdu (and of some Persian typing).
TERMINATORS = ".!?؟…۔"
# Characters that may follow a terminator and still belong to the sentence.
CLOSERS = "\"'”’»)]}›"
OPENERS = "\"'“‘«([{‹"

# Titles before a name: never a sentence end when a word follows.
_TITLES = {
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "brig",
    "sgt", "cpl", "pvt", "gov", "sen", "rep", "rev", "fr", "hon", "pres", "supt", "insp", "st", "mt",
    "spc", "spec", "pfc", "msgr", "atty", "gens", "sens", "reps",
    "e.g", "i.e", "cf", "vs", "viz", "approx", "ca", "dept", "est",
}
# Abbreviations that stand before a number: "No. 5", "Jan. 12", "p. 3".
_BEFORE_NUMBER = {
    "no", "nos", "nr", "vol", "vols", "p", "pp", "art", "fig", "figs", "ch", "chap", "sec", "para", "ed",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel", "ext",
}
# Frequent first words of English sentences: after "U.S." or "etc." such a
# word starts a new sentence; any other capitalised word ("U.S. Army")
# continues the current one.
_SENTENCE_STARTERS = {
    "a", "an", "the", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our",
    "this", "that", "these", "those", "there", "here", "in", "on", "at", "but", "and", "or", "so", "as",
    "if", "when", "while", "after", "before", "however", "meanwhile", "since", "although", "then",
    "some", "many", "most", "according", "officials", "one", "no", "mr", "mrs", "ms", "dr",
}
# Arabic one-letter abbreviations after a year: م (AD), هـ (AH), ق.م (BC).
_ERAS = {"م", "هـ", "ه", "ق.م", "ق.هـ"}
# Words that continue a sentence after an era letter: "من 1990 م. إلى 2000 م."
_ERA_CONTINUATIONS = {"إلى", "الى", "حتى", "وحتى", "وإلى", "والى", "الموافق", "الموافق:", "-", "–", "—", "،"}

ARABIC_LETTER_RE = re.compile(ARABIC_LETTER)
LATIN_LETTER = re.compile("[A-Za-z]")
DIGIT = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")


TERMINATOR = re.compile("[" + re.escape(TERMINATORS) + "]")
# Longest word looked at before a dot: bounds the work per dot, so a run of
# dots without spaces stays linear.
_MAX_TOKEN = 24


def _is_arabic(ch: str) -> bool:
    return bool(ARABIC_LETTER_RE.match(ch))


_TOKEN_TAIL = re.compile("[^\\s" + re.escape(OPENERS) + "]*\\Z")
_NEXT_WORD = re.compile("\\s*(?:[" + re.escape(OPENERS) + "]\\s*)*(\\S{0,%d})" % _MAX_TOKEN)


def _token_before(text: str, i: int, floor: int) -> tuple[str, int]:
    """The word that ends at offset i (no opening quotes), and its start."""
    m = _TOKEN_TAIL.search(text, max(floor, i - _MAX_TOKEN), i)
    start = m.start() if m else i
    return text[start:i], start


def _word_after(text: str, j: int) -> str:
    """The next word after offset j, opening quotes and brackets removed."""
    m = _NEXT_WORD.match(text, j)
    return m.group(1) if m else ""


def _previous_word(text: str, start: int, floor: int) -> str:
    j = start
    while j > floor and text[j - 1].isspace():
        j -= 1
    return _token_before(text, j, floor)[0]


def _is_number(word: str) -> bool:
    return bool(word) and all(DIGIT.match(c) or c in ".,/-" for c in word) and bool(DIGIT.match(word[0]))


def _dot_is_boundary(text: str, i: int, floor: int, nxt: str) -> bool:
    """Whether a single '.' at i, followed by closers and a space, ends a
    sentence; the evidence is the word before it and `nxt`, the word after
    it."""
    token, start = _token_before(text, i, floor)
    if not token:
        return True
    low = token.lower()
    first = nxt[:1]
    starts_upper = first.isupper()
    starts_digit = bool(first) and bool(DIGIT.match(first))
    # "1. " opening a paragraph or following a sentence end: a list marker.
    if token.isdigit() and len(token) <= 2 and not text[floor:start].strip():
        return False
    if LATIN_LETTER.match(token[-1]) or "." in token and LATIN_LETTER.match(token[0]):
        if low in _TITLES:
            return not nxt
        if low in _BEFORE_NUMBER and starts_digit:
            return False
        if len(token) == 1:
            # "J. Smith", "George W. Bush": an initial before a capitalised
            # word, unless that word usually opens a sentence ("World War I.
            # The"); "لحرف u." before Arabic text ends the sentence.
            if not (token.isupper() and starts_upper):
                return True
            word = nxt.strip("\"'“”‘’«»()[],;:").lower()
            return len(word) > 1 and not nxt.endswith(".") and word in _SENTENCE_STARTERS
        if "." in token:
            # "U.S.", "a.m.": a new sentence only if a usual first word follows.
            word = nxt.strip("\"'“”‘’«»()[],;:").lower()
            return starts_upper and word in _SENTENCE_STARTERS and not nxt.isupper()
        return True
    if _is_arabic(token[0]):
        if token in _ERAS or token.rstrip("ـ") in _ERAS:
            if _is_number(_previous_word(text, start, floor)):
                return nxt not in _ERA_CONTINUATIONS
            return False
        parts = token.replace("ـ", "").split(".")
        if len(parts) <= 2 and all(len(p) == 1 for p in parts):
            # Title or reference before a name or a number: د. أحمد، ص. 5،
            # أ.د. A longer dotted name (أ.ف.ب.) is an agency or a body and
            # ends a sentence like any word.
            return False
    return True


# Quote marks whose direction is read from how many of the same kind came
# before in the paragraph: '"' always, and “ ” because Arabic text typed
# right to left often has them the wrong way round (”المستعد“).
_PAIRED = {'"': '"', "“": "“”", "”": "“”"}


class _Quotes:
    """Positions of ambiguous quote marks in one paragraph."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Most paragraphs have no marks of a kind: not looked for character by character.
        self.at = {kinds: [k for k, c in enumerate(text) if c in kinds] if any(q in text for q in kinds) else []
                   for kinds in set(_PAIRED.values())}

    def closes(self, k: int) -> bool:
        """Whether the quote mark or bracket at k closes a quotation."""
        ch = self.text[k]
        kinds = _PAIRED.get(ch)
        if kinds is None:
            return ch in CLOSERS
        return bisect.bisect_left(self.at[kinds], k) % 2 == 1


def sentence_ends(text: str, language: str = "ar") -> Iterator[int]:
    """Offsets just past each sentence end inside one paragraph."""
    n = len(text)
    done = 0
    floor = 0  # start of the current sentence
    quotes = _Quotes(text)
    for m in TERMINATOR.finditer(text):
        i = m.start()
        if i < done:
            continue
        j = i
        while j < n and text[j] in TERMINATORS:
            j += 1
        run = text[i:j]
        # Closing quotes and brackets stay with the sentence they close, also
        # when set off by a space ('الحالي. " وقال'); an opening one goes with
        # the next sentence ('الأرواح. " لإنقاذ').
        while j < n and (text[j] in CLOSERS or text[j] in "“"):
            if not (quotes.closes(j) or j + 1 == n or text[j + 1].isspace()):
                break
            j += 1
        if (j + 2 < n and text[j] == " " and text[j + 1] in CLOSERS + "“" and quotes.closes(j + 1)
                and text[j + 2].isspace()) or (j + 2 == n and text[j] == " " and text[j + 1] in CLOSERS):
            j += 2
        done = j
        if j == n:
            return
        if not text[j].isspace():
            # "3.5", "U.S.A", "example.com": no sentence end. Two Arabic words
            # joined by a full stop are a missing space: "العاصمة.وقال".
            # Not between one-letter abbreviations: "أ.د.".
            if (i > 0 and (_is_arabic(text[i - 1]) and len(_token_before(text, i, floor)[0]) > 1
                           or text[i - 1] in CLOSERS)
                    and (_is_arabic(text[j]) and len(_word_after(text, j).split(".")[0]) > 1
                         or text[j] in "«“\"" and not quotes.closes(j))):
                floor = j
                yield j
            continue
        nxt = _word_after(text, j)
        if not nxt:
            continue
        if nxt[0].islower() or nxt[0] in TERMINATORS:
            # "he asked", "i.e." after "?"; a stray second full stop.
            continue
        if run == ".":
            if not _dot_is_boundary(text, i, floor, nxt):
                continue
        elif set(run) <= {".", "…"} and run != "..":
            # An ellipsis inside a paragraph marks a pause or an omission; it
            # ends the sentence only where a quotation closes with it, or, in
            # English, before a capitalised word.
            preceded_by_space = i > 0 and text[i - 1].isspace()
            if preceded_by_space or not (j > i + len(run) or language == "en" and nxt[0].isupper()):
                continue
        floor = j
        yield j


# After a quotation that closes without a full stop ('… في ذلك" وأضاف أن …'),
# a new sentence starts with "و" and a past-tense verb of saying: Arabic
# news opens its next sentence that way, while words that continue a
# sentence after a quote are prepositions, "أن", nouns, or the verb alone as
# the quote's attribution ('"…" قال الوزير'). Measured in
# bench/segment_quality.py (FLORES Wikinews, MultiLing articles).
_QUOTE_OPENERS = frozenset(normalize_arabic("و" + v) for v in (
    "قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "أوضح", "أوضحت", "صرح", "صرحت", "تابع", "تابعت",
    "أعلن", "أعلنت", "كتب", "كتبت", "ذكر", "ذكرت", "أشار", "أشارت", "شدد", "شددت", "اعتبر", "اعتبرت",
    "رأى", "رأت", "أفاد", "أفادت"))
_QUOTE_THEN_WORD = re.compile('(["”»])[ \\t]+(\\S{1,%d})' % _MAX_TOKEN)


# Words a sentence or a heading never ends with: the line after them goes
# on with it (English articles, prepositions and conjunctions; Arabic
# prepositions and particles).
CARRY_ON = frozenset(
    "a an the of to in on at by for with from into and or but nor that than as about after before over "
    "under between against during".split()
    + "في من إلى الى على عن مع أن ان إن بين حول لدى عند منذ حتى ضد بعد قبل خلال و".split())


def opens_sentence(word: str) -> bool:
    """Whether `word` is one that news sentences open with, so that it
    starts a new sentence after a line without a sentence end: a usual first
    word of English sentences, capitalised ("The", "He"), or an Arabic verb
    of saying after "و" ("وأكد", "وقال")."""
    word = word.lstrip(OPENERS)
    if word[:1].isupper() and not word.isupper():
        return word.strip("\"'“”‘’«»()[],;:").lower() in _SENTENCE_STARTERS
    return normalize_arabic(word.rstrip("،,:")) in _QUOTE_OPENERS


# English words that open a sentence and, capitalised after a word in small
# letters and before another, mark a sentence end the text lost: a caption
# or headline run into the lead in copy taken from a web page ("... on the
# roads The smell can be ..."). Not "A" ("influenza A virus", "Plan A
# was"), nor names or titles: the word after must be in small letters.
_RUN_ON_STARTERS = ("the this these those it he she they we there his her its their our in but some many most "
                    "however meanwhile according with every when while after before").split()
_RUN_ON = re.compile(r"(?<=[a-z0-9%])[ \t]+(?=(?:" + "|".join(w.capitalize() for w in _RUN_ON_STARTERS)
                     + r")[ \t]+[a-z])")
# Fewest words before such a point: a dateline's "2 May 2011 The ..." ends
# there; one or two words ("1146 A spokesman", a live blog's clock) do not.
RUN_ON_MIN_WORDS = 3
# Words that are capitalised only in a title ("his This Is It tour").
_TITLE_WORDS = frozenset("is are was a an the of and in on at to for it this".split())


def run_on_ends(text: str) -> Iterator[int]:
    """Offsets inside one English paragraph where a sentence ends without a
    mark (`_RUN_ON`): at least RUN_ON_MIN_WORDS words since the last such
    point, outside a quotation, not inside a capitalised title."""
    last = 0
    for m in _RUN_ON.finditer(text):
        left = text[last:m.start()]
        words = left.split()
        if len(words) < RUN_ON_MIN_WORDS or text[:m.start()].count('"') % 2:
            continue
        if words[-1][:1].isupper() and words[-1].lower() in _TITLE_WORDS:
            continue
        last = m.start()
        yield last


def quote_ends(text: str) -> Iterator[int]:
    """Offsets just past a closing quotation mark that ends a sentence
    without a terminator: a new sentence clearly starts after it."""
    quotes = None
    for m in _QUOTE_THEN_WORD.finditer(text):
        k = m.start(1)
        if k == 0 or text[k - 1] in TERMINATORS or text[k - 1].isspace():
            continue  # a terminator's sentence end, or an opening mark
        if normalize_arabic(m.group(2)) not in _QUOTE_OPENERS:
            continue
        quotes = quotes or _Quotes(text)
        if quotes.closes(k):
            yield k + 1
