"""The brief as plain text or Markdown, its sections and the sources table
(shared with the report)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..records import Article, Brief, BriefSentence
from ..text.dates import format_day
from ..text.markdown import md_escape, md_table
from .timeline import story_sections


KEY, QUOTE, SINGLE = "key", "quote", "single"
SECTION_TITLES = {KEY: "Key points", QUOTE: "Notable quotes", SINGLE: "Reported by one source only"}


def sources_table(articles: Sequence[Article], english: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for a in articles:
        first = a.sentences[0] if a.sentences else None
        title = english.get(first.id, first.text) if first is not None else ""
        rows.append({"id": a.number, "file": a.source, "name": a.name, "title": " ".join(str(title).split()),
                     "sentences": len(a.sentences), "published": a.published.date,
                     "date_found": a.published.method})
    return rows


# Renderings shared by the brief's text and Markdown, the report and the
# terminal (Rich lives in the CLI).


def source_date(row: Mapping[str, Any]) -> str:
    """A sources-table row's publication date as shown ("12 Jan 2010", or
    "no date" for an article that gives none)."""
    return format_day(str(row.get("published") or "")) or "no date"


def sources_label(b: BriefSentence, total: int) -> str:
    """How many of the sources a brief sentence rests on: "2 of 5 sources"."""
    return f"{b.sources} of {total} source{'s' if total != 1 else ''}"


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, section.replace("-", " ").replace("_", " ").capitalize())


def sections(brief: Brief) -> list[tuple[str, list[BriefSentence]]]:
    """Brief sentences grouped by section (known sections first in their
    usual order, then any others as they appear), keeping the brief's order
    inside a section."""
    groups: dict[str, list[BriefSentence]] = {}
    for b in brief.sentences:
        groups.setdefault(b.section or KEY, []).append(b)
    known = [s for s in SECTION_TITLES if s in groups]
    return [(s, groups[s]) for s in known + [s for s in groups if s not in SECTION_TITLES]]


def numbered_sections(brief: Brief) -> list[tuple[str, list[tuple[int, BriefSentence]]]]:
    """`sections`, each sentence numbered 1.. in the order they are shown."""
    out: list[tuple[str, list[tuple[int, BriefSentence]]]] = []
    n = 0
    for section, items in sections(brief):
        out.append((section, list(enumerate(items, n + 1))))
        n += len(items)
    return out


def line_parts(b: BriefSentence, total: int, cite: bool) -> tuple[str, str, str]:
    """(sentence, citation text or '', trailing note) for one brief line."""
    from ..verify import format_citations

    note = f"— {b.speaker}" if b.section == QUOTE and b.speaker else ""
    count = f"({sources_label(b, total)})"
    note = f"{note} {count}".strip()
    if not b.supported:
        note += f" [not supported by its citations, support {b.support:.2f}]"
    return b.text, format_citations(b.ids) if cite else "", note


def render_text(brief: Brief, *, cite: bool = False, markdown: bool = False) -> str:
    """The brief as plain text or Markdown; citations inline with `cite`.
    In Markdown every piece of article text is escaped (`md_escape`), so a
    source's markup, links or HTML show as text."""
    out: list[str] = []
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    esc = md_escape if markdown else str
    out.append(f"{h2}Brief ({brief.total_sources} source{'s' if brief.total_sources != 1 else ''})")
    for section, items in sections(brief):
        out.append("")
        title = section_title(section)
        out.append(f"{h3}{esc(title)}" if markdown else f"{title}\n{'-' * len(title)}")
        for b in items:
            text, cites, note = line_parts(b, brief.total_sources, cite)
            # Citations are the toolkit's own IDs; only article text is escaped.
            body = " ".join(x for x in (esc(text), cites, esc(note) if note else "") if x)
            out.append(f"- {body}")
    if not brief.sentences:
        out += ["", "(the brief is empty)"]
    out += story_sections(brief, cite=cite, markdown=markdown)
    rows = brief.manifest.get("sources") or []
    if rows:
        out.append("")
        out.append(f"{h3}Sources" if markdown else "Sources\n-------")
        if markdown:
            out.append("")
            out += md_table(["ID", "file", "date", "title or first line", "sentences"],
                            [[md_escape(r[k]) if k != "date" else source_date(r)
                              for k in ("id", "file", "date", "title", "sentences")] for r in rows])
        else:
            for r in rows:
                out.append(f"{r['id']}  {r['file']}  {source_date(r)}  ({r['sentences']} sentences)  {r['title']}")
    if brief.warnings:
        out.append("")
        out += [f"warning: {w}" for w in brief.warnings]
    return "\n".join(out) + "\n"
