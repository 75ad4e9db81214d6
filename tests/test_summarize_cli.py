"""`toolkit summarize` through CliRunner: every output format with and
without --cite, --out, English from refs/ and from translate JSONL, and bad
input (no articles, one article, an article with no sentences, unknown or
broken translation files)."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import REPO, need_shared
from summarize_fixtures import real_embedding_hub, use_shared_hub, write_jsonl
from tests.translate_fixtures import tiny_marian  # noqa: F401  (session fixture)
from toolkit.cli import main
from toolkit.text.markdown import md_escape
from toolkit.verify import format_citations

# Two short Arabic articles written for these tests, and their English.
ARABIC = {
    "a1.txt": "وافق مجلس المدينة على الميزانية الجديدة يوم الاثنين.\n"
              "قال رئيس البلدية إن الميزانية تشمل تمويل مدرستين جديدتين.\n\n"
              "غمرت الأمطار الغزيرة عدة شوارع في البلدة القديمة.\n",
    "a2.txt": "صوت مجلس المدينة يوم الاثنين على إقرار الميزانية الجديدة.\n"
              "انتقد أعضاء المعارضة الخطة ووصفوها بأنها مكلفة جدا.\n",
}
ENGLISH = {
    "1.1": "The city council approved the new budget [[final vote]] on Monday.",
    "1.2": "The mayor said the budget includes funding for two new schools.",
    "1.3": "Heavy rain flooded several streets in the old town.",
    "2.1": "On Monday the city council approved the new budget [[final vote]].",
    "2.2": "Opposition members criticised the plan as far too expensive.",
}


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def env(monkeypatch, shared_cache):
    # One embedding cache for the module: each brief's vectors are computed once.
    use_shared_hub(monkeypatch)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("COLUMNS", "160")  # Rich output without wrapping inside IDs and file names


@pytest.fixture
def story(tmp_path):
    paths = []
    for name, text in ARABIC.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    jsonl = write_jsonl(tmp_path / "en.jsonl", ENGLISH, {1: paths[0], 2: paths[1]})
    return paths, jsonl


def run(*args):
    return CliRunner().invoke(main, ["summarize", *map(str, args)])


def seed_args():
    real_embedding_hub("tests/test_tiny_models.py::test_summarize_cli_formats_on_the_bundled_examples")
    return ["--translations", REPO / "refs", *sorted(need_shared("seeds").glob("*.txt"))]


@pytest.mark.parametrize("fmt", ["txt", "md", "rich"])
def test_seed_formats_with_and_without_cite(env, fmt):
    cited = run("--cite", "--format", fmt, *seed_args())
    assert cited.exit_code == 0, cited.output
    plain = run("--format", fmt, *seed_args())
    assert plain.exit_code == 0, plain.output
    # Markdown shows file names escaped ("_" would start emphasis).
    name = md_escape("001_f04ec613bbd0daf0") if fmt == "md" else "001_f04ec613bbd0daf0"
    for out in (cited.output, plain.output):
        assert "Key points" in out and "Reported by one source only" in out
        assert "of 5 sources" in out and "Sources" in out and name in out
    brief = json.loads(run("--format", "json", *seed_args()).output)
    flat_cited, flat_plain = " ".join(cited.output.split()), " ".join(plain.output.split())
    for s in brief["sentences"]:
        assert format_citations(s["ids"]) in flat_cited and f"({s['sources']} of 5 sources)" in flat_cited
        if s["section"] == "quote":
            assert f"— {s['speaker']}" in flat_cited and f"— {s['speaker']}" in flat_plain
        assert format_citations(s["ids"]) not in flat_plain
        assert f"({s['sources']} of 5 sources)" in flat_plain
    assert not re.search(r"\[\d+\.\d+", plain.output)
    if fmt == "md":
        assert cited.output.startswith("## Brief (5 sources)") and "| ID | file |" in cited.output


def test_seed_json_always_carries_citations(env):
    result = run("--format", "json", "-n", "5", *seed_args())
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total_sources"] == 5 and len(data["sentences"]) == 5
    first = data["sentences"][0]
    assert set(first) >= {"text", "citations", "ids", "sources", "supported", "section", "speaker", "support"}
    assert first["ids"] == [c["id"] for c in first["citations"]] and first["supported"] is True
    assert data["manifest"]["english"] == {"kind": "references", "path": str(REPO / "refs")}
    assert [s["id"] for s in data["manifest"]["sources"]] == [1, 2, 3, 4, 5]


def test_out_is_written_and_words_budget(env, tmp_path):
    out = tmp_path / "brief" / "brief.md"
    out.parent.mkdir()
    result = run("--cite", "--format", "md", "--words", "60", "--out", out, *seed_args())
    assert result.exit_code == 0, result.output
    assert result.output == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## Brief") and not list(out.parent.glob(".*.tmp"))
    body = [line for line in text.splitlines() if line.startswith("- ")]
    words = sum(len(line[2:].split(" [")[0].split()) for line in body)
    assert body and words <= 60


def test_jsonl_translations_and_brackets_survive_rich(env, story):
    paths, jsonl = story
    result = run("--cite", "--translations", jsonl, *paths)
    assert result.exit_code == 0, result.output
    assert "[[final vote]]" in result.output
    assert "[1.1, 2.1]" in result.output and "(2 of 2 sources)" in result.output
    data = json.loads(run("--format", "json", "-t", jsonl, *paths).output)
    assert data["manifest"]["english"]["kind"] == "jsonl"
    assert {i for s in data["sentences"] for i in s["ids"]} <= set(ENGLISH)


def test_one_article_works_with_a_warning(env, story):
    paths, jsonl = story
    result = run("--cite", "--format", "txt", "-t", jsonl, paths[0])
    assert result.exit_code == 0, result.output
    assert "only one source" in result.output and "(1 of 1 source)" in result.output


def test_no_articles(env):
    result = run("--cite")
    assert result.exit_code == 2 and "no articles given" in result.output


def test_article_with_no_sentences(env, story, tmp_path):
    paths, jsonl = story
    boiler = tmp_path / "links.txt"
    boiler.write_text("اقرأ أيضا: https://example.com/x\n", encoding="utf-8")
    result = run("-t", jsonl, paths[0], boiler)
    assert result.exit_code == 2
    assert f"{boiler}: article has no sentences" in result.output and "Traceback" not in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("-t", jsonl, paths[0], empty)
    assert result.exit_code == 2 and str(empty) in result.output


@pytest.mark.parametrize("content, match", [
    (None, "translations not found"),
    ('{"id": "1.1", "text": "x"}\nnot json\n', ":2: not JSON"),
    ('{"id": "1.1"}\n', ':1: each line must be an object with string "id" and "text"'),
    ('{"id": "1.1", "text": "The council approved the budget."}\n', "no English for sentence 1.2"),
    ('{"id": "1.9", "text": "x", "source_file": "a1.txt"}\n', "sentence 1.9 is not in"),
    ('{"id": "1.1", "text": "x", "source_file": "other.txt"}\n', "none of its 1 translations belong"),
    ('{"id": "1.1", "text": "x", "source": "نص آخر", "source_file": "a1.txt"}\n', "translated from other Arabic"),
])
def test_bad_translation_files(env, story, tmp_path, content, match):
    paths, _ = story
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = run("-t", bad, *paths)
    assert result.exit_code in (2, 4), result.output
    assert match in result.output and "Traceback" not in result.output
    if content is None:
        assert str(bad) in result.output


def test_sentences_and_words_together_is_a_usage_error(env, story):
    paths, jsonl = story
    result = run("-n", "3", "-w", "40", "-t", jsonl, *paths)
    assert result.exit_code == 2 and "not both" in result.output


# --------------------------------------------------------------------------
# English from the translation layer (a tiny random-weight model: garbage
# English, so only structure and the hand-over of IDs are checked)


@pytest.mark.slow
def test_translate_jsonl_and_translation_layer_feed_the_brief(env, story, tiny_marian, tmp_path):
    paths, _ = story
    jsonl = tmp_path / "out.jsonl"
    made = CliRunner().invoke(main, ["translate", *paths, "--model", str(tiny_marian), "--beam", "1",
                                     "--format", "jsonl"])
    assert made.exit_code == 0, made.output
    jsonl.write_text(made.stdout, encoding="utf-8")
    from_file = run("--format", "json", "-t", jsonl, *paths)
    assert from_file.exit_code == 0, from_file.output
    direct = run("--format", "json", "--model", tiny_marian, *paths)
    assert direct.exit_code == 0, direct.output
    a, b = json.loads(from_file.stdout), json.loads(direct.stdout)
    assert a["manifest"]["english"]["kind"] == "jsonl"
    assert b["manifest"]["english"]["kind"] == "translation"
    assert b["manifest"]["english"]["translation"]["model"]
    # Random weights leave Arabic in the output: flagged untranslated, never summarised as English.
    assert a["manifest"]["skipped"]["untranslated"] and b["manifest"]["skipped"]["untranslated"]
    ids = set(ENGLISH)
    for data in (a, b):
        assert all(set(s["ids"]) <= ids and s["supported"] for s in data["sentences"])
        assert data["manifest"]["candidates"] + sum(map(len, data["manifest"]["skipped"].values())) == len(ids)


def test_bundled_examples_corroborate_what_several_reports_state(env):
    real_embedding_hub("tests/test_tiny_models.py::test_summarize_cli_json_on_the_bundled_examples")
    # Three reports of one storm: the evacuation and the mayor's statement
    # are each stated by two of them and must be counted so.
    result = run("--format", "json", "--translations", REPO / "examples" / "en", REPO / "examples")
    assert result.exit_code == 0, result.output
    brief = json.loads(result.output)
    key = [s for s in brief["sentences"] if s["section"] == "key"]
    # The main event (the storm, each report in its own words: one event on
    # one day) opens the key points, stated by all three reports; every
    # other key point is corroborated.
    assert brief["manifest"]["main_event"] in key[0]["ids"] and "storm" in key[0]["text"]
    assert key[0]["ids"] == ["1.2", "2.2", "3.2"] and key[0]["sources"] == 3
    assert len(key) >= 3 and all(s["sources"] >= 2 for s in key[1:])
