"""Routing latency: our contraction hierarchies vs networkx's Dijkstra on the same graphs and queries.

Graphs: the fixtures city (central Helsinki, every mode) and the larger Gothenburg network shipped
in the npm package ``geojson-path-finder@2.1.0`` (fetched with ``npm pack`` into
``~/.cache/lifestyle-mcp/npm`` on first run; used here only). Queries are random
origin–destination pairs in each graph's largest strongly connected component; both engines
return the path (node list), and every cost is checked against networkx's.

usage: python benchmarks/bench_nav.py [--queries 200] [--seed 7]
Latency is printed twice: wall clock, and process CPU time (which leaves out time the scheduler gave
to other processes: on a shared 2-core machine wall-clock p99 mostly measures the neighbours).
Targets (issue 4): p99 < 5 ms on Gothenburg and ≥ 50× faster than networkx.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import random
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from servers.nav.backend.ch import Hierarchy
from servers.nav.backend.graph import CAR_SPEED, load_network
from shared.geo import EARTH_RADIUS_M

CACHE = Path.home() / ".cache" / "lifestyle-mcp"
PACKAGE = "geojson-path-finder@2.1.0"
TARBALL = CACHE / "npm" / "geojson-path-finder-2.1.0.tgz"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lo1, la1, lo2, la2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def gothenburg() -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The drivable part of the Gothenburg network: directed edges weighted by free-flow seconds."""
    if not TARBALL.exists():
        TARBALL.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=TARBALL.parent, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(TARBALL) as tar:
        member = tar.extractfile("package/test/large-network.json")
        assert member is not None
        features = json.load(member)["features"]
    index: dict[tuple[float, float], int] = {}
    tail: list[int] = []
    head: list[int] = []
    cost: list[float] = []
    for f in features:
        if f["geometry"]["type"] != "LineString":
            continue
        props = f.get("properties") or {}
        speed = CAR_SPEED.get(props.get("highway", ""))
        if speed is None:
            continue
        oneway = props.get("oneway") in ("yes", "1", "true")
        reverse = props.get("oneway") == "-1"
        pts = [tuple(p[:2]) for p in f["geometry"]["coordinates"]]
        for p, q in itertools.pairwise(pts):
            if p == q:
                continue
            u, v = index.setdefault(p, len(index)), index.setdefault(q, len(index))
            seconds = metres(p, q) / (speed / 3.6)
            if not reverse:
                tail.append(u), head.append(v), cost.append(seconds)
            if not oneway:
                tail.append(v), head.append(u), cost.append(seconds)
    return len(index), np.array(tail), np.array(head), np.array(cost, dtype=np.float64)


def bench(label: str, n: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray, queries: int, seed: int) -> None:
    graph = nx.DiGraph()
    for u, v, w in zip(tail.tolist(), head.tolist(), cost.tolist(), strict=True):
        if u != v and (not graph.has_edge(u, v) or graph[u][v]["weight"] > w):
            graph.add_edge(u, v, weight=w)
    matrix = csr_matrix((np.ones(len(tail)), (tail, head)), shape=(n, n))
    _, labels = connected_components(matrix, directed=True, connection="strong")
    main = np.flatnonzero(labels == np.argmax(np.bincount(labels))).tolist()
    t0 = time.perf_counter()
    ch = Hierarchy.cached(n, tail, head, cost, CACHE / "bench-ch")
    prep = time.perf_counter() - t0
    gc.freeze()  # long-lived graph objects leave the collector's generations, as the server does after loading
    rng = random.Random(seed)
    pairs = [(rng.choice(main), rng.choice(main)) for _ in range(queries)]
    # Each engine runs its whole batch warm (interleaving them makes each evict the other's data from the caches).
    ours, ref, ours_cpu, ref_cpu = [], [], [], []
    found = []
    for s, t in pairs:
        c0, t0 = time.process_time(), time.perf_counter()
        d, path = ch.query(s, t)
        ours.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
        found.append((d, path))
    for (s, t), (d, path) in zip(pairs, found, strict=True):
        c0, t0 = time.process_time(), time.perf_counter()
        ref_path = nx.shortest_path(graph, s, t, weight="weight")
        ref.append(time.perf_counter() - t0)
        ref_cpu.append(time.process_time() - c0)
        ref_cost = nx.path_weight(graph, ref_path, "weight")
        assert math.isclose(d, ref_cost, rel_tol=1e-9, abs_tol=1e-6), (label, s, t, d, ref_cost)
        assert path[0] == s and path[-1] == t
    print(f"{label:<22} {n:>7,} nodes {len(tail):>8,} edges  prep {prep:6.1f} s ({ch.shortcut_count:,} shortcuts), "
          f"{queries} queries, all costs equal to networkx")
    for clock, a, b in (("wall", ours, ref), ("cpu", ours_cpu, ref_cpu)):
        om, op = statistics.median(a) * 1e3, statistics.quantiles(a, n=100)[98] * 1e3
        rm, rp = statistics.median(b) * 1e3, statistics.quantiles(b, n=100)[98] * 1e3
        print(
            f"{'':<4}{clock:<5} ours median {om:7.3f} ms p99 {op:7.3f} ms | networkx median {rm:8.3f} ms "
            f"p99 {rp:8.3f} ms | ratio median {rm / om:6.1f}x p99 {rp / op:6.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-gothenburg", action="store_true")
    args = parser.parse_args()
    network = load_network(FIXTURES)
    for mode, g in network.modes.items():
        costs = g.costs("peak") if mode == "driving" else g.costs()
        bench(f"Helsinki {mode}", g.n, g.tail, g.head, costs, args.queries, args.seed)
    if not args.skip_gothenburg:
        bench("Gothenburg driving", *gothenburg(), args.queries, args.seed)


if __name__ == "__main__":
    main()
