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
"""
from __future__ import annotations

import dataclasses
import hashlib
import http.client
import json
import os
import re
import socket
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .errors import InputError, IntegrityError, ModelUnavailable
from .text.ids import article_of
from .records import Article, Brief, BriefSentence
from .verify import NO_CITATION, UNKNOWN_ID, verify_sentences


def _prompts_dir() -> Path:
    """``prompts/`` beside the package in a checkout or editable install;
    ``toolkit/prompts`` when a wheel ships the templates inside the package."""
    beside = Path(__file__).resolve().parent.parent / "prompts"
    return beside if beside.is_dir() else Path(__file__).resolve().parent / "prompts"


PROMPTS_DIR = _prompts_dir()
DEFAULT_PROMPT = "brief-v1"
DEFAULT_SEED = 0
DEFAULT_MAX_NEW_TOKENS = 512
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
API_KEY_ENV = "TOOLKIT_LLM_API_KEY"
TIMEOUT_ENV = "TOOLKIT_LLM_TIMEOUT"
RETRIES_ENV = "TOOLKIT_LLM_RETRIES"
# A brief is shown as written by the LLM only when at least this share of its
# sentences pass the citation check (and at least one does); otherwise the
# extractive brief is shown, because a brief with most sentences removed no
# longer says what the model meant.
MIN_KEPT_FRACTION = 0.5
# Prompt plus this many new tokens must fit the model's context; below it the
# brief would be cut before it says anything.
MIN_NEW_TOKENS = 64

# Reasons a proposed sentence is left out, besides the checker's own codes
# (`toolkit.verify`): a verdict without a code, and a sentence resting on a
# source that reads like an instruction to a model.
UNSUPPORTED = "unsupported"
CITES_INSTRUCTION = "cites-instruction"

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLACEHOLDERS = ("sources", "boundary", "article_count", "sentence_count", "max_sentences")
_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 60.0


# --------------------------------------------------------------------------
# Prompt templates


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt as data: system and user parts with ``{placeholders}``.

    ``sha256`` is the hash of the file's bytes, so the manifest pins exactly
    which wording produced a brief."""

    name: str
    system: str
    user: str
    sha256: str
    path: str
    version: int | None = None
    description: str = ""

    def manifest(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256, "path": self.path}

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(system, user) with the placeholders filled in a single pass, so text
        coming from articles is never itself scanned for placeholders."""

        def fill(part: str) -> str:
            return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), part)

        return fill(self.system), fill(self.user)


def available_prompts() -> list[str]:
    """Names of the templates shipped in ``prompts/``."""
    if not PROMPTS_DIR.is_dir():
        return []
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.toml"))


def load_prompt(spec: str | None = None) -> PromptTemplate:
    """Load a template by name (``brief-v1``) or from a TOML file path.

    A value containing a path separator or ending in ``.toml`` is a file;
    anything else is a name looked up in ``prompts/``."""
    spec = spec or DEFAULT_PROMPT
    looks_like_path = "/" in spec or "\\" in spec or spec.endswith(".toml")
    if looks_like_path:
        path = Path(spec).expanduser()
        if not path.is_file():
            raise InputError("prompt file not found", spec)
    else:
        path = PROMPTS_DIR / f"{spec}.toml"
        if not path.is_file():
            known = ", ".join(available_prompts()) or "none"
            raise InputError(f"unknown prompt {spec!r}; known: {known} (or pass a .toml file)")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"invalid prompt template ({_one_line(str(exc))})", str(path)) from None
    for key in ("system", "user"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InputError(f"prompt template needs a non-empty string '{key}'", str(path))
    used = {m.group(1) for part in (data["system"], data["user"]) for m in _PLACEHOLDER.finditer(part)}
    unknown = sorted(used - set(_PLACEHOLDERS))
    if unknown:
        raise InputError(
            f"unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
            f"known: {', '.join('{' + p + '}' for p in _PLACEHOLDERS)}", str(path))
    if "sources" not in {m.group(1) for m in _PLACEHOLDER.finditer(data["user"])}:
        raise InputError("the 'user' part must contain {sources}", str(path))
    version = data.get("version")
    return PromptTemplate(
        name=str(data.get("name") or path.stem),
        system=data["system"].strip(),
        user=data["user"].strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
        version=version if isinstance(version, int) else None,
        description=str(data.get("description", "")),
    )


def _flat(text: str) -> str:
    """One line of text: a source sentence may not start a line of its own,
    or it could pose as another numbered source."""
    return " ".join(text.split())


def render_sources(articles: Sequence[Article], english: Mapping[str, str]) -> tuple[str, list[str]]:
    """The numbered source block and the IDs in it, in article order.

    IDs in `english` that belong to no article are appended at the end so
    nothing the caller passed is silently left out."""
    lines: list[str] = []
    ids: list[str] = []
    seen: set[str] = set()
    for article in articles:
        rows = [s for s in article.sentences if s.id in english]
        if not rows:
            continue
        title = _flat(article.name)
        lines.append(f"Article {article.number} ({title}):" if title else f"Article {article.number}:")
        for s in rows:
            lines.append(f"[{s.id}] {_flat(english[s.id])}")
            ids.append(s.id)
            seen.add(s.id)
        lines.append("")
    rest = [i for i in english if i not in seen]
    if rest:
        lines.append("Other sentences:")
        for i in rest:
            lines.append(f"[{i}] {_flat(english[i])}")
            ids.append(i)
    return "\n".join(lines).strip(), ids


def build_messages(template: PromptTemplate, articles: Sequence[Article], english: Mapping[str, str], *,
                   max_sentences: int = 8) -> list[dict[str, str]]:
    """The chat messages for one brief.

    The source block is fenced by a tag made from a hash of the sources
    themselves: an article cannot contain the tag that closes the block around
    it, so it cannot step outside the quoted data."""
    sources, ids = render_sources(articles, english)
    if not ids:
        raise InputError("no English source sentences to brief")
    digest = hashlib.sha256(sources.encode("utf-8")).hexdigest()[:12]
    boundary = f"sources-{digest}"
    values = {
        "sources": sources,
        "boundary": boundary,
        "article_count": str(len({article_of(i) for i in ids})),
        "sentence_count": str(len(ids)),
        "max_sentences": str(max_sentences),
    }
    system, user = template.render(values)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


# --------------------------------------------------------------------------
# Chat backends


@dataclass(frozen=True)
class Completion:
    """What a chat model answered. ``finish_reason`` is ``stop`` or
    ``length`` (cut at the token limit)."""

    text: str
    finish_reason: str = "stop"
    model: str = ""


class ChatModel(ABC):
    """A chat model that answers one conversation. Subclasses implement
    `complete`; `describe` feeds the manifest."""

    seed: int = DEFAULT_SEED

    @abstractmethod
    def complete(self, messages: Sequence[Mapping[str, str]]) -> Completion:
        """The assistant's reply to `messages` (role/content dicts)."""

    def describe(self) -> dict[str, Any]:
        return {}


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
                f"cannot load LLM {self.model_id!r} ({_one_line(str(exc), 200)}); give a local directory or a "
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


