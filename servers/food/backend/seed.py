"""Load the committed fixtures into the food tables (first run, and after ``lifestyle-mcp reset``).

Users and their addresses are the shared account's (``shared.account.sandbox`` seeds them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from shared.account import Sandbox, require_schema

from .models import CouponRow, MetaRow, RestaurantRow

FIXTURE_VERSION = "2"
"""2: users, addresses, quotes and the wallet moved to the shared account."""


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "food", session.connection())
    return row is not None


def seed(session: Session, sandbox: Sandbox) -> None:
    fixtures_dir = sandbox.fixtures_dir
    for rest in _read(fixtures_dir / "food" / "restaurants.json")["restaurants"]:
        session.add(RestaurantRow(id=rest["id"], data=rest))
    for coupon in _read(fixtures_dir / "food" / "coupons.json")["coupons"]:
        session.add(CouponRow(code=coupon["code"].upper(), data=coupon))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def restaurants(session: Session) -> list[dict[str, Any]]:
    return [row.data for row in session.exec(select(RestaurantRow).order_by(RestaurantRow.id)).all()]
