"""The main run: every sentence ID of some articles in, exactly one
`Translation` out, through the cache and at most one loaded model.

`translate_articles` is a sequence of named steps: settle the settings, plan
what will run (model, engine, device; nothing is loaded), route each article
by its language (`routing`: refused when the model does not cover it), then
per source language look the inputs up in the cache, load a model only for
what is missing (re-keying the cache when a fallback ran something else)
and translate, then assemble the translations with their flags, check the
coverage, and write the manifest.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import __version__, config
from ..errors import InputError, IntegrityError, ModelUnavailable, first_line
from ..records import Article, Flag, Translation
from .base import MAX_LENGTH_OFFSET, MAX_LENGTH_RATIO, Hypothesis, Translator
from .cache import TranslationCache, namespace_key
from .device import fix_hint
from .flags import GLOSSARY, ORIGINAL_ENGLISH, compute_flags
from .glossary import Glossary, GlossaryViolation, load_glossary
from .lookup import Done, Key, Lookup, Progress, Tally
from .models import ModelRef, resolve
from .routing import NotCovered, source_codes
from .selection import EngineSelector, check_choice, engine_versions, selector_or_default



@dataclass
class TranslationRun:
    translations: dict[str, Translation]
    manifest: dict[str, Any]
    glossary_report: list[dict[str, Any]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    # The model this run loaded or was given (None when nothing needed one),
    # so a caller translating in chunks loads it once.
    translator: Translator | None = field(default=None, repr=False, compare=False)

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


@dataclass(frozen=True)
class Settings:
    """The run's settings, each resolved by `toolkit.config`."""

    beam: int
    batch_tokens: int  # 0: sized for the device
    threads: int
    engine: str  # as asked: a name or "auto"
    device: str  # as asked: "auto", "cpu" or "cuda"


@dataclass(frozen=True)
class Plan:
    """What produces (or produced) the translations; nothing when only
    English articles came in."""

    ref: ModelRef | None = None
    model_id: str | None = None
    revision: str | None = None
    engine: str | None = None
    device: str | None = None
    compute_type: str | None = None
    length: tuple[float, int] = (MAX_LENGTH_RATIO, MAX_LENGTH_OFFSET)

    def options(self, beam: int, src_lang: str | None = None) -> dict[str, Any]:
        """Everything that can change an output: the cache namespace.
        `src_lang`: the inputs' language code, if not the model's own."""
        ref = self.ref
        return {
            "model": self.model_id, "revision": self.revision, "engine": self.engine,
            "engine_versions": engine_versions(self.engine), "device": self.device,
            "compute_type": self.compute_type, "beam": beam,
            "src_lang": src_lang or (ref.src_lang if ref else None), "tgt_lang": ref.tgt_lang if ref else None,
            "length": list(self.length),
        }


def _int_setting(key: str, value: int | None, minimum: int) -> int:
    resolved = config.get(key, value)
    try:
        number = int(resolved)
    except (TypeError, ValueError):
        raise InputError(f"setting {key} must be an integer, got {resolved!r}") from None
    if number < minimum:
        raise InputError(f"setting {key} must be at least {minimum}, got {number}")
    return number


def settle(beam: int | None, batch_tokens: int | None, threads: int | None, engine: str | None,
           device: str | None) -> Settings:
    """Settings from the arguments and `toolkit.config`. The engine and
    device are checked before any model is looked up, so a misspelt engine
    is a usage error (2) rather than whatever finding the model says."""
    settings = Settings(_int_setting("beam", beam, 1), _int_setting("batch_tokens", batch_tokens, 0),
                        _int_setting("threads", threads, 0), str(config.get("engine", engine)),
                        str(config.get("device", device)))
    check_choice(settings.engine, settings.device)
    return settings


def plan_run(translator: Translator | None, need_model: bool, model: str | None, settings: Settings,
             selector: EngineSelector) -> Plan:
    """What will run: the given translator, else the first engine/device
    pair for the model (loading nothing), else nothing."""
    length = (getattr(translator, "max_length_ratio", MAX_LENGTH_RATIO),
              getattr(translator, "max_length_offset", MAX_LENGTH_OFFSET))
    if translator is not None:
        info = translator.info()
        return Plan(getattr(translator, "ref", None), info["model"], info["revision"], info["engine"],
                    info["device"], info["compute_type"], length)
    if not need_model:  # only English articles: no model is resolved, loaded or downloaded
        return Plan(length=length)
    ref = resolve(model)
    engine, device, compute = selector.first(ref, settings.engine, settings.device)
    return Plan(ref, ref.model_id, ref.revision, engine, device, compute, length)


