"""An OpenAI-compatible ``/v1/chat/completions`` server (llama.cpp, Ollama,
vLLM), with retries, through the standard library only."""
from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Mapping, Sequence

from ..errors import InputError, ModelUnavailable
from .chat import ChatModel, Completion, DEFAULT_MAX_NEW_TOKENS, DEFAULT_SEED, one_line


DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 60.0


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
                    last = one_line(str(reason) or type(reason).__name__, 200)
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
            return one_line(str(msg), 200)
    except (json.JSONDecodeError, AttributeError):
        pass
    return one_line(body, 200) or (exc.reason or "no detail")


def env_number(name: str, kind: type, default: Any) -> Any:
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
