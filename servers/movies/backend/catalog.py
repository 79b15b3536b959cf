"""The film and cinema catalog as the service reads it: typed, indexed and held in memory.

Films, cinemas and auditorium layouts change only when the fixtures are reloaded, so the service
keeps parsed copies; seats, holds, orders and money always go to the database. Showtimes are not
stored: they are a pure function of the day, generated here from the films' programme and the
auditoriums' formats. The programme (``release_day``/``run_days`` relative to the anchor Monday)
repeats every ``CYCLE_DAYS``, and the catalog generates days on demand up to ``HORIZON_DAYS`` past
the simulated today, so a database seeded months ago still has a programme and a frozen clock
always sees the same one.
"""

from __future__ import annotations

import bisect
import hashlib
import random
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict

from shared.geo import CITY_TZ
from shared.landmarks import cinema_short_names
from shared.schemas.common import GeoPoint
from shared.schemas.movies import GENRE_LABELS, genre_label
from shared.schemas.seating import LayoutRow, LayoutSeat, LayoutSection, SeatLayout
from shared.seating import CompiledLayout, compile_layout
from shared.text import fold

from . import pricing
from .index import ShowtimeColumns
from .room_words import ROWS_HINT

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "action": ("toiminta",),
    "adventure": ("seikkailu",),
    "animation": ("animated", "cartoon", "cartoons", "animaatio", "piirretty", "卡通"),
    "biography": ("biopic", "elämäkerta"),
    "comedy": ("funny", "hilarious", "komedia", "hauska", "搞笑"),
    "crime": ("rikos",),
    "documentary": ("dokumentti",),
    "drama": ("draama",),
    "family": (
        *("kids", "kid", "children", "child", "lasten", "lapsille", "perhe", "儿童", "孩子", "小孩", "亲子"),
        *("全家", "合家欢", "一家人"),
    ),
    "fantasy": ("fantasia",),
    "history": ("historical", "historia"),
    "horror": ("scary", "kauhu", "pelottava", "吓人"),
    "music": ("musiikki",),
    "musical": ("musikaali",),
    "mystery": ("mysteeri",),
    "romance": ("romantic", "romantiikka", "romanttinen", "date night", "情侣", "约会"),
    "sci_fi": ("science fiction", "scifi", "tieteisfiktio", "tieteis"),
    "sport": ("sports", "urheilu"),
    "thriller": ("jännitys", "trilleri"),
    "war": ("sota",),
    "western": ("lännenelokuva", "lannenelokuva"),
}
"""More names of each genre than its English and Chinese label: what people in Helsinki also say, in English and
Finnish ('kauhu' = horror); ``movies_search_movies`` reads them as query words and as its genre."""

CHINESE_SPOKEN = frozenset({"Mandarin", "Cantonese", "Chinese"})
MARTIAL_ARTS = ("wuxia", "kung fu", "martial arts", "武侠", "武侠片", "功夫", "功夫片", "动作武打")
"""What the action films spoken in Chinese are also called ('武侠片', 'kung fu movies'): no genre of the catalog's,
so '武侠片' found nothing while Hero and Crouching Tiger, Hidden Dragon play."""

COUNTRY_ZH: dict[str, tuple[str, ...]] = {
    "United States": ("美国", "好莱坞"),
    "United Kingdom": ("英国",),
    "People's Republic of China": ("中国", "国产", "内地"),
    "Hong Kong": ("香港", "港片"),
    "Taiwan": ("台湾",),
    "Japan": ("日本",),
    "South Korea": ("韩国",),
    "France": ("法国",),
    "Germany": ("德国",),
    "Italy": ("意大利",),
    "Spain": ("西班牙",),
    "India": ("印度",),
    "Canada": ("加拿大",),
    "Australia": ("澳大利亚", "澳洲"),
    "New Zealand": ("新西兰",),
    "Sweden": ("瑞典",),
    "Denmark": ("丹麦",),
    "Mexico": ("墨西哥",),
    "Thailand": ("泰国",),
}
"""The Chinese names of the countries films are made in: '日本动画', '韩国电影', '国产片', '港片' found nothing, as
``country`` is in English. A film is found by each country of its production."""
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "English": ("英文",),
    "Japanese": ("日文",),
    "Korean": ("韩文",),
    "French": ("法文",),
    "German": ("德文",),
    "Spanish": ("西班牙文",),
}
"""What people also call a language than its label's name (English / 英语): '英文电影', '英文原声'."""

ARTICLES = {"the", "a", "an"}


