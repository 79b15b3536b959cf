"""The routing engine: contraction hierarchies give exactly Dijkstra's costs, and routes respect
one-way streets, traffic by time of day and compact steps."""

from __future__ import annotations

import itertools
import math
import random
from datetime import datetime

import networkx as nx
import numpy as np
import pytest

from servers.nav.backend.ch import Hierarchy
from servers.nav.backend.graph import RoadNetwork, traffic_period
from servers.nav.backend.routing import TINY_STEP_M, RoadPath, Router, decode_polyline, encode_polyline
from shared.geo import CITY_TZ
from shared.schemas.common import GeoPoint
from tests.servers.nav.conftest import RUSH

NIGHT = datetime(2026, 11, 25, 3, 0, tzinfo=CITY_TZ)


def reference(tail: np.ndarray, head: np.ndarray, cost: np.ndarray) -> nx.DiGraph:
    graph = nx.DiGraph()
    for u, v, w in zip(tail.tolist(), head.tolist(), cost.tolist(), strict=True):
        if u != v and (not graph.has_edge(u, v) or graph[u][v]["weight"] > w):
            graph.add_edge(u, v, weight=w)
    return graph


@pytest.mark.parametrize(
    ("mode", "period"), [("driving", "night"), ("driving", "peak"), ("walking", "night"), ("cycling", "night")]
)
def test_hierarchy_costs_equal_dijkstra_on_random_pairs(network: RoadNetwork, mode: str, period: str) -> None:
    g = network.modes[mode]
    cost = g.costs(period)  # type: ignore[arg-type]
    graph = reference(g.tail, g.head, cost)
    ch = g.hierarchy(period)  # type: ignore[arg-type]
    rng = random.Random(f"{mode}:{period}")
    nodes = sorted(graph.nodes)
    unreachable = 0
    for _ in range(80):
        s, t = rng.choice(nodes), rng.choice(nodes)
        got, path = ch.query(s, t)
        try:
            want = nx.dijkstra_path_length(graph, s, t)
        except nx.NetworkXNoPath:
            assert got == math.inf and path == []
            unreachable += 1
            continue
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6), (s, t)
        assert path[0] == s and path[-1] == t
        assert math.isclose(nx.path_weight(graph, path, "weight"), want, rel_tol=1e-9, abs_tol=1e-6)
    assert unreachable < 80


def test_a_hierarchy_round_trips_through_its_disk_cache(tmp_path: object) -> None:
    rng = random.Random(3)
    n = 300
    tail = np.array([rng.randrange(n) for _ in range(1200)])
    head = np.array([rng.randrange(n) for _ in range(1200)])
    cost = np.array([rng.uniform(1, 50) for _ in range(1200)])
    first = Hierarchy.cached(n, tail, head, cost, tmp_path)  # type: ignore[arg-type]
    again = Hierarchy.cached(n, tail, head, cost, tmp_path)  # type: ignore[arg-type]
    graph = reference(tail, head, cost)
    for s, t in itertools.islice(itertools.permutations(range(n), 2), 0, 3000, 97):
        want = nx.dijkstra_path_length(graph, s, t) if nx.has_path(graph, s, t) else math.inf
        assert math.isclose(first.distance(s, t), want, abs_tol=1e-6) or first.distance(s, t) == want == math.inf
        assert again.distance(s, t) == first.distance(s, t)


def test_one_way_streets_bind_cars_but_not_pedestrians(network: RoadNetwork) -> None:
    drive = network.modes["driving"]
    walk = network.modes["walking"]
    pairs = set(zip(drive.tail.tolist(), drive.head.tolist(), strict=True))
    one_way = [(u, v) for u, v in sorted(pairs) if (v, u) not in pairs]
    assert len(one_way) > 100
    checked = 0
    for u, v in one_way:
        forward, backward = drive.hierarchy().distance(u, v), drive.hierarchy().distance(v, u)
        if backward == math.inf:
            continue
        assert backward > forward  # the way back has to go round the block
        assert math.isclose(walk.hierarchy().distance(u, v), walk.hierarchy().distance(v, u))
        checked += 1
        if checked == 10:
            break
    assert checked == 10


