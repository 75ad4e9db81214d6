"""Reading articles: bytes → text → cleaned article → sentences.

Decoding accepts UTF-8 (with or without BOM), UTF-16 with BOM and
Windows-1256. HTML is reduced to the article body with trafilatura. Web
boilerplate in text is removed by general rules (see `BOILERPLATE`), and
every removed line is kept in `Article.removed` with its reason so nothing
disappears silently. Each article's language (Arabic, to be translated, or
English, passed through) is detected from its script (`detect_language`).
"""
from __future__ import annotations

from .boilerplate import clean, clean_article
from .decoding import decode, decode_with_warnings
from .language import AR_MIN_ARABIC, ARABIC, AUTO, EN_MIN_LATIN, ENGLISH, LANGUAGES, detect_language, script_shares
from .markup import html_to_text, looks_like_html
from .paths import ARTICLE_SUFFIXES, STDIN, STDIN_NAME, expand_paths, read_bytes
from .reader import HTML_SUFFIXES, load_articles, parse

__all__ = [
    "AR_MIN_ARABIC", "ARABIC", "ARTICLE_SUFFIXES", "AUTO", "EN_MIN_LATIN", "ENGLISH", "HTML_SUFFIXES", "LANGUAGES",
    "STDIN", "STDIN_NAME", "clean", "clean_article", "decode", "decode_with_warnings", "detect_language",
    "expand_paths", "html_to_text", "load_articles", "looks_like_html", "parse", "read_bytes", "script_shares",
]
