"""The package's layer order, read from the source with `ast`: a module may
import its own unit (a top-level module or subpackage) or a unit on a lower
layer, never a higher one or a sibling on its own layer. Command-line
libraries stay in toolkit.cli and heavy libraries are imported inside
functions, so `import toolkit.x` stays fast and light."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit"

# Lowest first. A unit is "toolkit.<name>" for a top-level module or
# subpackage; "toolkit" itself is the package's __init__ (its version).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("toolkit", "toolkit.errors", "toolkit.records"),
    ("toolkit.config",),
    ("toolkit.fileio", "toolkit.hub", "toolkit.store", "toolkit.text"),
    ("toolkit.ct2convert",),
    ("toolkit.ingest", "toolkit.references", "toolkit.score", "toolkit.embed", "toolkit.translations"),
    ("toolkit.facts",),
    ("toolkit.translate", "toolkit.verify"),
    ("toolkit.brief",),
    ("toolkit.llm",),
    ("toolkit.report",),
    ("toolkit.cli",),
    ("toolkit.__main__",),
)
RANK = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}

CLI_ONLY = ("click", "rich")
HEAVY = ("torch", "transformers", "sentence_transformers", "ctranslate2", "numpy", "huggingface_hub", "spacy")

# Inside a unit, pairs of modules that must stay independent: each engine
# loads its own library.
APART = (("toolkit.translate.ct2", "toolkit.translate.hf"),)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def unit_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, at module level) for every import in a file."""
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_in(text: str, name: str, is_package: bool) -> list[tuple[str, int, bool]]:
    tree = ast.parse(text)
    package = name if is_package else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    # An import under `if TYPE_CHECKING:` never runs.
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top_level |= {id(n) for n in ast.walk(node)}
            for n in ast.walk(node):
                if isinstance(n, (ast.Import, ast.ImportFrom)):
                    n.type_checking = True  # type: ignore[attr-defined]
    found = []
    for node in ast.walk(tree):
        if getattr(node, "type_checking", False):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base)
                module = f"{prefix}.{node.module}" if node.module else prefix
                # `from . import x` may name a submodule or a name in __init__
                targets = [module] if node.module else [
                    f"{module}.{a.name}" if is_module(f"{module}.{a.name}") else module for a in node.names]
            else:
                targets = [node.module or ""]
        else:
            continue
        for target in targets:
            found.append((target, node.lineno, id(node) in top_level))
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_unit_has_a_layer():
    units = {unit_of(module_name(p)) for p in SOURCES}
    assert units - set(RANK) == set()


def layer_violations(found: list[tuple[str, int, bool]], source: str) -> list[str]:
    unit = unit_of(source)
    wrong = []
    for target, line, _ in found:
        if not (target == "toolkit" or target.startswith("toolkit.")):
            continue
        other = unit_of(target)
        if other == unit:
            continue
        if other not in RANK or RANK[other] >= RANK[unit]:
            wrong.append(f"line {line}: {unit} imports {target}")
    return wrong


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path):
    assert layer_violations(imports(path), module_name(path)) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_and_heavy_libraries_stay_in_place(path):
    source = module_name(path)
    wrong = []
    for target, line, top in imports(path):
        root = target.split(".")[0]
        if root in CLI_ONLY and unit_of(source) != "toolkit.cli":
            wrong.append(f"line {line}: {target} outside toolkit.cli")
        if root in HEAVY and top:
            wrong.append(f"line {line}: {target} imported at module level")
    assert wrong == []


def test_engines_do_not_import_each_other():
    by_name = {module_name(p): p for p in SOURCES}
    for a, b in APART:
        for one, other in ((a, b), (b, a)):
            assert all(not t.startswith(other) for t, _, _ in imports(by_name[one])), f"{one} imports {other}"


