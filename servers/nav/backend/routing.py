"""Road routes: snapping, the contraction-hierarchy query, traffic by time of day, compact steps,
alternatives and the distance matrix.

Everything here works on node indices of ``graph.RoadNetwork``; ``service`` turns user input
into points and points into wire models.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import InvalidInputError, NotFoundError, shown
from shared.geo import haversine_m
from shared.schemas.common import GeoPoint
from shared.schemas.nav import Maneuver, Route, RouteStep

from .graph import TRAFFIC_LABEL, ModeGraph, Period, RoadNetwork, traffic_period
from .paths import adjacency, dijkstra

MAX_SNAP_M = 250.0
DETOUR = 2.5, 200.0
"""A route longer than this many times the straight line, plus these metres, may have snapped to the wrong side of
a block: a node 10 m from a shop's entrance on a courtyard path made a 4-minute walk one of 22 (``_best_path``)."""
SNAP_SLACK_M, SNAP_CHOICES = 25.0, 4
"""Then the other nodes within this many metres more than the nearest, at most this many, are tried as well."""
CONNECTOR_KMH = {"driving": 10.0, "walking": 4.8, "cycling": 10.0}
MODE_WORD = {"driving": "driving", "walking": "walking", "cycling": "cycling", "transit": "public transport"}
UNNAMED = {
    "footway": "footpath", "path": "path", "cycleway": "cycle path", "steps": "steps",
    "pedestrian": "pedestrian street", "service": "service road", "corridor": "passage",
    "platform": "platform", "track": "track",
}  # fmt: skip
COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
TINY_STEP_M = 25.0


def connector_seconds(mode: str, gap_m: float) -> float:
    """The time to cover ``gap_m`` between a point and the road it snapped to (a yard, a square, a car park)."""
    return gap_m / (CONNECTOR_KMH[mode] / 3.6)


def coverage_hint(network: RoadNetwork) -> str:
    s, w, n, e = network.bounds
    return (
        f"The map covers central Helsinki only (lat {s:.3f}–{n:.3f}, lng {w:.3f}–{e:.3f}: Kluuvi, Kaartinkaupunki, "
        "Kaisaniemi): pick a point or place inside it."
    )


def encode_polyline(points: list[tuple[float, float]]) -> str:
    """Google's encoded polyline format (precision 5)."""
    out: list[str] = []
    prev_lat = prev_lng = 0
    for lat, lng in points:
        ilat, ilng = round(lat * 1e5), round(lng * 1e5)
        for delta in (ilat - prev_lat, ilng - prev_lng):
            value = ~(delta << 1) if delta < 0 else delta << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        prev_lat, prev_lng = ilat, ilng
    return "".join(out)


def decode_polyline(text: str) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    index = lat = lng = 0
    while index < len(text):
        deltas = []
        for _ in range(2):
            shift = result = 0
            while True:
                b = ord(text[index]) - 63
                index += 1
                result |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            deltas.append(~(result >> 1) if result & 1 else result >> 1)
        lat += deltas[0]
        lng += deltas[1]
        points.append((lat / 1e5, lng / 1e5))
    return points


