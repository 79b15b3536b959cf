"""The navigation provider's rules: geocoding, places, endpoint resolution, routes, matrix, weather."""

from __future__ import annotations

import base64
import functools
import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sqlmodel import Session

from shared.account import Accounts
from shared.account.accounts import LABEL_WORDS, fold_label
from shared.arrays import unique
from shared.clock import SimClock
from shared.dates import (
    CLOCK_ZH,
    DAY_WORDS,
    NOW_WORDS,
    day_phrase,
    means_now,
    read_day,
    read_moment,
    split_clock,
    split_moment,
    split_part_of_day,
    weekday_words,
)
from shared.districts import district_in, district_named, district_said_in
from shared.errors import InvalidInputError, LifestyleError, NotFoundError, shown
from shared.geo import CITY_CENTRE, CITY_NAME, CITY_TZ, haversine_m, require_in_city
from shared.growth import Tile, tiles
from shared.hours import (
    always_open,
    describe_day,
    describe_week,
    in_effect,
    is_open,
    late_from,
    next_opening,
    today_key,
)
from shared.landmarks import ALIASES, HERE_WORDS, STREETS_ZH, finnish_street, means_here, off_map, off_map_name
from shared.phrases import OPEN_LATE, OPEN_NOW, TOP_RATED, distance_within, open_until
from shared.schemas.account import Address
from shared.schemas.common import GeoPoint, check_id, page_slice
from shared.schemas.nav import (
    MAX_QUERY,
    MAX_RADIUS_M,
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
from shared.text import any_of_words, fold, has_cjk, house_key, staircase_house, take_match, take_out
from shared.when import day_range

from .geocoder import (
    BRANDS,
    CATEGORY_WORDS,
    CITY_WORDS,
    EXACT_BONUS,
    LANDMARK,
    UNMAPPED_KINDS,
    Geocoder,
    Scored,
    Target,
    Verdict,
    name_key,
    unmapped_kind,
)
from .graph import RoadNetwork, metres_xy
from .growth import address_tile, district_city
from .render import ATTRIBUTION, SIZES
from .render import render_map as draw_png
from .routing import Router, decode_polyline, duration_text, require_mode
from .seed import AddressRecord, PlaceRecord
from .spatial import GridIndex
from .transit import Transit, TransitPlan

COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
HOUSE = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s?[a-zA-Z]?(?:\s?[-–]\s?\d+)?)$")
STREET_NOISE = re.compile(r"赫尔辛基|芬兰|(?<=\d)号|(?<=\d\s)号")  # the city's Chinese name, 号 after the number
# A Finnish flat after the house number: 'Fabianinkatu 39 B 12' (staircase B, flat 12), 'Kaivokatu 4 as 5' (asunto 5).
# The map has houses: the flat is dropped, so that it is never read as the house number (it was: 'Fabianinkatu 12').
FLAT = re.compile(
    r"^(?P<house>.*?\D\d+(?:\s?[a-zA-Z](?=\s))?)\s+(?P<flat_word>(?:as|asunto)\.?\s*)?\d+$", re.IGNORECASE
)
POSTCODE = re.compile(r"\d{5}")  # a word that is a postcode ('00100'), unless it is the only number (see _house)
ID_LIKE = re.compile(r"^(plc|adr|stp|dst)_\w+$")
SISTER_ID = re.compile(r"^(rst|vnu|cin)_(\w+)$")
"""An id of the other servers' places (food's restaurants, tickets' venues, movies' cinemas): a real one carries the
OpenStreetMap id this map's place does (``rst_n389078466`` is ``plc_n389078466``), a grown one is its map place's id
after ``plc_``. An agent routes to the cinema it just booked by its id."""
SISTERS = {"rst": "food", "vnu": "tickets", "cin": "movies"}
NOT_A_PLACE: dict[str, tuple[str, str, str]] = {
    "evt": ("tickets", "an event", "its venue_id (vnu_…, from tickets_get_event)"),
    "ses": ("tickets", "a session", "its event's venue_id (vnu_…, from tickets_get_event)"),
    "sht": ("movies", "a showtime", "the cinema_id the showtime shows (cin_…)"),
    "mov": ("movies", "a film", "the cinema_id of a cinema showing it (cin_…, from movies_find_showtimes)"),
    "itm": ("food", "a dish", "its restaurant_id (rst_…)"),
    "ord": ("food", "an order", "the restaurant_id the order shows (rst_…)"),
    "tko": ("tickets", "an order", "its event's venue_id (vnu_…, from tickets_get_event)"),
    "tkt": ("tickets", "a ticket", "its event's venue_id (vnu_…, from tickets_get_event)"),
    "mvo": ("movies", "an order", "the cinema_id its showtime shows (cin_…)"),
    "hld": ("tickets or movies", "a hold", "the venue_id or cinema_id of its session or showtime"),
}
"""Ids of the other servers that name no place ('ses_…' after booking, for 'how do I get there'): 'Nothing in
Helsinki matches; check the spelling' told the caller nothing it could act on."""
NOT_A_PLACE_ID = re.compile(rf"^({'|'.join(NOT_A_PLACE)})_[A-Za-z0-9_]+$")
ONE_SPOT_M = 300
"""Candidates this close together are one area to search around ('near Engel': the cinema, its summer cinema and its
café around one courtyard; 'near the railway station', the station and its square, was refused as ambiguous until
'the railway station' became the Central Station's name)."""
NAME_PARTS = " / "
"""How the other servers show a name in several languages ('Bio Rex / Bio Rex Lasipalatsi / 雷克斯影院（玻璃宫）')."""
MAX_MATRIX = 10
MAX_FORECAST_DAYS = 14
ECHO = 60  # characters of the caller's text repeated back in an error
SPELLINGS = " The closest spellings are listed."  # a geocode result's not-found message, when it lists some
OFF_MAP = (  # 'Suomenlinna' is real, just off the map: 'check the spelling' alone sent the user to retype it
    " The map covers central Helsinki only (Kluuvi, Kaartinkaupunki, Kaisaniemi and the east of Kamppi): places "
    "outside it, such as Suomenlinna or the airport, are not on it."
)
MAX_MAP_PLACES = 20
MAX_TRANSIT_ALTERNATIVES = 3  # next departures and other lines
MAX_DEPART_AHEAD = timedelta(days=366)  # timetables and traffic are a year's pattern; further is an input error
SAME_POINT_M = 1.0
"""Ends closer than this are one place: no trip (a route from 'home' to 'home' used to snap both ends to the network
and ride a tram)."""

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
    return require_in_city(
        GeoPoint(lat=lat, lng=lng),
        field,
        instead="a place or street address in it, a place id (plc_…) or a "
        "saved address (its adr_… id or label, e.g. 'Home')",
    )


@dataclass
class HouseMatch:
    """A query read as 'street number': the addresses it may mean and, when no street read has that number, what
    the best-spelled street lacks (``missing``, e.g. 'Mannerheimintie has no number 99999 on the map: its numbers
    run 1–24'), so the answer says so instead of taking the street for the address."""

    candidates: list[Scored]
    missing: str = ""


@dataclass
class Place:
    row: PlaceRecord
    data: dict[str, Any]

    @property
    def point(self) -> GeoPoint:
        return GeoPoint(lat=self.row.lat, lng=self.row.lng)


UNDONE = {"near": "nothing was searched", "query": "nothing was looked up"}
"""What an ambiguous name stopped, by the role it had (a route's end otherwise: no route was planned)."""
MIN_PLACE_SCORE = 70
"""A place search lists places whose ``_place_score`` reaches this."""
ROUND_THE_CLOCK = re.compile(
    r"(?:\bopen\s+)?(?:\b24\s*/\s*7\b|\b24\s*-?\s*(?:h|hrs?|hours?)\b|\ball[- ]night\b|\bround the clock\b"
    r"|\bympärivuorokautinen\b|\bympäri vuorokauden\b|24小时|24小時)(?:营业)?的?",
    re.IGNORECASE,
)
"""Words asking for a place open round the clock ('24h pharmacy', '24小时便利店', 'open 24/7'): read as that filter
and taken out of the words to match. They were searched as a name: '24小时便利店' found nothing, and '24h pharmacy'
listed pharmacies closed at night."""
ACCESSIBLE = re.compile(
    r"\b(?:wheelchair(?:[- ](?:accessible|friendly))?|accessible|barrier[- ]free|step[- ]free|esteet(?:ön|tömät?))\b"
    r"|无障碍的?|轮椅(?:可以进的?|能进的?|可达的?)?",
    re.IGNORECASE,
)
"""Words asking for wheelchair access ('accessible toilet', '无障碍厕所', 'wheelchair friendly cafe'): a filter on
what OpenStreetMap records (yes, or limited), taken out of the words to match. They were searched as a name and
changed nothing: '无障碍厕所' listed toilets whatever their access."""
ACCESS = frozenset({"yes", "limited"})
EATING = frozenset({"restaurant", "fast_food", "cafe", "pub", "bar"})
"""The kinds of place a cuisine said beside them narrows ('italian restaurant', '日本料理店', 'sushi bar')."""
EAT_PREFIX = re.compile(r"^(?:能|可以|想)?(?:吃|喝)(?=[\u3400-\u9fff])")
"""'能吃寿司的地方', '喝奶茶的': eating or drinking it said before the cuisine."""
SHOP_SUFFIX = re.compile(r"(?<=[\u3400-\u9fff])(?:店|馆|铺|屋|档)$")
"""A word for a shop after a cuisine ('寿司店', '火锅馆'): the cuisine alone asks for where it is cooked."""
OPEN_TODAY_WORDS = re.compile(r"\bopen today\b|今天营业的?|今天开门的?|今天开放的?", re.IGNORECASE)
"""'museum open today' / '今天开放的博物馆': places open now or opening later today (a museum closed at 08:00 that
opens at 10:00 is open today; one closed on Mondays is not)."""
OPEN_ON_DAY = re.compile(
    r"\bopen\s+(?:on\s+)?(?P<en>(?:this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?|tomorrow)"
    r"(?:\s+(?:at\s+)?(?P<en_clock>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}))?\b"
    r"|(?P<zh>(?:这|下)?(?:周|星期|礼拜)[一二三四五六日天]|明天|后天)"
    rf"(?P<zh_clock>{CLOCK_ZH})?(?:开门|营业|开放|开着)的?",
    re.IGNORECASE,
)
"""A day a place must be open ('pharmacy open on Sunday', '周日开门的超市'), or an hour of that day ('明天早上7点开门的
面包店', 'bakery open tomorrow at 7am'): the words were left out as in no name, and every pharmacy was listed for a
Sunday (or, with an hour, nothing matched)."""
NOT_RECORDED = re.compile(
    r"(?:(?<![a-z])(?:free\s+)?wi-?fi(?![a-z])|(?:免费)?(?:wi-?fi|无线网|网络)"
    r"|(?<![a-z])(?:dog|pet)s?[- ](?:friendly|allowed)(?![a-z])|(?:可以|能)?带(?:狗|宠物)|宠物友好"
    r"|(?<![a-z])(?:outdoor seating|terrace)(?![a-z])|露台|户外座位)的?",
    re.IGNORECASE,
)
"""What people ask of a place that the map does not record ('免费WiFi的咖啡馆', '可以带狗的餐厅', 'dog friendly cafe',
'cafe with a terrace'): left out as 'in no name here', every café was listed as if it had it."""
STATION_LINES: dict[str, re.Pattern[str]] = {
    "metro": re.compile(r"\b(?:metro|subway|underground|tube|metroasema|tunnelbana)\b|地铁|地鐵", re.IGNORECASE),
    "rail": re.compile(
        r"\b(?:trains?|railway|rail|rautatieasema|juna-?asema|järnvägsstation|tåg)\b|火车|火車|高铁|铁路", re.IGNORECASE
    ),
}
"""Which stations a query asks for: OSM tags metro and railway stations alike as 'station', so 'metro station' and
'地铁站' listed the railway station first and 'train station' the metro; one line said keeps that line's stations."""
STATION_LABELS = {"metro": "Metro station 地铁站", "rail": "Railway station 火车站"}
_NEAR_EN = re.compile(
    r"^(?P<what>.*?)\s*\b(?:near|around|close to|closest to|nearest to|next to)\s+(?P<where>.+)$", re.IGNORECASE
)
_NEAREST_EN = re.compile(r"^(?:the\s+)?(?:nearest|closest)\s+(?P<what>.+?)\s+(?:to|from)\s+(?P<where>.+)$", re.I)
_NEAR_ZH = re.compile(r"^(?P<where>.*?)(?:附近|周边|旁边)(?:的)?(?P<what>.*)$")
_NEAREST_ZH = re.compile(r"^(?:离|距离?)(?P<where>.+?)最近的?(?P<what>.+)$")


