"""What a report holds (`Report`, built by `build_report`) and the pieces both
renderings share."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .. import __version__
from ..brief import numbered_sections
from ..errors import InputError, IntegrityError
from ..records import Article, Brief, Flag, Score, Sentence


# Fonts that ship with the common desktop systems and cover Arabic; the last
# entries are the Latin fallbacks. No web fonts: the file must open offline.
ARABIC_FONTS = (
    '"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI", '
    '"Arabic Typesetting", "Traditional Arabic", Tahoma, "DejaVu Sans", sans-serif'
)
LATIN_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", '
    "Helvetica, Arial, sans-serif"
)


@dataclass(frozen=True)
class ScoreGroup:
    """Scores for one scope: ``"all articles"`` (the corpus) or one article
    (``"<number> <name>"``)."""

    scope: str
    scores: tuple[Score, ...]


@dataclass(frozen=True)
class Report:
    """Everything a report shows. Build it with `build_report`, which checks
    that the brief only cites sentences the report contains."""

    articles: tuple[Article, ...]
    english: Mapping[str, str]
    brief: Brief
    flags: Mapping[str, tuple[Flag, ...]] = field(default_factory=dict)
    scores: tuple[ScoreGroup, ...] = ()
    score_notices: tuple[str, ...] = ()
    manifest: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sentence_count(self) -> int:
        return sum(len(a.sentences) for a in self.articles)

    def missing_english(self) -> list[str]:
        """Sentence IDs that have no English (shown as such, never hidden)."""
        return [s.id for a in self.articles for s in a.sentences if s.id not in self.english]

    def cited_by(self) -> dict[str, list[int]]:
        """Sentence ID -> numbers (as shown) of the brief sentences citing it."""
        out: dict[str, list[int]] = {}
        for _, items in numbered_sections(self.brief):
            for n, b in items:
                for sid in dict.fromkeys(b.ids):
                    out.setdefault(sid, []).append(n)
        return {k: sorted(v) for k, v in out.items()}


def build_report(
    articles: Sequence[Article],
    english: Mapping[str, str],
    brief: Brief,
    *,
    flags: Mapping[str, Sequence[Flag]] | None = None,
    references: Mapping[str, str] | None = None,
    manifest: Mapping[str, Any] | None = None,
) -> Report:
    """Assemble a report. With `references` (sentence ID -> human English,
    as `toolkit.references.load_references` returns) the English shown is scored
    against them with sacrebleu, per article and overall.

    Raises InputError without articles and IntegrityError when the brief
    cites an ID that no article has (a link that leads nowhere would look
    like evidence without being any) or a reference is missing."""
    if not articles:
        raise InputError("no articles to report on")
    known = {s.id for a in articles for s in a.sentences}
    for n, b in enumerate(brief.sentences, 1):
        unknown = [sid for sid in b.ids if sid not in known]
        if unknown:
            raise IntegrityError(
                f"brief sentence {n} cites unknown sentence ID(s) {', '.join(unknown)}; "
                "the brief and the articles do not belong together"
            )
    full_manifest: dict[str, Any] = {"toolkit_version": __version__}
    full_manifest.update(brief.manifest)
    if manifest:
        full_manifest.update(manifest)
    scores: tuple[ScoreGroup, ...] = ()
    notices: tuple[str, ...] = ()
    if references is not None:
        # English articles are their own English: there is no translation to score.
        scores, notices = reference_scores([a for a in articles if a.language != "en"], english, references)
    return Report(
        articles=tuple(articles),
        english=dict(english),
        brief=brief,
        flags={k: tuple(v) for k, v in (flags or {}).items() if v},
        scores=scores,
        score_notices=notices,
        manifest=full_manifest,
    )


def reference_scores(
    articles: Sequence[Article], english: Mapping[str, str], references: Mapping[str, str]
) -> tuple[tuple[ScoreGroup, ...], tuple[str, ...]]:
    """Corpus and per-article scores of `english` against `references`,
    through `toolkit.score` (sacrebleu with its command-line defaults).
    A sentence without English is scored as an empty line, so a gap lowers
    the score instead of vanishing from it."""
    from ..score import Document, score_documents

    docs = []
    for a in articles:
        missing = [s.id for s in a.sentences if s.id not in references]
        if missing:
            raise IntegrityError(f"article {a.name}: no reference for sentence(s) {', '.join(missing[:5])}")
        docs.append(Document(
            name=a.name,
            hypothesis=tuple(english.get(s.id, "") for s in a.sentences),
            reference=tuple(references[s.id] for s in a.sentences),
            ids=tuple(s.id for s in a.sentences),
        ))
    result = score_documents(docs)

    def convert(scores: Mapping[str, Any]) -> tuple[Score, ...]:
        return tuple(
            Score(metric=m.name, score=m.score, signature=f"{m.name}|{m.signature}", ci=m.ci)
            for m in scores.values()
        )

    groups = [ScoreGroup("all articles", convert(result.corpus))]
    groups += [ScoreGroup(f"{a.number} {d.name}", convert(d.scores)) for a, d in zip(articles, result.documents)]
    return tuple(groups), tuple(result.notices)


# What each translation flag means, for the report's legend (the badge's
# hover text gives the detail for one sentence).
FLAG_MEANINGS = {
    "loop": "the translation repeats a phrase over and over (a decoding loop)",
    "arabic-left": "Arabic words were left in the English",
    "untranslated": "most of the output is still Arabic: the sentence was not translated",
    "length-ratio": "the English is much shorter or longer than the Arabic: something may be missing or invented",
    "numbers-missing": "a number of the Arabic is not in the English",
    "hit-limit": "the translation stopped at the length limit and may be cut short",
    "glossary": "a glossary term was applied or is missing",
    "original-english": "an English source, shown as written, not translated",
}


def manifest_facts(report: Report) -> list[tuple[str, str]]:
    """The manifest's main facts in words, for readers of the report (the
    full manifest stays beside them as JSON)."""
    m = report.manifest
    facts: list[tuple[str, str]] = []
    english = m.get("english") if isinstance(m.get("english"), Mapping) else {}
    kind = english.get("kind")
    if kind == "references":
        facts.append(("English from", f"reference translations in {english.get('path', '')}"))
    elif kind == "jsonl":
        facts.append(("English from", f"translations file {english.get('path', '')}"))
    elif kind == "translation":
        translation = english.get("translation") if isinstance(english.get("translation"), Mapping) else {}
        model = translation.get("model") or translation.get("model_id") or "a translation model"
        facts.append(("English from", f"machine translation with {model}"))
    if m.get("method"):
        facts.append(("Brief", f"{m['method']} (sentences taken verbatim from the sources, each checked against "
                               "its citations)"))
    embedder = m.get("embedder")
    if isinstance(embedder, Mapping) and embedder.get("model"):
        facts.append(("Embedding model", str(embedder["model"])))
    budget = m.get("budget")
    if isinstance(budget, Mapping):
        if budget.get("words"):
            facts.append(("Length asked", f"at most {budget['words']} words"))
        elif budget.get("sentences"):
            added = budget.get("added") or 0
            facts.append(("Length asked", f"{budget['sentences']} sentences"
                                          + (f" (+{added} to keep every lead and widely reported fact)"
                                             if added else "")))
    dropped = m.get("dropped")
    if isinstance(dropped, list):
        facts.append(("Failed the citation check", f"{len(dropped)} sentence(s), not shown"))
    if m.get("toolkit_version"):
        facts.append(("Toolkit version", str(m["toolkit_version"])))
    return facts


def manifest_json(report: Report) -> str:
    return json.dumps(report.manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def has_ci(report: Report) -> bool:
    return any(s.ci is not None for g in report.scores for s in g.scores)


def format_score(s: Score) -> tuple[str, str]:
    ci = f"± {s.ci:.2f}" if s.ci is not None else ""
    return f"{s.score:.2f}", ci


ORIGINAL_ENGLISH = Flag("original-english", "English source, not translated")


def is_original(a: Article, s: Sentence, report: Report) -> bool:
    """The English shown for `s` is its own English-language source text."""
    return a.language == "en" and report.english.get(s.id) == s.text


def flags_of(report: Report, a: Article, s: Sentence) -> tuple[Flag, ...]:
    flags = tuple(report.flags.get(s.id, ()))
    if a.language == "en" and not any(f.code == ORIGINAL_ENGLISH.code for f in flags):
        flags = (ORIGINAL_ENGLISH,) + flags
    return flags


def language_name(a: Article) -> str:
    return "English (original)" if a.language == "en" else "Arabic"


def unsupported_why(b: Any) -> str:
    """The checker's own reason for an unsupported sentence (low similarity,
    a missing number, an unrelated or unknown citation, ...)."""
    detail = getattr(b, "detail", "") or ""
    reason = getattr(b, "reason", "") or ""
    if detail:
        return detail
    if reason:
        return reason.replace("-", " ").replace("_", " ")
    return "the citation check failed"
