"""The rows of the translations JSONL and the names they go by."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..records import Article, Translation

JSONL_NAME = "translation.jsonl"


def source_key(source: str) -> str:
    """The name an article file goes by in the JSONL and in a resume: its
    absolute, resolved path (``<stdin>`` and other non-paths as they are)."""
    if not source or source.startswith("<"):
        return source
    try:
        return str(Path(source).resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(source)


def article_rows(article: Article, translations: Mapping[str, Translation]) -> list[dict[str, Any]]:
    """The JSONL records of one article: one per sentence ID, in order."""
    source_file = source_key(article.source)
    rows = []
    for s in article.sentences:
        t = translations[s.id]
        rows.append({
            "id": s.id, "article": article.number, "source_file": source_file,
            "language": article.language, "published": article.published.date or None, "kind": s.kind,
            "index": s.index, "part": s.part, "paragraph": s.paragraph,
            "source": s.text, "text": t.text, "flags": [f.to_dict() for f in t.flags],
            "source_tokens": t.source_tokens, "target_tokens": t.target_tokens, "cached": t.cached,
        })
    return rows


def dumps_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as JSONL text, one line each (non-ASCII kept as it is)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def row_key(line: bytes) -> tuple[int, str] | None:
    """(article, source_file) of one JSONL line: what a done-marker is
    keyed by. None for a line that is not a whole row."""
    try:
        row = json.loads(line)
        return int(row["article"]), str(row["source_file"])
    except (ValueError, KeyError, TypeError):
        return None


def rows_source(rows: str) -> str | None:
    """The source_file of serialised rows, from their first line."""
    first = rows.split("\n", 1)[0]
    key = row_key(first.encode("utf-8")) if first else None
    return key[1] if key else None

