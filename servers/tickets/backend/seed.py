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

from sqlalchemy import insert
from sqlmodel import Session, select

from shared.account import Sandbox, require_schema
from shared.clock import utc
from shared.geo import CITY_TZ

from . import growth
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
    """Venues, events and a season of sessions anchored on the week of the sandbox clock's now; a grown
    sandbox (``sandbox.scale`` > 1) adds its districts' venues, events and sessions in bulk (``growth``)."""
    fixtures_dir = sandbox.fixtures_dir
    anchor = season_anchor(sandbox.clock.now())
    venues = [VenueRec.model_validate(v) for v in _read(fixtures_dir / "tickets" / "venues.json")["venues"]]
    events = [EventRec.model_validate(raw) for raw in _read(fixtures_dir / "tickets" / "events.json")["events"]]
    for venue in venues:
        session.add(VenueRow(id=venue.id, data=venue.model_dump(mode="json")))
    for event in events:
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
    if sandbox.scale > 1:
        grow(session, sandbox, anchor, venues, events)


GROW_BATCH = 2000


def grow(session: Session, sandbox: Sandbox, anchor: datetime, venues: list[VenueRec], events: list[EventRec]) -> None:
    """The grown districts' venues, events and sessions, inserted in batches of plain rows (not ORM objects)."""
    session.flush()
    venue_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    session_rows: list[dict[str, Any]] = []

    def flush(final: bool = False) -> None:
        for table, rows in ((VenueRow, venue_rows), (EventRow, event_rows), (SessionRow, session_rows)):
            if rows and (final or len(rows) >= GROW_BATCH):
                session.execute(insert(table), rows)
                rows.clear()

    for venue, docs in growth.grown_catalog(sandbox.fixtures_dir, sandbox.scale, {v.id: v for v in venues}, events):
        venue_rows.append({"id": venue["id"], "data": venue})
        for doc in docs:
            event_rows.append({"id": doc["id"], "venue_id": doc["venue_id"], "data": doc})
            session_rows.extend(growth.session_rows(doc, anchor))
        flush()
    flush(final=True)


def _shared_copies(docs: list[dict[str, Any]], source_key: str, part: str, model: Any) -> list[Any]:
    """Parse documents whose ``part`` is a copy of another document's (``source_key`` names it) only once:
    grown venues share their model's sections, grown events their show's tiers (thousands of copies at scale)."""
    by_id: dict[str, Any] = {}
    out = []
    for doc in sorted(docs, key=lambda d: bool(d.get(source_key))):  # the real ones first: they are the sources
        source = by_id.get(doc.get(source_key) or "")
        if source is not None:
            rec = model.model_validate({**doc, part: []})
            setattr(rec, part, getattr(source, part))
        else:
            rec = model.model_validate(doc)
        by_id[rec.id] = rec
        out.append(rec)
    return sorted(out, key=lambda r: r.id)


def load(session: Session) -> tuple[list[VenueRec], list[EventRec], list[SessionRec]]:
    venues: list[VenueRec] = _shared_copies(
        [r.data for r in session.exec(select(VenueRow)).all()], "layout_of", "sections", VenueRec
    )
    events: list[EventRec] = _shared_copies(
        [r.data for r in session.exec(select(EventRow)).all()], "copy_of", "tiers", EventRec
    )
    sessions = [
        SessionRec(
            id=r.id,
            event_id=r.event_id,
            venue_id=r.venue_id,
            starts_at=utc(r.starts_at),
            sales_open_at=utc(r.sales_open_at),
            prices=dict(r.prices),
        )
        for r in session.execute(select(SessionRow.__table__).order_by(SessionRow.__table__.c.id))  # type: ignore[attr-defined]
    ]
    return venues, events, sessions