_ASKING_ZH = re.compile(
    r"^(?:我想去|我要去|想去|去)|怎么走|怎么去|在哪里|在哪儿|在哪|哪里有|哪里可以|哪里|有什么|有没有|可以|吗|呢|[?？]"
    r"|^(?:能|可以)(?=吃|喝|买|看)|的地方$|的店$"
)
"""Chinese that only asks where or how ('去赫尔辛基大教堂怎么走' = 'how do I get to the cathedral', '哪里可以停车' =
'where can I park', '附近有没有药店', '能吃早餐的地方' = 'a place for breakfast'): cut before a place search reads
kinds and names. Left in, '有什么好吃的' matched nothing, and the cathedral's own name lost to its kind's nearer
churches."""
_ASKING_EN = re.compile(
    r"^(?:where\s+(?:can|could|do)\s+(?:i|we)\s+(?:buy|get|find)|where\s+is\s+(?:a|an|the)|where's\s+(?:a|an|the)"
    r"|is\s+there\s+(?:a|an|any)|are\s+there\s+any|find\s+me\s+(?:a|an)?|show\s+me\s+(?:a|an)?|i\s+need\s+(?:a|an)?"
    r")\s+|\s*\?+$",
    re.IGNORECASE,
)
"""English that only asks ('where can I buy groceries', 'is there a pharmacy near Oodi?'): searched as a name, the
long question matched a bar called 'Why join the navy when you can be a pirate'."""


def asking_cut(query: str) -> str:
    """``query`` without ``_ASKING_ZH`` and ``_ASKING_EN``, spaces tidied; the query as it was when nothing else is
    left."""
    return " ".join(_ASKING_EN.sub(" ", _ASKING_ZH.sub(" ", query)).split()) or query


def split_near(query: str) -> tuple[str, str]:
    """A keyword query that says where, as (what, where): 'cafe near Kamppi' → ('cafe', 'Kamppi'), 'Kamppi附近的咖啡'
    → ('咖啡', 'Kamppi'), '附近的药店' → ('药店', ''): nearby, around the search point; 'nearest pharmacy to Oodi' and
    '离大教堂最近的地铁站' (nearest first is the order of a kind's places anyway). Else (query, '')."""
    m = _NEAREST_EN.match(query) or _NEAR_EN.match(query) or _NEAREST_ZH.match(query) or _NEAR_ZH.match(query)
    if m is None or (m.re is _NEAR_EN and not m["what"].strip()):  # 'Around the World': a name, nothing before it
        return query, ""
    where = m["where"].strip()
    return m["what"].strip(), "" if where.lower().rstrip("?!. ") in HERE_WORDS else where


def _name_score(query: str, name: str) -> float:
    """How well a place's name matches a search query (0–100). WRatio finds the query inside a longer name ('kahvila'
    in 'Ihana Kahvila Baari'), but it also finds a short name inside one word of the query: 'Vila', a clothes shop,
    scored 90 for 'kahvila'. A name shorter than the query matches as whole words ('Oodi' in 'Oodi library') or as a
    misspelling of about the same length, not as a piece of a word. Likewise the query inside a longer name: from
    a word's start, or spelt out whole inside a compound ('kahvila' in 'Lasikahvila'), not as a fuzzy piece of one
    word ('Kiasma' scored 75 on the 'iasema' of 'Vita Lääkäriasema' and 'Salaattiasema', and 72 on the 'kasa'
    starting 'Kasarmitori kaupunkipyöräasema')."""
    if len(name) >= len(query):
        score = float(fuzz.WRatio(query, name))
        if MIN_PLACE_SCORE <= score < 99:
            piece = fuzz.partial_ratio_alignment(query, name)
            inside = piece and (
                (piece.dest_start > 0 and name[piece.dest_start - 1].isalnum())
                or (piece.dest_end < len(name) and name[piece.dest_end].isalnum())
            )
            if piece and piece.score < 90 and inside:
                return max(float(fuzz.ratio(query, name)), float(fuzz.token_set_ratio(query, name)))
        return score
    whole = fuzz.token_set_ratio(query, name)
    if whole >= 90:
        return whole * 0.9
    return float(fuzz.ratio(query, name)) if len(name) >= 0.75 * len(query) else 0.0


def _described(cand: GeocodeCandidate) -> str:
    """'Oodi (library, Töölönlahdenkatu 4, 00100 Helsinki)'. A stop's name already says its kind: 'Kauppatori (tram
    stop, tram 2)', not 'Kauppatori (tram stop) (tram_stop, tram 2)'."""
    kind = (cand.category or cand.kind).replace("_", " ")
    name = cand.name.removesuffix(f" ({kind})")
    return f"{name} ({kind}{', ' + cand.address if cand.address else ''})"


def cuisine_stem(zh: str) -> str:
    """A Chinese cuisine's name without its word for cuisine (意大利菜 → 意大利, 日本料理 → 日本), as people join it
    to a kind of place ('意大利餐厅'); '' where nothing is left but one character (川菜)."""
    stem = zh.removesuffix("菜").removesuffix("料理").removesuffix("餐")
    return stem if stem != zh and len(stem) > 1 else ""


