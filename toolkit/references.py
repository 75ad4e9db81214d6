"""Human reference translations kept beside the project, and proof that they
still line up with the source sentences.

A reference set is a directory with one ``<article>.en.txt`` per article (one
English line per sentence ID of the toolkit's segmentation, headings
included; sacrebleu reads these files directly) and ``manifest.tsv``:

    article  index  source  reference

one row per line: the article name (source file stem), the sentence index
within the article (``S``, or ``S.P`` for a piece of an over-long sentence),
a hash of the normalised Arabic source sentence and a hash of the English
line. The Arabic text itself never has to be stored: the source hash is
compared with the current segmentation of the article, the reference hash
with the line found in the file, so a changed segmentation, a missing,
extra or shifted line stops scoring with the first mismatching sentence ID.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import InputError, IntegrityError
from .fileio import read_lines
from .text.arabic import text_hash
from .text.ids import SentenceId
from .records import Article, Sentence

MANIFEST = "manifest.tsv"
SUFFIX = ".en.txt"
HASH_CHARS = 16
HEADER = ("article", "index", "source", "reference")


@dataclass(frozen=True)
class ManifestRow:
    article: str
    index: str
    source: str
    reference: str


def sentence_key(sentence: Sentence) -> str:
    """The position of a sentence inside its article, independent of the
    article's number in a particular run: ``S`` or ``S.P``."""
    return SentenceId(sentence.article, sentence.index, sentence.part).within


def source_hash(text: str) -> str:
    # Normalised so that a re-saved file (other alef/yeh forms, tatweel,
    # diacritics, digits, spacing) still verifies; a changed sentence does not.
    return text_hash(text, HASH_CHARS)


def reference_hash(line: str) -> str:
    return hashlib.sha256(line.strip().encode("utf-8")).hexdigest()[:HASH_CHARS]


def reference_path(ref_dir: str | os.PathLike[str], article: str) -> Path:
    return Path(ref_dir) / f"{article}{SUFFIX}"


def has_manifest(ref_dir: str | os.PathLike[str]) -> bool:
    return (Path(ref_dir) / MANIFEST).is_file()


def read_manifest(ref_dir: str | os.PathLike[str]) -> dict[str, list[ManifestRow]]:
    """Manifest rows grouped by article, in file order."""
    path = Path(ref_dir) / MANIFEST
    if not path.is_file():
        raise InputError(f"no {MANIFEST}: not a reference set (see refs/README.md)", str(ref_dir))
    rows: dict[str, list[ManifestRow]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read ({exc})", str(path)) from None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r").split("\t")
        if tuple(fields) == HEADER:
            continue
        if len(fields) != len(HEADER):
            raise InputError(f"expected {len(HEADER)} tab-separated fields, found {len(fields)}", str(path), lineno)
        row = ManifestRow(*fields)
        rows.setdefault(row.article, []).append(row)
    return rows


def _mismatch(path: Path, article: str, sid: str, why: str) -> IntegrityError:
    return IntegrityError(
        f"{path}: article {article}: first mismatch at sentence {sid}: {why}; "
        "scoring would pair the wrong lines (see refs/README.md)")


def verified_lines(ref_dir: str | os.PathLike[str], article: str, rows: Sequence[ManifestRow],
                   id_prefix: str = "") -> list[str]:
    """The reference lines of one article after checking each against its
    manifest hash. `id_prefix` is prepended to manifest indexes in errors."""
    path = reference_path(ref_dir, article)
    if not path.is_file():
        raise InputError(f"no reference file for article {article}", str(path))
    lines = read_lines(path)
    for i, row in enumerate(rows):
        sid = f"{id_prefix}{row.index}"
        if i >= len(lines):
            raise _mismatch(path, article, sid, f"the file ends after {len(lines)} lines, the manifest lists {len(rows)}")
        if reference_hash(lines[i]) != row.reference:
            raise _mismatch(path, article, sid, f"line {i + 1} is not the line recorded in {MANIFEST} "
                            "(a line missing, added or edited; after a deliberate edit run refs/make_manifest.py)")
    if len(lines) > len(rows):
        raise _mismatch(path, article, f"{id_prefix}{len(rows) + 1}",
                        f"the file has {len(lines)} lines, the manifest lists {len(rows)}")
    return lines


def reference_ids(ref_dir: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Per article, the label of each reference line (``article:S``), after
    verifying the files against the manifest. For scoring without sources."""
    out = {}
    for article, rows in read_manifest(ref_dir).items():
        if reference_path(ref_dir, article).is_file():
            verified_lines(ref_dir, article, rows, f"{article}:")
            out[article] = [f"{article}:{r.index}" for r in rows]
    return out


def load_references(ref_dir: str | os.PathLike[str], articles: Sequence[Article]) -> dict[str, str]:
    """Sentence ID -> English reference for every sentence of `articles`.

    Raises IntegrityError naming the article and the first mismatching
    sentence ID when the current segmentation of an article differs from the
    one the references were written for, or a reference line is missing,
    added or changed; InputError when an article has no references."""
    manifest = read_manifest(ref_dir)
    out: dict[str, str] = {}
    for art in articles:
        rows = manifest.get(art.name)
        if not rows:
            raise InputError(f"no references for article {art.name} in {MANIFEST}", str(ref_dir))
        path = reference_path(ref_dir, art.name)
        for i, sent in enumerate(art.sentences):
            if i >= len(rows):
                raise _mismatch(path, art.name, sent.id,
                                f"the article has {len(art.sentences)} sentences, the references {len(rows)} "
                                "(segmentation changed?)")
            row = rows[i]
            if row.index != sentence_key(sent) or row.source != source_hash(sent.text):
                raise _mismatch(path, art.name, sent.id,
                                f"the source sentence is not the one the reference was written for "
                                f"(manifest index {row.index}; segmentation or article text changed?)")
        if len(rows) > len(art.sentences):
            raise _mismatch(path, art.name, f"{art.number}.{rows[len(art.sentences)].index}",
                            f"the references list {len(rows)} sentences, the article has {len(art.sentences)} "
                            "(segmentation changed?)")
        lines = verified_lines(ref_dir, art.name, rows, f"{art.number}.")
        for sent, line in zip(art.sentences, lines):
            out[sent.id] = line
    return out


def build_manifest(ref_dir: str | os.PathLike[str], articles: Sequence[Article]) -> str:
    """Manifest text for `articles` and the reference files beside it; the
    line count of each reference file must equal the article's sentences."""
    out = ["\t".join(HEADER)]
    for art in articles:
        path = reference_path(ref_dir, art.name)
        if not path.is_file():
            raise InputError(f"no reference file for article {art.name}", str(path))
        lines = read_lines(path)
        if len(lines) != len(art.sentences):
            raise IntegrityError(f"{path}: {len(lines)} lines for {len(art.sentences)} sentences of {art.name}; "
                                 "one line per sentence ID is required")
        for lineno, (sent, line) in enumerate(zip(art.sentences, lines), 1):
            if not line.strip():
                raise InputError(f"empty reference for sentence {sent.id}", str(path), lineno)
            out.append("\t".join((art.name, sentence_key(sent), source_hash(sent.text), reference_hash(line))))
    return "\n".join(out) + "\n"
