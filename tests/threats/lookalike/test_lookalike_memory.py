"""`waspada domains scan` catches up on posts indexed before the check (tags them, so they become
look-alike items) and remembers every look-alike with its sightings; `waspada domains list`
shows the memory. On both backends, and through the CLI on SQLite."""
from __future__ import annotations

from datetime import datetime, timezone

from click.testing import CliRunner

from waspada.cli import main
from waspada.index import open_index
from waspada.index.base import SearchQuery
from waspada.schema import build_document
from waspada.threats.lookalike.scan import scan_index
from waspada.threats.lookalike.store import KnownLookalike, LookalikeStore
from waspada.threats.lookalike.posts import LookalikeFinder
from lookalike_fixtures import index  # noqa: F401 - the fixture, on each backend

OFFICIALS = ["kpu.go.id", "bawaslu.go.id", "dkpp.go.id", "mkri.id", "kpujakarta.go.id"]
#: (url, text, published): flagged posts indexed before look-alikes were checked.
OLD_POSTS = [
    ("https://infokpu.com/dpt-bocor", "Data DPT bocor! Unduh di https://kpu.go.id.cek-dpt.com/login", "2024-02-08T01:00:00+00:00"),
    ("https://berita.example/a", "Lapor kecurangan pilkada ke https://kpujakarta.com/lapor", "2024-02-09T01:00:00+00:00"),
    ("https://berita.example/b", "Pengumuman DPT https://kpu.go.id.cek-dpt.com/x segera", "2024-02-12T01:00:00+00:00"),
    ("https://kompas.com/pemilu", "KPU menetapkan DPT, lihat https://jatim.kpu.go.id dan https://kpk.go.id", "2024-02-12T02:00:00+00:00"),
]


def _old_docs() -> list[dict]:
    return [build_document({"url": url, "source_id": "s", "platform": "news", "text": text, "fetched": when,
                            "published": when},
                           relevance={"terms": ["dpt"]}, scores={"hoax": 0.9, "provocation": 0.1}, labels=["hoax"],
                           model_id="m", evidence=None)
            for url, text, when in OLD_POSTS]


def test_scan_tags_older_posts_and_measures_each_lookalike(index):
    assert not index.upsert(_old_docs()).failed
    index.refresh()
    finder = LookalikeFinder(OFFICIALS)
    result = scan_index(index, finder, now=datetime(2024, 2, 13, tzinfo=timezone.utc))

    assert result.tagged == 3
    found = {f.domain: f for f in result.found}
    assert set(found) == {"infokpu.com", "kpu.go.id.cek-dpt.com", "kpujakarta.com"}
    cek = found["kpu.go.id.cek-dpt.com"]
    assert (cek.official, cek.kind, cek.posts) == ("kpu.go.id", "embedded", 2)
    assert (cek.first_seen, cek.last_seen) == ("2024-02-08T01:00:00+00:00", "2024-02-12T01:00:00+00:00")
    assert (found["kpujakarta.com"].official, found["kpujakarta.com"].kind) == ("kpujakarta.go.id", "tld_swap")
    assert found["infokpu.com"].posts == 1 and found["infokpu.com"].last_scan == "2024-02-13T00:00:00+00:00"

    # The older posts are now look-alike items like the pipeline's: filterable, keyed by alert rules.
    hosted = index.search(SearchQuery(lookalikes=("infokpu.com",))).hits
    assert [h.doc["url"]["original"] for h in hosted] == ["https://infokpu.com/dpt-bocor"]
    assert [r["where"] for r in hosted[0].doc["waspada"]["threats"]["lookalike"]] == ["post", "link"]
    near_miss = index.search(SearchQuery(domains=("kompas.com",))).hits[0].doc
    assert "threats" not in near_miss["waspada"]
    assert hosted[0].doc["waspada"]["labels"] == ["hoax"]  # the rest of the document is untouched

    # A second scan changes nothing.
    assert scan_index(index, finder).tagged == 0


def test_the_memory_keeps_the_earliest_sighting(tmp_path):
    store = LookalikeStore(tmp_path / "lookalikes.db")
    seen = KnownLookalike("kpu.com", "kpu.go.id", "tld_swap", "kpu under .com instead of .go.id",
                          "2024-02-08T01:00:00+00:00", "2024-02-09T01:00:00+00:00", 3, "2024-02-10T00:00:00+00:00")
    store.remember([seen])
    # Later the old posts aged out of the index; one newer post remains.
    store.remember([KnownLookalike("kpu.com", "kpu.go.id", "tld_swap", "kpu under .com instead of .go.id",
                                   "2024-02-20T01:00:00+00:00", "2024-02-20T01:00:00+00:00", 1,
                                   "2024-02-21T00:00:00+00:00")])
    [known] = store.all()
    assert (known.first_seen, known.last_seen, known.posts) == (
        "2024-02-08T01:00:00+00:00", "2024-02-20T01:00:00+00:00", 1)
    store.close()


def test_scan_and_list_through_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WASPADA_LOOKALIKE_OFFICIAL_DOMAINS", "kpujakarta.go.id")
    runner = CliRunner()
    empty = runner.invoke(main, ["domains", "list"])
    assert empty.exit_code == 0 and "run `waspada domains scan`" in empty.output
    crawled = open_index("sqlite", path=tmp_path / "waspada.db")
    crawled.upsert(_old_docs())
    crawled.close()

    scan = runner.invoke(main, ["domains", "scan", "--backend", "sqlite"])
    assert scan.exit_code == 0, scan.output
    assert "kpu.go.id.cek-dpt.com: look-alike of kpu.go.id (embedded), 2 post(s), first 2024-02-08 08:00 WIB" in scan.output
    assert "3 look-alike(s), 3 post(s) newly tagged" in scan.output.splitlines()[-1]
    assert (tmp_path / "state" / "lookalikes.db").exists()

    listed = runner.invoke(main, ["domains", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].startswith("kpu.go.id.cek-dpt.com  imitates kpu.go.id (embedded: ")  # most recently seen first
    assert "2 post(s) · first seen 2024-02-08 08:00 WIB · last seen 2024-02-12 08:00 WIB" in lines[1]
    assert any(line.startswith("kpujakarta.com  imitates kpujakarta.go.id (tld_swap") for line in lines)

    found = runner.invoke(main, ["search", "--lookalike", "kpu.go.id.cek-dpt.com", "--backend", "sqlite"])
    assert found.exit_code == 0 and found.output.startswith("2 hasil")
    assert "domain tiruan kpu.go.id.cek-dpt.com (meniru kpu.go.id, embedded)" in found.output
