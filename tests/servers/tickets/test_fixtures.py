"""The committed tickets fixtures are what the generator makes from the committed places, and they load."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from servers.tickets.backend.catalog import EventRec, VenueRec
from shared.kit.settings import REPO_FIXTURES
from tests.support import fixture_script


def builder() -> ModuleType:
    return fixture_script("build_tickets")


def committed(name: str) -> dict[str, object]:
    return json.loads((REPO_FIXTURES / "tickets" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_committed_fixtures_are_what_the_generator_writes() -> None:
    places = REPO_FIXTURES / "osm" / "places.json"
    if not places.exists():
        pytest.skip("fixtures/osm/places.json is not there yet")
    venues, events = builder().build(json.loads(places.read_text(encoding="utf-8"))["places"])
    assert venues == committed("venues.json")["venues"]
    assert events == committed("events.json")["events"]


def test_every_event_is_playable_at_a_real_venue() -> None:
    venues = {v.id: v for v in map(VenueRec.model_validate, committed("venues.json")["venues"])}  # type: ignore[arg-type]
    events = [EventRec.model_validate(e) for e in committed("events.json")["events"]]  # type: ignore[attr-defined]
    assert len(venues) >= 10 and len(events) >= 40
    for event in events:
        venue = venues[event.venue_id]
        seats = {t.code: 0 for t in event.tiers}
        for section in venue.sections:
            for row in section.rows:
                tier = event.tier_for(section, row)
                if tier is not None:
                    seats[tier.code] += row.seats
        assert all(seats.values()), (event.id, seats)  # every tier sells real seats
        assert event.sessions and all(set(s.prices) == set(seats) for s in event.sessions)
        assert 1 <= event.per_user_limit <= 6 and event.service_fee_minor > 0


def test_no_venue_holds_two_sessions_at_once() -> None:
    """Each venue here is one hall with one seat map: Peer Gynt and The Seagull both played Lilla Teatern (239
    seats) at 19:00 on two nights, and 13 more such pairs, each selling the same seats again."""
    events = committed("events.json")["events"]
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for e in events:  # type: ignore[attr-defined]
        for s in e["sessions"]:
            hours, minutes = map(int, s["time"].split(":"))
            start = s["day"] * 1440 + hours * 60 + minutes
            spans.setdefault(e["venue_id"], []).append((start, start + e["duration_min"], f"{e['title']} {s['id']}"))
    clashes = [
        (a[2], b[2])
        for held in spans.values()
        for a, b in zip(sorted(held), sorted(held)[1:], strict=False)
        if b[0] < a[1]
    ]
    assert sum(map(len, spans.values())) > 150 and clashes == [], clashes


def test_generation_is_deterministic(tmp_path: Path) -> None:
    places = [
        {"id": "plc_n1", "name": "Svenska Teatern", "category": "theatre", "lat": 60.1674, "lng": 24.9435},
        {"id": "plc_n2", "name": "Club X", "category": "nightclub", "lat": 60.168, "lng": 24.936},
        {"id": "plc_n3", "name": "Kino", "category": "cinema", "lat": 60.17, "lng": 24.94},
    ]
    first, second = builder().build(places), builder().build(list(reversed(places)))
    assert first == second
    assert [v["id"] for v in first[0]] == ["vnu_n1", "vnu_n2"]  # cinemas belong to movies-mcp
