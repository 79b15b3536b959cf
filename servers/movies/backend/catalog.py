"""The film and cinema catalog as the service reads it: typed, indexed and held in memory.

Films, cinemas, auditorium layouts and showtimes change only when the fixtures are reloaded, so the
service keeps parsed copies; seats, holds, orders and money always go to the database. Showtimes
are generated here, deterministically, from the films' programme and the auditoriums' formats.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict

from shared.geo import CITY_TZ
from shared.schemas.common import GeoPoint
from shared.schemas.movies import GENRE_LABELS, genre_label
from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import CompiledLayout, compile_layout

from . import pricing

SEASON_DAYS = 28
LANGUAGE_ZH: dict[str, str] = {}  # filled from films.json's vocabulary at load


def fold(text: str) -> str:
    """Lower case without accents, so 'kesakino' finds Kesäkino."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _hash(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FilmRec(_Fixture):
    id: str
    wikidata: str
    title: str
    year: int
    runtime_min: int
    genres: list[str]
    director: str
    cast: list[str]
    language: str
    languages: list[str]
    country: str
    age_rating: str = ""
    tomatometer: int
    critic_rating: float = 0
    reviews: int = 0
    oscars: int = 0
    release_day: int | None = None
    run_days: int = 0
    formats: list[str] = []

    @property
    def genre_labels(self) -> list[str]:
        return [genre_label(g) for g in self.genres]

    @property
    def language_label(self) -> str:
        zh = LANGUAGE_ZH.get(self.language, "")
        return f"{self.language} / {zh}" if zh else self.language


class RowRec(_Fixture):
    label: str
    seats: int
    aisles: list[int] = []
    tier: str
    couple: bool = False
    accessible: list[int] = []


class AuditoriumRec(_Fixture):
    id: str
    number: str
    name: str
    name_zh: str = ""
    formats: list[str]
    plan: str
    capacity: int
    rows: list[RowRec]

    @property
    def display_name(self) -> str:
        return f"{self.name} / {self.name_zh}" if self.name_zh else self.name

    def layout(self) -> SeatLayout:
        """Rows of seats, centred on the screen axis, aisles as gaps; seat ids H-<row>-<number>."""
        widest = max(r.seats + len(r.aisles) for r in self.rows)
        n = len(self.rows)
        ideal = round(n * 0.6)  # the sweet spot: a little behind the middle
        rows = []
        for i, r in enumerate(self.rows):
            x = (widest - (r.seats + len(r.aisles))) // 2
            seats = []
            for k in range(1, r.seats + 1):
                if r.couple:
                    kind = "couple_left" if k % 2 else "couple_right"
                    tier = "COUPLE"
                elif k in r.accessible:
                    kind, tier = "accessible", "WHEELCHAIR"
                else:
                    kind, tier = "standard", r.tier
                seats.append(LayoutSeat(number=k, x=x, kind=kind, tier=tier))
                x += 2 if k in r.aisles else 1
            rows.append(LayoutRow(label=r.label, rank=abs(i - ideal), seats=seats))
        section = LayoutSection(code="H", name=self.name, centre_row=self.rows[ideal].label, rows=rows)
        return SeatLayout(sections=[section])

    @property
    def features(self) -> str:
        tiers = {r.tier for r in self.rows} | ({"COUPLE"} if any(r.couple for r in self.rows) else set())
        parts = [f"{sum(1 for r in self.rows if r.tier == 'PREMIUM')} premium rows"] if "PREMIUM" in tiers else []
        if "COUPLE" in tiers:
            parts.append(f"{sum(r.seats for r in self.rows if r.couple) // 2} couple pairs")
        spaces = sum(len(r.accessible) for r in self.rows)
        if spaces:
            parts.append(f"{spaces} wheelchair spaces")
        return ", ".join(parts) or "standard seating"


class CinemaRec(_Fixture):
    id: str
    place_id: str = ""
    name: str
    name_en: str = ""
    name_zh: str = ""
    lat: float
    lng: float
    street: str = ""
    housenumber: str = ""
    postcode: str = ""
    area: str = ""
    area_zh: str = ""
    website: str = ""
    wheelchair: bool = False
    season_months: list[int] = []
    auditoriums: list[AuditoriumRec]

    @property
    def location(self) -> GeoPoint:
        return GeoPoint(lat=self.lat, lng=self.lng)

    @property
    def display_name(self) -> str:
        names = [self.name] + [n for n in (self.name_en, self.name_zh) if n and n != self.name]
        return " / ".join(dict.fromkeys(names))

    @property
    def address(self) -> str:
        street = f"{self.street} {self.housenumber}".strip()
        return ", ".join(p for p in (street, f"{self.postcode} Helsinki".strip()) if p)

    @property
    def area_label(self) -> str:
        return f"{self.area} / {self.area_zh}" if self.area_zh else self.area

    def open_in(self, month: int) -> bool:
        return not self.season_months or month in self.season_months


@dataclass
class ShowtimeRec:
    id: str
    film_id: str
    cinema_id: str
    auditorium_id: str
    starts_at: datetime  # UTC
    format: str