class NavService:
    def __init__(
        self,
        places: list[PlaceRecord],
        addresses: list[AddressRecord],
        categories: list[dict[str, Any]],
        network: RoadNetwork,
        router: Router,
        transit: Transit,
        clock: SimClock,
        accounts: Accounts,
        scale: int = 1,
        districts: list[dict[str, Any]] | None = None,
        venues: dict[str, list[str]] | None = None,
        cuisines: list[dict[str, Any]] | None = None,
    ) -> None:
        self.clock = clock
        self.aliases = {k: [*ALIASES.get(k, []), *(venues or {}).get(k, [])] for k in {*ALIASES, *(venues or {})}}
        """Common names by place or district id: ``ALIASES`` and the names tickets and movies give their venues."""
        self.real_districts = districts or []  # the real city's, as OSM marks them (``_districts``: a grown city's)
        self.tiles = tiles(scale)
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
        self._place_grid = self._grid([(p.row.lat, p.row.lng) for p in self.places], lat0)
        self._addr_grid = self._grid([(a.lat, a.lng) for a in addresses], lat0)
        # Street addresses by district (tile) and street; a grown city repeats every street in every district.
        self._streets: dict[int, dict[str, list[AddressRecord]]] = {}
        for a in addresses:
            self._streets.setdefault(address_tile(a.id), {}).setdefault(name_key(a.street), []).append(a)
        self._by_street = self._streets.get(0, {})
        self._street_keys = {tile: list(streets) for tile, streets in self._streets.items()}
        self._districts = {fold(t.district): t for t in self.tiles[1:]}
        self._category_words: dict[str, str] = {}
        for slug, c in self.categories.items():  # the geocoder's words too: 'kahvila' and 'kirjasto' are kinds here
            for word in [slug, c["en"], c["zh"], *c.get("synonyms", []), *CATEGORY_WORDS.get(slug, [])]:
                self._category_words[word.lower()] = slug
        self._kind_words = sorted(self._category_words.items(), key=lambda ws: -len(ws[0]))  # longest first
        self.cuisine_labels = {c["slug"]: f"{c['en']} {c['zh']}" for c in cuisines or []}
        self._cuisine_words = {
            word.lower(): c["slug"]
            for c in cuisines or []
            for word in (c["slug"].replace("_", " "), c["en"], c["zh"], *c["synonyms"], cuisine_stem(c["zh"]))
            if word
        }
        """Each word of a cuisine ('italian', '意大利菜', and 意大利 as '意大利餐厅' says it) → its slug."""
        self._cuisine_in_name = {
            slug: re.compile(
                "|".join(
                    re.escape(w) if has_cjk(w) else rf"\b{re.escape(w)}"
                    for w, of in self._cuisine_words.items()
                    if of == slug and (len(w) > 2 or has_cjk(w))
                )
                or "(?!)"
            )
            for slug in set(self._cuisine_words.values())
        }
        """A cuisine's words as they stand in a place's name, one pattern per cuisine (built once: a search tests
        every place of the kind in range against it)."""
        self._metro_stations = self._metro_places(transit)

    def _metro_places(self, transit: Transit) -> set[str]:
        """The stations that are metro stations: the same OSM node as a metro stop, or its name within 300 m of it
        (the others are railway stations)."""
        metro = [s for s in transit.stops if s["kind"] == "metro"]
        ids = {"plc_" + s["id"].removeprefix("stp_") for s in metro}
        named = [(fold(s["name"]), GeoPoint(lat=s["lat"], lng=s["lng"])) for s in metro]
        return {
            p.row.id
            for p in self.places
            if p.row.category == "station"
            and (p.row.id in ids or any(fold(p.data["name"]) == n and haversine_m(c, p.point) < 300 for n, c in named))
        }

    def station_line(self, place: Place) -> str:
        """'metro' or 'rail' for a station, '' for any other place."""
        if place.row.category != "station":
            return ""
        return "metro" if place.row.id in self._metro_stations else "rail"

    def place_label(self, place: Place) -> str:
        """The category as the user reads it: a station says which line it serves."""
        return STATION_LABELS.get(self.station_line(place)) or self.label(place.row.category)

    @staticmethod
    def _grid(points: list[tuple[float, float]], lat0: float) -> GridIndex:
        lat = np.array([p[0] for p in points], dtype=np.float64)
        lng = np.array([p[1] for p in points], dtype=np.float64)
        x, y = metres_xy(lat, lng, lat0)
        return GridIndex(x, y)

    @staticmethod
    def _xy(lat: float, lng: float, lat0: float) -> tuple[float, float]:
        k = math.pi / 180 * 6_371_008.8
        return lng * k * math.cos(math.radians(lat0)), lat * k

    def now(self) -> datetime:
        return self.clock.now().astimezone(CITY_TZ)

    # ----- places -------------------------------------------------------------------------------
    def label(self, slug: str) -> str:
        """A category as the user reads it ('Pharmacy 药店'); 'station:metro', the kind the geocoder takes for a line
        said, as that line's stations."""
        kind, _, line = slug.partition(":")
        if line in STATION_LABELS:
            return STATION_LABELS[line]
        c = self.categories.get(kind)
        return f"{c['en']} {c['zh']}" if c else slug

    @staticmethod
    def one_line(street: str, number: str, postcode: str, city: str = CITY_NAME) -> str:
        if not street:
            return ""
        return f"{street} {number}".strip() + f", {postcode} {city}".replace(" ,", ",").replace(",  ", ", ")

    def place_address(self, d: dict[str, Any]) -> str:
        """A place's one-line address; a grown district's places name their district ('…, Kallio, Helsinki')."""
        district = d.get("district", "")
        city = f"{district}, {CITY_NAME}" if district else CITY_NAME
        return self.one_line(d.get("street", ""), d.get("housenumber", ""), d.get("postcode", ""), city)

    @staticmethod
    def _open_on(query: str, now: datetime) -> tuple[str, date | datetime | None]:
        """The query without a day (and an hour of it) a place must be open ('open on Sunday', '明天早上7点开门的'), and
        that day, or that moment when an hour is said; the query and None when it says none."""
        rest, m = take_match(OPEN_ON_DAY, query)
        if m is None:
            return query, None
        day_said = (m["en"] or m["zh"]).strip()
        clock = m["en_clock"] or m["zh_clock"]
        if clock:
            at = read_moment(f"{day_said.removesuffix('s')} {clock}", now, next_day_within=timedelta(days=1))
            return (rest, at) if at is not None else (query, None)
        phrase = day_phrase(re.sub(r"^(?:this|next)\s+", "", day_said, flags=re.IGNORECASE).removesuffix("s"))
        if phrase is None:
            return query, None
        first, _ = phrase[0](now.astimezone(CITY_TZ).date())
        return rest, first

    @staticmethod
    def _open_on_day(place: Place, day: date) -> bool:
        """Open at some time on the local date ``day`` (checked every quarter hour: no schedule here is finer)."""
        if not place.row.hours:
            return False
        start = datetime.combine(day, time(0), CITY_TZ)
        week = in_effect(place.row.hours, start)
        return any(is_open(week, start + timedelta(minutes=15 * k)) for k in range(96))

    def _open_today(self, place: Place, now: datetime) -> bool:
        """Open now, or opening later on today's local date."""
        if not place.row.hours:
            return False
        week = in_effect(place.row.hours, now)
        if is_open(week, now):
            return True
        opens = next_opening(week, now)
        return opens is not None and opens.astimezone(CITY_TZ).date() == now.astimezone(CITY_TZ).date()

    def open_status(self, place: Place, at: datetime) -> OpenStatus:
        if not place.row.hours:
            return "unknown"
        return "open" if is_open(in_effect(place.row.hours, at), at) else "closed"

    def summary(self, place: Place, origin: GeoPoint | None = None, at: datetime | None = None) -> PlaceSummary:
        d = place.data
        return PlaceSummary(
            id=place.row.id, name=d["name"], name_en=d.get("name_en", ""), name_zh=d.get("name_zh", ""),
            category=place.row.category, category_label=self.place_label(place), location=place.point,
            address=self.place_address(d),
            distance_m=round(haversine_m(origin, place.point)) if origin else 0,
            open_status=self.open_status(place, at or self.now()), wheelchair=d.get("wheelchair", ""),
        )  # fmt: skip

    def place(self, place_id: str, field: str = "place_id") -> Place:
        found = self.place_by_id.get(place_id)
        if found is None:  # 'Oodi' where an id goes: refused with its id, as every server refuses a name
            check_id(place_id, "plc", field=field, source="nav_geocode or nav_search_places", names=self._places_named)
            raise NotFoundError(
                f"No place has id {shown(place_id)}.",
                "Use a place id (plc_…) returned by nav_search_places or nav_geocode.",
                field="place_id",
            )
        return found

    def _places_named(self, text: str) -> list[tuple[str, str]]:
        """The places ``text`` names as the geocoder reads it: the one it is sure of, else the tied ones."""
        verdict = self.geocoder.lookup(text, None, CITY_CENTRE, limit=5)
        places = [(f"{s.target.name} ({s.target.address})" if s.target.address else s.target.name, s.target.id)
                  for s in verdict.candidates if s.target.kind == "place"]  # fmt: skip
        if verdict.status == "confident":
            return places[:1]
        return places if verdict.status == "ambiguous" and verdict.reason in ("chain", "tie") else []

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
            opening_hours=describe_week(in_effect(place.row.hours, self.now())) if place.row.hours else {},
            opening_hours_raw=d.get("opening_hours", ""), phone=d.get("phone", ""), website=d.get("website", ""),
            cuisines=d.get("cuisines", []), nearby_stops=stops,
        )  # fmt: skip

    def search_places(
        self, *, query: str, category: str, lat: float, lng: float, radius_m: int, open_now: bool, limit: int,
        cursor: str, near: str = "", user_id: str = "",
    ) -> PlacePage:  # fmt: skip
        """Places around ``near`` (a name, address, district or id, resolved as a route's end is), else lat/lng,
        else the centre. A query that says where ('cafe near Kamppi', 'Kamppi附近的咖啡') is read as both: it was
        searched as a name around the centre, and found cafés a kilometre from Kamppi."""
        now = self.now()
        # the hours and access words first: 'near Kinopalatsi open now' is near Kinopalatsi
        query, round_the_clock = take_out(ROUND_THE_CLOCK, asking_cut(query.strip()))
        query, late_said = take_out(OPEN_LATE, query)
        late_at, hour_said = late_from(now), False
        if not late_said:  # 'open until midnight', 'open after 11pm', '营业到12点以后的', '晚上10点还开门的'
            query, until = open_until(query, now)  # before 'open now': '还开门的' of an hour is open then
            late_said = hour_said = until is not None
            late_at = until or late_at
        query, open_said = take_out(OPEN_NOW, query)
        open_now = open_now or open_said
        query, today_said = take_out(OPEN_TODAY_WORDS, query)
        query, on_day = self._open_on(query, now)
        if isinstance(on_day, datetime):  # an hour of a day: open then, as an hour said tonight is
            late_said, late_at, hour_said, on_day = True, on_day, True, None
        query, access_said = take_out(ACCESSIBLE, query)
        query, within, within_said = distance_within(query)  # '500米以内的药店', 'within 3 km': the radius said
        radius_m = min(within, MAX_RADIUS_M) if within else radius_m
        query, unrecorded = take_match(NOT_RECORDED, query)  # asked of a place, but no map records it
        query, rated_said = take_out(TOP_RATED, query)  # the map keeps no ratings: said so, not left out as a name
        rest, said = split_near(query)
        here_said, query = not said and rest != query, rest  # '离我最近的厕所', 'nearby': where the user is
        near_notes: list[str] = []
        if not said and not here_said and not near.strip() and not (lat or lng):
            query, said = self._district_beside_kind(query)  # 'restaurants in Kamppi', '坎皮的餐厅'
            if said:
                near_notes.append(f"Read {shown(said)} as where to look: places around the district's centre.")
        if said and not near.strip() and not (lat or lng):  # where the query says, unless the caller said it apart
            near = said
        if near.strip():
            center = self.resolve(near, "near", user_id, notes=near_notes).location
        elif lat or lng:
            center = require_in_city(GeoPoint(lat=lat, lng=lng), instead="0 and 0 for the centre")
        else:
            center = CITY_CENTRE
            if here_said:  # the nearest to the centre, silently, is not the nearest to the user
                near_notes.append(
                    "Measured from the city centre: no position was given. For what is near the user, pass lat/lng "
                    "(where they are now) or near ('home', 'work', a place or address)."
                )
        if category and category not in self.categories:
            raise InvalidInputError(
                f"category {shown(category)} is not a place category.",
                f"Use one of: {', '.join(sorted(self.categories))}; or leave it empty and search by keyword.",
                field="category",
            )
        if unmapped := unmapped_kind(query):
            note = (
                f"The map has no {unmapped}: OpenStreetMap's extract of central Helsinki records none, so no radius "
                f"finds one. {UNMAPPED_KINDS[unmapped].advice}"
            )
            _, info = page_slice([], cursor, limit, scope="nav.places", asked={"unmapped": unmapped})
            return PlacePage(center=center, radius_m=radius_m, places=[], page=info, note=note)
        cx, cy = self._xy(center.lat, center.lng, self.network.lat0)
        idx = self._place_grid.within(cx, cy, radius_m)
        ranked: list[tuple[float, float, Place]] = []
        closed: list[tuple[float, Place]] = []
        words = self._query_categories(query)
        # 'italian restaurant', '意大利餐厅': of the kind, those OSM says cook it (or named so), not every restaurant
        cuisine = self._cuisine_said(query, words) if words & EATING else ""
        if words <= {"other"} and not category and (alone := self._cuisine_alone(self._without_kinds(query, words))):
            cuisine, words = alone, set(EATING)  # '寿司', '火锅店', 'sushi places': where they cook it, as Amap lists
        line = self._line_said(query) if "station" in words or category == "station" else ""
        # a line said ('subway station') asks for stations: other places only by the rest of the query, by name
        named = self._beside_kinds(query, words, line) if line else query
        station_query = named or query  # a station by the name said beside its kind and line, else by the query
        for i in idx.tolist():
            p = self.places[i]
            if category and p.row.category != category:
                continue
            if line and p.row.category == "station" and self.station_line(p) != line:
                continue
            if access_said and p.data.get("wheelchair") not in ACCESS:
                continue
            if cuisine and cuisine not in p.data.get("cuisines", []) and not self._named(p, cuisine):
                continue
            if words and not line and p.row.category not in words and not self._names_hold(p, query):
                continue  # 'public toilet' is no pub called 'Public House'; 'park' still finds Q-Park
            dist = haversine_m(center, p.point)
            score = 100.0
            if query:
                if line and p.row.category != "station":  # below a station of the same name
                    score = min(self._place_score(named, p, set()), 99.0) if named else 0.0
                else:
                    score = self._place_score(station_query, p, words)
                if score < MIN_PLACE_SCORE:
                    continue
            if (
                (open_now and self.open_status(p, now) != "open")
                or (late_said and self.open_status(p, late_at) != "open")
                or (today_said and not self._open_today(p, now))
                or (on_day is not None and not self._open_on_day(p, on_day))
                or (round_the_clock and not (p.row.hours and always_open(in_effect(p.row.hours, now))))
            ):
                closed.append((dist, p))  # what the hours asked for left out: an empty page names the nearest
                continue
            ranked.append((-score, dist, p))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].row.id))
        asked = {"query": query, "category": category, "at": (center.lat, center.lng), "radius_m": radius_m,
                 "open_now": open_now, "late": late_said, "today": today_said, "access": access_said,
                 "open_at": f"{late_at:%Y-%m-%dT%H:%M}" if hour_said else "", "on": str(on_day or "")}  # fmt: skip
        page, info = page_slice(ranked, cursor, limit, scope="nav.places", asked=asked)
        found = [p for _, _, p in ranked]
        note = self._places_note(query, words, found, radius_m, round_the_clock, open_said, now, line, cuisine,
                                 (cx, cy))  # fmt: skip
        if not found and closed:  # their hours on the day asked about, not today's
            asked_day = late_at if hour_said else datetime.combine(on_day, time(12), CITY_TZ) if on_day else now
            note = f"{note} {self._closed_note(closed, radius_m, asked_day, now)}"
        tonight = f"{late_at:%a}" if hour_said else "tonight" if late_at > now else "(now)"
        hours_said = [f"only places open at {late_at:%H:%M} {tonight}" if late_said else "",
                      "only places open now or later today" if today_said else "",
                      f"only places open some time on {on_day:%a %d %b}" if on_day else ""]  # fmt: skip
        if any(hours_said):
            read = " and ".join(w for w in hours_said if w)
            kind = (
                "at the hour said" if hour_said else "late" if late_said else "on the day said" if on_day else "today"
            )
            note = f"Read as open {kind}: {read} are listed (hours unknown: left out). {note}"
        if rated_said:
            note = (
                "Read as asking for the best rated: the map keeps no ratings, so places are listed by how well they "
                "match, nearest first (food_search_restaurants rates restaurants that deliver). " + note
            ).strip()
        if access_said:
            note = (
                "Read as wheelchair accessible: only places OpenStreetMap records as accessible (wheelchair 'yes', or "
                f"'limited': in part) are listed; access unknown: left out. {note}"
            )
        if unrecorded is not None:
            unknown = shown(unrecorded[0].strip().removesuffix("的"))
            note = (
                f"Read {unknown} as asked of the place: the map does not record it, so these are listed without "
                f"knowing (each place's phone and website are on nav_get_place). {note}"
            ).strip()
        if within_said:
            widest = f" (the widest a search reaches: {MAX_RADIUS_M} m)" if within > MAX_RADIUS_M else ""
            note = f"Read {shown(within_said)} as the radius: places within {radius_m} m{widest}. {note}".strip()
        note = " ".join([*near_notes, note]).strip()
        return PlacePage(center=center, radius_m=radius_m, places=[self.summary(p, center, now) for _, _, p in page],
                         page=info, note=note)  # fmt: skip

    def _places_note(
        self, query: str, kinds: set[str], found: list[Place], radius_m: int, round_the_clock: bool, open_said: bool,
        now: datetime, line: str = "", cuisine: str = "", at: tuple[float, float] = (0.0, 0.0),
    ) -> str:  # fmt: skip
        """How the query was read, and why a page is empty: a page with nothing on it said nothing at all."""
        note = []
        if cuisine:
            note.append(
                f"Read as {self.cuisine_labels[cuisine]} places of that kind: those OpenStreetMap records as cooking "
                "it, or named for it."
            )
        if line:
            said, other = ("metro", "railway") if line == "metro" else ("railway", "metro")
            note.append(f"Read as {said} stations: {other} stations are left out.")
        if round_the_clock:
            note.append("Read as open round the clock: only places open 24/7 are listed.")
        if open_said:
            note.append(f"Read as open now: only places open at {now:%H:%M} are listed (hours unknown: left out).")
        rest = self._beside_kinds(query, kinds, line) if kinds and found and not cuisine else ""
        if rest and not any(self._place_score(rest, p, set()) >= MIN_PLACE_SCORE for p in found):
            labels = ", ".join(sorted(self.label(k) for k in kinds))
            note.append(f"Read as a kind of place ({labels}); {shown(rest)} is in no name here, so it was left out.")
        if not found and query and not kinds and radius_m < MAX_RADIUS_M and not self._within_reach(query, at):
            note.append(
                f"Nothing within {MAX_RADIUS_M} m, the widest a search reaches, matches {shown(query)} by name or "
                "kind: a wider radius will not find it. Search by kind (category), or say it another way."
            )
        elif not found:
            what = f"matches {shown(query)}" if query else "is of that kind"
            ways = [
                f"widen radius_m (up to {MAX_RADIUS_M})" if radius_m < MAX_RADIUS_M else "",
                "search without the hours" if round_the_clock or open_said else "",
                "search by kind (category)",
            ]
            ways = [w for w in ways if w]
            how = f"{', '.join(ways[:-1])} or {ways[-1]}" if len(ways) > 1 else ways[0]
            note.append(
                f"Nothing within {radius_m} m {what}"
                + (" and is open round the clock" if round_the_clock else "")
                + (" and is open now" if open_said else "")
                + f": {how}."
            )
        return " ".join(note)

    def _within_reach(self, query: str, at: tuple[float, float]) -> bool:
        """Whether a place within the widest radius of ``at`` (map metres) matches ``query`` by name: an empty
        page was told to widen its radius when no radius could find one ('xyzzy'). Asked only of an empty page;
        the widest radius, not the whole map, bounds it in a grown city."""
        idx = self._place_grid.within(at[0], at[1], MAX_RADIUS_M)
        return any(self._place_score(query, self.places[i], set()) >= MIN_PLACE_SCORE for i in idx.tolist())

    def _closed_note(self, closed: list[tuple[float, Place]], radius_m: int, at: datetime, now: datetime) -> str:
        """What the hours asked for left out, nearest first, with their hours on the day of ``at``: '24小时营业的药店'
        said only that nothing matched '药店', though pharmacies were there, closing at night."""
        nearest = sorted(closed, key=lambda c: (c[0], c[1].row.id))[:3]
        day = today_key(at)
        when = "today" if at.astimezone(CITY_TZ).date() == now.astimezone(CITY_TZ).date() else f"{at:%a}"
        listed = "; ".join(
            f"{p.data['name']} ({round(dist)} m, "
            + (f"{when} {describe_day(in_effect(p.row.hours, at), day)})" if p.row.hours else "hours unknown)")
            for dist, p in nearest
        )
        n = len(closed)
        return (
            f"{n} within {radius_m} m match{'es' if n == 1 else ''} but {'keeps' if n == 1 else 'keep'} other hours, "
            f"nearest first: {listed}."
        )

    def _names(self, p: Place) -> list[str]:
        """``p``'s names in every language and its common names (``aliases``), lower case."""
        return [
            *(p.data.get(k, "").lower() for k in ("name", "name_en", "name_sv", "name_zh")),
            *(alias.lower() for alias in self.aliases.get(p.row.id, [])),
        ]

    def _names_hold(self, p: Place, query: str) -> bool:
        """Whether ``p``'s names (and common names) hold every word of ``query``."""
        names = " ".join(self._names(p))
        return all(word in names for word in query.lower().split())

    def _cuisine_said(self, query: str, kinds: set[str]) -> str:
        """The cuisine said beside the kinds of place ('italian restaurant', '意大利餐厅'), or inside their Chinese word
        ('中餐馆': 中餐 and 餐馆 share a character); '' for none."""
        rest = self._without_kinds(query, kinds)
        if rest in self._cuisine_words:
            return self._cuisine_words[rest]
        kind_said = {word for word, slug in self._kind_words if slug in kinds}  # '早餐' of '能吃早餐的地方' is a cafe
        inside = [
            w for w in self._cuisine_words if has_cjk(w) and len(w) > 1 and w in query.lower() and w not in kind_said
        ]
        return self._cuisine_words[max(inside, key=len)] if inside and has_cjk(rest) else ""

    def _cuisine_alone(self, query: str) -> str:
        """The cuisine a query is all of, a word for a shop or for eating it aside ('寿司店', '能吃寿司的'); ''."""
        said = EAT_PREFIX.sub("", " ".join(query.lower().split()).removesuffix("的"))
        return self._cuisine_words.get(said) or self._cuisine_words.get(SHOP_SUFFIX.sub("", said), "")

    def _named(self, p: Place, cuisine: str) -> bool:
        """Whether ``p``'s name holds a word of ``cuisine`` ('Ravintola Ragu (Italian kitchen)', 'Sushibar Arigato')."""
        names = " ".join(p.data.get(k, "") for k in ("name", "name_en", "name_zh")).lower()
        return self._cuisine_in_name[cuisine].search(names) is not None

    def _without_kinds(self, query: str, kinds: set[str]) -> str:
        """The query without the words that named its kinds of place ('xyzzy cafe' → 'xyzzy'), in the plural too
        ('cafés in Kamppi' → 'in kamppi')."""
        rest = query.lower()
        for word, slug in self._kind_words:
            if slug in kinds and word in rest:
                rest = (
                    rest.replace(word, " ") if has_cjk(word) else re.sub(rf"\b{re.escape(word)}(?:e?s)?\b", " ", rest)
                )
        return " ".join(rest.removesuffix("的").split())

    def _district_beside_kind(self, query: str) -> tuple[str, str]:
        """A district said beside a kind of place, without 'near' ('restaurants in Kamppi', 'pharmacy Kamppi',
        '坎皮的餐厅', 'kahvila Kampissa'), as (the kind's words, the district): searched around the centre as a name,
        the district was left out ('in no name here') and the centre's restaurants listed. A place of the kind whose
        name holds the district's keeps the query a name."""
        kinds = self._query_categories(query)
        rest = self._without_kinds(query, kinds) if kinds else ""
        left, district = district_said_in(rest)
        if district is None:  # 'Kamppi restaurants': no 'in' needed
            left, district = "", district_named(rest)
        if district is None or left:
            return query, ""
        cx, cy = self._xy(district.lat, district.lng, self.network.lat0)
        for i in self._place_grid.within(cx, cy, MAX_RADIUS_M).tolist():
            p = self.places[i]
            if p.row.category in kinds and self._names_hold(p, fold(district.name)):  # not fuzzily: no 'Kappeli'
                return query, ""
        kept = query.lower()
        for word in rest.split():
            kept = (
                kept.replace(word, " ", 1) if has_cjk(word) else re.sub(rf"\b{re.escape(word)}\b", " ", kept, count=1)
            )
        return " ".join(kept.split()), district.name

    def _beside_kinds(self, query: str, kinds: set[str], line: str) -> str:
        """The query without the words that named its kinds of place and its line of stations ('xyzzy metro
        station' → 'xyzzy')."""
        rest = self._without_kinds(query, kinds)
        return " ".join(STATION_LINES[line].sub(" ", rest).split()) if line else rest

    @staticmethod
    def _line_said(query: str) -> str:
        """The one line of stations the query names ('metro', 'rail'), '' for none or both."""
        said = [line for line, words in STATION_LINES.items() if words.search(query)]
        return said[0] if len(said) == 1 else ""

    def _query_categories(self, query: str) -> set[str]:
        """The kinds of place the query names. A kind's word inside the query counts (Chinese has no spaces: '便利店'
        in '24小时便利店' names the kind as a word of its own would; Finnish inflects: 'kirjastossa'), unless it is
        only part of a longer kind's word there: 'parking' is no park, '电车站' (tram stop) no 车站 (station)."""
        q = query.lower()
        spans: list[tuple[int, int, str]] = []
        for word, slug in self._category_words.items():
            if word == q:
                spans.append((0, len(q), slug))
            elif len(word) > 3 or (has_cjk(word) and len(word) > 1):
                start = q.find(word)
                while start >= 0:
                    spans.append((start, start + len(word), slug))
                    start = q.find(word, start + 1)
        return {
            slug
            for start, end, slug in spans
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans)
        }

    def _place_score(self, query: str, p: Place, categories: set[str]) -> float:
        """0–100: a place of the kind the query names scores 90, and 100 when its name (or common name) is the query
        itself, so 'Oodi library' puts Oodi before the nearer libraries; other places score by name, below every
        place of that kind unless the name is the query."""
        q = query.lower()
        best = max((_name_score(q, n) for n in self._names(p) if n), default=0.0)
        if p.row.category in categories:  # a place named only as its kind ('ATM') is one of them, not the answer
            return 100.0 if best >= 99 and q not in self._category_words else 90.0
        cuisines = p.data.get("cuisines", [])
        if any(q == c or q in c.replace("_", " ") for c in cuisines):
            best = max(best, 85.0)
        if categories and best < 99:  # 'park': the parks, then Q-Park and Autoparkki, whose names only hold the word
            best = min(best, 89.0)
        return float(best)

    # ----- geocoding ----------------------------------------------------------------------------
    @functools.cached_property
    def _alias_keys(self) -> frozenset[str]:
        return frozenset(fold(a) for names in self.aliases.values() for a in names if len(a) >= 3)

    def _aliased(self, raw: str, longer_than: int = 0) -> bool:
        """Whether ``raw`` holds a common name of a place on the map longer than ``longer_than`` ('芬兰堡渡轮码头',
        the Suomenlinna pier, beside '芬兰堡'; not 'Cathedral' of 'Uspenski Cathedral')."""
        folded = fold(raw)
        return any(alias in folded and len(alias) > longer_than for alias in self._alias_keys)

    def saved(self, user_id: str, text: str) -> Address | None:
        """The user's saved address ``text`` names: an adr_ id of theirs, a label, or 'home' / 'work'."""
        if not user_id:
            return None
        raw = text.strip()
        if not raw:
            return None
        if not raw.startswith("adr_"):
            # Nearly every query is a name, not a label: the user's labels decide before the full lookup.
            key, labels = fold_label(raw), self.accounts.label_keys(user_id)
            meaning = LABEL_WORDS.get(key)  # 'work' names a book's '公司' too
            if key not in labels and (meaning is None or meaning not in {LABEL_WORDS.get(k, k) for k in labels}):
                return None
        with Session(self.accounts.engine) as session:
            return self.accounts.find(session, user_id, raw)

    @staticmethod
    def _saved_candidate(a: Address) -> GeocodeCandidate:
        return GeocodeCandidate(kind="saved", id=a.id, name=f"{a.label} ({a.street} {a.housenumber})",
                                address=a.one_line, location=a.location, confidence=1.0)  # fmt: skip

    @functools.cached_property
    def geocoder(self) -> Geocoder:
        """Every place, stop and street with all its names (built on first use: ~40 ms for the real city)."""
        targets: list[Target] = []
        names: list[list[str]] = []
        for p in self.places:
            d = p.data
            langs = [d.get(k, "") for k in ("name_en", "name_sv", "name_zh")]
            aliases = self.aliases.get(p.row.id, [])
            prior = 0.02 * (p.row.category in LANDMARK) + 0.01 * min(3, sum(1 for n in langs if n) + bool(aliases))
            if p.row.category == "tram_stop":  # the stop itself (stp_…) is the better answer
                prior = -0.02
            targets.append(Target(
                kind="place", id=p.row.id, name=d["name"], category=p.row.category, point=p.point,
                address=self.place_address(d), key=name_key(d["name"]), prior=prior,
                street=f"{d.get('street', '')} {d.get('district', '')}".strip(),
            ))  # fmt: skip
            names.append([d["name"], *(n for n in langs if n), *aliases, *BRANDS.get(d["name"], [])])
        for i, stop in enumerate(self.transit.stops):
            targets.append(Target(
                kind="stop", id=stop["id"], name=f"{stop['name']} ({stop['kind']} stop)",
                address=", ".join(self.transit.lines_at[i]), point=GeoPoint(lat=stop["lat"], lng=stop["lng"]),
                category="tram_stop" if stop["kind"] == "tram" else "station", key=name_key(stop["name"]),
            ))  # fmt: skip
            names.append([stop["name"]])
        for d in self.real_districts:
            if fold(d["name"]) in self._districts:  # a grown city's tile elsewhere has this name: it means that tile
                continue
            targets.append(Target(
                kind="district", id=d["id"], name=d["name"], address=CITY_NAME, category="district",
                point=GeoPoint(lat=d["lat"], lng=d["lng"]), key=name_key(d["name"]), prior=0.02,
            ))  # fmt: skip
            names.append([
                d["name"], *(d[k] for k in ("name_sv", "name_en") if d[k]), *d.get("aliases", []),
                *self.aliases.get(d["id"], []),
            ])  # fmt: skip
        spelled: dict[str, Counter[str]] = {}
        for name in [a.street for a in self.addresses] + [n for n in self.network.names if n]:
            spelled.setdefault(name_key(name), Counter())[name] += 1
        chinese: dict[str, list[str]] = {}  # a main street's Chinese names, by the key of its Finnish one
        for zh, fi in STREETS_ZH.items():
            chinese.setdefault(name_key(fi), []).append(zh)
        streets: list[tuple[str, GeoPoint]] = []
        for key, spellings in sorted(spelled.items()):
            point, extent = self._street_extent(key, spellings)
            if point is None:
                continue
            name = spellings.most_common(1)[0][0]
            targets.append(Target(kind="street", id="", name=name, address=f"{name}, {CITY_NAME}", category="",
                                  point=point, key=key, extent=extent))  # fmt: skip
            names.append([*spellings, *chinese.get(key, [])])
            streets.append((name, point))
        for where in self.tiles[1:]:  # every district's copy of a street is named with its district
            for name, point in streets:
                grown = f"{name}, {where.district}"
                shifted = GeoPoint(lat=point.lat + where.dlat, lng=point.lng + where.dlng)
                targets.append(Target(kind="street", id="", name=grown, address=f"{name}, {district_city(where)}",
                                      category="", point=shifted, key=name_key(grown)))  # fmt: skip
                names.append([grown])
        vocab = {slug: [slug.replace("_", " "), c["en"], c["zh"], *c.get("synonyms", [])]
                 for slug, c in self.categories.items()}  # fmt: skip
        for slug, words in CATEGORY_WORDS.items():
            vocab.setdefault(slug, []).extend(words)
        lines = {p.row.id: self.station_line(p) for p in self.places if p.row.category == "station"}
        return Geocoder(targets, names, vocab, station_lines=lines)

    def _street_extent(self, key: str, spellings: Counter[str]) -> tuple[GeoPoint | None, list[GeoPoint]]:
        """A street's point (its middle address, else its middle node) and points along it (addresses and up to 40
        network nodes), to tell whether a stop or place of the same name stands on it."""
        rows = sorted(self._by_street.get(key, []), key=lambda a: (a.lat, a.lng))
        net = self.network
        nodes = unique(np.concatenate([self._nodes_named.get(n, np.array([], dtype=np.int64)) for n in spellings]))
        step = max(1, len(nodes) // 40)
        along = sorted((round(float(net.lat[v]), 7), round(float(net.lng[v]), 7)) for v in nodes[::step])
        extent = [GeoPoint(lat=a.lat, lng=a.lng) for a in rows] + [GeoPoint(lat=lat, lng=lng) for lat, lng in along]
        if rows:
            return GeoPoint(lat=rows[len(rows) // 2].lat, lng=rows[len(rows) // 2].lng), extent
        return (extent[len(extent) // 2] if extent else None), extent

    @functools.cached_property
    def _nodes_named(self) -> dict[str, np.ndarray]:
        """Walking-network nodes by the name of a street they start an edge of."""
        tail, name_of = self.network.edge_names("walking")
        order = np.argsort(name_of, kind="stable")
        ids = name_of[order]
        out: dict[str, np.ndarray] = {}
        for i, name in enumerate(self.network.names):
            lo, hi = np.searchsorted(ids, i, "left"), np.searchsorted(ids, i, "right")
            if name and hi > lo:
                out[name] = tail[order[lo:hi]]
        return out

    def _candidate(self, s: Scored) -> GeocodeCandidate:
        t = s.target
        return GeocodeCandidate(
            kind=t.kind, id=t.id, name=t.name, address=t.address, location=t.point, category=t.category,
            confidence=round(max(0.0, min(1.0, s.score)), 3), distance_m=round(s.distance_m),
        )  # fmt: skip

    def _by_id(self, raw: str, center: GeoPoint) -> GeocodeResult:
        """A plc_/adr_/stp_/dst_ id the caller already has: that one thing, or not found."""
        target = self.geocoder.by_id.get(raw)
        cand: GeocodeCandidate | None = None
        if target is not None:
            cand = self._candidate(Scored(target, 1.0))
        elif raw in self.address_by_id:
            cand = self._candidate(self._address_scored(self.address_by_id[raw], 1.0))
        if cand is None:
            return GeocodeResult(query=raw, status="not_found", center=center, candidates=[],
                                 message=f"No place, address, stop or district has id {clip(raw)!r}; use an id that "
                                 "nav_geocode or nav_search_places returned, or the name.")  # fmt: skip
        cand.distance_m = round(haversine_m(center, cand.location))
        return GeocodeResult(query=raw, status="confident", message=f"Confident: {raw} is {cand.name}.", center=center,
                             candidates=[cand])  # fmt: skip

    def geocode(
        self, query: str, limit: int = 5, near: GeoPoint | None = None, field: str = "query", user_id: str = ""
    ) -> GeocodeResult:
        """Candidates for ``query`` and a status: confident (the first is the answer), ambiguous or not found."""
        return self._geocode(query, limit, near, field, user_id)[0]

    def _geocode(
        self, query: str, limit: int, near: GeoPoint | None, field: str, user_id: str, near_name: str = ""
    ) -> tuple[GeocodeResult, Verdict | None]:
        """``near_name``: what ``near`` is, as the messages call it ('the bias point' when unsaid)."""
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
        center = near or CITY_CENTRE
        mine = self.saved(user_id, raw)
        if mine is not None:
            saved = self._saved_candidate(mine)
            saved.distance_m = round(haversine_m(center, saved.location))
            return GeocodeResult(query=raw, status="confident", center=center, candidates=[saved],
                                 message=f"Confident: {raw!r} is the saved address {saved.name}."), None  # fmt: skip
        if ID_LIKE.match(raw):
            return self._by_id(raw, center), None
        if sister := SISTER_ID.match(raw):
            return self._sister(raw, sister, center), None
        if means_here(raw):  # '我的位置', 'current location': the user's position, which no call has given
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{clip(raw)!r} is where the user is, which this server is not told: pass their position as "
                "'lat,lng' (a phone or the user gives it), a saved address ('home', 'work'), or a place near them.",
            ), None  # fmt: skip
        if other := NOT_A_PLACE_ID.match(raw):  # 'get me to the concert': the event's id, not its venue's
            server, what, instead = NOT_A_PLACE[other[1]]
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{clip(raw)!r} is {what} of the {server} server, not a place: pass {instead}, or that "
                "place's name, instead.",
            ), None  # fmt: skip
        if COORDS.match(raw):  # 'Nothing matches; check the spelling' told the caller nothing it could act on
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{raw!r} is a coordinate pair, not a name or address: nav_reverse_geocode with its lat and "
                "lng gives the address there, and nav_route / nav_distance_matrix take 'lat,lng' as an end directly.",
            ), None  # fmt: skip
        sight = off_map(raw) if len(self.tiles) == 1 else ""  # a grown city may have a place of the name
        # '芬兰堡渡轮码头' is the pier on the map, not the fortress; 'Uspenski Cathedral' not the Cathedral on it
        if sight and not self._aliased(raw, len(off_map_name(raw))):
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{sight[0].upper()}{sight[1:]}." + OFF_MAP,
            ), None  # fmt: skip
        off = district_in(raw)
        if (
            off is not None
            and not off.on_map
            and fold(off.name) not in self._districts  # a grown city has a district of that name on its map
            and fold(raw) in {fold(n) for n in off.names}
        ):
            # 'Töölö' was 'ambiguous' between streets named after it (Töölönlahdenkatu), as if it were on the map
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{off.name} is a district of {CITY_NAME} that this map does not reach." + OFF_MAP,
            ), None  # fmt: skip
        word = LABEL_WORDS.get(fold_label(raw))
        if word is not None:
            return GeocodeResult(
                query=raw, status="not_found", center=center, candidates=[],
                message=f"{raw!r} means the account's {word} address, and none is labelled {word.title()}: give the "
                "street address or place instead, or save the address first (food_save_address).",
            ), None  # fmt: skip
        text = asking_cut(raw)  # '去赫尔辛基大教堂怎么走': the cathedral
        if (anchored := self._nearest_to(text, limit, field, user_id)) is not None:
            return anchored
        house = self._house(text)
        verdict = self._number_missing(
            self.geocoder.lookup(text, near, center, extra=house.candidates, limit=limit, line=self._line_said(text)),
            house,
        )
        found = [self._candidate(s) for s in verdict.candidates[:limit]]
        if verdict.status != "confident" and NAME_PARTS in raw:
            named = self._by_a_name(raw, limit, near, field, user_id)
            if named is not None:
                return named
        bias = (near_name or "the bias point") if near is not None else ""
        message = self._verdict_message(raw, verdict, found, bias)
        return GeocodeResult(query=raw, status=verdict.status, center=center, candidates=found,
                             message=message), verdict  # fmt: skip

    def _nearest_to(
        self, text: str, limit: int, field: str, user_id: str
    ) -> tuple[GeocodeResult, Verdict | None] | None:
        """'nearest toilet to home', '离家最近的厕所', 'nearest pharmacy to Oodi': the nearest of the kind to the place
        said, as nav_search_places reads it (it was 'not found': the whole phrase was looked up as a name). None when
        the text says no such thing; a place said that is not found or ambiguous is refused as a route's end is."""
        m = _NEAREST_EN.match(text) or _NEAREST_ZH.match(text)
        if m is None or m["where"].lower().rstrip("?!. ") in HERE_WORDS:
            return None
        asked = f"nearest {m['what']}" if m.re is _NEAREST_EN else f"最近的{m['what']}"
        try:
            anchor = self.resolve(m["where"], field, user_id)
        except LifestyleError as exc:  # as a geocode answers: a status and what to do, not a failed call
            if self.geocoder.lookup(asked, None, CITY_CENTRE).reason != "nearest":
                return None
            return GeocodeResult(
                query=text, status="not_found", center=CITY_CENTRE, candidates=[],
                message=f"The nearest of a kind was asked for, near {shown(m['where'])}, which is not one place: "
                f"{exc.message} {exc.hint}".strip(),
            ), None  # fmt: skip
        result, verdict = self._geocode(asked, limit, anchor.location, field, user_id, near_name=anchor.name)
        if verdict is None or verdict.reason != "nearest":
            return None  # what was asked is no kind of place: read the text as a name
        return result.model_copy(update={"query": text}), verdict

    def _by_a_name(
        self, raw: str, limit: int, near: GeoPoint | None, field: str, user_id: str
    ) -> tuple[GeocodeResult, Verdict | None] | None:
        """A name written in several languages as the other servers show one ('Kinopalatsi / 基诺宫影城'): the place
        its names find confidently when they all find the same one; None when none does or they disagree. As a
        whole it matched no name well, and a route from it was refused as ambiguous."""
        parts = [p.strip() for p in raw.split(NAME_PARTS.strip()) if p.strip()]
        sure = [r for r in (self._geocode(p, limit, near, field, user_id) for p in parts) if r[0].status == "confident"]
        if not sure or len({r[0].candidates[0].id or r[0].candidates[0].name for r in sure}) > 1:
            return None
        found, verdict = sure[0]
        top = found.candidates[0]
        message = f"Confident: {clip(raw)!r} is {_described(top)} (by its name {found.query!r})."
        return found.model_copy(update={"query": raw, "message": message}), verdict

    @staticmethod
    def _one_spot(candidates: list[GeocodeCandidate]) -> bool:
        """Whether every candidate is within ``ONE_SPOT_M`` of the first: for a search around it, any is the same."""
        return bool(candidates) and all(
            haversine_m(candidates[0].location, c.location) <= ONE_SPOT_M for c in candidates
        )

    def _sister(self, raw: str, sister: re.Match[str], center: GeoPoint) -> GeocodeResult:
        """A food, tickets or movies id of a real place: the place on this map with the same OpenStreetMap id."""
        server = SISTERS[sister[1]]
        same = next((i for i in (f"plc_{sister[2]}", f"plc_{raw}") if i in self.geocoder.by_id), "")
        if not same:
            return GeocodeResult(query=raw, status="not_found", center=center, candidates=[],
                                 message=f"{clip(raw)!r} is an id of the {server} server, and no place on this map has "
                                 f"it: pass its street address or its name as {server} shows them.")  # fmt: skip
        found = self._by_id(same, center)
        top = found.candidates[0]
        return found.model_copy(update={"query": raw, "message": f"Confident: {raw} ({server}) is {_described(top)}, "
                                        f"{same} on this map."})  # fmt: skip

    def _verdict_message(self, raw: str, v: Verdict, found: list[GeocodeCandidate], bias: str) -> str:
        """``bias``: what the bias point is called ('' when none was given)."""
        q = clip(raw)
        pick = "Pass the id of the one meant (never assume the first)"
        if v.status == "confident":
            top = found[0]
            what = _described(top)
            if v.reason == "chain":
                return (f"Confident: {what}, the nearest to {bias} ({top.distance_m} m) of the {v.branches} "
                        f"places called {top.name}.")  # fmt: skip
            if v.reason == "nearest":
                kind = " / ".join(self.label(c) for c in v.categories) if v.categories else top.name
                where = bias or "the city centre (near_lat/near_lng: the user's position)"
                return f"Confident: the nearest {kind} to {where} is {what}, {top.distance_m} m away."
            if v.reason == "category":
                return f"Confident: {what} is the only {self.label(top.category)} on the map."
            return f"Confident: {q!r} is {what}."
        if v.status == "ambiguous":
            if v.reason == "category":
                kinds = " / ".join(self.label(c) for c in v.categories)
                n = v.total
                return (f"Ambiguous: {q!r} is a kind of place ({kinds}); {n} on the map, nearest first. "
                        f"{pick}, or use nav_search_places near a point.")  # fmt: skip
            if v.reason == "chain":
                if bias:
                    return (f"Ambiguous: {v.branches} places are called {found[0].name}, none clearly the nearest to "
                            f"{bias} (nearest first). {pick}.")  # fmt: skip
                return (f"Ambiguous: {v.branches} places are called {found[0].name}. {pick}, or give near_lat/near_lng "
                        "to take the nearest.")  # fmt: skip
            if v.reason == "number":
                street = any(c.kind == "street" for c in found)
                return (f"Ambiguous: {v.note}, so {q!r} is not an address there; the nearest numbers"
                        f"{' and the street' if street else ''} are listed. Ask the user which is meant (the number "
                        f"may be wrong), then pass its id{' (a street: its lat,lng)' if street else ''}; never assume "
                        "the first.")  # fmt: skip
            if v.reason == "tie":
                names = " and ".join(c.name for c in found[:2])
                return f"Ambiguous: {names} match {q!r} about equally well. {pick}, or add a word (street, kind)."
            return f"Ambiguous: no confident match for {q!r}; the closest are listed. {pick}, or correct the spelling."
        if v.reason == "city":
            return f"Not found: {q!r} names the whole city; give a street address, a place name or a kind of place."
        tail = SPELLINGS if found else ""
        # a grown city's districts reach further; a long text is no place name (and its refusal stays short)
        edge = OFF_MAP if len(self.tiles) == 1 and len(q) <= 40 else ""
        return (f"Nothing in {CITY_NAME} matches {q!r}. Check the spelling, give a street address such as "
                f"'Fabianinkatu 39', or search by kind with nav_search_places.{edge}{tail}")  # fmt: skip

    def _address_scored(self, a: AddressRecord, score: float) -> Scored:
        name = f"{a.street} {a.housenumber}"
        if address_tile(a.id):
            name += f", {a.city.removesuffix(f', {CITY_NAME}')}"
        target = Target(kind="address", id=a.id, name=name, address=self.one_line(a.street, a.housenumber, a.postcode,
                        a.city), category="", point=GeoPoint(lat=a.lat, lng=a.lng), key=name_key(name))  # fmt: skip
        return Scored(target, score, exact=score >= 1)

    def _house_candidates(self, raw: str) -> list[Scored]:
        return self._house(raw).candidates

    def _house(self, raw: str) -> HouseMatch:
        """'Street 12' read as a street address: the number on the closest-spelled streets, else its neighbours
        (and what the street lacks). Five digits are a postcode ('Fabianinkatu 39, 00100'), but not when they are
        the only number after the street and no postcode of the city (those start with 0): 'Mannerheimintie
        99999' asks for a house number, which must not be dropped so the street passes for the address."""
        text, where = self._split_district(finnish_street(raw))
        words = [w for w in STREET_NOISE.sub(" ", text).replace(",", " ").split() if fold(w) not in CITY_WORDS]
        plain = " ".join(w for w in words if not POSTCODE.fullmatch(w))
        flat = FLAT.match(plain)
        if flat and (flat.group("flat_word") or flat.group("house")[-1].isalpha()):  # not 'Street 39 12': unclear
            plain = flat.group("house")
        m = HOUSE.match(plain)
        if not m and words and POSTCODE.fullmatch(words[-1]) and not words[-1].startswith("0"):
            m = HOUSE.match(" ".join(words))
        if not m:
            return HouseMatch([])
        number = house_key(m.group("number"))
        out: list[Scored] = []
        missing: list[str] = []
        tile = where.number if where else 0
        streets = self._streets.get(tile, {})
        for key, score, _ in process.extract(name_key(m.group("street")), self._street_keys.get(tile, []),
                                             scorer=fuzz.ratio, limit=2, score_cutoff=80):  # fmt: skip
            rows = streets[key]
            numbers = [house_key(a.housenumber) for a in rows]
            same = [a for a, n in zip(rows, numbers, strict=True) if n == number]
            house = staircase_house(number)
            if not same and house:  # a staircase the map has no entry of its own for: its house
                same = [a for a, n in zip(rows, numbers, strict=True) if n == house]
            if same:
                out += [self._address_scored(a, score / 100 * (1 + EXACT_BONUS)) for a in same]
                continue
            digits = int(re.match(r"\d+", number).group())  # type: ignore[union-attr]  # HOUSE numbers start with digits
            for a in sorted(rows, key=functools.partial(_number_gap, want=digits))[:2]:
                out.append(self._address_scored(a, score / 100 * 0.6))
            street = rows[0].street + (f", {where.district}" if where else "")
            missing.append(f"{street} has no number {clip(m.group('number').strip(), 12)} on the map: {_numbers(rows)}")
        found = any(s.exact for s in out)
        return HouseMatch(out, "" if found or not missing else missing[0])

    def _number_missing(self, verdict: Verdict, house: HouseMatch) -> Verdict:
        """A street address whose number the street lacks is not found as given, whatever else matched (the street
        itself, exactly: 'Mannerheimintie 99999'): ambiguous, the street's nearest numbers first, then the rest."""
        if not house.missing or verdict.status == "not_found" or not verdict.candidates:
            return verdict
        if verdict.candidates[0].target.kind not in ("address", "street"):
            return verdict  # a place whose name ends in a number, matched as such
        nearest = {id(s) for s in house.candidates}
        ranked = sorted(verdict.candidates, key=lambda s: id(s) not in nearest)  # stable: each part keeps its order
        return Verdict("ambiguous", "number", ranked, note=house.missing)

    def _split_district(self, raw: str) -> tuple[str, Tile | None]:
        """'Mannerheimintie 5, Kallio' → ('Mannerheimintie 5', Kallio's tile): in a grown city every district has
        the real city's streets, and the district says which. Without one, the address is the real city's."""
        if not self._districts:
            return raw, None
        head, sep, tail = raw.rpartition(",")
        if sep and (where := self._districts.get(fold(tail.strip()))) is not None:
            return head, where
        folded = fold(raw)
        for name, where in sorted(self._districts.items(), key=lambda kv: -len(kv[0])):
            if folded.endswith(" " + name):
                return raw[: len(raw) - len(name)].rstrip(), where
        return raw, None

    def reverse(self, lat: float, lng: float) -> ReverseGeocodeResult:
        try:
            point = require_in_city(GeoPoint(lat=lat, lng=lng))
        except InvalidInputError as far:  # its hint, a bare "use a point in central Helsinki", offered nothing else
            raise InvalidInputError(
                far.message,
                f"{self.router.coverage()} For nav_reverse_geocode, pass the lat and lng of a point inside that box "
                f"({CITY_NAME}'s centre is lat {CITY_CENTRE.lat:.4f}, lng {CITY_CENTRE.lng:.4f}), or look an "
                "address or place up by name with nav_geocode instead.",
                field="lat/lng",
            ) from None
        xy = self._xy(lat, lng, self.network.lat0)
        ((_, ai),) = self._addr_grid.nearest(*xy)
        a = self.addresses[ai]
        apoint = GeoPoint(lat=a.lat, lng=a.lng)
        dist = haversine_m(point, apoint)
        if dist > 1000:
            raise NotFoundError(
                f"No street address within 1 km of ({lat:.5f}, {lng:.5f}).",
                self.router.coverage(),
                field="lat/lng",
            )
        names: list[str] = []
        if not address_tile(a.id):  # the real city's streets: the one the point stands on
            node, _ = self.network.snap("walking", lat, lng)
            g = self.network.modes["walking"]
            touching = np.flatnonzero((g.tail == node) | (g.head == node))
            names = [self.network.names[int(g.name[e])] for e in touching if self.network.names[int(g.name[e])]]
        pis = [i for _, i in self._place_grid.nearest(*xy, k=3)]
        now = self.now()
        return ReverseGeocodeResult(
            location=point,
            address=NearestAddress(street=a.street, housenumber=a.housenumber, postcode=a.postcode, city=a.city,
                                   one_line=self.one_line(a.street, a.housenumber, a.postcode, a.city),
                                   location=apoint, distance_m=round(dist)),
            street=names[0] if names else a.street,
            nearby_places=[self.summary(self.places[i], point, now) for i in pis],
        )  # fmt: skip

    # ----- endpoints and routes -----------------------------------------------------------------
    def resolve(
        self, text: str, role: str, user_id: str = "", near: GeoPoint | None = None, notes: list[str] | None = None
    ) -> Endpoint:
        """The point ``text`` names. Text is geocoded and must be *confident*: an ambiguous name is refused with its
        candidates (and how to pick one by id), never routed from a guess. ``near`` ranks a chain's branches (the
        other end of a route); a note saying which branch was taken goes to ``notes``."""
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
        if raw.startswith("dst_"):
            district = self.geocoder.by_id.get(raw)
            if district is None:
                raise NotFoundError(
                    f"No district has id {clip(raw)!r}.", "Use a dst_… id from nav_geocode.", field=role
                )
            return Endpoint(input=raw, name=district.name, location=district.point, snap_m=0)
        if raw.startswith("stp_"):
            i = self.transit.stop_index.get(raw)
            if i is None:
                raise NotFoundError(f"No stop has id {clip(raw)!r}.", "Use a stp_… id from nav_geocode.", field=role)
            s = self.transit.stops[i]
            return Endpoint(input=raw, name=s["name"], location=GeoPoint(lat=s["lat"], lng=s["lng"]), snap_m=0)
        found, verdict = self._geocode(raw, 5, near, role, user_id)
        if found.status == "not_found":
            # An error has no candidates field: the spellings the geocode result lists are named here, with ids.
            message = found.message.removeprefix("Not found: ")
            if found.candidates:
                message = message.replace(SPELLINGS, f" The closest spellings: {_options(found.candidates)}.")
            raise NotFoundError(
                f"{role} {clip(raw)!r}: {message}",
                "Pass a place id (plc_…) from nav_geocode or nav_search_places (one of the closest spellings if it "
                "is the place meant), a street address, or 'lat,lng'.",
                field=role,
            )
        if found.status == "ambiguous" and role == "near" and self._one_spot(found.candidates):
            first = found.candidates[0]  # 'near the railway station': the station or its square, one search area
            if notes is not None:
                notes.append(f"Searched around {first.name}, the first of the places {clip(raw)!r} names there.")
            return Endpoint(input=raw, name=first.name, location=first.location, snap_m=0)
        if found.status == "ambiguous":
            options = _options(found.candidates)
            first = found.candidates[0]
            example = first.id or f"{first.location.lat:.5f},{first.location.lng:.5f}"
            undone = UNDONE.get(role, "no route was planned")
            raise InvalidInputError(
                f"{role} {clip(raw)!r} is ambiguous ({_why(verdict)}), so {undone}. Candidates: {options}.",
                f"Ask the user which address is meant (the house number may be wrong), then pass its id as {role} "
                f"(e.g. {role}={example!r})."
                if verdict is not None and verdict.reason == "number"
                else f"Pass the id of the one meant as {role} (e.g. {role}={example!r}), or make the text specific.",
                field=role,
            )
        top = found.candidates[0]
        if notes is not None and verdict is not None and verdict.reason == "chain":
            notes.append(f"{role} {clip(raw)!r}: took the one nearest the other end ({top.address or top.name}, "
                         f"{top.distance_m} m away) of the {verdict.branches} places with that name.")  # fmt: skip
        if notes is not None and verdict is not None and verdict.reason == "nearest":
            notes.append(f"{role} {clip(raw)!r}: took the nearest to the {'other end' if near else 'city centre'}: "
                         f"{top.name} ({top.address or top.category}, {top.distance_m} m away).")  # fmt: skip
        name = top.name.split(" (")[0] if top.kind == "stop" else top.name
        return Endpoint(input=raw, name=name, location=top.location, snap_m=0)

    def _depart(self, said: str, field: str = "depart_at", notes: list[str] | None = None) -> datetime:
        """A departure (or arrival) time within a year of now, in Helsinki time, read from what the caller sent:
        ISO 8601 (Helsinki time when it has no offset) or as people say one (``shared.dates.read_moment``:
        'tomorrow 08:30', '明天早上8点', on the sandbox's clock, which an agent does not know the day of); '' and
        'now' in any wording (``shared.dates.means_now``) are now."""
        now = self.now().replace(microsecond=0)
        text = said.strip()
        if not text or means_now(text):
            return now
        try:
            day: date | None = date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:  # read as midnight, it routed at 00:00 with night traffic and timetables
            raise InvalidInputError(
                f"{field} {shown(said)} is a date without a time of day; traffic and timetables depend on the hour.",
                f"Add the time, e.g. '{day.isoformat()}T08:30' (Helsinki time), or pass '' for now.",
                field=field,
            )
        # a time of day alone that has passed today is tomorrow's ('arrive by 9am' said at noon): a trip is planned
        # ahead; it was today's, a trip 'as it would have gone' hours ago
        depart_at = read_moment(text, now, next_day_within=timedelta(days=1))
        if depart_at is not None and notes is not None and depart_at != read_moment(text, now, twelve_hour=False):
            notes.append(
                f"Read {field} {shown(said)} as {depart_at:%H:%M} today: {depart_at - timedelta(hours=12):%H:%M} "
                "has passed."
                if depart_at.date() == now.astimezone(CITY_TZ).date()
                else f"Read {field} {shown(said)} as tomorrow, {depart_at:%a %d %b %H:%M}: today's has passed."
            )
        if depart_at is None:
            raise InvalidInputError(
                f"{field} {shown(said)} is not a date-time.",
                "Use ISO 8601 such as '2026-11-25T08:30' (Helsinki time), a day and a time ('tomorrow 08:30', "
                "'明天早上8点'), or '' for now.",
                field=field,
            )
        if abs(depart_at.date() - now.date()) > MAX_DEPART_AHEAD:
            raise InvalidInputError(
                f"{field} {depart_at:%Y-%m-%d} is more than a year from today ({now:%Y-%m-%d}).",
                f"Plan within a year of now, or leave {field} empty for now.",
                field=field,
            )
        return depart_at.astimezone(CITY_TZ)

    def _with_snap(self, end: Endpoint, mode: str) -> Endpoint:
        _, gap = self.router.nearest("walking" if mode == "transit" else mode, end.location.lat, end.location.lng)
        return end.model_copy(update={"snap_m": round(gap)})

    def route(self, req: RouteRequest, user_id: str = "") -> RouteResult:
        """Routes between two ends, leaving at ``depart_at`` (now) or as late as arrives by ``arrive_by``. Transit
        always rides a tram or metro when any journey can, and says so when walking would be faster."""
        mode = require_mode(req.mode)
        if req.depart_at.strip() and req.arrive_by.strip():
            raise InvalidInputError(
                "depart_at and arrive_by were both given; a route either leaves at a time or arrives by one.",
                "Keep depart_at to leave at that time, or arrive_by to plan the latest departure that arrives in time.",
                field="arrive_by",
            )
        for field, said in (("origin", req.origin), ("destination", req.destination)):
            _refuse_a_stop_between(field, said, req.origin, req.destination)
        notes: list[str] = []
        origin = self.resolve(req.origin, "origin", user_id)
        destination = self.resolve(req.destination, "destination", user_id, near=origin.location, notes=notes)
        if haversine_m(origin.location, destination.location) < SAME_POINT_M:
            raise InvalidInputError(
                f"origin {shown(req.origin)} and destination {shown(req.destination)} are the same place "
                f"({origin.name}): there is no trip to plan.",
                "Ask the user where they want to go and pass that as destination; to look around this place, use "
                "nav_search_places with its lat/lng.",
                field="destination",
            )
        arrive_by = self._depart(req.arrive_by, "arrive_by", notes) if req.arrive_by.strip() else None
        depart = self._depart(req.depart_at, notes=notes)
        if req.depart_at.strip() and depart < (now := self.now()) - timedelta(minutes=1):
            local_now = now.astimezone(CITY_TZ)
            notes.append(f"That departure ({depart:%Y-%m-%d %H:%M}) is already past (now {local_now:%Y-%m-%d %H:%M}): "
                         "this is the trip as it would have gone then.")  # fmt: skip
        routes: list[Route]
        if mode == "transit" and not self.router.in_real_city([origin.location, destination.location]):
            routes = self._road_routes("walking", origin.location, destination.location, depart, arrive_by, False)
            notes.append(self._no_transit_note(origin.location, destination.location, routes[0], depart))
            if arrive_by is not None:
                notes.append(self._arrive_note(routes[0], arrive_by, depart))
        elif mode == "transit":
            plan = self.transit.journeys(origin.location, destination.location, arrive_by or depart,
                                         arrive_by=arrive_by is not None,
                                         alternatives=MAX_TRANSIT_ALTERNATIVES if req.alternatives else 0)  # fmt: skip
            routes = plan.routes
            notes += self._transit_notes(plan, depart, arrive_by, req.alternatives)
        else:
            routes = self._road_routes(mode, origin.location, destination.location, depart, arrive_by,
                                       req.alternatives)  # fmt: skip
            if arrive_by is not None:
                notes.append(self._arrive_note(routes[0], arrive_by, depart))
            if req.alternatives and len(routes) == 1:
                notes.append("No reasonable alternative route exists between these points.")
        if haversine_m(origin.location, destination.location) < 30:
            notes.append("Origin and destination are within 30 m of each other.")
        return RouteResult(origin=self._with_snap(origin, mode), destination=self._with_snap(destination, mode),
                           routes=routes, notes=notes)  # fmt: skip

    def _no_transit_note(self, a: GeoPoint, b: GeoPoint, walk: Route, depart: datetime) -> str:
        """Trams and the metro run in the real city only: a route to or from a grown district walks, and the note
        says so and what driving and cycling would take instead."""
        other = next(p for p in (a, b) if not self.router.in_real_city([p]))
        faster = []
        for mode in ("driving", "cycling"):
            try:
                faster.append(f"{mode} {duration_text(self.router.route(mode, a, b, depart)[0].duration_s)}")
            except NotFoundError:
                continue
        options = f" Instead: {', '.join(faster)} (mode 'driving' / 'cycling')." if faster else ""
        return (
            f"No tram or metro timetable covers {self.router.district(other)}: trams and the metro on this map run in "
            f"central {CITY_NAME} (Kluuvi) only, so this is the walking route ({duration_text(walk.duration_s)})."
            + options
        )

    def _road_routes(
        self, mode: str, a: GeoPoint, b: GeoPoint, depart: datetime, arrive_by: datetime | None, alternatives: bool
    ) -> list[Route]:
        """Driving, walking or cycling; arriving by a time leaves at the deadline minus the trip's duration at that
        departure (driving times change with traffic, so the departure is refined until it arrives in time)."""
        if arrive_by is None:
            return self.router.route(mode, a, b, depart, alternatives=alternatives)
        leave = arrive_by
        for _ in range(4):
            seconds = self.router.route(mode, a, b, leave)[0].duration_s
            if leave + timedelta(seconds=seconds) <= arrive_by and leave != arrive_by:
                break
            leave = arrive_by - timedelta(seconds=seconds)
        routes = self.router.route(mode, a, b, leave, alternatives=alternatives)
        if routes[0].arrive_at > arrive_by:  # traffic changed across the refinement: leave that much earlier
            routes = self.router.route(mode, a, b, leave - (routes[0].arrive_at - arrive_by), alternatives=alternatives)
        return (
            [routes[0]]
            + [  # each alternative leaves early enough to make it as well
                r.model_copy(update={"depart_at": arrive_by - timedelta(seconds=r.duration_s), "arrive_at": arrive_by})
                for r in routes[1:]
            ]
        )

    def _arrive_note(self, route: Route, arrive_by: datetime, now: datetime) -> str:
        note = (f"Leave by {route.depart_at:%H:%M} to arrive by {arrive_by:%H:%M} "
                f"(arrives {route.arrive_at:%H:%M}).")  # fmt: skip
        if route.depart_at < now:
            note += f" That departure is already past (now {now:%H:%M})."
        return note

    def _transit_notes(
        self, plan: TransitPlan, depart: datetime, arrive_by: datetime | None, alternatives: bool
    ) -> list[str]:
        best = plan.routes[0]
        notes: list[str] = []
        if not plan.rides:
            notes.append(
                "No tram or metro journey is possible here at this time (no stop within a 15-minute walk of both ends, "
                f"or none leaves within the hour), so the route walks: {duration_text(best.duration_s)}."
            )
        elif (saved := round(best.duration_s / 60) - round(plan.walk_s / 60)) >= 1:
            walk_min, ride_min = round(plan.walk_s / 60), round(best.duration_s / 60)
            notes.append(
                f"Walking is faster: {walk_min} min on foot against {ride_min} min by "
                f"{' → '.join(best.via)} ({saved} min less); mode 'walking' gives the walking route."
            )
        if arrive_by is not None:
            notes.append(self._arrive_note(best, arrive_by, depart))
        elif plan.rides and best.depart_at >= depart + timedelta(minutes=1):
            ride = next(leg for leg in best.legs if leg.kind != "walk")
            notes.append(f"Leave at {best.depart_at:%H:%M} to catch {ride.kind} {ride.line} at "
                         f"{ride.depart_at:%H:%M} from {ride.from_name}.")  # fmt: skip
        if alternatives and plan.rides and len(plan.routes) == 1:
            notes.append("No other tram or metro journey arrives within 30 minutes of this one.")
        return notes

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
                    if haversine_m(o.location, d.location) < SAME_POINT_M:  # already there: no tram ride to it
                        cells.append(MatrixCell(origin=i, destination=j, reachable=True, distance_m=0, duration_s=0))
                        continue
                    if not self.router.in_real_city([o.location, d.location]):  # no timetable there: on foot
                        ((walk,),) = self.router.matrix_costs("walking", [o.location], [d.location], depart)
                        cells.append(MatrixCell(origin=i, destination=j, reachable=walk is not None,
                                                duration_s=round(walk[0]) if walk else 0,
                                                distance_m=round(walk[1]) if walk else 0))  # fmt: skip
                        continue
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
                    if haversine_m(origins[i].location, dests[j].location) < SAME_POINT_M:
                        cell = (0.0, 0.0)  # already there: the snaps to the network at both ends are no trip
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
                                             depart_at=req.depart_at, arrive_by=req.arrive_by), user_id)  # fmt: skip
            best = result.routes[0]
            lines.append((decode_polyline(best.polyline), (200, 40, 120) if req.mode == "transit" else (30, 110, 230)))
            route_text = best.summary
            for label, end, colour in (("A", result.origin, (40, 160, 70)), ("B", result.destination, (210, 50, 50))):
                markers.append((label, (end.location.lat, end.location.lng), colour))
                shown.append(MapMarker(label=label, name=end.name, location=end.location))
        for n, place_id in enumerate(req.place_ids, start=1):
            place = self.place(place_id, field=f"place_ids[{n - 1}]")
            markers.append((str(n), (place.row.lat, place.row.lng), (90, 70, 200)))
            shown.append(MapMarker(label=str(n), name=place.data["name"], location=place.point))
        png, sw, ne = draw_png(self.network, lines, markers, req.size, self.router.shifts())
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
        """'' → None (today); a day word ('tomorrow', 'huomenna', '明天') or a weekday ('Saturday', 'lauantai', '周六':
        the next one, today included) on the simulated clock; or YYYY-MM-DD."""
        today = self.now().date()
        try:
            return read_day(text, today, DAY_WORDS | weekday_words(today))
        except ValueError as exc:
            raise InvalidInputError(
                f"date {clip(text)!r} is not a date.",
                "Use YYYY-MM-DD (e.g. 2026-11-26), 'today', 'tomorrow' or a weekday such as 'Saturday'.",
                field="date",
            ) from exc

    def _day_span(self, said: str, today: date) -> tuple[date, date]:
        """The first and last day ``said`` names: a phrase's days, else the day it is."""
        rest, _ = split_part_of_day(said)
        phrase = day_phrase(rest)
        if phrase is not None:
            return phrase[0](today)
        one = self.parse_day(rest) or today
        return one, one

    def weather(self, day: str | date | None, days: int) -> WeatherResult:
        """The forecast from ``day`` for ``days`` days; a phrase of several days ('this weekend', '周末', 'next week')
        covers them unless ``days`` says more, and a day's evening ('tomorrow night') is that day: they were refused
        as 'not a date', though tickets and movies read them. So were two days joined ('周五到周日'), the next few
        days ('未来三天', 'next 3 days') and an ISO date-time."""
        today = self.now().date()
        end = today + timedelta(days=MAX_FORECAST_DAYS - 1)
        if isinstance(day, str):  # '明天会下雨吗', 'will it rain on Saturday': the user's question, passed as the day
            day = " ".join(WEATHER_ASKED.sub(" ", day).split()) or ("" if WEATHER_ASKED.search(day) else day)
        if isinstance(day, str) and (moment := split_moment(day)) is not None:  # '2026-11-27T19:00:00+02:00'
            day = moment[0]
        if isinstance(day, str) and (both := day_range(day, today)) is not None:  # '周五到周日': from one to the other
            (first_day, _), (_, last_day) = (self._day_span(said, today) for said in both)
            day, days = first_day, max(days, (last_day - first_day).days + 1)
        if isinstance(day, str) and (clocked := split_clock(day)) is not None:  # '明天下午3点': the day's forecast
            day = clocked[0]
        if isinstance(day, str):  # 'saturday afternoon' is the day: its forecast has the parts of the day anyway
            rest, hours = split_part_of_day(day)
            if hours is not None:
                day = rest
        phrase = day_phrase(day) if isinstance(day, str) else None
        note = ""
        if phrase is not None:
            first_day, last_day = phrase[0](today)
            said, day, days = day, first_day, max(days, (last_day - first_day).days + 1)
            if first_day <= end < last_day and days == (last_day - first_day).days + 1:
                # a month ('next month', 'joulukuussa') reaches past the forecast: its days that have one, and a note
                days = (end - first_day).days + 1
                note = (
                    f"{said!r} runs to {last_day.isoformat()}, but forecasts reach only {end.isoformat()}: these are "
                    "its days so far; ask again nearer the time for the rest."
                )
        elif isinstance(day, str):
            day = self.parse_day(day)
        first = day or today
        last = first + timedelta(days=days - 1)
        cover = f"forecasts cover today ({today.isoformat()}) to {end.isoformat()}"
        if first < today or first > end:
            raise InvalidInputError(
                f"No forecast for {first.isoformat()}–{last.isoformat()}: {cover}.",
                "Pass a date in that range (YYYY-MM-DD), or leave date empty for today.",
                field="date",
            )
        if last > end:  # the first day has a forecast: it is ``days`` that reaches past the last one
            room = (end - first).days + 1
            latest = end - timedelta(days=days - 1)
            raise InvalidInputError(
                f"No forecast for {days} days from {first.isoformat()} (to {last.isoformat()}): {cover}, so at most "
                f"{room} day{'s' if room != 1 else ''} from {first.isoformat()}.",
                f"Pass days={room} or fewer"
                + (f", or a date no later than {latest.isoformat()} for {days} days." if latest >= today else "."),
                field="days",
            )
        return WeatherResult(
            city=CITY_NAME,
            days=[forecast(first + timedelta(days=i)) for i in range(days)],
            source="Simulated forecast: deterministic per date from Helsinki climate normals.",
            note=note,
        )


