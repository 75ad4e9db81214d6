"""What every chat backend is: `ChatModel.complete` and its `Completion`."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Mapping, Sequence


DEFAULT_SEED = 0
DEFAULT_MAX_NEW_TOKENS = 512


@dataclass(frozen=True)
class Completion:
    """What a chat model answered. ``finish_reason`` is ``stop`` or
    ``length`` (cut at the token limit)."""

    text: str
    finish_reason: str = "stop"
    model: str = ""


class ChatModel(ABC):
    """A chat model that answers one conversation. Subclasses implement
    `complete`; `describe` feeds the manifest."""

    seed: int = DEFAULT_SEED

    @abstractmethod
    def complete(self, messages: Sequence[Mapping[str, str]]) -> Completion:
        """The assistant's reply to `messages` (role/content dicts)."""

    def describe(self) -> dict[str, Any]:
        return {}


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
