"""The Hugging Face hub as the toolkit's model loaders see it: whether it
may be contacted, where its cache is, and a fingerprint for a local model
directory."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
