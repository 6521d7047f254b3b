"""A real crawl of the mock server: good items land in the spool, every bad input is a counted skip."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.crawlers.conftest import WINDOW, read_spool
from tests.mockserver.charset_feeds import FEEDS as CHARSET_FEEDS
from waspada.schema import doc_id, validate_spool_record


def records(spool: Path) -> dict[str, list[dict]]:
    return {path.parent.name: read_spool(path) for path in spool.glob(f"*/{WINDOW}.jsonl")}


def by_url(spool: Path) -> dict[str, dict]:
    return {r["canonical_url"]: r for rs in records(spool).values() for r in rs if r["canonical_url"]}


def test_spool_files_are_complete_and_valid(mock_crawl):
    report, spool, _ = mock_crawl
    assert not list(spool.rglob("*.part")), "a .part file was left behind"
    written = records(spool)
    assert sorted(str(spool / name / f"{WINDOW}.jsonl") for name in written) == report["spool_files"]
    assert sum(len(rs) for rs in written.values()) == report["items_written"] > 10
    for source_id, rs in written.items():
        for record in rs:
            validate_spool_record(record)
            assert record["source_id"] == source_id
            assert record["fetched"].endswith("+00:00")
            assert not any(key.startswith("_") for key in record)
    assert "mock-disabled" not in written


def test_every_broken_input_is_a_counted_skip(mock_crawl):
    report, _, base = mock_crawl
    skipped = report["skipped"]
    assert skipped["http_404"] == 2  # a linked page and a whole feed
    assert skipped["http_500"] == 1
    assert skipped["redirect_loop"] == 1
    assert skipped["timeout"] == 1
    assert skipped["too_large"] == 2  # with and without Content-Length
    assert skipped["binary_content"] == 2  # a linked PNG and a "feed" that is a PNG
    assert skipped["robots_disallowed"] == 1
    assert skipped["malformed_feed"] == 1
    assert skipped["duplicate"] >= 2
    assert skipped["invalid_record"] == 1  # an entry linking to javascript:
    details = [d for section in report["spiders"].values() for d in section["skip_details"]]
    reasons = {(d["url"].replace(base, ""), d["reason"]) for d in details}
    assert ("/broken/hang", "timeout") in reasons
    assert ("/broken/huge.html", "too_large") in reasons
    assert ("/feeds/garbage.xml", "malformed_feed") in reasons
    assert all(d["detail"] for d in details)


def test_failed_article_pages_keep_their_feed_entry(mock_crawl):
    _, spool, base = mock_crawl
    nasional = {r["canonical_url"].replace(base, ""): r for r in records(spool)["mock-nasional"]}
    for path in ("/broken/404", "/broken/500", "/broken/hang", "/broken/huge.html", "/broken/image.png",
                 "/private/secret.html"):
        entry = nasional[path]
        assert entry["kind"] == "feed_entry"
        assert entry["http"]["content_type"].startswith("application/rss+xml")  # evidence: the feed itself
    assert nasional["/broken/404"]["title"] == "Berita hilang"


def test_crawl_report_file_matches_what_run_crawl_returned(mock_crawl):
    report, spool, _ = mock_crawl
    on_disk = json.loads((spool / "_stats" / f"mock-{WINDOW}.json").read_text())
    assert on_disk["items_written"] == report["items_written"]
    assert on_disk["skipped"] == report["skipped"]
    assert set(on_disk["spiders"]) == {"feed", "article"}
    assert on_disk["pages_fetched"] >= 10
    for kind, log in report["logs"].items():
        assert "Spider closed (finished)" in Path(log).read_text()


def test_followed_article_has_page_metadata(mock_crawl):
    _, spool, base = mock_crawl
    record = next(r for r in records(spool)["mock-nasional"] if r["canonical_url"] == f"{base}/pages/pemilu-kpu.html")
    assert record["url"].startswith(f"{base}/pages/pemilu-kpu.html")  # as linked, tracking parameters and all
    assert record["title"] == "KPU Rampungkan Rekapitulasi Suara Jawa Barat"
    assert record["author"] == "Dewi Lestari"
    assert record["published"] == "2024-02-20T14:05:00+07:00"
    assert "saksi dari seluruh partai politik" in record["text"]
    assert record["http"]["status"] == 200 and record["http"]["content_type"].startswith("text/html")
    assert record["http"]["etag"] and record["http"]["last_modified"]


def test_dates_from_body_text_and_missing_dates(mock_crawl):
    _, spool, base = mock_crawl
    urls = by_url(spool)
    # No meta date: the Indonesian date printed in the page, in its own zone (WITA).
    assert urls[f"{base}/pages/bawaslu-daerah.html"]["published"] == "2024-02-15T19:45:00+08:00"
    # No date anywhere: null, never the fetch time.
    assert urls[f"{base}/pages/tanpa-tanggal.html"]["published"] is None
    assert urls[f"{base}/daerah/rekap-siantar"]["published"] is None
    assert urls[f"{base}/daerah/kampanye-damai-nabire"]["published"] == "2024-02-08T09:30:00+09:00"


def test_entries_without_a_link_are_kept_with_a_native_id(mock_crawl):
    _, spool, base = mock_crawl
    linkless = [r for r in records(spool)["mock-daerah"] if r.get("native_id")]
    assert sorted(r["native_id"] for r in linkless) == ["tag:mock,2024:3", "tag:mock,2024:4"]
    assert all(r["url"] == f"{base}/feeds/daerah.atom" and r["canonical_url"] is None for r in linkless)
    assert {r["published"] for r in linkless} == {"2024-02-16T02:00:00+00:00", None}


def test_canonical_url_comes_from_the_page(mock_crawl):
    _, spool, base = mock_crawl
    urls = by_url(spool)
    # og:url with utm_source -> canonical without it; Atom relative link resolved against the feed.
    assert f"{base}/pages/bawaslu-daerah.html" in urls
    assert urls[f"{base}/daerah/kampanye-damai-nabire"]["kind"] == "feed_entry"


def test_blobs_hold_the_exact_fetched_bytes(mock_crawl):
    _, spool, _ = mock_crawl
    for rs in records(spool).values():
        for record in rs:
            blob = spool / "blobs" / record["raw_sha256"][:2] / record["raw_sha256"]
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == record["raw_sha256"]
    page = next(r for r in records(spool)["mock-nasional"] if r["canonical_url"].endswith("/pages/hostile.html"))
    assert b"<script>alert('jalan')</script>" in (spool / "blobs" / page["raw_sha256"][:2] / page["raw_sha256"]).read_bytes()


def test_wrong_and_missing_charsets_decode_without_mojibake(mock_crawl):
    _, spool, base = mock_crawl
    urls = by_url(spool)
    cp1252 = urls[f"{base}/charset/cp1252-declared-utf8.html"]
    assert "“final” — café" in cp1252["text"] and "\ufffd" not in cp1252["text"]
    latin1 = urls[f"{base}/charset/latin1-no-charset.html"]
    assert "café" in latin1["text"] and "\ufffd" not in latin1["text"]
    feed = urls[f"{base}/berita/cp1252-feed"]
    assert feed["title"] == "Pemilu “jujur” — café KPU"


def test_wide_and_mislabelled_feeds_are_read(mock_crawl):
    """UTF-16/UTF-32 without a byte-order mark, and a Content-Type charset that lies, are read
    from the bytes and the document's declaration instead of being called malformed."""
    report, spool, base = mock_crawl
    urls = by_url(spool)
    for name, *_ in CHARSET_FEEDS.values():
        assert urls[f"{base}/berita/charset-{name}"]["title"] == f"Pemilu “jujur” — café KPU {name}"
    details = [d for section in report["spiders"].values() for d in section["skip_details"]]
    assert not [d for d in details if "/charset/feed-" in d["url"]]


