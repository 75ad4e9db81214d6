"""The bilingual verification report: one self-contained HTML file (or a
Markdown export of the same content) that puts a brief next to the evidence.

Everything that comes from an article, a translation, a file name or a
manifest is untrusted and passes through `html._esc` (HTML) or `toolkit.text.markdown.md_escape` (Markdown)
exactly once, at the point where it is written out. The HTML page also
carries a Content-Security-Policy that forbids every network request and
allows only the page's own script (by hash), so an escaping mistake still
could not load or run anything.

Modules: `model` (what a report holds, `build_report`), `html`, `markdown`;
``assets/`` holds the page's style sheet and script.
"""
from __future__ import annotations

from typing import Callable

from ..errors import InputError
from .model import ARABIC_FONTS, LATIN_FONTS, Report, ScoreGroup, build_report, manifest_json, reference_scores
from .html import CSP, render_html
from .markdown import render_markdown


# Registry of output formats, so the CLI's choices come from here.
FORMATS: dict[str, Callable[[Report], str]] = {"html": render_html, "md": render_markdown}
DEFAULT_FORMAT = "html"


def render(report: Report, fmt: str = DEFAULT_FORMAT) -> str:
    try:
        return FORMATS[fmt](report)
    except KeyError:
        raise InputError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


__all__ = ["build_report", "render", "render_html", "render_markdown", "Report", "ScoreGroup", "reference_scores",
           "manifest_json", "FORMATS", "DEFAULT_FORMAT", "CSP", "ARABIC_FONTS", "LATIN_FONTS"]
