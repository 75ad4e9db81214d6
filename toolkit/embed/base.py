"""The one interface every embedding engine implements, and the models
loaded so far in this process (shared by every `Embedder`)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

CT2 = "ctranslate2"
ST = "sentence-transformers"
# What the ``embed_engine`` setting accepts: an engine, or "auto" to prefer
# CTranslate2 and fall back to sentence-transformers.
ENGINE_CHOICES = ("auto", CT2, ST)
# Texts sent to the model per call; small enough to keep peak memory low on CPU.
BATCH_SIZE = 64

# progress(step, done, total): "convert" (0 of 1, then 1 of 1) while a model
# is converted, "embed" (texts) while new texts are encoded. Library code
# never prints; the command line draws what it is told. The brief passes
# the embedder's callback on to its own steps ("parse", `toolkit.brief.steps`).
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    return None


class Encoder(ABC):
    """A loaded model that turns texts into unit-length float32 vectors."""

    engine: str
    compute_type: str
    device: str | None  # where it runs (None: wherever the library chose)
    device_note: str | None = None  # why it does not run where it was asked to

    @abstractmethod
    def encode(self, texts: Sequence[str], progress: Progress) -> np.ndarray:
        """An array of shape (len(texts), dim), one unit-length row per text."""


# Loaded models by (path, revision, engine, compute type, device asked for).
_LOADED: dict[tuple[str, ...], Encoder] = {}


def loaded(key: tuple[str, ...]) -> Encoder | None:
    return _LOADED.get(key)


def keep(key: tuple[str, ...], encoder: Encoder) -> None:
    _LOADED[key] = encoder


__all__ = ["CT2", "ST", "ENGINE_CHOICES", "BATCH_SIZE", "Progress", "no_progress", "Encoder", "loaded", "keep"]
