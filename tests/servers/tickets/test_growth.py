"""Tickets in a grown city (scale 3): every grown district has venues on its copies of real addresses, with events
and sessions proportional to the scale, found by search, bookable through the tools; and the indexed search
returns exactly what a plain scan over the catalog would, page after page."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import func, select

from servers.tickets.backend.index import query_words
from servers.tickets.backend.models import EventRow, SessionRow, VenueRow
from shared.clock import local
from shared.geo import haversine_m
from shared.growth import sites_in, tile
from shared.growth.venues import grown_venues
from shared.kit.settings import default_fixtures
from shared.schemas.common import GeoPoint
from shared.text import fold
from tests.servers.tickets.conftest import TicketsEnv, make_env
from tests.servers.tickets.helpers import ok

REAL_VENUES, REAL_SESSIONS = 23, 175
SCALE = 3


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TicketsEnv]:
    env = make_env(tmp_path_factory.mktemp("tickets-scale3"), scale=SCALE)
    yield env
    env.engine.dispose()


def count(env: TicketsEnv, table: Any) -> int:
    with env.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_grown_city_has_venues_and_sessions_in_proportion_to_its_scale(grown: TicketsEnv) -> None:
    venues, sessions = count(grown, VenueRow), count(grown, SessionRow)
    assert venues == REAL_VENUES + (SCALE - 1) * 20
    assert sessions == REAL_SESSIONS + (SCALE - 1) * 20 * 3 * 4
    assert venues >= 2000 * SCALE // 100 and sessions >= 20_000 * SCALE // 100  # the scale pack's floors, scaled
    assert count(grown, EventRow) == len(grown.service.catalog.events)


async def test_a_grown_venue_stands_on_an_address_of_its_district(grown: TicketsEnv) -> None:
    record = grown_venues(default_fixtures(), SCALE)[-1]  # Töölö's gallery
    district = tile(record.tile)
    event_id = next(e.id for e in grown.service.catalog.events.values() if e.venue_id == record.id)
    async with Client(grown.server) as c:
        event = await ok(c, "tickets_get_event", {"event_id": event_id})
    venue = event["venue"]
    assert venue["id"] == record.id and record.name in venue["name"]
    assert venue["address"] == f"{record.street} {record.housenumber}, {district.district}, Helsinki"
    sites = {(s.lat, s.lng) for s in sites_in(default_fixtures(), district)}
    assert (venue["location"]["lat"], venue["location"]["lng"]) in sites


async def test_a_district_name_finds_the_events_at_its_venues(grown: TicketsEnv) -> None:
    kallio = tile(1).district
    async with Client(grown.server) as c:
        by_word = await walk(c, {"query": kallio}, limit=20)
        by_area = await walk(c, {"area": kallio}, limit=20)
    assert len(by_word) == 60  # 20 venues × 3 events
    assert set(by_word) == set(by_area)
    assert all(grown.service.catalog.events[e].venue_id.startswith("vnu_g1_") for e in by_word)


async def test_seats_at_a_grown_venue_can_be_held_through_the_tools(grown: TicketsEnv) -> None:
    kallio = tile(1).district
    async with Client(grown.server) as c:
        found = await ok(c, "tickets_search_events", {"query": f"{kallio} Konserttitalo"})
        sessions = []
        for summary in found["events"]:
            event = await ok(c, "tickets_get_event", {"event_id": summary["id"]})
            sessions += [s for s in event["sessions"] if s["status"] == "on_sale" and s["remaining"] >= 2]
        session = sessions[0]
        tier = next(t for t in session["tiers"] if t["remaining"] >= 2)
        hold = await ok(c, "tickets_hold_seats", {"session_id": session["id"], "tier": tier["code"], "quantity": 2})
        await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
    assert len(hold["seats"]) == 2


# ----- the index answers what a scan answers ----------------------------------------------------------------


def scan(env: TicketsEnv, args: dict[str, Any]) -> list[str]:
    return [key[-1] for key in scan_keys(env, args)]


def scan_keys(env: TicketsEnv, args: dict[str, Any]) -> list[tuple[bool, int, int, datetime, str]]:
    """Events in search order, with their sort keys, by the definition: every filter applied to every session
    of every event; an event every matching session of which was all sold before its sale opened comes last."""
    cat, now = env.service.catalog, env.service.now()
    words = query_words(args.get("query", ""))
    near = GeoPoint(lat=args["lat"], lng=args["lng"]) if "lat" in args else None
    first = date.fromisoformat(args["date_from"]) if args.get("date_from") else None
    last = date.fromisoformat(args["date_to"]) if args.get("date_to") else None
    earliest = time.fromisoformat(args["time_from"]) if args.get("time_from") else None
    hits = []
    for event in cat.events.values():
        if args.get("category", "any") not in ("any", event.category):
            continue
        text = fold(cat.search_text[event.id]).split()
        score = 0
        for word in words:
            best = max((3 if t.startswith(word) else 2 for t in text if word in t), default=0)
            if not best:  # the fuzzy rule only rescues words the scan would otherwise reject; not exercised here
                break
            score += best
        else:
            recs = [
                s
                for s in cat.by_event.get(event.id, [])
                if s.starts_at > now
                and (first is None or local(s.starts_at).date() >= first)
                and (last is None or local(s.starts_at).date() <= last)
                and (earliest is None or local(s.starts_at).time() >= earliest)
            ]
            if recs:
                venue = cat.venues[event.venue_id]
                distance = round(haversine_m(venue.location, near)) if near else 0
                presold = {s.id: s.presold_percent for s in event.sessions}
                sold_out = all(presold[s.id] == 100 for s in recs)
                hits.append((sold_out, -score, distance, min(s.starts_at for s in recs), event.id))
    return sorted(hits)


def workload(env: TicketsEnv, n: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(12)
    events = sorted(env.service.catalog.events.values(), key=lambda e: e.id)
    venues = sorted(env.service.catalog.venues.values(), key=lambda v: v.id)
    today = local(env.service.now()).date()
    for _ in range(n):
        args: dict[str, Any] = {}
        if rng.random() < 0.4:
            args["category"] = rng.choice(events).category
        if rng.random() < 0.4:
            event = rng.choice(events)
            args["query"] = rng.choice([event.title.split()[0], event.performer, tile(rng.randrange(SCALE)).district])
        if rng.random() < 0.5:
            v = rng.choice(venues)
            args |= {
                "lat": round(v.lat + rng.uniform(-0.003, 0.003), 5),
                "lng": round(v.lng + rng.uniform(-0.005, 0.005), 5),
            }
        if rng.random() < 0.5:
            start = today + timedelta(days=rng.randrange(0, 40))
            args |= {
                "date_from": start.isoformat(),
                "date_to": (start + timedelta(days=rng.randrange(0, 14))).isoformat(),
            }
        if rng.random() < 0.2:
            args["time_from"] = rng.choice(["14:00", "19:00", "20:00"])
        yield args


async def walk(c: Client, args: dict[str, Any], limit: int) -> list[str]:
    """Every event id the tool lists, page by page through next_cursor."""
    ids: list[str] = []
    cursor = ""
    while True:
        page = await ok(c, "tickets_search_events", args | {"limit": limit, "cursor": cursor})
        ids += [e["id"] for e in page["events"]]
        assert page["page"]["total"] == len(ids) or page["page"]["next_cursor"]
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return ids


async def test_the_indexed_search_lists_what_a_scan_of_every_event_lists_in_the_same_order(grown: TicketsEnv) -> None:
    async with Client(grown.server) as c:
        for args in workload(grown, 25):
            assert await walk(c, args, limit=20) == scan(grown, args), args


async def test_a_cursor_continues_after_the_last_event_shown_when_earlier_ones_have_dropped_out(
    grown: TicketsEnv,
) -> None:
    """Sessions that start between two pages move their events down the listing (their next session is later):
    an offset would skip or repeat events, the cursor (the last event's sort key) continues right after it."""
    args = {"query": tile(1).district, "category": "theatre"}
    async with Client(grown.server) as c:
        first = await ok(c, "tickets_search_events", args | {"limit": 5})
        shown = [e["id"] for e in first["events"]]
        last_key = next(k for k in scan_keys(grown, args) if k[-1] == shown[-1])
        assert shown == scan(grown, args)[:5]
        moves = [datetime.fromisoformat(e["next_session_at"]) + timedelta(minutes=1) for e in first["events"]]
        try:
            for move in sorted(moves):  # the first clock move after which an offset would list the wrong events
                grown.clock.set(move)
                now_listed = scan_keys(grown, args)
                expected = [k[-1] for k in now_listed if k > last_key][:5]
                if expected != [k[-1] for k in now_listed][5:10]:
                    break
            else:
                pytest.fail("no clock move reorders the first page: pick another search")
            second = await ok(c, "tickets_search_events", args | {"limit": 5, "cursor": first["page"]["next_cursor"]})
        finally:
            grown.clock.set(grown.settings.clock_start, backwards=True)
    assert [e["id"] for e in second["events"]] == expected


def test_no_grown_venue_holds_two_performances_at_once(grown: TicketsEnv) -> None:
    """A grown venue's three shows drew their days apart from each other: at scale 3, 33 pairs of performances
    overlapped in one hall, selling its seats twice (the real fixtures have none: test_fixtures)."""
    catalog = grown.service.catalog
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for rec in catalog.sessions.values():
        length = timedelta(minutes=catalog.events[rec.event_id].duration_min)
        spans.setdefault(rec.venue_id, []).append((rec.starts_at, rec.starts_at + length))
    overlapping = [
        venue
        for venue, held in spans.items()
        for a, b in zip(sorted(held), sorted(held)[1:], strict=False)
        if b[0] < a[1]
    ]
    assert len(spans) == REAL_VENUES + (SCALE - 1) * 20 and overlapping == [], overlapping
