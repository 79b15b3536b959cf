"""Contraction hierarchies over compact arrays: the routing engine's core.

Preparation orders the nodes by importance (edge difference + contracted neighbours, lazily
updated) and contracts them one by one, adding a shortcut ``u → x`` over a contracted ``v``
only when a bounded witness search finds no path at least as short around it. Every edge ends
up in CSR arrays (``numpy``) pointing from a node to higher-ranked nodes: ``up`` for the
forward search, ``down`` (edges into a node from higher-ranked ones) for the backward search.

A query is a bidirectional Dijkstra that only climbs the hierarchy, with stall-on-demand; it
settles a few hundred nodes on a 50k-node city, so plain Python answers in about a millisecond.
Shortcuts remember their middle node, so a path unpacks to original edges. The prepared
arrays are saved as ``.npz`` and reloaded by hash of the input graph.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import logging
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shared.arrays import find_sorted

log = logging.getLogger(__name__)

INF = math.inf
ENGINE_VERSION = "ch-1"
WITNESS_SETTLE_LIMIT = 400

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def graph_key(n: int, tail: IntArray, head: IntArray, weight: FloatArray) -> str:
    digest = hashlib.sha256(f"{ENGINE_VERSION}:{n}".encode())
    for arr in (tail, head, weight):
        digest.update(np.ascontiguousarray(arr).tobytes())
    return digest.hexdigest()[:24]


def _witness(
    out: list[dict[int, float]], source: int, skip: int, targets: dict[int, float], limit: float
) -> dict[int, float]:
    """Shortest distances from ``source`` to ``targets`` avoiding ``skip``, bounded by ``limit``."""
    dist = {source: 0.0}
    heap = [(0.0, source)]
    remaining = set(targets)
    settled = 0
    found: dict[int, float] = {}
    while heap and remaining:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        if d > limit:
            break
        if u in remaining:
            remaining.discard(u)
            found[u] = d
        settled += 1
        if settled > WITNESS_SETTLE_LIMIT:
            break
        for v, w in out[u].items():
            if v == skip:
                continue
            nd = d + w
            if nd < dist.get(v, INF):
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return found


Row = tuple[tuple[int, float], ...]


class Rows(dict[int, Row]):
    """Each node's (neighbour, weight) pairs from CSR arrays, made the first time a search reaches the node and kept.

    A query settles a few hundred nodes, so tuples for every edge made at load (as before) cost ~10 ms a hierarchy,
    tens of thousands of objects that a server's first route then had the garbage collector walk, and ~1.5 MB a
    hierarchy, mostly for nodes no route of the process touches. ``rows[u]`` is a dict lookup once made."""

    def __init__(self, ptr: IntArray, to: IntArray, weight: FloatArray) -> None:
        super().__init__()
        self._ptr = ptr
        self._to = to
        self._weight = weight

    def __missing__(self, u: int) -> Row:
        a, b = self._ptr[u : u + 2].tolist()
        row = tuple(zip(self._to[a:b].tolist(), self._weight[a:b].tolist(), strict=True))
        self[u] = row
        return row


@dataclass
class Hierarchy:
    """A prepared contraction hierarchy: CSR arrays plus shortcut middles."""

    n: int
    rank: IntArray
    up_ptr: IntArray
    up_to: IntArray
    up_w: FloatArray
    dn_ptr: IntArray
    dn_from: IntArray
    dn_w: FloatArray
    sc_key: IntArray  # u * n + v of every shortcut edge
    sc_mid: IntArray

    def __post_init__(self) -> None:
        # Python-side views for the query loop: per-node tuples of (neighbour, weight), made from CSR as searches
        # reach the nodes (``Rows``).
        self._up = Rows(self.up_ptr, self.up_to, self.up_w)
        self._dn = Rows(self.dn_ptr, self.dn_from, self.dn_w)
        # shortcuts by key, for unpacking a path level by level with array lookups (a dict of them held ~1.6 MB of
        # Python objects per hierarchy)
        by_key = np.argsort(self.sc_key, kind="stable")
        self._sc_keys = self.sc_key[by_key]
        self._sc_mids = self.sc_mid[by_key]

    @property
    def edge_count(self) -> int:
        return int(len(self.up_to) + len(self.dn_from))

    @property
    def shortcut_count(self) -> int:
        return len(self.sc_key)

    # ----- preparation --------------------------------------------------------------------------
    @classmethod
    def build(cls, n: int, tail: IntArray, head: IntArray, weight: FloatArray) -> Hierarchy:
        out: list[dict[int, float]] = [{} for _ in range(n)]
        inn: list[dict[int, float]] = [{} for _ in range(n)]
        for u, v, w in zip(tail.tolist(), head.tolist(), weight.tolist(), strict=True):
            if u != v and w < out[u].get(v, INF):
                out[u][v] = w
                inn[v][u] = w
        mids: dict[int, int] = {}
        deleted = [0] * n
        rank = np.full(n, -1, dtype=np.int64)
        up: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        dn: list[list[tuple[int, float]]] = [[] for _ in range(n)]

        def shortcuts(v: int) -> list[tuple[int, int, float]]:
            found: list[tuple[int, int, float]] = []
            outs = out[v]
            if not outs:
                return found
            max_out = max(outs.values())
            for u, wu in inn[v].items():
                targets = {x: wu + wx for x, wx in outs.items() if x != u}
                if not targets:
                    continue
                witness = _witness(out, u, v, targets, wu + max_out)
                for x, via in targets.items():
                    if witness.get(x, INF) > via:
                        found.append((u, x, via))
            return found

        def priority(v: int) -> int:
            return len(shortcuts(v)) * 2 - len(inn[v]) - len(out[v]) + deleted[v]

        heap = [(priority(v), v) for v in range(n)]
        heapq.heapify(heap)
        order = 0
        while heap:
            _prio, v = heapq.heappop(heap)
            if rank[v] >= 0:
                continue
            current = priority(v)
            if heap and current > heap[0][0]:
                heapq.heappush(heap, (current, v))
                continue
            added = shortcuts(v)
            rank[v] = order
            order += 1
            up[v] = list(out[v].items())
            dn[v] = list(inn[v].items())
            neighbours = set(out[v]) | set(inn[v])
            for u in inn[v]:
                del out[u][v]
            for x in out[v]:
                del inn[x][v]
            out[v], inn[v] = {}, {}
            for u, x, w in added:
                if w < out[u].get(x, INF):
                    out[u][x] = w
                    inn[x][u] = w
                    mids[u * n + x] = v
            for x in neighbours:
                deleted[x] += 1
                heapq.heappush(heap, (priority(x), x))
        # Keep only the shortcut middles that survived as edges of the hierarchy.
        live = {u * n + x for u in range(n) for x, _ in up[u]} | {x * n + v for v in range(n) for x, _ in dn[v]}
        sc = sorted((k, m) for k, m in mids.items() if k in live)

        def csr(adj: list[list[tuple[int, float]]]) -> tuple[IntArray, IntArray, FloatArray]:
            ptr = np.zeros(n + 1, dtype=np.int64)
            ptr[1:] = np.cumsum([len(a) for a in adj])
            to = np.array([x for a in adj for x, _ in a], dtype=np.int64)
            w = np.array([c for a in adj for _, c in a], dtype=np.float64)
            return ptr, to, w

        up_ptr, up_to, up_w = csr(up)
        dn_ptr, dn_from, dn_w = csr(dn)
        return cls(
            n=n,
            rank=rank,
            up_ptr=up_ptr,
            up_to=up_to,
            up_w=up_w,
            dn_ptr=dn_ptr,
            dn_from=dn_from,
            dn_w=dn_w,
            sc_key=np.array([k for k, _ in sc], dtype=np.int64),
            sc_mid=np.array([m for _, m in sc], dtype=np.int64),
        )

    # ----- persistence --------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """An ``.npz`` that ``np.load`` reads, written byte-identically for the same hierarchy (fixed zip entry
        times), so the prepared hierarchies shipped in fixtures/nav/ch change only when the graph does."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        arrays = {
            "n": np.array([self.n], dtype=np.int64), "rank": self.rank, "up_ptr": self.up_ptr, "up_to": self.up_to,
            "up_w": self.up_w, "dn_ptr": self.dn_ptr, "dn_from": self.dn_from, "dn_w": self.dn_w,
            "sc_key": self.sc_key, "sc_mid": self.sc_mid,
        }  # fmt: skip
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, arr in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
                zf.writestr(info, buf.getvalue())
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Hierarchy:
        with np.load(path) as z:
            return cls(
                n=int(z["n"][0]),
                rank=z["rank"],
                up_ptr=z["up_ptr"],
                up_to=z["up_to"],
                up_w=z["up_w"],
                dn_ptr=z["dn_ptr"],
                dn_from=z["dn_from"],
                dn_w=z["dn_w"],
                sc_key=z["sc_key"],
                sc_mid=z["sc_mid"],
            )

    @classmethod
    def cached(
        cls, n: int, tail: IntArray, head: IntArray, weight: FloatArray, cache_dir: Path | None,
        shipped: Path | None = None,
    ) -> Hierarchy:  # fmt: skip
        """Load the hierarchy for this exact graph from ``shipped`` (prepared with the fixtures, so a fresh data
        dir routes at once) or ``cache_dir``, or build it (seconds) and save it to ``cache_dir``. Files are named
        by a hash of the graph and its costs, so a stale one is never read."""
        key = graph_key(n, tail, head, weight)
        path = cache_dir / f"{key}.npz" if cache_dir else None
        for found in (shipped / f"{key}.npz" if shipped else None, path):
            if found is not None and found.exists():
                try:
                    return cls.load(found)
                except (OSError, ValueError, KeyError):
                    log.warning("ignoring unreadable routing cache %s", found)
        hierarchy = cls.build(n, tail, head, weight)
        if path is not None:
            try:
                hierarchy.save(path)
            except OSError:
                log.warning("could not write routing cache %s", path)
        return hierarchy

    # ----- queries ------------------------------------------------------------------------------
    def query(self, s: int, t: int) -> tuple[float, list[int]]:
        """Cost and node path of the cheapest s → t path; (inf, []) when t is unreachable."""
        if s == t:
            return 0.0, [s]
        up, dn = self._up, self._dn
        df = {s: 0.0}
        db = {t: 0.0}
        pf = {s: -1}
        pb = {t: -1}
        df_get, db_get = df.get, db.get
        hf = [(0.0, s)]
        hb = [(0.0, t)]
        best = INF
        meet = -1
        pop, push = heapq.heappop, heapq.heappush
        while hf or hb:
            if hf and (not hb or hf[0][0] <= hb[0][0]):
                d, u = pop(hf)
                if d >= best:
                    hf = []
                    continue
                if d > df[u]:
                    continue
                # Stall on demand: an edge w → u from above that beats d proves u's label is not exact.
                if any(df_get(w, INF) + c < d for w, c in dn[u]):
                    continue
                other = db_get(u)
                if other is not None and d + other < best:
                    best, meet = d + other, u
                for v, c in up[u]:
                    nd = d + c
                    if nd < df_get(v, INF):
                        df[v] = nd
                        pf[v] = u
                        push(hf, (nd, v))
            else:
                d, u = pop(hb)
                if d >= best:
                    hb = []
                    continue
                if d > db[u]:
                    continue
                if any(db_get(w, INF) + c < d for w, c in up[u]):
                    continue
                other = df_get(u)
                if other is not None and d + other < best:
                    best, meet = d + other, u
                for v, c in dn[u]:
                    nd = d + c
                    if nd < db_get(v, INF):
                        db[v] = nd
                        pb[v] = u
                        push(hb, (nd, v))
        if meet < 0:
            return INF, []
        forward = []
        x = meet
        while x >= 0:
            forward.append(x)
            x = pf[x]
        forward.reverse()
        x = pb[meet]
        while x >= 0:
            forward.append(x)
            x = pb[x]
        return best, self.unpack(forward)

    def search_space(self, s: int, forward: bool = True) -> dict[int, float]:
        """Costs from ``s`` to every node an upward search reaches (``forward``) or from every node an upward search
        from ``s`` over reversed edges reaches: the two halves of a many-to-many query, which meet at the highest
        node of every shortest path, so a table of them gives every pair's cost without one query per pair."""
        adj = self._up if forward else self._dn
        dist = {s: 0.0}
        heap = [(0.0, s)]
        pop, push, get = heapq.heappop, heapq.heappush, dist.get
        while heap:
            d, u = pop(heap)
            if d > dist[u]:
                continue
            for v, c in adj[u]:
                nd = d + c
                if nd < get(v, INF):
                    dist[v] = nd
                    push(heap, (nd, v))
        return dist

    def distance(self, s: int, t: int) -> float:
        return self.query(s, t)[0]

    def unpack(self, path: list[int]) -> list[int]:
        """Replace every shortcut by the original edges it stands for."""
        if len(path) < 2:
            return path
        nodes = np.asarray(path, dtype=np.int64)
        while True:  # one pass per level of shortcuts: each shortcut a → b becomes a → middle → b
            at, short = find_sorted(self._sc_keys, nodes[:-1] * self.n + nodes[1:])
            edge = np.flatnonzero(short)  # the edges that are shortcuts
            if not len(edge):
                return nodes.tolist()
            nodes = np.insert(nodes, edge + 1, self._sc_mids[at[edge]])
