"""Cache files under damage and contention: a damaged file is rebuilt with a
warning, a busy one is never moved aside, and both caches behave the same."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import store as stores
from toolkit.errors import CacheWarning
from toolkit.store import SqliteStore
from toolkit.translate.base import Hypothesis
from toolkit.translate.cache import TranslationCache, namespace_key

REPO = Path(__file__).resolve().parent.parent
SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
NS = namespace_key({"model": "m"})


def _filled(path: Path, n: int = 2000) -> list[str]:
    cache = TranslationCache(path)
    texts = [f"نص {i}" for i in range(n)]
    cache.put_many(NS, [(t, Hypothesis("x" * 200, 3, 3)) for t in texts])
    cache.close()
    return texts


def _damage_page(path: Path, page: int = 20) -> None:
    with open(path, "r+b") as fh:
        fh.seek(4096 * page)
        fh.write(b"\xa5" * 4096)


def test_damaged_page_is_rebuilt_with_a_notice(tmp_path):
    path = tmp_path / "t.sqlite"
    texts = _filled(path)
    _damage_page(path)
    with pytest.warns(CacheWarning) as caught:
        cache = TranslationCache(path)
        found = cache.get_many(NS, texts)
        assert len(found) < len(texts)  # the damaged part is recomputed, never read wrongly
        assert all(h.text == "x" * 200 for h in found.values())
        cache.put_many(NS, [("جديد", Hypothesis("new", 1, 1))])
        assert cache.get_many(NS, ["جديد"])["جديد"].text == "new"
        cache.close()
    notes = [str(w.message) for w in caught]
    assert cache.recovered and Path(cache.recovered).is_file()
    assert any("was damaged" in n and str(path) in n for n in notes)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_busy_cache_is_waited_on_then_skipped_never_moved(tmp_path, monkeypatch):
    path = tmp_path / "t.sqlite"
    texts = _filled(path, 10)
    monkeypatch.setattr(stores, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.warns(CacheWarning) as caught:
            cache = TranslationCache(path)
            assert cache.get_many(NS, texts) == {}
            cache.put_many(NS, [("a", Hypothesis("A", 1, 1))])  # skipped, no error
            cache.close()
        notes = [str(w.message) for w in caught]
    finally:
        holder.rollback()
        holder.close()
    assert any("busy" in n for n in notes) and cache.recovered is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.sqlite"]
    assert len(TranslationCache(path).get_many(NS, texts)) == len(texts)  # healthy and intact


@pytest.mark.parametrize("page", [0, 20])  # the header (found on opening) or a data page (on reading)
def test_damaged_file_that_cannot_be_moved_aside_is_one_notice(tmp_path, monkeypatch, page):
    path = tmp_path / "t.sqlite"
    texts = _filled(path)
    _damage_page(path, page)

    def refuse(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.warns(CacheWarning) as caught:
        cache = TranslationCache(path)
        assert len(cache.get_many(NS, texts)) < len(texts)
        cache.put_many(NS, [("جديد", Hypothesis("new", 1, 1))])
        assert cache.get_many(NS, ["جديد"]) == {}
        cache.close()
    notes = [str(w.message) for w in caught]
    assert len(notes) == 1 and "cannot be moved aside" in notes[0] and "running without it" in notes[0], notes
    assert cache.recovered is None and path.is_file()


def test_unwritable_cache_directory_runs_without_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.warns(CacheWarning, match="running without it"):
        cache = TranslationCache(blocker / "sub" / "t.sqlite")
        assert cache.get_many(NS, ["a"]) == {}
        cache.put_many(NS, [("a", Hypothesis("A", 1, 1))])


def test_embedding_cache_shares_the_behaviour(tmp_path):
    from toolkit.embed import SCHEMA as VECTORS

    path = tmp_path / "embeddings.sqlite3"
    store = SqliteStore(path, VECTORS, "vectors", "embedding")
    assert store.write_many("INSERT INTO vectors VALUES (?, ?, ?)",
                            [(f"k{i}", 2, b"\0" * 8 + b"z" * 400) for i in range(3000)])
    store.close()
    _damage_page(path)
    with pytest.warns(CacheWarning, match="embedding cache .* damaged"):
        store = SqliteStore(path, VECTORS, "vectors", "embedding")
        store.query("SELECT key, vec FROM vectors")
        assert store.write_many("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", [("a", 1, b"\0" * 4)])
    assert store.query("SELECT key FROM vectors") == [("a",)]


@pytest.mark.slow
def test_two_processes_hammering_one_cache_lose_nothing():
    # A short run of the bench script; `bench/cache_hammer.py --seconds 60` is the long one.
    run = subprocess.run([sys.executable, str(REPO / "bench" / "cache_hammer.py"), "--rounds", "60"],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["written"] == 2 * 60 * 20
    assert summary["lost"] == 0 and summary["moved_aside"] == []
    assert all(w["missing_own"] == 0 and not w["notices"] for w in summary["workers"])


@pytest.mark.parametrize("message, kind", [
    ("database is locked", "busy"), ("database disk image is malformed", "damaged"),
    ("file is not a database", "damaged"), ("disk I/O error", "other"),
])
def test_error_kinds(message, kind):
    assert stores._kind(sqlite3.OperationalError(message)) == kind
