"""Nav in a grown city (scale 2–3): every district has the real city's street addresses, named with its district;
the places other verticals grew are on the map; and what makes a fresh server fast stays true (prepared
hierarchies shipped for every routing profile, indexes that agree with a full scan)."""

from __future__ import annotations

import base64
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mcp import Client
from mcp.types import ImageContent
from sqlalchemy import func, select

from servers.nav.backend.ch import graph_key
from servers.nav.backend.graph import PERIODS, RoadNetwork
from servers.nav.backend.models import AddressRow
from servers.nav.backend.render import MINOR_ROAD
from servers.nav.backend.routing import UNNAMED, decode_polyline
from servers.nav.backend.spatial import GridIndex
from shared.geo import haversine_m
from shared.growth import tile
from shared.kit.settings import default_fixtures
from shared.schemas.common import GeoPoint
from tests.servers.food.helpers import ok
from tests.servers.nav.conftest import NavEnv, make_env

ADDRESSES = json.loads((default_fixtures() / "osm" / "addresses.json").read_text(encoding="utf-8"))["addresses"]
MANNERHEIMINTIE_5 = next(a for a in ADDRESSES if a["street"] == "Mannerheimintie" and a["housenumber"] == "5")


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork) -> Iterator[NavEnv]:
    env = make_env(tmp_path_factory.mktemp("nav-scale3"), network, scale=3)
    yield env
    env.engine.dispose()


def test_a_grown_sandbox_has_the_real_addresses_once_per_district(grown: NavEnv) -> None:
    with grown.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(AddressRow)).scalar_one()
    assert grown.sandbox.scale == 3
    assert count == 3 * len(ADDRESSES)


async def test_an_address_with_its_district_geocodes_in_that_district(grown: NavEnv) -> None:
    kallio = tile(1)
    async with Client(grown.server) as c:
        found = await ok(c, "nav_geocode", {"query": f"Mannerheimintie 5, {kallio.district}"})
    top = found["candidates"][0]
    assert found["status"] == "confident"
    assert (top["kind"], top["id"]) == ("address", f"adr_t1_{MANNERHEIMINTIE_5['id'].removeprefix('adr_')}")
    assert top["address"] == f"Mannerheimintie 5, {kallio.district}, Helsinki"
    assert top["location"]["lat"] == pytest.approx(MANNERHEIMINTIE_5["lat"] + kallio.dlat, abs=1e-6)
    assert top["location"]["lng"] == pytest.approx(MANNERHEIMINTIE_5["lng"] + kallio.dlng, abs=1e-6)


async def test_an_address_without_a_district_is_still_the_real_citys(grown: NavEnv) -> None:
    async with Client(grown.server) as c:
        found = await ok(c, "nav_geocode", {"query": "Mannerheimintie 5"})
    assert found["status"] == "confident"
    assert found["candidates"][0]["id"] == MANNERHEIMINTIE_5["id"]


async def test_a_street_with_a_district_is_that_districts_copy(grown: NavEnv) -> None:
    toolo = tile(2)
    async with Client(grown.server) as c:
        found = await ok(c, "nav_geocode", {"query": f"Fabianinkatu, {toolo.district}"})
    top = found["candidates"][0]
    assert found["status"] == "confident"
    assert (top["kind"], top["name"]) == ("street", f"Fabianinkatu, {toolo.district}")


async def test_reverse_geocoding_in_a_district_names_the_district(grown: NavEnv) -> None:
    kallio = tile(1)
    lat, lng = MANNERHEIMINTIE_5["lat"] + kallio.dlat, MANNERHEIMINTIE_5["lng"] + kallio.dlng
    async with Client(grown.server) as c:
        found = await ok(c, "nav_reverse_geocode", {"lat": lat, "lng": lng})
    assert found["address"]["city"] == f"{kallio.district}, Helsinki"
    assert found["address"]["distance_m"] < 30


