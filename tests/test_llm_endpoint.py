"""The OpenAI-compatible client against a real HTTP server on 127.0.0.1:
protocol, model discovery, timeouts, retries with backoff, errors."""
from __future__ import annotations

import pytest

from tests.llm_fixtures import ChatServer, free_port
from toolkit.errors import InputError, ModelUnavailable
from toolkit.llm import EndpointChat, open_chat_model

MESSAGES = [{"role": "system", "content": "rules"}, {"role": "user", "content": "sources"}]


@pytest.mark.parametrize("given, expected", [
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/chat/completions"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1/chat/completions"),
    ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions"),
    ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1/chat/completions"),
    ("http://127.0.0.1:11434/api/v1", "http://127.0.0.1:11434/api/v1/chat/completions"),
    ("https://llm.example/v1/chat/completions", "https://llm.example/v1/chat/completions"),
])
def test_chat_url_forms(given, expected):
    assert EndpointChat.chat_url(given) == expected


@pytest.mark.parametrize("bad", ["127.0.0.1:8080", "ftp://host/v1", "file:///etc/passwd", "http://"])
def test_chat_url_rejects_non_http(bad):
    with pytest.raises(InputError, match="http"):
        EndpointChat(bad)


def test_protocol_request_and_answer():
    with ChatServer([("reply", "A sentence [1.1].")]) as server:
        chat = EndpointChat(server.url + "/v1", "my-model", seed=7, max_new_tokens=99, api_key="k-123")
        done = chat.complete(MESSAGES)
    assert done.text == "A sentence [1.1]."
    assert done.finish_reason == "stop"
    method, path, headers, body = server.requests[0]
    assert (method, path) == ("POST", "/v1/chat/completions")
    assert headers["Content-Type"] == "application/json"
    assert headers["Authorization"] == "Bearer k-123"
    assert body == {"model": "my-model", "messages": MESSAGES, "temperature": 0.0, "seed": 7,
                    "max_tokens": 99, "stream": False}
    assert chat.describe()["decoding"] == "greedy"


def test_model_discovered_from_models_listing_when_not_given():
    with ChatServer([("reply", "ok [1.1]")], models=("qwen-local", "other")) as server:
        chat = EndpointChat(server.url)
        chat.complete(MESSAGES)
    assert [(r[0], r[1]) for r in server.requests] == [("GET", "/v1/models"), ("POST", "/v1/chat/completions")]
    assert server.posts()[0]["model"] == "qwen-local"
    assert chat.describe()["model"] == "qwen-local"


def test_empty_models_listing_asks_for_model():
    with ChatServer([("reply", "x")], models=()) as server:
        with pytest.raises(ModelUnavailable, match="--llm-model"):
            EndpointChat(server.url).complete(MESSAGES)


def test_retries_server_errors_with_doubling_backoff():
    waits: list[float] = []
    script = [("status", 503, {"error": {"message": "loading model"}}), ("drop",), ("reply", "fine [1.1]")]
    with ChatServer(script) as server:
        chat = EndpointChat(server.url, "m", retries=3, backoff=0.5, sleep=waits.append)
        done = chat.complete(MESSAGES)
    assert done.text == "fine [1.1]"
    assert len(server.posts()) == 3
    assert waits == [0.5, 1.0]


def test_retry_after_header_is_honoured_up_to_a_limit():
    waits: list[float] = []
    script = [("status", 429, {"error": "busy"}, {"Retry-After": "3"}),
              ("status", 429, {"error": "busy"}, {"Retry-After": "86400"}), ("reply", "ok [1.1]")]
    with ChatServer(script) as server:
        EndpointChat(server.url, "m", retries=2, backoff=0.1, sleep=waits.append).complete(MESSAGES)
    assert waits == [3.0, 60.0]


def test_gives_up_after_retries_with_one_line_error():
    waits: list[float] = []
    with ChatServer([("status", 500, {"error": {"message": "CUDA out of memory"}})]) as server:
        chat = EndpointChat(server.url, "m", retries=2, backoff=0.25, sleep=waits.append)
        with pytest.raises(ModelUnavailable) as info:
            chat.complete(MESSAGES)
    assert len(server.posts()) == 3
    assert waits == [0.25, 0.5]
    message = str(info.value)
    assert "\n" not in message
    assert "after 3 attempt(s)" in message and "CUDA out of memory" in message


