"""The translations JSONL of ``toolkit translate --format jsonl``: its rows,
the append-only writer of ``--out DIR/translation.jsonl`` and the streaming
reader a brief takes its English from, in one place.

One JSON object per line and per sentence ID, in article order::

    {"id": "4.2", "article": 4, "source_file": "/abs/path/a3.txt", "language": "ar",
     "published": "2010-01-12", "kind": "sentence", "index": 2, "part": 0, "paragraph": 1, "source": "<Arabic>",
     "text": "<English>", "flags": [{"code": ..., "detail": ...}], "source_tokens": 31,
     "target_tokens": 27, "cached": false}

``source_file`` is the article's path resolved to an absolute one, so one
file is one article however its path was typed. ``published`` is the
article's publication date (null when it has none); a brief reading the
file takes it as the article's date, as ``--date`` gives one. A reader
needs only "id" and "text"; "source_file", "source", "flags" and
"published" are checked when present.
"""
from __future__ import annotations

from .markers import DONE_NAME
from .reader import JsonlTranslations, check_row, iter_rows, read_translations, scan_translations
from .rows import JSONL_NAME, article_rows, dumps_rows, source_key
from .writer import ArchiveWriter

__all__ = ["JSONL_NAME", "DONE_NAME", "source_key", "article_rows", "dumps_rows", "iter_rows", "check_row",
           "read_translations", "scan_translations", "JsonlTranslations", "ArchiveWriter"]
