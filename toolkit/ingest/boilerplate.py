"""Web boilerplate removed from article text by general rules, each
removed line kept with its reason (`Removed`) so nothing disappears
silently."""
from __future__ import annotations

import difflib
import html
import re
from typing import Sequence

from ..records import Removed
from ..text.arabic import ARABIC_LETTER, normalize_arabic
from ..text.memo import memoised
from .language import ARABIC, ARABIC_CHAR, detect_language, script_shares

_LATIN = re.compile("[A-Za-z]")
# Punctuation right after an address ends the sentence that cites it; it is
# not part of the address.
_URL = re.compile(r"(?:https?://|www\.)\S*?(?=[.,;:!?؟،؛)\]\"'»”]*(?:\s|$))", re.I)

# Inline debris: template markers and stray HTML, removed from inside lines.
_INLINE = [
    ("ad-marker", re.compile(r"\[\[[^\[\]\n]{1,200}\]\]")),
    ("html-fragment", re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{0,200})?/?>")),
    # A tag mangled by an Arabic keyboard layout, e.g. "ص>" left from "</p>".
    ("html-fragment", re.compile(r"(?<!\S)(?:</?)?" + ARABIC_LETTER + r"{1,2}/?>(?!\S)")),
    # A news agency's note to its editors closing an updated story: where to
    # pick up the version before, by that paragraph's first words ("Turkey
    # amassed, 4th graf pvs", "The men, pickup 9th pvs", "No member, 5th
    # graf, 1st Ld-Writethru"). Only at the end of a paragraph, after a
    # sentence end: "graf" in small letters is no word of news English.
    ("wire-pickup", re.compile(
        r"(?:^|(?<=[.!?] )|(?<=[.!?][\"'”’] ))[\"“]?[A-Z][^.!?\n]{0,60}?, (?:pickup )?"
        r"(?:\d{1,2}(?:st|nd|rd|th) (?:graf|pvs)(?: pvs)?|graf \d{1,2}(?: pvs)?)"
        r"(?:, [^.!?\n]{0,40}?Writethru)?[ \t]*$")),
]


def _phrases(*items: str) -> re.Pattern[str]:
    """A pattern over normalised text (see normalize_arabic) for any of the
    phrases, which are normalised the same way."""
    return re.compile("|".join(re.escape(normalize_arabic(i).lower()) for i in items))


# Whole-line boilerplate classes, matched on the normalised, lower-cased line.
_READ_ALSO = _phrases("اقرأ أيضا", "اقرأ ايضا", "إقرأ أيضا", "اقرأ المزيد", "اقرا ايضا", "شاهد أيضا",
                      "طالع أيضا", "انظر أيضا", "read also", "read more", "see also", "related:")
# Bare "تابعوا" is also the past tense "they followed": only with a channel.
_FOLLOW_US = _phrases("تابعنا على", "تابعونا على", "تابعوا على", "تابعوا عبر", "تابعوا صفحتنا", "تابعوا قناتنا",
                      "تابعنا عبر", "تابعونا عبر",
                      "follow us", "subscribe to our", "اشترك في", "share this", "share on facebook",
                      "share on twitter", "share on x", "share on whatsapp", "share on linkedin", "share via",
                      "sign up for our", "click here to share")
_COMMENT_FORM = _phrases("اترك تعليقا", "اترك تعليقاً", "أضف تعليقا", "أضف تعليق", "اترك رد",
                         "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها",
                         "الحقول المطلوبة مشار إليها", "leave a comment", "leave a reply",
                         "your email address will not be published", "required fields are marked",
                         "post comment", "إرسال التعليق")
_BACK_TO_TOP = _phrases("زر الذهاب إلى الأعلى", "العودة إلى الأعلى", "الرجوع إلى الأعلى",
                        "العودة للأعلى", "الذهاب إلى الأعلى")
# The English button text must be the whole line: "Liverpool back to top of
# the table" is a headline.
_BACK_TO_TOP_EN = re.compile(r"^\W*(?:back|scroll|go|return) to (?:the )?top(?: of (?:the )?page)?\W*$")
_ATTRIBUTION = _phrases("جميع الحقوق محفوظة", "كل الحقوق محفوظة", "all rights reserved",
                        "بترجمة هذا", "ترجمة هذا الخبر")
