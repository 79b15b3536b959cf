"""Public transport: the real tram and metro lines that cross the map, with generated timetables.

``fixtures/nav/transit.json`` lists stops and directed lines (stop order, run times between
stops, headways by time of day and a per-line offset). A journey is found RAPTOR-style: walk
from the origin to stops (walking graph, at most ``MAX_WALK_S``), then up to three rides with
walking transfers between nearby stops, then walk to the destination; the earliest arrival wins,
and walking the whole way is always a candidate.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from shared.geo import CITY_TZ, haversine_m
from shared.schemas.common import GeoPoint
from shared.schemas.nav import Route, RouteStep, TransitLeg

from .graph import RoadNetwork
from .routing import Router, distance_text, duration_text, encode_polyline

MAX_WALK_S = 900.0
TRANSFER_SLACK_S = 60.0
MAX_RIDES = 3
WALK_MS = 4.8 / 3.6
INF = math.inf


def _clock(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


@dataclass
class Line:
    id: str
    ref: str
    kind: str
    headsign: str
    stops: list[int]  # stop indices
    cum: list[float]  # seconds from the first stop
    starts: list[float]  # departures from the first stop, seconds from local midnight (previous night included)
    service: list[tuple[int, int, int]]

    def headway_at(self, seconds: float) -> int:
        for a, b, h in self.service:
            if a <= seconds % 86400 < b or a <= seconds % 86400 + 86400 < b:
                return h
        return 0


@dataclass
class Label:
    arrival: float
    kind: str  # access | ride | walk
    prev: int = -1  # stop index the leg starts from
    line: int = -1
    trip_start: float = 0.0
    board: int = -1  # position on the line


class Transit:
    def __init__(self, fixtures_dir: Path, network: RoadNetwork, router: Router) -> None:
        raw = json.loads((fixtures_dir / "nav" / "transit.json").read_text(encoding="utf-8"))
        self.network = network
        self.router = router
        self.stops: list[dict[str, Any]] = raw["stops"]
        self.stop_index = {s["id"]: i for i, s in enumerate(self.stops)}
        self.lines: list[Line] = []
        for line in raw["lines"]:
            service = [(_clock(a), _clock(b), int(h)) for a, b, h in line["service"]]
            daily: list[float] = []
            for a, b, h in service:
                t = a + line["offset_min"] * 60
                while t < b:
                    daily.append(float(t))
                    t += h * 60
            starts = sorted([t - 86400 for t in daily if t >= 86400] + daily)
            cum = [0.0, *itertools.accumulate(float(s) for s in line["run_s"])]
            self.lines.append(
                Line(line["id"], line["ref"], line["kind"], line["headsign"],
                     [self.stop_index[s] for s in line["stops"]], cum, starts, service)
            )  # fmt: skip
        walk = network.modes["walking"]
        self.stop_nodes = [network.snap("walking", s["lat"], s["lng"])[0] for s in self.stops]
        pairs = dict(zip(walk.edge_at.keys(), walk.edge_at.values(), strict=True))
        keys = np.array(list(pairs.keys()), dtype=np.int64)
        self.walk_matrix = csr_matrix(
            (walk.seconds[np.array(list(pairs.values()), dtype=np.int64)], (keys // walk.n, keys % walk.n)),
            shape=(walk.n, walk.n),
        )
        self.footpaths: list[list[tuple[int, float]]] = [[] for _ in self.stops]
        for i, j in itertools.permutations(range(len(self.stops)), 2):
            a, b = self.stops[i], self.stops[j]
            d = haversine_m(GeoPoint(lat=a["lat"], lng=a["lng"]), GeoPoint(lat=b["lat"], lng=b["lng"]))
            if d < 350:
                self.footpaths[i].append((j, d * 1.3 / WALK_MS))
        self.lines_at: list[list[str]] = [[] for _ in self.stops]
        for line in self.lines:
            for s in line.stops:
                label = f"{line.kind} {line.ref}"
                if label not in self.lines_at[s]:
                    self.lines_at[s].append(label)

    def nearby_stops(self, point: GeoPoint, limit: int = 3) -> list[tuple[int, float]]:
        dist = [(haversine_m(point, GeoPoint(lat=s["lat"], lng=s["lng"])), i) for i, s in enumerate(self.stops)]
        return [(i, d) for d, i in sorted(dist)[:limit]]

    def plan(
        self, a: GeoPoint, b: GeoPoint, depart: datetime, roles: tuple[str, str] = ("origin", "destination")
    ) -> tuple[Route, bool]:
        """The earliest-arriving journey; the flag says whether it uses any vehicle. ``roles`` name the two ends in
        errors (e.g. ``origins[0]`` / ``destinations[2]`` in a matrix)."""
        sa = self.router.snap("walking", a, roles[0])
        sb = self.router.snap("walking", b, roles[1])
        gap_a, gap_b = sa.gap_m / WALK_MS, sb.gap_m / WALK_MS
        from_origin, pred_o = dijkstra(self.walk_matrix, directed=True, indices=sa.node, return_predecessors=True)
        to_dest, pred_d = dijkstra(self.walk_matrix.T.tocsr(), directed=True, indices=sb.node, return_predecessors=True)
        local = depart.astimezone(CITY_TZ)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        t0 = (local - midnight).total_seconds()
        walk_only = t0 + gap_a + float(from_origin[sb.node]) + gap_b
        rounds: list[dict[int, Label]] = [{}]
        for i, node in enumerate(self.stop_nodes):
            access = float(from_origin[node]) + gap_a
            if access <= MAX_WALK_S:
                rounds[0][i] = Label(t0 + access, "access")
        best_arrival: dict[int, float] = {i: lab.arrival for i, lab in rounds[0].items()}
        for k in range(1, MAX_RIDES + 1):
            prev = rounds[k - 1]
            cur: dict[int, Label] = {}
            for li, line in enumerate(self.lines):
                trip = INF
                board = -1
                for pos, stop in enumerate(line.stops):
                    if trip < INF:
                        arr = trip + line.cum[pos]
                        if arr < best_arrival.get(stop, INF) and arr < cur.get(stop, Label(INF, "")).arrival:
                            cur[stop] = Label(
                                arr, "ride", prev=line.stops[board], line=li, trip_start=trip, board=board
                            )
                            best_arrival[stop] = arr
                    lab = prev.get(stop)
                    if lab is None:
                        continue
                    ready = lab.arrival + (TRANSFER_SLACK_S if lab.kind != "access" else 0.0) - line.cum[pos]
                    j = bisect.bisect_left(line.starts, ready)
                    if j < len(line.starts) and line.starts[j] < trip:
                        trip, board = line.starts[j], pos
            for stop, lab in list(cur.items()):
                if lab.kind != "ride":
                    continue
                for other, secs in self.footpaths[stop]:
                    arr = lab.arrival + secs
                    if arr < best_arrival.get(other, INF):
                        cur[other] = Label(arr, "walk", prev=stop)
                        best_arrival[other] = arr
            if not cur:
                break
            rounds.append(cur)
        best: tuple[float, int, int] = (walk_only, -1, -1)
        for k in range(1, len(rounds)):
            for stop, lab in rounds[k].items():
                egress = float(to_dest[self.stop_nodes[stop]]) + gap_b
                if egress <= MAX_WALK_S and lab.arrival + egress < best[0] - 1:
                    best = (lab.arrival + egress, k, stop)
        if best[1] < 0:
            route = self.router.route("walking", a, b, depart)[0]
            legs = [self._walk_leg("Origin", "Destination", midnight, t0, walk_only, route.distance_m)]
            return route.model_copy(update={"mode": "transit", "legs": legs}), False
        return self._describe(rounds, best, a, b, sa.node, sb.node, pred_o, pred_d, from_origin, to_dest,
                              midnight, t0, gap_a, gap_b, depart), True  # fmt: skip

    def _walk_leg(self, frm: str, to: str, midnight: datetime, start: float, end: float, metres: float) -> TransitLeg:
        return TransitLeg(
            kind="walk", line="", headsign="", from_name=frm, to_name=to,
            depart_at=midnight + timedelta(seconds=round(start)), arrive_at=midnight + timedelta(seconds=round(end)),
            stops=0, headway_min=0, distance_m=round(metres),
        )  # fmt: skip

    def _walk_nodes(self, pred: np.ndarray, source: int, target: int) -> list[int]:
        nodes = [target]
        while nodes[-1] != source and pred[nodes[-1]] >= 0:
            nodes.append(int(pred[nodes[-1]]))
        return nodes[::-1]

    def _describe(
        self, rounds: list[dict[int, Label]], best: tuple[float, int, int], a: GeoPoint, b: GeoPoint,
        s_node: int, t_node: int, pred_o: np.ndarray, pred_d: np.ndarray, from_origin: np.ndarray,
        to_dest: np.ndarray, midnight: datetime, t0: float, gap_a: float, gap_b: float, depart: datetime,
    ) -> Route:  # fmt: skip
        chain: list[tuple[int, Label]] = []
        k, stop = best[1], best[2]
        while k >= 0:
            lab = rounds[k][stop]
            chain.append((stop, lab))
            if lab.kind == "access":
                break
            if lab.kind == "ride":
                k -= 1
            stop = lab.prev
        chain.reverse()
        net = self.network
        walk_len = self.network.modes["walking"].length_m
        legs: list[TransitLeg] = []
        points: list[tuple[float, float]] = [(a.lat, a.lng)]
        first_stop, first = chain[0]
        o_nodes = self._walk_nodes(pred_o, s_node, self.stop_nodes[first_stop])
        points += [(float(net.lat[v]), float(net.lng[v])) for v in o_nodes]
        metres = self._path_metres(o_nodes, walk_len) + gap_a * WALK_MS
        legs.append(self._walk_leg("Origin", self.stops[first_stop]["name"], midnight, t0, first.arrival, metres))
        for (_, prev_lab), (stop, lab) in itertools.pairwise(chain):
            if lab.kind == "walk":
                s0 = self.stops[lab.prev]
                s1 = self.stops[stop]
                d = haversine_m(GeoPoint(lat=s0["lat"], lng=s0["lng"]), GeoPoint(lat=s1["lat"], lng=s1["lng"])) * 1.3
                legs.append(self._walk_leg(s0["name"], s1["name"], midnight, prev_lab.arrival, lab.arrival, d))
                points.append((s1["lat"], s1["lng"]))
                continue
            line = self.lines[lab.line]
            alight = line.stops.index(stop, lab.board)
            ridden = line.stops[lab.board : alight + 1]
            dep = lab.trip_start + line.cum[lab.board]
            length = sum(
                haversine_m(GeoPoint(lat=self.stops[x]["lat"], lng=self.stops[x]["lng"]),
                            GeoPoint(lat=self.stops[y]["lat"], lng=self.stops[y]["lng"]))
                for x, y in itertools.pairwise(ridden)
            )  # fmt: skip
            points += [(self.stops[x]["lat"], self.stops[x]["lng"]) for x in ridden]
            legs.append(
                TransitLeg(
                    kind=line.kind, line=line.ref, headsign=line.headsign,
                    from_name=self.stops[line.stops[lab.board]]["name"], to_name=self.stops[stop]["name"],
                    depart_at=midnight + timedelta(seconds=round(dep)),
                    arrive_at=midnight + timedelta(seconds=round(lab.arrival)),
                    stops=len(ridden) - 1, headway_min=line.headway_at(dep), distance_m=round(length),
                )
            )  # fmt: skip
        last_stop, last = chain[-1]
        d_nodes = self._walk_nodes(pred_d, t_node, self.stop_nodes[last_stop])[::-1]
        points += [(float(net.lat[v]), float(net.lng[v])) for v in d_nodes]
        points.append((b.lat, b.lng))
        metres = self._path_metres(d_nodes, walk_len) + gap_b * WALK_MS
        legs.append(self._walk_leg(self.stops[last_stop]["name"], "Destination", midnight, last.arrival, best[0],
                                   metres))  # fmt: skip
        merged: list[TransitLeg] = []
        for leg in legs:  # a platform change right before the final walk reads as one walk
            if merged and leg.kind == "walk" and merged[-1].kind == "walk":
                prev = merged[-1]
                merged[-1] = prev.model_copy(
                    update={
                        "to_name": leg.to_name,
                        "arrive_at": leg.arrive_at,
                        "distance_m": prev.distance_m + leg.distance_m,
                    }
                )
            else:
                merged.append(leg)
        legs = merged
        steps = []
        for leg in legs:
            secs = round((leg.arrive_at - leg.depart_at).total_seconds())
            if leg.kind == "walk":
                steps.append(RouteStep(maneuver="walk", instruction=f"Walk {distance_text(leg.distance_m)} to "
                                       f"{leg.to_name.lower() if leg.to_name == 'Destination' else leg.to_name}",
                                       street="", distance_m=leg.distance_m, duration_s=secs))  # fmt: skip
            else:
                steps.append(RouteStep(
                    maneuver="board",
                    instruction=f"Take {leg.kind} {leg.line} towards {leg.headsign} at {leg.depart_at:%H:%M} from "
                    f"{leg.from_name} ({leg.stops} stop{'s' if leg.stops != 1 else ''}, every {leg.headway_min} min)",
                    street=f"{leg.kind} {leg.line}", distance_m=leg.distance_m, duration_s=secs))  # fmt: skip
                steps.append(RouteStep(maneuver="alight", instruction=f"Get off at {leg.to_name}", street="",
                                       distance_m=0, duration_s=0))  # fmt: skip
        steps.append(RouteStep(maneuver="arrive", instruction="Arrive at the destination", street="", distance_m=0,
                               duration_s=0))  # fmt: skip
        total_s = best[0] - t0
        total_m = sum(leg.distance_m for leg in legs)
        rides = [f"{leg.kind} {leg.line}" for leg in legs if leg.kind != "walk"]
        summary = f"{duration_text(total_s)} by public transport, {distance_text(total_m)}: " + " → ".join(rides)
        summary += f", leaving {legs[1].depart_at:%H:%M}" if len(legs) > 1 else ""
        return Route(
            mode="transit", summary=summary, distance_m=total_m, duration_s=round(total_s), depart_at=depart,
            arrive_at=depart + timedelta(seconds=round(total_s)), traffic="none", via=rides, steps=steps, legs=legs,
            polyline=encode_polyline(points),
        )  # fmt: skip

    def _path_metres(self, nodes: list[int], lengths: np.ndarray) -> float:
        g = self.network.modes["walking"]
        return float(sum(lengths[g.edge(u, v)] for u, v in itertools.pairwise(nodes)))
