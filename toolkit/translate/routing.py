"""Which articles a translation model takes, and as what language.

Each article's language is detected when it is read (`toolkit.ingest`):
Arabic, English (passed through), or another language of the Latin or the
Arabic script (French, Turkish, Persian, ...). A model of one source
language (the OPUS-MT presets: Arabic) translates only that one; NLLB-200
(the `nllb` preset, or any NLLB/M2M100 checkpoint) translates every
language here, each sentence marked with its article's language code
(`fra_Latn`, `pes_Arab`). An article no model of the run covers is refused
with one line naming its file and the preset that would translate it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..errors import InputError
from ..records import Article
from .models import PRESETS, ModelRef, read_model_config

ENGLISH = "en"
# NLLB-200 (FLORES-200) codes of the languages `toolkit.ingest` detects.
NLLB_CODES = {
    "ar": "arb_Arab", "fa": "pes_Arab", "ur": "urd_Arab", "fr": "fra_Latn", "es": "spa_Latn", "de": "deu_Latn",
    "it": "ita_Latn", "pt": "por_Latn", "nl": "nld_Latn", "tr": "tur_Latn", "en": "eng_Latn",
}
# The preset named where a model does not cover an article's language.
MULTILINGUAL_PRESET = "nllb"
NLLB_TYPES = ("m2m_100", "nllb", "nllb_moe")
# What a model of one source language translates (the OPUS-MT ar-en models).
SINGLE_SOURCE = "ar"


class NotCovered(InputError):
    """An article in a language the model does not translate: a fault of
    that article alone (an archive run skips it and goes on)."""


def _name(language: str) -> str:
    from ..ingest.language import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(language, language)


def refusal(language: str, model: str) -> str:
    """The one-line reason an article in `language` is not translated by
    `model` (a preset, hub id or directory), and what would translate it."""
    name = _name(language)
    return (f"article is in {name} ({language}), and the model {model} translates only Arabic; the multilingual "
            f"preset {MULTILINGUAL_PRESET} (NLLB-200) covers {name}: run with --model {MULTILINGUAL_PRESET}, "
            "or give its English with --translations, or leave the article out")


def is_multilingual(model: str) -> bool | None:
    """Whether the model named `model` is NLLB-200-like (True), of one
    source language (False), or cannot be told before it is fetched
    (None: a hub id not in the cache)."""
    preset = PRESETS.get(model.split("@", 1)[0])
    if preset is not None:
        return preset.src_lang is not None
    path = Path(model).expanduser()
    if not path.is_dir():
        from ..hub import cached_snapshot, is_hub_id

        if not is_hub_id(model.split("@", 1)[0]):
            return None
        found = cached_snapshot(model.split("@", 1)[0])
        if found is None or not (Path(found) / "config.json").is_file():
            return None
        path = Path(found)
    try:
        return str(read_model_config(path).get("model_type", "")) in NLLB_TYPES
    except Exception:  # an unreadable directory is reported where the model is loaded
        return None


def check_languages(articles: Sequence[Article], model: str) -> None:
    """Before anything is loaded: InputError naming the first article whose
    language `model` does not translate, where that can be told from the
    model's name or cached files."""
    multilingual = is_multilingual(model)
    for a in articles:
        if a.language == ENGLISH:
            continue
        if a.language not in NLLB_CODES or (multilingual is False and a.language != SINGLE_SOURCE):
            raise NotCovered(refusal(a.language, model), a.source)


def source_codes(ref: ModelRef | None, articles: Sequence[Article], tokenizer: Any = None) -> dict[int, str | None]:
    """The source language code of each article to translate (by article
    number): its NLLB code for an NLLB model (`ref.src_lang` set), None for
    a model of one language. InputError, naming the file, for an article
    the model does not cover; with `tokenizer`, a code missing from its
    vocabulary is not covered either."""
    codes: dict[int, str | None] = {}
    for a in articles:
        if ref is None:
            codes[a.number] = None  # a translator given without its model: taken as is
        elif ref.src_lang is None:
            if a.language != SINGLE_SOURCE:
                raise NotCovered(refusal(a.language, ref.preset or ref.model_id), a.source)
            codes[a.number] = None
        else:
            code = ref.src_lang if a.language == SINGLE_SOURCE else NLLB_CODES.get(a.language)
            if code is None or (tokenizer is not None and not knows(tokenizer, code)):
                raise NotCovered(f"article is in {_name(a.language)} ({a.language}), which the model "
                                 f"{ref.preset or ref.model_id} has no language code for", a.source)
            codes[a.number] = code
    return codes


def knows(tokenizer: Any, code: str) -> bool:
    """Whether a tokenizer has the language code as a token of its own."""
    unknown = getattr(tokenizer, "unk_token_id", None)
    return tokenizer.convert_tokens_to_ids(code) not in (None, unknown)
