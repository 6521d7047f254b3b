"""The import graph keeps the shape docs/architecture.md draws: no import circles among Waspada's
modules, and no import from a lower layer to a higher one.

Layers, highest first:

- delivery: ``waspada.cli``, ``waspada.web`` and the Airflow DAGs (``dags/``);
- the pipeline: ``waspada.pipeline``, the one module of the spine that runs every post through
  the capabilities' detectors (claims, cyber threats, look-alike domains);
- capabilities: every other subpackage of ``waspada`` (alerts, claims, digest, engagement,
  investigations, sources, threats.*, demosite);
- core: the top-level modules of ``waspada`` and the index backends (``waspada.index``).

A module may import its own layer and the layers below it. Imports inside functions count too:
they are dependencies all the same, and a circle through a lazy import is still a circle.
``waspada`` never imports the crawlers, the DAGs, Scrapy or Airflow; what the spiders may import
is checked in tests/crawlers/test_crawler_boundaries.py.

Read from the source (``ast``), not by importing, so nothing heavy loads and a module that would
fail to import is still checked.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TREES = ("waspada", "crawlers", "dags")

CORE, CAPABILITY, PIPELINE, DELIVERY = range(4)
LAYER_NAMES = {CORE: "core", CAPABILITY: "capability", PIPELINE: "pipeline", DELIVERY: "delivery"}

#: Packages waspada itself never imports (DESIGN.md: crawling runs as a process; DAGs call us).
NEVER_FROM_WASPADA = ("crawlers", "dags", "scrapy", "airflow")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    files = {}
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            if "__pycache__" not in path.parts:
                files[module_name(path)] = path
    return files


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module ``name`` imports (at the top or inside a function), resolved: ``from a import
    b`` counts as importing ``a.b`` when that is a module of ours, else ``a``."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module)
    return found


def layer(module: str) -> int | None:
    """The layer of one of our modules; None for what no layer rule covers (crawlers)."""
    if module.startswith("dags.") or module == "dags":
        return DELIVERY
    if not (module == "waspada" or module.startswith("waspada.")):
        return None
    parts = module.split(".")
    if len(parts) == 1:
        return CORE
    if parts[1] in ("cli", "web"):
        return DELIVERY
    if parts[1] == "pipeline":
        return PIPELINE
    if parts[1] == "index" or (ROOT / "waspada" / f"{parts[1]}.py").exists():
        return CORE
    return CAPABILITY


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = source_files()
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def ours(graph, target: str) -> bool:
    return target in graph


def test_the_walk_sees_the_whole_tree(graph):
    """A guard for the guard: the walk finds the layers it checks."""
    assert {"waspada.cli", "waspada.pipeline", "waspada.schema", "waspada.sources.store",
            "waspada.threats.cyber.detector", "waspada.web.app", "crawlers.spiders.base"} <= set(graph)
    assert any(name.startswith("dags.") for name in graph)
    assert "waspada.threats.cyber.detector" in graph["waspada.threats.cyber.evaluate"]


def find_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself),
    by Tarjan's algorithm, each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(t for t in graph[node] if t in graph):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_import_circles(graph):
    waspada_only = {name: {t for t in targets if t.startswith("waspada")}
                    for name, targets in graph.items() if name.startswith("waspada")}
    circles = find_circles(waspada_only)
    assert not circles, ("import circles (break each by moving what both sides need into a module "
                         f"they both import): {circles}")


def test_no_import_reaches_up_a_layer(graph):
    upward = []
    for name, targets in graph.items():
        mine = layer(name)
        if mine is None:
            continue
        for target in targets:
            theirs = layer(target) if ours(graph, target) else None
            if theirs is not None and theirs > mine:
                upward.append(f"{name} ({LAYER_NAMES[mine]}) imports {target} ({LAYER_NAMES[theirs]})")
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(sorted(upward))


def test_waspada_never_imports_the_crawlers_the_dags_scrapy_or_airflow(graph):
    reached = sorted(f"{name} imports {target}" for name, targets in graph.items() if name.startswith("waspada")
                     for target in targets if target.split(".")[0] in NEVER_FROM_WASPADA)
    assert not reached, reached


def test_the_layers_are_what_the_architecture_doc_says():
    assert layer("waspada.cli") == layer("waspada.web.views.item") == layer("dags.waspada_ingest") == DELIVERY
    assert layer("waspada.pipeline") == PIPELINE
    assert layer("waspada.sources.store") == layer("waspada.threats.cyber.detector") == CAPABILITY
    assert layer("waspada.investigations") == layer("waspada.alerts.engine") == CAPABILITY
    assert layer("waspada.schema") == layer("waspada.index.elastic") == layer("waspada") == CORE
    assert layer("crawlers.spiders.base") is None
