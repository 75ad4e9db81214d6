"""The report in a real browser: headless system Chromium driven by
Playwright. One browser for the whole module; each test opens a page.

Chromium comes from the system (Debian: ``apt-get update && apt-get
install -y chromium chromium-driver``), never from Playwright's downloader. Without it these
tests fail in CI and are skipped elsewhere, saying why."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from toolkit.report import build_report, render_html
from tests.report_fixtures import SCRIPT_PAYLOAD, make_articles, make_brief, make_flags, seed_reports

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        _unavailable("Chromium not found; install it with: "
                     "apt-get update && apt-get install -y chromium chromium-driver")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def open_report(browser, tmp_path):
    """Write an HTML report to a file and open it; records every request
    the page makes and every dialog it tries to show."""
    pages = []

    def _open(html: str, name: str = "report.html"):
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport=VIEWPORT)
        page.requests = []
        page.dialogs = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.file_url = path.as_uri()
        page.goto(page.file_url)
        page.wait_for_load_state("load")
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.close()


ROW_STATE = """id => {
  const row = document.getElementById(id);
  const r = row.getBoundingClientRect();
  return {
    highlighted: row.classList.contains("hl"),
    others: [...document.querySelectorAll(".hl")].map(e => e.id),
    top: r.top, bottom: r.bottom, height: window.innerHeight,
    arabic: row.querySelector("td[lang=ar]").textContent,
    background: getComputedStyle(row.querySelector("td")).backgroundColor,
    focused: document.activeElement === row,
  };
}"""

# Where the first and the last letter of a cell are drawn: in right-to-left
# layout the first letter is to the right of the last one.
GLYPH_ORDER = """cell => {
  const text = cell.firstChild, range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  const first = range.getBoundingClientRect();
  const n = text.length;
  range.setStart(text, n - 2); range.setEnd(text, n - 1);
  const last = range.getBoundingClientRect();
  const box = cell.getBoundingClientRect();
  const style = getComputedStyle(cell);
  return {direction: style.direction, align: style.textAlign, first: first.left, last: last.left,
          cellRight: box.right, firstRight: first.right, lines: Math.round(box.height)};
}"""


def test_citation_scrolls_to_and_highlights_the_cited_sentence(open_report):
    articles, english = make_articles()
    report = build_report(articles, english, make_brief(), flags=make_flags())
    page = open_report(render_html(report))
    start = page.evaluate("window.scrollY")

    # "It opens daily from nine to eight." cites 3.2, far down the page.
    page.click('#b-4 a.cite[data-target="s-3.2"]')
    state = page.evaluate(ROW_STATE, "s-3.2")
    assert state["highlighted"] and state["others"] == ["s-3.2"]
    assert state["arabic"] == articles[2].sentences[1].text
    assert 0 <= state["top"] and state["bottom"] <= state["height"], state
    assert page.evaluate("window.scrollY") > start + 500, "the page should have scrolled down"
    assert state["background"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    assert state["focused"], "keyboard and screen-reader users land on the sentence"
    assert page.evaluate("location.hash") == "#s-3.2"
    assert page.evaluate("[...document.querySelectorAll('a.current')].map(a => a.closest('li').id)") == ["b-4"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-citation.png"))

    # A second citation moves the highlight; the old row is plain again.
    page.click('#b-1 a.cite[data-target="s-2.2"]')
    state = page.evaluate(ROW_STATE, "s-2.2")
    assert state["highlighted"] and state["others"] == ["s-2.2"]
    assert 0 <= state["top"] and state["bottom"] <= state["height"]

    # The back-link in the row leads to the brief sentence that cites it.
    page.click('[id="s-2.2"] a[data-target="b-1"]')
    assert page.evaluate("document.getElementById('b-1').classList.contains('hl')")
    assert page.requests == [page.file_url], f"unexpected requests: {page.requests}"


def test_arabic_is_right_to_left_and_injected_markup_stays_text(open_report):
    articles, english = make_articles()
    page = open_report(render_html(build_report(articles, english, make_brief(), flags=make_flags())))

    cells = page.query_selector_all("td[lang=ar]")
    assert len(cells) == sum(len(a.sentences) for a in articles) + len(articles)
    styles = page.evaluate(
        "() => [...document.querySelectorAll('td[lang=ar]')].map(c => getComputedStyle(c).direction"
        " + ' ' + getComputedStyle(c).textAlign)")
    assert set(styles) == {"rtl right"}
    # A long one-line sentence: the first letter is drawn right of the last
    # and flush with the cell's right edge.
    glyphs = page.eval_on_selector('[id="s-1.2"] td[lang=ar]', GLYPH_ORDER)
    assert glyphs["first"] > glyphs["last"], glyphs
    assert glyphs["cellRight"] - glyphs["firstRight"] < 20, glyphs

    assert page.evaluate("window.__injected") is None
    assert page.dialogs == []
    shown = page.eval_on_selector('[id="s-2.3"] td[lang=ar]', "c => c.textContent")
    assert SCRIPT_PAYLOAD in shown, "the payload must be visible as text"
    assert page.evaluate("document.scripts.length") == 1
    assert page.requests == [page.file_url], f"unexpected requests: {page.requests}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-top.png"))


def test_seed_report_citation_of_the_signing_leads_to_its_arabic_sentence(open_report, tmp_path_factory):
    seed = seed_reports(tmp_path_factory)
    page = open_report(seed["html"].read_text(encoding="utf-8"), "seeds.html")
    assert page.evaluate("""() => [...document.querySelectorAll('a.cite')]
        .filter(a => !document.getElementById(a.dataset.target)).length""") == 0
    cites = page.evaluate("""() => [...document.querySelectorAll('#brief li')]
        .filter(li => /\\bsign(ed|ing)\\b/i.test(li.querySelector('.text').textContent))
        .map(li => [li.id, [...li.querySelectorAll('a.cite')].map(a => a.dataset.target)])""")
    assert cites, "the brief should report the signing"
    item, targets = max(cites, key=lambda c: len({t.split(".")[0] for t in c[1]}))
    assert len({t.split(".")[0] for t in targets}) >= 2, "signing cited from at least two articles"
    sentences = {s.id: s.text for a in seed["articles"] for s in a.sentences}
    for target in (targets[-1], targets[0]):  # the furthest down the page, then back up
        page.click(f'[id="{item}"] a.cite[data-target="{target}"]')
        state = page.evaluate(ROW_STATE, target)
        assert state["highlighted"] and state["others"] == [target]
        assert 0 <= state["top"] and state["bottom"] <= state["height"], state
        assert state["arabic"] == sentences[target[2:]]
    styles = page.evaluate(
        "() => [...document.querySelectorAll('td[lang=ar]')].map(c => getComputedStyle(c).direction)")
    assert styles and set(styles) == {"rtl"}
    assert page.evaluate("window.__injected") is None
    assert page.requests == [page.file_url], f"unexpected requests: {page.requests}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-seeds.png"))


def test_seed_sources_fit_on_one_screen(open_report, tmp_path_factory):
    """Five sources: the titles take the width, file names show as base
    names with the full path on hover, and the whole table fits the window."""
    seed = seed_reports(tmp_path_factory)
    page = open_report(seed["html"].read_text(encoding="utf-8"), "seeds-sources.html")
    box = page.evaluate("""() => {
      const t = document.querySelector('table.sources'), r = t.getBoundingClientRect();
      const files = [...t.querySelectorAll('td.file')];
      return {height: r.height, width: r.width, scroll: t.parentElement.scrollWidth - t.parentElement.clientWidth,
              rows: t.tBodies[0].rows.length, names: files.map(c => c.textContent),
              paths: files.map(c => c.title), window: window.innerHeight};
    }""")
    assert box["rows"] == len(seed["articles"]) == 5
    assert box["height"] <= box["window"], box
    assert box["scroll"] <= 0, box
    for a, name, path in zip(seed["articles"], box["names"], box["paths"]):
        assert path == a.source and name == Path(a.source).name


def test_long_file_names_wrap_and_the_legend_is_shown(open_report):
    """A long file name is shown whole, wrapped inside its cell, not cut
    off; the legend explaining the marks is open on the page."""
    from dataclasses import replace

    articles, english = make_articles()
    long_name = "2024-06-19_rossiya-koreya_vizit-putina_v_phenyan_polnyj-tekst-stati_" + "x" * 30 + ".txt"
    articles = [replace(a, source=f"/archive/{i}-{long_name}") for i, a in enumerate(articles, 1)]
    page = open_report(render_html(build_report(articles, english, make_brief(), flags=make_flags())), "long.html")
    cells = page.evaluate("""() => [...document.querySelectorAll('table.sources td.file')].map(c => ({
        text: c.textContent, clipped: c.scrollWidth > c.clientWidth + 1, lines: c.getClientRects()[0].height,
        line: parseFloat(getComputedStyle(c).lineHeight) || 20}))""")
    assert len(cells) == len(articles)
    for i, cell in enumerate(cells, 1):
        assert cell["text"] == f"{i}-{long_name}" and not cell["clipped"], cell
        assert cell["lines"] > cell["line"] * 1.5, cell  # wrapped onto more than one line
    legend = page.evaluate("""() => { const d = document.getElementById('legend');
        return {open: d.open, text: d.innerText, visible: d.getBoundingClientRect().height > 0}; }""")
    assert legend["open"] and legend["visible"] and "cited by" in legend["text"]
