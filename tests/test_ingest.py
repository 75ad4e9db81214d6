"""Ingest: encodings, HTML, boilerplate classes, duplicates, bad input."""
from __future__ import annotations

import pytest

from toolkit.errors import InputError
from toolkit.ingest import clean, decode, load_articles, parse
from toolkit.text.arabic import normalize_arabic, text_hash, to_ascii_digits

BODY = ("وصل وزير الخارجية إلى المدينة صباح اليوم في زيارة رسمية.\n"
        "وناقش الوزير مع نظيره ملفات التعاون الاقتصادي والأمني بين البلدين.\n")


def removed_reasons(text: str) -> list[tuple[str, str]]:
    _, removed, _ = clean(text)
    return [(r.reason, r.text) for r in removed]


@pytest.mark.parametrize("line, reason", [
    ("[[system-code:ad:autoads]]", "ad-marker"),
    ("اقرأ أيضا : https://example.org/?p=12", "read-also"),
    ("إقرأ أيضاً: https://news.example.com/a/b", "read-also"),
    ("Read also: https://example.org/story", "read-also"),
    ("تابعونا على تويتر : https://twitter.com/example", "follow-us"),
    ("Follow us on https://facebook.com/example", "follow-us"),
    ("https://t.me/example", "link"),
    ("اترك تعليقاً", "comment-form"),
    ("لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("زر الذهاب إلى الأعلى", "back-to-top"),
    ("Back to top", "back-to-top"),
    ("ص>", "html-fragment"),
    ("</p>", "html-fragment"),
    ("© جميع الحقوق محفوظة لموقع الأخبار 2024", "attribution"),
    ("وقد قام موقع الأنباء بترجمة هذا الخبر من مصدر وكالة محلية", "attribution"),
    ("Get News Fast", "latin-slogan"),
    ("* * *", "symbols-only"),
])
def test_boilerplate_line_classes(line, reason):
    text = BODY + line + "\n" + "وانتهت الزيارة مساء اليوم نفسه.\n"
    cleaned, removed, _ = clean(text)
    assert [(r.reason, r.line) for r in removed] == [(reason, 3)]
    assert line.strip() not in cleaned
    assert "وانتهت الزيارة" in cleaned and "وصل وزير الخارجية" in cleaned


def test_inline_debris_is_removed_and_reported():
    text = "وأكد الوزير أن الاتفاق نهائي. ص>\nوأضاف أن التنفيذ يبدأ غدا [[ad:slot]] في العاصمة.\n"
    cleaned, removed, _ = clean(text)
    assert cleaned == "وأكد الوزير أن الاتفاق نهائي.\nوأضاف أن التنفيذ يبدأ غدا في العاصمة."
    assert [(r.line, r.reason, r.text) for r in removed] == [
        (1, "html-fragment", "ص>"), (2, "ad-marker", "[[ad:slot]]")]


def test_prose_that_mentions_sources_or_urls_is_kept():
    text = ("ونقلت وكالة الأنباء نقلا عن مصادر رسمية أن الاجتماع سيعقد في موعده المحدد دون تأجيل.\n"
            "وقال المتحدث إن تفاصيل الخطة منشورة على موقع الوزارة https://example.gov وإن المواطنين "
            "يستطيعون الاطلاع عليها وتقديم ملاحظاتهم قبل نهاية الشهر الجاري.\n")
    cleaned, removed, _ = clean(text)
    assert removed == []
    assert cleaned == text.strip()


def test_latin_lines_stay_in_a_non_arabic_article():
    cleaned, removed, warnings = clean("Breaking News\nThe minister arrived today.\n")
    assert removed == [] and cleaned == "Breaking News\nThe minister arrived today."
    assert warnings == []  # an English article
    cleaned, removed, warnings = clean("Breaking News\nΟ υπουργός έφτασε σήμερα στην πρωτεύουσα.\n")
    assert removed == []
    assert warnings and "Arabic" in warnings[0]


def test_duplicate_paragraphs_are_kept_once_and_reported():
    para = "وقال المتحدث إن المفاوضات بين الجانبين ستستأنف الأسبوع المقبل في العاصمة."
    near = para.replace("المقبل", "المقبل ،")  # near-exact copy with stray punctuation
    text = "\n".join([para, "وأضاف أن الوفدين اتفقا على جدول الأعمال.", para, near])
    cleaned, removed, _ = clean(text)
    assert cleaned.count("ستستأنف") == 1
    assert [(r.line, r.reason) for r in removed] == [(3, "duplicate-paragraph"), (4, "duplicate-paragraph")]


def test_short_repeated_lines_are_not_treated_as_duplicates():
    text = "الملف الأول\nوصل الوفد.\nالملف الأول\nغادر الوفد."
    cleaned, removed, _ = clean(text)
    assert removed == [] and cleaned.count("الملف الأول") == 2


@pytest.mark.parametrize("encoding, data_encoding", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),          # Python writes a BOM
    ("cp1256", "cp1256"),
])
def test_encodings(tmp_path, encoding, data_encoding):
    path = tmp_path / f"a-{encoding}.txt"
    path.write_bytes(BODY.encode(data_encoding))
    article = load_articles([str(path)])[0]
    assert article.encoding == encoding
    assert article.text == BODY.strip()
    assert len(article.sentences) == 2


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(BODY.replace("\n", "\r\n").encode())
    assert load_articles([str(path)])[0].text == BODY.strip()


