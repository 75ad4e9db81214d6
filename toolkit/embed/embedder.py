"""`Embedder`: the model, the engine that runs it and the vector cache put
together. A run whose texts are all cached loads no model at all."""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import config
from ..errors import InputError, ModelUnavailable, ToolkitError, ToolkitWarning, first_line
from ..hub import ct2_version
from .base import CT2, ENGINE_CHOICES, ST, Encoder, Progress, keep, loaded, no_progress
from .cache import CACHE_FILE, VectorCache, vector_key
from .ct2 import CT2Encoder, conversion_dir, convert, remember_failure, remembered_failure
from .layout import Layout, read_layout
from .locate import locate
from .st import STEncoder

if TYPE_CHECKING:
    import numpy as np

# Weights precision of the CTranslate2 engine. float32 because on the seeds
# and the development clusters it gives exactly the brief (groups and
# citations) of sentence-transformers, and int8 does not: see README,
# "Embedding engine", and bench/embed_agreement.py.
COMPUTE_TYPE = "float32"
# Vectors an embedder keeps in memory for the rest of its run (1.5 KB each
# for a 384-dimension model): a story of a thousand articles.
HELD = 1 << 16


def choose_engine(wanted: str, layout: Layout, failure: str | None) -> tuple[str, str | None]:
    """(engine, why sentence-transformers was chosen over CTranslate2 or
    None). `failure`: a remembered failed conversion of this model."""
    if wanted not in ENGINE_CHOICES:
        raise InputError(f"unknown embedding engine {wanted!r}; use one of {', '.join(ENGINE_CHOICES)}")
    if wanted == ST:
        return ST, None
    why = None
    if ct2_version() is None:
        why = "ctranslate2 is not installed"
    elif layout.unsupported:
        why = f"CTranslate2 cannot run {layout.unsupported}"
    elif failure:
        why = f"its CTranslate2 conversion failed ({failure})"
    return (CT2, None) if why is None else (ST, why)


