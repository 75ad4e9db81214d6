"""One brief across several articles about one story, every sentence citing
the source sentences it rests on (the extractive method, no LLM).

The steps, each a function of plain vectors and numbers so it can be tested
on its own:

1. `candidates`: the English source sentences worth summarising (headings,
   fragments and untranslated sentences are set aside and counted).
2. `similarity_matrix` + `group_facts`: sentences that report the same fact
   form one group around a centre sentence (star grouping on cosine
   similarity after removing the story's common direction).
3. `rank_facts`: corroboration (distinct sources) first, then centrality and
   position (lead sentences weigh more).
4. `select_mmr`: maximal marginal relevance within each section, so no two
   brief sentences state the same fact.
5. `build_brief`: the representative of each chosen fact (complete, fewest
   translation flags, clearest) citing every sentence of its group, checked
   by `toolkit.verify.verify_sentences`; unsupported sentences are dropped
   with a warning and listed in the manifest, never shown as supported.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .errors import InputError, IntegrityError
from .types import Article, Brief, BriefSentence, Flag

if TYPE_CHECKING:
    import numpy as np

# Star grouping threshold on centred cosine similarity (all-MiniLM-L6-v2),
# chosen on the hand-labelled seed pairs in tests/data/summarize_pairs.tsv:
# the best pairwise F1 of the grouping (see bench/summarize_threshold.py).
GROUP_THRESHOLD = 0.40
# Centring needs enough sentences to estimate the story's direction; below
# MIN_CENTER candidates plain cosine is used with this stricter threshold.
MIN_CENTER = 8
RAW_GROUP_THRESHOLD = 0.78
DEFAULT_SENTENCES = 8
MMR_LAMBDA = 0.7
# Inside one corroboration level: how much centrality and lead position count.
W_CENTRALITY = 0.6
W_POSITION = 0.4
MIN_WORDS = 5
QUOTE_MIN_WORDS = 4
QUOTE_MAX_WORDS = 45
# Share of a quote's content words another sentence must carry to count as
# reporting the same quote.
QUOTE_COVERAGE = 0.67
# A group member is cited (and counted as a source) only when it resembles
# the sentence the brief shows, not just the group's centre: grouping is
# transitive enough to put "the visit will focus on arms shipments" beside
# "the main talks are on June 19" (plain cosine 0.53 on the seed story).
# Members below this become facts of their own, so nothing is lost.
CITE_SIMILARITY = 0.6
# Translation flags that make a sentence unusable as evidence.
UNUSABLE_FLAGS = frozenset({"untranslated"})

KEY, QUOTE, SINGLE = "key", "quote", "single"
SECTION_TITLES = {KEY: "Key points", QUOTE: "Notable quotes", SINGLE: "Reported by one source only"}

_PRONOUN_START = re.compile(r"^(?:he|she|it|they|this|these|those|that|his|her|their|its)\b", re.I)
_BACK_REFERENCE = re.compile(r"\b(?:this|these|that|those|the latter|the former)\s+(?:article|meeting|report|"
                             r"statement|document|interview|speech|message|visit|letter)\b", re.I)
_TERMINAL = re.compile(r"[.!?\"'”’»)\]]\s*$")
_QUOTE = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
_SPEECH = (r"said|says|added|stressed|noted|announced|affirmed|indicated|explained|wrote|stated|declared|told|"
           r"expressed|described|assured|emphasized|emphasised|confirmed|considered|warned|pointed out|"
           r"referred|hoped")
_NAME = r"[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,3}"
_TITLES = {"president", "leader", "minister", "prime", "spokesman", "spokeswoman", "spokesperson", "aide",
           "secretary", "general", "chancellor", "king", "prince", "ambassador", "director", "chief",
           "counterpart", "mayor", "governor", "senator", "deputy", "foreign", "defence", "defense",
           "spokesperson", "russian", "north", "korean", "american", "the", "white", "house", "pentagon"}
_NOT_NAMES = _TITLES | {"he", "she", "it", "they", "we", "i", "this", "that", "these", "those", "his", "her",
                        "their", "its", "and", "but", "also", "earlier", "during", "according", "in", "on", "as"}
_SPEAKER_BEFORE = re.compile(rf"({_NAME})\s*,?\s+(?:also\s+|then\s+|later\s+)?(?:{_SPEECH})\b")
_SPEAKER_AFTER = re.compile(rf"[\"”,]\s*(?:{_SPEECH})\s+({_NAME})")
_PRONOUN_SPEECH = re.compile(rf"^(?:he|she)\s+(?:also\s+)?(?:{_SPEECH})\b", re.I)
_ROLE_SPEECH = re.compile(rf"^the\s+([\w\s\-]{{0,30}}?(?:president|leader|minister|spokesman|spokeswoman))\s+"
                          rf"(?:also\s+)?(?:{_SPEECH})\b", re.I)


# --------------------------------------------------------------------------
# Candidate sentences


@dataclass(frozen=True)
class Unit:
    """One English source sentence that may enter the brief."""

    id: str
    article: int
    index: int
    order: int          # position among the article's sentences, 0-based
    length: int         # sentences in the article
    text: str
    flags: tuple[Flag, ...] = ()

    @property
    def position(self) -> float:
        """1.0 for the lead sentence down to near 0 for the last."""
        return 1.0 - self.order / max(self.length, 1)

    @property
    def words(self) -> int:
        return len(self.text.split())


def clarity(text: str, flags: Sequence[Flag] = ()) -> tuple[int, int, int]:
    """Sort key, larger is clearer: fewest translation flags, then a
    sentence that stands on its own (no leading pronoun, no "this article"
    pointing back into its source), then complete."""
    standalone = not _PRONOUN_START.match(text) and not _BACK_REFERENCE.search(text)
    return (-len(flags), 1 if standalone else 0, 1 if _TERMINAL.search(text) else 0)


def is_fragment(text: str, next_text: str | None = None) -> bool:
    """A piece of a sentence rather than a statement: too short, starting in
    lower case (the tail of a broken sentence), or followed by such a tail."""
    t = text.strip()
    if len(t.split()) < MIN_WORDS:
        return True
    first = next((c for c in t if c.isalpha()), "")
    if first and first.islower():
        return True
    if next_text:
        nxt = next((c for c in next_text.strip() if c.isalpha()), "")
        if nxt and nxt.islower():
            return True
    return False


def candidates(articles: Sequence[Article], english: Mapping[str, str],
               flags: Mapping[str, Sequence[Flag]] | None = None) -> tuple[list[Unit], dict[str, list[str]]]:
    """The sentences that may enter the brief, and the IDs set aside by
    reason (``heading``, ``fragment``, ``untranslated``)."""
    flags = flags or {}
    units: list[Unit] = []
    skipped: dict[str, list[str]] = {"heading": [], "fragment": [], "untranslated": []}
    for art in articles:
        sents = art.sentences
        for k, s in enumerate(sents):
            if s.is_heading:
                skipped["heading"].append(s.id)
                continue
            if s.id not in english:
                raise IntegrityError(f"{art.source}: no English for sentence {s.id}; the translations do not cover "
                                     "this article (translate it again or check --translations)")
            text = " ".join(str(english[s.id]).split())
            fl = tuple(flags.get(s.id, ()))
            if not text or any(f.code in UNUSABLE_FLAGS for f in fl):
                skipped["untranslated"].append(s.id)
                continue
            nxt = None
            if k + 1 < len(sents) and not sents[k + 1].is_heading:
                nxt = english.get(sents[k + 1].id)
            if is_fragment(text, nxt):
                skipped["fragment"].append(s.id)
                continue
            units.append(Unit(s.id, art.number, s.index, k, len(sents), text, fl))
    return units, skipped


# --------------------------------------------------------------------------
# Grouping and ranking on plain vectors


def similarity_matrix(vectors: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """(pairwise similarity, grouping threshold for it, whether centred).

    Sentences of one story all share its topic, so their plain cosine
    similarity is high whatever fact they state; subtracting the mean
    vector of the candidates removes that common part and leaves what
    distinguishes one fact from another."""
    import numpy as np

    v = np.asarray(vectors, dtype=np.float64)
    if len(v) >= MIN_CENTER:
        c = v - v.mean(axis=0, keepdims=True)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        c = c / np.where(norms == 0, 1.0, norms)
        return c @ c.T, GROUP_THRESHOLD, True
    n = np.linalg.norm(v, axis=1, keepdims=True)
    v = v / np.where(n == 0, 1.0, n)
    return v @ v.T, RAW_GROUP_THRESHOLD, False


def group_facts(sim: np.ndarray, articles: Sequence[int], threshold: float, *,
                clarity_keys: Sequence[Any] | None = None) -> list[list[int]]:
    """Star grouping: repeatedly take the free sentence whose neighbours
    (free sentences at least `threshold` similar to it) span the most
    distinct articles (ties: the clearer sentence, then the larger summed
    similarity, then the earlier one), and make it the centre of a group of
    itself and those neighbours. Every member is similar to the centre, so
    the centre can speak for the group. Returns index lists, centre first,
    the rest in input order."""
    import numpy as np

    n = len(articles)
    free = np.ones(n, dtype=bool)
    arts = np.asarray(articles)
    groups: list[list[int]] = []
    while free.any():
        best_key, best = None, None
        for i in np.flatnonzero(free):
            nb = np.flatnonzero(free & (sim[i] >= threshold))
            nb = nb if i in nb else np.append(nb, i)
            key = (len(set(arts[nb].tolist())), clarity_keys[i] if clarity_keys is not None else 0,
                   float(sim[i, nb].sum()), -int(i))
            if best_key is None or key > best_key:
                best_key, best = key, (int(i), nb)
        assert best is not None
        centre, nb = best
        members = [centre] + [int(j) for j in sorted(nb.tolist()) if j != centre]
        free[members] = False
        groups.append(members)
    return groups


def centrality(vectors: np.ndarray) -> np.ndarray:
    """Mean cosine similarity of each sentence to all the others: how
    typical it is of the whole story."""
    import numpy as np

    v = np.asarray(vectors, dtype=np.float64)
    if len(v) < 2:
        return np.ones(len(v))
    s = v @ v.T
    return (s.sum(axis=1) - np.diag(s)) / (len(v) - 1)


def rank_facts(groups: Sequence[Sequence[int]], articles: Sequence[int], central: Sequence[float],
               positions: Sequence[float]) -> list[float]:
    """A score per group: the number of distinct articles it comes from,
    plus less than one point for centrality (of its centre, scaled over the
    candidates) and lead position (best of its members). A fact from more
    sources therefore always outranks one from fewer; centrality and
    position order facts with the same corroboration."""
    if not groups:
        return []
    lo, hi = min(central), max(central)
    span = (hi - lo) or 1.0
    scores = []
    for g in groups:
        sources = len({articles[i] for i in g})
        cen = (central[g[0]] - lo) / span
        pos = max(positions[i] for i in g)
        scores.append(sources + 0.99 * (W_CENTRALITY * cen + W_POSITION * pos))
    return scores


def select_mmr(pool: Sequence[int], scores: Sequence[float], sim: np.ndarray, *, limit: int | None = None,
               words: Sequence[int] | None = None, word_budget: int | None = None, chosen: Sequence[int] = (),
               duplicate: float | None = None, lam: float = MMR_LAMBDA) -> list[int]:
    """Maximal marginal relevance over `pool` (indices into `scores` and
    `sim`): repeatedly take the item with the best
    ``lam * relevance - (1 - lam) * similarity to what is already chosen``
    (relevance = score scaled to 0..1), skipping items at least `duplicate`
    similar to a chosen one, until `limit` items or `word_budget` words.
    `chosen` are items picked earlier (other sections) to stay away from."""
    if not pool:
        return []
    top = max(scores[i] for i in pool) or 1.0
    picked: list[int] = []
    taken = list(chosen)
    used = 0
    left = list(pool)
    while left and (limit is None or len(picked) < limit):
        best, best_val = None, None
        for i in left:
            red = max((float(sim[i, j]) for j in taken), default=None)
            if duplicate is not None and red is not None and red >= duplicate:
                continue
            if word_budget is not None and words is not None and used + words[i] > word_budget:
                continue
            val = lam * scores[i] / top - (1 - lam) * max(red or 0.0, 0.0)
            if best_val is None or val > best_val:
                best, best_val = i, val
        if best is None:
            break
        picked.append(best)
        taken.append(best)
        left.remove(best)
        if words is not None:
            used += words[best]
    return picked


# --------------------------------------------------------------------------
# Quotes and speakers


def quote_of(text: str) -> str:
    """The longest quoted passage of at least QUOTE_MIN_WORDS words, or ''."""
    best = ""
    for m in _QUOTE.finditer(text):
        q = m.group(1).strip()
        if len(q.split()) >= QUOTE_MIN_WORDS and len(q) > len(best):
            best = q
    return best


def _clean_name(name: str) -> str:
    parts = name.split()
    # Keep what follows the last title word: "Russian President Vladimir Putin" -> "Vladimir Putin".
    for k in range(len(parts) - 1, -1, -1):
        if parts[k].lower() in _TITLES:
            parts = parts[k + 1:]
            break
    return " ".join(parts)


def named_speaker(text: str) -> str:
    """The person a sentence attributes speech to by name, or ''."""
    before = text.split('"', 1)[0].split("“", 1)[0]
    for m in _SPEAKER_BEFORE.finditer(before):
        name = _clean_name(m.group(1))
        if name and name.split()[0].lower() not in _NOT_NAMES:
            return name
    m = _SPEAKER_AFTER.search(text)
    if m:
        name = _clean_name(m.group(1))
        if name and name.split()[0].lower() not in _NOT_NAMES:
            return name
    return ""


def speaker_of(text: str, previous: Sequence[str] = ()) -> str:
    """Who says the sentence: a name before a verb of speech ("Putin said"),
    or for "He added"/"The Korean leader said" the last named speaker of the
    preceding sentences of the same article."""
    name = named_speaker(text)
    if name:
        return name
    role = _ROLE_SPEECH.match(text)
    if role:
        # "The North Korean leader said": the role names the speaker better
        # than a guess at which earlier name it refers to.
        return role.group(1)
    if _PRONOUN_SPEECH.match(text):
        for prev in reversed(previous):
            name = named_speaker(prev)
            if name:
                return name
    return ""


# --------------------------------------------------------------------------
# English inputs


def english_from_jsonl(path: str | Path, articles: Sequence[Article]
                       ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    """English and flags per sentence ID from the JSONL of `toolkit translate
    --format jsonl`: one object per sentence with "id", "text", and
    optionally "flags" (codes or {"code", "detail"} objects), "source_file"
    and "source" (the Arabic). Rows are matched to `articles` by source
    file name when the file names them, else by ID; an Arabic "source" that
    differs from the article's sentence is an error."""
    p = Path(path)
    from .fileio import read_file_bounded

    try:
        # A BOM from an editor is not part of line 1.
        raw = read_file_bounded(p, "translation file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read translation file ({exc})", str(p)) from None
    rows: list[tuple[int, dict[str, Any]]] = []
    first_line: dict[tuple[Any, str], int] = {}
    # JSON Lines are separated by \n only: str.splitlines() would also split
    # at U+2028/U+2029 and other characters JSON leaves unescaped in strings.
    for lineno, line in enumerate(raw.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise InputError(f"not JSON ({exc.args[0] if exc.args else exc})", str(p), lineno) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("text"), str):
            raise InputError('each line must be an object with string "id" and "text"', str(p), lineno)
        for field, kind in (("source_file", str), ("source", str), ("flags", list)):
            if obj.get(field) is not None and not isinstance(obj[field], kind):
                raise InputError(f'field "{field}" must be a {"string" if kind is str else "list"}, '
                                 f"got {type(obj[field]).__name__}", str(p), lineno)
        for flag in obj.get("flags") or ():
            if not isinstance(flag, (str, dict)):
                raise InputError('each flag must be a code string or a {"code", "detail"} object',
                                 str(p), lineno)
        # A repeated ID would let one row silently replace another's English.
        key = (obj.get("source_file") or None, obj["id"])
        if key in first_line:
            raise InputError(f"sentence ID {obj['id']} occurs twice (first on line {first_line[key]})",
                             str(p), lineno)
        first_line[key] = lineno
        rows.append((lineno, obj))
    if not rows:
        raise InputError("no translations in file", str(p))

    by_path: dict[str, Article] = {}
    names: dict[str, list[Article]] = {}
    for art in articles:
        by_path[art.source] = art
        try:
            by_path[str(Path(art.source).resolve())] = art
        except OSError:
            pass
        for key in {Path(art.source).name, art.name}:
            names.setdefault(key, []).append(art)

    def article_for(src: str) -> Article | None:
        if src in by_path:
            return by_path[src]
        try:
            resolved = str(Path(src).resolve())
        except OSError:
            resolved = src
        if resolved in by_path:
            return by_path[resolved]
        # Translated elsewhere (another directory): the file name decides when it is unique.
        found = names.get(Path(src).name) or names.get(Path(src).stem) or []
        return found[0] if len(found) == 1 else None

    by_number = {a.number: a for a in articles}
    english: dict[str, str] = {}
    flags: dict[str, tuple[Flag, ...]] = {}
    for lineno, obj in rows:
        sid = obj["id"]
        head, _, rest = sid.partition(".")
        if not head.isdigit() or not rest:
            raise InputError(f"sentence ID {sid!r} is not of the form A.S", str(p), lineno)
        src = obj.get("source_file")
        art = None
        if isinstance(src, str) and src:
            art = article_for(src)
            if art is None:
                continue  # a translated article that is not part of this brief
        else:
            art = by_number.get(int(head))
            if art is None:
                continue
        target = f"{art.number}.{rest}"
        sent = next((s for s in art.sentences if s.id == target), None)
        if sent is None:
            raise IntegrityError(f"{p}:{lineno}: sentence {sid} is not in {art.source} (it has "
                                 f"{len(art.sentences)} sentences); the translation is of another segmentation")
        source = obj.get("source")
        if isinstance(source, str) and source.strip() and " ".join(source.split()) != " ".join(sent.text.split()):
            raise IntegrityError(f"{p}:{lineno}: sentence {sid} was translated from other Arabic than "
                                 f"{target} of {art.source}; translate the articles again")
        if target in english:
            raise InputError(f"a second translation for sentence {target} of {art.source}", str(p), lineno)
        english[target] = obj["text"]
        flags[target] = tuple(_flag(f) for f in obj.get("flags") or ())
    if not english:
        raise InputError(f"none of its {len(rows)} translations belong to the given articles "
                         "(their source_file names other files)", str(p))
    return english, flags


