"""Food tables. Catalog rows are loaded from fixtures; carts, quotes, orders and the wallet
ledger are the live state. Table names carry a ``food_`` prefix and their own metadata so
every vertical can share one PostgreSQL database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel


class FoodTable(SQLModel):
    metadata = MetaData()


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class UserRow(FoodTable, table=True):
    __tablename__ = "food_user"
    id: str = Field(primary_key=True)
    name: str
    phone: str = ""
    currency: str = "EUR"
    wallet_minor: int


class AddressRow(FoodTable, table=True):
    __tablename__ = "food_address"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="food_user.id", index=True)
    label: str
    street: str
    housenumber: str
    postcode: str = ""
    city: str = "Helsinki"
    lat: float
    lng: float
    notes: str = ""
    created_at: datetime = _when()


class RestaurantRow(FoodTable, table=True):
    """One restaurant with its menu as a JSON document (the catalog is read-mostly)."""

    __tablename__ = "food_restaurant"
    id: str = Field(primary_key=True)
    data: dict[str, Any] = _json()


class CouponRow(FoodTable, table=True):
    __tablename__ = "food_coupon"
    code: str = Field(primary_key=True)
    data: dict[str, Any] = _json()


class CartRow(FoodTable, table=True):
    __tablename__ = "food_cart"
    user_id: str = Field(primary_key=True, foreign_key="food_user.id")
    restaurant_id: str = ""
    address_id: str = ""
    coupon_code: str = ""
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 0


class QuoteRow(FoodTable, table=True):
    """A confirmation token: the exact offer the user confirms, and the order it became."""

    __tablename__ = "food_quote"
    token: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    kind: str  # "order" or "cancel"
    fingerprint: str = Field(index=True)
    amount_minor: int
    payload: dict[str, Any] = _json()
    created_at: datetime = _when()
    expires_at: datetime = _when()
    order_id: str = ""


class OrderRow(FoodTable, table=True):
    __tablename__ = "food_order"
    id: str = Field(primary_key=True)
    user_id: str = Field(index=True)
    restaurant_id: str
    quote_token: str = Field(unique=True)
    total_minor: int
    currency: str = "EUR"
    payment_method: str
    coupon_code: str = ""
    note: str = ""
    snapshot: dict[str, Any] = _json()  # address, lines, bill, timings, rider: frozen at placement
    placed_at: datetime = _when()
    cancelled_at: datetime | None = _when(nullable=True)
    cancel_reason: str = ""
    refunded_minor: int = 0


class WalletEntryRow(FoodTable, table=True):
    """Ledger of wallet movements; the unique key makes a double refund impossible."""

    __tablename__ = "food_wallet_entry"
    __table_args__ = (UniqueConstraint("order_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)
    order_id: str
    kind: str  # "charge" or "refund"
    amount_minor: int
    at: datetime = _when()


class MetaRow(FoodTable, table=True):
    __tablename__ = "food_meta"
    key: str = Field(primary_key=True)
    value: str
