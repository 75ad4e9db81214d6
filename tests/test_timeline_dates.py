"""The timeline's days and what it says of each (`toolkit.brief.dates`):
days chosen from what the articles say happened when, one sentence per
day that tells it, never one already shown; `--dates N`."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from summarize_fixtures import make_articles
from toolkit.brief import brief_units
from toolkit.brief.dates import (DATE_SETTINGS, MAX_DATES, MIN_DATES, choose_timeline, day_scores, day_sentences,
                                 story_days, timeline_dates, unit_days)
from toolkit.brief.timeline import build_timeline
from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.facts import Fact, Reading, When
from toolkit.facts.model import DONE
from toolkit.records import Published

# A flood told over two weeks. The levee broke on 2 May: articles of 3, 4
# and 10 May name that day; 3 May's report also says what happened that
# day. Article 5 (of 12 May) looks back on the break; article 4 leads with
# a story-wide summary the brief shows as a key point.
FLOOD = {
    1: ["Rain fell across the valley for a third day.", "Officials warned residents near the river."],
    2: ["The levee on the Sava river broke on Thursday, flooding the lower town.",
        "Hundreds of families left their homes on Monday as the water rose."],
    3: ["The river flooded the valley this month, forcing thousands from their homes.",
        "Engineers said the levee gave way on Thursday after days of rain."],
    4: ["Repair crews began closing the breach in the levee.",
        "The levee failed on 2 May under the weight of the water."],
    5: ["The town counted the cost of the flood.", "The levee had broken on 2 May, ten days earlier."],
}
PUBLISHED = {1: "2024-05-01", 2: "2024-05-03", 3: "2024-05-04", 4: "2024-05-10", 5: "2024-05-12"}
# Event days the fact layer gives each sentence (`event_day`): a weekday
# resolved against its article's date, a date written out.
EVENT = {"2.1": "2024-05-02", "2.2": "2024-05-03", "3.2": "2024-05-02", "4.2": "2024-05-02", "5.2": "2024-05-02"}


def flood():
    articles, english = make_articles(FLOOD)
    articles = [replace(a, published=Published(PUBLISHED[a.number], "date-line")) for a in articles]
    units, _ = brief_units(articles, english)
    facts = [Fact(Reading(u.text, mode=DONE), When(EVENT[u.id], "day", "stated", "on 2 May") if u.id in EVENT else None)
             for u in units]
    return articles, units, facts


def vectors(units, groups):
    """Unit-length vectors: sentences in one group of `groups` (lists of
    IDs) point one way, every other sentence its own way."""
    width = len(units) + len(groups)
    out = np.zeros((len(units), width))
    for k, u in enumerate(units):
        group = next((g for g, ids in enumerate(groups) if u.id in ids), None)
        out[k, len(units) + group if group is not None else k] = 1.0
    return out


def test_each_sentence_has_its_event_day_and_days_score_by_mentions_and_publications():
    articles, units, facts = flood()
    published = {a.number: a.published.date for a in articles}
    days = unit_days(units, facts, published)
    assert dict(zip((u.id for u in units), days)) == {
        "1.1": "2024-05-01", "1.2": "2024-05-01", "2.1": "2024-05-02", "2.2": "2024-05-03", "3.1": "2024-05-04",
        "3.2": "2024-05-02", "4.1": "2024-05-10", "4.2": "2024-05-02", "5.1": "2024-05-12", "5.2": "2024-05-02"}
    score = day_scores(units, days, published)
    # four articles date a sentence to 2 May, and none was published that
    # day; article 1's two sentences of 1 May count it once
    assert score["2024-05-02"] == 4 and score["2024-05-01"] == 1 + DATE_SETTINGS.pub_weight
    # where a publication weighs less than the articles looking back, the
    # day they name comes first
    light = replace(DATE_SETTINGS, pub_weight=1.0)
    assert story_days(day_scores(units, days, published, light), 1) == ["2024-05-02"]
    # publication counts alone (the bench's baseline) never find 2 May
    pubs = day_scores(units, days, published, replace(DATE_SETTINGS, mention_weight=0.0))
    assert "2024-05-02" not in story_days(pubs, 4)
    # an undated article's sentences have no day
    assert unit_days(units, facts, {}) == [""] * len(units)


def test_without_a_number_the_timeline_takes_the_days_that_stand_out():
    score = {f"2024-05-{d:02d}": 1.0 for d in range(1, 29)}
    score["2024-05-02"] = 10.0
    # three days at least; a share of the best day's score decides more
    assert story_days(score) == ["2024-05-01", "2024-05-02", "2024-05-03"][:MIN_DATES]
    busy = {day: 10.0 for day in score}
    assert len(story_days(busy)) == MAX_DATES
    assert story_days(busy, 2) == ["2024-05-01", "2024-05-02"]  # ties: the earlier day


def test_a_day_is_told_by_the_sentence_closest_to_what_its_sentences_say():
    articles, units, facts = flood()
    index = {u.id: k for k, u in enumerate(units)}
    vec = vectors(units, [["2.1", "4.2", "5.2"]])
    members = [index[i] for i in ("3.2", "2.1", "4.2", "5.2")]
    # three of the four say one thing: the lead of those comes first, and
    # the others say it again
    assert [units[i].id for i in day_sentences(units, vec, members, [], 2)] == ["2.1", "3.2"]
    # never a sentence saying again what is already shown
    assert [units[i].id for i in day_sentences(units, vec, members, [index["5.2"]], 2)] == ["3.2"]


def test_the_timeline_dates_each_day_by_what_happened_and_repeats_no_key_point():
    articles, units, facts = flood()
    index = {u.id: k for k, u in enumerate(units)}
    vec = vectors(units, [["2.1", "4.2", "5.2"]])
    points = np.zeros((len(units), len(units)), dtype=bool)
    for a, b in (("2.1", "4.2"), ("2.1", "5.2")):
        points[index[a], index[b]] = points[index[b], index[a]] = True
    timeline = build_timeline(articles, units, points, facts, vec, wanted=6)
    assert [(e.date, e.citations, e.reported) for e in timeline][:3] == [
        ("2024-05-01", ("1.1",), ""),
        # the break, told by the report of the next day, cited with the
        # other articles that date it to 2 May
        ("2024-05-02", ("2.1", "4.2", "5.2"), "2024-05-03"),
        ("2024-05-03", ("2.2",), "")]
    # a sentence the brief shows is not told again: the day is told otherwise
    again = build_timeline(articles, units, points, facts, vec, wanted=6, shown=[index["2.1"]])
    assert again[1].date == "2024-05-02" and again[1].citations == ("3.2",)
    # by default, as many days as the story needs, in date order
    every = build_timeline(articles, units, points, facts, vec)
    assert len(every) >= MIN_DATES and [e.date for e in every] == sorted(e.date for e in every)
    # a story of one day has none
    one_day = [replace(a, published=Published("2024-05-03", "date-line")) for a in articles]
    assert build_timeline(one_day, units, points, facts, vec) == ()


def test_a_day_is_not_told_by_a_sentence_naming_another_weekday():
    articles, units, facts = flood()
    published = {a.number: a.published.date for a in articles}
    days = unit_days(units, facts, published)
    index = {u.id: k for k, u in enumerate(units)}
    vec = vectors(units, [["2.1", "4.2", "5.2"]])
    told = dict(choose_timeline(units, vec, days, published, wanted=6))
    assert told["2024-05-02"] == [index["2.1"]]
    # The same lead naming Sunday under Thursday 2 May gives way to one that does not.
    sunday = [replace(u, text=u.text.replace("on Thursday", "on Sunday")) if u.id == "2.1" else u for u in units]
    told = dict(choose_timeline(sunday, vec, days, published, wanted=6))
    assert told["2024-05-02"] != [index["2.1"]]


def test_choose_timeline_fills_the_days_asked_for_when_a_day_has_nothing_left():
    articles, units, facts = flood()
    published = {a.number: a.published.date for a in articles}
    days = unit_days(units, facts, published)
    vec = vectors(units, [])
    index = {u.id: k for k, u in enumerate(units)}
    # 12 May has one other sentence; shown, that day is skipped for the next
    chosen = choose_timeline(units, vec, days, published, wanted=5, shown=[index["5.1"]])
    assert [d for d, _ in chosen] == ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-10"]
    assert choose_timeline(units, vec, days, published, wanted=2, per_day=2)[0] == (
        "2024-05-01", [index["1.1"], index["1.2"]])


def test_dates_must_be_at_least_one():
    assert timeline_dates(None) is None and timeline_dates(3) == 3
    with pytest.raises(InputError, match="--dates must be at least 1, got 0"):
        timeline_dates(0)


def _flood_files(tmp_path):
    paths = []
    for n, lines in FLOOD.items():
        p = tmp_path / f"{PUBLISHED[n]}_flood{n}.txt"
        p.write_text(f"Flood report {n}\n\n" + " ".join(lines) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def test_summarize_dates_sets_the_days_of_the_timeline(tmp_path, monkeypatch):
    from summarize_fixtures import use_shared_hub

    use_shared_hub(monkeypatch)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    paths = _flood_files(tmp_path)
    for n in (1, 2):
        run = CliRunner().invoke(main, ["summarize", "--keep-off-topic", "--format", "json", "-n", "3",
                                        "--dates", str(n), *paths])
        assert run.exit_code == 0, run.output
        brief = json.loads(run.output[run.output.index("{"):])
        assert len({e["date"] for e in brief["timeline"]}) == n and brief["manifest"]["budget"]["dates"] == n
        shown = {b["text"] for b in brief["sentences"]}
        assert not shown & {e["text"] for e in brief["timeline"]}
    bad = CliRunner().invoke(main, ["summarize", "--dates", "0", *paths])
    assert bad.exit_code == 2 and "--dates must be at least 1, got 0" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
