"""Articles read once: a file's cleaned text and sentences are kept by its
bytes, so a story briefed again, or grown by a few articles, reads and
cleans only what is new. A story of hundreds of articles spends seconds
reading its files, more than any single step of a brief of it.

The key holds everything `reader.parse` reads besides the bytes (the
source name, which may carry the date and the format; the language and
token budget asked for) and a digest of the toolkit's own code, so an article
read by another version of the reader is never reused."""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Sequence

from ..records import Article, Published, Removed, Sentence
from ..store import JsonTable

CACHE_FILE = "articles.sqlite3"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the toolkit's Python files: the reader, the cleaner, the
    segmenter and everything they call. Any change to the code reads every
    article again; a hand-kept version number could be forgotten."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_key(data: bytes, source: str, options: Sequence[Any]) -> str:
    """The cache key of one file's bytes read as `source` with `options`."""
    head = json.dumps([code_digest(), source, list(options)], ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(head + b"\0" + data).hexdigest()


def to_json(article: Article) -> dict[str, Any]:
    return {"source": article.source, "text": article.text, "encoding": article.encoding, "fmt": article.fmt,
            "warnings": list(article.warnings), "language": article.language,
            "published": article.published.to_dict(), "reading": list(article.reading),
            "removed": [[r.line, r.text, r.reason] for r in article.removed],
            "sentences": [[s.id.partition(".")[2], s.index, s.text, s.start, s.end, s.kind, s.paragraph, s.part]
                          for s in article.sentences]}


def from_json(data: dict[str, Any], number: int) -> Article:
    """The article `to_json` wrote, numbered `number`: a file's sentence IDs
    follow its place among the files given, not the run that cached it."""
    sentences = tuple(Sentence(id=f"{number}.{within}", article=number, index=index, text=text, start=start,
                               end=end, kind=kind, paragraph=paragraph, part=part)
                      for within, index, text, start, end, kind, paragraph, part in data["sentences"])
    return Article(number=number, source=data["source"], text=data["text"], sentences=sentences,
                   removed=tuple(Removed(line, text, reason) for line, text, reason in data["removed"]),
                   encoding=data["encoding"], fmt=data["fmt"], warnings=tuple(data["warnings"]),
                   language=data["language"], published=Published(**data["published"]),
                   reading=tuple(data["reading"]))


class ArticleCache:
    """The articles table of one cache file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._table = JsonTable(path, "articles", "article", "article")

    def lookup(self, keys: Sequence[str]) -> dict[str, Any]:
        """The cached article data of those `keys` the cache holds
        (`cached_article` reads each as the article of its place in a run)."""
        return self._table.lookup(keys, lambda data: data)

    def write(self, rows: dict[str, Article]) -> None:
        self._table.write({key: to_json(a) for key, a in rows.items()})


def cached_article(data: Any, number: int) -> Article | None:
    """`from_json` of cached `data`; None when there is none or it is not
    an article this reader wrote (read from its file again)."""
    if data is None:
        return None
    try:
        return from_json(data, number)
    except (KeyError, TypeError, ValueError):
        return None


def open_cache(cache_dir: Path | None = None) -> ArticleCache:
    """The article cache under `cache_dir` (default: the toolkit's)."""
    from .. import config

    return ArticleCache((cache_dir or config.cache_dir()) / CACHE_FILE)


__all__ = ["CACHE_FILE", "ArticleCache", "article_key", "cached_article", "code_digest", "from_json", "open_cache",
           "to_json"]
