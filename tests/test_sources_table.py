"""The sources tables give the titles the width: file names are shown as
base names (the full path stays on hover in the report, in JSON on the
terminal), and a title wraps rather than losing its end, where titles of
one story that begin alike differ."""
from __future__ import annotations

import html
import io
import re

from rich.console import Console

from report_fixtures import make_articles, make_brief
from toolkit.cli.summarize import render_rich
from toolkit.records import Brief
from toolkit.report import build_report, render_html

LONG_DIR = "/home/desk/stories/2024/06/russia-north-korea/sources/arabic/"
# Titles of one story begin alike; what each source reports comes last.
TITLES = [f"Russian President Vladimir Putin and North Korean leader Kim Jong Un {event} on Wednesday"
          for event in ("signed a partnership agreement", "held talks in Pyongyang", "opposed sanctions",
                        "met at the Kumsusan guest house", "spoke to reporters")]


def brief_with_sources() -> Brief:
    rows = [{"id": i, "file": f"{LONG_DIR}{i:03d}_article.txt", "title": t, "sentences": 10 + i}
            for i, t in enumerate(TITLES, 1)]
    return Brief((), 5, {"sources": rows})


def _title_cells(text: str) -> dict[str, str]:
    """Source ID -> its title as the table shows it, wrapped lines joined."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        cells = line.split("│")
        if len(cells) < 5:
            continue
        if cells[1].strip():
            current = cells[1].strip()
            rows[current] = []
        if current is not None and cells[3].strip():
            rows[current].append(cells[3].strip())
    return {k: " ".join(v) for k, v in rows.items()}


def test_terminal_sources_table_wraps_titles_in_80_columns():
    out = io.StringIO()
    render_rich(brief_with_sources(), cite=False, console=Console(file=out, width=80, color_system=None))
    text = out.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines())
    assert LONG_DIR not in text and "…" not in text
    for i in range(1, 6):
        assert f"{i:03d}_article.txt" in text  # base name in full
    # Every title in full, so the words that tell them apart are on screen.
    assert _title_cells(text) == {str(i): t for i, t in enumerate(TITLES, 1)}


def test_report_sources_show_base_names_with_the_path_on_hover():
    articles, english = make_articles()
    page = render_html(build_report(articles, english, make_brief()))
    sources = page[page.index('<table class="sources">'):]
    sources = sources[:sources.index("</table>")]
    for a in articles:
        name = a.source.replace("\\", "/").rsplit("/", 1)[-1]
        assert f'title="{html.escape(a.source)}">{html.escape(name)}</td>' in sources
    # The file name wraps rather than being cut off.
    css = page[page.index("table.sources td.file"):]
    css = css[:css.index("}")]
    assert "overflow-wrap: anywhere" in css and "ellipsis" not in css and "nowrap" not in css
