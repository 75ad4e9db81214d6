"""Test isolation: every test gets its own toolkit cache and config, and the
Hugging Face hub is offline. `shared` points at ../shared (data beside the
repository). Models come from ../shared when it is there and otherwise are
built tiny in the test session (tests/model_fixtures.py), so the same tests
run either way; tests whose expected values only hold for the real data or
models fail in CI when ../shared is missing and skip elsewhere, saying why."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))


# Variables of the toolkit that locate test data rather than configure it.
_KEEP = {"TOOLKIT_SHARED"}


def _isolate(mp: pytest.MonkeyPatch, home: Path) -> None:
    for key in list(os.environ):
        if key.startswith("TOOLKIT_") and key not in _KEEP:
            mp.delenv(key, raising=False)
    mp.setenv("TOOLKIT_CACHE_DIR", str(home / "cache"))
    mp.setenv("TOOLKIT_CONFIG", str(home / "config.toml"))
    mp.setenv("HF_HOME", str(home / "hf-home"))
    mp.delenv("HF_HUB_CACHE", raising=False)
    mp.setenv("SACREBLEU", str(home / "sacrebleu"))
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    mp.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    mp.setenv("TOOLKIT_NLP_MODEL", str(nlp_model()))


def nlp_model() -> Path:
    """The spaCy pipeline the fact layer reads English with: the real
    en_core_web_sm from ../shared, else a blank one built here."""
    path = SHARED / "models" / "spacy-en_core_web_sm-3.8.0"
    if (path / "config.cfg").is_file():
        return path
    from tests.model_fixtures import tiny_nlp

    return tiny_nlp()


@pytest.fixture(scope="session", autouse=True)
def _isolated_session(tmp_path_factory):
    # Session fixtures (tiny models, their conversions) are built before any
    # per-test fixture runs: without this they would write into the user's
    # real cache directories.
    from tests import model_fixtures

    mp = pytest.MonkeyPatch()
    model_fixtures.set_root(tmp_path_factory.mktemp("tiny-models"))
    _isolate(mp, tmp_path_factory.mktemp("toolkit-session"))
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    _isolate(monkeypatch, tmp_path_factory.mktemp("toolkit-home"))


# Fixtures that build or load a model. A test that uses one, directly or
# through another fixture, is marked slow, so `pytest -m "not slow"` never
# builds or runs a model.
MODEL_FIXTURES = {"tiny_marian", "tiny_nllb", "tiny_nllb_multi", "marian_translators", "tiny_model", "tiny_embedder", "embedder",
                  "embedder_dir", "minilm", "real_cache", "seed", "seed_brief"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def listed_commands(group):
    """(name, command) of each command `group --help` lists, its module
    imported as running it would (the CLI imports a command's module only
    when it is needed)."""
    import click

    ctx = click.Context(group)
    return [(name, group.get_command(ctx, name)) for name in group.list_commands(ctx)]


def need_shared(*parts: str) -> Path:
    """Path under ../shared; fails in CI, skips elsewhere, when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: tests need ../shared beside the repository"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def marian_tokenizer_source() -> Path:
    """The opus-mt-ar-en tokenizer and configuration: the real one from
    ../shared, else a tiny one built here in the same layout."""
    path = SHARED / "models" / "opus-mt-ar-en-tokenizer"
    if path.is_dir():
        return path
    from tests.model_fixtures import tiny_marian_tokenizer

    return tiny_marian_tokenizer()


def embedding_hub() -> Path:
    """A Hugging Face hub cache holding the default embedder: the real
    all-MiniLM-L6-v2 from ../shared, else a tiny sentence-transformer built
    here under the same id. For tests that hold with any embedder."""
    path = SHARED / "hf-cache" / "hub"
    if path.is_dir():
        return path
    from tests.model_fixtures import tiny_hub

    return tiny_hub()


def real_embedding_hub(twin: str) -> Path:
    """../shared's hub cache with the real all-MiniLM-L6-v2, for tests whose
    expected values only hold for that model; `twin` names the test that
    runs the same path on the tiny model."""
    path = SHARED / "hf-cache" / "hub"
    if not path.is_dir():
        message = (f"{path} is missing: expected values need the real all-MiniLM-L6-v2 from ../shared "
                   f"(the same path runs on a tiny model in {twin})")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def sample_story() -> tuple[list[Path], Path]:
    """Arabic articles of one story and a directory of their English in the
    refs/ layout: the five seed articles and refs/ when ../shared is there,
    else the bundled examples and examples/en/. For tests that hold for any
    story."""
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if seeds:
        return seeds, REPO / "refs"
    return sorted((REPO / "examples").glob("*.txt")), REPO / "examples" / "en"


@pytest.fixture
def real_nlp() -> Path:
    """The real spaCy English pipeline (from ../shared), for tests whose
    expected facts only a trained parser gives."""
    return need_shared("models", "spacy-en_core_web_sm-3.8.0")


@pytest.fixture
def shared() -> Path:
    return need_shared()


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(need_shared("seeds").glob("*.txt"))


@pytest.fixture
def marian_tokenizer_dir() -> Path:
    return marian_tokenizer_source()
