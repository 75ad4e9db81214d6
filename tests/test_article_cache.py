"""The article cache: a file read before comes back as the reader gave it,
numbered by its place in this run, and anything that would change the
reading reads the file again."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from toolkit.ingest import cache as article_cache
from toolkit.ingest import load_articles

WRAPPED = ("Rescue teams reached the flooded villages on Tuesday after the river\n"
           "burst its banks overnight, officials said.\n\n"
           "The regional governor said 14 people had died and 300 homes were\n"
           "damaged. Aid agencies asked for boats and drinking water.\n")
ARABIC = "قال مسؤولون إن الفيضانات أودت بحياة 14 شخصا.\n\nوطلبت وكالات الإغاثة قوارب ومياه شرب.\n"


@pytest.fixture
def story(tmp_path: Path) -> list[str]:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "2024-05-02_wire.txt").write_text(WRAPPED, encoding="utf-8")
    (folder / "2024-05-03_daily.txt").write_text(ARABIC, encoding="utf-8")
    return [str(p) for p in sorted(folder.iterdir())]


def _rows() -> int:
    """Rows in the article cache (the test's own, `conftest`)."""
    path = article_cache.open_cache().path
    if not path.is_file():
        return 0
    with sqlite3.connect(path) as con:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def test_a_cached_article_is_the_article_read_from_its_file(story):
    first = load_articles(story)
    assert _rows() == 2
    again = load_articles(story)
    assert again == first
    uncached = load_articles(story, use_cache=False)
    assert uncached == first
    # What the reader did to the file comes back too.
    assert any("unwrapped" in note for note in again[0].reading)
    assert again[0].published.date == "2024-05-02" and again[1].language == "ar"


def test_a_cached_article_takes_the_number_of_its_place_in_this_run(story):
    load_articles(story)
    swapped = load_articles(list(reversed(story)))
    fresh = load_articles(list(reversed(story)), use_cache=False)
    assert swapped == fresh
    assert [a.number for a in swapped] == [1, 2]
    assert swapped[1].sentences[0].id == "2.1" and swapped[1].sentences[0].article == 2


def test_options_the_bytes_and_the_code_each_read_the_file_again(story, monkeypatch):
    load_articles(story)
    assert _rows() == 2
    load_articles(story, max_tokens=40)
    assert _rows() == 4
    Path(story[0]).write_text(WRAPPED.replace("14 people", "15 people"), encoding="utf-8")
    changed = load_articles(story)
    assert "15 people" in changed[0].text and _rows() == 5
    monkeypatch.setattr(article_cache, "code_digest", lambda: "another version of the reader")
    load_articles(story)
    assert _rows() == 7


def test_no_cache_neither_reads_nor_writes(story):
    load_articles(story, use_cache=False)
    assert _rows() == 0


def test_a_damaged_row_is_read_from_its_file_again(story):
    first = load_articles(story)
    with sqlite3.connect(article_cache.open_cache().path) as con:
        con.execute("UPDATE articles SET article = ?", ('{"source": 1}',))
    assert load_articles(story) == first


def test_the_code_digest_follows_the_toolkits_files():
    digest = article_cache.code_digest()
    assert len(digest) == 64 and digest == article_cache.code_digest()
    key = article_cache.article_key(b"text", "a.txt", (None, "auto"))
    assert key != article_cache.article_key(b"text", "b.txt", (None, "auto"))
    assert key != article_cache.article_key(b"text", "a.txt", (40, "auto"))
    assert key != article_cache.article_key(b"text!", "a.txt", (None, "auto"))
