"""Plain data passed between the stages of the toolkit.

Every record is a frozen dataclass so that a stage can never alter what an
earlier stage produced; `to_dict` gives the JSON form used by every
`--format json` output. This module imports nothing from the project.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SENTENCE = "sentence"
HEADING = "heading"


def _dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)


@dataclass(frozen=True)
class Removed:
    """A line (or part of a line) dropped while cleaning an article.

    `line` is 1-based in the decoded input; `reason` is a short stable code
    such as ``ad-marker`` or ``duplicate-paragraph``.
    """

    line: int
    text: str
    reason: str

    to_dict = _dict


@dataclass(frozen=True)
class Sentence:
    """One unit of translation with a stable, typable ID.

    ``id`` is ``"A.S"`` (article A, sentence S, both 1-based) or ``"A.S.P"``
    when a sentence longer than the token budget was cut into pieces; all
    pieces of one sentence share ``article`` and ``index`` and carry their
    1-based ``part``. ``start``/``end`` are the character span in
    ``Article.text``, so ``article.text[start:end] == text`` always holds.
    """

    id: str
    article: int
    index: int
    text: str
    start: int
    end: int
    kind: str = SENTENCE
    paragraph: int = 0
    part: int | None = None

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING

    to_dict = _dict


# How an article's publication date was found, most direct first: a
# dateline or date line in the text, the page's metadata, then what the
# user said (--date, a JSONL field), then the article's file name (a date
# its archive named it by). Never the file's modification time.
PUBLISHED_METHODS = ("dateline", "date-line", "html-meta", "json-ld", "time-tag", "option", "jsonl", "file-name",
                     "none")


@dataclass(frozen=True)
class Published:
    """When an article was published and how that was found.

    ``date`` is ISO ``YYYY-MM-DD`` or ``""`` when no date was found (an
    article without a date is allowed; it says so); ``method`` is one of
    PUBLISHED_METHODS; ``evidence`` is the text the date was read from and
    ``line`` its 1-based line in the input (0 when not read from a line).
    """

    date: str = ""
    method: str = "none"
    evidence: str = ""
    line: int = 0

    to_dict = _dict


def article_name(source: str) -> str:
    """An article's name from its source path: the file name without
    directories and extension (known before the file is read)."""
    base = source.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


@dataclass(frozen=True)
class Article:
    """A cleaned article: the text that is shown and translated, its
    sentences, and everything that was removed on the way."""

    number: int
    source: str
    text: str
    sentences: tuple[Sentence, ...]
    removed: tuple[Removed, ...] = ()
    encoding: str = "utf-8"
    fmt: str = "text"
    warnings: tuple[str, ...] = ()
    # "ar" (translated) or "en" (English original, passed through untranslated).
    language: str = "ar"
    published: Published = field(default_factory=Published)
    # The number of the article this one is a copy of (the same text, whole
    # or lightly edited), counted once as a source; None for an original.
    copy_of: int | None = None
    # How the text was read when it was not one paragraph per line of plain
    # text: "unwrapped 40 lines into 5 paragraphs", "detokenized …".
    reading: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name without directories and extension ("-" for stdin)."""
        return article_name(self.source)

    @property
    def title(self) -> str:
        for s in self.sentences:
            return s.text
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "source": self.source,
            "name": self.name,
            "encoding": self.encoding,
            "format": self.fmt,
            "language": self.language,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "removed": [r.to_dict() for r in self.removed],
            "warnings": list(self.warnings),
            "copy_of": self.copy_of,
            "reading": list(self.reading),
            "published": self.published.to_dict(),
        }


@dataclass(frozen=True)
class Flag:
    """A per-sentence translation warning: ``code`` is stable (``loop``,
    ``arabic-left``, ``untranslated``, ``length-ratio``, ``numbers-missing``,
    ``hit-limit``, ``glossary``, ``original-english``), ``detail`` is for people."""

    code: str
    detail: str = ""

    to_dict = _dict


