"""The translator interface: engines implement one batch method; cutting
over-long input, length-sorted batching and streaming are built on it here,
once, for every engine."""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from .budget import (DEFAULT_BATCH_TOKENS, FALLBACK_CUDA_BUDGET, MAX_LENGTH_OFFSET, MAX_LENGTH_RATIO, BatchBudget,
                     ModelDims, cuda_batch_budget, dtype_bytes, free_cuda_bytes, is_out_of_memory)

# Tokens kept free below the model's position limit on the input side.
INPUT_MARGIN = 2
# Sentences read ahead by the streaming layer so it can sort them by length.
READ_AHEAD = 256
# On a GPU a batch decodes until its longest sentence is done, so batches
# must be cut from a length order over many of them: a window of a few
# batches leaves every batch spanning the whole range of lengths.
CUDA_READ_AHEAD = 4096
# A short text every tokenizer handles: translating it runs every kernel a
# real batch needs (the libraries a GPU engine loads lazily included).
PROBE_TEXT = "نعم"


@dataclass(frozen=True)
class Hypothesis:
    """What an engine returns for one input text.

    ``target_tokens`` excludes special tokens; ``hit_limit`` is true when
    decoding stopped at the output budget rather than at end of sentence;
    ``pieces`` is how many model inputs the text was cut into.
    """

    text: str
    source_tokens: int
    target_tokens: int
    hit_limit: bool = False
    pieces: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source_tokens": self.source_tokens, "target_tokens": self.target_tokens,
                "hit_limit": self.hit_limit, "pieces": self.pieces}


