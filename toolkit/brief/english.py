"""The English a brief is made from (translations in JSONL, a translation
layer, or English articles) and the candidate sentences worth summarising."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InputError, IntegrityError
from ..records import Article, Flag


MIN_WORDS = 5
# Translation flags that make a sentence unusable as evidence.
UNUSABLE_FLAGS = frozenset({"untranslated"})

# Also words that count against what the sentence before named ("Many more
# remain in the streets", "Others fled"), and "Nor", which continues its
# denial ("Nor, by all accounts, of politics."): the sentence needs that
# one. A linking word first ("But it has ...", "And they ...") still
# leaves the pronoun pointing back at the sentence before.
_PRONOUN_START = re.compile(r"^(?:(?:but|and|yet|so|still|however|meanwhile|now),?\s+)?"
                            r"(?:he|she|it|they|this|these|those|that|his|her|their|its|many more|others|"
                            r"the others|the rest|both|nor)\b", re.I)
_BACK_REFERENCE = re.compile(r"\b(?:this|these|that|those|the latter|the former)\s+(?:article|meeting|report|"
                             r"statement|document|interview|speech|message|visit|letter)\b", re.I)
_TERMINAL = re.compile(r"[.!?\"'”’»)\]]\s*$")
# A byline run into the text after it ("By Anthony Reuben Business
# reporter, BBC News London Mayor Boris Johnson has ..."): "By" and a
# name of two or three capitalised words, then a comma or another
# capitalised word, none of them a day, month or season ("By Christmas
# Day, the ..." is a sentence).
_NAME = r"[A-Z][a-z]*(?:['’][A-Z]?[a-z]+|-[A-Z][a-z]+)?"
_BYLINE = re.compile(rf"^By {_NAME}(?: {_NAME}){{1,2}}(?: and {_NAME}(?: {_NAME}){{1,2}})?(?:,| [A-Z])")
_NOT_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                       "june july august september october november december christmas easter new year year's eve "
                       "day night morning afternoon evening spring summer autumn fall winter end noon".split())


@dataclass(frozen=True)
class Unit:
    """One English source sentence that may enter the brief."""

    id: str
    article: int
    index: int
    order: int          # position among the article's sentences, 0-based
    # The same without the pieces of broken sentences before it: where an
    # article's opening sentence reached us broken, its first complete
    # sentence is the lead the reader meets.
    place: int
    length: int         # sentences in the article
    text: str
    flags: tuple[Flag, ...] = ()

    @property
    def position(self) -> float:
        """1.0 for the lead sentence down to near 0 for the last."""
        return 1.0 - self.order / max(self.length, 1)

    @property
    def words(self) -> int:
        return len(self.text.split())


def balanced_quotes(text: str) -> bool:
    """Every quotation the sentence opens it also closes (a quote that runs
    on into the next sentence reads as cut off on its own)."""
    return (text.count('"') % 2 == 0 and text.count("\u201c") == text.count("\u201d")
            and text.count("\u00ab") == text.count("\u00bb"))


def clarity(text: str, flags: Sequence[Flag] = ()) -> tuple[int, int, int, int]:
    """Sort key, larger is clearer: fewest translation flags, then a
    sentence that stands on its own (no leading pronoun, no "this article"
    pointing back into its source), then one whose quotes are closed
    (`balanced_quotes`), then complete."""
    return (-len(flags), 1 if stands_alone(text) else 0, 1 if balanced_quotes(text) else 0,
            1 if _TERMINAL.search(text) else 0)


def stands_alone(text: str) -> bool:
    """False for a sentence that leans on the one before it: it opens
    with a pronoun ("He added ...", "But they ..."), with "Nor", points
    back into its source ("this article"), or is one quotation and nothing
    else, whose speaker another sentence names; and for one that opens with
    its article's byline, which no reader should be shown as news."""
    return (not _PRONOUN_START.match(text) and not _BACK_REFERENCE.search(text) and not _only_quote(text)
            and not _byline(text))


def _byline(text: str) -> bool:
    m = _BYLINE.match(text)
    return bool(m) and not any(w.strip(",").lower() in _NOT_NAMES for w in m.group(0).split()[1:])


def _only_quote(text: str) -> bool:
    t = text.strip()
    marks = sum(t.count(q) for q in '"\u201c\u201d\u00ab\u00bb')
    return marks == 2 and bool(_OPENS_AT_START.search(t) and _CLOSES_AT_END.search(t))


def is_clear(text: str, flags: Sequence[Flag] = ()) -> bool:
    """A sentence a reader can take on its own: it names its subject (not
    "He ..."), closes its quotes, ends as a sentence, is not a fragment
    and carries no translation flag."""
    return clarity(text, flags) == (0, 1, 1, 1) and not is_fragment(text)


# A quotation mark opening the sentence, or closing it (after it only
# punctuation).
_OPENS_AT_START = re.compile(r'^\W*["\u201c\u00ab]')
_CLOSES_AT_END = re.compile(r'["\u201d\u00bb]\W*$')


def is_quote_piece(text: str) -> bool:
    """A sentence inside a quotation that runs over several sentences: it
    opens the quotation and leaves it open (\"At night, people take
    things.) or closes one opened earlier ("Today they are running
    wild."). On its own it names no speaker, so a reader could not tell
    whose words they are: it may support and be cited, but the brief never
    shows it. A piece that names its speaker after the quote ("…," said
    Becky Buell) is a statement."""
    t = text.strip()
    curly = t.count("\u201c") != t.count("\u201d") or t.count("\u00ab") != t.count("\u00bb")
    unbalanced = curly or t.count('"') % 2 == 1
    return unbalanced and bool(_OPENS_AT_START.search(t) or _CLOSES_AT_END.search(t))