@dataclass(frozen=True)
class Translation:
    """The English for one sentence ID, with what the engine reports."""

    id: str
    source: str
    text: str
    flags: tuple[Flag, ...] = ()
    source_tokens: int = 0
    target_tokens: int = 0
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["flags"] = [f.to_dict() for f in self.flags]
        return d


@dataclass(frozen=True)
class Citation:
    """A source sentence that a brief sentence rests on, with the similarity
    the citation checker measured between the two."""

    id: str
    article: int
    similarity: float = 0.0

    to_dict = _dict


@dataclass(frozen=True)
class BriefSentence:
    """One sentence of a brief.

    ``sources`` is the number of distinct articles among the citations;
    ``supported`` is the verdict of the citation checker and is never set
    true without a check. ``section`` is ``key``, ``quote`` or ``single``.
    """

    text: str
    citations: tuple[Citation, ...]
    sources: int
    supported: bool
    section: str = "key"
    speaker: str = ""
    support: float = 0.0
    # Independent sources among the citations: copies of one article count
    # once, and an article cited only for sentences another cited article
    # has word for word counts as none of its own (None where not counted).
    independent_sources: int | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.citations)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [c.to_dict() for c in self.citations]
        d["ids"] = list(self.ids)
        return d


@dataclass(frozen=True)
class Version:
    """One value that sources give for a fact (a figure, a date, a place, a
    name), with the sentences that state it.

    ``value`` is normalised so that versions compare (``"222570"``,
    ``"wednesday"``); ``shown`` is the value as written (``"222,570"``);
    ``date`` is the earliest publication date among the citing articles
    (``""`` when none is dated).
    """

    value: str
    text: str
    citations: tuple[str, ...]
    date: str = ""
    shown: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = list(self.citations)
        return d


@dataclass(frozen=True)
class FactVersions:
    """The different values sources give for one fact.

    ``kind`` is ``update`` (the values follow one another in time: the
    latest replaces the earlier ones, as a death toll rises over weeks) or
    ``disagreement`` (sources of the same time differ: both are shown,
    neither is chosen); see `toolkit.brief.versions.version_kind`, the one
    rule that tells them apart. ``versions`` are in date order.
    """

    about: str
    kind: str
    versions: tuple[Version, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"about": self.about, "kind": self.kind, "versions": [v.to_dict() for v in self.versions]}


@dataclass(frozen=True)
class TimelineEntry:
    """One dated development of a story that unfolds over days: a source
    sentence, cited, under the date of its event (`reported`: its article's
    date where that is another day; "" where they are one)."""

    date: str
    text: str
    citations: tuple[str, ...]
    reported: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "reported": self.reported or self.date, "text": self.text,
                "citations": list(self.citations)}


@dataclass(frozen=True)
class Brief:
    sentences: tuple[BriefSentence, ...]
    total_sources: int
    manifest: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # A story told over days: its dated developments, in date order.
    timeline: tuple[TimelineEntry, ...] = ()
    # Facts whose value changed over time (kind "update"), latest last.
    figures: tuple[FactVersions, ...] = ()
    # Facts that sources of the same time state differently ("Sources differ").
    disagreements: tuple[FactVersions, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": [s.to_dict() for s in self.sentences],
            "total_sources": self.total_sources,
            "manifest": dict(self.manifest),
            "warnings": list(self.warnings),
            "disagreements": [_disagreement(f) for f in self.disagreements],
            "timeline": [e.to_dict() for e in self.timeline],
            # Each changing figure: its latest value, and every value in date order.
            "figures": [{"about": f.about, **f.versions[-1].to_dict(), "updates": [v.to_dict() for v in f.versions]}
                        for f in self.figures if f.versions],
        }


def _disagreement(fact: FactVersions) -> dict[str, Any]:
    """The JSON form of one "Sources differ" entry: each version's sentence,
    value as written and citations."""
    return {"about": fact.about,
            "versions": [{"text": v.text, "value": v.shown or v.value, "citations": list(v.citations)}
                         for v in fact.versions]}


@dataclass(frozen=True)
class Score:
    """One corpus-level metric value with its sacrebleu signature."""

    metric: str
    score: float
    signature: str
    ci: float | None = None
    detail: str = ""

    to_dict = _dict
