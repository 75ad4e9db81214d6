"""Arabic to English translation of segmented articles.

    run = translate_articles(articles, model="best")
    run.translations["1.3"].text

Every sentence ID in gets exactly one `Translation` out (or
`IntegrityError`); sentences of English articles (``Article.language``)
are their own translation, flagged ``original-english``, and never reach a
model or the cache; over-long input is cut, never truncated; results are
cached on disk so a repeated run does no model work and imports neither
torch nor transformers.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from .. import __version__, config
from ..errors import DeviceFallbackWarning, InputError, IntegrityError, ModelUnavailable, first_line
from ..records import Article, Flag, Translation
from .base import MAX_LENGTH_OFFSET, MAX_LENGTH_RATIO, Hypothesis, Translator
from .cache import TranslationCache, namespace_key
from .device import Candidate, candidates, fix_hint
from .engines import ENGINE_CHOICES, ENGINES
from .flags import GLOSSARY, ORIGINAL_ENGLISH, compute_flags
from .glossary import Glossary, GlossaryViolation, load_glossary
from .models import PRESETS, ModelRef, Preset, resolve

__all__ = ["translate_articles", "get_translator", "resolve_engine", "english_text", "TranslationRun",
           "Translator", "Hypothesis", "Glossary", "PRESETS", "Preset", "ENGINES", "ENGINE_CHOICES", "DEVICES"]

DEVICES = ("auto", "cpu", "cuda")
Progress = Callable[[int, int, int], None]


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


def resolve_engine(ref: ModelRef, engine: str = "auto", device: str = "auto") -> tuple[str, str, str]:
    """(engine, device, compute type) that `get_translator` tries first,
    without loading anything heavy: only ctranslate2 (never torch) is
    imported to look for a GPU, so a cached run stays light."""
    first = next(_candidates(ref, engine, device))
    return first.engine, first.device, _compute_type(first.engine, first.device)


def _candidates(ref: ModelRef, engine: str, device: str) -> Iterator[Candidate]:
    """The engine/device pairs to try in order (see `device.candidates`);
    never empty: a request nothing can serve is an error here."""
    from . import ct2

    if engine not in ENGINE_CHOICES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if device not in DEVICES:
        raise InputError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if engine == "ctranslate2" and not ct2.available():
        raise InputError("--engine ctranslate2 needs the ctranslate2 package (pip install ctranslate2)")
    ct2_ok = ct2.available() and ref.model_type in ct2.SUPPORTED_TYPES
    found = candidates(engine, device, ct2_ok=ct2_ok, cuda_visible=_cuda_available)
    first = next(found, None)
    if first is None:
        who = "PyTorch" if engine == "transformers" else "CTranslate2 or PyTorch" if engine == "auto" \
            else "CTranslate2"
        raise ModelUnavailable(f"--device cuda: no CUDA device is visible to {who}; "
                               "check the GPU driver (nvidia-smi), or use --device cpu")
    yield first
    yield from found


def _compute_type(engine: str, device: str) -> str:
    return ENGINES[engine].compute_type(device)


def _cuda_available(engine: str = "ctranslate2") -> bool:
    from . import ct2

    if ct2.available() and engine == "ctranslate2":
        return ct2.cuda_devices() > 0
    if ct2.available() and ct2.cuda_devices() == 0:
        return False  # no GPU at all; spares importing torch to ask again
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # a torch that cannot initialise CUDA has no GPU to offer
        return False


# CUDA paths that failed in this process, with the one-line cause: later
# loads skip them instead of loading a model only to fail again.
_FAILED: dict[tuple[str, str, str], str] = {}


def _load(ref: ModelRef, engine: str, device: str, threads: int) -> Translator:
    translator = ENGINES[engine].load(ref, device, threads, _compute_type(engine, device))
    if device == "cuda":
        translator.probe()
    return translator


def get_translator(model: str | None = "best", engine: str = "auto", device: str = "auto", *,
                   threads: int = 0, ref: ModelRef | None = None) -> Translator:
    """Load a model on an engine (converting it for CTranslate2 on first use).

    A CUDA path is tried with a one-sentence translation before it is used.
    When it fails and the engine or device was `auto`, the next pair is
    tried (transformers on CUDA, then the CPU) with a `DeviceFallbackWarning`
    naming the cause and the fix; an explicitly requested pair that cannot
    run raises `ModelUnavailable` (exit code 3) with the fix.
    """
    ref = ref or resolve(model)
    causes: list[str] = []
    for cand in _candidates(ref, engine, device):
        key = (ref.model_id, cand.engine, cand.device)
        if key in _FAILED:
            causes.append(_FAILED[key])
            continue
        try:
            translator = _load(ref, cand.engine, cand.device, threads)
        except ModelUnavailable as exc:
            # Its message already names the model and the fix (a failed
            # CTranslate2 conversion, say); another engine may still load it.
            cause = str(exc)
        except Exception as exc:
            # Anything a device path raises (missing CUDA libraries, a GPU the
            # build does not support, out of memory at the probe) means "not
            # here": the next pair is tried, and none is ever a traceback.
            where = "CUDA" if cand.device == "cuda" else "CPU"
            cause = f"{cand.engine} on {where} failed ({first_line(exc)}); {fix_hint(cand.engine, cand.device, exc)}"
            if cand.device == "cuda":
                _release_cuda()
        else:
            if causes:
                warnings.warn(f"{causes[-1]}; using {translator.engine} on "
                              f"{'CUDA' if translator.device == 'cuda' else 'CPU'} instead",
                              DeviceFallbackWarning, stacklevel=2)
            return translator
        if cand.device == "cuda":
            _FAILED[key] = cause
        causes.append(cause)
    raise ModelUnavailable("; ".join(dict.fromkeys(causes)))


def _release_cuda() -> None:
    """Hand a failed model's cached GPU memory back before the next try."""
    import gc
    import sys

    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            torch.cuda.empty_cache()
        except Exception:  # nothing to release on a broken CUDA setup
            pass


