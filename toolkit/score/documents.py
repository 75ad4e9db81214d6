"""What is scored: hypothesis and reference lines per article, paired by
file or by article name in two directories, or a sacrebleu test set."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import InputError
from ..fileio import read_lines
from .metrics import DEFAULT_LANGPAIR

@dataclass(frozen=True)
class Document:
    """One article's hypothesis and reference lines. ``ids`` names each
    reference line (sentence IDs when known, else ``name:line``)."""

    name: str
    hypothesis: tuple[str, ...]
    reference: tuple[str, ...]
    ids: tuple[str, ...] = ()
    hyp_source: str = ""
    ref_source: str = ""

    @property
    def aligned(self) -> bool:
        return len(self.hypothesis) == len(self.reference)

    def line_ids(self) -> tuple[str, ...]:
        if len(self.ids) == len(self.reference):
            return self.ids
        return tuple(f"{self.name}:{i}" for i in range(1, len(self.reference) + 1))


def article_key(path: Path) -> str:
    """The article a file belongs to: its name up to the first dot, so
    ``000_x.txt``, ``000_x.en.txt`` and ``000_x.hyp.txt`` pair up."""
    return path.name.split(".", 1)[0]


def _text_files(directory: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for p in sorted(directory.iterdir()):
        if not p.is_file() or p.name.startswith(".") or not p.name.endswith(".txt"):
            continue
        key = article_key(p)
        if key in files:
            raise InputError(f"two files for article {key!r}: {files[key].name} and {p.name}", str(directory))
        files[key] = p
    return files


def pair_paths(hyp: str | os.PathLike[str], ref: str | os.PathLike[str]) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """Pair a hypothesis with a reference: two files, or two directories whose
    ``*.txt`` files are matched by article name. Returns (pairs, notices).

    A hypothesis without a reference is an error (it cannot be scored and
    leaving it out would change the total); references without a hypothesis
    are reported and left out."""
    hp, rp = Path(hyp), Path(ref)
    for p in (hp, rp):
        if not p.exists():
            raise InputError("no such file or directory", str(p))
    if not hp.is_dir() and not rp.is_dir():  # files, pipes or devices
        return [(article_key(rp), hp, rp)], []
    if hp.is_dir() != rp.is_dir():
        raise InputError(f"cannot pair a {'directory' if hp.is_dir() else 'file'} of hypotheses "
                         f"with a {'directory' if rp.is_dir() else 'file'} of references ({rp})", str(hp))
    hyps, refs = _text_files(hp), _text_files(rp)
    if not hyps:
        raise InputError("no *.txt hypothesis files in directory", str(hp))
    missing = [k for k in hyps if k not in refs]
    if missing:
        raise InputError(f"no reference in {rp} for {', '.join(hyps[k].name for k in missing)}", str(hp))
    notices = []
    unused = [refs[k].name for k in refs if k not in hyps]
    if unused:
        notices.append(f"no hypothesis for {len(unused)} reference file(s), not scored: {', '.join(unused)}")
    return [(k, hyps[k], refs[k]) for k in hyps], notices


def load_documents(hyp: str | os.PathLike[str], ref: str | os.PathLike[str], *, encoding: str | None = None,
                   ids: Mapping[str, Sequence[str]] | None = None) -> tuple[list[Document], list[str]]:
    """Read and pair hypothesis and reference files or directories.
    `ids` optionally maps an article name to the sentence ID of each line."""
    pairs, notices = pair_paths(hyp, ref)
    docs = []
    for name, hp, rp in pairs:
        h = read_lines(hp, encoding)
        r = read_lines(rp, encoding)
        if not any(h):
            raise InputError("hypothesis is empty", str(hp))
        if not any(r):
            raise InputError("reference is empty", str(rp))
        docs.append(Document(name=name, hypothesis=tuple(h), reference=tuple(r),
                             ids=tuple((ids or {}).get(name, ())), hyp_source=str(hp), ref_source=str(rp)))
    return docs, notices


def testset_references(testset: str, langpair: str = DEFAULT_LANGPAIR) -> tuple[list[str], str]:
    """The reference lines of a sacrebleu test set (from sacrebleu's cache,
    ``$SACREBLEU`` or ``~/.sacrebleu``, downloading it when online), and the
    file they came from. Only single-reference sets are supported.
    sacrebleu reads ``$SACREBLEU`` once, when it is first imported."""
    from sacrebleu.dataset import DATASETS
    from sacrebleu.utils import SACREBLEU_DIR

    if testset not in DATASETS:
        raise InputError(f"unknown sacrebleu test set {testset!r} (list them with: sacrebleu --list)")
    dataset = DATASETS[testset]
    if langpair not in dataset.langpairs:
        raise InputError(f"test set {testset} has no {langpair}; it has {', '.join(sorted(dataset.langpairs))}")
    try:
        files = dataset.get_reference_files(langpair)
    except (Exception, SystemExit) as exc:  # sacrebleu exits or raises URLError when offline
        where = SACREBLEU_DIR
        raise InputError(f"test set {testset} {langpair} is not in the sacrebleu cache at {where} and could not be "
                         f"downloaded ({type(exc).__name__}); set SACREBLEU to a cache that holds it") from None
    if len(files) != 1:
        raise InputError(f"test set {testset} {langpair} has {len(files)} references; only one is supported")
    return read_lines(files[0]), files[0]


def testset_document(hyp: str | os.PathLike[str], testset: str, langpair: str = DEFAULT_LANGPAIR,
                     *, encoding: str | None = None) -> Document:
    refs, ref_file = testset_references(testset, langpair)
    lines = read_lines(hyp, encoding)
    if not any(lines):
        raise InputError("hypothesis is empty", str(hyp))
    if len(lines) != len(refs):
        # A test set is aligned by definition; a different count means the
        # wrong file or a lost line, which document-level scoring would hide.
        raise InputError(f"{len(lines)} lines, but test set {testset} {langpair} has {len(refs)}", str(hyp))
    name = f"{testset}:{langpair}"
    return Document(name=name, hypothesis=tuple(lines), reference=tuple(refs),
                    hyp_source=str(hyp), ref_source=ref_file)


__all__ = ["Document", "article_key", "pair_paths", "load_documents", "testset_references", "testset_document"]
