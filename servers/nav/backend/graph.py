"""The city's road network per travel mode, as compact arrays.

``fixtures/nav/roads.json.gz`` holds every routable OSM highway segment with per-mode access
flags. From it each mode gets a directed graph (one-way streets only bind cars and bikes),
edge costs in seconds from the road class (and the speed limit when tagged), the nodes of the
mode's largest strongly connected component (where points snap to, by a vectorised nearest-node
scan), and a contraction hierarchy per cost profile: shipped prepared in ``fixtures/nav/ch``
(``fixtures/build_nav.py``), else prepared once and cached on disk.

Driving costs depend on the time of day: ``TRAFFIC`` scales each road class per period, and
each period has its own hierarchy, so a route at 08:00 may avoid the main roads a route at
03:00 takes.
"""

from __future__ import annotations

import gc
import gzip
import json
import logging
import math
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

from shared.arrays import find_sorted, run_starts
from shared.geo import CITY_TZ, EARTH_RADIUS_M

from .ch import FloatArray, Hierarchy, IntArray
from .paths import largest_component, nearest

log = logging.getLogger(__name__)

Mode = Literal["driving", "walking", "cycling"]
Period = Literal["night", "day", "peak"]
MODES: tuple[Mode, ...] = ("driving", "walking", "cycling")
PERIODS: tuple[Period, ...] = ("night", "day", "peak")
CAR_FWD, CAR_BWD, FOOT, BIKE_FWD, BIKE_BWD = 1, 2, 4, 8, 16

# km/h when no speed limit is tagged (central-city values).
CAR_SPEED = {
    "motorway": 80, "trunk": 60, "primary": 40, "secondary": 40, "tertiary": 35, "unclassified": 30,
    "residential": 30, "living_street": 10, "service": 15, "motorway_link": 50, "trunk_link": 40,
    "primary_link": 30, "secondary_link": 30, "tertiary_link": 25,
}  # fmt: skip
WALK_SPEED = {"steps": 2.5, "corridor": 4.0}
WALK_DEFAULT = 4.8
BIKE_SPEED = {"cycleway": 18.0, "path": 14.0, "track": 12.0, "footway": 8.0, "pedestrian": 8.0, "living_street": 10.0}
BIKE_DEFAULT = 15.0

# Congestion: duration multiplier by road class group and period of the day.
MAJOR = {"motorway", "trunk", "primary", "secondary", "motorway_link", "trunk_link", "primary_link", "secondary_link"}
MIDDLE = {"tertiary", "tertiary_link", "unclassified"}
TRAFFIC: dict[Period, tuple[float, float, float]] = {  # (major, middle, minor)
    "night": (1.0, 1.0, 1.0),
    "day": (1.35, 1.2, 1.05),
    "peak": (2.0, 1.5, 1.15),
}
TRAFFIC_LABEL: dict[Period, str] = {"night": "light", "day": "moderate", "peak": "heavy"}


def traffic_period(at: datetime) -> Period:
    """Rush hours on weekdays 07–09 and 15–18 local time; daytime 06–21 (10–20 on weekends); else night."""
    local = at.astimezone(CITY_TZ)
    hour, weekend = local.hour + local.minute / 60, local.weekday() >= 5
    if not weekend and (7 <= hour < 9 or 15 <= hour < 18):
        return "peak"
    if (10 <= hour < 20) if weekend else (6 <= hour < 21):
        return "day"
    return "night"


def metres_xy(lat: FloatArray, lng: FloatArray, lat0: float) -> tuple[FloatArray, FloatArray]:
    """Equirectangular projection in metres: exact enough for a few kilometres."""
    k = math.pi / 180 * EARTH_RADIUS_M
    return lng * k * math.cos(math.radians(lat0)), lat * k


