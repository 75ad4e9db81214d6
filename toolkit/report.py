"""The bilingual verification report: one self-contained HTML file (or a
Markdown export of the same content) that puts a brief next to the evidence.

Everything that comes from an article, a translation, a file name or a
manifest is untrusted and passes through `_esc` (HTML) or `_md` (Markdown)
exactly once, at the point where it is written out. The HTML page also
carries a Content-Security-Policy that forbids every network request and
allows only the page's own script (by hash), so an escaping mistake still
could not load or run anything.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import __version__
from .errors import IntegrityError, InputError
from .brief import KEY, SECTION_TITLES
from .text.markdown import md_escape, md_table
from .records import Article, Brief, BriefSentence, Flag, Score, Sentence

# Fonts that ship with the common desktop systems and cover Arabic; the last
# entries are the Latin fallbacks. No web fonts: the file must open offline.
ARABIC_FONTS = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI", '
    '"Arabic Typesetting", "Traditional Arabic", Tahoma, "DejaVu Sans", sans-serif'
)
LATIN_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", '
    "Helvetica, Arial, sans-serif"
)


@dataclass(frozen=True)
class ScoreGroup:
    """Scores for one scope: ``"all articles"`` (the corpus) or one article
    (``"<number> <name>"``)."""

    scope: str
    scores: tuple[Score, ...]


@dataclass(frozen=True)
class Report:
    """Everything a report shows. Build it with `build_report`, which checks
    that the brief only cites sentences the report contains."""

    articles: tuple[Article, ...]
    english: Mapping[str, str]
    brief: Brief
    flags: Mapping[str, tuple[Flag, ...]] = field(default_factory=dict)
    scores: tuple[ScoreGroup, ...] = ()
    score_notices: tuple[str, ...] = ()
    manifest: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sentence_count(self) -> int:
        return sum(len(a.sentences) for a in self.articles)

    def missing_english(self) -> list[str]:
        """Sentence IDs that have no English (shown as such, never hidden)."""
        return [s.id for a in self.articles for s in a.sentences if s.id not in self.english]

    def cited_by(self) -> dict[str, list[int]]:
        """Sentence ID -> numbers (as shown) of the brief sentences citing it."""
        out: dict[str, list[int]] = {}
        for _, items in sections(self.brief):
            for n, b in items:
                for sid in dict.fromkeys(b.ids):
                    out.setdefault(sid, []).append(n)
        return {k: sorted(v) for k, v in out.items()}


def build_report(
    articles: Sequence[Article],
    english: Mapping[str, str],
    brief: Brief,
    *,
    flags: Mapping[str, Sequence[Flag]] | None = None,
    references: Mapping[str, str] | None = None,
    manifest: Mapping[str, Any] | None = None,
) -> Report:
    """Assemble a report. With `references` (sentence ID -> human English,
    as `toolkit.references.load_references` returns) the English shown is scored
    against them with sacrebleu, per article and overall.

    Raises InputError without articles and IntegrityError when the brief
    cites an ID that no article has (a link that leads nowhere would look
    like evidence without being any) or a reference is missing."""
    if not articles:
        raise InputError("no articles to report on")
    known = {s.id for a in articles for s in a.sentences}
    for n, b in enumerate(brief.sentences, 1):
        unknown = [sid for sid in b.ids if sid not in known]
        if unknown:
            raise IntegrityError(
                f"brief sentence {n} cites unknown sentence ID(s) {', '.join(unknown)}; "
                "the brief and the articles do not belong together"
            )
    full_manifest: dict[str, Any] = {"toolkit_version": __version__}
    full_manifest.update(brief.manifest)
    if manifest:
        full_manifest.update(manifest)
    scores: tuple[ScoreGroup, ...] = ()
    notices: tuple[str, ...] = ()
    if references is not None:
        # English articles are their own English: there is no translation to score.
        scores, notices = reference_scores([a for a in articles if a.language != "en"], english, references)
    return Report(
        articles=tuple(articles),
        english=dict(english),
        brief=brief,
        flags={k: tuple(v) for k, v in (flags or {}).items() if v},
        scores=scores,
        score_notices=notices,
        manifest=full_manifest,
    )


def reference_scores(
    articles: Sequence[Article], english: Mapping[str, str], references: Mapping[str, str]
) -> tuple[tuple[ScoreGroup, ...], tuple[str, ...]]:
    """Corpus and per-article scores of `english` against `references`,
    through `toolkit.score` (sacrebleu with its command-line defaults).
    A sentence without English is scored as an empty line, so a gap lowers
    the score instead of vanishing from it."""
    from .score import Document, score_documents

    docs = []
    for a in articles:
        missing = [s.id for s in a.sentences if s.id not in references]
        if missing:
            raise IntegrityError(f"article {a.name}: no reference for sentence(s) {', '.join(missing[:5])}")
        docs.append(Document(
            name=a.name,
            hypothesis=tuple(english.get(s.id, "") for s in a.sentences),
            reference=tuple(references[s.id] for s in a.sentences),
            ids=tuple(s.id for s in a.sentences),
        ))
    result = score_documents(docs)

    def convert(scores: Mapping[str, Any]) -> tuple[Score, ...]:
        return tuple(
            Score(metric=m.name, score=m.score, signature=f"{m.name}|{m.signature}", ci=m.ci)
            for m in scores.values()
        )

    groups = [ScoreGroup("all articles", convert(result.corpus))]
    groups += [ScoreGroup(f"{a.number} {d.name}", convert(d.scores)) for a, d in zip(articles, result.documents)]
    return tuple(groups), tuple(result.notices)


def sections(brief: Brief) -> list[tuple[str, list[tuple[int, BriefSentence]]]]:
    """Brief sentences grouped by section (known sections first in their
    usual order, then any others as they appear), keeping the brief's order
    inside a section and numbered 1.. in the order they are shown."""
    groups: dict[str, list[BriefSentence]] = {}
    for b in brief.sentences:
        groups.setdefault(b.section or KEY, []).append(b)
    order = [s for s in SECTION_TITLES if s in groups] + [s for s in groups if s not in SECTION_TITLES]
    out = []
    n = 0
    for section in order:
        items = []
        for b in groups[section]:
            n += 1
            items.append((n, b))
        out.append((section, items))
    return out


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, section.replace("-", " ").replace("_", " ").capitalize())


def sources_label(b: BriefSentence, total: int) -> str:
    noun = "source" if total == 1 else "sources"
    return f"{b.sources} of {total} {noun}"


def manifest_json(report: Report) -> str:
    return json.dumps(report.manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def _has_ci(report: Report) -> bool:
    return any(s.ci is not None for g in report.scores for s in g.scores)


def _fmt_score(s: Score) -> tuple[str, str]:
    ci = f"± {s.ci:.2f}" if s.ci is not None else ""
    return f"{s.score:.2f}", ci


# --------------------------------------------------------------------------
# HTML

def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


ORIGINAL_ENGLISH = Flag("original-english", "English source, not translated")


def _is_original(a: Article, s: Sentence, report: Report) -> bool:
    """The English shown for `s` is its own English-language source text."""
    return a.language == "en" and report.english.get(s.id) == s.text


def _flags_of(report: Report, a: Article, s: Sentence) -> tuple[Flag, ...]:
    flags = tuple(report.flags.get(s.id, ()))
    if a.language == "en" and not any(f.code == ORIGINAL_ENGLISH.code for f in flags):
        flags = (ORIGINAL_ENGLISH,) + flags
    return flags


def _source_cell(a: Article, text: str) -> str:
    """A cell of article text in the article's own language and direction."""
    if a.language == "en":
        return f'<td class="orig" dir="ltr" lang="en">{_esc(text)}</td>'
    return f'<td class="ar" dir="rtl" lang="ar">{_esc(text)}</td>'


