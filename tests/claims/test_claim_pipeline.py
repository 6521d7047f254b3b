"""End to end on both backends: a crawled fact-check teaches a claim; a later social post that
repeats it in other words is flagged by the documented rule, shown, counted and alerted on."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from waspada.alerts.engine import AlertEngine
from waspada.alerts.rules import load_rules
from waspada.alerts.store import AlertStore
from waspada.claims.matcher import Weights
from waspada.claims.rule import raised_hoax_score
from waspada.claims.service import ClaimChecker
from waspada.claims.store import ClaimStore
from waspada.deadletter import DeadLetter
from waspada.dedup import DedupStore
from waspada.evidence import EvidenceStore
from waspada.index.base import SearchQuery
from waspada.investigations import InvestigationStore
from waspada.pipeline import Pipeline
from waspada.relevance import Lexicon
from waspada.spool import SpoolLedger

models = pytest.importorskip("models")

FACTCHECK = {
    "url": "https://cekfakta.test/2024/02/salah-server-kpu-diretas", "source_id": "cekfakta", "platform": "factcheck",
    "title": "[SALAH] Server KPU Diretas Hacker Tiongkok, Hasil Pemilu Diubah",
    "text": ("NARASI: “Server KPU sudah dibobol hacker China, suara paslon diubah semua!” PENJELASAN: KPU "
             "memastikan tidak ada peretasan; tangkapan layar itu berasal dari situs tiruan. REFERENSI: https://kpu.test/1"),
    "fetched": "2024-02-09T03:00:00+00:00", "published": "2024-02-09T09:00:00+07:00",
}
REPEAT = {
    "url": "https://t.me/s/kanal_pemilu/812", "source_id": "kanal", "platform": "telegram", "title": "",
    "text": "Hasil pemilu diubahhh!! server KPU diretas sama hacker dari Tiongkok, sebarkan #pemilu2024",
    "fetched": "2024-02-10T03:00:00+00:00", "published": "2024-02-10T09:10:00+07:00",
}
NEWS = {
    "url": "https://portal.test/kpu-dpt", "source_id": "portal", "platform": "news", "title": "KPU tetapkan DPT",
    "text": "KPU menetapkan daftar pemilih tetap Pemilu 2024 sebanyak 204 juta pemilih dalam rapat pleno terbuka.",
    "fetched": "2024-02-10T03:00:00+00:00", "published": "2024-02-10T09:20:00+07:00",
}


def _write(spool: Path, source: str, window: str, *records) -> Path:
    path = spool / source / f"{window}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture(scope="module")
def classifier():
    return models.load()


def _claim_pipeline(index, classifier, tmp_path, spool):
    """A pipeline that learns and matches debunked claims, indexing every post, and its checker."""
    checker = ClaimChecker(ClaimStore(tmp_path / "claims.db"), Weights.calibrated())
    pipe = Pipeline(index=index, classifier=classifier, lexicon=Lexicon.load(),
                    dedup=DedupStore(tmp_path / "dedup.db"), evidence=EvidenceStore(tmp_path / "evidence"),
                    deadletter=DeadLetter(tmp_path / "dead"), ledger=SpoolLedger(tmp_path / "spool.db"),
                    spool_dir=spool, index_all=True, claims=checker)
    return checker, pipe


def test_a_repeated_debunked_claim_is_flagged_shown_counted_and_alerted(index, classifier, tmp_path, monkeypatch):
    monkeypatch.setenv("WASPADA_ALERT_EMAIL_TO", "")
    monkeypatch.setenv("WASPADA_ALERT_WEBHOOK_URL", "")
    spool = tmp_path / "spool"
    first = _write(spool, "cekfakta", "2024-02-09T03-00", FACTCHECK)
    later = _write(spool, "kanal", "2024-02-10T03-00", REPEAT, NEWS)
    checker, pipe = _claim_pipeline(index, classifier, tmp_path, spool)
    report = pipe.run([first, later])
    assert report.claims_learned == 1 and report.claim_matches == 1
    index.refresh()

    docs = {h.doc["url"]["original"]: h.doc for h in index.search(SearchQuery(size=10)).hits}
    repeat = docs[REPEAT["url"]]["waspada"]
    match = repeat["claim_match"]
    factcheck_id = docs[FACTCHECK["url"]]["waspada"]["id"]
    assert match["claim_id"] == factcheck_id
    assert match["verdict"] == "SALAH" and match["url"] == FACTCHECK["url"]
    assert match["title"] == "Server KPU Diretas Hacker Tiongkok, Hasil Pemilu Diubah"
    # The documented rule: raised to at least the model's threshold, growing with similarity.
    threshold = classifier.thresholds["hoax"]
    assert "hoax" in repeat["labels"]
    assert repeat["scores"]["hoax"] == pytest.approx(raised_hoax_score(match["model_hoax"], match["similarity"], threshold), abs=1e-5)
    assert repeat["scores"]["hoax"] >= threshold
    # Ordinary news on the same institution, and the fact-check itself, carry no match.
    assert "claim_match" not in docs[NEWS["url"]]["waspada"]
    assert "claim_match" not in docs[FACTCHECK["url"]]["waspada"]
    assert "hoax" not in docs[FACTCHECK["url"]]["waspada"]["labels"]

    # Analysts and alert rules can group by the claim.
    assert index.facets("waspada.claim_match.claim_id", SearchQuery()) == {factcheck_id: 1}
    rules = {r.name: r for r in load_rules(Path(__import__("waspada").__file__).parent / "alerts" / "default_rules")}
    engine = AlertEngine(index, AlertStore(tmp_path / "ops.db"), InvestigationStore(tmp_path / "ops.db"))
    fired = engine.run([rules["klaim-terbantah-beredar-lagi"]], now=datetime(2024, 2, 10, 3, 30, tzinfo=timezone.utc)).fired
    assert len(fired) == 1 and engine.alerts.get(fired[0]).key == factcheck_id
    engine.alerts.close(), engine.investigations.close()

    # The claims store survives the run: a new pipeline process knows the claim without re-crawling.
    checker.close()  # not pipe.close(): the index fixture closes the index
    again = ClaimChecker(ClaimStore(tmp_path / "claims.db"), Weights.calibrated())
    assert again.check(REPEAT["text"]).claim.id == factcheck_id
    again.close()


def test_a_spool_file_matched_as_one_batch_gets_the_matches_of_one_post_at_a_time(index, classifier, tmp_path):
    from waspada.pipeline import classification_text

    spool = tmp_path / "spool"
    first = _write(spool, "cekfakta", "2024-02-09T03-00", FACTCHECK)
    posts = [REPEAT, NEWS,
             {**REPEAT, "url": "https://t.me/s/kanal_pemilu/813", "text": "Server KPU diretas hacker, hasil pemilu diubah!"},
             {**NEWS, "url": "https://portal.test/debat", "title": "Debat capres", "text": "Debat capres ketiga berlangsung panas."}]
    later = _write(spool, "kanal", "2024-02-10T03-00", *posts)
    checker, pipe = _claim_pipeline(index, classifier, tmp_path, spool)
    report = pipe.run([first, later])
    index.refresh()
    docs = {h.doc["url"]["original"]: h.doc["waspada"] for h in index.search(SearchQuery(size=10)).hits}
    assert report.indexed == 5 and report.claim_matches == 2
    for post in posts:
        one = checker.check(classification_text(post))
        found = docs[post["url"]].get("claim_match")
        if one is None:
            assert found is None
        else:  # the stored record is the match's, plus the model's own score
            assert {k: v for k, v in found.items() if k != "model_hoax"} == one.as_dict()
    checker.close()