def title_words(text: str) -> tuple[str, ...]:
    """The words of a title or query without punctuation, case, accents or a leading article: a query that is a
    film's title, said as people say it ('dark knight', 'Up'), has the words of that title."""
    words = tuple(re.findall(r"\w+", fold(text)))
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


CYCLE_DAYS = 28  # the programme repeats every four weeks after the anchor
HORIZON_DAYS = 28  # showtimes are generated (and on sale) this many days ahead of the simulated today


def _hash(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="ignore")


class FilmRec(_Fixture):
    id: str
    wikidata: str
    title: str
    title_zh: str = ""
    """The official Chinese title of a well-known film (fixtures/build_movies.py's ``TITLES_ZH``), '' for none."""
    aliases: list[str] = []
    """Names the film is searched by that its title lacks: 'Batman' for The Dark Knight (``ALIASES`` there)."""
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
    screen: str = ""
    """'family': on the family screens only (fixtures/build_movies.py's ``family_programme``); '' for any screen."""
    language_zh: str = ""  # from films.json's vocabulary, set when the fixtures are read

    @property
    def display_title(self) -> str:
        """The title as results show it: English / 中文 when it has a Chinese title, as names and languages are."""
        return f"{self.title} / {self.title_zh}" if self.title_zh else self.title

    @property
    def genre_labels(self) -> list[str]:
        return [genre_label(g) for g in self.genres]

    @property
    def directors(self) -> list[str]:
        """Each director by name: the source writes co-directors in one string ('Joel Coen, Ethan Coen')."""
        return [p.strip() for p in self.director.split(",")]

    @property
    def language_label(self) -> str:
        return f"{self.language} / {self.language_zh}" if self.language_zh else self.language

    def runs(self, upto: int) -> list[tuple[int, int]]:
        """Its runs as [first day, day after the last) offsets from the anchor, one per programme cycle
        (cycle 0 is the programme as written), for every cycle starting on or before day ``upto``."""
        if self.release_day is None or self.run_days <= 0:
            return []
        out = []
        k = 0
        while self.release_day + CYCLE_DAYS * k <= upto:
            start = self.release_day + CYCLE_DAYS * k
            out.append((start, start + self.run_days))
            k += 1
        return out

    def shows_on(self, day: int) -> bool:
        return any(start <= day < end for start, end in self.runs(day))

    def run_around(self, day: int, published: int) -> tuple[int, int] | None:
        """The unbroken stretch of runs showing on ``day``, else of the next run to open, as (first day, day after
        the last); None when it is not programmed. Runs that touch or overlap the stretch merge into it both
        ways; going forwards only runs that open before day ``published`` (the end of the published showtimes)
        count, since a run of a cycle or longer touches the next cycle's for ever."""
        runs = self.runs(max(day + CYCLE_DAYS, published - 1))
        covering = [r for r in runs if r[0] <= day < r[1]]
        if covering:
            start, end = min(r[0] for r in covering), max(r[1] for r in covering)
        else:
            ahead = [r for r in runs if r[0] > day]
            if not ahead:
                return None
            start, end = ahead[0]
        for prev_start, prev_end in reversed(runs):  # runs that touch the stretch extend it backwards
            if prev_start < start <= prev_end:
                start = prev_start
        for next_start, next_end in runs:  # ... and forwards, as far as the showtimes are published
            if start <= next_start <= end and next_start < published:
                end = max(end, next_end)
        return start, end


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
    layout_of: str = ""
    """A grown screen's real model (``growth.py``): same rows, so same-named copies share one compiled layout."""
    family: bool = False
    """Runs the family programme (films with ``screen`` 'family') from the morning into the early evening."""

    @property
    def display_name(self) -> str:
        return f"{self.name} / {self.name_zh}" if self.name_zh else self.name

    @property
    def code(self) -> str:
        """The screen's section code, the first part of its seat ids: 'Sali 1' -> 'SALI1'."""
        return "".join(ch for ch in fold(self.name).upper() if ch.isascii() and ch.isalnum()) or "SCREEN"

    def layout(self) -> SeatLayout:
        """Rows of seats, centred on the screen axis, aisles as gaps; seat ids <SCREEN>-ROW<row>-SEAT<number>
        ('SALI1-ROWH-SEAT15'), read from the older H-<row>-<number> too."""
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
        section = LayoutSection(
            code=self.code, legacy_code="H", name=self.name, centre_row=self.rows[ideal].label, rows=rows
        )
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
    grown: bool = False
    """In a grown district (``growth.py``), whose streets repeat the real city's names."""

    @property
    def location(self) -> GeoPoint:
        return GeoPoint(lat=self.lat, lng=self.lng)

    @property
    def display_name(self) -> str:
        names = [self.name] + [n for n in (self.name_en, self.name_zh) if n and n != self.name]
        return " / ".join(dict.fromkeys(names))

    @property
    def names(self) -> list[str]:
        """Every name a user may call it by, folded: local, English and Chinese as every result shows them, also
        without a bracketed part ('Summer Cinema Engel (open air)' is 'Summer Cinema Engel'), and the place a Chinese
        name's bracket names ('雷克斯影院（玻璃宫）' is also '玻璃宫', the building), and its Chinese name said short or
        with another word for cinema ('基诺宫', '基诺宫电影院': ``cinema_short_names``)."""
        full = [self.name, self.name_en, self.name_zh]
        bare = [re.sub(r"[（(][^）)]*[）)]", "", n) for n in full]
        inside = re.findall(r"（([^）]+)）", self.name_zh)  # a Chinese name's bracket names a place; '(open air)' not
        short = cinema_short_names(self.name_zh)
        return list(dict.fromkeys(fold(n.strip()) for n in (*full, *bare, *inside, *short) if n.strip()))

    @property
    def address(self) -> str:
        street = f"{self.street} {self.housenumber}".strip()
        if self.grown:  # the district tells 'Mannerheimintie 3, Kallio' from the real Mannerheimintie 3
            return ", ".join(p for p in (street, self.area, "Helsinki") if p)
        return ", ".join(p for p in (street, f"{self.postcode} Helsinki".strip()) if p)

    @property
    def area_label(self) -> str:
        return f"{self.area} / {self.area_zh}" if self.area_zh else self.area

    @property
    def step_free(self) -> bool:
        """Step-free access: OpenStreetMap says wheelchair=yes, or its screens have wheelchair spaces (which can be
        held as tier WHEELCHAIR); OpenStreetMap leaves the tag out of most cinemas, so a missing tag means unknown."""
        return self.wheelchair or any(r.accessible for a in self.auditoriums for r in a.rows)

    def open_in(self, month: int) -> bool:
        return not self.season_months or month in self.season_months