def is_fragment(text: str, next_text: str | None = None) -> bool:
    """A piece of a sentence rather than a statement: too short, starting in
    lower case (the tail of a broken sentence), or followed by such a tail."""
    t = text.strip()
    if len(t.split()) < MIN_WORDS:
        return True
    first = next((c for c in t if c.isalpha()), "")
    if first and first.islower():
        return True
    if next_text:
        nxt = next((c for c in next_text.strip() if c.isalpha()), "")
        if nxt and nxt.islower():
            return True
    return False


# A sentence opening an article that is about a day this long before the
# article's date is no news of that day.
ARCHIVE_MIN_DAYS = 365


def is_archive_note(text: str, published: str) -> bool:
    """A sentence about a day ARCHIVE_MIN_DAYS or more before the article's
    date (`published`, ISO; never for an undated article): where it opens
    an article it is a photo caption or an archive note ("Air France
    A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28,
    2007." above a report of May 2010), not the article's lead."""
    from datetime import date

    from ..text.datetext import find_dates

    if not published:
        return False
    day = date.fromisoformat(published)
    for found in find_dates(text):
        if found.year is None:
            continue
        try:
            when = date(found.year, found.month, found.day)
        except ValueError:
            continue
        if (day - when).days >= ARCHIVE_MIN_DAYS:
            return True
    return False


# A caption runs on ("The aircraft was destroyed in …") in the words of a
# lead: the rest of a short paragraph that opens on an archive note is no
# lead either.
CAPTION_MAX_SENTENCES = 2


def caption_ids(art: Article, english: Mapping[str, str]) -> dict[str, bool]:
    """The photo caption or archive note `art` opens on, by sentence ID:
    its first sentence when `is_archive_note` (True: set aside), and the
    rest of its paragraph when that paragraph is short and not the
    article's last (False: kept, but never the lead)."""
    body = [s for s in art.sentences if not s.is_heading]
    if not body or not is_archive_note(" ".join(str(english.get(body[0].id, "")).split()), art.published.date):
        return {}
    para = [s for s in body if s.paragraph == body[0].paragraph]
    if len(para) <= CAPTION_MAX_SENTENCES and any(s.paragraph > body[0].paragraph for s in body):
        return {s.id: s is body[0] for s in para}
    return {body[0].id: True}


def brief_units(articles: Sequence[Article], english: Mapping[str, str],
               flags: Mapping[str, Sequence[Flag]] | None = None) -> tuple[list[Unit], dict[str, list[str]]]:
    """The sentences that may enter the brief, and the IDs set aside by
    reason (``heading``, ``fragment``, ``untranslated``, ``caption``: the
    dated sentence of `caption_ids`)."""
    flags = flags or {}
    units: list[Unit] = []
    skipped: dict[str, list[str]] = {"heading": [], "fragment": [], "untranslated": [], "caption": []}
    for art in articles:
        sents = art.sentences
        pieces = 0
        captions = caption_ids(art, english)
        for k, s in enumerate(sents):
            if s.is_heading:
                skipped["heading"].append(s.id)
                # A caption or headline run into the lead's line is a piece
                # of that line: the lead keeps its place. A title on a line
                # of its own stays a line before it.
                if k + 1 < len(sents) and sents[k + 1].paragraph == s.paragraph:
                    pieces += 1
                continue
            if s.id not in english:
                raise IntegrityError(f"{art.source}: no English for sentence {s.id}; the translations do not cover "
                                     "this article (translate it again or check --translations)")
            text = " ".join(str(english[s.id]).split())
            fl = tuple(flags.get(s.id, ()))
            if not text or any(f.code in UNUSABLE_FLAGS for f in fl):
                skipped["untranslated"].append(s.id)
                continue
            nxt = None
            if k + 1 < len(sents) and not sents[k + 1].is_heading:
                nxt = english.get(sents[k + 1].id)
            if is_fragment(text, nxt):
                skipped["fragment"].append(s.id)
                pieces += 1
                continue
            if s.id in captions:
                pieces += 1
                if captions[s.id]:
                    skipped["caption"].append(s.id)
                    continue
                # what the caption says after its date may be a fact of the
                # story, but it is not the article's lead: it keeps no lead
                # prior and the news below takes the lead's place
                units.append(Unit(s.id, art.number, s.index, k, len(sents), len(sents), text, fl))
                continue
            units.append(Unit(s.id, art.number, s.index, k, k - pieces, len(sents), text, fl))
    return units, skipped


def english_from_jsonl(path: str | Path, articles: Sequence[Article]
                       ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    """English and flags per sentence ID of `articles` from the JSONL of
    `toolkit translate --format jsonl` (see `toolkit.translations`)."""
    from ..translations import read_translations

    return read_translations(path, articles)


def load_english(source: str | Path, articles: Sequence[Article]
                 ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]], dict[str, Any], dict[int, tuple[str, int]]]:
    """English for `articles` from a JSONL file of `toolkit translate` or a
    reference directory (`toolkit.references`): (english, flags, manifest
    entry, dates), the dates being what the JSONL's "published" fields give
    (article number -> (ISO date, line); `toolkit.text.dates.field_dates`)."""
    p = Path(source)
    if p.is_dir():
        from ..references import load_references

        return load_references(p, articles), {}, {"kind": "references", "path": str(p)}, {}
    if not p.exists():
        raise InputError("translations not found (give a JSONL file of `toolkit translate` or a "
                         "reference directory)", str(p))
    from ..translations import scan_translations

    found = scan_translations(p, articles)
    return found.english, found.flags, {"kind": "jsonl", "path": str(p)}, found.published
