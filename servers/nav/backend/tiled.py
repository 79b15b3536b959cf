"""Road routes in a grown city: the real street network copied into every district, with link roads between them.

A scale-N sandbox (``shared.growth``) repeats the real city's streets in N tiles. Copying the graph N times would
cost N× the memory and a contraction hierarchy per copy (hours in Python at N = 100), and every copy is the same
graph. So the copies stay virtual: node ``tile * n + v`` is node ``v`` of the real network shifted by the tile's
offset, and a route is found in two levels:

- inside one district, the real network's hierarchy answers (a route never leaves its district to come back);
- between districts, an overlay of *portals*: a few main-component nodes along each edge of the real network
  (the same in every copy), joined inside a tile by their portal-to-portal costs (one table per travel profile,
  computed once from the hierarchy's search spaces) and across neighbouring tiles by a straight link road from a
  portal to the nearest portal on the facing edge of the neighbour. An A* over this overlay, from the origin's
  costs to its tile's portals to the destination tile's portals, picks the crossings; each leg inside a tile is
  then one hierarchy query, unpacked to real streets and shifted into place.

Memory is the real network plus a few kilobytes per profile, whatever the scale; the first route between
districts prepares the profile's portal table (tens of milliseconds).
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from shared.errors import NotFoundError
from shared.growth import TILE_LAT, TILE_LNG, Tile, spiral
from shared.schemas.common import GeoPoint
from shared.schemas.nav import Route

from .ch import Hierarchy
from .graph import TRAFFIC, ModeGraph, Period, RoadNetwork, traffic_period
from .routing import MODE_WORD, SNAP_CHOICES, SNAP_SLACK_M, PathView, RoadPath, Router, Snapped

PORTALS_PER_SIDE = 6
SIDES = ("east", "west", "north", "south")
FACING = {"east": "west", "west": "east", "north": "south", "south": "north"}
STEP = {"east": (0, 1), "west": (0, -1), "north": (1, 0), "south": (-1, 0)}  # (row, col) of the neighbour
LINK_KMH = {"driving": 40.0, "walking": 4.8, "cycling": 15.0}
LINK_WORD = {"driving": "road", "walking": "path", "cycling": "path"}
INF = math.inf


@dataclass
class Profile:
    """One travel profile's overlay: the portals, their costs across a tile, the links to neighbouring tiles and
    the search-space buckets that give any node's costs to and from every portal."""

    portals: list[int]  # real-network nodes
    px: list[float]
    py: list[float]
    across: list[list[float]]  # across[i][j]: cost from portal i to portal j inside one tile
    links: list[list[tuple[str, int, float, float]]]  # per portal: (side, portal of the neighbour, metres, seconds)
    to_bucket: dict[int, list[tuple[int, float]]]  # node → (portal j, cost node → j) from j's backward space
    from_bucket: dict[int, list[tuple[int, float]]]  # node → (portal i, cost i → node) from i's forward space
    vmax: float  # metres per second no edge beats: the A* bound


