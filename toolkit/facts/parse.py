"""Sentences to `Reading`s, parsed once: each reading is cached by the
pipeline's name and version and the sentence's text, so a brief run again,
or over a story that grew by a few articles, parses only what is new."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Sequence

from ..store import JsonTable
from .model import Reading

CACHE_FILE = "facts.sqlite3"
# Raised whenever what a reading holds or how it is read changes, so old
# readings are never mixed with new ones.
READER_VERSION = "13"
# Sentences per spaCy batch: large enough for the parser to batch well,
# small enough to report progress.
BATCH = 256
# Sentences to parse before a second process pays: starting one costs a
# fork and a batch's round trip.
PER_PROCESS = 1000


def _key(pipeline: str, text: str) -> str:
    return hashlib.sha256("\0".join((READER_VERSION, pipeline, text)).encode("utf-8")).hexdigest()


class ReadingCache:
    """The readings table of one cache file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._table = JsonTable(path, "readings", "reading", "fact")

    def lookup(self, keys: Sequence[str]) -> dict[str, Reading]:
        # A damaged or foreign row is parsed again.
        return self._table.lookup(keys, Reading.from_json)

    def present(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` the cache holds, their readings left unread."""
        return self._table.present(keys)

    def write(self, rows: dict[str, Reading]) -> None:
        self._table.write({key: r.to_json() for key, r in rows.items()})


def processes(sentences: int) -> int:
    """spaCy processes to parse `sentences` with: one unless the
    ``threads`` setting asks for more, then one per PER_PROCESS sentences
    up to that many. Not more by default: on a busy machine a second
    process parsed the 300-article story no sooner and cost a fifth more
    CPU, and each one holds a copy of the brief's memory that it writes
    to (docs/benchmarks.md, "A developing story at scale")."""
    from .. import config

    wanted = max(0, int(config.get("threads") or 0)) or 1
    return max(1, min(wanted, sentences // PER_PROCESS))


def _cache(cache_dir: Path | None) -> ReadingCache:
    from .. import config

    return ReadingCache((cache_dir or config.cache_dir()) / CACHE_FILE)


def _cached(texts: Sequence[str], pid: str, cache: ReadingCache | None
            ) -> tuple[dict[str, str], dict[str, Reading], list[str]]:
    """(cache key of each distinct text, the readings `cache` holds, the
    distinct texts it lacks, in order) for the pipeline `pid`."""
    keys = _keys(texts, pid)
    found = cache.lookup(list(keys.values())) if cache is not None else {}
    readings = {t: found[k] for t, k in keys.items() if k in found}
    return keys, readings, [t for t in keys if t not in readings]


def _keys(texts: Sequence[str], pid: str) -> dict[str, str]:
    """The cache key of each distinct text, in order."""
    return {t: _key(pid, t) for t in dict.fromkeys(texts)}


def read_sentences(texts: Sequence[str], *, nlp: Any = None, cache_dir: Path | None = None, use_cache: bool = True,
                   progress: Callable[[int, int], None] | None = None) -> list[Reading]:
    """The `Reading` of each of `texts`, in order. `nlp`: a loaded spaCy
    pipeline (default: `toolkit.facts.nlp.load()`); readings come from the
    cache under `cache_dir` (default `toolkit.config.cache_dir()`) where
    they are there; `progress(done, total)` is called as sentences are
    parsed."""
    from .nlp import installed_id, load, pipeline_id
    from .reading import read_doc

    # A brief whose sentences are all cached never loads the pipeline.
    pid = pipeline_id(getattr(nlp, "meta", {}) or {}) if nlp is not None else installed_id()
    cache = _cache(cache_dir) if use_cache else None
    keys, readings, todo = _cached(texts, pid, cache)
    if todo and nlp is None:
        nlp = load()
    batch: dict[str, Reading] = {}
    if todo and progress is not None:
        progress(0, len(todo))
    docs = nlp.pipe(todo, batch_size=BATCH, n_process=processes(len(todo))) if todo else ()
    for k, doc in enumerate(docs):
        batch[todo[k]] = readings[todo[k]] = read_doc(doc)
        # Written a batch at a time: a run stopped half way keeps what it read.
        if len(batch) == BATCH or k + 1 == len(todo):
            if cache is not None:
                cache.write({keys[t]: r for t, r in batch.items()})
            batch = {}
            if progress is not None:
                progress(k + 1, len(todo))
    return [readings[t] for t in texts]


def parse_ahead(texts: Sequence[str], *, cache_dir: Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> Callable[[], None]:
    """Start parsing those of `texts` whose readings are not cached, in a
    forked process that fills the cache while the caller does other work
    (a brief embeds its sentences meanwhile: on two cores the pipeline's
    load and the parse take no time of their own). Returns a function that
    waits for that process; `read_sentences` then finds the readings
    cached. Nothing is started where every reading is cached, the machine
    has one core, the ``threads`` setting is 1, fork is not available or
    the pipeline is not installed; a child that fails leaves its sentences
    to `read_sentences`, which reports what went wrong. `progress(done,
    total)` hears of the parse while the caller waits for it."""
    from .. import config
    from ..errors import ModelUnavailable
    from .nlp import installed_id

    def nothing() -> None:
        return None

    if (os.cpu_count() or 1) < 2 or int(config.get("threads") or 0) == 1:
        return nothing
    try:
        pid = installed_id()
    except ModelUnavailable:
        return nothing
    # Only whether each reading is there: the brief reads them all later.
    keys = _keys(texts, pid)
    held = _cache(cache_dir).present(list(keys.values()))
    todo = [t for t, k in keys.items() if k not in held]
    import multiprocessing  # only when there is something to parse: a cached brief stays quick

    if not todo or "fork" not in multiprocessing.get_all_start_methods():
        return nothing
    fork = multiprocessing.get_context("fork")
    done = fork.Value("q", 0, lock=False)
    child = fork.Process(target=_fill, args=(todo, cache_dir, done), daemon=True)
    child.start()

    def wait() -> None:
        try:
            told = 0
            if progress is not None:
                progress(0, len(todo))
            while child.is_alive():
                child.join(WAIT_STEP)
                now = min(done.value, len(todo) - 1)
                if progress is not None and child.is_alive() and now > told:
                    told = now
                    progress(now, len(todo))
            if progress is not None and child.exitcode == 0:
                progress(len(todo), len(todo))
        finally:
            if child.is_alive():
                child.terminate()
    return wait


# Seconds between looks at a forked parse while waiting for it.
WAIT_STEP = 0.25


def _fill(texts: Sequence[str], cache_dir: Path | None, done: Any) -> None:
    """The forked parse of `parse_ahead`: read and cache, counting into
    `done`, then leave without running the parent's exit handlers."""
    code = 1
    try:
        read_sentences(texts, cache_dir=cache_dir, progress=lambda k, _: setattr(done, "value", k))
        code = 0
    finally:
        os._exit(code)