def _language_name(a: Article) -> str:
    return "English (original)" if a.language == "en" else "Arabic"


def _anchor(sid: str) -> str:
    return "s-" + sid


_SCRIPT = """\
(function () {
  var current = null;
  function show(id, push) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    if (current) { current.classList.remove("hl"); }
    el.classList.add("hl");
    current = el;
    el.scrollIntoView({block: "center", inline: "nearest"});
    el.focus({preventScroll: true});
    if (push) {
      try { history.pushState(null, "", "#" + id); } catch (e) { /* file:// in some browsers */ }
    }
    return true;
  }
  var followed = null;
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[data-target]") : null;
    if (link && show(link.getAttribute("data-target"), true)) {
      ev.preventDefault();
      if (followed) { followed.classList.remove("current"); }
      link.classList.add("current");
      followed = link;
    }
  });
  function fromHash() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* a malformed hash is used as it is */ }
    if (id) { show(id, false); }
  }
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("popstate", fromHash);
  fromHash();
})();
"""

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")

# No connections of any kind; inline styles; only the script above may run.
CSP = (
    "default-src 'none'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; "
    "style-src 'unsafe-inline'; "
    "img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_CSS = """\
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d8dde3; --bg: #ffffff; --panel: #f6f8fa;
  --hl: #fff1a8; --hl-edge: #d4a000; --bad: #b42318; --bad-bg: #fdecea; --flag: #8a4b00; --flag-bg: #fff4e0;
  --link: #0b57d0; }
* { box-sizing: border-box; }
html { scroll-padding-top: 1rem; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.5 %(latin)s; }
header.top { padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0; font-size: 1.4rem; }
.meta { margin: .2rem 0 0; color: var(--muted); }
.layout { display: block; }
@media (min-width: 1100px) {
  .layout { display: grid; grid-template-columns: minmax(320px, 34%%) 1fr; align-items: start; }
  #brief { position: sticky; top: 0; height: 100vh; overflow-y: auto; border-right: 1px solid var(--line); }
}
#brief { padding: 1rem 1.5rem; background: var(--panel); }
main { padding: 1rem 1.5rem; min-width: 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
#brief h2 { margin-top: 0; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
ol.brief { padding-left: 1.6rem; margin: 0; }
ol.brief li { margin: 0 0 .7rem; padding: .25rem .4rem; border-radius: 4px; }
ol.brief li.hl { background: var(--hl); outline: 2px solid var(--hl-edge); }
.cites { white-space: nowrap; }
a { color: var(--link); }
a.cite { font: 600 .85em/1 ui-monospace, "DejaVu Sans Mono", monospace; text-decoration: none;
  padding: .05rem .25rem; border: 1px solid #b7c7e8; border-radius: 3px; background: #eef3fd; }
a.cite:hover, a.cite:focus { background: #dbe6fb; }
a.cite.current { background: var(--hl); border-color: var(--hl-edge); }
.count { color: var(--muted); font-size: .85em; white-space: nowrap; }
.speaker { font-style: italic; }
.badge { display: inline-block; font-size: .75em; font-weight: 600; padding: .05rem .35rem; border-radius: 3px; }
.badge.bad { color: var(--bad); background: var(--bad-bg); border: 1px solid #f3b8b2; }
.badge.flag { color: var(--flag); background: var(--flag-bg); border: 1px solid #f0cf9c; margin: 0 .15rem .15rem 0; }
li.unsupported .text { text-decoration: underline wavy var(--bad); }
table { border-collapse: collapse; width: 100%%; margin: .3rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: var(--panel); font-size: .85em; }
table.sentences th.id { width: 4.5rem; white-space: nowrap; font: 600 .85em/1.5 ui-monospace, "DejaVu Sans Mono", monospace; }
table.sentences td.ar, table.sentences td.en, table.sentences td.orig { width: 42%%; }
td.en.original { color: var(--muted); font-style: italic; }
table.sentences td.flags { width: 9rem; font-size: .85em; }
.ar, [lang="ar"] { font-family: %(arabic)s; }
td.ar, .ar { text-align: right; font-size: 1.12em; line-height: 1.7; }
tr.heading td, tr.heading th { font-weight: 700; }
tr.hl > th, tr.hl > td, tr:target > th, tr:target > td { background: var(--hl); }
tr.hl, tr:target { outline: 3px solid var(--hl-edge); outline-offset: -1px; }
tr:focus { outline: 3px solid var(--hl-edge); }
.missing { color: var(--bad); font-style: italic; }
.citedby { margin-top: .3rem; color: var(--muted); }
.citedby a { text-decoration: none; }
details.removed { margin: 0 0 1.5rem; }
details.removed summary { cursor: pointer; color: var(--muted); }
.src { color: var(--muted); margin: 0 0 .3rem; word-break: break-all; }
.warnings { color: var(--flag); }
pre.manifest { background: var(--panel); border: 1px solid var(--line); padding: .75rem; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; font-size: .85em; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.sig { font: .8em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
@media print { #brief { position: static; max-height: none; } }
""" % {"latin": LATIN_FONTS, "arabic": ARABIC_FONTS}


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


def _unsupported_why(b: Any) -> str:
    """The checker's own reason for an unsupported sentence (low similarity,
    a missing number, an unrelated or unknown citation, ...)."""
    detail = getattr(b, "detail", "") or ""
    reason = getattr(b, "reason", "") or ""
    if detail:
        return detail
    if reason:
        return reason.replace("-", " ").replace("_", " ")
    return "the citation check failed"


def _html_brief(report: Report) -> list[str]:
    brief = report.brief
    out = ['<aside id="brief" aria-label="Brief">', "<h2>Brief</h2>"]
    if not brief.sentences:
        out.append('<p class="missing">The brief is empty.</p>')
    for section, items in sections(brief):
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
            parts.append(f' <span class="count">{_esc(sources_label(b, brief.total_sources))}</span>')
            if not b.supported:
                parts.append(
                    f' <span class="badge bad" title="{_esc(_unsupported_why(b))}">not supported by its '
                    f'citations (support {b.support:.2f})</span>'
                )
            parts.append("</li>")
            out.append("".join(parts))
        out.append("</ol></section>")
    if brief.warnings:
        out.append('<ul class="warnings">' + "".join(f"<li>{_esc(w)}</li>" for w in brief.warnings) + "</ul>")
    out.append("</aside>")
    return out


def _html_sources(report: Report) -> list[str]:
    out = [
        '<section id="sources"><h2>Sources</h2>',
        '<table class="sources"><thead><tr><th>#</th><th>File</th><th>Language</th><th>Title (source)</th>'
        "<th>Title (English)</th><th>Sentences</th><th>Removed lines</th></tr></thead><tbody>",
    ]
    for a in report.articles:
        first = a.sentences[0] if a.sentences else None
        en = report.english.get(first.id, "") if first else ""
        title_link = f'<a href="#article-{a.number}">{a.number}</a>'
        en_cell = ('<td class="en original">original English</td>' if first and _is_original(a, first, report)
                   else f'<td lang="en">{_esc(en)}</td>')
        out.append(
            f"<tr><th>{title_link}</th><td>{_esc(a.source)}</td><td>{_esc(_language_name(a))}</td>"
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
        if _is_original(a, s, report)
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
        f'<td class="flags">{_flag_badges(_flags_of(report, a, s))}{backlinks}</td></tr>'
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
        f'<table class="sentences"><thead><tr><th>ID</th><th>{_esc(_language_name(a))}</th><th>English</th>'
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


def _html_scores(report: Report) -> list[str]:
    if not report.scores:
        return []
    out = [
        '<section id="scores"><h2>Scores against references</h2>',
        '<table class="scores"><thead><tr><th>Scope</th><th>Metric</th><th>Score</th>'
        + ("<th>95% CI</th>" if _has_ci(report) else "")
        + "<th>Signature</th></tr></thead><tbody>",
    ]
    for group in report.scores:
        for s in group.scores:
            value, ci = _fmt_score(s)
            ci_cell = f'<td class="num">{_esc(ci)}</td>' if _has_ci(report) else ""
            out.append(
                f"<tr><td>{_esc(group.scope)}</td><td>{_esc(s.metric)}</td><td class=\"num\">{value}</td>"
                f'{ci_cell}<td class="sig">{_esc(s.signature)}</td></tr>'
            )
    out.append("</tbody></table>")
    if report.score_notices:
        out.append('<ul class="warnings">' + "".join(f"<li>{_esc(n)}</li>" for n in report.score_notices) + "</ul>")
    out.append("</section>")
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
    parts.extend(_html_sources(report))
    for a in report.articles:
        parts.extend(_html_article(report, a, cited))
    parts.extend(_html_scores(report))
    parts.append('<section id="manifest"><h2>Reproducibility manifest</h2>')
    parts.append(f'<pre class="manifest">{_esc(manifest_json(report))}</pre></section>')
    parts.append("</main></div>")
    parts.append(f"<script>{_SCRIPT}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Markdown

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
    for section, items in sections(brief):
        out += [f"### {section_title(section)}", ""]
        for n, b in items:
            line = f"{n}. {md_escape(b.text)}"
            if b.speaker:
                line += f" — *{md_escape(b.speaker)}*"
            if b.ids:
                line += " [" + ", ".join(md_escape(i) for i in b.ids) + "]"
            line += f" ({sources_label(b, brief.total_sources)})"
            if not b.supported:
                line += (f" **NOT SUPPORTED by its citations (support {b.support:.2f})**: "
                         f"{md_escape(_unsupported_why(b))}")
            out.append(line)
        out.append("")
    if brief.warnings:
        out += [f"- {md_escape(w)}" for w in brief.warnings] + [""]

    out += ["## Sources", ""]
    rows = []
    for a in report.articles:
        first = a.sentences[0] if a.sentences else None
        en_title = ("*original English*" if _is_original(a, first, report)
                    else md_escape(report.english.get(first.id, ""))) if first else ""
        rows.append([
            str(a.number), md_escape(a.source), _language_name(a), md_escape(a.title), en_title,
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
            shown = ("*original English*" if _is_original(a, s, report)
                     else md_escape(en) if en is not None else "*no translation*")
            rows.append([sid, md_escape(s.text), shown, ", ".join(md_escape(f.code) for f in _flags_of(report, a, s))])
        out += md_table(["ID", _language_name(a), "English", "Flags"], rows)
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
                value, ci = _fmt_score(s)
                row = [md_escape(group.scope), md_escape(s.metric), value] + ([ci] if _has_ci(report) else [])
                rows.append(row + [md_escape(s.signature)])
        header = ["Scope", "Metric", "Score"] + (["95% CI"] if _has_ci(report) else []) + ["Signature"]
        out += md_table(header, rows)
        out.append("")
        out += [f"- {md_escape(n)}" for n in report.score_notices] + ([""] if report.score_notices else [])

    body = manifest_json(report)
    fence = _fence(body)
    out += ["## Reproducibility manifest", "", fence + "json", body, fence, ""]
    return "\n".join(out)


# Registry of output formats, so the CLI's choices come from here.
FORMATS: dict[str, Callable[[Report], str]] = {"html": render_html, "md": render_markdown}
DEFAULT_FORMAT = "html"


def render(report: Report, fmt: str = DEFAULT_FORMAT) -> str:
    try:
        return FORMATS[fmt](report)
    except KeyError:
        raise InputError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
