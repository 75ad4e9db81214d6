"""Arabic- and English-aware sentence segmentation with stable IDs.

A cleaned article is a sequence of paragraphs (one per line). A paragraph
that looks like a heading becomes one heading unit; any other paragraph is
split at sentence ends (. ! ? ؟ …). Whether a full stop ends a sentence is
decided from the words on either side of it: numbers, titles before a name,
abbreviations before a number, initials before a capitalised name and
dotted acronyms before a word that continues the sentence keep it going; an
era letter after a year (``1990 م.``) ends it. Quotations are split like
any other text, each quote mark staying with the sentence it opens or
closes. An ellipsis inside a paragraph is a pause. Arabic commas and
semicolons never end a sentence.

A sentence whose estimated token count is over the budget is cut further at
clause boundaries (، ؛ : ;), then at spaces, and as a last resort inside a
word, so no later stage ever has to truncate; the pieces keep the sentence
ID with a part number (``2.7.1``, ``2.7.2``) and their spans tile the
sentence exactly.
"""
from __future__ import annotations

import bisect
import math
import re
from typing import Callable, Iterator, Sequence

from ..records import HEADING, SENTENCE, Sentence
from .arabic import ARABIC_LETTER, normalize_arabic
from .ids import SentenceId

# Marian models (opus-mt-ar-en, opus-mt-tc-big-ar-en) accept 512 tokens. The
# estimate below over-counts: on FLORES-200 devtest Arabic and the seed
# articles it was never below the real opus-mt-ar-en token count (see
# tests/test_segment.py::test_estimate_is_an_upper_bound), so a budget of 448
# estimated tokens stays below the 512 real ones with a margin.
DEFAULT_MAX_TOKENS = 448

TERMINATORS = ".!?؟…"
# Characters that may follow a terminator and still belong to the sentence.
CLOSERS = "\"'”’»)]}›"
OPENERS = "\"'“‘«([{‹"
HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 120
# The longest first paragraph read as a title when a heading follows it.
TITLE_MAX_WORDS = 2 * HEADING_MAX_WORDS
# The fewest words of a heading-like line that is a whole article by itself.
FLASH_MIN_WORDS = 5
LANGUAGES = ("ar", "en")