async def test_grown_restaurants_are_places_in_their_district(grown: NavEnv) -> None:
    from shared.growth.restaurants import grown_restaurants

    records = grown_restaurants(default_fixtures(), 3)
    assert records, "shared.growth.restaurants grows no restaurant at scale 3"
    record = records[len(records) // 2]
    async with Client(grown.server) as c:
        place = await ok(c, "nav_get_place", {"place_id": f"plc_{record.id}"})
        near = await ok(c, "nav_search_places", {"lat": record.lat, "lng": record.lng, "radius_m": 50, "limit": 20})
    assert place["name"] == record.name
    assert record.district in place["address"]
    assert f"plc_{record.id}" in [p["id"] for p in near["places"]]


async def test_grown_cinemas_and_venues_geocode_by_name_in_their_district(grown: NavEnv) -> None:
    from shared.growth.venues import grown_cinemas, grown_venues

    cinema, venue = grown_cinemas(default_fixtures(), 3)[-1], grown_venues(default_fixtures(), 3)[-1]
    async with Client(grown.server) as c:
        for record in (cinema, venue):
            found = await ok(c, "nav_geocode", {"query": record.name})
            top = found["candidates"][0]
            assert (found["status"], top["id"]) == ("confident", f"plc_{record.id}"), found["message"]
            assert record.district in top["address"]


async def test_a_grown_place_is_found_by_its_own_servers_id(grown: NavEnv) -> None:
    """A grown restaurant's, venue's or cinema's id on its own server routes to it here as a real one's does."""
    from shared.growth.restaurants import grown_restaurants
    from shared.growth.venues import grown_cinemas, grown_venues

    records = [grown_restaurants(default_fixtures(), 3)[0], *(f(default_fixtures(), 3)[0] for f in (grown_cinemas,
               grown_venues))]  # fmt: skip
    async with Client(grown.server) as c:
        for record in records:
            found = await ok(c, "nav_geocode", {"query": record.id})
            assert (found["status"], found["candidates"][0]["id"]) == ("confident", f"plc_{record.id}"), found


KAIVOKATU_1 = next(a for a in ADDRESSES if a["street"] == "Kaivokatu" and a["housenumber"] == "1")


def grown_id(address: dict[str, Any], number: int) -> str:
    """The id of ``address``'s copy in tile ``number``."""
    return f"adr_t{number}_{address['id'].removeprefix('adr_')}"


@pytest.mark.parametrize("mode", ["walking", "cycling", "driving"])
async def test_a_route_between_two_districts_crosses_on_a_link_road(grown: NavEnv, mode: str) -> None:
    kallio, toolo = tile(1), tile(2)
    async with Client(grown.server) as c:
        found = await ok(c, "nav_route", {"origin": grown_id(MANNERHEIMINTIE_5, 1),
                                          "destination": grown_id(KAIVOKATU_1, 2), "mode": mode})  # fmt: skip
    route = found["routes"][0]
    straight = haversine_m(GeoPoint.model_validate(found["origin"]["location"]),
                           GeoPoint.model_validate(found["destination"]["location"]))  # fmt: skip
    assert straight > 1000  # two districts apart, not the real city's two addresses
    assert straight < route["distance_m"] < 4 * straight
    streets = [step["street"] for step in route["steps"]]
    assert any(s.endswith(f", {kallio.district}") for s in streets)
    assert any(s.endswith(f", {toolo.district}") for s in streets)
    assert any(s.endswith(f" to {toolo.district}") for s in streets)  # the link road into Töölö
    line = decode_polyline(route["polyline"])
    assert abs(line[0][0] - (MANNERHEIMINTIE_5["lat"] + kallio.dlat)) < 0.003
    assert abs(line[-1][0] - (KAIVOKATU_1["lat"] + toolo.dlat)) < 0.003
    assert sum(s["duration_s"] for s in route["steps"]) == pytest.approx(route["duration_s"], abs=len(streets) + 60)


async def test_a_route_inside_a_district_is_the_real_citys_route_there(grown: NavEnv, nav: NavEnv) -> None:
    trip = {"mode": "driving", "alternatives": True}
    async with Client(nav.server) as c:
        real = await ok(c, "nav_route", {**trip, "origin": MANNERHEIMINTIE_5["id"], "destination": KAIVOKATU_1["id"]})
    async with Client(grown.server) as c:
        copy = await ok(c, "nav_route", {**trip, "origin": grown_id(MANNERHEIMINTIE_5, 1),
                                         "destination": grown_id(KAIVOKATU_1, 1)})  # fmt: skip
    assert [(r["distance_m"], r["duration_s"]) for r in copy["routes"]] == [
        (r["distance_m"], r["duration_s"]) for r in real["routes"]
    ]
    assert [s["street"] for s in copy["routes"][0]["steps"][:-1]] == [
        s["street"] if s["street"] in UNNAMED.values() else f"{s['street']}, {tile(1).district}"
        for s in real["routes"][0]["steps"][:-1]
    ]  # a district's own street names; a 'service road' is one everywhere


async def test_transit_to_a_grown_district_walks_and_says_why(grown: NavEnv) -> None:
    async with Client(grown.server) as c:
        found = await ok(c, "nav_route", {"origin": MANNERHEIMINTIE_5["id"], "destination": grown_id(KAIVOKATU_1, 1),
                                          "mode": "transit"})  # fmt: skip
        matrix = await ok(
            c,
            "nav_distance_matrix",
            {"origins": [MANNERHEIMINTIE_5["id"]], "destinations": [grown_id(KAIVOKATU_1, 1)], "mode": "transit"},
        )
    note = " ".join(found["notes"])
    assert found["routes"][0]["mode"] == "walking"
    assert tile(1).district in note and "driving" in note
    assert matrix["cells"][0]["reachable"]
    assert matrix["cells"][0]["duration_s"] == pytest.approx(found["routes"][0]["duration_s"], abs=2)


async def test_a_map_of_a_grown_district_draws_its_streets(grown: NavEnv) -> None:
    async with Client(grown.server) as c:
        result = await c.call_tool("nav_render_map", {"origin": grown_id(MANNERHEIMINTIE_5, 2),
                                                      "destination": grown_id(KAIVOKATU_1, 2), "mode": "walking",
                                                      "size": "small"})  # fmt: skip
    assert not result.is_error
    image = result.content[1]
    assert isinstance(image, ImageContent)
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(image.data))).convert("RGB")).reshape(-1, 3)
    streets = int((pixels == np.array(MINOR_ROAD)).all(axis=1).sum())
    assert streets > len(pixels) // 50  # white carriageways, not an empty background around the route


