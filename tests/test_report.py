"""The verification report as text: HTML structure, escaping, links, scores
and the Markdown export, on hand-made articles (no browser, no models)."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace

import pytest

from toolkit import __version__
from toolkit.errors import InputError, IntegrityError
from toolkit.report import (
    ARABIC_FONTS, CSP, FORMATS, build_report, render, render_html, render_markdown,
)
from toolkit.text.markdown import md_escape
from toolkit.records import Brief, BriefSentence, Citation

from tests.report_fixtures import (
    BRIEF_PAYLOAD, EN_PAYLOAD, IMG_PAYLOAD, MANIFEST_PAYLOAD, PAYLOADS, REMOVED_PAYLOAD, SCRIPT_PAYLOAD,
    SOURCE_PAYLOAD, Tags, make_articles, make_brief, make_flags,
)


@pytest.fixture(scope="module")
def report():
    articles, english = make_articles()
    return build_report(articles, english, make_brief(), flags=make_flags())


@pytest.fixture(scope="module")
def page(report):
    return render_html(report)


@pytest.fixture(scope="module")
def tags(page):
    return Tags(page)


def classes(attrs) -> set[str]:
    return set((attrs.get("class") or "").split())


# -- safety -------------------------------------------------------------------

def test_every_payload_appears_escaped_and_never_as_markup(page):
    import html

    for payload in PAYLOADS:
        assert html.escape(payload, quote=True) in page, payload
    assert "window.__injected" not in "".join(Tags(page).scripts)


def test_only_the_pages_own_script_and_no_event_handlers(tags):
    scripts = [a for t, a in tags.tags if t == "script"]
    assert len(scripts) == 1 and scripts[0] == {}
    assert not [t for t, _ in tags.tags if t in ("img", "svg", "iframe", "object", "embed")]
    handlers = [(t, k) for t, attrs in tags.tags for k in attrs if k.startswith("on")]
    assert handlers == []


def test_page_makes_no_network_requests_and_csp_allows_only_its_script(page, tags):
    assert 'src="' not in page and "url(" not in page and "@import" not in page
    assert not re.search(r'href="(?!#|data:)', page)
    csp = tags.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp and csp[0]["content"] == CSP and "default-src 'none'" in CSP
    digest = base64.b64encode(hashlib.sha256(tags.scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CSP, "the browser would block the page's own script"


# -- content --------------------------------------------------------------------

def test_each_citation_links_to_the_row_of_the_cited_sentence(report, tags):
    rows = {a["id"]: a for a in tags.find("tr") if a.get("id")}
    cites = [a for t, a in tags.tags if t == "a" and "cite" in classes(a)]
    wanted = [c.id for b in report.brief.sentences for c in b.citations]
    assert sorted(a["data-target"] for a in cites) == sorted(f"s-{i}" for i in wanted)
    for a in cites:
        assert a["href"] == "#" + a["data-target"] and a["data-target"] in rows


def test_every_sentence_has_one_row_with_rtl_arabic_cell(report, page, tags):
    ids = [s.id for a in report.articles for s in a.sentences]
    assert [a["id"] for a in tags.find("tr") if (a.get("id") or "").startswith("s-")] == [f"s-{i}" for i in ids]
    arabic = [a for t, a in tags.tags if t == "td" and "ar" in classes(a)]
    # one per sentence plus one title per article in the sources table
    assert len(arabic) == len(ids) + len(report.articles)
    assert all(a.get("dir") == "rtl" and a.get("lang") == "ar" for a in arabic)
    assert ARABIC_FONTS in page and "text-align: right" in page


def test_side_by_side_row_shows_id_arabic_english_and_flags(report, page):
    s = report.articles[0].sentences[2]
    row = re.search(r'<tr id="s-1\.3".*?</tr>', page, re.S).group(0)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    assert cells[0] == "1.3" and cells[1] == s.text and cells[2] == report.english["1.3"]
    assert "numbers-missing" in cells[3] and 'href="#b-2"' in cells[3], "flag and back-link to the brief"


def test_brief_sections_numbering_sources_and_unsupported_mark(page, tags):
    items = [a for t, a in tags.tags if t == "li" and "claim" in classes(a)]
    # key points first (brief sentences 1 and 4), then quotes, then single-source
    # claims, numbered as shown
    assert [a["id"] for a in items] == ["b-1", "b-2", "b-3", "b-4"]
    texts = re.findall(r'<li id="b-\d+"[^>]*><span class="text">([^<]*)', page)
    assert [t[:14] for t in texts] == ["A new public l", "The library ho", "The library is", "It opens daily"]
    assert [a["id"] for a in items if "unsupported" in classes(a)] == ["b-2"]
    order = [page.index(h) for h in ("Key points", "Notable quotes", "Reported by one source only")]
    assert order == sorted(order)
    assert "2 of 3 sources" in page and "— the mayor" in page
    assert "not supported by its citations (support 0.41)" in page


def test_sources_table_and_removed_lines_collapsed(report, page):
    sources = re.search(r'<section id="sources">.*?</section>', page, re.S).group(0)
    for a in report.articles:
        assert f"<td class=\"num\">{len(a.sentences)}</td><td class=\"num\">{len(a.removed)}</td>" in sources
    details = re.findall(r'<details class="removed">.*?</details>', page, re.S)
    assert len(details) == 2 and "<details open" not in page
    assert "2 removed boilerplate lines" in details[0] and "read-also" in details[0]
    assert "1 removed boilerplate line<" in details[1] and "&lt;/details&gt;" in details[1]


def test_manifest_is_complete_and_readable(report, page):
    pre = re.search(r'<pre class="manifest">(.*?)</pre>', page, re.S).group(1)
    import html

    data = json.loads(html.unescape(pre))
    assert data["toolkit_version"] == __version__
    assert data["model"] == "test/none" and data["note"] == MANIFEST_PAYLOAD
    assert data["options"] == {"sentences": 4}


def test_output_is_deterministic(report):
    assert render_html(report) == render_html(report)
    assert render_markdown(report) == render_markdown(report)


def test_missing_english_is_shown_not_hidden():
    articles, english = make_articles(fillers=0)
    del english["3.2"]
    page = render_html(build_report(articles, english, make_brief()))
    row = re.search(r'<tr id="s-3\.2".*?</tr>', page, re.S).group(0)
    assert 'class="en missing">no translation<' in row
    assert "1 sentence(s) have no English: 3.2" in page


# -- integrity ----------------------------------------------------------------

def test_citation_of_unknown_id_is_refused():
    articles, english = make_articles(fillers=0)
    brief = Brief((BriefSentence("x", (Citation("9.9", 9, 1.0),), 1, True),), 3)
    with pytest.raises(IntegrityError, match="9.9"):
        build_report(articles, english, brief)


def test_no_articles_is_an_input_error():
    with pytest.raises(InputError):
        build_report([], {}, Brief((), 0))


def test_empty_brief_still_shows_the_evidence():
    articles, english = make_articles(fillers=0)
    page = render_html(build_report(articles, english, Brief((), 3)))
    assert "The brief is empty." in page and 'id="s-3.2"' in page


# -- scores ---------------------------------------------------------------------

def test_scores_against_references_per_article_and_overall():
    articles, english = make_articles(fillers=2)
    references = dict(english)
    references["2.2"] = "Visitors were turned away from the closed building."
    report = build_report(articles, english, make_brief(), references=references)
    by_scope = {g.scope: {s.metric: s for s in g.scores} for g in report.scores}
    assert list(by_scope) == ["all articles", "1 library-opening", f"2 {articles[1].name}", "3 ceremony"]
    assert by_scope["1 library-opening"]["BLEU"].score == pytest.approx(100.0)
    assert by_scope["3 ceremony"]["TER"].score == pytest.approx(0.0)
    assert by_scope[f"2 {articles[1].name}"]["BLEU"].score < 90
    assert 90 < by_scope["all articles"]["chrF2"].score < 100
    assert by_scope["all articles"]["BLEU"].signature.startswith("BLEU|nrefs:1|")
    page, md = render_html(report), render_markdown(report)
    assert '<section id="scores">' in page and "## Scores against references" in md
    assert "BLEU\\|nrefs:1\\|" in md, "signature pipes must not split the Markdown table"


def test_reference_missing_for_a_sentence_is_refused():
    articles, english = make_articles(fillers=0)
    references = dict(english)
    del references["1.2"]
    with pytest.raises(IntegrityError, match="1.2"):
        build_report(articles, english, make_brief(), references=references)


def test_no_scores_section_without_references(page):
    assert 'id="scores"' not in page


# -- Markdown -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("a | b", "a \\| b"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("*bold* and _it_", "\\*bold\\* and \\_it\\_"),
    ("[link](http://x)", "\\[link\\](http://x)"),
    ("`code`", "\\`code\\`"),
    ("line one\nline two", "line one line two"),
    ("# not a heading", "\\# not a heading"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    ("3.5 million", "3.5 million"),
    ("AT&T", "AT&amp;T"),
    ("قال «المكتبة لكل الناس»", "قال «المكتبة لكل الناس»"),
])
def test_markdown_escaping(text, expected):
    assert md_escape(text) == expected


def test_markdown_carries_the_same_content(report):
    md = render_markdown(report)
    for a in report.articles:
        for s in a.sentences:
            assert re.search(rf"^\| (\*\*)?{re.escape(s.id)}(\*\*)? \| ", md, re.M), s.id
        for r in a.removed:
            assert md_escape(r.text) in md
    assert "1. A new public library opened in the city centre. [1.2, 2.2] (2 of 3 sources)" in md
    assert "NOT SUPPORTED by its citations (support 0.41)" in md
    assert md_escape(BRIEF_PAYLOAD) in md and BRIEF_PAYLOAD not in md
    for payload in (SCRIPT_PAYLOAD, IMG_PAYLOAD, EN_PAYLOAD, SOURCE_PAYLOAD, REMOVED_PAYLOAD):
        assert payload not in md
    assert "*no translation*" not in md
    block = re.search(r"^(`{3,})json\n(.*?)\n\1$", md, re.M | re.S)
    assert json.loads(block.group(2)) == dict(report.manifest)


def test_markdown_manifest_fence_outlasts_backticks_in_the_manifest(report):
    r = replace(report, manifest={**report.manifest, "x": "````"})
    md = render_markdown(r)
    block = re.search(r"^(`{3,})json\n(.*?)\n\1$", md, re.M | re.S)
    assert len(block.group(1)) == 5 and json.loads(block.group(2))["x"] == "````"


def test_format_registry():
    assert set(FORMATS) == {"html", "md"}
    articles, english = make_articles(fillers=0)
    r = build_report(articles, english, make_brief())
    assert render(r, "md").startswith("# Verification report")
    assert render(r, "html").startswith("<!DOCTYPE html>")
    with pytest.raises(InputError, match="unknown report format"):
        render(r, "pdf")
