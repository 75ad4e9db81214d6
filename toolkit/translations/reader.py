"""Reading a translations JSONL: line by line, checked, matched to articles."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import InputError, IntegrityError
from ..records import Article, Flag
from .rows import source_key

def _line_limit() -> int:
    from ..fileio import max_input_bytes

    return max_input_bytes()


def iter_rows(path: str | Path, what: str = "translation file") -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) for each non-blank line of a translations JSONL,
    read one line at a time: a file of any size, each line at most the
    input limit. Types are checked here; a bad line is an input error that
    names the file and line."""
    name = os.fspath(path)
    limit = _line_limit()
    try:
        if os.path.isdir(name):
            raise InputError(f"{what}: is a directory, expected a file", name)
        fh = open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"cannot read {what} (no such file)", name) from None
    except OSError as exc:
        raise InputError(f"cannot read {what} ({exc.strerror or exc})", name) from None
    with fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline(limit + 1)
            except OSError as exc:
                raise InputError(f"cannot read {what} ({exc.strerror or exc})", name) from None
            if not raw:
                return
            lineno += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise InputError(f"{what}: larger than the input limit of {limit / (1024 * 1024):.3g} MB in one "
                                 "line; raise the limit (TOOLKIT_MAX_INPUT_MB or max_input_mb in the config "
                                 "file)", name, lineno)
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a BOM from an editor is not part of line 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"cannot read {what} ({exc})", name, lineno) from None
            # JSON Lines are separated by \n only: U+2028 and the like may
            # stand unescaped inside strings.
            if not line.strip():
                continue
            yield lineno, check_row(line, name, lineno)


def check_row(line: str, name: str, lineno: int) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise InputError(f"not JSON ({exc.args[0] if exc.args else exc})", name, lineno) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("text"), str):
        raise InputError('each line must be an object with string "id" and "text"', name, lineno)
    for field, kind in (("source_file", str), ("source", str), ("flags", list), ("published", str)):
        if obj.get(field) is not None and not isinstance(obj[field], kind):
            raise InputError(f'field "{field}" must be a {"string" if kind is str else "list"}, '
                             f"got {type(obj[field]).__name__}", name, lineno)
    for flag in obj.get("flags") or ():
        if not isinstance(flag, (str, dict)):
            raise InputError('each flag must be a code string or a {"code", "detail"} object', name, lineno)
    return obj


class _ArticleIndex:
    """Finds the article a row's "source_file" names among `articles`."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.by_path: dict[str, Article] = {}
        self.names: dict[str, list[Article]] = {}
        self.by_number = {a.number: a for a in articles}
        for art in articles:
            self.by_path[art.source] = art
            self.by_path[source_key(art.source)] = art
            for key in {Path(art.source).name, art.name}:
                self.names.setdefault(key, []).append(art)
        self._memo: dict[str, Article | None] = {}

    def find(self, src: str) -> Article | None:
        if src not in self._memo:
            art = self.by_path.get(src) or self.by_path.get(source_key(src))
            if art is None:
                # Translated elsewhere (another directory): the file name decides when it is unique.
                found = self.names.get(Path(src).name) or self.names.get(Path(src).stem) or []
                art = found[0] if len(found) == 1 else None
            self._memo[src] = art
        return self._memo[src]


@dataclass
class JsonlTranslations:
    """What a translations JSONL holds for some articles: English and flags
    per sentence ID, and each article's "published" date where its rows
    give one (article number -> (ISO date, line it was read from))."""

    english: dict[str, str] = field(default_factory=dict)
    flags: dict[str, tuple[Flag, ...]] = field(default_factory=dict)
    published: dict[int, tuple[str, int]] = field(default_factory=dict)


def read_translations(path: str | Path, articles: Sequence[Article]
                      ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    """English and flags per sentence ID of `articles` from a translations
    JSONL (`scan_translations`)."""
    found = scan_translations(path, articles)
    return found.english, found.flags


def scan_translations(path: str | Path, articles: Sequence[Article]) -> JsonlTranslations:
    """English, flags and dates of `articles` from a translations JSONL,
    streamed: only the rows of these articles are kept, so the file may
    hold a whole archive. Rows are matched by "source_file" when they name
    one, else by the article number of their ID; an Arabic "source" that
    differs from the article's sentence, a sentence the article does not
    have, a second row for one sentence, or a "published" that is no
    YYYY-MM-DD date or differs from another row's of the same article is an
    error naming the line."""
    from ..text.ids import SentenceId

    name = os.fspath(path)
    index = _ArticleIndex(articles)
    sentences = {a.number: {s.id: s for s in a.sentences} for a in articles}
    found = JsonlTranslations()
    english, flags = found.english, found.flags
    first: dict[str, tuple[int, str]] = {}
    total = 0
    for lineno, obj in iter_rows(name):
        total += 1
        sid = obj["id"]
        try:
            parsed = SentenceId.parse(sid)
        except ValueError as exc:
            raise InputError(str(exc), name, lineno) from None
        src = obj.get("source_file")
        art = index.find(src) if isinstance(src, str) and src else index.by_number.get(parsed.article)
        if art is None:
            continue  # a translated article that is not part of this brief
        target = str(SentenceId(art.number, parsed.index, parsed.part))
        if target in first:
            line, was = first[target]
            if was == sid:
                raise InputError(f"sentence ID {sid} occurs twice (first on line {line})", name, lineno)
            raise InputError(f"a second translation for sentence {target} of {art.source} (first on line {line})",
                             name, lineno)
        sent = sentences[art.number].get(target)
        if sent is None:
            raise IntegrityError(f"{name}:{lineno}: sentence {sid} is not in {art.source} (it has "
                                 f"{len(art.sentences)} sentences); the translation is of another segmentation")
        source = obj.get("source")
        if isinstance(source, str) and source.strip() and " ".join(source.split()) != " ".join(sent.text.split()):
            raise IntegrityError(f"{name}:{lineno}: sentence {sid} was translated from other Arabic than "
                                 f"{target} of {art.source}; translate the articles again")
        first[target] = (lineno, sid)
        english[target] = obj["text"]
        flags[target] = tuple(_flag(f) for f in obj.get("flags") or ())
        if obj.get("published"):
            _note_published(found.published, art, obj["published"], name, lineno)
    if not total:
        raise InputError("no translations in file", name)
    if not english:
        raise InputError(f"none of its {total} translations belong to the given articles "
                         "(their source_file names other files)", name)
    return found


def _note_published(published: dict[int, tuple[str, int]], art: Article, value: str, name: str,
                    lineno: int) -> None:
    from ..text.dates import parse_iso_date

    try:
        day = parse_iso_date(value).isoformat()
    except ValueError as exc:
        raise InputError(f'field "published": {exc}', name, lineno) from None
    was = published.setdefault(art.number, (day, lineno))
    if was[0] != day:
        raise InputError(f'"published" {day} for {art.source}, but line {was[1]} gives {was[0]}', name, lineno)


def _flag(value: Any) -> Flag:
    if isinstance(value, dict):
        return Flag(str(value.get("code", "")), str(value.get("detail", "")))
    return Flag(str(value))

