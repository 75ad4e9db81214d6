"""The Hugging Face transformers engine (PyTorch): `AutoModelForSeq2SeqLM`
and `generate`. torch and transformers are imported only when a model is
loaded."""
from __future__ import annotations

from typing import Any, Sequence

from ..errors import ModelUnavailable
from .base import Hypothesis, Translator
from .budget import ModelDims
from .models import ModelRef
from .tokenizer import load_tokenizer, model_limits


def special_ids(tokenizer: Any) -> set[int]:
    return {int(i) for i in getattr(tokenizer, "all_special_ids", []) if i is not None}


def split_output(gen: list[int], eos_id: int, limit: int) -> tuple[list[int], bool]:
    """Content tokens of one generated sequence (start/prefix removed) and
    whether it hit `limit` instead of ending. Tokens past this sentence's
    own limit (possible when a longer batch mate raised the batch budget)
    are dropped, so the result is what decoding alone would give."""
    if eos_id in gen[:limit]:
        return gen[: gen.index(eos_id)], False
    return gen[:limit], True


class HFTranslator(Translator):
    engine = "transformers"

    def __init__(self, ref: ModelRef, *, device: str = "cpu", threads: int = 0):
        import torch
        from transformers import AutoModelForSeq2SeqLM

        if threads and threads > 0:
            torch.set_num_threads(threads)
        self.ref = ref
        self.model_id = ref.model_id
        self.revision = ref.revision
        self.device = device
        self.compute_type = "float16" if device == "cuda" else "float32"
        self.tokenizer = load_tokenizer(ref)
        dtype = torch.float16 if device == "cuda" else torch.float32
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(ref.path), trust_remote_code=False, dtype=dtype)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"cannot load {ref.model_id} from {ref.path} "
                                   f"({str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__})") from None
        self.model = model.to(device).eval()
        self.max_input_tokens, self.max_output_tokens = model_limits(ref, self.tokenizer)
        self.model_dims = ModelDims.from_config(self.model.config.to_dict())
        gen = self.model.generation_config
        self.eos_id = int(gen.eos_token_id if not isinstance(gen.eos_token_id, list) else gen.eos_token_id[0])
        self.forced_bos = self.tokenizer.convert_tokens_to_ids(ref.tgt_lang) if ref.tgt_lang else None

    def release_memory(self) -> None:
        import torch

        if self.device == "cuda":
            torch.cuda.empty_cache()

    def tokenize(self, text: str) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(self.tokenizer(text, verbose=False)["input_ids"])

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, verbose=False)["input_ids"])

    def translate_batch(self, texts: Sequence[str], *, beam: int = 4) -> list[Hypothesis]:
        import torch

        if not texts:
            return []
        enc = self.tokenizer(list(texts), return_tensors="pt", padding=True)
        enc = {k: v.to(self.device) for k, v in enc.items()}
        lengths = enc["attention_mask"].sum(dim=1).tolist()
        limits = [self.output_limit(int(n)) for n in lengths]
        prefix = 1 if self.forced_bos is not None else 0
        kwargs: dict[str, Any] = {
            "num_beams": beam,
            "do_sample": False,
            # The budget counts the end-of-sentence token: a hypothesis that has
            # not ended within it is reported as having hit the limit.
            "max_new_tokens": max(limits) + prefix,
            "min_new_tokens": 0,
            # A forced EOS at the budget would hide that the budget was hit.
            "forced_eos_token_id": None,
            "num_return_sequences": 1,
        }
        if self.forced_bos is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        hyps = []
        for row, n, limit in zip(out.tolist(), lengths, limits):
            gen = row[1 + prefix:]  # decoder start token, then the forced language code
            content, hit = split_output(gen, self.eos_id, limit)
            text = self.tokenizer.decode(content, skip_special_tokens=True).strip()
            hyps.append(Hypothesis(text, int(n), len(content), hit))
        return hyps
