"""End to end on both backends: posts hosted on or pushing look-alikes of the election bodies'
domains become items (indexed though the model flagged nothing), are filterable and facetable,
and drive the bundled alert rule once per new domain; near misses stay out."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import waspada
from waspada.alerts.engine import AlertEngine
from waspada.alerts.rules import load_rules
from waspada.alerts.store import AlertStore
from waspada.index.base import SearchQuery
from waspada.investigations import InvestigationStore
from lookalike_fixtures import index  # noqa: F401 - the fixture, on each backend
from pipeline_fixtures import by_url as _by_url, pipeline as _pipeline, spool as _spool

CYRILLIC_KPU = "k\u0440u.com"  # Cyrillic er: reads as kpu.com
#: url, text, and the look-alikes the post must carry: (domain as stored, official, kind, where).
LOOKALIKES = [
    ("https://t.me/s/info_pemilu/1", f"Cek nama kamu di DPT sekarang: https://{CYRILLIC_KPU}/dpt sebelum dihapus",
     [("xn--ku-lmc.com", "kpu.go.id", "homoglyph", "link")]),
    ("https://t.me/s/info_pemilu/2", "Lapor kecurangan pemilu lewat https://bawaslu-ri.org/lapor ya",
     [("bawaslu-ri.org", "bawaslu.go.id", "added_words", "link")]),
    ("https://t.me/s/info_pemilu/3", "Hasil resmi pilpres sudah keluar di https://kpu.com/hasil cek segera",
     [("kpu.com", "kpu.go.id", "tld_swap", "link")]),
    ("https://t.me/s/info_pemilu/4", "Verifikasi data pemilih tetap di https://kpu.go.id.verifikasi-dpt.com/login",
     [("kpu.go.id.verifikasi-dpt.com", "kpu.go.id", "embedded", "link")]),
    # Hosted on a look-alike itself, and pushing another one.
    ("https://infokpu.com/berita/tps", "TPS dipindah, cek lokasi baru di https://kpu.com/tps",
     [("infokpu.com", "kpu.go.id", "added_words", "post"), ("kpu.com", "kpu.go.id", "tld_swap", "link")]),
    # No election word at all: the look-alike alone keeps it (impersonating Bawaslu is about the election).
    ("https://t.me/s/promo/9", "Klaim hadiah Rp 5 juta, isi data diri di https://bawas1u.net/klaim sekarang juga",
     [("bawas1u.net", "bawaslu.go.id", "homoglyph", "link")]),
]
#: Election posts linking to real or merely similar domains: never look-alikes, so never indexed here.
NEAR_MISSES = [
    ("https://t.me/s/info_pemilu/20", "KPK periksa dana kampanye pemilu, rilis di https://kpk.go.id/berita"),
    ("https://t.me/s/info_pemilu/21", "KPPU awasi iklan kampanye pilpres https://kppu.com/x"),
    ("https://t.me/s/info_pemilu/22", "Rekap suara TPS Jawa Timur ada di https://jatim.kpu.go.id/dpt"),
    ("https://t.me/s/info_pemilu/23", "Jadwal debat pilkada Jatim di https://kpu-jatimprov.go.id/info"),
    ("https://t.me/s/info_pemilu/24", "Pengumuman resmi KPU di https://kpu.go.id/berita/pemilu"),
]


def test_lookalike_posts_are_items_near_misses_are_not(index, tmp_path):
    path = _spool(tmp_path / "spool", "2024-02-10T02-00", "2024-02-10T02:10:00+00:00",
                  [(url, text) for url, text, _ in LOOKALIKES] + NEAR_MISSES)
    report = _pipeline(index, tmp_path).run([path])
    index.refresh()

    assert report.lookalike_posts == len(LOOKALIKES) and report.lookalike_not_election == 1
    assert report.skipped["not_flagged"] == len(NEAR_MISSES)
    assert dict(report.flagged) == {}  # the model flagged nothing
    docs = _by_url(index)
    assert set(docs) == {url for url, _, _ in LOOKALIKES}
    for url, _, expected in LOOKALIKES:
        w = docs[url]["waspada"]
        got = [(r["domain"], r["official"], r["kind"], r["where"]) for r in w["threats"]["lookalike"]]
        assert got == expected, url
        assert all(r["detail"] for r in w["threats"]["lookalike"])
        # Not a label and not a score: the model's scores stand, the post is still an alert.
        assert w["labels"] == [] and w["scores"] == {"hoax": 0.1, "provocation": 0.05}
        assert docs[url]["event"]["kind"] == "alert" and w["evidence"]["sha256"]
    assert index.count(SearchQuery(min_score=0.5)) == 0

    # Facetable and filterable on both backends.
    assert index.facets("waspada.threats.lookalike.domain") == {
        "kpu.com": 2, "xn--ku-lmc.com": 1, "bawaslu-ri.org": 1, "kpu.go.id.verifikasi-dpt.com": 1,
        "infokpu.com": 1, "bawas1u.net": 1}
    assert index.facets("waspada.threats.lookalike.official") == {"kpu.go.id": 4, "bawaslu.go.id": 2}
    assert {h.doc["url"]["original"] for h in index.search(SearchQuery(lookalikes=("kpu.com",))).hits} == {
        "https://t.me/s/info_pemilu/3", "https://infokpu.com/berita/tps"}
    assert index.count(SearchQuery(domains=("infokpu.com",))) == 1


def test_the_bundled_rule_fires_once_per_new_lookalike_domain(index, tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "")
    monkeypatch.setenv("WASPADA_ALERT_WEBHOOK_URL", "")
    pipe = _pipeline(index, tmp_path)
    first = _spool(tmp_path / "spool", "2024-02-10T02-00", "2024-02-10T02:10:00+00:00",
                   [(url, text) for url, text, _ in LOOKALIKES[1:3]] + NEAR_MISSES)
    pipe.run([first])
    index.refresh()
    rules = {r.name: r for r in load_rules(Path(waspada.__file__).parent / "alerts" / "default_rules")}
    rule = rules["domain-tiruan-baru"]
    engine = AlertEngine(index, AlertStore(tmp_path / "ops.db"), InvestigationStore(tmp_path / "ops.db"))
    try:
        fired = engine.run([rule], now=datetime(2024, 2, 10, 3, 30, tzinfo=timezone.utc)).fired
        alerts = [engine.alerts.get(i) for i in fired]
        assert sorted(a.key for a in alerts) == ["bawaslu-ri.org", "kpu.com"]
        inv = engine.investigations.get(alerts[0].investigation_id)
        assert len(inv.items) == 1  # the post that pushed it, for the analyst to open

        # Two hours later: kpu.com again (known: quiet) and a domain never seen before (fires).
        later = _spool(tmp_path / "spool", "2024-02-10T04-00", "2024-02-10T04:10:00+00:00",
                       [("https://t.me/s/info_pemilu/30", "Hasil pilpres terbaru di https://kpu.com/hasil2"),
                        ("https://t.me/s/info_pemilu/31", "Cek DPT: https://kpu.go.id.verifikasi-dpt.com/cek")])
        pipe.run([later])
        index.refresh()
        fired = engine.run([rule], now=datetime(2024, 2, 10, 5, 30, tzinfo=timezone.utc)).fired
        assert [engine.alerts.get(i).key for i in fired] == ["kpu.go.id.verifikasi-dpt.com"]
        # The same windows again fire nothing.
        assert engine.run([rule], now=datetime(2024, 2, 10, 5, 30, tzinfo=timezone.utc)).fired == []
    finally:
        engine.alerts.close(), engine.investigations.close()
