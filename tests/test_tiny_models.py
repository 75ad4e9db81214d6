"""The embedding, brief, report and doc-example paths on the tiny models
built in the test session, whether or not ../shared is there: structural
twins of the tests whose expected values need the real all-MiniLM-L6-v2.
Random weights: these assert shape (sections, valid citations, exit codes,
JSON keys), never content."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

import test_docs
from conftest import REPO
from summarize_fixtures import MODEL_ID, make_articles
from tests.model_fixtures import TINY_REVISION, tiny_hub, tiny_snapshot
from toolkit import brief as S
from toolkit.cli import main
from toolkit.embed import Embedder
from toolkit.ingest import load_articles
from toolkit.verify import verify_sentences

pytestmark = pytest.mark.slow

EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
EXAMPLES_EN = REPO / "examples" / "en"
SECTIONS = {"key", "quote", "single"}


@pytest.fixture
def tiny_env(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tiny_hub()))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture(scope="module")
def tiny_embedder(tmp_path_factory):
    return Embedder(str(tiny_snapshot()), cache_dir=tmp_path_factory.mktemp("emb"))


def test_tiny_hub_model_is_found_by_id_without_the_network(tiny_env, monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # any hub request would fail
    emb = Embedder(MODEL_ID, cache_dir=tmp_path)
    vecs = emb.encode(["The council met.", "The park opened."])
    assert emb.revision == TINY_REVISION and emb.engine == "ctranslate2"
    assert vecs.shape == (2, 32) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # Vectors come from the cache the second time: no model is loaded.
    again = Embedder(MODEL_ID, cache_dir=tmp_path)
    assert np.array_equal(again.encode(["The council met.", "The park opened."]), vecs) and not again.loaded


def test_brief_sections_citations_and_lengths(tiny_embedder):
    articles, english = make_articles()
    brief = S.build_brief(articles, english, embedder=tiny_embedder)
    assert brief.total_sources == len(articles) and brief.sentences
    for b in brief.sentences:
        ids = [c.id for c in b.citations]
        assert b.section in SECTIONS and ids and set(ids) <= set(english)
        assert b.sources == len({i.split(".")[0] for i in ids})
    assert len(S.build_brief(articles, english, embedder=tiny_embedder, sentences=2).sentences) <= 2
    short = S.build_brief(articles, english, embedder=tiny_embedder, words=25)
    assert 0 < sum(len(b.text.split()) for b in short.sentences) <= 25


def test_checker_measures_citations_on_the_tiny_embedder(tiny_embedder):
    _, english = make_articles()
    out = verify_sentences([(english["1.1"], ["1.1"]), (english["1.1"], ["9.9"])], english, embedder=tiny_embedder)
    assert out[0].supported and out[0].citations[0].similarity == pytest.approx(1.0, abs=1e-4)
    assert not out[1].supported and out[1].reason


def test_summarize_cli_json_on_the_bundled_examples(tiny_env):
    result = CliRunner().invoke(main, ["summarize", "--format", "json", "--translations", str(EXAMPLES_EN),
                                       *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ids = {s.id for a in load_articles([str(p) for p in EXAMPLES]) for s in a.sentences}
    assert {"sentences", "manifest"} <= set(data) and data["sentences"]
    for s in data["sentences"]:
        assert s["section"] in SECTIONS and s["ids"] and set(s["ids"]) <= ids
    assert data["manifest"]["embedder"]["model"] == MODEL_ID
    assert data["manifest"]["embedder"]["revision"] == TINY_REVISION



@pytest.mark.parametrize("fmt", ["txt", "md", "rich"])
def test_summarize_cli_formats_on_the_bundled_examples(tiny_env, fmt):
    ids = {s.id for a in load_articles([str(p) for p in EXAMPLES]) for s in a.sentences}
    # A random-weight embedder says nothing of which article belongs to the
    # story: the off-topic check (brief/offtopic.py) is kept out of the way.
    args = ["--format", fmt, "--keep-off-topic", "--translations", str(EXAMPLES_EN), *map(str, EXAMPLES)]
    cited = CliRunner().invoke(main, ["summarize", "--cite", *args])
    plain = CliRunner().invoke(main, ["summarize", *args])
    assert cited.exit_code == 0 and plain.exit_code == 0, cited.output + plain.output
    for out in (cited.stdout, plain.stdout):
        assert f"Brief ({len(EXAMPLES)} sources)" in out and "Sources" in out and "01-wire" in out
    found = {i for group in re.findall(r"\[([\d., ]+)\]", cited.stdout) for i in group.split(", ")}
    assert found and found <= ids
    assert not re.search(r"\[\d+\.\d+", plain.stdout)


def test_report_on_the_bundled_examples(tiny_env, tmp_path):
    out = tmp_path / "brief.html"
    en = str(EXAMPLES_EN)
    result = CliRunner().invoke(main, ["report", "-t", en, "--refs", en, *map(str, EXAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    ids = [s.id for a in load_articles([str(p) for p in EXAMPLES]) for s in a.sentences]
    assert re.findall(r'<tr id="s-([\d.]+)"', page) == ids
    cited = re.findall(r'data-target="s-([\d.]+)"', page)
    assert cited and set(cited) <= set(ids)
    # References scored against themselves: 100 overall and per article.
    scores = re.search(r'<section id="scores">.*?</section>', page, re.S).group(0)
    assert re.findall(r"<td>BLEU</td><td class=\"num\">([\d.]+)</td>", scores) == ["100.00"] * (1 + len(EXAMPLES))


def _shipped_examples():
    return [b for b in test_docs.examples_to_run() if "../shared" not in "\n".join(b.body)]


@pytest.mark.parametrize("block", _shipped_examples(), ids=lambda b: b.name)
def test_doc_example_runs_on_tiny_models(block, tmp_path, monkeypatch):
    """Every doc example that needs only what ships with the repository
    exits as documented with the tiny embedder; printed output must exist
    where the docs show some (its words are the real model's)."""
    real_env = test_docs._env
    monkeypatch.setattr(test_docs, "_env", lambda tmp: {**real_env(tmp), "HF_HUB_CACHE": str(tiny_hub())})
    test_docs._scratch(tmp_path)
    expected = int(block.marks.get("exit", "0"))
    for command in block.commands():
        code, output = test_docs.run(command.line, tmp_path)
        assert code == expected, f"{block.name}: `{command.line}` exited {code}:\n" + "\n".join(output[-20:])
        if command.shown:
            assert output, f"{block.name}: `{command.line}` printed nothing"
