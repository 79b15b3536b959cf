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

import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

import numpy as np
from fastapi import Query, Request

from shared.arrays import unique_rows
from shared.errors import InvalidInputError
from shared.kit.backend import provider_routes
from shared.schemas.common import GeoPoint
from shared.schemas.nav import MAX_STREET_BYTES, MAX_STREET_POINTS, StreetKind, StreetLine, StreetMap

from .ch import FloatArray
from .graph import MAJOR, RoadNetwork
from .render import ATTRIBUTION
from .routing import Router, encode_polyline, simplify

PATHS = {"pedestrian", "footway", "path", "cycleway", "steps", "track", "corridor", "platform", "bridleway"}
KINDS: tuple[StreetKind, ...] = ("major", "street", "path")
TOLERANCE_M = 2.0  # Douglas–Peucker tolerance: below what a street map at city scale shows
ENVELOPE = 400  # bytes of an answer's JSON besides its lines (corners, counts, left_out, attribution): at most


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


def chains(edges: list[tuple[int, int]], x: FloatArray, y: FloatArray) -> list[list[int]]:
    """Node sequences (strokes) covering every edge once. A stroke starts at a dead end or a fork (odd degree)
    and goes on through every junction along the straightest edge not yet used, so it ends only where nothing is
    left: a mesh of footways becomes a few long strokes rather than one line per stretch between crossings."""
    touching: dict[int, list[int]] = defaultdict(list)
    for i, (u, v) in enumerate(edges):
        touching[u].append(i)
        touching[v].append(i)
    used = [False] * len(edges)

    def heading(a: int, b: int) -> float:
        return math.atan2(float(y[b] - y[a]), float(x[b] - x[a]))

    def turn(node: int, edge: int, ahead: float) -> float:
        u, v = edges[edge]
        angle = abs(heading(node, v if u == node else u) - ahead) % math.tau
        return min(angle, math.tau - angle)

    def walk(node: int, edge: int) -> list[int]:
        nodes = [node]
        while True:
            used[edge] = True
            u, v = edges[edge]
            prev, node = node, v if u == node else u
            nodes.append(node)
            nxt = [e for e in touching[node] if not used[e]]
            if not nxt:
                return nodes
            ahead = heading(prev, node)
            edge = min(nxt, key=lambda e: turn(node, e, ahead))

    out = [walk(node, e) for node, es in touching.items() if len(es) % 2 for e in es if not used[e]]
    out += [walk(edges[e][0], e) for e in range(len(edges)) if not used[e]]  # what is left is rings (a square's)
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
        for nodes in chains(edges, network.x, network.y):
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
        self._lines: Lines | None = None
        self._lock = threading.Lock()

    def lines(self) -> Lines:
        with self._lock:
            if self._lines is None:
                self._lines = Lines(street_lines(self.network))
            return self._lines

    def within(self, south: float, west: float, north: float, east: float) -> StreetMap:
        if not (south < north and west < east):
            raise InvalidInputError(
                f"The box ({south}, {west}) – ({north}, {east}) is empty.",
                "Give the south-west corner first: min_lat < max_lat and min_lng < max_lng.",
                field="min_lat",
            )
        index = self.lines()
        s0, w0, n0, e0 = self.network.bounds
        hits: list[tuple[int, list[int]]] = []  # per district (tile) the box touches: the lines touching it
        size: dict[StreetKind, int] = dict.fromkeys(KINDS, 0)  # JSON bytes of each kind's lines, estimated
        points: dict[StreetKind, int] = dict.fromkeys(KINDS, 0)
        for tile in range(len(self.router.shifts())):
            dlat, dlng, _, _ = self.router.offset(tile)
            s, w, n, e = south - dlat, west - dlng, north - dlat, east - dlng  # the box in the real city's frame
            if s > n0 or n < s0 or w > e0 or e < w0:
                continue
            b = index.boxes
            touching = np.flatnonzero((b[:, 0] <= n) & (b[:, 2] >= s) & (b[:, 1] <= e) & (b[:, 3] >= w))
            hits.append((tile, touching.tolist()))
            extra = len(self.router.suffix(tile).encode())  # a district's names are longer: 'Annankatu, Töölö'
            for k, kind in enumerate(KINDS):
                of_kind = touching[index.kind[touching] == k]
                size[kind] += int(index.size[of_kind].sum()) + extra * int(index.named[of_kind].sum())
                points[kind] += int(index.points[of_kind].sum())
        kept: list[StreetKind] = []  # the kinds that fit, most important first: never a part of a kind
        total_size = total_points = 0
        for kind in KINDS:
            if total_size + size[kind] > MAX_STREET_BYTES - ENVELOPE or total_points + points[kind] > MAX_STREET_POINTS:
                break
            kept.append(kind)
            total_size += size[kind]
            total_points += points[kind]
        found: dict[StreetKind, list[StreetLine]] = {kind: [] for kind in KINDS}
        for tile, hit in hits:
            dlat, dlng, _, _ = self.router.offset(tile)
            suffix = self.router.suffix(tile)
            for i in hit:
                ln = index.lines[i]
                if ln.kind not in kept:
                    continue
                polyline = index.polylines[i]
                if tile:
                    polyline = encode_polyline(
                        list(zip((ln.lat + dlat).tolist(), (ln.lng + dlng).tolist(), strict=True))
                    )
                name = ln.name + suffix if ln.name else ""
                found[ln.kind].append(StreetLine(name=name, road_class=ln.road_class, kind=ln.kind, polyline=polyline))
        while True:  # the estimate is exact in the real city; a district's shifted polylines may differ by a byte
            answer = StreetMap(
                south_west=GeoPoint(lat=south, lng=west),
                north_east=GeoPoint(lat=north, lng=east),
                streets=[line for kind in kept for line in found[kind]],
                points=sum(points[kind] for kind in kept),
                left_out=[kind for kind in KINDS if kind not in kept],
                attribution=ATTRIBUTION,
            )
            if not kept or len(answer.model_dump_json().encode()) <= MAX_STREET_BYTES:
                return answer
            kept.pop()