def look_up(unique: list[str], namespace: str, use_cache: bool, code: str | None = None) -> Lookup:
    cache = TranslationCache() if use_cache and unique else None
    results: dict[str, Hypothesis] = cache.get_many(namespace, unique) if cache else {}
    return Lookup(cache, namespace, results, set(results), [t for t in unique if t not in results], code)


def load_for(plan: Plan, lookup: Lookup, tally: Tally, settings: Settings, selector: EngineSelector,
             beam: int) -> tuple[Translator, Plan]:
    """Load a model for the missing inputs. When a fallback runs something
    other than the plan, results are cached under what actually ran."""
    loaded = selector.translator(plan.ref, settings.engine, settings.device,  # type: ignore[arg-type]
                                 threads=settings.threads)
    info = loaded.info()
    ran = (info["engine"], info["device"], info["compute_type"])
    if ran != (plan.engine, plan.device, plan.compute_type):
        plan = replace(plan, engine=ran[0], device=ran[1], compute_type=ran[2])
        found = lookup.rekey(namespace_key(plan.options(beam, lookup.code)))
        tally.add(lookup.keys(found), report=bool(found))
    return loaded, plan


def translate_missing(loaded: Translator, plan: Plan, lookup: Lookup, tally: Tally, settings: Settings) -> None:
    """Translate what the cache lacks, caching each batch as it finishes."""
    missing = lookup.missing

    def on_batch(finished: list[tuple[int, Hypothesis]]) -> None:
        pairs = [(missing[pos], hyp) for pos, hyp in finished]
        if lookup.cache:
            lookup.cache.put_many(lookup.namespace, pairs)
        tally.add(lookup.keys([text for text, _ in pairs]), sum(hyp.target_tokens for _, hyp in pairs),
                  report=bool(pairs))

    try:
        for text, hyp in zip(missing, loaded.translate_iterable(missing, beam=settings.beam,
                                                                batch_tokens=settings.batch_tokens or None,
                                                                on_batch=on_batch)):
            lookup.results[text] = hyp
    except (RuntimeError, OSError, MemoryError) as exc:
        # A device failing mid-run (out of memory on a single sentence, a
        # lost GPU) is one line, not a traceback; finished work is cached.
        engine, device = str(plan.engine), str(plan.device)
        raise ModelUnavailable(f"{engine} on {'CUDA' if device == 'cuda' else 'CPU'} failed while "
                               f"translating ({first_line(exc)}); {fix_hint(engine, device, exc)}"
                               f"{'; finished sentences are kept in the cache' if lookup.cache else ''}") from None


def assemble(units: list[tuple[Article, Any]], originals: Mapping[str, Translation], model_input: Mapping[str, Key],
             done: Done, gloss: Glossary | None) -> tuple[dict[str, Translation], list[GlossaryViolation]]:
    """The translations in input order, with their flags and the glossary's
    violations."""
    translations: dict[str, Translation] = {}
    report: list[GlossaryViolation] = []
    for _article, s in units:
        if s.id in originals:
            translations[s.id] = originals[s.id]
            continue
        key = model_input[s.id]
        hyp = done.results.get(key)
        if hyp is None:
            continue
        flags = list(compute_flags(s.text, hyp.text, hit_limit=hyp.hit_limit))
        if gloss:
            for v in gloss.check(s.id, s.text, hyp.text):
                report.append(v)
                flags.append(Flag(GLOSSARY, f"{v.term} should be {v.expected!r} "
                                            f"({v.found} of {v.occurrences} rendered)"))
        translations[s.id] = Translation(s.id, s.text, hyp.text, tuple(flags), hyp.source_tokens,
                                         hyp.target_tokens, key in done.cached)
    return translations, report


def manifest_of(plan: Plan, settings: Settings, gloss: Glossary | None, translations: Mapping[str, Translation],
                originals: int, done: Done) -> dict[str, Any]:
    ref = plan.ref
    return {
        "model": plan.model_id,
        "revision": plan.revision,
        "preset": ref.preset if ref else None,
        "engine": plan.engine,
        "engine_versions": engine_versions(plan.engine),
        "compute_type": plan.compute_type,
        "device": plan.device,
        "beam": settings.beam,
        "max_length": {"ratio": plan.length[0], "offset": plan.length[1]},
        "src_lang": ref.src_lang if ref else None,
        "tgt_lang": ref.tgt_lang if ref else None,
        # Article language -> the code its sentences were marked with (NLLB).
        "source_languages": {k: v for k, v in sorted(done.languages.items()) if v} or None,
        "glossary": {"file": gloss.source, "sha256": gloss.sha256, "terms": len(gloss.entries)} if gloss else None,
        "glossary_sha256": gloss.sha256 if gloss else None,
        "toolkit_version": __version__,
        "sentences": len(translations),
        "cached": sum(1 for t in translations.values() if t.cached),
        "original_english": originals,
        "cache_recovered_from": done.recovered or None,
    }


