"""Latin-script articles in another language than English: detected per
article (toolkit.ingest.language.latin_language), never passed through as
English; without a translation they are refused with a one-line error
naming the file and the preset that covers the language (exit 2)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SHARED
from toolkit.cli import main
from toolkit.ingest import load_articles
from toolkit.ingest.language import latin_language

# Our own text, one short news paragraph per language.
OTHER = {
    "fr": "Le président est arrivé mercredi dans la capitale pour une visite de deux jours. Il a signé un accord "
          "avec le dirigeant du pays voisin, selon les médias officiels. Les deux pays se sont engagés à coopérer.",
    "es": "El presidente llegó el miércoles a la capital para una visita de dos días. Firmó un acuerdo con el "
          "líder del país vecino, según los medios oficiales. Los dos países se comprometieron a cooperar.",
    "de": "Der Präsident ist am Mittwoch zu einem zweitägigen Besuch in der Hauptstadt eingetroffen. Er hat mit "
          "dem Staatschef des Nachbarlandes ein Abkommen unterzeichnet, wie die Staatsmedien berichten.",
    "it": "Il presidente è arrivato mercoledì nella capitale per una visita di due giorni. Ha firmato un accordo "
          "con il leader del paese vicino, secondo i media ufficiali. I due paesi si sono impegnati a cooperare.",
}


@pytest.mark.parametrize("lang", sorted(OTHER))
def test_other_latin_languages_are_told_from_english(lang):
    assert latin_language(OTHER[lang]) == lang


def test_the_bundled_english_stays_english():
    for path in sorted((REPO / "examples" / "en").glob("*.txt")) + sorted((REPO / "refs").glob("*.txt")):
        assert latin_language(path.read_text(encoding="utf-8")) == "en", path


def test_shared_english_stays_english():
    files = sorted(SHARED.glob("multidoc/M*/en/*.txt")) + sorted(SHARED.glob("duc2004/*/docs/*.txt"))
    if not files:
        pytest.skip(f"{SHARED} is missing: the shared English articles are not here")
    assert [f for f in files if latin_language(f.read_text(encoding="utf-8", errors="replace")) != "en"] == []


def test_text_without_function_words_is_english_as_before():
    assert latin_language("NATO summit: Kyiv, Vilnius") == "en"


@pytest.fixture
def with_french(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in sorted((REPO / "examples").glob("*.txt")):
        shutil.copy(p, folder / p.name)
    (folder / "04-fr.txt").write_text(OTHER["fr"] + "\n", encoding="utf-8")
    return folder


def test_a_french_article_is_read_as_french(with_french):
    [article] = load_articles([str(with_french / "04-fr.txt")])
    assert article.language == "fr" and article.sentences


def test_summarize_refuses_a_french_article_it_cannot_translate(with_french):
    result = CliRunner().invoke(main, ["summarize", "--format", "txt", str(with_french)])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert str(with_french / "04-fr.txt") in line and "French" in line and "nllb" in line
    assert "Le président" not in result.stdout


def test_translations_without_the_french_one_never_print_it_as_english(with_french):
    result = CliRunner().invoke(main, ["summarize", "--format", "txt", "--translations",
                                       str(REPO / "examples" / "en"), str(with_french)])
    assert result.exit_code == 2
    assert "04-fr" in result.stderr and "Le président" not in result.stdout


def test_translate_refuses_it_too(with_french):
    result = CliRunner().invoke(main, ["translate", "--format", "json", str(with_french / "04-fr.txt")])
    assert result.exit_code == 2 and "French" in result.stderr
