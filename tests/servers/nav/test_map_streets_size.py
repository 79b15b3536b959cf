"""nav_map_streets stays a small tool result whatever the box, through the real protocol: the whole city or the
whole world gets the roads (major roads and streets, paths named in left_out) in under MAX_STREET_BYTES of JSON
instead of ≈170 KB, while the box the route map view asks for around a normal walk still has every kind, and the
box around a drive across the whole city still has every road the route runs on."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.types import TextContent

from servers.nav.backend.graph import RoadNetwork
from shared.schemas.nav import MAX_STREET_BYTES
from tests.apps.test_route_map import decode
from tests.servers.food.helpers import ok
from tests.servers.nav.conftest import NavEnv, make_env

KINDS = ["major", "street", "path"]
WORLD = {"min_lat": -90.0, "min_lng": -180.0, "max_lat": 90.0, "max_lng": 180.0}
HELSINKI = {"min_lat": 60.15, "min_lng": 24.90, "max_lat": 60.19, "max_lng": 24.97}  # all of the mapped city


def view_box(points: list[tuple[float, float]]) -> dict[str, float]:
    """The box shared/views/route_map.html asks for around a route (its ``projection``: 600×400 px, 36 px pad)."""
    w, h, pad = 600, 400, 36
    k = math.cos(math.radians(sum(p[0] for p in points) / len(points)))
    xs, ys = [p[1] * k for p in points], [p[0] for p in points]
    span = max((max(xs) - min(xs)) / (w - 2 * pad), (max(ys) - min(ys)) / (h - 2 * pad), 0.0025 / (h - 2 * pad))
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {
        "min_lat": round(cy - (h / 2 + pad) * span, 5),
        "max_lat": round(cy + (h / 2 + pad) * span, 5),
        "min_lng": round((cx - (w / 2 + pad) * span) / k, 5),
        "max_lng": round((cx + (w / 2 + pad) * span) / k, 5),
    }


async def streets(client: Client, box: dict[str, float]) -> tuple[dict[str, Any], int]:
    """The street map and the size in bytes of the tool result's text (the same JSON as its structured content)."""
    got = await ok(client, "nav_map_streets", box)
    result = await client.call_tool("nav_map_streets", box)
    first = result.content[0]
    assert isinstance(first, TextContent)
    assert json.loads(first.text) == got
    return got, len(first.text.encode())


async def route_box(
    client: Client, origin: str, destination: str, mode: str
) -> tuple[dict[str, Any], dict[str, float]]:
    route = await ok(client, "nav_route", {"origin": origin, "destination": destination, "mode": mode})
    ends = [(route[end]["location"]["lat"], route[end]["location"]["lng"]) for end in ("origin", "destination")]
    return route, view_box(decode(route["routes"][0]["polyline"]) + ends)


async def test_the_whole_city_and_the_whole_world_get_the_roads_in_a_small_result(nav: NavEnv) -> None:
    s, w, n, e = nav.app.state.service.network.bounds
    city = {"min_lat": s, "min_lng": w, "max_lat": n, "max_lng": e}
    async with Client(nav.server) as c:
        answers = [await streets(c, box) for box in (WORLD, HELSINKI, city)]
    for got, size in answers:
        assert size <= MAX_STREET_BYTES <= 40_000, size  # was ≈171 KB: every footway of the city
        assert got["left_out"] == ["path"]
        kinds = [line["kind"] for line in got["streets"]]
        assert kinds == sorted(kinds, key=KINDS.index) and set(kinds) == {"major", "street"}
        assert {"Mannerheimintie", "Kaivokatu", "Laivasillankatu"} <= {line["name"] for line in got["streets"]}
        assert got["points"] == sum(len(decode(line["polyline"])) for line in got["streets"])
    assert answers[0][0]["streets"] == answers[1][0]["streets"] == answers[2][0]["streets"]


async def test_the_box_around_a_normal_route_keeps_every_kind_and_the_streets_it_runs_on(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        for origin, destination, mode in [("home", "Kiasma", "walking"), ("Home", "Musiikkitalo", "driving"),
                                          ("Work", "Kino Engel", "walking")]:  # fmt: skip
            route, box = await route_box(c, origin, destination, mode)
            got, size = await streets(c, box)
            assert size <= MAX_STREET_BYTES, (origin, destination, size)  # the walk to Kiasma was 43 KB
            assert got["left_out"] == [], (origin, destination)
            assert {line["kind"] for line in got["streets"]} == set(KINDS)
            names = {line["name"] for line in got["streets"]}
            assert set(route["routes"][0]["via"]) <= names, (origin, destination)


async def test_a_drive_across_the_whole_city_still_draws_its_roads(nav: NavEnv) -> None:
    s, w, n, e = nav.app.state.service.network.bounds
    async with Client(nav.server) as c:
        route, box = await route_box(c, f"{s:.5f},{w:.5f}", f"{n:.5f},{e:.5f}", "driving")
        got, size = await streets(c, box)
    assert route["routes"][0]["distance_m"] > 2000
    assert size <= MAX_STREET_BYTES and got["left_out"] == ["path"]
    roads = [line for line in got["streets"] if line["kind"] in ("major", "street")]
    assert len(roads) > 100
    assert set(route["routes"][0]["via"]) <= {line["name"] for line in roads}


async def test_a_grown_citys_whole_world_is_small_too(tmp_path: Path, network: RoadNetwork) -> None:
    env = make_env(tmp_path, network, scale=3)
    try:
        async with Client(env.server) as c:
            got, size = await streets(c, WORLD)
    finally:
        env.engine.dispose()
    assert size <= MAX_STREET_BYTES
    assert got["left_out"] == ["street", "path"] and {line["kind"] for line in got["streets"]} == {"major"}
    names = {line["name"] for line in got["streets"]}
    assert "Mannerheimintie" in names and sum(name.startswith("Mannerheimintie, ") for name in names) == 2
