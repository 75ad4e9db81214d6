"""What a wheel carries: every package under toolkit/ and the data files
the code reads at run time (report assets, prompt templates), read from
pyproject.toml, so a new subpackage or asset cannot be left out of wheels."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def package_dir(name: str) -> Path:
    mapped = SETUP.get("package-dir", {})
    if name in mapped:
        return ROOT / mapped[name]
    return ROOT.joinpath(*name.split("."))


def test_every_package_is_listed():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("__init__.py")}
    assert found - set(SETUP["packages"]) == set()


def test_data_files_are_package_data():
    data = SETUP["package-data"]
    for package, folder in (("toolkit.report", "assets"), ("toolkit.prompts", "")):
        base = package_dir(package)
        files = [p.relative_to(base).as_posix() for p in (base / folder).iterdir() if p.is_file()]
        assert files
        assert [f for f in files if not any(fnmatch.fnmatch(f, g) for g in data[package])] == []
