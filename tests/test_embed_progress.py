"""Progress of the embedding and parsing steps on stderr: silent when stderr is not a
terminal, plain start and end lines when TOOLKIT_PROGRESS=1 asks for them,
and never a word on stdout (the brief itself)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import REPO
from summarize_fixtures import use_shared_hub
from toolkit.cli import main
from toolkit.cli.progress import StepProgress
from toolkit.embed import base as embed_base


def summarize(seeds, monkeypatch, cache, progress: str | None):
    use_shared_hub(monkeypatch)
    monkeypatch.setattr(embed_base, "_LOADED", {})  # a model loaded earlier would skip the conversion
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(cache))
    if progress is None:
        monkeypatch.delenv("TOOLKIT_PROGRESS", raising=False)
    else:
        monkeypatch.setenv("TOOLKIT_PROGRESS", progress)
    run = CliRunner().invoke(main, ["summarize", "--cite", "--translations", str(REPO / "refs"),
                                    "--format", "json", *map(str, seeds)])
    assert run.exit_code == 0, run.stderr
    return run


# The steps whose work the cache saves; the brief's own steps
# (tests/test_summarize_progress.py) report on every run.
MODEL_STEPS = ("converting the embedding model", "embedding sentences", "parsing sentences")


def progress_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("progress:")]


def model_lines(stderr: str) -> list[str]:
    return [line for line in progress_lines(stderr) if line.split(":")[1].strip() in MODEL_STEPS]


def test_progress_lines_only_when_asked(seeds, monkeypatch, tmp_path):
    quiet = summarize(seeds, monkeypatch, tmp_path / "quiet", None)
    assert progress_lines(quiet.stderr) == []
    asked = summarize(seeds, monkeypatch, tmp_path / "asked", "1")
    lines = model_lines(asked.stderr)
    assert [line.split(":")[1].strip() for line in lines] == [
        "converting the embedding model", "converting the embedding model", "embedding sentences",
        "embedding sentences", "parsing sentences", "parsing sentences"]
    assert lines[1].endswith(" s)") and lines[2].endswith(": 0/" + lines[3].split("/")[-1].split()[0])
    assert json.loads(asked.stdout) == json.loads(quiet.stdout)  # same brief, progress aside
    cached = summarize(seeds, monkeypatch, tmp_path / "asked", "1")
    assert model_lines(cached.stderr) == [] and progress_lines(cached.stderr)  # nothing new to convert, embed or parse
    assert json.loads(cached.stdout) == json.loads(asked.stdout)  # the manifest does not depend on the cache


@pytest.mark.parametrize("setting", ["0", "off"])
def test_progress_can_be_switched_off(monkeypatch, capsys, setting):
    monkeypatch.setenv("TOOLKIT_PROGRESS", setting)
    bar = StepProgress()
    bar("embed", 0, 10)
    bar("embed", 10, 10)
    assert capsys.readouterr().err == "" and not bar.on
