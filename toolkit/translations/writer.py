"""The append-only writer of an output directory: ``DIR/translation.jsonl``,
``DIR/<name>.en.txt`` and the done-markers, written as results arrive and
recovered after a kill."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from .markers import DONE_NAME, dumps_markers, is_current, marker, read_markers
from .rows import JSONL_NAME, dumps_rows, row_key, rows_source, source_key


class ArchiveWriter:
    """The per-article files of ``--out DIR``, written as results arrive.

    For each article, in this order: its records are appended to
    ``DIR/translation.jsonl`` (with `jsonl`) in one write and flushed to
    disk; its English goes to ``DIR/<name>.en.txt`` by atomic rename; and a
    done-marker line goes to ``DIR/.toolkit-done.jsonl``, flushed to disk,
    holding the SHA-256 of the English file and of the records and the
    size and time of the input file. A kill at any point leaves at most the
    last article without its marker.

    `sources` (article number to an object with ``source``, the name in
    the records, and ``path``, the file it was read from) lets a re-run
    notice an input that changed since.

    Opening the writer on a directory from an earlier run trusts an article
    only when its marker is there and the disk agrees with it: the English
    file has the hash, the records are there with theirs, the input file
    is the same path (resolved) with the same size and time. The records of
    every other article, and a torn last line, are removed, so a re-run
    writes them again exactly once and the directory ends as an
    uninterrupted run would have left it.
    """

    def __init__(self, out: Path, names: Mapping[int, str], *, jsonl: bool = False, background: int = 0,
                 sources: Mapping[int, Any] | None = None) -> None:
        self.out = Path(out)
        self.names = dict(names)
        self.sources = dict(sources) if sources is not None else None
        self.jsonl = jsonl
        self._fh: Any = None
        self._done_fh: Any = None
        # With `background`, writes (each ends in an fsync) run on one thread
        # while the caller translates the next chunk; at most that many wait.
        self._depth = background
        self._pool: Any = None
        self._pending: Any = None
        self._done: set[tuple[int, str]] = set()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create output directory ({exc.strerror or exc})", str(self.out)) from None
        self._recover()

    @property
    def jsonl_path(self) -> Path:
        return self.out / JSONL_NAME

    @property
    def done_path(self) -> Path:
        return self.out / DONE_NAME

    def english_path(self, number: int) -> Path:
        return self.out / self.names[number]

    def written(self, source: Any) -> bool:
        """True when `source`'s outputs (an object with ``number`` and
        ``source``) are complete and current from an earlier run."""
        return (source.number, source_key(source.source)) in self._done

    # -- recovery ----------------------------------------------------------

    def _recover(self) -> None:
        import hashlib

        self._remove_leftovers()
        markers, damaged = read_markers(self.done_path)
        current = {k: m for k, m in markers.items()
                   if is_current(self.out, self.names, self.sources, k, m)}
        path = self.jsonl_path
        rows_ok: set[tuple[int, str]] = set()
        rewrite_jsonl = False
        if path.exists():
            # First pass: the hash of each article's records as they stand.
            hashes: dict[tuple[int, str], Any] = {}
            try:
                with open(path, "rb") as src:
                    for line in src:
                        if not line.endswith(b"\n"):
                            rewrite_jsonl = True  # torn last append
                            break
                        key = row_key(line)
                        if key is None or key not in current:
                            rewrite_jsonl = True
                            continue
                        hashes.setdefault(key, hashlib.sha256()).update(line)
            except OSError as exc:
                raise InputError(f"cannot read ({exc.strerror or exc})", str(path)) from None
            rows_ok = {k for k, h in hashes.items() if h.hexdigest() == current[k].get("rows_sha256")}
            rewrite_jsonl = rewrite_jsonl or len(rows_ok) != len(hashes)
            if rewrite_jsonl:
                self._rewrite(path, lambda line: row_key(line) in rows_ok)
        if self.jsonl:
            current = {k: m for k, m in current.items() if k in rows_ok}
        if damaged or len(current) != len(markers):
            from ..fileio import atomic_write_text

            atomic_write_text(self.done_path, dumps_markers(current.values()))
        self._done = set(current)

    def _remove_leftovers(self) -> None:
        """Temporary files a killed run left behind: those of its atomic
        writes (``.<name>.<random>.tmp``) and of a recovery."""
        ours = {JSONL_NAME, DONE_NAME, *self.names.values()}
        try:
            for p in self.out.glob(".*.tmp"):
                name = p.name[1:-len(".tmp")]
                if name.rsplit(".", 1)[0] in ours or name == f"{JSONL_NAME}.recover":
                    p.unlink()
        except OSError:
            pass  # only untidy: the next run overwrites or ignores them

    @staticmethod
    def _rewrite(path: Path, keep: Any) -> None:
        tmp = path.with_name(f".{path.name}.recover.tmp")
        try:
            with open(path, "rb") as src, open(tmp, "wb") as dst:
                for line in src:
                    if line.endswith(b"\n") and keep(line):
                        dst.write(line)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise InputError(f"cannot read or repair ({exc.strerror or exc})", str(path)) from None

    # -- writing -----------------------------------------------------------

    def write(self, result: Any) -> None:
        """Write one finished article (an object with ``number``, ``source``,
        ``rows()`` and ``english()``)."""
        rows = dumps_rows(result.rows()) if self.jsonl else ""
        self.write_serialised(result.number, rows, result.english(), source=result.source)

    def write_serialised(self, number: int, rows: str, english: str, source: str | None = None) -> None:
        """`write` for an article whose records are already JSONL text."""
        if not self._depth:
            self.write_text(number, rows, english, source)
            return
        if self._pool is None:
            from collections import deque
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
            self._pending = deque()
        # One thread, so files are written in the order they were given.
        self._pending.append(self._pool.submit(self.write_text, number, rows, english, source))
        while len(self._pending) > self._depth or (self._pending and self._pending[0].done()):
            self._pending.popleft().result()  # a write error surfaces here

    def write_text(self, number: int, rows: str, english: str, source: str | None = None) -> None:
        """Write one article from its JSONL records (already serialised) and
        English, then its done-marker."""
        from ..fileio import atomic_write_text

        item = self.sources.get(number) if self.sources is not None else None
        if source is None and item is not None:
            source = item.source
        key = source_key(source) if source is not None else rows_source(rows)
        data = rows.encode("utf-8")
        if self.jsonl and rows:
            self._fh = self._append(self._fh, self.jsonl_path, data)
        atomic_write_text(self.english_path(number), english)
        if key is None:
            return  # nothing to name it by: a re-run writes it again
        done = marker(number, key, self.names[number], english, data if self.jsonl and rows else None,
                      item.path if item is not None else source)
        self._done_fh = self._append(self._done_fh, self.done_path, dumps_markers([done]).encode("utf-8"))
        self._done.add((number, key))

    @staticmethod
    def _append(fh: Any, path: Path, data: bytes) -> Any:
        try:
            if fh is None:
                fh = open(path, "ab")
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        except OSError as exc:
            raise InputError(f"cannot write ({exc.strerror or exc})", str(path)) from None
        return fh

    def close(self) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
            for fh in (self._fh, self._done_fh):
                if fh is not None:
                    fh.close()
            self._fh = self._done_fh = None

    def __enter__(self) -> "ArchiveWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

