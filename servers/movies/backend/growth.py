"""Movies' share of a grown city (``lifestyle-mcp sandbox create --scale N``): a cinema in every grown district.

Each cinema ``shared.growth.venues.grown_cinemas`` adds gets ``SCREENS_PER_CINEMA`` screens, each a copy of a real
auditorium (rows, aisles, tiers, formats; the open-air summer screen is left out, so grown cinemas play all
year) picked by a hash of the cinema, and named 'Sali 1'…. Showtimes are not stored for any cinema: the catalog
generates them per day from the programme, so a grown screen gets its 28 days of showtimes exactly as a real one
does. At scale 100: 99 × 3 + 9 real = 306 screens (the floor is 300).

Grown screens name their model (``layout_of``): screens copying the same auditorium under the same name share
one compiled seat layout in memory.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from shared.growth.venues import SCREENS_PER_CINEMA, GrownCinema, grown_cinemas

from .catalog import AuditoriumRec, CinemaRec


def _hash(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def screen_data(cinema_id: str, number: int, model: AuditoriumRec) -> dict[str, Any]:
    imax = " IMAX" if "IMAX" in model.formats else ""
    return {
        **model.model_dump(mode="json"),
        "id": f"{cinema_id}-{number}",
        "number": str(number),
        "name": f"Sali {number}",
        "name_zh": f"{number}号厅{imax}",
        "layout_of": model.id,
    }


def cinema_data(grown: GrownCinema, models: list[AuditoriumRec]) -> dict[str, Any]:
    """A grown cinema as a ``movies_cinema`` document: its place, and screens copied from ``models``."""
    h = _hash(grown.id)
    picks = [models[(h + 3 * n) % len(models)] for n in range(SCREENS_PER_CINEMA)]
    picks.sort(key=lambda a: -a.capacity)  # the biggest hall is Sali 1, as in real multiplexes
    return {
        "id": grown.id,
        "place_id": f"plc_{grown.id}",
        "name": grown.name,
        "name_en": "",
        "name_zh": grown.name_zh,
        "lat": grown.lat,
        "lng": grown.lng,
        "street": grown.street,
        "housenumber": grown.housenumber,
        "postcode": "",
        "area": grown.district,
        "area_zh": "",
        "website": "",
        "wheelchair": True,
        "season_months": [],
        "grown": True,
        "auditoriums": [screen_data(grown.id, n, model) for n, model in enumerate(picks, start=1)],
    }


def grown_cinema_docs(fixtures_dir: Path, scale: int, real: list[CinemaRec]) -> list[dict[str, Any]]:
    """Every cinema a city grown ``scale``× adds, as documents built from the ``real`` cinemas' screens."""
    models = sorted(
        (a for c in real if not c.season_months for a in c.auditoriums if a.plan != "open_air" and not a.family),
        key=lambda a: a.id,
    )
    return [cinema_data(grown, models) for grown in grown_cinemas(fixtures_dir, scale)]
