"""Sentence embeddings for grouping facts and checking citations.

The model is a sentence-transformers model named by Hugging Face id (read
from the standard Hugging Face cache, ``HF_HOME`` / ``HF_HUB_CACHE``,
downloaded once when online) or a local directory; the default is the
``embedder`` setting (`toolkit.config`). Vectors are L2-normalised, so a
dot product is the cosine similarity.

Two engines run it:

* ``ctranslate2`` (preferred): the model's transformer is converted once
  with CTranslate2's converter into ``<cache_dir>/ct2/<model>/<revision>/
  <compute type>`` (atomically, safe with concurrent processes; see
  `toolkit.ct2convert`) and run with ``ctranslate2.Encoder`` and the
  model's own ``tokenizers`` tokenizer, pooled as the model's
  ``modules.json`` and pooling configuration say (cls, mean, max,
  mean_sqrt_len_tokens, weightedmean, lasttoken, or several concatenated),
  with its maximum sequence length and lower-casing. Neither torch,
  transformers nor sentence-transformers is imported once the conversion
  exists. It runs on the GPU when CTranslate2 sees one and a tiny probe
  encode works there, otherwise on the CPU (with a one-line warning when a
  GPU was seen but failed).
* ``sentence-transformers``: the fallback, chosen automatically (with a
  note in ``describe()``, which goes into the brief's manifest) for models
  CTranslate2 cannot run: extra modules such as Dense layers, an
  architecture its converter lacks, no ``tokenizer.json``, or a conversion
  that failed (remembered beside the conversion, so later runs do not try
  again until CTranslate2 changes). ``TOOLKIT_EMBED_ENGINE`` (or the
  ``embed_engine`` setting) forces one engine.

Every vector is cached on disk in ``<cache_dir>/embeddings.sqlite3``, keyed
by the model id, its snapshot revision (a fingerprint of the files for a
local directory), the engine, its compute type and the exact text, so
vectors from different engines or precisions never mix. An entry that is
damaged (wrong size, not finite, not of unit length) counts as absent and
is recomputed and overwritten, and a cache file that is not a database is
moved aside and a new one started. A run whose texts are all cached loads
no model at all; changed weights get a new revision and so never reuse old
vectors.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from . import config
from .ct2convert import install_once, is_converted, safe_name
from .errors import DeviceFallbackWarning, InputError, ModelUnavailable, ToolkitError, ToolkitWarning, first_line
from .hub import dir_fingerprint, hub_cache, hub_offline
from .store import SqliteStore

if TYPE_CHECKING:  # numpy is imported lazily: `toolkit --help` stays fast
    import numpy as np

CACHE_FILE = "embeddings.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)"
# Texts sent to the model per call; small enough to keep peak memory low on CPU.
BATCH_SIZE = 64

CT2 = "ctranslate2"
ST = "sentence-transformers"
ENGINES = ("auto", CT2, ST)
# Weights precision of the CTranslate2 engine. float32 because on the seeds
# and the development clusters it gives exactly the brief (groups and
# citations) of sentence-transformers, and int8 does not: see README,
# "Embedding engine", and bench/embed_agreement.py.
COMPUTE_TYPE = "float32"
# Encoder architectures CTranslate2's Transformers converter turns into an
# encoder-only model.
CT2_ENCODERS = {"bert", "distilbert", "roberta", "xlm-roberta", "camembert"}
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens", "weightedmean", "lasttoken")
# Legacy pooling configuration keys, in the order sentence-transformers
# concatenates the modes they switch on.
_LEGACY_POOLING = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}
FAILED_SUFFIX = ".failed.json"
# Weights of other frameworks are never needed to run the model.
_IGNORE = ["*.h5", "*.msgpack", "*.ot", "onnx/*", "*.onnx", "openvino/*", "*.tflite", "tf_model*", "flax_model*",
           "rust_model*", "coreml/*"]
_HF_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[\w.\-]+)?$")

# Loaded models, shared by every Embedder of the process.
_LOADED: dict[tuple[str, ...], Any] = {}


def _warn(message: str, category: type[ToolkitWarning] = ToolkitWarning) -> None:
    warnings.warn(message, category, stacklevel=3)


def hub_snapshot(model_id: str) -> tuple[str, Path] | None:
    """(revision, snapshot directory) of `model_id` in the Hugging Face cache,
    or None when it is not there. Reads the cache layout directly so that a
    cached model needs neither torch nor a network."""
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


def _fetch_hint(model_id: str) -> str:
    return (f"fetch it while online with `hf download {model_id}`, or point --embedder "
            "(TOOLKIT_EMBEDDER) at a cached model or a local model directory")


def _download(model_id: str) -> tuple[str, Path]:
    """Download `model_id` into the Hugging Face cache. Without a network
    this fails at once with one line saying what to do (no retries)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

    try:
        path = Path(snapshot_download(model_id, cache_dir=hub_cache(), ignore_patterns=_IGNORE))
    except RepositoryNotFoundError:
        raise ModelUnavailable(f"embedding model {model_id} does not exist on the Hugging Face hub "
                               "(or is private); check the id") from None
    except LocalEntryNotFoundError:
        raise ModelUnavailable(f"embedding model {model_id} is not in the Hugging Face cache ({hub_cache()}) "
                               f"and the Hugging Face hub is unreachable; {_fetch_hint(model_id)}") from None
    except (HfHubHTTPError, OSError) as exc:
        raise ModelUnavailable(f"cannot fetch embedding model {model_id} ({first_line(exc)}); "
                               f"{_fetch_hint(model_id)}") from None
    return path.name, path


