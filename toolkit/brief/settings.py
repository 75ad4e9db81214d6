"""The brief's tuning settings in one value: `BriefSettings`, whose defaults
are the module constants below. `build_brief` and the selection functions
take one (default `DEFAULT_SETTINGS`); a bench that tries other values
builds its own with `dataclasses.replace`, so nothing changes the
constants while a brief is made."""
from __future__ import annotations

from dataclasses import dataclass

# Salience (see `salience.sentence_value`), chosen on the MultiLing 2011
# development clusters with leave-one-cluster-out checks
# (bench/brief_tune.py): a concept counts when this many sources use it,
MIN_CONCEPT_SOURCES = 2
# the lead prior decays by e every LEAD_DECAY sentences and weighs
# LEAD_WEIGHT times the richest sentence's concept weight,
LEAD_DECAY = 1.0
LEAD_WEIGHT = 3.0
# and value is per word ** LENGTH_EXPONENT.
LENGTH_EXPONENT = 0.5
# Value kept by a sentence that starts with a pronoun or points back into
# its article, or carries translation flags.
UNCLEAR_FACTOR = 0.5
# Value kept by a sentence that quotes someone (a quoted passage of
# QUOTE_MIN_WORDS words or more): a brief reports what happened, and a quote
# gives the speaker's words for it at length; the human summaries of the
# development clusters paraphrase instead of quoting.
QUOTE_FACTOR = 0.5
# A fact that this many sources report as news (`versions.reported_as_news`)
# is always in the key points.
FORCE_SOURCES = 3

# Which sentences state the same point (`points.states_point`), chosen with
# bench/corroboration.py. A sentence of another source is cited (and
# counted) for a brief sentence only when it states the same point, and
# never below this plain cosine similarity to it.
CITE_SIMILARITY = 0.6
# Share of a sentence's claim words (content words other than names, each
# weighted by how rare it is in the story) another must carry to state its
# point: at least half of what it says.
CLAIM_OVERLAP = 0.5
# Near-paraphrases state one point whatever their words.
STATE_SIMILARITY = 0.8
# A sentence whose claim words weigh less than this share of the story's
# median sentence says too little to be corroborated ("And that was before
# swine flu." in a swine flu story): no other sentence states its point.
MIN_CLAIM_SHARE = 0.25


@dataclass(frozen=True)
class BriefSettings:
    """The brief's tuning settings; each field is the module constant of
    the same name in upper case."""

    min_concept_sources: int = MIN_CONCEPT_SOURCES
    lead_decay: float = LEAD_DECAY
    lead_weight: float = LEAD_WEIGHT
    length_exponent: float = LENGTH_EXPONENT
    unclear_factor: float = UNCLEAR_FACTOR
    quote_factor: float = QUOTE_FACTOR
    force_sources: int = FORCE_SOURCES
    cite_similarity: float = CITE_SIMILARITY
    claim_overlap: float = CLAIM_OVERLAP
    state_similarity: float = STATE_SIMILARITY
    min_claim_share: float = MIN_CLAIM_SHARE


DEFAULT_SETTINGS = BriefSettings()
