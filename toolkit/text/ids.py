"""Sentence IDs: "A.S" (article A, sentence S) or "A.S.P" (part P of a
sentence split to fit the model), all numbers from 1."""
from __future__ import annotations

import re
from dataclasses import dataclass

# One ID inside other text (citations, prompts); `SentenceId.parse` reads
# exactly one.
PATTERN = r"\d+(?:\.\d+){1,2}"
_EXACT = re.compile(PATTERN)


@dataclass(frozen=True, order=True)
class SentenceId:
    article: int
    index: int
    part: int | None = None

    @classmethod
    def parse(cls, text: str) -> SentenceId:
        """The ID written as `text`; ValueError when it is not "A.S" or
        "A.S.P"."""
        if not isinstance(text, str) or not _EXACT.fullmatch(text):
            raise ValueError(f"sentence ID {text!r} is not of the form A.S")
        numbers = [int(n) for n in text.split(".")]
        return cls(numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else None)

    @property
    def within(self) -> str:
        """The ID without its article ("S" or "S.P"), as reference files
        and translations from elsewhere number sentences."""
        return str(self.index) if self.part is None else f"{self.index}.{self.part}"

    def __str__(self) -> str:
        return f"{self.article}.{self.within}"


def article_of(sid: str) -> int:
    """The article number of an ID; 0 when `sid` is not an ID."""
    try:
        return SentenceId.parse(sid).article
    except ValueError:
        return 0