@dataclass(slots=True)
class ShowtimeRec:
    id: str
    film_id: str
    cinema_id: str
    auditorium_id: str
    starts_at: datetime  # UTC
    format: str


def generate_day(
    programmed: Sequence[FilmRec], cinemas: Sequence[CinemaRec], anchor: datetime, day: int
) -> list[ShowtimeRec]:
    """One day's screenings (``day`` counted from the anchor Monday): each screen runs the films showing
    that day back to back from late morning to the late show (till 22:30, on Friday and Saturday nights 23:30),
    picked by a hash of (screen, day, slot); IMAX and 3D
    screens use those formats when the film has them; a family screen runs the family programme (films with
    ``screen`` 'family', which play nowhere else) in children's hours. Ids hash the same (screen, day, slot), so a day
    generated again, after a restart or in another process, has the very same showtimes."""
    out: list[ShowtimeRec] = []
    on = anchor.date() + timedelta(days=day)
    on_today = [f for f in programmed if f.shows_on(day)]
    showing = [f for f in on_today if not f.screen]
    family = [f for f in on_today if f.screen == "family"] or showing
    if not showing:
        return out
    for cinema in cinemas:
        if not cinema.open_in(on.month):
            continue
        for aud in cinema.auditoriums:
            weekend = on.weekday() >= 5
            start = time(10, 30) if weekend else time(12, 0) if aud.plan in ("small", "tiny") else time(11, 0)
            if aud.plan == "open_air":
                start = time(21, 0)
            # the last show starts late, later on Friday and Saturday nights (午夜场, 'late show'), as Finnkino's do
            last_start = time(23, 30) if on.weekday() in (4, 5) else time(22, 30)
            if aud.plan == "open_air":
                last_start = time(21, 30)
            if aud.family:  # children's hours: mornings at weekends, after school on weekdays, none late
                start, last_start = (time(10, 0) if weekend else time(14, 0)), time(18, 30)
            at = datetime.combine(on, start, tzinfo=CITY_TZ)
            last = datetime.combine(on, last_start, tzinfo=CITY_TZ)
            slot = 0
            while at <= last:
                h = _hash(aud.id, day, slot)
                pool = family if aud.family else showing
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
    out.sort(key=_order)
    return out


def _order(s: ShowtimeRec) -> tuple[datetime, str]:
    return s.starts_at, s.id


_search_text = lru_cache(maxsize=1024)(fold)
"""A film's folded search text, folded once per process: folding the films' words (Chinese names, accents) was a
third of building a catalog, and every movies app builds one (a test, an eval trial, a restarted server)."""

