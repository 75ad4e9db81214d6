"""An interrupted ``translate --out`` resumed with the same command ends as
an uninterrupted run would have: the process is killed (simulated) at
every write it makes, before the write or leaving it half done, and a
re-run must leave every English file byte for byte and the JSONL row for
row as an uninterrupted run does. Tiny random-weight model."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.translate_fixtures import ARABIC, tiny_marian  # noqa: F401
from toolkit.cli import main

pytestmark = pytest.mark.slow

ARTICLES = 9


class Killed(BaseException):
    """The process died here: nothing after it is written."""


class Killer:
    """Counts the writes of a run (JSONL and done-marker appends, atomic
    file writes) and dies at write number `at`: before it when `torn` is
    false, else after writing part of it (half an append; a temporary file
    left beside its target). Every later write dies too, as nothing runs
    after a kill."""

    def __init__(self, at: int | None, torn: bool = False) -> None:
        self.at, self.torn, self.count, self.dead = at, torn, 0, False

    def event(self) -> bool:
        """True when this write is the one that dies."""
        if self.dead:
            raise Killed
        self.count += 1
        if self.at is not None and self.count == self.at:
            self.dead = True
            return True
        return False


@pytest.fixture
def killer(monkeypatch):
    import toolkit.fileio as fileio
    from toolkit.translations import ArchiveWriter

    state = {"k": Killer(None)}
    real_atomic = fileio.atomic_write_text
    real_append = ArchiveWriter._append

    def atomic(path, text, encoding="utf-8"):
        k = state["k"]
        if k.event():
            if k.torn:
                target = Path(path)
                (target.parent / f".{target.name}.k1ll3d0.tmp").write_text(text[: len(text) // 2], encoding=encoding)
            raise Killed
        return real_atomic(path, text, encoding)

    def append(fh, path, data):
        k = state["k"]
        if k.event():
            if k.torn and len(data) > 1:
                real_append(fh, path, data[: len(data) // 2])
            raise Killed
        return real_append(fh, path, data)

    monkeypatch.setattr(fileio, "atomic_write_text", atomic)
    monkeypatch.setattr(ArchiveWriter, "_append", staticmethod(append))

    def arm(at: int | None, torn: bool = False) -> Killer:
        state["k"] = Killer(at, torn)
        return state["k"]

    return arm


@pytest.fixture
def archive(tmp_path) -> Path:
    d = tmp_path / "archive"
    d.mkdir()
    for i in range(ARTICLES):
        k = i % len(ARABIC)
        (d / f"a{i:02d}.txt").write_text("\n".join(ARABIC[k:] + ARABIC[:k][: i % 3]) + "\n", encoding="utf-8")
    return d


def run(archive: Path, out: Path, model: Path, fmt: str = "jsonl"):
    args = ["translate", str(archive), "--model", str(model), "--beam", "1", "--no-cache", "--out", str(out),
            "--format", fmt]
    return CliRunner().invoke(main, args)


def snapshot(out: Path) -> dict[str, object]:
    """Every file of the directory: English as bytes, the JSONL as rows."""
    files: dict[str, object] = {}
    for p in sorted(out.iterdir()):
        if p.name == "translation.jsonl":
            files[p.name] = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
        elif p.name.endswith(".en.txt") or p.name.startswith("."):
            files[p.name] = p.read_bytes()
    return files


def without_markers(files: dict[str, object]) -> dict[str, object]:
    # The markers hold the input file's time, which differs between the
    # two directories' runs only in that field.
    return {k: v for k, v in files.items() if k != ".toolkit-done.jsonl"}


@pytest.mark.parametrize("fmt", ["jsonl", "txt"])
def test_killed_at_every_write_and_resumed_equals_an_uninterrupted_run(tiny_marian, archive, tmp_path, killer, fmt):
    killer(None)
    whole = tmp_path / "whole"
    assert run(archive, whole, tiny_marian, fmt).exit_code == 0
    expected = without_markers(snapshot(whole))
    counted = killer(None)
    assert run(archive, tmp_path / "count", tiny_marian, fmt).exit_code == 0
    writes = counted.count
    assert writes == ARTICLES * (3 if fmt == "jsonl" else 2)
    points = 0
    for at in range(1, writes + 1):
        for torn in (False, True):
            out = tmp_path / f"killed-{at}-{int(torn)}"
            killer(at, torn)
            with pytest.raises(Killed):
                run(archive, out, tiny_marian, fmt)
            killer(None)
            again = run(archive, out, tiny_marian, fmt)
            assert again.exit_code == 0, again.output
            assert without_markers(snapshot(out)) == expected, (at, torn)
            points += 1
    assert points == 2 * writes >= (54 if fmt == "jsonl" else 36)


def test_a_stale_english_file_is_not_taken_for_a_finished_one(tiny_marian, archive, tmp_path, killer):
    """Rows of an article reached the JSONL, then the run died before its
    English file replaced the one a previous run had left there."""
    killer(None)
    whole = tmp_path / "whole"
    assert run(archive, whole, tiny_marian).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    (out / "a03.en.txt").write_text("An older translation of another text.\n", encoding="utf-8")
    # writes: rows, English, marker per article; the 11th is a03's English
    killer(11)
    with pytest.raises(Killed):
        run(archive, out, tiny_marian)
    assert (out / "a03.en.txt").read_text(encoding="utf-8").startswith("An older")
    killer(None)
    again = run(archive, out, tiny_marian)
    assert again.exit_code == 0, again.output
    assert "(3 article(s) already written there)" in again.stderr
    assert (out / "a03.en.txt").read_bytes() == (whole / "a03.en.txt").read_bytes()
    assert without_markers(snapshot(out)) == without_markers(snapshot(whole))


def test_resume_with_the_path_typed_differently_translates_nothing_twice(tiny_marian, archive, tmp_path, killer,
                                                                        monkeypatch):
    killer(None)
    whole = tmp_path / "whole"
    assert run(archive, whole, tiny_marian).exit_code == 0
    out = tmp_path / "out"
    killer(3 * 5 + 1)  # five articles written, the sixth's rows not
    with pytest.raises(Killed):
        run(archive, out, tiny_marian)
    killer(None)
    monkeypatch.chdir(archive.parent)
    again = run(Path("archive"), out, tiny_marian)
    assert again.exit_code == 0, again.output
    assert "(5 article(s) already written there)" in again.stderr
    rows = snapshot(out)["translation.jsonl"]
    assert len({(r["article"], r["id"]) for r in rows}) == len(rows)
    assert {r["source_file"] for r in rows} == {str((archive / f"a{i:02d}.txt").resolve()) for i in range(ARTICLES)}
    assert without_markers(snapshot(out)) == without_markers(snapshot(whole))


def test_an_input_changed_since_is_translated_again(tiny_marian, archive, tmp_path, killer):
    killer(None)
    out = tmp_path / "out"
    assert run(archive, out, tiny_marian).exit_code == 0
    (archive / "a02.txt").write_text(ARABIC[4] + "\n", encoding="utf-8")
    st = os.stat(archive / "a02.txt")
    os.utime(archive / "a02.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    again = run(archive, out, tiny_marian)
    assert again.exit_code == 0, again.output
    assert f"({ARTICLES - 1} article(s) already written there)" in again.stderr
    rows = snapshot(out)["translation.jsonl"]
    assert [r["source"] for r in rows if r["article"] == 3] == [ARABIC[4]]
    english = (out / "a02.en.txt").read_text(encoding="utf-8")
    assert all(r["text"] in english for r in rows if r["article"] == 3)


def test_an_english_file_edited_after_the_run_is_written_again(tiny_marian, archive, tmp_path, killer):
    killer(None)
    out = tmp_path / "out"
    assert run(archive, out, tiny_marian).exit_code == 0
    good = snapshot(out)
    (out / "a05.en.txt").write_text("edited\n", encoding="utf-8")
    again = run(archive, out, tiny_marian)
    assert again.exit_code == 0, again.output
    assert "wrote 1 article(s)" in again.stderr
    assert (out / "a05.en.txt").read_bytes() == good["a05.en.txt"]
    rows = snapshot(out)["translation.jsonl"]
    assert sorted(rows, key=lambda r: (r["article"], r["id"])) == sorted(good["translation.jsonl"],
                                                                          key=lambda r: (r["article"], r["id"]))


# -- summarize --out and report --out: one atomic write each -------------------

STORY = {
    "a1.txt": "وافق مجلس المدينة على الميزانية الجديدة يوم الاثنين.\n"
              "قال رئيس البلدية إن الميزانية تشمل تمويل مدرستين جديدتين.\n",
    "a2.txt": "صوت مجلس المدينة يوم الاثنين على إقرار الميزانية الجديدة.\n"
              "انتقد أعضاء المعارضة الخطة ووصفوها بأنها مكلفة جدا.\n",
}
STORY_ENGLISH = {
    "1.1": "The city council approved the new budget on Monday.",
    "1.2": "The mayor said the budget includes funding for two new schools.",
    "2.1": "On Monday the city council voted to approve the new budget.",
    "2.2": "Opposition members criticised the plan as far too expensive.",
}


@pytest.mark.parametrize("command, name", [("summarize", "brief.md"), ("report", "brief.html")])
def test_a_brief_killed_while_written_leaves_the_old_file_and_a_rerun_the_whole_one(tmp_path, monkeypatch,
                                                                                   command, name):
    from summarize_fixtures import use_shared_hub, write_jsonl

    import toolkit.cli.common as common

    use_shared_hub(monkeypatch)
    paths = []
    for file, text in STORY.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / file))
    jsonl = write_jsonl(tmp_path / "en.jsonl", STORY_ENGLISH, {1: paths[0], 2: paths[1]})
    fmt = "md" if name.endswith(".md") else "html"

    def brief(out: Path):
        return CliRunner().invoke(main, [command, "-t", str(jsonl), *paths, "--format", fmt, "--out", str(out)])

    whole = tmp_path / "whole" / name
    whole.parent.mkdir()
    # Twice: the manifest tells a cold embedding cache from a warm one, and
    # every run below finds it warm.
    for _ in range(2):
        r = brief(whole)
        assert r.exit_code == 0, r.output
    expected = whole.read_bytes()
    real = common.atomic_write_text
    for torn in (False, True):
        out = tmp_path / f"killed-{int(torn)}" / name
        out.parent.mkdir()
        out.write_text("the brief of an earlier run\n", encoding="utf-8")

        def killed(path, text, encoding="utf-8", torn=torn):
            if torn:
                target = Path(path)
                (target.parent / f".{target.name}.k1ll3d0.tmp").write_text(text[: len(text) // 2], encoding=encoding)
            raise Killed

        monkeypatch.setattr(common, "atomic_write_text", killed)
        with pytest.raises(Killed):
            brief(out)
        assert out.read_text(encoding="utf-8") == "the brief of an earlier run\n"
        monkeypatch.setattr(common, "atomic_write_text", real)
        again = brief(out)
        assert again.exit_code == 0, again.output
        assert out.read_bytes() == expected


_WRITER = """
import os, signal, sys
import toolkit.fileio as fileio
step, target = int(sys.argv[1]), sys.argv[2]
count = 0
def point():
    global count
    count += 1
    if count == step:
        os.kill(os.getpid(), signal.SIGKILL)
real_fsync, real_replace = os.fsync, os.replace
def fsync(fd):
    point(); real_fsync(fd); point()
def replace(a, b):
    point(); real_replace(a, b); point()
os.fsync, os.replace = fsync, replace
fileio.atomic_write_text(target, "new brief\\n" * 5000)
"""


def test_atomic_write_killed_at_each_step_leaves_the_old_file_or_the_new_one(tmp_path):
    """A real SIGKILL before and after each of the write's steps: the file
    is the earlier one or the whole new one, never part of it."""
    import signal
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    new = "new brief\n" * 5000
    outcomes = []
    for step in range(1, 6):
        target = tmp_path / f"brief-{step}.md"
        target.write_text("old brief\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-c", _WRITER, str(step), str(target)], cwd=repo,
                              env={**os.environ, "PYTHONPATH": str(repo)}, capture_output=True, timeout=60)
        content = target.read_text(encoding="utf-8")
        assert content in ("old brief\n", new), step
        outcomes.append((proc.returncode == -signal.SIGKILL, content == new))
    # killed before the rename: the old file; after it: the new one; step 5 is past the last point
    assert outcomes == [(True, False), (True, False), (True, False), (True, True), (False, True)]
