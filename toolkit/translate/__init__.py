"""Arabic to English translation of segmented articles.

    run = translate_articles(articles, model="best")
    run.translations["1.3"].text

Every sentence ID in gets exactly one `Translation` out (or
`IntegrityError`); sentences of English articles (``Article.language``)
are their own translation, flagged ``original-english``, and never reach a
model or the cache; over-long input is cut, never truncated; results are
cached on disk so a repeated run does no model work and imports neither
torch nor transformers.

Modules, lowest first (a module imports only those above it, at any level):
`budget` (batch and output budgets), `models`, `tokenizer`, `flags`,
`glossary`; `base` (the `Translator` interface); `cache`; `ct2` and `hf`
(one engine each); `engines` (the registry, `ENGINES`); `device` (the
order of engine/device pairs); `selection` (`EngineSelector`: choosing,
probing and falling back); `run` (`translate_articles`); `stream` and
`ray_data` (archives). This file only re-exports.
"""
from __future__ import annotations

from .base import Hypothesis, Translator
from .engines import ENGINE_CHOICES, ENGINES
from .glossary import Glossary
from .models import PRESETS, Preset
from .run import TranslationRun, _coverage, _int_setting, cache_location, english_text, translate_articles
from .selection import DEVICES, SELECTOR, EngineSelector, engine_versions, get_translator, resolve_engine

__all__ = ["translate_articles", "get_translator", "resolve_engine", "english_text", "TranslationRun",
           "Translator", "Hypothesis", "Glossary", "PRESETS", "Preset", "ENGINES", "ENGINE_CHOICES", "DEVICES",
           "EngineSelector", "SELECTOR", "engine_versions", "cache_location", "_coverage", "_int_setting"]
