"""Nav's share of a grown city (``lifestyle-mcp sandbox create --scale N``): the street addresses of every
district and the places the other verticals grew there, so a user can geocode and find what food, tickets and
movies list.

Districts are ``shared.growth`` tiles: tile 0 is the real city; tile k ≥ 1 copies its streets, shifted and named
after a Helsinki district. Each tile gets a copy of the real address points (ids ``adr_t<k>_…``, the district in
the city column: 'Mannerheimintie 5, Kallio, Helsinki'). Grown restaurants (``shared.growth.restaurants``) and
venues and cinemas (``shared.growth.venues``) become places with ids ``plc_<their id>``: the same entity by the
same id suffix in every vertical. Both modules are pure functions of (fixtures_dir, scale), so every process
computes the same city.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from shared.geo import CITY_NAME
from shared.growth import Tile, tiles

log = logging.getLogger(__name__)

GROWN_SOURCES = ("shared.growth.restaurants", "shared.growth.venues")
TILE_ID = re.compile(r"^adr_t(\d+)_")
KIND_CATEGORY = {  # grown kinds that are not already a place category slug
    "venue": "events_venue", "arena": "events_venue", "stadium": "events_venue", "hall": "concert_hall",
    "concert": "concert_hall", "club": "nightclub", "stage": "theatre", "opera": "theatre",
}  # fmt: skip


def address_tile(address_id: str) -> int:
    """The tile a street address stands in: ``adr_t<k>_…`` are grown copies, every other id is the real city's."""
    m = TILE_ID.match(address_id)
    return int(m.group(1)) if m else 0


def district_city(where: Tile) -> str:
    return f"{where.district}, {CITY_NAME}"


def grown_addresses(addresses: list[dict[str, Any]], scale: int) -> Iterator[dict[str, Any]]:
    """The real city's address points copied into every further tile, as nav_address rows."""
    for where in tiles(scale)[1:]:
        for a in addresses:
            yield {
                "id": f"adr_t{where.number}_{a['id'].removeprefix('adr_')}",
                "street": a["street"],
                "housenumber": a["housenumber"],
                "postcode": "",
                "city": district_city(where),
                "lat": round(a["lat"] + where.dlat, 7),
                "lng": round(a["lng"] + where.dlng, 7),
            }


def _builders(module: Any) -> list[Callable[[Path, int], Any]]:
    """The module's public ``(fixtures_dir, scale) -> list`` functions (restaurants; venues and cinemas)."""
    found: list[Callable[[Path, int], Any]] = []
    for name, fn in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        params = list(inspect.signature(fn).parameters)
        if params[:2] == ["fixtures_dir", "scale"]:
            found.append(fn)
    return found


def _field(record: Any, name: str, default: Any = "") -> Any:
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


def grown_places(fixtures_dir: Path, scale: int, categories: set[str]) -> Iterator[dict[str, Any]]:
    """Every place another vertical grew, as nav_place rows (no posted hours: opening status 'unknown')."""
    for source in GROWN_SOURCES:
        try:
            module = importlib.import_module(source)
        except ImportError:
            log.warning("%s is missing: its grown places are not on the map", source)
            continue
        for build in _builders(module):
            for record in build(fixtures_dir, scale):
                kind = str(_field(record, "kind", "")) or "other"
                category = kind if kind in categories else KIND_CATEGORY.get(kind, "other")
                if "restaurants" in source and category == "other":
                    category = "restaurant"
                district = str(_field(record, "district", ""))
                data = {
                    "name": str(_field(record, "name")), "name_zh": str(_field(record, "name_zh", "") or ""),
                    "street": str(_field(record, "street")), "housenumber": str(_field(record, "housenumber")),
                    "postcode": "", "district": district, "ref": str(_field(record, "id")),
                }  # fmt: skip
                yield {
                    "id": f"plc_{_field(record, 'id')}",
                    "category": category,
                    "lat": float(_field(record, "lat")),
                    "lng": float(_field(record, "lng")),
                    "data": data,
                    "hours": {},
                }
