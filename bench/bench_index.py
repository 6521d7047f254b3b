"""Index benchmark (DESIGN.md §5): bulk docs/s and search latency p50/p95, each backend.

    .venv/bin/python bench/bench_index.py --docs 100000
    .venv/bin/python bench/bench_index.py --docs 100000 --backend sqlite
    .venv/bin/python bench/bench_index.py --es-url http://127.0.0.1:9200   # an existing server

Documents are synthetic but shaped like real ones: Indonesian election vocabulary, Zipf-like
word frequencies, titles, 3 months of timestamps (3 monthly indices), 60 sources on 5 platforms,
34 provinces, about a third labelled. Without --es-url an Elasticsearch is started from the test
install (scripts/es-test-server.sh) with a 1 GB heap and stopped afterwards.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

# The repository first, then tests/ (es_server): tests/models/ is a folder without __init__ that
# would otherwise be imported as the models package (the editable install's finder comes later).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))

from waspada.index import SearchQuery, open_index  # noqa: E402
from waspada.schema import build_document  # noqa: E402

WORDS = """pemilu pilpres pileg kpu bawaslu dkpp tps surat suara coblos tercoblos calon presiden wakil
capres cawapres caleg partai koalisi kampanye debat quick count real count rekapitulasi hasil sengketa
mahkamah konstitusi gugatan curang kecurangan politik uang serangan fajar money politic hoaks hoax
fitnah provokasi sara agama suku ras antek asing aseng pki komunis kafir pendukung relawan timses
pemilih golput daftar pemilih tetap dpt ktp elektronik e-ktp saksi pengawas petugas kpps meninggal
kelelahan logistik kotak suara tinta sidang putusan demo unjuk rasa aksi massa kerusuhan bentrok
polisi polri tni aparat keamanan pengamanan netralitas asn kepala desa camat bupati gubernur menteri
jakarta surabaya bandung medan makassar papua aceh sumatera jawa kalimantan sulawesi bali ntt ntb
video viral beredar media sosial grup whatsapp telegram twitter facebook tiktok youtube akun bot
buzzer influencer berita bohong klarifikasi cek fakta turnbackhoax mafindo disinformasi misinformasi
jangan percaya sebarkan awas waspada hati hati katanya menurut sumber resmi tidak benar benar sudah
belum akan telah sedang bisa harus mau ingin pilih memilih dipilih menang kalah unggul suara sah
tidak sah batal ulang pemungutan penghitungan perolehan kursi dapil ambang batas parlemen""".split()
PROVINCES = ["Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu",
             "Lampung", "Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah",
             "DI Yogyakarta", "Jawa Timur", "Banten", "Bali", "NTB", "NTT", "Kalimantan Barat",
             "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
             "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo",
             "Sulawesi Barat", "Maluku", "Maluku Utara", "Papua", "Papua Barat"]
PLATFORMS = ["news", "telegram", "mastodon", "reddit", "youtube"]
QUERIES = ["pemilu", "kecurangan pemilu", '"surat suara"', "hoaks OR fitnah", "korup* OR curang*",
           "kpu -bawaslu", '"politik uang" jawa', "tps meninggal", "(demo OR kerusuhan) jakarta", "quick count"]


def synthetic_docs(count: int, seed: int = 7):
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]  # Zipf-ish
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for i in range(count):
        words = rng.choices(WORDS, weights, k=rng.randint(12, 80))
        text = " ".join(words).capitalize() + "."
        platform = rng.choice(PLATFORMS)
        published = start + timedelta(seconds=rng.randrange(90 * 86400))
        hoax, provocation = rng.betavariate(1, 4), rng.betavariate(1, 5)
        labels = [name for name, score in (("hoax", hoax), ("provocation", provocation)) if score > 0.5]
        record = {"url": f"https://{platform}.example.id/post/{i}", "native_id": str(i),
                  "source_id": f"{platform}-{rng.randrange(12)}", "platform": platform,
                  "published": published.isoformat(), "fetched": published.isoformat(),
                  "title": " ".join(rng.choices(WORDS, weights, k=6)).title() if platform == "news" else "",
                  "text": text,
                  "engagement": {"views": int(rng.lognormvariate(5, 2)), "shares": int(rng.lognormvariate(1, 1.5))}}
        yield build_document(record, relevance={"terms": ["pemilu"], "regions": rng.sample(PROVINCES, rng.randint(0, 2))},
                             scores={"hoax": hoax, "provocation": provocation}, labels=labels,
                             model_id="bench", evidence=None, ingested=published.isoformat())


def search_mix(rng: random.Random, count: int) -> list[SearchQuery]:
    queries = []
    for _ in range(count):
        kind = rng.random()
        text = rng.choice(QUERIES)
        if kind < 0.4:
            queries.append(SearchQuery(text=text))
        elif kind < 0.7:
            queries.append(SearchQuery(text=text, labels=("hoax",), min_score=0.6, sort="time",
                                       platforms=(rng.choice(PLATFORMS),)))
        elif kind < 0.85:
            queries.append(SearchQuery(text=text, regions=(rng.choice(PROVINCES),), sort="severity"))
        else:
            queries.append(SearchQuery(labels=("provocation",), sort="severity",
                                       date_from=datetime(2024, 2, 1), date_to=datetime(2024, 3, 1)))
    return queries


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def bench(name: str, index, docs: list[dict], queries: list[SearchQuery]) -> None:
    started = time.perf_counter()
    result = index.upsert(docs)
    index.refresh()
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed[:3]
    assert index.count() == len(docs), (index.count(), len(docs))
    for query in queries[:20]:  # warm caches, as a running web app would have them
        index.search(query)
    latencies = []
    for query in queries:
        t0 = time.perf_counter()
        index.search(query)
        latencies.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    index.facets("waspada.relevance.regions", SearchQuery(labels=("hoax",)))
    facet_ms = (time.perf_counter() - t0) * 1000
    print(f"{name:<14} bulk {len(docs) / elapsed:8.0f} docs/s ({elapsed:.1f}s for {len(docs)})   "
          f"search p50 {statistics.median(latencies):6.1f} ms  p95 {percentile(latencies, 95):6.1f} ms "
          f"over {len(queries)} queries   facet {facet_ms:.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents to index (default 100000)")
    parser.add_argument("--queries", type=int, default=300, help="searches to time (default 300)")
    parser.add_argument("--backend", choices=["sqlite", "elasticsearch", "both"], default="both")
    parser.add_argument("--es-url", help="use this Elasticsearch instead of starting one")
    parser.add_argument("--chunk", type=int, default=500, help="Elasticsearch bulk chunk size (default 500)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    docs = list(synthetic_docs(args.docs))
    print(f"generated {len(docs)} documents in {time.perf_counter() - t0:.1f}s; "
          f"{sum(len(d['text']) for d in docs) / len(docs):.0f} chars of text on average", flush=True)
    queries = search_mix(random.Random(11), args.queries)

    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            index = open_index("sqlite", path=Path(tmp) / "bench.db")
            bench("sqlite", index, docs, queries)
            index.close()
    if args.backend in ("elasticsearch", "both"):
        server = None
        url = args.es_url
        if not url:
            from es_server import EsServer
            server = EsServer(heap="1g")
            server.start()
            server.wait_healthy(timeout=120)
            url = server.url
        try:
            index = open_index("elasticsearch", url=url, alias=f"waspada-bench-{uuid.uuid4().hex[:8]}",
                               replicas=0, chunk_size=args.chunk)
            index.ensure()
            bench("elasticsearch", index, docs, queries)
            index.client.indices.delete(index=f"{index.alias}-*")
            index.client.indices.delete_index_template(name=index.alias)
            index.close()
        finally:
            if server:
                server.cleanup()


if __name__ == "__main__":
    main()
