"""The venues and cinemas a grown city adds, as light records every vertical can compute alone.

Tickets and movies build their full catalogs from these (``servers/tickets/backend/growth.py`` adds events,
sessions and a copied real seat layout; ``servers/movies/backend/growth.py`` adds screens), and nav puts the
same places on its map by the same ids, so 'the concert hall in Kallio' is one place in every server. Each
grown tile (``shared.growth.tiles``; tile 0, the real city, grows nothing) gets ``VENUES_PER_TILE`` venues,
one of each stem below, and one cinema, on that tile's copies of real street addresses. At scale 100 that is
99 × 20 + 23 real = 2,003 venues and 99 × 3 + 9 real = 306 screens: the issue's floors.

Ids carry a ``g`` (grown) and the tile number, which no real OSM-derived id (``vnu_n…``, ``vnu_w…``,
``cin_n…``) can contain, so grown entities never collide with fixture ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import Site, Tile, sites_in, tiles


@dataclass(frozen=True)
class Stem:
    """One kind of venue every grown district has: its name words and the real venue whose seats it copies."""

    name: str
    name_zh: str
    kind: str
    template: str
    """A real venue id (fixtures/tickets/venues.json): its seat layout and its events are the model."""


STEMS = (
    Stem("Konserttitalo", "音乐厅", "concert_hall", "vnu_w58023634"),  # Musiikkitalo's layout, 1,092 seats
    Stem("Teatteri", "剧院", "theatre", "vnu_w122595207"),
    Stem("Kaupunginteatteri", "城市剧院", "theatre", "vnu_w122965398"),
    Stem("Musiikkiteatteri", "音乐剧院", "theatre", "vnu_n600394448"),
    Stem("Pieni näyttämö", "小剧场", "theatre", "vnu_n247158305"),
    Stem("Studioteatteri", "实验剧场", "theatre", "vnu_n60041445"),
    Stem("Nukketeatteri", "木偶剧院", "theatre", "vnu_n4287087989"),
    Stem("Kulttuuritalo", "文化宫", "events_venue", "vnu_n5244326399"),
    Stem("Näyttämö", "舞台", "events_venue", "vnu_n1378007298"),
    Stem("Live Club", "现场俱乐部", "nightclub", "vnu_n331112168"),
    Stem("Rock Club", "摇滚俱乐部", "nightclub", "vnu_n1604685363"),
    Stem("Klubi", "俱乐部", "nightclub", "vnu_n1618018213"),
    Stem("Jazzklubi", "爵士俱乐部", "nightclub", "vnu_n247155970"),
    Stem("Yöklubi", "夜店", "nightclub", "vnu_n2225393053"),
    Stem("Komediaklubi", "喜剧俱乐部", "nightclub", "vnu_n1618153143"),
    Stem("Kellariklubi", "地下俱乐部", "nightclub", "vnu_n320023138"),
    Stem("Taidemuseo", "美术馆", "museum", "vnu_w8033120"),
    Stem("Nykytaiteen museo", "当代艺术馆", "museum", "vnu_w8042215"),
    Stem("Taidehalli", "艺术厅", "museum", "vnu_n5887336141"),
    Stem("Galleria", "画廊", "arts_centre", "vnu_n4860193983"),
)
VENUES_PER_TILE = len(STEMS)
SCREENS_PER_CINEMA = 3


@dataclass(frozen=True)
class GrownVenue:
    """A venue in a grown district (tickets): where it stands and which real venue it is modelled on."""

    id: str
    name: str
    name_zh: str
    kind: str
    lat: float
    lng: float
    street: str
    housenumber: str
    postcode: str
    district: str
    tile: int
    template: str


@dataclass(frozen=True)
class GrownCinema:
    """A cinema in a grown district (movies): ``SCREENS_PER_CINEMA`` screens copied from real ones."""

    id: str
    name: str
    name_zh: str
    kind: str
    lat: float
    lng: float
    street: str
    housenumber: str
    postcode: str
    district: str
    tile: int


def _spread(sites: list[Site], count: int, salt: int) -> list[Site]:
    """``count`` distinct sites spread over the tile (a stride through the address list, offset per tile),
    so a district's venues are not all on one street."""
    n = len(sites)
    stride = max(1, n // count)
    picked: list[Site] = []
    taken: set[int] = set()
    i = (salt * 7) % n
    while len(picked) < min(count, n):
        while i in taken:
            i = (i + 1) % n
        taken.add(i)
        picked.append(sites[i])
        i = (i + stride) % n
    return picked


def _venues_in(fixtures_dir: Path, where: Tile) -> list[GrownVenue]:
    sites = _spread(list(sites_in(fixtures_dir, where)), VENUES_PER_TILE + 1, where.number)
    return [
        GrownVenue(
            id=f"vnu_g{where.number}_{i:02d}",
            name=f"{where.district} {stem.name}",
            name_zh=f"{where.district}{stem.name_zh}",
            kind=stem.kind,
            lat=site.lat,
            lng=site.lng,
            street=site.street,
            housenumber=site.housenumber,
            postcode=site.postcode,
            district=where.district,
            tile=where.number,
            template=stem.template,
        )
        for i, (stem, site) in enumerate(zip(STEMS, sites[1:], strict=False))
    ]


def grown_venues(fixtures_dir: Path, scale: int) -> list[GrownVenue]:
    """Every venue a city grown ``scale``× adds to the real one, tile by tile, in id order within a tile."""
    return [v for where in tiles(scale)[1:] for v in _venues_in(fixtures_dir, where)]


def grown_cinemas(fixtures_dir: Path, scale: int) -> list[GrownCinema]:
    """One cinema per grown district, at the first of its spread sites (venues take the others)."""
    out = []
    for where in tiles(scale)[1:]:
        site = _spread(list(sites_in(fixtures_dir, where)), VENUES_PER_TILE + 1, where.number)[0]
        out.append(
            GrownCinema(
                id=f"cin_g{where.number}",
                name=f"Kino {where.district}",
                name_zh=f"{where.district}影城",
                kind="cinema",
                lat=site.lat,
                lng=site.lng,
                street=site.street,
                housenumber=site.housenumber,
                postcode=site.postcode,
                district=where.district,
                tile=where.number,
            )
        )
    return out