class TiledRouter(Router):
    """``Router`` over every district of a grown city; the real city is tile 0 and routes there exactly as before."""

    def __init__(self, network: RoadNetwork, tiles: list[Tile]) -> None:
        super().__init__(network)
        self.tiles = tiles
        self.n = len(network.lat)
        s, w, n, e = network.bounds
        self.centre = ((s + n) / 2, (w + e) / 2)
        self.by_cell = {spiral(t.number): t.number for t in tiles}
        k = math.pi / 180 * 6_371_008.8
        coslat = math.cos(math.radians(network.lat0))
        self.shift = [(t.dlat, t.dlng, t.dlng * k * coslat, t.dlat * k) for t in tiles]
        self._profiles: dict[tuple[str, Period], Profile] = {}
        self._lock = threading.Lock()

    # ----- where points are -------------------------------------------------------------------------
    def tile_at(self, lat: float, lng: float) -> int:
        """The district a point is in (the nearest tile centre's), or -1 outside the grown city."""
        cell = (round((lat - self.centre[0]) / TILE_LAT), round((lng - self.centre[1]) / TILE_LNG))
        return self.by_cell.get(cell, -1)

    def offset(self, tile: int) -> tuple[float, float, float, float]:
        return self.shift[tile]

    def suffix(self, tile: int) -> str:
        return f", {self.tiles[tile].district}" if tile else ""

    def nearest(self, mode: str, lat: float, lng: float) -> tuple[int, float]:
        tile = self.tile_at(lat, lng)
        if tile < 0:
            return -1, INF
        dlat, dlng, _, _ = self.shift[tile]
        node, gap = self.network.snap(mode, lat - dlat, lng - dlng)
        return tile * self.n + node, gap

    def snaps(self, mode: str, point: GeoPoint) -> list[Snapped]:
        tile = self.tile_at(point.lat, point.lng)
        if tile < 0:
            return []
        dlat, dlng, _, _ = self.shift[tile]
        near = self.network.snaps(mode, point.lat - dlat, point.lng - dlng, SNAP_SLACK_M, SNAP_CHOICES)
        return [Snapped(tile * self.n + node, gap) for node, gap in near]

    def coverage(self) -> str:
        s, w, n, e = self.network.bounds
        lats = [t.dlat for t in self.tiles]
        lngs = [t.dlng for t in self.tiles]
        return (
            f"The map covers Helsinki's {len(self.tiles)} districts (lat {s + min(lats):.3f}–{n + max(lats):.3f}, "
            f"lng {w + min(lngs):.3f}–{e + max(lngs):.3f}): pick a point or place on a street in one of them."
        )

    def shifts(self) -> list[tuple[float, float]]:
        return [(dx, dy) for _, _, dx, dy in self.shift]

    def in_real_city(self, points: list[GeoPoint]) -> bool:
        return all(self.tile_at(p.lat, p.lng) == 0 for p in points)

    def district(self, point: GeoPoint) -> str:
        tile = self.tile_at(point.lat, point.lng)
        return self.tiles[tile].district if tile >= 0 else ""

    # ----- routes -------------------------------------------------------------------------------------
    def route(
        self, mode: str, a: GeoPoint, b: GeoPoint, depart: datetime, *, alternatives: bool = False
    ) -> list[Route]:
        period: Period = traffic_period(depart) if mode == "driving" else "night"
        best, sa, sb = self._best_path(mode, a, b, period)
        if best is None:  # every portal is in the main component, so this means a clipped one-way corner
            raise NotFoundError(
                f"No {MODE_WORD[mode]} route connects these points on the mapped streets.",
                "Try another mode (walking reaches every mapped street), or a destination a little further in.",
            )
        paths = [best]
        if alternatives and best.view is None:  # inside one district: the real city's alternatives, shifted
            found = self.alternatives(self.network.modes[mode], best, period)
            paths += [RoadPath(p.nodes, p.edges, p.seconds, p.metres, tile=best.tile) for p in found]
        return [self.describe(mode, p, sa, sb, a, b, depart, period) for p in paths]

    def shortest(self, mode: str, s: int, t: int, period: Period) -> RoadPath | None:
        (ta, ls), (tb, lt) = divmod(s, self.n), divmod(t, self.n)
        g = self.network.modes[mode]
        if ta == tb:
            local = super().shortest(mode, ls, lt, period)
            if local is not None:
                local.tile = ta
            return local
        prof = self.profile(mode, period)
        legs = self._overlay(prof, g.hierarchy(period), ta, ls, tb, lt)
        if legs is None:
            return None
        view = PathView.empty()
        seconds = metres = 0.0
        hierarchy = g.hierarchy(period)
        for leg in legs:
            if isinstance(leg, Link):
                dlat, dlng, dx, dy = self.shift[leg.tile]
                node = prof.portals[leg.portal]
                view.link(float(self.network.lat[node]) + dlat, float(self.network.lng[node]) + dlng,
                          prof.px[leg.portal] + dx, prof.py[leg.portal] + dy, leg.metres, leg.seconds,
                          f"{LINK_WORD[mode]} to {self.tiles[leg.tile].district}")  # fmt: skip
                seconds += leg.seconds
                metres += leg.metres
                continue
            cost, nodes = hierarchy.query(leg.start, leg.end)
            if not nodes:
                return None
            edges = g.edges_along(nodes)
            piece = RoadPath(nodes, edges, cost, float(g.length_m[edges].sum()) if edges else 0.0, tile=leg.tile)
            view.extend(self.view(mode, piece, period))
            seconds += cost
            metres += piece.metres
        return RoadPath([s, t], [], seconds, metres, tile=ta, view=view)

    # ----- the overlay --------------------------------------------------------------------------------
    def profile(self, mode: str, period: Period) -> Profile:
        key = (mode, period if mode == "driving" else "night")
        with self._lock:
            found = self._profiles.get(key)
            if found is None:
                found = self._profiles[key] = self._prepare(self.network.modes[mode], key[1])
            return found

    def _prepare(self, g: ModeGraph, period: Period) -> Profile:
        net = self.network
        hierarchy = g.hierarchy(period)
        sides: dict[str, list[int]] = {}
        lat, lng = net.lat[g.snap_nodes], net.lng[g.snap_nodes]
        for side in SIDES:
            along, out = (lat, lng) if side in ("east", "west") else (lng, lat)
            sign = 1.0 if side in ("east", "north") else -1.0
            edges = np.linspace(float(along.min()), float(along.max()), PORTALS_PER_SIDE + 1)
            band = np.clip(np.searchsorted(edges, along, side="right") - 1, 0, PORTALS_PER_SIDE - 1)
            chosen = []
            for b in range(PORTALS_PER_SIDE):
                members = np.flatnonzero(band == b)
                if len(members):
                    chosen.append(int(g.snap_nodes[members[np.argmax(sign * out[members])]]))
            sides[side] = chosen
        portals = sorted({p for side in SIDES for p in sides[side]})
        index = {p: i for i, p in enumerate(portals)}
        px, py = net.x[portals].tolist(), net.y[portals].tolist()
        to_bucket: dict[int, list[tuple[int, float]]] = {}
        from_bucket: dict[int, list[tuple[int, float]]] = {}
        for j, p in enumerate(portals):
            for node, cost in hierarchy.search_space(p, forward=False).items():
                to_bucket.setdefault(node, []).append((j, cost))
            for node, cost in hierarchy.search_space(p, forward=True).items():
                from_bucket.setdefault(node, []).append((j, cost))
        across = [_join(hierarchy.search_space(p, forward=True), to_bucket, len(portals)) for p in portals]
        # A tile's neighbour is the same network shifted by one tile: a portal on the east edge links to the
        # nearest portal on the west edge of the copy to the east, and so on.
        k = math.pi / 180 * 6_371_008.8
        step_x, step_y = TILE_LNG * k * math.cos(math.radians(net.lat0)), TILE_LAT * k
        congestion = TRAFFIC[period][1] if g.mode == "driving" else 1.0
        links: list[list[tuple[str, int, float, float]]] = [[] for _ in portals]
        for side in SIDES:
            dr, dc = STEP[side]
            for p in sides[side]:
                i = index[p]
                x, y = px[i] - dc * step_x, py[i] - dr * step_y  # this portal seen from the neighbour's frame
                metres, j = min((math.hypot(px[index[q]] - x, py[index[q]] - y), index[q]) for q in sides[FACING[side]])
                links[i].append((side, j, metres, metres / (LINK_KMH[g.mode] / 3.6) * congestion))
        speeds = g.length_m / np.maximum(g.costs(period), 1e-9)
        vmax = max(float(speeds.max()), LINK_KMH[g.mode] / 3.6)
        return Profile(portals, px, py, across, links, to_bucket, from_bucket, vmax)

    def _overlay(
        self, prof: Profile, hierarchy: Hierarchy, ta: int, ls: int, tb: int, lt: int
    ) -> list[Leg | Link] | None:
        """The cheapest crossing of districts from node ``ls`` of tile ``ta`` to node ``lt`` of tile ``tb``, as legs
        inside tiles and links between them (A* on the portal overlay; straight distance at top speed bounds it)."""
        count = len(prof.portals)
        start = _join(hierarchy.search_space(ls, forward=True), prof.to_bucket, count)
        finish = _join(hierarchy.search_space(lt, forward=False), prof.from_bucket, count)
        _, _, bx, by = self.shift[tb]
        goal_x, goal_y = float(self.network.x[lt]) + bx, float(self.network.y[lt]) + by
        vmax = prof.vmax

        def h(tile: int, i: int) -> float:
            _, _, dx, dy = self.shift[tile]
            return math.hypot(prof.px[i] + dx - goal_x, prof.py[i] + dy - goal_y) / vmax

        dist: dict[int, float] = {}
        pred: dict[int, int] = {}
        heap: list[tuple[float, float, int]] = []
        for i, d in enumerate(start):
            if d < INF:
                node = ta * count + i
                dist[node], pred[node] = d, -1
                heap.append((d + h(ta, i), d, node))
        heapq.heapify(heap)
        best, meet = INF, -1
        done: set[int] = set()
        while heap:
            f, d, node = heapq.heappop(heap)
            if f >= best:
                break
            if node in done:
                continue
            done.add(node)
            tile, i = divmod(node, count)
            if tile == tb and d + finish[i] < best:
                best, meet = d + finish[i], node
            row, col = spiral(tile)
            for j, c in enumerate(prof.across[i]):
                self._relax(dist, pred, heap, node, tile * count + j, d + c, h(tile, j))
            for side, j, _metres, seconds in prof.links[i]:
                dr, dc = STEP[side]
                other = self.by_cell.get((row + dr, col + dc))
                if other is not None:
                    self._relax(dist, pred, heap, node, other * count + j, d + seconds, h(other, j))
        if meet < 0:
            return None
        chain = [meet]
        while pred[chain[-1]] >= 0:
            chain.append(pred[chain[-1]])
        chain.reverse()
        legs: list[Leg | Link] = []
        first_tile, first = divmod(chain[0], count)
        legs.append(Leg(first_tile, ls, prof.portals[first]))
        for u, v in itertools.pairwise(chain):
            (tu, iu), (tv, iv) = divmod(u, count), divmod(v, count)
            if tu == tv:
                legs.append(Leg(tu, prof.portals[iu], prof.portals[iv]))
            else:
                (ru, cu), (rv, cv) = spiral(tu), spiral(tv)
                _, _, metres, seconds = next(
                    link for link in prof.links[iu] if link[1] == iv and STEP[link[0]] == (rv - ru, cv - cu)
                )
                legs.append(Link(tv, iv, metres, seconds))
        last_tile, last = divmod(chain[-1], count)
        legs.append(Leg(last_tile, prof.portals[last], lt))
        return legs

    @staticmethod
    def _relax(
        dist: dict[int, float], pred: dict[int, int], heap: list[tuple[float, float, int]], u: int, v: int, d: float,
        h: float,
    ) -> None:  # fmt: skip
        if d < dist.get(v, INF):
            dist[v], pred[v] = d, u
            heapq.heappush(heap, (d + h, d, v))


@dataclass
class Leg:
    """A stretch inside one tile, between two nodes of the real network."""

    tile: int
    start: int
    end: int


@dataclass
class Link:
    """A link road into ``tile``, arriving at its portal ``portal``."""

    tile: int
    portal: int
    metres: float
    seconds: float


def _join(space: dict[int, float], bucket: dict[int, list[tuple[int, float]]], count: int) -> list[float]:
    """Costs to (or from) every portal through the meeting nodes of a search space and the portals' buckets."""
    best = [INF] * count
    for node, d in space.items():
        for j, c in bucket.get(node, ()):
            if d + c < best[j]:
                best[j] = d + c
    return best
