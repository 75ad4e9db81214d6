"""The abstractive brief: propose, parse, check every sentence, fall back to
the extractive brief when too little survives."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..errors import InputError, IntegrityError
from ..text.ids import article_of
from ..records import Article, Brief, BriefSentence
from ..verify import verify_sentences
from .chat import ChatModel
from .prompts import PromptTemplate, build_messages, load_prompt
from .parse import parse_output
from .injection import instruction_like


# A brief is shown as written by the LLM only when at least this share of its
# sentences pass the citation check (and at least one does); otherwise the
# extractive brief is shown, because a brief with most sentences removed no
# longer says what the model meant.
MIN_KEPT_FRACTION = 0.5

# Reasons a proposed sentence is left out, besides the checker's own codes
# (`toolkit.verify`): a verdict without a code, and a sentence resting on a
# source that reads like an instruction to a model.
UNSUPPORTED = "unsupported"
CITES_INSTRUCTION = "cites-instruction"


@dataclass(frozen=True)
class Rejected:
    """A proposed sentence that is not shown. ``reason`` is the checker's
    code (``no-citation``, ``unknown-id``, ``low-similarity``,
    ``unrelated-citation``, ``numbers-missing``, ``words-missing``) or
    ``cites-instruction``; ``line`` is its line in the model's answer."""

    text: str
    ids: tuple[str, ...]
    reason: str
    line: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "ids": list(self.ids), "reason": self.reason, "detail": self.detail,
                "line": self.line}


@dataclass(frozen=True)
class Verified:
    """The checked answer: `kept` are the checker's supported sentences, in
    the model's order; everything else is in `rejected` with its reason."""

    kept: tuple[BriefSentence, ...]
    rejected: tuple[Rejected, ...]
    ignored: tuple[str, ...] = ()
    instruction_ids: tuple[str, ...] = ()
    total: int = field(default=0)


def verify_output(text: str, english: Mapping[str, str], *, articles_of: Mapping[str, int] | None = None,
                  embedder: Any = None, threshold: float | None = None,
                  read: Callable[[list[str]], Sequence[Any]] | None = None) -> Verified:
    """Parse `text` and run every sentence through the shared citation
    checker (with the fact checks where `read` gives readings)."""
    parsed = parse_output(text)
    cands = parsed.candidates
    flagged = tuple(i for i, t in english.items() if instruction_like(t))
    if not cands:
        return Verified((), (), parsed.ignored, flagged, 0)
    checked = verify_sentences([(c.text, c.ids) for c in cands], english, articles_of=articles_of,
                               embedder=embedder, threshold=threshold, read=read)
    if len(checked) != len(cands):
        raise IntegrityError(f"citation checker returned {len(checked)} verdicts for {len(cands)} sentences")
    kept: list[BriefSentence] = []
    rejected: list[Rejected] = []
    for cand, verdict in zip(cands, checked):
        if not verdict.supported:
            reason = getattr(verdict, "reason", "") or UNSUPPORTED
            rejected.append(Rejected(cand.text, cand.ids, reason, cand.line, getattr(verdict, "detail", "")))
        elif any(i in flagged for i in cand.ids):
            rejected.append(Rejected(cand.text, cand.ids, CITES_INSTRUCTION, cand.line,
                                     "cites a source sentence that reads like an instruction to a language model"))
        else:
            kept.append(verdict)
    return Verified(tuple(kept), tuple(rejected), parsed.ignored, flagged, len(cands))


def _read(texts: list[str]) -> list[Any]:
    """The fact layer's readings of `texts`: a model's sentence is checked
    by what it states too (numbers given to another thing, a plan told as
    done pass every word check)."""
    from ..facts import read_sentences

    return read_sentences(texts)


def _articles_of(articles: Sequence[Article], english: Mapping[str, str]) -> dict[str, int]:
    found = {s.id: s.article for a in articles for s in a.sentences}
    for i in english:
        if i not in found and article_of(i):
            found[i] = article_of(i)
    return found


def _placed(verdict: BriefSentence, total: int) -> BriefSentence:
    """The checker's verdict with the brief's section (as in the extractive
    brief: ``single`` for a claim only one of several sources makes) and the
    named speaker, if any. `supported` stays the checker's."""
    from ..brief import KEY, SINGLE, named_speaker

    section = SINGLE if total > 1 and verdict.sources < 2 else KEY
    return dataclasses.replace(verdict, section=section, speaker=verdict.speaker or named_speaker(verdict.text))