class EndpointChat(ChatModel):
    """An OpenAI-compatible chat-completions server.

    `url` is the server (``http://127.0.0.1:8080``), its ``/v1`` base, or the
    full ``.../chat/completions`` address. Without `model` the first model the
    server lists under ``/models`` is used. Connection failures, timeouts and
    HTTP 408/429/5xx are retried `retries` times, waiting `backoff` seconds
    doubled each time (or the server's Retry-After, up to a minute)."""

    def __init__(self, url: str, model: str | None = None, *, seed: int = DEFAULT_SEED,
                 max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS, temperature: float = 0.0,
                 timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 api_key: str | None = None, sleep: Callable[[float], None] = time.sleep):
        self.url = self.chat_url(url)
        self.base = self.url[: -len("/chat/completions")]
        self.model = model
        self.seed = seed
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self._api_key = api_key
        self._sleep = sleep
        self.attempts = 0

    @staticmethod
    def chat_url(url: str) -> str:
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"--llm-endpoint must be an http(s) URL, got {url!r}")
        path = parts.path.rstrip("/")
        if not path.endswith("/chat/completions"):
            path = path + ("/chat/completions" if path.endswith("/v1") or path else "/v1/chat/completions")
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "endpoint",
            "endpoint": self.url,
            "model": self.model,
            "seed": self.seed,
            "decoding": "greedy" if self.temperature <= 0 else f"sample(temperature={self.temperature})",
            "max_new_tokens": self.max_new_tokens,
        }

    def _request(self, url: str, body: dict[str, Any] | None) -> Any:
        """One HTTP exchange with retries; returns the decoded JSON."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        last = ""
        for attempt in range(self.retries + 1):
            self.attempts += 1
            wait = self.backoff * (2 ** attempt)
            request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    payload = response.read()
            except urllib.error.HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code not in _RETRY_STATUS:
                    cls = InputError if exc.code in (400, 413, 422) else ModelUnavailable
                    raise cls(f"LLM endpoint {url} answered HTTP {exc.code}: {detail}") from None
                last = f"HTTP {exc.code}: {detail}"
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                if retry_after and retry_after.strip().isdigit():
                    wait = min(float(retry_after.strip()), _MAX_RETRY_AFTER)
            except (urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError,
                    http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    last = f"no answer within {self.timeout:g}s"
                else:
                    last = _one_line(str(reason) or type(reason).__name__, 200)
            else:
                try:
                    return json.loads(payload.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise ModelUnavailable(f"LLM endpoint {url} did not answer with JSON; is it an "
                                           f"OpenAI-compatible server?") from None
            if attempt < self.retries:
                self._sleep(wait)
        raise ModelUnavailable(f"LLM endpoint {url} unreachable after {self.retries + 1} attempt(s) ({last}); "
                               f"check that the server is running and --llm-endpoint is right")

    def resolve_model(self) -> str:
        if self.model:
            return self.model
        listing = self._request(self.base + "/models", None)
        try:
            first = listing["data"][0]["id"]
        except (KeyError, IndexError, TypeError):
            raise ModelUnavailable(f"LLM endpoint {self.base}/models lists no model; pass --llm-model") from None
        self.model = str(first)
        return self.model

    def complete(self, messages: Sequence[Mapping[str, str]]) -> Completion:
        model = self.resolve_model()
        body: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "temperature": self.temperature,
            "seed": self.seed,
            "max_tokens": self.max_new_tokens,
            "stream": False,
        }
        answer = self._request(self.url, body)
        try:
            choice = answer["choices"][0]
            content = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError):
            raise ModelUnavailable(f"LLM endpoint {self.url} answered without choices[0].message; is it an "
                                   f"OpenAI-compatible chat-completions server?") from None
        if not isinstance(content, str):
            raise ModelUnavailable(f"LLM endpoint {self.url} answered with non-text content")
        return Completion(text=content, finish_reason=str(choice.get("finish_reason") or "stop"),
                          model=str(answer.get("model") or model))


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read().decode("utf-8", "replace")
    except Exception:  # the body is only decoration for the message
        body = ""
    try:
        data = json.loads(body)
        err = data.get("error", data) if isinstance(data, dict) else data
        msg = err.get("message") if isinstance(err, dict) else err
        if msg:
            return _one_line(str(msg), 200)
    except (json.JSONDecodeError, AttributeError):
        pass
    return _one_line(body, 200) or (exc.reason or "no detail")


def _env_number(name: str, kind: type, default: Any) -> Any:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise InputError(f"{name} must be a number, got {value!r}") from None
    if number < 0:
        raise InputError(f"{name} must not be negative, got {value!r}")
    return number


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
        timeout = timeout if timeout is not None else _env_number(TIMEOUT_ENV, float, DEFAULT_TIMEOUT)
        retries = retries if retries is not None else _env_number(RETRIES_ENV, int, DEFAULT_RETRIES)
        return EndpointChat(endpoint, endpoint_model, seed=seed, max_new_tokens=max_new_tokens,
                            temperature=temperature, timeout=timeout, retries=retries, api_key=api_key)
    assert model is not None
    if device is None:
        from . import config

        device = str(config.get("device"))
    return TransformersChat(model, seed=seed, max_new_tokens=max_new_tokens, temperature=temperature,
                            device=device)


# --------------------------------------------------------------------------
# Parsing the model's answer


@dataclass(frozen=True)
class Candidate:
    """One sentence the model proposed, with the IDs it ended with (in the
    order given, duplicates removed) and its 1-based line in the answer."""

    text: str
    ids: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ParsedOutput:
    candidates: tuple[Candidate, ...]
    ignored: tuple[str, ...] = ()


_ID = r"\d+\.\d+(?:\.\d+)?"
_CITE = re.compile(rf"\[\s*({_ID}(?:\s*[,;]\s*{_ID})*)\s*\]")
_BULLET = re.compile(r"^(?:[-*•·]+|\d+[.)])\s+")
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_TAIL = re.compile(r"^[\s.,;:!?\"'”’)»]*$")
_LEAD = re.compile(r"^[\s.,;:!?\"'”’)»]*")


def _tidy(text: str) -> str:
    text = " ".join(text.replace("**", "").replace("__", "").split()).lstrip(";,: ")
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _close_previous(found: list[Candidate], text: str) -> str:
    """Move the punctuation that follows a bracket group (``[1.2].``) onto
    the sentence the group closes; return what is left of `text`."""
    if not found:
        return text
    lead = _LEAD.match(text)
    if lead and lead.group(0).strip():
        prev = found[-1]
        found[-1] = Candidate(_tidy(prev.text + lead.group(0).strip()), prev.ids, prev.line)
    return text[lead.end():] if lead else text


def parse_output(text: str) -> ParsedOutput:
    """Split a model answer into sentences and the IDs each ends with.

    Each bracket group ``[1.2, 3.4]`` closes the text before it; adjacent
    groups (``[1.2][3.4]``) join. Text left without a group becomes a
    candidate with no IDs, which the checker rejects: nothing the model wrote
    is dropped unseen. Headings (``# ...``, ``Brief:``) and reasoning blocks
    (``<think>``) are set aside in ``ignored``."""
    ignored: list[str] = []
    for block in _THINK.findall(text):
        ignored.append(_one_line(block, 200))
    text = _THINK.sub("", text)
    candidates: list[Candidate] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _BULLET.sub("", raw.strip()).strip()
        if not line:
            continue
        has_cite = bool(_CITE.search(line))
        if line.startswith("#") or (not has_cite and line.rstrip("*_ ").endswith(":")) or line in ("---", "***"):
            ignored.append(line)
            continue
        found: list[Candidate] = []
        pos = 0
        for m in _CITE.finditer(line):
            ids = tuple(i.strip() for i in re.split(r"[,;]", m.group(1)))
            between = line[pos:m.start()]
            if found and _TAIL.match(between):
                prev = found[-1]
                merged = tuple(dict.fromkeys(prev.ids + ids))
                found[-1] = Candidate(prev.text, merged, lineno)
            else:
                between = _close_previous(found, between)
                found.append(Candidate(_tidy(between), tuple(dict.fromkeys(ids)), lineno))
            pos = m.end()
        rest = _close_previous(found, line[pos:])
        if rest.strip():
            found.append(Candidate(_tidy(rest), (), lineno))
        for c in found:
            if c.text:
                candidates.append(c)
            else:  # a bracket group with no text before it cites nothing
                ignored.append("[" + ", ".join(c.ids) + "]")
    return ParsedOutput(tuple(candidates), tuple(ignored))


# Sources that read like orders to a language model. A sentence that rests on
# one is not shown: a model obeying an injected order would otherwise pass the
# checker, because its output repeats the order's own words.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:previous|prior|above|earlier|preceding|your)\b"
    r"[^.]{0,20}\b(?:instructions?|rules|prompts?|directions|guidelines)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message)\b"
    r"|\byou are now\b"
    r"|\bnew instructions?\s*:"
    r"|\b(?:as an ai|language model)\b[^.]{0,40}\b(?:must|should|write|say|output)\b",
    re.IGNORECASE)


def instruction_like(text: str) -> bool:
    return bool(_INSTRUCTION.search(text))


# --------------------------------------------------------------------------
# Verification and the brief


@dataclass(frozen=True)
class Rejected:
    """A proposed sentence that is not shown. ``reason`` is the checker's
    code (``no-citation``, ``unknown-id``, ``low-similarity``,
    ``unrelated-citation``, ``numbers-missing``, ``words-missing``) or
    ``cites-instruction``; ``line`` is its line in the model's answer."""

    text: str
    ids: tuple[str, ...]
    reason: str
    line: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "ids": list(self.ids), "reason": self.reason, "detail": self.detail,
                "line": self.line}


