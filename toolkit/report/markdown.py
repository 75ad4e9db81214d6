"""The report as Markdown for a newsroom CMS; every untrusted string passes
through `md_escape`."""
from __future__ import annotations

import re

from .. import __version__
from ..text.markdown import md_escape, md_table
from ..brief import DIFFER_TITLE, copies_of, differ_lines, numbered_sections, section_title, sources_label
from .model import (Report, flags_of, format_score, has_ci, is_original, language_name, manifest_json,
                    unsupported_why)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(report: Report) -> str:
    """The same content as the HTML page, as Markdown for a newsroom CMS."""
    brief = report.brief
    n_art = len(report.articles)
    out = [
        "# Verification report",
        "",
        f"{n_art} article{'s' if n_art != 1 else ''} · {report.sentence_count} sentences · "
        f"{len(brief.sentences)} brief sentences · toolkit {__version__}",
        "",
    ]
    missing = report.missing_english()
    if missing:
        out += [f"**{len(missing)} sentence(s) have no English:** {', '.join(missing)}", ""]
    out += ["## Brief", ""]
    if not brief.sentences:
        out += ["*The brief is empty.*", ""]
    for section, items in numbered_sections(brief):
        out += [f"### {section_title(section)}", ""]
        for n, b in items:
            line = f"{n}. {md_escape(b.text)}"
            if b.speaker:
                line += f" — *{md_escape(b.speaker)}*"
            if b.ids:
                line += " [" + ", ".join(md_escape(i) for i in b.ids) + "]"
            line += f" ({sources_label(b, brief.total_sources, copies_of(brief))})"
            if not b.supported:
                line += (f" **NOT SUPPORTED by its citations (support {b.support:.2f})**: "
                         f"{md_escape(unsupported_why(b))}")
            out.append(line)
        out.append("")
    if brief.disagreements:
        out += [f"### {DIFFER_TITLE}", ""]
        for about, versions in differ_lines(brief):
            out.append(f"- {md_escape(about)}")
            out += [f"  - **{md_escape(value)}**: {md_escape(text)} {md_escape(cites)}" for value, text, cites in versions]
        out.append("")
    if brief.warnings:
        out += [f"- {md_escape(w)}" for w in brief.warnings] + [""]

    out += ["## Sources", ""]
    rows = []
    copies = copies_of(brief)
    for a in report.articles:
        first = a.sentences[0] if a.sentences else None
        en_title = ("*original English*" if is_original(a, first, report)
                    else md_escape(report.english.get(first.id, ""))) if first else ""
        rows.append([
            f"{a.number} (copy of {copies[a.number]})" if a.number in copies else str(a.number),
            md_escape(a.source), language_name(a), md_escape(a.title), en_title,
            str(len(a.sentences)), str(len(a.removed)),
        ])
    out += md_table(["#", "File", "Language", "Title (source)", "Title (English)", "Sentences", "Removed lines"],
                     rows)
    out.append("")

    for a in report.articles:
        out += [f"## Article {a.number}: {md_escape(a.name)}", "", f"{md_escape(a.source)} · {len(a.sentences)} sentences", ""]
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

    if report.scores:
        out += ["## Scores against references", ""]
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

    body = manifest_json(report)
    fence = _fence(body)
    out += ["## Reproducibility manifest", "", fence + "json", body, fence, ""]
    return "\n".join(out)
