"""The report as a journalist meets it: a legend for every mark on the page,
a short scores table with the signatures folded away, and the manifest's
main facts in words with the JSON folded."""
from __future__ import annotations

import html
import json
import re

from tests.report_fixtures import make_articles, make_brief, make_flags
from toolkit.report import build_report, render_html


def _report(**kw):
    articles, english = make_articles(fillers=2)
    return build_report(articles, english, make_brief(), flags=make_flags(),
                        manifest={"english": {"kind": "references", "path": "refs/"}, "method": "extractive",
                                  "embedder": {"model": "test/embedder"}, "dropped": []}, **kw)


def _legend(page: str) -> str:
    return re.search(r'<details id="legend".*?</details>', page, re.S).group(0)


def test_every_mark_on_the_page_is_in_the_legend():
    report = _report()
    page = render_html(report)
    legend = _legend(page)
    assert page.index('id="legend"') < page.index('id="sources"')
    assert "cited by" in page and "cited by <a>B4</a>" in legend and "sentence 4 of the brief" in legend
    assert "a citation: article 2, sentence 3" in legend
    assert f"2 of {report.brief.total_sources} sources" in legend
    assert "not supported by its citations" in legend
    # each flag that occurs, with what it means; none that does not
    codes = {c for c in re.findall(r'<span class="badge flag"[^>]*>([^<]+)</span>', page.replace(legend, ""))}
    assert codes == {"length-ratio", "numbers-missing"}
    for code in codes:
        assert re.search(rf'<dt><span class="badge flag">{code}</span></dt><dd>[^<]{{20,}}</dd>', legend), code
    assert "a number of the Arabic is not in the English" in legend and "loop" not in legend


def test_scores_are_a_short_table_with_the_signatures_folded():
    articles, english = make_articles(fillers=2)
    report = _report(references=dict(english))
    page = render_html(report)
    scores = re.search(r'<section id="scores">.*?</section>', page, re.S).group(0)
    summary = re.search(r'<table class="scores-summary">.*?</table>', scores, re.S).group(0)
    rows = [html.unescape(r) for r in re.findall(r"<tr><td>([^<]*)</td>", summary)]
    assert rows == [g.scope for g in report.scores]  # one row per scope, metrics across
    assert "BLEU" in summary and "TER" in summary and "nrefs" not in summary
    folded = re.search(r'<details class="signatures">.*?</details>', scores, re.S).group(0)
    assert "BLEU|nrefs:1|" in html.unescape(folded) and "<details class=\"signatures\" open" not in scores
    assert scores.count("nrefs:1") == scores.count("nrefs:1", scores.index(folded))


def test_the_manifest_is_told_in_words_and_folded_as_json():
    page = render_html(_report())
    section = re.search(r'<section id="manifest">.*?</section>', page, re.S).group(0)
    facts = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", section))
    assert facts["English from"] == "reference translations in refs/"
    assert facts["Embedding model"] == "test/embedder"
    assert facts["Failed the citation check"].startswith("0 sentence")
    folded = re.search(r'<details class="manifest"><summary>[^<]+</summary>\s*<pre class="manifest">(.*?)</pre>'
                       r"</details>", section, re.S)
    assert folded and json.loads(html.unescape(folded.group(1)))["english"]["kind"] == "references"
