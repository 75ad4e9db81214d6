"""Settings resolved as: command-line option > environment > config file >
built-in default. Nothing is read at import time; call `get()`.

Environment variables are ``TOOLKIT_<KEY>`` (for example
``TOOLKIT_CACHE_DIR``, ``TOOLKIT_MODEL``); the config file is TOML at
``$TOOLKIT_CONFIG`` or ``<user config dir>/toolkit/config.toml``.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping, Sequence

from .errors import InputError

DEFAULTS: dict[str, Any] = {
    "model": "best",
    "model_revision": None,
    "engine": "auto",
    "device": "auto",
    "beam": 4,
    "batch_tokens": 0,  # 0 = by device: 2048 on CPU, sized to the free memory on a GPU
    "threads": 0,
    "embedder": "sentence-transformers/all-MiniLM-L6-v2",
    "embed_engine": "auto",
    # The spaCy pipeline the fact layer reads English with: a package name
    # (installed the spaCy way) or a model directory.
    "nlp_model": "en_core_web_sm",
    "cache_dir": None,
    "max_input_mb": 50.0,
}


def config_path() -> Path:
    env = os.environ.get("TOOLKIT_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("toolkit")) / "config.toml"


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"invalid config file ({exc})", str(path)) from None
    unknown = sorted(set(data) - set(DEFAULTS))
    if unknown:
        raise InputError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}", str(path))
    return data


def _coerce(key: str, value: Any) -> Any:
    """`value` (from the environment or the config file) as the setting's
    type: InputError (exit 2) naming the setting when it is not one."""
    default = DEFAULTS[key]
    if isinstance(default, bool) or isinstance(value, bool):
        raise InputError(f"setting {key} must be {_KIND[type(default)]}, got {value!r}")
    if isinstance(default, int):
        if isinstance(value, int):
            return value
        try:
            return int(str(value))
        except ValueError:
            raise InputError(f"setting {key} must be an integer, got {value!r}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise InputError(f"setting {key} must be a number, got {value!r}") from None
    if not isinstance(value, str):
        raise InputError(f"setting {key} must be a string, got {value!r}")
    return value


_KIND = {int: "an integer", float: "a number", str: "a string", type(None): "a string"}


def get(key: str, cli_value: Any = None) -> Any:
    """The value of one setting, honouring the precedence above."""
    if key not in DEFAULTS:
        raise KeyError(key)
    if cli_value is not None:
        return cli_value
    env = os.environ.get(f"TOOLKIT_{key.upper()}")
    if env not in (None, ""):
        return _coerce(key, env)
    file_values = _read_file(config_path())
    if key in file_values:
        return _coerce(key, file_values[key])
    return DEFAULTS[key]


def check(choices: Mapping[str, Sequence[str]] | None = None) -> None:
    """Every setting from the environment and the config file, type-checked
    (InputError for the first that is wrong), a setting with a fixed set of
    values (`choices`: setting -> values; they live with the engines and
    devices, above this module, so the caller gives them) checked against
    it, and a cache directory that is set explicitly created; called before
    any command runs, so a bad setting fails the same way whichever command
    is run."""
    for key in DEFAULTS:
        value = get(key)
        allowed = (choices or {}).get(key)
        if allowed is not None and value not in allowed:
            raise InputError(f"unknown {key.replace('_', ' ')} {value!r} (setting {key}, {_origin(key)}); "
                             f"choose one of {', '.join(allowed)}")
    explicit = os.environ.get("TOOLKIT_CACHE_DIR") or _read_file(config_path()).get("cache_dir")
    if explicit:
        path = Path(explicit).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"setting cache_dir: cannot create {path} ({exc.strerror or exc}); set "
                             "TOOLKIT_CACHE_DIR (or cache_dir in the config file) to a writable directory") from None


def _origin(key: str) -> str:
    """Where the value of a setting came from, for an error about it."""
    env = f"TOOLKIT_{key.upper()}"
    return f"from {env}" if os.environ.get(env) not in (None, "") else f"from {config_path()}"


def cache_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """Root of the toolkit's own caches (translations, embeddings, converted
    models). Model downloads stay in the standard Hugging Face cache."""
    value = get("cache_dir", cli_value)
    if value:
        return Path(value).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("toolkit"))
