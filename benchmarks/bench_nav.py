"""Routing latency: our contraction hierarchies vs networkx's Dijkstra on the same graphs and queries.

Graphs: the fixtures city (central Helsinki, every mode) and the larger Gothenburg network shipped
in the npm package ``geojson-path-finder@2.1.0`` (fetched with ``npm pack`` into
``~/.cache/lifestyle-mcp/npm`` on first run; used here only), twice:

- ``Gothenburg all ways``: every way in the file (footways, paths, service roads and streets), both
  directions, weighted by walking time: the ~100k-node network the issue's targets are about;
- ``Gothenburg driving``: only the ways a car may use, one-way streets respected, weighted by
  free-flow driving time (about half the nodes).

How it times: the same random origin–destination pairs (in each graph's largest strongly connected
component) go to both engines; each engine answers all of them in its own batch after the same few
untimed warm-up queries (interleaving the two makes each evict the other's data from the CPU
caches), and each query is timed on its own with ``time.perf_counter`` (wall clock) and
``time.process_time`` (CPU time, which leaves out time the scheduler gave to other processes: on a
shared 2-core machine a wall-clock p99 partly measures the neighbours). Both engines return the
path as a node list; networkx runs ``nx.shortest_path(weight=...)``, i.e. Dijkstra stopping at the
target. Every cost is checked against networkx's. Preparing the hierarchy is timed separately and
cached in ``~/.cache/lifestyle-mcp/bench-ch`` (a first run on the 100k-node graph takes minutes).

Targets (issue 4), checked on the wall clock and printed as PASS/FAIL for the ~100k-node graph:
p99 < 5 ms, and networkx's median / ours ≥ 50× (the p99 ratio is printed too). The other graphs'
figures are printed for information.

usage: python benchmarks/bench_nav.py [--queries 200] [--seed 7] [--skip-gothenburg]
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
WALK_KMH = 4.8
WARMUP = 10
P99_TARGET_MS = 5.0
RATIO_TARGET = 50.0
BIG_GRAPH_NODES = 90_000  # the p99 target is about the ~100k-node network


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lo1, la1, lo2, la2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


Graph = tuple[int, np.ndarray, np.ndarray, np.ndarray]


def gothenburg_features() -> list[dict]:
    if not TARBALL.exists():
        TARBALL.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=TARBALL.parent, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(TARBALL) as tar:
        member = tar.extractfile("package/test/large-network.json")
        assert member is not None
        features: list[dict] = json.load(member)["features"]
    return features


def gothenburg(features: list[dict], *, driving: bool) -> Graph:
    """Directed edges of the Gothenburg network. ``driving``: drivable ways only, one-way streets respected,
    free-flow car seconds; otherwise every way in both directions, walking seconds."""
    index: dict[tuple[float, float], int] = {}
    tail: list[int] = []
    head: list[int] = []
    cost: list[float] = []
    for f in features:
        if f["geometry"]["type"] != "LineString":
            continue
        props = f.get("properties") or {}
        speed = CAR_SPEED.get(props.get("highway", "")) if driving else WALK_KMH
        if speed is None:
            continue
        oneway = driving and props.get("oneway") in ("yes", "1", "true")
        reverse = driving and props.get("oneway") == "-1"
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


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and p99 in milliseconds."""
    return statistics.median(samples) * 1e3, statistics.quantiles(samples, n=100)[98] * 1e3