@dataclass
class ModeGraph:
    """One mode's directed graph over the shared node arrays."""

    mode: Mode
    n: int
    tail: IntArray
    head: IntArray
    length_m: FloatArray
    seconds: FloatArray
    road_class: IntArray
    name: IntArray
    edge_keys: IntArray  # tail * n + head of every pair of nodes an edge joins, ascending, once each
    edge_index: IntArray  # the cheapest edge of each pair in ``edge_keys``
    snap_nodes: IntArray  # nodes of the largest strongly connected component
    snap_x: FloatArray  # their projected coordinates, where points snap to
    snap_y: FloatArray
    cache_dir: Path | None
    classes: list[str]
    shipped: Path | None = None  # prepared hierarchies that come with the fixtures (fixtures/build_nav.py)
    _hierarchies: dict[str, Hierarchy] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def costs(self, period: Period = "night") -> FloatArray:
        if self.mode != "driving" or period == "night":
            return self.seconds
        major, middle, minor = TRAFFIC[period]
        factor = np.array(
            [major if c in MAJOR else middle if c in MIDDLE else minor for c in self.classes], dtype=np.float64
        )
        return self.seconds * factor[self.road_class]

    def hierarchy(self, period: Period = "night") -> Hierarchy:
        key = period if self.mode == "driving" else "night"
        with self._lock:
            found = self._hierarchies.get(key)
            if found is None:
                found = Hierarchy.cached(self.n, self.tail, self.head, self.costs(key), self.cache_dir, self.shipped)
                self._hierarchies[key] = found
                gc.freeze()  # the hierarchy lives as long as the process: keep it out of GC passes (query p99)
            return found

    def edges_along(self, nodes: list[int]) -> list[int]:
        """The cheapest edge between each pair of consecutive nodes of a path (every pair must be joined)."""
        path = np.asarray(nodes, dtype=np.int64)
        at, joined = find_sorted(self.edge_keys, path[:-1] * self.n + path[1:])
        if not joined.all():  # never a neighbouring edge in its place
            raise KeyError(f"{self.mode}: no edge joins some consecutive nodes of the path")
        return self.edge_index[at].tolist()


@dataclass
class RoadNetwork:
    """Every mode's graph plus the shared node coordinates and street names."""

    lat: FloatArray
    lng: FloatArray
    names: list[str]
    classes: list[str]
    modes: Mapping[str, ModeGraph]
    x: FloatArray
    y: FloatArray
    lat0: float
    named_edges: Callable[[Mode], tuple[IntArray, IntArray]] | None = None  # ``edge_names`` of an unbuilt graph

    def edge_names(self, mode: Mode) -> tuple[IntArray, IntArray]:
        """The tail node and street name (an index into ``names``) of each of the mode's edges, in its graph's edge
        order, without building the graph when it is not built yet: the geocoder's street index needs only these
        (building the walking graph for them, its component and edge lookups, was ~10 ms of a fresh server's first
        geocode)."""
        built = self.modes.built(mode) if isinstance(self.modes, LazyModes) else self.modes[mode]
        if built is None and self.named_edges is not None:
            return self.named_edges(mode)
        graph = built if built is not None else self.modes[mode]
        return graph.tail, graph.name

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return float(self.lat.min()), float(self.lng.min()), float(self.lat.max()), float(self.lng.max())

    def project(self, lat: float, lng: float) -> tuple[float, float]:
        x, y = metres_xy(np.array([lat]), np.array([lng]), self.lat0)
        return float(x[0]), float(y[0])

    def snap(self, mode: str, lat: float, lng: float) -> tuple[int, float]:
        """Nearest node of the mode's main component and its straight-line distance in metres."""
        g = self.modes[mode]
        i, dist = nearest(g.snap_x, g.snap_y, *self.project(lat, lng))
        return int(g.snap_nodes[i]), dist

    def snaps(self, mode: str, lat: float, lng: float, slack_m: float, count: int) -> list[tuple[int, float]]:
        """The ``count`` nearest nodes of the mode's main component within ``slack_m`` of the nearest, nearest
        first, with their distances in metres."""
        g = self.modes[mode]
        x, y = self.project(lat, lng)
        d = np.hypot(g.snap_x - x, g.snap_y - y)
        k = min(count, len(d))
        near = np.argpartition(d, k - 1)[:k]
        near = near[np.argsort(d[near], kind="stable")]
        return [(int(g.snap_nodes[i]), float(d[i])) for i in near.tolist() if d[i] <= d[near[0]] + slack_m]


def _speed_kmh(mode: Mode, cls: str, limit: int) -> float:
    if mode == "driving":
        base = float(CAR_SPEED.get(cls, 30))
        return min(base, float(limit)) if limit else base
    if mode == "walking":
        return WALK_SPEED.get(cls, WALK_DEFAULT)
    return BIKE_SPEED.get(cls, BIKE_DEFAULT)


