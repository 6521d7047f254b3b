"""Flagged social posts whose addresses point at the mock server's engagement endpoints
(tests/mockserver/engagement.py), for the engagement refresh tests and its DAG test."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from waspada.schema import build_document

#: The end of the refresh window in the tests: posts were first seen two hours before it.
NOW = datetime(2024, 2, 14, 12, 0, tzinfo=timezone.utc)
VIDEO = "Ab3dEf6hIj0"


def post(base: str, name: str, platform: str, path: str, engagement: dict, *, seen: datetime,
         labels=("hoax",), source: str | None = None) -> tuple[str, dict]:
    record = {"url": base + path, "native_id": name, "source_id": source or f"{platform}-uji", "platform": platform,
              "published": (seen - timedelta(minutes=30)).isoformat(), "fetched": seen.isoformat(),
              "text": f"Pos {name} tentang surat suara pemilu", "engagement": engagement}
    scores = {label: (0.9 if label in labels else 0.1) for label in ("hoax", "provocation")}
    return name, build_document(record, relevance={"terms": ["pemilu"], "regions": [], "entities": []},
                                scores=scores, labels=list(labels), model_id="uji", evidence={},
                                ingested=seen.isoformat())


def posts(base: str, now: datetime = NOW) -> dict[str, dict]:
    """The posts by name: flagged social posts first seen two hours before ``now``, and three that
    must not be fetched (first seen five days before, not flagged, not social)."""
    recent, old = now - timedelta(hours=2), now - timedelta(days=5)
    return dict([
        post(base, "m105", "mastodon", "/@pantaupemilu/105", {"likes": 12, "shares": 4, "replies": 2}, seen=recent),
        post(base, "m104", "mastodon", "/@warga_jkt@kolektiva.social/104", {"likes": 3, "replies": 5}, seen=recent),
        post(base, "m103", "mastodon", "/@pantaupemilu/103", {"likes": 1}, seen=recent),
        post(base, "m101", "mastodon", "/@pantaupemilu/101", {"likes": 7}, seen=recent),
        post(base, "m102-old", "mastodon", "/@pantaupemilu/102", {"likes": 2}, seen=old),
        post(base, "m106-unflagged", "mastodon", "/@pantaupemilu/106", {"likes": 2}, seen=recent, labels=()),
        post(base, "t201", "telegram", "/segar/201", {"views": 800}, seen=recent),
        post(base, "t202", "telegram", "/segar/202", {"views": 300}, seen=recent),
        post(base, "t203", "telegram", "/segar/203", {"views": 100}, seen=recent),
        # Older than the oldest message on the first page: read from a second page.
        post(base, "t150", "telegram", "/segar/150", {"views": 50}, seen=recent),
        post(base, "r-x9k", "reddit", "/r/indonesia/comments/1ar5x9k/slug/", {"likes": 154, "replies": 87},
             seen=recent),
        post(base, "r-w2a", "reddit", "/r/indonesia/comments/1ar5w2a/slug/", {"likes": 3}, seen=recent),
        post(base, "y-live", "youtube", f"/watch?v={VIDEO}", {"views": 48210, "likes": 1523}, seen=recent,
             source="yt-kpu"),
        post(base, "y-gone", "youtube", "/watch?v=Zy9xWv8uTs7", {"views": 9000, "likes": 310}, seen=recent,
             source="yt-kpu"),
        post(base, "news", "news", "/berita/1", {"views": 5}, seen=recent),
    ])


def write_sources(path: Path, base: str) -> Path:
    """A sources file naming the YouTube channel feed the refresh reads (the later one)."""
    path.write_text(yaml.safe_dump({"sources": [
        {"id": "yt-kpu", "name": "YouTube KPU", "platform": "youtube", "kind": "feed",
         "url": base + "/social/youtube/kpu-channel-later.atom"}]}), encoding="utf-8")
    return path
