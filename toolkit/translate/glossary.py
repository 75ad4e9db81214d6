"""Required English renderings for Arabic terms, mostly names that MT spells
several ways (بيونغ يانغ / بيونج يانج → Pyongyang).

File format (TSV, UTF-8): one ``Arabic term<TAB>English rendering`` per
line; spelling variants are further lines with the same English (or several
Arabic variants in the first column separated by ``|``); ``#`` starts a
comment line; blank lines are ignored.

How it is applied: every occurrence of a term in the source, matched after
Arabic normalisation (hamza forms, alef maqsura, teh marbuta, diacritics,
tatweel) and allowing the attached prefixes و ف ب ل ك, is replaced by its
English rendering before translation. MT models copy Latin-script names
through, so the same rendering reaches every article, and the cache key
(the model input) changes whenever the glossary does. Afterwards each
sentence's output is checked: every occurrence not rendered as required is
reported.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from ..text.arabic import normalize_arabic

_CLITICS = "[وف]?[بلك]?"


@dataclass(frozen=True)
class GlossaryMatch:
    term: str      # the Arabic as written in the source
    english: str   # the required rendering
    start: int
    end: int       # span of the term (without attached prefixes) in the source
    clitic: str = ""


@dataclass(frozen=True)
class GlossaryViolation:
    """One sentence where the output does not render a term as required."""

    id: str
    term: str
    expected: str
    occurrences: int
    found: int
    output: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "term": self.term, "expected": self.expected,
                "occurrences": self.occurrences, "found": self.found}


def _norm_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the
    source character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        n = normalize_arabic(ch) if not ch.isspace() else " "
        if n == "" and not ch.isspace():
            continue
        if n == " ":
            if out and out[-1] == " ":
                continue
        for c in n:
            out.append(c)
            index.append(i)
    return "".join(out), index


@dataclass
class Glossary:
    entries: dict[str, str]                # normalised Arabic -> English
    source: str = "<glossary>"
    sha256: str = ""
    spelled: dict[str, str] = field(default_factory=dict)  # normalised -> as written in the file

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], source: str = "<glossary>") -> "Glossary":
        lines = "".join(f"{ar}\t{en}\n" for ar, en in mapping.items())
        return cls.parse(lines, source)

    @classmethod
    def load(cls, path: str | Path) -> "Glossary":
        p = Path(path)
        from ..fileio import read_file_bounded

        data = read_file_bounded(p, "glossary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("glossary is not UTF-8", str(path)) from None
        return cls.parse(text, str(path), sha256=hashlib.sha256(data).hexdigest())

    @classmethod
    def parse(cls, text: str, source: str = "<glossary>", sha256: str | None = None) -> "Glossary":
        entries: dict[str, str] = {}
        spelled: dict[str, str] = {}
        for no, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 2:
                raise InputError("expected 'Arabic term<TAB>English rendering'"
                                 f" (found {len(cols)} column{'s' if len(cols) != 1 else ''})", source, no)
            arabic, english = cols[0].strip(), cols[1].strip()
            if not english:
                raise InputError("empty English rendering", source, no)
            for variant in (v.strip() for v in arabic.split("|")):
                key = normalize_arabic(variant)
                if not key:
                    raise InputError("empty Arabic term", source, no)
                if key in entries and entries[key] != english:
                    raise InputError(f"{variant!r} is already rendered as {entries[key]!r}", source, no)
                entries[key] = english
                spelled.setdefault(key, variant)
        digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(entries, source, digest, spelled)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __post_init__(self) -> None:
        alternatives = sorted(self.entries, key=lambda k: (-len(k), k))
        body = "|".join(re.escape(k) for k in alternatives) or r"(?!)"
        self._pattern = re.compile(rf"(?:^|(?<=\W))(?P<clitic>{_CLITICS})(?P<term>{body})(?!\w)")

    def find(self, text: str) -> list[GlossaryMatch]:
        norm, index = _norm_map(text)
        found = []
        for m in self._pattern.finditer(norm):
            key = m.group("term")
            start, end = index[m.start("term")], index[m.end("term") - 1] + 1
            clitic = text[index[m.start("clitic")]:start] if m.group("clitic") else ""
            found.append(GlossaryMatch(text[start:end], self.entries[key], start, end, clitic))
        return found

    def apply(self, text: str) -> str:
        """`text` with every term replaced by its English rendering."""
        out, last = [], 0
        for m in self.find(text):
            out.append(text[last:m.start])
            if m.clitic:
                out.append(" ")  # keep و/ب/ل as a word of their own before the Latin name
            out.append(m.english)
            last = m.end
        out.append(text[last:])
        return "".join(out)

    def check(self, sentence_id: str, source: str, output: str) -> list[GlossaryViolation]:
        """Every term in `source` whose rendering `output` lacks (counted, so
        two occurrences need two renderings)."""
        wanted: dict[str, list[str]] = {}
        for m in self.find(source):
            wanted.setdefault(m.english, []).append(m.term)
        problems = []
        for english, terms in wanted.items():
            found = count_rendering(output, english)
            if found < len(terms):
                problems.append(GlossaryViolation(sentence_id, " / ".join(dict.fromkeys(terms)), english,
                                                  len(terms), found, output))
        return problems


def count_rendering(output: str, english: str) -> int:
    """Occurrences of `english` in `output` as whole words (case must match;
    any run of spaces between its words will do; "Pyongyang's" counts)."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in english.split()) + r"(?!\w)"
    return len(re.findall(pattern, unicodedata.normalize("NFC", output)))


def load_glossary(glossary: "str | Path | Glossary | Mapping[str, str] | None") -> Glossary | None:
    if glossary is None or isinstance(glossary, Glossary):
        return glossary
    if isinstance(glossary, Mapping):
        return Glossary.from_mapping(glossary)
    return Glossary.load(glossary)
