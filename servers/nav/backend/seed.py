"""Load the committed fixtures into the nav tables (first run, and after ``lifestyle-mcp reset``).

The city's street addresses live here; a user's own saved addresses are the shared account's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Text, cast, insert
from sqlalchemy import select as select_columns
from sqlmodel import Session

from shared.account import Sandbox, require_schema
from shared.districts import DISTRICTS
from shared.text import fold

from . import growth
from .models import AddressRow, MetaRow, PlaceRow

FIXTURE_VERSION = "1"
BATCH = 5000  # rows per bulk insert


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def is_seeded(session: Session) -> bool:
    row = session.get(MetaRow, "fixture_version")
    require_schema(row.value if row else None, FIXTURE_VERSION, "nav", session.connection())
    return row is not None


def seed(session: Session, sandbox: Sandbox) -> None:
    """The real city's places and addresses, and at scale > 1 every district's (``growth``), inserted in bulk."""
    fixtures_dir = sandbox.fixtures_dir
    hours = _read(fixtures_dir / "nav" / "place_hours.json")["hours"]
    places = [
        {"id": p["id"], "category": p["category"], "lat": p["lat"], "lng": p["lng"], "data": p,
         "hours": hours.get(p["id"], {})}
        for p in _read(fixtures_dir / "osm" / "places.json")["places"]
    ]  # fmt: skip
    raw_addresses = _read(fixtures_dir / "osm" / "addresses.json")["addresses"]
    addresses = [
        {"id": a["id"], "street": a["street"], "housenumber": a["housenumber"], "postcode": a.get("postcode", ""),
         "city": a.get("city", "Helsinki"), "lat": a["lat"], "lng": a["lng"]}
        for a in raw_addresses
    ]  # fmt: skip
    if sandbox.scale > 1:
        slugs = {c["slug"] for c in categories(fixtures_dir)}
        places += growth.grown_places(fixtures_dir, sandbox.scale, slugs)
        addresses += growth.grown_addresses(raw_addresses, sandbox.scale)
    conn = session.connection()  # Core inserts: the ORM's bulk path costs more than SQLite's own work here
    for table, rows in ((PlaceRow, places), (AddressRow, addresses)):
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(table.__table__), rows[start : start + BATCH])  # type: ignore[union-attr]
    session.add(MetaRow(key="fixture_version", value=FIXTURE_VERSION))


@dataclass(slots=True)
class PlaceRecord:
    """A place as the service holds it in memory: the row's fields without an ORM identity (a grown city holds
    tens of thousands)."""

    id: str
    category: str
    lat: float
    lng: float
    data: dict[str, Any]
    hours: dict[str, Any]


def places(session: Session) -> list[PlaceRecord]:
    """Every place, its JSON read back as text and decoded as one document: the decoder then makes each key once
    (one 'name_en' for all places, not one per place: ~1 MB less for the real city) and is called once, not twice
    per row."""
    t = PlaceRow.__table__.c  # type: ignore[attr-defined]
    stmt = select_columns(t.id, t.category, t.lat, t.lng, cast(t.data, Text), cast(t.hours, Text)).order_by(t.id)
    rows = session.execute(stmt).all()
    docs = json.loads("[" + ",".join(f"[{data},{hours}]" for *_, data, hours in rows) + "]")
    return [
        PlaceRecord(i, c, lat, lng, data, hours)
        for (i, c, lat, lng, _, _), (data, hours) in zip(rows, docs, strict=True)
    ]


@dataclass(slots=True)
class AddressRecord:
    """A street address as the service holds it: the row's fields without an ORM identity (a real city's few
    thousand cost a third of the time and memory of ORM objects; a grown city holds hundreds of thousands)."""

    id: str
    street: str
    housenumber: str
    postcode: str
    city: str
    lat: float
    lng: float


def addresses(session: Session) -> list[AddressRecord]:
    t = AddressRow.__table__.c  # type: ignore[attr-defined]
    stmt = select_columns(t.id, t.street, t.housenumber, t.postcode, t.city, t.lat, t.lng).order_by(t.id)
    return [AddressRecord(*row) for row in session.execute(stmt)]


def districts(fixtures_dir: Path) -> list[dict[str, Any]]:
    """The districts OpenStreetMap marks on the map (``fixtures/build_nav.py``), and the ones people name that it does
    not mark but the map reaches (``shared.districts``: Kamppi, Punavuori, Kruununhaka; 'Kamppi' was 'ambiguous'
    between a chapel and a hotel), each with its other names ('Kampissa', '坎皮'). Read, not seeded, as streets are
    derived rather than stored; a sandbox seeded before they existed has them too."""
    path = fixtures_dir / "nav" / "districts.json"
    marked = [dict(d) for d in _read(path)["districts"]] if path.exists() else []
    ours = {fold(d.name): d for d in DISTRICTS}
    for d in marked:
        known = ours.pop(fold(d["name"]), None)
        if known is not None:
            d["aliases"] = [known.name_zh, *known.other_names[1:]]
    marked.extend(
        {"id": f"dst_{fold(d.name)}", "kind": "suburb", "lat": d.lat, "lng": d.lng, "name": d.name, "name_en": "",
         "name_sv": d.other_names[0], "aliases": [d.name_zh, *d.other_names[1:]]}
        for d in ours.values()
        if d.on_map
    )  # fmt: skip
    return marked


def categories(fixtures_dir: Path) -> list[dict[str, Any]]:
    return list(_read(fixtures_dir / "vocab" / "place_categories.json"))


def cuisines(fixtures_dir: Path) -> list[dict[str, Any]]:
    """The cuisines food searches by (its vocabulary: names in English and Chinese, synonyms)."""
    return list(_read(fixtures_dir / "vocab" / "cuisines.json"))
