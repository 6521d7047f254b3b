"""The pipeline from spool to index with the real model and the real SQLite index."""
import hashlib
import json

import pytest

from waspada.deadletter import DeadLetter
from waspada.dedup import DedupStore
from waspada.evidence import EvidenceStore
from waspada.index.base import SearchQuery
from waspada.index.sqlite import SqliteIndex as SQLiteIndex
from waspada.pipeline import Pipeline
from waspada.relevance import Lexicon
from waspada.spool import SpoolLedger

models = pytest.importorskip("models")

FETCHED = "2024-02-10T03:00:00+00:00"
POSTS = [
    ("https://portal.test/hoaks-surat-suara", "Beredar surat suara sudah dicoblos untuk paslon 02",
     "Viral! Ribuan surat suara sudah tercoblos ditemukan di gudang KPU Jakarta, sebarkan sebelum dihapus!"),
    ("https://portal.test/kpu-dpt", "KPU tetapkan DPT Pemilu 2024",
     "Komisi Pemilihan Umum menetapkan daftar pemilih tetap sebanyak 204 juta pemilih dalam rapat pleno terbuka."),
    ("https://portal.test/provokasi", "Serbu kantor KPU!",
     "Kumpulkan massa, serbu dan bakar kantor KPU, usir semua petugas yang curang itu dari kampung kita!"),
    ("https://portal.test/bola", "Timnas menang",
     "Timnas Indonesia menang dua gol tanpa balas atas Vietnam di Stadion Gelora Bung Karno tadi malam."),
]


def _record(url, title, text, spool, **extra):
    raw = f"<html><title>{title}</title><body>{text}</body></html>".encode()
    sha = hashlib.sha256(raw).hexdigest()
    (spool / "blobs" / sha[:2]).mkdir(parents=True, exist_ok=True)
    (spool / "blobs" / sha[:2] / sha).write_bytes(raw)
    rec = {"url": url, "source_id": "portal", "source_name": "Portal Uji", "platform": "news", "title": title,
           "text": text, "fetched": FETCHED, "published": "2024-02-10T09:00:00+07:00", "raw_sha256": sha,
           "http": {"status": 200, "content_type": "text/html"}}
    rec.update(extra)
    return rec


@pytest.fixture(scope="module")
def classifier():
    return models.load()


def _spool(tmp_path):
    spool = tmp_path / "spool"
    lines = [json.dumps(_record(*post, spool)) for post in POSTS]
    lines.append(json.dumps(_record(*POSTS[1], spool)))  # same URL twice in a window
    lines.append(json.dumps(_record("https://lain.test/salinan", "Judul lain, isi sama", POSTS[0][2], spool)))
    lines.append("{not json")
    lines.append(json.dumps({"url": "https://portal.test/kosong", "source_id": "portal", "platform": "news",
                             "text": "", "fetched": FETCHED}))
    lines.append(json.dumps([1, 2]))
    path = spool / "portal" / "2024-02-10T03-00.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")
    return spool, path


def _pipeline(tmp_path, spool, classifier, index_all=False):
    index = SQLiteIndex(tmp_path / "index.db")
    index.ensure()
    return Pipeline(index=index, classifier=classifier, lexicon=Lexicon.load(),
                    dedup=DedupStore(tmp_path / "state" / "dedup.db"), evidence=EvidenceStore(tmp_path / "evidence"),
                    deadletter=DeadLetter(tmp_path / "dead"), ledger=SpoolLedger(tmp_path / "state" / "spool.db"),
                    spool_dir=spool, index_all=index_all)


def test_every_record_ends_somewhere(tmp_path, classifier):
    spool, path = _spool(tmp_path)
    pipe = _pipeline(tmp_path, spool, classifier, index_all=True)
    report = pipe.run()
    assert report.read == 9
    assert report.deadlettered == 3
    assert report.skipped["duplicate_url"] == 1
    assert report.skipped["duplicate_near"] + report.skipped["duplicate_exact"] == 1
    assert report.skipped["not_election"] == 1
    assert report.election == 3 and report.classified == 3
    assert report.indexed == 3  # index_all: every election post, flagged or not
    letters = [json.loads(l) for l in (tmp_path / "dead").glob("*.jsonl").__next__().read_text().splitlines()]
    assert {l["stage"] for l in letters} == {"parse", "validate"}
    assert any("'text' must be a non-empty str" in l["reason"] for l in letters)
    assert all(l["origin"].startswith("portal/2024-02-10T03-00.jsonl:") for l in letters)
    pipe.close()


