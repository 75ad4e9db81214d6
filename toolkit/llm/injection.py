"""Sources that read like orders to a language model."""
from __future__ import annotations

import re


# Sources that read like orders to a language model. A sentence that rests on
# one is not shown: a model obeying an injected order would otherwise pass the
# checker, because its output repeats the order's own words.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:previous|prior|above|earlier|preceding|your)\b"
    r"[^.]{0,20}\b(?:instructions?|rules|prompts?|directions|guidelines)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message)\b"
    r"|\byou are now\b"
    r"|\bnew instructions?\s*:"
    r"|\b(?:as an ai|language model)\b[^.]{0,40}\b(?:must|should|write|say|output)\b",
    re.IGNORECASE)


def instruction_like(text: str) -> bool:
    return bool(_INSTRUCTION.search(text))
