"""The English a brief is made from (translations in JSONL, a translation
layer, or English articles) and the candidate sentences worth summarising."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InputError, IntegrityError
from ..records import Article, Flag
from ..text.ids import SentenceId


MIN_WORDS = 5
# Translation flags that make a sentence unusable as evidence.
UNUSABLE_FLAGS = frozenset({"untranslated"})

_PRONOUN_START = re.compile(r"^(?:he|she|it|they|this|these|those|that|his|her|their|its)\b", re.I)
_BACK_REFERENCE = re.compile(r"\b(?:this|these|that|those|the latter|the former)\s+(?:article|meeting|report|"
                             r"statement|document|interview|speech|message|visit|letter)\b", re.I)
_TERMINAL = re.compile(r"[.!?\"'”’»)\]]\s*$")


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
    standalone = not _PRONOUN_START.match(text) and not _BACK_REFERENCE.search(text)
    return (-len(flags), 1 if standalone else 0, 1 if balanced_quotes(text) else 0,
            1 if _TERMINAL.search(text) else 0)


def is_clear(text: str, flags: Sequence[Flag] = ()) -> bool:
    """A sentence a reader can take on its own: it names its subject (not
    "He ..."), closes its quotes, ends as a sentence, is not a fragment
    and carries no translation flag."""
    return clarity(text, flags) == (0, 1, 1, 1) and not is_fragment(text)


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


def candidates(articles: Sequence[Article], english: Mapping[str, str],
               flags: Mapping[str, Sequence[Flag]] | None = None) -> tuple[list[Unit], dict[str, list[str]]]:
    """The sentences that may enter the brief, and the IDs set aside by
    reason (``heading``, ``fragment``, ``untranslated``)."""
    flags = flags or {}
    units: list[Unit] = []
    skipped: dict[str, list[str]] = {"heading": [], "fragment": [], "untranslated": []}
    for art in articles:
        sents = art.sentences
        pieces = 0
        for k, s in enumerate(sents):
            if s.is_heading:
                skipped["heading"].append(s.id)
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
            units.append(Unit(s.id, art.number, s.index, k, k - pieces, len(sents), text, fl))
    return units, skipped


def english_from_jsonl(path: str | Path, articles: Sequence[Article]
                       ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    """English and flags per sentence ID from the JSONL of `toolkit translate
    --format jsonl`: one object per sentence with "id", "text", and
    optionally "flags" (codes or {"code", "detail"} objects), "source_file"
    and "source" (the Arabic). Rows are matched to `articles` by source
    file name when the file names them, else by ID; an Arabic "source" that
    differs from the article's sentence is an error."""
    p = Path(path)
    from ..fileio import read_file_bounded

    try:
        # A BOM from an editor is not part of line 1.
        raw = read_file_bounded(p, "translation file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read translation file ({exc})", str(p)) from None
    rows: list[tuple[int, dict[str, Any]]] = []
    first_line: dict[tuple[Any, str], int] = {}
    # JSON Lines are separated by \n only: str.splitlines() would also split
    # at U+2028/U+2029 and other characters JSON leaves unescaped in strings.
    for lineno, line in enumerate(raw.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise InputError(f"not JSON ({exc.args[0] if exc.args else exc})", str(p), lineno) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("text"), str):
            raise InputError('each line must be an object with string "id" and "text"', str(p), lineno)
        for field, kind in (("source_file", str), ("source", str), ("flags", list)):
            if obj.get(field) is not None and not isinstance(obj[field], kind):
                raise InputError(f'field "{field}" must be a {"string" if kind is str else "list"}, '
                                 f"got {type(obj[field]).__name__}", str(p), lineno)
        for flag in obj.get("flags") or ():
            if not isinstance(flag, (str, dict)):
                raise InputError('each flag must be a code string or a {"code", "detail"} object',
                                 str(p), lineno)
        # A repeated ID would let one row silently replace another's English.
        key = (obj.get("source_file") or None, obj["id"])
        if key in first_line:
            raise InputError(f"sentence ID {obj['id']} occurs twice (first on line {first_line[key]})",
                             str(p), lineno)
        first_line[key] = lineno
        rows.append((lineno, obj))
    if not rows:
        raise InputError("no translations in file", str(p))

    by_path: dict[str, Article] = {}
    names: dict[str, list[Article]] = {}
    for art in articles:
        by_path[art.source] = art
        try:
            by_path[str(Path(art.source).resolve())] = art
        except OSError:
            pass
        for key in {Path(art.source).name, art.name}:
            names.setdefault(key, []).append(art)

    def article_for(src: str) -> Article | None:
        if src in by_path:
            return by_path[src]
        try:
            resolved = str(Path(src).resolve())
        except OSError:
            resolved = src
        if resolved in by_path:
            return by_path[resolved]
        # Translated elsewhere (another directory): the file name decides when it is unique.
        found = names.get(Path(src).name) or names.get(Path(src).stem) or []
        return found[0] if len(found) == 1 else None

    by_number = {a.number: a for a in articles}
    english: dict[str, str] = {}
    flags: dict[str, tuple[Flag, ...]] = {}
    for lineno, obj in rows:
        sid = obj["id"]
        try:
            parsed = SentenceId.parse(sid)
        except ValueError as exc:
            raise InputError(str(exc), str(p), lineno) from None
        src = obj.get("source_file")
        art = None
        if isinstance(src, str) and src:
            art = article_for(src)
            if art is None:
                continue  # a translated article that is not part of this brief
        else:
            art = by_number.get(parsed.article)
            if art is None:
                continue
        target = str(SentenceId(art.number, parsed.index, parsed.part))
        sent = next((s for s in art.sentences if s.id == target), None)
        if sent is None:
            raise IntegrityError(f"{p}:{lineno}: sentence {sid} is not in {art.source} (it has "
                                 f"{len(art.sentences)} sentences); the translation is of another segmentation")
        source = obj.get("source")
        if isinstance(source, str) and source.strip() and " ".join(source.split()) != " ".join(sent.text.split()):
            raise IntegrityError(f"{p}:{lineno}: sentence {sid} was translated from other Arabic than "
                                 f"{target} of {art.source}; translate the articles again")
        if target in english:
            raise InputError(f"a second translation for sentence {target} of {art.source}", str(p), lineno)
        english[target] = obj["text"]
        flags[target] = tuple(_flag(f) for f in obj.get("flags") or ())
    if not english:
        raise InputError(f"none of its {len(rows)} translations belong to the given articles "
                         "(their source_file names other files)", str(p))
    return english, flags


def _flag(value: Any) -> Flag:
    if isinstance(value, dict):
        return Flag(str(value.get("code", "")), str(value.get("detail", "")))
    return Flag(str(value))


def load_english(source: str | Path, articles: Sequence[Article]
                 ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]], dict[str, Any]]:
    """English for `articles` from a JSONL file of `toolkit translate` or a
    reference directory (`toolkit.references`): (english, flags, manifest entry)."""
    p = Path(source)
    if p.is_dir():
        from ..references import load_references

        return load_references(p, articles), {}, {"kind": "references", "path": str(p)}
    if not p.exists():
        raise InputError("translations not found (give a JSONL file of `toolkit translate` or a "
                         "reference directory)", str(p))
    english, flags = english_from_jsonl(p, articles)
    return english, flags, {"kind": "jsonl", "path": str(p)}
