"""The CTranslate2 engine: int8 on CPU, float16 on CUDA. The Hugging Face
checkpoint is converted once with CTranslate2's own converter into the
toolkit cache (``<cache>/ct2/<model>/<revision>/<quantization>``) and reused
by every later run."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..ct2convert import MARKER, install_once, is_converted  # noqa: F401 - MARKER kept importable here
from ..errors import ModelUnavailable
from ..hub import ct2_available
from .base import Hypothesis, Translator
from .budget import ModelDims
from .models import ModelRef, conversion_dir, read_model_config
from .tokenizer import load_tokenizer, model_limits, quiet_transformers

# Architectures CTranslate2's Transformers converter handles that the toolkit
# uses (its own list is longer); others go to the transformers engine.
SUPPORTED_TYPES = {"marian", "m2m_100", "nllb", "bart", "mbart", "t5", "mt5"}


def available() -> bool:
    return ct2_available()


def cuda_devices() -> int:
    if not available():
        return 0
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # a CPU-only build or a broken driver both mean "no GPU"
        return 0


def default_compute_type(device: str) -> str:
    import ctranslate2

    wanted = ["float16", "int8_float16", "float32"] if device == "cuda" else ["int8", "int8_float32", "float32"]
    try:
        supported = set(ctranslate2.get_supported_compute_types(device))
    except Exception:  # a device CTranslate2 cannot use: loading it fails and says why
        return wanted[0]
    for ct in wanted:
        if ct in supported:
            return ct
    return "default"


def converted(ref: ModelRef, quantization: str) -> Path | None:
    path = conversion_dir(ref, quantization)
    return path if is_converted(path) else None


def convert(ref: ModelRef, quantization: str) -> Path:
    """The CTranslate2 copy of `ref`, converting it on first use (once, even
    with several processes at a time; see `toolkit.ct2convert`)."""
    done = converted(ref, quantization)
    if done:
        return done

    def build(tmp: Path) -> None:
        from ctranslate2.converters import TransformersConverter

        quiet_transformers()
        converter = TransformersConverter(str(ref.path), trust_remote_code=False)
        converter.convert(str(tmp), quantization=quantization, force=True)

    try:
        return install_once(conversion_dir(ref, quantization), build, {
            "model": ref.model_id, "revision": ref.revision, "quantization": quantization})
    except Exception as exc:
        raise ModelUnavailable(f"cannot convert {ref.model_id} for CTranslate2 "
                               f"({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                               "use --engine transformers") from None


# The CUDA libraries the CTranslate2 4.x wheels load at first use; cuDNN is
# only used by convolutional models (speech), never by a text translator.
CUDA12_LIBRARIES = (("nvidia-cublas-cu12", "nvidia/cublas/lib", ("libcublasLt.so.12", "libcublas.so.12")),)
_cuda12_loaded: list[str] | None = None


def load_cuda12_libraries() -> list[str]:
    """Load cuBLAS 12 from the nvidia-cublas-cu12 wheel (the `cuda12`
    extra), when it is installed, so that CTranslate2 finds it.

    CTranslate2 opens ``libcublas.so.12`` by name at its first GPU
    translation; the dynamic loader answers such a request with a library
    already loaded under that name, so loading the wheel's copy by path
    first is enough, with no LD_LIBRARY_PATH. Loaded locally (not into the
    global symbol scope) so that a PyTorch built for another CUDA version
    in the same process keeps its own cuBLAS. Returns the paths loaded;
    nothing is loaded when the wheel is absent (a system CUDA 12 is then
    found the usual way).
    """
    global _cuda12_loaded
    if _cuda12_loaded is not None:
        return _cuda12_loaded
    import ctypes

    loaded: list[str] = []
    for dist, folder, names in CUDA12_LIBRARIES:
        for root in _install_roots(dist):
            paths = [root / folder / name for name in names]
            if all(p.is_file() for p in paths):
                for p in paths:
                    try:
                        ctypes.CDLL(str(p))
                    except OSError:
                        break  # CTranslate2's own error at the probe then names what is missing
                    loaded.append(str(p))
                break
    _cuda12_loaded = loaded
    return loaded


def _install_roots(dist: str) -> list[Path]:
    """Where the files of installed distribution `dist` live (its own record
    first, then every import path, for installs without a record)."""
    import sys
    from importlib import metadata

    roots: list[Path] = []
    try:
        roots.append(Path(str(metadata.distribution(dist).locate_file(""))))
    except metadata.PackageNotFoundError:
        pass
    roots.extend(Path(p) for p in sys.path if p and Path(p).is_dir())
    return list(dict.fromkeys(roots))


class CT2Translator(Translator):
    engine = "ctranslate2"

    def __init__(self, ref: ModelRef, *, device: str = "cpu", threads: int = 0,
                 compute_type: str | None = None):
        import ctranslate2

        self.ref = ref
        self.model_id = ref.model_id
        self.revision = ref.revision
        self.device = device
        self.compute_type = compute_type or default_compute_type(device)
        # Stored weights match the compute type, so loading needs no requantising.
        quantization = self.compute_type if self.compute_type != "default" else "float32"
        self.model_dir = convert(ref, quantization)
        self.tokenizer = load_tokenizer(ref)
        self.max_input_tokens, self.max_output_tokens = model_limits(ref, self.tokenizer)
        self.model_dims = ModelDims.from_config(read_model_config(ref.path))
        if device == "cuda":
            load_cuda12_libraries()
        self.translator = ctranslate2.Translator(
            str(self.model_dir), device=device, compute_type=self.compute_type,
            inter_threads=1, intra_threads=max(0, threads or 0))
        self.eos = self.tokenizer.eos_token
        self._tokens: dict[str, list[str]] = {}
        self.prefix = [ref.tgt_lang] if ref.tgt_lang else None

    def tokenize(self, text: str) -> list[str]:
        # Memoised: the batching layer counts a text's tokens before this
        # engine tokenizes it for the model.
        tokens = self._tokens.get(text)
        if tokens is None:
            tokens = self.tokenizer.convert_ids_to_tokens(self.tokenizer(text, verbose=False)["input_ids"])
            if len(self._tokens) >= 4096:
                self._tokens.clear()
            self._tokens[text] = tokens
        return list(tokens)

    def set_source(self, code: str | None) -> bool:
        before = getattr(self.tokenizer, "src_lang", None)
        known = super().set_source(code)
        if getattr(self.tokenizer, "src_lang", None) != before:
            self._tokens.clear()  # memoised under the other language's token
        return known

    def translate_batch(self, texts: Sequence[str], *, beam: int = 4) -> list[Hypothesis]:
        if not texts:
            return []
        sources = [self.tokenize(t) for t in texts]
        limits = [self.output_limit(len(s)) for s in sources]
        extra = len(self.prefix) if self.prefix else 0
        options: dict[str, Any] = {
            "beam_size": beam,
            "max_batch_size": 0,
            "max_input_length": 0,  # inputs are already cut to the model's limit; never truncate
            # The budget counts the end-of-sentence token, as in the transformers engine.
            "max_decoding_length": max(limits) + extra,
            "min_decoding_length": 0,  # as transformers: an immediate end of sentence is allowed
            "return_end_token": True,
        }
        if self.prefix:
            options["target_prefix"] = [list(self.prefix) for _ in texts]
        results = self.translator.translate_batch(sources, **options)
        hyps = []
        for src, limit, res in zip(sources, limits, results):
            tokens = list(res.hypotheses[0])
            if self.prefix and tokens[:extra] == self.prefix:
                tokens = tokens[extra:]
            if self.eos in tokens[:limit]:
                content, hit = tokens[: tokens.index(self.eos)], False
            else:
                content, hit = tokens[:limit], True
            ids = self.tokenizer.convert_tokens_to_ids(content)
            text = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
            hyps.append(Hypothesis(text, len(src), len(content), hit))
        return hyps
