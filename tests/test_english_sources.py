"""English articles alongside Arabic ones: detection by script, English
cleaning and segmentation, pass-through translation (no model call), the
brief from mixed sources and the report's columns for English articles.

All article text here is written for these tests."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from summarize_fixtures import real_embedding_hub, use_shared_hub, write_jsonl
from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.ingest import clean, clean_article, detect_language, load_articles, parse
from toolkit.translate import Hypothesis, Translator, translate_articles
from toolkit.translate.flags import ORIGINAL_ENGLISH
from toolkit.records import Article

ARABIC_TEXT = ("وافق مجلس المدينة على الميزانية الجديدة يوم الاثنين.\n"
               "قال رئيس البلدية إن الميزانية تشمل تمويل مدرستين جديدتين.\n")
# Arabic with English names, an English title and a quoted English sentence.
ARABIC_WITH_ENGLISH = ("قال المدير التنفيذي لشركة Northwind Logistics جون كارتر إن الشركة ستفتتح مكتبا في المدينة.\n"
                       "وأضاف في مقابلة مع صحيفة The Harbor Times: \"We are here to stay\"، مشيرا إلى خطط توسع.\n"
                       "وتعمل الشركة في مجال النقل البحري منذ عام 1998.\n")
ENGLISH_TEXT = ("City council approves new budget\n"
                "The city council approved the new budget on Monday.\n"
                "The mayor said the budget includes funding for two new schools.\n"
                "Heavy rain flooded several streets in the old town.\n")
GREEK_TEXT = "Ο υπουργός έφτασε σήμερα στην πρωτεύουσα. Οι συνομιλίες άρχισαν το απόγευμα.\n"


def art(text: str, number: int = 1, **kw) -> Article:
    return parse(text.encode("utf-8"), f"a{number}.txt", number, **kw)


# --------------------------------------------------------------------------
# Detection


@pytest.mark.parametrize("text, language, warns", [
    (ARABIC_TEXT, "ar", False),
    (ENGLISH_TEXT, "en", False),
    (ARABIC_WITH_ENGLISH, "ar", False),
    (GREEK_TEXT, "ar", True),  # neither: processed as Arabic, with a warning
])
def test_language_is_detected_per_article_by_script(text, language, warns):
    a = art(text)
    assert a.language == language
    assert any("Arabic" in w for w in a.warnings) is warns
    assert a.to_dict()["language"] == language


def test_detect_language_thresholds():
    assert detect_language(ENGLISH_TEXT) == "en" and detect_language(ARABIC_TEXT) == "ar"
    assert detect_language(GREEK_TEXT) is None and detect_language("12 345 ...") is None
    # An even mix is not English: Arabic letters carry fewer vowels, so half
    # the letters being Arabic means most of the content is.
    mixed = "وافق مجلس المدينة على الميزانية " + "The council approved it"
    assert detect_language(mixed) == "ar"


def test_mixed_articles_each_get_their_own_language(tmp_path):
    paths = []
    for name, text in (("1.txt", ARABIC_TEXT), ("2.txt", ENGLISH_TEXT), ("3.txt", ARABIC_WITH_ENGLISH)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    assert [a.language for a in load_articles(paths)] == ["ar", "en", "ar"]
    assert [a.language for a in load_articles(paths, language="en")] == ["en", "en", "en"]


def test_forced_language_and_unknown_language():
    assert art(ENGLISH_TEXT, language="ar").language == "ar"
    assert art(ARABIC_TEXT, language="en").language == "en"
    assert art(GREEK_TEXT, language="en").warnings == ()
    with pytest.raises(InputError, match="language"):
        art(ENGLISH_TEXT, language="fr")


# --------------------------------------------------------------------------
# Cleaning


ENGLISH_BOILERPLATE = [
    ("Read more: Council debates school plan", "read-also"),
    ("Follow us on social media for live updates", "follow-us"),
    ("Share this article", "follow-us"),
    ("Share on Facebook", "follow-us"),
    ("All rights reserved. Harbor News Agency 2026", "attribution"),
    ("Copyright 2026 Harbor News Agency", "attribution"),
    ("Leave a Reply", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("Back to top", "back-to-top"),
    ("Advertisement", "ad-marker"),
]


@pytest.mark.parametrize("line, reason", ENGLISH_BOILERPLATE)
def test_english_boilerplate_is_removed_by_the_same_rule_classes(line, reason):
    text = "The council met on Monday to discuss the budget.\n" + line + "\nThe vote is expected next week.\n"
    cleaned, removed, _, language = clean_article(text)
    assert language == "en"
    assert [(r.reason, r.line) for r in removed] == [(reason, 2)]
    assert cleaned == "The council met on Monday to discuss the budget.\nThe vote is expected next week."


def test_english_article_keeps_its_short_lines_and_news_that_sounds_like_boilerplate():
    lines = [
        "Breaking News",                                    # short Latin line: a slogan only in Arabic articles
        "Harbor FC back to top of the league",              # a headline, not a button
        "The novel, translated by a local poet, won the prize.",
        "The court heard a copyright dispute over the song.",
        "Residents said the storm was the worst in years.",
    ]
    cleaned, removed, warnings = clean("\n".join(lines) + "\n")
    assert removed == [] and warnings == []
    assert cleaned.split("\n") == lines


def test_arabic_article_still_loses_a_short_latin_slogan():
    text = ARABIC_TEXT + "Get News Fast\n"
    a = art(text)
    assert a.language == "ar"
    assert [(r.reason, r.text) for r in a.removed] == [("latin-slogan", "Get News Fast")]
    # forced English keeps it
    assert art(text, language="en").removed == ()


# --------------------------------------------------------------------------
# Segmentation


def test_english_article_is_segmented_with_english_rules():
    text = "Talks resume\nThe talks dragged on for hours... Then the minister left the room.\n"
    english = art(text)
    assert english.language == "en"
    assert [(s.id, s.kind, s.text) for s in english.sentences] == [
        ("1.1", "heading", "Talks resume"),
        ("1.2", "sentence", "The talks dragged on for hours..."),
        ("1.3", "sentence", "Then the minister left the room."),
    ]
    # Read as Arabic, the headline is a Latin slogan and the ellipsis a pause.
    as_arabic = art(text, language="ar")
    assert [s.text for s in as_arabic.sentences] == ["The talks dragged on for hours... Then the minister left the room."]
    assert [r.reason for r in as_arabic.removed] == ["latin-slogan"]
    for s in english.sentences:
        assert english.text[s.start:s.end] == s.text


# --------------------------------------------------------------------------
# Translation


class _Recorder(Translator):
    """Records every text sent to the "model"; output is the input upper-cased."""

    engine = "recorder"
    model_id = "test/recorder"
    revision = "0"

    def __init__(self):
        self.seen: list[str] = []

    def tokenize(self, text):
        return text.split() + ["</s>"]

    def translate_batch(self, texts, *, beam=4):
        self.seen.extend(texts)
        return [Hypothesis(t.upper(), self.count_tokens(t), len(t.split())) for t in texts]


def test_english_sentences_never_reach_the_model():
    arabic, english = art(ARABIC_TEXT, 1), art(ENGLISH_TEXT, 2)
    tr = _Recorder()
    run = translate_articles([arabic, english], translator=tr, beam=1, use_cache=False)
    assert sorted(tr.seen) == sorted(s.text for s in arabic.sentences)
    assert list(run.translations) == [s.id for a in (arabic, english) for s in a.sentences]
    for s in english.sentences:
        t = run.translations[s.id]
        assert t.text == t.source == s.text
        assert [f.code for f in t.flags] == [ORIGINAL_ENGLISH]
        assert not t.cached and t.source_tokens == 0
    for s in arabic.sentences:
        assert ORIGINAL_ENGLISH not in [f.code for f in run.translations[s.id].flags]
    assert run.manifest["original_english"] == len(english.sentences)
    assert run.english(english).split() == english.text.split()


def test_only_english_articles_load_no_model(tmp_path, monkeypatch):
    # Offline with an empty hub cache: resolving any model would fail (exit code 3).
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    import toolkit.translate.run as translate_module

    opened = []

    class SpyCache(translate_module.TranslationCache):
        def __init__(self, *a, **kw):
            opened.append(self)
            self.asked: list[str] = []
            super().__init__(*a, **kw)

        def get_many(self, namespace, texts):
            self.asked.extend(texts)
            return super().get_many(namespace, texts)

    monkeypatch.setattr(translate_module, "TranslationCache", SpyCache)
    english = art(ENGLISH_TEXT, 2)
    run = translate_articles([english], model="best")
    assert run.manifest["model"] is None and run.manifest["engine"] is None
    assert all(t.text == t.source for t in run.translations.values())
    assert opened == [], "the translation cache is not opened for English articles"
    arabic = art(ARABIC_TEXT, 1)
    translate_articles([arabic, english], translator=_Recorder(), beam=1)
    assert len(opened) == 1 and sorted(opened[0].asked) == sorted(s.text for s in arabic.sentences)


def test_translate_cli_only_english_json(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    p = tmp_path / "wire.txt"
    p.write_text(ENGLISH_TEXT, encoding="utf-8")
    r = CliRunner().invoke(main, ["translate", str(p), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["articles"][0]["language"] == "en"
    rows = data["articles"][0]["sentences"]
    assert [row["text"] for row in rows] == [row["source"] for row in rows]
    assert all(row["language"] == "en" and [f["code"] for f in row["flags"]] == [ORIGINAL_ENGLISH]
               for row in rows)
    # Arabic in the same run would need the (missing) model: exit code 3, one line.
    a = tmp_path / "local.txt"
    a.write_text(ARABIC_TEXT, encoding="utf-8")
    r = CliRunner().invoke(main, ["translate", str(a), str(p), "--format", "json"])
    assert r.exit_code == 3 and "Traceback" not in r.output


# --------------------------------------------------------------------------
# split JSON


def test_split_json_and_jsonl_show_language(tmp_path):
    a, e = tmp_path / "a.txt", tmp_path / "e.txt"
    a.write_text(ARABIC_TEXT, encoding="utf-8")
    e.write_text(ENGLISH_TEXT, encoding="utf-8")
    r = CliRunner().invoke(main, ["split", str(a), str(e), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert [x["language"] for x in json.loads(r.stdout)["articles"]] == ["ar", "en"]
    r = CliRunner().invoke(main, ["split", str(a), str(e), "--format", "jsonl"])
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {row["language"] for row in rows if row["id"].startswith("2.")} == {"en"}
    r = CliRunner().invoke(main, ["split", str(e), "--format", "json", "--language", "ar"])
    assert json.loads(r.stdout)["articles"][0]["language"] == "ar"
    r = CliRunner().invoke(main, ["split", str(e), "--language", "fr"])
    assert r.exit_code == 2


# --------------------------------------------------------------------------
# Brief and report from mixed sources

MIXED_ARABIC = {
    "a1.txt": "وافق مجلس المدينة على الميزانية الجديدة يوم الاثنين.\n"
              "قال رئيس البلدية إن الميزانية تشمل تمويل مدرستين جديدتين.\n\n"
              "غمرت الأمطار الغزيرة عدة شوارع في البلدة القديمة.\n",
    "a2.txt": "صوت مجلس المدينة يوم الاثنين على إقرار الميزانية الجديدة.\n"
              "انتقد أعضاء المعارضة الخطة ووصفوها بأنها مكلفة جدا.\n",
}
MIXED_ENGLISH = {
    "1.1": "The city council approved the new budget on Monday.",
    "1.2": "The mayor said the budget includes funding for two new schools.",
    "1.3": "Heavy rain flooded several streets in the old town.",
    "2.1": "On Monday the city council voted to approve the new budget.",
    "2.2": "Opposition members criticised the plan as far too expensive.",
}
WIRE = ("Council passes budget\n"
        "The city council passed the new budget on Monday after a short debate.\n"
        "Opposition members called the plan far too expensive for the town.\n")


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    use_shared_hub(monkeypatch)
    paths = []
    for name, text in MIXED_ARABIC.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    wire = tmp_path / "wire.txt"
    wire.write_text(WIRE, encoding="utf-8")
    paths.append(str(wire))
    # The JSONL covers the Arabic articles only.
    jsonl = write_jsonl(tmp_path / "en.jsonl", MIXED_ENGLISH, {1: paths[0], 2: paths[1]})
    return paths, jsonl


def test_mixed_brief_with_translations_that_lack_the_english_article(mixed):
    real_embedding_hub("tests/test_tiny_models.py::test_summarize_cli_json_on_the_bundled_examples")
    paths, jsonl = mixed
    r = CliRunner().invoke(main, ["summarize", "--format", "json", "-n", "4", "-t", str(jsonl), *paths])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    cited = {i for s in data["sentences"] for i in s["ids"]}
    assert any(i.startswith("3.") for i in cited), "the English article is evidence like any other"
    budget = next(s for s in data["sentences"] if "1.1" in s["ids"])
    assert budget["sources"] == 3 and "3.2" in budget["ids"]
    assert not any(i.startswith("3.") for i in data["manifest"]["skipped"].get("untranslated", []))
    assert [row["language"] for row in data["manifest"]["sources"]] == ["ar", "ar", "en"]
    assert data["manifest"]["english"]["original_english"] == [3]


def test_english_only_brief_needs_no_translation_model(mixed, tmp_path):
    paths, _ = mixed
    other = tmp_path / "wire2.txt"
    other.write_text("Budget approved\nCouncil members approved the new budget on Monday evening.\n"
                     "Critics in the opposition said the plan was far too expensive.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["summarize", "--format", "json", "-n", "2", paths[2], str(other)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["manifest"]["english"]["translation"]["model"] is None
    assert data["sentences"] and all(s["supported"] for s in data["sentences"])


def test_report_shows_english_article_left_to_right_as_original(mixed):
    paths, jsonl = mixed
    r = CliRunner().invoke(main, ["report", "-n", "4", "-t", str(jsonl), *paths])
    assert r.exit_code == 0, r.output
    page = r.stdout
    row = re.search(r'<tr id="s-3\.2".*?</tr>', page, re.S).group(0)
    assert '<td class="orig" dir="ltr" lang="en">The city council passed the new budget' in row
    assert 'dir="rtl"' not in row and 'lang="ar"' not in row
    assert '<td class="en original">original English</td>' in row
    assert '>original-english</span>' in row
    arabic_row = re.search(r'<tr id="s-1\.1".*?</tr>', page, re.S).group(0)
    assert 'dir="rtl" lang="ar"' in arabic_row and "original-english" not in arabic_row
    sources = re.search(r'<table class="sources">.*?</table>', page, re.S).group(0)
    assert sources.count("English (original)") == 1 and sources.count('<td class="lang">Arabic<br>') == 2
    assert "&quot;language&quot;: &quot;en&quot;" in page  # the manifest's sources table

    r = CliRunner().invoke(main, ["report", "-n", "4", "-t", str(jsonl), "--format", "md", *paths])
    assert r.exit_code == 0, r.output
    md = r.stdout
    assert "| ID | English (original) | English | Flags |" in md
    assert re.search(r"\| 3\.2 \| The city council passed .*? \| \*original English\* \| original-english \|", md)
    assert "| 3 | " in md and "English (original)" in md.split("## Article 1")[0]


def test_reference_scores_leave_english_articles_out():
    from toolkit.report import build_report
    from toolkit.records import Brief

    arabic, english = art(ARABIC_TEXT, 1), art(ENGLISH_TEXT, 2)
    en = {s.id: s.text for a in (arabic, english) for s in a.sentences}
    refs = {s.id: s.text for s in arabic.sentences}  # no references for the English article
    report = build_report([arabic, english], en, Brief((), 2), references=refs)
    assert [g.scope for g in report.scores] == ["all articles", "1 a1"]


def test_brief_candidates_keep_original_english_sentences():
    from toolkit.brief import brief_units
    from toolkit.records import Flag

    english_article = art(WIRE, 1)
    run = translate_articles([english_article], model="best")  # no model: English only
    english = {i: t.text for i, t in run.translations.items()}
    flags = {i: t.flags for i, t in run.translations.items()}
    assert all(f.code == ORIGINAL_ENGLISH for fl in flags.values() for f in fl)
    units, skipped = brief_units([english_article], english, flags)
    assert [u.id for u in units] == ["1.2", "1.3"] and skipped["untranslated"] == []
    # the same sentence marked untranslated is set aside, so the filter is live
    units, skipped = brief_units([english_article], english, {"1.2": (Flag("untranslated"),)})
    assert skipped["untranslated"] == ["1.2"]


def test_translations_jsonl_with_rows_for_a_same_named_english_article(tmp_path, monkeypatch):
    """`toolkit translate ar/ en/ --format jsonl` output names both files
    `story.txt`; the English rows must not be taken for the Arabic article's."""
    use_shared_hub(monkeypatch)
    (tmp_path / "ar").mkdir()
    (tmp_path / "en").mkdir()
    a1, a2, wire = tmp_path / "ar" / "story.txt", tmp_path / "ar" / "other.txt", tmp_path / "en" / "story.txt"
    a1.write_text(MIXED_ARABIC["a1.txt"], encoding="utf-8")
    a2.write_text(MIXED_ARABIC["a2.txt"], encoding="utf-8")
    wire.write_text(WIRE, encoding="utf-8")
    rows = [{"id": i, "text": t, "source_file": str(a1 if i.startswith("1.") else a2)} for i, t in MIXED_ENGLISH.items()]
    rows += [{"id": s.id, "text": s.text, "source": s.text, "source_file": str(wire), "flags": [ORIGINAL_ENGLISH]}
             for s in art(WIRE, 3).sentences]
    jsonl = tmp_path / "en.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = CliRunner().invoke(main, ["summarize", "--format", "json", "-n", "3", "-t", str(jsonl),
                                  str(a1), str(a2), str(wire)])
    assert r.exit_code == 0, r.output
    assert {i for s in json.loads(r.stdout)["sentences"] for i in s["ids"]} & {"3.2", "3.3"}
