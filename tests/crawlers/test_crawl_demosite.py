"""A real crawl of the bundled demo site, as `make run` does it."""
from __future__ import annotations

import urllib.request
from collections import Counter

from crawlers.dates import ZONES
from tests.crawlers.conftest import WINDOW, read_spool
from waspada.demosite.content import generate_posts


def test_demo_crawl_writes_every_post_once(demo_crawl):
    report, spool, base = demo_crawl
    posts = generate_posts()
    assert report["items_written"] == len(posts) >= 200
    assert report["skipped"] == {}
    assert set(report["spiders"]) == {"feed", "article"}  # feeds, and the fact-check archive listing
    assert not list(spool.rglob("*.part"))
    written = [r for path in spool.glob(f"*/{WINDOW}.jsonl") for r in read_spool(path)]
    assert sorted(r["canonical_url"] for r in written) == sorted(base + p.path for p in posts)
    assert all(r["published"] for r in written)


def test_demo_records_carry_the_page_metadata(demo_crawl):
    _, spool, base = demo_crawl
    posts = {base + p.path: p for p in generate_posts()}
    records = [r for path in spool.glob(f"*/{WINDOW}.jsonl") for r in read_spool(path)]
    assert Counter(r["platform"] for r in records) == Counter(p.site.platform for p in posts.values())
    for record in records:
        post = posts[record["canonical_url"]]
        assert record["title"] == post.title
        assert record["author"] == post.author
        # Suara Timur prints only "Rabu, 14 Februari 2024 08:30 WIT"; the others carry meta dates.
        assert record["published"] == post.published.astimezone(ZONES[post.site.zone]).isoformat()
        assert post.paragraphs[0] in record["text"]


def test_demo_fact_checks_come_from_feed_and_archive(demo_crawl):
    _, spool, _ = demo_crawl
    from_feed = read_spool(spool / "demo-periksafakta" / f"{WINDOW}.jsonl")
    from_archive = read_spool(spool / "demo-periksafakta-arsip" / f"{WINDOW}.jsonl")
    factchecks = [p for p in generate_posts() if p.category == "factcheck"]
    assert len(from_feed) == 12 and len(from_archive) == len(factchecks) - 12
    assert {r["platform"] for r in from_feed + from_archive} == {"factcheck"}


def test_demo_site_serves_robots_and_conditional_get(demo_site):
    assert b"Allow: /" in urllib.request.urlopen(demo_site + "/robots.txt").read()
    first = urllib.request.urlopen(demo_site + "/kabarnusantara/rss.xml")
    etag = first.headers["ETag"]
    request = urllib.request.Request(demo_site + "/kabarnusantara/rss.xml", headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("expected 304 Not Modified")
    except urllib.error.HTTPError as exc:
        assert exc.code == 304


def test_demo_content_is_deterministic_and_mixed():
    posts = generate_posts()
    assert [p.path for p in posts] == [p.path for p in generate_posts()]
    categories = Counter(p.category for p in posts)
    assert {"election", "other", "hoax", "provocation", "factcheck", "hostile"} <= set(categories)
    assert len(posts) >= 200
