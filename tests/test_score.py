"""toolkit.score and `toolkit score`: metric registry, reading files the way
sacrebleu does, pairing, document-level fallback, worst sentences,
confidence and paired tests, and bad input at the CLI."""
from __future__ import annotations

import codecs
import json

import pytest
import sacrebleu
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import EXIT_INPUT, InputError
from toolkit.fileio import decode_bytes, read_lines, split_lines
from toolkit.score import DEFAULT_METRICS, METRICS, Document, corpus_scores, metric_names, score_documents, sentence_score

REFS = [
    "The president arrived in the capital on Wednesday.",
    "Talks lasted about two hours.",
    "Both sides signed a strategic partnership agreement.",
    "The agreement provides for mutual assistance.",
]
HYPS = [
    "The president arrived in the capital on Wednesday.",
    "The talks lasted around two hours.",
    "Both sides signed an agreement on strategic partnership.",
    "Mutual help is foreseen by the deal.",
]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# -- metric registry -------------------------------------------------------------


@pytest.mark.parametrize("key, name, word_order", [
    ("bleu", "BLEU", None), ("chrf", "chrF2", 0), ("chrf++", "chrF2++", 2), ("ter", "TER", None)])
def test_registry_builds_sacrebleu_metrics(key, name, word_order):
    metric = METRICS[key]()
    assert metric.corpus_score(HYPS, [REFS]).name == name
    if word_order is not None:
        assert metric.word_order == word_order


def test_registry_passes_keyword_arguments_to_sacrebleu():
    metric = METRICS["bleu"](lowercase=True, tokenize="intl")
    metric.corpus_score(HYPS, [REFS])
    sig = metric.get_signature().format()
    assert "case:lc" in sig and "tok:intl" in sig


@pytest.mark.parametrize("hyp, ref, expected", [
    # (hypothesis, reference, {metric: score}) -- definitional end points
    ("", "Talks lasted two hours.", {"bleu": 0.0, "chrf": 0.0, "ter": 100.0}),
    ("Talks lasted two hours.", "Talks lasted two hours.", {"bleu": 100.0, "chrf": 100.0, "chrf++": 100.0, "ter": 0.0}),
    ("xyz qqq", "Talks lasted two hours.", {"bleu": 0.0, "chrf": 0.0, "ter": 100.0}),
    ("talks lasted two hours.", "Talks lasted two hours.", {"ter": 0.0}),  # TER is case-insensitive by default
])
def test_edge_cases(hyp, ref, expected):
    scores = corpus_scores([hyp], [ref], list(expected))
    for key, value in expected.items():
        assert scores[key].score == pytest.approx(value), key


def test_corpus_scores_equal_sacrebleu_api_and_carry_signatures():
    scores = corpus_scores(HYPS, REFS)
    assert list(scores) == list(DEFAULT_METRICS)
    direct = {
        "bleu": sacrebleu.BLEU(), "chrf": sacrebleu.CHRF(), "chrf++": sacrebleu.CHRF(word_order=2), "ter": sacrebleu.TER()}
    for key, metric in direct.items():
        assert scores[key].score == metric.corpus_score(HYPS, [REFS]).score
        assert scores[key].signature == metric.get_signature().format()
        assert scores[key].line(1).startswith(f"{scores[key].name}|nrefs:1|")


def test_metric_names_validates():
    assert metric_names("chrf, BLEU,chrf") == ("chrf", "bleu")
    with pytest.raises(InputError, match="unknown metric 'meteor'"):
        metric_names("bleu,meteor")


# -- reading files ----------------------------------------------------------------


@pytest.mark.parametrize("raw, lines", [
    (b"a\nb\n", ["a", "b"]),
    (b"a\nb", ["a", "b"]),
    (b"a\r\nb\r\n", ["a", "b"]),
    (b"a  \n\nb\n", ["a", "", "b"]),
    (b"a\n\n", ["a", ""]),
    (codecs.BOM_UTF8 + "é\n".encode(), ["é"]),
    (codecs.BOM_UTF16_LE + "é\r\nx\r\n".encode("utf-16-le"), ["é", "x"]),
    (codecs.BOM_UTF16_BE + "é\nx".encode("utf-16-be"), ["é", "x"]),
    (b"", []),
])
def test_lines_are_read_as_sacrebleu_reads_them(raw, lines):
    assert split_lines(decode_bytes(raw, "f")[0]) == lines


def test_undecodable_bytes_name_file_and_line(tmp_path):
    p = tmp_path / "h.txt"
    p.write_bytes(b"fine\ncaf\xe9\n")
    with pytest.raises(InputError, match=r"h\.txt:2: not valid utf-8.*--encoding"):
        read_lines(p)
    assert read_lines(p, "cp1252") == ["fine", "café"]


# -- documents ----------------------------------------------------------------------


