"""Scale bench (issue #22): bulk docs/s into one Elasticsearch node and into a 3-node cluster,
and how long the cluster takes to recover from a node killed with SIGKILL.

    .venv/bin/python bench/bench_scale.py --docs 20000

One node: ``discovery.type: single-node``, no replicas (what the tests and one machine run).
Cluster: three nodes on the same machine, one replica per index (every document written twice),
the check's topology (scale/). Both get the same demo documents through ``ElasticIndex.upsert``,
the pipeline's write path, and the same heap per node. After the cluster load, one node that is
not the elected master is killed and started again: rejoin is the time from the restart until it
is in the cluster again, green the time from the kill until every shard is allocated again.

On one machine the cluster shares the same cores as the single node, and writes each document
twice: its ratio says what replication costs here, not what more machines would give.
"""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The repository first, then tests/ (es_server): tests/models/ is a folder without __init__ that
# would otherwise be imported as the models package.
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))

from es_server import EsServer  # noqa: E402
from scale.cluster import EsCluster  # noqa: E402
from scale.load import demo_records, documents  # noqa: E402
from scale.processes import wait_until  # noqa: E402
from waspada.index.elastic import ElasticIndex  # noqa: E402


def load(url: str, docs: list[dict], replicas: int) -> float:
    """Docs/s for one upsert of ``docs`` into a fresh alias, refresh included."""
    index = ElasticIndex(url, alias=f"bench-scale-{uuid.uuid4().hex[:8]}", replicas=replicas, chunk_size=500,
                         retry_seconds=300)
    index.ensure()
    start = time.perf_counter()
    result = index.upsert(docs)
    index.refresh()
    took = time.perf_counter() - start
    assert result.indexed == len(docs) and not result.failed, (result.indexed, result.failed[:3])
    assert index.count() == len(docs)
    index.close()
    return len(docs) / took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--heap", default="512m", help="heap per node (default 512m)")
    args = parser.parse_args()
    docs = documents(demo_records(args.docs))
    print(f"{args.docs} demo documents, heap {args.heap} per node", flush=True)

    single = EsServer(heap=args.heap)
    try:
        single.start()
        single.wait_healthy(timeout=300)
        one = load(single.url, docs, replicas=0)
    finally:
        single.cleanup()
    print(f"one node, 0 replicas:   {one:8.0f} docs/s", flush=True)

    cluster = EsCluster(3, heap=args.heap)
    try:
        cluster.start()
        cluster.wait_green(timeout=400)
        three = load(",".join(cluster.urls), docs, replicas=1)
        print(f"3 nodes, 1 replica:     {three:8.0f} docs/s", flush=True)
        print(f"ratio 3-node / 1-node:  {three / one:8.2f}", flush=True)
        victim = next(name for name in cluster.nodes if name != cluster.master())
        cluster.kill(victim)
        killed = time.monotonic()
        cluster.restart(victim)
        rejoin = wait_until(lambda: victim in cluster.joined(), timeout=400, what=f"{victim} rejoining")
        cluster.wait_green(timeout=400)
        green = time.monotonic() - killed
        print(f"recovery after SIGKILL of {victim} ({args.docs} docs held): rejoined {rejoin:.1f}s after "
              f"restart, green {green:.1f}s after the kill", flush=True)
    finally:
        cluster.cleanup()


if __name__ == "__main__":
    main()
