"""refs/: the reference translations of the seed articles line up with the
toolkit's current segmentation, and any drift stops scoring with the
article and the first mismatching sentence ID."""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, need_shared, sample_story
from toolkit.cli import main
from toolkit.errors import EXIT_INTEGRITY, InputError, IntegrityError
from toolkit.ingest import load_articles
from toolkit.references import (
    MANIFEST, SUFFIX, build_manifest, load_references, read_manifest, reference_hash, sentence_key, source_hash,
)

# The seed articles and refs/ with ../shared, else the bundled examples and
# examples/en/, which follow the same rules.
SEEDS, REFS = sample_story()
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.fixture
def articles():
    return load_articles([str(p) for p in SEEDS])


@pytest.fixture
def refs_copy(tmp_path):
    dest = tmp_path / "refs"
    shutil.copytree(REFS, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _drop_line(path, lineno: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[lineno - 1]
    path.write_text("".join(lines), encoding="utf-8")


def test_references_cover_every_sentence_of_the_current_segmentation(articles):
    refs = load_references(REFS, articles)
    wanted = [s.id for a in articles for s in a.sentences]
    assert list(refs) == wanted
    assert all(refs[i].strip() for i in wanted)
    assert {a.name for a in articles} == set(read_manifest(REFS))
    # Headings have a line too, one line per ID.
    headings = [s.id for a in articles for s in a.sentences if s.is_heading]
    assert headings and all(refs[h] for h in headings)


def test_manifest_is_what_make_manifest_would_write(articles):
    assert (REFS / MANIFEST).read_text(encoding="utf-8") == build_manifest(REFS, articles)


def test_make_manifest_script_check_mode():
    seeds = SEEDS
    out = subprocess.run([sys.executable, str(REPO / "refs" / "make_manifest.py"), "--refs", str(REFS), "--check",
                          *map(str, seeds)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_no_arabic_text_in_refs():
    for path in REFS.iterdir():
        if path.is_file() and path.suffix in {".txt", ".tsv", ".md"}:
            assert not _ARABIC.search(path.read_text(encoding="utf-8")), path.name


def test_score_of_refs_against_themselves_is_perfect():
    result = CliRunner().invoke(main, ["score", str(REFS), "--ref", str(REFS), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # BLEU's geometric mean comes back as 100 up to floating-point rounding.
    assert data["corpus"]["bleu"]["score"] == pytest.approx(100.0, abs=1e-9)
    assert data["corpus"]["chrf"]["score"] == pytest.approx(100.0, abs=1e-9)
    assert data["corpus"]["ter"]["score"] == 0.0
    assert len(data["documents"]) == len(SEEDS) and all(d["level"] == "sentence" for d in data["documents"])
    assert data["segments"] == sum(len(v) for v in read_manifest(REFS).values())


def test_missing_line_names_article_and_first_mismatching_id(articles, refs_copy):
    need_shared("seeds")  # line numbers and counts of refs/
    art = articles[1]
    _drop_line(refs_copy / f"{art.name}{SUFFIX}", 5)
    with pytest.raises(IntegrityError) as exc:
        load_references(refs_copy, articles)
    message = str(exc.value)
    assert f"article {art.name}" in message and f"first mismatch at sentence {art.number}.5:" in message
    assert "line 5" in message


def test_shifted_line_in_score_gives_exit_4(articles, refs_copy):
    need_shared("seeds")  # line numbers and counts of refs/
    art = articles[2]
    path = refs_copy / f"{art.name}{SUFFIX}"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, lines.pop(7))  # move line 8 up to position 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(REFS), "--ref", str(refs_copy)])
    assert result.exit_code == EXIT_INTEGRITY
    assert f"article {art.name}: first mismatch at sentence {art.name}:4:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_extra_line_is_reported(articles, refs_copy):
    art = articles[0]
    path = refs_copy / f"{art.name}{SUFFIX}"
    path.write_text(path.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    with pytest.raises(IntegrityError, match=rf"article {art.name}: first mismatch at sentence "
                                             rf"{art.number}\.{len(art.sentences) + 1}:"):
        load_references(refs_copy, articles)


def test_changed_segmentation_names_the_sentence(articles):
    need_shared("seeds")  # line numbers and counts of refs/
    art = articles[3]
    target = art.sentences[6]
    changed = dataclasses.replace(target, text=target.text + " إضافة")
    sentences = art.sentences[:6] + (changed,) + art.sentences[7:]
    with pytest.raises(IntegrityError, match=rf"first mismatch at sentence {re.escape(target.id)}: "
                                             r"the source sentence is not the one"):
        load_references(REFS, [dataclasses.replace(art, sentences=sentences)])
    # A sentence split in two shifts every later sentence: caught at the split.
    first, second = dataclasses.replace(target, part=1), dataclasses.replace(target, part=2, id=target.id + ".2")
    with pytest.raises(IntegrityError, match=rf"first mismatch at sentence {re.escape(target.id)}: "):
        load_references(REFS, [dataclasses.replace(art, sentences=art.sentences[:6] + (first, second)
                                                   + art.sentences[7:])])


def test_spelling_variants_of_the_source_still_verify(articles):
    """The source hash is over normalised Arabic: tatweel or alef forms do
    not count as a change of sentence."""
    art = articles[0]
    s = art.sentences[0]
    variant = dataclasses.replace(s, text=s.text.replace("ا", "أ", 1).replace("ل", "ـل", 1))
    assert variant.text != s.text and source_hash(variant.text) == source_hash(s.text)
    refs = load_references(REFS, [dataclasses.replace(art, sentences=(variant,) + art.sentences[1:])])
    assert refs[s.id]


def test_article_without_references(articles):
    art = dataclasses.replace(articles[0], source="elsewhere/unknown.txt")
    with pytest.raises(InputError, match="no references for article unknown"):
        load_references(REFS, [art])


def test_manifest_rows_format():
    rows = read_manifest(REFS)
    for article, items in rows.items():
        lines = (REFS / f"{article}{SUFFIX}").read_text(encoding="utf-8").splitlines()
        assert [r.reference for r in items] == [reference_hash(x) for x in lines]
        assert all(re.fullmatch(r"\d+(\.\d+)?", r.index) and re.fullmatch("[0-9a-f]{16}", r.source) for r in items)


def test_sentence_key():
    from toolkit.records import Sentence

    assert sentence_key(Sentence("2.7", 2, 7, "x", 0, 1)) == "7"
    assert sentence_key(Sentence("2.7.3", 2, 7, "x", 0, 1, part=3)) == "7.3"


def test_eval_stops_before_translating_when_refs_are_out_of_line(refs_copy):
    seeds = SEEDS
    art = load_articles([str(seeds[0])])[0]
    _drop_line(refs_copy / f"{art.name}{SUFFIX}", 2)
    result = CliRunner().invoke(main, ["eval", str(seeds[0]), "--refs", str(refs_copy),
                                       "--model", "/nonexistent/model"])
    assert result.exit_code == EXIT_INTEGRITY, result.output
    assert f"article {art.name}: first mismatch at sentence 1.2:" in result.stderr
