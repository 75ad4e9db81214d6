"""A causal LM run locally with transformers (imported only when it runs)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import InputError, ModelUnavailable
from .chat import ChatModel, Completion, DEFAULT_MAX_NEW_TOKENS, DEFAULT_SEED, one_line


# Prompt plus this many new tokens must fit the model's context; below it the
# brief would be cut before it says anything.
MIN_NEW_TOKENS = 64


class TransformersChat(ChatModel):
    """A local causal LM through transformers.

    `model_id` is a Hugging Face id (loaded through the standard HF cache) or
    a local directory. Decoding is greedy unless `temperature` > 0; the seed
    is set either way and recorded. The prompt is never truncated: when it
    does not fit the model's context an `InputError` says so."""

    def __init__(self, model_id: str, *, seed: int = DEFAULT_SEED, max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
                 temperature: float = 0.0, device: str = "auto"):
        self.model_id = model_id
        self.seed = seed
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "transformers",
            "model": self.model_id,
            "seed": self.seed,
            "decoding": "greedy" if self.temperature <= 0 else f"sample(temperature={self.temperature})",
            "max_new_tokens": self.max_new_tokens,
        }

    def _load(self) -> None:
        if self._model is not None:
            return
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - both are dependencies
            raise ModelUnavailable(f"transformers is not installed ({exc})") from None
        device = self.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        try:
            tokenizer = AutoTokenizer.from_pretrained(self.model_id)
            model = AutoModelForCausalLM.from_pretrained(
                self.model_id, dtype="auto" if device != "cpu" else torch.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelUnavailable(
                f"cannot load LLM {self.model_id!r} ({one_line(str(exc), 200)}); give a local directory or a "
                f"Hugging Face id of a causal LM that is in the cache (or go online once)") from None
        if not getattr(tokenizer, "chat_template", None):
            raise ModelUnavailable(
                f"LLM {self.model_id!r} has no chat template; use an instruction-tuned (chat) model")
        model.to(device)
        model.eval()
        self._tokenizer, self._model, self.device = tokenizer, model, device

    def _defang(self, text: str) -> str:
        """`text` with every control token of the tokenizer (``<|im_end|>``,
        ``</s>`` ...) broken by a zero-width space, so an article cannot end
        the user turn and open a system turn of its own."""
        tok = self._tokenizer
        controls = {t.content for t in tok.added_tokens_decoder.values() if t.special}
        controls.update(tok.all_special_tokens)
        for token in sorted((c for c in controls if len(c) > 1), key=len, reverse=True):
            if token in text:
                text = text.replace(token, token[0] + "\u200b" + token[1:])
        return text

    def _apply(self, messages: list[dict[str, str]]) -> Any:
        kwargs = {"add_generation_prompt": True, "tokenize": True, "return_dict": True, "return_tensors": "pt"}
        try:
            return self._tokenizer.apply_chat_template(messages, sanitize_control_tokens=True, **kwargs)
        except ValueError:
            # transformers refuses to sanitize when plain text can spell a
            # control token; the contents are already defanged.
            return self._tokenizer.apply_chat_template(messages, **kwargs)

    def _encode(self, messages: list[dict[str, str]]) -> Any:
        from jinja2.exceptions import TemplateError

        messages = [{"role": m["role"], "content": self._defang(m["content"])} for m in messages]
        try:
            return self._apply(messages)
        except TemplateError:
            # Some chat templates (Gemma, Mistral v1) refuse a system role:
            # the rules then go first in the user turn.
            if messages and messages[0]["role"] == "system":
                merged = [{"role": "user", "content": messages[0]["content"] + "\n\n" + messages[1]["content"]},
                          *messages[2:]]
                return self._apply(merged)
            raise

    def complete(self, messages: Sequence[Mapping[str, str]]) -> Completion:
        self._load()
        import torch

        inputs = self._encode([dict(m) for m in messages]).to(self.device)
        prompt_len = int(inputs["input_ids"].shape[-1])
        limit = getattr(self._model.config, "max_position_embeddings", None)
        max_new = self.max_new_tokens
        if limit:
            room = int(limit) - prompt_len
            if room < MIN_NEW_TOKENS:
                raise InputError(
                    f"the prompt is {prompt_len} tokens but LLM {self.model_id!r} takes {limit}; "
                    f"brief fewer articles or use a model with a longer context")
            max_new = min(max_new, room)
        torch.manual_seed(self.seed)
        tok = self._tokenizer
        eos = self._model.generation_config.eos_token_id
        if eos is None:
            eos = tok.eos_token_id
        pad = tok.pad_token_id if tok.pad_token_id is not None else (eos[0] if isinstance(eos, list) else eos)
        kwargs: dict[str, Any] = {"max_new_tokens": max_new, "pad_token_id": pad}
        if self.temperature > 0:
            kwargs.update(do_sample=True, temperature=self.temperature, top_p=1.0, top_k=0)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        with torch.inference_mode():
            out = self._model.generate(**inputs, **kwargs)
        new = out[0, prompt_len:]
        stops = set(eos if isinstance(eos, list) else [eos]) - {None}
        ended = bool(len(new)) and int(new[-1]) in stops
        text = tok.decode(new, skip_special_tokens=True)
        finish = "stop" if ended or len(new) < max_new else "length"
        return Completion(text=text, finish_reason=finish, model=self.model_id)
