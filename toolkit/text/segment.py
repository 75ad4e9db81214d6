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

import re
from typing import Callable, Sequence

from ..records import HEADING, SENTENCE, Sentence
from .boundaries import CLOSERS, DIGIT, TERMINATOR, TERMINATORS, quote_ends, run_on_ends, sentence_ends
from .budget import DEFAULT_MAX_TOKENS, estimate_tokens, fit_spans, strip_span
# Where callers have always found them.
from .boundaries import OPENERS  # noqa: F401
from .budget import split_to_budget  # noqa: F401
from .datetext import leading_dateline
from .ids import SentenceId

HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 120
# The longest first paragraph read as a title when a heading follows it.
TITLE_MAX_WORDS = 2 * HEADING_MAX_WORDS
# The fewest words of a heading-like line that is a whole article by itself.
FLASH_MIN_WORDS = 5
LANGUAGES = ("ar", "en")


def _body_spans(body: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the sentences of a paragraph's body. A caption
    or headline run into the next English sentence (`run_on_ends`) is a
    heading when it is one by itself."""
    run_on: set[int] = set()
    if language == "ar":
        ends = sorted(set(sentence_ends(body, language)) | set(quote_ends(body)))
    else:
        run_on = set(run_on_ends(body))
        ends = sorted(set(sentence_ends(body, language)) | run_on)
    spans, last = [], 0
    for end in ends:
        spans.append((last, end, HEADING if end in run_on and is_heading(body[last:end]) else SENTENCE))
        last = end
    if last < len(body):
        spans.append((last, len(body), SENTENCE))
    return spans


def is_heading(line: str) -> bool:
    """Short line without sentence-final punctuation: a headline or a
    section title inside an article. A closing quote or bracket at the end
    does not make it a sentence (`كيم: "العلاقات تدخل فترة جديدة"`)."""
    stripped = line.strip().rstrip(CLOSERS).strip()
    if not stripped or stripped[-1] in TERMINATORS or stripped[-1] in "،,؛;":
        return False
    return len(stripped) <= HEADING_MAX_CHARS and len(stripped.split()) <= HEADING_MAX_WORDS

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


def _glued_headline(line: str) -> int:
    """Length of a "speaker: quotation" headline or a dateline (a wire
    dateline, or a date whose line break was lost; `leading_dateline`)
    opening a paragraph, or 0."""
    dateline = leading_dateline(line)
    if dateline is not None:
        return dateline.end
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
    if len(rest.split()) < 4 or not TERMINATOR.search(rest):
        return 0
    return m.end()

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
            and DIGIT.search(text, ds, de) is not None)


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
            spans = [(*strip_span(text, line_start, line_start + len(line)), HEADING)]
        else:
            spans = []
            prev = _glued_headline(line)
            if prev:
                spans.append((line_start, line_start + prev, HEADING))
            base = line_start + prev
            spans += [(base + s, base + e, k) for s, e, k in _body_spans(line[prev:], language)]
            spans = [(*strip_span(text, s, e), k) for s, e, k in spans]
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
            pieces = fit_spans(text, s, e, max_tokens, count_tokens)
            for part, (ps, pe) in enumerate(pieces, 1):
                multi = len(pieces) > 1
                sentences.append(Sentence(
                    id=str(SentenceId(article, index, part if multi else None)),
                    article=article, index=index, text=text[ps:pe], start=ps, end=pe,
                    kind=kind, paragraph=paragraph, part=part if multi else None,
                ))
    return tuple(sentences)
