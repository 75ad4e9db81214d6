"""Hand-made articles, translations and a brief for the report tests.

The Arabic is written for these tests (a fictional library opening), and
several fields carry HTML/script payloads: articles are untrusted input and
the report must show those payloads as text. Every payload that could run
sets ``window.__injected``, so a browser test can check that none did.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from toolkit.records import Article, Brief, BriefSentence, Citation, Flag, Removed, Sentence

SCRIPT_PAYLOAD = "<script>window.__injected = 1;</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__injected = 2">'
EN_PAYLOAD = "<script>window.__injected = 3</script>"
SOURCE_PAYLOAD = "articles/<img src=y onerror=window.__injected=4>.txt"
REMOVED_PAYLOAD = "</details><script>window.__injected = 5</script>"
BRIEF_PAYLOAD = '<a href="#" onmouseover="window.__injected = 6">hover</a>'
MANIFEST_PAYLOAD = "</pre><script>window.__injected = 7</script>"
FLAG_PAYLOAD = '"><svg onload="window.__injected = 8">'
PAYLOADS = (SCRIPT_PAYLOAD, IMG_PAYLOAD, EN_PAYLOAD, SOURCE_PAYLOAD, REMOVED_PAYLOAD, BRIEF_PAYLOAD,
            MANIFEST_PAYLOAD, FLAG_PAYLOAD)

# (Arabic, English, kind) per sentence; filler sentences make each article
# long enough that following a citation has to scroll the page.
ARTICLE_1 = [
    ("افتتاح مكتبة عامة جديدة في وسط المدينة", "A new public library opens in the city centre", "heading"),
    ("افتتحت البلدية صباح اليوم مكتبة عامة جديدة في وسط المدينة.",
     "The municipality opened a new public library in the city centre this morning.", "sentence"),
    ("وقال رئيس البلدية إن المكتبة تضم أكثر من عشرين ألف كتاب.",
     "The mayor said the library holds more than twenty thousand books.", "sentence"),
]
ARTICLE_2 = [
    ("مكتبة المدينة تفتح أبوابها للجمهور", "The city library opens its doors to the public", "heading"),
    ("فتحت المكتبة العامة الجديدة أبوابها أمام الزوار اليوم.",
     "The new public library opened its doors to visitors today.", "sentence"),
    (f"وكتب أحد المعلقين {SCRIPT_PAYLOAD} في صفحة الموقع.",
     f"One commenter wrote {EN_PAYLOAD} on the site's page.", "sentence"),
    (f"وظهر في النص أيضا {IMG_PAYLOAD} دون سبب واضح.",
     "The text also contained an image tag for no clear reason.", "sentence"),
]
ARTICLE_3 = [
    ("«المكتبة لكل الناس»، قال رئيس البلدية في حفل الافتتاح.",
     "\"The library is for everyone,\" the mayor said at the opening ceremony.", "sentence"),
    ("وتفتح المكتبة يوميا من الساعة التاسعة صباحا حتى الثامنة مساء.",
     "The library opens daily from nine in the morning until eight in the evening.", "sentence"),
]


def _filler(n: int) -> tuple[str, str, str]:
    return (f"وأضاف المتحدث أن أعمال التجهيز ستستمر في المرحلة رقم {n} من المشروع.",
            f"The spokesman added that fitting-out work will continue in phase {n} of the project.", "sentence")


def _article(number: int, rows: list[tuple[str, str, str]], source: str,
             removed: tuple[Removed, ...] = ()) -> tuple[Article, dict[str, str]]:
    sentences = []
    english = {}
    text = ""
    for index, (ar, en, kind) in enumerate(rows, 1):
        if text:
            text += "\n" if kind == "heading" or sentences[-1].kind == "heading" else " "
        start = len(text)
        text += ar
        sid = f"{number}.{index}"
        sentences.append(Sentence(sid, number, index, ar, start, len(text), kind=kind, paragraph=1))
        english[sid] = en
    article = Article(number=number, source=source, text=text, sentences=tuple(sentences), removed=removed)
    for s in article.sentences:
        assert article.text[s.start:s.end] == s.text
    return article, english


def make_articles(fillers: int = 12) -> tuple[list[Article], dict[str, str]]:
    specs = [
        (ARTICLE_1 + [_filler(n) for n in range(1, fillers + 1)], "articles/library-opening.txt",
         (Removed(4, "اقرأ أيضا: http://example.com/x", "read-also"), Removed(9, "[[ad]]", "ad-marker"))),
        (ARTICLE_2 + [_filler(n) for n in range(1, fillers + 1)], SOURCE_PAYLOAD,
         (Removed(2, REMOVED_PAYLOAD, "stray-html"),)),
        (ARTICLE_3 + [_filler(n) for n in range(1, fillers + 1)], "articles/ceremony.txt", ()),
    ]
    articles = []
    english: dict[str, str] = {}
    for number, (rows, source, removed) in enumerate(specs, 1):
        article, en = _article(number, rows, source, removed)
        articles.append(article)
        english.update(en)
    return articles, english


def make_brief() -> Brief:
    return Brief(
        sentences=(
            BriefSentence("A new public library opened in the city centre.",
                          (Citation("1.2", 1, 0.91), Citation("2.2", 2, 0.88)), 2, True, "key", support=0.9),
            BriefSentence("It opens daily from nine to eight.",
                          (Citation("3.2", 3, 0.86),), 1, True, "single", support=0.86),
            BriefSentence("The library is for everyone.", (Citation("3.1", 3, 0.8),), 1, True, "quote",
                          speaker="the mayor", support=0.8),
            BriefSentence(f"The library holds a million books {BRIEF_PAYLOAD}.",
                          (Citation("1.3", 1, 0.41),), 1, False, "key", support=0.41),
        ),
        total_sources=3,
        manifest={"model": "test/none", "note": MANIFEST_PAYLOAD, "options": {"sentences": 4}},
        warnings=("one brief sentence is not supported by its citations",),
    )


def make_flags() -> dict[str, tuple[Flag, ...]]:
    return {"2.3": (Flag("length-ratio", FLAG_PAYLOAD),), "1.3": (Flag("numbers-missing", "20000"),)}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


# -- the five seed articles, reported through the CLI ---------------------------

_SEED_REPORTS: dict[str, object] = {}


def seed_reports(tmp_path_factory) -> dict[str, object]:
    """`toolkit report` on ../shared/seeds with the refs/ translations as the
    English and as references, in HTML and Markdown. Built once per test
    session (the embedding model is the slow part) with its own cache dir
    and config, the embedding model from ../shared/hf-cache, offline."""
    if _SEED_REPORTS:
        return _SEED_REPORTS
    from pathlib import Path

    from click.testing import CliRunner

    from conftest import REPO, need_shared, real_embedding_hub
    from toolkit.cli import main
    from toolkit.ingest import load_articles

    hub = real_embedding_hub("tests/test_tiny_models.py::test_report_on_the_bundled_examples")
    seeds = sorted(need_shared("seeds").glob("*.txt"))
    home = tmp_path_factory.mktemp("seed-report")
    refs = str(REPO / "refs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOOLKIT_CACHE_DIR", str(home / "cache"))
        mp.setenv("TOOLKIT_CONFIG", str(home / "config.toml"))
        mp.setenv("HF_HUB_CACHE", str(hub))
        mp.setenv("HF_HUB_OFFLINE", "1")
        for key in ("TOOLKIT_MODEL", "TOOLKIT_EMBEDDER"):
            mp.delenv(key, raising=False)
        runs = {}
        for fmt in ("html", "md"):
            out = home / f"brief.{fmt}"
            result = CliRunner().invoke(
                main, ["report", "-t", refs, "--refs", refs, *map(str, seeds), "--format", fmt, "--out", str(out)])
            assert result.exit_code == 0, result.output
            runs[fmt] = (Path(out), result)
    _SEED_REPORTS.update(
        html=runs["html"][0], md=runs["md"][0], result=runs["html"][1], dir=home,
        articles=load_articles([str(s) for s in seeds]),
    )
    return _SEED_REPORTS