def test_per_article_and_corpus_scores():
    docs = [Document("a", tuple(HYPS[:2]), tuple(REFS[:2])), Document("b", tuple(HYPS[2:]), tuple(REFS[2:]))]
    report = score_documents(docs, ["bleu", "chrf"])
    assert report.segments == 4 and not report.notices
    assert report.corpus["bleu"].score == sacrebleu.corpus_bleu(HYPS, [REFS]).score
    assert report.documents[1].scores["chrf"].score == sacrebleu.corpus_chrf(HYPS[2:], [REFS[2:]]).score
    assert [d.level for d in report.documents] == ["sentence", "sentence"]


def test_different_line_counts_fall_back_to_document_level():
    hyp = (HYPS[0], HYPS[1] + " " + HYPS[2], HYPS[3])
    docs = [Document("a", hyp, tuple(REFS))]
    report = score_documents(docs, ["bleu", "chrf"], worst=5)
    assert report.documents[0].level == "document"
    assert "3 lines, reference 4" in report.notices[0] and "document-level" in report.notices[0]
    joined_h, joined_r = " ".join(hyp), " ".join(REFS)
    assert report.corpus["bleu"].score == sacrebleu.corpus_bleu([joined_h], [[joined_r]]).score
    assert report.segments == 1
    # No sentence-level pairs exist for a misaligned document.
    assert report.worst == []


def test_worst_sentences_are_lowest_chrf_with_ids():
    docs = [Document("a", tuple(HYPS), tuple(REFS), ids=("1.1", "1.2", "1.3", "1.4"))]
    report = score_documents(docs, ["chrf"], worst=2)
    expected = sorted(((sentence_score(h, r), i) for h, r, i in zip(HYPS, REFS, docs[0].ids)))[:2]
    assert [(w.score, w.id) for w in report.worst] == expected
    assert report.worst[0].id == "1.4"


def test_confidence_interval_from_sacrebleu_bootstrap():
    docs = [Document("a", tuple(HYPS), tuple(REFS))]
    report = score_documents(docs, ["bleu"], confidence=200)
    m = report.corpus["bleu"]
    assert m.ci is not None and m.ci >= 0 and m.mean is not None
    assert "bs:200" in m.signature
    assert any("only 4 segment(s)" in n for n in report.notices)


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_paired_significance(test):
    base = [Document("a", tuple(REFS[:2] + ["nothing", "at all"]), tuple(REFS))]
    system = [Document("a", tuple(REFS[:3] + ["nothing"]), tuple(REFS))]
    report = score_documents(system, ["bleu", "chrf"], compare=base, paired=test, paired_samples=200,
                             names=("sys", "base"))
    c = report.comparison
    assert c is not None and c.test == test and c.samples == 200
    assert c.system_scores["chrf"].score > c.baseline_scores["chrf"].score
    assert c.system_scores["bleu"].score == report.corpus["bleu"].score
    assert 0 < c.p_values["chrf"] <= 1
    assert f"{test}:200" in c.system_scores["bleu"].signature


# -- CLI --------------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path):
    ref = write(tmp_path / "ref.txt", "\n".join(REFS) + "\n")
    hyp = write(tmp_path / "hyp.txt", "\n".join(HYPS) + "\n")
    return hyp, ref


def test_cli_json(pair):
    hyp, ref = pair
    result = run("score", str(hyp), "--ref", str(ref), "--format", "json", "--worst", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corpus"]["bleu"]["score"] == sacrebleu.corpus_bleu(HYPS, [REFS]).score
    assert data["corpus"]["chrf++"]["signature"].startswith("chrF2++|nrefs:1|")
    assert data["documents"][0]["level"] == "sentence"
    assert data["worst"][0]["id"] == "ref:4"


def test_cli_rich_prints_tables_and_signatures(pair):
    hyp, ref = pair
    result = run("score", str(hyp), "--ref", str(ref), "--width", "2")
    assert result.exit_code == 0
    assert "Corpus" in result.stdout and "Lowest sentence-level chrF" in result.stdout
    metric = METRICS["bleu"]()
    metric.corpus_score(HYPS, [REFS])
    assert f"BLEU|{metric.get_signature().format()} = " in result.stdout


def test_cli_compare(pair, tmp_path):
    hyp, ref = pair
    other = write(tmp_path / "other.txt", "\n".join(["x"] * 4) + "\n")
    result = run("score", str(hyp), "--ref", str(ref), "--compare", str(other), "--samples", "100",
                 "--metrics", "chrf", "--format", "json")
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)["comparison"]
    assert comparison["baseline"] == str(other) and comparison["samples"] == 100
    assert "only 4 segment(s)" in result.stderr


def test_cli_bom_and_crlf_give_same_scores(pair, tmp_path):
    hyp, ref = pair
    bom = tmp_path / "bom.txt"
    bom.write_bytes(codecs.BOM_UTF8 + ("\r\n".join(HYPS) + "\r\n").encode())
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + ("\n".join(HYPS)).encode("utf-16-le"))
    plain = json.loads(run("score", str(hyp), "--ref", str(ref), "--format", "json").stdout)["corpus"]
    for other in (bom, utf16):
        data = json.loads(run("score", str(other), "--ref", str(ref), "--format", "json").stdout)["corpus"]
        assert {k: v["score"] for k, v in data.items()} == {k: v["score"] for k, v in plain.items()}


