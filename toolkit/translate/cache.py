"""On-disk translation cache: ``<toolkit cache>/translations.sqlite``.

An entry is keyed by everything that can change a translation: model id and
revision, engine, compute type, device, decoding options and the exact model
input. Each entry carries a checksum of its own content; an entry that does
not parse or does not match its checksum is treated as absent, recomputed
and overwritten. Results are committed after every batch, so an interrupted
run resumes where it stopped. Busy, damaged and unusable cache files are
handled by `toolkit.store.SqliteStore`: a busy file is waited on and never
discarded, a damaged one is moved aside and rebuilt with a warning.

Only the standard library is used: a fully cached run never imports torch
or transformers.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import config
from ..store import SqliteStore
from .base import Hypothesis

FORMAT = 1
FILENAME = "translations.sqlite"


def namespace_key(options: Mapping[str, Any]) -> str:
    """A digest of the model and decoding options an entry depends on."""
    blob = json.dumps({"format": FORMAT, **options}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def entry_key(namespace: str, text: str) -> str:
    return hashlib.sha256(f"{namespace}\0{text}".encode("utf-8")).hexdigest()


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def encode(hyp: Hypothesis) -> str:
    payload = json.dumps(hyp.to_dict(), sort_keys=True, ensure_ascii=False)
    return json.dumps({"sum": _checksum(payload), "hyp": payload}, ensure_ascii=False)


def decode(value: Any) -> Hypothesis | None:
    """The hypothesis stored in `value`, or None when it is damaged."""
    try:
        outer = json.loads(value)
        payload = outer["hyp"]
        if outer["sum"] != _checksum(payload):
            return None
        d = json.loads(payload)
        hyp = Hypothesis(text=str(d["text"]), source_tokens=int(d["source_tokens"]),
                         target_tokens=int(d["target_tokens"]), hit_limit=bool(d["hit_limit"]),
                         pieces=int(d.get("pieces", 1)))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return hyp


class TranslationCache:
    def __init__(self, path: Path | None = None):
        self.path = path or config.cache_dir() / FILENAME
        self._store = SqliteStore(
            self.path, "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "entries", "translation")

    @property
    def recovered(self) -> str | None:
        """Where a damaged cache file was moved, if it was."""
        return self._store.recovered

    def get_many(self, namespace: str, texts: Iterable[str]) -> dict[str, Hypothesis]:
        """Cached hypotheses for those of `texts` that have a sound entry."""
        keys = {entry_key(namespace, t): t for t in dict.fromkeys(texts)}
        found: dict[str, Hypothesis] = {}
        for key, value in self._store.select_in("key, value", "key", keys):
            hyp = decode(value)
            if hyp is not None and key in keys:
                found[keys[key]] = hyp
        return found

    def put_many(self, namespace: str, items: Iterable[tuple[str, Hypothesis]]) -> None:
        rows = [(entry_key(namespace, text), encode(hyp)) for text, hyp in items]
        self._store.write_many("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows)

    def close(self) -> None:
        self._store.close()