class Translator(ABC):
    """A loaded model on one engine.

    Subclasses set the attributes below and implement `tokenize` and
    `translate_batch`; everything else is shared.
    """

    engine: str = ""
    model_id: str = ""
    revision: str = ""
    device: str = "cpu"
    compute_type: str = "float32"
    max_input_tokens: int = 512
    max_output_tokens: int = 512
    max_length_ratio: float = MAX_LENGTH_RATIO
    max_length_offset: int = MAX_LENGTH_OFFSET
    # Sizes that drive memory per batch on a GPU; engines set them on load.
    model_dims: "ModelDims | None" = None
    # Lowered after a batch ran out of device memory, for the rest of this
    # translator's life.
    _oom_cap: "BatchBudget | None" = None

    @abstractmethod
    def tokenize(self, text: str) -> list[str]:
        """The model's input tokens for `text`, special tokens included."""

    @abstractmethod
    def translate_batch(self, texts: Sequence[str], *, beam: int = 4) -> list[Hypothesis]:
        """Translate texts that each fit `max_input_tokens`; one hypothesis per
        text, in order, and each independent of the other texts in the batch."""

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def set_source(self, code: str | None) -> bool:
        """Mark the texts translated from now on as language `code` (an NLLB
        code such as ``fra_Latn``), as a multilingual tokenizer does with a
        language token; None keeps the model's own. False when the
        tokenizer has no such code (nothing is changed then)."""
        if code is None:
            return True
        tokenizer = getattr(self, "tokenizer", None)
        current = getattr(tokenizer, "src_lang", None)
        if current == code:
            return True
        from .routing import knows

        if current is None or not knows(tokenizer, code):
            return False
        tokenizer.src_lang = code
        return True

    def output_limit(self, source_tokens: int) -> int:
        """The output budget for one input of `source_tokens` tokens."""
        limit = math.ceil(self.max_length_ratio * source_tokens) + self.max_length_offset
        return max(1, min(self.max_output_tokens, limit))

    def info(self) -> dict[str, Any]:
        return {"model": self.model_id, "revision": self.revision, "engine": self.engine,
                "device": self.device, "compute_type": self.compute_type}

    def probe(self) -> None:
        """Translate one short text, so that a device path that cannot run
        fails here (libraries are loaded at first use, not at load)."""
        hyps = self.translate_batch([PROBE_TEXT], beam=1)
        if len(hyps) != 1:
            raise RuntimeError(f"{self.engine} returned {len(hyps)} translations for 1 input")

    def free_memory(self) -> int | None:
        """Free bytes on this translator's GPU (None on CPU or when unknown)."""
        if self.device != "cuda":
            return None
        return free_cuda_bytes()

    def release_memory(self) -> None:
        """Give cached device memory back after an out-of-memory error."""

    def batch_budget(self, beam: int) -> BatchBudget:
        """The default batch budget: DEFAULT_BATCH_TOKENS on CPU; on CUDA
        sized to the GPU's free memory, the model and the beam."""
        if self.device != "cuda":
            return BatchBudget(DEFAULT_BATCH_TOKENS)
        free = self.free_memory()
        if free is None or self.model_dims is None:
            return BatchBudget(*FALLBACK_CUDA_BUDGET)
        return cuda_batch_budget(free, self.model_dims, beam, dtype_bytes(self.compute_type),
                                 length_ratio=self.max_length_ratio, length_offset=self.max_length_offset)

    def cut(self, text: str) -> list[str]:
        """`text` as pieces that each fit the model's real input limit (counted
        with its own tokenizer), cut by the segmenter at clause boundaries,
        spaces, and only as a last resort inside a word. Nothing is dropped."""
        budget = self.max_input_tokens - INPUT_MARGIN
        if self.count_tokens(text) <= budget:
            return [text]
        from ..text.segment import split_to_budget

        pieces = split_to_budget(text, budget, count_tokens=self.count_tokens)
        return pieces or [text]

    def translate_iterable(self, texts: Iterable[str], *, beam: int = 4,
                           batch_tokens: int | None = None,
                           on_batch: Callable[[list[tuple[int, Hypothesis]]], None] | None = None,
                           ) -> Iterator[Hypothesis]:
        """Translate a stream of texts, yielding hypotheses in input order.

        Texts are read ahead in windows, cut to the input limit, sorted by
        length and grouped into batches of about `batch_tokens` input tokens
        (padding and sorting never change a result: see `translate_batch`).
        Without `batch_tokens` the budget is `batch_budget(beam)`: today's
        default on CPU, sized to free memory on a GPU. A batch that runs out
        of GPU memory is split in halves and the budget lowered, never
        dropped. `on_batch` is told after every batch which window positions
        (0-based over the whole stream) are complete, with their hypotheses.
        """
        limits = BatchBudget(batch_tokens) if batch_tokens else self.batch_budget(beam)
        read_ahead = CUDA_READ_AHEAD if self.device == "cuda" else READ_AHEAD
        window: list[str] = []
        offset = 0
        for text in texts:
            window.append(text)
            if len(window) >= read_ahead:
                yield from self._window(window, offset, beam, limits, on_batch)
                offset += len(window)
                window = []
        if window:
            yield from self._window(window, offset, beam, limits, on_batch)

    def _limits(self, wanted: BatchBudget) -> tuple[int, int | None]:
        cap = self._oom_cap
        if cap is None:
            return wanted.tokens, wanted.sentences
        sentences = cap.sentences if wanted.sentences is None or cap.sentences is None \
            else min(wanted.sentences, cap.sentences)
        return min(wanted.tokens, cap.tokens), sentences

    def _translate_splitting(self, texts: list[str], beam: int) -> list[Hypothesis]:
        """`translate_batch`, halving a batch that runs out of GPU memory and
        lowering the budget of later batches to what is known to fit."""
        try:
            return self.translate_batch(texts, beam=beam)
        except Exception as exc:
            if self.device != "cuda" or len(texts) < 2 or not is_out_of_memory(exc):
                raise
        self.release_memory()
        half = len(texts) // 2
        padded = max(self.count_tokens(t) for t in texts) * half
        cap = self._oom_cap
        self._oom_cap = BatchBudget(min(padded, cap.tokens) if cap else padded,
                                    min(half, cap.sentences) if cap and cap.sentences else half)
        return self._translate_splitting(texts[:half], beam) + self._translate_splitting(texts[half:], beam)

    def _window(self, window: list[str], offset: int, beam: int, limits: BatchBudget,
                on_batch: Callable[[list[tuple[int, Hypothesis]]], None] | None) -> Iterator[Hypothesis]:
        # (window position, piece number, piece text, tokens)
        units: list[tuple[int, int, str, int]] = []
        piece_counts: list[int] = []
        for pos, text in enumerate(window):
            pieces = self.cut(text)
            piece_counts.append(len(pieces))
            for k, piece in enumerate(pieces):
                units.append((pos, k, piece, self.count_tokens(piece)))
        results: dict[tuple[int, int], Hypothesis] = {}
        remaining = list(piece_counts)
        order = sorted(range(len(units)), key=lambda i: (units[i][3], i))
        batch: list[int] = []
        batch_max = 0

        def run(batch: list[int]) -> list[tuple[int, Hypothesis]]:
            hyps = self._translate_splitting([units[i][2] for i in batch], beam)
            if len(hyps) != len(batch):
                from ..errors import IntegrityError

                raise IntegrityError(f"{self.engine} returned {len(hyps)} translations for {len(batch)} inputs")
            done = []
            for i, hyp in zip(batch, hyps):
                pos, k = units[i][0], units[i][1]
                results[(pos, k)] = hyp
                remaining[pos] -= 1
                if remaining[pos] == 0:
                    done.append((offset + pos, self._join([results[(pos, j)] for j in range(piece_counts[pos])])))
            return done

        finished: dict[int, Hypothesis] = {}

        def flush(batch: list[int]) -> None:
            done = run(batch)
            finished.update(done)
            if on_batch:
                on_batch(done)

        for i in order:
            tokens = units[i][3]
            budget, most = self._limits(limits)
            # Padded size of the batch if this unit joins it.
            if batch and (max(batch_max, tokens) * (len(batch) + 1) > budget
                          or (most is not None and len(batch) >= most)):
                flush(batch)
                batch, batch_max = [], 0
            batch.append(i)
            batch_max = max(batch_max, tokens)
        if batch:
            flush(batch)
        for pos in range(len(window)):
            yield finished[offset + pos]

    @staticmethod
    def _join(parts: list[Hypothesis]) -> Hypothesis:
        if len(parts) == 1:
            return parts[0]
        return Hypothesis(
            text=" ".join(p.text.strip() for p in parts if p.text.strip()),
            source_tokens=sum(p.source_tokens for p in parts),
            target_tokens=sum(p.target_tokens for p in parts),
            hit_limit=any(p.hit_limit for p in parts),
            pieces=len(parts),
        )

