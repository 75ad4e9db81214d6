"""Article dates: the one dateline reader (toolkit.text.dates), the
publication date ingest gives every article, and the wire datelines
segmentation cuts off the lead."""
from __future__ import annotations

import pytest

from toolkit.ingest import parse
from toolkit.text.dates import (article_published, date_line, find_dates, leading_dateline, published_in_html,
                                published_in_text)
from toolkit.text.segment import segment


@pytest.mark.parametrize("line, iso", [
    ("Tuesday, January 12, 2010", "2010-01-12"),
    ("12 January 2010", "2010-01-12"),
    ("Jan. 12, 2010", "2010-01-12"),
    ("Published: Wed 19 June 2024 08:15 GMT", "2024-06-19"),
    ("الثلاثاء 12 يناير 2010", "2010-01-12"),
    ("الأربعاء ١٩ يونيو/حزيران ٢٠٢٤", "2024-06-19"),
    ("29  كانون الأول 2004", "2004-12-29"),
    ("السبت 1 كانون الثاني 2005", "2005-01-01"),
    ("الخميس 5 جانفي 2023م", "2023-01-05"),
    ("الأربعاء 13 ذو الحجة 1445 هـ الموافق 19 يونيو 2024 م", "2024-06-19"),
    ("نشر في: 2024-06-19 10:30", "2024-06-19"),
    ("19/06/2024", "2024-06-19"),
    ("٢٠٢٤/٠٦/١٩", "2024-06-19"),
])
def test_a_date_line_gives_its_date(line, iso):
    found = date_line(line)
    assert found is not None and found.value.isoformat() == iso


@pytest.mark.parametrize("line", [
    "Countries affected by the 2004 Indian Ocean tsunami",  # a year is not a date
    "005/01/08 تبرعات الإغاثة بعد أمواج المد",  # a damaged date and a headline
    "الأربعاء 13 ذو الحجة 1445 هـ",  # Hijri only: never read as a Gregorian date
    "31 February 2010",
    "Putin arrived in Pyongyang on June 19, 2024, for talks with Kim Jong Un on a new treaty.",
    "June 19",
])
def test_other_lines_are_not_date_lines(line):
    assert date_line(line) is None


def test_a_weekday_that_does_not_fit_is_reported():
    published, notes = published_in_text("Title\n\nالخميس 27 كانون الأول 2005\n\nنص المقال هنا.")
    assert (published.date, published.method, published.line) == ("2005-12-27", "date-line", 3)
    assert notes == ["line 3: the date says Thursday but 27 December 2005 is a Tuesday"]


def test_dates_found_in_running_text_keep_their_spans():
    text = "The quake of January 12, 2010 and the aftershock on 20 June."
    dates = find_dates(text)
    assert [(text[d.start:d.end], d.year, d.month, d.day) for d in dates] == [
        ("January 12, 2010", 2010, 1, 12), ("20 June", None, 6, 20)]


