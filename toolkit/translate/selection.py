"""Which engine and device a translation runs on: the pairs to try in
order, the probe that a CUDA path really runs, the fallback with its
one-line warning, and the CUDA paths that failed in this process.

`EngineSelector` holds all of it; `SELECTOR` is the process-wide one that
`get_translator` and `translate_articles` use unless given their own (a test
gives one that sees a GPU that is not there, or counts the models loaded).
"""
from __future__ import annotations

import warnings
from typing import Callable, Iterator, Mapping

from ..errors import DeviceFallbackWarning, InputError, ModelUnavailable, first_line
from .base import Translator
from .device import Candidate, candidates, fix_hint
from .engines import ENGINE_CHOICES, ENGINES, Engine
from .models import ModelRef, resolve

# What --device accepts.
DEVICES = ("auto", "cpu", "cuda")


def cuda_available(engine: str = "ctranslate2") -> bool:
    """Whether `engine` sees a GPU; asks torch only when CTranslate2 cannot
    answer for it."""
    from . import ct2

    if ct2.available() and engine == "ctranslate2":
        return ct2.cuda_devices() > 0
    if ct2.available() and ct2.cuda_devices() == 0:
        return False  # no GPU at all; spares importing torch to ask again
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # a torch that cannot initialise CUDA has no GPU to offer
        return False


def check_choice(engine: str, device: str) -> None:
    if engine not in ENGINE_CHOICES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if device not in DEVICES:
        raise InputError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")


def release_cuda() -> None:
    """Hand a failed model's cached GPU memory back before the next try."""
    import gc
    import sys

    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            torch.cuda.empty_cache()
        except Exception:  # nothing to release on a broken CUDA setup
            pass


class EngineSelector:
    """Chooses and loads engine/device pairs. `cuda_visible(engine)` says
    whether an engine sees a GPU (default: ask the libraries); `engines` is
    the registry to choose from. CUDA paths that failed are remembered in
    `failed` (with the one-line cause) and skipped by later loads, instead
    of loading a model only to fail again."""

    def __init__(self, *, cuda_visible: Callable[[str], bool] | None = None,
                 engines: Mapping[str, Engine] | None = None) -> None:
        self.cuda_visible = cuda_visible or cuda_available
        self.engines = engines if engines is not None else ENGINES
        self.failed: dict[tuple[str, str, str], str] = {}

    def compute_type(self, engine: str, device: str) -> str:
        return self.engines[engine].compute_type(device)

    def candidates(self, ref: ModelRef, engine: str, device: str) -> Iterator[Candidate]:
        """The engine/device pairs to try in order (see `device.candidates`);
        never empty: a request nothing can serve is an error here."""
        from . import ct2

        check_choice(engine, device)
        if engine == "ctranslate2" and not ct2.available():
            raise InputError("--engine ctranslate2 needs the ctranslate2 package (pip install ctranslate2)")
        ct2_ok = ct2.available() and ref.model_type in ct2.SUPPORTED_TYPES
        found = candidates(engine, device, ct2_ok=ct2_ok, cuda_visible=self.cuda_visible)
        first = next(found, None)
        if first is None:
            who = "PyTorch" if engine == "transformers" else "CTranslate2 or PyTorch" if engine == "auto" \
                else "CTranslate2"
            raise ModelUnavailable(f"--device cuda: no CUDA device is visible to {who}; "
                                   "check the GPU driver (nvidia-smi), or use --device cpu")
        yield first
        yield from found

    def first(self, ref: ModelRef, engine: str = "auto", device: str = "auto") -> tuple[str, str, str]:
        """(engine, device, compute type) tried first, loading nothing."""
        pick = next(self.candidates(ref, engine, device))
        return pick.engine, pick.device, self.compute_type(pick.engine, pick.device)

    def load(self, ref: ModelRef, engine: str, device: str, threads: int) -> Translator:
        """One engine on one device; a CUDA path is probed before it is used."""
        translator = self.engines[engine].load(ref, device, threads, self.compute_type(engine, device))
        if device == "cuda":
            translator.probe()
        return translator

    def _try(self, ref: ModelRef, cand: Candidate, threads: int) -> Translator | str:
        """The loaded translator, or the one-line cause of its failure."""
        try:
            return self.load(ref, cand.engine, cand.device, threads)
        except ModelUnavailable as exc:
            # Its message already names the model and the fix (a failed
            # CTranslate2 conversion, say); another engine may still load it.
            return str(exc)
        except Exception as exc:
            # Anything a device path raises (missing CUDA libraries, a GPU the
            # build does not support, out of memory at the probe) means "not
            # here": the next pair is tried, and none is ever a traceback.
            where = "CUDA" if cand.device == "cuda" else "CPU"
            if cand.device == "cuda":
                release_cuda()
            return f"{cand.engine} on {where} failed ({first_line(exc)}); {fix_hint(cand.engine, cand.device, exc)}"

    def translator(self, ref: ModelRef, engine: str = "auto", device: str = "auto", *,
                   threads: int = 0) -> Translator:
        """The first pair that loads (see `get_translator`)."""
        causes: list[str] = []
        for cand in self.candidates(ref, engine, device):
            key = (ref.model_id, cand.engine, cand.device)
            if key in self.failed:
                causes.append(self.failed[key])
                continue
            got = self._try(ref, cand, threads)
            if isinstance(got, Translator):
                if causes:
                    warnings.warn(f"{causes[-1]}; using {got.engine} on "
                                  f"{'CUDA' if got.device == 'cuda' else 'CPU'} instead",
                                  DeviceFallbackWarning, stacklevel=3)
                return got
            if cand.device == "cuda":
                self.failed[key] = got
            causes.append(got)
        raise ModelUnavailable("; ".join(dict.fromkeys(causes)))


SELECTOR = EngineSelector()


def selector_or_default(selector: EngineSelector | None) -> EngineSelector:
    return selector if selector is not None else SELECTOR


def resolve_engine(ref: ModelRef, engine: str = "auto", device: str = "auto", *,
                   selector: EngineSelector | None = None) -> tuple[str, str, str]:
    """(engine, device, compute type) that `get_translator` tries first,
    without loading anything heavy: only ctranslate2 (never torch) is
    imported to look for a GPU, so a cached run stays light."""
    return selector_or_default(selector).first(ref, engine, device)


def get_translator(model: str | None = "best", engine: str = "auto", device: str = "auto", *,
                   threads: int = 0, ref: ModelRef | None = None,
                   selector: EngineSelector | None = None) -> Translator:
    """Load a model on an engine (converting it for CTranslate2 on first use).

    A CUDA path is tried with a one-sentence translation before it is used.
    When it fails and the engine or device was `auto`, the next pair is
    tried (transformers on CUDA, then the CPU) with a `DeviceFallbackWarning`
    naming the cause and the fix; an explicitly requested pair that cannot
    run raises `ModelUnavailable` (exit code 3) with the fix.
    """
    return selector_or_default(selector).translator(ref or resolve(model), engine, device, threads=threads)


def engine_versions(engine: str | None) -> dict[str, str]:
    """Versions of the libraries that produce a translation on `engine`
    (read from package metadata, so nothing heavy is imported): part of the
    cache key, since a new release can change the output."""
    from importlib.metadata import PackageNotFoundError, version

    if engine is None:  # nothing translated (English sources only)
        return {}
    packages = ENGINES[engine].packages if engine in ENGINES else (engine,)
    out = {}
    for package in packages:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "absent"
    return out


__all__ = ["DEVICES", "EngineSelector", "SELECTOR", "check_choice", "cuda_available", "engine_versions",
           "get_translator", "release_cuda", "resolve_engine"]