def engine_versions(engine: str | None) -> dict[str, str]:
    """Versions of the libraries that produce a translation on `engine`
    (read from package metadata, so nothing heavy is imported): part of the
    cache key, since a new release can change the output."""
    from importlib.metadata import PackageNotFoundError, version

    if engine is None:  # nothing translated (English sources only)
        return {}
    packages = ENGINES[engine].packages if engine in ENGINES else (engine,)
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
    originals = {s.id: _original(s) for a, s in units if a.language == "en"}
    todo = [(a, s) for a, s in units if s.id not in originals]
    beam = _int_setting("beam", beam, 1)
    batch_tokens = _int_setting("batch_tokens", batch_tokens, 0)  # 0: sized for the device
    threads = _int_setting("threads", threads, 0)
    engine = str(config.get("engine", engine))
    device = str(config.get("device", device))
    # Checked before the model is looked up, so a misspelt engine is a usage
    # error (2) rather than whatever finding the model says.
    if engine not in ENGINE_CHOICES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if device not in DEVICES:
        raise InputError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    wanted = engine, device
    gloss = load_glossary(glossary)

    if translator is not None:
        ref = getattr(translator, "ref", None)
        info = translator.info()
        engine_name, device_name, compute = info["engine"], info["device"], info["compute_type"]
        model_id, revision = info["model"], info["revision"]
    elif not todo:
        # Only English articles: no model is resolved, loaded or downloaded.
        ref, engine_name, device_name, compute, model_id, revision = None, None, None, None, None, None
    else:
        ref = resolve(model)
        engine_name, device_name, compute = resolve_engine(ref, *wanted)
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

    inputs = [gloss.apply(s.text) if gloss else s.text for _, s in todo]
    unique = list(dict.fromkeys(inputs))
    cache = TranslationCache() if use_cache and unique else None
    results: dict[str, Hypothesis] = cache.get_many(namespace, unique) if cache else {}
    cached_inputs = set(results)
    total = len(units)
    users: dict[str, int] = {}
    for text in inputs:
        users[text] = users.get(text, 0) + 1
    done = len(originals) + sum(users[t] for t in cached_inputs)
    tokens = 0
    if progress:
        progress(done, total, tokens)

    missing = [t for t in unique if t not in results]
    loaded: Translator | None = translator
    if missing and loaded is None:
        loaded = get_translator(ref=ref, engine=wanted[0], device=wanted[1], threads=threads)
        info = loaded.info()
        if (info["engine"], info["device"], info["compute_type"]) != (engine_name, device_name, compute):
            # A fallback: results are cached under what actually ran, and an
            # earlier run of the same fallback may already hold them.
            engine_name, device_name, compute = info["engine"], info["device"], info["compute_type"]
            versions = engine_versions(engine_name)
            options.update(engine=engine_name, device=device_name, compute_type=compute, engine_versions=versions)
            namespace = namespace_key(options)
            found = cache.get_many(namespace, missing) if cache else {}
            results.update(found)
            cached_inputs |= set(found)
            done += sum(users[t] for t in found)
            missing = [t for t in missing if t not in found]
            if progress and found:
                progress(done, total, tokens)
    if missing:
        assert loaded is not None

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
            for text, hyp in zip(missing, loaded.translate_iterable(missing, beam=beam,
                                                                    batch_tokens=batch_tokens or None,
                                                                    on_batch=on_batch)):
                results[text] = hyp
        except (RuntimeError, OSError, MemoryError) as exc:
            # A device failing mid-run (out of memory on a single sentence, a
            # lost GPU) is one line, not a traceback; finished work is cached.
            raise ModelUnavailable(f"{engine_name} on {'CUDA' if device_name == 'cuda' else 'CPU'} failed while "
                                   f"translating ({first_line(exc)}); {fix_hint(engine_name, device_name, exc)}"
                                   f"{'; finished sentences are kept in the cache' if cache else ''}") from None
        finally:
            if cache:
                cache.close()
    elif cache:
        cache.close()

    translations: dict[str, Translation] = {}
    report: list[GlossaryViolation] = []
    model_input = {s.id: text for (_, s), text in zip(todo, inputs)}
    for article, s in units:
        if s.id in originals:
            translations[s.id] = originals[s.id]
            continue
        text = model_input[s.id]
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
        "original_english": len(originals),
        "cache_recovered_from": cache.recovered if cache and cache.recovered else None,
    }
    return TranslationRun(translations, manifest, [v.to_dict() for v in report], list(articles), loaded)


def _original(s: Any) -> Translation:
    return Translation(s.id, s.text, s.text, (Flag(ORIGINAL_ENGLISH, "English source, not translated"),))


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
