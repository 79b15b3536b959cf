"""Where a grown city's new places stand: the scale pack's geography, shared by every vertical.

``lifestyle-mcp sandbox create --scale N`` grows the real central-Helsinki sandbox about N× (``Settings.scale``).
New restaurants, venues, cinemas and homes must stand on streets, with addresses a person could read, and the
verticals must agree on where a district is (dinner near the concert hall works only if both are in Kallio).
So the city grows in tiles: tile 0 is the real fixtures city; every further tile is a copy of its street
geometry and real address points, shifted by whole tile widths in a spiral around the centre and named after a
real Helsinki district. Everything is a pure function of the tile number, so every vertical and every process
computes the same sites without sharing state, and a scale-N sandbox is the same on every machine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TILE_LAT = 0.0160
"""Tile height in degrees (≈1.8 km): the real fixtures city's extent plus a margin, so copies never overlap."""
TILE_LNG = 0.0300
"""Tile width in degrees (≈1.7 km at 60° N)."""

DISTRICTS = (
    "Kallio", "Töölö", "Punavuori", "Kruununhaka", "Ullanlinna", "Sörnäinen", "Vallila", "Pasila",
    "Meilahti", "Ruoholahti", "Lauttasaari", "Munkkiniemi", "Herttoniemi", "Itäkeskus", "Malmi",
    "Oulunkylä", "Käpylä", "Arabianranta", "Kulosaari", "Vuosaari", "Pitäjänmäki", "Haaga", "Kannelmäki",
    "Viikki", "Myllypuro", "Kontula", "Tapanila", "Pakila", "Maunula", "Konala", "Etu-Töölö", "Hakaniemi",
    "Katajanokka", "Eira", "Kaartinkaupunki", "Alppila", "Hermanni", "Toukola", "Laajasalo", "Roihuvuori",
    "Puotila", "Mellunmäki", "Pihlajamäki", "Paloheinä", "Tali", "Ruskeasuo", "Munkkivuori", "Lassila",
    "Malminkartano", "Siltamäki",
)  # fmt: skip
"""Real Helsinki districts; past the 50th a tile is named '<district> <n>' ("Kallio 2")."""


@dataclass(frozen=True)
class Tile:
    """One district of the grown city: ``number`` 0 is the real fixtures city."""

    number: int
    district: str
    dlat: float
    dlng: float


@dataclass(frozen=True)
class Site:
    """A street address in some tile, where a new place or home may stand."""

    lat: float
    lng: float
    street: str
    housenumber: str
    postcode: str
    district: str
    tile: int


@cache
def spiral(number: int) -> tuple[int, int]:
    """The ``number``-th cell of a square spiral around (0, 0): tiles fill rings outward, so a city grown 4×
    is compact (the centre and its nearest neighbours) rather than a line."""
    if number == 0:
        return 0, 0
    ring = 1
    while (2 * ring + 1) ** 2 <= number:
        ring += 1
    cells = [(r, c) for r in range(-ring, ring + 1) for c in range(-ring, ring + 1) if max(abs(r), abs(c)) == ring]
    cells.sort(key=lambda rc: math.atan2(rc[0], rc[1]) % (2 * math.pi))
    return cells[number - (2 * ring - 1) ** 2]


def tile(number: int) -> Tile:
    row, col = spiral(number)
    if number == 0:
        return Tile(0, "Kluuvi", 0.0, 0.0)
    name = DISTRICTS[(number - 1) % len(DISTRICTS)]
    lap = (number - 1) // len(DISTRICTS)
    return Tile(number, name if lap == 0 else f"{name} {lap + 1}", row * TILE_LAT, col * TILE_LNG)


def tiles(scale: int) -> list[Tile]:
    """The tiles of a city grown ``scale``×: the real one and ``scale - 1`` copies."""
    return [tile(n) for n in range(max(1, scale))]


def radius_m(scale: int) -> float:
    """How far from the centre a grown city reaches (the outer tile's far corner), for input checks."""
    far = max((abs(t.dlat) + TILE_LAT, abs(t.dlng) + TILE_LNG) for t in tiles(scale))
    return math.hypot(far[0] * 111_320, far[1] * 111_320 * math.cos(math.radians(60.17)))


@cache
def anchor_sites(fixtures_dir: Path) -> tuple[Site, ...]:
    """The real city's street addresses with coordinates (every restaurant's), in a stable order."""
    data = json.loads((fixtures_dir / "food" / "restaurants.json").read_text(encoding="utf-8"))
    seen: set[tuple[str, str]] = set()
    sites: list[Site] = []
    for rest in sorted(data["restaurants"], key=lambda r: r["id"]):
        key = (rest.get("street", ""), rest.get("housenumber", ""))
        if not key[0] or key in seen:
            continue
        seen.add(key)
        sites.append(Site(rest["lat"], rest["lng"], key[0], key[1] or "1", rest.get("postcode", ""), "Kluuvi", 0))
    return tuple(sites)


def sites_in(fixtures_dir: Path, where: Tile) -> Iterator[Site]:
    """Every anchor address copied into ``where`` (its street names keep the real ones: the district tells them
    apart, as 'Mannerheimintie 5, Kallio')."""
    for s in anchor_sites(fixtures_dir):
        yield Site(
            round(s.lat + where.dlat, 7),
            round(s.lng + where.dlng, 7),
            s.street,
            s.housenumber,
            s.postcode,
            where.district,
            where.number,
        )
