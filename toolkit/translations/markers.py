"""The done-markers of an output directory (``DIR/.toolkit-done.jsonl``):
one line per finished article, saying what was written and from which
input, so a re-run can tell a complete, current article from one a kill
interrupted or an input that changed since."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from .rows import source_key

DONE_NAME = ".toolkit-done.jsonl"

Key = tuple[int, str]


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def fingerprint(path: str | None) -> str | None:
    """Size and modification time of an input file: a file changed since an
    article was written makes it stale. None for stdin and the unreadable."""
    if not path or path == "-":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def marker(number: int, key: str, file: str, english: str, rows: bytes | None, input_path: str | None
           ) -> dict[str, Any]:
    """The done-marker of one article; `rows` are its JSONL records, None
    when the directory has no JSONL."""
    return {"article": number, "source_file": key, "file": file,
            "english_sha256": sha256(english.encode("utf-8")),
            "rows_sha256": sha256(rows) if rows is not None else None,
            "input": fingerprint(input_path)}


def read_markers(path: Path) -> tuple[dict[Key, dict[str, Any]], bool]:
    """The done-markers by (article, source_file); True when a line was
    torn or unreadable (the file needs rewriting before appending)."""
    markers: dict[Key, dict[str, Any]] = {}
    damaged = False
    if not path.exists():
        return markers, False
    try:
        with open(path, "rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    damaged = True
                    break
                try:
                    m = json.loads(line)
                    key = (int(m["article"]), str(m["source_file"]))
                except (ValueError, KeyError, TypeError):
                    damaged = True
                    continue
                markers[key] = m
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", str(path)) from None
    return markers, damaged


def is_current(out: Path, names: Mapping[int, str], sources: Mapping[int, Any] | None,
               key: Key, m: Mapping[str, Any]) -> bool:
    """Whether a marker still describes what is on disk in `out` and in the
    input (`sources` as ArchiveWriter takes them; None: not checked)."""
    number, source = key
    name = names.get(number)
    if name is None or m.get("file") != name:
        return False
    if sources is not None:
        item = sources.get(number)
        if item is None or source_key(item.source) != source:
            return False
        stamp = fingerprint(item.path)
        if stamp is None or stamp != m.get("input"):
            return False
    try:
        data = (out / name).read_bytes()
    except OSError:
        return False
    return sha256(data) == m.get("english_sha256")


def dumps_markers(markers: Any) -> str:
    return "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in markers)
