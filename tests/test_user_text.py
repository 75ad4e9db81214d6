"""What a user reads (the README, docs/, every command's --help) names only
files a clone has: the examples in examples/ and the references in refs/,
never the development data beside the repository."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import REPO, listed_commands
from toolkit.cli import main

BESIDE = "../shared"


def _commands(group, path=()):
    for name, cmd in listed_commands(group):
        yield (*path, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*path, name))


@pytest.mark.parametrize("command", [(), *_commands(main)], ids=lambda c: " ".join(c) or "toolkit")
def test_help_names_no_file_outside_the_clone(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and BESIDE not in result.output


@pytest.mark.parametrize("page", sorted(p.name for p in (REPO / "docs").glob("*.md") if p.name != "benchmarks.md"))
def test_docs_name_no_file_outside_the_clone(page):
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    assert BESIDE not in text, [line for line in text.splitlines() if BESIDE in line]


def test_readme_opens_with_a_brief_a_newcomer_can_reproduce():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```console\n\$ (.*)\n", text).group(1)
    assert first.startswith("toolkit summarize") and "examples/" in first and BESIDE not in first
    # Only the notes on running the test suite may mention the data tests use.
    assert not [line for line in text.splitlines() if BESIDE in line and "test" not in line.lower()]
    for path in re.findall(r"(?<![\w/.])((?:examples|refs)/[\w./-]*)", text):
        assert (REPO / path.rstrip(".")).exists(), path
