"""New sentences parsed in a forked process while the brief embeds them
(`toolkit.facts.parse.parse_ahead`): the readings land in the cache, the
same as a parse in the brief's own process, and nothing is started where
there is nothing to gain."""
from __future__ import annotations

import os

import pytest

from toolkit.errors import ModelUnavailable
from toolkit.facts import nlp as nlp_module
from toolkit.facts.parse import parse_ahead, read_sentences

TEXTS = ["The river flooded three villages in the north on Sunday.",
         "Farmers lost most of the wheat harvest in the valley.",
         "The river flooded three villages in the north on Sunday."]


def _no_pipeline(*args, **kwargs):
    raise AssertionError("the pipeline was loaded in the brief's own process")


def test_new_sentences_are_parsed_ahead_into_the_cache(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # as on a machine of two cores or more
    heard: list[tuple[int, int]] = []
    parse_ahead(TEXTS, progress=lambda done, total: heard.append((done, total)))()
    assert heard[0] == (0, 2) and heard[-1] == (2, 2)  # the repeated sentence is parsed once
    assert [h for h in heard if h[0] == 0] == [(0, 2)]  # started once, never again
    assert heard == sorted(heard)
    direct = read_sentences(TEXTS, use_cache=False)
    monkeypatch.setattr(nlp_module, "load", _no_pipeline)
    assert read_sentences(TEXTS) == direct  # from the cache, as a parse here would read them
    # all cached: nothing to start, nothing to report
    again: list[tuple[int, int]] = []
    parse_ahead(TEXTS, progress=lambda done, total: again.append((done, total)))()
    assert again == []


@pytest.mark.parametrize("setting, value", [("TOOLKIT_THREADS", "1"), ("TOOLKIT_NLP_MODEL", "/nonexistent/pipeline")])
def test_nothing_is_started_on_one_thread_or_without_a_pipeline(monkeypatch, setting, value):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv(setting, value)
    heard: list[tuple[int, int]] = []
    parse_ahead(TEXTS, progress=lambda done, total: heard.append((done, total)))()
    assert heard == []
    if setting == "TOOLKIT_NLP_MODEL":
        # the brief's own parse then says what is missing
        with pytest.raises(ModelUnavailable):
            read_sentences(TEXTS)
    else:
        monkeypatch.setattr(nlp_module, "load", _no_pipeline)
        with pytest.raises(AssertionError):
            read_sentences(TEXTS)  # nothing was cached ahead
