"""The report as one self-contained HTML page. Its style sheet and script are
package data (``assets/``); the script's hash in the Content-Security-Policy
is computed from the shipped file."""
from __future__ import annotations

import base64
import hashlib
import html
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

from .. import __version__
from ..brief import DIFFER_TITLE, copies_of, differ_lines, numbered_sections, section_title, sources_label
from ..fileio import base_name
from ..records import Article, Flag, Sentence
from .model import (ARABIC_FONTS, FLAG_MEANINGS, LATIN_FONTS, Report, flags_of, format_score, has_ci, is_original,
                    language_name, manifest_facts, manifest_json, unsupported_why)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _source_cell(a: Article, text: str) -> str:
    """A cell of article text in the article's own language and direction."""
    if a.language == "en":
        return f'<td class="orig" dir="ltr" lang="en">{_esc(text)}</td>'
    return f'<td class="ar" dir="rtl" lang="ar">{_esc(text)}</td>'


def _anchor(sid: str) -> str:
    return "s-" + sid


def _asset(name: str) -> str:
    """A file shipped in ``assets/`` (package data), read as UTF-8."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


# The script's hash is taken from the shipped file, so the policy allows
# exactly what the page carries.
_SCRIPT = _asset("report.js")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")

# No connections of any kind; inline styles; only the script above may run.
CSP = (
    "default-src 'none'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; "
    "style-src 'unsafe-inline'; "
    "img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_CSS = _asset("report.css").replace("__LATIN_FONTS__", LATIN_FONTS).replace("__ARABIC_FONTS__", ARABIC_FONTS)


def _cite_links(ids: Iterable[str]) -> str:
    links = [
        f'<a class="cite" href="#{_esc(_anchor(i))}" data-target="{_esc(_anchor(i))}">{_esc(i)}</a>'
        for i in ids
    ]
    return '<span class="cites">[' + ", ".join(links) + "]</span>" if links else ""


def _flag_badges(flags: Sequence[Flag]) -> str:
    return "".join(
        f'<span class="badge flag" title="{_esc(f.detail)}">{_esc(f.code)}</span>' for f in flags
    )


def _html_brief(report: Report) -> list[str]:
    brief = report.brief
    out = ['<aside id="brief" aria-label="Brief">', "<h2>Brief</h2>"]
    if not brief.sentences:
        out.append('<p class="missing">The brief is empty.</p>')
    for section, items in numbered_sections(brief):
        out.append(f'<section class="brief-section" data-section="{_esc(section)}">')
        out.append(f"<h3>{_esc(section_title(section))}</h3>")
        out.append(f'<ol class="brief" start="{items[0][0]}">')
        for n, b in items:
            cls = "claim supported" if b.supported else "claim unsupported"
            parts = [f'<li id="b-{n}" class="{cls}" value="{n}" tabindex="-1">']
            parts.append(f'<span class="text">{_esc(b.text)}</span>')
            if b.speaker:
                parts.append(f' <span class="speaker">— {_esc(b.speaker)}</span>')
            parts.append(" " + _cite_links(b.ids))
            parts.append(f' <span class="count">{_esc(sources_label(b, brief.total_sources, copies_of(brief)))}</span>')
            if not b.supported:
                parts.append(
                    f' <span class="badge bad" title="{_esc(unsupported_why(b))}">not supported by its '
                    f'citations (support {b.support:.2f})</span>'
                )
            parts.append("</li>")
            out.append("".join(parts))
        out.append("</ol></section>")
    if brief.disagreements:
        out.append(f'<section class="brief-section differ"><h3>{_esc(DIFFER_TITLE)}</h3><ul class="differ">')
        for about, versions in differ_lines(brief):
            out.append(f"<li>{_esc(about)}<ul>" + "".join(
                f'<li><strong>{_esc(value)}</strong>: {_esc(text)} {_esc(cites)}</li>' for value, text, cites in versions)
                + "</ul></li>")
        out.append("</ul></section>")
    if brief.warnings:
        out.append('<ul class="warnings">' + "".join(f"<li>{_esc(w)}</li>" for w in brief.warnings) + "</ul>")
    out.append("</aside>")
    return out


def _copy_mark(number: int, copies: Mapping[int, int]) -> str:
    return f' <span class="copy">copy of {copies[number]}</span>' if number in copies else ""


def _html_sources(report: Report) -> list[str]:
    out = [
        '<section id="sources"><h2>Sources</h2>',
        '<table class="sources"><thead><tr><th>#</th><th>File</th><th>Language</th><th>Title (source)</th>'
        "<th>Title (English)</th><th>Sentences</th><th>Removed lines</th></tr></thead><tbody>",
    ]
    copies = copies_of(report.brief)
    for a in report.articles:
        first = a.sentences[0] if a.sentences else None
        en = report.english.get(first.id, "") if first else ""
        title_link = f'<a href="#article-{a.number}">{a.number}</a>'
        en_cell = ('<td class="en original">original English</td>' if first and is_original(a, first, report)
                   else f'<td lang="en">{_esc(en)}</td>')
        out.append(
            f'<tr><th>{title_link}{_copy_mark(a.number, copies)}</th><td class="file" title="{_esc(a.source)}">{_esc(base_name(a.source))}</td>'
            f'<td class="lang">{_esc(language_name(a))}</td>'
            f"{_source_cell(a, a.title)}{en_cell}"
            f'<td class="num">{len(a.sentences)}</td><td class="num">{len(a.removed)}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def _html_sentence_row(report: Report, s: Sentence, cited: Mapping[str, list[int]], a: Article) -> str:
    cls = "heading" if s.is_heading else "sentence"
    en = report.english.get(s.id)
    en_cell = (
        '<td class="en original">original English</td>'
        if is_original(a, s, report)
        else f'<td class="en" lang="en">{_esc(en)}</td>'
        if en is not None
        else '<td class="en missing">no translation</td>'
    )
    backlinks = ""
    if s.id in cited:
        links = ", ".join(f'<a href="#b-{n}" data-target="b-{n}">B{n}</a>' for n in cited[s.id])
        backlinks = f'<div class="citedby">cited by {links}</div>'
    return (
        f'<tr id="{_esc(_anchor(s.id))}" class="{cls}" tabindex="-1">'
        f'<th class="id" scope="row">{_esc(s.id)}</th>'
        f"{_source_cell(a, s.text)}"
        f"{en_cell}"
        f'<td class="flags">{_flag_badges(flags_of(report, a, s))}{backlinks}</td></tr>'
    )


def _html_article(report: Report, a: Article, cited: Mapping[str, list[int]]) -> list[str]:
    out = [
        f'<section id="article-{a.number}" class="article">',
        f"<h2>Article {a.number}: {_esc(a.name)}</h2>",
        f'<p class="src">{_esc(a.source)} · {len(a.sentences)} sentences · {_esc(a.encoding)}</p>',
    ]
    if a.warnings:
        out.append('<ul class="warnings">' + "".join(f"<li>{_esc(w)}</li>" for w in a.warnings) + "</ul>")
    out.append(
        f'<table class="sentences"><thead><tr><th>ID</th><th>{_esc(language_name(a))}</th><th>English</th>'
        "<th>Flags</th></tr></thead><tbody>"
    )
    out.extend(_html_sentence_row(report, s, cited, a) for s in a.sentences)
    out.append("</tbody></table>")
    if a.removed:
        out.append(
            f'<details class="removed"><summary>{len(a.removed)} removed boilerplate '
            f'line{"s" if len(a.removed) != 1 else ""}</summary>'
            '<table><thead><tr><th>Line</th><th>Reason</th><th>Text</th></tr></thead><tbody>'
        )
        out.extend(
            f'<tr><td class="num">{r.line}</td><td>{_esc(r.reason)}</td>'
            f'<td dir="auto">{_esc(r.text)}</td></tr>'
            for r in a.removed
        )
        out.append("</tbody></table></details>")
    out.append("</section>")
    return out


def _html_legend(report: Report) -> list[str]:
    """What every mark on the page means; flags only as far as they occur."""
    total = report.brief.total_sources
    codes = sorted({f.code for a in report.articles for s in a.sentences for f in flags_of(report, a, s)})
    rows = [
        ("<span class=\"cites\">[2.3]</span>", "a citation: article 2, sentence 3. Click it to see that sentence "
         "in its language beside its English."),
        (f'<span class="count">2 of {total} sources</span>', "how many of the sources state the point of a brief "
         "sentence; a source counts only when one of its sentences states it on its own."),
        ('<div class="citedby">cited by <a>B4</a></div>', "this source sentence is cited by sentence 4 of the "
         "brief (B1, B2, ... number the brief's sentences); click to go back to it."),
        ('<span class="badge bad">not supported by its citations</span>', "the citation check failed: hover "
         "for the reason. Such sentences are shown only in this report, marked."),
    ]
    rows += [(f'<span class="badge flag">{_esc(code)}</span>', _esc(FLAG_MEANINGS.get(code, "a translation flag;"
                                                                                          " hover for details")))
             for code in codes]
    out = ['<details id="legend" class="legend" open><summary>What the marks mean</summary><dl>']
    out += [f"<dt>{mark}</dt><dd>{meaning}</dd>" for mark, meaning in rows]
    out.append("</dl></details>")
    return out


def _html_scores(report: Report) -> list[str]:
    if not report.scores:
        return []
    metrics = list(dict.fromkeys(s.metric for g in report.scores for s in g.scores))
    out = [
        '<section id="scores"><h2>Scores against references</h2>',
        '<p class="note">How close the English shown is to the human reference translations '
        "(BLEU, chrF, chrF++: higher is closer; TER: lower is closer).</p>",
        '<table class="scores-summary"><thead><tr><th>Scope</th>'
        + "".join(f"<th>{_esc(m)}</th>" for m in metrics) + "</tr></thead><tbody>",
    ]
    for group in report.scores:
        by_metric = {s.metric: s for s in group.scores}
        cells = []
        for m in metrics:
            if m in by_metric:
                value, ci = format_score(by_metric[m])
                cells.append(f'<td class="num">{value}{(" " + _esc(ci)) if ci else ""}</td>')
            else:
                cells.append("<td></td>")
        out.append(f"<tr><td>{_esc(group.scope)}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    out.append('<details class="signatures"><summary>Every score with its sacrebleu signature</summary>'
               '<table class="scores"><thead><tr><th>Scope</th><th>Metric</th><th>Score</th>'
               + ("<th>95% CI</th>" if has_ci(report) else "")
               + "<th>Signature</th></tr></thead><tbody>")
    for group in report.scores:
        for s in group.scores:
            value, ci = format_score(s)
            ci_cell = f'<td class="num">{_esc(ci)}</td>' if has_ci(report) else ""
            out.append(
                f"<tr><td>{_esc(group.scope)}</td><td>{_esc(s.metric)}</td><td class=\"num\">{value}</td>"
                f'{ci_cell}<td class="sig">{_esc(s.signature)}</td></tr>'
            )
    out.append("</tbody></table></details>")
    if report.score_notices:
        out.append('<ul class="warnings">' + "".join(f"<li>{_esc(n)}</li>" for n in report.score_notices) + "</ul>")
    out.append("</section>")
    return out


def _html_manifest(report: Report) -> list[str]:
    out = ['<section id="manifest"><h2>How this report was made</h2>', '<dl class="facts">']
    out += [f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in manifest_facts(report)]
    out.append("</dl>")
    out.append('<details class="manifest"><summary>Reproducibility manifest (JSON: every setting, model '
               "revision and file hash)</summary>")
    out.append(f'<pre class="manifest">{_esc(manifest_json(report))}</pre></details></section>')
    return out


def render_html(report: Report) -> str:
    """The report as one HTML document that needs nothing but a browser."""
    cited = report.cited_by()
    n_art = len(report.articles)
    summary = (
        f"{n_art} article{'s' if n_art != 1 else ''} · {report.sentence_count} sentences · "
        f"{len(report.brief.sentences)} brief sentences · toolkit {__version__}"
    )
    missing = report.missing_english()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f'<meta name="generator" content="toolkit {_esc(__version__)}">',
        f"<title>Verification report: {n_art} article{'s' if n_art != 1 else ''}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
        '<header class="top"><h1>Verification report</h1>',
        f'<p class="meta">{_esc(summary)}</p>',
    ]
    if missing:
        parts.append(
            f'<p class="missing">{len(missing)} sentence(s) have no English: {_esc(", ".join(missing))}</p>'
        )
    parts.append("</header>")
    parts.append('<div class="layout">')
    parts.extend(_html_brief(report))
    parts.append("<main>")
    parts.extend(_html_legend(report))
    parts.extend(_html_sources(report))
    for a in report.articles:
        parts.extend(_html_article(report, a, cited))
    parts.extend(_html_scores(report))
    parts.extend(_html_manifest(report))
    parts.append("</main></div>")
    parts.append(f"<script>{_SCRIPT}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
