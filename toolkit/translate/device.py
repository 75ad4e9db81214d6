"""Where a translation model runs: the order in which engines and devices
are tried, and what to do when one fails. Pure functions of what they are
given, tested without a GPU. The batch budget lives in `budget` (its names
stay importable here)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from .budget import (  # noqa: F401 - the budget's names stay importable here
    FALLBACK_CUDA_BUDGET, LOGIT_COPIES, MAX_CUDA_BATCH_TOKENS, MAX_CUDA_HYPOTHESES, MEMORY_SHARE,
    MIN_CUDA_BATCH_TOKENS, MIN_CUDA_SENTENCES, BatchBudget, ModelDims, cuda_batch_budget, dtype_bytes,
    free_cuda_bytes, is_out_of_memory)
from .engines import ENGINES

# The fix for the CTranslate2 wheels' CUDA 12 libraries on a machine whose
# CUDA libraries are another version (or absent): the extra installs cuBLAS 12
# from PyPI and the engine loads it from there.
CT2_CUDA_FIX = "pip install 'toolkit[cuda12]' (cuBLAS 12 for CTranslate2)"

def fix_hint(engine: str, device: str, exc: BaseException | None = None) -> str:
    """What to do about a failed engine/device, for one-line messages."""
    text = str(exc or "").lower()
    if device != "cuda":
        return "use --engine transformers" if engine == "ctranslate2" else "check the model and the install"
    if exc is not None and is_out_of_memory(exc):
        return "free GPU memory, lower --batch-tokens, or use --device cpu"
    if engine == "ctranslate2" and any(k in text for k in ("libcublas", "libcudnn", "cublas", "cudnn", "cuda")):
        return f"{CT2_CUDA_FIX}, or use --engine transformers or --device cpu"
    if engine == "ctranslate2":
        return "use --engine transformers or --device cpu"
    return "install a PyTorch build for this GPU's CUDA version, or use --device cpu"


@dataclass(frozen=True)
class Candidate:
    engine: str
    device: str


def candidates(engine: str, device: str, *, ct2_ok: bool,
               cuda_visible: Callable[[str], bool]) -> Iterator[Candidate]:
    """The engine/device pairs to try, best first, for a requested `engine`
    ("auto" or a name) and `device` ("auto", "cpu", "cuda").

    `ct2_ok` says whether CTranslate2 is installed and handles the model;
    `cuda_visible(engine)` whether that engine sees a GPU (asked lazily, in
    order, so a machine without a GPU never imports torch to find out).
    CUDA comes first when there is one: transformers on the GPU is faster
    than either engine on the CPU. An explicit engine or device is never
    swapped for another; `auto` is.
    """
    engines = [e for e in ENGINES if ct2_ok or e != "ctranslate2"] if engine == "auto" else [engine]
    if device in ("auto", "cuda"):
        for e in engines:
            if cuda_visible(e):
                yield Candidate(e, "cuda")
    if device in ("auto", "cpu"):
        for e in engines:
            yield Candidate(e, "cpu")
