"""The sources tables give the titles the width: file names are shown as
base names (the full path stays on hover in the report, in JSON on the
terminal), so five sources fit on one screen and in 80 columns."""
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
TITLES = [f"Source {i}: a headline long enough to need most of an eighty-column line" for i in range(1, 6)]


def brief_with_sources() -> Brief:
    rows = [{"id": i, "file": f"{LONG_DIR}{i:03d}_article.txt", "title": t, "sentences": 10 + i}
            for i, t in enumerate(TITLES, 1)]
    return Brief((), 5, {"sources": rows})


def test_terminal_sources_table_fits_80_columns():
    out = io.StringIO()
    render_rich(brief_with_sources(), cite=False, console=Console(file=out, width=80, color_system=None))
    lines = out.getvalue().splitlines()
    for i in range(1, 6):
        row = [line for line in lines if f"{i:03d}_article.txt" in line]
        assert len(row) == 1, lines  # one line per source, base name in full
        assert len(row[0]) <= 80
        assert LONG_DIR not in row[0]
        shown = re.search(rf"Source {i}: [^│|]*", row[0]).group(0).rstrip(" …")
        assert len(shown) >= 35  # the title gets the room the path used to take


def test_report_sources_show_base_names_with_the_path_on_hover():
    articles, english = make_articles()
    page = render_html(build_report(articles, english, make_brief()))
    sources = page[page.index('<table class="sources">'):]
    sources = sources[:sources.index("</table>")]
    for a in articles:
        name = a.source.replace("\\", "/").rsplit("/", 1)[-1]
        assert f'title="{html.escape(a.source)}">{html.escape(name)}</td>' in sources
    assert "table.sources td.file" in page and "text-overflow: ellipsis" in page
