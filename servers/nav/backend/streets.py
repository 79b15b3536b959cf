"""The street network inside a box, as lines for a map the client draws itself.

Why: the route map view (``shared/views/route_map.html``) runs in a sandboxed iframe with no network, so it cannot
load map tiles; it draws the streets it gets here as vector lines under the route. They come from the same road
network the routes run on, so a route always lies on a drawn street.

The lines are built once per network, on the first request rather than at start-up (most sessions never open a
view): every segment of every travel mode's graph without duplicates, chained into one line per stretch of a
street (same name and class), simplified to what a city map shows, each with its bounding box for the filter. A
grown city (scale > 1) repeats them in every district at its offset, named as its routes name them
('Annankatu, Töölö'). A box holding more than ``MAX_STREET_POINTS`` coordinates gets the major roads first and
leaves out whole kinds (paths, then streets), so a drawing is never a random half of a layer.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query

from shared.arrays import unique_rows
from shared.errors import InvalidInputError
from shared.schemas.common import GeoPoint
from shared.schemas.nav import MAX_STREET_POINTS, StreetKind, StreetLine, StreetMap

from .ch import FloatArray
from .graph import MAJOR, RoadNetwork
from .render import ATTRIBUTION
from .routing import Router, encode_polyline, simplify

PATHS = {"pedestrian", "footway", "path", "cycleway", "steps", "track", "corridor", "platform", "bridleway"}
KINDS: tuple[StreetKind, ...] = ("major", "street", "path")
TOLERANCE_M = 2.0  # Douglas–Peucker tolerance: below what a street map at city scale shows


def kind_of(road_class: str) -> StreetKind:
    if road_class in MAJOR:
        return "major"
    return "path" if road_class in PATHS else "street"


@dataclass(frozen=True)
class Line:
    """One chained, simplified stretch of a street in the real city's coordinates."""

    name: str
    road_class: str
    kind: StreetKind
    lat: FloatArray
    lng: FloatArray


def chains(edges: list[tuple[int, int]]) -> list[list[int]]:
    """Node sequences covering every edge once, broken only where a street forks or ends (degree ≠ 2)."""
    touching: dict[int, list[int]] = defaultdict(list)
    for i, (u, v) in enumerate(edges):
        touching[u].append(i)
        touching[v].append(i)
    used = [False] * len(edges)

    def walk(node: int, edge: int) -> list[int]:
        nodes = [node]
        while True:
            used[edge] = True
            u, v = edges[edge]
            node = v if u == node else u
            nodes.append(node)
            nxt = [e for e in touching[node] if not used[e]] if len(touching[node]) == 2 else []
            if not nxt:
                return nodes
            edge = nxt[0]

    out = [walk(node, e) for node, es in touching.items() if len(es) != 2 for e in es if not used[e]]
    out += [walk(edges[e][0], e) for e in range(len(edges)) if not used[e]]  # closed loops (a square's ring)
    return out


def street_lines(network: RoadNetwork) -> list[Line]:
    """Every street segment of every mode once, chained per (name, class) and simplified."""
    graphs = list(network.modes.values())
    tail = np.concatenate([g.tail for g in graphs])
    head = np.concatenate([g.head for g in graphs])
    cls = np.concatenate([g.road_class for g in graphs])
    name = np.concatenate([g.name for g in graphs])
    rows = unique_rows(np.stack([np.minimum(tail, head), np.maximum(tail, head), cls, name], axis=1))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for u, v, c, n in rows.tolist():
        if u != v:
            groups[(c, n)].append((u, v))
    lines: list[Line] = []
    for (c, n), edges in groups.items():
        road_class = network.classes[c]
        for nodes in chains(edges):
            pts = [(float(network.lat[i]), float(network.lng[i])) for i in nodes]
            xy = [(float(network.x[i]), float(network.y[i])) for i in nodes]
            keep = [nodes[k] for k in simplify(pts, xy, TOLERANCE_M)]
            lines.append(Line(network.names[n], road_class, kind_of(road_class), network.lat[keep], network.lng[keep]))
    return lines


class StreetIndex:
    """The lines of one network, with their boxes, answering 'what is inside this box' in every district."""

    def __init__(self, network: RoadNetwork, router: Router) -> None:
        self.network = network
        self.router = router
        self._lines: list[Line] | None = None
        self._boxes: FloatArray | None = None  # per line: south, west, north, east
        self._lock = threading.Lock()

    def lines(self) -> tuple[list[Line], FloatArray]:
        with self._lock:
            if self._lines is None or self._boxes is None:
                self._lines = street_lines(self.network)
                self._boxes = np.array([[ln.lat.min(), ln.lng.min(), ln.lat.max(), ln.lng.max()] for ln in self._lines])
            return self._lines, self._boxes

    def within(self, south: float, west: float, north: float, east: float) -> StreetMap:
        if not (south < north and west < east):
            raise InvalidInputError(
                f"The box ({south}, {west}) – ({north}, {east}) is empty.",
                "Give the south-west corner first: min_lat < max_lat and min_lng < max_lng.",
                field="min_lat",
            )
        lines, boxes = self.lines()
        s0, w0, n0, e0 = self.network.bounds
        found: dict[StreetKind, list[StreetLine]] = {kind: [] for kind in KINDS}
        points: dict[StreetKind, int] = dict.fromkeys(KINDS, 0)
        for tile in range(len(self.router.shifts())):
            dlat, dlng, _, _ = self.router.offset(tile)
            s, w, n, e = south - dlat, west - dlng, north - dlat, east - dlng  # the box in the real city's frame
            if s > n0 or n < s0 or w > e0 or e < w0:
                continue
            suffix = self.router.suffix(tile)
            hit = (boxes[:, 0] <= n) & (boxes[:, 2] >= s) & (boxes[:, 1] <= e) & (boxes[:, 3] >= w)
            for i in np.flatnonzero(hit).tolist():
                ln = lines[i]
                pts = list(zip((ln.lat + dlat).tolist(), (ln.lng + dlng).tolist(), strict=True))
                name = ln.name + suffix if ln.name else ""
                found[ln.kind].append(StreetLine(name=name, road_class=ln.road_class, kind=ln.kind,
                                                 polyline=encode_polyline(pts)))  # fmt: skip
                points[ln.kind] += len(pts)
        streets: list[StreetLine] = []
        left_out: list[StreetKind] = []
        total = 0
        for kind in KINDS:
            if left_out or total + points[kind] > MAX_STREET_POINTS:
                left_out.append(kind)
                continue
            streets += found[kind]
            total += points[kind]
        return StreetMap(
            south_west=GeoPoint(lat=south, lng=west),
            north_east=GeoPoint(lat=north, lng=east),
            streets=streets,
            points=total,
            left_out=left_out,
            attribution=ATTRIBUTION,
        )


def streets_router(network: RoadNetwork, router: Router) -> APIRouter:
    """``GET /streets``: the street lines inside a box (see the module docstring)."""
    index = StreetIndex(network, router)
    api = APIRouter(tags=["maps"])

    @api.get("/streets")
    def streets(
        south: Annotated[float, Query(ge=-90, le=90, description="Southern edge (latitude).")],
        west: Annotated[float, Query(ge=-180, le=180, description="Western edge (longitude).")],
        north: Annotated[float, Query(ge=-90, le=90, description="Northern edge (latitude).")],
        east: Annotated[float, Query(ge=-180, le=180, description="Eastern edge (longitude).")],
    ) -> StreetMap:
        return index.within(south, west, north, east)

    return api
