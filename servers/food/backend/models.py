"""Food tables. Catalog rows are loaded from fixtures; carts and orders are the live state. Users,
addresses, the wallet and confirmation quotes are the shared account's (``shared.account``). Table
names carry a ``food_`` prefix and their own metadata so every vertical shares one sandbox database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData
from sqlmodel import Field, SQLModel


class FoodTable(SQLModel):
    metadata = MetaData()


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _when(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


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
    user_id: str = Field(primary_key=True)
    restaurant_id: str = ""
    address_id: str = ""
    coupon_code: str = ""
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = 0


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


class MetaRow(FoodTable, table=True):
    __tablename__ = "food_meta"
    key: str = Field(primary_key=True)
    value: str