@dataclass(frozen=True)
class Layout:
    """What a sentence-transformers model directory says about running it."""

    transformer: Path  # directory of the transformer module (weights, tokenizer)
    pooling: tuple[str, ...]  # pooling modes, concatenated in this order
    max_length: int  # tokens per text; longer texts are cut, as sentence-transformers does
    lowercase: bool
    model_type: str
    unsupported: str | None  # why CTranslate2 cannot run it, or None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"{path}: unreadable model file ({exc})") from None


def pooling_modes(cfg: dict[str, Any]) -> tuple[str, ...]:
    """The pooling modes a sentence-transformers pooling configuration
    switches on, in concatenation order (mean when it names none)."""
    mode = cfg.get("pooling_mode")
    if isinstance(mode, str):
        modes: tuple[str, ...] = (mode,)
    elif isinstance(mode, (list, tuple)) and mode:
        modes = tuple(str(m) for m in mode)
    else:
        modes = tuple(name for key, name in _LEGACY_POOLING.items() if cfg.get(key))
    return modes or ("mean",)


def read_layout(path: Path) -> Layout:
    """Read ``modules.json``, the pooling and sentence-bert configurations
    and the model config of a sentence-transformers model directory. A
    plain transformers model (no ``modules.json``) is mean-pooled, as
    sentence-transformers does."""
    modules = _read_json(path / "modules.json")
    transformer, pooling, unsupported = path, ("mean",), None
    if modules is not None:
        seen: list[str] = []
        pooling_found = False
        for module in sorted(modules, key=lambda m: int(m.get("idx", 0))):
            kind = str(module.get("type", "")).rsplit(".", 1)[-1]
            where = path / str(module.get("path", ""))
            seen.append(kind)
            if kind == "Transformer" and len(seen) == 1:
                transformer = where
            elif kind == "Pooling" and seen[:-1] == ["Transformer"]:
                pooling = pooling_modes(_read_json(where / "config.json") or {})
                pooling_found = True
            elif kind in ("Normalize", "Dropout") and pooling_found:
                pass  # vectors are always normalised; dropout does nothing at inference
            elif unsupported is None:
                unsupported = f"its {kind or 'unknown'} module"
        if not pooling_found and unsupported is None:
            unsupported = "no Transformer and Pooling modules"
        bad = [m for m in pooling if m not in POOLING_MODES]
        if bad and unsupported is None:
            unsupported = f"pooling mode {bad[0]}"
    sbert = _read_json(transformer / "sentence_bert_config.json") or {}
    model_cfg = _read_json(transformer / "config.json") or {}
    model_type = str(model_cfg.get("model_type", ""))
    max_length = sbert.get("max_seq_length")
    if not isinstance(max_length, int) or max_length <= 0:
        tok_cfg = _read_json(transformer / "tokenizer_config.json") or {}
        limits = [v for v in (tok_cfg.get("model_max_length"), model_cfg.get("max_position_embeddings"))
                  if isinstance(v, int) and 0 < v < 100_000]
        max_length = min(limits) if limits else 512
    if unsupported is None and model_type not in CT2_ENCODERS:
        unsupported = f"its architecture ({model_type or 'unknown'})"
    if unsupported is None and not (transformer / "tokenizer.json").is_file():
        unsupported = "no tokenizer.json"
    return Layout(transformer, pooling, int(max_length), bool(sbert.get("do_lower_case", False)), model_type,
                  unsupported)


