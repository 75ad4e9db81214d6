"""One article from its bytes, and articles from paths: decode, reduce
HTML to its body, clean, detect the language and date, segment."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..errors import InputError
from ..records import Article, Removed
from ..text.dates import article_published
from ..text.ptb import detokenize, is_tokenized, wire_quotes
from ..text.segment import DEFAULT_MAX_TOKENS, segment
from ..text.unwrap import unwrap
from .boilerplate import clean_article, is_boilerplate_line
from .cache import article_key, cached_article, open_cache
from .decoding import decode_with_warnings
from .language import AUTO, LANGUAGES, SCRIPT_LANGUAGES, written_language
from .markup import html_to_text, looks_like_html
from .paths import STDIN, STDIN_NAME, expand_paths, read_bytes

HTML_SUFFIXES = {".html", ".htm"}


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
    markup = None
    if fmt == "html":
        markup = text
        text, removed = html_to_text(text, source)
    published, date_notes = article_published(text, markup, source)
    text, line_numbers, reading = (text, None, []) if fmt == "html" else read_layout(text)
    cleaned, more, warnings, lang = clean_article(text, None if language == AUTO else language,
                                                  line_numbers=line_numbers)
    # Latin script is not English: a French article passed through as
    # English would be printed untranslated in an English brief; Arabic
    # script may be Persian or Urdu, which an Arabic model cannot translate.
    # Each is segmented by its script's rules all the same.
    written = written_language(cleaned, lang) if language == AUTO and lang in SCRIPT_LANGUAGES else lang
    warnings = decode_warnings + warnings + date_notes
    removed.extend(more)
    sentences = segment(cleaned, number, max_tokens=max_tokens or DEFAULT_MAX_TOKENS, language=lang)
    if not sentences:
        warnings.append("no sentences left after removing boilerplate")
    return Article(number=number, source=source, text=cleaned, sentences=sentences,
                   removed=tuple(removed), encoding=encoding, fmt=fmt, warnings=tuple(warnings), language=written,
                   published=published, reading=tuple(reading))


def read_layout(text: str) -> tuple[str, list[int], list[str]]:
    """Plain text as one paragraph per line of ordinary text: hard-wrapped
    lines joined into paragraphs, e-mail quoting removed, Penn Treebank
    tokens read back (`toolkit.text.unwrap`, `toolkit.text.ptb`). Returns
    the text, the input line each of its lines starts on, and notes saying
    what was done."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    layout = unwrap(text, apart=is_boilerplate_line)
    notes = []
    if layout.quoted:
        notes.append(f"removed e-mail quoting (>) from {layout.quoted} lines")
    if layout.paragraphs:
        notes.append(f"unwrapped {layout.joined} lines into {layout.paragraphs} paragraphs "
                     f"(hard-wrapped at {layout.width} columns)")
    text = layout.text
    if is_tokenized(text):
        text = detokenize(text)
        notes.append("detokenized (Penn Treebank tokens such as -LRB- `` n't read as ordinary text)")
    else:
        text, quotes = wire_quotes(text)
        if quotes:
            notes.append(f"read {quotes} wire quotation marks (`` and '') as \"")
    return text, list(layout.lines), notes


def load_articles(paths: Sequence[str], *, stdin: bytes | None = None,
                  max_tokens: int | None = None, language: str = AUTO,
                  progress: Callable[[int, int], None] | None = None,
                  cache_dir: Path | None = None, use_cache: bool = True) -> list[Article]:
    """Articles numbered from 1 in the order given (directories sorted);
    `language` as in `parse`, for every article; `progress(done, total)`
    is called as files are read. With `use_cache`, a file read before with
    the same bytes, name and options is taken from the article cache under
    `cache_dir` (default: the toolkit's; `toolkit.ingest.cache`)."""
    files = expand_paths(paths)
    if not files:
        raise InputError("no articles given")
    sources = [STDIN_NAME if path == STDIN else path for path in files]
    data = [read_bytes(path, stdin) for path in files]
    keys = [article_key(d, s, (max_tokens, language)) for d, s in zip(data, sources)]
    cache = open_cache(cache_dir) if use_cache else None
    found = cache.lookup(keys) if cache is not None else {}
    articles, new = [], {}
    # Reading and cleaning hundreds of files takes seconds.
    if progress is not None:
        progress(0, len(files))
    for number, (source, raw, key) in enumerate(zip(sources, data, keys), 1):
        article = cached_article(found.get(key), number)
        if article is None:
            article = new[key] = parse(raw, source, number, max_tokens=max_tokens, language=language)
        articles.append(article)
        if progress is not None:
            progress(number, len(files))
    if cache is not None:
        cache.write(new)
    return articles

