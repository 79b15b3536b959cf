"""Load the committed fixtures into the food tables (first run, and ``food-mcp reset``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from shared.schemas.common import GeoPoint

from .models import AddressRow, CouponRow, MetaRow, RestaurantRow, UserRow

FIXTURE_VERSION = "1"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_seeded(session: Session) -> bool:
    return session.get(MetaRow, "fixture_version") is not None


def seed(session: Session, fixtures_dir: Path) -> None:
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    users = _read(fixtures_dir / "users.json")["users"]
    for user in users:
        session.add(
            UserRow(
                id=user["id"],
                name=user["name"],
                phone=user.get("phone", ""),
                currency=user.get("currency", "EUR"),
                wallet_minor=user["wallet_balance_minor"],
            )
        )
    session.flush()  # users first: addresses reference them
    for user in users:
        for n, adr in enumerate(user.get("addresses", [])):
            session.add(
                AddressRow(
                    id=adr["id"] if adr["id"].startswith("adr_") else f"adr_{adr['id']}",
                    user_id=user["id"],
                    label=adr["label"],
                    street=adr["street"],
                    housenumber=adr["housenumber"],
                    postcode=adr.get("postcode", ""),
                    city=adr.get("city", "Helsinki"),
                    lat=adr["lat"],
                    lng=adr["lng"],
                    notes=adr.get("notes", ""),
                    created_at=epoch.replace(minute=n),
                )
            )
    for rest in _read(fixtures_dir / "food" / "restaurants.json")["restaurants"]:
        session.add(RestaurantRow(id=rest["id"], data=rest))
    for coupon in _read(fixtures_dir / "food" / "coupons.json")["coupons"]:
        session.add(CouponRow(code=coupon["code"].upper(), data=coupon))
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def restaurants(session: Session) -> list[dict[str, Any]]:
    return [row.data for row in session.exec(select(RestaurantRow).order_by(RestaurantRow.id)).all()]


def street_index(fixtures_dir: Path) -> dict[tuple[str, str], GeoPoint]:
    """(street, housenumber) → coordinates, for saving an address without coordinates."""
    path = fixtures_dir / "osm" / "addresses.json"
    if not path.exists():
        return {}
    return {
        (a["street"].lower(), a["housenumber"].lower()): GeoPoint(lat=a["lat"], lng=a["lng"])
        for a in _read(path)["addresses"]
    }
