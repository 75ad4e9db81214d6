"""Where the CTranslate2 embedding engine runs: the GPU when CTranslate2
sees one and a tiny probe encode works there, otherwise the CPU (with a
one-line warning when a GPU was seen but failed)."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from .. import config
from ..errors import DeviceFallbackWarning, InputError, ModelUnavailable, first_line


def cuda_devices() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # noqa: BLE001 - a CPU-only build or a broken driver both mean "no GPU"
        return 0


def open_encoder(model_dir: Path, probe: list[int], *, model_id: str, compute_type: str,
                 device: str | None) -> tuple[Any, str, str | None]:
    """(ctranslate2.Encoder, device it runs on, why not the GPU or None).
    `device`: None or "auto" (the GPU when it works), "cpu" or "cuda" (the
    GPU or an error, never a silent CPU)."""
    import ctranslate2

    wanted = device or "auto"
    if wanted not in ("auto", "cpu", "cuda"):
        raise InputError(f"unknown device {wanted!r} for the embedding model; use cpu or cuda")
    note = None
    if wanted == "cuda" or (wanted == "auto" and cuda_devices() > 0):
        try:
            encoder = ctranslate2.Encoder(str(model_dir), device="cuda", compute_type=compute_type)
            # CUDA libraries load lazily: only an encode shows that they work.
            encoder.forward_batch([probe])
            return encoder, "cuda", None
        except Exception as exc:  # noqa: BLE001 - any GPU failure means the CPU
            if wanted == "cuda":
                raise ModelUnavailable(f"cannot run embedding model {model_id} on the GPU "
                                       f"({first_line(exc)})") from None
            warnings.warn(f"the GPU cannot run the embedding model ({first_line(exc)}); using the CPU",
                          DeviceFallbackWarning, stacklevel=5)
            note = f"GPU unusable ({first_line(exc)}); ran on the CPU"
    # One thread per batch unless the ``threads`` setting says otherwise: a
    # brief encodes a few thousand tokens, where a second thread saves
    # little on an idle machine and, spinning, costs several times over on
    # a busy one (README, "Speed"). A big story's batches run side by side
    # instead, one worker per core (`workers`): a worker waiting for a
    # batch sleeps rather than spins.
    threads = max(0, int(config.get("threads") or 0)) or 1
    return ctranslate2.Encoder(str(model_dir), device="cpu", compute_type=compute_type, intra_threads=threads,
                               inter_threads=workers()), "cpu", note


def workers() -> int:
    """Batches the CPU encoder runs at once: one per core the ``threads``
    setting leaves (all of them when it is 0)."""
    import os

    cores = os.cpu_count() or 1
    threads = max(0, int(config.get("threads") or 0)) or 1
    return max(1, cores // threads)


__all__ = ["cuda_devices", "open_encoder", "workers"]
