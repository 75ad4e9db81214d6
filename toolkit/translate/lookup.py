"""Bookkeeping of a translation run: the model inputs of each source
language and what the cache holds for them (`Lookup`), progress counted per
sentence (`Tally`), and what the run produced over all languages (`Done`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Sequence

from .base import Hypothesis
from .cache import TranslationCache

# progress(done_sentences, total_sentences, target_tokens)
Progress = Callable[[int, int, int], None]
# A model input: its source language code (None: the model's own) and text.
Key = tuple[str | None, str]


class Tally:
    """Sentences done and target tokens produced, reported to `progress`;
    an input (`Key`) shared by several sentences counts for each of them."""

    def __init__(self, inputs: Sequence[Hashable], total: int, progress: Progress | None) -> None:
        self.users: dict[Hashable, int] = {}
        for text in inputs:
            self.users[text] = self.users.get(text, 0) + 1
        self.total, self.progress = total, progress
        self.done = self.tokens = 0

    def add(self, texts: Sequence[Hashable], tokens: int = 0, *, report: bool = True) -> None:
        self.done += sum(self.users[t] for t in texts)
        self.tokens += tokens
        if report:
            self.report()

    def report(self) -> None:
        if self.progress:
            self.progress(self.done, self.total, self.tokens)


@dataclass
class Lookup:
    """The model inputs of one source language (`code`) and what the cache
    already holds for them."""

    cache: TranslationCache | None
    namespace: str
    results: dict[str, Hypothesis]
    cached: set[str]
    missing: list[str]
    code: str | None = None

    def keys(self, texts: Sequence[str]) -> list[Key]:
        return [(self.code, t) for t in texts]

    def rekey(self, namespace: str) -> list[str]:
        """After a fallback: look the missing inputs up under what actually
        runs (an earlier run of the same fallback may hold them); the texts
        found."""
        self.namespace = namespace
        found = self.cache.get_many(namespace, self.missing) if self.cache else {}
        self.results.update(found)
        self.cached |= set(found)
        self.missing = [t for t in self.missing if t not in found]
        return list(found)

    def close(self) -> None:
        if self.cache:
            self.cache.close()


@dataclass
class Done:
    """What the run produced, over all source languages: a hypothesis per
    model input, those that came from the cache, the article languages
    translated with their codes, and what the cache recovered from."""

    results: dict[Key, Hypothesis] = field(default_factory=dict)
    cached: set[Key] = field(default_factory=set)
    languages: dict[str, str | None] = field(default_factory=dict)
    recovered: Any = None

    def take(self, lookup: Lookup) -> None:
        self.results.update(zip(lookup.keys(list(lookup.results)), lookup.results.values()))
        self.cached.update(lookup.keys(list(lookup.cached)))
        if lookup.cache and lookup.cache.recovered:
            self.recovered = lookup.cache.recovered