# Attribution words also occur in news ("a copyright dispute", "the novel,
# translated by ...", "قانون حقوق النشر"), so they count only at the start
# of a line.
_ATTRIBUTION_START = _phrases("copyright", "translated from", "translated by", "حقوق النشر")
_SENTENCE_END = re.compile(r"[.!?؟…]\s*$")
_COPYRIGHT_SIGN = re.compile(r"^\s*(?:©|\(c\)|ⓒ)", re.I)
# A whole line that only announces an advertisement (English web copy).
_AD_LINE = re.compile(r"^\W*(?:advertisement|sponsored content|story continues below(?: this)? advertisement|"
                      r"article continues below(?: this)? advertisement|continue reading below)\W*$")

# A newspaper's note of where the article ran in print ("A version appeared
# on p1 of the Main section ...", "A version of this article appears in
# print on ... page A1"): about the page, not the story, and its dates are
# no event's.
_PRINT_NOTE = re.compile(r"^\W*(?:a version(?: of this (?:article|story|review|column))?|this (?:article|story)) "
                         r"(?:appears|appeared|was published)(?: in print)? (?:on|in)\b")


# Reasons that a line of a hard-wrapped text can be judged by alone: the
# others (a short link caption, a copyright word, a symbol line) also fit a
# fragment of a wrapped paragraph.
# The header of a reader's comment under a blog post or an article
# ("At 19:48 26th Apr 2009, chriswsm wrote:", "At 1:38 pm on 10 Jun 2010,
# BluesBerry wrote:"; the reader named by one word, their user name).
# Comments come last on a page: from the first header on, the article's
# text is its readers', not its reporters'.
_COMMENT_HEADER = re.compile(r"(?:^|(?<=\s))At \d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?: on)? \d{1,2}(?:st|nd|rd|th)? "
                             r"[A-Z][a-z]{2,8}\.? \d{4}, ?[^\s,:]{1,40} wrote:")
_LINE_ALONE = {"read-also", "follow-us", "ad-marker", "back-to-top"}


def is_boilerplate_line(line: str) -> bool:
    """Whether a line is announced boilerplate ("read also:", "follow us
    on", an advertisement marker) wherever it stands."""
    return _line_reason(line.strip(), False) in _LINE_ALONE


# Lines judged and kept: the unwrapping step asks of each line
# (`is_boilerplate_line`) what cleaning asks again of the same line.
@memoised(4096)
def _line_reason(line: str, arabic_article: bool) -> str | None:
    """Why a whole line is boilerplate, or None when it is content."""
    key = normalize_arabic(line).lower()
    words = key.split()
    has_url = bool(_URL.search(line))
    prose_words = len(_URL.sub(" ", key).split())
    # A sentence that merely cites a web address is news; a line that is
    # (almost) only a link, a list of links, or a short link caption without
    # a sentence end, is not.
    links = len(_URL.findall(line)) if has_url else 0
    if has_url and (prose_words <= 3 * links or (prose_words <= 10 and not _SENTENCE_END.search(line))):
        if _READ_ALSO.search(key):
            return "read-also"
        if _FOLLOW_US.search(key):
            return "follow-us"
        return "link"
    if len(words) <= 12 and _READ_ALSO.match(key):
        return "read-also"
    if len(words) <= 14 and _FOLLOW_US.match(key):
        return "follow-us"
    if len(words) <= 25 and _COMMENT_FORM.search(key):
        return "comment-form"
    if (len(words) <= 8 and _BACK_TO_TOP.search(key)) or _BACK_TO_TOP_EN.match(key):
        return "back-to-top"
    if _COPYRIGHT_SIGN.match(line) or (len(words) <= 30 and (_ATTRIBUTION.search(key)
                                                            or _ATTRIBUTION_START.match(key))):
        return "attribution"
    if _AD_LINE.match(key):
        return "ad-marker"
    if _PRINT_NOTE.match(key):
        return "print-note"
    if arabic_article and _is_slogan(line):
        return "latin-slogan"
    if not any(c.isalnum() for c in line):
        return "symbols-only"
    return None



