"""Prompt templates (``prompts/*.toml``) and the sources block they are filled with."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..records import Article
from ..text.ids import article_of
from .chat import one_line


def _prompts_dir() -> Path:
    """``toolkit/prompts`` when a wheel ships the templates inside the
    package; else ``prompts/`` beside the package (a checkout)."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "prompts"
    return inside if inside.is_dir() else here.parent / "prompts"


PROMPTS_DIR = _prompts_dir()
DEFAULT_PROMPT = "brief-v1"

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLACEHOLDERS = ("sources", "boundary", "article_count", "sentence_count", "max_sentences")


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt as data: system and user parts with ``{placeholders}``.

    ``sha256`` is the hash of the file's bytes, so the manifest pins exactly
    which wording produced a brief."""

    name: str
    system: str
    user: str
    sha256: str
    path: str
    version: int | None = None
    description: str = ""

    def manifest(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256, "path": self.path}

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(system, user) with the placeholders filled in a single pass, so text
        coming from articles is never itself scanned for placeholders."""

        def fill(part: str) -> str:
            return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), part)

        return fill(self.system), fill(self.user)


def available_prompts() -> list[str]:
    """Names of the templates shipped in ``prompts/``."""
    if not PROMPTS_DIR.is_dir():
        return []
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.toml"))


def load_prompt(spec: str | None = None) -> PromptTemplate:
    """Load a template by name (``brief-v1``) or from a TOML file path.

    A value containing a path separator or ending in ``.toml`` is a file;
    anything else is a name looked up in ``prompts/``."""
    spec = spec or DEFAULT_PROMPT
    looks_like_path = "/" in spec or "\\" in spec or spec.endswith(".toml")
    if looks_like_path:
        path = Path(spec).expanduser()
        if not path.is_file():
            raise InputError("prompt file not found", spec)
    else:
        path = PROMPTS_DIR / f"{spec}.toml"
        if not path.is_file():
            known = ", ".join(available_prompts()) or "none"
            raise InputError(f"unknown prompt {spec!r}; known: {known} (or pass a .toml file)")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"invalid prompt template ({one_line(str(exc))})", str(path)) from None
    for key in ("system", "user"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InputError(f"prompt template needs a non-empty string '{key}'", str(path))
    used = {m.group(1) for part in (data["system"], data["user"]) for m in _PLACEHOLDER.finditer(part)}
    unknown = sorted(used - set(_PLACEHOLDERS))
    if unknown:
        raise InputError(
            f"unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
            f"known: {', '.join('{' + p + '}' for p in _PLACEHOLDERS)}", str(path))
    if "sources" not in {m.group(1) for m in _PLACEHOLDER.finditer(data["user"])}:
        raise InputError("the 'user' part must contain {sources}", str(path))
    version = data.get("version")
    return PromptTemplate(
        name=str(data.get("name") or path.stem),
        system=data["system"].strip(),
        user=data["user"].strip(),
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
        version=version if isinstance(version, int) else None,
        description=str(data.get("description", "")),
    )


def _flat(text: str) -> str:
    """One line of text: a source sentence may not start a line of its own,
    or it could pose as another numbered source."""
    return " ".join(text.split())


def render_sources(articles: Sequence[Article], english: Mapping[str, str]) -> tuple[str, list[str]]:
    """The numbered source block and the IDs in it, in article order.

    IDs in `english` that belong to no article are appended at the end so
    nothing the caller passed is silently left out."""
    lines: list[str] = []
    ids: list[str] = []
    seen: set[str] = set()
    for article in articles:
        rows = [s for s in article.sentences if s.id in english]
        if not rows:
            continue
        title = _flat(article.name)
        lines.append(f"Article {article.number} ({title}):" if title else f"Article {article.number}:")
        for s in rows:
            lines.append(f"[{s.id}] {_flat(english[s.id])}")
            ids.append(s.id)
            seen.add(s.id)
        lines.append("")
    rest = [i for i in english if i not in seen]
    if rest:
        lines.append("Other sentences:")
        for i in rest:
            lines.append(f"[{i}] {_flat(english[i])}")
            ids.append(i)
    return "\n".join(lines).strip(), ids


def build_messages(template: PromptTemplate, articles: Sequence[Article], english: Mapping[str, str], *,
                   max_sentences: int = 8) -> list[dict[str, str]]:
    """The chat messages for one brief.

    The source block is fenced by a tag made from a hash of the sources
    themselves: an article cannot contain the tag that closes the block around
    it, so it cannot step outside the quoted data."""
    sources, ids = render_sources(articles, english)
    if not ids:
        raise InputError("no English source sentences to brief")
    digest = hashlib.sha256(sources.encode("utf-8")).hexdigest()[:12]
    boundary = f"sources-{digest}"
    values = {
        "sources": sources,
        "boundary": boundary,
        "article_count": str(len({article_of(i) for i in ids})),
        "sentence_count": str(len(ids)),
        "max_sentences": str(max_sentences),
    }
    system, user = template.render(values)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
