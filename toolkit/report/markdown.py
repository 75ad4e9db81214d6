"""The report as Markdown for a newsroom CMS; every untrusted string passes
through `md_escape`."""
from __future__ import annotations

import re

from .. import __version__
from ..text.markdown import md_escape, md_table
from ..brief import DIFFER_TITLE, copies_of, differ_lines, numbered_sections, section_title, sources_label
from ..brief.timeline import story_sections
from ..records import Article, BriefSentence
from ..text.dates import format_day
from .model import (Report, flags_of, format_score, has_ci, is_original, language_name, manifest_json,
                    unsupported_why)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(report: Report) -> str:
    """The same content as the HTML page, as Markdown for a newsroom CMS."""
    out = _header(report) + _brief(report) + _sources(report)
    for a in report.articles:
        out += _article(report, a)
    out += _scores(report)
    body = manifest_json(report)
    fence = _fence(body)
    out += ["## Reproducibility manifest", "", fence + "json", body, fence, ""]
    return "\n".join(out)


def _header(report: Report) -> list[str]:
    n_art = len(report.articles)
    out = [
        "# Verification report",
        "",
        f"{n_art} article{'s' if n_art != 1 else ''} · {report.sentence_count} sentences · "
        f"{len(report.brief.sentences)} brief sentences · toolkit {__version__}",
        "",
    ]
    missing = report.missing_english()
    if missing:
        out += [f"**{len(missing)} sentence(s) have no English:** {', '.join(missing)}", ""]
    return out


def _brief(report: Report) -> list[str]:
    """The brief's sections, its disagreements, timeline and warnings."""
    brief = report.brief
    out = ["## Brief", ""]
    if not brief.sentences:
        out += ["*The brief is empty.*", ""]
    for section, items in numbered_sections(brief):
        out += [f"### {section_title(section)}", ""]
        out += [_brief_line(report, n, b) for n, b in items]
        out.append("")
    if brief.disagreements:
        out += [f"### {DIFFER_TITLE}", ""]
        for about, versions in differ_lines(brief):
            out.append(f"- {md_escape(about)}")
            out += [f"  - **{md_escape(value)}**: {md_escape(text)} {md_escape(cites)}" for value, text, cites in versions]
        out.append("")
    story = story_sections(brief, cite=True, markdown=True)
    if story:
        out += story[1:] + [""]
    if brief.warnings:
        out += [f"- {md_escape(w)}" for w in brief.warnings] + [""]
    return out


def _brief_line(report: Report, n: int, b: BriefSentence) -> str:
    brief = report.brief
    line = f"{n}. {md_escape(b.text)}"
    if b.speaker:
        line += f" — *{md_escape(b.speaker)}*"
    if b.ids:
        line += " [" + ", ".join(md_escape(i) for i in b.ids) + "]"
    line += f" ({sources_label(b, brief.total_sources, copies_of(brief))})"
    if not b.supported:
        line += (f" **NOT SUPPORTED by its citations (support {b.support:.2f})**: "
                 f"{md_escape(unsupported_why(b))}")
    return line


def _sources(report: Report) -> list[str]:
    out = ["## Sources", ""]
    rows = []
    copies = copies_of(report.brief)
    for a in report.articles:
        first = a.sentences[0] if a.sentences else None
        en_title = ("*original English*" if is_original(a, first, report)
                    else md_escape(report.english.get(first.id, ""))) if first else ""
        rows.append([
            f"{a.number} (copy of {copies[a.number]})" if a.number in copies else str(a.number),
            md_escape(a.source), language_name(a), format_day(a.published.date) or "no date",
            md_escape(a.title), en_title, str(len(a.sentences)), str(len(a.removed)),
        ])
    out += md_table(["#", "File", "Language", "Date", "Title (source)", "Title (English)", "Sentences",
                     "Removed lines"], rows)
    out.append("")
    return out


def _article(report: Report, a: Article) -> list[str]:
    """One article side by side with its English, flags and removed lines."""
    out = [f"## Article {a.number}: {md_escape(a.name)}", "", f"{md_escape(a.source)} · {len(a.sentences)} sentences", ""]
    out += [f"- {md_escape(w)}" for w in a.warnings] + ([""] if a.warnings else [])
    rows = []
    for s in a.sentences:
        en = report.english.get(s.id)
        sid = f"**{md_escape(s.id)}**" if s.is_heading else md_escape(s.id)
        shown = ("*original English*" if is_original(a, s, report)
                 else md_escape(en) if en is not None else "*no translation*")
        rows.append([sid, md_escape(s.text), shown, ", ".join(md_escape(f.code) for f in flags_of(report, a, s))])
    out += md_table(["ID", language_name(a), "English", "Flags"], rows)
    out.append("")
    if a.removed:
        out += [f"Removed boilerplate lines ({len(a.removed)}):", ""]
        out += md_table(
            ["Line", "Reason", "Text"], ([str(r.line), md_escape(r.reason), md_escape(r.text)] for r in a.removed)
        )
        out.append("")
    return out


def _scores(report: Report) -> list[str]:
    if not report.scores:
        return []
    out = ["## Scores against references", ""]
    rows = []
    for group in report.scores:
        for s in group.scores:
            value, ci = format_score(s)
            row = [md_escape(group.scope), md_escape(s.metric), value] + ([ci] if has_ci(report) else [])
            rows.append(row + [md_escape(s.signature)])
    header = ["Scope", "Metric", "Score"] + (["95% CI"] if has_ci(report) else []) + ["Signature"]
    out += md_table(header, rows)
    out.append("")
    out += [f"- {md_escape(n)}" for n in report.score_notices] + ([""] if report.score_notices else [])
    return out