WEATHER_ASKED = re.compile(
    r"(?<![a-z])(?:(?:will|is|does) it (?:be )?(?:going to )?(?:rain|snow|be (?:cold|warm|windy|sunny|nice))"
    r"|what(?:'s| is) the weather(?: like)?|(?:the )?weather(?: forecast)?(?: for| on)?|forecast(?: for| on)?"
    r"|how (?:cold|warm) (?:is it|will it be)|what (?:should i |to )wear|(?:do i |will i )?need an? "
    r"(?:umbrella|jacket|coat)|should i (?:bring|take) an? (?:umbrella|jacket|coat))"
    r"(?![a-z])\s*(?:on|for|in)?(?![a-z])\??"
    r"|(?:会|要)?(?:下雨|下雪|刮风|降温|出太阳|晴天?)(?:吗|么)?|(?:冷|热)不(?:冷|热)|天气(?:怎么样|如何|预报)?(?:吗|呢)?"
    r"|(?:需要|要|用)?(?:带|拿)(?:雨)?伞(?:吗|么)?|(?:要|该|应该)?穿(?:什么|多少|几件)(?:衣服)?(?:吗|呢)?"
    r"|(?:的)?(?:哪一?天|什么时候)(?:最|比较)?(?:冷|热|暖和?|好|晴|干|适合[\u4e00-\u9fff]{0,4})(?:的)?"
    r"|(?:最|比较)(?:冷|热|暖和?|好|适合[\u4e00-\u9fff]{0,4})的?(?:是|会是)?(?:哪一?天|什么时候)"
    r"|(?:适合|能)(?:出门|出去玩|户外活动|散步|骑车)(?:吗|么)?"
    r"|(?<![a-z])(?:which day (?:is|will be) (?:the )?(?:coldest|warmest|best|nicest|driest|sunniest)"
    r"|(?:the )?(?:coldest|warmest|nicest|sunniest) day)(?![a-z])"
    rf"|{any_of_words(NOW_WORDS, word='[a-z]')}|[?？]",
    re.IGNORECASE,
)
"""A weather question said around the day ('明天会下雨吗', 'will it rain on Saturday', "what's the weather like
tomorrow", '下周一要带伞吗', 'what to wear tomorrow', '这周哪天最冷', '周末哪天适合出门', 'now', '现在'), as models pass
the user's words as the date: it was 'not a date'. The day is read from what is left,
and the forecast answers the question (its condition and precipitation chance)."""