def test_rush_hour_slows_driving_on_main_roads(network: RoadNetwork) -> None:
    router = Router(network)
    a, b = GeoPoint(lat=60.1663, lng=24.9407), GeoPoint(lat=60.1765, lng=24.9372)
    assert traffic_period(RUSH) == "peak" and traffic_period(NIGHT) == "night"
    rush = router.route("driving", a, b, RUSH)[0]
    night = router.route("driving", a, b, NIGHT)[0]
    assert rush.duration_s > night.duration_s * 1.2
    assert (rush.traffic, night.traffic) == ("heavy", "light")


def test_steps_merge_segments_of_the_same_street_and_stay_short(network: RoadNetwork) -> None:
    router = Router(network)
    rng = random.Random(11)
    for mode in ("driving", "walking", "cycling"):
        nodes = network.modes[mode].snap_nodes.tolist()
        for _ in range(15):
            s, t = rng.choice(nodes), rng.choice(nodes)
            a = GeoPoint(lat=float(network.lat[s]), lng=float(network.lng[s]))
            b = GeoPoint(lat=float(network.lat[t]), lng=float(network.lng[t]))
            route = router.route(mode, a, b, RUSH)[0]
            streets = [st.street for st in route.steps[:-1]]
            assert all(x != y for x, y in itertools.pairwise(streets)), streets
            assert len(route.steps) <= 25
            assert route.steps[-1].maneuver == "arrive"
            assert abs(sum(st.distance_m for st in route.steps) - route.distance_m) <= len(route.steps) + 2
            assert len(route.model_dump_json()) < 8000


def short_middle(network: RoadNetwork, mode: str, named: bool) -> tuple[int, int, int]:
    """Three consecutive edges a → b → c on three different streets where b is shorter than a tiny step and is
    (or is not) a named street: the first such triple in the fixtures graph."""
    g = network.modes[mode]
    names = network.names
    out_of: dict[int, list[int]] = {}
    into: dict[int, list[int]] = {}
    for e in range(len(g.tail)):
        out_of.setdefault(int(g.tail[e]), []).append(e)
        into.setdefault(int(g.head[e]), []).append(e)
    router = Router(network)
    for b in range(len(g.tail)):
        if g.length_m[b] >= TINY_STEP_M or bool(names[int(g.name[b])]) != named:
            continue
        for a in into.get(int(g.tail[b]), []):
            for c in out_of.get(int(g.head[b]), []):
                streets = {router.street_of(g, x) for x in (a, b, c)}
                if len(streets) == 3 and names[int(g.name[a])] and names[int(g.name[c])] and g.tail[a] != g.head[c]:
                    return a, b, c
    raise AssertionError("no such triple in the fixtures graph")


@pytest.mark.parametrize("named", [True, False])
def test_only_short_unnamed_connectors_fold_into_the_step_before(network: RoadNetwork, named: bool) -> None:
    g = network.modes["walking"]
    a, b, c = short_middle(network, "walking", named)
    router = Router(network)
    nodes = [int(g.tail[a]), int(g.head[a]), int(g.head[b]), int(g.head[c])]
    path = RoadPath(nodes, [a, b, c], float(g.seconds[[a, b, c]].sum()), float(g.length_m[[a, b, c]].sum()))
    steps = router.steps(router.view("walking", path, "night"))
    middle = router.street_of(g, b)
    if named:  # a turn onto a short named street is an instruction of its own
        assert [s.street for s in steps] == [router.street_of(g, e) for e in (a, b, c)]
        assert steps[1].street == middle and steps[1].distance_m == round(float(g.length_m[b]))
    else:  # a short footpath between two streets is folded into the step before it
        assert [s.street for s in steps] == [router.street_of(g, a), router.street_of(g, c)]
        assert steps[0].distance_m == round(float(g.length_m[[a, b]].sum()))


def test_polylines_round_trip() -> None:
    points = [(60.17011, 24.93812), (60.17102, 24.94005), (60.16999, 24.95001)]
    assert decode_polyline(encode_polyline(points)) == points