def simplify(points: list[tuple[float, float]], xy: list[tuple[float, float]], tolerance_m: float = 3.0) -> list[int]:
    """Douglas–Peucker on projected points; returns the kept indices."""
    if len(points) < 3:
        return list(range(len(points)))
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = xy[i], xy[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-9
        best, at = 0.0, -1
        for k in range(i + 1, j):
            x0, y0 = xy[k]
            d = abs(dy * (x0 - x1) - dx * (y0 - y1)) / norm
            if d > best:
                best, at = d, k
        if best > tolerance_m and at > 0:
            keep.add(at)
            stack += [(i, at), (at, j)]
    return sorted(keep)


def duration_text(seconds: float) -> str:
    """Minutes of the whole seconds a route's ``duration_s`` reports, so the summary reads the same figure (1,470.4 s
    is 1,470 s: '24 min', not the '25 min' the unrounded seconds gave)."""
    minutes = max(1, round(round(seconds) / 60))
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def distance_text(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{round(metres / 10) * 10:.0f} m"


@dataclass
class Snapped:
    node: int
    gap_m: float


@dataclass
class PathView:
    """What a route's description reads from a path, whatever graph it was found on: per node its position, per
    edge (node ``i`` → ``i + 1``) its length, cost, street name ('' when unnamed) and road class. A grown city's
    path crosses copies of the real network and the link roads between them; this is where they become one."""

    lat: list[float]
    lng: list[float]
    x: list[float]
    y: list[float]
    length_m: list[float]
    seconds: list[float]
    street: list[str]
    road_class: list[str]

    @classmethod
    def empty(cls) -> PathView:
        return cls([], [], [], [], [], [], [], [])

    def extend(self, other: PathView) -> None:
        """Append ``other``, which starts where this one ends (its first node is not repeated)."""
        skip = 1 if self.lat else 0
        self.lat += other.lat[skip:]
        self.lng += other.lng[skip:]
        self.x += other.x[skip:]
        self.y += other.y[skip:]
        self.length_m += other.length_m
        self.seconds += other.seconds
        self.street += other.street
        self.road_class += other.road_class

    def link(self, lat: float, lng: float, x: float, y: float, metres: float, seconds: float, street: str) -> None:
        """A straight edge from the last node to a new one (a link road between two districts)."""
        self.lat.append(lat)
        self.lng.append(lng)
        self.x.append(x)
        self.y.append(y)
        self.length_m.append(metres)
        self.seconds.append(seconds)
        self.street.append(street)
        self.road_class.append("link")


@dataclass
class RoadPath:
    """A found path: node sequence, edge indices (of ``tile``'s copy of the network), cost in seconds, length in
    metres; ``view`` is set when the path is not one copy's (a grown city's path across districts)."""

    nodes: list[int]
    edges: list[int]
    seconds: float
    metres: float
    tile: int = 0
    view: PathView | None = None


class Router:
    """Road routing for driving, walking and cycling on one ``RoadNetwork``."""

    def __init__(self, network: RoadNetwork) -> None:
        self.network = network

    def coverage(self) -> str:
        return coverage_hint(self.network)

    def nearest(self, mode: str, lat: float, lng: float) -> tuple[int, float]:
        """The node a point snaps to and its distance in metres (no limit)."""
        return self.network.snap(mode, lat, lng)

    def snap(self, mode: str, point: GeoPoint, role: str) -> Snapped:
        node, gap = self.nearest(mode, point.lat, point.lng)
        if gap > MAX_SNAP_M:
            raise NotFoundError(
                f"No {MODE_WORD[mode]} route: the {role} ({point.lat:.5f}, {point.lng:.5f}) is {gap:,.0f} m from the "
                f"nearest road open to {mode}.",
                self.coverage(),
                field=role,
            )
        return Snapped(node, gap)

    def shifts(self) -> list[tuple[float, float]]:
        """(dx, dy) in metres of every copy of the street network on the map: the real city's alone."""
        return [(0.0, 0.0)]

    def district(self, point: GeoPoint) -> str:
        return ""

    def in_real_city(self, points: list[GeoPoint]) -> bool:
        """Whether every point is in the real city (tile 0), where trams and the metro run."""
        return True

    def suffix(self, tile: int) -> str:
        """What follows a street's name in a tile: a grown district's streets are 'Annankatu, Töölö'."""
        return ""

    def offset(self, tile: int) -> tuple[float, float, float, float]:
        """(dlat, dlng, dx, dy) of a copy of the network: the real city's is none."""
        return 0.0, 0.0, 0.0, 0.0

    def view(self, mode: str, path: RoadPath, period: Period) -> PathView:
        """The path's nodes and edges as a description reads them, shifted into its tile."""
        if path.view is not None:
            return path.view
        net, g = self.network, self.network.modes[mode]
        dlat, dlng, dx, dy = self.offset(path.tile)
        suffix = self.suffix(path.tile)
        costs = g.costs(period)
        nodes, edges = path.nodes, path.edges
        return PathView(
            lat=(net.lat[nodes] + dlat).tolist(), lng=(net.lng[nodes] + dlng).tolist(),
            x=(net.x[nodes] + dx).tolist(), y=(net.y[nodes] + dy).tolist(),
            length_m=g.length_m[edges].tolist(), seconds=costs[edges].tolist(),
            street=[net.names[i] and net.names[i] + suffix for i in g.name[edges].tolist()],
            road_class=[net.classes[i] for i in g.road_class[edges].tolist()],
        )  # fmt: skip

    def shortest(self, mode: str, s: int, t: int, period: Period) -> RoadPath | None:
        g = self.network.modes[mode]
        cost, nodes = g.hierarchy(period).query(s, t)
        if not nodes:
            return None
        edges = g.edges_along(nodes)
        return RoadPath(nodes, edges, cost, float(g.length_m[edges].sum()) if edges else 0.0)

    def route(
        self, mode: str, a: GeoPoint, b: GeoPoint, depart: datetime, *, alternatives: bool = False
    ) -> list[Route]:
        g = self.network.modes[mode]
        period: Period = traffic_period(depart) if mode == "driving" else "night"
        best, sa, sb = self._best_path(mode, a, b, period)
        if best is None:
            raise NotFoundError(
                f"No {MODE_WORD[mode]} route connects these points: the destination cannot be reached by {mode} "
                "on the mapped streets (one-way streets or a clipped map edge).",
                "Try another mode (walking reaches every mapped street), or a destination a little further in.",
            )
        paths = [best]
        if alternatives:
            paths += self.alternatives(g, best, period)
        return [self.describe(mode, p, sa, sb, a, b, depart, period) for p in paths]

    def snaps(self, mode: str, point: GeoPoint) -> list[Snapped]:
        """The nodes a point may snap to (``SNAP_SLACK_M``), nearest first."""
        return [Snapped(n, gap) for n, gap in self.network.snaps(mode, point.lat, point.lng, SNAP_SLACK_M,
                                                                   SNAP_CHOICES)]  # fmt: skip

    def _best_path(
        self, mode: str, a: GeoPoint, b: GeoPoint, period: Period, snapped: tuple[Snapped, Snapped] | None = None
    ) -> tuple[RoadPath | None, Snapped, Snapped]:
        """The path between the nearest nodes, or, when that is a long detour (``DETOUR``), the quickest between
        the nodes near each end, the walk to them counted: home to the Alko at Aleksanterinkatu 52 was 1.8 km round
        the block from the node nearest its entrance, 10 m away, while another 11 m away gives 260 m."""
        sa, sb = snapped or (self.snap(mode, a, "origin"), self.snap(mode, b, "destination"))
        best = self.shortest(mode, sa.node, sb.node, period)
        factor, extra = DETOUR
        if best is None or best.metres <= factor * haversine_m(a, b) + extra:
            return best, sa, sb

        def cost(path: RoadPath, x: Snapped, y: Snapped) -> float:
            return path.seconds + connector_seconds(mode, x.gap_m) + connector_seconds(mode, y.gap_m)

        top = cost(best, sa, sb)
        for x in self.snaps(mode, a):
            for y in self.snaps(mode, b):
                path = self.shortest(mode, x.node, y.node, period)
                if path is not None and cost(path, x, y) < top:
                    best, sa, sb, top = path, x, y, cost(path, x, y)
        return best, sa, sb

    def alternatives(self, g: ModeGraph, best: RoadPath, period: Period, count: int = 2) -> list[RoadPath]:
        """Penalty method: make the found routes' edges dearer and search again on the plain graph."""
        costs = g.costs(period)
        keys, index = g.edge_keys, g.edge_index
        penal = costs[index].copy()
        found: list[RoadPath] = []
        s, t = best.nodes[0], best.nodes[-1]
        on_best = set(best.edges)
        position = {e: i for i, e in enumerate(index.tolist())}
        for e in best.edges:
            penal[position[e]] *= 1.6
        tails, heads = (keys // g.n).tolist(), (keys % g.n).tolist()
        for _ in range(count):
            _, pred = dijkstra(adjacency(g.n, tails, heads, penal.tolist()), s, target=t)
            if t not in pred:
                break
            nodes = [t]
            while nodes[-1] != s:
                nodes.append(pred[nodes[-1]])
            nodes.reverse()
            edges = g.edges_along(nodes)
            seconds = float(costs[edges].sum())
            metres = float(g.length_m[edges].sum())
            shared = float(g.length_m[[e for e in edges if e in on_best]].sum()) if edges else 0.0
            for e in edges:
                penal[position[e]] *= 1.6
            if seconds > best.seconds * 1.5 or (best.metres and shared / best.metres > 0.8):
                continue
            if any(p.edges == edges for p in found):
                continue
            found.append(RoadPath(nodes, edges, seconds, metres))
            on_best |= set(edges)
        return found

    # ----- description --------------------------------------------------------------------------
    def street_of(self, g: ModeGraph, e: int) -> str:
        """What a step calls edge ``e`` of the real city's graph: its street, else its kind of way."""
        name = self.network.names[int(g.name[e])]
        return name or UNNAMED.get(self.network.classes[int(g.road_class[e])], "unnamed road")

    def describe(
        self,
        mode: str,
        path: RoadPath,
        sa: Snapped,
        sb: Snapped,
        a: GeoPoint,
        b: GeoPoint,
        depart: datetime,
        period: Period,
    ) -> Route:
        view = self.view(mode, path, period)
        connector_s = connector_seconds(mode, sa.gap_m + sb.gap_m)
        steps = self.steps(view)
        total_s = path.seconds + connector_s
        total_m = path.metres + sa.gap_m + sb.gap_m
        if steps:
            steps[0].distance_m += round(sa.gap_m)
            steps[0].duration_s += round(connector_seconds(mode, sa.gap_m))
            # ... and the stretch from the road to the destination is the last step's: in no step, the steps of a
            # drive to Oodi (177 m from the road) added up to 989 m of 1,165 m.
            steps[-1].distance_m += round(sb.gap_m)
            steps[-1].duration_s += round(connector_seconds(mode, sb.gap_m))
        steps.append(RouteStep(maneuver="arrive", instruction="Arrive at the destination", street="", distance_m=0,
                               duration_s=0))  # fmt: skip
        lengths: dict[str, float] = {}
        for name, metres, cls in zip(view.street, view.length_m, view.road_class, strict=True):
            if name and cls != "link":
                lengths[name] = lengths.get(name, 0.0) + metres
        main = sorted(lengths, key=lambda k: -lengths[k])[:3]
        order = {s.street: i for i, s in reversed(list(enumerate(steps)))}
        via = sorted(main, key=lambda k: order.get(k, 0))
        traffic = TRAFFIC_LABEL[period] if mode == "driving" else "none"
        summary = f"{duration_text(total_s)} {mode}, {distance_text(total_m)}"
        if via:
            summary += " via " + ("; " if any("," in v for v in via) else ", ").join(via)  # 'Annankatu, Töölö; …'
        if mode == "driving":
            summary += f" ({traffic} traffic)"
        return Route(
            mode=mode,
            summary=summary,
            distance_m=round(total_m),
            duration_s=round(total_s),
            depart_at=depart,
            arrive_at=depart + timedelta(seconds=round(total_s)),
            traffic=traffic,
            via=via,
            steps=steps,
            legs=[],
            polyline=self.polyline_of(view, a, b),
        )

    def polyline_of(self, view: PathView, a: GeoPoint | None, b: GeoPoint | None) -> str:
        return encode_polyline_between(view.lat, view.lng, self.network, a, b)

    @staticmethod
    def steps(view: PathView) -> list[RouteStep]:
        """Group edges by street; fold tiny unnamed connectors into the step before; name the turns.

        A short stretch of a *named* street stays a step of its own: a turn onto it is an instruction.
        """
        groups: list[list[int]] = []
        keys: list[str] = []
        for e, name in enumerate(view.street):
            street = name or UNNAMED.get(view.road_class[e], "unnamed road")
            if groups and keys[-1] == street:
                groups[-1].append(e)
            else:
                groups.append([e])
                keys.append(street)
        merged: list[list[int]] = []
        merged_keys: list[str] = []
        for grp, key in zip(groups, keys, strict=True):
            unnamed = not view.street[grp[0]]
            connector = unnamed and sum(view.length_m[e] for e in grp) < TINY_STEP_M
            if merged and (key == merged_keys[-1] or connector):
                merged[-1] += grp
            else:
                merged.append(list(grp))
                merged_keys.append(key)

        def bearing(e: int) -> float:
            return math.degrees(math.atan2(view.x[e + 1] - view.x[e], view.y[e + 1] - view.y[e])) % 360

        steps: list[RouteStep] = []
        for i, (grp, street) in enumerate(zip(merged, merged_keys, strict=True)):
            maneuver: Maneuver
            if i == 0:
                heading = COMPASS[round(bearing(grp[0]) / 45) % 8]
                maneuver, text = "depart", f"Head {heading} on {street}"
            else:
                turn = (bearing(grp[0]) - bearing(merged[i - 1][-1]) + 540) % 360 - 180
                maneuver = _maneuver(turn)
                text = _instruction(maneuver, street)
            steps.append(
                RouteStep(
                    maneuver=maneuver,
                    instruction=text,
                    street=street,
                    distance_m=round(sum(view.length_m[e] for e in grp)),
                    duration_s=round(sum(view.seconds[e] for e in grp)),
                )
            )
        return steps

    def matrix_costs(
        self, mode: str, origins: list[GeoPoint], destinations: list[GeoPoint], depart: datetime
    ) -> list[list[tuple[float, float] | None]]:
        """(seconds, metres) for every pair, None when unreachable; snapping errors propagate."""
        period: Period = traffic_period(depart) if mode == "driving" else "night"
        srcs = [self.snap(mode, p, f"origins[{i}]") for i, p in enumerate(origins)]
        dsts = [self.snap(mode, p, f"destinations[{j}]") for j, p in enumerate(destinations)]
        rows: list[list[tuple[float, float] | None]] = []
        for a, sa in zip(origins, srcs, strict=True):
            row: list[tuple[float, float] | None] = []
            for b, sb in zip(destinations, dsts, strict=True):
                path, x, y = self._best_path(mode, a, b, period, (sa, sb))  # as nav_route goes: the same figures
                gap = x.gap_m + y.gap_m
                row.append(None if path is None else (path.seconds + connector_seconds(mode, gap), path.metres + gap))
            rows.append(row)
        return rows


def encode_polyline_between(
    lat: list[float], lng: list[float], net: RoadNetwork, a: GeoPoint | None, b: GeoPoint | None
) -> str:
    """Nodes (with the two ends' points around them), simplified to what a map shows at street level."""
    pts = list(zip(lat, lng, strict=True))
    if a is not None:
        pts.insert(0, (a.lat, a.lng))
    if b is not None:
        pts.append((b.lat, b.lng))
    xy = [net.project(p[0], p[1]) for p in pts]
    return encode_polyline([pts[i] for i in simplify(pts, xy)])


def _maneuver(turn: float) -> Maneuver:
    side = "right" if turn > 0 else "left"
    size = abs(turn)
    if size < 25:
        return "straight"
    if size < 60:
        return f"slight_{side}"  # type: ignore[return-value]
    if size < 140:
        return side  # type: ignore[return-value]
    if size < 170:
        return f"sharp_{side}"  # type: ignore[return-value]
    return "u_turn"


def _instruction(maneuver: Maneuver, street: str) -> str:
    if maneuver == "straight":
        return f"Continue onto {street}"
    if maneuver == "u_turn":
        return f"Make a U-turn onto {street}"
    words = maneuver.replace("_", " ")
    if maneuver.startswith("slight"):
        return f"Keep {words.replace('slight ', 'slightly ')} onto {street}"
    return f"Turn {words} onto {street}"


def require_mode(mode: str) -> str:
    if mode not in ("driving", "walking", "cycling", "transit"):
        raise InvalidInputError(
            f"mode {shown(mode)} is not a travel mode.",
            "Use one of driving, walking, cycling or transit.",
            field="mode",
        )
    return mode
