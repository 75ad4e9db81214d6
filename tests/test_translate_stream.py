"""Streaming an archive: chunks, lazy reading, per-article failures, files
written as articles finish, resume. Tiny random-weight model (garbage
English; structure and behaviour are checked)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.translate_fixtures import ARABIC, make_article, tiny_marian  # noqa: F401
from toolkit.cli import main
from toolkit.errors import IntegrityError
from toolkit.records import Flag, Translation
from toolkit.translate import selection

pytestmark = pytest.mark.slow

ENGLISH_ARTICLE = "The minister arrived in the capital today.\nTalks were held with the delegation.\n"


@pytest.fixture
def archive(tmp_path) -> Path:
    """Seven Arabic articles (rotations of the hand-written sentences) and
    one English article, in a directory."""
    d = tmp_path / "archive"
    d.mkdir()
    for i in range(7):
        (d / f"a{i}.txt").write_text("\n".join(ARABIC[i:] + ARABIC[:i][: i % 3]) + "\n", encoding="utf-8")
    (d / "b-english.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    return d


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_coverage_check_names_missing_extra_and_order():
    from toolkit.translate import _coverage

    a = make_article(1, ARABIC[:3])
    units = [(a, s) for s in a.sentences]

    def t(i):
        return Translation(i, "x", "y", (Flag("loop", ""),))

    _coverage(units, {s.id: t(s.id) for _, s in units})
    with pytest.raises(IntegrityError, match="no translation for 1.2"):
        _coverage(units, {i: t(i) for i in ("1.1", "1.3")})
    with pytest.raises(IntegrityError, match="unexpected IDs 9.9"):
        _coverage(units, {**{s.id: t(s.id) for _, s in units}, "9.9": t("9.9")})
    with pytest.raises(IntegrityError, match="order differs"):
        _coverage(units, {i: t(i) for i in ("1.2", "1.1", "1.3")})


def test_stream_matches_one_call_in_small_chunks_and_loads_once(tiny_marian, archive, monkeypatch):
    import toolkit.translate as tr
    from toolkit.ingest import load_articles
    from toolkit.translate.stream import archive_sources, translate_stream

    whole = tr.translate_articles(load_articles([str(archive)]), model=str(tiny_marian), beam=1, use_cache=False)
    loads = []

    class Counting(selection.EngineSelector):
        def load(self, *args, **kwargs):
            loads.append(args)
            return super().load(*args, **kwargs)

    monkeypatch.setattr(selection, "SELECTOR", Counting())
    seen = []
    results = list(translate_stream(archive_sources([str(archive)]), model=str(tiny_marian), beam=1,
                                    use_cache=False, chunk_sentences=5, progress=lambda p: seen.append(
                                        (p.articles_done, p.sentences_done))))
    assert len(loads) == 1  # one model for every chunk
    assert [r.number for r in results] == list(range(1, 9))
    assert all(r.ok for r in results)
    for r in results:
        for sid, t in r.translations.items():
            assert t.text == whole.translations[sid].text and t.flags == whole.translations[sid].flags
        assert r.english() == whole.english(r.article)
    english = results[-1]
    assert english.article.language == "en"
    assert all(t.text == t.source and [f.code for f in t.flags] == ["original-english"]
               for t in english.translations.values())
    # progress only moves forward and ends at the whole archive
    assert seen == sorted(seen) and seen[-1] == (8, sum(r.sentences for r in results))


def test_files_are_read_only_when_their_chunk_is_reached(tiny_marian, archive):
    from toolkit.translate.stream import archive_sources, translate_stream

    consumed = []

    def lazily():
        for source in archive_sources([str(archive)]):
            consumed.append(source.number)
            yield source

    stream = translate_stream(lazily(), model=str(tiny_marian), beam=1, chunk_sentences=1)
    first = next(stream)
    assert first.number == 1 and first.ok
    assert consumed == [1]  # nothing beyond the first chunk was read
    assert [r.number for r in stream] == list(range(2, 9))


def test_an_article_that_fails_to_translate_is_reported_and_the_rest_finish(tiny_marian, archive, monkeypatch):
    from toolkit.translate.stream import FAILED, archive_sources, translate_stream

    poison = "هذه الجملة لا ترد إلا في مقال واحد."
    with open(archive / "a3.txt", "a", encoding="utf-8") as fh:
        fh.write(poison + "\n")
    loads = []

    class PoisonRefused(selection.EngineSelector):
        def load(self, *args, **kwargs):
            translator = super().load(*args, **kwargs)
            loads.append(translator)

            class Failing(type(translator)):
                def translate_batch(self, texts, *, beam=4):
                    if poison in texts:
                        raise ValueError("engine refused this input")
                    return super().translate_batch(texts, beam=beam)

            translator.__class__ = Failing
            return translator

    monkeypatch.setattr(selection, "SELECTOR", PoisonRefused())
    results = list(translate_stream(archive_sources([str(archive)]), model=str(tiny_marian), beam=1,
                                    use_cache=False, chunk_sentences=1000))
    failed = [r for r in results if r.status == FAILED]
    assert [r.source for r in failed] == [str(archive / "a3.txt")]
    assert "ValueError: engine refused this input" in failed[0].error
    assert [r.number for r in results] == list(range(1, 9)) and sum(r.ok for r in results) == 7
    # the failed chunk's model, then one for all the retries
    assert len(loads) == 2


def test_cli_out_streams_reports_failures_and_resumes(tiny_marian, archive, tmp_path):
    (archive / "c-empty.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path / "en"
    args = ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1", "--format", "jsonl",
            "--out", str(out)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1, r.output
    assert "c-empty.txt: not translated: " in r.stderr and "1 of 9 article(s) not translated" in r.stderr
    assert "Traceback" not in r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"a{i}.en.txt" for i in range(7)] + ["b-english.en.txt", "translation.jsonl",
                                                                  ".toolkit-done.jsonl"])
    first = rows_of(out / "translation.jsonl")
    assert sorted({row["article"] for row in first}) == list(range(1, 9))
    assert not any(row["cached"] for row in first)

    # An interrupted run: article 4's English file never written, its rows
    # written, and a torn append after them.
    (out / "a3.en.txt").unlink()
    with open(out / "translation.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"id": "5.1", "article": 5, "sour')
    (archive / "c-empty.txt").unlink()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "wrote 1 article(s)" in again.stderr and "(7 article(s) already written there)" in again.stderr
    rows = rows_of(out / "translation.jsonl")
    assert len(rows) == len(first) and len({row["id"] for row in rows}) == len(rows)
    redone = [row for row in rows if row["article"] == 4]
    assert redone and all(row["cached"] for row in redone)  # from the cache, not the model
    assert [row for row in rows if row["article"] != 4] == [row for row in first if row["article"] != 4]
    assert (out / "a3.en.txt").read_text(encoding="utf-8").strip()


def test_cli_jsonl_to_stdout_streams_rows_and_json_out_collects(tiny_marian, archive, tmp_path):
    (archive / "c-empty.txt").write_text("", encoding="utf-8")
    r = CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1",
                                  "--format", "jsonl"])
    assert r.exit_code == 1
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert sorted({row["article"] for row in rows}) == list(range(1, 9))
    assert "c-empty.txt" in r.stderr
    (archive / "c-empty.txt").unlink()
    out = tmp_path / "json"
    j = cli("translate", str(archive), "--model", str(tiny_marian), "--beam", "1", "--format", "json",
            "--out", str(out))
    assert j.exit_code == 0, j.output
    data = json.loads((out / "translation.json").read_text(encoding="utf-8"))
    assert [s["id"] for a in data["articles"] for s in a["sentences"]] == [row["id"] for row in rows]
    m = data["manifest"]
    assert m["sentences"] == len(rows) and m["cached"] == len(rows) - m["original_english"]
    assert m["original_english"] == sum(row["language"] == "en" for row in rows) > 0
    assert m["model"] == str(tiny_marian)


def test_an_output_file_that_cannot_be_written_stops_the_run_with_one_line(tiny_marian, archive, tmp_path):
    out = tmp_path / "en"
    (out / "a2.en.txt").mkdir(parents=True)
    r = CliRunner().invoke(main, ["translate", str(archive), "--model", str(tiny_marian), "--beam", "1",
                                  "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "a2.en.txt: cannot write: it is a directory" in r.stderr and "Traceback" not in r.output
    # written in order up to the failure: the articles before it are there
    assert (out / "a0.en.txt").is_file() and (out / "a1.en.txt").is_file()
