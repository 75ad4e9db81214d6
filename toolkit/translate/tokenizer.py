"""The tokenizer and token limits of a Hugging Face checkpoint, shared by both
engines (CTranslate2 runs the converted model but tokenizes with the
checkpoint's own tokenizer). transformers is imported only when loading."""
from __future__ import annotations

import json
from typing import Any

from ..errors import ModelUnavailable
from .models import ModelRef, read_model_config


def quiet_transformers() -> None:
    """The CLI draws its own progress bar; transformers' per-load bars and its
    advice to install sacremoses (used only for training data) are noise."""
    import warnings

    from transformers.utils import logging

    logging.disable_progress_bar()
    warnings.filterwarnings("ignore", message=".*sacremoses.*")


def _tokenizer_class(ref: ModelRef) -> Any:
    """The tokenizer class the model names, taken from transformers itself
    (never remote code). Loading it directly rather than through
    AutoTokenizer keeps torch out of the CTranslate2 engine's process:
    AutoTokenizer imports torch, the tokenizer classes do not."""
    import transformers

    try:
        cfg = json.loads((ref.path / "tokenizer_config.json").read_text(encoding="utf-8"))
        name = cfg.get("tokenizer_class")
    except (OSError, ValueError):
        name = None
    cls = getattr(transformers, name, None) if isinstance(name, str) and name.endswith(("Tokenizer", "Fast")) \
        else None
    if cls is None:
        from transformers import AutoTokenizer

        return AutoTokenizer
    return cls


def load_tokenizer(ref: ModelRef) -> Any:
    quiet_transformers()
    kwargs: dict[str, Any] = {"trust_remote_code": False}
    if ref.src_lang:
        kwargs.update(src_lang=ref.src_lang, tgt_lang=ref.tgt_lang)
    try:
        return _tokenizer_class(ref).from_pretrained(str(ref.path), **kwargs)
    except (OSError, ValueError, ImportError) as exc:
        raise ModelUnavailable(f"cannot load the tokenizer of {ref.model_id} from {ref.path} "
                               f"({str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__})") from None


def model_limits(ref: ModelRef, tokenizer: Any) -> tuple[int, int]:
    """Input and output token limits from the model's own configuration."""
    cfg = read_model_config(ref.path)
    positions = int(cfg.get("max_position_embeddings") or 512)
    tok_max = getattr(tokenizer, "model_max_length", None)
    max_in = min(positions, int(tok_max)) if isinstance(tok_max, int) and 0 < tok_max < 100_000 else positions
    # Decoder positions hold the start token, a forced language code (NLLB)
    # and the end-of-sentence slot besides the content tokens.
    max_out = positions - 2 - (1 if ref.tgt_lang else 0)
    return max_in, max_out
