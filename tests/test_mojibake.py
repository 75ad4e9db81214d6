"""Arabic decoded with the wrong code page and saved again is repaired when
the repair is unambiguous, and warned about otherwise."""
from __future__ import annotations

import pytest

from toolkit.ingest import parse
from toolkit.text.mojibake import repair_mojibake

ARABIC = ("وقال المتحدث إن البيان الكامل منشور على الموقع الرسمي للوزارة.\n"
          "وأضاف أن المحادثات ستستأنف الأسبوع المقبل في العاصمة، بحضور 12 وفدا.\n")


def misread(text: str, written: str, read_as: str) -> str:
    data = text.encode(written)
    if read_as == "latin-1":
        return data.decode("latin-1")
    # Windows-1252 leaves five bytes undefined; lenient readers pass them through.
    return "".join(chr(b) if read_as == "cp1252" and b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode(read_as)
                   for b in data)


@pytest.mark.parametrize("written, read_as", [
    ("utf-8", "latin-1"), ("utf-8", "cp1252"), ("cp1256", "latin-1"), ("cp1256", "cp1252"), ("utf-8", "cp1256"),
])
def test_each_common_misreading_is_repaired(written, read_as):
    broken = misread(ARABIC, written, read_as)
    assert broken != ARABIC
    fixed, warning = repair_mojibake(broken)
    assert fixed == ARABIC
    assert warning and "repaired mis-decoded Arabic" in warning


def test_an_article_file_of_mojibake_is_read_as_the_arabic_it_was():
    data = misread(ARABIC, "utf-8", "latin-1").encode("utf-8")
    article = parse(data, "mojibake.txt", 1)
    assert article.text == ARABIC.strip() and article.language == "ar"
    assert [s.text for s in article.sentences] == ARABIC.strip().split("\n")
    assert any("repaired mis-decoded Arabic" in w for w in article.warnings)
    assert not any("control character" in w for w in article.warnings)


def test_text_that_only_looks_misread_is_warned_about_not_changed():
    # Half the mis-decoded text was lost: no strict decoding gives Arabic.
    broken = misread(ARABIC, "utf-8", "latin-1")[1::2] * 3
    fixed, warning = repair_mojibake(broken)
    assert fixed == broken
    assert warning and "likely Arabic decoded with the wrong encoding" in warning


@pytest.mark.parametrize("text", [
    ARABIC,
    "The minister arrived in the capital on Monday for talks.\n",
    "Le ministre est arrivé à la capitale lundi pour des négociations élargies.\n",
    "Þórður og Ásgeir fóru til Reykjavíkur á mánudaginn.\n",
    "وقال إن الظروف الحالية تفرض على الجميع الحذر واليقظة في المرحلة المقبلة.\n",
])
def test_real_text_is_left_alone(text):
    assert repair_mojibake(text) == (text, None)
