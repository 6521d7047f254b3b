"""Ingest end to end: demo site -> Scrapy crawl -> classify -> index, on each backend.

Prints posts/min for the crawl, for processing (dedup, relevance, model, evidence, index) and end
to end, plus peak RSS of this process (the pipeline) and of the crawl subprocess. Every post the
demo site serves is crawled; WASPADA_INDEX_ALL=true so every election-related post is indexed and
the index side does comparable work on both backends. Processing is also reported as CPU time per
post (this process, all its threads): on a machine shared with other jobs the wall-clock rates
follow the machine's load, CPU time much less so.

    .venv/bin/python bench/bench_ingest.py [--backends sqlite elasticsearch]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The repository first, then tests/ (es_server): tests/models/ is a folder without __init__ that
# would otherwise be imported as the models package (the editable install's finder comes later).
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))


def run_once(backend: str, es_url: str | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"waspada-bench-{backend}-"))
    os.environ.update({"WASPADA_DATA_DIR": str(work), "WASPADA_INDEX_ALL": "true",
                       "WASPADA_INDEX_BACKEND": backend, "WASPADA_CRAWL_POLITE": "false"})
    if es_url:
        os.environ.update({"WASPADA_ES_URL": es_url, "WASPADA_ES_INDEX": f"bench-{int(time.time())}"})
    from waspada import config
    from waspada.crawl import run_crawl
    from waspada.demosite import serve, write_sources
    from waspada.pipeline import Pipeline

    server, base = serve(0)
    try:
        sources = write_sources(base, work / "sources.yaml")
        t0 = time.perf_counter()
        crawl = run_crawl(sources, spool_dir=Path(config.get("SPOOL_DIR")), window="2024-02-14T08-00", polite=False)
        t1 = time.perf_counter()
    finally:
        server.shutdown()
    pipeline = Pipeline.from_settings()
    t2, cpu2 = time.perf_counter(), time.process_time()
    report = pipeline.run()
    pipeline.index.refresh()
    t3, cpu3 = time.perf_counter(), time.process_time()
    pipeline.close()
    posts = report.read
    return {"backend": backend, "posts": posts, "election": report.election, "indexed": report.indexed,
            "crawl_s": t1 - t0, "process_s": t3 - t2, "process_cpu_s": cpu3 - cpu2, "total_s": (t1 - t0) + (t3 - t2),
            "crawl_items": crawl.get("stats", crawl).get("items_written")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "elasticsearch"])
    args = parser.parse_args()
    server = None
    rows = []
    for backend in args.backends:
        es_url = None
        if backend == "elasticsearch":
            from es_server import EsServer
            server = EsServer()
            server.start()
            server.wait_healthy(timeout=120)
            es_url = server.url
        try:
            rows.append(run_once(backend, es_url))
        finally:
            if server is not None:
                server.cleanup()
                server = None
    print(f"{'backend':<14}{'posts':>7}{'election':>9}{'indexed':>8}{'crawl/min':>11}{'process/min':>13}"
          f"{'end-to-end/min':>16}{'process ms CPU/post':>21}")
    for r in rows:
        print(f"{r['backend']:<14}{r['posts']:>7}{r['election']:>9}{r['indexed']:>8}"
              f"{60 * r['posts'] / r['crawl_s']:>11.0f}{60 * r['posts'] / r['process_s']:>13.0f}"
              f"{60 * r['posts'] / r['total_s']:>16.0f}{1000 * r['process_cpu_s'] / r['posts']:>21.1f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: pipeline process {own:.0f} MiB, largest child process (crawl; the Elasticsearch server when benched) {kids:.0f} MiB")


if __name__ == "__main__":
    main()
