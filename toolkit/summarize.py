"""One brief across several articles about one story, every sentence citing
the source sentences it rests on (the extractive method, no LLM).

The steps, each a function of plain sentences, vectors and numbers so it
can be tested on its own:

1. `candidates`: the English source sentences worth summarising (headings,
   fragments and untranslated sentences are set aside and counted).
2. `concepts` + `concept_weights`: content-word bigrams, weighted by how
   many sources use them; `lead_prior`: news puts what matters first.
3. `point_matrix` / `states_point`: which sentences of other sources
   state the same point, on their own; only they are cited and counted.
4. `select_sentences`: facts that FORCE_SOURCES or more sources state, then
   greedily the sentence adding the most concept weight and lead prior per
   word, never a fact twice, within the sentence or word budget.
5. `build_brief`: each chosen sentence, verbatim, citing itself and its
   supporters, checked by `toolkit.verify.verify_sentences`; unsupported
   sentences are dropped with a warning and listed in the manifest.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .errors import InputError, IntegrityError
from .text.ids import SentenceId
from .text.markdown import md_escape, md_table
from .records import Article, Brief, BriefSentence, Flag

if TYPE_CHECKING:
    import numpy as np

DEFAULT_SENTENCES = 8
# Salience (see `sentence_value`), chosen on the MultiLing 2011 development
# clusters with leave-one-cluster-out checks (bench/brief_quality.py):
# a concept counts when this many sources use it,
MIN_CONCEPT_SOURCES = 2
# the lead prior decays by e every LEAD_DECAY sentences and weighs
# LEAD_WEIGHT times the richest sentence's concept weight,
LEAD_DECAY = 1.0
LEAD_WEIGHT = 2.0
# and value is per word ** LENGTH_EXPONENT.
LENGTH_EXPONENT = 0.5
# Value kept by a sentence that starts with a pronoun or points back into
# its article, or carries translation flags.
UNCLEAR_FACTOR = 0.5
# A fact that this many sources state is always in the key points.
FORCE_SOURCES = 3
MIN_WORDS = 5
QUOTE_MIN_WORDS = 4
QUOTE_MAX_WORDS = 45
# A sentence of another source is cited (and counted) for a brief sentence
# only when it states the same point (`states_point`), and never below this
# plain cosine similarity to it.
CITE_SIMILARITY = 0.6
# Share of a sentence's claim words (content words other than names)
# another must carry to state its point: at least half of what it says.
CLAIM_OVERLAP = 0.5
# Near-paraphrases state one point whatever their words.
STATE_SIMILARITY = 0.8
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
_SPEECH_WORD = re.compile(rf"(?:{_SPEECH})")
_NAME = r"[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,3}"
# Titles and roles that precede a name ("Prime Minister X said").
_TITLES = {"president", "leader", "minister", "prime", "spokesman", "spokeswoman", "spokesperson", "aide",
           "secretary", "general", "chancellor", "king", "queen", "prince", "ambassador", "director", "chief",
           "counterpart", "mayor", "governor", "senator", "deputy", "foreign", "defence", "defense", "the",
           "captain", "commander", "officer", "official", "lieutenant", "colonel", "chairman", "head"}
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
# Salience: concepts shared across sources, and the lead


def concepts(text: str) -> set[tuple[str, str]]:
    """The content-word bigrams of `text` (lower-cased, lightly stemmed; a
    function word breaks a bigram). Two sources that report the
    same fact tend to share such pairs ("strategic partnership", "magnitude
    quake") far more than single words, which every article of a story
    shares. Numbers are words here: "15 sailors" is as telling as any."""
    from .verify import stem_word, stopword

    keys = [None if stopword(tok) else tok if kind == "num" else stem_word(tok) for kind, tok in word_tokens(text)]
    return {(a, b) for a, b in zip(keys, keys[1:]) if a and b}


def word_tokens(text: str) -> list[tuple[str, str]]:
    from .verify import tokens

    return tokens(text)


def concept_weights(concept_sets: Sequence[set[tuple[str, str]]], articles: Sequence[int]
                    ) -> dict[tuple[str, str], float]:
    """Weight of each concept: the number of distinct articles that use it,
    for concepts in at least MIN_CONCEPT_SOURCES articles. With a single
    article, the number of its sentences that use it (at least two)."""
    seen: dict[tuple[str, str], set[int]] = {}
    single = len(set(articles)) == 1
    for k, (cs, art) in enumerate(zip(concept_sets, articles)):
        for c in cs:
            seen.setdefault(c, set()).add(k if single else art)
    floor = 2 if single else MIN_CONCEPT_SOURCES
    return {c: float(len(who)) for c, who in seen.items() if len(who) >= floor}


def lead_prior(order: int) -> float:
    """How much a sentence's place in its article says about its weight:
    1 for the lead, decaying with each later sentence. News is written
    most important first, and a plain lead summary is hard to beat."""
    return math.exp(-order / LEAD_DECAY)


def sentence_value(gain: float, order: int, words: int) -> float:
    """The greedy selection value of a sentence: the concept weight it adds
    to the brief (`gain`, as a share of the best any sentence offers at the
    start, so the setting means the same for 3 sources or 30) plus its lead
    prior, per word (sub-linearly, so a long informative sentence is not
    crowded out by short ones)."""
    return (gain + LEAD_WEIGHT * lead_prior(order)) / max(words, 1) ** LENGTH_EXPONENT


def reader_words(text: str) -> int:
    """Words as `wc -w` and a word processor count them: every
    whitespace-separated token, a lone dash included, so the brief never
    exceeds a limit however it is counted."""
    return len(text.split())


# Words that make what follows them an intention, plan or possibility
# rather than something that happened ("agreed to sign", "will sign").
_IRREALIS = frozenset("to will would could may might shall should can must".split())


def reported_events(text: str) -> set[str]:
    """Comparison keys of the verbs `text` reports as done: past forms
    outside an irrealis frame ("signed", "was signed", "met"), less the
    verbs of saying, which attribute a claim rather than make one."""
    from .verify import content_key, past_form

    out: set[str] = set()
    prev = ""
    light = False  # after "held", "took", "made": the event is the next content word ("held talks")
    for kind, tok in word_tokens(text):
        low = tok.lower()
        key = content_key(tok) if kind == "word" else None
        if light and key:
            out.add(key)
            light = False
        elif kind == "word" and past_form(tok) and prev not in _IRREALIS and not _SPEECH_WORD.fullmatch(low):
            if key:
                out.add(key)
            else:
                light = True
        prev = low
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# After these a capital letter starts a sentence or a quote, not a name.
_OPENS = frozenset(".:!?;\"'“‘«(-—")


def claim_words(text: str) -> set[str]:
    """Comparison keys of the content words of `text` that are not names
    (capitalised words other than at the start of a sentence or a quote):
    what is said, not who it is about. Every sentence of a story names the
    same people and places."""
    from .verify import content_key

    out: set[str] = set()
    for m in _WORD.finditer(text):
        before = text[:m.start()].rstrip()
        if m.group()[:1].isupper() and before and before[-1] not in _OPENS:
            continue
        key = content_key(m.group())
        if key:
            out.add(key)
    return out


def states_point(sentence: str, other: str, similarity: float) -> bool:
    """Whether `other`, on its own, states the point of `sentence`:

    * the two are close in meaning (CITE_SIMILARITY);
    * `other` carries at least CLAIM_OVERLAP of the claim words of
      `sentence` (content words other than names, `claim_words`), or the
      two are near-paraphrases (STATE_SIMILARITY): "the agreement provides
      for mutual help" shares only "agreement" with "X and Y signed the
      agreement", and a sentence that states one half of a compound
      sentence does not state the whole;
    * where `sentence` reports something done ("signed", "held talks"),
      `other` reports it done too: the names of the things involved are not
      the point ("the comprehensive strategic partnership agreement is
      defensive in nature" does not state that it was signed);
    * they agree on negation;
    * nothing `sentence` reports as done is only intended, planned or
      possible in `other` ("accepted the proposal to sign the agreement"
      does not state "signed the agreement"), however similar they are."""
    from .verify import negations

    if similarity < CITE_SIMILARITY:
        return False
    if bool(negations(sentence)) != bool(negations(other)):
        return False
    done, their_done = reported_events(sentence), reported_events(other)
    if done & _irrealis_words(other) - their_done:
        return False
    if similarity >= STATE_SIMILARITY:
        return True
    mine, theirs = claim_words(sentence), claim_words(other)
    if not mine or len(mine & theirs) < CLAIM_OVERLAP * len(mine):
        return False
    return not done or bool(done & their_done)


def _irrealis_words(text: str) -> set[str]:
    """Comparison keys of the words right after an irrealis word."""
    from .verify import content_key

    out: set[str] = set()
    prev = ""
    for kind, tok in word_tokens(text):
        if kind == "word" and prev in _IRREALIS:
            key = content_key(tok)
            if key:
                out.add(key)
        prev = tok.lower()
    return out


def point_matrix(units: Sequence[Unit], raw: np.ndarray) -> np.ndarray:
    """``m[i, j]``: unit j states the point of unit i (`states_point`)."""
    import numpy as np

    sim = raw @ raw.T
    m = np.zeros((len(units), len(units)), dtype=bool)
    for i, j in zip(*np.nonzero(sim >= CITE_SIMILARITY)):
        if i != j:
            m[i, j] = states_point(units[i].text, units[j].text, float(sim[i, j]))
    return m


def supporters(units: Sequence[Unit], points: np.ndarray, i: int) -> list[int]:
    """The units of other articles that state the point of unit `i`."""
    return [int(j) for j in points[i].nonzero()[0] if units[j].article != units[i].article]


def select_sentences(units: Sequence[Unit], concept_sets: Sequence[set[tuple[str, str]]],
                     weights: Mapping[tuple[str, str], float], points: np.ndarray, *,
                     limit: int | None = None, word_budget: int | None = None) -> list[int]:
    """Indices of the units the brief shows, most valuable first.

    First every fact that FORCE_SOURCES or more sources state (most sources
    first), then greedily the unit of best `sentence_value`, until `limit`
    sentences or nothing more fits in `word_budget` words. A unit that
    states the point of one already chosen (or whose point a chosen one
    states; `points` from `point_matrix`) is never taken: the brief says
    each fact once."""
    n = len(units)
    words = [reader_words(u.text) for u in units]
    chosen: list[int] = []
    blocked: set[int] = set()
    covered: set[tuple[str, str]] = set()
    used = 0

    def fits(i: int) -> bool:
        return (i not in blocked and (word_budget is None or used + words[i] <= word_budget))

    def take(i: int) -> None:
        nonlocal used
        chosen.append(i)
        blocked.add(i)
        blocked.update(int(j) for j in (points[i] | points[:, i]).nonzero()[0])
        covered.update(concept_sets[i])
        used += words[i]

    def gain(i: int) -> float:
        return sum(weights.get(c, 0.0) for c in concept_sets[i] - covered) / scale

    scale = max((sum(weights.get(c, 0.0) for c in cs) for cs in concept_sets), default=0.0) or 1.0

    def sources(i: int) -> int:
        return len({units[i].article} | {units[j].article for j in supporters(units, points, i)})

    def value(i: int) -> float:
        # A sentence that leans on its article ("He added", "this visit")
        # reads worse on its own; a flagged translation is less sure.
        clear = clarity(units[i].text, units[i].flags)
        return sentence_value(gain(i), units[i].order, words[i]) * (UNCLEAR_FACTOR if clear[:2] != (0, 1) else 1.0)

    strong = sorted((i for i in range(n) if sources(i) >= FORCE_SOURCES), key=lambda i: (-sources(i), -value(i), i))
    for i in strong:
        if limit is not None and len(chosen) >= limit:
            break
        if fits(i):
            take(i)
    while limit is None or len(chosen) < limit:
        best, best_val = None, -1.0
        for i in range(n):
            if fits(i):
                val = value(i)
                if val > best_val:
                    best, best_val = i, val
        if best is None:
            break
        take(best)
    return chosen

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
        try:
            parsed = SentenceId.parse(sid)
        except ValueError as exc:
            raise InputError(str(exc), str(p), lineno) from None
        src = obj.get("source_file")
        art = None
        if isinstance(src, str) and src:
            art = article_for(src)
            if art is None:
                continue  # a translated article that is not part of this brief
        else:
            art = by_number.get(parsed.article)
            if art is None:
                continue
        target = str(SentenceId(art.number, parsed.index, parsed.part))
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
    reference directory (`toolkit.references`): (english, flags, manifest entry)."""
    p = Path(source)
    if p.is_dir():
        from .references import load_references

        return load_references(p, articles), {}, {"kind": "references", "path": str(p)}
    if not p.exists():
        raise InputError("translations not found (give a JSONL file of `toolkit translate` or a "
                         "reference directory)", str(p))
    english, flags = english_from_jsonl(p, articles)
    return english, flags, {"kind": "jsonl", "path": str(p)}


# --------------------------------------------------------------------------
# The brief


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


def _section(u: Unit, sources: int, total: int, quote: str, speaker: str) -> str:
    if total == 1 or sources > 1:
        return KEY
    return QUOTE if quote and speaker else SINGLE


def build_brief(articles: Sequence[Article], english: Mapping[str, str], *,
                flags: Mapping[str, Sequence[Flag]] | None = None, sentences: int | None = None,
                words: int | None = None, embedder: Any = None,
                manifest: Mapping[str, Any] | None = None) -> Brief:
    """The extractive brief of `articles` from the English of their
    sentences (`english`: sentence ID -> English; `flags`: translation flags
    per ID). Length: `sentences` brief sentences (default
    DEFAULT_SENTENCES) or at most `words` words, counted with
    `reader_words`; `embedder`: anything with ``encode(texts)`` (default
    `toolkit.embed.Embedder()`). `manifest` entries (for example how the
    English was made) are carried into the brief's manifest.

    Raises InputError when not one source sentence fits in `words`."""
    import numpy as np

    from .embed import describe, get_embedder
    from .verify import SUPPORT_THRESHOLD, verify_sentences

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
        info.update(embedder=describe(emb), dropped=[])
        return Brief((), total, info, tuple(warnings))
    if n_words is not None:
        shortest = min(reader_words(u.text) for u in units)
        if shortest > n_words:
            raise InputError(f"no source sentence fits in {n_words} words (the shortest has {shortest}); "
                             "raise --words")

    vectors = np.asarray(emb.encode([u.text for u in units]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    raw = vectors / np.where(norms == 0, 1.0, norms)
    concept_sets = [concepts(u.text) for u in units]
    weights = concept_weights(concept_sets, [u.article for u in units])
    points = point_matrix(units, raw)
    picked = select_sentences(units, concept_sets, weights, points, limit=n_sent, word_budget=n_words)
    info.update(embedder=describe(emb), concepts=len(weights), cite_similarity=CITE_SIMILARITY,
                corroborated=sum(1 for i in range(len(units)) if supporters(units, points, i)))

    plan: list[tuple[str, str, tuple[str, ...], str, int]] = []
    for rank, i in enumerate(picked):
        u = units[i]
        cited = [u] + [units[j] for j in supporters(units, points, i)]
        ids = tuple(c.id for c in sorted(cited, key=lambda c: (c.article, c.order)))
        n_sources = len({c.article for c in cited})
        quote = quote_of(u.text)
        who = ""
        if quote:
            prev = [english[s.id] for a in articles if a.number == u.article
                    for s in a.sentences[:u.order] if s.id in english]
            who = speaker_of(u.text, prev)
        plan.append((_section(u, n_sources, total, quote, who), u.text, ids, who, rank))
    # Key points: most sources first, then in order of value; the other
    # sections in order of value.
    order = {KEY: 0, QUOTE: 1, SINGLE: 2}
    plan.sort(key=lambda p: (order[p[0]], -len({_article_of(i) for i in p[2]}) if p[0] == KEY else 0, p[4]))
    articles_of = {u.id: u.article for u in units}
    checked = verify_sentences([(text, ids) for _, text, ids, _, _ in plan], english,
                               articles_of=articles_of, embedder=emb)
    out: list[BriefSentence] = []
    dropped: list[dict[str, Any]] = []
    for (section, _, _, who, _), verdict in zip(plan, checked):
        if not verdict.supported:
            dropped.append({"text": verdict.text, "ids": list(verdict.ids),
                            "reason": getattr(verdict, "reason", "unsupported"),
                            "detail": getattr(verdict, "detail", ""), "support": verdict.support})
            continue
        out.append(BriefSentence(verdict.text, verdict.citations, verdict.sources, True, section=section,
                                 speaker=who if section == QUOTE else "", support=verdict.support))
    if dropped:
        warnings.append(f"{len(dropped)} brief sentence(s) failed the citation check and are not shown "
                        "(see manifest 'dropped')")
    info.update(support_threshold=SUPPORT_THRESHOLD, dropped=dropped)
    return Brief(tuple(out), total, info, tuple(warnings))


def _article_of(sid: str) -> int:
    return SentenceId.parse(sid).article

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
    """The brief as plain text or Markdown; citations inline with `cite`.
    In Markdown every piece of article text is escaped (`md_escape`), so a
    source's markup, links or HTML show as text."""
    out: list[str] = []
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    esc = md_escape if markdown else str
    out.append(f"{h2}Brief ({brief.total_sources} source{'s' if brief.total_sources != 1 else ''})")
    for section, items in sections(brief):
        out.append("")
        title = SECTION_TITLES.get(section, section)
        out.append(f"{h3}{esc(title)}" if markdown else f"{title}\n{'-' * len(title)}")
        for b in items:
            text, cites, note = line_parts(b, brief.total_sources, cite)
            # Citations are the toolkit's own IDs; only article text is escaped.
            body = " ".join(x for x in (esc(text), cites, esc(note) if note else "") if x)
            out.append(f"- {body}")
    if not brief.sentences:
        out += ["", "(the brief is empty)"]
    rows = brief.manifest.get("sources") or []
    if rows:
        out.append("")
        out.append(f"{h3}Sources" if markdown else "Sources\n-------")
        if markdown:
            out.append("")
            out += md_table(["ID", "file", "title or first line", "sentences"],
                            [[md_escape(r[k]) for k in ("id", "file", "title", "sentences")] for r in rows])
        else:
            for r in rows:
                out.append(f"{r['id']}  {r['file']}  ({r['sentences']} sentences)  {r['title']}")
    if brief.warnings:
        out.append("")
        out += [f"warning: {w}" for w in brief.warnings]
    return "\n".join(out) + "\n"


__all__ = [
    "build_brief", "load_english", "english_from_jsonl", "candidates", "Unit", "clarity", "is_fragment",
    "concepts", "concept_weights", "lead_prior", "sentence_value", "reader_words", "states_point", "claim_words", "reported_events", "point_matrix", "supporters",
    "select_sentences", "quote_of", "speaker_of", "named_speaker", "sources_table", "sections", "line_parts",
    "render_text", "DEFAULT_SENTENCES", "SECTION_TITLES", "KEY", "QUOTE", "SINGLE",
]
