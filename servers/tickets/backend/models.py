"""Tickets tables. Venues and events are loaded from fixtures; sessions are the events' performances
anchored on the season's first Monday; orders, e-tickets and attendees are the live state. Users, the
wallet and confirmation quotes are the shared account's (``shared.account``). Seat claims and holds
live in the shared seating engine's ``tickets_seat_claim`` and ``tickets_seat_hold`` tables, registered
here on the same metadata. Table names carry a ``tickets_`` prefix and their own metadata so every
vertical shares one sandbox database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.seating import seat_tables


class TicketsTable(SQLModel):
    metadata = MetaData()


def _json(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class VenueRow(TicketsTable, table=True):
    """One venue with its seat layout as a JSON document (read-mostly)."""

    __tablename__ = "tickets_venue"
    id: str = Field(primary_key=True)
    data: dict[str, Any] = _json()


class EventRow(TicketsTable, table=True):
    """One event with its tiers and rules as a JSON document (read-mostly)."""

    __tablename__ = "tickets_event"
    id: str = Field(primary_key=True)
    venue_id: str = Field(index=True)
    data: dict[str, Any] = _json()


class SessionRow(TicketsTable, table=True):
    """One performance: absolute times fixed when the season was anchored."""

    __tablename__ = "tickets_session"
    id: str = Field(primary_key=True)
    event_id: str = Field(index=True)
    venue_id: str
    starts_at: datetime = _when()
    sales_open_at: datetime = _when()
    prices: dict[str, int] = _json()


class AttendeeRow(TicketsTable, table=True):
    __tablename__ = "tickets_attendee"
    __table_args__ = (UniqueConstraint("user_id", "id_type", "id_number"),)
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    name: str
    id_type: str
    id_number: str
    created_at: datetime = _when()


class OrderRow(TicketsTable, table=True):
    __tablename__ = "tickets_order"
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    event_id: str = Field(index=True)
    session_id: str = Field(index=True)
    hold_id: str = Field(unique=True)
    quote_token: str = Field(unique=True)
    tickets_minor: int
    fee_minor: int
    total_minor: int
    currency: str = "EUR"
    refunded_minor: int = 0
    placed_at: datetime = _when()


class TicketRow(TicketsTable, table=True):
    __tablename__ = "tickets_ticket"
    __table_args__ = (UniqueConstraint("order_id", "position"),)
    id: str = Field(primary_key=True)
    order_id: str = Field(index=True)
    session_id: str = Field(index=True)
    event_id: str = Field(index=True)
    position: int
    seat_id: str
    seat_label: str
    tier: str
    price_minor: int
    fee_minor: int
    attendee_id: str = ""
    attendee: str = ""  # name and masked ID, frozen at purchase
    code: str
    refund_id: str = ""
    refunded_at: datetime | None = _when(nullable=True)


class MetaRow(TicketsTable, table=True):
    __tablename__ = "tickets_meta"
    key: str = Field(primary_key=True)
    value: str


SEAT_CLAIMS, SEAT_HOLDS = seat_tables(TicketsTable.metadata, "tickets")
"""The seating engine's ``tickets_seat_claim`` and ``tickets_seat_hold`` tables, declared before create_all;
each app's ``SeatingEngine`` finds these same tables on this metadata."""