def generate_showtimes(films: list[FilmRec], cinemas: list[CinemaRec], anchor: datetime) -> list[ShowtimeRec]:
    """The season's screenings: each screen runs programmed films back to back from late morning,
    picked by a hash of (screen, day, slot); IMAX and 3D screens use those formats when the film has them."""
    out = []
    programmed = [f for f in films if f.release_day is not None]
    for cinema in cinemas:
        for aud in cinema.auditoriums:
            for day in range(SEASON_DAYS):
                on = anchor.date() + timedelta(days=day)
                if not cinema.open_in(on.month):
                    continue
                showing = [f for f in programmed if f.release_day <= day < f.release_day + f.run_days]  # type: ignore[operator]
                if not showing:
                    continue
                weekend = on.weekday() >= 5
                start = time(10, 30) if weekend else time(12, 0) if aud.plan in ("small", "tiny") else time(11, 0)
                if aud.plan == "open_air":
                    start = time(21, 0)
                at = datetime.combine(on, start, tzinfo=CITY_TZ)
                last = datetime.combine(on, time(22, 0) if aud.plan != "open_air" else time(21, 30), tzinfo=CITY_TZ)
                slot = 0
                while at <= last:
                    h = _hash(aud.id, day, slot)
                    pool = showing
                    if "IMAX" in aud.formats:  # the IMAX screen runs IMAX prints when there are any
                        pool = [f for f in showing if "IMAX" in f.formats] or showing
                    film = pool[h % len(pool)]
                    fmt = "2D"
                    if "IMAX" in aud.formats and "IMAX" in film.formats:
                        fmt = "IMAX"
                    elif "3D" in aud.formats and "3D" in film.formats and (h >> 8) % 2:
                        fmt = "3D"
                    sid = f"sht_{_hash('showtime', aud.id, day, slot):012x}"[:16]
                    out.append(ShowtimeRec(sid, film.id, cinema.id, aud.id, at.astimezone(UTC), fmt))
                    minutes = film.runtime_min + 30
                    minutes += -minutes % 15
                    at += timedelta(minutes=minutes)
                    slot += 1
    return out


def presold(showtime: ShowtimeRec, layout: CompiledLayout) -> frozenset[str]:
    """Seats sold before the simulated sale started: busier on evenings and weekends, the best rows
    first; about one showtime in sixty is sold out."""
    h = _hash("presold", showtime.id)
    seats = [s for s in layout.seats.values() if s.kind != "accessible"]
    if h % 61 == 0:
        return frozenset(layout.seats)
    local = showtime.starts_at.astimezone(CITY_TZ)
    busy = 0.35 if local.weekday() >= 5 or local.hour >= 18 else 0.12
    share = busy * ((h >> 8) % 100) / 100
    rng = random.Random(h)
    weighted = sorted(seats, key=lambda s: (s.rank + rng.random() * 4, s.seat_id))
    chosen = set()
    for s in weighted[: int(len(seats) * share)]:
        chosen.add(s.seat_id)
        if s.partner:
            chosen.add(s.partner)
    return frozenset(chosen)


@dataclass
class Catalog:
    films: dict[str, FilmRec]
    cinemas: dict[str, CinemaRec]
    showtimes: dict[str, ShowtimeRec]
    anchor: datetime
    auditoriums: dict[str, AuditoriumRec] = field(default_factory=dict)
    layouts: dict[str, CompiledLayout] = field(default_factory=dict)
    by_film: dict[str, list[ShowtimeRec]] = field(default_factory=dict)
    by_cinema: dict[str, list[ShowtimeRec]] = field(default_factory=dict)
    ordered: list[ShowtimeRec] = field(default_factory=list)
    search_text: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, films: list[FilmRec], cinemas: list[CinemaRec], showtimes: list[ShowtimeRec], anchor: datetime
    ) -> Catalog:
        cat = cls(
            films={f.id: f for f in films},
            cinemas={c.id: c for c in cinemas},
            showtimes={s.id: s for s in showtimes},
            anchor=anchor,
        )
        for cinema in cinemas:
            for aud in cinema.auditoriums:
                cat.auditoriums[aud.id] = aud
                cat.layouts[aud.id] = compile_layout(aud.id, aud.layout())
        cat.ordered = sorted(showtimes, key=lambda s: (s.starts_at, s.id))
        for s in cat.ordered:
            cat.by_film.setdefault(s.film_id, []).append(s)
            cat.by_cinema.setdefault(s.cinema_id, []).append(s)
        for f in films:
            words = [f.title, f.director, *f.cast, f.language, LANGUAGE_ZH.get(f.language, ""), f.country, str(f.year)]
            words += [w for g in f.genres for w in (g, *GENRE_LABELS[g])]
            cat.search_text[f.id] = fold(" ".join(words))
        return cat

    def day(self, offset: int) -> date:
        return self.anchor.date() + timedelta(days=offset)

    def opens_on(self, film: FilmRec) -> date | None:
        return None if film.release_day is None else self.day(film.release_day)

    def last_day(self, film: FilmRec) -> date | None:
        return None if film.release_day is None else self.day(film.release_day + film.run_days - 1)

    def tiers(self, auditorium_id: str) -> list[str]:
        present = self.layouts[auditorium_id].tier_totals
        return [t for t in pricing.TIER_ORDER if present.get(t)]
