"""A story told over days: the developing-story rule, the dated timeline,
the figures that change, and how they reach text, Markdown, JSON and the
sources table."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from fact_fixtures import PARSES, parsed
from summarize_fixtures import make_articles, use_shared_hub
from toolkit.brief import brief_units
from toolkit.brief.timeline import (DEVELOPING_MIN_DAYS, changing_figures, developing, figure_counts,
                                    figure_line, story_span)
from toolkit.cli import main
from toolkit.facts import COUNT, Quantity, Reading, fact_of, facts_for
from toolkit.facts.reading import read_doc
from toolkit.records import Published

# An invented quake story over three weeks; article 3 restates article 1's
# lead on the same day as article 1, article 4 on a later day.
QUAKE = {
    1: ["A strong earthquake struck the coastal province early on Monday, officials said.",
        "At least 12 people were killed and 40 were injured in the town of Sela."],
    2: ["Rescue teams pulled two survivors from a collapsed hotel on Thursday.",
        "The death toll rose to 310 as more bodies were found under the rubble."],
    3: ["Officials said a strong earthquake struck the coastal province early on Monday.",
        "The quake cut power to thousands of homes across the region."],
    4: ["The government said 1,204 people died in the earthquake, in a final count.",
        "Donors pledged $45 million for reconstruction of the province."],
}
DATES = {1: "2024-03-04", 2: "2024-03-07", 3: "2024-03-04", 4: "2024-03-25"}


def dated_story(dates=DATES):
    articles, english = make_articles(QUAKE)
    articles = [replace(a, published=Published(dates.get(a.number, ""), "date-line" if a.number in dates else "none",
                                               "", 1 if a.number in dates else 0)) for a in articles]
    return articles, english


def points_for(units, pairs):
    """A point matrix where each (i, j) pair of sentence IDs states one point."""
    index = {u.id: k for k, u in enumerate(units)}
    m = np.zeros((len(units), len(units)), dtype=bool)
    for a, b in pairs:
        m[index[a], index[b]] = m[index[b], index[a]] = True
    return m


def test_a_story_over_more_than_a_few_days_is_developing():
    articles, _ = dated_story()
    assert developing(articles) and story_span(articles)["days"] == 21
    same_week = {n: f"2024-03-0{4 + n % 2}" for n in QUAKE}
    assert not developing(dated_story(same_week)[0])
    edge = {1: "2024-03-01", 2: f"2024-03-{1 + DEVELOPING_MIN_DAYS:02d}"}
    assert not developing(dated_story(edge)[0])
    assert developing(dated_story({1: "2024-03-01", 2: f"2024-03-{2 + DEVELOPING_MIN_DAYS:02d}"})[0])
    # undated articles tell nothing about time
    assert not developing(dated_story({})[0]) and story_span(dated_story({})[0])["undated"] == 4


@pytest.mark.parametrize("text, counts", [
    ("At least 12 people were killed and 40 were injured.", [("dead", "12"), ("injured", "40")]),
    ("The death toll rose to 310 as more bodies were found.", [("dead", "310")]),
    ("The UN reported 222,570 deaths and 869 missing.", [("dead", "222570"), ("missing", "869")]),
    ("Donors pledged $45 million for the 1,204 victims' families.", []),
    ("Romanians raised 395,000 euro for the tsunami's victims.", []),
    ("The 7.0 magnitude quake killed thousands.", []),  # a vague count has no value to update
    ("The quake struck at 8:00 AM local time, 40 km from the city, and displaced 600 residents.",
     [("displaced", "600")]),  # a clock time or a distance never counts people
    ("About 5 percent of the 2,000 homes were destroyed on 27 February 2010.", []),
])
def test_counts_of_people_are_read_with_their_kind(text, counts):
    assert [(k, v) for k, v, _ in figure_counts(fact_of(read_doc(parsed(PARSES[text]))))] == counts


def test_the_real_parser_gives_the_same_counts(real_nlp):
    table = test_counts_of_people_are_read_with_their_kind.pytestmark[0].args[1]
    assert [[(k, v) for k, v, _ in figure_counts(f)] for f in facts_for([t for t, _ in table])] == [
        c for _, c in table]


# The counts of the quake story as the fact layer reads them (the reading
# itself is tested on the real parser above): what the figures are made of.
QUAKE_COUNTS = {
    "1.2": [Quantity("12", "12", COUNT, "people", "dead", "kill", "least"),
            Quantity("40", "40", COUNT, "", "injured", "injure")],
    "2.2": [Quantity("310", "310", COUNT, "toll", "dead", "rise")],
    "4.1": [Quantity("1204", "1,204", COUNT, "people", "dead", "die")],
}


def _read(articles, units):
    """Each unit's `Fact` with the counts of QUAKE_COUNTS, read against its
    article's date."""
    dates = {a.number: a.published.date for a in articles}
    return [fact_of(Reading(u.text, quantities=tuple(QUAKE_COUNTS.get(u.id, ()))), dates[u.article]) for u in units]


