"""The shared CTranslate2 conversion installer: complete or absent, never
half-made, and concurrent converters never destroy each other's work."""
from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from toolkit import ct2convert as C


def fake_build(tag: str, delay: float = 0.0, log: Path | None = None):
    def build(tmp: Path) -> None:
        if log is not None:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(tag + "\n")
        time.sleep(delay)
        (tmp / "model.bin").write_text(tag, encoding="utf-8")
        (tmp / "config.json").write_text("{}", encoding="utf-8")
    return build


def _convert_in_process(target: str, tag: str, log: str, out: multiprocessing.Queue) -> None:
    path = C.install_once(Path(target), fake_build(tag, 0.5, Path(log)), {"by": tag})
    out.put((tag, str(path), C.is_converted(path), (path / "model.bin").read_text()))


def test_two_processes_converting_at_once_both_get_a_valid_conversion(tmp_path):
    target = tmp_path / "ct2" / "m" / "rev" / "float32"
    log = tmp_path / "builds.log"
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_convert_in_process, args=(str(target), tag, str(log), out)) for tag in "ab"]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winner = (target / "model.bin").read_text()
    assert all(path == str(target) and ok and content == winner for _, path, ok, content in results)
    assert log.read_text().split() == [winner]  # the second waited for the first instead of converting again
    assert sorted(p.name for p in target.parent.iterdir() if not p.name.endswith(".lock")) == ["float32"]


def test_without_locks_a_finished_conversion_is_never_replaced(tmp_path, monkeypatch):
    # Both convert at once (no file lock); the slower one must keep the
    # faster one's installed copy, which may already be in use.
    monkeypatch.setattr(C, "_lock", lambda target: contextlib.nullcontext())
    target = tmp_path / "conv"
    first_done, slow_started = threading.Event(), threading.Event()
    results: dict[str, Path] = {}

    def slow(tmp: Path) -> None:
        slow_started.set()
        first_done.wait(30)
        fake_build("slow")(tmp)

    def fast(tmp: Path) -> None:
        slow_started.wait(30)  # both are converting now
        fake_build("fast")(tmp)

    def run(tag: str, build) -> None:
        results[tag] = C.install_once(target, build, {"by": tag})
        if tag == "fast":
            first_done.set()

    threads = [threading.Thread(target=run, args=("slow", slow)), threading.Thread(target=run, args=("fast", fast))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {"slow": target, "fast": target}
    assert (target / "model.bin").read_text() == "fast" and C.is_converted(target)
    assert [p.name for p in tmp_path.iterdir()] == ["conv"]  # the loser's copy is cleaned up


def test_incomplete_leftover_is_replaced_and_failures_leave_nothing(tmp_path):
    target = tmp_path / "conv"
    target.mkdir()
    (target / "model.bin").write_text("half", encoding="utf-8")  # no marker: an interrupted copy
    assert C.install_once(target, fake_build("new"), {}) == target
    assert (target / "model.bin").read_text() == "new" and C.is_converted(target)

    def broken(tmp: Path) -> None:
        (tmp / "model.bin").write_text("partial", encoding="utf-8")
        raise NotImplementedError("unsupported")

    other = tmp_path / "other"
    with pytest.raises(NotImplementedError):
        C.install_once(other, broken, {})
    assert not other.exists() and sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["conv"]
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
