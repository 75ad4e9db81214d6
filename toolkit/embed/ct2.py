"""The CTranslate2 embedding engine (preferred).

The model's transformer is converted once with CTranslate2's converter into
``<cache_dir>/ct2/<model>/<revision>/<compute type>`` (atomically, safe with
concurrent processes; see `toolkit.ct2convert`) and run with
``ctranslate2.Encoder`` and the model's own ``tokenizers`` tokenizer,
pooled as the model's layout says (`toolkit.embed.layout`). Neither torch,
transformers nor sentence-transformers is imported once the conversion
exists. A failed conversion is remembered beside it, so later runs use
sentence-transformers at once until CTranslate2 changes."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..ct2convert import install_once, is_converted
from ..errors import ModelUnavailable, ToolkitError, first_line
from ..hub import ct2_version, safe_name
from .base import BATCH_SIZE, CT2, Encoder, Progress
from .device import open_encoder
from .layout import Layout, pool

if TYPE_CHECKING:
    import numpy as np

FAILED_SUFFIX = ".failed.json"


def conversion_dir(root: Path, model_id: str, revision: str | None, compute_type: str) -> Path:
    return root / "ct2" / safe_name(model_id) / (revision or "unknown") / compute_type


def _failure_record(target: Path) -> Path:
    return target.with_name(target.name + FAILED_SUFFIX)


def remembered_failure(target: Path) -> str | None:
    """The reason converting into `target` failed with this CTranslate2
    version, or None."""
    try:
        data = json.loads(_failure_record(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("ctranslate2") != ct2_version():
        return None  # another CTranslate2 version may convert it
    return str(data.get("error", "unknown error"))


def remember_failure(target: Path, reason: str) -> None:
    record = _failure_record(target)
    try:
        from ..fileio import atomic_write_text

        record.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(record, json.dumps({"error": reason, "ctranslate2": ct2_version()}) + "\n")
    except (OSError, ToolkitError):
        pass  # not remembering costs a retry next time, nothing else


def convert(target: Path, transformer: Path, meta: dict[str, Any], progress: Progress) -> Path:
    """`target`, converting the transformer in `transformer` first when the
    conversion is not there yet. Converter errors propagate."""
    if is_converted(target):
        return target
    quantization = str(meta["quantization"])

    def build(tmp: Path) -> None:
        import warnings

        from ctranslate2.converters import TransformersConverter
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # stderr belongs to the CLI's own messages
        hf_logging.set_verbosity_error()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            TransformersConverter(str(transformer), trust_remote_code=False).convert(
                str(tmp), quantization=quantization, force=True)

    progress("convert", 0, 1)
    installed = install_once(target, build, meta)
    progress("convert", 1, 1)
    return installed


class CT2Encoder(Encoder):
    engine = CT2

    def __init__(self, encoder: Any, tokenizer: Any, layout: Layout, compute_type: str, device: str,
                 device_note: str | None) -> None:
        self.encoder, self.tokenizer, self.layout = encoder, tokenizer, layout
        self.compute_type, self.device, self.device_note = compute_type, device, device_note

    @classmethod
    def load(cls, model_dir: Path, layout: Layout, *, model_id: str, compute_type: str,
             device: str | None) -> "CT2Encoder":
        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(layout.transformer / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - reported as one line
            raise ModelUnavailable(f"cannot load the tokenizer of embedding model {model_id} "
                                   f"({first_line(exc)})") from None
        tokenizer.no_padding()  # batches are padded by CTranslate2; a fixed padding would change means
        tokenizer.enable_truncation(layout.max_length)
        encoder, where, note = open_encoder(model_dir, tokenizer.encode("probe").ids, model_id=model_id,
                                            compute_type=compute_type, device=device)
        return cls(encoder, tokenizer, layout, compute_type, where, note)

    def _hidden(self, ids: list[list[int]], type_ids: list[list[int]] | None) -> np.ndarray:
        import numpy as np

        extra = {"token_type_ids": type_ids} if type_ids is not None else {}
        hidden = self.encoder.forward_batch(ids, **extra).last_hidden_state
        if self.device != "cpu":
            import ctranslate2

            hidden = hidden.to_device(ctranslate2.Device.cpu)
        return np.asarray(hidden, dtype=np.float32)

    def encode(self, texts: Sequence[str], progress: Progress) -> np.ndarray:
        import numpy as np

        if self.layout.lowercase:
            texts = [t.lower() for t in texts]
        encodings = self.tokenizer.encode_batch(list(texts))
        # Similar lengths share a batch, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        types = self.layout.model_type == "bert"
        batches = [order[start:start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]

        def run(idx: list[int]) -> tuple[list[int], np.ndarray]:
            ids = [encodings[i].ids for i in idx]
            states = self._hidden(ids, [encodings[i].type_ids for i in idx] if types else None)
            return idx, pool(states, np.array([len(i) for i in ids]), self.layout.pooling)

        result: np.ndarray | None = None
        done = 0
        progress("embed", 0, len(texts))
        for idx, pooled in self._map(run, batches):
            if result is None:
                result = np.empty((len(texts), pooled.shape[1]), dtype=np.float32)
            result[idx] = pooled
            done += len(idx)
            progress("embed", done, len(texts))
        assert result is not None
        norms = np.linalg.norm(result, axis=1, keepdims=True)
        return result / np.maximum(norms, 1e-12)

    def _map(self, run: Callable[[list[int]], Any], batches: list[list[int]]) -> Iterator[Any]:
        """`run` of each batch, in order. On a CPU encoder with several
        workers (`toolkit.embed.device.workers`), batches run side by side,
        each on a worker of its own (CTranslate2 releases the GIL while it
        computes); a batch's vectors are the same either way."""
        from concurrent.futures import ThreadPoolExecutor

        workers = int(getattr(self.encoder, "num_encoders", 1) or 1) if self.device == "cpu" else 1
        if workers < 2 or len(batches) < 2 * workers:
            yield from map(run, batches)
            return
        with ThreadPoolExecutor(workers) as pool_:
            yield from pool_.map(run, batches)


__all__ = ["CT2Encoder", "FAILED_SUFFIX", "conversion_dir", "convert", "remember_failure", "remembered_failure"]