def test_every_routing_profile_has_a_prepared_hierarchy_shipped_with_the_fixtures(network: RoadNetwork) -> None:
    """Without them a fresh data dir prepares each profile first (seconds): fixtures/build_nav.py
    --hierarchies-only writes them after roads.json.gz or the cost model changes."""
    shipped = default_fixtures() / "nav" / "ch"
    for mode, g in network.modes.items():
        for period in PERIODS if mode == "driving" else ("night",):
            key = graph_key(g.n, g.tail, g.head, g.costs(period))
            assert (shipped / f"{key}.npz").exists(), f"no prepared hierarchy for {mode} {period}"


def test_the_grid_index_finds_what_a_full_scan_finds() -> None:
    rng = random.Random(7)
    xs = np.array([rng.uniform(-3000, 3000) for _ in range(2000)])
    ys = np.array([rng.uniform(-2000, 2000) for _ in range(2000)])
    grid = GridIndex(xs, ys)
    for _ in range(50):
        x, y, r = rng.uniform(-4000, 4000), rng.uniform(-3000, 3000), rng.uniform(50, 1500)
        d = np.hypot(xs - x, ys - y)
        assert sorted(grid.within(x, y, r).tolist()) == sorted(np.flatnonzero(d <= r).tolist())
        assert [i for _, i in grid.nearest(x, y, k=3)] == np.argsort(d, kind="stable")[:3].tolist()


def test_shipped_hierarchies_are_read_from_the_fixtures_not_rebuilt(tmp_path: Path) -> None:
    from servers.nav.backend.graph import load_network

    fresh = load_network(default_fixtures(), tmp_path / "cache")
    fresh.modes["walking"].hierarchy()
    assert not list((tmp_path / "cache").glob("*.npz"))  # nothing was prepared, so nothing was cached


def test_a_real_district_a_grown_city_names_elsewhere_is_not_offered_at_its_real_spot(
    tmp_path: Path, network: RoadNetwork
) -> None:
    """At scale 33 the 33rd tile is called Hakaniemi: 'Hakaniemi, Helsinki' is that tile's, so the real map's own
    Hakaniemi district (its OSM centre) is not a second answer; Siltasaari, which no tile is called, still is."""
    env = make_env(tmp_path, network, scale=33)
    try:
        svc = env.app.state.service
        assert tile(32).district == "Hakaniemi"
        hakaniemi = svc.geocode("Hakaniemi", 5, None)
        siltasaari = svc.geocode("Siltasaari", 5, None)
    finally:
        env.engine.dispose()
    assert all(c.kind != "district" for c in hakaniemi.candidates), hakaniemi
    assert (siltasaari.status, siltasaari.candidates[0].kind) == ("confident", "district")
