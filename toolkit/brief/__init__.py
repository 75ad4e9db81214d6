"""One brief across several articles about one story, every sentence citing
the source sentences it rests on (the extractive method, no LLM).

The steps, each a function of plain sentences, vectors and numbers so it
can be tested on its own:

1. `brief_units`: the English source sentences worth summarising (headings,
   fragments and untranslated sentences are set aside and counted).
2. `concepts` + `concept_weights`: content-word bigrams, weighted by how
   many sources use them; `lead_prior`: news puts what matters first.
3. `point_matrix` / `states_point`: which sentences of other sources
   state the same point, on their own; only they are cited and counted.
4. `select_sentences`: facts that FORCE_SOURCES or more sources report as
   news (`versions.reported_as_news`), then greedily the sentence adding
   the most concept weight and lead prior per word, never a fact twice,
   within the sentence or word budget; a default-length brief then adds
   each article's lead claim it lacks.
5. `build_brief`: each chosen sentence, verbatim, citing itself and its
   supporters, checked by `toolkit.verify.verify_sentences`; unsupported
   sentences are dropped with a warning and listed in the manifest.

6. `build_timeline` + `changing_figures` (`timeline`): for a story whose
   dated articles span more than a few days, the days that matter with the
   sentence that tells each (`dates`), in date order, and the counts that
   changed, latest last.

The tuning settings are one `BriefSettings` value (`settings`), passed to
`build_brief` and the selection functions; the defaults are the shipped
values.

Modules: `english` (inputs, `brief_units`), `settings`, `salience`, `points`, `quotes`,
`versions` (copies, updates and disagreements), `dates`, `timeline`, `render` (text,
Markdown, sections, sources table), `story` (the sources, sentences, facts and
their relations, read once) and `build` (the brief chosen and checked from them).
"""
from __future__ import annotations

from .render import (DIFFER_TITLE, KEY, QUOTE, SECTION_TITLES, SINGLE, brief_heading, copies_of, differ_lines, line_parts,
                     numbered_sections, render_text, section_title, sections, sources_label, sources_table)
from .english import UNUSABLE_FLAGS, Unit, brief_units, clarity, english_from_jsonl, is_clear, is_fragment, load_english
from .quotes import named_speaker, quote_of, speaker_of
from .salience import (concept_weights, concepts, lead_prior, lead_units, reader_words, select_sentences,
                       sentence_value)
from .points import (CITE_SIMILARITY, claim_rarity, claim_words, point_matrix, reported_events, states_point, supporters,
                     word_tokens)
from .build import DEFAULT_SENTENCES, PlannedSentence, brief_length, build_brief
from .settings import DEFAULT_SETTINGS, BriefSettings

__all__ = [
    "build_brief",
    "BriefSettings",
    "DEFAULT_SETTINGS",
    "PlannedSentence",
    "load_english",
    "english_from_jsonl",
    "brief_units",
    "Unit",
    "clarity",
    "is_clear",
    "is_fragment",
    "concepts",
    "concept_weights",
    "lead_prior",
    "sentence_value",
    "reader_words",
    "states_point",
    "claim_words",
    "claim_rarity",
    "reported_events",
    "point_matrix",
    "supporters",
    "select_sentences",
    "lead_units",
    "quote_of",
    "speaker_of",
    "named_speaker",
    "sources_table",
    "sections",
    "line_parts",
    "render_text",
    "DEFAULT_SENTENCES",
    "SECTION_TITLES",
    "KEY",
    "QUOTE",
    "SINGLE",
    "UNUSABLE_FLAGS",
    "word_tokens",
    "CITE_SIMILARITY",
    "brief_length",
    "numbered_sections",
    "section_title",
    "sources_label",
    "brief_heading",
    "copies_of",
    "differ_lines",
    "DIFFER_TITLE",
]