@dataclass(frozen=True)
class Verified:
    """The checked answer: `kept` are the checker's supported sentences, in
    the model's order; everything else is in `rejected` with its reason."""

    kept: tuple[BriefSentence, ...]
    rejected: tuple[Rejected, ...]
    ignored: tuple[str, ...] = ()
    instruction_ids: tuple[str, ...] = ()
    total: int = field(default=0)


def verify_output(text: str, english: Mapping[str, str], *, articles_of: Mapping[str, int] | None = None,
                  embedder: Any = None, threshold: float | None = None) -> Verified:
    """Parse `text` and run every sentence through the shared citation checker."""
    parsed = parse_output(text)
    cands = parsed.candidates
    flagged = tuple(i for i, t in english.items() if instruction_like(t))
    if not cands:
        return Verified((), (), parsed.ignored, flagged, 0)
    checked = verify_sentences([(c.text, c.ids) for c in cands], english, articles_of=articles_of,
                               embedder=embedder, threshold=threshold)
    if len(checked) != len(cands):
        raise IntegrityError(f"citation checker returned {len(checked)} verdicts for {len(cands)} sentences")
    kept: list[BriefSentence] = []
    rejected: list[Rejected] = []
    for cand, verdict in zip(cands, checked):
        if not verdict.supported:
            reason = getattr(verdict, "reason", "") or UNSUPPORTED
            rejected.append(Rejected(cand.text, cand.ids, reason, cand.line, getattr(verdict, "detail", "")))
        elif any(i in flagged for i in cand.ids):
            rejected.append(Rejected(cand.text, cand.ids, CITES_INSTRUCTION, cand.line,
                                     "cites a source sentence that reads like an instruction to a language model"))
        else:
            kept.append(verdict)
    return Verified(tuple(kept), tuple(rejected), parsed.ignored, flagged, len(cands))


