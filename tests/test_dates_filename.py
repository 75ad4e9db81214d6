"""The publication date a file name gives: the last source of an article's
date before none, read only where it cannot be misread."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.text.dates import published_in_name

ARTICLE = "The two leaders met in the capital and signed the agreement after long talks.\n"


@pytest.mark.parametrize("name, iso", [
    ("t17/bpoil/articles/2011-02-11_199.txt", "2011-02-11"),
    ("20110211.txt", "2011-02-11"),
    ("wire_2011_2_3.html", "2011-02-03"),
    ("1999.01.05-news.md", "1999-01-05"),
    ("13-02-2011.txt", "2011-02-13"),   # 13 is no month: day first
    ("02-13-2011.txt", "2011-02-13"),   # 13 is no month: month first
    ("05-05-2011.txt", "2011-05-05"),   # both readings are one date
])
def test_a_file_name_gives_its_date(name, iso):
    published, notes = published_in_name(name)
    assert (published.date, published.method, notes) == (iso, "file-name", [])
    assert published.evidence == name.rsplit("/", 1)[-1]


@pytest.mark.parametrize("name, note", [
    ("11-02-2011.txt", "day first or month first"),
    ("2011-02-11_2011-02-12.txt", "2 different dates"),
    ("article_12345678.txt", None),        # no valid date: an id
    ("2011-02-30.txt", None),
    ("report 2011.txt", None),
    ("2011/02/11/story.txt", None),        # directories are not read
    ("<stdin>", None),
])
def test_a_file_name_that_could_be_misread_gives_no_date(name, note):
    published, notes = published_in_name(name)
    assert (published.date, published.method) == ("", "none")
    assert (note is None and notes == []) or any(note in n for n in notes)


def _split_json(*args: str) -> tuple[dict, str, int]:
    r = CliRunner().invoke(main, ["split", "--format", "json", *args])
    return (json.loads(r.stdout) if r.exit_code == 0 else {}), r.stderr, r.exit_code


def test_the_cli_dates_an_article_by_its_file_name(tmp_path):
    (tmp_path / "2011-02-11_199.txt").write_text(ARTICLE, encoding="utf-8")
    data, err, code = _split_json(str(tmp_path))
    assert code == 0, err
    assert data["articles"][0]["published"] == {"date": "2011-02-11", "method": "file-name",
                                                "evidence": "2011-02-11_199.txt", "line": 0}
    r = CliRunner().invoke(main, ["split", str(tmp_path)])
    assert "published 11 Feb 2011 (file name)" in r.stdout


def test_the_text_wins_over_the_file_name_with_a_warning(tmp_path):
    (tmp_path / "2011-02-11_199.txt").write_text("Talks end\n\nSaturday, February 12, 2011\n\n" + ARTICLE,
                                                 encoding="utf-8")
    data, err, code = _split_json(str(tmp_path))
    assert code == 0, err
    assert data["articles"][0]["published"]["date"] == "2011-02-12"
    assert data["articles"][0]["published"]["method"] == "date-line"
    warning = [line for line in err.splitlines() if "file name says 2011-02-11" in line]
    assert len(warning) == 1 and "2011-02-11_199.txt" in warning[0] and "2011-02-12" in warning[0]


def test_an_ambiguous_file_name_is_undated_and_says_how_to_date_it(tmp_path):
    path = tmp_path / "11-02-2011.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    data, err, code = _split_json(str(path))
    assert code == 0 and data["articles"][0]["published"]["method"] == "none"
    assert "11-02-2011" in err and "--date" in err and "Traceback" not in err
    data, err, code = _split_json(str(path), "--date", "11-02-2011.txt=2011-02-11")
    assert data["articles"][0]["published"]["method"] == "option"


def test_date_option_replaces_the_file_name_date_with_a_note(tmp_path):
    (tmp_path / "2011-02-11_199.txt").write_text(ARTICLE, encoding="utf-8")
    data, err, code = _split_json(str(tmp_path), "--date", "2011-02-11_199=2011-02-10")
    assert code == 0, err
    assert data["articles"][0]["published"]["date"] == "2011-02-10"
    assert "replaces the file-name date 2011-02-11" in err


def test_every_t17_article_is_dated_by_its_file_name(shared):
    from toolkit.ingest import load_articles

    paths = sorted(shared.glob("t17/*/articles/*.txt"))
    assert len(paths) > 1000
    for article in load_articles([str(p) for p in paths[::25]]):
        stem = article.name[:10]
        # A blog post's own header ("Ana Ruiz | 17:45 UK time, Wednesday, 29
        # April 2009") dates it first, to the same day.
        assert article.published.date == stem, article.source
        assert article.published.method in ("file-name", "dateline"), article.source