class _ParagraphIndex:
    """Finds exact and near-exact repeats of earlier paragraphs in linear
    time: a near-exact copy shares its opening or its closing words with the
    original, so only those candidates are compared character by character.
    Paragraphs whose numbers differ are never duplicates (a changed figure is
    news, not a copy-paste slip)."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.by_edge: dict[tuple[str, str], list[tuple[str, list[str]]]] = {}

    @staticmethod
    def _edges(key: str) -> list[tuple[str, str]]:
        words = key.split()
        return [("head", " ".join(words[:6])), ("tail", " ".join(words[-6:]))]

    def seen(self, key: str) -> bool:
        # Short lines (headings, datelines) legitimately repeat; paragraphs do not.
        if len(key) < 40:
            return False
        if key in self.exact:
            return True
        digits = re.findall(r"\d+", key)
        for edge in self._edges(key):
            for other, other_digits in self.by_edge.get(edge, ()):
                if other_digits != digits:
                    continue
                m = difflib.SequenceMatcher(None, key, other, autojunk=False)
                if m.real_quick_ratio() >= 0.95 and m.quick_ratio() >= 0.95 and m.ratio() >= 0.95:
                    return True
        return False

    def add(self, key: str) -> None:
        if len(key) < 40:
            return
        self.exact.add(key)
        digits = re.findall(r"\d+", key)
        for edge in self._edges(key):
            bucket = self.by_edge.setdefault(edge, [])
            if len(bucket) < 50:
                bucket.append((key, digits))



def clean(text: str, language: str | None = None) -> tuple[str, list[Removed], list[str]]:
    """Remove boilerplate; return (cleaned text, removed, warnings).
    `language` ("ar" or "en") chooses the rules; None detects it."""
    cleaned, removed, warnings, _ = clean_article(text, language)
    return cleaned, removed, warnings


def clean_article(text: str, language: str | None = None, *,
                  line_numbers: Sequence[int] | None = None) -> tuple[str, list[Removed], list[str], str]:
    """`clean`, also returning the article's language ("ar" or "en"): the
    one given, else the one detected on the cleaned text. `line_numbers`:
    the input line each line of `text` comes from, when `text` was rebuilt
    from the input (unwrapped paragraphs); removed lines are reported by it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = html.unescape(text) if "&" in text else text
    raw_lines = text.split("\n")
    if language is not None:
        cleaned, removed, _ = _clean_lines(raw_lines, line_numbers, arabic_article=language == ARABIC)
        return cleaned, removed, [], language
    # The only language-dependent rule, latin-slogan, removes Latin lines
    # from Arabic articles and so can only confirm an Arabic verdict: detect
    # on the text cleaned without it, then apply it when the article is
    # Arabic and some kept line is such a slogan.
    cleaned, removed, slogans = _clean_lines(raw_lines, line_numbers, arabic_article=False)
    detected = detect_language(cleaned)
    warnings = []
    if detected == ARABIC and slogans:
        cleaned, removed, _ = _clean_lines(raw_lines, line_numbers, arabic_article=True)
    elif detected is None and script_shares(cleaned)[0]:
        warnings.append("little or no Arabic or English text: is this an Arabic or English article? "
                        "(processed as Arabic)")
    return cleaned, removed, warnings, detected or ARABIC


def _is_slogan(line: str) -> bool:
    return len(line.split()) <= 8 and not ARABIC_CHAR.search(line) and bool(_LATIN.search(line))


def _clean_lines(raw_lines: list[str], line_numbers: Sequence[int] | None, *,
                 arabic_article: bool) -> tuple[str, list[Removed], bool]:
    """(cleaned text, removed, whether a kept line would be a latin-slogan
    in an Arabic article)."""
    slogans = False
    removed: list[Removed] = []
    kept: list[str] = []
    paragraphs = _ParagraphIndex()
    numbers = line_numbers if line_numbers is not None else range(1, len(raw_lines) + 1)
    comments = False
    for number, line in zip(numbers, raw_lines):
        for reason, pattern in _INLINE:
            for m in pattern.finditer(line):
                removed.append(Removed(number, m.group(0), reason))
            line = pattern.sub(" ", line)
        line = re.sub(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+", " ", line).strip()
        if not line:
            continue
        header = None if comments else _COMMENT_HEADER.search(line)
        if comments or header is not None:
            start = header.start() if header is not None else 0
            removed.append(Removed(number, line[start:], "reader-comment"))
            comments, line = True, line[:start].strip()
            if not line:
                continue
        reason = _line_reason(line, arabic_article)
        if reason:
            removed.append(Removed(number, line, reason))
            continue
        key = normalize_arabic(re.sub(r"[^\w\s]", "", line)).lower()
        if paragraphs.seen(key):
            removed.append(Removed(number, line, "duplicate-paragraph"))
            continue
        paragraphs.add(key)
        kept.append(line)
        slogans = slogans or _is_slogan(line)
    removed.sort(key=lambda r: r.line)
    return "\n".join(kept), removed, slogans