def translate_articles(articles: Sequence[Article], *, model: str | None = None, engine: str | None = None,
                       device: str | None = None, beam: int | None = None, batch_tokens: int | None = None,
                       threads: int | None = None, glossary: str | Path | Glossary | Mapping[str, str] | None = None,
                       use_cache: bool = True, progress: Progress | None = None,
                       translator: Translator | None = None, selector: EngineSelector | None = None) -> TranslationRun:
    """Translate every sentence (headings included) of `articles`.

    `progress(done_sentences, total_sentences, target_tokens)` is called as
    work completes. `translator` reuses an already loaded model (its model,
    engine and device then take precedence over the arguments); `selector`
    chooses and loads engines (default: the process-wide one).

    Every option left as None is resolved by `toolkit.config` (environment,
    config file, default), so every command that translates honours the
    same settings and reaches the same cache entries.
    """
    units = _check_ids(articles)
    originals = {s.id: _original(s) for a, s in units if a.language == "en"}
    todo = [(a, s) for a, s in units if s.id not in originals]
    settings = settle(beam, batch_tokens, threads, engine, device)
    gloss = load_glossary(glossary)
    chooser = selector_or_default(selector)
    plan = plan_run(translator, bool(todo), model, settings, chooser)
    # Each article's sentences are marked with its language (NLLB); an
    # article the model does not cover is refused here, before any work.
    codes = source_codes(plan.ref, list({a.number: a for a, _ in todo}.values()))
    inputs = [gloss.apply(s.text) if gloss else s.text for _, s in todo]
    keys: list[Key] = [(codes[a.number], text) for (a, _), text in zip(todo, inputs)]
    tally = Tally(keys, len(units), progress)
    tally.done = len(originals)
    done = Done(languages={a.language: codes[a.number] for a, _ in todo})
    loaded = translator
    for code in dict.fromkeys(code for code, _ in keys):
        texts = list(dict.fromkeys(text for c, text in keys if c == code))
        first = next(a for a, _ in todo if codes[a.number] == code)
        loaded, plan = _translate_language(code, texts, first, plan, loaded, done, tally, settings, chooser,
                                           use_cache)
    model_input = {s.id: key for (_, s), key in zip(todo, keys)}
    translations, report = assemble(units, originals, model_input, done, gloss)
    _coverage(units, translations)
    manifest = manifest_of(plan, settings, gloss, translations, len(originals), done)
    return TranslationRun(translations, manifest, [v.to_dict() for v in report], list(articles), loaded)


def _translate_language(code: str | None, texts: list[str], first: Article, plan: Plan, loaded: Translator | None,
                        done: Done, tally: Tally, settings: Settings, chooser: EngineSelector,
                        use_cache: bool) -> tuple[Translator | None, Plan]:
    """The inputs of one source language: from the cache, else from the
    model (loaded on first need), marked with `code`; `first` is the first
    article in that language, named if the model lacks the code."""
    lookup = look_up(texts, namespace_key(plan.options(settings.beam, code)), use_cache, code)
    tally.add(lookup.keys(list(lookup.cached)))
    try:
        if lookup.missing and loaded is None:
            loaded, plan = load_for(plan, lookup, tally, settings, chooser, settings.beam)
        if lookup.missing:
            assert loaded is not None
            if not loaded.set_source(code):
                raise NotCovered(f"article is in {first.language}, and the model {plan.model_id} has no "
                                 f"language code {code} for it", first.source)
            translate_missing(loaded, plan, lookup, tally, settings)
    finally:
        lookup.close()
    done.take(lookup)
    return loaded, plan


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


def _original(s: Any) -> Translation:
    return Translation(s.id, s.text, s.text, (Flag(ORIGINAL_ENGLISH, "English source, not translated"),))


def _coverage(units: list[tuple[Article, Any]], translations: Mapping[str, Translation]) -> None:
    """Exactly the wanted IDs, in input order; linear in the number of units
    (an archive run checks every chunk)."""
    wanted = [s.id for _, s in units]
    got = list(translations)
    if got == wanted:
        return
    wanted_set = set(wanted)
    missing = [i for i in wanted if i not in translations]
    extra = [i for i in got if i not in wanted_set]
    detail = (f"no translation for {', '.join(missing[:5])}" if missing
              else f"unexpected IDs {', '.join(extra[:5])}" if extra else "order differs from the input")
    raise IntegrityError(f"translation coverage check failed: {detail}")


def cache_location() -> str:
    return os.fspath(TranslationCache().path)


__all__ = ["TranslationRun", "Settings", "Plan", "Progress", "english_text", "translate_articles", "cache_location"]
