"""Abstractive briefs from an instruction-tuned LLM, with every citation checked.

The model only proposes text. `llm_brief` renders the English source
sentences into a prompt template from ``prompts/``, asks a chat model for a
brief, parses each output sentence with the source IDs it ends with, and sends
every one through the same citation checker as the extractive brief
(`toolkit.verify.verify_sentences`). Only sentences the checker marks
supported reach `Brief.sentences`; the rest are listed, with the reason, in
the manifest. When too little survives, the extractive brief is returned
instead, with a warning.

Two chat backends share one abstract method, `ChatModel.complete`:
`TransformersChat` runs a causal LM locally (chat template, greedy unless a
temperature is given), `EndpointChat` talks to an OpenAI-compatible
``/v1/chat/completions`` server (llama.cpp, Ollama, vLLM) with nothing but the
standard library. torch and transformers are imported only when a local model
really runs.

Modules: `prompts`, `chat` (the backend interface), `local` and `http` (the
backends), `parse`, `injection` and `brief`; `open_chat_model` picks a backend.
"""
from __future__ import annotations

import os

from ..errors import InputError
from ..verify import NO_CITATION, UNKNOWN_ID
from .chat import ChatModel, Completion, DEFAULT_MAX_NEW_TOKENS, DEFAULT_SEED
from .prompts import (DEFAULT_PROMPT, PROMPTS_DIR, PromptTemplate, available_prompts, build_messages, load_prompt,
                      render_sources)
from .parse import Candidate, ParsedOutput, parse_output
from .injection import instruction_like
from .local import MIN_NEW_TOKENS, TransformersChat
from .http import DEFAULT_BACKOFF, DEFAULT_RETRIES, DEFAULT_TIMEOUT, EndpointChat, env_number
from .brief import CITES_INSTRUCTION, MIN_KEPT_FRACTION, Rejected, UNSUPPORTED, Verified, llm_brief, verify_output


API_KEY_ENV = "TOOLKIT_LLM_API_KEY"
TIMEOUT_ENV = "TOOLKIT_LLM_TIMEOUT"
RETRIES_ENV = "TOOLKIT_LLM_RETRIES"


def open_chat_model(*, model: str | None = None, endpoint: str | None = None, endpoint_model: str | None = None,
                    seed: int = DEFAULT_SEED, max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
                    temperature: float = 0.0, timeout: float | None = None, retries: int | None = None,
                    api_key: str | None = None, device: str | None = None) -> ChatModel:
    """The backend for the CLI options: `model` (local transformers) or
    `endpoint` (+ `endpoint_model`), exactly one of them.

    For a server, unset `timeout`, `retries` and `api_key` come from the
    environment (``TOOLKIT_LLM_TIMEOUT`` seconds, ``TOOLKIT_LLM_RETRIES``,
    ``TOOLKIT_LLM_API_KEY``), else the defaults; a local model runs on
    `device` (default: the ``device`` setting)."""
    if bool(model) == bool(endpoint):
        raise InputError("give either --llm MODEL or --llm-endpoint URL (exactly one)")
    if endpoint_model and not endpoint:
        raise InputError("--llm-model needs --llm-endpoint")
    if endpoint:
        api_key = api_key or os.environ.get(API_KEY_ENV) or None
        timeout = timeout if timeout is not None else env_number(TIMEOUT_ENV, float, DEFAULT_TIMEOUT)
        retries = retries if retries is not None else env_number(RETRIES_ENV, int, DEFAULT_RETRIES)
        return EndpointChat(endpoint, endpoint_model, seed=seed, max_new_tokens=max_new_tokens,
                            temperature=temperature, timeout=timeout, retries=retries, api_key=api_key)
    assert model is not None
    if device is None:
        from .. import config

        device = str(config.get("device"))
    return TransformersChat(model, seed=seed, max_new_tokens=max_new_tokens, temperature=temperature,
                            device=device)


__all__ = [
    "PromptTemplate",
    "load_prompt",
    "available_prompts",
    "render_sources",
    "build_messages",
    "ChatModel",
    "Completion",
    "TransformersChat",
    "EndpointChat",
    "open_chat_model",
    "NO_CITATION",
    "UNKNOWN_ID",
    "UNSUPPORTED",
    "CITES_INSTRUCTION",
    "Candidate",
    "ParsedOutput",
    "parse_output",
    "instruction_like",
    "Rejected",
    "Verified",
    "verify_output",
    "llm_brief",
]
