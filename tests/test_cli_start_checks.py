"""What every command checks before any work: the settings with a fixed set
of values (engine, device, embed engine), wherever they are set, and an
--out path whose directory exists. Each failure is one line, exit 2, and
nothing is created."""
from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from conftest import listed_commands
from toolkit.cli import main

ARTICLE = "The two leaders met in the capital and signed the agreement after long talks.\n"
# Arguments that get each command past parsing ({a}: an article, {d}: a directory).
COMMANDS = {
    "split": ["split", "{a}"],
    "summarize": ["summarize", "{a}"],
    "report": ["report", "{a}"],
    "score": ["score", "{a}", "--ref", "{a}"],
    "eval": ["eval", "{a}", "--refs", "{d}"],
    "translate": ["translate", "{a}"],
    "models download": ["models", "download"],
    "models list": ["models", "list"],
}


def _all_commands(group: click.Group, prefix: str = "") -> set[str]:
    names = set()
    for name, cmd in listed_commands(group):
        if isinstance(cmd, click.Group):
            names |= _all_commands(cmd, f"{prefix}{name} ")
        else:
            names.add(prefix + name)
    return names


def _args(command: str, tmp_path) -> list[str]:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return [x.format(a=article, d=tmp_path) for x in COMMANDS[command]]


def _one_line_error(result, *parts: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert all(p in lines[0] for p in parts), lines[0]
    assert "Traceback" not in result.output


def test_every_command_is_covered():
    assert _all_commands(main) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("variable, value, setting", [
    ("TOOLKIT_DEVICE", "gpu", "device"),
    ("TOOLKIT_ENGINE", "banana", "engine"),
    ("TOOLKIT_EMBED_ENGINE", "onnx", "embed engine"),
])
def test_a_setting_outside_its_values_fails_every_command(command, variable, value, setting, tmp_path,
                                                          monkeypatch):
    monkeypatch.setenv(variable, value)
    _one_line_error(CliRunner().invoke(main, _args(command, tmp_path)),
                    f"unknown {setting} '{value}'", variable, "choose one of")


@pytest.mark.parametrize("command", ["split", "models list"])
def test_a_bad_value_in_the_config_file_names_the_file(command, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('device = "gpu"\n', encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    _one_line_error(CliRunner().invoke(main, _args(command, tmp_path)), "unknown device 'gpu'", str(config))


def test_help_works_with_a_bad_setting(monkeypatch):
    monkeypatch.setenv("TOOLKIT_DEVICE", "gpu")
    assert CliRunner().invoke(main, ["split", "--help"]).exit_code == 0


def _with_out(group: click.Group = main, prefix: str = "") -> list[str]:
    found = []
    for name, cmd in listed_commands(group):
        if isinstance(cmd, click.Group):
            found += _with_out(cmd, f"{prefix}{name} ")
        elif any(p.name == "out" for p in cmd.params):
            found.append(prefix + name)
    return sorted(found)


def test_the_commands_with_out_are_known():
    assert _with_out() == ["eval", "report", "score", "split", "summarize", "translate"]


@pytest.mark.parametrize("command", _with_out())
def test_out_into_a_missing_directory_fails_before_any_work(command, tmp_path):
    target = tmp_path / "missing" / "sub" / ("english" if command == "translate" else "out.md")
    result = CliRunner().invoke(main, [*_args(command, tmp_path), "--out", str(target)])
    _one_line_error(result, str(target), f"directory {target.parent} does not exist")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", _with_out())
def test_out_under_a_file_fails(command, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    target = blocker / ("english" if command == "translate" else "out.md")
    result = CliRunner().invoke(main, [*_args(command, tmp_path), "--out", str(target)])
    _one_line_error(result, str(target), "is a file, not a directory")


@pytest.mark.parametrize("command", ["split", "score"])
def test_out_into_an_existing_directory_is_written(command, tmp_path):
    target = tmp_path / "out.txt"
    result = CliRunner().invoke(main, [*_args(command, tmp_path), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8")


def test_a_command_imports_no_other_commands_module():
    # `toolkit summarize` need not pay for what `translate`, `score` or
    # `report` import; every command stays listed and runs.
    code = ("import sys; from toolkit.cli import main\n"
            "try: main(['summarize', '--help'])\n"
            "except SystemExit: pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('toolkit.cli.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.strip().splitlines()[-1].split())
    assert "toolkit.cli.summarize" in loaded
    assert not loaded & {"toolkit.cli.translate", "toolkit.cli.score", "toolkit.cli.report",
                         "toolkit.cli.split", "toolkit.cli.models"}
    assert {name for name, _ in listed_commands(main)} >= {"split", "translate", "summarize", "score",
                                                           "eval", "report", "models"}
