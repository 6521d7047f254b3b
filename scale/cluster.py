"""A multi-node Elasticsearch on 127.0.0.1 from the distribution the test suite starts.

Each node is a ``tests/es_server.EsServer`` (same install, same user, same process-group
handling) with cluster settings instead of ``discovery.type: single-node``: one cluster name,
distinct HTTP and transport ports, every node a seed host and an initial master. Every node
holds data and may be elected master, so losing any one keeps a quorum of two.
"""
from __future__ import annotations

import json
import sys
import time
import urllib.request
from pathlib import Path

from scale.processes import NotUp, free_ports, wait_until

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))  # es_server lives with the tests
from es_server import EsServer, EsUnavailable  # noqa: E402


class EsCluster:
    """``size`` nodes named ``es-1`` … ``es-N``; ``start()`` then ``wait_green()``."""

    name = "elasticsearch"

    def __init__(self, size: int = 3, heap: str = "512m") -> None:
        transport = free_ports(size)
        names = [f"es-{n + 1}" for n in range(size)]
        common = {
            "cluster.name": f"waspada-scale-{transport[0]}",
            "discovery.type": "multi-node",
            "discovery.seed_hosts": [f"127.0.0.1:{port}" for port in transport],
            "cluster.initial_master_nodes": names,
        }
        self.nodes: dict[str, EsServer] = {}
        try:
            for name, port in zip(names, transport):
                self.nodes[name] = EsServer(settings={**common, "node.name": name, "transport.port": str(port)},
                                            heap=heap)
        except EsUnavailable as exc:
            self.cleanup()
            raise NotUp(f"Elasticsearch node {len(self.nodes) + 1} of {size}: {exc}") from None

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes.values()]

    def start(self) -> None:
        for node in self.nodes.values():
            node.start()

    def health(self, url: str | None = None, **params: str) -> dict:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        targets = [url] if url else [n.url for n in self.nodes.values() if n.proc and n.proc.poll() is None]
        last: Exception | None = None
        for target in targets:
            try:
                with urllib.request.urlopen(f"{target}/_cluster/health?{query}", timeout=70) as resp:
                    return json.load(resp)
            except OSError as exc:  # urllib answers 408 (wait timed out) with HTTPError, an OSError
                if getattr(exc, "code", None) == 408:
                    return json.load(exc)
                last = exc
        raise OSError(f"no node answered: {last}")

    def joined(self) -> set[str]:
        for node in self.nodes.values():
            try:
                with urllib.request.urlopen(f"{node.url}/_cat/nodes?h=name&format=json", timeout=5) as resp:
                    return {row["name"] for row in json.load(resp)}
            except OSError:
                continue
        return set()

    def master(self) -> str:
        for node in self.nodes.values():
            try:
                with urllib.request.urlopen(f"{node.url}/_cat/master?format=json", timeout=5) as resp:
                    return json.load(resp)[0]["node"]
            except (OSError, ValueError, IndexError, KeyError):
                continue
        raise OSError("no node knows the master")

    def wait_green(self, timeout: float = 240) -> float:
        """Wait until every node has joined and every shard is allocated; seconds taken."""
        size = len(self.nodes)

        def green() -> bool:
            for name, node in self.nodes.items():
                if node.proc is None or node.proc.poll() is not None:
                    raise NotUp(f"Elasticsearch node {name} ({node.url}) exited:\n{node.log_tail()}")
            health = self.health(wait_for_nodes=str(size), wait_for_status="green", timeout="5s")
            return health.get("number_of_nodes") == size and health.get("status") == "green"

        def why() -> str:
            missing = sorted(set(self.nodes) - self.joined())
            return (f"nodes not in the cluster: {', '.join(missing) or 'none'}; "
                    + "; ".join(f"{name} log:\n{self.nodes[name].log_tail(8)}" for name in missing or self.nodes))

        try:
            return wait_until(green, timeout=timeout, what=f"{size}-node Elasticsearch cluster (green)", log=why,
                              interval=1)
        except NotUp as exc:
            raise NotUp(str(exc)) from None

    def kill(self, name: str) -> None:
        """SIGKILL one node's process group, as a crash would."""
        self.nodes[name].kill()

    def restart(self, name: str) -> None:
        """Start a killed node again on its data directory and ports."""
        self.nodes[name].start()

    def stop(self) -> None:
        """Stop every node and remove its directories."""
        self.cleanup()

    def cleanup(self) -> None:
        for node in self.nodes.values():
            node.cleanup()
