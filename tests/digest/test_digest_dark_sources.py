"""Sources that went dark: the digest lists what source health disabled (a cool-down after repeated
failures, or by hand), with the last error and since when, in digest.json, the HTML, the PDF and
the text part; with nothing dark, the section is still there and says so."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from digest_helpers import DAY, pdf_pages
from waspada import config
from waspada.digest import build_digest, parse_day
from waspada.digest.render_text import render_text
from waspada.sources.health import SourceResult
from waspada.sources.store import DB_NAME, HealthStore

#: The digest is built at 07:00 WIB the morning after the day, like the DAG's run.
BUILT_AT = datetime(2024, 2, 11, 0, 0, tzinfo=timezone.utc)
NOTHING_DARK = "Tidak ada sumber yang nonaktif."

SOURCES = """
sources:
  - {id: portal-b, name: Portal B, platform: news, kind: feed, url: "https://portal-b.example/rss.xml"}
  - {id: kanal-x, name: Kanal X, platform: telegram, kind: telegram, url: "https://t.me/s/kanal_x"}
  - {id: pulih, name: Sumber Pulih, platform: news, kind: feed, url: "https://pulih.example/rss.xml"}
  - {id: goyah, name: Sumber Goyah, platform: news, kind: feed, url: "https://goyah.example/rss.xml"}
  - {id: mati, name: Mati di Berkas, platform: news, kind: feed, url: "https://mati.example/rss.xml", enabled: false}
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def fail(store: HealthStore, source: str, when: str, reason: str = "http_404", detail: str = "HTTP 404") -> None:
    result = SourceResult(failures={f"https://{source}.example/rss.xml": (reason, detail)})
    store.record_crawl({source: result}, now=at(when), window=at(when).strftime("%Y-%m-%dT%H-%M"))


@pytest.fixture
def health(data):
    """The source health store in STATE_DIR, with the sources file above."""
    (data / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    return HealthStore(config.get("STATE_DIR"))


def build(index):
    return build_digest(parse_day(DAY), index=index, backend="sqlite", now=BUILT_AT)


def test_disabled_and_cooling_down_sources_are_listed(sqlite_seeded, health):
    index, _ = sqlite_seeded
    # Three hard failures in a row reach the default threshold (3): a 24-hour cool-down from 04:00 UTC.
    for hour in ("02", "03", "04"):
        fail(health, "portal-b", f"2024-02-10T{hour}:00:00", detail="HTTP 404 <script>alert(1)</script>")
    health.disable("kanal-x", reason="<b>uji</b> kanal dipindah", now=at("2024-02-10T05:00:00"))
    # Not dark: a cool-down that ended before the digest was built, one failure below the
    # threshold, and a source switched off in the sources file (a decision, not a failure).
    for day in ("06", "07", "08"):
        fail(health, "pulih", f"2024-02-{day}T01:00:00")
    fail(health, "goyah", "2024-02-10T06:00:00")
    health.disable("mati", reason="sumber lama", now=at("2024-02-10T06:00:00"))

    result = build(index)
    dark = result.digest["dark_sources"]
    assert dark["as_of"] == "2024-02-11T00:00:00+00:00"
    assert [s["id"] for s in dark["sources"]] == ["portal-b", "kanal-x"]  # the longest dark first
    portal, kanal = dark["sources"]
    assert portal["name"] == "Portal B" and portal["state"] == "cooldown"
    assert portal["since"] == "2024-02-10T04:00:00+00:00" and portal["until"] == "2024-02-11T04:00:00+00:00"
    assert portal["last_error_at"] == "2024-02-10T04:00:00+00:00" and portal["last_error"].startswith("http_404: HTTP 404")
    assert portal["consecutive_failures"] == 3 and portal["failure_score"] == 3.0
    assert "skor kegagalan 3 mencapai ambang 3" in portal["reason"]
    assert kanal["state"] == "by_hand" and kanal["since"] == "2024-02-10T05:00:00+00:00" and kanal["until"] is None
    assert result.digest["headline"]["dark_sources"] == 2
    # The archived JSON is what was rendered.
    assert '"dark_sources"' in (result.folder / "digest.json").read_text(encoding="utf-8")

    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert "Sumber yang nonaktif (2)" in html and NOTHING_DARK not in html
    assert "Portal B" in html and "jeda otomatis" in html and "dinonaktifkan manual" in html
    assert "10-02-2024 11:00 WIB" in html and "11-02-2024 11:00 WIB" in html  # since and until, in WIB
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>uji</b>" not in html and "&lt;b&gt;uji&lt;/b&gt;" in html
    assert "Sumber Pulih" not in html and "Sumber Goyah" not in html and "Mati di Berkas" not in html

    pdf = " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
    assert "Sumber yang nonaktif (2)" in pdf and "Portal B (portal-b)" in pdf and "Kanal X (kanal-x)" in pdf
    assert "sampai diaktifkan lagi" in pdf

    text = render_text(result.digest)
    assert "Sumber nonaktif: 2" in text
    assert "Portal B (portal-b): jeda otomatis (terlalu sering gagal) sejak 10-02-2024 11:00 WIB" in text


def test_nothing_dark_is_said_in_every_rendering(sqlite_seeded, health):
    index, _ = sqlite_seeded
    fail(health, "goyah", "2024-02-10T06:00:00")  # failing, not yet disabled
    result = build(index)
    assert result.digest["dark_sources"] == {"as_of": "2024-02-11T00:00:00+00:00", "sources": []}
    assert result.digest["headline"]["dark_sources"] == 0
    html = (result.folder / "digest.html").read_text(encoding="utf-8")
    assert "Sumber yang nonaktif (0)" in html and NOTHING_DARK in html
    pdf = " ".join(text for text, _ in pdf_pages(result.folder / "digest.pdf"))
    assert NOTHING_DARK in pdf
    assert "Sumber nonaktif: 0" in render_text(result.digest)


def test_no_health_store_yet_means_nothing_dark_and_creates_none(sqlite_seeded, data):
    index, _ = sqlite_seeded
    result = build(index)
    assert result.digest["dark_sources"]["sources"] == []
    assert not (config.get("STATE_DIR") / DB_NAME).exists()


def test_an_archive_from_before_the_section_still_renders(sqlite_seeded, data):
    """Re-sending an older archive renders its digest.json again: without dark_sources it must work."""
    from waspada.digest.render_html import render_html
    from waspada.digest.render_pdf import render_pdf

    index, _ = sqlite_seeded
    result = build(index)
    old = {k: v for k, v in result.digest.items() if k != "dark_sources"}
    old["headline"] = {k: v for k, v in old["headline"].items() if k != "dark_sources"}
    html = render_html(old, {"trend": "cid:trend", "platforms": "cid:platforms"})
    assert "Sumber yang nonaktif (0)" in html and NOTHING_DARK in html
    assert "Sumber nonaktif: 0" in render_text(old)
    pngs = {name: (result.folder / file).read_bytes() for name, file in result.digest["charts"].items()}
    assert render_pdf(old, pngs).startswith(b"%PDF")
