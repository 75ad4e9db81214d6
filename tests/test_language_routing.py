"""Articles in other languages routed by the translation model: with an
NLLB model each article's sentences are marked with its language code
(`fra_Latn`, `pes_Arab`, ...); with a model of one source language (the
OPUS-MT ar-en presets) an article in another language is refused with one
line naming its file and the `nllb` preset (toolkit.translate.routing).
Random-weight models: the tests assert which language token each input
carries and which articles are routed where, never translation quality."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.translate_fixtures import ARABIC, build_tiny_nllb, tiny_marian, tiny_nllb  # noqa: F401
from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.ingest import parse
from toolkit.ingest.language import written_language
from toolkit.translate import hf, translate_articles
from toolkit.translate.base import Hypothesis
from toolkit.translate.routing import NLLB_CODES, check_languages, is_multilingual

# Our own text: short news paragraphs.
OTHER = {
    "fr": "Le président est arrivé mercredi dans la capitale pour une visite de deux jours. Il a signé un accord "
          "avec le dirigeant du pays voisin, selon les médias officiels.",
    "es": "El presidente llegó el miércoles a la capital para una visita de dos días. Firmó un acuerdo con el "
          "líder del país vecino, según los medios oficiales.",
    "tr": "Cumhurbaşkanı çarşamba günü iki günlük bir ziyaret için başkente geldi. Resmi medyaya göre komşu "
          "ülkenin lideri ile bir anlaşma imzaladı ve iki ülke bundan sonra daha çok işbirliği yapacak.",
    "fa": "رئیس جمهور روز چهارشنبه برای یک سفر دو روزه وارد پایتخت شد. او با رهبر کشور همسایه یک توافق‌نامه "
          "امضا کرد که به گفته رسانه‌های رسمی، همکاری دو کشور را گسترش می‌دهد.",
    "ur": "صدر بدھ کے روز دو روزہ دورے پر دارالحکومت پہنچے۔ انہوں نے پڑوسی ملک کے رہنما کے ساتھ ایک معاہدے "
          "پر دستخط کیے، اور سرکاری میڈیا کے مطابق دونوں ملک تعاون کریں گے۔",
}


@pytest.mark.parametrize("lang", sorted(OTHER))
def test_each_article_gets_its_language(lang):
    article = parse(OTHER[lang].encode(), f"{lang}.txt", 1)
    assert article.language == lang and len(article.sentences) == 2
    script = "ar" if lang in ("fa", "ur") else "en"
    assert written_language(OTHER[lang], script) == lang


def test_arabic_stays_arabic():
    assert written_language(" ".join(ARABIC), "ar") == "ar"
    # Persian letters in an Arabic text (some sites type ی and ک) decide nothing.
    assert written_language(" ".join(ARABIC).replace("ي", "ی").replace("ك", "ک"), "ar") == "ar"


@pytest.fixture(scope="session")
def tiny_nllb_multi(tmp_path_factory) -> Path:
    codes = tuple(dict.fromkeys(NLLB_CODES.values()))
    return build_tiny_nllb(tmp_path_factory.mktemp("models") / "tiny-nllb-multi", codes, tuple(OTHER.values()))


def _articles(*langs: str):
    out = []
    for number, lang in enumerate(langs, 1):
        text = "\n".join(ARABIC[:3]) if lang == "ar" else OTHER[lang]
        out.append(parse(text.encode(), f"{number:02d}-{lang}.txt", number))
    return out


def _recording(monkeypatch) -> list[tuple[str, str]]:
    """(language token the tokenizer put first, text) for every input the
    transformers engine is given; decoding is left out (random weights run
    every sentence to its length limit: slow, and beside the point here;
    the command-line test below decodes)."""
    seen: list[tuple[str, str]] = []

    def spy(self, texts, *, beam=4):
        seen.extend((self.tokenize(t)[0], t) for t in texts)
        return [Hypothesis("English.", self.count_tokens(t), 2) for t in texts]

    monkeypatch.setattr(hf.HFTranslator, "translate_batch", spy)
    return seen


def test_nllb_marks_each_article_with_its_language_code(tiny_nllb_multi, monkeypatch):
    seen = _recording(monkeypatch)
    articles = _articles("fr", "ar", "tr", "fa", "ur", "es")
    run = translate_articles(articles, model=str(tiny_nllb_multi), engine="transformers", beam=1,
                             use_cache=False)
    token_of = dict((text, token) for token, text in seen)
    for a in articles:
        for s in a.sentences:
            assert token_of[s.text] == NLLB_CODES[a.language], (a.language, s.text)
            assert s.id in run.translations
    assert run.manifest["source_languages"] == {lang: NLLB_CODES[lang] for lang in ("ar", "es", "fa", "fr", "tr",
                                                                                      "ur")}


def test_the_language_is_part_of_the_cache_key(tiny_nllb_multi, monkeypatch):
    seen = _recording(monkeypatch)
    # The same sentence in a French and a Spanish article is two inputs.
    same = "Le président est arrivé mercredi dans la capitale pour une visite de deux jours."
    fr = parse(OTHER["fr"].encode(), "fr.txt", 1)
    es = parse((OTHER["es"] + "\n" + same).encode(), "es.txt", 2)
    translate_articles([fr, es], model=str(tiny_nllb_multi), engine="transformers", beam=1)
    assert ("fra_Latn", same) in seen and ("spa_Latn", same) in seen
    seen.clear()
    run = translate_articles([fr, es], model=str(tiny_nllb_multi), engine="transformers", beam=1)
    assert seen == [] and all(t.cached for t in run.translations.values())


def test_a_model_of_one_language_refuses_the_others(tiny_marian):
    [french] = _articles("fr")
    with pytest.raises(InputError) as err:
        translate_articles([french], model=str(tiny_marian), engine="transformers", use_cache=False)
    assert err.value.path == french.source and "French" in str(err.value) and "nllb" in str(err.value)
    assert is_multilingual(str(tiny_marian)) is False and is_multilingual("nllb") is True
    assert is_multilingual("best") is False and is_multilingual("someone/not-cached") is None
    check_languages(_articles("ar"), "best")
    with pytest.raises(InputError, match="Persian .* --model nllb"):
        check_languages(_articles("fa"), "best")


def test_an_nllb_model_without_the_code_refuses_the_article(tiny_nllb):
    [turkish] = _articles("tr")
    with pytest.raises(InputError) as err:
        translate_articles([turkish], model=str(tiny_nllb), engine="transformers", use_cache=False)
    assert err.value.path == turkish.source and "tur_Latn" in str(err.value)


def _folder(tmp_path: Path, *langs: str) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for a, lang in zip(_articles(*langs), langs):
        (folder / Path(a.source).name).write_text(a.text + "\n", encoding="utf-8")
    return folder


def test_ctranslate2_decodes_each_language_with_its_code(tiny_nllb_multi, monkeypatch):
    pytest.importorskip("ctranslate2")
    from toolkit.translate import ct2

    seen: list[tuple[str, str]] = []
    original = ct2.CT2Translator.translate_batch

    def spy(self, texts, *, beam=4):
        seen.extend((self.tokenize(t)[0], t) for t in texts)
        return original(self, texts, beam=beam)

    monkeypatch.setattr(ct2.CT2Translator, "translate_batch", spy)
    articles = _articles("fr", "ar", "fa")
    run = translate_articles(articles, model=str(tiny_nllb_multi), engine="ctranslate2", beam=1, use_cache=False)
    assert {text: token for token, text in seen} == {s.text: NLLB_CODES[a.language]
                                                    for a in articles for s in a.sentences}
    assert len(run.translations) == sum(len(a.sentences) for a in articles)


def test_translate_routes_or_refuses_by_the_model(tiny_nllb_multi, tiny_marian, tmp_path, monkeypatch):
    seen = _recording(monkeypatch)
    folder = _folder(tmp_path, "ar", "fr", "ur")
    ok = CliRunner().invoke(main, ["translate", "--model", str(tiny_nllb_multi), "--engine", "transformers",
                                   "--beam", "1", "--format", "json", str(folder)])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert [a["language"] for a in data["articles"]] == ["ar", "fr", "ur"]
    assert data["manifest"]["source_languages"] == {"ar": "arb_Arab", "fr": "fra_Latn", "ur": "urd_Arab"}
    assert {token for token, _ in seen} == {"arb_Arab", "fra_Latn", "urd_Arab"}
    refused = CliRunner().invoke(main, ["translate", "--model", str(tiny_marian), "--format", "json", str(folder)])
    assert refused.exit_code == 2
    [line] = refused.stderr.strip().splitlines()
    assert "02-fr.txt" in line and "French" in line and "--model nllb" in line


def test_an_archive_run_skips_a_refused_article_and_goes_on(tiny_marian, tmp_path):
    folder = _folder(tmp_path, "ar", "fr")
    result = CliRunner().invoke(main, ["translate", "--model", str(tiny_marian), "--engine", "transformers",
                                       "--beam", "1", "--format", "jsonl", str(folder)])
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {r["language"] for r in rows} == {"ar"}
    assert "02-fr.txt" in result.stderr and "--model nllb" in result.stderr


def test_summarize_takes_its_model_option_into_account(tmp_path):
    folder = _folder(tmp_path, "ar", "fr")
    refused = CliRunner().invoke(main, ["summarize", "--format", "txt", str(folder)])
    assert refused.exit_code == 2 and "02-fr.txt" in refused.stderr and "--model nllb" in refused.stderr
    # With the NLLB preset the French article is no reason to stop; offline
    # with no model cached, what stops the run is the missing model (exit 3).
    routed = CliRunner().invoke(main, ["summarize", "--model", "nllb", "--format", "txt", str(folder)])
    assert routed.exit_code == 3 and "French" not in routed.stderr and "nllb" in routed.stderr