def llm_brief(articles: Sequence[Article], english: Mapping[str, str], chat: ChatModel, *,
              prompt: PromptTemplate | str | None = None, sentences: int | None = None, embedder: Any = None,
              threshold: float | None = None, min_kept_fraction: float = MIN_KEPT_FRACTION,
              flags: Mapping[str, Sequence[Any]] | None = None, manifest: Mapping[str, Any] | None = None,
              fallback: Callable[[], Brief] | None = None) -> Brief:
    """A brief written by `chat` from the English of `articles`, every
    sentence verified; the extractive brief (`fallback`, by default
    `toolkit.brief.build_brief(articles, english, sentences=...,
    embedder=..., manifest=...)`) when too little of it survives the check.

    `sentences` is the length asked of the model (``{max_sentences}`` in the
    template); nothing the model writes beyond it is cut. Sentences whose
    translation `flags` make them unusable for the extractive brief (such as
    ``untranslated``) are not offered to the model either. `threshold` is the
    checker's support threshold. `manifest` entries (how the English was
    made) are carried into the brief's manifest, whose ``llm`` entry records
    the backend, model, seed, decoding, prompt name and sha256, the raw
    answer, and every rejected sentence with its reason."""
    from ..embed import get_embedder
    from ..brief import DEFAULT_SENTENCES, build_brief

    if not articles:
        raise InputError("no articles to summarise")
    template = prompt if isinstance(prompt, PromptTemplate) else load_prompt(prompt)
    wanted = sentences or DEFAULT_SENTENCES
    unusable, usable = _withheld(english, flags)
    completion = chat.complete(build_messages(template, articles, usable, max_sentences=wanted))
    emb = get_embedder(embedder)
    checked = verify_output(completion.text, usable, articles_of=_articles_of(articles, usable),
                            embedder=emb, threshold=threshold, read=_read)
    warnings = _answer_warnings(completion, checked)
    kept = len(checked.kept)
    enough = kept > 0 and kept >= min_kept_fraction * checked.total
    info: dict[str, Any] = {
        **chat.describe(),
        "model_reported": completion.model,
        "prompt": template.manifest(),
        "max_sentences": wanted,
        "withheld": unusable,
        "finish_reason": completion.finish_reason,
        "proposed": checked.total,
        "kept": kept,
        "rejected": [r.to_dict() for r in checked.rejected],
        "ignored": list(checked.ignored),
        "min_kept_fraction": min_kept_fraction,
        "fallback": not enough,
        "output": completion.text,
    }
    if enough:
        return _checked_brief(articles, english, checked, warnings, emb, threshold, manifest, info)
    warnings.append(f"only {kept} of {checked.total} LLM sentence(s) passed the citation check; "
                    f"showing the extractive brief instead")
    if fallback is None:
        def fallback() -> Brief:
            return build_brief(articles, english, flags=flags, sentences=sentences, embedder=emb,
                               manifest=manifest)

    base = fallback()
    return Brief(sentences=base.sentences, total_sources=base.total_sources, manifest={**base.manifest, "llm": info},
                 warnings=tuple(warnings) + tuple(base.warnings))


def _withheld(english: Mapping[str, str], flags: Mapping[str, Sequence[Any]] | None
              ) -> tuple[list[str], dict[str, str]]:
    """(IDs whose translation flags make them unusable, the English of the rest)."""
    from ..brief import UNUSABLE_FLAGS

    unusable = sorted(i for i, fs in (flags or {}).items() if i in english
                      and any(getattr(f, "code", f) in UNUSABLE_FLAGS for f in fs))
    usable = {i: t for i, t in english.items() if i not in set(unusable)}
    return unusable, usable


def _answer_warnings(completion: Any, checked: Verified) -> list[str]:
    warnings: list[str] = []
    if completion.finish_reason == "length":
        warnings.append("the LLM answer was cut at the token limit; its last sentence may be missing")
    if checked.instruction_ids:
        warnings.append(f"source sentence(s) {', '.join(checked.instruction_ids)} read like instructions to an "
                        f"LLM; brief sentences citing them are not shown")
    return warnings


def _checked_brief(articles: Sequence[Article], english: Mapping[str, str], checked: Verified,
                   warnings: list[str], emb: Any, threshold: float | None, manifest: Mapping[str, Any] | None,
                   info: dict[str, Any]) -> Brief:
    """The brief as the LLM wrote it, less the sentences that failed the check."""
    from ..embed import describe
    from ..brief import sources_table
    from ..verify import SUPPORT_THRESHOLD

    total = len(articles)
    if checked.rejected:
        warnings.append(f"{len(checked.rejected)} of {checked.total} LLM sentence(s) failed the citation check "
                        f"and are not shown (see manifest llm.rejected)")
    if total == 1:
        warnings.append("only one source: no fact can be corroborated")
    info_all = {
        "method": "llm",
        **dict(manifest or {}),
        "sources": sources_table(articles, english),
        "embedder": describe(emb),
        "support_threshold": SUPPORT_THRESHOLD if threshold is None else float(threshold),
        "llm": info,
    }
    return Brief(sentences=tuple(_placed(v, total) for v in checked.kept), total_sources=total,
                 manifest=info_all, warnings=tuple(warnings))
