"""`toolkit split` through the real Click entry point."""
from __future__ import annotations

import json

from click.testing import CliRunner
from rich.cells import cell_len

from toolkit.cli import main

ARTICLE = ("زيارة رسمية\n"
           "وصل وزير الخارجية إلى المدينة صباح اليوم. والتقى نظيره في مقر الوزارة.\n"
           "[[ad:slot]]\n"
           "اقرأ أيضا: https://example.org/x\n")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def write(tmp_path, name="a.txt", text=ARTICLE, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_json_carries_sentences_and_removed_lines_with_reasons(tmp_path):
    result = run("split", "--format", "json", write(tmp_path))
    assert result.exit_code == 0, result.output
    art = json.loads(result.output)["articles"][0]
    assert [(s["id"], s["kind"]) for s in art["sentences"]] == [("1.1", "heading"), ("1.2", "sentence"),
                                                               ("1.3", "sentence")]
    assert [(r["line"], r["reason"]) for r in art["removed"]] == [(3, "ad-marker"), (4, "read-also")]


def test_jsonl_and_tsv(tmp_path):
    path = write(tmp_path)
    rows = [json.loads(line) for line in run("split", "--format", "jsonl", path).output.splitlines()]
    assert [r["id"] for r in rows] == ["1.1", "1.2", "1.3"] and rows[0]["source_file"] == path
    tsv = run("split", "--format", "tsv", "--show-removed", path).output.splitlines()
    assert tsv[0] == "id\tkind\tsource_file\ttext"
    assert tsv[2].split("\t")[:2] == ["1.2", "sentence"]
    assert tsv[-1].startswith("removed:1:4\tread-also\t")


def test_stdin_and_out_file(tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "s.json"
    result = run("split", "--format", "json", "--out", str(out), "-", input=ARTICLE.encode("cp1256"))
    assert result.exit_code == 0 and result.output == ""
    art = json.loads(out.read_text(encoding="utf-8"))["articles"][0]
    assert art["source"] == "<stdin>" and art["encoding"] == "cp1256"


def test_rich_table_keeps_ids_and_columns_aligned(tmp_path):
    result = run("split", "--show-removed", write(tmp_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    rows = [line for line in lines if line.startswith("│ 1.")]
    assert [r.split("│")[1].strip() for r in rows] == ["1.1", "1.2", "1.3"]
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    widths = {cell_len(line) for line in table[: len(table) // 2]}
    assert len(widths) == 1  # every row of the sentence table has the same width
    assert any("read-also" in line for line in lines)
    assert any("[[ad:slot]]" in line for line in lines)  # article text is never read as Rich markup


def test_non_arabic_article_warns_but_succeeds(tmp_path):
    result = run("split", write(tmp_path, text="Ο υπουργός έφτασε σήμερα. Οι συνομιλίες άρχισαν.\n"))
    assert result.exit_code == 0
    assert "warning:" in result.output and "Arabic" in result.output


def test_bad_inputs_give_one_line_and_exit_code_2(tmp_path):
    pdf = tmp_path / "doc.pdf.txt"
    pdf.write_bytes(b"%PDF-1.4\n%\xff\xff\n")
    for args, needle in [
        ([str(pdf)], "binary file"),
        ([write(tmp_path, "empty.txt", "")], "empty article"),
        ([write(tmp_path, "blank.txt", "  \n\n")], "empty article"),
        ([str(tmp_path / "missing.txt")], "no such file"),
    ]:
        result = run("split", *args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        err = result.output.strip().splitlines()
        assert len(err) == 1 and needle in err[0] and args[0] in err[0]


def test_no_arguments_is_a_usage_error():
    result = run("split")
    assert result.exit_code == 2 and "Missing argument" in result.output


def test_python_m_toolkit_entry_point(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "toolkit", "split", "--format", "tsv", write(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0 and proc.stdout.splitlines()[1].startswith("1.1\theading")


def test_cli_import_and_split_load_no_model_libraries(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from toolkit.cli import main; main(['split', '--format', 'tsv', sys.argv[1]], "
            "standalone_mode=False); "
            "print(sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'sentence_transformers') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code, write(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_a_quotation_spanning_sentences_gets_one_id_per_sentence(tmp_path):
    article = 'وقال الوزير: "وصلنا إلى اتفاق. سنبدأ التنفيذ غدا." ثم غادر القاعة.\n'
    rows = [json.loads(line) for line in
            run("split", "--format", "jsonl", write(tmp_path, text=article)).output.splitlines()]
    assert [(r["id"], r["text"]) for r in rows] == [
        ("1.1", 'وقال الوزير: "وصلنا إلى اتفاق.'), ("1.2", 'سنبدأ التنفيذ غدا."'), ("1.3", "ثم غادر القاعة.")]
