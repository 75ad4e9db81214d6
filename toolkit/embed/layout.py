"""What a sentence-transformers model directory says about running it
(``modules.json``, pooling and sentence-bert configurations, the model
config), and the pooling itself, for engines that compute token vectors
and pool them here."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import ModelUnavailable

if TYPE_CHECKING:  # numpy is imported lazily: `toolkit --help` stays fast
    import numpy as np

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


__all__ = ["Layout", "read_layout", "pooling_modes", "pool", "POOLING_MODES", "CT2_ENCODERS"]
