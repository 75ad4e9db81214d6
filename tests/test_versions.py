"""The shared model of dates, copies and versions (toolkit.brief.versions)."""
from __future__ import annotations

import pytest

from toolkit.brief.versions import (AGREE, DISAGREEMENT, UPDATE, independent_count, original_of,
                                    reported_as_news, version_kind)
from toolkit.records import Article, Published, Version


def v(value: str, day: str) -> Version:
    return Version(value, f"{value} dead", ("1.1",), day)


@pytest.mark.parametrize("versions, kind", [
    ([v("12", "2010-01-12")], AGREE),
    ([v("12", "2010-01-12"), v("12", "2010-01-20")], AGREE),
    ([v("12", "2010-01-12"), v("15", "2010-01-13")], UPDATE),
    ([v("12", "2010-01-12"), v("12", "2010-01-13"), v("15", "2010-01-20"), v("20", "2010-03-01")], UPDATE),
    ([v("12", "2010-01-12"), v("15", "2010-01-12")], DISAGREEMENT),
    # a value given again after a later one was given: rival accounts
    ([v("12", "2010-01-12"), v("15", "2010-01-14"), v("12", "2010-01-15")], DISAGREEMENT),
    ([v("12", ""), v("15", "2010-01-12")], DISAGREEMENT),
    ([v("12", "not a date"), v("15", "2010-01-12")], DISAGREEMENT),
])
def test_version_kind(versions, kind):
    assert version_kind(versions) == kind


def test_a_fact_that_cannot_change_disagrees_whatever_the_dates():
    days = [v("wednesday", "2024-06-19"), v("thursday", "2024-06-25")]
    assert version_kind(days) == UPDATE
    assert version_kind(days, can_change=False) == DISAGREEMENT
    assert version_kind([v("wednesday", "2024-06-19")] * 2, can_change=False) == AGREE


def test_copies_count_once_and_chains_end_at_the_original():
    arts = [Article(1, "a", "", ()), Article(2, "b", "", (), copy_of=1), Article(3, "c", "", (), copy_of=2),
            Article(4, "d", "", ())]
    originals = original_of(arts)
    assert originals == {1: 1, 2: 1, 3: 1, 4: 4}
    assert independent_count([1, 2, 3], originals) == 1
    assert independent_count([2, 4], originals) == 2


def test_a_copy_cycle_does_not_hang():
    arts = [Article(1, "a", "", (), copy_of=2), Article(2, "b", "", (), copy_of=1)]
    assert set(original_of(arts)) == {1, 2}


def test_an_article_has_no_date_until_one_is_found():
    assert Article(1, "a", "", ()).published == Published()
    assert Published().method == "none" and Published().date == ""


@pytest.mark.parametrize("dates, news", [
    # the same day, or within the window: every one reports it
    ({1: "2010-01-12", 2: "2010-01-12", 3: "2010-01-15"}, {1, 2, 3}),
    # weeks later it is the story's background
    ({1: "2010-01-12", 2: "2010-01-13", 3: "2010-02-01", 4: "2010-03-18"}, {1, 2}),
    # the first report decides, not the order the articles are given in
    ({1: "2010-03-18", 2: "2010-01-12", 3: "2010-01-14"}, {2, 3}),
    # an undated article may be the first report: it counts
    ({1: "2010-01-12", 2: "", 3: "2010-02-01"}, {1, 2}),
    ({1: "", 2: ""}, {1, 2}),
    ({1: "no date", 2: "2010-01-12"}, {1, 2}),
])
def test_a_fact_is_news_in_the_reports_near_its_first(dates, news):
    assert reported_as_news(dates, dates, 3) == news
    assert reported_as_news([1], dates, 3) == {1}


@pytest.mark.parametrize("values, falls", [
    ([12, 40, 61], False),
    ([311, 139], True),           # an older tally reported later, or a count of something else
    ([100, 60, 120], False),      # revised down, but not by half
    ([5], False),
    ([], False),
])
def test_a_count_that_falls_below_half_is_another_count(values, falls):
    from toolkit.brief.versions import falls_away

    assert falls_away(values) is falls
