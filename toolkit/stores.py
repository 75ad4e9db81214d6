"""Pieces shared by the toolkit's caches and model loaders: whether the
Hugging Face hub may be used, a fingerprint for a local model directory,
and a SQLite cache file that survives damage."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

from .errors import ToolkitError


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


def open_sqlite(path: Path, schema: str, table: str) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating) a cache database. A file that is not a database
    (truncated, overwritten) is moved aside for inspection and a fresh one
    started; the second value says where it went, or None."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolkitError(f"{path.parent}: cannot create the cache directory ({exc}); "
                           "set TOOLKIT_CACHE_DIR to a writable directory") from None

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(str(path), timeout=30)
        try:
            con.execute(schema)
            con.execute(f"SELECT count(*) FROM {table} LIMIT 1").fetchone()
            con.commit()
        except sqlite3.DatabaseError:
            con.close()
            raise
        return con

    try:
        return connect(), None
    except sqlite3.DatabaseError:
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        path.replace(aside)
        return connect(), str(aside)
