"""YouTube channel feeds go through the feed spider as Atom; a saved channel feed proves the fields."""
from __future__ import annotations

import yaml

from tests.crawlers.conftest import CRAWL_ENV, read_spool
from waspada.crawl import run_crawl
from waspada.schema import validate_spool_record


def test_youtube_channel_feed_fields(mock_server, tmp_path):
    base = mock_server.base_url
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"id": "yt-kpu", "name": "YouTube - KPU RI Mock", "platform": "youtube", "kind": "feed",
         "url": base + "/social/youtube/kpu-channel.atom", "follow": False, "group": "video"}]}), encoding="utf-8")
    report = run_crawl(sources, spool_dir=tmp_path / "spool", window="2024-03-11T00-00", source="yt-kpu",
                       polite=False, timeout=60, env={**CRAWL_ENV, "WASPADA_DATA_DIR": str(tmp_path / "data")})
    assert report["items_written"] == 2 and report["skipped"] == {}
    videos = {r["url"]: r for r in read_spool(report["spool_files"][0])}
    video = videos[f"{base}/watch?v=Ab3dEf6hIj0"]
    validate_spool_record(video)
    assert video["platform"] == "youtube" and video["kind"] == "feed_entry"
    assert video["canonical_url"] == f"{base}/watch?v=Ab3dEf6hIj0"  # the video id survives canonicalisation
    assert video["title"] == "LIVE: Rapat Pleno Rekapitulasi Hasil Penghitungan Suara Pemilu 2024"
    assert video["text"].startswith("Rapat pleno terbuka rekapitulasi")  # media:description
    assert video["author"] == "KPU RI Mock"
    assert video["published"] == "2024-03-10T06:00:12+00:00"
    assert video["engagement"] == {"views": 48210, "likes": 1523}
    assert videos[f"{base}/watch?v=Zy9xWv8uTs7"]["engagement"] == {"views": 9120, "likes": 310}