def pool(hidden: np.ndarray, lengths: np.ndarray, modes: Sequence[str]) -> np.ndarray:
    """Pool token vectors (batch, tokens, dim; right-padded, `lengths` real
    tokens each) into one vector per text, concatenating `modes`."""
    import numpy as np

    steps = np.arange(hidden.shape[1])[None, :]
    mask = (steps < lengths[:, None]).astype(np.float32)[..., None]
    count = np.maximum(lengths.astype(np.float32), 1e-9)[:, None]
    out = []
    for mode in modes:
        if mode == "cls":
            out.append(hidden[:, 0])
        elif mode == "max":
            out.append(np.where(mask > 0, hidden, -np.inf).max(axis=1))
        elif mode == "mean":
            out.append((hidden * mask).sum(axis=1) / count)
        elif mode == "mean_sqrt_len_tokens":
            out.append((hidden * mask).sum(axis=1) / np.sqrt(count))
        elif mode == "weightedmean":
            weights = mask * (steps + 1).astype(np.float32)[..., None]
            out.append((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9))
        elif mode == "lasttoken":
            out.append(hidden[np.arange(hidden.shape[0]), np.maximum(lengths - 1, 0)])
        else:  # read_layout sends other modes to sentence-transformers
            raise ValueError(mode)
    return np.concatenate(out, axis=1)


def _ct2_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ctranslate2")
    except PackageNotFoundError:
        return None


