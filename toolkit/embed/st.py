"""The sentence-transformers engine: the fallback for models CTranslate2
cannot run (extra modules, another architecture, no ``tokenizer.json``, a
failed conversion). Imports torch and sentence-transformers."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ..errors import ModelUnavailable, first_line
from .base import BATCH_SIZE, ST, Encoder, Progress

if TYPE_CHECKING:
    import numpy as np


class STEncoder(Encoder):
    engine = ST
    compute_type = "float32"

    def __init__(self, model: Any, device: str | None) -> None:
        self.model = model
        self.device = device

    @classmethod
    def load(cls, path: str, model_id: str, device: str | None) -> "STEncoder":
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
            return cls(SentenceTransformer(path, device=device, trust_remote_code=False), device)
        except Exception as exc:  # noqa: BLE001 - any load failure is reported as one line
            raise ModelUnavailable(f"cannot load embedding model {model_id} ({first_line(exc)})") from None

    def encode(self, texts: Sequence[str], progress: Progress) -> np.ndarray:
        import numpy as np

        # One call, so that sentence-transformers batches exactly as it
        # always has; progress is reported around it.
        progress("embed", 0, len(texts))
        vecs = self.model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        progress("embed", len(texts), len(texts))
        return np.asarray(vecs, dtype=np.float32)


__all__ = ["STEncoder"]
