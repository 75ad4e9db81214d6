"""The shared text pieces: one number reader for translation flags and the
citation checker, one Arabic-letter definition, sentence IDs and the one
Markdown escaping every Markdown output uses."""
from __future__ import annotations

import re

import pytest

from toolkit.records import Brief, BriefSentence, Citation
from toolkit.brief import render_text
from toolkit.text.arabic import ARABIC_LETTER
from toolkit.text.ids import SentenceId, article_of
from toolkit.text.markdown import md_escape
from toolkit.text.numbers import numbers_in
from toolkit.translate.flags import missing_numbers
from toolkit.verify import NUMBERS_MISSING, word_check


@pytest.mark.parametrize("text, values", [
    # a dot before groups of three digits separates thousands, as Arabic news
    # and English translated from it write them
    ("over 120.000 people", ["120000"]),
    ("1.000.000 dollars", ["1000000"]),
    ("1.000,5", ["1000.5"]),
    # ... except one group before a scale word, which is a decimal
    ("7.754 billion dollars", ["7754000000"]),
    ("1.5 million", ["1500000"]),
    ("3.50 percent", ["3.5"]),
    ("1,000 people", ["1000"]),
])
def test_one_reading_of_digits(text, values):
    assert numbers_in(text) == values
    assert numbers_in(text, arabic=True) == values


def test_flags_and_checker_agree_on_a_thousands_dot():
    # "1.000" is one thousand both to the translation flags and to the
    # citation checker, so a brief and its translation cannot disagree.
    assert missing_numbers("حضر 1.000 شخص.", "1.000 people attended.") == []
    assert missing_numbers("حضر 1.000 شخص.", "1,000 people attended.") == []
    assert word_check("1.000 people attended.", "One thousand people attended.")[0] != NUMBERS_MISSING
    assert word_check("1,000 people attended.", "1.000 people attended.")[0] != NUMBERS_MISSING
    assert word_check("1 person attended.", "1.000 people attended.")[0] == NUMBERS_MISSING


def test_arabic_comma_decimal_and_scale_words():
    assert numbers_in("ارتفع بنسبة 2,5 في المئة", arabic=True) == ["2.5"]
    assert numbers_in("12,15 and 3.0") == ["12", "15", "3"]
    # half of a scale is one number; half on its own stays a half
    assert numbers_in("a half-million people and half a billion dollars") == ["500000", "500000000"]
    assert numbers_in("half of them") == ["0.5"]
    assert numbers_in("خسائر بقيمة ٧٫٧٥٤ مليار دولار و٣ آلاف منزل", arabic=True) == ["7754000000", "3000"]
    assert missing_numbers("خسائر بقيمة ٧٫٧٥٤ مليار دولار", "Losses of 7.754 billion dollars") == []


def test_arabic_letter_is_one_definition():
    letter = re.compile(ARABIC_LETTER)
    for ch in "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإئؤةىپچژگک":
        assert letter.fullmatch(ch), ch
    for ch in "٠١٢٣٩،؛؟ـ\u064b\u0650a1 ":
        assert not letter.fullmatch(ch), repr(ch)


@pytest.mark.parametrize("text, article, index, part", [("3.12", 3, 12, None), ("1.4.2", 1, 4, 2)])
def test_sentence_id_round_trip(text, article, index, part):
    sid = SentenceId.parse(text)
    assert (sid.article, sid.index, sid.part) == (article, index, part)
    assert str(sid) == text
    assert article_of(text) == article


@pytest.mark.parametrize("bad", ["3", "a.1", "1.", "1.2.3.4", " 1.2", ""])
def test_sentence_id_rejects_other_text(bad):
    with pytest.raises(ValueError):
        SentenceId.parse(bad)
    assert article_of(bad) == 0


def test_md_escape_shows_markup_as_text():
    assert md_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_escape("[click](javascript:alert(1))") == "\\[click\\](javascript:alert(1))"
    assert md_escape("# not a heading\nsecond line") == "\\# not a heading second line"
    assert md_escape("1. not a list") == "1\\. not a list"


def test_brief_markdown_escapes_article_text():
    hostile = "Officials said <script>alert(1)</script> and [more](javascript:alert(1)) *today*."
    brief = Brief((BriefSentence(hostile, (Citation("1.1", 1),), 1, True, section="single"),), 1,
                  {"sources": [{"id": 1, "file": "a|<b>.txt", "title": "<img src=x onerror=alert(1)>",
                                "sentences": 3}]})
    md = render_text(brief, cite=True, markdown=True)
    assert "<script>" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "&lt;script&gt;" in md and "\\*today\\*" in md
    assert "[1.1]" in md  # the toolkit's own citations stay links-free but readable
    assert "a\\|&lt;b&gt;.txt" in md
    plain = render_text(brief, cite=True)
    assert hostile in plain  # plain text is shown as written