@pytest.mark.parametrize("line, head, lead", [
    ("PYONGYANG, June 19 (Wire) - North Korea and Russia signed a mutual defence pact on Wednesday.",
     "PYONGYANG, June 19 (Wire) -", "North Korea and Russia signed a mutual defence pact on Wednesday."),
    ("BEIJING, Jan 13 (Reuters) - China said it would respond to the new tariffs within days.",
     "BEIJING, Jan 13 (Reuters) -", "China said it would respond to the new tariffs within days."),
    ("WASHINGTON (AP) — The Senate passed the bill late on Tuesday after a long debate.",
     "WASHINGTON (AP) —", "The Senate passed the bill late on Tuesday after a long debate."),
    ("القاهرة - 19 يونيو 2024 (رويترز) - قال الوزير إن الخطة جاهزة للتنفيذ.",
     "القاهرة - 19 يونيو 2024 (رويترز) -", "قال الوزير إن الخطة جاهزة للتنفيذ."),
    ("السبت 26 أذار 2005 ، الأرقام الصادرة عن المنظمة اليوم تظهر أن النساء أكثر الضحايا.",
     "السبت 26 أذار 2005 ،", "الأرقام الصادرة عن المنظمة اليوم تظهر أن النساء أكثر الضحايا."),
    # a web page's header before the dateline: byline, place, the copy's time
    ("By Ana Ruiz, Health Editor LIMA | Tue Apr 21, 2009 10:19 pm BST LIMA (Wire) - Two children were infected.",
     "By Ana Ruiz, Health Editor LIMA | Tue Apr 21, 2009 10:19 pm BST LIMA (Wire) -", "Two children were infected."),
    ("Sat Apr 25, 2009 12:51 am BST (Wire) - Officials are watching a new kind of flu.",
     "Sat Apr 25, 2009 12:51 am BST (Wire) -", "Officials are watching a new kind of flu."),
    ("* Officials announce an outbreak * New virus By Ana Ruiz LIMA, April 24 (Wire) - A new flu has broken out.",
     "* Officials announce an outbreak * New virus By Ana Ruiz LIMA, April 24 (Wire) -", "A new flu has broken out."),
    # a blog post's header: its author, the time and the date
    ("Ana Ruiz | 17:45 UK time, Wednesday, 29 April 2009 This week, one story has led the news.",
     "Ana Ruiz | 17:45 UK time, Wednesday, 29 April 2009", "This week, one story has led the news."),
])
def test_a_wire_dateline_is_cut_off_the_lead_sentence(line, head, lead):
    language = "en" if line[0].isascii() else "ar"
    sents = segment(line, 1, language=language)
    assert [(s.kind, s.text) for s in sents] == [("heading", head), ("sentence", lead)]


@pytest.mark.parametrize("line", [
    "May 4, 2021 was the day the road closed.",
    "Meadow Lake, Saskatchewan — The town council said it had made a mistake.",
    "NATO said on Tuesday that it would send more troops to the region.",
    "US - the figures were revised again later that week by officials.",
    # brackets and a dash inside a sentence are no header's
    "Officials said the WHO (World Health Organization) - which met on Monday - agreed.",
    "At 11:38 am on 08 Jul 2009, a reader wrote: the world (it's called planet earth) - is round, he said.",
    "The talks | ended on 4 May 2021 with a deal signed by both sides.",
])
def test_a_sentence_that_opens_with_a_name_or_date_keeps_it(line):
    assert leading_dateline(line) is None
    assert [s.kind for s in segment(line, 1, language="en")] == ["sentence"]


def test_a_dateline_without_a_year_gives_no_date():
    published, notes = published_in_text("PYONGYANG, June 19 (Wire) - North Korea and Russia signed a pact.")
    assert published.date == "" and published.method == "none"
    assert notes and "no year" in notes[0]


def test_a_dateline_with_a_year_dates_the_article():
    published, _ = published_in_text("Title here\nLONDON, June 19, 2024 (Reuters) - Britain said it would act soon.")
    assert (published.date, published.method, published.line) == ("2024-06-19", "dateline", 2)
    assert published.evidence == "LONDON, June 19, 2024 (Reuters) -"


def test_only_the_head_of_an_article_is_searched():
    body = "\n".join(f"Sentence {i} of the article says something." for i in range(10))
    assert published_in_text(body + "\nMonday, June 17, 2024")[0].date == ""


@pytest.mark.parametrize("markup, iso, method", [
    ('<meta property="article:published_time" content="2024-06-19T08:00:00+03:00">', "2024-06-19", "html-meta"),
    ("<meta content='2024-06-18' name='pubdate'>", "2024-06-18", "html-meta"),
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2024-06-17T10:00Z"}]}'
     "</script>", "2024-06-17", "json-ld"),
    ('<p>Posted <time datetime="2024-06-16">Sunday</time></p>', "2024-06-16", "time-tag"),
    ('<meta property="article:published_time" content="yesterday">', "", "none"),
])
def test_html_metadata_dates(markup, iso, method):
    published = published_in_html(f"<html><head>{markup}</head><body></body></html>")
    assert (published.date, published.method) == (iso, method)


def test_the_article_text_comes_before_the_page_metadata():
    markup = '<meta property="article:published_time" content="2024-06-18">'
    assert article_published("Title\nWednesday, June 19, 2024\nText.", markup)[0].method == "date-line"
    assert article_published("Title\nText of the article.", markup)[0].date == "2024-06-18"


