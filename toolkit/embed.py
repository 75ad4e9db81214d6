"""Sentence embeddings for grouping facts and checking citations.

The model is a sentence-transformers model loaded by Hugging Face id through
the standard Hugging Face cache (``HF_HOME`` / ``HF_HUB_CACHE``), or from a
local directory; the default is the ``embedder`` setting
(`toolkit.config`). Vectors are L2-normalised, so a dot product is the
cosine similarity.

Every vector is cached on disk in ``<cache_dir>/embeddings.sqlite3``, keyed
by the model id, the model's snapshot revision (a fingerprint of the files
for a local directory) and the exact text, by the same rules as the
translation cache: an entry that is damaged (wrong size, not finite, not of
unit length) counts as absent and is recomputed and overwritten, and a
cache file that is not a database is moved aside and a new one started. A run whose texts are all cached
never imports torch or sentence-transformers and never loads the model;
changed weights get a new revision and so never reuse old vectors.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from . import config
from .errors import ModelUnavailable, ToolkitError
from .stores import SqliteStore, dir_fingerprint, hub_cache, hub_offline

if TYPE_CHECKING:  # numpy is imported lazily: `toolkit --help` stays fast
    import numpy as np

CACHE_FILE = "embeddings.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"
# Texts sent to the model per call; small enough to keep peak memory low on CPU.
BATCH_SIZE = 64


# Loaded models, shared by every Embedder of the process (path, device).
_LOADED: dict[tuple[str, str | None], Any] = {}


def hub_snapshot(model_id: str) -> tuple[str, Path] | None:
    """(revision, snapshot directory) of `model_id` in the Hugging Face cache,
    or None when it is not there. Reads the cache layout directly so that a
    fully cached run needs neither torch nor a network."""
    folder = hub_cache() / ("models--" + model_id.replace("/", "--"))
    ref = folder / "refs" / "main"
    try:
        revision = ref.read_text(encoding="utf-8").strip()
    except OSError:
        snaps = sorted(p for p in (folder / "snapshots").glob("*") if p.is_dir()) if folder.is_dir() else []
        if len(snaps) != 1:
            return None
        revision = snaps[0].name
    snapshot = folder / "snapshots" / revision
    if not (snapshot / "modules.json").is_file() and not (snapshot / "config.json").is_file():
        return None
    return revision, snapshot


class Embedder:
    """Encodes English sentences with a sentence-transformers model.

    `model` is a Hugging Face id or a local directory (default: the
    ``embedder`` setting). With `use_cache` (default) vectors are read from
    and written to the on-disk cache under `cache_dir` (default
    `toolkit.config.cache_dir()`); the model is loaded only for texts that
    are not cached.
    """

    def __init__(self, model: str | None = None, *, use_cache: bool = True,
                 cache_dir: str | os.PathLike[str] | None = None, device: str | None = None):
        self.model_id = str(config.get("embedder", model))
        self.use_cache = use_cache
        self._cache_root = Path(cache_dir) if cache_dir is not None else None
        self.device = device
        self._model: Any = None
        self._path, self.revision = self._locate()
        self.loaded = False  # whether the model itself had to run
        self.recovered: str | None = None  # where a damaged cache file was moved
        self.hits = 0
        self.misses = 0

    def _locate(self) -> tuple[str, str]:
        local = Path(self.model_id).expanduser()
        if local.is_dir():
            if not (local / "modules.json").is_file() and not (local / "config.json").is_file():
                raise ModelUnavailable(f"{local}: not a sentence-transformers model directory (no modules.json)")
            return str(local), dir_fingerprint(local)
        found = hub_snapshot(self.model_id)
        if found is not None:
            revision, snapshot = found
            return str(snapshot), revision
        if hub_offline():
            raise ModelUnavailable(
                f"embedding model {self.model_id} is not in the Hugging Face cache ({hub_cache()}) "
                f"and HF_HUB_OFFLINE is set; download it once while online with `hf download {self.model_id}`, "
                "or point TOOLKIT_EMBEDDER at a cached model or a local directory")
        # Online and not cached yet: sentence-transformers downloads it on load.
        return self.model_id, ""

    def describe(self) -> dict[str, Any]:
        return {"model": self.model_id, "revision": self.revision}

    # -- cache -------------------------------------------------------------

    def _cache_path(self) -> Path:
        root = self._cache_root if self._cache_root is not None else config.cache_dir()
        return root / CACHE_FILE

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\0{self.revision}\0{text}".encode("utf-8")).hexdigest()

    def _store(self) -> SqliteStore:
        # One store per run and file, shared with the translation cache's
        # handling of busy, damaged and unusable files.
        path = self._cache_path()
        store = getattr(self, "_sqlite", None)
        if store is None or store.path != path:
            store = self._sqlite = SqliteStore(path, _SCHEMA, "vectors", "embedding")
        return store

    def _read_cache(self, keys: Sequence[str]) -> dict[str, bytes]:
        if not self._cache_path().is_file():
            return {}
        store = self._store()
        found: dict[str, bytes] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for key, dim, vec in store.query(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", chunk):
                    if isinstance(vec, bytes) and isinstance(dim, int) and dim > 0 and len(vec) == 4 * dim:
                        found[key] = vec
        finally:
            store.close()
            self.recovered = store.recovered or self.recovered
        return found

    def _write_cache(self, rows: list[tuple[str, int, bytes]]) -> None:
        store = self._store()
        try:
            store.write_many("INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows)
        finally:
            store.close()
            self.recovered = store.recovered or self.recovered

    # -- model -------------------------------------------------------------

    def _load(self) -> Any:
        if self._model is None and (self._path, self.device) in _LOADED:
            self._model = _LOADED[(self._path, self.device)]
            self.loaded = True
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - a broken install
                raise ModelUnavailable(f"sentence-transformers is not installed ({exc}); "
                                       "pip install sentence-transformers") from None
            try:
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # stderr belongs to the CLI's own messages
            except Exception:  # noqa: BLE001 - cosmetic only
                pass
            try:
                self._model = SentenceTransformer(self._path, device=self.device, trust_remote_code=False)
            except Exception as exc:  # noqa: BLE001 - any load failure is reported as one line
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ModelUnavailable(f"cannot load embedding model {self.model_id} ({first})") from None
            _LOADED[(self._path, self.device)] = self._model
            if not self.revision:
                found = hub_snapshot(self.model_id)
                self.revision = found[0] if found else "unknown"
            self.loaded = True
        return self._model

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        model = self._load()
        vecs = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    # -- public ------------------------------------------------------------

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dim), one unit-length row per text."""
        import numpy as np

        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors: dict[str, np.ndarray] = {}
        if self.use_cache and self.revision:
            keys = {t: self._key(t) for t in unique}
            cached = self._read_cache(list(keys.values()))
            for t in unique:
                blob = cached.get(keys[t])
                if blob is not None:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if np.isfinite(vec).all() and abs(float(vec @ vec) - 1.0) < 1e-3:
                        vectors[t] = vec
        missing = [t for t in unique if t not in vectors]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self._run(missing)
            for t, v in zip(missing, fresh):
                vectors[t] = v
            if self.use_cache and self.revision:
                self._write_cache([(self._key(t), int(v.shape[0]), v.astype(np.float32).tobytes())
                                   for t, v in zip(missing, fresh)])
        dims = {v.shape[0] for v in vectors.values()}
        if len(dims) != 1:
            raise ToolkitError(f"{self._cache_path()}: cached vectors of different sizes for {self.model_id}; "
                               "delete the embedding cache")
        return np.stack([vectors[t] for t in texts])


def get_embedder(embedder: Any = None) -> Any:
    """`embedder` itself when given (anything with ``encode(texts)``), else
    the default `Embedder`; a model id or directory string is loaded as one."""
    if embedder is None:
        return Embedder()
    if isinstance(embedder, (str, os.PathLike)):
        return Embedder(str(embedder))
    return embedder


def describe(embedder: Any) -> dict[str, Any]:
    info = getattr(embedder, "describe", None)
    return info() if callable(info) else {"model": type(embedder).__name__}


__all__ = ["Embedder", "get_embedder", "describe", "hub_snapshot", "hub_cache", "CACHE_FILE"]
