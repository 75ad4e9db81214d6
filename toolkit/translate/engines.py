"""The translation engines by name, the way sacrebleu keeps its metrics:
``ENGINES[name].load(ref, device, threads, compute_type)`` returns a
`Translator`. Their order is the order "auto" tries them on one device.
Each engine module (and its heavy library) is imported only when it loads."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .base import Translator
    from .models import ModelRef


@dataclass(frozen=True)
class Engine:
    name: str
    # (model, device, threads, compute type) -> a loaded translator
    load: Callable[[ModelRef, str, int, str], Translator]
    # device -> the compute type used there
    compute_type: Callable[[str], str]
    # libraries whose versions can change the output (part of the cache key)
    packages: tuple[str, ...]


def _load_ct2(ref: ModelRef, device: str, threads: int, compute_type: str) -> Translator:
    from .ct2 import CT2Translator

    return CT2Translator(ref, device=device, threads=threads, compute_type=compute_type)


def _ct2_compute_type(device: str) -> str:
    from .ct2 import default_compute_type

    return default_compute_type(device)


def _load_hf(ref: ModelRef, device: str, threads: int, compute_type: str) -> Translator:
    from .hf import HFTranslator

    return HFTranslator(ref, device=device, threads=threads)


def _hf_compute_type(device: str) -> str:
    return "float16" if device == "cuda" else "float32"


ENGINES: dict[str, Engine] = {
    "ctranslate2": Engine("ctranslate2", _load_ct2, _ct2_compute_type, ("ctranslate2", "sentencepiece", "transformers")),
    "transformers": Engine("transformers", _load_hf, _hf_compute_type, ("transformers", "torch", "sentencepiece")),
}
# What --engine accepts: a name, or "auto" (the best that works here).
ENGINE_CHOICES: tuple[str, ...] = ("auto", *ENGINES)