class Lines:
    """Every line of a network with what the filter and the size budget need, as arrays in line order."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.boxes: FloatArray = np.array([[ln.lat.min(), ln.lng.min(), ln.lat.max(), ln.lng.max()] for ln in lines])
        self.polylines = [encode_polyline(list(zip(ln.lat.tolist(), ln.lng.tolist(), strict=True))) for ln in lines]
        self.kind = np.array([KINDS.index(ln.kind) for ln in lines], dtype=np.int8)
        self.named = np.array([bool(ln.name) for ln in lines])
        self.points = np.array([len(ln.lat) for ln in lines], dtype=np.int64)
        self.size = np.array(  # each line's bytes in the answer's JSON, with the comma after it
            [json_size(ln, p) + 1 for ln, p in zip(lines, self.polylines, strict=True)], dtype=np.int64
        )


def json_size(line: Line, polyline: str) -> int:
    street = StreetLine(name=line.name, road_class=line.road_class, kind=line.kind, polyline=polyline)
    return len(street.model_dump_json().encode())


STREET_ROUTES = provider_routes()
"""``GET /streets``: the street lines inside a box (see the module docstring), from the app's ``StreetIndex``
(``app.state.streets``)."""


@STREET_ROUTES.get("/streets", tags=["maps"])
def streets(
    request: Request,
    south: Annotated[float, Query(ge=-90, le=90, description="Southern edge (latitude).")],
    west: Annotated[float, Query(ge=-180, le=180, description="Western edge (longitude).")],
    north: Annotated[float, Query(ge=-90, le=90, description="Northern edge (latitude).")],
    east: Annotated[float, Query(ge=-180, le=180, description="Eastern edge (longitude).")],
) -> StreetMap:
    index: StreetIndex = request.app.state.streets
    return index.within(south, west, north, east)
