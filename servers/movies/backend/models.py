"""Movies tables. Films and cinemas are loaded from fixtures, with the season's anchor Monday in the meta
table (showtimes are generated from it and the programme, never stored); orders are the live state.
Users, addresses, the wallet and confirmation quotes are the shared account's (``shared.account``).
Seat claims and holds live in the shared seating engine's ``movies_seat_claim`` and
``movies_seat_hold`` tables, registered here on the same metadata. Names carry a ``movies_`` prefix so
every vertical shares one sandbox database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData
from sqlmodel import Field, SQLModel

from shared.seating import seat_tables


class MoviesTable(SQLModel):
    metadata = MetaData()


def _json(default: Any = dict) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


SEAT_CLAIMS, SEAT_HOLDS = seat_tables(MoviesTable.metadata, "movies")
"""The seating engine's ``movies_seat_claim`` and ``movies_seat_hold`` tables, declared before create_all;
each app's ``SeatingEngine`` finds these same tables on this metadata."""


class FilmRow(MoviesTable, table=True):
    """One film with its metadata and programme as a JSON document (read-mostly)."""

    __tablename__ = "movies_film"
    id: str = Field(primary_key=True)
    data: dict[str, Any] = _json()


class CinemaRow(MoviesTable, table=True):
    """One cinema with its auditoriums and seat layouts as a JSON document (read-mostly)."""

    __tablename__ = "movies_cinema"
    id: str = Field(primary_key=True)
    data: dict[str, Any] = _json()


class OrderRow(MoviesTable, table=True):
    __tablename__ = "movies_order"
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    showtime_id: str = Field(index=True)
    hold_id: str = Field(unique=True)
    quote_token: str = Field(unique=True)
    seats: list[dict[str, Any]] = _json(list)  # [{seat_id, label, tier, price_minor}] frozen at purchase
    tickets_minor: int
    fee_minor: int
    total_minor: int
    currency: str = "EUR"
    pickup_code: str
    refund_id: str = ""
    refunded_minor: int = 0
    refunded_at: datetime | None = _when(nullable=True)
    placed_at: datetime = _when()


class MetaRow(MoviesTable, table=True):
    __tablename__ = "movies_meta"
    key: str = Field(primary_key=True)
    value: str