def test_ingest_gives_every_article_its_date():
    text = "عنوان الخبر\n\nالأربعاء 19 يونيو 2024\n\nوقع الرئيسان اتفاقية الشراكة اليوم في العاصمة.".encode()
    article = parse(text, "a.txt", 1)
    assert (article.published.date, article.published.method, article.published.line) == (
        "2024-06-19", "date-line", 3)
    undated = parse("وقع الرئيسان اتفاقية الشراكة اليوم في العاصمة.".encode(), "b.txt", 2)
    assert undated.published.date == "" and undated.published.method == "none"
    html = ('<html><head><meta property="article:published_time" content="2024-06-19T09:00:00Z"></head><body>'
            "<article><h1>Pact signed</h1><p>Russia and North Korea signed a partnership pact on Wednesday in "
            "Pyongyang, state media said.</p><p>The two leaders met for talks that lasted hours.</p>"
            "<p>They promised mutual help.</p></article></body></html>")
    page = parse(html.encode(), "c.html", 3)
    assert (page.published.date, page.published.method) == ("2024-06-19", "html-meta")


# The publication date of every article of the development clusters (their
# English originals' date lines; the Arabic side is a translation of each).
TRUE_DATES = {
    "M0000": "2005-01-08", "M0001": "2005-01-01", "M0002": "2004-12-31", "M0003": "2005-05-19",
    "M0004": "2005-01-18", "M0005": "2005-01-27", "M0006": "2004-12-29", "M0007": "2005-03-26",
    "M0008": "2005-01-01", "M0009": "2005-01-20",
    "M0020": "2007-03-23", "M0021": "2007-04-04", "M0022": "2007-04-05", "M0023": "2007-03-25",
    "M0024": "2007-03-30", "M0025": "2007-06-19", "M0026": "2007-03-29", "M0027": "2007-03-28",
    "M0028": "2007-04-06", "M0029": "2007-03-27",
    "M0040": "2007-11-29", "M0041": "2007-12-07", "M0042": "2007-12-08", "M0043": "2007-12-10",
    "M0044": "2007-12-12", "M0045": "2007-12-13", "M0046": "2007-12-17", "M0047": "2007-12-13",
    "M0048": "2007-12-15", "M0049": "2007-12-05",
    "M0060": "2010-01-12", "M0061": "2010-01-20", "M0062": "2010-01-13", "M0063": "2010-01-23",
    "M0064": "2010-01-29", "M0065": "2010-01-31", "M0066": "2010-02-02", "M0067": "2010-02-01",
    "M0068": "2010-02-05", "M0069": "2010-03-18",
    "M0080": "2009-06-01", "M0081": "2009-07-30", "M0082": "2009-06-02", "M0083": "2009-06-02",
    "M0084": "2009-06-08", "M0085": "2009-06-02", "M0086": "2009-06-06", "M0087": "2009-06-18",
    "M0088": "2009-06-05", "M0089": "2010-05-06",
}
# The Arabic translation of M0005 dates it "Thursday 27 December 2005" (the
# month mistranslated): read as written, with the weekday that does not fit
# reported, never silently changed.
MISTRANSLATED = {"M0005": ("2005-12-27", "the date says Thursday but 27 December 2005 is a Tuesday")}


@pytest.mark.parametrize("side", ["en", "ar"])
def test_every_development_cluster_article_has_its_true_date(shared, side):
    from toolkit.ingest import load_articles

    paths = sorted(shared.glob(f"multidoc/M*/{side}/*.txt"))
    assert {p.stem for p in paths} == set(TRUE_DATES)
    for article in load_articles([str(p) for p in paths]):
        expected = TRUE_DATES[article.name]
        if side == "ar" and article.name in MISTRANSLATED:
            expected, note = MISTRANSLATED[article.name]
            assert any(note in w for w in article.warnings), article.warnings
        assert article.published.date == expected, article.source
        assert article.published.method in ("date-line", "dateline") and article.published.line > 0


def test_seed_articles_carry_no_date_and_take_one_given(seeds):
    """The seed articles (all of 19 June 2024) print no date line, dateline
    or year: they are undated and say so, and the date the user gives is
    theirs."""
    from toolkit.ingest import load_articles

    articles = load_articles([str(p) for p in seeds])
    assert len(articles) == 5
    assert [(a.published.date, a.published.method) for a in articles] == [("", "none")] * 5
