"""Test isolation: every test gets its own toolkit cache and config, and the
Hugging Face hub is offline. `shared` points at ../shared (data beside the
repository); tests that need it fail in CI when it is missing and skip
elsewhere, saying why."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("toolkit-home")
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("TOOLKIT_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    for key in ("TOOLKIT_MODEL", "TOOLKIT_ENGINE", "TOOLKIT_DEVICE", "TOOLKIT_EMBEDDER"):
        monkeypatch.delenv(key, raising=False)


def need_shared(*parts: str) -> Path:
    """Path under ../shared; fails in CI, skips elsewhere, when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: tests need ../shared beside the repository"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared() -> Path:
    return need_shared()


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(need_shared("seeds").glob("*.txt"))


@pytest.fixture
def marian_tokenizer_dir() -> Path:
    return need_shared("models", "opus-mt-ar-en-tokenizer")
