"""Reading the model's answer: one candidate sentence per line or bullet, with
the source IDs it ends with."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.ids import PATTERN as _ID
from .chat import one_line


@dataclass(frozen=True)
class Candidate:
    """One sentence the model proposed, with the IDs it ended with (in the
    order given, duplicates removed) and its 1-based line in the answer."""

    text: str
    ids: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ParsedOutput:
    candidates: tuple[Candidate, ...]
    ignored: tuple[str, ...] = ()


_CITE = re.compile(rf"\[\s*({_ID}(?:\s*[,;]\s*{_ID})*)\s*\]")
_BULLET = re.compile(r"^(?:[-*•·]+|\d+[.)])\s+")
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_TAIL = re.compile(r"^[\s.,;:!?\"'”’)»]*$")
_LEAD = re.compile(r"^[\s.,;:!?\"'”’)»]*")


def _tidy(text: str) -> str:
    text = " ".join(text.replace("**", "").replace("__", "").split()).lstrip(";,: ")
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _close_previous(found: list[Candidate], text: str) -> str:
    """Move the punctuation that follows a bracket group (``[1.2].``) onto
    the sentence the group closes; return what is left of `text`."""
    if not found:
        return text
    lead = _LEAD.match(text)
    if lead and lead.group(0).strip():
        prev = found[-1]
        found[-1] = Candidate(_tidy(prev.text + lead.group(0).strip()), prev.ids, prev.line)
    return text[lead.end():] if lead else text


def parse_output(text: str) -> ParsedOutput:
    """Split a model answer into sentences and the IDs each ends with.

    Each bracket group ``[1.2, 3.4]`` closes the text before it; adjacent
    groups (``[1.2][3.4]``) join. Text left without a group becomes a
    candidate with no IDs, which the checker rejects: nothing the model wrote
    is dropped unseen. Headings (``# ...``, ``Brief:``) and reasoning blocks
    (``<think>``) are set aside in ``ignored``."""
    ignored: list[str] = []
    for block in _THINK.findall(text):
        ignored.append(one_line(block, 200))
    text = _THINK.sub("", text)
    candidates: list[Candidate] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _BULLET.sub("", raw.strip()).strip()
        if not line:
            continue
        has_cite = bool(_CITE.search(line))
        if line.startswith("#") or (not has_cite and line.rstrip("*_ ").endswith(":")) or line in ("---", "***"):
            ignored.append(line)
            continue
        found: list[Candidate] = []
        pos = 0
        for m in _CITE.finditer(line):
            ids = tuple(i.strip() for i in re.split(r"[,;]", m.group(1)))
            between = line[pos:m.start()]
            if found and _TAIL.match(between):
                prev = found[-1]
                merged = tuple(dict.fromkeys(prev.ids + ids))
                found[-1] = Candidate(prev.text, merged, lineno)
            else:
                between = _close_previous(found, between)
                found.append(Candidate(_tidy(between), tuple(dict.fromkeys(ids)), lineno))
            pos = m.end()
        rest = _close_previous(found, line[pos:])
        if rest.strip():
            found.append(Candidate(_tidy(rest), (), lineno))
        for c in found:
            if c.text:
                candidates.append(c)
            else:  # a bracket group with no text before it cites nothing
                ignored.append("[" + ", ".join(c.ids) + "]")
    return ParsedOutput(tuple(candidates), tuple(ignored))