VIA = re.compile(
    r"^(?P<a>.+?)\s+(?:via|through|by way of|stopping at)\s+(?P<b>.+)$|^(?:途经|经过|经)(?P<zb>.+?)(?:到|去)(?P<za>.+)$"
    r"|^(?P<za2>.+?)[，,]?\s*(?:途经|经过)(?P<zb2>.+)$",
    re.IGNORECASE,
)
"""A stop on the way said in a route's end ('Oodi via Stockmann', '经过Stockmann到Oodi'): 'Nothing in Helsinki
matches' sent the model to spell it better; a route has two ends, so the trip is two routes."""


def _refuse_a_stop_between(field: str, said: str, origin: str, destination: str) -> None:
    """Refuse an end that says a stop on the way, naming the two routes that make the trip."""
    m = VIA.match(" ".join(said.split()))
    if m is None:
        return
    end = (m["a"] or m["za"] or m["za2"]).strip()
    stop = (m["b"] or m["zb"] or m["zb2"]).strip()
    first, last = (end, destination) if field == "origin" else (origin, end)
    raise InvalidInputError(
        f"{field} {shown(said)} says a stop on the way ({shown(stop)}); a route goes from one place to another.",
        f"Plan the trip as two routes: origin {shown(first)} to destination {shown(stop)}, then origin {shown(stop)} "
        f"to destination {shown(last)}; or ask the user which place they meant.",
        field=field,
    )