def _articles_of(articles: Sequence[Article], english: Mapping[str, str]) -> dict[str, int]:
    found = {s.id: s.article for a in articles for s in a.sentences}
    for i in english:
        if i not in found:
            head = i.split(".", 1)[0]
            if head.isdigit():
                found[i] = int(head)
    return found


def _placed(verdict: BriefSentence, total: int) -> BriefSentence:
    """The checker's verdict with the brief's section (as in the extractive
    brief: ``single`` for a claim only one of several sources makes) and the
    named speaker, if any. `supported` stays the checker's."""
    from .brief import KEY, SINGLE, named_speaker

    section = SINGLE if total > 1 and verdict.sources < 2 else KEY
    return dataclasses.replace(verdict, section=section, speaker=verdict.speaker or named_speaker(verdict.text))


def llm_brief(articles: Sequence[Article], english: Mapping[str, str], chat: ChatModel, *,
              prompt: PromptTemplate | str | None = None, sentences: int | None = None, embedder: Any = None,
              threshold: float | None = None, min_kept_fraction: float = MIN_KEPT_FRACTION,
              flags: Mapping[str, Sequence[Any]] | None = None, manifest: Mapping[str, Any] | None = None,
              fallback: Callable[[], Brief] | None = None) -> Brief:
    """A brief written by `chat` from the English of `articles`, every
    sentence verified; the extractive brief (`fallback`, by default
    `toolkit.brief.build_brief(articles, english, sentences=...,
    embedder=..., manifest=...)`) when too little of it survives the check.

    `sentences` is the length asked of the model (``{max_sentences}`` in the
    template); nothing the model writes beyond it is cut. Sentences whose
    translation `flags` make them unusable for the extractive brief (such as
    ``untranslated``) are not offered to the model either. `threshold` is the
    checker's support threshold. `manifest` entries (how the English was
    made) are carried into the brief's manifest, whose ``llm`` entry records
    the backend, model, seed, decoding, prompt name and sha256, the raw
    answer, and every rejected sentence with its reason."""
    from .embed import describe, get_embedder
    from .brief import DEFAULT_SENTENCES, UNUSABLE_FLAGS, build_brief, sources_table

    if not articles:
        raise InputError("no articles to summarise")
    template = prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)
    wanted = sentences or DEFAULT_SENTENCES
    unusable = sorted(i for i, fs in (flags or {}).items() if i in english
                      and any(getattr(f, "code", f) in UNUSABLE_FLAGS for f in fs))
    usable = {i: t for i, t in english.items() if i not in set(unusable)}
    messages = build_messages(template, articles, usable, max_sentences=wanted)
    completion = chat.complete(messages)
    emb = get_embedder(embedder)
    checked = verify_output(completion.text, usable, articles_of=_articles_of(articles, usable),
                            embedder=emb, threshold=threshold)
    total = len(articles)
    warnings: list[str] = []
    if completion.finish_reason == "length":
        warnings.append("the LLM answer was cut at the token limit; its last sentence may be missing")
    if checked.instruction_ids:
        warnings.append(f"source sentence(s) {', '.join(checked.instruction_ids)} read like instructions to an "
                        f"LLM; brief sentences citing them are not shown")
    kept = len(checked.kept)
    enough = kept > 0 and kept >= min_kept_fraction * checked.total
    info: dict[str, Any] = {
        **chat.describe(),
        "model_reported": completion.model,
        "prompt": template.manifest(),
        "max_sentences": wanted,
        "withheld": unusable,
        "finish_reason": completion.finish_reason,
        "proposed": checked.total,
        "kept": kept,
        "rejected": [r.to_dict() for r in checked.rejected],
        "ignored": list(checked.ignored),
        "min_kept_fraction": min_kept_fraction,
        "fallback": not enough,
        "output": completion.text,
    }
    if enough:
        from .verify import SUPPORT_THRESHOLD

        if checked.rejected:
            warnings.append(f"{len(checked.rejected)} of {checked.total} LLM sentence(s) failed the citation check "
                            f"and are not shown (see manifest llm.rejected)")
        if total == 1:
            warnings.append("only one source: no fact can be corroborated")
        info_all = {
            "method": "llm",
            **dict(manifest or {}),
            "sources": sources_table(articles, english),
            "embedder": describe(emb),
            "support_threshold": SUPPORT_THRESHOLD if threshold is None else float(threshold),
            "llm": info,
        }
        return Brief(sentences=tuple(_placed(v, total) for v in checked.kept), total_sources=total,
                     manifest=info_all, warnings=tuple(warnings))
    warnings.append(f"only {kept} of {checked.total} LLM sentence(s) passed the citation check; "
                    f"showing the extractive brief instead")
    if fallback is None:
        def fallback() -> Brief:
            return build_brief(articles, english, flags=flags, sentences=sentences, embedder=emb,
                               manifest=manifest)

    base = fallback()
    return Brief(sentences=base.sentences, total_sources=base.total_sources, manifest={**base.manifest, "llm": info},
                 warnings=tuple(warnings) + tuple(base.warnings))


__all__ = [
    "PromptTemplate", "load_prompt", "available_prompts", "render_sources", "build_messages",
    "ChatModel", "Completion", "TransformersChat", "EndpointChat", "open_chat_model",
    "NO_CITATION", "UNKNOWN_ID", "UNSUPPORTED", "CITES_INSTRUCTION",
    "Candidate", "ParsedOutput", "parse_output", "instruction_like", "Rejected", "Verified", "verify_output",
    "llm_brief",
]
