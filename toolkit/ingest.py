"""Reading articles: bytes → text → cleaned article → sentences.

Decoding accepts UTF-8 (with or without BOM), UTF-16 with BOM and
Windows-1256. HTML is reduced to the article body with trafilatura. Web
boilerplate in text is removed by general rules (see `BOILERPLATE`), and
every removed line is kept in `Article.removed` with its reason so nothing
disappears silently. Each article's language (Arabic, to be translated, or
English, passed through) is detected from its script (`detect_language`).
"""
from __future__ import annotations

import codecs
import difflib
import html
import os
import re
import stat
import sys
import threading
from pathlib import Path
from typing import Iterable, Sequence

from .errors import InputError
from .fileio import MIB, read_bounded, read_file_bounded
from .records import Article, Removed
from .text.arabic import ARABIC_LETTER, ARABIC_SCRIPT, normalize_arabic
from .text.mojibake import repair_mojibake
from .text.segment import DEFAULT_MAX_TOKENS, segment

STDIN = "-"
STDIN_NAME = "<stdin>"
ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ""}
HTML_SUFFIXES = {".html", ".htm"}

_ARABIC = re.compile(ARABIC_SCRIPT)
_LATIN = re.compile("[A-Za-z]")
# Punctuation right after an address ends the sentence that cites it; it is
# not part of the address.
_URL = re.compile(r"(?:https?://|www\.)\S*?(?=[.,;:!?؟،؛)\]\"'»”]*(?:\s|$))", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Terminal escape sequences (CSI, OSC, other ESC sequences) and the control
# characters left after them: never article text, and harmful when echoed to
# a terminal. Vertical tab and form feed are line breaks in word-processor
# exports and become newlines.
_ESCAPE_SEQ = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Bytes that are not valid UTF-8 are replaced (with a warning) only when the
# file is clearly UTF-8 otherwise: more valid multi-byte characters than bad
# bytes. Windows-1256 Arabic almost never forms valid multi-byte sequences.
_MAX_REPORTED_BYTES = 5
_NON_ASCII = re.compile("[^\x00-\x7f]")


ARABIC, ENGLISH, AUTO = "ar", "en", "auto"
LANGUAGES = (AUTO, ARABIC, ENGLISH)
# Shares of the letters in the cleaned text. An article is English when at
# least EN_MIN_LATIN of its letters are Latin, else Arabic when at least
# AR_MIN_ARABIC are Arabic; anything else (another script, or an even mix)
# is processed as Arabic with a warning. Arabic script leaves most vowels
# unwritten, so the same content takes fewer Arabic letters than Latin ones:
# an Arabic article quoting English names, titles or even whole sentences
# keeps far more than 30% Arabic letters, and English wire copy quoting an
# Arabic name or slogan in Arabic script keeps far more than 70% Latin ones
# (measured margins in README, "English sources").
EN_MIN_LATIN = 0.7
AR_MIN_ARABIC = 0.3
_LATIN_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

# Inline debris: template markers and stray HTML, removed from inside lines.
_INLINE = [
    ("ad-marker", re.compile(r"\[\[[^\[\]\n]{1,200}\]\]")),
    ("html-fragment", re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{0,200})?/?>")),
    # A tag mangled by an Arabic keyboard layout, e.g. "ص>" left from "</p>".
    ("html-fragment", re.compile(r"(?<!\S)(?:</?)?" + ARABIC_LETTER + r"{1,2}/?>(?!\S)")),
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
    if arabic_article and _is_slogan(line):
        return "latin-slogan"
    if not any(c.isalnum() for c in line):
        return "symbols-only"
    return None


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Bytes → (text, encoding name). Raises InputError naming `source`."""
    text, encoding, _ = decode_with_warnings(data, source)
    return text, encoding


_bad_bytes = threading.local()


def _record_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _bad_bytes.positions.extend(range(exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("toolkit-record-bad-bytes", _record_bad_bytes)


def _utf8_with_replacements(data: bytes) -> tuple[str, list[int]]:
    """Decode UTF-8 in one linear pass, replacing each invalid byte with
    U+FFFD; also the byte offsets that were replaced."""
    _bad_bytes.positions = []
    try:
        text = data.decode("utf-8", "toolkit-record-bad-bytes")
        return text, _bad_bytes.positions
    finally:
        _bad_bytes.positions = []


def _neutralise_controls(text: str) -> tuple[str, list[str]]:
    warnings = []
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    escapes = len(_ESCAPE_SEQ.findall(text))
    if escapes:
        text = _ESCAPE_SEQ.sub("", text)
    controls = len(_STRAY_CONTROL.findall(text))
    if controls:
        text = _STRAY_CONTROL.sub("", text)
    if escapes or controls:
        warnings.append(f"removed {escapes} terminal escape sequence(s) and {controls} control character(s)")
    return text, warnings


def decode_with_warnings(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Bytes → (text, encoding name, warnings). UTF-8 with a few invalid
    bytes is decoded with those bytes replaced (the warning gives their
    offsets); terminal escapes and control characters are removed with a
    warning. Raises InputError naming `source` for binary or undecodable
    data."""
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04") or data.startswith(b"\x7fELF"):
        raise InputError("binary file (PDF, archive or program), not an article; give the text or HTML", source)
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise InputError("cannot decode: binary data (NUL bytes), not UTF-8, UTF-16 with BOM "
                             "or Windows-1256 text", source)
        candidates = ["utf-8", "cp1256"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8-sig" or (encoding == "utf-8" and _mostly_utf8(data)):
                text, bad = _utf8_with_replacements(data[3:] if encoding == "utf-8-sig" else data)
                shown = ", ".join(str(b) for b in bad[:_MAX_REPORTED_BYTES])
                more = f" and {len(bad) - _MAX_REPORTED_BYTES} more" if len(bad) > _MAX_REPORTED_BYTES else ""
                warnings.append(f"{len(bad)} byte(s) are not valid UTF-8 and were replaced by U+FFFD "
                                f"(byte offset(s) {shown}{more})")
            else:
                continue
        if encoding == "cp1256":
            if _CONTROL.search(text):
                continue  # control bytes: binary, not a Windows-1256 article
            if not _mostly_arabic(text):
                continue  # high bytes that are not Arabic: some other code page
        if "\x00" in text:
            raise InputError("cannot decode: binary data (NUL characters)", source)
        if encoding != "cp1256":
            # Before the controls go: mis-decoded UTF-8 holds C1 controls
            # that are half of its Arabic letters.
            text, note = repair_mojibake(text)
            if note:
                warnings.append(note)
        text, more = _neutralise_controls(text)
        return text, encoding, warnings + more
    raise InputError("cannot decode: not UTF-8, UTF-16 with BOM or Windows-1256 text", source)


def _mostly_arabic(text: str) -> bool:
    """Whether the non-ASCII characters of a Windows-1256 decoding are
    mostly Arabic: text in another 8-bit code page (Shift-JIS, Latin-1)
    decodes to a scatter of Arabic letters among symbols and accents."""
    high = len(_NON_ASCII.findall(text))
    return high > 0 and len(_ARABIC.findall(text)) >= 0.6 * high


def _mostly_utf8(data: bytes) -> bool:
    chunk = data[:1 * MIB]
    valid = chunk.decode("utf-8", "ignore")
    bad = len(chunk) - len(valid.encode("utf-8"))  # bytes the decoder had to skip
    return bad == 0 or len(_NON_ASCII.findall(valid)) > bad


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"</?(?:p|div|body|article|span|br|h[1-6])\b", text[:20000], re.I)) >= 3


def html_to_text(markup: str, source: str) -> tuple[str, list[Removed]]:
    """Article body of an HTML page via trafilatura; visible text lines it
    left out are reported as removed."""
    import trafilatura

    body = trafilatura.extract(markup, include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=False)
    if not body or not body.strip():
        raise InputError("no article text found in this HTML page", source)
    removed: list[Removed] = []
    try:
        import lxml.html

        root = lxml.html.fromstring(markup)
        for bad in root.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
        kept = normalize_arabic(body)
        seen: set[str] = set()
        for raw in root.itertext():
            line = " ".join(raw.split())
            key = normalize_arabic(line)
            if line and key not in seen and key not in kept:
                seen.add(key)
                removed.append(Removed(0, line, "html-boilerplate"))
    except Exception:  # noqa: BLE001 - the report of removed lines is best effort, the body is not
        removed.append(Removed(0, "(page text outside the article body)", "html-boilerplate"))
    return body, removed


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


def script_shares(text: str) -> tuple[int, float, float]:
    """(letters, Arabic share, Latin share) of the letters in `text`."""
    letters = arabic = latin = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if _ARABIC.match(c):
                arabic += 1
            elif _LATIN_SCRIPT.match(c):
                latin += 1
    if not letters:
        return 0, 0.0, 0.0
    return letters, arabic / letters, latin / letters


def detect_language(text: str) -> str | None:
    """"en" when the letters are mostly Latin, "ar" when enough are Arabic,
    None for neither (another script, an even mix, or no letters)."""
    letters, arabic, latin = script_shares(text)
    if letters and latin >= EN_MIN_LATIN:
        return ENGLISH
    if letters and arabic >= AR_MIN_ARABIC:
        return ARABIC
    return None


def clean(text: str, language: str | None = None) -> tuple[str, list[Removed], list[str]]:
    """Remove boilerplate; return (cleaned text, removed, warnings).
    `language` ("ar" or "en") chooses the rules; None detects it."""
    cleaned, removed, warnings, _ = clean_article(text, language)
    return cleaned, removed, warnings


def clean_article(text: str, language: str | None = None) -> tuple[str, list[Removed], list[str], str]:
    """`clean`, also returning the article's language ("ar" or "en"): the
    one given, else the one detected on the cleaned text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = html.unescape(text) if "&" in text else text
    raw_lines = text.split("\n")
    if language is not None:
        cleaned, removed, _ = _clean_lines(raw_lines, arabic_article=language == ARABIC)
        return cleaned, removed, [], language
    # The only language-dependent rule, latin-slogan, removes Latin lines
    # from Arabic articles and so can only confirm an Arabic verdict: detect
    # on the text cleaned without it, then apply it when the article is
    # Arabic and some kept line is such a slogan.
    cleaned, removed, slogans = _clean_lines(raw_lines, arabic_article=False)
    detected = detect_language(cleaned)
    warnings = []
    if detected == ARABIC and slogans:
        cleaned, removed, _ = _clean_lines(raw_lines, arabic_article=True)
    elif detected is None and script_shares(cleaned)[0]:
        warnings.append("little or no Arabic or English text: is this an Arabic or English article? "
                        "(processed as Arabic)")
    return cleaned, removed, warnings, detected or ARABIC


def _is_slogan(line: str) -> bool:
    return len(line.split()) <= 8 and not _ARABIC.search(line) and bool(_LATIN.search(line))


def _clean_lines(raw_lines: list[str], *, arabic_article: bool) -> tuple[str, list[Removed], bool]:
    """(cleaned text, removed, whether a kept line would be a latin-slogan
    in an Arabic article)."""
    slogans = False
    removed: list[Removed] = []
    kept: list[str] = []
    paragraphs = _ParagraphIndex()
    for number, line in enumerate(raw_lines, 1):
        for reason, pattern in _INLINE:
            for m in pattern.finditer(line):
                removed.append(Removed(number, m.group(0), reason))
            line = pattern.sub(" ", line)
        line = re.sub(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+", " ", line).strip()
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


def parse(data: bytes, source: str, number: int, *, max_tokens: int | None = None,
          fmt: str | None = None, language: str = AUTO) -> Article:
    """One article from raw bytes. `language`: "auto" (detected from the
    script), "ar" or "en"."""
    if language not in LANGUAGES:
        raise InputError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if not data.strip():
        raise InputError("empty article (no text)", source)
    text, encoding, decode_warnings = decode_with_warnings(data, source)
    if not text.strip():
        raise InputError("empty article (whitespace only)", source)
    if fmt is None:
        fmt = "html" if Path(source).suffix.lower() in HTML_SUFFIXES or looks_like_html(text) else "text"
    removed: list[Removed] = []
    if fmt == "html":
        text, removed = html_to_text(text, source)
    cleaned, more, warnings, lang = clean_article(text, None if language == AUTO else language)
    warnings = decode_warnings + warnings
    removed.extend(more)
    sentences = segment(cleaned, number, max_tokens=max_tokens or DEFAULT_MAX_TOKENS, language=lang)
    if not sentences:
        warnings.append("no sentences left after removing boilerplate")
    return Article(number=number, source=source, text=cleaned, sentences=sentences,
                   removed=tuple(removed), encoding=encoding, fmt=fmt, warnings=tuple(warnings), language=lang)


def _stat(p: str) -> os.stat_result | None:
    try:
        return os.stat(p)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise InputError(f"cannot access ({exc.strerror})", p) from None


def _readable_kind(mode: int) -> bool:
    # Pipes and character devices: process substitution (<(cmd)) and /dev/stdin.
    return stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; directories replaced by their article files, sorted."""
    out: list[str] = []
    for p in paths:
        if p == STDIN:
            out.append(p)
            continue
        st = _stat(p)
        if st is None:
            raise InputError("no such file or directory", p)
        if stat.S_ISDIR(st.st_mode):
            try:
                entries = list(Path(p).iterdir())
            except OSError as exc:
                raise InputError(f"cannot read directory ({exc.strerror})", p) from None
            files = sorted(f for f in entries
                           if not f.name.startswith(".") and f.suffix.lower() in ARTICLE_SUFFIXES and _is_file(f))
            if not files:
                raise InputError("directory holds no article files (.txt, .html, .htm, .md)", p)
            out.extend(str(f) for f in files)
        elif _readable_kind(st.st_mode):
            out.append(p)
        else:
            raise InputError("not a regular file, pipe or directory", p)
    if out.count(STDIN) > 1:
        raise InputError("standard input ('-') can be given only once", STDIN_NAME)
    return out


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def read_bytes(path: str, stdin: bytes | None = None) -> bytes:
    if path == STDIN:
        return stdin if stdin is not None else read_bounded(sys.stdin.buffer, STDIN_NAME)
    return read_file_bounded(path)


def load_articles(paths: Sequence[str], *, stdin: bytes | None = None,
                  max_tokens: int | None = None, language: str = AUTO) -> list[Article]:
    """Articles numbered from 1 in the order given (directories sorted);
    `language` as in `parse`, for every article."""
    files = expand_paths(paths)
    if not files:
        raise InputError("no articles given")
    articles = []
    for number, path in enumerate(files, 1):
        source = STDIN_NAME if path == STDIN else path
        articles.append(parse(read_bytes(path, stdin), source, number, max_tokens=max_tokens, language=language))
    return articles
