"""Graph searches in plain Python over adjacency lists, for graphs of a city district (thousands of nodes).

The server used SciPy's csgraph for these, which alone cost ~40 MB resident and a quarter of a second to import
for three small jobs: the largest strongly connected component of a mode's graph (where points snap to), the
walking times around a transit journey's ends, and the alternatives' penalised re-search. A bounded Dijkstra here
settles only the nodes within reach (a 15-minute walk), which is what the callers need.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from .ch import FloatArray, IntArray, Rows

INF = math.inf
Adjacency = list[list[tuple[int, float]]]


class Neighbours(Protocol):
    """Out-edges by node, as (neighbour, cost) pairs: an ``Adjacency`` or ``Rows`` made as a search reaches them."""

    def __getitem__(self, u: int, /) -> Iterable[tuple[int, float]]: ...


def adjacency(n: int, tail: Sequence[int], head: Sequence[int], weight: Sequence[float]) -> Adjacency:
    """Out-edges per node, keeping the cheapest of parallel edges (as a sparse matrix would sum them, we don't)."""
    best: list[dict[int, float]] = [{} for _ in range(n)]
    for u, v, w in zip(tail, head, weight, strict=True):
        if w < best[u].get(v, INF):
            best[u][v] = w
    return [list(d.items()) for d in best]


def rows(n: int, tail: IntArray, head: IntArray, weight: FloatArray) -> Rows:
    """``adjacency`` of edges that join distinct pairs (no parallel edges to choose from), the same pairs in the
    same order, made per node as a search reaches it: a bounded walk touches a part of the city, and lists for
    every node cost ~1.3 MB a direction and ~10 ms before the first search."""
    order = np.argsort(tail, kind="stable")  # each node's edges keep their order
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(tail, minlength=n))
    return Rows(ptr, head[order], weight[order])


def dijkstra(
    adj: Neighbours, source: int, limit: float = INF, target: int = -1
) -> tuple[dict[int, float], dict[int, int]]:
    """Costs from ``source`` to every node within ``limit`` (or until ``target`` is settled), and each reached
    node's predecessor."""
    dist = {source: 0.0}
    pred = {source: -1}
    heap = [(0.0, source)]
    pop, push = heapq.heappop, heapq.heappush
    done: set[int] = set()
    while heap:
        d, u = pop(heap)
        if u in done:
            continue
        done.add(u)
        if u == target:
            break
        for v, w in adj[u]:
            nd = d + w
            if nd <= limit and nd < dist.get(v, INF):
                dist[v] = nd
                pred[v] = u
                push(heap, (nd, v))
    return dist, pred


def largest_component(n: int, tail: IntArray, head: IntArray) -> IntArray:
    """Nodes of the largest strongly connected component among nodes that have an edge (iterative Tarjan)."""
    out: list[list[int]] = [[] for _ in range(n)]
    for u, v in zip(tail.tolist(), head.tolist(), strict=True):
        out[u].append(v)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    label = [-1] * n
    stack: list[int] = []
    counter = components = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            nbrs = out[v]
            descended = False
            while i < len(nbrs):
                w = nbrs[i]
                i += 1
                if index[w] < 0:
                    work[-1] = (v, i)
                    work.append((w, 0))
                    descended = True
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    label[w] = components
                    if w == v:
                        break
                components += 1
    labels = np.array(label, dtype=np.int64)
    used = np.zeros(n, dtype=bool)
    used[tail] = True
    used[head] = True
    main = int(np.argmax(np.bincount(labels[used])))
    return np.flatnonzero((labels == main) & used)


def nearest(xs: FloatArray, ys: FloatArray, x: float, y: float) -> tuple[int, float]:
    """Index of the point nearest (x, y) and its distance: a vectorised scan, ~30 µs for a district's nodes."""
    d2 = (xs - x) ** 2 + (ys - y) ** 2
    i = int(np.argmin(d2))
    return i, math.sqrt(float(d2[i]))