class Embedder:
    """Encodes English sentences with a sentence-transformers model.

    `model` is a Hugging Face id or a local directory (default: the
    ``embedder`` setting). With `use_cache` (default) vectors are read from
    and written to the on-disk cache under `cache_dir` (default
    `toolkit.config.cache_dir()`), where the CTranslate2 conversion also
    lives; the model is loaded only for texts that are not cached.
    `engine`: "auto" (default: the ``embed_engine`` setting), "ctranslate2"
    or "sentence-transformers"; `device`: None (the GPU when there is a
    working one), "cpu" or "cuda"; `compute_type`: the CTranslate2 weights
    precision (default `COMPUTE_TYPE`); `progress`: called as a model is
    converted and new texts are encoded (see `toolkit.embed.base.Progress`).
    """

    def __init__(self, model: str | None = None, *, use_cache: bool = True,
                 cache_dir: str | os.PathLike[str] | None = None, device: str | None = None,
                 engine: str | None = None, compute_type: str | None = None, progress: Progress | None = None):
        self.model_id = str(config.get("embedder", model))
        self.use_cache = use_cache
        self._cache_root = Path(cache_dir) if cache_dir is not None else None
        self.device = device
        self._wanted_device = str(device)
        self.device_note: str | None = None  # why the model did not run where it was asked to
        self.progress = progress or no_progress
        self._encoder: Encoder | None = None
        self._cache: VectorCache | None = None
        self._path, self.revision = locate(self.model_id)
        self.layout = read_layout(Path(self._path))
        self.notes: list[str] = []
        self.engine, self.compute_type = self._choose(str(engine or config.get("embed_engine")), compute_type)
        self.loaded = False  # whether the model itself had to run
        self.recovered: str | None = None  # where a damaged cache file was moved
        self.hits = 0
        self.misses = 0
        # Vectors met in this run: a brief asks for its sentences' vectors
        # in more than one step, and the cache file is read once.
        self._held: dict[str, np.ndarray] = {}

    def _choose(self, wanted: str, compute_type: str | None) -> tuple[str, str]:
        ct2_type = compute_type or COMPUTE_TYPE
        failure = None if wanted == ST else remembered_failure(self.conversion_dir(ct2_type))
        engine, why = choose_engine(wanted, self.layout, failure)
        if engine == CT2:
            return CT2, ct2_type
        if why is not None:
            if wanted == CT2:
                raise ModelUnavailable(f"embedding model {self.model_id}: {why}; use the sentence-transformers engine")
            self.notes.append(f"sentence-transformers engine: {why}")
        return ST, "float32"

    def describe(self) -> dict[str, Any]:
        """What decides the vectors, for the manifest: the same whether they
        came from the cache or the model (where the model ran is a fact of
        one run, kept in `device` and `device_note`)."""
        info: dict[str, Any] = {"model": self.model_id, "revision": self.revision, "engine": self.engine,
                                "compute_type": self.compute_type}
        if self.notes:
            info["note"] = "; ".join(self.notes)
        return info

    # -- cache -------------------------------------------------------------

    def _root(self) -> Path:
        return self._cache_root if self._cache_root is not None else config.cache_dir()

    def _cache_path(self) -> Path:
        return self._root() / CACHE_FILE

    def _key(self, text: str) -> str:
        return vector_key(self.model_id, self.revision, self.engine, self.compute_type, text)

    def _vectors(self) -> VectorCache:
        # One cache object per run and file, so a damaged file is moved
        # aside once and reported once.
        path = self._cache_path()
        if self._cache is None or self._cache.path != path:
            self._cache = VectorCache(path)
        return self._cache

    def _lookup(self, unique: Sequence[str]) -> dict[str, np.ndarray]:
        if not (self.use_cache and self.revision):
            return {}
        cache = self._vectors()
        try:
            return cache.lookup({t: self._key(t) for t in unique})
        finally:
            self.recovered = cache.recovered or self.recovered

    def _store(self, texts: Sequence[str], vecs: np.ndarray) -> None:
        if not (self.use_cache and self.revision):
            return
        cache = self._vectors()
        try:
            cache.write({self._key(t): v for t, v in zip(texts, vecs)})
        finally:
            self.recovered = cache.recovered or self.recovered

    # -- model -------------------------------------------------------------

    def conversion_dir(self, compute_type: str | None = None) -> Path:
        return conversion_dir(self._root(), self.model_id, self.revision, compute_type or self.compute_type)

    def _memo(self) -> tuple[str, ...]:
        return (self._path, self.revision, self.engine, self.compute_type, self._wanted_device)

    def _load_ct2(self) -> Encoder | None:
        """The CTranslate2 encoder, or None (the engine switched to
        sentence-transformers) when the conversion fails."""
        target = self.conversion_dir()
        meta = {"model": self.model_id, "revision": self.revision, "quantization": self.compute_type,
                "source": "embedder"}
        try:
            model_dir = convert(target, self.layout.transformer, meta, self.progress)
        except Exception as exc:  # noqa: BLE001 - any converter failure falls back
            reason = first_line(exc)
            remember_failure(target, reason)
            warnings.warn(f"cannot convert embedding model {self.model_id} for CTranslate2 ({reason}); "
                          "using sentence-transformers", ToolkitWarning, stacklevel=4)
            self.notes.append(f"sentence-transformers engine: its CTranslate2 conversion failed ({reason})")
            self.engine, self.compute_type = ST, "float32"
            return None
        return CT2Encoder.load(model_dir, self.layout, model_id=self.model_id, compute_type=self.compute_type,
                               device=self.device)

    def _load(self) -> Encoder:
        """The model for the current engine; the engine may change to
        sentence-transformers when the conversion fails."""
        if self._encoder is None:
            encoder = loaded(self._memo())
            if encoder is None and self.engine == CT2:
                encoder = self._load_ct2()
            if encoder is None:
                encoder = loaded(self._memo()) or STEncoder.load(self._path, self.model_id, self.device)
            keep(self._memo(), encoder)
            self._encoder = encoder
            if encoder.engine == CT2:
                self.device, self.device_note = encoder.device, encoder.device_note
        self.loaded = True
        return self._encoder

    # -- public ------------------------------------------------------------

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dim), one unit-length row per text."""
        import numpy as np

        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        held = self._held
        vectors = {t: held[t] for t in unique if t in held}
        rest = [t for t in unique if t not in vectors]
        if rest:
            vectors.update(self._lookup(rest))
        missing = [t for t in unique if t not in vectors]
        if missing:
            engine = self.engine
            encoder = self._load()
            if self.engine != engine:  # fell back: that engine's vectors may be cached
                held.clear()
                vectors = self._lookup(unique)
                missing = [t for t in unique if t not in vectors]
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = encoder.encode(missing, self.progress)
            vectors.update(zip(missing, fresh))
            self._store(missing, fresh)
        if len(held) + len(vectors) > HELD:
            held.clear()
        held.update(vectors)
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


__all__ = ["Embedder", "COMPUTE_TYPE", "choose_engine", "get_embedder", "describe"]
