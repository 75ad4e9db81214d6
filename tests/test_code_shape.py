"""Modules a newcomer can read in one sitting: no module over 400 lines and
no function over 60 anywhere in the package (`bench/` is exempt)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def held_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def too_long(text: str) -> list[str]:
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"module: {lines} lines")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name} (line {node.lineno}): {length} lines")
    return found


@pytest.mark.parametrize("path", held_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_and_functions_are_short(path):
    assert too_long(path.read_text(encoding="utf-8")) == []


def test_the_measure_counts_nested_functions_and_whole_modules():
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    nested = f"def outer():\n    def inner():\n{body}\n    return inner\n"
    assert too_long(nested) == [f"outer (line 1): {MAX_FUNCTION_LINES + 3} lines",
                                f"inner (line 2): {MAX_FUNCTION_LINES + 1} lines"]
    assert too_long("x = 1\n" * (MAX_MODULE_LINES + 1)) == [f"module: {MAX_MODULE_LINES + 1} lines"]
    assert too_long("def f():\n    return 1\n") == []