def _cuda_devices() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # noqa: BLE001 - a CPU-only build or a broken driver both mean "no GPU"
        return 0


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
    precision (default `COMPUTE_TYPE`).
    """

    def __init__(self, model: str | None = None, *, use_cache: bool = True,
                 cache_dir: str | os.PathLike[str] | None = None, device: str | None = None,
                 engine: str | None = None, compute_type: str | None = None):
        self.model_id = str(config.get("embedder", model))
        self.use_cache = use_cache
        self._cache_root = Path(cache_dir) if cache_dir is not None else None
        self.device = device
        self._model: Any = None
        self._path, self.revision = self._locate()
        self.layout = read_layout(Path(self._path))
        self.notes: list[str] = []
        self.engine, self.compute_type = self._choose(str(engine or config.get("embed_engine")), compute_type)
        self.loaded = False  # whether the model itself had to run
        self.recovered: str | None = None  # where a damaged cache file was moved
        self.hits = 0
        self.misses = 0

    def _locate(self) -> tuple[str, str]:
        name = self.model_id
        local = Path(name).expanduser()
        if local.is_dir():
            if not (local / "modules.json").is_file() and not (local / "config.json").is_file():
                raise ModelUnavailable(f"{local}: not a sentence-transformers model directory "
                                       "(no modules.json or config.json)")
            return str(local), dir_fingerprint(local)
        if name.startswith((".", "/", "~")):
            raise ModelUnavailable(f"embedding model directory {name} does not exist")
        if not _HF_ID.match(name):
            raise InputError(f"embedding model {name!r} is neither a Hugging Face id (owner/name) "
                             "nor an existing model directory")
        found = hub_snapshot(name)
        if found is not None:  # cached: used as it is, the hub is never contacted
            revision, snapshot = found
            return str(snapshot), revision
        if hub_offline():
            raise ModelUnavailable(f"embedding model {name} is not in the Hugging Face cache ({hub_cache()}) "
                                   f"and HF_HUB_OFFLINE=1 is set; {_fetch_hint(name)}")
        revision, snapshot = _download(name)
        return str(snapshot), revision

    def _choose(self, engine: str, compute_type: str | None) -> tuple[str, str]:
        if engine not in ENGINES:
            raise InputError(f"unknown embedding engine {engine!r}; use one of {', '.join(ENGINES)}")
        if engine == ST:
            return ST, "float32"
        why = None
        if _ct2_version() is None:
            why = "ctranslate2 is not installed"
        elif self.layout.unsupported:
            why = f"CTranslate2 cannot run {self.layout.unsupported}"
        else:
            failed = self._failure(compute_type or COMPUTE_TYPE)
            if failed:
                why = f"its CTranslate2 conversion failed ({failed})"
        if why is None:
            return CT2, compute_type or COMPUTE_TYPE
        if engine == CT2:
            raise ModelUnavailable(f"embedding model {self.model_id}: {why}; use the sentence-transformers engine")
        self.notes.append(f"sentence-transformers engine: {why}")
        return ST, "float32"

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {"model": self.model_id, "revision": self.revision, "engine": self.engine,
                                "compute_type": self.compute_type}
        if self.loaded and self.device:
            info["device"] = self.device
        if self.notes:
            info["note"] = "; ".join(self.notes)
        return info

    # -- cache -------------------------------------------------------------

    def _root(self) -> Path:
        return self._cache_root if self._cache_root is not None else config.cache_dir()

    def _cache_path(self) -> Path:
        return self._root() / CACHE_FILE

    def _key(self, text: str) -> str:
        parts = (self.model_id, self.revision, self.engine, self.compute_type, text)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

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
            for key, dim, vec in store.select_in("key, dim, vec", "key", keys):
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

    # -- CTranslate2 -------------------------------------------------------

    def conversion_dir(self, compute_type: str | None = None) -> Path:
        return (self._root() / "ct2" / safe_name(self.model_id) / (self.revision or "unknown")
                / (compute_type or self.compute_type))

    def _failure(self, compute_type: str) -> str | None:
        """The remembered reason a conversion failed with this CTranslate2
        version, or None."""
        path = self.conversion_dir(compute_type)
        record = path.with_name(path.name + FAILED_SUFFIX)
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("ctranslate2") != _ct2_version():
            return None  # another CTranslate2 version may convert it
        return str(data.get("error", "unknown error"))

    def _convert(self) -> Path:
        target = self.conversion_dir()
        if is_converted(target):
            return target
        transformer, quantization = self.layout.transformer, self.compute_type

        def build(tmp: Path) -> None:
            import warnings

            from ctranslate2.converters import TransformersConverter
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # stderr belongs to the CLI's own messages
            hf_logging.set_verbosity_error()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                TransformersConverter(str(transformer), trust_remote_code=False).convert(
                    str(tmp), quantization=quantization, force=True)

        return install_once(target, build, {"model": self.model_id, "revision": self.revision,
                                            "quantization": quantization, "source": "embedder"})

    def _open_encoder(self, model_dir: Path, probe: list[int]) -> tuple[Any, str]:
        import ctranslate2

        wanted = self.device or "auto"
        if wanted not in ("auto", "cpu", "cuda"):
            raise InputError(f"unknown device {wanted!r} for the embedding model; use cpu or cuda")
        if wanted == "cuda" or (wanted == "auto" and _cuda_devices() > 0):
            try:
                encoder = ctranslate2.Encoder(str(model_dir), device="cuda", compute_type=self.compute_type)
                # CUDA libraries load lazily: only an encode shows that they work.
                encoder.forward_batch([probe])
                return encoder, "cuda"
            except Exception as exc:  # noqa: BLE001 - any GPU failure means the CPU
                if wanted == "cuda":
                    raise ModelUnavailable(f"cannot run embedding model {self.model_id} on the GPU "
                                           f"({first_line(exc)})") from None
                _warn(f"the GPU cannot run the embedding model ({first_line(exc)}); using the CPU",
                      DeviceFallbackWarning)
                self.notes.append(f"GPU unusable ({first_line(exc)}); ran on the CPU")
        # One thread unless the ``threads`` setting says otherwise: a brief
        # encodes a few thousand tokens, where a second thread saves little on
        # an idle machine and, spinning, costs several times over on a busy
        # one (README, "Speed").
        threads = max(0, int(config.get("threads") or 0)) or 1
        return ctranslate2.Encoder(str(model_dir), device="cpu", compute_type=self.compute_type,
                                   intra_threads=threads), "cpu"

    def _load_ct2(self) -> Any:
        from tokenizers import Tokenizer

        try:
            model_dir = self._convert()
        except Exception as exc:  # noqa: BLE001 - any converter failure falls back
            reason = first_line(exc)
            self._remember_failure(reason)
            _warn(f"cannot convert embedding model {self.model_id} for CTranslate2 ({reason}); "
                  "using sentence-transformers")
            self.notes.append(f"sentence-transformers engine: its CTranslate2 conversion failed ({reason})")
            self.engine, self.compute_type = ST, "float32"
            return None
        try:
            tokenizer = Tokenizer.from_file(str(self.layout.transformer / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - reported as one line
            raise ModelUnavailable(f"cannot load the tokenizer of embedding model {self.model_id} "
                                   f"({first_line(exc)})") from None
        tokenizer.no_padding()  # batches are padded by CTranslate2; a fixed padding would change means
        tokenizer.enable_truncation(self.layout.max_length)
        encoder, device = self._open_encoder(model_dir, tokenizer.encode("probe").ids)
        return encoder, tokenizer, device

    def _remember_failure(self, reason: str) -> None:
        path = self.conversion_dir()
        record = path.with_name(path.name + FAILED_SUFFIX)
        try:
            from .fileio import atomic_write_text

            record.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(record, json.dumps({"error": reason, "ctranslate2": _ct2_version()}) + "\n")
        except (OSError, ToolkitError):
            pass  # not remembering costs a retry next time, nothing else

    def _run_ct2(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        encoder, tokenizer, device = self._model
        if self.layout.lowercase:
            texts = [t.lower() for t in texts]
        encodings = tokenizer.encode_batch(list(texts))
        # Similar lengths share a batch, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        types = self.layout.model_type == "bert"
        result: np.ndarray | None = None
        for start in range(0, len(order), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            ids = [encodings[i].ids for i in idx]
            extra = {"token_type_ids": [encodings[i].type_ids for i in idx]} if types else {}
            hidden = encoder.forward_batch(ids, **extra).last_hidden_state
            if device != "cpu":
                import ctranslate2

                hidden = hidden.to_device(ctranslate2.Device.cpu)
            states = np.asarray(hidden, dtype=np.float32)
            pooled = pool(states, np.array([len(i) for i in ids]), self.layout.pooling)
            if result is None:
                result = np.empty((len(texts), pooled.shape[1]), dtype=np.float32)
            result[idx] = pooled
        assert result is not None
        norms = np.linalg.norm(result, axis=1, keepdims=True)
        return result / np.maximum(norms, 1e-12)

    # -- sentence-transformers --------------------------------------------

    def _load_st(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelUnavailable(f"sentence-transformers is not installed ({exc}); "
                                   "pip install sentence-transformers") from None
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # noqa: BLE001 - cosmetic only
            pass
        try:
            return SentenceTransformer(self._path, device=self.device, trust_remote_code=False)
        except Exception as exc:  # noqa: BLE001 - any load failure is reported as one line
            raise ModelUnavailable(f"cannot load embedding model {self.model_id} ({first_line(exc)})") from None

    # -- model -------------------------------------------------------------

    def _load(self) -> Any:
        """Load the model for the current engine; the engine may change to
        sentence-transformers when the conversion fails."""
        if self._model is None:
            memo = (self._path, self.revision, self.engine, self.compute_type, str(self.device))
            if memo in _LOADED:
                self._model = _LOADED[memo]
            elif self.engine == CT2:
                self._model = self._load_ct2()
            if self._model is None and self.engine == ST:
                memo = (self._path, self.revision, ST, "float32", str(self.device))
                self._model = _LOADED.get(memo) or self._load_st()
            _LOADED[memo] = self._model
            if self.engine == CT2:
                self.device = self._model[2]
        self.loaded = True
        return self._model

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        if self.engine == CT2:
            return self._run_ct2(texts)
        vecs = self._model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    # -- public ------------------------------------------------------------

    def _lookup(self, unique: Sequence[str]) -> dict[str, np.ndarray]:
        import numpy as np

        vectors: dict[str, np.ndarray] = {}
        if not (self.use_cache and self.revision):
            return vectors
        keys = {t: self._key(t) for t in unique}
        cached = self._read_cache(list(keys.values()))
        for t in unique:
            blob = cached.get(keys[t])
            if blob is not None:
                vec = np.frombuffer(blob, dtype=np.float32)
                if np.isfinite(vec).all() and abs(float(vec @ vec) - 1.0) < 1e-3:
                    vectors[t] = vec
        return vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An array of shape (len(texts), dim), one unit-length row per text."""
        import numpy as np

        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors = self._lookup(unique)
        missing = [t for t in unique if t not in vectors]
        if missing:
            engine = self.engine
            self._load()
            if self.engine != engine:  # fell back: that engine's vectors may be cached
                vectors = self._lookup(unique)
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


__all__ = ["Embedder", "get_embedder", "describe", "hub_snapshot", "hub_cache", "read_layout", "pool",
           "CACHE_FILE", "COMPUTE_TYPE"]
