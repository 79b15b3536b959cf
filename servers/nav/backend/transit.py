"""Public transport: the real tram and metro lines that cross the map, with generated timetables.

``fixtures/nav/transit.json`` lists stops and directed lines (stop order, run times between
stops, headways by time of day and a per-line offset). A journey is found RAPTOR-style: walk
from the origin to stops (walking graph, at most ``MAX_WALK_S``), then up to three rides with
walking transfers between nearby stops, then walk to the destination. The earliest arrival that
rides at least once wins even when walking would be faster (the caller asked for transit; the
service says how much faster walking is), and the walk to the first stop starts as late as still
catches the vehicle. Arriving by a time searches for the latest departure (leaving later never
arrives earlier); alternatives are the next (or, arriving by a time, the previous) departures
and the best journey on other lines. Only when no ride is possible at all does the journey walk.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from shared.geo import CITY_TZ, haversine_m
from shared.schemas.common import GeoPoint
from shared.schemas.nav import Route, RouteStep, TransitLeg

from .ch import Rows
from .graph import RoadNetwork
from .paths import dijkstra, rows
from .routing import Router, distance_text, duration_text, encode_polyline

MAX_WALK_S = 900.0
TRANSFER_SLACK_S = 60.0
BOARD_SLACK_S = 60.0  # be at the first stop a minute before the vehicle leaves
SEARCH_S = 3 * 3600.0  # how far before an arrival time a journey is looked for
MAX_WAIT_S = 3600.0  # leaving at a time, a vehicle more than an hour away is no service (night)
ALT_WINDOW_S = 30 * 60.0  # alternatives arrive within this of the best journey
REFINE_STEPS = 3  # how many times _leave_by tries leaving a second later for an equally fast journey
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


@dataclass
class Access:
    """Walking to and from the network for one origin/destination pair (seconds; node predecessors for paths)."""

    a: GeoPoint
    b: GeoPoint
    s_node: int
    t_node: int
    gap_a: float
    gap_b: float
    from_origin: dict[int, float]  # nodes within a walk to a stop (``MAX_WALK_S``) only
    pred_o: dict[int, int]
    to_dest: dict[int, float]
    pred_d: dict[int, int]
    walk_s: float  # door to door on foot


@dataclass
class Trip:
    """A riding journey found by ``_raptor``: times in seconds after the reference midnight."""

    leave: float
    arrival: float
    chain: list[tuple[int, Label]]
    board_at: float  # when the first vehicle leaves
    access_s: float  # walk to the first stop
    signature: tuple[tuple[str, int, int], ...]  # (line, boarding stop, trip start) per ride
    lines: frozenset[str]

    @property
    def just_in_time(self) -> float:
        """The latest departure that still walks to the first stop in time to board its vehicle."""
        return self.board_at - BOARD_SLACK_S - self.access_s


@dataclass
class TransitPlan:
    routes: list[Route]  # best first
    rides: bool  # False: no tram or metro journey was possible, the route walks
    walk_s: float  # the whole way on foot, to compare


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
        self.lines_at: list[list[str]] = [[] for _ in self.stops]
        for line in self.lines:
            for s in line.stops:
                label = f"{line.kind} {line.ref}"
                if label not in self.lines_at[s]:
                    self.lines_at[s].append(label)

    # What only a transit journey needs is prepared at the first one: a server that never plans one (or not yet,
    # at its first route) does not pay for it.
    @functools.cached_property
    def stop_nodes(self) -> list[int]:
        return [self.network.snap("walking", s["lat"], s["lng"])[0] for s in self.stops]

    @functools.cached_property
    def _walk_adjacency(self) -> tuple[Rows, Rows]:
        walk = self.network.modes["walking"]  # ``edge_keys`` holds each pair of nodes once: its cheapest edge
        keys = walk.edge_keys
        secs = walk.seconds[walk.edge_index]
        tails, heads = keys // walk.n, keys % walk.n
        return rows(walk.n, tails, heads, secs), rows(walk.n, heads, tails, secs)

    @property
    def walk_out(self) -> Rows:
        return self._walk_adjacency[0]

    @property
    def walk_in(self) -> Rows:
        return self._walk_adjacency[1]

    @functools.cached_property
    def footpaths(self) -> list[list[tuple[int, float]]]:
        """Walks between stops under 350 m apart, as transfers."""
        found: list[list[tuple[int, float]]] = [[] for _ in self.stops]
        for i, j in itertools.permutations(range(len(self.stops)), 2):
            a, b = self.stops[i], self.stops[j]
            d = haversine_m(GeoPoint(lat=a["lat"], lng=a["lng"]), GeoPoint(lat=b["lat"], lng=b["lng"]))
            if d < 350:
                found[i].append((j, d * 1.3 / WALK_MS))
        return found

    def nearby_stops(self, point: GeoPoint, limit: int = 3) -> list[tuple[int, float]]:
        dist = [(haversine_m(point, GeoPoint(lat=s["lat"], lng=s["lng"])), i) for i, s in enumerate(self.stops)]
        return [(i, d) for d, i in sorted(dist)[:limit]]

    def access(self, a: GeoPoint, b: GeoPoint, roles: tuple[str, str] = ("origin", "destination")) -> Access:
        """Walking times from the origin to every node and from every node to the destination (any time of day)."""
        sa = self.router.snap("walking", a, roles[0])
        sb = self.router.snap("walking", b, roles[1])
        from_origin, pred_o = dijkstra(self.walk_out, sa.node, limit=MAX_WALK_S)
        to_dest, pred_d = dijkstra(self.walk_in, sb.node, limit=MAX_WALK_S)
        gap_a, gap_b = sa.gap_m / WALK_MS, sb.gap_m / WALK_MS
        door = from_origin.get(sb.node)
        if door is None:  # further than a walk to a stop: the walking hierarchy knows
            door = self.network.modes["walking"].hierarchy().distance(sa.node, sb.node)
        walk_s = gap_a + door + gap_b
        return Access(a, b, sa.node, sb.node, gap_a, gap_b, from_origin, pred_o, to_dest, pred_d, walk_s)

    def plan(
        self, a: GeoPoint, b: GeoPoint, depart: datetime, roles: tuple[str, str] = ("origin", "destination")
    ) -> tuple[Route, bool]:
        """The transit journey from ``depart`` (the first of ``journeys``); the flag says whether it rides at all.
        ``roles`` name the two ends in errors (e.g. ``origins[0]`` / ``destinations[2]`` in a matrix)."""
        found = self.journeys(a, b, depart, roles=roles)
        return found.routes[0], found.rides

    def journeys(
        self, a: GeoPoint, b: GeoPoint, when: datetime, *, arrive_by: bool = False, alternatives: int = 0,
        roles: tuple[str, str] = ("origin", "destination"),
    ) -> TransitPlan:  # fmt: skip
        """The best journey that rides a tram or metro (even when walking is faster), leaving at ``when`` or, with
        ``arrive_by``, leaving as late as possible to arrive by ``when``; then up to ``alternatives`` others (later or,
        arriving by a time, earlier departures, and other lines), best first. Walks only when no ride is possible."""
        acc = self.access(a, b, roles)
        local = when.astimezone(CITY_TZ)
        midnight = (local - timedelta(seconds=SEARCH_S if arrive_by else 0)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        t = (local - midnight).total_seconds()
        best = self._latest(acc, t) if arrive_by else self._leave_by(acc, t)
        if best is None:
            start = midnight + timedelta(seconds=round(t - acc.walk_s if arrive_by else t))
            route = self.router.route("walking", a, b, start)[0]
            legs = [self._walk_leg("Origin", "Destination", start, 0, acc.walk_s, route.distance_m)]
            return TransitPlan([route.model_copy(update={"mode": "transit", "legs": legs})], False, acc.walk_s)
        found = [best]
        seen = {best.signature}
        first = self._latest(acc, t, best.lines) if arrive_by else self._leave_by(acc, t, best.lines)
        tries: list[Trip | None] = [first]
        edge = best
        for _ in range(alternatives):
            nxt = self._latest(acc, edge.arrival - 60) if arrive_by else self._leave_by(acc, edge.leave + 60)
            if nxt is None:
                break
            tries.append(nxt)
            edge = nxt
        for trip in tries:
            if trip is not None and trip.signature not in seen and abs(trip.arrival - best.arrival) <= ALT_WINDOW_S:
                seen.add(trip.signature)
                found.append(trip)
        rest = sorted(found[1:], key=lambda x: (-x.leave, x.arrival) if arrive_by else (x.arrival, -x.leave))
        routes = [self._describe(acc, trip, midnight) for trip in [best, *rest[:alternatives]]]
        return TransitPlan(routes, True, acc.walk_s)

    def _leave_by(self, acc: Access, t: float, exclude: frozenset[str] = frozenset()) -> Trip | None:
        """The earliest-arriving riding journey from ``t``, leaving as late as still catches its first vehicle.

        Each step leaves just in time for the best journey's first vehicle, then tries a second later: that may
        still catch an equally fast journey, e.g. the same tram a stop further on, which leaves later and walks
        less (23:59 instead of 23:57 from home to Kiasma, arriving at the same 00:09)."""
        best = self._raptor(acc, t, exclude)
        if best is None:
            return None
        start = t
        for step in range(REFINE_STEPS + 1):
            latest = best.just_in_time
            refined = self._raptor(acc, latest, exclude) if latest > start + 1 else None
            if refined is not None and refined.arrival <= best.arrival:
                best = refined
            if step == REFINE_STEPS:
                break
            start = best.just_in_time + 1
            later = self._raptor(acc, start, exclude)
            if later is None or later.arrival > best.arrival:
                break
            best = later
        return best

    def _latest(self, acc: Access, deadline: float, exclude: frozenset[str] = frozenset()) -> Trip | None:
        """The riding journey that leaves latest and still arrives by ``deadline`` (binary search: leaving later
        never arrives earlier)."""
        lo, hi = deadline - SEARCH_S, deadline
        found = self._raptor(acc, lo, exclude, max_wait=INF)
        if found is None or found.arrival > deadline:
            return None
        while hi - lo > 1:
            mid = (lo + hi) / 2
            trip = self._raptor(acc, mid, exclude, max_wait=INF)
            if trip is not None and trip.arrival <= deadline:
                lo, found = mid, trip
            else:
                hi = mid
        trip = self._leave_by(acc, lo, exclude)
        # Arriving more than an hour before the deadline is no service (night), as a vehicle more than an hour away
        # is when leaving at a time: otherwise arriving by 03:30 took the last tram and arrived at 01:48.
        return trip if trip is not None and trip.arrival >= deadline - MAX_WAIT_S else None

    def _raptor(
        self, acc: Access, t0: float, exclude: frozenset[str] = frozenset(), max_wait: float = MAX_WAIT_S
    ) -> Trip | None:
        """RAPTOR rounds from ``t0`` (seconds after the reference midnight): the earliest arrival that rides at
        least once, on lines whose ref is not in ``exclude``, never waiting more than ``max_wait`` for a vehicle."""
        rounds: list[dict[int, Label]] = [{}]
        for i, node in enumerate(self.stop_nodes):
            access = acc.from_origin.get(node, INF) + acc.gap_a
            if access <= MAX_WALK_S:
                rounds[0][i] = Label(t0 + access, "access")
        # Arrivals by vehicle only: a stop the origin reaches sooner on foot must still be reachable by a ride.
        best_arrival: dict[int, float] = {}
        for k in range(1, MAX_RIDES + 1):
            prev = rounds[k - 1]
            cur: dict[int, Label] = {}
            for li, line in enumerate(self.lines):
                if line.ref in exclude:
                    continue
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
                    slack = BOARD_SLACK_S if lab.kind == "access" else TRANSFER_SLACK_S
                    ready = lab.arrival + slack - line.cum[pos]
                    j = bisect.bisect_left(line.starts, ready)
                    if j < len(line.starts) and line.starts[j] < trip and line.starts[j] - ready <= max_wait:
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
        best: tuple[float, int, int] = (INF, -1, -1)
        for k in range(1, len(rounds)):
            for stop, lab in rounds[k].items():
                egress = acc.to_dest.get(self.stop_nodes[stop], INF) + acc.gap_b
                if egress <= MAX_WALK_S and lab.arrival + egress < best[0] - 1:
                    best = (lab.arrival + egress, k, stop)
        if best[1] < 0:
            return None
        chain = self._chain(rounds, best)
        ride = next(lab for _, lab in chain if lab.kind == "ride")
        line = self.lines[ride.line]
        rides = tuple(
            (self.lines[lab.line].ref, self.lines[lab.line].stops[lab.board], round(lab.trip_start))
            for _, lab in chain
            if lab.kind == "ride"
        )
        return Trip(
            leave=t0, arrival=best[0], chain=chain, board_at=ride.trip_start + line.cum[ride.board],
            access_s=chain[0][1].arrival - t0, signature=rides,
            lines=frozenset(r[0] for r in rides),
        )  # fmt: skip

    @staticmethod
    def _chain(rounds: list[dict[int, Label]], best: tuple[float, int, int]) -> list[tuple[int, Label]]:
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
        return chain

    def _walk_leg(self, frm: str, to: str, midnight: datetime, start: float, end: float, metres: float) -> TransitLeg:
        return TransitLeg(
            kind="walk", line="", headsign="", from_name=frm, to_name=to,
            depart_at=midnight + timedelta(seconds=round(start)), arrive_at=midnight + timedelta(seconds=round(end)),
            stops=0, headway_min=0, distance_m=round(metres),
        )  # fmt: skip

    def _walk_nodes(self, pred: dict[int, int], source: int, target: int) -> list[int]:
        nodes = [target]
        while nodes[-1] != source and pred.get(nodes[-1], -1) >= 0:
            nodes.append(pred[nodes[-1]])
        return nodes[::-1]

    def _describe(self, acc: Access, trip: Trip, midnight: datetime) -> Route:
        a, b, chain, t0 = acc.a, acc.b, trip.chain, trip.leave
        gap_a, gap_b, depart = acc.gap_a, acc.gap_b, midnight + timedelta(seconds=round(trip.leave))
        s_node, t_node, pred_o, pred_d = acc.s_node, acc.t_node, acc.pred_o, acc.pred_d
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
        legs.append(self._walk_leg(self.stops[last_stop]["name"], "Destination", midnight, last.arrival,
                                   trip.arrival, metres))  # fmt: skip
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
                if leg.distance_m == 0:  # alighting at the destination itself: 'Walk 0 m to destination' is no step
                    continue
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
        total_s = trip.arrival - t0
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
        return float(lengths[g.edges_along(nodes)].sum()) if len(nodes) > 1 else 0.0
