"""For each reason a line is removed as boilerplate, news that resembles it
and must stay: a rule may remove only what it names."""
from __future__ import annotations

import pytest

from toolkit.ingest import clean

BEFORE = "وصل وزير الخارجية إلى المدينة صباح اليوم في زيارة رسمية تستمر يومين.\n"
AFTER = "وانتهت الزيارة مساء اليوم نفسه بمؤتمر صحفي مشترك.\n"


@pytest.mark.parametrize("reason, line", [
    ("link", "وقال المتحدث إن البيان الكامل منشور على الموقع الرسمي للوزارة https://www.mofa.example/statement."),
    ("link", "ونشرت الوزارة النص على https://www.mofa.example/statement، وقالت إنه نهائي."),
    ("link", "وأكد الموقع (www.mofa.example) أن الوثائق ستنشر كاملة الأسبوع المقبل."),
    ("read-also", "اقرأ أيضا ما كتبه المراقبون في تقاريرهم عن الانتخابات السابقة قبل أن تحكم على نتائج هذا العام."),
    ("follow-us", "تابعوا سيرهم نحو الحدود رغم الأمطار الغزيرة."),
    ("follow-us", "وقالت إن المحققين تابعوا على مدى أشهر تحركات المشتبه بهم."),
    ("comment-form", "وقال المزارعون إن الحقول المطلوبة للزراعة لم تعد متوفرة."),
    ("comment-form", "ورفض النائب أن يضيف تعليقا على قرار المحكمة."),
    ("back-to-top", "وتوقع المحللون العودة إلى الأعلى في أسعار النفط قريبا."),
    ("attribution", "وناقش البرلمان مشروع قانون حقوق النشر الجديد."),
    ("attribution", "وقال الكاتب إن جميع الحقوق محفوظة للمؤلفين بموجب القانون الجديد الذي أقره البرلمان أمس بعد نقاش طويل "
                    "استمر أكثر من ثلاثة أشهر وشارك فيه عشرات النواب والخبراء من مختلف الاتجاهات السياسية في البلاد."),
    ("ad-marker", "[ملاحظة المحرر: تم تحديث الخبر]"),
    ("html-fragment", "وقال إن النسبة 3 < 5 في المئة وإن الفارق > 2 نقطة."),
    ("latin-slogan", "وقال المتحدث بالإنجليزية: We will rebuild every school in the region."),
    ("symbols-only", "2024"),
    ("duplicate-paragraph", "وارتفع عدد القتلى إلى 20 شخصا بحسب وزارة الصحة."),
    ("print-note", "A version of the bill appeared in the Senate on Monday."),
    ("print-note", "The article appeared on the front page of the Times on Monday."),
    ("wire-pickup", "The champion Steffi Graf, 4th seed, won the final in three sets."),
    ("reader-comment", "At 10:02 am on 20 Apr 2010, the rig's captain wrote: we have lost the well."),
    ("reader-comment", "In a column, the former Cuban leader wrote: the authorities did not inform the world."),
    ("wire-pickup", "The editors met at the paper, 3rd floor, on Monday."),
])
def test_news_that_resembles_boilerplate_is_kept(reason, line):
    other = "وارتفع عدد القتلى إلى 15 شخصا بحسب وزارة الصحة.\n" if reason == "duplicate-paragraph" else ""
    text = BEFORE + other + line + "\n" + AFTER
    cleaned, removed, _ = clean(text)
    assert [(r.reason, r.text) for r in removed] == []
    assert line in cleaned.split("\n")


@pytest.mark.parametrize("line", [
    "https://www.mofa.example/statement",
    "https://a.example/1 https://b.example/2 https://c.example/3",
    "فيسبوك: https://facebook.com/x تويتر: https://twitter.com/x",
    "رابط الخبر: https://news.example/a/b.",
])
def test_bare_links_and_link_lists_go(line):
    cleaned, removed, _ = clean(BEFORE + line + "\n" + AFTER)
    assert [r.reason for r in removed] == ["link"]
    assert line not in cleaned


EN_BEFORE = "The minister arrived in the city on Monday for a two-day visit.\n"


@pytest.mark.parametrize("line", [
    "A version appeared on p1 of the Main section section of the Guardian on 01.22 BST on Saturday 1 May 2010",
    "A version of this article appears in print on June 9, 2010, on page A1 of the New York edition.",
    "This article appeared in the Observer on Sunday 2 May 2010.",
])
def test_a_note_of_where_the_article_ran_in_print_goes(line):
    cleaned, removed, _ = clean(EN_BEFORE + line + "\nTalks on the new border crossing ended without a deal.\n", "en")
    assert [r.reason for r in removed] == ["print-note"]
    assert line not in cleaned


@pytest.mark.parametrize("tail, note", [
    (" Turkey amassed, 4th graf pvs", "Turkey amassed, 4th graf pvs"),
    (" The men, pickup 9th pvs", "The men, pickup 9th pvs"),
    (' "No member, 5th graf, 1st Ld-Writethru', '"No member, 5th graf, 1st Ld-Writethru'),
    (" The building, graf 5 pvs", "The building, graf 5 pvs"),
])
def test_a_wire_note_to_pick_up_a_paragraph_goes_and_the_sentence_before_stays(tail, note):
    line = "The talks ended without a deal, the ministry said." + tail
    cleaned, removed, _ = clean(EN_BEFORE + line + "\n", "en")
    assert [(r.reason, r.text) for r in removed] == [("wire-pickup", note)]
    assert cleaned.split("\n")[-1] == "The talks ended without a deal, the ministry said."


def test_readers_comments_go_from_the_first_comment_on():
    post = ("Officials said the first cases were confirmed on Friday. At 19:48 26th Apr 2009, chriswsm wrote: "
            "Diseases like this come and go.\nIt is all hype.\nAt 1:38 pm on 10 Jun 2010, Brian_NE37 wrote: Agreed.\n")
    cleaned, removed, _ = clean(EN_BEFORE + post, "en")
    assert cleaned.split("\n") == [EN_BEFORE.strip(), "Officials said the first cases were confirmed on Friday."]
    assert [(r.reason, r.text) for r in removed] == [
        ("reader-comment", "At 19:48 26th Apr 2009, chriswsm wrote: Diseases like this come and go."),
        ("reader-comment", "It is all hype."),
        ("reader-comment", "At 1:38 pm on 10 Jun 2010, Brian_NE37 wrote: Agreed.")]