MODE_FLAGS: dict[Mode, tuple[int, int]] = {
    "driving": (CAR_FWD, CAR_BWD),
    "walking": (FOOT, FOOT),
    "cycling": (BIKE_FWD, BIKE_BWD),
}


class LazyModes(Mapping[str, ModeGraph]):
    """Each mode's graph, built the first time it is asked for: a server's first route (walking, say) then waits
    for its own mode only, not the other two, and a server that never drives never holds the driving graph."""

    def __init__(self, build: Callable[[Mode], ModeGraph]) -> None:
        self._build = build
        self._built: dict[str, ModeGraph] = {}
        self._lock = threading.Lock()

    def __getitem__(self, mode: str) -> ModeGraph:
        found = self._built.get(mode)
        if found is not None:
            return found
        if mode not in MODE_FLAGS:
            raise KeyError(mode)
        with self._lock:  # routes run on a thread pool: two first routes of one mode build it once
            if mode not in self._built:
                self._built[mode] = self._build(cast(Mode, mode))
            return self._built[mode]

    def built(self, mode: str) -> ModeGraph | None:
        """The mode's graph if it is built already; never builds it."""
        return self._built.get(mode)

    def __iter__(self) -> Iterator[str]:
        return iter(MODE_FLAGS)

    def __len__(self) -> int:
        return len(MODE_FLAGS)


def load_network(fixtures_dir: Path, cache_dir: Path | None = None) -> RoadNetwork:
    with gzip.open(fixtures_dir / "nav" / "roads.json.gz", "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    coords = np.array(raw["nodes_e7"], dtype=np.float64) / 1e7
    lat, lng = coords[:, 0].copy(), coords[:, 1].copy()
    lat0 = float(lat.mean())
    x, y = metres_xy(lat, lng, lat0)
    n = len(lat)
    classes: list[str] = raw["classes"]
    seg = np.array(raw["segments"], dtype=np.int64)
    a, b, length_dm, cls, name, flags, limit = seg.T

    def directions(mode: Mode) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        fwd_bit, bwd_bit = MODE_FLAGS[mode]
        return (flags & fwd_bit) > 0, (flags & bwd_bit) > 0

    def named_edges(mode: Mode) -> tuple[IntArray, IntArray]:
        fwd, bwd = directions(mode)
        return np.concatenate([a[fwd], b[bwd]]), np.concatenate([name[fwd], name[bwd]])

    def build(mode: Mode) -> ModeGraph:
        fwd, bwd = directions(mode)
        tail = np.concatenate([a[fwd], b[bwd]])
        head = np.concatenate([b[fwd], a[bwd]])
        length = np.concatenate([length_dm[fwd], length_dm[bwd]]) / 10.0
        road_class = np.concatenate([cls[fwd], cls[bwd]])
        names = np.concatenate([name[fwd], name[bwd]])
        limits = np.concatenate([limit[fwd], limit[bwd]])
        speed = np.array(
            [
                _speed_kmh(mode, classes[c], int(lim))
                for c, lim in zip(road_class.tolist(), limits.tolist(), strict=True)
            ]
        )
        seconds = length / (speed / 3.6)
        # per pair of nodes its cheapest edge (the first of equals), as sorted arrays: a dict of every edge held
        # ~1.4 MB of Python objects in each server for lookups a route makes a few hundred of
        keys = tail * n + head
        by_key = np.lexsort((seconds, keys))  # stable: among equal costs the first edge comes first
        ordered = keys[by_key]
        first = run_starts(ordered)
        snap_nodes = largest_component(n, tail, head)
        log.info("%s graph: %d edges, %d nodes in the main component", mode, len(tail), len(snap_nodes))
        return ModeGraph(
            mode=mode,
            n=n,
            tail=tail,
            head=head,
            length_m=length,
            seconds=seconds,
            road_class=road_class,
            name=names,
            edge_keys=ordered[first],
            edge_index=by_key[first],
            snap_nodes=snap_nodes,
            snap_x=x[snap_nodes],
            snap_y=y[snap_nodes],
            cache_dir=cache_dir,
            classes=classes,
            shipped=fixtures_dir / "nav" / "ch",
        )

    return RoadNetwork(lat=lat, lng=lng, names=raw["names"], classes=classes, modes=LazyModes(build), x=x, y=y,
                       lat0=lat0, named_edges=named_edges)  # fmt: skip
