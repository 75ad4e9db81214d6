"""Where the embedding model comes from: a local directory, or a Hugging
Face id read from the standard hub cache (``HF_HOME`` / ``HF_HUB_CACHE``)
and downloaded once when online. A cached model needs neither torch nor a
network."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, ModelUnavailable
from ..hub import dir_fingerprint, fetch_snapshot, hub_cache, hub_offline, is_hub_id


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


def fetch_hint(model_id: str) -> str:
    return (f"fetch it while online with `toolkit models download --embedder {model_id}` (or `hf download "
            f"{model_id}`), or point --embedder (TOOLKIT_EMBEDDER) at a cached model or a local model directory")


def download(model_id: str) -> tuple[str, Path]:
    """Download `model_id` into the Hugging Face cache. Without a network
    this fails at once with one line saying what to do (no retries)."""
    path = fetch_snapshot(
        model_id, what="embedding model", hint=fetch_hint(model_id),
        missing=lambda: (f"embedding model {model_id} is not in the Hugging Face cache ({hub_cache()}) "
                         f"and the Hugging Face hub is unreachable; {fetch_hint(model_id)}"))
    return path.name, path


def fetch(name: str) -> tuple[str, Path]:
    """(revision, files) of the embedding model `name` as `toolkit models
    download` gets it: a local directory is only checked; a hub id is
    fetched, or brought up to date, from the hub, and with HF_HUB_OFFLINE=1
    a cached copy is kept as it is."""
    if is_hub_id(name) and not Path(name).expanduser().is_dir():
        if not hub_offline():
            return download(name)
        if hub_snapshot(name) is None:
            raise ModelUnavailable(f"cannot download embedding model {name}: HF_HUB_OFFLINE=1 is set; "
                                   "unset it (while online) and run the command again")
    path, revision = locate(name)
    return revision, Path(path)


def locate(name: str) -> tuple[str, str]:
    """(path, revision) of the model `name`: a local directory (revision: a
    fingerprint of its files) or a hub id (revision: the snapshot commit)."""
    local = Path(name).expanduser()
    if local.is_dir():
        if not (local / "modules.json").is_file() and not (local / "config.json").is_file():
            raise ModelUnavailable(f"{local}: not a sentence-transformers model directory "
                                   "(no modules.json or config.json)")
        return str(local), dir_fingerprint(local)
    if name.startswith((".", "/", "~")):
        raise ModelUnavailable(f"embedding model directory {name} does not exist")
    if not is_hub_id(name):
        raise InputError(f"embedding model {name!r} is neither a Hugging Face id (owner/name) "
                         "nor an existing model directory")
    found = hub_snapshot(name)
    if found is not None:  # cached: used as it is, the hub is never contacted
        revision, snapshot = found
        return str(snapshot), revision
    if hub_offline():
        raise ModelUnavailable(f"embedding model {name} is not in the Hugging Face cache ({hub_cache()}) "
                               f"and HF_HUB_OFFLINE=1 is set; {fetch_hint(name)}")
    revision, snapshot = download(name)
    return str(snapshot), revision


__all__ = ["hub_snapshot", "locate", "download", "fetch", "fetch_hint"]
