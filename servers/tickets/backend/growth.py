"""Tickets' share of a grown city (``lifestyle-mcp sandbox create --scale N``): events and sessions at every
venue ``shared.growth.venues`` adds.

Each grown venue copies the seat layout of a real venue of its kind (its ``template``) and puts on
``EVENTS_PER_VENUE`` of the shows that real venue has — a touring production plays many halls — each with
``SESSIONS_PER_EVENT`` performances on days and with pre-sold shares drawn from a hash of the event id, on days its
hall is free (``one_hall``). So the
grown city sells seats through exactly the code paths the real one does (same tiers, same layouts, same
engine), and at scale 100 it has 99 × 20 × 3 × 4 = 23,760 grown sessions beside the real 175 (the floor is
20,000). Everything is a pure function of (fixtures, scale, season anchor), so a rebuilt sandbox is identical.

Grown rows keep the copied layout's source (``layout_of``) and the copied show's (``copy_of``): the catalog
loader shares one parsed copy of each instead of holding thousands of identical ones in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.growth.venues import GrownVenue, grown_venues

from .catalog import EventRec, VenueRec

EVENTS_PER_VENUE = 3
SESSIONS_PER_EVENT = 4
FIRST_DAY, LAST_FIRST_DAY = 3, 55  # first performances fall in the season's days 3..55 after the anchor Monday


def _hash(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def venue_data(grown: GrownVenue, template: VenueRec) -> dict[str, Any]:
    """A grown venue as a ``tickets_venue`` document: the template's sections, its own place and name."""
    return {
        **template.model_dump(mode="json"),
        "id": grown.id,
        "place_id": f"plc_{grown.id}",
        "name": grown.name,
        "name_en": "",
        "name_zh": grown.name_zh,
        "kind": grown.kind,
        "lat": grown.lat,
        "lng": grown.lng,
        "street": grown.street,
        "housenumber": grown.housenumber,
        "postcode": "",
        "area": grown.district,
        "area_zh": "",
        "layout_of": template.id,
    }


def event_data(event_id: str, venue_id: str, source: EventRec) -> dict[str, Any]:
    """A copy of the real show ``source`` at a grown venue: its own id, performances and pre-sold shares."""
    h = _hash(event_id)
    first = FIRST_DAY + h % (LAST_FIRST_DAY - FIRST_DAY + 1)
    gap = 1 + (h >> 8) % 6
    prices = source.sessions[0].prices
    sessions = [
        {
            "id": f"ses_{event_id.removeprefix('evt_')}{m}",
            "day": first + m * gap,
            "time": source.sessions[m % len(source.sessions)].time,
            "prices": prices,
            "presold_percent": _hash(event_id, m) % 90,
        }
        for m in range(SESSIONS_PER_EVENT)
    ]
    on_sale_day = first - 4 if h % 9 == 0 else -42  # one show in nine goes on sale a few days before it opens
    return {
        **source.model_dump(mode="json"),
        "id": event_id,
        "venue_id": venue_id,
        "on_sale_day": on_sale_day,
        "on_sale_time": "10:00",
        "sessions": sessions,
        "copy_of": source.id,
    }


def grown_catalog(
    fixtures_dir: Path, scale: int, venues: dict[str, VenueRec], events: list[EventRec]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(venue document, its event documents) for every venue a city grown ``scale``× adds; ``venues`` and
    ``events`` are the real catalog the copies are made from."""
    shows: dict[str, list[EventRec]] = {}
    for e in sorted(events, key=lambda e: e.id):
        shows.setdefault(e.venue_id, []).append(e)
    for grown in grown_venues(fixtures_dir, scale):
        template = venues[grown.template]
        own = shows.get(template.id) or [e for es in shows.values() for e in es]
        slot = int(grown.id.rsplit("_", 1)[1])
        docs = [
            event_data(f"evt_{grown.id.removeprefix('vnu_')}{j}", grown.id, own[(grown.tile + slot + j) % len(own)])
            for j in range(EVENTS_PER_VENUE)
        ]
        yield venue_data(grown, template), one_hall(docs)


def one_hall(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of one venue with no two performances at once: a venue is one hall with one seat map, and two
    shows drawn onto the same evening sold its seats twice. A later event's performance that would overlap an
    earlier one's moves a day on (its id, which does not name the day, stays)."""
    booked: list[tuple[int, int]] = []
    for doc in docs:
        for session in doc["sessions"]:
            hours, minutes = map(int, session["time"].split(":"))
            while True:
                start = session["day"] * 24 * 60 + hours * 60 + minutes
                span = (start, start + doc["duration_min"])
                if all(span[1] <= a or b <= span[0] for a, b in booked):
                    break
                session["day"] += 1
            booked.append(span)
    return docs


def session_rows(event: dict[str, Any], anchor: datetime) -> list[dict[str, Any]]:
    """``tickets_session`` rows of one event document, anchored as the real fixtures are (``seed.local_at``)."""
    from .seed import local_at

    opens = local_at(anchor, event["on_sale_day"], event["on_sale_time"])
    return [
        {
            "id": s["id"],
            "event_id": event["id"],
            "venue_id": event["venue_id"],
            "starts_at": local_at(anchor, s["day"], s["time"]),
            "sales_open_at": opens,
            "prices": s["prices"],
        }
        for s in event["sessions"]
    ]
