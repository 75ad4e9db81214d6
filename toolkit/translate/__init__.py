"""Arabic to English translation of segmented articles.

    run = translate_articles(articles, model="best")
    run.translations["1.3"].text

Every sentence ID in gets exactly one `Translation` out (or
`IntegrityError`); over-long input is cut, never truncated; results are
cached on disk so a repeated run does no model work and imports neither
torch nor transformers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .. import __version__, config
from ..errors import InputError, IntegrityError
from ..types import Article, Flag, Translation
from .base import MAX_LENGTH_OFFSET, MAX_LENGTH_RATIO, Hypothesis, Translator
from .cache import TranslationCache, namespace_key
from .flags import GLOSSARY, compute_flags
from .glossary import Glossary, GlossaryViolation, load_glossary
from .models import PRESETS, ModelRef, Preset, resolve

__all__ = ["translate_articles", "get_translator", "resolve_engine", "english_text", "TranslationRun",
           "Translator", "Hypothesis", "Glossary", "PRESETS", "Preset", "ENGINES", "DEVICES"]

ENGINES = ("auto", "ctranslate2", "transformers")
DEVICES = ("auto", "cpu", "cuda")
Progress = Callable[[int, int, int], None]


@dataclass
class TranslationRun:
    translations: dict[str, Translation]
    manifest: dict[str, Any]
    glossary_report: list[dict[str, Any]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def english(self, article: Article) -> str:
        return english_text(article, self.translations)


def english_text(article: Article, translations: Mapping[str, Translation]) -> str:
    """An article's English: pieces of one sentence (``A.S.P``) joined into
    the sentence, sentences of a paragraph joined by spaces, paragraphs (and
    headings) by blank lines."""
    paragraphs: list[list[str]] = []
    last_para: int | None = None
    for s in article.sentences:
        text = translations[s.id].text.strip()
        if s.paragraph != last_para or s.is_heading or not paragraphs:
            paragraphs.append([])
            last_para = s.paragraph
        if text:
            paragraphs[-1].append(text)
    return "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"


def resolve_engine(ref: ModelRef, engine: str = "auto", device: str = "auto") -> tuple[str, str, str]:
    """(engine, device, compute type) without loading anything heavy: only
    ctranslate2 (never torch) is imported to look for a GPU, so a cached run
    stays light."""
    from . import ct2

    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if device not in DEVICES:
        raise InputError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if engine == "auto":
        engine = "ctranslate2" if ct2.available() and ref.model_type in ct2.SUPPORTED_TYPES else "transformers"
    if engine == "ctranslate2" and not ct2.available():
        raise InputError("--engine ctranslate2 needs the ctranslate2 package (pip install ctranslate2)")
    if device == "auto":
        device = "cuda" if _cuda_available(engine) else "cpu"
    elif device == "cuda" and not _cuda_available(engine):
        raise InputError(f"--device cuda: no CUDA device is visible to {engine}; use --device cpu")
    if engine == "ctranslate2":
        compute = ct2.default_compute_type(device)
    else:
        compute = "float16" if device == "cuda" else "float32"
    return engine, device, compute


def _cuda_available(engine: str = "ctranslate2") -> bool:
    from . import ct2

    if ct2.available() and engine == "ctranslate2":
        return ct2.cuda_devices() > 0
    if ct2.available() and ct2.cuda_devices() == 0:
        return False  # no GPU at all; spares importing torch to ask again
    import torch

    return bool(torch.cuda.is_available())


def get_translator(model: str | None = "best", engine: str = "auto", device: str = "auto", *,
                   threads: int = 0, ref: ModelRef | None = None) -> Translator:
    """Load a model on an engine (converting it for CTranslate2 on first use)."""
    ref = ref or resolve(model)
    engine, device, compute = resolve_engine(ref, engine, device)
    if engine == "ctranslate2":
        from .ct2 import CT2Translator

        return CT2Translator(ref, device=device, threads=threads, compute_type=compute)
    from .hf import HFTranslator

    return HFTranslator(ref, device=device, threads=threads)


def engine_versions(engine: str) -> dict[str, str]:
    """Versions of the libraries that produce a translation on `engine`
    (read from package metadata, so nothing heavy is imported): part of the
    cache key, since a new release can change the output."""
    from importlib.metadata import PackageNotFoundError, version

    packages = {"ctranslate2": ("ctranslate2", "sentencepiece", "transformers"),
                "transformers": ("transformers", "torch", "sentencepiece")}.get(engine, (engine,))
    out = {}
    for package in packages:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "absent"
    return out


def _check_ids(articles: Sequence[Article]) -> list[tuple[Article, Any]]:
    seen: set[str] = set()
    units = []
    for article in articles:
        for s in article.sentences:
            if s.id in seen:
                raise IntegrityError(f"{article.source}: sentence ID {s.id} occurs twice")
            seen.add(s.id)
            units.append((article, s))
    return units


def translate_articles(articles: Sequence[Article], *, model: str | None = None, engine: str | None = None,
                       device: str | None = None, beam: int | None = None, batch_tokens: int | None = None,
                       threads: int | None = None, glossary: str | Path | Glossary | Mapping[str, str] | None = None,
                       use_cache: bool = True, progress: Progress | None = None,
                       translator: Translator | None = None) -> TranslationRun:
    """Translate every sentence (headings included) of `articles`.

    `progress(done_sentences, total_sentences, target_tokens)` is called as
    work completes. `translator` reuses an already loaded model (its model,
    engine and device then take precedence over the arguments).

    Every option left as None is resolved by `toolkit.config` (environment,
    config file, default), so every command that translates honours the
    same settings and reaches the same cache entries.
    """
    units = _check_ids(articles)
    beam = _int_setting("beam", beam, 1)
    batch_tokens = _int_setting("batch_tokens", batch_tokens, 1)
    threads = _int_setting("threads", threads, 0)
    engine = str(config.get("engine", engine))
    device = str(config.get("device", device))
    # Checked before the model is looked up, so a misspelt engine is a usage
    # error (2) rather than whatever finding the model says.
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if device not in DEVICES:
        raise InputError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    gloss = load_glossary(glossary)

    if translator is not None:
        ref = getattr(translator, "ref", None)
        info = translator.info()
        engine_name, device_name, compute = info["engine"], info["device"], info["compute_type"]
        model_id, revision = info["model"], info["revision"]
    else:
        ref = resolve(model)
        engine_name, device_name, compute = resolve_engine(ref, engine, device)
        model_id, revision = ref.model_id, ref.revision
    versions = engine_versions(engine_name)
    options = {
        "model": model_id, "revision": revision, "engine": engine_name, "engine_versions": versions,
        "device": device_name,
        "compute_type": compute, "beam": beam,
        "src_lang": ref.src_lang if ref else None, "tgt_lang": ref.tgt_lang if ref else None,
        "length": [getattr(translator, "max_length_ratio", MAX_LENGTH_RATIO),
                   getattr(translator, "max_length_offset", MAX_LENGTH_OFFSET)],
    }
    namespace = namespace_key(options)

    inputs = [gloss.apply(s.text) if gloss else s.text for _, s in units]
    unique = list(dict.fromkeys(inputs))
    cache = TranslationCache() if use_cache else None
    results: dict[str, Hypothesis] = cache.get_many(namespace, unique) if cache else {}
    cached_inputs = set(results)
    total = len(units)
    users: dict[str, int] = {}
    for text in inputs:
        users[text] = users.get(text, 0) + 1
    done = sum(users[t] for t in cached_inputs)
    tokens = 0
    if progress:
        progress(done, total, tokens)

    missing = [t for t in unique if t not in results]
    loaded: Translator | None = translator
    if missing:
        loaded = loaded or get_translator(ref=ref, engine=engine_name, device=device_name, threads=threads)

        def on_batch(finished: list[tuple[int, Hypothesis]]) -> None:
            nonlocal done, tokens
            pairs = [(missing[pos], hyp) for pos, hyp in finished]
            if cache:
                cache.put_many(namespace, pairs)
            for text, hyp in pairs:
                done += users[text]
                tokens += hyp.target_tokens
            if progress and pairs:
                progress(done, total, tokens)

        try:
            for text, hyp in zip(missing, loaded.translate_iterable(missing, beam=beam, batch_tokens=batch_tokens,
                                                                    on_batch=on_batch)):
                results[text] = hyp
        finally:
            if cache:
                cache.close()
    elif cache:
        cache.close()

    translations: dict[str, Translation] = {}
    report: list[GlossaryViolation] = []
    for (article, s), text in zip(units, inputs):
        hyp = results.get(text)
        if hyp is None:
            continue
        flags = list(compute_flags(s.text, hyp.text, hit_limit=hyp.hit_limit))
        if gloss:
            for v in gloss.check(s.id, s.text, hyp.text):
                report.append(v)
                flags.append(Flag(GLOSSARY, f"{v.term} should be {v.expected!r} "
                                            f"({v.found} of {v.occurrences} rendered)"))
        translations[s.id] = Translation(s.id, s.text, hyp.text, tuple(flags), hyp.source_tokens,
                                         hyp.target_tokens, text in cached_inputs)
    _coverage(units, translations)

    manifest = {
        "model": model_id,
        "revision": revision,
        "preset": ref.preset if ref else None,
        "engine": engine_name,
        "engine_versions": versions,
        "compute_type": compute,
        "device": device_name,
        "beam": beam,
        "max_length": {"ratio": options["length"][0], "offset": options["length"][1]},
        "src_lang": options["src_lang"],
        "tgt_lang": options["tgt_lang"],
        "glossary": {"file": gloss.source, "sha256": gloss.sha256, "terms": len(gloss.entries)} if gloss else None,
        "glossary_sha256": gloss.sha256 if gloss else None,
        "toolkit_version": __version__,
        "sentences": total,
        "cached": sum(1 for t in translations.values() if t.cached),
        "cache_recovered_from": cache.recovered if cache and cache.recovered else None,
    }
    return TranslationRun(translations, manifest, [v.to_dict() for v in report], list(articles))


def _int_setting(key: str, value: int | None, minimum: int) -> int:
    resolved = config.get(key, value)
    try:
        number = int(resolved)
    except (TypeError, ValueError):
        raise InputError(f"setting {key} must be an integer, got {resolved!r}") from None
    if number < minimum:
        raise InputError(f"setting {key} must be at least {minimum}, got {number}")
    return number


def _coverage(units: list[tuple[Article, Any]], translations: Mapping[str, Translation]) -> None:
    wanted = [s.id for _, s in units]
    missing = [i for i in wanted if i not in translations]
    extra = [i for i in translations if i not in set(wanted)]
    if missing or extra or list(translations) != wanted:
        detail = (f"no translation for {', '.join(missing[:5])}" if missing
                  else f"unexpected IDs {', '.join(extra[:5])}" if extra else "order differs from the input")
        raise IntegrityError(f"translation coverage check failed: {detail}")


def cache_location() -> str:
    return os.fspath(TranslationCache().path)
