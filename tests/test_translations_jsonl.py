"""The translations JSONL read as a stream: a file of any size, only the
rows of the articles asked for, each line bounded and checked."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import InputError, IntegrityError
from toolkit.ingest import load_articles
from toolkit.records import Translation
from toolkit.translations import article_rows, dumps_rows, read_translations

TEXTS = {
    "a1.txt": "وافق مجلس المدينة على الميزانية الجديدة يوم الاثنين.\nقال رئيس البلدية إن الميزانية تشمل مدرستين.\n",
    "a2.txt": "انتقد أعضاء المعارضة الخطة ووصفوها بأنها مكلفة جدا.\n",
}


@pytest.fixture
def articles(tmp_path):
    paths = []
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return load_articles(paths)


def rows_for(articles) -> list[dict]:
    rows = []
    for a in articles:
        rows += article_rows(a, {s.id: Translation(s.id, s.text, f"English of {s.id}.") for s in a.sentences})
    return rows


def write(path: Path, rows: list[dict], raw: str = "") -> Path:
    path.write_text(dumps_rows(rows) + raw, encoding="utf-8")
    return path


def test_a_file_far_over_the_input_limit_is_read_keeping_only_the_asked_articles(articles, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_MAX_INPUT_MB", "0.05")
    archive = [{"id": f"{n}.1", "article": n, "source_file": f"/archive/other-{n}.txt", "text": "x" * 200}
               for n in range(3, 3000)]
    path = write(tmp_path / "t.jsonl", archive[:1500] + rows_for(articles) + archive[1500:])
    assert path.stat().st_size > 10 * 0.05 * 1024 * 1024
    from toolkit.brief import english_from_jsonl

    english, flags = english_from_jsonl(path, articles)  # what a brief reads
    assert english == {s.id: f"English of {s.id}." for a in articles for s in a.sentences}
    assert set(flags) == set(english)


def test_a_line_over_the_limit_is_refused_naming_it(articles, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_MAX_INPUT_MB", "0.01")
    rows = rows_for(articles)
    rows[1]["text"] = "y" * 20000
    path = write(tmp_path / "t.jsonl", rows)
    with pytest.raises(InputError, match=r"t\.jsonl:2: translation file: larger than the input limit"):
        read_translations(path, articles)


def test_paths_typed_differently_name_the_same_article(articles, tmp_path, monkeypatch):
    rows = rows_for(articles)
    assert {r["source_file"] for r in rows} == {str(Path(a.source).resolve()) for a in articles}
    monkeypatch.chdir(tmp_path)
    relative = load_articles(["a1.txt", "./a2.txt"])
    english, _ = read_translations(write(tmp_path / "t.jsonl", rows), relative)
    assert len(english) == sum(len(a.sentences) for a in relative)


@pytest.mark.parametrize("raw, message", [
    ('{"id": "1.1", "text": 3}\n', ':{line}: each line must be an object with string "id" and "text"'),
    ('{"id": "1.1", "text": "x", "flags": "loop"}\n', ':{line}: field "flags" must be a list'),
    ('{"id": "1.1", "text": "x", "source_file": 7}\n', ':{line}: field "source_file" must be a string'),
    ("not json\n", ":{line}: not JSON"),
])
def test_bad_lines_are_named_by_line_number(articles, tmp_path, raw, message):
    rows = rows_for(articles)
    path = write(tmp_path / "t.jsonl", rows, raw)
    with pytest.raises(InputError, match=message.format(line=len(rows) + 1)):
        read_translations(path, articles)


def test_a_repeated_sentence_names_both_lines(articles, tmp_path):
    rows = rows_for(articles)
    path = write(tmp_path / "t.jsonl", rows + [rows[0]])
    with pytest.raises(InputError, match=rf":{len(rows) + 1}: sentence ID 1.1 occurs twice \(first on line 1\)"):
        read_translations(path, articles)


def test_rows_of_other_articles_are_not_checked_against_these(articles, tmp_path):
    other = {"id": "1.9", "article": 1, "source_file": "/elsewhere/z.txt", "text": "x"}
    english, _ = read_translations(write(tmp_path / "t.jsonl", [other, other] + rows_for(articles)), articles)
    assert "1.9" not in english


def test_bom_and_line_separators_inside_strings(articles, tmp_path):
    rows = rows_for(articles)
    rows[0]["text"] = "First\u2028line."
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_rows(rows).encode("utf-8"))
    english, _ = read_translations(path, articles)
    assert english["1.1"] == "First\u2028line."


def test_a_sentence_the_article_lacks_is_an_integrity_error(articles, tmp_path):
    rows = rows_for(articles)
    rows.append({**rows[0], "id": "1.9", "source": None})
    with pytest.raises(IntegrityError, match=r"t\.jsonl:\d+: sentence 1\.9 is not in"):
        read_translations(write(tmp_path / "t.jsonl", rows), articles)


def test_nothing_of_these_articles(articles, tmp_path):
    other = {"id": "1.1", "source_file": "/elsewhere/z.txt", "text": "x"}
    with pytest.raises(InputError, match="none of its 1 translations belong"):
        read_translations(write(tmp_path / "t.jsonl", [other]), articles)
    with pytest.raises(InputError, match="no translations in file"):
        read_translations(write(tmp_path / "e.jsonl", [], "\n\n"), articles)


def dated_rows(articles, dates: dict[int, str | None]) -> list[dict]:
    rows = rows_for(articles)
    for r in rows:
        r["published"] = dates.get(r["article"])
    return rows


def test_rows_carry_the_article_date_and_a_reader_takes_it_back(articles, tmp_path):
    from dataclasses import replace

    from toolkit.records import Published
    from toolkit.translations import scan_translations

    dated = [replace(articles[0], published=Published("2010-01-12", "date-line", "12 January 2010", 1)), articles[1]]
    rows = rows_for(dated)
    assert {r["published"] for r in rows if r["article"] == 1} == {"2010-01-12"}
    assert {r["published"] for r in rows if r["article"] == 2} == {None}
    found = scan_translations(write(tmp_path / "t.jsonl", rows), articles)
    assert found.published == {1: ("2010-01-12", 1)}
    assert found.english == read_translations(tmp_path / "t.jsonl", articles)[0]


@pytest.mark.parametrize("value, message", [
    ("12/01/2010", r't\.jsonl:2: field "published": not a YYYY-MM-DD date'),
    ("2010-02-30", r't\.jsonl:2: field "published": day is out of range'),
    (20100112, r't\.jsonl:2: field "published" must be a string, got int'),
])
def test_a_published_field_that_is_no_date_is_refused_naming_the_line(articles, tmp_path, value, message):
    from toolkit.translations import scan_translations

    rows = dated_rows(articles, {})
    rows[1]["published"] = value
    with pytest.raises(InputError, match=message):
        scan_translations(write(tmp_path / "t.jsonl", rows), articles)


def test_two_dates_for_one_article_are_refused_naming_both_lines(articles, tmp_path):
    from toolkit.translations import scan_translations

    rows = dated_rows(articles, {1: "2010-01-12"})
    rows[1]["published"] = "2010-01-13"
    with pytest.raises(InputError, match=r't\.jsonl:2: "published" 2010-01-13 for .*a1\.txt, but line 1 gives '
                                         r'2010-01-12'):
        scan_translations(write(tmp_path / "t.jsonl", rows), articles)


def test_a_jsonl_date_dates_an_article_and_the_command_line_still_wins(articles):
    from dataclasses import replace

    from toolkit.records import Published
    from toolkit.text.dates import field_dates, given_dates

    given = {1: ("2010-01-12", 3), 2: ("2010-01-20", 5)}
    out, notes = field_dates(articles, given, "t.jsonl")
    assert [(a.published.date, a.published.method) for a in out] == [("2010-01-12", "jsonl"), ("2010-01-20", "jsonl")]
    assert out[0].published.evidence == '"published" of t.jsonl line 3' and notes == []
    # the article's own date: the same date keeps its evidence, another is replaced with a note
    own = [replace(a, published=Published("2010-01-12", "date-line", "12 January 2010", 1)) for a in articles]
    out, notes = field_dates(own, given, "t.jsonl")
    assert [(a.published.date, a.published.method) for a in out] == [("2010-01-12", "date-line"),
                                                                    ("2010-01-20", "jsonl")]
    assert notes == [f"{own[1].source}: the JSONL date 2010-01-20 replaces the date-line date 2010-01-12 "
                     "(12 January 2010)"]
    # --date beats the file, and says the file's date is not used
    by_option, _ = given_dates(articles, ["a2.txt=2010-02-01"])
    out, notes = field_dates(by_option, given, "t.jsonl")
    assert [(a.published.date, a.published.method) for a in out] == [("2010-01-12", "jsonl"), ("2010-02-01", "option")]
    assert notes == [f'{articles[1].source}: --date 2010-02-01 is used, not the "published" 2010-01-20 of t.jsonl '
                     "line 5"]


def test_summarize_takes_article_dates_from_the_translations_jsonl(articles, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from summarize_fixtures import use_shared_hub
    from toolkit.cli import main

    use_shared_hub(monkeypatch)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = write(tmp_path / "t.jsonl", dated_rows(articles, {1: "2010-01-12", 2: "2010-01-20"}))
    sources = [a.source for a in articles]
    run = CliRunner().invoke(main, ["summarize", "--format", "json", "-t", str(path), *sources])
    assert run.exit_code == 0, run.output
    brief = json.loads(run.output[run.output.index("{"):])
    assert [(r["published"], r["date_found"]) for r in brief["manifest"]["sources"]] == [
        ("2010-01-12", "jsonl"), ("2010-01-20", "jsonl")]
    bad = write(tmp_path / "bad.jsonl", dated_rows(articles, {1: "last Monday"}))
    run = CliRunner().invoke(main, ["summarize", "-t", str(bad), *sources])
    assert run.exit_code == 2 and 'bad.jsonl:1: field "published": not a YYYY-MM-DD date' in run.output
    assert "Traceback" not in run.output