def test_cli_reference_with_fewer_lines_notice(pair, tmp_path):
    hyp, _ = pair
    short = write(tmp_path / "short.txt", "\n".join(REFS[:3]) + "\n")
    result = run("score", str(hyp), "--ref", str(short), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["documents"][0]["level"] == "document"
    assert any("4 lines, reference 3" in n for n in data["notices"])
    assert "notice: short: hypothesis has 4 lines, reference 3" in result.stderr


@pytest.mark.parametrize("setup, message", [
    (lambda d: (write(d / "h.txt", ""), d / "r.txt"), "h.txt: hypothesis is empty"),
    (lambda d: (write(d / "h.txt", "\n\n"), d / "r.txt"), "h.txt: hypothesis is empty"),
    (lambda d: (d / "missing.txt", d / "r.txt"), "missing.txt: no such file or directory"),
    (lambda d: (write(d / "h.txt", "a\n"), d / "nope.txt"), "nope.txt: no such file or directory"),
    (lambda d: (write(d / "h.txt", "caf\xe9\n", "latin-1"), d / "r.txt"), "h.txt:1: not valid utf-8"),
    (lambda d: (write(d / "h.txt", "a\n"), write(d / "e.txt", "")), "e.txt: reference is empty"),
    (lambda d: (d, d / "r.txt"), "cannot pair a directory of hypotheses with a file"),
])
def test_cli_bad_input_one_line_exit_2(tmp_path, setup, message):
    write(tmp_path / "r.txt", "\n".join(REFS) + "\n")
    hyp, ref = setup(tmp_path)
    result = run("score", str(hyp), "--ref", str(ref))
    assert result.exit_code == EXIT_INPUT, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_cli_needs_exactly_one_reference_source(pair):
    hyp, ref = pair
    for args in ([], ["--ref", str(ref), "--testset", "iwslt17"]):
        result = run("score", str(hyp), *args)
        assert result.exit_code == EXIT_INPUT
        assert "exactly one of --ref REF or --testset NAME" in result.stderr


def test_cli_encoding_option(pair, tmp_path):
    _, ref = pair
    hyp = write(tmp_path / "h.txt", "\n".join(HYPS).replace("The", "Thé") + "\n", "cp1252")
    result = run("score", str(hyp), "--ref", str(ref), "--encoding", "cp1252", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["corpus"]["chrf"]["score"] == sacrebleu.corpus_chrf(
        [h.replace("The", "Thé") for h in HYPS], [REFS]).score


# -- directories ------------------------------------------------------------------------------


def test_cli_directories_pair_by_article_name(tmp_path):
    hyp_dir, ref_dir = tmp_path / "hyp", tmp_path / "ref"
    hyp_dir.mkdir(), ref_dir.mkdir()
    write(ref_dir / "a.en.txt", "\n".join(REFS[:2]) + "\n")
    write(ref_dir / "b.en.txt", "\n".join(REFS[2:]) + "\n")
    write(ref_dir / "c.en.txt", "Unused.\n")
    write(ref_dir / "README.md", "not a reference\n")
    write(hyp_dir / "a.txt", "\n".join(HYPS[:2]) + "\n")
    write(hyp_dir / "b.txt", "\n".join(HYPS[2:]) + "\n")
    result = run("score", str(hyp_dir), "--ref", str(ref_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["name"] for d in data["documents"]] == ["a", "b"]
    assert data["corpus"]["bleu"]["score"] == sacrebleu.corpus_bleu(HYPS, [REFS]).score
    assert any("c.en.txt" in n and "not scored" in n for n in data["notices"])
    # A hypothesis without a reference cannot be scored: error, not a silent skip.
    write(hyp_dir / "d.txt", "orphan\n")
    result = run("score", str(hyp_dir), "--ref", str(ref_dir))
    assert result.exit_code == EXIT_INPUT
    assert "no reference in" in result.stderr and "d.txt" in result.stderr


def test_identical_systems_are_called_out():
    docs = [Document("a", tuple(HYPS), tuple(REFS))]
    report = score_documents(docs, ["chrf"], compare=docs, paired_samples=50)
    assert any("identical" in n for n in report.notices)


def test_cli_rich_shows_bracketed_text_literally(tmp_path):
    # Hypotheses are data: Rich must neither swallow "[...]" nor fail on it.
    hyps = ["[bold]Putin[/bold] arrived [1.2] in [red Pyongyang.", "He said [unknown style] was fine."]
    refs = ["Putin arrived in Pyongyang.", "He said the talks were fine."]
    hyp = write(tmp_path / "[draft] hyp.txt", "\n".join(hyps) + "\n")
    ref = write(tmp_path / "ref.txt", "\n".join(refs) + "\n")
    result = run("score", str(hyp), "--ref", str(ref), "--worst", "2")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "[bold]Putin[/bold]" in flat and "[unknown style]" in flat
