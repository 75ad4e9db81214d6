"""The batch budget that keeps a GPU busy without running out of its
memory, the output length budget per sentence, and the device memory facts
they need. Everything here that decides is a pure function of what it is
given, so it is tested without a GPU; only `free_cuda_bytes` asks the
hardware. The lowest module of the package: it imports none of the others."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

# Output budget per sentence: generous for Arabic to English (English
# sentencepiece output is typically 1.0-1.5x the Arabic token count) yet
# finite, so a degenerate loop stops and gets flagged instead of running to
# the model's maximum.
MAX_LENGTH_RATIO = 2.0
MAX_LENGTH_OFFSET = 10
DEFAULT_BATCH_TOKENS = 2048

# Share of the free GPU memory a batch may plan to use; the rest covers the
# allocator's fragmentation and caching, cuBLAS workspaces and the engines'
# own temporaries that the estimate below leaves out.
MEMORY_SHARE = 0.5
# Beam search keeps several float32 copies of the logits of every hypothesis
# at each step (raw, log-softmax, plus processors and the scores added in).
LOGIT_COPIES = 6
# Bounds of the CUDA budget. Hypotheses in flight (sentences × beam) beyond
# about a thousand no longer make a small or mid-size model faster, while
# bigger batches make progress coarser and every batch wait for its longest
# sentence; the token bounds keep a budget sane whatever memory is reported.
MAX_CUDA_HYPOTHESES = 1024
MIN_CUDA_SENTENCES = 8
MIN_CUDA_BATCH_TOKENS = DEFAULT_BATCH_TOKENS
MAX_CUDA_BATCH_TOKENS = 131_072
# Used when free memory cannot be read (no torch with CUDA, say): a budget
# that fits a mid-size model with beam 4 on an 8 GB card.
FALLBACK_CUDA_BUDGET = (8192, 128)


@dataclass(frozen=True)
class ModelDims:
    """The sizes of a seq2seq model that drive its memory per batch."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    vocab: int
    ffn_dim: int = 0

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any]) -> "ModelDims":
        """From a Hugging Face config.json (Marian, M2M100/NLLB, BART, T5)."""
        d = int(cfg.get("d_model") or cfg.get("hidden_size") or 512)
        enc = int(cfg.get("encoder_layers") or cfg.get("num_layers") or 6)
        dec = int(cfg.get("decoder_layers") or cfg.get("num_decoder_layers") or enc)
        vocab = int(cfg.get("vocab_size") or 32000)
        ffn = int(cfg.get("decoder_ffn_dim") or cfg.get("d_ff") or cfg.get("encoder_ffn_dim") or 4 * d)
        return cls(d, enc, dec, vocab, ffn)


@dataclass(frozen=True)
class BatchBudget:
    """Padded input tokens per batch and, where set, sentences per batch."""

    tokens: int
    sentences: int | None = None


def cuda_batch_budget(free_bytes: int, dims: ModelDims, beam: int, dtype_bytes: int, *,
                      length_ratio: float = MAX_LENGTH_RATIO,
                      length_offset: int = MAX_LENGTH_OFFSET) -> BatchBudget:
    """A batch budget for a GPU with `free_bytes` free after the model is
    loaded, for a model of `dims` decoding with `beam` hypotheses per
    sentence in activations of `dtype_bytes` bytes.

    Memory that grows with input tokens: the decoder's self-attention keys
    and values for up to ``length_ratio`` output tokens per input token and
    its cross-attention keys and values, in every decoder layer and for every
    hypothesis, the encoder output kept for the beam, and one encoder layer's
    temporaries. Memory that grows with sentences: the float32 logits of each
    hypothesis over the vocabulary, and the keys and values of the
    ``length_offset`` output tokens every sentence gets beyond its ratio.
    Half the usable memory goes to each, which bounds tokens and sentences
    independently.
    """
    beam = max(1, int(beam))
    d, b = dims.d_model, max(1, int(dtype_bytes))
    ffn = dims.ffn_dim or 4 * d
    kv_per_position = dims.decoder_layers * 2 * beam * d * b
    per_token = kv_per_position * (1 + length_ratio) + (beam + 1) * d * b + (ffn + 4 * d) * b
    per_sentence = kv_per_position * length_offset + beam * dims.vocab * 4 * LOGIT_COPIES
    half = max(0.0, float(free_bytes)) * MEMORY_SHARE / 2
    tokens = _clamp(int(half // per_token), MIN_CUDA_BATCH_TOKENS, MAX_CUDA_BATCH_TOKENS)
    most = max(MIN_CUDA_SENTENCES, MAX_CUDA_HYPOTHESES // beam)
    sentences = _clamp(int(half // per_sentence), MIN_CUDA_SENTENCES, most)
    return BatchBudget(tokens, sentences)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def dtype_bytes(compute_type: str) -> int:
    """Bytes per activation for an engine's compute type (int8 weights still
    compute in float16 on CUDA and float32 on CPU)."""
    if compute_type in ("float16", "bfloat16", "int8_float16", "int8_bfloat16"):
        return 2
    return 4


def free_cuda_bytes(index: int = 0) -> int | None:
    """Free memory of CUDA device `index`, or None when it cannot be read.
    Asked through torch, which shares the device's primary context with
    CTranslate2, so reading it costs no extra GPU memory."""
    try:
        import torch

        if not torch.cuda.is_available():
            return None
        free, _total = torch.cuda.mem_get_info(index)
        return int(free)
    except Exception:  # a CPU-only torch or a broken driver: the budget falls back
        return None


def is_out_of_memory(exc: BaseException) -> bool:
    """True for a device out-of-memory error from either engine (torch's
    OutOfMemoryError, CTranslate2's RuntimeError 'out of memory')."""
    return type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


__all__ = ["MAX_LENGTH_RATIO", "MAX_LENGTH_OFFSET", "DEFAULT_BATCH_TOKENS", "MEMORY_SHARE", "LOGIT_COPIES",
           "MAX_CUDA_HYPOTHESES", "MIN_CUDA_SENTENCES", "MIN_CUDA_BATCH_TOKENS", "MAX_CUDA_BATCH_TOKENS",
           "FALLBACK_CUDA_BUDGET", "ModelDims", "BatchBudget", "cuda_batch_budget", "dtype_bytes",
           "free_cuda_bytes", "is_out_of_memory"]