# Titles before a name: never a sentence end when a word follows.
_TITLES = {
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "brig",
    "sgt", "cpl", "pvt", "gov", "sen", "rep", "rev", "fr", "hon", "pres", "supt", "insp", "st", "mt",
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

_ARABIC_LETTER = re.compile(ARABIC_LETTER)
_LATIN_LETTER = re.compile("[A-Za-z]")
_DIGIT = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")
_CLAUSE_BREAK = re.compile(r"[،؛;:]\s*|,\s+")
_SPACE_RUN = re.compile(r"\s+")
_WHITESPACE = re.compile(r"\s")


def estimate_tokens(text: str) -> int:
    """A fast, conservative estimate of the subword tokens a Marian/NLLB
    sentencepiece model produces for `text` (end-of-sentence included)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    digits = len(_DIGIT.findall(text))
    spaces = len(_WHITESPACE.findall(text))
    other = len(text) - arabic - latin - digits - spaces
    words = len(text.split())
    return math.ceil(0.55 * arabic + 1.0 * latin + 1.0 * digits + 1.0 * other + 0.5 * words) + 1


def is_heading(line: str) -> bool:
    """Short line without sentence-final punctuation: a headline or a
    section title inside an article. A closing quote or bracket at the end
    does not make it a sentence (`كيم: "العلاقات تدخل فترة جديدة"`)."""
    stripped = line.strip().rstrip(CLOSERS).strip()
    if not stripped or stripped[-1] in TERMINATORS or stripped[-1] in "،,؛;":
        return False
    return len(stripped) <= HEADING_MAX_CHARS and len(stripped.split()) <= HEADING_MAX_WORDS


_TERMINATOR = re.compile("[" + re.escape(TERMINATORS) + "]")
# Longest word looked at before a dot: bounds the work per dot, so a run of
# dots without spaces stays linear.
_MAX_TOKEN = 24


def _is_arabic(ch: str) -> bool:
    return bool(_ARABIC_LETTER.match(ch))


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
    return bool(word) and all(_DIGIT.match(c) or c in ".,/-" for c in word) and bool(_DIGIT.match(word[0]))


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
    starts_digit = bool(first) and bool(_DIGIT.match(first))
    # "1. " opening a paragraph or following a sentence end: a list marker.
    if token.isdigit() and len(token) <= 2 and not text[floor:start].strip():
        return False
    if _LATIN_LETTER.match(token[-1]) or "." in token and _LATIN_LETTER.match(token[0]):
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
        self.at = {kinds: [k for k, c in enumerate(text) if c in kinds] for kinds in set(_PAIRED.values())}

    def closes(self, k: int) -> bool:
        """Whether the quote mark or bracket at k closes a quotation."""
        ch = self.text[k]
        kinds = _PAIRED.get(ch)
        if kinds is None:
            return ch in CLOSERS
        return bisect.bisect_left(self.at[kinds], k) % 2 == 1


def _sentence_ends(text: str, language: str = "ar") -> Iterator[int]:
    """Offsets just past each sentence end inside one paragraph."""
    n = len(text)
    done = 0
    floor = 0  # start of the current sentence
    quotes = _Quotes(text)
    for m in _TERMINATOR.finditer(text):
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


def _quote_ends(text: str) -> Iterator[int]:
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


# A headline pasted in front of the first sentence of its paragraph:
# `بوتين: "العلاقات تدخل فترة جديدة" وصل الرئيس …`. Only the form
# "speaker: quotation" at the very start of a paragraph is taken, because a
# quotation closing without a full stop is otherwise part of the sentence.
_GLUED_HEADLINE = re.compile(
    '\\s*([^\\s:.!?؟…"«“”»]+(?:[ \\t]+[^\\s:.!?؟…"«“”»]+){0,3})[ \\t]*:[ \\t]*'
    '(["«“”])[^"«»“”.!?؟…]{1,%d}(["»”“])(?=[ \\t]+[^\\s،,؛;:.\\-–—])' % HEADING_MAX_CHARS)
# Verbs of saying: "قال الوزير: «…»" opens a sentence, not a headline.
_SPEECH_VERBS = {
    "قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "أوضح", "أوضحت", "صرح", "صرحت", "تابع", "تابعت",
    "أعلن", "أعلنت", "كتب", "كتبت", "ذكر", "ذكرت", "أشار", "أشارت", "شدد", "شددت", "اعتبر", "اعتبرت",
    "رأى", "رأت", "أفاد", "أفادت", "قائلا", "قائلة", "مضيفا", "مضيفة", "مؤكدا", "مؤكدة", "موضحا", "موضحة",
    "يقول", "تقول", "said", "says", "told", "added", "stated", "wrote", "declared", "asked",
}


# A wire dateline ("Saturday, March 26, 2005") run into the lead sentence
# when the line break after it was lost; what follows must open a sentence.
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_GLUED_DATELINE = re.compile(
    rf"\s*(?:(?:{_WEEKDAYS}),[ \t]+)?(?:{_MONTHS})[ \t]+\d{{1,2}},[ \t]+\d{{4}}[ \t]*(?=[\"“(]?[A-Z])")


def _glued_headline(line: str) -> int:
    """Length of a "speaker: quotation" headline or a dateline glued to the
    start of a paragraph, or 0."""
    m = _GLUED_DATELINE.match(line)
    if m is not None and len(line[m.end():].split()) >= 4 and _TERMINATOR.search(line, m.end()):
        return m.end()
    m = _GLUED_HEADLINE.match(line)
    if m is None:
        return 0
    for word in m.group(1).split():
        word = word.lower()
        if word in _SPEECH_VERBS or word[:1] in "وف" and word[1:] in _SPEECH_VERBS:
            return 0
    head = line[:m.end()]
    if len(head.split()) > HEADING_MAX_WORDS:
        return 0
    rest = line[m.end():]
    # What follows must be a sentence of its own, ended by a terminator.
    if len(rest.split()) < 4 or not _TERMINATOR.search(rest):
        return 0
    return m.end()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_points(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    return [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]


def _fit(text: str, start: int, end: int, max_tokens: int,
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
        s, e = _strip_span(text, bounds[a], bounds[b])
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
        s, e = _strip_span(text, s, e)
        if s < e:
            result.extend(_fit(text, s, e, max_tokens, count_tokens))
    return result


def _is_title(text: str, paragraphs: Sequence[Sequence[tuple[int, int, str]]]) -> bool:
    """Whether the article's first paragraph is its title although it reads
    as a sentence: one sentence of at most TITLE_MAX_WORDS words, followed by
    its date line (a heading line with a digit in it). Titles often end with
    a full stop (after an abbreviation, or added by a translator) or run past
    HEADING_MAX_WORDS; a lead paragraph is followed by more text, or at most
    by a section title."""
    if len(paragraphs) < 2 or len(paragraphs[0]) != 1 or len(paragraphs[1]) != 1:
        return False
    if not any(kind == SENTENCE for p in paragraphs[2:] for _, _, kind in p):
        return False  # nothing after it but headings: a one-sentence article (a flash) and its date
    (s, e, kind), (ds, de, after) = paragraphs[0][0], paragraphs[1][0]
    return (kind == SENTENCE and after == HEADING and len(text[s:e].split()) <= TITLE_MAX_WORDS
            and _DIGIT.search(text, ds, de) is not None)


def _is_flash(text: str, paragraphs: Sequence[Sequence[tuple[int, int, str]]]) -> bool:
    """Whether a first line read as a heading is the whole story: an article
    of that line alone (or with a date line after it) and no sentence,
    whose line is long enough to state something (FLASH_MIN_WORDS words).
    A breaking-news flash often has no full stop; a menu has more lines."""
    if not paragraphs or len(paragraphs) > 2 or len(paragraphs[0]) != 1:
        return False
    if any(kind == SENTENCE for p in paragraphs for _, _, kind in p):
        return False
    s, e, _ = paragraphs[0][0]
    return len(text[s:e].split()) >= FLASH_MIN_WORDS


def segment(text: str, article: int, *, max_tokens: int = DEFAULT_MAX_TOKENS,
            count_tokens: Callable[[str], int] = estimate_tokens,
            language: str = "ar") -> tuple[Sentence, ...]:
    """Split a cleaned article (paragraphs separated by newlines) into
    sentences numbered from 1, with spans into `text`. `language` is "ar"
    (Arabic, the default) or "en" (English); the rules are shared, English
    also splits after an ellipsis before a capitalised word."""
    if max_tokens < 8:
        raise ValueError("max_tokens must be at least 8")
    language = language.lower()
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r} (expected one of {', '.join(LANGUAGES)})")
    paragraphs: list[list[tuple[int, int, str]]] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        if is_heading(line):
            spans = [(*_strip_span(text, line_start, line_start + len(line)), HEADING)]
        else:
            spans = []
            prev = _glued_headline(line)
            if prev:
                spans.append((line_start, line_start + prev, HEADING))
            body = line[prev:]
            last = 0
            ends = _sentence_ends(body, language)
            if language == "ar":
                ends = sorted(set(ends) | set(_quote_ends(body)))  # type: ignore[assignment]
            for end in ends:
                spans.append((line_start + prev + last, line_start + prev + end, SENTENCE))
                last = end
            if last < len(body):
                spans.append((line_start + prev + last, line_start + len(line), SENTENCE))
            spans = [(*_strip_span(text, s, e), k) for s, e, k in spans]
        paragraphs.append([span for span in spans if span[0] < span[1]])
    if _is_title(text, paragraphs):
        paragraphs[0] = [(paragraphs[0][0][0], paragraphs[0][0][1], HEADING)]
    elif _is_flash(text, paragraphs):
        paragraphs[0] = [(paragraphs[0][0][0], paragraphs[0][0][1], SENTENCE)]
    sentences: list[Sentence] = []
    index = 0
    for paragraph, spans in enumerate(paragraphs, 1):
        for s, e, kind in spans:
            index += 1
            pieces = _fit(text, s, e, max_tokens, count_tokens)
            for part, (ps, pe) in enumerate(pieces, 1):
                multi = len(pieces) > 1
                sentences.append(Sentence(
                    id=str(SentenceId(article, index, part if multi else None)),
                    article=article, index=index, text=text[ps:pe], start=ps, end=pe,
                    kind=kind, paragraph=paragraph, part=part if multi else None,
                ))
    return tuple(sentences)


def split_to_budget(text: str, max_tokens: int,
                    count_tokens: Callable[[str], int] = estimate_tokens) -> list[str]:
    """Cut one sentence into pieces that each fit `max_tokens` as counted by
    `count_tokens` (e.g. a model's real tokenizer); the pieces, joined with
    the whitespace between them, give back `text`."""
    s, e = _strip_span(text, 0, len(text))
    if s >= e:
        return []
    return [text[a:b] for a, b in _fit(text, s, e, max_tokens, count_tokens)]
