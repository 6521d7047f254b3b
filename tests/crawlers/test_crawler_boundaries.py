"""DESIGN.md's import rules for the crawling side, checked on the source files."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: waspada.sources.health and .store are a deliberate exception (stdlib only; the crawler writes source health,
#: the CLI/web read it).
CRAWLERS_MAY_IMPORT = {"scrapy", "feedparser", "trafilatura", "yaml", "crawlers", "waspada.schema", "waspada.config",
                       "waspada.sources.health", "waspada.sources.store"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module if node.module != "waspada" else "waspada." + node.names[0].name)
    return found


def test_crawlers_import_only_scrapy_feed_tools_and_the_schema():
    for path in (REPO / "crawlers").rglob("*.py"):
        for module in imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            allowed = top in {"scrapy", "feedparser", "trafilatura", "yaml", "crawlers"} or module in CRAWLERS_MAY_IMPORT
            assert allowed, f"{path.relative_to(REPO)} imports {module}; crawlers/ may import only {sorted(CRAWLERS_MAY_IMPORT)}"


def test_waspada_crawl_side_never_imports_scrapy_or_crawlers():
    for path in [REPO / "waspada" / "crawl.py", *(REPO / "waspada" / "demosite").rglob("*.py")]:
        for module in imports(path):
            assert module.split(".")[0] not in {"scrapy", "twisted", "crawlers"}, f"{path.relative_to(REPO)} imports {module}"
