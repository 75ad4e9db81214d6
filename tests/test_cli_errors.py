"""Every error is one line on stderr that names the fix, with the documented
exit code: Click's usage errors, reference directories given wrongly, and
settings checked when the command starts, whichever command it is."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import REPO
from toolkit.cli import main

EXAMPLES = REPO / "examples"


def _run(args, **kw):
    result = CliRunner().invoke(main, [str(a) for a in args], **kw)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.mark.parametrize("args, fix", [
    (["summarize", "--cit", EXAMPLES], "(did you mean one of: '--cite'"),
    (["summarize", EXAMPLES, "--format", "pdf"], "'pdf' is not one of 'rich', 'md', 'json', 'txt'"),
    (["summarise", EXAMPLES], "(did you mean summarize?)"),
    (["summarize", EXAMPLES, "--out", "/tmp"], "(give a file name, e.g. --out /tmp/brief.txt)"),
    (["report", EXAMPLES, "--out", "/tmp"], "(give a file name, e.g. --out /tmp/brief.html)"),
    (["models", "downlod"], "(did you mean download?)"),
    (["split"], "Missing argument 'ARTICLES...' (name the files or directories to read, or - for standard input)"),
    (["--bogus"], "No such option '--bogus'"),
])
def test_usage_errors_are_one_line_naming_the_fix(args, fix):
    result = _run(args)
    assert result.exit_code == 2
    line = _one_line(result)
    assert fix in line
    command = " ".join(a for a in args[:2] if a in ("summarize", "report", "models", "split"))
    assert line.endswith(f"; see main {command} --help".replace("  ", " ").replace("main  ", "main "))


@pytest.mark.parametrize("name", ["manifest.tsv", "01-wire.en.txt"])
def test_a_file_of_a_reference_directory_asks_for_the_directory(name):
    result = _run(["summarize", "--translations", EXAMPLES / "en" / name, EXAMPLES])
    assert result.exit_code == 2
    assert f"give the directory: --translations {EXAMPLES / 'en'}/" in _one_line(result)


def test_stdin_with_a_reference_directory_says_how_to_fix_it():
    text = (EXAMPLES / "01-wire.txt").read_text(encoding="utf-8")
    result = _run(["summarize", "--translations", EXAMPLES / "en", "-"], input=text)
    assert result.exit_code == 2
    line = _one_line(result)
    assert "give the article's file instead of -" in line and "<stdin>" not in line
    report = _run(["report", "--translations", EXAMPLES / "en", "--refs", EXAMPLES / "en", "-"], input=text)
    assert report.exit_code == 2 and "instead of -" in _one_line(report)


@pytest.mark.parametrize("env, message", [
    ({"TOOLKIT_BEAM": "abc"}, "setting beam must be an integer, got 'abc'"),
    ({"TOOLKIT_THREADS": "2.5"}, "setting threads must be an integer"),
    ({"TOOLKIT_MAX_INPUT_MB": "lots"}, "setting max_input_mb must be a number"),
    ({"TOOLKIT_CACHE_DIR": "/proc/toolkit/cache"}, "setting cache_dir: cannot create /proc/toolkit/cache"),
])
@pytest.mark.parametrize("command", [["split", EXAMPLES / "01-wire.txt"], ["score", EXAMPLES / "en", "--ref",
                                                                          EXAMPLES / "en"]])
def test_a_wrong_setting_is_exit_2_whatever_the_command(monkeypatch, env, message, command):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = _run(command)
    assert result.exit_code == 2
    line = _one_line(result)
    assert message in line and "Errno" not in line


def test_wrong_types_in_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("TOOLKIT_CONFIG", str(config))
    for body, message in [('threads = "two"\n', "setting threads must be an integer"),
                          ("model = 3\n", "setting model must be a string"),
                          ("beam = true\n", "setting beam must be an integer")]:
        config.write_text(body, encoding="utf-8")
        result = _run(["split", EXAMPLES / "01-wire.txt"])
        assert result.exit_code == 2 and message in _one_line(result), body
    config.write_text("threads = 2\nmax_input_mb = 20\n", encoding="utf-8")
    assert _run(["split", EXAMPLES / "01-wire.txt"]).exit_code == 0


def test_help_still_works_with_a_wrong_setting(monkeypatch):
    monkeypatch.setenv("TOOLKIT_BEAM", "abc")
    assert _run(["summarize", "--help"]).exit_code == 0


def test_a_bare_group_still_shows_its_help():
    result = _run(["models"])
    assert result.exit_code == 2 and "Usage:" in result.output and "download" in result.output