def _flag(value: Any) -> Flag:
    if isinstance(value, dict):
        return Flag(str(value.get("code", "")), str(value.get("detail", "")))
    return Flag(str(value))


def load_english(source: str | Path, articles: Sequence[Article]
                 ) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]], dict[str, Any]]:
    """English for `articles` from a JSONL file of `toolkit translate` or a
    reference directory (`toolkit.refs`): (english, flags, manifest entry)."""
    p = Path(source)
    if p.is_dir():
        from .refs import load_references

        return load_references(p, articles), {}, {"kind": "references", "path": str(p)}
    if not p.exists():
        raise InputError("translations not found (give a JSONL file of `toolkit translate` or a "
                         "reference directory)", str(p))
    english, flags = english_from_jsonl(p, articles)
    return english, flags, {"kind": "jsonl", "path": str(p)}


# --------------------------------------------------------------------------
# The brief


@dataclass(frozen=True)
class Fact:
    """A group of sentences reporting one fact; `members[0]` speaks for it."""

    members: tuple[Unit, ...]
    score: float

    @property
    def representative(self) -> Unit:
        return self.members[0]

    @property
    def articles(self) -> frozenset[int]:
        return frozenset(u.article for u in self.members)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(u.id for u in sorted(self.members, key=lambda u: (u.article, u.order)))

    @property
    def first_seen(self) -> tuple[float, int, int]:
        """Where the fact first appears, relative to article length."""
        u = min(self.members, key=lambda u: (u.order / max(u.length, 1), u.article, u.order))
        return (u.order / max(u.length, 1), u.article, u.order)


