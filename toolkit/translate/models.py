"""Where translation models come from: presets, Hugging Face ids and local
directories, all resolved through the standard Hugging Face cache
(``HF_HOME`` / ``HF_HUB_CACHE``). Nothing here imports torch or
transformers, so resolving a model for a fully cached run stays cheap.

Remote code is never run: models load with ``trust_remote_code=False``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config
from ..errors import InputError, ModelUnavailable
from ..hub import (  # noqa: F401 - safe_name and IGNORE_PATTERNS stay importable here
    IGNORE_PATTERNS, cached_snapshot, dir_fingerprint, fetch_snapshot, hub_cache, hub_offline, is_hub_id, safe_name)


@dataclass(frozen=True)
class Preset:
    """A named model with the published scores shown in the README."""

    name: str
    model_id: str
    src_lang: str | None
    tgt_lang: str | None
    description: str
    bleu: float
    chrf: float
    testset: str
    scores_from: str


# Published FLORES devtest figures (Arabic to English), from the OPUS-MT
# leaderboard and the External-MT leaderboard (Helsinki-NLP).
PRESETS: dict[str, Preset] = {
    "best": Preset(
        "best", "Helsinki-NLP/opus-mt-tc-big-ar-en", None, None,
        "OPUS-MT transformer-big, the most accurate preset",
        42.8, 67.2, "FLORES-200 devtest", "OPUS-MT leaderboard (Helsinki-NLP)"),
    "fast": Preset(
        "fast", "Helsinki-NLP/opus-mt-ar-en", None, None,
        "OPUS-MT transformer-base, about 4x smaller and faster",
        33.9, 61.0, "FLORES-101 devtest", "OPUS-MT leaderboard (Helsinki-NLP)"),
    "nllb": Preset(
        "nllb", "facebook/nllb-200-distilled-600M", "arb_Arab", "eng_Latn",
        "NLLB-200 distilled 600M, multilingual",
        37.6, 62.7, "FLORES-200 devtest", "External-MT leaderboard (Helsinki-NLP)"),
}
DEFAULT_PRESET = "best"

# NLLB checkpoints use these language codes; a local model whose config says
# it is NLLB/M2M100 gets them unless the caller names others.
NLLB_SOURCE = "arb_Arab"
NLLB_TARGET = "eng_Latn"


@dataclass(frozen=True)
class ModelRef:
    """A model resolved to files on disk.

    ``revision`` is the Hugging Face snapshot commit for hub models and a
    fingerprint of the files (names, sizes, modification times) for local
    directories, so cached translations are never reused across changed
    weights.
    """

    model_id: str
    path: Path
    revision: str
    model_type: str
    src_lang: str | None = None
    tgt_lang: str | None = None
    preset: str | None = None

    @property
    def is_nllb(self) -> bool:
        return self.src_lang is not None


def fetch_hint(name: str, model_id: str) -> str:
    preset = name if name in PRESETS else model_id
    return f"`toolkit models download {preset}` (or `hf download {model_id}`)"


def read_model_config(path: Path) -> dict[str, Any]:
    cfg = path / "config.json"
    try:
        return json.loads(cfg.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelUnavailable(f"{path}: no config.json; not a Hugging Face model directory") from None
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"{cfg}: unreadable model config ({exc})") from None


def _languages(model_type: str, preset: Preset | None) -> tuple[str | None, str | None]:
    if preset is not None and preset.src_lang:
        return preset.src_lang, preset.tgt_lang
    if model_type in ("m2m_100", "nllb", "nllb_moe"):
        return NLLB_SOURCE, NLLB_TARGET
    return None, None


def _from_dir(path: Path, model_id: str, revision: str, preset: Preset | None) -> ModelRef:
    cfg = read_model_config(path)
    model_type = str(cfg.get("model_type", ""))
    src, tgt = _languages(model_type, preset)
    return ModelRef(model_id, path, revision, model_type, src, tgt, preset.name if preset else None)


def resolve(model: str | None = None, *, download: bool = True) -> ModelRef:
    """A preset name, Hugging Face id or local directory, as files on disk.

    Hub models come from the Hugging Face cache and are downloaded on first
    use when online; offline with no cached copy, the error names the model
    and the command that fetches it.
    """
    name = str(config.get("model", model))
    preset = PRESETS.get(name)
    local = Path(name).expanduser()
    if preset is None and (local.is_dir() or name.startswith((".", "/", "~"))):
        if not local.is_dir():
            raise ModelUnavailable(f"model directory {name} does not exist")
        path = local.resolve()
        return _from_dir(path, str(path), dir_fingerprint(path), None)
    name, revision = split_revision(name)
    preset = PRESETS.get(name)
    model_id = preset.model_id if preset else name
    if not is_hub_id(model_id):
        known = ", ".join(PRESETS)
        raise InputError(f"unknown model {name!r}: use a preset ({known}), a Hugging Face id "
                         "(owner/name, optionally @REVISION) or a local model directory")
    path = snapshot(model_id, name=name, download=download, revision=revision)
    return _from_dir(path, model_id, path.name, preset)


_REVISION = re.compile(r"^[\w.\-/]{1,100}$")


def split_revision(name: str) -> tuple[str, str | None]:
    """``ID@REVISION`` (or ``PRESET@REVISION``) → (ID, REVISION); the
    revision may also come from the model_revision setting."""
    revision = None
    if "@" in name:
        name, _, revision = name.rpartition("@")
        if not revision or not _REVISION.match(revision) or ".." in revision:
            raise InputError(f"model revision {revision!r} is not a commit hash, branch or tag name")
    if revision is None:
        setting = config.get("model_revision")
        revision = str(setting) if setting else None
    return name, revision


def _not_cached(model_id: str, name: str, *, download: bool, fetching: bool) -> str:
    """Why `model_id` cannot be had without the hub, and what to do."""
    why = "HF_HUB_OFFLINE=1 is set" if hub_offline() else "the Hugging Face hub is unreachable"
    if not download and not hub_offline():
        why = "downloads are off"
    if fetching and hub_offline():
        return (f"cannot download {model_id}: HF_HUB_OFFLINE=1 is set; "
                "unset it (while online) and run the command again")
    return (f"model {model_id} is not in the Hugging Face cache ({hub_cache()}) and {why}; "
            f"fetch it while online with {fetch_hint(name, model_id)}, or brief from English you already have "
            "with --translations (e.g. `toolkit summarize --cite --translations examples/en/ examples/`)")


def snapshot(model_id: str, *, name: str | None = None, download: bool = True, fetching: bool = False,
             revision: str | None = None) -> Path:
    """The cached snapshot directory of `model_id` (at `revision`, else the
    one the cache's ``main`` ref names). A cached model is used without any
    network call; the hub is asked only when nothing usable is cached, or
    when `fetching` (``toolkit models download``, the way to update)."""
    name = name or model_id
    offline = hub_offline() or not download
    kwargs: dict[str, Any] = {"revision": revision} if revision else {}
    path = None if fetching else cached_snapshot(model_id, **kwargs)
    if path is not None and not (path / "config.json").is_file():
        path = None  # an incomplete copy: fetch it (or say how) below
    if path is None:
        path = fetch_snapshot(
            model_id, what="model", hint=f"try again online or run {fetch_hint(name, model_id)}",
            missing=lambda: _not_cached(model_id, name, download=download, fetching=fetching),
            local_files_only=offline, **kwargs)
    if not (path / "config.json").is_file():
        raise ModelUnavailable(f"the cached copy of {model_id} at {path} is incomplete (no config.json); "
                               f"fetch it again with {fetch_hint(name, model_id)}")
    return path


def download(names: list[str]) -> list[ModelRef]:
    """Fetch presets or hub ids into the Hugging Face cache."""
    refs = []
    for name in names or [DEFAULT_PRESET]:
        name, revision = split_revision(name)
        preset = PRESETS.get(name)
        model_id = preset.model_id if preset else name
        if not is_hub_id(model_id):
            raise InputError(f"unknown model {name!r}: use a preset ({', '.join(PRESETS)}) or a Hugging Face id")
        path = snapshot(model_id, name=name, download=True, fetching=True, revision=revision)
        refs.append(_from_dir(path, model_id, path.name, preset))
    return refs


def conversions_root() -> Path:
    return config.cache_dir() / "ct2"


def conversion_dir(ref: ModelRef, quantization: str) -> Path:
    return conversions_root() / safe_name(ref.model_id) / ref.revision / quantization


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def list_models() -> list[dict[str, Any]]:
    """Models in the Hugging Face cache with their size, revision and the
    CTranslate2 conversions the toolkit made of them."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    presets = {p.model_id: p.name for p in PRESETS.values()}
    rows = []
    try:
        info = scan_cache_dir(hub_cache())
        repos = [r for r in info.repos if r.repo_type == "model"]
    except CacheNotFound:
        repos = []
    for repo in sorted(repos, key=lambda r: r.repo_id):
        for rev in sorted(repo.revisions, key=lambda r: r.last_modified, reverse=True):
            conv_base = conversions_root() / safe_name(repo.repo_id) / rev.commit_hash
            conversions = sorted(p.name for p in conv_base.iterdir() if (p / "model.bin").is_file()) \
                if conv_base.is_dir() else []
            rows.append({
                "model": repo.repo_id,
                "preset": presets.get(repo.repo_id, ""),
                "revision": rev.commit_hash,
                "size": rev.size_on_disk,
                "path": str(rev.snapshot_path),
                "ctranslate2": conversions,
            })
    return rows
