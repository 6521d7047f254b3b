"""Incremental crawling: a second crawl writes only posts newer than what the first one committed."""
from __future__ import annotations

import json

import yaml

from tests.crawlers.conftest import CRAWL_ENV, read_spool
from waspada.crawl import run_crawl


def crawl(root, base, window):
    sources = root / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"id": "masto-bertahap", "name": "Mock bertahap", "platform": "mastodon", "kind": "mastodon",
         "url": base + "/api/v1/timelines/tag/bertahap?limit=40", "group": "bertahap"}]}), encoding="utf-8")
    return run_crawl(sources, spool_dir=root / "spool", window=window, group="bertahap", polite=False, timeout=60,
                     env={**CRAWL_ENV, "WASPADA_DATA_DIR": str(root / "data")})


def test_second_crawl_fetches_only_new_posts(mock_server, tmp_path):
    base = mock_server.base_url
    mock_server.social["bertahap"] = 2
    first = crawl(tmp_path, base, "2024-02-20T00-00")
    assert first["items_written"] == 2
    state = json.loads((tmp_path / "data" / "state" / "masto-bertahap.json").read_text())
    assert state["streams"] == {base + "/api/v1/timelines/tag/bertahap?limit=40": 501}

    second = crawl(tmp_path, base, "2024-02-20T01-00")
    assert second["items_written"] == 0 and second["spool_files"] == []
    assert "'waspada/social/already_seen': 2" in (tmp_path / "spool" / "_logs" / "bertahap-2024-02-20T01-00-mastodon.log").read_text()

    mock_server.social["bertahap"] = 3  # a new post appears on the timeline
    hits_before = len(mock_server.hits)
    third = crawl(tmp_path, base, "2024-02-20T02-00")
    records = read_spool(third["spool_files"][0])
    assert [r["native_id"].rsplit(":", 1)[1] for r in records] == ["502"]
    assert records[0]["text"] == "Kabar pemilu nomor 3 dari linimasa bertahap."
    # One request (with since_id, for real instances) and no older page: the known posts end paging.
    timeline_hits = [h for h in mock_server.hits[hits_before:] if h.endswith("/bertahap")]
    assert len(timeline_hits) == 1
    state = json.loads((tmp_path / "data" / "state" / "masto-bertahap.json").read_text())
    assert list(state["streams"].values()) == [502]
