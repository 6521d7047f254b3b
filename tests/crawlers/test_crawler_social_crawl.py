"""Real crawls of the mock server's Mastodon, Telegram and Reddit endpoints through run_crawl.

Every field a platform shows must reach the spool record (text, author, dates, engagement, native
ids, urls, context), and every failure (API error, rate limit, deleted post, empty channel,
changed markup) must be a counted skip, never a crash.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.crawlers.conftest import CRAWL_ENV, WINDOW, read_spool
from waspada.crawl import run_crawl
from waspada.schema import validate_spool_record


def social_sources(base: str) -> list[dict]:
    def source(id_, kind, urls, **extra):
        return {"id": id_, "name": f"Mock {id_}", "platform": kind, "kind": kind, "urls": urls, "group": "sosmed", **extra}
    api = base + "/api/v1/timelines"
    return [
        source("masto-pemilu", "mastodon", [api + "/tag/pemilu2024?limit=40"], max_pages=2),
        source("masto-lokal", "mastodon", [api + "/public?local=true&limit=40"]),
        source("masto-galat", "mastodon", [api + "/tag/galat?limit=40"]),
        source("masto-sibuk", "mastodon", [api + "/tag/sibuk?limit=40"]),
        source("masto-lama", "mastodon", [api + "/tag/lama?limit=40"]),
        source("masto-rusak", "mastodon", [api + "/tag/rusak?limit=40"]),
        source("tg-kpu", "telegram", [base + "/s/kpu_mock"], max_pages=2),
        source("tg-kosong", "telegram", [base + "/s/kosong"]),
        source("tg-berubah", "telegram", [base + "/s/berubah"]),
        source("reddit-indonesia", "reddit", [base + "/r/indonesia/new.json?limit=100",
                                              base + "/r/indonesia/search.json?q=pemilu&restrict_sr=1&sort=new&limit=100"]),
    ]


@pytest.fixture(scope="module")
def social_crawl(mock_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("social-crawl")
    sources = root / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": social_sources(mock_server.base_url)}), encoding="utf-8")
    spool = root / "spool"
    report = run_crawl(sources, spool_dir=spool, window=WINDOW, group="sosmed", polite=False, timeout=120,
                       env={**CRAWL_ENV, "WASPADA_DATA_DIR": str(root / "data"), "WASPADA_CRAWL_MAX_RETRY_AFTER": "5"})
    return report, spool, mock_server.base_url


def posts(spool: Path, source_id: str) -> dict[str, dict]:
    return {r["native_id"]: r for r in read_spool(spool / source_id / f"{WINDOW}.jsonl")}


def test_social_spool_records_are_valid_and_complete(social_crawl):
    report, spool, _ = social_crawl
    assert not list(spool.rglob("*.part"))
    assert report["items_written"] == 19
    assert set(report["spiders"]) == {"mastodon", "telegram", "reddit"}
    for path in report["spool_files"]:
        for record in read_spool(path):
            validate_spool_record(record)
            assert record["kind"] == "post"
            assert record["native_id"] and record["url"] and record["author"] and record["published"]
            assert record["platform"] in {"mastodon", "telegram", "reddit"}
            assert record["raw_sha256"] and (spool / "blobs" / record["raw_sha256"][:2] / record["raw_sha256"]).is_file()
    for kind, log in report["logs"].items():
        assert "Spider closed (finished)" in Path(log).read_text(), kind


def test_mastodon_status_fields(social_crawl):
    _, spool, base = social_crawl
    instance = base.split("//", 1)[1]
    got = posts(spool, "masto-pemilu")
    # Two pages of the hashtag timeline (max_pages: 2); the third page is never fetched.
    assert sorted(got) == sorted(f"mastodon:{instance}:{n}" for n in (105, 104, 98, 102, 101))
    first = got[f"mastodon:{instance}:105"]
    assert first["url"] == f"{base}/@pantaupemilu/105"
    assert first["author"] == "pantaupemilu"
    assert first["text"] == "Rekapitulasi suara di TPS 12 Menteng sudah selesai, saksi semua paslon hadir. #pemilu2024"
    assert first["published"] == "2024-02-14T09:15:30+00:00"
    assert first["engagement"] == {"likes": 12, "shares": 4, "replies": 2}
    assert first["context"]["tags"] == ["pemilu2024"]
    reply = got[f"mastodon:{instance}:104"]
    assert reply["author"] == "warga_jkt@kolektiva.social"
    assert reply["text"] == ("Ada kabar surat suara sudah tercoblos di Bekasi?\nMohon dicek, jangan langsung disebar.\n"
                             "Foto surat suara yang diklaim sudah tercoblos")  # media description kept
    assert reply["context"]["in_reply_to"] == {"id": "99", "account_id": "10901"}
    assert reply["context"]["mentions"] == ["pantaupemilu"]
    boosted = got[f"mastodon:{instance}:98"]  # a boost is recorded as the boosted status
    assert boosted["author"] == "pantaupemilu" and boosted["context"]["boosted_by"] == "relawan_tps"
    assert boosted["engagement"] == {"likes": 40, "shares": 22, "replies": 9}
    titled = got[f"mastodon:{instance}:102"]
    assert titled["title"] == "Situasi TPS" and "mengular sejak pagi & petugas" in titled["text"]
    assert "page3" not in str(got) and all("tidak boleh" not in r["text"] for r in got.values())
    lokal = posts(spool, "masto-lokal")
    assert sorted(lokal) == [f"mastodon:{instance}:200", f"mastodon:{instance}:201"]


def test_mastodon_failures_are_counted_skips(social_crawl, mock_server):
    report, spool, base = social_crawl
    section = report["spiders"]["mastodon"]
    assert section["skipped"] == {"http_500": 1, "rate_limited": 1, "changed_markup": 1}
    reasons = {d["url"].replace(base, ""): (d["reason"], d["detail"]) for d in section["skip_details"]}
    assert reasons["/api/v1/timelines/tag/galat?limit=40"][0] == "http_500"
    reason, detail = reasons["/api/v1/timelines/tag/lama?limit=40"]
    assert reason == "rate_limited" and "3600 s" in detail and "WASPADA_CRAWL_MAX_RETRY_AFTER" in detail
    assert reasons["/api/v1/timelines/tag/rusak?limit=40"][0] == "changed_markup"
    # A 429 with a short Retry-After is waited out and retried: its post still arrives.
    assert len(posts(spool, "masto-sibuk")) == 1
    log = Path(report["logs"]["mastodon"]).read_text()
    assert "waiting 1.0 s as Retry-After asks" in log
    assert "Rate limit of" in log  # X-RateLimit-Remaining: 0 on page 2 held later requests back
    assert section["responses_by_status"]["429"] >= 2


def test_telegram_message_fields(social_crawl):
    _, spool, base = social_crawl
    got = posts(spool, "tg-kpu")
    assert sorted(got) == sorted(f"telegram:kpu_mock/{n}" for n in (98, 100, 101, 102, 103, 105, 107))
    forwarded = got["telegram:kpu_mock/102"]
    assert forwarded["url"] == f"{base}/kpu_mock/102"
    assert forwarded["author"] == "kpu_mock"
    assert forwarded["text"] == "HOAKS! Surat suara tercoblos di Bekasi.\nFaktanya: video lama 2019."
    assert forwarded["published"] == "2024-02-14T02:30:00+00:00"
    assert forwarded["engagement"] == {"views": 12500}
    assert forwarded["context"]["forwarded_from"] == {"name": "Bawaslu Mock", "url": f"{base}/bawaslu_mock/55"}
    photo = got["telegram:kpu_mock/103"]
    assert photo["text"] == "Infografis jadwal rekapitulasi suara tingkat kecamatan."  # the caption
    assert photo["context"]["media"] == ["photo"] and photo["context"]["signed_by"] == "Humas KPU"
    assert photo["engagement"] == {"views": 1200}
    reply = got["telegram:kpu_mock/105"]
    assert reply["text"] == "Benar, rekapitulasi dimulai besok pagi."  # not the quoted message
    assert reply["context"]["in_reply_to"] == {"url": f"{base}/kpu_mock/103"}
    assert reply["engagement"] == {"views": 3_400_000}
    assert got["telegram:kpu_mock/101"]["engagement"] == {"views": 987}
    assert got["telegram:kpu_mock/107"]["text"] == "Salinan-Keputusan-KPU-360-2024.pdf"
    assert got["telegram:kpu_mock/100"]["engagement"] == {"views": 45_000}  # from the ?before= page


def test_telegram_failures_are_counted_skips(social_crawl):
    report, _, base = social_crawl
    section = report["spiders"]["telegram"]
    assert section["skipped"] == {"changed_markup": 2, "empty_channel": 1, "no_text": 1}
    details = {(d["url"].replace(base, ""), d["reason"]): d["detail"] for d in section["skip_details"]}
    assert "no messages" in details[("/s/kosong", "empty_channel")]
    assert "Telegram changed its preview markup" in details[("/s/berubah", "changed_markup")]
    assert "data-post" in details[("/s/kpu_mock", "changed_markup")]
    assert "photo" in details[("/kpu_mock/104", "no_text")]


def test_reddit_post_fields_and_deleted_posts(social_crawl):
    report, spool, base = social_crawl
    got = posts(spool, "reddit-indonesia")
    assert sorted(got) == ["reddit:t3_1aqzz11", "reddit:t3_1ar4z0z", "reddit:t3_1ar5u1d", "reddit:t3_1ar5x9k"]
    post = got["reddit:t3_1ar5x9k"]
    assert post["url"] == f"{base}/r/indonesia/comments/1ar5x9k/slug/"
    assert post["author"] == "budi_santoso"
    assert post["title"] == "Debat capres malam ini, siapa yang paling meyakinkan?"
    assert post["text"].endswith("Diskusi santai soal debat ketiga Pilpres 2024.")
    assert post["published"] == "2024-02-14T12:00:00+00:00"
    assert post["engagement"] == {"likes": 154, "replies": 87}
    assert post["context"] == {"subreddit": "indonesia", "flair": "Politics"}
    link = got["reddit:t3_1ar5u1d"]
    assert link["context"]["linked_url"].startswith("https://www.antaranews.com/")
    assert got["reddit:t3_1aqzz11"]["engagement"] == {"likes": 77, "replies": 23}  # from the search listing
    section = report["spiders"]["reddit"]
    assert section["skipped"] == {"deleted": 2}
    details = {d["url"].replace(base, ""): d["detail"] for d in section["skip_details"]}
    assert "[deleted]" in details["/r/indonesia/comments/1ar5w2a/slug/"]
    assert "moderator" in details["/r/indonesia/comments/1ar5v7c/slug/"]
