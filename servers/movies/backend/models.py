"""Movies tables. Films and cinemas are loaded from fixtures, with the season's anchor Monday in the meta
table (showtimes are generated from it and the programme, never stored); quotes, orders and the wallet
ledger are the live state.
Seat claims and holds live in the shared seating engine's ``movies_seat_claim`` and
``movies_seat_hold`` tables, registered here on the same metadata. Names carry a ``movies_`` prefix so
every vertical can share one database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, UniqueConstraint
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


class UserRow(MoviesTable, table=True):
    __tablename__ = "movies_user"
    id: str = Field(primary_key=True)
    name: str
    currency: str = "EUR"
    wallet_minor: int


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


class QuoteRow(MoviesTable, table=True):
    """A confirmation token: the exact purchase or refund the user confirms, and what it became."""

    __tablename__ = "movies_quote"
    token: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    kind: str  # "purchase" or "refund"
    subject_id: str = Field(index=True)  # hold id or order id
    fingerprint: str
    amount_minor: int
    created_at: datetime = _when()
    expires_at: datetime = _when()
    result_id: str = ""  # the order (purchase) or refund id it became


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


class WalletEntryRow(MoviesTable, table=True):
    """Ledger of wallet movements; the unique key makes a double charge or refund impossible."""

    __tablename__ = "movies_wallet_entry"
    __table_args__ = (UniqueConstraint("ref", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)
    ref: str  # order id for a charge, order id for its refund (one refund per order)
    kind: str  # "charge" or "refund"
    amount_minor: int
    at: datetime = _when()


class MetaRow(MoviesTable, table=True):
    __tablename__ = "movies_meta"
    key: str = Field(primary_key=True)
    value: str
