"""Event search as people ask: by time of day ("an afternoon show", "after 20:00"), and no made-up distance when no
place was given."""

from __future__ import annotations

from datetime import datetime, time

from mcp import Client

from shared.clock import local
from shared.geo import CITY_TZ
from tests.servers.tickets.conftest import TicketsEnv
from tests.servers.tickets.helpers import err, ok


def at(stamp: str) -> time:
    return datetime.fromisoformat(stamp).astimezone(CITY_TZ).time()


async def test_events_by_time_of_day_match_only_sessions_in_that_window(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        afternoon = await ok(c, "tickets_search_events", {"time_from": "13:00", "time_to": "16:00", "limit": 20})
        late = await ok(c, "tickets_search_events", {"time_from": "20:00", "limit": 20})
        everything = await ok(c, "tickets_search_events", {"limit": 20})
        event = await ok(c, "tickets_get_event", {"event_id": afternoon["events"][0]["id"]})
    svc = tickets.service
    now = svc.now()
    expected = {
        s.event_id
        for s in svc.catalog.sessions.values()
        if s.starts_at > now and time(13) <= local(s.starts_at).time() <= time(16)
    }
    assert afternoon["page"]["total"] == len(expected) < everything["page"]["total"]
    assert afternoon["events"] and all(time(13) <= at(e["next_session_at"]) <= time(16) for e in afternoon["events"])
    assert late["events"] and all(at(e["next_session_at"]) >= time(20) for e in late["events"])
    matching = [
        s
        for s in event["sessions"]
        if time(13) <= at(s["starts_at"]) <= time(16) and datetime.fromisoformat(s["starts_at"]) > now
    ]
    assert afternoon["events"][0]["sessions_matching"] == len(matching)


async def test_a_time_that_is_not_a_time_of_day_is_refused(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        words = await err(c, "tickets_search_events", {"time_from": "evening"})
        backwards = await err(c, "tickets_search_events", {"time_from": "20:00", "time_to": "18:00"})
    assert "not a time of day" in words and "HH:MM" in words
    assert "before time_from" in backwards


async def test_events_without_a_place_carry_no_distance(tickets: TicketsEnv) -> None:
    async with Client(tickets.server) as c:
        anywhere = await ok(c, "tickets_search_events", {"limit": 10})
        near = await ok(c, "tickets_search_events", {"lat": 60.1738, "lng": 24.9355, "limit": 10})
    assert anywhere["events"] and all("distance_m" not in e for e in anywhere["events"])
    assert all(isinstance(e["distance_m"], int) for e in near["events"])
    assert near["events"][0]["distance_m"] < 100 < near["events"][-1]["distance_m"]
