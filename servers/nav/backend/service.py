"""The navigation provider's rules: geocoding, places, endpoint resolution, routes, matrix, weather."""

from __future__ import annotations

import base64
import functools
import math
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from scipy.spatial import cKDTree
from sqlmodel import Session

from shared.account import Accounts
from shared.clock import SimClock
from shared.dates import read_day
from shared.errors import InvalidInputError, NotFoundError
from shared.geo import CITY_CENTRE, CITY_NAME, CITY_TZ, haversine_m, require_in_city
from shared.hours import describe_week, is_open
from shared.schemas.account import Address
from shared.schemas.common import GeoPoint, page_slice
from shared.schemas.nav import (
    MAX_QUERY,
    Endpoint,
    GeocodeCandidate,
    GeocodeResult,
    MapImage,
    MapMarker,
    MapRequest,
    MapSummary,
    MatrixCell,
    MatrixRequest,
    MatrixResult,
    NearbyStop,
    NearestAddress,
    OpenStatus,
    PlaceDetail,
    PlacePage,
    PlaceSummary,
    ReverseGeocodeResult,
    Route,
    RouteRequest,
    RouteResult,
    WeatherDay,
    WeatherPeriod,
    WeatherResult,
)

from .graph import RoadNetwork
from .models import AddressRow, PlaceRow
from .render import ATTRIBUTION, SIZES
from .render import render_map as draw_png
from .routing import Router, coverage_hint, decode_polyline, require_mode
from .transit import Transit

COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
HOUSE = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s?[a-zA-Z]?(?:\s?[-–]\s?\d+)?)$")
NOISE = re.compile(r"(,?\s*(helsinki|helsingfors|finland|suomi|赫尔辛基|芬兰)\b)|\b\d{5}\b", re.IGNORECASE)
MAX_MATRIX = 10
MAX_FORECAST_DAYS = 14
DAY_WORDS = {"today": 0, "今天": 0, "tomorrow": 1, "明天": 1}  # what the weather reads; offsets in days
ECHO = 60  # characters of the caller's text repeated back in an error
MAX_MAP_PLACES = 20
MAX_DEPART_AHEAD = timedelta(days=366)  # timetables and traffic are a year's pattern; further is an input error

# Well-known sights by their usual Chinese names (OSM has name:zh on only a few places).
ZH_ALIASES = {
    "赫尔辛基中央车站": "Helsingin päärautatieasema", "中央车站": "Helsingin päärautatieasema",
    "火车站": "Helsingin päärautatieasema", "赫尔辛基火车站": "Helsingin päärautatieasema",
    "赫尔辛基大教堂": "Helsingin tuomiokirkko", "大教堂": "Helsingin tuomiokirkko", "白教堂": "Helsingin tuomiokirkko",
    "芬兰国家剧院": "Suomen Kansallisteatteri", "国家剧院": "Suomen Kansallisteatteri",
    "赫尔辛基音乐中心": "Musiikkitalo", "音乐中心": "Musiikkitalo",
    "奇亚斯玛当代艺术博物馆": "Kiasma", "当代艺术博物馆": "Kiasma", "雅典娜美术馆": "Ateneum",
    "阿黛浓美术馆": "Ateneum", "颂歌图书馆": "Helsingin keskustakirjasto Oodi", "中央图书馆":
    "Helsingin keskustakirjasto Oodi", "市政厅": "Helsingin kaupungintalo", "老市场": "Vanha Kauppahalli",
}  # fmt: skip

CONDITION_LABEL = {
    "clear": "Clear 晴", "partly_cloudy": "Partly cloudy 多云", "cloudy": "Cloudy 阴", "fog": "Fog 雾",
    "drizzle": "Drizzle 毛毛雨", "rain": "Rain 雨", "sleet": "Sleet 雨夹雪", "snow": "Snow 雪",
    "thunderstorm": "Thunderstorm 雷阵雨",
}  # fmt: skip
# Helsinki climate normals by month: (mean daily min, mean daily max) in °C.
CLIMATE = [(-7, -2), (-8, -2), (-5, 2), (0, 8), (5, 15), (10, 20), (13, 22), (12, 20), (8, 15), (3, 9), (-1, 4),
           (-4, 0)]  # fmt: skip


