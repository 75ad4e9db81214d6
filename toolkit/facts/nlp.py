"""The spaCy pipeline the fact layer reads English with: which one
(`nlp_model` setting), whether it is here, loading it once per process, and
fetching it the spaCy way."""
from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

from ..errors import ModelUnavailable, first_line

# The pipeline a brief needs by default: spaCy's small English model
# (tagger, parser, named entities, lemmatizer; about 13 MB).
SPACY_MODEL = "en_core_web_sm"
# Components the fact layer never reads; leaving them out saves parse time.
UNUSED = ("senter",)

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def model_name(cli_value: str | None = None) -> str:
    """The pipeline to use: a package name or a model directory."""
    from .. import config

    return str(config.get("nlp_model", cli_value) or SPACY_MODEL)


def is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.startswith(".") or Path(name).is_dir()


def status(name: str | None = None) -> dict[str, Any]:
    """What `toolkit models list` shows for the pipeline: its name, whether
    it is here, its version and size on disk."""
    name = name or model_name()
    info: dict[str, Any] = {"name": name, "kind": "nlp", "present": False, "version": "", "bytes": 0}
    where = _location(name)
    if where is not None:
        info["present"] = True
        info["bytes"] = sum(p.stat().st_size for p in where.rglob("*") if p.is_file())
        meta = where / "meta.json"
        if meta.is_file():
            import json

            info["version"] = str(json.loads(meta.read_text(encoding="utf-8")).get("version", ""))
    return info


def _location(name: str) -> Path | None:
    """The model directory of `name`, or None where it is not installed."""
    if is_path(name):
        path = Path(name).expanduser()
        return path if (path / "config.cfg").is_file() else None
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(p.parent for p in root.glob("*/config.cfg"))
    return found[-1] if found else (root if (root / "config.cfg").is_file() else None)


def pipeline_id(meta: dict[str, Any]) -> str:
    """What names a pipeline's readings in the cache: its language, name and
    version (from its meta.json, or a loaded pipeline's ``meta``)."""
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def installed_id(name: str | None = None) -> str:
    """`pipeline_id` of the pipeline `name` as installed, without loading it
    (a brief whose readings are all cached never does)."""
    import json

    name = name or model_name()
    where = _location(name)
    if where is None:
        load(name)  # raises, naming the command that fetches it
    meta = where / "meta.json"
    return pipeline_id(json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {})


@contextlib.contextmanager
def _without_torch() -> Iterator[None]:
    """spaCy's thinc imports torch when it is installed; the English
    pipeline never uses it, and importing it costs seconds on every brief."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def load(name: str | None = None) -> Any:
    """The loaded pipeline `name` (default: the `nlp_model` setting), once
    per process. ModelUnavailable, naming the command that fetches it,
    where it is not installed or does not load."""
    name = name or model_name()
    with _lock:
        if name in _loaded:
            return _loaded[name]
        where = _location(name)
        if where is None:
            hint = (f"no spaCy pipeline at {name}" if is_path(name) else
                    f"spaCy pipeline {name} is not installed; run `toolkit models download` "
                    f"(or `python -m spacy download {name}`)")
            raise ModelUnavailable(hint)
        try:
            with _without_torch():
                import spacy

                nlp = spacy.load(where, exclude=list(UNUSED))
        except Exception as exc:  # a broken or incompatible package
            raise ModelUnavailable(f"cannot load spaCy pipeline {name} ({first_line(exc)}); reinstall it with "
                                   "`toolkit models download`") from None
        _loaded[name] = nlp
        return nlp


def download(name: str | None = None) -> str:
    """Install the pipeline `name` the spaCy way (a pip install of its
    package); a model directory is only checked. Returns what is there."""
    name = name or model_name()
    if _location(name) is not None:
        return name
    if is_path(name):
        raise ModelUnavailable(f"no spaCy pipeline at {name}; set nlp_model to an installed pipeline")
    try:
        from spacy.cli import download as spacy_download

        spacy_download(name)
    except SystemExit as exc:  # spaCy's CLI exits on a failed download
        raise ModelUnavailable(f"could not download spaCy pipeline {name} (exit {exc.code}); check the "
                               f"network, or install it with `pip install {name}`") from None
    except Exception as exc:
        raise ModelUnavailable(f"could not download spaCy pipeline {name} ({first_line(exc)})") from None
    import importlib

    importlib.invalidate_caches()
    if _location(name) is None:
        raise ModelUnavailable(f"spaCy pipeline {name} was downloaded but is not importable; "
                               "restart the shell or install it with pip")
    return name
