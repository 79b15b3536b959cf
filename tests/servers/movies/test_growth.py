"""Movies in a grown city (scale 3): a cinema in every grown district with screens copied from real ones and
showtimes over the whole horizon; found near its district, bookable; and the column index lists what a scan of
the programme lists, with cursors that stay right when the clock moves between pages."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from servers.movies.backend.catalog import HORIZON_DAYS
from shared.clock import local
from shared.geo import haversine_m
from shared.growth import sites_in, tile
from shared.growth.venues import grown_cinemas
from shared.kit.settings import default_fixtures
from shared.schemas.common import GeoPoint
from tests.servers.movies.conftest import MoviesEnv, make_env
from tests.servers.movies.helpers import ok

SCALE = 3
REAL_SCREENS = 10


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MoviesEnv]:
    env = make_env(tmp_path_factory.mktemp("movies-scale3"), scale=SCALE)
    yield env
    env.engine.dispose()


def test_every_grown_district_has_a_cinema_whose_screens_show_films_every_day_of_the_horizon(
    grown: MoviesEnv,
) -> None:
    cat = grown.service.catalog
    now = grown.service.now()
    assert len(cat.auditoriums) == REAL_SCREENS + (SCALE - 1) * 3 >= 300 * SCALE // 100
    for record in grown_cinemas(default_fixtures(), SCALE):
        days = {local(s.starts_at).date() for s in cat.by_cinema[record.id] if s.starts_at > now}
        assert len(days) >= HORIZON_DAYS, record.id


async def test_a_grown_cinema_is_the_nearest_to_a_point_in_its_district(grown: MoviesEnv) -> None:
    record = grown_cinemas(default_fixtures(), SCALE)[0]
    district = tile(record.tile)
    async with Client(grown.server) as c:
        found = await ok(c, "movies_search_cinemas", {"lat": record.lat + 0.0005, "lng": record.lng})
    nearest = found["cinemas"][0]
    assert nearest["id"] == record.id
    assert nearest["address"] == f"{record.street} {record.housenumber}, {district.district}, Helsinki"
    sites = {(s.lat, s.lng) for s in sites_in(default_fixtures(), district)}
    assert (nearest["location"]["lat"], nearest["location"]["lng"]) in sites


async def test_seats_at_a_grown_cinema_can_be_held_through_the_tools(grown: MoviesEnv) -> None:
    record = grown_cinemas(default_fixtures(), SCALE)[-1]
    async with Client(grown.server) as c:
        listed = await ok(c, "movies_find_showtimes", {"cinema_id": record.id, "date": "tomorrow", "limit": 10})
        showtime = next(s for s in listed["showtimes"] if s["status"] == "on_sale" and s["free"] >= 2)
        seat_map = await ok(c, "movies_get_seat_map", {"showtime_id": showtime["id"]})
        tier = next(t for t in seat_map["showtime"]["tiers"] if t["free"] >= 2)
        hold = await ok(c, "movies_hold_seats", {"showtime_id": showtime["id"], "tier": tier["tier"], "quantity": 2})
        await ok(c, "movies_release_hold", {"hold_id": hold["id"]})
    assert showtime["cinema_id"] == record.id
    assert len(hold["seats"]) == 2


# ----- the column index answers what a scan answers ---------------------------------------------------------


def scan(env: MoviesEnv, args: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Showtimes in listing order with their sort keys, by the definition: every filter on every showtime."""
    svc, cat = env.service, env.service.catalog
    now = svc.now()
    day = svc._day(args.get("date", ""), now)
    origin = GeoPoint(lat=args["lat"], lng=args["lng"]) if "lat" in args else None
    out = []
    for s in cat.ordered:
        if s.starts_at <= now or (day is not None and local(s.starts_at).date() != day):
            continue
        if args.get("cinema_id", s.cinema_id) != s.cinema_id or args.get("movie_id", s.film_id) != s.film_id:
            continue
        if args.get("format", "any") not in ("any", s.format):
            continue
        if "time_from" in args and local(s.starts_at).strftime("%H:%M") < args["time_from"]:
            continue
        distance = haversine_m(cat.cinemas[s.cinema_id].location, origin) if origin else 0.0
        if origin is None:
            out.append((s.starts_at, s.id))
        elif args.get("sort") == "start_time":
            out.append((s.starts_at, distance, s.id))
        else:
            out.append((local(s.starts_at).date(), distance, s.starts_at, s.id))
    return sorted(out)


def workload(env: MoviesEnv, n: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(12)
    cat = env.service.catalog
    cinemas = sorted(cat.cinemas.values(), key=lambda c: c.id)
    showing = sorted({s.film_id for s in cat.ordered})
    for _ in range(n):
        args: dict[str, Any] = {}
        pick = rng.random()
        if pick < 0.3:
            args["cinema_id"] = rng.choice(cinemas).id
        elif pick < 0.6:
            args["movie_id"] = rng.choice(showing)
        args["date"] = rng.choice(
            ["today", "tomorrow", (local(env.service.now()) + timedelta(days=3)).date().isoformat()]
        )
        if rng.random() < 0.5:
            c = rng.choice(cinemas)
            args |= {"lat": round(c.lat + rng.uniform(-0.004, 0.004), 5), "lng": round(c.lng, 5)}
            if rng.random() < 0.5:
                args["sort"] = "start_time"
        if rng.random() < 0.3:
            args["format"] = rng.choice(["2D", "3D"])
        if rng.random() < 0.3:
            args["time_from"] = rng.choice(["17:00", "19:30"])
        yield args


async def walk(c: Client, args: dict[str, Any], limit: int) -> list[str]:
    ids: list[str] = []
    cursor = ""
    while True:
        page = await ok(c, "movies_find_showtimes", args | {"limit": limit, "cursor": cursor})
        ids += [s["id"] for s in page["showtimes"]]
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return ids


async def test_the_indexed_showtimes_are_what_a_scan_of_the_programme_lists_in_the_same_order(
    grown: MoviesEnv,
) -> None:
    async with Client(grown.server) as c:
        for args in workload(grown, 20):
            assert await walk(c, args, limit=10) == [k[-1] for k in scan(grown, args)], args


async def test_a_cursor_continues_after_the_last_showtime_shown_when_earlier_ones_have_started(
    grown: MoviesEnv,
) -> None:
    """Showtimes that start between two pages leave the listing: an offset would skip as many, the cursor (the
    last showtime's sort key) continues right after the last one shown."""
    tomorrow = (local(grown.service.now()) + timedelta(days=1)).date().isoformat()
    args = {"date": tomorrow}
    async with Client(grown.server) as c:
        first = await ok(c, "movies_find_showtimes", args | {"limit": 10})
        shown = [s["id"] for s in first["showtimes"]]
        last_key = next(k for k in scan(grown, args) if k[-1] == shown[-1])
        grown.clock.set(datetime.fromisoformat(first["showtimes"][3]["starts_at"]) + timedelta(minutes=1))
        try:
            now_listed = scan(grown, args)
            second = await ok(c, "movies_find_showtimes", args | {"limit": 10, "cursor": first["page"]["next_cursor"]})
        finally:
            grown.clock.set(grown.settings.clock_start, backwards=True)
    expected = [k[-1] for k in now_listed if k > last_key][:10]
    assert shown[0] not in [k[-1] for k in now_listed]  # it started: an offset of 10 would now skip showtimes
    assert expected != [k[-1] for k in now_listed][10:20]
    assert [s["id"] for s in second["showtimes"]] == expected
