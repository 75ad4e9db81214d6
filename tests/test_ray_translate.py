"""The archive translator on a local Ray (2 CPUs, loopback only, its files
under the test's temporary directory): the same files, row for row, as the
single-machine ``toolkit translate --out``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.translate_fixtures import ARABIC, tiny_marian  # noqa: F401
from toolkit.cli import main

ray = pytest.importorskip("ray", reason="Ray Data is an optional extra: pip install 'toolkit[ray]'")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
    mp.setenv("RAY_AUTH_MODE", "disabled")
    # Short: Ray puts Unix sockets under it.
    temp = tmp_path_factory.mktemp("ray")
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _temp_dir=str(temp),
                       _node_ip_address="127.0.0.1")
    yield context.address_info["gcs_address"]
    ray.shutdown()
    mp.undo()


@pytest.fixture
def archive(tmp_path) -> Path:
    d = tmp_path / "archive"
    d.mkdir()
    for i in range(6):
        (d / f"a{i}.txt").write_text("\n".join(ARABIC[i:] + ARABIC[:i]) + "\n", encoding="utf-8")
    (d / "b-english.txt").write_text("The minister arrived today.\nTalks were held in the capital.\n",
                                     encoding="utf-8")
    (d / "c-empty.txt").write_text("\n", encoding="utf-8")
    return d


def test_ray_writes_the_same_files_as_one_machine_and_resumes(local_ray, tiny_marian, archive, tmp_path,
                                                              monkeypatch):
    from toolkit.translate.ray_data import translate_archive_ray

    plain, on_ray = tmp_path / "plain", tmp_path / "ray"
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache-plain"))
    r = CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1",
                                  "--format", "jsonl", "--out", str(plain)])
    assert r.exit_code == 1 and "c-empty.txt" in r.stderr  # the empty file fails, the rest are written

    # A fresh cache, so that "cached" is false on both sides.
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache-ray"))
    report = translate_archive_ray([str(archive)], on_ray, model=str(tiny_marian), beam=1)
    assert [s for s, _ in report.failed] == [str(archive / "c-empty.txt")]
    assert "empty article" in report.failed[0][1]
    assert report.articles == 7 and report.workers == 1 and report.gpus_per_worker == 0
    assert sorted(p.name for p in on_ray.iterdir()) == sorted(p.name for p in plain.iterdir())
    for p in plain.iterdir():
        assert (on_ray / p.name).read_bytes() == p.read_bytes(), p.name
    # Small batches, several per worker: the same again. Without the cache,
    # since "cached" says whether a sentence came from the cache in that
    # run, which for a sentence repeated in an earlier batch it does.
    small = tmp_path / "small"
    translate_archive_ray([str(archive)], small, model=str(tiny_marian), beam=1, batch_articles=2, use_cache=False)
    for p in plain.iterdir():
        assert (small / p.name).read_bytes() == p.read_bytes(), p.name
    rows = [json.loads(line) for line in (on_ray / "translation.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["article"] for row in rows] == sorted(row["article"] for row in rows)
    assert {row["language"] for row in rows if row["source_file"].endswith("b-english.txt")} == {"en"}
    assert all(row["text"] == row["source"] and row["flags"][0]["code"] == "original-english"
               for row in rows if row["language"] == "en")

    again = translate_archive_ray([str(archive)], on_ray, model=str(tiny_marian), beam=1)
    assert again.skipped == 7 and again.articles == 0
    assert (on_ray / "translation.jsonl").read_text(encoding="utf-8").count("\n") == len(rows)


def test_ray_reads_a_jsonl_file_of_articles(local_ray, tiny_marian, archive, tmp_path):
    from toolkit.translate.ray_data import translate_archive_ray

    src = tmp_path / "articles.jsonl"
    files = sorted(p for p in archive.iterdir() if p.name != "c-empty.txt")
    src.write_text("".join(json.dumps({"source": p.name, "text": p.read_text(encoding="utf-8")},
                                      ensure_ascii=False) + "\n" for p in files)
                   + '{"no text": 1}\n', encoding="utf-8")
    out = tmp_path / "out"
    report = translate_archive_ray([str(src)], out, model=str(tiny_marian), beam=1)
    assert report.articles == len(files) and len(report.failed) == 1 and "needs a \"text\"" in report.failed[0][1]
    direct = tmp_path / "direct"
    translate_archive_ray([str(p) for p in files], direct, model=str(tiny_marian), beam=1)
    for p in files:
        name = p.stem + ".en.txt"
        assert (out / name).read_text(encoding="utf-8") == (direct / name).read_text(encoding="utf-8")


def test_cli_ray_reports_workers_and_failures(local_ray, tiny_marian, archive, tmp_path):
    out = tmp_path / "en"
    r = CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1",
                                  "--out", str(out), "--ray"])
    assert r.exit_code == 1, r.output
    assert f"{archive / 'c-empty.txt'}: not translated: " in r.stderr
    assert "wrote 7 article(s)" in r.stderr and "on Ray (1 worker(s), 0 GPU each)" in r.stderr
    assert "1 article(s) not translated" in r.stderr and "Traceback" not in r.output
    assert len(list(out.glob("*.en.txt"))) == 7


def test_cli_joins_a_running_ray_by_address_and_leaves_it_running(local_ray, tiny_marian, archive, tmp_path):
    """A newsroom starts Ray once (ray start --head) and runs the CLI
    against it: another process, which joins by address instead of
    starting a Ray of its own, and writes the files of the plain path."""
    import os
    import subprocess
    import sys

    plain = tmp_path / "plain"
    CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1",
                              "--format", "jsonl", "--out", str(plain)])
    out = tmp_path / "joined"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).resolve().parent.parent),
                                                                   os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.run([sys.executable, "-m", "toolkit", "translate", str(archive), "--model", str(tiny_marian),
                           "--beam", "1", "--out", str(out), "--ray", "--ray-address", local_ray],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "wrote 7 article(s)" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in plain.iterdir())
    for p in plain.glob("*.en.txt"):
        assert (out / p.name).read_bytes() == p.read_bytes(), p.name

    def rows(d: Path) -> list[dict]:
        # "cached" depends on the cache of the running Ray's workers.
        return [{k: v for k, v in json.loads(line).items() if k != "cached"}
                for line in (d / "translation.jsonl").read_text(encoding="utf-8").splitlines()]

    assert rows(out) == rows(plain)
    # The CLI only disconnected: the Ray it joined still runs work.
    assert ray.get(ray.remote(lambda: 1 + 1).remote()) == 2 and ray.cluster_resources().get("CPU") == 2


def test_cli_ray_needs_out(tiny_marian, archive):
    r = CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--ray"])
    assert r.exit_code == 2 and "--ray" in r.stderr
