"""Web benchmark (DESIGN.md §5): the analyst search page under concurrent analysts, each backend.

    .venv/bin/python bench/bench_web.py                                   # 100k docs, 20 analysts, both backends
    .venv/bin/python bench/bench_web.py --backend sqlite --docs 20000
    .venv/bin/python bench/bench_web.py --backend elasticsearch --es-url http://127.0.0.1:9200
    .venv/bin/python bench/bench_web.py --duration 60                     # a fixed time instead of a count

The documents are bench_index.py's synthetic ones (Indonesian election vocabulary, Zipf-like word
frequencies, 3 months, 60 sources on 5 platforms, 34 provinces). For each backend the script loads
them into a fresh index, creates three users (analyst, supervisor, admin), starts the real
`waspada web` (uvicorn, one process) as a subprocess, logs in one session per analyst (login form,
CSRF token, session cookie), and has each analyst — one thread with its own httpx client — issue a
mix of what analysts do: full-text searches from the vocabulary, filters (label, platform, region,
WIB dates, minimum score), sorts (relevance, time, severity), pages 1..10, and now and then an item
page. Every search page runs one search and one facet count per filter and writes one audit row, as
in production. Latency is measured per request, client side, from sending to the last byte.
Afterwards one session times the search page for queries at the query limits (the most one
analyst can ask of the engine: waspada/index/query.py) and past them (refused with HTTP 400);
the median of three tries, so the facet counts come from the cache after the first.

The load generator runs in this process, on the same machine as the server (and Elasticsearch):
the numbers are for this machine's cores, shared by all three. It prints rates and ratios; it
asserts nothing about time. Without --es-url an Elasticsearch is started from the test install
(scripts/es-test-server.sh) with a 1 GB heap and stopped afterwards; with --es-url the bench index
is deleted afterwards.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_index, when imported from elsewhere
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo before tests/: tests/models would shadow models
from bench_index import PLATFORMS, PROVINCES, QUERIES, WORDS, percentile, synthetic_docs  # noqa: E402

from waspada.index import open_index  # noqa: E402
from waspada.web.users import UserStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-rahasia-" + secrets.token_hex(4)
USERS = (("analis", "analyst"), ("penyelia", "supervisor"), ("admin", "admin"))
#: Extra full-text queries analysts type: single terms and pairs from the vocabulary, phrases.
EXTRA_QUERIES = ['"quick count"', '"kotak suara"', "bawaslu laporan", "hoaks kpu", "sara agama", "pki OR komunis",
                 "buzzer akun bot", '"cek fakta"', "serangan fajar", "dpt ganda", "kpps meninggal", "netralitas asn"]
FIRST_DAY = date(2024, 1, 1)  # synthetic_docs spreads posts over the 90 days from here
SORTS_WITH_TEXT = (("relevance", 0.5), ("time", 0.3), ("severity", 0.2))
SORTS_WITHOUT_TEXT = (("time", 0.6), ("severity", 0.4))


@dataclass
class Sample:
    kind: str  # "search" | "item"
    ms: float
    status: int  # HTTP status; 0 for a transport error


@dataclass
class Outcome:
    backend: str
    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0
    load_seconds: float = 0.0
    docs: int = 0
    failures: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _weighted(rng: random.Random, options) -> str:
    values, weights = zip(*options)
    return rng.choices(values, weights)[0]


def request_mix(rng: random.Random, doc_ids: list[str]):
    """An endless stream of (kind, path, params) as an analyst produces them."""
    while True:
        if rng.random() < 0.1:  # open one of the results
            yield "item", f"/item/{rng.choice(doc_ids)}", None
            continue
        params: list[tuple[str, str]] = []
        roll = rng.random()
        if roll < 0.45:
            text = rng.choice(QUERIES)
        elif roll < 0.6:
            text = rng.choice(EXTRA_QUERIES)
        elif roll < 0.8:
            text = " ".join(rng.sample(WORDS[:120], rng.randint(1, 2)))  # common words typed by hand
        else:
            text = ""  # browse by filters only
        if text:
            params.append(("q", text))
        if rng.random() < 0.4:
            params.append(("label", rng.choice(["hoax", "provocation"])))
            if rng.random() < 0.35:
                params.append(("min_score", rng.choice(["0.6", "0.7", "0.8"])))
        if rng.random() < 0.25:
            for platform in rng.sample(PLATFORMS, rng.choice([1, 1, 2])):
                params.append(("platform", platform))
        if rng.random() < 0.2:
            params.append(("region", rng.choice(PROVINCES)))
        if rng.random() < 0.25:  # a WIB date range inside the three months
            start = rng.randrange(0, 80)
            end = min(89, start + rng.choice([1, 3, 7, 14, 30]))
            params.append(("date_from", (FIRST_DAY + timedelta(days=start)).isoformat()))
            params.append(("date_to", (FIRST_DAY + timedelta(days=end)).isoformat()))
        sort = _weighted(rng, SORTS_WITH_TEXT if text else SORTS_WITHOUT_TEXT)
        if sort != "relevance":
            params.append(("sort", sort))
        page = 1 if rng.random() < 0.5 else rng.randint(2, 10)
        if page > 1:
            params.append(("page", str(page)))
        yield "search", "/", params


def start_web(work: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str, object]:
    port = _free_port()
    env = {**os.environ, "WASPADA_DATA_DIR": str(work), "WASPADA_WEB_DB": str(work / "web.db"),
           "WASPADA_WEB_SECRET": secrets.token_urlsafe(36)[:48], "WASPADA_WEB_DEBUG": "false",
           "WASPADA_WEB_COOKIE_SECURE": "false", **env_extra}
    log = open(work / "web.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "waspada.cli", "web", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base, log
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_web(proc, log)
            raise RuntimeError(f"waspada web did not start:\n{(work / 'web.log').read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def stop_web(proc: subprocess.Popen, log) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    log.close()


def login(base: str, name: str) -> httpx.Client:
    import re
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = client.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    if page.status_code != 200 or not found:
        raise RuntimeError(f"login page: HTTP {page.status_code}, CSRF field {'found' if found else 'missing'}")
    response = client.post("/login", data={"username": name, "password": PASSWORD, "csrf": found[1], "next": "/"})
    if response.status_code != 303:
        raise RuntimeError(f"login as {name}: HTTP {response.status_code}")
    return client


def drive(base: str, doc_ids: list[str], args) -> tuple[list[Sample], float, list[str]]:
    """Log in one session per analyst, then run them all at once; (samples, wall seconds, failures)."""
    clients = [login(base, USERS[i % len(USERS)][0]) for i in range(args.analysts)]
    # Warm up, untimed: one page per session, as analysts' first page after login.
    for client in clients:
        client.get("/")
    barrier = threading.Barrier(args.analysts + 1)
    per_thread: list[list[Sample]] = [[] for _ in clients]
    failures: list[str] = []
    lock = threading.Lock()

    def analyst(n: int, client: httpx.Client) -> None:
        rng = random.Random(f"{args.seed}-{n}")
        mix = request_mix(rng, doc_ids)
        barrier.wait()
        deadline = time.perf_counter() + args.duration if args.duration else None
        done = 0
        while (done < args.requests_per_analyst) if deadline is None else (time.perf_counter() < deadline):
            kind, path, params = next(mix)
            t0 = time.perf_counter()
            try:
                response = client.get(path, params=params)
                response.read()
                status = response.status_code
            except httpx.HTTPError as exc:
                status = 0
                with lock:
                    failures.append(f"{kind} {path} {params}: {type(exc).__name__}: {exc}")
            ms = (time.perf_counter() - t0) * 1000
            if status not in (0, 200):
                with lock:
                    failures.append(f"{kind} {path} {params}: HTTP {status}")
            per_thread[n].append(Sample(kind, ms, status))
            done += 1

    threads = [threading.Thread(target=analyst, args=(n, c), name=f"analyst-{n}", daemon=True)
               for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    for client in clients:
        client.close()
    return [s for samples in per_thread for s in samples], wall, failures


def limit_queries() -> dict[str, str]:
    """Queries at the limits of waspada/index/query.py and past them, by name."""
    from waspada.index.query import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS
    words = [w for w in WORDS if w.isalpha() and len(w) >= 3]
    nested = words[0]
    for n in range(MAX_QUERY_DEPTH):  # three terms per level
        nested = f"({words[n + 1]}* OR {words[n + 20]} -{words[n + 40]} {nested})"
    at_limits = {f"{MAX_QUERY_TERMS} two-letter prefixes OR'd": " OR ".join(w[:2] + "*" for w in words[:MAX_QUERY_TERMS]),
                 f"{MAX_QUERY_TERMS} words OR'd": " OR ".join(words[:MAX_QUERY_TERMS]),
                 f"{MAX_QUERY_DEPTH} nested groups": nested}
    assert all(len(text) <= MAX_QUERY_CHARS for text in at_limits.values()), at_limits
    past = {"20,000 characters": "hoaks " * 3334, "500 nested parentheses": "(" * 500 + "kpu" + ")" * 500}
    return {**at_limits, **past}


def time_limit_queries(base: str, repeat: int = 3) -> list[str]:
    """One line per limit query: HTTP status and median milliseconds of the search page."""
    client = login(base, USERS[0][0])
    lines = []
    for name, text in limit_queries().items():
        times, status = [], 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            status = client.get("/", params={"q": text}).status_code
            times.append((time.perf_counter() - t0) * 1000)
        lines.append(f"{name:<32} HTTP {status}  p50 {statistics.median(times):8.1f} ms")
    client.close()
    return lines


def prepare_users(work: Path) -> None:
    users = UserStore(work / "web.db")
    for name, role in USERS:
        users.add(name, PASSWORD, role)
    users.close()


def run_sqlite(docs: list[dict], doc_ids: list[str], args) -> Outcome:
    outcome = Outcome("sqlite", docs=len(docs))
    work = Path(tempfile.mkdtemp(prefix="waspada-bench-web-sqlite-"))
    try:
        t0 = time.perf_counter()
        index = open_index("sqlite", path=work / "index.db")
        result = index.upsert(docs)
        index.refresh()
        assert not result.failed, result.failed[:3]
        assert index.count() == len(docs), (index.count(), len(docs))
        index.close()
        outcome.load_seconds = time.perf_counter() - t0
        print(f"sqlite         loaded {len(docs)} documents in {outcome.load_seconds:.1f}s", flush=True)
        prepare_users(work)
        proc, base, log = start_web(work, {"WASPADA_INDEX_BACKEND": "sqlite",
                                           "WASPADA_SQLITE_PATH": str(work / "index.db")})
        try:
            outcome.samples, outcome.wall, outcome.failures = drive(base, doc_ids, args)
            outcome.limits = time_limit_queries(base)
        finally:
            stop_web(proc, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return outcome


def run_elasticsearch(docs: list[dict], doc_ids: list[str], args) -> Outcome:
    outcome = Outcome("elasticsearch", docs=len(docs))
    work = Path(tempfile.mkdtemp(prefix="waspada-bench-web-es-"))
    server = None
    index = None
    alias = f"waspada-benchweb-{uuid.uuid4().hex[:8]}"
    try:
        url = args.es_url
        if not url:
            sys.path.append(str(ROOT / "tests"))  # appended: tests/models would shadow models
            from es_server import EsServer
            t0 = time.perf_counter()
            server = EsServer(heap="1g")
            server.start()
            server.wait_healthy(timeout=180)
            url = server.url
            print(f"elasticsearch  started a test server on {url} in {time.perf_counter() - t0:.1f}s", flush=True)
        t0 = time.perf_counter()
        index = open_index("elasticsearch", url=url, alias=alias, replicas=0, chunk_size=args.chunk)
        index.ensure()
        result = index.upsert(docs)
        index.refresh()
        assert not result.failed, result.failed[:3]
        assert index.count() == len(docs), (index.count(), len(docs))
        outcome.load_seconds = time.perf_counter() - t0
        print(f"elasticsearch  loaded {len(docs)} documents in {outcome.load_seconds:.1f}s", flush=True)
        prepare_users(work)
        proc, base, log = start_web(work, {"WASPADA_INDEX_BACKEND": "elasticsearch", "WASPADA_ES_URL": url,
                                           "WASPADA_ES_INDEX": alias, "WASPADA_ES_REPLICAS": "0",
                                           "WASPADA_ES_ANALYZER": "standard"})
        try:
            outcome.samples, outcome.wall, outcome.failures = drive(base, doc_ids, args)
            outcome.limits = time_limit_queries(base)
        finally:
            stop_web(proc, log)
    finally:
        if index is not None:
            try:  # by name: a server given by --es-url may refuse wildcard deletes
                names = list(index.client.indices.get(index=f"{alias}-*", allow_no_indices=True).body)
                if names:
                    index.client.indices.delete(index=",".join(names))
                index.client.indices.delete_index_template(name=alias)
            except Exception as exc:  # noqa: BLE001 - cleanup must not hide the results
                print(f"warning: could not delete the bench index {alias}-*: {exc}", file=sys.stderr)
            index.close()
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    return outcome


def summary(outcome: Outcome) -> dict[str, float]:
    ms = [s.ms for s in outcome.samples]
    errors = sum(1 for s in outcome.samples if s.status != 200)
    stats = {"requests": len(ms), "rps": len(ms) / outcome.wall if outcome.wall else 0.0,
             "p50": statistics.median(ms), "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": max(ms),
             "errors": errors}
    for kind in ("search", "item"):
        subset = [s.ms for s in outcome.samples if s.kind == kind]
        stats[f"{kind}_n"] = len(subset)
        stats[f"{kind}_p50"] = statistics.median(subset) if subset else float("nan")
        stats[f"{kind}_p95"] = percentile(subset, 95) if subset else float("nan")
    return stats


def report(outcome: Outcome) -> dict[str, float]:
    s = summary(outcome)
    print(f"{outcome.backend:<14} {s['requests']:5d} requests in {outcome.wall:6.1f}s  {s['rps']:6.1f} req/s   "
          f"p50 {s['p50']:7.1f} ms  p95 {s['p95']:7.1f} ms  p99 {s['p99']:7.1f} ms  max {s['max']:7.1f} ms   "
          f"errors {s['errors']}", flush=True)
    print(f"{'':<14} search pages {s['search_n']:5d}: p50 {s['search_p50']:7.1f} ms  p95 {s['search_p95']:7.1f} ms   "
          f"item pages {s['item_n']:4d}: p50 {s['item_p50']:7.1f} ms  p95 {s['item_p95']:7.1f} ms", flush=True)
    for line in outcome.failures[:5]:
        print(f"{'':<14} error: {line}", flush=True)
    for line in outcome.limits:
        print(f"{'':<14} query limits: {line}", flush=True)
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents to index (default 100000)")
    parser.add_argument("--analysts", type=int, default=20, help="concurrent analyst sessions (default 20)")
    parser.add_argument("--requests-per-analyst", type=int, default=50,
                        help="requests each analyst issues (default 50; ignored with --duration)")
    parser.add_argument("--duration", type=float, default=0,
                        help="run each backend for this many seconds instead of a fixed count")
    parser.add_argument("--backend", choices=["sqlite", "elasticsearch", "both"], default="both")
    parser.add_argument("--es-url", help="use this Elasticsearch instead of starting one")
    parser.add_argument("--chunk", type=int, default=500, help="Elasticsearch bulk chunk size (default 500)")
    parser.add_argument("--seed", type=int, default=17, help="seed of the analysts' request mix")
    args = parser.parse_args()
    if args.analysts < 1 or (not args.duration and args.requests_per_analyst < 1):
        parser.error("need at least one analyst and one request")

    t0 = time.perf_counter()
    docs = list(synthetic_docs(args.docs))
    doc_ids = [d["waspada"]["id"] for d in docs]
    load = f"{args.duration:g}s each" if args.duration else f"{args.requests_per_analyst} requests each"
    print(f"generated {len(docs)} documents in {time.perf_counter() - t0:.1f}s; "
          f"{args.analysts} analysts, {load}, on {os.cpu_count()} cores", flush=True)

    results: dict[str, dict[str, float]] = {}
    if args.backend in ("sqlite", "both"):
        results["sqlite"] = report(run_sqlite(docs, doc_ids, args))
    if args.backend in ("elasticsearch", "both"):
        results["elasticsearch"] = report(run_elasticsearch(docs, doc_ids, args))
    if len(results) == 2:
        es, lite = results["elasticsearch"], results["sqlite"]
        print(f"ratio ES/SQLite  req/s {es['rps'] / lite['rps']:.2f}x   p50 {es['p50'] / lite['p50']:.2f}x   "
              f"p95 {es['p95'] / lite['p95']:.2f}x   p99 {es['p99'] / lite['p99']:.2f}x   "
              f"search p50 {es['search_p50'] / lite['search_p50']:.2f}x   "
              f"search p95 {es['search_p95'] / lite['search_p95']:.2f}x", flush=True)


if __name__ == "__main__":
    main()