def test_flagged_posts_keep_verified_evidence_and_model_id(tmp_path, classifier):
    spool, _ = _spool(tmp_path)
    pipe = _pipeline(tmp_path, spool, classifier)
    report = pipe.run()
    hits = pipe.index.search(SearchQuery(size=50)).hits
    assert report.indexed == len(hits) == sum(1 for _ in hits)
    assert report.indexed == report.classified - report.skipped["not_flagged"]
    store = EvidenceStore(tmp_path / "evidence")
    for hit in hits:
        w = hit.doc["waspada"]
        assert w["labels"] and w["model"]["id"] == classifier.model_id
        data = store.open(w["evidence"]["sha256"])  # verifies the hash
        assert w["post"]["title"].encode() in data
        assert store.sightings(w["evidence"]["sha256"])[0]["url"] == hit.doc["url"]["original"]
    pipe.close()


def test_rerun_is_idempotent(tmp_path, classifier):
    spool, path = _spool(tmp_path)
    pipe = _pipeline(tmp_path, spool, classifier, index_all=True)
    first = pipe.run()
    count = pipe.index.count()
    again = pipe.run()
    assert again.files_already_done == 1 and again.read == 0
    forced = pipe.run(force=True)  # reprocessing the same bytes overwrites the same ids
    assert forced.indexed == first.indexed and pipe.index.count() == count == first.indexed
    pipe.close()


def test_index_outage_leaves_the_file_for_the_next_run(tmp_path, classifier):
    import socket

    from waspada.index.base import IndexError_
    from waspada.index.elastic import ElasticIndex

    with socket.socket() as sock:  # a port nobody listens on: a real refused connection
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    spool, path = _spool(tmp_path)
    pipe = _pipeline(tmp_path, spool, classifier, index_all=True)
    pipe.index.close()
    pipe.index = ElasticIndex(f"http://127.0.0.1:{dead_port}", "outage-test", retry_seconds=2, timeout=1)
    with pytest.raises(IndexError_, match="stay in the spool"):
        pipe.run()
    recovered = _pipeline(tmp_path, spool, classifier, index_all=True)
    report = recovered.run()
    assert report.files == 1 and report.indexed == 3  # nothing was lost, nothing marked done early
    recovered.close()


class _ChokesOnPoison:
    """The real model, made to fail on one post the way a broken tokenizer input would."""

    def __init__(self, real):
        self.real, self.model_id = real, real.model_id

    def predict(self, texts, batch_size=32):
        if any("RACUN" in t for t in texts):
            raise RuntimeError("input tensor has an invalid shape")
        return self.real.predict(texts, batch_size=batch_size)


def test_a_post_the_model_chokes_on_is_dead_lettered_alone(tmp_path, classifier):
    spool, path = _spool(tmp_path)
    with open(path, "a") as fh:
        fh.write(json.dumps(_record("https://portal.test/racun", "KPU RACUN", "Pemilu RACUN data rusak", spool)) + "\n")
    pipe = _pipeline(tmp_path, spool, _ChokesOnPoison(classifier), index_all=True)
    report = pipe.run()
    assert report.deadlettered == 4 and report.indexed == 3  # the three good election posts still land
    pipe.close()


def test_fact_checks_are_never_flagged_as_hoax(tmp_path, classifier):
    spool = tmp_path / "spool"
    debunk = _record("https://cekfakta.test/salah-surat-suara", "[SALAH] Surat suara sudah dicoblos untuk paslon 02",
                     "Beredar klaim ribuan surat suara sudah tercoblos ditemukan di gudang KPU. Faktanya, KPU "
                     "memastikan video itu rekaman lama dan tidak terkait Pemilu 2024.", spool, platform="factcheck")
    path = spool / "cekfakta" / "2024-02-10T03-00.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(debunk) + "\n")
    pipe = _pipeline(tmp_path, spool, classifier, index_all=True)
    report = pipe.run()
    [hit] = pipe.index.search(SearchQuery()).hits
    assert "hoax" not in hit.doc["waspada"]["labels"]
    assert hit.doc["waspada"]["scores"]["hoax"] > 0  # the score is still on record
    pipe.close()