def test_malformed_feed_keeps_recovered_entries(mock_crawl):
    _, spool, base = mock_crawl
    kept = {r["canonical_url"] for r in records(spool)["mock-malformed"]}
    assert f"{base}/berita/sirekap-normal" in kept


def test_duplicates_across_feeds_are_written_once(mock_crawl):
    report, spool, base = mock_crawl
    feeds = [r["canonical_url"] for name in ("mock-dup-a", "mock-dup-b") for r in records(spool).get(name, [])]
    assert sorted(feeds) == sorted({f"{base}/berita/debat-capres", f"{base}/berita/logistik-papua",
                                    f"{base}/berita/hanya-a", f"{base}/berita/hanya-b"})
    for name, rs in records(spool).items():
        ids = [doc_id(r) for r in rs]
        assert len(ids) == len(set(ids)), f"{name} has duplicates"


def test_hostile_payloads_survive_as_inert_text(mock_crawl):
    _, spool, base = mock_crawl
    record = by_url(spool)[f"{base}/pages/hostile.html"]
    assert record["title"] == "<script>alert('xss')</script> Pengumuman KPU"
    assert '"><img src=x onerror=alert(1)>' in record["text"]
    assert "window.stolen" not in record["text"] and "alert('jalan')" not in record["text"]


def test_listing_pages_are_followed_by_selector(mock_crawl):
    _, spool, base = mock_crawl
    listed = sorted(r["canonical_url"] for r in records(spool)["mock-indeks"])
    assert listed == [f"{base}/pages/pemilu-kpu.html", f"{base}/pages/tanpa-tanggal.html"]
    assert len(records(spool)["mock-halaman"]) == 2
