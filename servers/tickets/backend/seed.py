"""Load the committed fixtures into the tickets tables (first run, and after ``lifestyle-mcp reset``).

The fixtures give sessions as (day offset, local time) within a season; seeding anchors day 0 on
the Monday 00:00 (Helsinki) of the sandbox clock's date, so the calendar is the same for any frozen
clock in the same week, and a demo always starts with a season ahead of it. Users and their wallets
are the shared account's (``shared.account.sandbox`` seeds them).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from shared.account import Sandbox, require_schema
from shared.clock import utc
from shared.geo import CITY_TZ

from .catalog import EventRec, SessionRec, VenueRec
from .models import EventRow, MetaRow, SessionRow, VenueRow

FIXTURE_VERSION = "2"
"""2: users, quotes and the wallet moved to the shared account."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def season_anchor(at: datetime) -> datetime:
    """Monday 00:00 Helsinki time of the week containing ``at``."""
    local = at.astimezone(CITY_TZ)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=CITY_TZ)


def local_at(anchor: datetime, day: int, hhmm: str) -> datetime:
    """Wall-clock ``hhmm`` on anchor + ``day`` days, in UTC (daylight saving handled by the zone)."""
    date = anchor.date() + timedelta(days=day)
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(date, time(hour, minute), tzinfo=CITY_TZ).astimezone(UTC)


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "tickets", session.connection())
    return row is not None


def seed(session: Session, sandbox: Sandbox) -> None:
    """Venues, events and a season of sessions anchored on the week of the sandbox clock's now."""
    fixtures_dir = sandbox.fixtures_dir
    anchor = season_anchor(sandbox.clock.now())
    for venue in _read(fixtures_dir / "tickets" / "venues.json")["venues"]:
        session.add(VenueRow(id=venue["id"], data=VenueRec.model_validate(venue).model_dump(mode="json")))
    for raw in _read(fixtures_dir / "tickets" / "events.json")["events"]:
        event = EventRec.model_validate(raw)
        session.add(EventRow(id=event.id, venue_id=event.venue_id, data=event.model_dump(mode="json")))
        opens = local_at(anchor, event.on_sale_day, event.on_sale_time)
        for spec in event.sessions:
            session.add(
                SessionRow(
                    id=spec.id,
                    event_id=event.id,
                    venue_id=event.venue_id,
                    starts_at=local_at(anchor, spec.day, spec.time),
                    sales_open_at=opens,
                    prices=spec.prices,
                )
            )
    session.add(MetaRow(key="season_anchor", value=anchor.isoformat()))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def load(session: Session) -> tuple[list[VenueRec], list[EventRec], list[SessionRec]]:
    venues = [VenueRec.model_validate(r.data) for r in session.exec(select(VenueRow).order_by(VenueRow.id)).all()]
    events = [EventRec.model_validate(r.data) for r in session.exec(select(EventRow).order_by(EventRow.id)).all()]
    sessions = [
        SessionRec(
            id=r.id,
            event_id=r.event_id,
            venue_id=r.venue_id,
            starts_at=utc(r.starts_at),
            sales_open_at=utc(r.sales_open_at),
            prices=dict(r.prices),
        )
        for r in session.exec(select(SessionRow).order_by(SessionRow.id)).all()
    ]
    return venues, events, sessions
