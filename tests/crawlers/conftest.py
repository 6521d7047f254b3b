"""Crawler test fixtures: the mock server, a crawl of it, and a crawl of the demo site.

Each crawl is a real ``scrapy crawl`` subprocess started through ``waspada.crawl.run_crawl`` and
runs once per session; the tests assert on what it left in the spool.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.mockserver.charset_feeds import FEEDS as CHARSET_FEEDS
from tests.mockserver.fixtures import mock_server  # noqa: F401 - re-exported fixture
from waspada import demosite
from waspada.crawl import run_crawl

WINDOW = "2024-02-14T08-00"
#: Small per-request timeout so the hanging endpoint costs seconds, not the default 30.
CRAWL_ENV = {"WASPADA_CRAWL_TIMEOUT": "2"}


def mock_sources(base: str) -> list[dict]:
    def feed(id_, path, follow=False, **extra):
        return {"id": id_, "name": f"Mock {id_}", "platform": "news", "kind": "feed", "url": base + path,
                "follow": follow, "group": "mock", **extra}
    return [
        feed("mock-nasional", "/feeds/nasional.xml", follow=True),
        feed("mock-daerah", "/feeds/daerah.atom", region="Papua"),
        feed("mock-malformed", "/feeds/malformed.xml"),
        feed("mock-garbage", "/feeds/garbage.xml"),
        feed("mock-dup-a", "/feeds/dup-a.xml"),
        feed("mock-dup-b", "/feeds/dup-b.xml"),
        feed("mock-cp1252", "/feeds/cp1252.xml"),
        *(feed(f"mock-charset-{n}", path) for n, path in enumerate(CHARSET_FEEDS)),
        feed("mock-feed-404", "/broken/404"),
        feed("mock-feed-binary", "/broken/image.png"),
        feed("mock-disabled", "/feeds/dup-a.xml", enabled=False),
        {"id": "mock-indeks", "name": "Mock indeks", "platform": "news", "kind": "article",
         "url": base + "/pages/index.html", "link_selector": "ul.indeks a.judul", "group": "mock"},
        {"id": "mock-halaman", "name": "Mock halaman", "platform": "government", "kind": "article",
         "urls": [base + "/pages/bawaslu-daerah.html", base + "/charset/latin1-no-charset.html"], "group": "mock"},
    ]


def read_spool(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def mock_crawl(mock_server, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    """The mock sources crawled once: (report, spool_dir, base_url)."""
    root = tmp_path_factory.mktemp("mock-crawl")
    sources = root / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": mock_sources(mock_server.base_url)}), encoding="utf-8")
    spool = root / "spool"
    report = run_crawl(sources, spool_dir=spool, window=WINDOW, group="mock", polite=False, timeout=90,
                       env={**CRAWL_ENV, "WASPADA_DATA_DIR": str(root / "data")})
    return report, spool, mock_server.base_url


@pytest.fixture(scope="session")
def demo_site():
    server, base_url = demosite.serve()
    yield base_url
    server.shutdown()


@pytest.fixture(scope="session")
def demo_crawl(demo_site, tmp_path_factory):
    """The demo site's feeds crawled once: (report, spool_dir, base_url)."""
    root = tmp_path_factory.mktemp("demo-crawl")
    sources = demosite.write_sources(demo_site, root / "sources.yaml")
    spool = root / "spool"
    report = run_crawl(sources, spool_dir=spool, window=WINDOW, group="demo", polite=False, timeout=120,
                       env={**CRAWL_ENV, "WASPADA_DATA_DIR": str(root / "data")})
    return report, spool, demo_site
