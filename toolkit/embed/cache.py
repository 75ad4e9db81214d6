"""The on-disk vector cache, ``<cache_dir>/embeddings.sqlite3``.

Every vector is keyed by the model id, its snapshot revision (a fingerprint
of the files for a local directory), the engine, its compute type and the
exact text, so vectors from different engines or precisions never mix and
changed weights never reuse old vectors. An entry that is damaged (wrong
size, not finite, not of unit length) counts as absent and is recomputed
and overwritten; busy, damaged and unusable files are handled by
`toolkit.store.SqliteStore`, shared with the translation cache."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..store import SqliteStore

if TYPE_CHECKING:
    import numpy as np

CACHE_FILE = "embeddings.sqlite3"
SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"


def vector_key(model_id: str, revision: str, engine: str, compute_type: str, text: str) -> str:
    parts = (model_id, revision, engine, compute_type, text)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class VectorCache:
    """The vectors table of one cache file; `recovered` is where a damaged
    file was moved aside, if one was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered: str | None = None
        self._store = SqliteStore(path, SCHEMA, "vectors", "embedding")

    def _read(self, keys: Sequence[str]) -> dict[str, bytes]:
        if not self.path.is_file():
            return {}
        found: dict[str, bytes] = {}
        try:
            for key, dim, vec in self._store.select_in("key, dim, vec", "key", keys):
                if isinstance(vec, bytes) and isinstance(dim, int) and dim > 0 and len(vec) == 4 * dim:
                    found[key] = vec
        finally:
            self._store.close()
            self.recovered = self._store.recovered or self.recovered
        return found

    def lookup(self, keys: dict[str, str]) -> dict[str, np.ndarray]:
        """The sound cached vector of each text in `keys` (text → key) that
        has one."""
        import numpy as np

        cached = self._read(list(keys.values()))
        vectors: dict[str, np.ndarray] = {}
        for text, key in keys.items():
            blob = cached.get(key)
            if blob is not None:
                vec = np.frombuffer(blob, dtype=np.float32)
                if np.isfinite(vec).all() and abs(float(vec @ vec) - 1.0) < 1e-3:
                    vectors[text] = vec
        return vectors

    def write(self, rows: dict[str, np.ndarray]) -> None:
        """Store each vector under its key (replacing a damaged entry)."""
        import numpy as np

        data = [(key, int(v.shape[0]), v.astype(np.float32).tobytes()) for key, v in rows.items()]
        try:
            self._store.write_many("INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", data)
        finally:
            self._store.close()
            self.recovered = self._store.recovered or self.recovered


__all__ = ["CACHE_FILE", "SCHEMA", "VectorCache", "vector_key"]