def test_social_copies_are_kept_and_tied_to_the_first_post(tmp_path, classifier):
    """News syndication is skipped, but the same text from many accounts is amplification:
    kept, each copy carrying the first post's id as its cluster, and its hashtags."""
    spool = tmp_path / "spool"
    claim = ("Viral! Surat suara sudah tercoblos ditemukan di gudang KPU, sebarkan sebelum dihapus "
             "#pemilucurang #KPU2024")
    lines = [json.dumps(_record(f"https://t.me/s/kanal{i}/{i}", "", claim, spool, platform="telegram",
                                source_id=f"kanal{i}", native_id=str(i), author=f"@akun{i}")) for i in range(4)]
    lines.append(json.dumps(_record("https://portal.test/salinan-berita", "Salinan", claim, spool)))
    path = spool / "social" / "2024-02-10T03-00.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")
    pipe = _pipeline(tmp_path, spool, classifier, index_all=True)
    report = pipe.run()
    assert report.kept_copies == 3 and report.skipped["duplicate_exact"] == 1  # the news copy
    docs = [h.doc for h in pipe.index.search(SearchQuery(size=50)).hits]
    assert len(docs) == 4
    first = next(d for d in docs if d["waspada"]["post"]["author"] == "@akun0")["waspada"]["id"]
    assert {d["waspada"]["cluster"] for d in docs} == {first}
    assert all(d["waspada"]["post"]["hashtags"] == ["pemilucurang", "kpu2024"] for d in docs)
    assert pipe.index.facets("waspada.cluster") == {first: 4}
    pipe.close()


class _HoaxScoreIs:
    """The real model's output with its hoax score set: the rule, not the model, is under test."""

    def __init__(self, real, hoax):
        self.real, self.model_id, self.hoax = real, real.model_id, hoax
        self.thresholds = dict(real.thresholds)

    def predict(self, texts, batch_size=32):
        out = self.real.predict(texts, batch_size=batch_size)
        for result in out:
            result["scores"]["hoax"] = self.hoax
            result["labels"] = sorted(set(result["labels"]) - {"hoax"} | ({"hoax"} if self.hoax >= self.thresholds["hoax"] else set()))
        return out


@pytest.mark.parametrize("hoax, kompas_flagged", [(0.9, False), (0.99, True)])
def test_registered_outlets_need_a_claim_match_or_an_overwhelming_score(tmp_path, classifier, hoax, kompas_flagged):
    from waspada.hoax_rule import SourceRegistry

    spool = tmp_path / "spool"
    text = "Surat suara pemilu sudah dicoblos sebelum hari pemungutan di TPS, KPU diam saja, sebarkan!"
    lines = [_record("https://www.kompas.com/read/1", "Surat suara", text, spool),
             _record("https://blog.test/1", "Surat suara", text + " Viralkan.", spool, platform="blog")]
    path = spool / "mixed" / "2024-02-10T03-00.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    pipe = _pipeline(tmp_path, spool, _HoaxScoreIs(classifier, hoax), index_all=True)
    pipe.registry = SourceRegistry.from_mapping({"mainstream": {"domains": ["kompas.com"]}})
    pipe.run()
    docs = {h.doc["url"]["domain"]: h.doc["waspada"] for h in pipe.index.search(SearchQuery()).hits}
    assert ("hoax" in docs["www.kompas.com"]["labels"]) is kompas_flagged
    assert docs["www.kompas.com"]["hoax_decision"]["rule"] == ("registered_overwhelming" if kompas_flagged else "registered_below")
    assert docs["www.kompas.com"]["scores"]["hoax"] == hoax  # the score stays on record either way
    assert "hoax" in docs["blog.test"]["labels"] and docs["blog.test"]["hoax_decision"]["rule"] == "model"
    assert docs["blog.test"]["hoax_decision"]["explanation"].startswith("Sumber tidak terdaftar")
    pipe.close()