@pytest.mark.parametrize("data, message", [
    (b"", "empty article"),
    (b"  \n\t\n ", "empty article"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary file"),
    (b"\x00\x01\x02\x03\x81\x8d\x90\x9d" * 20, "cannot decode"),
])
def test_bad_input_names_the_file(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        load_articles([str(path)])
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)
    assert err.value.exit_code == 2


def test_missing_file_and_empty_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_articles([str(tmp_path / "nope.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        load_articles([str(tmp_path / "empty")])


def test_directory_is_read_in_sorted_order(tmp_path):
    for name, body in [("b.txt", "الثانية هنا."), ("a.txt", "الأولى هنا."), (".hidden.txt", "مخفي."),
                       ("notes.pdf", "x")]:
        (tmp_path / name).write_text(body, encoding="utf-8")
    arts = load_articles([str(tmp_path)])
    assert [a.name for a in arts] == ["a", "b"]
    assert [a.sentences[0].id for a in arts] == ["1.1", "2.1"]


def test_stdin_article():
    arts = load_articles(["-"], stdin=BODY.encode("cp1256"))
    assert arts[0].source == "<stdin>" and arts[0].encoding == "cp1256"
    assert len(arts[0].sentences) == 2


HTML = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر</title>
<script>var tracker = 1;</script><style>body{color:red}</style></head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li></ul></nav>
<article><h1>وزير الخارجية يزور المدينة</h1>
<p>وصل وزير الخارجية إلى المدينة صباح اليوم في زيارة رسمية تستمر يومين، التقى خلالها بعدد من المسؤولين المحليين.</p>
<p>وناقش الوزير مع نظيره ملفات التعاون الاقتصادي والأمني بين البلدين، وأكد الطرفان أهمية توسيع التبادل التجاري.</p>
<p>ومن المقرر أن يعقد الوزيران مؤتمرا صحفيا مشتركا مساء الغد للإعلان عن نتائج المباحثات بين الوفدين.</p>
</article>
<footer><p>جميع الحقوق محفوظة 2024</p><a href="/privacy">سياسة الخصوصية</a></footer>
</body></html>"""


def test_html_article_body_is_extracted(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = load_articles([str(path)])[0]
    assert article.fmt == "html"
    assert "وصل وزير الخارجية" in article.text and "ومن المقرر" in article.text
    assert "tracker" not in article.text and "الرئيسية" not in article.text
    assert "سياسة الخصوصية" not in article.text
    removed = {r.text for r in article.removed}
    assert "سياسة الخصوصية" in removed and all(r.reason == "html-boilerplate" for r in article.removed)


def test_html_is_sniffed_without_suffix(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(HTML, encoding="utf-8")
    assert load_articles([str(path)])[0].fmt == "html"


@pytest.mark.slow
def test_two_megabyte_article(tmp_path):
    para = "وقال المتحدث إن الاجتماع رقم {} ناقش ملفات التعاون المشترك بين البلدين، وأكد استمرار التنسيق."
    lines = [para.format(i) for i in range(20000)]
    data = "\n".join(lines).encode("utf-8")
    assert len(data) > 2_000_000
    article = parse(data, "big.txt", 1)
    assert len(article.sentences) == 20000
    assert article.sentences[-1].id == "1.20000"


def test_normalisation_for_matching_keeps_display_text():
    assert normalize_arabic("إِنَّ أحمدَ ذهبَ إلى المدرسةِ") == normalize_arabic("ان احمد ذهب الي المدرسه")
    assert normalize_arabic("كـــوريا") == "كوريا"
    assert to_ascii_digits("عام ٢٠٢٤ و۱۹") == "عام 2024 و19"
    assert text_hash("بيونغ يانغ") == text_hash("بيونغ  يانغ")
    assert text_hash("بيونغ يانغ") != text_hash("بيونج يانج")
    article = parse("قال الرئيسُ إنّ الزيارة ناجحة جدًا في عام ٢٠٢٤.".encode(), "d.txt", 1)
    assert article.sentences[0].text == "قال الرئيسُ إنّ الزيارة ناجحة جدًا في عام ٢٠٢٤."


def test_decode_prefers_utf8_over_cp1256():
    text, enc = decode("سلام".encode("utf-8"), "x")
    assert (text, enc) == ("سلام", "utf-8")


def test_seed_articles_lose_only_boilerplate(seeds):
    arts = load_articles([str(p) for p in seeds])
    reasons = sorted({r.reason for a in arts for r in a.removed})
    assert reasons == ["ad-marker", "attribution", "back-to-top", "comment-form", "follow-us",
                       "html-fragment", "latin-slogan", "read-also"]
    for a in arts:
        for s in a.sentences:
            assert "http" not in s.text and "[[" not in s.text and "ص>" not in s.text
            assert "Get News" not in s.text and "©" not in s.text
    assert [len(a.removed) for a in arts] == [0, 2, 0, 8, 2]
