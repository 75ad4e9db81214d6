"""The translations JSONL of ``toolkit translate --format jsonl``: its rows,
the append-only writer of ``--out DIR/translation.jsonl`` and the streaming
reader a brief takes its English from, in one place.

One JSON object per line and per sentence ID, in article order::

    {"id": "4.2", "article": 4, "source_file": "/abs/path/a3.txt", "language": "ar",
     "kind": "sentence", "index": 2, "part": 0, "paragraph": 1, "source": "<Arabic>",
     "text": "<English>", "flags": [{"code": ..., "detail": ...}], "source_tokens": 31,
     "target_tokens": 27, "cached": false}

``source_file`` is the article's path resolved to an absolute one, so one
file is one article however its path was typed. A reader needs only "id"
and "text"; "source_file", "source" and "flags" are checked when present.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from .errors import InputError, IntegrityError
from .records import Article, Flag, Translation

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
            "language": article.language, "kind": s.kind,
            "index": s.index, "part": s.part, "paragraph": s.paragraph,
            "source": s.text, "text": t.text, "flags": [f.to_dict() for f in t.flags],
            "source_tokens": t.source_tokens, "target_tokens": t.target_tokens, "cached": t.cached,
        })
    return rows


def dumps_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as JSONL text, one line each (non-ASCII kept as it is)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


# -- reading -------------------------------------------------------------------

def _line_limit() -> int:
    from .fileio import max_input_bytes

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
    for field, kind in (("source_file", str), ("source", str), ("flags", list)):
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


def read_translations(path: str | Path, articles: Sequence[Article]
                      ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    """English and flags per sentence ID of `articles` from a translations
    JSONL, streamed: only the rows of these articles are kept, so the file
    may hold a whole archive. Rows are matched by "source_file" when they
    name one, else by the article number of their ID; an Arabic "source"
    that differs from the article's sentence, a sentence the article does
    not have, or a second row for one sentence is an error naming the line."""
    from .text.ids import SentenceId

    name = os.fspath(path)
    index = _ArticleIndex(articles)
    sentences = {a.number: {s.id: s for s in a.sentences} for a in articles}
    english: dict[str, str] = {}
    flags: dict[str, tuple[Flag, ...]] = {}
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
    if not total:
        raise InputError("no translations in file", name)
    if not english:
        raise InputError(f"none of its {total} translations belong to the given articles "
                         "(their source_file names other files)", name)
    return english, flags


def _flag(value: Any) -> Flag:
    if isinstance(value, dict):
        return Flag(str(value.get("code", "")), str(value.get("detail", "")))
    return Flag(str(value))


# -- writing an output directory ------------------------------------------------

DONE_NAME = ".toolkit-done.jsonl"


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _fingerprint(path: str | None) -> str | None:
    """Size and modification time of an input file: a file changed since an
    article was written makes it stale. None for stdin and the unreadable."""
    if not path or path == "-":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


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

    def _read_markers(self) -> tuple[dict[tuple[int, str], dict[str, Any]], bool]:
        """The done-markers by (article, source_file); True when a line was
        torn or unreadable (the file needs rewriting before appending)."""
        markers: dict[tuple[int, str], dict[str, Any]] = {}
        damaged = False
        path = self.done_path
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

    def _current(self, key: tuple[int, str], m: Mapping[str, Any]) -> bool:
        """Whether a marker still describes what is on disk and in the input."""
        number, source = key
        name = self.names.get(number)
        if name is None or m.get("file") != name:
            return False
        if self.sources is not None:
            item = self.sources.get(number)
            if item is None or source_key(item.source) != source:
                return False
            stamp = _fingerprint(item.path)
            if stamp is None or stamp != m.get("input"):
                return False
        try:
            data = (self.out / name).read_bytes()
        except OSError:
            return False
        return _sha256(data) == m.get("english_sha256")

    def _recover(self) -> None:
        import hashlib

        self._remove_leftovers()
        markers, damaged = self._read_markers()
        current = {k: m for k, m in markers.items() if self._current(k, m)}
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
                        key = _row_key(line)
                        if key is None or key not in current:
                            rewrite_jsonl = True
                            continue
                        hashes.setdefault(key, hashlib.sha256()).update(line)
            except OSError as exc:
                raise InputError(f"cannot read ({exc.strerror or exc})", str(path)) from None
            rows_ok = {k for k, h in hashes.items() if h.hexdigest() == current[k].get("rows_sha256")}
            rewrite_jsonl = rewrite_jsonl or len(rows_ok) != len(hashes)
            if rewrite_jsonl:
                self._rewrite(path, lambda line: _row_key(line) in rows_ok)
        if self.jsonl:
            current = {k: m for k, m in current.items() if k in rows_ok}
        if damaged or len(current) != len(markers):
            from .fileio import atomic_write_text

            atomic_write_text(self.done_path, "".join(json.dumps(m, ensure_ascii=False) + "\n"
                                                      for m in current.values()))
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
        from .fileio import atomic_write_text

        item = self.sources.get(number) if self.sources is not None else None
        if source is None and item is not None:
            source = item.source
        key = source_key(source) if source is not None else _rows_source(rows)
        data = rows.encode("utf-8")
        if self.jsonl and rows:
            self._fh = self._append(self._fh, self.jsonl_path, data)
        atomic_write_text(self.english_path(number), english)
        if key is None:
            return  # nothing to name it by: a re-run writes it again
        marker = {"article": number, "source_file": key, "file": self.names[number],
                  "english_sha256": _sha256(english.encode("utf-8")),
                  "rows_sha256": _sha256(data) if self.jsonl and rows else None,
                  "input": _fingerprint(item.path if item is not None else source)}
        self._done_fh = self._append(self._done_fh, self.done_path,
                                     (json.dumps(marker, ensure_ascii=False) + "\n").encode("utf-8"))
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


def _row_key(line: bytes) -> tuple[int, str] | None:
    try:
        row = json.loads(line)
        return int(row["article"]), str(row["source_file"])
    except (ValueError, KeyError, TypeError):
        return None


def _rows_source(rows: str) -> str | None:
    first = rows.split("\n", 1)[0]
    key = _row_key(first.encode("utf-8")) if first else None
    return key[1] if key else None


__all__ = ["JSONL_NAME", "DONE_NAME", "source_key", "article_rows", "dumps_rows", "iter_rows", "check_row",
           "read_translations", "ArchiveWriter"]
