"""The Hugging Face hub as the toolkit's model loaders (translation models
and the embedder) see it: whether it may be contacted, where its cache is,
what an id looks like, which files a download skips, how a download failure
reads, a directory name for a model, a fingerprint for a local model
directory, and whether CTranslate2 is installed."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Callable

from .errors import ModelUnavailable, first_line

# A hub id names its owner: "owner/name". The hub still redirects a few
# legacy ids without an owner, but accepting a bare word would send every
# mistyped local directory name to the network.
HF_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
# Weights of other frameworks are never needed to run a model.
IGNORE_PATTERNS = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "onnx/*", "*.tflite", "tf_model*", "flax_model*",
                   "rust_model*", "*.mlmodel", "coreml/*", "openvino/*"]


def is_hub_id(name: str) -> bool:
    """Whether `name` has the form of a Hugging Face model id (owner/name)."""
    return bool(HF_ID.match(name))


def hub_offline() -> bool:
    """True when the Hugging Face hub must not be contacted (HF_HUB_OFFLINE)."""
    value = os.environ.get("HF_HUB_OFFLINE")
    if value is not None:
        return value.strip().lower() in ("1", "true", "yes", "on")
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def hub_cache() -> Path:
    """The Hugging Face hub cache, read from the environment at call time
    (``HF_HUB_CACHE``, else ``HF_HOME``/hub): huggingface_hub reads it only
    once, at import."""
    env = os.environ.get("HF_HUB_CACHE")
    if env:
        return Path(env).expanduser()
    home = os.environ.get("HF_HOME")
    if home:
        return Path(home).expanduser() / "hub"
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def dir_fingerprint(path: Path) -> str:
    """A revision for a local model directory: changes whenever a file in it
    is added, removed, resized or rewritten, so caches keyed on it stay
    correct without hashing gigabytes of weights."""
    digest = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        st = f.stat()
        digest.update(f"{f.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return "local-" + digest.hexdigest()[:16]


def safe_name(model_id: str) -> str:
    """A directory name for a model id or path: readable when it can be,
    with a hash when the id is long or an absolute path (two paths must
    never share a directory)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "--", model_id).strip("-.") or "model"
    if len(slug) > 80 or model_id.startswith("/"):
        slug = slug[-60:].lstrip("-.") + "-" + hashlib.sha256(model_id.encode()).hexdigest()[:10]
    return slug


def cached_snapshot(model_id: str, **kwargs: Any) -> Path | None:
    """The snapshot of `model_id` already in the hub cache, or None; never
    contacts the hub."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(model_id, cache_dir=hub_cache(), ignore_patterns=IGNORE_PATTERNS,
                                      local_files_only=True, **kwargs))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None


def fetch_snapshot(model_id: str, *, what: str, hint: str, missing: Callable[[], str],
                   **kwargs: Any) -> Path:
    """`snapshot_download` into the hub cache with the toolkit's ignore
    patterns, every failure one `ModelUnavailable` line: `missing()` says
    what to do when the files are neither cached nor reachable, `hint` how
    to fetch them after any other failure; `what` names the model's role
    ("model", "embedding model")."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

    try:
        return Path(snapshot_download(model_id, cache_dir=hub_cache(), ignore_patterns=IGNORE_PATTERNS, **kwargs))
    except LocalEntryNotFoundError:
        raise ModelUnavailable(missing()) from None
    except RepositoryNotFoundError:
        raise ModelUnavailable(f"{what} {model_id} does not exist on the Hugging Face hub "
                               "(or is private); check the id") from None
    except (HfHubHTTPError, OSError) as exc:
        raise ModelUnavailable(f"cannot fetch {what} {model_id} ({first_line(exc)}); {hint}") from None


def ct2_version() -> str | None:
    """The installed CTranslate2 version, or None when it is not installed.
    Read from the package metadata, so nothing is imported."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ctranslate2")
    except PackageNotFoundError:
        return None


def ct2_available() -> bool:
    return ct2_version() is not None