def clip(text: str, limit: int = ECHO) -> str:
    """The caller's text, shortened for an error message (a 5,000-character query is not repeated back)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_point(lat: float, lng: float, field: str) -> GeoPoint:
    """A 'lat,lng' the caller typed: out-of-range numbers are an input error (not a validation crash), and a point
    far from the city is refused by ``require_in_city``."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInputError(
            f"{field} ({lat:g}, {lng:g}) is not a coordinate: latitude must be within ±90 and longitude within ±180.",
            f"Write 'lat,lng' with the latitude first, for a point in central {CITY_NAME} (around lat 60.17, "
            "lng 24.94), or pass a place id (plc_…) or an address.",
            field=field,
        )
    return require_in_city(GeoPoint(lat=lat, lng=lng), field)


def _norm(text: str) -> str:
    return " ".join(NOISE.sub(" ", text).replace(",", " ").split()).strip()


@dataclass
class Place:
    row: PlaceRow
    data: dict[str, Any]

    @property
    def point(self) -> GeoPoint:
        return GeoPoint(lat=self.row.lat, lng=self.row.lng)


class NavService:
    def __init__(
        self,
        places: list[PlaceRow],
        addresses: list[AddressRow],
        categories: list[dict[str, Any]],
        network: RoadNetwork,
        router: Router,
        transit: Transit,
        clock: SimClock,
        accounts: Accounts,
    ) -> None:
        self.clock = clock
        self.accounts = accounts
        self.network = network
        self.router = router
        self.transit = transit
        self.places = [Place(p, p.data) for p in places]
        self.place_by_id = {p.row.id: p for p in self.places}
        self.addresses = addresses
        self.address_by_id = {a.id: a for a in addresses}
        self.categories = {c["slug"]: c for c in categories}
        lat0 = network.lat0
        self._place_tree = cKDTree([self._xy(p.row.lat, p.row.lng, lat0) for p in self.places])
        self._addr_tree = cKDTree([self._xy(a.lat, a.lng, lat0) for a in addresses])
        self._names: list[tuple[str, Place]] = []
        for p in self.places:
            for key in ("name", "name_en", "name_sv", "name_zh"):
                if p.data.get(key):
                    self._names.append((p.data[key].lower(), p))
        self._name_keys = [n for n, _ in self._names]
        self._streets = sorted({a.street for a in addresses} | {n for n in network.names if n})
        self._street_keys = [s.lower() for s in self._streets]
        by_street: dict[str, list[AddressRow]] = {}
        for a in addresses:
            by_street.setdefault(a.street.lower(), []).append(a)
        self._by_street = by_street
        self._category_words: dict[str, str] = {}
        for slug, c in self.categories.items():
            for word in [slug, c["en"], c["zh"], *c.get("synonyms", [])]:
                self._category_words[word.lower()] = slug
        self._street_nodes: dict[str, np.ndarray] = {}

    @staticmethod
    def _xy(lat: float, lng: float, lat0: float) -> tuple[float, float]:
        k = math.pi / 180 * 6_371_008.8
        return lng * k * math.cos(math.radians(lat0)), lat * k

    def now(self) -> datetime:
        return self.clock.now().astimezone(CITY_TZ)

    # ----- places -------------------------------------------------------------------------------
    def label(self, slug: str) -> str:
        c = self.categories.get(slug)
        return f"{c['en']} {c['zh']}" if c else slug

    @staticmethod
    def one_line(street: str, number: str, postcode: str, city: str = CITY_NAME) -> str:
        if not street:
            return ""
        return f"{street} {number}".strip() + f", {postcode} {city}".replace(" ,", ",").replace(",  ", ", ")

    def open_status(self, place: Place, at: datetime) -> OpenStatus:
        if not place.row.hours:
            return "unknown"
        return "open" if is_open(place.row.hours, at) else "closed"

    def summary(self, place: Place, origin: GeoPoint | None = None, at: datetime | None = None) -> PlaceSummary:
        d = place.data
        return PlaceSummary(
            id=place.row.id, name=d["name"], name_en=d.get("name_en", ""), name_zh=d.get("name_zh", ""),
            category=place.row.category, category_label=self.label(place.row.category), location=place.point,
            address=self.one_line(d.get("street", ""), d.get("housenumber", ""), d.get("postcode", "")),
            distance_m=round(haversine_m(origin, place.point)) if origin else 0,
            open_status=self.open_status(place, at or self.now()),
        )  # fmt: skip

    def place(self, place_id: str) -> Place:
        found = self.place_by_id.get(place_id)
        if found is None:
            raise NotFoundError(
                f"No place has id {place_id!r}.",
                "Use a place id (plc_…) returned by nav_search_places or nav_geocode.",
                field="place_id",
            )
        return found

    def get_place(self, place_id: str) -> PlaceDetail:
        place = self.place(place_id)
        d = place.data
        stops = [
            NearbyStop(id=self.transit.stops[i]["id"], name=self.transit.stops[i]["name"], distance_m=round(dist),
                       lines=self.transit.lines_at[i])
            for i, dist in self.transit.nearby_stops(place.point)
        ]  # fmt: skip
        return PlaceDetail(
            **self.summary(place).model_dump(),
            opening_hours=describe_week(place.row.hours) if place.row.hours else {},
            opening_hours_raw=d.get("opening_hours", ""), phone=d.get("phone", ""), website=d.get("website", ""),
            wheelchair=d.get("wheelchair", ""), cuisines=d.get("cuisines", []), nearby_stops=stops,
        )  # fmt: skip

    def search_places(
        self, *, query: str, category: str, lat: float, lng: float, radius_m: int, open_now: bool, limit: int,
        cursor: str,
    ) -> PlacePage:  # fmt: skip
        center = require_in_city(GeoPoint(lat=lat, lng=lng)) if (lat or lng) else CITY_CENTRE
        query = query.strip()
        if category and category not in self.categories:
            raise InvalidInputError(
                f"category {category!r} is not a place category.",
                f"Use one of: {', '.join(sorted(self.categories))}; or leave it empty and search by keyword.",
                field="category",
            )
        now = self.now()
        cx, cy = self._xy(center.lat, center.lng, self.network.lat0)
        idx = self._place_tree.query_ball_point((cx, cy), r=radius_m)
        ranked: list[tuple[float, float, Place]] = []
        words = self._query_categories(query)
        for i in idx:
            p = self.places[i]
            if category and p.row.category != category:
                continue
            if open_now and self.open_status(p, now) != "open":
                continue
            dist = haversine_m(center, p.point)
            score = 100.0
            if query:
                score = self._place_score(query, p, words)
                if score < 70:
                    continue
            ranked.append((-score, dist, p))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].row.id))
        page, info = page_slice(ranked, cursor, limit)
        return PlacePage(center=center, radius_m=radius_m, places=[self.summary(p, center, now) for _, _, p in page],
                         page=info)  # fmt: skip

    def _query_categories(self, query: str) -> set[str]:
        q = query.lower()
        slugs = {slug for word, slug in self._category_words.items() if word == q or (len(word) > 3 and word in q)}
        return slugs

    def _place_score(self, query: str, p: Place, categories: set[str]) -> float:
        q = query.lower()
        if p.row.category in categories:
            return 90.0
        names = [p.data.get(k, "").lower() for k in ("name", "name_en", "name_sv", "name_zh")]
        best = max((fuzz.WRatio(q, n) for n in names if n), default=0.0)
        cuisines = p.data.get("cuisines", [])
        if any(q == c or q in c.replace("_", " ") for c in cuisines):
            best = max(best, 85.0)
        return float(best)

    # ----- geocoding ----------------------------------------------------------------------------
    def saved(self, user_id: str, text: str) -> Address | None:
        """The user's saved address ``text`` names: an adr_ id of theirs, a label, or 'home' / 'work'."""
        if not user_id:
            return None
        with Session(self.accounts.engine) as session:
            return self.accounts.find(session, user_id, text)

    @staticmethod
    def _saved_candidate(a: Address) -> GeocodeCandidate:
        return GeocodeCandidate(kind="saved", id=a.id, name=f"{a.label} ({a.street} {a.housenumber})",
                                address=a.one_line, location=a.location, confidence=1.0)  # fmt: skip

    def geocode(
        self, query: str, limit: int = 5, near: GeoPoint | None = None, field: str = "query", user_id: str = ""
    ) -> GeocodeResult:
        raw = query.strip()
        if not raw:
            raise InvalidInputError(
                f"{field} is empty.",
                "Pass a street address ('Mannerheimintie 5'), a place name ('Kinopalatsi', '赫尔辛基大教堂') or a "
                "category ('cinema').",
                field=field,
            )
        if len(raw) > MAX_QUERY:
            raise InvalidInputError(
                f"{field} is {len(raw):,} characters long ({clip(raw, 40)!r}); at most {MAX_QUERY} are accepted.",
                "Pass just a street address, a place name or a category, e.g. 'Fabianinkatu 39' or 'Kinopalatsi'.",
                field=field,
            )
        text = _norm(raw) or raw
        out: dict[str, GeocodeCandidate] = {}

        def add(c: GeocodeCandidate) -> None:
            key = c.id or f"{c.kind}:{c.name}"
            if key not in out or out[key].confidence < c.confidence:
                out[key] = c

        mine = self.saved(user_id, raw)
        if mine is not None:
            add(self._saved_candidate(mine))

        for alias, target in ZH_ALIASES.items():
            if alias in text:
                for p in self.places:
                    if p.data["name"] == target:
                        add(self._place_candidate(p, 0.95))
        m = HOUSE.match(text)
        if m:
            self._address_candidates(m.group("street").strip(), m.group("number").replace(" ", ""), add)
        for key, score, i in process.extract(text.lower(), self._name_keys, scorer=fuzz.WRatio, limit=12,
                                             score_cutoff=72):  # fmt: skip
            exact = 1.0 if key == text.lower() else 0.92
            add(self._place_candidate(self._names[i][1], round(score / 100 * exact, 3)))
        for street, score, _ in process.extract(text.lower(), self._street_keys, scorer=fuzz.WRatio, limit=3,
                                                score_cutoff=85):  # fmt: skip
            point = self._street_point(street)
            if point is not None:
                name = self._streets[self._street_keys.index(street)]
                add(GeocodeCandidate(kind="street", id="", name=name, address=f"{name}, {CITY_NAME}", location=point,
                                     confidence=round(score / 100 * 0.85, 3)))  # fmt: skip
        for i, stop in enumerate(self.transit.stops):
            score = fuzz.WRatio(text.lower(), stop["name"].lower())
            if score >= 88:
                add(GeocodeCandidate(kind="stop", id=stop["id"], name=f"{stop['name']} ({stop['kind']} stop)",
                                     address=", ".join(self.transit.lines_at[i]), location=GeoPoint(lat=stop["lat"],
                                     lng=stop["lng"]), confidence=round(score / 100 * 0.8, 3)))  # fmt: skip
        slugs = self._query_categories(text)
        if slugs and len(text) <= 30:
            origin = near or CITY_CENTRE
            hits = [p for p in self.places if p.row.category in slugs]
            hits.sort(key=lambda p: haversine_m(origin, p.point))
            for p in hits[:limit]:
                add(self._place_candidate(p, 0.7))
        candidates = sorted(out.values(), key=lambda c: (-c.confidence, c.name))[:limit]
        if not candidates:
            raise NotFoundError(
                f"Nothing in {CITY_NAME} matches {clip(raw)!r}.",
                "Check the spelling, give a street address such as 'Fabianinkatu 39', or find places by category "
                "with nav_search_places.",
                field=field,
            )
        return GeocodeResult(query=raw, candidates=candidates)

    def _place_candidate(self, p: Place, confidence: float) -> GeocodeCandidate:
        d = p.data
        return GeocodeCandidate(
            kind="place", id=p.row.id, name=d["name"],
            address=self.one_line(d.get("street", ""), d.get("housenumber", ""), d.get("postcode", "")),
            location=p.point, confidence=min(1.0, confidence), category=p.row.category,
        )  # fmt: skip

    def _address_candidates(self, street: str, number: str, add: Any) -> None:
        for name, score, _ in process.extract(street.lower(), list(self._by_street), scorer=fuzz.WRatio, limit=2,
                                              score_cutoff=80):  # fmt: skip
            rows = self._by_street[name]
            exact = [a for a in rows if a.housenumber.lower().replace(" ", "") == number.lower()]
            if not exact:
                digits = int(re.match(r"\d+", number).group()) if re.match(r"\d+", number) else 0  # type: ignore[union-attr]

                exact = sorted(rows, key=functools.partial(_number_gap, want=digits))[:1]
                factor = 0.6
            else:
                factor = 1.0
            for a in exact:
                add(GeocodeCandidate(kind="address", id=a.id, name=f"{a.street} {a.housenumber}",
                                     address=self.one_line(a.street, a.housenumber, a.postcode, a.city),
                                     location=GeoPoint(lat=a.lat, lng=a.lng),
                                     confidence=round(score / 100 * factor, 3)))  # fmt: skip

    def _street_point(self, street_key: str) -> GeoPoint | None:
        rows = self._by_street.get(street_key)
        if rows:
            mid = sorted(rows, key=lambda a: (a.lat, a.lng))[len(rows) // 2]
            return GeoPoint(lat=mid.lat, lng=mid.lng)
        net = self.network
        g = net.modes["walking"]
        ids = [i for i, n in enumerate(net.names) if n.lower() == street_key]
        if not ids:
            return None
        edges = np.flatnonzero(np.isin(g.name, ids))
        if not len(edges):
            return None
        nodes = g.tail[edges]
        v = int(nodes[len(nodes) // 2])
        return GeoPoint(lat=round(float(net.lat[v]), 7), lng=round(float(net.lng[v]), 7))

    def reverse(self, lat: float, lng: float) -> ReverseGeocodeResult:
        point = require_in_city(GeoPoint(lat=lat, lng=lng))
        xy = self._xy(lat, lng, self.network.lat0)
        _, ai = self._addr_tree.query(xy)
        a = self.addresses[int(ai)]
        apoint = GeoPoint(lat=a.lat, lng=a.lng)
        dist = haversine_m(point, apoint)
        if dist > 1000:
            raise NotFoundError(
                f"No street address within 1 km of ({lat:.5f}, {lng:.5f}).",
                coverage_hint(self.network),
                field="lat/lng",
            )
        node, _ = self.network.snap("walking", lat, lng)
        g = self.network.modes["walking"]
        touching = np.flatnonzero((g.tail == node) | (g.head == node))
        names = [self.network.names[int(g.name[e])] for e in touching if self.network.names[int(g.name[e])]]
        _, pis = self._place_tree.query(xy, k=3)
        now = self.now()
        return ReverseGeocodeResult(
            location=point,
            address=NearestAddress(street=a.street, housenumber=a.housenumber, postcode=a.postcode, city=a.city,
                                   one_line=self.one_line(a.street, a.housenumber, a.postcode, a.city),
                                   location=apoint, distance_m=round(dist)),
            street=names[0] if names else a.street,
            nearby_places=[self.summary(self.places[int(i)], point, now) for i in np.atleast_1d(pis)],
        )  # fmt: skip

    # ----- endpoints and routes -----------------------------------------------------------------
    def resolve(self, text: str, role: str, user_id: str = "") -> Endpoint:
        raw = text.strip()
        if not raw:
            raise InvalidInputError(
                f"{role} is empty.",
                f"Pass the {role} as a place id (plc_…), an address id (adr_…), a saved address ('home'), 'lat,lng' "
                "or an address or place name.",
                field=role,
            )
        mine = self.saved(user_id, raw)
        if mine is not None:
            return Endpoint(input=raw, name=f"{mine.label}: {mine.street} {mine.housenumber}", location=mine.location,
                            snap_m=0)  # fmt: skip
        m = COORDS.match(raw)
        if m:
            point = parse_point(float(m.group(1)), float(m.group(2)), role)
            return Endpoint(input=raw, name=f"{point.lat:.5f},{point.lng:.5f}", location=point, snap_m=0)
        if raw.startswith("plc_"):
            p = self.place(raw)
            return Endpoint(input=raw, name=p.data["name"], location=p.point, snap_m=0)
        if raw.startswith("adr_"):
            a = self.address_by_id.get(raw)
            if a is None:
                raise NotFoundError(
                    f"No address has id {clip(raw)!r}.",
                    "Use an adr_… id from nav_geocode or one of your saved addresses (food_list_addresses).",
                    field=role,
                )
            return Endpoint(input=raw, name=f"{a.street} {a.housenumber}", location=GeoPoint(lat=a.lat, lng=a.lng),
                            snap_m=0)  # fmt: skip
        if raw.startswith("stp_"):
            i = self.transit.stop_index.get(raw)
            if i is None:
                raise NotFoundError(f"No stop has id {clip(raw)!r}.", "Use a stp_… id from nav_geocode.", field=role)
            s = self.transit.stops[i]
            return Endpoint(input=raw, name=s["name"], location=GeoPoint(lat=s["lat"], lng=s["lng"]), snap_m=0)
        found = self.geocode(raw, limit=3, field=role, user_id=user_id).candidates
        top = found[0]
        if top.confidence < 0.6:
            options = "; ".join(f"{c.name} ({c.id or c.address})" for c in found)
            raise InvalidInputError(
                f"{role} {clip(raw)!r} is ambiguous or unclear (best guess {top.name}, "
                f"confidence {top.confidence:.2f}).",
                f"Pick one with nav_geocode and pass its id. Candidates: {options}.",
                field=role,
            )
        return Endpoint(input=raw, name=top.name, location=top.location, snap_m=0)

    def _depart(self, depart_at: datetime | None) -> datetime:
        now = self.now().replace(microsecond=0)
        if depart_at is None:
            return now
        if depart_at.tzinfo is None:
            depart_at = depart_at.replace(tzinfo=CITY_TZ)
        if abs(depart_at.date() - now.date()) > MAX_DEPART_AHEAD:
            raise InvalidInputError(
                f"depart_at {depart_at:%Y-%m-%d} is more than a year from today ({now:%Y-%m-%d}).",
                "Plan within a year of now, or leave depart_at empty for now.",
                field="depart_at",
            )
        return depart_at.astimezone(CITY_TZ)

    def _with_snap(self, end: Endpoint, mode: str) -> Endpoint:
        _, gap = self.network.snap("walking" if mode == "transit" else mode, end.location.lat, end.location.lng)
        return end.model_copy(update={"snap_m": round(gap)})

    def route(self, req: RouteRequest, user_id: str = "") -> RouteResult:
        mode = require_mode(req.mode)
        origin = self.resolve(req.origin, "origin", user_id)
        destination = self.resolve(req.destination, "destination", user_id)
        depart = self._depart(req.depart_at)
        notes: list[str] = []
        routes: list[Route]
        if mode == "transit":
            route, rides = self.transit.plan(origin.location, destination.location, depart)
            routes = [route]
            if not rides:
                notes.append("Walking is faster than any tram or metro connection at this time, so the route walks.")
            if req.alternatives:
                notes.append(
                    "Alternatives are not offered for transit: this is the earliest-arriving journey. Ask again with "
                    "a later depart_at for the next connection."
                )
        else:
            routes = self.router.route(mode, origin.location, destination.location, depart,
                                       alternatives=req.alternatives)  # fmt: skip
            if req.alternatives and len(routes) == 1:
                notes.append("No reasonable alternative route exists between these points.")
        if haversine_m(origin.location, destination.location) < 30:
            notes.append("Origin and destination are within 30 m of each other.")
        return RouteResult(origin=self._with_snap(origin, mode), destination=self._with_snap(destination, mode),
                           routes=routes, notes=notes)  # fmt: skip

    def matrix(self, req: MatrixRequest, user_id: str = "") -> MatrixResult:
        mode = require_mode(req.mode)
        for field, items in (("origins", req.origins), ("destinations", req.destinations)):
            if not 1 <= len(items) <= MAX_MATRIX:
                raise InvalidInputError(
                    f"{field} has {len(items)} entries; a matrix takes 1 to {MAX_MATRIX}.",
                    f"Split the request into matrices of at most {MAX_MATRIX} × {MAX_MATRIX}.",
                    field=field,
                )
        origins = [self.resolve(o, f"origins[{i}]", user_id) for i, o in enumerate(req.origins)]
        dests = [self.resolve(d, f"destinations[{j}]", user_id) for j, d in enumerate(req.destinations)]
        depart = self._depart(req.depart_at)
        cells: list[MatrixCell] = []
        if mode == "transit":
            # Ends too far from any footway are the caller's error, named by their index, as for the other modes.
            for role, end in [(f"origins[{i}]", o) for i, o in enumerate(origins)] + [
                (f"destinations[{j}]", d) for j, d in enumerate(dests)
            ]:
                self.router.snap("walking", end.location, role)
            for i, o in enumerate(origins):
                for j, d in enumerate(dests):
                    try:
                        route, _ = self.transit.plan(
                            o.location, d.location, depart, roles=(f"origins[{i}]", f"destinations[{j}]")
                        )
                    except NotFoundError:  # both ends snapped above, so this pair has no connection at all
                        cells.append(MatrixCell(origin=i, destination=j, reachable=False, distance_m=0, duration_s=0))
                        continue
                    cells.append(MatrixCell(origin=i, destination=j, reachable=True, distance_m=route.distance_m,
                                            duration_s=route.duration_s))  # fmt: skip
        else:
            rows = self.router.matrix_costs(mode, [o.location for o in origins], [d.location for d in dests], depart)
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    cells.append(
                        MatrixCell(origin=i, destination=j, reachable=cell is not None,
                                   duration_s=round(cell[0]) if cell else 0, distance_m=round(cell[1]) if cell else 0)
                    )  # fmt: skip
        return MatrixResult(mode=mode, origins=[self._with_snap(o, mode) for o in origins],
                            destinations=[self._with_snap(d, mode) for d in dests], cells=cells)  # fmt: skip

    # ----- maps ---------------------------------------------------------------------------------
    def render_map(self, req: MapRequest, user_id: str = "") -> MapImage:
        """A PNG of a route (A → B) and/or numbered places, with a summary of what is drawn."""
        if len(req.place_ids) > MAX_MAP_PLACES:
            raise InvalidInputError(
                f"place_ids has {len(req.place_ids)} places.", f"Mark at most {MAX_MAP_PLACES}.", field="place_ids"
            )
        if bool(req.origin) != bool(req.destination):
            raise InvalidInputError(
                "A route needs both origin and destination.",
                "Pass both to draw a route, or neither to draw only places.",
                field="origin" if not req.origin else "destination",
            )
        lines: list[tuple[list[tuple[float, float]], tuple[int, int, int]]] = []
        markers: list[tuple[str, tuple[float, float], tuple[int, int, int]]] = []
        shown: list[MapMarker] = []
        route_text = ""
        if req.origin:
            result = self.route(RouteRequest(origin=req.origin, destination=req.destination, mode=req.mode,
                                             depart_at=req.depart_at), user_id)  # fmt: skip
            best = result.routes[0]
            lines.append((decode_polyline(best.polyline), (200, 40, 120) if req.mode == "transit" else (30, 110, 230)))
            route_text = best.summary
            for label, end, colour in (("A", result.origin, (40, 160, 70)), ("B", result.destination, (210, 50, 50))):
                markers.append((label, (end.location.lat, end.location.lng), colour))
                shown.append(MapMarker(label=label, name=end.name, location=end.location))
        for n, place_id in enumerate(req.place_ids, start=1):
            place = self.place(place_id)
            markers.append((str(n), (place.row.lat, place.row.lng), (90, 70, 200)))
            shown.append(MapMarker(label=str(n), name=place.data["name"], location=place.point))
        png, sw, ne = draw_png(self.network, lines, markers, req.size)
        parts = [route_text] if route_text else []
        if req.place_ids:
            parts.append(f"{len(req.place_ids)} place{'s' if len(req.place_ids) != 1 else ''} marked")
        width, height = SIZES[req.size]
        summary = MapSummary(
            title="; ".join(parts) or "Central Helsinki", width=width, height=height,
            south_west=GeoPoint(lat=round(sw[0], 6), lng=round(sw[1], 6)),
            north_east=GeoPoint(lat=round(ne[0], 6), lng=round(ne[1], 6)), markers=shown, route=route_text,
            attribution=ATTRIBUTION,
        )  # fmt: skip
        return MapImage(summary=summary, png_base64=base64.b64encode(png).decode())

    # ----- weather ------------------------------------------------------------------------------
    def parse_day(self, text: str) -> date | None:
        """'' → None (today); 'today' / 'tomorrow' (also 今天 / 明天) on the simulated clock; or YYYY-MM-DD."""
        try:
            return read_day(text, self.now().date(), DAY_WORDS)
        except ValueError as exc:
            raise InvalidInputError(
                f"date {clip(text)!r} is not a date.",
                "Use YYYY-MM-DD (e.g. 2026-11-26), 'today' or 'tomorrow'.",
                field="date",
            ) from exc

    def weather(self, day: str | date | None, days: int) -> WeatherResult:
        if isinstance(day, str):
            day = self.parse_day(day)
        today = self.now().date()
        first = day or today
        last = first + timedelta(days=days - 1)
        if first < today or last > today + timedelta(days=MAX_FORECAST_DAYS - 1):
            raise InvalidInputError(
                f"No forecast for {first.isoformat()}–{last.isoformat()}: forecasts cover today ({today.isoformat()}) "
                f"to {(today + timedelta(days=MAX_FORECAST_DAYS - 1)).isoformat()}.",
                "Pass a date in that range (YYYY-MM-DD), or leave date empty for today.",
                field="date",
            )
        return WeatherResult(
            city=CITY_NAME,
            days=[forecast(first + timedelta(days=i)) for i in range(days)],
            source="Simulated forecast: deterministic per date from Helsinki climate normals.",
        )


def _number_gap(row: AddressRow, want: int) -> int:
    m = re.match(r"\d+", row.housenumber)
    return abs(int(m.group()) - want) if m else 999


def _sun(day: date) -> tuple[str, str]:
    """Approximate local sunrise and sunset at Helsinki (NOAA-style declination formula)."""
    lat, lng = math.radians(CITY_CENTRE.lat), CITY_CENTRE.lng
    n = day.timetuple().tm_yday
    decl = math.radians(23.44) * math.sin(math.radians(360 / 365 * (n - 81)))
    cos_h = (math.sin(math.radians(-0.83)) - math.sin(lat) * math.sin(decl)) / (math.cos(lat) * math.cos(decl))
    half = math.degrees(math.acos(max(-1.0, min(1.0, cos_h)))) / 15
    b = math.radians(360 / 365 * (n - 81))
    eot = (9.87 * math.sin(2 * b) - 7.53 * math.cos(b) - 1.5 * math.sin(b)) / 60
    noon_utc = 12 - lng / 15 - eot
    midnight = datetime(day.year, day.month, day.day, tzinfo=CITY_TZ)
    offset = (midnight.utcoffset() or timedelta()).total_seconds() / 3600

    def fmt(hours: float) -> str:
        total = round((hours + offset) * 60) % 1440
        return f"{total // 60:02d}:{total % 60:02d}"

    return fmt(noon_utc - half), fmt(noon_utc + half)


def forecast(day: date) -> WeatherDay:
    rng = random.Random(f"nav-weather:{day.isoformat()}")
    lo, hi = CLIMATE[day.month - 1]
    shift = rng.gauss(0, 3)
    tmin = round(lo + shift + rng.uniform(-1, 1), 1)
    tmax = round(max(tmin + 1.5, hi + shift + rng.uniform(-1, 1)), 1)
    wet = rng.random()
    chance = round(min(95, max(5, wet * 100)))
    if wet > 0.75:
        mm = round(rng.uniform(2, 12), 1)
        cond = (
            "snow"
            if tmax < 0.5
            else "sleet"
            if tmin < 1
            else ("thunderstorm" if day.month in (6, 7, 8) and rng.random() < 0.3 else "rain")
        )
    elif wet > 0.55:
        mm = round(rng.uniform(0.2, 2), 1)
        cond = "snow" if tmax < 0.5 else "drizzle"
    else:
        mm = 0.0
        cond = rng.choice(["clear", "partly_cloudy", "cloudy", "cloudy"] + (["fog"] if day.month in (10, 11) else []))
    wind = round(rng.uniform(2, 9) + (2 if cond in ("rain", "sleet", "thunderstorm") else 0), 1)
    span = tmax - tmin
    periods = [
        WeatherPeriod(name="night", temp_c=round(tmin + 0.1 * span, 1), condition=cond),
        WeatherPeriod(name="morning", temp_c=round(tmin + 0.4 * span, 1), condition=cond),
        WeatherPeriod(name="afternoon", temp_c=tmax, condition=cond),
        WeatherPeriod(name="evening", temp_c=round(tmin + 0.6 * span, 1), condition=cond),
    ]
    if cond in ("rain", "drizzle", "thunderstorm", "sleet"):
        advice = "Take an umbrella; trams and the metro keep you dry between stops."
    elif cond == "snow" or tmax < -5:
        advice = "Dress warmly and allow extra time: pavements may be icy."
    elif wind > 9:
        advice = "Windy by the harbour; cycling will be slow."
    else:
        advice = "Good weather for walking or cycling."
    sunrise, sunset = _sun(day)
    return WeatherDay(
        date=day, condition=cond, condition_label=CONDITION_LABEL[cond], temp_min_c=tmin,
        temp_max_c=tmax, precipitation_mm=mm, precipitation_chance=chance, wind_ms=wind, sunrise=sunrise,
        sunset=sunset, periods=periods, advice=advice,
    )  # fmt: skip