def _options(candidates: list[GeocodeCandidate]) -> str:
    """Candidates in an error, each with what to pass to mean it: its id, or a street's 'lat,lng'."""
    return "; ".join(
        f"{c.name} = {c.id or f'{c.location.lat:.5f},{c.location.lng:.5f}'} ({c.category or c.kind}"
        f"{', ' + c.address if c.address and c.kind != 'stop' else ''})"
        for c in candidates
    )


def _why(verdict: Verdict | None) -> str:
    """Why a name is ambiguous, in a few words."""
    if verdict is None:
        return "unclear"
    if verdict.reason == "chain":
        return f"{verdict.branches} places have that name"
    if verdict.reason == "category":
        return "it names a kind of place, not one place"
    if verdict.reason == "tie":
        return "several places match it about equally well"
    if verdict.reason == "number":
        return verdict.note
    return "nothing matches it confidently"


def _numbers(rows: list[AddressRecord]) -> str:
    """Which house numbers a street has, in a few words: 'its numbers run 1–24'."""
    found = sorted({int(m.group()) for a in rows if (m := re.match(r"\d+", a.housenumber))})
    if len(found) == 1:
        return f"its only number is {found[0]}"
    return f"its numbers run {found[0]}–{found[-1]}" if found else "it has no numbered addresses"


def _number_gap(row: AddressRecord, want: int) -> int:
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
