"""The brief's tuning settings are a value passed in: another value changes
what the selection functions do, and making a brief with one changes no
module constant."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from toolkit import brief as S
from toolkit.brief import points as points_module
from toolkit.brief import salience
from toolkit.brief.settings import DEFAULT_SETTINGS, BriefSettings


def _unit(sid, text):
    art, idx = (int(x) for x in sid.split("."))
    return S.Unit(sid, art, idx, idx - 1, idx - 1, 5, text)


def test_settings_are_frozen_and_default_to_the_documented_constants():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.lead_weight = 1.0
    for f in dataclasses.fields(BriefSettings):
        module = points_module if f.name in ("cite_similarity", "claim_overlap", "state_similarity",
                                            "min_claim_share") else salience
        assert getattr(DEFAULT_SETTINGS, f.name) == getattr(module, f.name.upper())


def test_another_force_sources_changes_which_fact_comes_first():
    # 1.4 and 2.4 state one fact (two sources) late in their articles;
    # 3.1 is a lead and worth more on its own.
    units = [_unit("1.4", "Alpha beta gamma."), _unit("2.4", "Alpha beta gamma delta."),
             _unit("3.1", "Alpha beta gamma delta epsilon zeta eta theta.")]
    concept_sets = [S.concepts(u.text) for u in units]
    weights = S.concept_weights(concept_sets, [u.article for u in units])
    pts = np.zeros((3, 3), dtype=bool)
    pts[0, 1] = pts[1, 0] = True
    sources = [2, 2, 1]
    shipped = S.select_sentences(units, concept_sets, weights, pts, limit=1, sources=sources)
    two = dataclasses.replace(DEFAULT_SETTINGS, force_sources=2)
    forced = S.select_sentences(units, concept_sets, weights, pts, limit=1, sources=sources, settings=two)
    assert shipped == [2] and forced in ([0], [1])
    assert salience.FORCE_SOURCES == 3 and DEFAULT_SETTINGS.force_sources == 3


def test_another_cite_similarity_changes_what_states_a_point():
    sentence = "The two leaders signed the agreement on Monday in the capital."
    other = "The leaders signed the agreement in the capital on Monday."
    assert S.states_point(sentence, other, 0.7) is True
    strict = dataclasses.replace(DEFAULT_SETTINGS, cite_similarity=0.75)
    assert S.states_point(sentence, other, 0.7, settings=strict) is False
    assert S.CITE_SIMILARITY == 0.6


def test_the_lead_prior_and_value_follow_the_settings():
    slow = dataclasses.replace(DEFAULT_SETTINGS, lead_decay=4.0)
    assert S.lead_prior(2, slow) > S.lead_prior(2)
    no_lead = dataclasses.replace(DEFAULT_SETTINGS, lead_weight=0.0)
    assert S.sentence_value(1.0, 0, 4, no_lead) < S.sentence_value(1.0, 0, 4)
