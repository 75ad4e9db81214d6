"""The brief as plain text or Markdown, its sections and the sources table
(shared with the report)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..records import Article, Brief, BriefSentence
from ..text.dates import format_day
from ..text.markdown import md_escape, md_table
from .timeline import CITATIONS_SHOWN, story_sections


KEY, QUOTE, SINGLE = "key", "quote", "single"
SECTION_TITLES = {KEY: "Key points", QUOTE: "Notable quotes", SINGLE: "Reported by one source only"}


def sources_table(articles: Sequence[Article], english: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for a in articles:
        first = a.sentences[0] if a.sentences else None
        title = english.get(first.id, first.text) if first is not None else ""
        rows.append({"id": a.number, "file": a.source, "name": a.name, "title": " ".join(str(title).split()),
                     "sentences": len(a.sentences), "copy_of": a.copy_of, "published": a.published.date,
                     "date_found": a.published.method})
    return rows


# Renderings shared by the brief's text and Markdown, the report and the
# terminal (Rich lives in the CLI).


def off_topic_lines(brief: Brief) -> list[str]:
    """The note under the sources table on each article found off-topic
    (manifest "off_topic", `toolkit.brief.offtopic`)."""
    return [f"{o['article']}  {o['source']}  off-topic: shares little with the other articles, "
            f"{'kept in the brief' if o.get('kept') else 'not in the brief'} (score {o['score']})"
            for o in brief.manifest.get("off_topic") or []]


def source_date(row: Mapping[str, Any]) -> str:
    """A sources-table row's publication date as shown ("12 Jan 2010", or
    "no date" for an article that gives none)."""
    return format_day(str(row.get("published") or "")) or "no date"


def copies_of(brief: Brief) -> dict[int, int]:
    """Article number -> the article it is a copy of, from the brief's
    sources table."""
    return {int(r["id"]): int(r["copy_of"]) for r in brief.manifest.get("sources") or [] if r.get("copy_of")}


def sources_label(b: BriefSentence, total: int, copies: Mapping[int, int] | None = None) -> str:
    """How many of the sources a brief sentence rests on: "2 of 5 sources";
    where its articles are fewer independent sources, which are copies
    (`copies`: article -> original): "3 of 5 independent sources: 4
    articles, 5 is a copy of 2"."""
    n = b.sources if b.independent_sources is None else b.independent_sources
    arts = sorted({c.article for c in b.citations})
    if len(arts) <= n:
        return f"{n} of {total} source{'s' if total != 1 else ''}"
    notes = [f"{a} is a copy of {copies[a]}" for a in arts if copies and a in copies]
    rest = len(arts) - n - len(notes)
    if rest > 0:
        notes.append(f"{rest} repeat{'s' if rest == 1 else ''} another's sentence word for word")
    return f"{n} of {total} independent source{'s' if total != 1 else ''}: {len(arts)} articles, {', '.join(notes)}"


def brief_heading(brief: Brief) -> str:
    """"Brief (5 sources)"; "Brief (5 independent sources, 6 articles)"
    where some articles are copies."""
    n = brief.total_sources
    rows = brief.manifest.get("sources") or []
    if len(rows) > n:
        return f"Brief ({n} independent source{'s' if n != 1 else ''}, {len(rows)} articles)"
    return f"Brief ({n} source{'s' if n != 1 else ''})"


DIFFER_TITLE = "Sources differ"


def differ_lines(brief: Brief) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The "Sources differ" entries: (what the fact is, [(value, sentence,
    citations)]) in the brief's order."""
    from ..verify import format_citations

    return [(f.about, [(v.shown or v.value, v.text, format_citations(v.citations)) for v in f.versions])
            for f in brief.disagreements]


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


def line_parts(b: BriefSentence, total: int, cite: bool,
               copies: Mapping[int, int] | None = None) -> tuple[str, str, str]:
    """(sentence, citation text or '', trailing note) for one brief line."""
    from ..verify import format_citations

    note = f"— {b.speaker}" if b.section == QUOTE and b.speaker else ""
    count = f"({sources_label(b, total, copies)})"
    note = f"{note} {count}".strip()
    if not b.supported:
        note += f" [not supported by its citations, support {b.support:.2f}]"
    return b.text, format_citations(b.ids, most=CITATIONS_SHOWN) if cite else "", note


def render_text(brief: Brief, *, cite: bool = False, markdown: bool = False) -> str:
    """The brief as plain text or Markdown; citations inline with `cite`.
    In Markdown every piece of article text is escaped (`md_escape`), so a
    source's markup, links or HTML show as text."""
    out: list[str] = []
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    esc = md_escape if markdown else str
    out.append(f"{h2}{brief_heading(brief)}")
    copies = copies_of(brief)
    for section, items in sections(brief):
        out.append("")
        title = section_title(section)
        out.append(f"{h3}{esc(title)}" if markdown else f"{title}\n{'-' * len(title)}")
        for b in items:
            text, cites, note = line_parts(b, brief.total_sources, cite, copies)
            # Citations are the toolkit's own IDs; only article text is escaped.
            body = " ".join(x for x in (esc(text), cites, esc(note) if note else "") if x)
            out.append(f"- {body}")
    if not brief.sentences:
        out += ["", "(the brief is empty)"]
    if brief.disagreements:
        out.append("")
        out.append(f"{h3}{DIFFER_TITLE}" if markdown else f"{DIFFER_TITLE}\n{'-' * len(DIFFER_TITLE)}")
        # Each version with its own citations: which account to believe is
        # the reader's call, never the brief's.
        for about, versions in differ_lines(brief):
            out.append(f"- {esc(about)}")
            for value, text, cites in versions:
                out.append(f"  - {esc(value)}: {esc(text)} {cites}")
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
            out += [f"- {r['id']} is a copy of {r['copy_of']}" for r in rows if r.get("copy_of")]
        else:
            for r in rows:
                copy = f"  (copy of {r['copy_of']})" if r.get("copy_of") else ""
                out.append(f"{r['id']}  {r['file']}  {source_date(r)}  ({r['sentences']} sentences){copy}  {r['title']}")
        out += [f"- {md_escape(line)}" if markdown else line for line in off_topic_lines(brief)]
    if brief.warnings:
        out.append("")
        out += [f"warning: {w}" for w in brief.warnings]
    return "\n".join(out) + "\n"
