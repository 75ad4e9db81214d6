"""Regenerate refs/manifest.tsv from the source articles and the reference
files beside this script (maintainers only; the Arabic text is read, never
stored).

    python refs/make_manifest.py ../shared/seeds/*.txt          # write
    python refs/make_manifest.py --check ../shared/seeds/*.txt  # verify only

Run it after a deliberate change to a reference line, or after a change of
segmentation once the reference files have been re-split to match (each file
must have exactly one line per sentence ID of `toolkit split`). Exits 4 when
the line counts do not match or, with --check, when the manifest is stale.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from toolkit.errors import ToolkitError  # noqa: E402
from toolkit.fileio import atomic_write_text  # noqa: E402
from toolkit.ingest import load_articles  # noqa: E402
from toolkit.references import MANIFEST, build_manifest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="+", help="the Arabic source articles the references translate")
    parser.add_argument("--refs", default=str(HERE), help="reference directory (default: this one)")
    parser.add_argument("--check", action="store_true", help="only verify that the manifest is current")
    args = parser.parse_args(argv)
    try:
        text = build_manifest(args.refs, load_articles(args.articles))
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    path = Path(args.refs) / MANIFEST
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"error: {path} is out of date; run without --check", file=sys.stderr)
            return 4
        print(f"{path} is current")
        return 0
    atomic_write_text(path, text)
    print(f"wrote {path} ({text.count(chr(10)) - 1} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