def test_a_count_that_rises_over_days_is_an_update_shown_latest_last():
    articles, english = dated_story()
    units, _ = brief_units(articles, english)
    figures = {f.about: f for f in changing_figures(articles, units, _read(articles, units))}
    assert set(figures) == {"dead"}  # the injured were counted once only
    dead = figures["dead"]
    assert dead.kind == "update"
    assert [(v.value, v.date, v.citations) for v in dead.versions] == [
        ("12", "2024-03-04", ("1.2",)), ("310", "2024-03-07", ("2.2",)), ("1204", "2024-03-25", ("4.1",))]
    assert figure_line(dead, cite=True) == "dead: rose from 12 on 4 Mar 2024 [1.2] to 1,204 by 25 Mar 2024 [4.1]"
    # a label taken from a sentence's words drops its full stop before the colon
    worded = dataclasses.replace(dead, about="The storm has left as many as … people dead.")
    assert figure_line(worded).startswith("The storm has left as many as … people dead: rose from 12 on")
    # two counts on one day are rival accounts, not an update: not shown as a changing figure
    clash = {**DATES, 2: "2024-03-04"}
    articles, english = dated_story(clash)
    assert "dead" not in {f.about for f in changing_figures(articles, units, _read(articles, units))}


def test_a_count_one_article_gives_only_deep_in_its_text_is_no_figure():
    import dataclasses

    from toolkit.brief.timeline import FIGURE_LEAD

    articles, english = dated_story()
    units, _ = brief_units(articles, english)
    # The third article's count (a comparison deep in a long page) follows
    # the story's own tolls: its sentence moved past FIGURE_LEAD drops it.
    deep = [dataclasses.replace(u, order=FIGURE_LEAD) if u.id == "4.1" else u for u in units]
    dead = {f.about: f for f in changing_figures(articles, deep, _read(articles, deep))}["dead"]
    assert [v.value for v in dead.versions] == ["12", "310"]
    # ... unless another article gives the same count.
    twice = {**QUAKE_COUNTS, "2.2": [Quantity("1204", "1,204", COUNT, "people", "dead", "die")]}
    dates = {a.number: a.published.date for a in articles}
    facts = [fact_of(Reading(u.text, quantities=tuple(twice.get(u.id, ()))), dates[u.article]) for u in deep]
    dead = {f.about: f for f in changing_figures(articles, deep, facts)}["dead"]
    assert [v.value for v in dead.versions] == ["12", "1204"]


# With a random-weight embedder (no ../shared) closeness says nothing of
# which article belongs to the story: every quake report is kept in.
KEEP = ("--keep-off-topic",)


