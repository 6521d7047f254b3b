"""End to end on both backends: posts carrying a cyber-threat finding (waspada.threats.cyber)
become items whatever the model said, with the finding on the document; they can be filtered,
faceted and searched by kind, and the bundled rule calls the investigators once per kind.
Warnings, denials, fact-checks and outage news stay out."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

import waspada
from waspada.alerts.engine import AlertEngine
from waspada.alerts.rules import RuleError, load_rules, parse_rule
from waspada.alerts.store import AlertStore
from waspada.index.base import SearchQuery
from waspada.index.common import THREAT_SCORE, severity
from waspada.investigations import InvestigationStore
from waspada.threats.cyber import DETECTOR_ID
from lookalike_fixtures import index  # noqa: F401 - the fixture, on each backend
from pipeline_fixtures import by_url as _by_url, pipeline, spool

#: url, text, the kind stored, and every kind that fired.
THREATS = [
    ("https://t.me/s/leak/1", "Dijual data DPT pemilu 2024 lengkap NIK, 200 juta baris, minat PM",
     "data_leak", ["data_leak"]),
    ("https://t.me/s/leak/2", "Website KPU diretas tadi malam, halaman depan diganti tulisan hacked by anon",
     "hacking_claim", ["hacking_claim"]),
    ("https://t.me/s/leak/3", "KPU: klik link kpu-pemilih.info untuk verifikasi data pemilih Anda sebelum hari H",
     "phishing", ["phishing"]),
]
QUIET = [
    ("https://t.me/s/leak/20", "Sirekap sempat down, KPU sebut gangguan server dan sudah normal"),
    ("https://t.me/s/leak/21", "KPU membantah tudingan server pemilu mereka dibobol hacker"),
    ("https://t.me/s/leak/22", "KPU mengimbau warga waspada penipuan, KPU tidak pernah meminta kode OTP"),
]


def test_cyber_findings_are_items_with_their_evidence(index, tmp_path):
    path = spool(tmp_path / "spool", "2024-02-10T02-00", "2024-02-10T02:10:00+00:00",
                 [(url, text) for url, text, _, _ in THREATS] + QUIET)
    report = pipeline(index, tmp_path).run([path])
    index.refresh()

    assert dict(report.cyber) == {"data_leak": 1, "hacking_claim": 1, "phishing": 1}
    assert json.loads(json.dumps(report.as_dict()))["cyber"] == dict(report.cyber)
    assert report.skipped["not_flagged"] == len(QUIET) and dict(report.flagged) == {}
    docs = _by_url(index)
    assert set(docs) == {url for url, _, _, _ in THREATS}
    for url, _, kind, kinds in THREATS:
        doc = docs[url]
        cyber = doc["waspada"]["threats"]["cyber"]
        assert (cyber["kind"], cyber["kinds"], cyber["detector"]) == (kind, kinds, DETECTOR_ID)
        assert cyber["act"] and cyber["target"] and cyber["act"] in cyber["reason"]
        # The phishing post also names a look-alike of kpu.go.id, without http://: both findings.
        lookalikes = [r["domain"] for r in doc["waspada"]["threats"].get("lookalike", [])]
        assert lookalikes == (["kpu-pemilih.info"] if kind == "phishing" else [])
        # Not a label and not a score: the post is an alert with its evidence kept.
        assert doc["waspada"]["labels"] == [] and doc["event"]["kind"] == "alert"
        assert doc["waspada"]["evidence"]["sha256"]
        # Severity counts the finding as a confident flag (THREAT_SCORE), not the model's 0.1.
        assert severity(doc) == THREAT_SCORE

    assert index.facets("waspada.threats.cyber.kinds") == {"data_leak": 1, "hacking_claim": 1, "phishing": 1}
    hits = index.search(SearchQuery(cyber=("data_leak", "phishing"))).hits
    assert {h.doc["url"]["original"] for h in hits} == {"https://t.me/s/leak/1", "https://t.me/s/leak/3"}
    assert index.count(SearchQuery(text="diretas", cyber=("hacking_claim",))) == 1
    assert index.count(SearchQuery(text="diretas", cyber=("data_leak",))) == 0


def test_a_fact_check_of_a_leak_claim_is_not_a_leak(index, tmp_path):
    """A fact-check reports the claim in order to debunk it, even when its wording slips past the
    detector's denial words: fact-checks are never checked."""
    path = tmp_path / "spool" / "cek" / "2024-02-10T02-00.jsonl"
    path.parent.mkdir(parents=True)
    record = {"url": "https://cekfakta.example/1", "source_id": "cek", "platform": "factcheck",
              "title": "Dijual data DPT pemilu 2024 di forum gelap", "text": "Dijual data DPT pemilu 2024 lengkap NIK.",
              "fetched": "2024-02-10T02:10:00+00:00", "published": "2024-02-10T02:10:00+00:00"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = pipeline(index, tmp_path).run([path])
    assert dict(report.cyber) == {}


def test_the_bundled_rule_calls_investigators_once_per_kind(index, tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "")
    monkeypatch.setenv("WASPADA_ALERT_WEBHOOK_URL", "")
    path = spool(tmp_path / "spool", "2024-02-10T02-00", "2024-02-10T02:10:00+00:00",
                 [(url, text) for url, text, _, _ in THREATS] + QUIET)
    pipeline(index, tmp_path).run([path])
    index.refresh()
    rules = {r.name: r for r in load_rules(Path(waspada.__file__).parent / "alerts" / "default_rules")}
    engine = AlertEngine(index, AlertStore(tmp_path / "ops.db"), InvestigationStore(tmp_path / "ops.db"))
    try:
        fired = engine.run([rules["ancaman-siber-pemilu"]], now=datetime(2024, 2, 10, 3, 0, tzinfo=timezone.utc)).fired
        alerts = sorted((engine.alerts.get(i) for i in fired), key=lambda a: a.key)
        assert [a.key for a in alerts] == ["data_leak", "hacking_claim", "phishing"]
        for alert in alerts:
            inv = engine.investigations.get(alert.investigation_id)
            assert len(inv.items) == 1  # the post itself, for the investigator to open
        # The next window has nothing new: quiet.
        again = engine.run([rules["ancaman-siber-pemilu"]], now=datetime(2024, 2, 10, 3, 30, tzinfo=timezone.utc))
        assert again.fired == []
    finally:
        engine.alerts.close(), engine.investigations.close()


def test_a_rule_filter_names_only_known_cyber_kinds():
    with pytest.raises(RuleError, match="filter.cyber.*'ransom'.*phishing, data_leak, hacking_claim"):
        parse_rule({"name": "x", "type": "frequency", "window": "1h", "threshold": 1,
                    "filter": {"cyber": ["ransom"]}}, "rules.yaml", 0)
