"""The command examples in README.md and docs/*.md are run, so the docs cannot
drift from the program.

A fenced block is an example when a line of it (after an optional `$ `
prompt) starts with `toolkit `. Every example is run unless an HTML comment
`<!-- not-run: reason -->` stands right before its fence (for commands that
need a translation model, the network or files the reader supplies).
`<!-- exit: N -->` there declares an expected exit code other than 0.

In a `console` block, `$ ` lines are commands and the lines after one, up to
the next `$ `, are what it prints (stdout and stderr together); a command
shown with output must print exactly that, bar absolute paths. In other
blocks each `toolkit ...` line is run and must exit 0.

Shown output is generated, not typed: `python tests/test_docs.py --update`
runs every example and writes what it prints into the markdown (or only in
the pages named after it).

Python snippets are not run here: they illustrate the library API.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import nlp_model

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", REPO.parent / "shared"))
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)\s*$")
_MARK = re.compile(r"^<!--\s*(not-run|exit)\s*:\s*(.*?)\s*-->\s*$")
_COMMAND = re.compile(r"^(\$ )?([A-Z_]+=\S* )*toolkit\s")
# Repository folders the examples use, linked into the scratch directory the
# commands run in, so that files they write never land in the checkout.
_LINKED = ("examples", "refs", "prompts", "bench")
# The terminal width the shown tables were generated at.
COLUMNS = "100"


@dataclass
class Command:
    line: str                 # as written, without the prompt
    shown: list[str] | None   # the output shown (console blocks), else None
    at: int                   # index of the command line in the file


@dataclass
class Block:
    path: Path
    start: int                # index of the opening fence
    end: int                  # index of the closing fence
    lang: str
    body: list[str]
    marks: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.start + 1}"

    @property
    def runnable_looking(self) -> bool:
        return any(_COMMAND.match(line) for line in self.body)

    def commands(self) -> list[Command]:
        out: list[Command] = []
        if self.lang == "console":
            for i, line in enumerate(self.body):
                if line.startswith("$ "):
                    out.append(Command(line[2:], [], self.start + 1 + i))
                elif out:
                    out[-1].shown.append(line)
                # Lines before the first prompt are prose; there are none in practice.
            return out
        return [Command(line.strip(), None, self.start + 1 + i)
                for i, line in enumerate(self.body) if _COMMAND.match(line.strip())]


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        marks: dict[str, str] = {}
        k = i - 1
        while k >= 0 and (mk := _MARK.match(lines[k])):
            marks[mk.group(1)] = mk.group(2)
            k -= 1
        found.append(Block(path, i, j, lang, lines[i + 1:j], marks))
        i = j + 1
    return found


def all_blocks() -> list[Block]:
    return [b for p in DOCS for b in blocks(p)]


def examples_to_run() -> list[Block]:
    return [b for b in all_blocks() if b.runnable_looking and "not-run" not in b.marks]


def _scratch(tmp: Path) -> Path:
    work = tmp / "work"
    work.mkdir()
    for name in _LINKED:
        (work / name).symlink_to(REPO / name)
    if SHARED.exists():
        (tmp / "shared").symlink_to(SHARED)
    return work


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLKIT_")}
    env.update({
        "PYTHONPATH": str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        "TOOLKIT_CACHE_DIR": str(tmp / "cache"),
        "TOOLKIT_CONFIG": str(tmp / "config.toml"),
        "HF_HOME": str(tmp / "hf-home"),
        "HF_HUB_CACHE": str(SHARED / "hf-cache" / "hub"),
        "TOOLKIT_NLP_MODEL": str(nlp_model()),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "SACREBLEU": str(SHARED / "sacrebleu"),
        "COLUMNS": COLUMNS,
        "NO_COLOR": "1",
    })
    env.pop("FORCE_COLOR", None)
    return env


def normalise(text: str, tmp: Path) -> list[str]:
    for path, shown in ((tmp / "work", "."), (SHARED, "../shared"), (tmp, "<tmp>"), (REPO, ".")):
        text = text.replace(str(path.resolve()), shown).replace(str(path), shown)
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []


def run(command: str, tmp: Path) -> tuple[int, list[str]]:
    # `toolkit` is this checkout's package run by this interpreter, so the
    # examples test the code beside them, installed or not.
    entry = "import sys; sys.argv[0] = 'toolkit'; from toolkit.cli import main; main(prog_name='toolkit')"
    script = f'toolkit() {{ "{sys.executable}" -c "{entry}" "$@"; }}\n{command}\n'
    proc = subprocess.run(["bash", "-c", script], cwd=tmp / "work", env=_env(tmp),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    return proc.returncode, normalise(proc.stdout.decode("utf-8", "replace"), tmp)


def _needs(block: Block) -> None:
    text = "\n".join(block.body)
    if "../shared" in text:
        from conftest import need_shared
        for rel in sorted(set(re.findall(r"\.\./shared/([\w.-]+)", text))):
            need_shared(rel)
    if re.search(r"toolkit (summarize|report)\b", text):
        from conftest import real_embedding_hub
        real_embedding_hub("tests/test_tiny_models.py::test_doc_example_runs_on_tiny_models")


@pytest.mark.slow
@pytest.mark.parametrize("block", examples_to_run(), ids=lambda b: b.name)
def test_example_runs_and_prints_what_the_docs_show(block: Block, tmp_path: Path) -> None:
    _needs(block)
    work_tmp = tmp_path
    _scratch(work_tmp)
    expected_exit = int(block.marks.get("exit", "0"))
    for command in block.commands():
        code, output = run(command.line, work_tmp)
        assert code == expected_exit, f"{block.name}: `{command.line}` exited {code}:\n" + "\n".join(output[-20:])
        if command.shown:
            assert output == command.shown, (
                f"{block.name}: `{command.line}` prints something else now; "
                "regenerate with `python tests/test_docs.py --update`")


def test_every_example_is_run_or_marked_with_a_reason() -> None:
    found = all_blocks()
    runnable = [b for b in found if b.runnable_looking]
    assert runnable, "no command examples found in the docs"
    for b in found:
        if "not-run" in b.marks:
            assert b.runnable_looking, f"{b.name}: not-run marker on a block with no toolkit command"
            assert b.marks["not-run"], f"{b.name}: not-run marker without a reason"
        if b.runnable_looking and "not-run" not in b.marks:
            assert b.commands(), f"{b.name}: an example with no command the test can find"
    assert examples_to_run(), "every example is marked not-run"


def test_docs_pages_linked_from_readme_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((docs/[\w.-]+\.md)", readme):
        # docs/archive.md is written with the streaming translation feature.
        assert (REPO / target).exists() or target == "docs/archive.md", f"README links {target}, which is missing"
    for page in (REPO / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"


def _anchor(heading: str) -> str:
    # GitHub's rule: lower case, punctuation other than - and _ dropped, spaces to -.
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    found: set[str] = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (m := re.match(r"^#{1,6} (.*)", line)):
            found.add(_anchor(m.group(1)))
    return found


def test_links_between_pages_resolve() -> None:
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([\w./-]*\.md)?(?:#([\w-]+))?\)", text):
            if not target and not anchor:
                continue
            dest = (page.parent / target) if target else page
            if dest.name == "archive.md" and not dest.exists():
                continue  # written with the streaming translation feature
            assert dest.exists(), f"{page.name} links {target}, which is missing"
            if anchor:
                assert anchor in _anchors(dest), f"{page.name} links {target}#{anchor}, no such heading"


def test_example_english_lines_up_with_the_example_articles() -> None:
    # The manifest holds a hash of every Arabic sentence and English line, so a
    # change of segmentation or an edited line shows here by sentence ID.
    articles = sorted(str(p) for p in (REPO / "examples").glob("*.txt"))
    proc = subprocess.run([sys.executable, str(REPO / "refs" / "make_manifest.py"), "--check",
                           "--refs", str(REPO / "examples" / "en"), *articles],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    english = sorted(p.name for p in (REPO / "examples" / "en").glob("*.en.txt"))
    assert english == [Path(a).name.replace(".txt", ".en.txt") for a in articles]


def update(paths: list[Path]) -> int:
    """Write what every example prints now into the markdown."""
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")
        # Bottom-up, so earlier line indices stay valid while outputs change length.
        for block in reversed([b for b in blocks(path) if b.runnable_looking and "not-run" not in b.marks]):
            if block.lang != "console":
                continue
            commands = block.commands()
            new_body: list[str] = []
            for command in commands:
                with tempfile.TemporaryDirectory() as tmp:
                    _scratch(Path(tmp))
                    code, output = run(command.line, Path(tmp))
                want = int(block.marks.get("exit", "0"))
                if code != want:
                    print(f"{block.name}: `{command.line}` exited {code} (want {want}):", *output[-10:], sep="\n")
                    return 1
                new_body.append("$ " + command.line)
                if command.shown:
                    new_body.extend(output)
            lines[block.start + 1:block.end] = new_body
        path.write_text("\n".join(lines), encoding="utf-8")
        print(f"updated {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["--update"]:
        print(__doc__)
        sys.exit(2)
    # Optional file names limit the update to those pages.
    sys.exit(update([Path(p).resolve() for p in sys.argv[2:]] or DOCS))
