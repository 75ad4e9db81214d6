"""`toolkit report` through CliRunner: the five seed articles with the refs/
translations, the JSONL input path with translation flags, and bad input."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from toolkit.cli import main
from toolkit.text.markdown import md_escape
from tests.report_fixtures import ARTICLE_1, IMG_PAYLOAD, SCRIPT_PAYLOAD, Tags, seed_reports


def run(*args: str):
    return CliRunner().invoke(main, ["report", *args])


@pytest.fixture
def article_file(tmp_path) -> Path:
    path = tmp_path / "library.txt"
    body = "\n".join(ar for ar, _, _ in ARTICLE_1)
    path.write_text(body + f"\nوكتب أحد المعلقين {SCRIPT_PAYLOAD} في صفحة الموقع.\n", encoding="utf-8")
    return path


# -- the seed articles --------------------------------------------------------

@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return seed_reports(tmp_path_factory)


def brief_items(page: str) -> list[tuple[str, list[str]]]:
    """(text, cited IDs) of each brief sentence, in page order."""
    items = []
    for li in re.findall(r'<li id="b-\d+".*?</li>', page, re.S):
        text = html.unescape(re.search(r'<span class="text">(.*?)</span>', li, re.S).group(1))
        items.append((text, re.findall(r'data-target="s-([\d.]+)"', li)))
    return items


def test_seed_report_cites_existing_sentences_and_the_signing_from_two_articles(seed):
    page = seed["html"].read_text(encoding="utf-8")
    assert "wrote " in seed["result"].output
    articles = seed["articles"]
    ids = [s.id for a in articles for s in a.sentences]
    rows = re.findall(r'<tr id="s-([\d.]+)"', page)
    assert rows == ids and len(ids) == sum(len(a.sentences) for a in articles)
    items = brief_items(page)
    assert items and all(cited for _, cited in items)
    assert {i for _, cited in items for i in cited} <= set(ids)
    signing = [cited for text, cited in items if re.search(r"\bsign(ed|ing)\b", text, re.I)]
    assert signing and max(len({i.split(".")[0] for i in c}) for c in signing) >= 2
    assert sorted(p.name for p in seed["dir"].iterdir() if p.is_file()) == ["brief.html", "brief.md"]


def test_seed_report_scores_refs_against_themselves_and_records_the_manifest(seed):
    page = seed["html"].read_text(encoding="utf-8")
    scores = re.search(r'<section id="scores">.*?</section>', page, re.S).group(0)
    bleu = re.findall(r"<td>BLEU</td><td class=\"num\">([\d.]+)</td>", scores)
    assert bleu == ["100.00"] * 6, "overall and five articles"
    manifest = json.loads(html.unescape(re.search(r'<pre class="manifest">(.*?)</pre>', page, re.S).group(1)))
    assert manifest["report"] == {"format": "html", "refs": str(REPO / "refs")}
    assert manifest["english"]["kind"] == "references"
    assert manifest["embedder"]["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["toolkit_version"]


def test_seed_markdown_has_the_same_brief_and_sentences(seed):
    page = seed["html"].read_text(encoding="utf-8")
    md = seed["md"].read_text(encoding="utf-8")
    for n, (text, cited) in enumerate(brief_items(page), 1):
        assert f"{n}. {md_escape(text)}" in md and "[" + ", ".join(cited) + "]" in md
    for a in seed["articles"]:
        assert f"## Article {a.number}: {md_escape(a.name)}" in md
        for s in a.sentences:
            assert f"| {s.id} | {md_escape(s.text)} |" in md or f"| **{s.id}** | {md_escape(s.text)} |" in md
    assert "## Scores against references" in md and "## Reproducibility manifest" in md


# -- the JSONL path, with translation flags -------------------------------------

def test_jsonl_translations_with_flags_and_markdown_to_stdout(article_file, tmp_path, monkeypatch):
    from summarize_fixtures import use_shared_hub

    use_shared_hub(monkeypatch)
    english = [en for _, en, _ in ARTICLE_1] + [f"A commenter wrote {IMG_PAYLOAD} on the page."]
    rows = [{"id": f"1.{i}", "text": en, "source_file": article_file.name,
             "flags": [{"code": "numbers-missing", "detail": "20000"}] if i == 3 else []}
            for i, en in enumerate(english, 1)]
    jsonl = tmp_path / "translated.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    out = tmp_path / "brief.html"
    result = run("-t", str(jsonl), "-n", "2", str(article_file), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    tags = Tags(page)
    row = re.search(r'<tr id="s-1\.3".*?</tr>', page, re.S).group(0)
    assert 'title="20000">numbers-missing</span>' in row and html.escape(english[2]) in row
    assert len([a for t, a in tags.tags if t == "script"]) == 1
    assert not [t for t, _ in tags.tags if t == "img"]
    # ingest removes the stray tags from the Arabic and reports them; the
    # report lists them as text, and the English payload is shown escaped
    removed = re.search(r'<details class="removed">.*?</details>', page, re.S).group(0)
    assert "&lt;script&gt;" in removed and "&lt;/script&gt;" in removed
    assert html.escape(IMG_PAYLOAD) in page

    result = run("-t", str(jsonl), "-n", "2", str(article_file), "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Verification report")
    assert "warning: only one source" in result.stderr
    assert "| 1.3 | " in result.stdout and "| numbers-missing |" in result.stdout
    assert SCRIPT_PAYLOAD not in result.stdout and IMG_PAYLOAD not in result.stdout


# -- bad input (all stop before any model is loaded) -----------------------------

@pytest.mark.parametrize("args, code, message", [
    ([], 2, "no articles given"),
    (["-n", "3", "-w", "50", "{article}"], 2, "give --sentences or --words, not both"),
    (["--format", "pdf", "{article}"], 2, "'pdf' is not one of 'html', 'md'"),
    (["-t", "{tmp}/missing.jsonl", "{article}"], 2, "missing.jsonl"),
    (["-t", "{tmp}", "{article}"], 2, "manifest.tsv"),
    (["--refs", "{tmp}", "{article}"], 2, "not a reference set"),
    (["--refs", str(REPO / "refs"), "{article}"], 2, "no references for article library"),
    (["{tmp}/empty.txt"], 2, "empty.txt"),
])
def test_bad_input_is_one_line_with_exit_code(args, code, message, article_file, tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    args = [a.format(article=article_file, tmp=tmp_path) for a in args]
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert isinstance(result.exception, SystemExit), "an error, not a crash"


def test_misaligned_reference_names_article_and_sentence(tmp_path):
    from conftest import sample_story

    seeds, shipped = sample_story()
    refs = tmp_path / "refs"
    shutil.copytree(shipped, refs)
    target = refs / f"{seeds[1].stem}.en.txt"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines[2] = "An edited reference line."
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "brief.html"
    result = run("-t", str(shipped), "--refs", str(refs), *map(str, seeds), "--out", str(out))
    assert result.exit_code == 4, result.output
    assert seeds[1].stem in result.output and "sentence 2.3" in result.output
    assert not out.exists()