def bench(label: str, n: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray, queries: int, seed: int) -> dict:
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
    warm = [(rng.choice(main), rng.choice(main)) for _ in range(WARMUP)]
    # Each engine runs its whole batch warm (interleaving them makes each evict the other's data from the caches).
    for s, t in warm:
        ch.query(s, t)
    ours, ref, ours_cpu, ref_cpu = [], [], [], []
    found = []
    for s, t in pairs:
        c0, t0 = time.process_time(), time.perf_counter()
        d, path = ch.query(s, t)
        ours.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
        found.append((d, path))
    for s, t in warm:
        nx.shortest_path(graph, s, t, weight="weight")
    for (s, t), (d, path) in zip(pairs, found, strict=True):
        c0, t0 = time.process_time(), time.perf_counter()
        ref_path = nx.shortest_path(graph, s, t, weight="weight")
        ref.append(time.perf_counter() - t0)
        ref_cpu.append(time.process_time() - c0)
        ref_cost = nx.path_weight(graph, ref_path, "weight")
        assert math.isclose(d, ref_cost, rel_tol=1e-9, abs_tol=1e-6), (label, s, t, d, ref_cost)
        assert path[0] == s and path[-1] == t
    print(f"{label:<24} {n:>7,} nodes {len(tail):>8,} edges  prep {prep:6.1f} s ({ch.shortcut_count:,} shortcuts), "
          f"main component {len(main):,}, {queries} queries, all costs equal to networkx", flush=True)  # fmt: skip
    row: dict = {"label": label, "n": n}
    for clock, a, b in (("wall", ours, ref), ("cpu", ours_cpu, ref_cpu)):
        om, op = percentiles(a)
        rm, rp = percentiles(b)
        row[clock] = (om, op, rm, rp)
        print(
            f"{'':<4}{clock:<5} ours median {om:7.3f} ms p99 {op:7.3f} ms | networkx median {rm:8.3f} ms "
            f"p99 {rp:8.3f} ms | ratio median {rm / om:6.1f}x p99 {rp / op:6.1f}x",
            flush=True,
        )
    return row


def verdict(rows: list[dict]) -> bool:
    """PASS/FAIL on the ~100k-node graph, wall clock (CPU-time figures in brackets, for a noisy machine); the smaller
    graphs are listed for information (on a 2k-node component Dijkstra has little to lose, so the ratio is small)."""
    print("\nTargets (issue 4) on the ~100k-node graph, wall clock [cpu time]:")
    passed = True
    big = [row for row in rows if row["n"] >= BIG_GRAPH_NODES]
    for row in rows:
        om, op, rm, rp = row["wall"]
        com, cop, crm, crp = row["cpu"]
        ratio = f"networkx/ours median {rm / om:.1f}x [{crm / com:.1f}x], p99 {rp / op:.1f}x [{crp / cop:.1f}x]"
        if row not in big:
            print(f"  info  {row['label']:<24} p99 {op:.3f} ms [{cop:.3f} ms]; {ratio}")
            continue
        for name, ok, got in (
            (f"p99 < {P99_TARGET_MS:.0f} ms", op < P99_TARGET_MS, f"{op:.3f} ms [{cop:.3f} ms]"),
            (f"≥ {RATIO_TARGET:.0f}x networkx (medians)", rm / om >= RATIO_TARGET, ratio),
        ):
            passed &= ok
            print(f"  {'PASS' if ok else 'FAIL'}  {row['label']:<24} {name}: {got}")
    if not big:
        print(f"  no graph of ≥ {BIG_GRAPH_NODES:,} nodes was run (--skip-gothenburg): targets not checked")
        return True
    print(f"OVERALL: {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-gothenburg", action="store_true")
    args = parser.parse_args()
    network = load_network(FIXTURES)
    rows = []
    for mode, g in network.modes.items():
        costs = g.costs("peak") if mode == "driving" else g.costs()
        rows.append(bench(f"Helsinki {mode}", g.n, g.tail, g.head, costs, args.queries, args.seed))
    if not args.skip_gothenburg:
        features = gothenburg_features()
        rows.append(bench("Gothenburg all ways", *gothenburg(features, driving=False), args.queries, args.seed))
        rows.append(bench("Gothenburg driving", *gothenburg(features, driving=True), args.queries, args.seed))
    sys.exit(0 if verdict(rows) else 1)


if __name__ == "__main__":
    main()
