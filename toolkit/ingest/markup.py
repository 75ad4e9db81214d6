"""HTML pages reduced to the article body."""
from __future__ import annotations

import re

from ..errors import InputError
from ..records import Removed
from ..text.arabic import normalize_arabic

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
