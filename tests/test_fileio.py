"""Atomic writes keep the old file intact on failure and honour the umask."""
from __future__ import annotations

import os
import stat

import pytest

from toolkit.errors import InputError
from toolkit.fileio import atomic_write_json, atomic_write_text


def test_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "sub" / "a.txt", "نص")
    finally:
        os.umask(old)
    assert path.read_text(encoding="utf-8") == "نص"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_replacing_keeps_the_existing_mode(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "a.json"
    path.write_text("{}")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="disk full"):
        atomic_write_json(path, {"x": 1})
    assert path.read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
