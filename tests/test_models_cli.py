"""`toolkit models download|list`: every model a brief needs (translation,
embedder, spaCy pipeline) fetched by one command and listed with its kind,
size and whether it is here. No network: the fetchers are replaced."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, need_shared
from toolkit.cli import main
from toolkit.errors import ModelUnavailable

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """The three fetchers, replaced: each records what it was asked for."""
    import toolkit.embed.locate as locate
    import toolkit.facts.nlp as nlp
    import toolkit.translate.models as models

    seen: list[tuple[str, str]] = []

    def translation(names):
        seen.append(("translation", names[0]))
        return [models.ModelRef(names[0], tmp_path / "m", "abc123def4567", "marian")]

    def embedder(name):
        seen.append(("embedder", name))
        return "e1e2e3e4e5e6e7", tmp_path / "e"

    def pipeline(name=None):
        seen.append(("nlp", name))
        return name

    monkeypatch.setattr(models, "download", translation)
    monkeypatch.setattr(locate, "fetch", embedder)
    monkeypatch.setattr(nlp, "download", pipeline)
    monkeypatch.setattr(nlp, "status", lambda name=None: {"name": name, "kind": "nlp", "present": True,
                                                          "version": "3.8.0", "bytes": 13_000_000})
    return seen


def test_download_fetches_every_model_a_brief_needs(calls, monkeypatch):
    # The default pipeline, not the one the test session points at.
    monkeypatch.delenv("TOOLKIT_NLP_MODEL", raising=False)
    r = CliRunner().invoke(main, ["models", "download"])
    assert r.exit_code == 0, r.output
    assert calls == [("translation", "best"), ("embedder", MINILM), ("nlp", "en_core_web_sm")]
    lines = r.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["translation", "embedder", "nlp"]
    assert MINILM in lines[1] and "en_core_web_sm 3.8.0: installed (13.0 MB)" in lines[2]


def test_download_follows_the_settings(calls, monkeypatch):
    monkeypatch.setenv("TOOLKIT_MODEL", "fast")
    monkeypatch.setenv("TOOLKIT_EMBEDDER", "someone/embedder")
    monkeypatch.setenv("TOOLKIT_NLP_MODEL", "en_core_web_md")
    assert CliRunner().invoke(main, ["models", "download"]).exit_code == 0
    assert calls == [("translation", "fast"), ("embedder", "someone/embedder"), ("nlp", "en_core_web_md")]


@pytest.mark.parametrize("args, expected", [
    (["fast", "nllb"], [("translation", "fast"), ("translation", "nllb")]),
    (["--embedder", "someone/embedder"], [("embedder", "someone/embedder")]),
    (["--nlp-model", "en_core_web_md"], [("nlp", "en_core_web_md")]),
])
def test_download_of_named_models_fetches_only_those(calls, args, expected):
    assert CliRunner().invoke(main, ["models", "download", *args]).exit_code == 0
    assert calls == expected


def test_a_failed_fetch_is_named_and_the_others_still_run(calls, monkeypatch):
    import toolkit.embed.locate as locate

    def offline(name):
        raise ModelUnavailable(f"cannot download embedding model {name}: the hub is unreachable")

    monkeypatch.setattr(locate, "fetch", offline)
    r = CliRunner().invoke(main, ["models", "download"])
    assert r.exit_code == 3
    assert [k for k, _ in calls] == ["translation", "nlp"]
    err = r.stderr.strip().splitlines()
    assert err[0].startswith(f"warning: embedder {MINILM} not fetched: cannot download")
    assert err[-1] == f"Error: 1 of 3 model(s) not fetched (see the warnings above): embedder {MINILM}"
    assert "Traceback" not in r.output


def test_offline_download_of_an_embedder_not_cached_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    r = CliRunner().invoke(main, ["models", "download", "--embedder", "someone/embedder"])
    assert r.exit_code == 3
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "someone/embedder" in lines[0] and "HF_HUB_OFFLINE=1 is set" in lines[0]


def test_the_missing_embedder_error_names_the_command_that_fetches_it(tmp_path, monkeypatch, calls):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    r = CliRunner().invoke(main, ["summarize", "--translations", str(REPO / "examples" / "en"), str(REPO / "examples")])
    assert r.exit_code == 3
    command = f"toolkit models download --embedder {MINILM}"
    assert f"`{command}`" in r.stderr
    assert CliRunner().invoke(main, command.split()[1:]).exit_code == 0
    assert calls == [("embedder", MINILM)]


def _list(fmt: str = "json"):
    r = CliRunner().invoke(main, ["models", "list", "--format", fmt])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout) if fmt == "json" else r.stdout


def test_list_shows_every_needed_model_missing_in_an_empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setenv("TOOLKIT_NLP_MODEL", str(tmp_path / "no-pipeline"))
    data = _list()
    assert [(m["kind"], m["model"], m["needed"], m["present"], m["size"]) for m in data["models"]] == [
        ("translation", "Helsinki-NLP/opus-mt-tc-big-ar-en", True, False, 0),
        ("embedder", MINILM, True, False, 0),
        ("nlp", str(tmp_path / "no-pipeline"), True, False, 0)]
    assert data["ready"] is False and data["cache"] == str(tmp_path / "empty-hub")
    text = _list("rich")
    assert "3 model(s) a brief needs are missing: run `toolkit models download`" in " ".join(text.split())


def test_list_against_the_real_cache(monkeypatch):
    hub = need_shared("hf-cache", "hub")
    spacy_dir = need_shared("models", "spacy-en_core_web_sm-3.8.0")
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    monkeypatch.setenv("TOOLKIT_NLP_MODEL", str(spacy_dir))
    rows = {m["kind"]: m for m in _list()["models"] if m["needed"]}
    assert rows["embedder"]["present"] and rows["embedder"]["model"] == MINILM
    assert rows["embedder"]["size"] > 50_000_000 and Path(rows["embedder"]["path"]).is_dir()
    assert rows["nlp"]["present"] and rows["nlp"]["revision"] == "3.8.0" and rows["nlp"]["size"] > 5_000_000
    assert rows["translation"]["present"] is False
    text = " ".join(_list("rich").split())
    assert "embedder" in text and "91.6 MB" in text and "1 model(s) a brief needs are missing" in text