def _quake_files(tmp_path):
    days = {1: "Monday, March 4, 2024", 2: "Thursday, March 7, 2024", 3: "Monday, March 4, 2024"}
    paths = []
    for n, lines in QUAKE.items():
        head = f"Quake report {n}\n\n" + (f"{days[n]}\n\n" if n in days else "")
        p = tmp_path / f"quake{n}.txt"
        p.write_text(head + " ".join(lines) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def test_the_developing_brief_in_every_format(tmp_path, monkeypatch):
    """Through the CLI on English articles with date lines: the timeline in
    JSON, text and Markdown; dates in the sources table; --date for an
    article that prints none; a one-day story unchanged (its figures, which
    need the real parser: the next test)."""
    use_shared_hub(monkeypatch)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    paths = _quake_files(tmp_path)
    # One key point: the timeline never repeats a sentence the brief shows,
    # and a default-length brief of eight sentences shows all of these.
    run = CliRunner().invoke(main, ["summarize", *KEEP, "-n", "1", "--format", "json", "--date", "quake4=2024-03-25",
                                    *paths])
    assert run.exit_code == 0, run.output
    brief = json.loads(run.output[run.output.index("{"):])
    assert [e["date"] for e in brief["timeline"]] == sorted(e["date"] for e in brief["timeline"])
    assert {e["date"] for e in brief["timeline"]} == {"2024-03-04", "2024-03-07", "2024-03-25"}
    assert brief["timeline"][-1] == {"date": "2024-03-25", "reported": "2024-03-25", "text": QUAKE[4][0],
                                       "citations": ["4.2"]}  # no date line: its lead is 4.2
    assert [(r["published"], r["date_found"]) for r in brief["manifest"]["sources"]] == [
        ("2024-03-04", "date-line"), ("2024-03-07", "date-line"), ("2024-03-04", "date-line"),
        ("2024-03-25", "option")]
    assert brief["manifest"]["story"]["developing"] is True
    for fmt in ("txt", "md", "rich"):
        out = CliRunner().invoke(main, ["summarize", *KEEP, "-n", "1", "--cite", "--format", fmt, "--date",
                                        "quake4=2024-03-25", *paths]).output
        flat = " ".join(out.split())
        assert "A developing story: 4 dated articles over 21 days, 4 Mar 2024 to 25 Mar 2024." in flat
        assert "Timeline" in out and "25 Mar 2024: The government said 1,204 people died" in flat
        assert "25 Mar 2024" in flat
    for fmt in ("html", "md"):
        page = CliRunner().invoke(main, ["report", *KEEP, "-n", "1", "--format", fmt, "--date", "quake4=2024-03-25",
                                         *paths]).output
        assert "A developing story: 4 dated articles over 21 days" in page
        if fmt == "html":
            assert '<ol class="timeline">' in page and '<li><time datetime="2024-03-04">4 Mar 2024</time>' in page
            assert '<span class="date" title="published 25 Mar 2024 (option)">25 Mar 2024</span>' in page
        else:
            assert "| # | File | Language | Date |" in page and "| 25 Mar 2024 |" in page
    # without the date, article 4 is undated and says so; the three dated
    # ones span three days, one event: no timeline
    plain = CliRunner().invoke(main, ["summarize", *KEEP, "--format", "txt", *paths]).output
    assert "quake4.txt  no date" in plain and "A developing story" not in plain and "Timeline" not in plain
    # one day: no timeline, no note
    one_day = CliRunner().invoke(main, ["summarize", *KEEP, "--format", "json", *paths[:3:2]])
    brief = json.loads(one_day.output[one_day.output.index("{"):])
    assert brief["timeline"] == [] and brief["figures"] == [] and not brief["manifest"]["story"]["developing"]



def test_the_developing_brief_shows_the_toll_as_it_rose(tmp_path, monkeypatch, real_nlp):
    """The latest figures, read by the real parser, in JSON, text, Markdown
    and the report."""
    use_shared_hub(monkeypatch)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    paths = _quake_files(tmp_path)
    run = CliRunner().invoke(main, ["summarize", "--format", "json", "--date", "quake4=2024-03-25", *paths])
    assert run.exit_code == 0, run.output
    brief = json.loads(run.output[run.output.index("{"):])
    dead = next(f for f in brief["figures"] if f["about"] == "dead")
    assert dead["value"] == "1204" and [u["value"] for u in dead["updates"]] == ["12", "310", "1204"]
    for fmt in ("txt", "md", "rich"):
        out = CliRunner().invoke(main, ["summarize", "--cite", "--format", fmt, "--date", "quake4=2024-03-25",
                                        *paths]).output
        assert "dead: rose from 12 on 4 Mar 2024" in " ".join(out.split())
    for fmt in ("html", "md"):
        page = CliRunner().invoke(main, ["report", "--format", fmt, "--date", "quake4=2024-03-25", *paths]).output
        assert "dead: rose from 12 on 4 Mar 2024" in page or "<b>dead</b>: 12 (4 Mar 2024)" in page


class _TableEmbedder:
    """Vectors looked up by sentence: sentences with one vector state one point."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts):
        return np.asarray([self.table[t] for t in texts], dtype=np.float64)


# Each article leads with its own development; the second sentence of each
# restates one fact in other words.
RESTATED = {
    1: ["Aid convoys reached the town of Sela on Thursday morning.",
        "The earthquake destroyed the old market in the centre of Sela."],
    2: ["Schools in the province reopened after three weeks of repairs.",
        "The old market at the heart of Sela was flattened by the quake."],
    3: ["Donors pledged new money for rebuilding at a meeting in Geneva.",
        "In the quake, the historic old market of Sela was destroyed completely."],
}


@pytest.mark.parametrize("dates, forced", [
    ({1: "2024-03-04", 2: "2024-03-05", 3: "2024-03-06"}, True),
    ({1: "2024-03-04", 2: "2024-03-20", 3: "2024-04-10"}, False),
    ({}, True),
])
def test_a_fact_later_articles_restate_is_background_not_a_forced_key_point(dates, forced):
    """Three sources state the market's destruction. Reported in one week,
    that is corroboration and the fact is a key point before any lead;
    restated by follow-ups weeks later it is the story's background and
    gives way to the developments. Either way it shows all its sources."""
    from toolkit import brief as S

    articles, english = make_articles(RESTATED)
    articles = [replace(a, published=Published(dates.get(a.number, ""), "date-line" if dates else "none"))
                for a in articles]
    table = {RESTATED[n][0]: [0.0] * 4 for n in RESTATED}
    for n in RESTATED:
        table[RESTATED[n][0]][n] = 1.0
        table[RESTATED[n][1]] = [1.0, 0.0, 0.0, 0.0]
    embedder = _TableEmbedder(table)
    short = S.build_brief(articles, english, embedder=embedder, sentences=2)
    market = [b for b in short.sentences if "market" in b.text]
    assert bool(market) == forced, [b.text for b in short.sentences]
    whole = S.build_brief(articles, english, embedder=embedder, sentences=4)
    point = next(b for b in whole.sentences if "market" in b.text)
    assert point.sources == 3 and sorted(c.id for c in point.citations) == ["1.2", "2.2", "3.2"]


@pytest.mark.parametrize("text, published, archive", [
    ("Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28, 2007.", "2010-05-06", True),
    ("The black boxes of the plane that crashed on June 1, 2009 were found.", "2010-05-06", False),
    ("The black boxes of the plane that crashed on June 1 last year were found.", "2010-05-06", False),
    ("The tsunami of 26 December 2004 killed more than 200,000 people.", "2005-12-26", True),
    ("Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28, 2007.", "", False),
    ("A plane landed on February 30, 2007.", "2010-05-06", False),
])
def test_a_sentence_about_a_day_a_year_before_its_article_is_an_archive_note(text, published, archive):
    from toolkit.brief.english import is_archive_note

    assert is_archive_note(text, published) is archive


CAPTIONED = ("Black boxes found\n\nThursday, May 6, 2010\n\n"
             "Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28, 2007. "
             "The aircraft was destroyed when the plane crashed in the Atlantic Ocean.\n\n"
             "The flight recorders of the Air France plane that crashed last year have been found, an official said.\n\n"
             "Search teams will try to lift them from the sea floor next week.\n")


def test_an_article_that_opens_on_a_photo_caption_leads_with_its_news(tmp_path):
    from toolkit.brief.english import brief_units, caption_ids
    from toolkit.ingest import load_articles

    path = tmp_path / "boxes.txt"
    path.write_text(CAPTIONED, encoding="utf-8")
    article, = load_articles([str(path)])
    assert article.published.date == "2010-05-06"
    english = {s.id: s.text for s in article.sentences}
    units, skipped = brief_units([article], english)
    # the caption is set aside and counted; what it says after it stays a
    # sentence of the story but is no lead; the news takes the lead's place,
    # after the title and the date line
    assert [english[i][:20] for i in skipped["caption"]] == ["Air France A330-200 "]
    run_on = next(u for u in units if u.text.startswith("The aircraft was destroyed"))
    assert run_on.place == run_on.length
    news = next(u for u in units if u.text.startswith("The flight recorders"))
    assert (news.order, news.place) == (4, 2) and min(u.place for u in units) == 2
    # and it is the article's lead claim, the development its timeline entry shows
    from toolkit.brief import lead_units

    assert [units[i].id for i in lead_units(units)] == [news.id]
    # undated, nothing is an archive note; in one paragraph only the dated
    # sentence is a caption
    assert caption_ids(replace(article, published=Published()), english) == {}
    flat = CAPTIONED.replace(".\n\nThe flight", ". The flight").replace(".\n\nSearch", ". Search")
    path.write_text(flat, encoding="utf-8")
    one, = load_articles([str(path)])
    found = caption_ids(one, {s.id: s.text for s in one.sentences})
    assert [(one.sentences[[s.id for s in one.sentences].index(i)].text[:9], v) for i, v in found.items()] == [
        ("Air Franc", True)]
