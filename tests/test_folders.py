"""A folder of articles often holds other files (a README, notes, a
manifest): they are skipped with one warning naming them, never read as
articles and never the end of the run; a file named on the command line is
read as an article whatever its name."""
from __future__ import annotations

import json

from click.testing import CliRunner

from toolkit.cli import main

ARTICLE = "The two leaders met in the capital and signed the agreement after long talks.\n"
# Markdown with inline HTML: read as an article it is taken for an HTML page
# with no article body, which used to stop the whole run.
README = '<div align="center">\n<h1><img src="logo.png"></h1>\n<p><a href="x">docs</a></p>\n</div>\n'
OTHERS = {"README.md": README, "readme-ar.txt": "x\n", "notes.md": "call the desk\n", "LICENSE": "MIT\n",
          "meta.json": "{}\n", "list.tsv": "a\tb\n", "list.csv": "a,b\n", "feed.yaml": "a: 1\n",
          ".DS_Store": "\0\0", ".hidden.txt": ARTICLE}


def _folder(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    for name in ("a.txt", "b.html", "c"):
        text = f"<html><body><article><p>{ARTICLE}</p></article></body></html>" if name.endswith("html") else ARTICLE
        (folder / name).write_text(text, encoding="utf-8")
    for name, text in OTHERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sub").mkdir()
    return folder


def test_files_that_are_not_articles_are_skipped_with_one_warning(tmp_path):
    folder = _folder(tmp_path)
    r = CliRunner().invoke(main, ["split", "--format", "json", str(folder)])
    assert r.exit_code == 0, r.stderr
    assert [a["name"] for a in json.loads(r.stdout)["articles"]] == ["a", "b", "c"]
    notes = [line for line in r.stderr.splitlines() if "not articles" in line]
    assert len(notes) == 1 and notes[0].startswith(f"warning: {folder}: skipped {len(OTHERS)} file(s)")
    assert all(name in notes[0] for name in OTHERS)
    assert "sub" not in notes[0].split(":", 3)[-1].split(", ")


def test_a_folder_of_only_other_files_is_an_error_naming_it(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "README.md").write_text(README, encoding="utf-8")
    (folder / "notes.md").write_text("x\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["split", str(folder)])
    assert r.exit_code == 2
    assert str(folder) in r.stderr and "no article files" in r.stderr and "Traceback" not in r.output
    assert r.stderr.count("Error:") == 1


def test_a_named_file_is_read_as_an_article_whatever_its_name(tmp_path):
    folder = _folder(tmp_path)
    r = CliRunner().invoke(main, ["split", str(folder / "README.md")])
    assert r.exit_code == 2 and "README.md" in r.stderr and "Traceback" not in r.output
    ok = CliRunner().invoke(main, ["split", "--format", "json", str(folder / "notes.md")])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["articles"][0]["name"] == "notes"


def test_a_long_list_of_skipped_files_is_shortened(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for k in range(14):
        (folder / f"row{k:02d}.json").write_text("{}", encoding="utf-8")
    r = CliRunner().invoke(main, ["split", str(folder)])
    assert r.exit_code == 0
    assert "skipped 14 file(s)" in r.stderr and "and 4 more" in r.stderr and "row13" not in r.stderr
