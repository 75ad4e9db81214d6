"""Escaping untrusted text for Markdown, the one policy of every Markdown
output: a line of text shows literally in any renderer, including one that
passes raw HTML through (a CMS), so neither markup, links ("[x](javascript:
...)") nor HTML ("<script>") take effect."""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

# Characters that start Markdown syntax anywhere in a line; `<`, `>` and `&`
# become entities.
_SPECIAL = re.compile(r"([\\`*_\[\]{}|~#!])")
_LINE_START = re.compile(r"^(\s*\d*)([-+=.)])(?=\s|$)")


def md_escape(text: Any) -> str:
    """Untrusted text as inline Markdown: one line, markup shown literally."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table of cells already escaped with `md_escape`."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(r) + " |" for r in rows)
    return out