_COMPILED: dict[str, CompiledLayout] = {}
"""Compiled layouts by their screen's record, for the life of the process (``_compiled``)."""


def _compiled(aud: AuditoriumRec) -> CompiledLayout:
    """The screen's compiled layout, compiled once per process for the same screen record: a compiled layout is read
    only, and compiling the default city's screens was half of building a catalog (0.2 s of every movies provider app
    that a test, an eval trial or a restarted server builds). Bounded by the screens of the sandboxes a process opens
    (copies in a grown city share their model's layout in ``Catalog.build`` before they get here)."""
    said = aud.model_dump_json()
    if said not in _COMPILED:
        _COMPILED[said] = compile_layout(aud.id, aud.layout(), map_tool="movies_get_seat_map", rows_hint=ROWS_HINT)
    return _COMPILED[said]


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
    weighted = sorted(seats, key=lambda s: (s.rank + rng.random() * 4, s.legacy_id))  # the sample ids never changed
    chosen = set()
    for s in weighted[: int(len(seats) * share)]:
        chosen.add(s.seat_id)
        if s.partner:
            chosen.add(s.partner)
    return frozenset(chosen)


@dataclass
class Catalog:
    """Films, cinemas and layouts, plus the showtimes of every day generated so far (day 0, the anchor
    Monday, up to ``days``). Readers get immutable snapshots; ``cover`` extends them under a lock."""

    films: dict[str, FilmRec]
    cinemas: dict[str, CinemaRec]
    anchor: datetime
    language_zh: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    names_zh: Mapping[str, Sequence[str]] = field(default_factory=lambda: MappingProxyType({}))
    """Chinese names of people and aliases (``build``'s ``names_zh``): searched, and shown beside the names."""
    auditoriums: dict[str, AuditoriumRec] = field(default_factory=dict)
    layouts: dict[str, CompiledLayout] = field(default_factory=dict)
    search_text: dict[str, str] = field(default_factory=dict)
    search_words: dict[str, frozenset[str]] = field(default_factory=dict)  # the whole words of each search_text
    cjk_words: frozenset[str] = frozenset()  # every run of Chinese in the search texts, to cut a query's run by
    title_words: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)  # ``title_words`` of its titles
    showtimes: Mapping[str, ShowtimeRec] = field(default_factory=lambda: MappingProxyType({}))
    ordered: tuple[ShowtimeRec, ...] = ()
    by_film: Mapping[str, tuple[ShowtimeRec, ...]] = field(default_factory=lambda: MappingProxyType({}))
    by_cinema: Mapping[str, tuple[ShowtimeRec, ...]] = field(default_factory=lambda: MappingProxyType({}))
    days: int = 0  # days 0 .. days-1 are generated
    columns: ShowtimeColumns | None = None  # ``ordered`` as arrays, for find_showtimes (``index.py``)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _runs: dict[tuple[str, date, int], tuple[date, date] | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        films: list[FilmRec],
        cinemas: list[CinemaRec],
        anchor: datetime,
        language_zh: Mapping[str, str],
        names_zh: Mapping[str, Sequence[str]] | None = None,
    ) -> Catalog:
        """``names_zh``: Chinese names of people and aliases (films.json's ``vocab.names_zh``), searched beside the
        names themselves: '诺兰的电影' found nothing, as the source names people in English only."""
        cat = cls(
            films={f.id: f for f in films},
            cinemas={c.id: c for c in cinemas},
            anchor=anchor,
            language_zh=MappingProxyType(dict(language_zh)),
            names_zh=MappingProxyType(dict(names_zh or {})),
        )
        shared: dict[tuple[str, str], CompiledLayout] = {}  # (model screen, name): grown copies share a layout
        for cinema in cinemas:
            for aud in cinema.auditoriums:
                cat.auditoriums[aud.id] = aud
                key = (aud.layout_of or aud.id, aud.code)
                if key not in shared:
                    shared[key] = _compiled(aud)
                cat.layouts[aud.id] = shared[key]
        for f in films:
            words = [f.title, f.title_zh, *f.aliases, f.director, *f.cast, f.language, f.language_zh, f.country]
            words += [*LANGUAGE_WORDS.get(f.language, ())]
            words += [zh for country in f.country.split(", ") for zh in COUNTRY_ZH.get(country, ())]
            people = [*f.directors, *f.cast, *f.aliases]
            words += [zh for p in people for zh in cat.names_zh.get(p, ())]
            words.append(str(f.year))
            words += [w for g in f.genres for w in (g, *GENRE_LABELS[g], *GENRE_WORDS.get(g, ()))]
            if "action" in f.genres and f.language in CHINESE_SPOKEN:
                words += MARTIAL_ARTS
            cat.search_text[f.id] = _search_text(" ".join(words))
            cat.search_words[f.id] = frozenset(re.findall(r"\w+", cat.search_text[f.id]))
            cat.title_words[f.id] = {title_words(t) for t in (f.title, f.title_zh, f.display_title) if t}
        cat.cjk_words = frozenset(w for text in cat.search_text.values() for w in CJK_RUN.findall(text))
        return cat

    def person(self, name: str) -> str:
        """A person as shown: 'Christopher Nolan / 克里斯托弗·诺兰' where the Chinese name is known (titles show both
        too), else the name."""
        zh = self.names_zh.get(name)
        return f"{name} / {zh[0]}" if zh else name

    def offset(self, when: datetime) -> int:
        """Days from the anchor Monday to ``when``'s local date."""
        return (when.astimezone(CITY_TZ).date() - self.anchor.date()).days

    def cover(self, now: datetime) -> Catalog:
        """Make sure every day up to ``HORIZON_DAYS`` after ``now`` is generated; returns self.

        Days are only ever added, in order, so ids handed out earlier stay valid. Cheap when nothing
        is missing (the common case: one comparison)."""
        upto = self.offset(now) + HORIZON_DAYS
        if upto <= self.days:
            return self
        with self._lock:
            if upto <= self.days:
                return self
            programmed = [f for f in self.films.values() if f.release_day is not None]
            cinemas = list(self.cinemas.values())
            new = [s for day in range(self.days, upto) for s in generate_day(programmed, cinemas, self.anchor, day)]
            showtimes = dict(self.showtimes)
            showtimes.update((s.id, s) for s in new)
            by_film = {k: list(v) for k, v in self.by_film.items()}
            by_cinema = {k: list(v) for k, v in self.by_cinema.items()}
            for s in new:
                by_film.setdefault(s.film_id, []).append(s)
                by_cinema.setdefault(s.cinema_id, []).append(s)
            # publish whole snapshots: a reader in another thread sees the old or the new, never half
            self.showtimes = MappingProxyType(showtimes)
            self.ordered = self.ordered + tuple(new)
            self.by_film = MappingProxyType({k: tuple(v) for k, v in by_film.items()})
            self.by_cinema = MappingProxyType({k: tuple(v) for k, v in by_cinema.items()})
            self.columns = ShowtimeColumns.extend(self.columns, self, new)
            self.days = upto
        return self

    @staticmethod
    def after(pool: Sequence[ShowtimeRec], now: datetime) -> Sequence[ShowtimeRec]:
        """The showtimes of a start-ordered ``pool`` that start after ``now``."""
        return pool[bisect.bisect_right(pool, now, key=lambda s: s.starts_at) :]

    def day(self, offset: int) -> date:
        return self.anchor.date() + timedelta(days=offset)

    def run_dates(self, film: FilmRec, today: date) -> tuple[date, date] | None:
        """First and last day of the unbroken run showing ``today``, else of the next one (see ``FilmRec.run_around``);
        None if not programmed."""
        key = (film.id, today, self.days)  # the same while no day is added: a search asks for every film's run
        if key not in self._runs:
            if len(self._runs) > 100_000:
                self._runs.clear()
            offset = (today - self.anchor.date()).days
            run = film.run_around(offset, offset + HORIZON_DAYS)
            self._runs[key] = None if run is None else self._screened(film, self.day(run[0]), self.day(run[1] - 1))
        return self._runs[key]

    def _screened(self, film: FilmRec, first: date, last: date) -> tuple[date, date]:
        """The run's first and last day narrowed to the days the film is screened, where those days are generated:
        each slot's film is picked by a hash, which can leave a film no slot on the day its run opens or closes, and
        a user told 'opens Friday' books for Friday. Days before the anchor or past ``days`` stay as programmed."""
        shows = self.by_film.get(film.id, ())
        at = lambda day: datetime.combine(day, time(0, 0), tzinfo=CITY_TZ)  # noqa: E731
        lo = bisect.bisect_left(shows, at(first), key=lambda s: s.starts_at)
        hi = bisect.bisect_left(shows, at(last + timedelta(days=1)), key=lambda s: s.starts_at)
        if lo == hi:
            return first, last
        if first >= self.day(0):
            first = shows[lo].starts_at.astimezone(CITY_TZ).date()
        if last < self.day(self.days):
            last = shows[hi - 1].starts_at.astimezone(CITY_TZ).date()
        return first, last

    def tiers(self, auditorium_id: str) -> list[str]:
        present = self.layouts[auditorium_id].tier_totals
        return [t for t in pricing.TIER_ORDER if present.get(t)]