def test_timeout_is_retried_then_reported():
    waits: list[float] = []
    with ChatServer([("sleep", 1.0, "late [1.1]")]) as server:
        chat = EndpointChat(server.url, "m", timeout=0.2, retries=1, backoff=0.01, sleep=waits.append)
        with pytest.raises(ModelUnavailable, match=r"no answer within 0.2s"):
            chat.complete(MESSAGES)
    assert len(server.posts()) == 2
    assert waits == [0.01]


def test_timeout_then_success():
    with ChatServer([("sleep", 1.0, "late"), ("reply", "in time [1.1]")]) as server:
        chat = EndpointChat(server.url, "m", timeout=0.2, retries=1, backoff=0.0, sleep=lambda s: None)
        assert chat.complete(MESSAGES).text == "in time [1.1]"


def test_unreachable_server_is_one_clear_line():
    waits: list[float] = []
    url = f"http://127.0.0.1:{free_port()}"
    chat = EndpointChat(url, "m", retries=2, backoff=1.0, sleep=waits.append)
    with pytest.raises(ModelUnavailable) as info:
        chat.complete(MESSAGES)
    message = str(info.value)
    assert message.startswith(f"LLM endpoint {url}/v1/chat/completions unreachable after 3 attempt(s)")
    assert "--llm-endpoint" in message and "\n" not in message
    assert waits == [1.0, 2.0]


@pytest.mark.parametrize("code, error", [(404, ModelUnavailable), (401, ModelUnavailable), (400, InputError)])
def test_client_errors_are_not_retried(code, error):
    with ChatServer([("status", code, {"error": {"message": "model 'nope' not found"}})]) as server:
        with pytest.raises(error, match=f"HTTP {code}: model 'nope' not found"):
            EndpointChat(server.url, "nope", retries=3, sleep=lambda s: None).complete(MESSAGES)
    assert len(server.posts()) == 1


@pytest.mark.parametrize("payload, match", [
    (b"<html>hello</html>", "did not answer with JSON"),
    (b'{"object": "list"}', r"without choices\[0\].message"),
    (b'{"choices": [{"message": {"content": [1, 2]}}]}', "non-text content"),
])
def test_malformed_answers(payload, match):
    with ChatServer([("raw", payload)]) as server:
        with pytest.raises(ModelUnavailable, match=match):
            EndpointChat(server.url, "m", retries=0).complete(MESSAGES)


def test_open_chat_model_needs_exactly_one_backend():
    with pytest.raises(InputError, match="exactly one"):
        open_chat_model()
    with pytest.raises(InputError, match="exactly one"):
        open_chat_model(model="x", endpoint="http://127.0.0.1:1")
    with pytest.raises(InputError, match="--llm-model needs --llm-endpoint"):
        open_chat_model(model="x", endpoint_model="y")
    chat = open_chat_model(endpoint="http://127.0.0.1:1/v1", endpoint_model="y", seed=3)
    assert chat.describe() == {"backend": "endpoint", "endpoint": "http://127.0.0.1:1/v1/chat/completions",
                               "model": "y", "seed": 3, "decoding": "greedy", "max_new_tokens": 512}


def test_api_key_from_environment(monkeypatch):
    monkeypatch.setenv("TOOLKIT_LLM_API_KEY", "env-key")
    with ChatServer([("reply", "ok [1.1]")]) as server:
        open_chat_model(endpoint=server.url, endpoint_model="m").complete(MESSAGES)
        monkeypatch.delenv("TOOLKIT_LLM_API_KEY")
        open_chat_model(endpoint=server.url, endpoint_model="m").complete(MESSAGES)
    assert server.requests[0][2]["Authorization"] == "Bearer env-key"
    assert "Authorization" not in server.requests[1][2]


def test_timeout_and_retries_from_environment(monkeypatch):
    monkeypatch.setenv("TOOLKIT_LLM_TIMEOUT", "2.5")
    monkeypatch.setenv("TOOLKIT_LLM_RETRIES", "0")
    chat = open_chat_model(endpoint="http://127.0.0.1:1", endpoint_model="m")
    assert (chat.timeout, chat.retries) == (2.5, 0)
    assert open_chat_model(endpoint="http://127.0.0.1:1", endpoint_model="m", retries=2).retries == 2
    monkeypatch.setenv("TOOLKIT_LLM_RETRIES", "many")
    with pytest.raises(InputError, match="TOOLKIT_LLM_RETRIES must be a number"):
        open_chat_model(endpoint="http://127.0.0.1:1", endpoint_model="m")
