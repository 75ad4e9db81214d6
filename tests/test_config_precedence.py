"""Settings precedence (command line > TOOLKIT_* environment > config file >
default) is the same in every command that translates: each command's
translation manifest is checked. The model is a stand-in (no weights), so
only the resolution of settings is exercised."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit.translate as T
import toolkit.translate.run as run_module
from toolkit.translate import selection
from toolkit.cli import main
from toolkit.errors import ToolkitError
from toolkit.translate.base import Hypothesis, Translator
from toolkit.translate.models import ModelRef

ARTICLE = "وصل الرئيس إلى العاصمة صباح اليوم في زيارة رسمية.\nوقال المتحدث إن المحادثات كانت مثمرة.\n"


class _Stop(ToolkitError):
    """Ends the command once the translation manifest is known."""


class _Fake(Translator):
    engine = "fake"
    model_id = "fake/model"
    revision = "0" * 40

    def tokenize(self, text):
        return text.split()

    def translate_batch(self, texts, *, beam=4):
        return [Hypothesis(f"english {len(t)}", len(t.split()), 2) for t in texts]


@pytest.fixture
def seen(monkeypatch):
    manifests: list[dict] = []
    real = T.translate_articles

    def resolve(model=None, **_):
        from toolkit import config

        return ModelRef(str(config.get("model", model)), Path("."), "0" * 40, "marian")

    def spy(*args, **kwargs):
        run = real(*args, **kwargs)
        manifests.append(run.manifest)
        raise _Stop("stop")

    class FakeLoads(selection.EngineSelector):
        def translator(self, ref, engine="auto", device="auto", *, threads=0):
            # Reports the engine it was asked for, as a real load without a
            # fallback does (a fallback is recorded in the manifest as what ran).
            fake = _Fake()
            fake.engine = "ctranslate2" if engine == "auto" else engine  # what auto resolves to when installed
            return fake

    monkeypatch.setattr(run_module, "resolve", resolve)
    monkeypatch.setattr(selection, "SELECTOR", FakeLoads())
    monkeypatch.setattr(T, "translate_articles", spy)
    monkeypatch.setattr("toolkit.cli.translate.translate_articles", spy)
    monkeypatch.setattr("toolkit.references.load_references", lambda *a, **k: {})
    return manifests


COMMANDS = {
    "translate": ["translate", "{a}", "--format", "json"],
    "summarize": ["summarize", "{a}", "--format", "json"],
    "report": ["report", "{a}", "--format", "md"],
    "eval": ["eval", "{a}", "--refs", "{d}"],
}
WITH_BEAM = {"translate", "eval"}


def _run(command: str, tmp_path: Path, extra: list[str] = ()) -> dict:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = [x.format(a=article, d=tmp_path) for x in COMMANDS[command]] + list(extra)
    result = CliRunner().invoke(main, args)
    assert "Traceback" not in result.output
    assert result.exit_code == 1 and "stop" in result.output, result.output
    return result


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_precedence_per_command(command, tmp_path, monkeypatch, seen):
    import os

    config = Path(os.environ["TOOLKIT_CONFIG"])
    _run(command, tmp_path)
    assert (seen[-1]["beam"], seen[-1]["model"]) == (4, "best")            # default
    assert seen[-1]["engine_versions"]["ctranslate2"] != "absent"
    config.write_text('beam = 3\nmodel = "file/model"\nengine = "transformers"\n', encoding="utf-8")
    _run(command, tmp_path)
    assert (seen[-1]["beam"], seen[-1]["model"], seen[-1]["engine"]) == (3, "file/model", "transformers")
    monkeypatch.setenv("TOOLKIT_BEAM", "2")
    monkeypatch.setenv("TOOLKIT_MODEL", "env/model")
    _run(command, tmp_path)
    assert (seen[-1]["beam"], seen[-1]["model"]) == (2, "env/model")         # env over file
    if command in WITH_BEAM:
        _run(command, tmp_path, ["--beam", "1", "--model", "cli/model"])
        assert (seen[-1]["beam"], seen[-1]["model"]) == (1, "cli/model")     # command line over env


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_engine_setting_is_a_usage_error(command, tmp_path, monkeypatch, seen):
    monkeypatch.setenv("TOOLKIT_ENGINE", "bogus")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = [x.format(a=article, d=tmp_path) for x in COMMANDS[command]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "unknown engine 'bogus'" in result.output, result.output


def test_eval_engine_option_is_checked(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(article), "--refs", str(tmp_path), "--engine", "bogus"])
    assert result.exit_code == 2 and "bogus" in result.output