def test_the_checker_sees_reversed_and_lazy_imports():
    """Relative, lazy and `from . import x` imports are all resolved, so a
    reversed dependency cannot slip through as an unknown name."""
    text = ("from ..records import Article\n"
            "from . import ct2\n"
            "from .. import __version__\n"
            "def f():\n"
            "    from ..brief import build_brief\n"
            "    from .. import report\n")
    found = imports_in(text, "toolkit.translate.flags", False)
    assert [t for t, _, _ in found] == ["toolkit.records", "toolkit.translate.ct2", "toolkit", "toolkit.brief",
                                        "toolkit.report"]
    assert [top for _, _, top in found] == [True, True, True, False, False]
    assert layer_violations(found, "toolkit.translate.flags") == [
        "line 5: toolkit.translate imports toolkit.brief", "line 6: toolkit.translate imports toolkit.report"]


def import_graph(sources: dict[str, list[tuple[str, int, bool]]]) -> dict[str, set[tuple[str, bool]]]:
    """module -> {(module it imports, at module level)}, for the toolkit's
    own modules; `from .x import y` names module x, or a name in package x."""
    known = set(sources)
    graph: dict[str, set[tuple[str, bool]]] = {}
    for name, found in sources.items():
        targets = set()
        for target, _, top in found:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add((target, top))
        graph[name] = targets
    return graph


def find_cycles(graph: dict[str, set[tuple[str, bool]]]) -> list[list[str]]:
    """Import cycles through imports at any level: one inside a function
    only runs later, but it still ties the modules together, and moving
    the import to the top breaks the package. A package's own __init__ is
    loaded before its submodules, so a submodule importing it at module
    level (the command group its commands attach to) is no cycle; inside a
    function it is, because the __init__ re-exports the submodules."""
    edges: dict[str, set[str]] = {
        node: {nxt for nxt, top in targets if not (top and node.startswith(nxt + "."))}
        for node, targets in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return cycles


def test_no_import_cycles_at_any_level():
    """Inside a unit too (between units the layers already forbid them)."""
    assert find_cycles(import_graph({module_name(p): imports(p) for p in SOURCES})) == []


def test_the_cycle_check_sees_imports_inside_functions():
    base = ("def budget():\n"
            "    from .device import free_cuda_bytes\n")
    device = "from .base import DEFAULT_BATCH_TOKENS\n"
    package = "from .run import translate_articles\n"
    run = "from .device import fix_hint\n"
    stream = "def load():\n    from . import translate_articles\n"
    sources = {"toolkit.translate": imports_in(package, "toolkit.translate", True),
               "toolkit.translate.base": imports_in(base, "toolkit.translate.base", False),
               "toolkit.translate.device": imports_in(device, "toolkit.translate.device", False),
               "toolkit.translate.run": imports_in(run, "toolkit.translate.run", False),
               "toolkit.translate.stream": imports_in(stream, "toolkit.translate.stream", False)}
    def cycles() -> set[frozenset[str]]:
        return {frozenset(c) for c in find_cycles(import_graph(sources))}

    assert cycles() == {frozenset({"toolkit.translate.base", "toolkit.translate.device"})}
    sources["toolkit.translate.base"] = []
    assert cycles() == set()  # stream -> package -> run -> device: no way back
    sources["toolkit.translate.run"] = imports_in("def f():\n    from .stream import x\n",
                                                  "toolkit.translate.run", False)
    # run -> stream -> package -> run, through two imports inside functions
    assert cycles() == {frozenset({"toolkit.translate", "toolkit.translate.run", "toolkit.translate.stream"})}


def test_the_code_map_shows_these_layers():
    """docs/code-map.md lists the layers for readers; it must say what this
    test enforces."""
    text = (ROOT / "docs" / "code-map.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers: checked by tests/test_layers.py -->", 1)[1].split("<!-- /layers -->", 1)[0]
    rows = [line.split("|")[2] for line in table.strip().splitlines()[2:]]
    documented = [tuple(unit.strip().strip("`") for unit in row.split(",")) for row in rows]
    assert documented == [tuple(dict.fromkeys(layer)) for layer in LAYERS]
