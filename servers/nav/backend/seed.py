"""Load the committed fixtures into the nav tables (first run, and after ``lifestyle-mcp reset``).

The city's street addresses live here; a user's own saved addresses are the shared account's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from shared.account import Sandbox, require_schema

from .models import AddressRow, MetaRow, PlaceRow

FIXTURE_VERSION = "1"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "nav", session.connection())
    return row is not None


def seed(session: Session, sandbox: Sandbox) -> None:
    fixtures_dir = sandbox.fixtures_dir
    hours = _read(fixtures_dir / "nav" / "place_hours.json")["hours"]
    for place in _read(fixtures_dir / "osm" / "places.json")["places"]:
        session.add(
            PlaceRow(id=place["id"], category=place["category"], lat=place["lat"], lng=place["lng"], data=place,
                     hours=hours.get(place["id"], {}))
        )  # fmt: skip
    for adr in _read(fixtures_dir / "osm" / "addresses.json")["addresses"]:
        session.add(
            AddressRow(id=adr["id"], street=adr["street"], housenumber=adr["housenumber"],
                       postcode=adr.get("postcode", ""), city=adr.get("city", "Helsinki"), lat=adr["lat"],
                       lng=adr["lng"])
        )  # fmt: skip
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


def places(session: Session) -> list[PlaceRow]:
    return list(session.exec(select(PlaceRow).order_by(PlaceRow.id)).all())


def addresses(session: Session) -> list[AddressRow]:
    return list(session.exec(select(AddressRow).order_by(AddressRow.id)).all())


def categories(fixtures_dir: Path) -> list[dict[str, Any]]:
    return list(_read(fixtures_dir / "vocab" / "place_categories.json"))
