"""nav_map_streets, the app-only tool the route map view draws its streets from, through the real protocol: hidden
from the model by its visibility, the street graph's lines inside a box, every district's in a grown city, and
whole kinds left out (paths first) when a box holds more than the cap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp import Client

from clients.suite import Suite
from servers.nav.backend.graph import RoadNetwork
from shared.schemas.nav import MAX_STREET_POINTS
from tests.apps.test_route_map import decode
from tests.sandboxes import Lifestyle
from tests.servers.nav.conftest import make_env

KIASMA = {"min_lat": 60.1695, "min_lng": 24.9340, "max_lat": 60.1730, "max_lng": 24.9405}
KINDS = ["major", "street", "path"]


async def streets(client: Client, box: dict[str, float]) -> dict[str, Any]:
    result = await client.call_tool("nav_map_streets", box)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def touches(polyline: str, box: dict[str, float]) -> bool:
    points = decode(polyline)
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    return (
        min(lats) <= box["max_lat"] + 1e-5
        and max(lats) >= box["min_lat"] - 1e-5
        and min(lngs) <= box["max_lng"] + 1e-5
        and max(lngs) >= box["min_lng"] - 1e-5
    )


async def test_map_streets_is_an_app_only_tool_of_the_route_map_view(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("nav")) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == "nav_map_streets")
    assert (tool.meta or {})["ui"] == {"resourceUri": "ui://nav/route_map.html", "visibility": ["app"]}
    assert tool.annotations is not None and tool.annotations.read_only_hint


async def test_the_suite_offers_the_model_every_nav_tool_but_the_app_only_one(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("nav")) as client:
        served = {t.name for t in (await client.list_tools()).tools}
    async with Suite({"nav": lifestyle.server("nav")}) as suite:
        offered = {t.name for t in suite.tools}
        reply = await suite.call("nav_map_streets", KIASMA)
    assert offered == served - {"nav_map_streets"} and "nav_route" in offered
    assert reply.is_error


async def test_streets_in_a_box_are_the_street_graphs_lines_touching_it_major_roads_first(
    lifestyle: Lifestyle,
) -> None:
    async with Client(lifestyle.server("nav")) as client:
        found = await streets(client, KIASMA)
        everything = await streets(client, {"min_lat": 60.15, "min_lng": 24.90, "max_lat": 60.19, "max_lng": 24.97})
    lines = found["streets"]
    assert len(lines) > 100 and found["left_out"] == []
    assert all(touches(s["polyline"], KIASMA) for s in lines)
    assert found["points"] == sum(len(decode(s["polyline"])) for s in lines)
    kinds = [s["kind"] for s in lines]
    assert kinds == sorted(kinds, key=KINDS.index) and set(kinds) == set(KINDS)
    names = {s["name"] for s in lines}
    assert {"Mannerheimintie", "Kaivokatu"} <= names
    assert {s["road_class"] for s in lines if s["name"] == "Mannerheimintie"} <= {"primary", "secondary", "trunk"}
    # The box is a filter, not the whole map: the harbour's Laivasillankatu is only in the city-wide box.
    assert "Laivasillankatu" not in names
    assert "Laivasillankatu" in {s["name"] for s in everything["streets"]} and everything["left_out"] == ["path"]
    assert "OpenStreetMap" in found["attribution"]


async def test_an_empty_box_is_refused_with_how_to_fix_it(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("nav")) as client:
        result = await client.call_tool("nav_map_streets", {**KIASMA, "min_lat": 60.18})
    assert result.is_error
    text = getattr(result.content[0], "text", "")
    assert "min_lat < max_lat" in text


async def test_a_grown_city_has_every_districts_streets_and_leaves_paths_out_beyond_the_cap(
    tmp_path: Path, network: RoadNetwork
) -> None:
    env = make_env(tmp_path, network, scale=2)
    try:
        s, w, n, e = network.bounds
        near = {"min_lat": s, "min_lng": w, "max_lat": n, "max_lng": e}
        async with Client(env.server) as client:
            real = await streets(client, near)
            grown = await streets(client, {"min_lat": s - 1, "min_lng": w - 1, "max_lat": n + 1, "max_lng": e + 1})
    finally:
        env.engine.dispose()
    assert real["left_out"] == ["path"] and real["points"] <= MAX_STREET_POINTS
    assert grown["left_out"] == ["street", "path"] and 0 < grown["points"] <= MAX_STREET_POINTS
    assert {s["kind"] for s in grown["streets"]} == {"major"}
    names = {s["name"] for s in grown["streets"]}
    suffixed = {name.split(", ")[1] for name in names if ", " in name}
    assert "Mannerheimintie" in names and len(suffixed) == 1  # the real city and one more district
    assert f"Mannerheimintie, {suffixed.pop()}" in names
