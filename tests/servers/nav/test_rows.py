"""Adjacency made per node as searches reach it (``ch.Rows``) holds what the eager lists held, in their order."""

from __future__ import annotations

from servers.nav.backend.ch import Hierarchy
from servers.nav.backend.graph import RoadNetwork
from servers.nav.backend.paths import adjacency, rows


def test_walk_rows_are_the_adjacency_lists_both_ways(network: RoadNetwork) -> None:
    for mode, g in network.modes.items():
        keys = g.edge_keys
        secs = g.seconds[g.edge_index]
        tails, heads = keys // g.n, keys % g.n
        for a, b in ((tails, heads), (heads, tails)):
            eager = adjacency(g.n, a.tolist(), b.tolist(), secs.tolist())
            lazy = rows(g.n, a, b, secs)
            assert [list(lazy[u]) for u in range(g.n)] == eager, mode


def test_hierarchy_rows_are_its_csr_arrays(network: RoadNetwork) -> None:
    h: Hierarchy = network.modes["walking"].hierarchy()
    for u in range(0, h.n, 97):
        a, b = int(h.up_ptr[u]), int(h.up_ptr[u + 1])
        assert h._up[u] == tuple(zip(h.up_to[a:b].tolist(), h.up_w[a:b].tolist(), strict=True))
        a, b = int(h.dn_ptr[u]), int(h.dn_ptr[u + 1])
        assert h._dn[u] == tuple(zip(h.dn_from[a:b].tolist(), h.dn_w[a:b].tolist(), strict=True))
