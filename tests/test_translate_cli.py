"""`toolkit translate` and `toolkit models` through click's CliRunner, on a
tiny random-weight model (garbage English; structure is what is checked)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.translate_fixtures import ARABIC, tiny_marian  # noqa: F401
from toolkit.cli import main

pytestmark = pytest.mark.slow

GLOSSARY = "بيونغ يانغ\tPyongyang\nكيم جونغ أون\tKim Jong Un\n"


@pytest.fixture
def articles(tmp_path):
    a = tmp_path / "visit.txt"
    a.write_text("زيارة تاريخية\n" + " ".join(ARABIC[:3]) + "\n" + ARABIC[5] + "\n", encoding="utf-8")
    b = tmp_path / "prices.txt"
    b.write_text(ARABIC[6] + "\n" + ARABIC[3] + "\n", encoding="utf-8")
    return [str(a), str(b)]


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_jsonl_one_record_per_sentence_in_order(tiny_marian, articles):
    r = invoke("translate", *articles, "--model", str(tiny_marian), "--beam", "1", "--format", "jsonl")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    from toolkit.ingest import load_articles

    ids = [s.id for a in load_articles(articles) for s in a.sentences]
    assert [row["id"] for row in rows] == ids
    assert {row["source_file"] for row in rows} == set(articles)
    assert rows[0]["kind"] == "heading" and rows[0]["article"] == 1
    for row in rows:
        assert set(row) >= {"id", "article", "source_file", "kind", "source", "text", "flags",
                            "source_tokens", "target_tokens", "cached", "part", "index", "paragraph"}
        assert all(set(f) == {"code", "detail"} for f in row["flags"])
        assert row["cached"] is False
    # the second run comes from the cache
    again = invoke("translate", *articles, "--model", str(tiny_marian), "--beam", "1", "--format", "jsonl")
    assert [json.loads(line)["cached"] for line in again.stdout.splitlines()] == [True] * len(rows)
    assert [json.loads(line)["text"] for line in again.stdout.splitlines()] == [row["text"] for row in rows]


def test_json_with_manifest_glossary_and_articles(tiny_marian, articles, tmp_path):
    gloss = tmp_path / "names.tsv"
    gloss.write_text(GLOSSARY, encoding="utf-8")
    r = invoke("translate", *articles, "--model", str(tiny_marian), "--engine", "transformers", "--beam", "2",
               "--glossary", str(gloss), "--format", "json", "--no-cache")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    m = data["manifest"]
    assert m["engine"] == "transformers" and m["compute_type"] == "float32" and m["beam"] == 2
    import hashlib

    assert m["glossary_sha256"] == hashlib.sha256(gloss.read_bytes()).hexdigest()
    assert m["toolkit_version"] and m["revision"] and m["model"] == str(tiny_marian)
    assert [a["source_file"] for a in data["articles"]] == articles
    assert all(a["text"] and a["sentences"] for a in data["articles"])
    # ARABIC[5] names Kim Jong Un and Pyongyang; random weights never render them
    report = data["glossary_report"]
    assert {(v["expected"], v["found"]) for v in report} == {("Kim Jong Un", 0), ("Pyongyang", 0)}
    flagged = [s for a in data["articles"] for s in a["sentences"]
               if any(f["code"] == "glossary" for f in s["flags"])]
    assert [s["id"] for s in flagged] == sorted({v["id"] for v in report})
    assert "glossary term" in r.stderr


def test_md_txt_and_rich_views(tiny_marian, articles):
    md = invoke("translate", *articles, "--model", str(tiny_marian), "--beam", "1", "--format", "md")
    assert md.exit_code == 0, md.output
    assert "| ID | Arabic | English | Flags |" in md.stdout and "## visit" in md.stdout and "| 2.1 |" in md.stdout
    txt = invoke("translate", *articles, "--model", str(tiny_marian), "--beam", "1", "--format", "txt")
    assert txt.exit_code == 0 and "# visit" in txt.stdout and "# prices" in txt.stdout
    rich = invoke("translate", articles[1], "--model", str(tiny_marian), "--beam", "1")
    assert rich.exit_code == 0, rich.output
    # article text is data, never Rich markup
    bracketed = tiny_marian.parent / "[notes].txt"
    bracketed.write_text("قال [المتحدث] إن [bold]الاجتماع[/bold] انتهى.\n", encoding="utf-8")
    shown = invoke("translate", str(bracketed), "--model", str(tiny_marian), "--beam", "1")
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.stdout.split())
    assert "[المتحدث]" in flat and "[bold]الاجتماع[/bold]" in flat and "[notes]" in flat
    assert "Arabic" in rich.stdout and "English" in rich.stdout and "1.2" in rich.stdout
    assert "from cache" in rich.stdout
    # not a terminal: no progress bar on stderr
    assert "translating" not in rich.stderr


def test_out_dir_writes_one_english_file_per_article(tiny_marian, articles, tmp_path):
    out = tmp_path / "en"
    r = invoke("translate", *articles, "--model", str(tiny_marian), "--beam", "1", "--format", "jsonl",
               "--out", str(out))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [".toolkit-done.jsonl", "prices.en.txt", "translation.jsonl",
                                                    "visit.en.txt"]
    rows = [json.loads(line) for line in (out / "translation.jsonl").read_text(encoding="utf-8").splitlines()]
    visit = (out / "visit.en.txt").read_text(encoding="utf-8")
    for row in rows:
        if row["article"] == 1 and row["text"]:
            assert row["text"] in visit


def test_offline_without_model_is_one_line_and_exit_3(tmp_path, monkeypatch):
    from tests.conftest import sample_story

    seeds, _ = sample_story()
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    r = CliRunner().invoke(main, ["translate", *map(str, seeds)])
    assert r.exit_code == 3
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Helsinki-NLP/opus-mt-tc-big-ar-en" in lines[0] and "`toolkit models download best`" in lines[0]
    assert "Traceback" not in r.output


def test_models_list_and_offline_download(tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_NLP_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    r = invoke("models", "list", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert not any(m["present"] for m in data["models"])
    assert [p["preset"] for p in data["presets_missing"]] == ["best", "fast", "nllb"]
    d = CliRunner().invoke(main, ["models", "download", "fast"])
    assert d.exit_code == 3 and "Helsinki-NLP/opus-mt-ar-en" in d.stderr


@pytest.mark.parametrize("args, code, message", [
    (["--engine", "fast"], 2, "Invalid value for '--engine'"),
    (["--beam", "0"], 2, "Invalid value for '--beam'"),
    (["--model", "no such model"], 2, "unknown model"),
    (["--glossary", "/nonexistent/g.tsv"], 2, "cannot read glossary"),
])
def test_bad_options_are_one_line_errors(tiny_marian, articles, args, code, message):
    full = ["translate", articles[0], *args]
    if "--model" not in args:
        full += ["--model", str(tiny_marian)]
    r = CliRunner().invoke(main, full)
    assert r.exit_code == code, r.output
    assert message in r.stderr and "Traceback" not in r.output
