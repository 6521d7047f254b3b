"""A fixed fortnight of flagged posts around one WIB day, and the other inputs of a digest
(alerts, investigations, crawl reports), for the digest tests (imported by name: pytest puts
tests/digest on sys.path; the DAG test adds it itself).

The day is Saturday 10 February 2024 WIB: 2024-02-09T17:00Z up to 2024-02-10T17:00Z.
"""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from waspada.schema import build_document

DAY = "2024-02-10"
#: The day's first moment in UTC (00:00 WIB).
START = datetime(2024, 2, 9, 17, 0, tzinfo=timezone.utc)
END = START + timedelta(days=1)
SCRIPT_TITLE = '<script>alert("x")</script> Surat suara sudah dicoblos 🔥🤬 “kata saksi”'
_counter = itertools.count()


def post(when: datetime, *, labels=("hoax",), score: float = 0.9, regions=("Aceh",), source: str = "kanal-a",
         platform: str = "telegram", views: int = 0, title: str | None = None, source_name: str | None = None,
         cyber: dict | None = None, lookalikes: list | None = None) -> dict:
    """One flagged post; ``cyber`` and ``lookalikes`` are threat findings as waspada.schema stores them."""
    n = next(_counter)
    record = {"url": f"https://{source}.example/pos/{n}", "native_id": f"d{n}", "source_id": source,
              "source_name": source_name or f"Sumber {source}", "platform": platform,
              "published": when.isoformat(), "fetched": when.isoformat(), "title": title or f"Pos uji {n}",
              "text": f"Pos nomor {n} tentang surat suara pemilu", "engagement": {"views": views}}
    scores = {label: (score if label in labels else 0.05) for label in ("hoax", "provocation")}
    return build_document(record, relevance={"terms": ["pemilu"], "regions": list(regions), "entities": []},
                          scores=scores, labels=list(labels), model_id="test-model", evidence={},
                          ingested=when.isoformat(), cyber=cyber, lookalikes=lookalikes)


def wib(day_offset: int, hour: float) -> datetime:
    """``hour`` o'clock WIB on the day ``day_offset`` days from the digest day, in UTC."""
    return START + timedelta(days=day_offset, hours=hour)


def seed_documents() -> dict[str, dict]:
    """The posts by name (see the expectations in test_digest_numbers.py)."""
    docs = {
        # On the day: its first second and its last minute both belong to it.
        "A": post(START, labels=("hoax",), score=0.9, views=100),
        "B": post(END - timedelta(minutes=1), labels=("provocation",), score=0.8, platform="news",
                  source="portal-b", regions=("Papua",), views=10),
        "C": post(wib(0, 10), labels=("hoax", "provocation"), score=0.7, regions=("Aceh", "Jawa Barat"),
                  views=100_000, title=SCRIPT_TITLE),
        "D": post(wib(0, 12), labels=("hoax",), score=0.95, platform="mastodon", source="akun-c", regions=()),
        # Just outside: 17:00 UTC is the next WIB day; 16:59:59 UTC the day before (in the baseline).
        "E": post(END, labels=("hoax",), platform="youtube", source="kanal-e"),
        "F": post(START - timedelta(seconds=1), labels=("provocation",), platform="news", source="portal-b",
                  regions=("Papua",)),
        # A source that was active in the week before and silent on the day.
        "H": post(wib(-2, 12), labels=("hoax",), platform="news", source="sepi", regions=("Bali",)),
        # Eight days before: in the trend, not in the baseline.
        "I": post(wib(-8, 10), labels=("hoax",)),
    }
    for k in range(1, 8):
        docs[f"G{k}"] = post(wib(-k, 10), labels=("hoax",))
    return docs


def add(index, docs) -> None:
    result = index.upsert(list(docs))
    assert result.failed == [], result.failed
    index.refresh()


def seed_index(index) -> dict[str, dict]:
    docs = seed_documents()
    add(index, docs.values())
    return docs


def seed_operations(db: Path) -> None:
    """Alerts and investigations in and around the day, in the operations database ``db``."""
    from waspada.alerts.conditions import Firing
    from waspada.alerts.store import AlertStore
    from waspada.investigations import InvestigationStore

    alerts = AlertStore(db)
    for n, fired in enumerate([START, END - timedelta(seconds=1), END, START - timedelta(seconds=1)]):
        firing = Firing(rule="hoaks-per-wilayah", key=f"Wilayah {n}", start=fired - timedelta(hours=1), end=fired,
                        count=3 + n, summary=f"{3 + n} hoaks dalam 1 jam di Wilayah {n} <b>tebal</b>")
        assert alerts.record(firing, "frequency", notify=[], now=fired) is not None
    alerts.close()

    invs = InvestigationStore(db)
    invs.open("Dibuka pada hari itu", "siti", at="2024-02-09T17:00:00+00:00")
    before = invs.open("Dibuka sehari sebelumnya", "siti", at="2024-02-09T16:59:59+00:00")
    invs.set_status(before, "closed", "siti", at="2024-02-10T08:00:00+00:00")
    invs.open("Dibuka keesokan harinya", "budi", at="2024-02-10T17:00:00+00:00")
    invs.close()