def sources_table(articles: Sequence[Article], english: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for a in articles:
        first = a.sentences[0] if a.sentences else None
        title = english.get(first.id, first.text) if first is not None else ""
        rows.append({"id": a.number, "file": a.source, "name": a.name, "title": " ".join(str(title).split()),
                     "sentences": len(a.sentences)})
    return rows


def _budget(sentences: int | None, words: int | None) -> tuple[int | None, int | None]:
    if sentences is not None and words is not None:
        raise InputError("give --sentences or --words, not both")
    if sentences is not None and sentences < 1:
        raise InputError(f"--sentences must be at least 1, got {sentences}")
    if words is not None and words < 1:
        raise InputError(f"--words must be at least 1, got {words}")
    if sentences is None and words is None:
        sentences = DEFAULT_SENTENCES
    return sentences, words


def _quotas(n: int) -> dict[str, int]:
    quote = 0 if n < 4 else max(1, n // 5)
    single = 0 if n < 3 else max(1, n // 5)
    return {KEY: n - quote - single, QUOTE: quote, SINGLE: single}


def _detach_weak_members(groups: Sequence[Sequence[int]], raw: Any, floor: float) -> list[list[int]]:
    """Keep in each group only the members whose plain cosine similarity to
    its speaking sentence (first member) reaches `floor`; the others each
    become a group of their own."""
    kept: list[list[int]] = []
    loose: list[list[int]] = []
    for g in groups:
        head = g[0]
        kept.append([head] + [i for i in g[1:] if float(raw[head] @ raw[i]) >= floor])
        loose.extend([i] for i in g[1:] if float(raw[head] @ raw[i]) < floor)
    return kept + loose


def build_brief(articles: Sequence[Article], english: Mapping[str, str], *,
                flags: Mapping[str, Sequence[Flag]] | None = None, sentences: int | None = None,
                words: int | None = None, embedder: Any = None, threshold: float | None = None,
                manifest: Mapping[str, Any] | None = None) -> Brief:
    """The extractive brief of `articles` from the English of their
    sentences (`english`: sentence ID -> English; `flags`: translation flags
    per ID). Length: `sentences` brief sentences (default
    DEFAULT_SENTENCES) or at most `words` words. `embedder`: anything with
    ``encode(texts)`` (default `toolkit.embed.Embedder()`); `threshold`
    overrides the grouping threshold. `manifest` entries (for example how
    the English was made) are carried into the brief's manifest."""
    import numpy as np

    from .embed import describe, get_embedder
    from .verify import SUPPORT_THRESHOLD, coverage, verify_sentences

    if not articles:
        raise InputError("no articles to summarise")
    n_sent, n_words = _budget(sentences, words)
    empty = [a.source for a in articles if not a.sentences]
    if empty:
        raise InputError("article has no sentences", empty[0])
    total = len(articles)
    units, skipped = candidates(articles, english, flags)
    warnings: list[str] = []
    info: dict[str, Any] = {
        "method": "extractive",
        **dict(manifest or {}),
        "budget": {"sentences": n_sent, "words": n_words},
        "sources": sources_table(articles, english),
        "candidates": len(units),
        "skipped": {k: v for k, v in skipped.items() if v},
    }
    if total == 1:
        warnings.append("only one source: no fact can be corroborated")
    emb = get_embedder(embedder)
    if not units:
        warnings.append("no complete sentences to summarise")
        info.update(embedder=describe(emb), facts=0, dropped=[])
        return Brief((), total, info, tuple(warnings))

    vectors = np.asarray(emb.encode([u.text for u in units]), dtype=np.float64)
    raw = vectors / np.where(np.linalg.norm(vectors, axis=1, keepdims=True) == 0, 1.0,
                             np.linalg.norm(vectors, axis=1, keepdims=True))
    sim, limit, centred = similarity_matrix(raw)
    if threshold is not None:
        limit = float(threshold)
    arts = [u.article for u in units]
    keys = [clarity(u.text, u.flags) for u in units]
    groups = group_facts(sim, arts, limit, clarity_keys=keys)
    # The clearest member speaks for its group (the centre when it is as clear as any).
    groups = [[best] + [i for i in g if i != best]
              for g in groups for best in [max(g, key=lambda i, c=g[0]: (keys[i], float(sim[c, i])))]]
    groups = _detach_weak_members(groups, raw, CITE_SIMILARITY)
    central = centrality(raw)
    scores = rank_facts(groups, arts, central.tolist(), [u.position for u in units])
    facts = [Fact(tuple(units[i] for i in g), s) for g, s in zip(groups, scores)]
    info.update(embedder=describe(emb), group_threshold=limit, cite_similarity=CITE_SIMILARITY,
                centred=centred, facts=len(facts),
                corroborated=sum(len(f.articles) > 1 for f in facts))

    # Facts are compared through their representatives.
    reps = [g[0] for g in groups]
    fsim = sim[np.ix_(reps, reps)]
    fwords = [units[r].words for r in reps]
    fscores = [f.score for f in facts]
    quotes: dict[int, tuple[Unit, str, tuple[str, ...]]] = {}
    for k, f in enumerate(facts):
        options = []
        for u in f.members:
            q = quote_of(u.text)
            if not q:
                continue
            own = named_speaker(u.text)
            prev = [english[s.id] for a in articles if a.number == u.article
                    for s in a.sentences[:u.order] if s.id in english]
            who = own or speaker_of(u.text, prev)
            if who:
                options.append(((1 if own else 0, clarity(u.text, u.flags), len(q)), u, q, who))
        if options:
            _, u, q, who = max(options, key=lambda o: o[0])
            # A quote is corroborated only by sentences that carry its words.
            ids = tuple(m.id for m in sorted(f.members, key=lambda m: (m.article, m.order))
                        if m is u or coverage(q, m.text) >= QUOTE_COVERAGE)
            quotes[k] = (u, who, ids)
    # Quotes rank by how many sources carry them, then by whether the
    # sentence names its speaker itself (it reads on its own) and is short
    # enough to quote, then as facts.
    qscores = list(fscores)
    for k, (u, who, ids) in quotes.items():
        named = 1 if named_speaker(u.text) else 0
        short = 1 if u.words <= QUOTE_MAX_WORDS else 0
        qscores[k] = (len({int(i.split(".")[0]) for i in ids}) + 0.3 * named + 0.3 * short
                      + 0.39 * (fscores[k] % 1))
    if total == 1:
        pools = {KEY: list(range(len(facts))), QUOTE: [k for k in quotes], SINGLE: []}
    else:
        pools = {KEY: [k for k, f in enumerate(facts) if len(f.articles) > 1],
                 QUOTE: [k for k in quotes],
                 SINGLE: [k for k, f in enumerate(facts) if len(f.articles) == 1]}

    chosen: dict[str, list[int]] = {KEY: [], QUOTE: [], SINGLE: []}
    taken: list[int] = []

    def pick(section: str, limit_n: int | None, word_budget: int | None) -> None:
        pool = [k for k in pools[section] if k not in taken]
        got = select_mmr(pool, qscores if section == QUOTE else fscores, fsim, limit=limit_n, words=fwords,
                         word_budget=word_budget,
                         chosen=taken, duplicate=limit)
        chosen[section].extend(got)
        taken.extend(got)

    order = (KEY, QUOTE, SINGLE)
    if n_sent is not None:
        quota = _quotas(n_sent)
        spare = 0
        for section in order:
            before = len(chosen[section])
            pick(section, quota[section] + spare, None)
            spare = quota[section] + spare - (len(chosen[section]) - before)
        if spare:  # sections short of candidates leave room for more key points, then single claims
            for section in (KEY, SINGLE):
                if spare:
                    before = len(chosen[section])
                    pick(section, spare, None)
                    spare -= len(chosen[section]) - before
    else:
        assert n_words is not None
        share = {KEY: 0.6, QUOTE: 0.2, SINGLE: 0.2}
        left = n_words
        carry = 0
        for section in order:
            budget = min(left, int(n_words * share[section]) + carry)
            pick(section, None, budget)
            spent = sum(fwords[i] for i in chosen[section])
            carry = budget - spent
            left -= spent
        if left > 0:
            for section in (KEY, SINGLE):
                before = sum(fwords[i] for i in chosen[section])
                pick(section, None, left)
                left -= sum(fwords[i] for i in chosen[section]) - before
        if not taken:
            warnings.append(f"no sentence fits in {n_words} words")

    # Each chosen fact becomes one sentence, checked against what it cites.
    plan: list[tuple[str, str, tuple[str, ...], str]] = []
    for section in order:
        for k in sorted(chosen[section], key=lambda k: facts[k].first_seen):
            f = facts[k]
            if section == QUOTE:
                u, who, ids = quotes[k]
                plan.append((section, u.text, ids, who))
            else:
                plan.append((section, f.representative.text, f.ids, ""))
    cand = [(text, ids) for _, text, ids, _ in plan]
    articles_of = {u.id: u.article for u in units}
    checked = verify_sentences(cand, english, articles_of=articles_of, embedder=emb)
    out: list[BriefSentence] = []
    dropped: list[dict[str, Any]] = []
    for (section, _, _, who), verdict in zip(plan, checked):
        if not verdict.supported:
            reason = getattr(verdict, "reason", "unsupported")
            dropped.append({"text": verdict.text, "ids": list(verdict.ids), "reason": reason,
                            "detail": getattr(verdict, "detail", ""), "support": verdict.support})
            continue
        out.append(BriefSentence(verdict.text, verdict.citations, verdict.sources, True, section=section,
                                 speaker=who, support=verdict.support))
    if dropped:
        warnings.append(f"{len(dropped)} brief sentence(s) failed the citation check and are not shown "
                        "(see manifest 'dropped')")
    info.update(support_threshold=SUPPORT_THRESHOLD, dropped=dropped)
    return Brief(tuple(out), total, info, tuple(warnings))


# --------------------------------------------------------------------------
# Plain renderings (Rich lives in the CLI)


def _label(b: BriefSentence, total: int) -> str:
    return f"{b.sources} of {total} source{'s' if total != 1 else ''}"


def sections(brief: Brief) -> list[tuple[str, list[BriefSentence]]]:
    groups: dict[str, list[BriefSentence]] = {}
    for b in brief.sentences:
        groups.setdefault(b.section or KEY, []).append(b)
    known = [s for s in SECTION_TITLES if s in groups]
    return [(s, groups[s]) for s in known + [s for s in groups if s not in SECTION_TITLES]]


def line_parts(b: BriefSentence, total: int, cite: bool) -> tuple[str, str, str]:
    """(sentence, citation text or '', trailing note) for one brief line."""
    from .verify import format_citations

    note = f"— {b.speaker}" if b.section == QUOTE and b.speaker else ""
    count = f"({_label(b, total)})"
    note = f"{note} {count}".strip()
    if not b.supported:
        note += f" [not supported by its citations, support {b.support:.2f}]"
    return b.text, format_citations(b.ids) if cite else "", note


def render_text(brief: Brief, *, cite: bool = False, markdown: bool = False) -> str:
    """The brief as plain text or Markdown; citations inline with `cite`."""
    out: list[str] = []
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    out.append(f"{h2}Brief ({brief.total_sources} source{'s' if brief.total_sources != 1 else ''})")
    for section, items in sections(brief):
        out.append("")
        title = SECTION_TITLES.get(section, section)
        out.append(f"{h3}{title}" if markdown else f"{title}\n{'-' * len(title)}")
        for b in items:
            text, cites, note = line_parts(b, brief.total_sources, cite)
            body = " ".join(x for x in (text, cites, note) if x)
            out.append(f"- {body}")
    if not brief.sentences:
        out += ["", "(the brief is empty)"]
    rows = brief.manifest.get("sources") or []
    if rows:
        out.append("")
        out.append(f"{h3}Sources" if markdown else "Sources\n-------")
        if markdown:
            out += ["", "| ID | file | title or first line | sentences |", "|---|---|---|---|"]
            for r in rows:
                title = str(r["title"]).replace("|", "\\|")
                out.append(f"| {r['id']} | {str(r['file']).replace('|', chr(92) + '|')} | {title} | {r['sentences']} |")
        else:
            for r in rows:
                out.append(f"{r['id']}  {r['file']}  ({r['sentences']} sentences)  {r['title']}")
    if brief.warnings:
        out.append("")
        out += [f"warning: {w}" for w in brief.warnings]
    return "\n".join(out) + "\n"


__all__ = [
    "build_brief", "load_english", "english_from_jsonl", "candidates", "Unit", "Fact", "clarity", "is_fragment",
    "similarity_matrix", "group_facts", "centrality", "rank_facts", "select_mmr", "quote_of", "speaker_of",
    "named_speaker", "sources_table", "sections", "line_parts", "render_text", "GROUP_THRESHOLD",
    "RAW_GROUP_THRESHOLD", "MIN_CENTER", "DEFAULT_SENTENCES", "SECTION_TITLES", "KEY", "QUOTE", "SINGLE",
]