SOURCES_YAML = """
sources:
  - {id: portal-b, name: Portal B, platform: news, kind: feed, url: "https://portal-b.example/rss.xml", group: grup-a}
  - {id: kanal-x, name: Kanal X, platform: news, kind: feed, url: "https://kanal-x.example/feed", group: grup-a}
"""


def _section(finished: str, *, reason: str = "finished", errors: int = 0, skipped=None, details=()) -> dict:
    """A spider section with every key crawlers/extensions/crawl_report.py writes."""
    return {"started": finished, "finished": finished, "finish_reason": reason, "pages_fetched": 10,
            "items_written": 8, "items_by_source": {}, "skipped": dict(skipped or {}), "spool_files": [],
            "blobs_written": 8, "requests": 12, "responses_by_status": {"200": 10},
            "http_cache": {"hit": 0, "miss": 12, "revalidate": 0, "store": 12}, "errors": errors,
            "skip_details": [{"url": u, "reason": r, "detail": d} for u, r, d in details]}


def write_crawl_reports(spool: Path) -> None:
    """Crawl reports in ``<spool>/_stats``, written with the crawler's own report writer."""
    import os

    from crawlers.extensions.crawl_report import merge_report

    stats = spool / "_stats"
    # Failed (fetch failures) on the day; its article spider is fine (content skips only).
    report = stats / "grup-a-2024-02-10T01-00.json"
    merge_report(report, "feed", _section(
        "2024-02-10T01:10:00+00:00", skipped={"http_503": 2, "timeout": 1, "duplicate": 5},
        details=[("https://portal-b.example/rss.xml", "http_503", "HTTP 503"),
                 ("https://kanal-x.example/artikel/1", "timeout", "took longer than 30 s"),
                 ("https://tak-dikenal.example/a", "http_503", "HTTP 503"),
                 ("https://portal-b.example/berita/1", "duplicate", "seen")]),
        scope="grup-a", window="2024-02-10T01-00")
    merge_report(report, "article", _section("2024-02-10T01:12:00+00:00", skipped={"no_text": 3, "robots_disallowed": 1}),
                 scope="grup-a", window="2024-02-10T01-00")
    # Stopped and logging an error, on the day.
    merge_report(stats / "portal-z-2024-02-10T05-00.json", "feed",
                 _section("2024-02-10T05:30:00+00:00", reason="shutdown", errors=1),
                 scope="portal-z", window="2024-02-10T05-00")
    # Failed, but finished on the next WIB day.
    merge_report(stats / "grup-a-2024-02-10T17-00.json", "feed",
                 _section("2024-02-10T17:05:00+00:00", skipped={"http_500": 4}),
                 scope="grup-a", window="2024-02-10T17-00")
    # Clean, on the day.
    merge_report(stats / "grup-b-2024-02-10T02-00.json", "feed",
                 _section("2024-02-10T02:05:00+00:00", skipped={"duplicate": 2, "empty_feed": 1}),
                 scope="grup-b", window="2024-02-10T02-00")
    # Unreadable, written on the day; and another unreadable one written long before.
    broken = stats / "rusak-2024-02-10T03-00.json"
    broken.write_text('{"spiders": {', encoding="utf-8")
    moment = datetime(2024, 2, 10, 3, 1, tzinfo=timezone.utc).timestamp()
    os.utime(broken, (moment, moment))
    old = stats / "lama-2024-01-01T00-00.json"
    old.write_text("not json", encoding="utf-8")
    moment = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
    os.utime(old, (moment, moment))


def settings_env(monkeypatch, data: Path, **extra: str) -> None:
    """Point every setting the digest reads into ``data``."""
    for name, value in {"WASPADA_DATA_DIR": str(data), "WASPADA_DIGEST_EMAIL_TO": "", "WASPADA_SMTP_HOST": "",
                        "WASPADA_PUBLIC_URL": "https://waspada.example", "WASPADA_DIGEST_TOP_ITEMS": "10",
                        "WASPADA_SOURCES_PATH": str(data / "sources.yaml"), **extra}.items():
        monkeypatch.setenv(name, value)
    for name in ("WASPADA_SPOOL_DIR", "WASPADA_WEB_DB", "WASPADA_DIGEST_DIR", "WASPADA_SQLITE_PATH", "WASPADA_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    data.mkdir(parents=True, exist_ok=True)
    (data / "sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def pdf_pages(path) -> list[tuple]:
    """(text, rendered image) of each page of the PDF at ``path``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for n in range(len(doc)):
            page = doc[n]
            # Whitespace collapsed: table cells wrap lines wherever the column ends.
            text = " ".join(page.get_textpage().get_text_range().split())
            image = page.render(scale=1.0).to_pil().convert("RGB")
            pages.append((text, image))
        return pages
    finally:
        doc.close()
