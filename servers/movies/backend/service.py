"""Business rules of the movies provider: films, cinemas, showtimes and seat maps.

Every public method takes the acting user's id where it matters; anything it refuses is refused
with a ``LifestyleError`` before any row changes. Holds, purchases and refunds live in
``orders.py``; prices and the refund rule in ``pricing.py``; seats in the shared seating engine;
users and their saved addresses in the shared account (``shared.account``).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from sqlmodel import Session

from shared.account import Sandbox
from shared.clock import local
from shared.cursor import count_through, key_cursor, not_our_cursor, read_cursor
from shared.dates import (
    DAY_PHRASES,
    DAY_WORDS,
    DURATION_AMOUNT,
    DURATION_UNIT,
    EVENING,
    EVENING_WORDS,
    NOW_WORDS,
    WEEKDAY_WORDS,
    day_phrase,
    duration_minutes,
    read_day,
    split_clock,
    split_moment,
    split_part_of_day,
    time_field,
    weekday_words,
)
from shared.districts import DISTRICTS, district_in
from shared.errors import InvalidInputError, NotFoundError, shown
from shared.geo import CITY_TZ, haversine_m, require_in_city
from shared.landmarks import CINEMA_WORDS, Landmarks, said_here
from shared.phrases import TOP_RATED, tickets_wanted
from shared.schemas.common import GeoPoint, Money, PageInfo, asked_digest, check_id, from_the_map, page_slice
from shared.schemas.movies import (
    GENRE_LABELS,
    Auditorium,
    Cinema,
    CinemaPage,
    FilmDetail,
    FilmPage,
    FilmStatus,
    FilmSummary,
    FormatFilter,
    MovieSeatMap,
    ShowingFilter,
    Showtime,
    ShowtimePage,
    ShowtimeSort,
    ShowtimeStatus,
    TierPrice,
    genre_label,
)
from shared.seating import InventorySpec, SeatingEngine
from shared.text import cut_at_known, fold, has_cjk, house_number, take_match, take_out
from shared.when import day_range, split_clock_range, time_phrases, without

from . import pricing
from .catalog import CHINESE_SPOKEN, GENRE_WORDS, Catalog, CinemaRec, FilmRec, ShowtimeRec, presold, title_words
from .index import FORMATS, ShowtimeColumns
from .models import MoviesTable

CHINESE = set(CHINESE_SPOKEN)
LANGUAGE_ALIASES: dict[str, set[str]] = {
    "chinese": CHINESE,
    "中文": CHINESE,
    "华语": CHINESE,
    "汉语": CHINESE,
    "国语": {"Mandarin"},
    "普通话": {"Mandarin"},
    "粤语": {"Cantonese"},
    "广东话": {"Cantonese"},
    # a language's version of a film, as a Chinese user asks for one ('国语版' found nothing)
    "国语版": {"Mandarin"},
    "普通话版": {"Mandarin"},
    "粤语版": {"Cantonese"},
    "中文版": CHINESE,
    # Finnish names, as a Helsinki user types them
    "kiina": CHINESE,
    "mandariini": {"Mandarin"},
    "mandariinikiina": {"Mandarin"},
    "kantoni": {"Cantonese"},
    "kantoninkiina": {"Cantonese"},
    "englanti": {"English"},
    "japani": {"Japanese"},
    "saksa": {"German"},
    "ranska": {"French"},
    "espanja": {"Spanish"},
    "italia": {"Italian"},
    "ruotsi": {"Swedish"},
    "suomi": {"Finnish"},
}
EVENING_DAYS = {said: 0 for word in EVENING_WORDS for said in (word, fold(word))}
"""Today's evening, as typed or without accents: 'tonight' at noon is not the 14:00 matinee, so these read as today
from ``EVENING``."""


def next_weekday(text: str, today: date) -> tuple[date, date] | None:
    """'next Friday': the coming Friday (after today) and the one a week later, as people mean either (下周五 is clear:
    next week's)."""
    word = text.strip().lower()
    if not word.startswith("next "):
        return None
    for k, names in enumerate(WEEKDAY_WORDS):
        if word.removeprefix("next ").strip() in names:
            coming = today + timedelta(days=(k - today.weekday()) % 7 or 7)
            return coming, coming + timedelta(days=7)
    return None


SUBTITLES = "Every screening is subtitled in Finnish and Swedish (fi/sv)."
SUBTITLED = re.compile(r"\bsubtitle[sd]?\b|\bsubs\b", re.IGNORECASE)
"""Words asking for subtitles ('films with English subtitles', '有中文字幕的电影'): no film has them in its title or
people, so the search found nothing. Screenings here are subtitled in Finnish and Swedish only; the rest of the query
is searched (a language named is the one spoken) and the note says so."""
OSCAR_SAID = re.compile(
    r"(?<![a-z])(?:oscar[- ]winning|oscar[- ]winners?|(?:that )?won (?:an )?oscars?|academy award[- ]winning|oscars?)"
    r"(?![a-z])|(?:得过|拿过|获得?过?)?奥斯卡(?:奖)?(?:获奖|得奖)?的?",
    re.IGNORECASE,
)
"""Oscar winners asked for ('奥斯卡获奖影片', 'oscar winning movies', '得过奥斯卡的电影'): no film's text has the word,
so it found nothing, though the catalog counts each film's Academy Awards."""
SCORE_SAID = re.compile(
    r"(?:烂番茄|番茄|tomatometer|rotten tomatoes)\s*(?:评分|分数|score|of)?\s*(?:above|over|at least)?\s*"
    r"(?P<tomato>\d{2,3})\s*%?\s*(?:以上|及以上|\+|or (?:more|higher|above))?的?"
    r"|(?:豆瓣评分|评分|分数|rated|rating|score)\s*(?:above|over|at least|>=?)?\s*(?P<pct>\d{2,3})\s*%"
    r"\s*(?:以上|及以上|\+|or (?:more|higher|above))?的?"
    r"|(?:豆瓣评分|评分|分数|rated|rating|score)\s*(?:above|over|at least|>=?)?\s*(?P<ten>\d(?:\.\d)?)\s*分?"
    r"\s*(?:以上|及以上|\+|or (?:more|higher|above))?的?",
    re.IGNORECASE,
)
"""A least score said ('评分8分以上的电影', '烂番茄90%以上的', 'movies rated above 90%'): '8分以上' was read as a
running time of at least 8 minutes, and the rest as words no film has. A percentage is the Tomatometer, a number to 10
the critics' average rating."""
DUBBED = re.compile(r"\bdubbed versions?\b|\bdub(?:bed|s)?\b", re.IGNORECASE)
"""Words asking for a dub ('Mandarin dubbed', '国语配音'): no screening here is dubbed, so a film matched nothing;
the rest is searched (a language named is the one spoken) and the note says so."""
PLACE_INSTEAD = (
    "address: a street and number ('Kaivokatu 4') or a saved address by id or label ('Home'), with lat and lng 0"
)
"""What a place-taking movies tool accepts instead of a point outside the city (``require_in_city``)."""
CINEMA_KINDS = frozenset(
    {*CINEMA_WORDS, "cinema", "cinemas", "the cinema", "movie theater", "movie theaters", "movie theatre", "kino"}
)
"""What an address said as where the user is may add ('离我最近的电影院', 'cinemas near me'): what is looked for."""
STATUS_ORDER = {"now_showing": 0, "coming_soon": 1, "not_in_cinemas": 2}
FILM_WORDS = ("电影", "影片", "片", "elokuvat", "elokuva", "leffat", "leffa")
"""'Film' in Chinese and Finnish, which people join to a genre or language ('动作片' = action film, '日语电影' =
Japanese film, 'kauhuelokuva' = horror film): the rest of the word is what they look for."""
FILLER = {
    *("film", "films", "movie", "movies", *FILM_WORDS),
    *("a", "an", "the", "of", "some", "something", "anything", "for", "to", "with", "and", "or", "i", "we", "me"),
    *("us", "my"),
    *("want", "watch", "see", "show", "good", "nice", "great", "best", "new", "latest", "recent", "please"),
    *("what", "whats", "what's", "is", "are", "there", "now", "showing", "playing", "currently", "in", "cinemas"),
    *("jotain", "joku", "hyvä", "hyvää", "uusi", "uusin", "uusia"),
}
"""Words that say 'film' ('a horror movie') or only ask ('something funny for kids', 'a good new movie'): a query
needs them in no film's text unless they are all it has. Every other word must match, so 'something funny for kids'
was an empty page with no note."""
CJK_FILLER = re.compile(
    r"我想看|想看|看什么|有什么|有没有|^有|什么|推荐|适合|最新的?|最近的?|好看的?|找一部|一部|几部|正在上映的?|上映中的?|"
    r"热映的?|在映的?|原声的?|原版的?|大片|的|[吗呢吧]$"
)
"""The same in Chinese, cut out of a word ('最新的科幻片' is 科幻, sci-fi); the word as typed is tried first, as a
title may hold them (了不起的盖茨比, The Great Gatsby)."""
EXACT_TITLE = 10
"""Bonus of a query that is the film's whole title: more than any number of its words could score elsewhere."""
COMING_SOON = re.compile(
    r"(?<!\w)(?:coming soon|upcoming|opening soon|coming out|not out yet|tulossa|tulevat)(?!\w)"
    r"|即将上映的?|快要?上映的?|马上上映的?|还没上映的?|待映的?|要上映的?",
    re.IGNORECASE,
)
"""Words asking for films not out yet ('coming soon', '即将上映的电影'): no film has them, so the search found
nothing; they ask for ``showing='coming_soon'``, the soonest to open first."""
NEW_RELEASES = re.compile(
    r"(?<!\w)(?:new releases?|newly released|just released|just out|new in cinemas|new (?:films|movies)|latest "
    r"(?:films|movies|releases))(?!\w)|最近上映的?|最新上映的?|新上映的?|刚刚?上映的?|上映不久的?|新片",
    re.IGNORECASE,
)
"""Words asking for the films out lately ('new releases', '最近上映的动作片', '新片'): '最近上映的动作片' found no film
('no film has 上映'); they list the films now showing whose run opened last first."""


def _how_long(n: int) -> str:
    return rf"(?P<a{n}>{DURATION_AMOUNT})\s*(?P<u{n}>{DURATION_UNIT})"


RUNTIME_SAID = re.compile(
    r"(?<!\w)(?P<en_most>under|less than|shorter than|within|no (?:more|longer) than|at most|max(?:imum)?|up to)\s+"
    rf"{_how_long(1)}(?!\w)(?:\s+long)?"
    rf"|(?<!\w)(?P<en_least>over|more than|longer than|at least)\s+{_how_long(2)}(?!\w)(?:\s+long)?"
    rf"|(?:不超过|不到|少于)?{_how_long(3)}(?P<zh_most>以内|之内|以下|内)的?"
    rf"|(?:超过|多于){_how_long(4)}的?|{_how_long(5)}以上的?",
    re.IGNORECASE,
)
"""A running time said in a film search ('movies under 2 hours', '两个小时以内的电影', 'longer than 150 minutes',
'90分钟以上的'): it was searched as words ('no film has 小时'); it is the longest (or shortest) film wanted."""


def runtime_said(query: str) -> tuple[str, int, int, str]:
    """The query without a running time it says, the shortest and longest runtime in minutes it allows (0 for no
    bound), and the words; the query as it was, 0, 0 and '' when it says none."""
    m = RUNTIME_SAID.search(query)
    if m is None:
        return query, 0, 0, ""
    n = next(i for i in range(1, 6) if m[f"a{i}"])
    minutes = round(duration_minutes(m[f"a{n}"], m[f"u{n}"]))
    rest = " ".join((query[: m.start()] + " " + query[m.end() :]).split())
    most = n in (1, 3)
    return rest, (0 if most else minutes), (minutes if most else 0), m[0].strip().removesuffix("的")


OPENING_ZH = re.compile(r"(?:要|将|会)?(?:上映|首映|公映|上线)的?")
OPENING_EN = re.compile(r"(?<!\w)(?:opening|opens|coming out|out|released|premiering)\s+(?:on\s+|in\s+)?", re.I)
_ZH_DAYS = sorted((k for k in DAY_PHRASES if has_cjk(k)), key=len, reverse=True)
_HOURS_ZH = re.compile(r"晚|夜|早上|上午|中午|下午|傍晚")
"""A part of the day in a day phrase ('今晚', '周六下午'): a run opens on a day, never in an evening."""


def _day_before(query: str, at: int) -> str | None:
    """The Chinese day phrase ``query`` says just before position ``at`` ('下周' of '下周上映'), or None."""
    before = fold(query[:at])
    return next((k for k in _ZH_DAYS if before.endswith(k)), None)


def showing_then(query: str) -> str:
    """The query without a 上映 that follows a part of a day ('今晚上映的电影', '周六晚上上映的喜剧'): what shows then,
    read as when to go ('今晚的电影'); '今晚上映' was a film whose run opens today, or no film with '周六晚上上映'."""
    for m in OPENING_ZH.finditer(query):
        key = _day_before(query, m.start())
        if key is not None and _HOURS_ZH.search(key):
            return query[: m.start()] + ("的" if m[0].endswith("的") else "") + query[m.end() :]
    return query


def opening_said(query: str, today: date) -> tuple[str, str, date, date] | None:
    """A day or days a film opens on, said in a film search ('下周上映的', '周五上映', 'opening next week', 'out this
    weekend'): (the query without it, the words, the first and last day); None when it says none. '下周上映的' matched
    no film and '即将上映' took only its last words, listing every film not out yet."""
    for m in OPENING_ZH.finditer(query):
        key = _day_before(query, m.start())
        if key is not None:
            days = DAY_PHRASES[key][0](today)
            return query[: m.start() - len(key)] + query[m.end() :], query[m.start() - len(key) : m.end()], *days
    en = OPENING_EN.search(query)
    if en is not None:
        words = query[en.end() :].split()
        for n in (3, 2, 1):
            said = day_phrase(" ".join(words[:n])) if len(words) >= n else None
            if said is not None:
                spoken = " ".join(query[en.start() :].split()[: n + len(en[0].split())])
                return query[: en.start()] + " " + " ".join(words[n:]), spoken, *said[0](today)
    return None


NEXT_SHOWING = re.compile(
    r"(?:the )?(?:next|soonest|earliest|first)(?: one| showing| screening| show| showtime)?(?: available)?"
    r"|(?:最近|最早|下一|最快)的?一?场(?:电影)?|马上(?:开始|开场)?的?",
    re.IGNORECASE,
)
"""The next showing said as the day ('最近的一场', 'the next one', 'soonest'): every day ahead, the soonest first (it
was 'not a date')."""


FORMAT_SAID = re.compile(r"(?<![a-z0-9])(imax|3d|2d)(?![a-z0-9])", re.IGNORECASE)
"""A screen format said in a film search ('3D电影', 'IMAX movies'): no film's title has it; the films screened so are
listed."""
FilmHit = tuple[int, int, int, tuple[int, str], FilmRec]
"""A film a search found, as it sorts: (-score, status order, opening day, (-reviews, id), the film)."""


def read_time(value: str, field: str) -> time | None:
    """A time of day as HH:MM (Helsinki), '' for none; refuses anything else with the fix."""
    return time_field(
        value,
        field,
        fix="Give it as HH:MM on the 24-hour clock, e.g. '18:00'; for 'around 19:00' pass time_from '18:30' and "
        "time_to '19:30'.",
        part_fix="{said} is a part of the day: say it with the day in date ('周六上午', 'saturday morning', "
        "'tomorrow evening') and leave time_from and time_to '', or give its hours as time_from and time_to "
        "(e.g. '06:00' and '11:59' for a morning).",
    )


class MoviesService:
    def __init__(self, sandbox: Sandbox, catalog: Catalog, currency: str = "EUR") -> None:
        self.engine = sandbox.engine
        self.clock = sandbox.clock
        self.accounts = sandbox.accounts
        self.catalog = catalog
        self.currency = currency
        # Each service keeps its own specs: a cache on the method is one per process, and its entries kept every
        # service (and its catalog) that ever filled it alive, as long as 8,192 later entries had not pushed them
        # out: an eval run or a test process building an app per trial held dozens of catalogs for nothing.
        self.spec: Callable[[str], InventorySpec] = lru_cache(maxsize=8192)(self._spec)
        self.seating = SeatingEngine(
            MoviesTable.metadata,
            "movies",
            spec_for=self.spec,
            buy_tool="movies_purchase",
            release_tool="movies_release_hold",
        )
        self.street_addresses = _street_addresses(sandbox.fixtures_dir)
        self.fixtures_dir = sandbox.fixtures_dir

    # ----- helpers -------------------------------------------------------------------
    def now(self) -> datetime:
        """The simulated now; showtimes are generated up to the horizon after it before anyone reads them."""
        now = self.clock.now().astimezone(UTC)
        self.catalog.cover(now)
        return now

    def money(self, minor: int) -> Money:
        return Money.of(minor, self.currency)

    def _spec(self, showtime_id: str) -> InventorySpec:
        rec = self.catalog.showtimes[showtime_id]
        layout = self.catalog.layouts[rec.auditorium_id]
        prices = pricing.tier_prices(rec.format, rec.starts_at, self.catalog.tiers(rec.auditorium_id))
        return InventorySpec(showtime_id, layout, prices, self.currency, presold(rec, layout))

    def film(self, movie_id: str) -> FilmRec:
        check_id(movie_id, "mov", field="movie_id", source="movies_search_movies", names=self._films_named)
        film = self.catalog.films.get(movie_id)
        if film is None:
            raise NotFoundError(f"No film {shown(movie_id)}.", "Find film ids with movies_search_movies.")
        return film

    def cinema(self, cinema_id: str) -> CinemaRec:
        cinema_id = from_the_map(cinema_id, self._by_place, field="cinema_id", kind="cinema",
                                 source="movies_search_cinemas")  # fmt: skip
        check_id(cinema_id, "cin", field="cinema_id", source="movies_search_cinemas", names=self._cinemas_named)
        cinema = self.catalog.cinemas.get(cinema_id)
        if cinema is None:
            raise NotFoundError(f"No cinema {shown(cinema_id)}.", "Find cinema ids with movies_search_cinemas.")
        return cinema

    @cached_property
    def _by_place(self) -> dict[str, str]:
        """Each cinema's id by its map place's (nav's ``plc_…``)."""
        return {c.place_id: c.id for c in self.catalog.cinemas.values() if c.place_id}

    def _films_named(self, name: str) -> list[tuple[str, str]]:
        said = fold(name)
        return [
            (f.display_title, f.id) for f in self.catalog.films.values() if said in {fold(f.title), fold(f.title_zh)}
        ]

    def _cinemas_named(self, name: str) -> list[tuple[str, str]]:
        said = fold(name)
        return [(c.display_name, c.id) for c in self.catalog.cinemas.values() if said in c.names]

    def showtime(self, showtime_id: str) -> ShowtimeRec:
        check_id(showtime_id, "sht", field="showtime_id", source="movies_find_showtimes")
        rec = self.catalog.showtimes.get(showtime_id)
        if rec is None:
            raise NotFoundError(f"No showtime {shown(showtime_id)}.", "Showtime ids come from movies_find_showtimes.")
        return rec

    def status(self, rec: ShowtimeRec, free: int, now: datetime) -> ShowtimeStatus:
        if rec.starts_at <= now:
            return "past"
        if now >= rec.starts_at - pricing.SALES_CLOSE_BEFORE:
            return "sales_closed"
        return "sold_out" if free <= 0 else "on_sale"

    def film_status(self, film: FilmRec, now: datetime) -> FilmStatus:
        run = self.catalog.run_dates(film, local(now).date())
        if run is None:
            return "not_in_cinemas"
        return "coming_soon" if local(now).date() < run[0] else "now_showing"

    def tier_names(self) -> list[str]:
        return [f"{t}: {name}" for t, name in pricing.TIER_NAMES.items()]

    def showtime_model(
        self, rec: ShowtimeRec, remaining: dict[str, int], now: datetime, origin: GeoPoint | None = None
    ) -> Showtime:
        film = self.catalog.films[rec.film_id]
        cinema = self.catalog.cinemas[rec.cinema_id]
        aud = self.catalog.auditoriums[rec.auditorium_id]
        spec = self.spec(rec.id)
        free = sum(remaining.values())
        _, rule = pricing.base_price(rec.format, rec.starts_at)
        return Showtime(
            id=rec.id,
            movie_id=film.id,
            movie_title=film.display_title,
            cinema_id=cinema.id,
            cinema_name=cinema.display_name,
            auditorium=aud.display_name,
            starts_at=local(rec.starts_at),
            ends_at=local(rec.starts_at + pricing.TRAILERS + timedelta(minutes=film.runtime_min)),
            format=rec.format,
            language=film.language_label,
            status=self.status(rec, free, now),
            pricing=rule,
            tiers=[
                TierPrice(tier=t, price=self.money(spec.price(t)), free=remaining.get(t, 0))
                for t in self.catalog.tiers(rec.auditorium_id)
            ],
            free=free,
            distance_m=round(haversine_m(cinema.location, origin)) if origin else None,
        )

    # ----- films -----------------------------------------------------------------------
    def _query_score(self, film: FilmRec, asked: list[tuple[str, ...]], title: tuple[str, ...]) -> int:
        """0 when the query (``_query_words``) does not match; higher is better. Every word must match; a typo is
        forgiven. A title typed exactly (``title``, articles aside) wins over titles and names that merely contain
        its words: 'Up' is the film Up before Knocked Up, 'Her' is Her before Hero, '功夫' is Kung Fu Hustle before
        功夫梦 (The Karate Kid)."""
        text, whole = self.catalog.search_text[film.id], self.catalog.search_words[film.id]
        score = 0
        for variants in asked:
            points = self._word_score(film, text, whole, variants)
            if not points:
                return 0
            score += points
        if title in self.catalog.title_words[film.id]:
            score += EXACT_TITLE
        return score

    @staticmethod
    def _word_score(film: FilmRec, text: str, whole: frozenset[str], variants: tuple[str, ...]) -> int:
        """4 for a whole word of the film's text, 3 for the start of one, 2 inside one, 1 for a typo, 0 for none.
        A language word ('国语', 'Chinese') means the film's language, as in find_showtimes; a Chinese or Finnish
        word for a kind of film ('动作片', 'kauhuelokuva') is the kind without the word for film."""
        for variant in variants:
            if film.language in LANGUAGE_ALIASES.get(variant, ()):
                return 4
            if variant in text:
                if variant in whole or (
                    not variant.isalnum() and re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text)
                ):
                    return 4
                return 3 if f" {variant}" in f" {text}" else 2
        word = variants[0]
        if word in LANGUAGE_ALIASES:  # a language, not a misspelt name: 'chinese' is no typo of Grainger Hines
            return 0
        if len(word) >= 5 and not has_cjk(word) and any(fuzz.ratio(word, token) >= 80 for token in text.split()):
            return 1
        return 0

    def _opens(self, film: FilmRec, now: datetime) -> date | None:
        """The film's first screening day from today on (today for a film already running), None with none."""
        run = self.catalog.run_dates(film, local(now).date())
        return run[0] if run else None

    def _summary(self, film: FilmRec, now: datetime) -> FilmSummary:
        opens = self._opens(film, now)
        return FilmSummary(
            id=film.id,
            title=film.display_title,
            year=film.year,
            genres=film.genre_labels,
            runtime_min=film.runtime_min,
            language=film.language_label,
            age_rating=film.age_rating,
            tomatometer=film.tomatometer,
            status=self.film_status(film, now),
            opens_on=opens.isoformat() if opens else "",
            formats=film.formats,
        )

    @staticmethod
    def _genre(genre: str) -> str:
        """The genre code for an English, Chinese or Finnish genre name, also with the word for film ('动作片',
        'kauhuelokuva'), as the query reads them ('' for any)."""
        text = fold(genre.strip()).replace("-", "_").replace(" ", "_")
        if not text or text == "any":
            return ""
        kinds = {text, *(text.removesuffix(s) for s in FILM_WORDS if text.endswith(s) and text != s)}
        for code, (en, zh) in GENRE_LABELS.items():
            more = (fold(w).replace(" ", "_") for w in GENRE_WORDS.get(code, ()))
            if kinds & {code, fold(en).replace("-", "_"), zh, *more}:
                return code
        raise InvalidInputError(
            f"genre {shown(genre)} is not a genre.",
            "Use one of: " + ", ".join(f"{code} ({zh})" for code, (_, zh) in GENRE_LABELS.items()) + "; or '' for any.",
            field="genre",
        )

    def search_movies(
        self,
        *,
        query: str = "",
        showing: ShowingFilter = "now_showing",
        genre: str = "",
        limit: int = 10,
        cursor: str = "",
    ) -> FilmPage:
        now = self.now()
        wanted = self._genre(genre)
        typed = query
        query, seats, seats_said = tickets_wanted(query)  # 'two tickets for Interstellar': for the hold
        query, rated = take_out(TOP_RATED, query)
        query, subtitled = take_out(SUBTITLED, query)
        query, dubbed = take_out(DUBBED, query)
        query, oscar_said = take_match(OSCAR_SAID, query)
        query, score_said = take_match(SCORE_SAID, query)  # before the running time: '8分以上' is no 8 minutes
        query = showing_then(query)  # '今晚上映的电影': what shows tonight, before an opening day is read
        opening = opening_said(query, local(now).date())
        if opening is not None:  # '下周上映的': films whose run opens then, showing already or not
            query, showing = opening[0], "all" if showing == "now_showing" else showing
        query, soon = take_match(COMING_SOON, query)
        showing = "coming_soon" if soon and showing == "now_showing" else showing
        query, new = take_match(NEW_RELEASES, query) if not soon and opening is None else (query, None)
        query, shortest, longest, runtime_words = runtime_said(query)
        query, fmt_said = take_match(FORMAT_SAID, query)
        fmt = fmt_said[1].upper() if fmt_said else ""
        if "字幕" in query:  # cut from its word, not split it: '有中文字幕的电影' is 有中文的电影
            query, subtitled = query.replace("字幕", ""), True
        if "配音" in query:  # '国语配音', '配音版的': the dub asked for, cut from its word as 字幕 is
            query, dubbed = re.sub("配音版?", "", query), True
        asked, title = self._cut(_query_words(query)), title_words(query)
        hits, elsewhere, exact_here = self._film_hits(asked, title, wanted, showing, now)
        said_when = ""
        if (then := self._when_to_go(query, hits, wanted, showing, now)) is not None:
            said_when, query, asked, hits, elsewhere, exact_here = then
        read = ""
        if not hits and not elsewhere and asked and only_asks(query):  # 'a good new movie', '最近有什么好看的电影'
            hits, elsewhere, exact_here = self._film_hits([], (), wanted, showing, now)
            what = "a film now showing" if showing == "now_showing" else "a film"
            order = "" if rated or new else ", the most reviewed first"
            if not soon and not fmt and opening is None and not oscar_said and not score_said:  # those say what
                read = (
                    f"Read as {what}: {shown(typed)} names no title, person, genre or language, so this lists them"
                    f"{order}; ask what they fancy, or search a genre ('comedy', '科幻')."
                )
        if said_when:
            read = (
                f"Read {shown(said_when)} as when to go: films are found by title, people, genre or language, so this "
                f"lists those screened then; movies_find_showtimes(date={shown(said_when)}) lists their showtimes."
            )
        if rated:  # among equally good matches of one status, the best reviewed by critics first
            hits.sort(key=lambda h: (h[0], h[1], -(h[4].tomatometer or 0), h[3]))
            read = f"{read} Read as best rated: the highest Tomatometer first.".strip()
        if subtitled:
            read = (
                f"Read {shown(typed)} as asking for subtitles: every screening here is subtitled in Finnish and "
                f"Swedish (fi/sv) only, never in other languages; films are listed by the language they are spoken in. "
                f"{read}"
            ).strip()
        if dubbed:
            read = (
                f"Read {shown(typed)} as asking for a dubbed version: no screening here is dubbed; every film is "
                f"shown in the language it is spoken in, subtitled in Finnish and Swedish (fi/sv), and films are "
                f"listed by that language. {read}"
            ).strip()
        if opening is not None:
            _, said_opening, first, last = opening
            runs = {h[4].id: self.catalog.run_dates(h[4], local(now).date()) for h in hits}
            opens = {f: run[0] for f, run in runs.items() if run is not None and first <= run[0] <= last}
            days = f"{first:%a %-d %b}" + (f"–{last:%a %-d %b}" if last != first else "")
            if opens:
                hits = sorted((h for h in hits if h[4].id in opens), key=lambda h: (opens[h[4].id], h[0], h[3]))
                read = f"{read} Read {shown(said_opening)} as films whose run opens {days}, soonest first.".strip()
            else:
                read = (f"{read} Read {shown(said_opening)} as films opening {days}: none does here. Search "
                        "'coming soon' for every film not out yet.").strip()  # fmt: skip
                hits = []
        if runtime_words:  # 'movies under 2 hours': the running time bounds the films, said in minutes
            fits = [h for h in hits if (not longest or h[4].runtime_min <= longest) and h[4].runtime_min >= shortest]
            bound = f"at most {longest}" if longest else f"at least {shortest}"
            read = f"{read} Read {shown(runtime_words)} as the running time: films of {bound} minutes.".strip()
            if hits and not fits:
                nearest = min(hits, key=lambda h: abs(h[4].runtime_min - (longest or shortest)))[4]
                read = (f"{read} None of the {len(hits)} found is: the nearest, {nearest.display_title}, runs "
                        f"{nearest.runtime_min} minutes.")  # fmt: skip
            hits = fits
        if score_said:  # 'rated above 90%': the Tomatometer; '评分8分以上': the critics' average out of 10
            pct = score_said["tomato"] or score_said["pct"]
            if pct:
                hits = [h for h in hits if (h[4].tomatometer or 0) >= int(pct)]
                bound = f"a Tomatometer of at least {int(pct)}%"
            else:
                ten = float(score_said["ten"])
                hits = [h for h in hits if h[4].critic_rating >= ten]
                bound = f"a critics' average of at least {ten:g}/10"
            read = f"{read} Read {shown(score_said[0].strip().removesuffix('的'))} as {bound}.".strip()
        if oscar_said:  # the films that won an Academy Award, the most first
            won = [h for h in hits if h[4].oscars]
            won.sort(key=lambda h: -h[4].oscars)  # stable: the search's order among equals
            oscar_words = shown(oscar_said[0].removesuffix("的"))
            read = f"{read} Read {oscar_words} as films that won an Oscar: the most Academy Awards first.".strip()
            if hits and not won:
                read = f"{read} None of the {len(hits)} found won one."
            hits = won
        if new and hits:  # the latest run to open first, among those now showing
            today = local(now).date()
            opened = {h[4].id: (self.catalog.run_dates(h[4], today) or (today, today))[0] for h in hits}
            hits.sort(key=lambda h: (-opened[h[4].id].toordinal(), h[0], h[3]))
            new_said = shown(new[0].removesuffix("的"))
            read = f"{read} Read {new_said} as films out lately: the latest to open here first.".strip()
        if soon:
            soon_said = shown(soon[0].removesuffix("的"))
            read = f"{read} Read {soon_said} as films not out yet: those opening here later, soonest first.".strip()
        if fmt:
            matched = len(hits)
            hits = [h for h in hits if fmt in h[4].formats]
            others = f" ({matched - len(hits)} other films found are not)" if matched > len(hits) else ""
            read = (
                f"{read} Read {shown(fmt)} as the format: films screened in {fmt} here{others}; "
                f"movies_find_showtimes(movie_id=…, format={shown(fmt)}) lists their showtimes."
            ).strip()
        filters = {"query": typed, "showing": showing, "genre": genre}
        page, info = page_slice([h[4] for h in hits], cursor, limit, scope="movies.films", asked=filters)
        # 'Spiderman' found Man of Steel (a near spelling of its alias Superman) now showing and said nothing of the
        # five Spider-Man films in the catalogue: a film of another status named by the query's words is told of
        # unless a film of the asked status is named by them too
        note = read
        if elsewhere and not exact_here:
            note = self._elsewhere(query, showing, elsewhere, now, near=bool(hits))
        if not hits and (said := _showtime_words(query)):
            args = ", ".join(  # as said: '今晚' was shown format='IMAX', date='tonight' as the example
                f"format={shown(w.upper())}" if w.upper() in FORMATS else f"date={shown(w)}" for w in said
            )
            note = (
                f"Films are found by title, people, genre or language; {', '.join(map(shown, said))} is "
                f"a {'format' if said[0].upper() in FORMATS else 'day'}, which showtimes are searched by: "
                f"movies_find_showtimes({args}, …) lists what is on. " + note
            ).strip()
        if not hits and not note and asked:
            note = self._unmatched(query, asked, wanted)
        if seats:
            note = (f"{note} Read {shown(seats_said)} as how many: pick {seats} seats with movies_hold_seats once a "
                    "showtime is chosen (at most 6 per account per showtime).").strip()  # fmt: skip
        return FilmPage(films=[self._summary(f, now) for f in page], page=info, note=note)

    def _when_to_go(
        self, query: str, hits: list[FilmHit], wanted: str, showing: ShowingFilter, now: datetime
    ) -> tuple[str, str, list[tuple[str, ...]], list[FilmHit], list[tuple[int, str, FilmRec]], bool] | None:
        """'周末看什么电影', 'movies this weekend', '周六的科幻片': the time words said, the query without them, its
        words and the films of them screened then (every film showing, for a query that only asks), with the films
        of another status. None where the query says no time, a film it found is titled so (Friday Night Lights),
        or none is screened then: the words as typed, and what they missed, are the answer."""
        when = time_phrases(query, local(now).date())
        if not when or any(s.phrase in fold(h[4].display_title) for h in hits for s in when):
            return None
        said = fold(query)[when[0].span[0] : when[-1].span[1]]
        rest = without(query, when)
        asked = self._cut(_query_words(rest))
        found, elsewhere, exact_here = self._film_hits(asked, title_words(rest), wanted, showing, now)
        if (not found and only_asks(rest)) or not rest:
            found, elsewhere, exact_here = self._film_hits([], (), wanted, showing, now)
        screened = self._screened(said, now)
        found = [h for h in found if screened is None or h[4].id in screened]
        return (said, rest, asked, found, elsewhere, exact_here) if found else None

    def _screened(self, said: str, now: datetime) -> set[str] | None:
        """The films with a showtime ahead in the days and hours ``said`` names, read as ``find_showtimes`` reads its
        date (so the note's showtime search finds each); None where it names no day it reads."""
        try:
            first, last, earliest, latest = self._days(said, now)
        except InvalidInputError:
            return None
        cols = self.catalog.columns
        if first is None or last is None or cols is None:
            return None
        found = cols.select(now, day=first, days=(last - first).days + 1, earliest=earliest, latest=latest)
        return {cols.film_ids[k] for k in np.unique(cols.film[found])}

    def _film_hits(
        self,
        asked: list[tuple[str, ...]],
        title: tuple[str, ...],
        wanted: str,
        showing: ShowingFilter,
        now: datetime,
    ) -> tuple[list[FilmHit], list[tuple[int, str, FilmRec]], bool]:
        """The films a search finds in order, the films of another status its words name, and whether its words
        name a film of the status asked (then near spellings are dropped)."""
        naming_score = 3 * len(asked)  # named by the words, not a typo or a word inside one
        hits: list[FilmHit] = []
        elsewhere: list[tuple[int, str, FilmRec]] = []  # matches of another status than the one asked for
        for film in self.catalog.films.values():
            if wanted and wanted not in film.genres:
                continue
            status = self.film_status(film, now)
            if showing != "all" and status != showing and not asked:
                continue
            score = self._query_score(film, asked, title) if asked else 0
            if asked and not score:
                continue
            if showing != "all" and status != showing:
                if score >= naming_score:  # Batman is no Bateman
                    elsewhere.append((-score, status, film))
                continue
            opens = self._opens(film, now) if status == "coming_soon" else None
            key_time = opens.toordinal() if opens else 0
            # the most reviewed first among equals (a number: as text, '-0000159' sorted before '-0000341')
            hits.append((-score, STATUS_ORDER[status], key_time, (-film.reviews, film.id), film))
        exact_here = [h for h in hits if -h[0] >= naming_score]
        if exact_here:  # films named by the words: near spellings beside them are noise ('Batman': Up in the Air)
            hits = exact_here
        hits.sort(key=lambda h: h[:4])
        return hits, elsewhere, bool(exact_here)

    def _cut(self, asked: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """A Chinese word no film's text holds, cut into the runs that some film's text does hold, longest first
        from the left (a character starting none is dropped): '有没有适合小孩看的动画片' is 小孩 (kids) and 动画
        (animation). Written without spaces, a whole request was one word that no film had."""
        out: list[tuple[str, ...]] = []
        for variants in asked:
            if not has_cjk(variants[0]) or any(self._held(v) for v in variants):
                out.append(variants)
                continue
            pieces = cut_at_known(variants[-1], self._held)
            out += [(p,) for p in pieces] if pieces else [variants]
        return out

    def _held(self, piece: str) -> bool:
        return any(piece in word for word in self.catalog.cjk_words)

    def _unmatched(self, query: str, asked: list[tuple[str, ...]], genre: str) -> str:
        """Why a query found no film at all: which of its words no film has, or that no one film has them all. An
        empty page had an empty note, and 'something funny for kids' left the agent guessing."""
        films = [f for f in self.catalog.films.values() if not genre or genre in f.genres]
        texts = [(f, self.catalog.search_text[f.id], self.catalog.search_words[f.id]) for f in films]
        # a typo's match (1) names nothing: 'dune' is no word of any film
        unknown = [v[0] for v in asked if not any(self._word_score(f, t, w, v) >= 3 for f, t, w in texts)]
        head = f"No film matches {shown(query)}{f' in {genre_label(genre)}' if genre else ''}"
        how = ("Films are found by the words of their title, people, genre ('comedy', '科幻') or language, every word "
               "in one film")  # fmt: skip
        if unknown:
            what = ", ".join(map(shown, unknown))
            them = "that word" if len(unknown) == 1 else "those words"
            return f"{head}: no film has {what}. {how}; search again without {them}, or by genre (genre='comedy')."
        return f"{head}: each word is in some film, but no one film has them all. {how}; search with fewer words."

    def _elsewhere(
        self, query: str, showing: ShowingFilter, found: list[tuple[int, str, FilmRec]], now: datetime, near: bool
    ) -> str:
        """Where a query's films are when none has the status asked: 'Gravity' with the default now_showing was an
        empty page two days before it opens, and an agent told the user it was not showing."""
        found.sort(key=lambda f: (f[0], f[2].id))
        named = []
        for _, status, film in found[:3]:
            opens = self._opens(film, now) if status == "coming_soon" else None
            when = f", opens {opens.isoformat()}" if opens else ""
            named.append(f"{film.display_title} ({status.replace('_', ' ')}{when}, {film.id})")
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        if near:
            many = f"{len(found)} of another status match{'es' if len(found) == 1 else ''} its words"
            head = f"The films {showing.replace('_', ' ')} listed only resemble {shown(query)}; {many}"
        else:
            some = f"{len(found)} of another status do{'es' if len(found) == 1 else ''}"
            head = f"No film {showing.replace('_', ' ')} matches {shown(query)}, but {some}"
        return f"{head}: {'; '.join(named)}{more}. Pass showing='all' to list them."

    def movie_detail(self, movie_id: str) -> FilmDetail:
        film = self.film(movie_id)
        now = self.now()
        ahead = self.catalog.after(self.catalog.by_film.get(film.id, ()), now)
        run = self.catalog.run_dates(film, local(now).date())
        opens, last = run if run else (None, None)
        # a later run already published: last_day alone read as 'the last day it is on' with showtimes a week on
        after = [s for s in ahead if last is not None and local(s.starts_at).date() > last]
        returns = local(after[0].starts_at).date() if after else None
        cinemas = list(dict.fromkeys(s.cinema_id for s in ahead))
        return FilmDetail(
            id=film.id,
            title=film.display_title,
            year=film.year,
            genres=film.genre_labels,
            runtime_min=film.runtime_min,
            director=", ".join(map(self.catalog.person, film.directors)),
            cast=[self.catalog.person(p) for p in film.cast],
            language=film.language_label,
            languages=film.languages,
            country=film.country,
            age_rating=film.age_rating,
            tomatometer=film.tomatometer,
            critic_rating=film.critic_rating,
            reviews=film.reviews,
            oscars=film.oscars,
            wikidata=film.wikidata,
            status=self.film_status(film, now),
            opens_on=opens.isoformat() if opens else "",
            last_day=last.isoformat() if last else "",
            returns_on=returns.isoformat() if returns else "",
            formats=film.formats,
            cinemas=[f"{c}: {self.catalog.cinemas[c].display_name}" for c in cinemas],
            upcoming_showtimes=len(ahead),
        )

    # ----- places ----------------------------------------------------------------------
    @cached_property
    def landmarks(self) -> Landmarks:
        """Read when an address first names no street or cinema, not at start."""
        return Landmarks.load(self.fixtures_dir)

    def resolve_place(self, user_id: str, address: str, lat: float, lng: float) -> tuple[GeoPoint | None, str]:
        """Where distances are measured from: lat/lng, a saved address of the account (id, label, or 'home' /
        'work'), a street address, a cinema's name, a landmark's ('Central Station', '大教堂'), or a district's
        ('Kamppi': its centre)."""
        if lat or lng:
            point = require_in_city(GeoPoint(lat=lat, lng=lng), instead=PLACE_INSTEAD)
            return point, f"{lat:.5f}, {lng:.5f}"
        text = address.strip()
        if not text:
            return None, ""
        here = said_here(text, CINEMA_KINDS)  # 'near me', '离我最近的': from home, as a phone without its position
        with Session(self.engine) as session:
            saved = self.accounts.find(session, user_id, "home" if here else text)
            mine = [] if saved else self.accounts.rows(session, user_id)
        if here:
            if saved is None:
                raise InvalidInputError(
                    f"address {shown(address)} says where the user is, and the account has no home address to start "
                    "from.",
                    "Pass lat and lng of where the user is (nav_geocode gives them for any place), or save a home "
                    "address with food_save_address.",
                    field="address",
                )
            return saved.location, (
                f"{saved.label}: {saved.one_line} (the account's home address, for {shown(text)}; lat and lng of where "
                "the user is now sort from there)"
            )
        if saved is not None:
            return saved.location, f"{saved.label}: {saved.one_line}"
        wanted = fold(text.replace(",", " "))
        exact = [a for a in self.street_addresses if _words_in(fold(f"{a['street']} {a['housenumber']}"), wanted)]
        if exact:
            best = max(exact, key=lambda a: len(a["housenumber"]))
            return GeoPoint(lat=best["lat"], lng=best["lng"]), _one_line(best)
        street = [a for a in self.street_addresses if fold(a["street"]) and _words_in(fold(a["street"]), wanted)]
        if street:
            name = max((fold(a["street"]) for a in street), key=len)  # 'Pohjoinen Rautatiekatu', not 'Rautatiekatu'
            street = sorted((a for a in street if fold(a["street"]) == name), key=lambda a: a["id"])
            number = re.match(r"\s*(\d+)", wanted[wanted.index(name) + len(name) :])
            if number is None:
                best = street[0]
                return GeoPoint(lat=best["lat"], lng=best["lng"]), f"{best['street']}, {best['city']}"
            # a number we have no address for: the nearest number on the street, said as such, never another
            # street's or a number that merely starts the same ('Kaivokatu 45' is not 'Kaivokatu 4')
            best = min(street, key=lambda a: abs(house_number(a["housenumber"]) - int(number[1])))
            said = f"{_one_line(best)} (the nearest known number to {number[1]})"
            return GeoPoint(lat=best["lat"], lng=best["lng"]), said
        named = [(len(n), c) for c in self.catalog.cinemas.values() for n in c.names if n in wanted]
        if named:  # "near Kinopalatsi", "基诺宫影城附近"; the longest name wins: 'Kesäkino Engel' holds 'Kino Engel'
            cinema = max(named, key=lambda n: n[0])[1]
            return cinema.location, cinema.display_name
        landmark = self.landmarks.find(text)
        if landmark is not None:  # 'the Central Station', '大教堂附近', 'Oodi': where people say they are
            return landmark.point, f"{landmark.name} ({landmark.address})"
        district = district_in(text)
        if district is not None:  # 'Kamppi', '坎皮附近', 'Töölössä': as people say where they are
            return district.point, f"{district.name} (the district's centre)"
        alike = self.accounts.locate_spelt_alike(text)  # 'Manerheimintie 5': the street the map spells alike
        if alike is not None:
            return alike[0], f"{alike[1]} (as the map spells {shown(text)})"
        labels = ", ".join(f"{row.id} ({row.label})" for row in mine)
        why = self.landmarks.not_one_place(text)
        if why:  # 'a pharmacy', 'Suomenlinna': what it is, rather than 'no street known'
            raise InvalidInputError(
                f"address {shown(address)}: {why}.",
                f"Give one place: a street and number, a saved address ({labels or 'none saved'}), a cinema's or "
                "landmark's name, a district, or lat and lng (nav_geocode gives them for any place).",
                field="address",
            )
        raise InvalidInputError(
            f"address {shown(address)} is not a street address, district or saved address known in central Helsinki.",
            f"Give a street and number such as 'Kaivokatu 4', a saved address ({labels or 'none saved'}), a "
            f"cinema's name ('Kinopalatsi'), a landmark ('Central Station', 'Oodi', '大教堂'), a district "
            f"({', '.join(d.name for d in DISTRICTS)}), or lat and lng (nav_geocode gives them for any place).",
            field="address",
        )

    # ----- cinemas ---------------------------------------------------------------------
    def search_cinemas(
        self, user_id: str, *, address: str = "", lat: float = 0, lng: float = 0, limit: int = 10, cursor: str = ""
    ) -> CinemaPage:
        origin, label = self.resolve_place(user_id, address, lat, lng)
        now = self.now()
        today = local(now).date()
        ahead = self.catalog.after
        todays = {
            c: [s for s in ahead(self.catalog.by_cinema.get(c, ()), now) if local(s.starts_at).date() == today]
            for c in self.catalog.cinemas
        }
        with Session(self.engine) as session:
            remaining = self.seating.remaining(session, [s.id for ss in todays.values() for s in ss], now)
        out = []
        distances: dict[str, int] = {}
        for cinema in self.catalog.cinemas.values():
            distance = round(haversine_m(cinema.location, origin)) if origin else None
            distances[cinema.id] = distance or 0
            on_sale = [s for s in todays[cinema.id] if self.status(s, sum(remaining[s.id].values()), now) == "on_sale"]
            formats = sorted({f for a in cinema.auditoriums for f in a.formats}, key=["2D", "3D", "IMAX"].index)
            closed = ""
            if not cinema.open_in(local(now).month):
                closed = f"Open-air summer cinema: shows only in {season_months(cinema.season_months)}."
            out.append(
                Cinema(
                    id=cinema.id,
                    name=cinema.display_name,
                    address=cinema.address,
                    area=cinema.area_label,
                    location=cinema.location,
                    distance_m=distance,
                    formats=formats,
                    auditoriums=[
                        Auditorium(
                            number=a.number,
                            name=a.display_name,
                            formats=a.formats,
                            seats=a.capacity,
                            features=a.features,
                        )
                        for a in cinema.auditoriums
                    ],
                    wheelchair=cinema.step_free,
                    open_now=closed,
                    showtimes_today=len(on_sale),
                )
            )
        out.sort(key=lambda c: (bool(c.open_now), distances[c.id], c.id))
        asked = {"address": address, "lat": lat, "lng": lng}
        page, info = page_slice(out, cursor, limit, scope="movies.cinemas", asked=asked)
        return CinemaPage(cinemas=page, origin=label, page=info)

    # ----- showtimes -------------------------------------------------------------------
    def _days(self, value: str, now: datetime) -> tuple[date | None, date | None, time | None, time | None]:
        """The first and last day ``value`` names and the earliest and latest start it means: a day ('Friday',
        '2026-11-27'), a day's evening ('tomorrow night', '周六晚上') or part ('saturday afternoon', '周六下午'), or
        days ('this weekend', '周末', 'next week'), read as tickets reads them (``shared.dates.DAY_PHRASES``).
        'tomorrow night', 'this weekend' and '周六晚上' were refused as 'not a date', and 'saturday afternoon' too; two
        days joined ('周五到周日', 'Friday or Saturday') are the days from the first to the last; an ISO date-time
        ('2026-11-27T19:00', as models send one) its day from its time."""
        if NEXT_SHOWING.fullmatch(value.strip()):  # '最近的一场', 'the next one': every day ahead, soonest first
            return None, None, None, None
        if fold(" ".join(value.split())) in NOW_WORDS:  # 'now', '现在': today's showtimes yet to start (not 'a date')
            value = "today"
        if (moment := split_moment(value)) is not None:  # '2026-11-27T19:00:00+02:00': that day, from that time
            first, last, _, latest = self._days(moment[0], now)
            return first, last, moment[1], latest
        if (both := day_range(value, local(now).date())) is not None:  # '周五到周日', 'Friday or Saturday'
            (first, _, earliest, latest), (_, last, *times) = (self._days(said, now) for said in both)
            return first, last, *((earliest, latest) if [earliest, latest] == times else (None, None))
        if (ranged := split_clock_range(value)) is not None:  # '周六下午3点到6点之间': the day, and its span
            first, last, _, _ = self._days(ranged[0], now)
            return first, last, ranged[1], ranged[2]
        clocked = split_clock(value)  # '今晚8点以后', 'tonight after 8': the day, and a time it starts after
        if clocked is not None:
            day_said, at, before = clocked
            first, last, earliest, latest = self._days(day_said, now)
            return first, last, (earliest if before else at), (at if before else latest)
        said, hours = split_part_of_day(value)
        if hours is not None:
            first, last, _, _ = self._days(said, now)
            return first, last, *hours
        phrase = day_phrase(value)  # every evening word is one: 'tonight' is today from EVENING
        if phrase is None:
            day = self._day(value, now)
            return day, day, None, None
        days, evening = phrase
        today = local(now).date()
        first, last = days(today)
        self._published(first, value, today)
        return first, min(last, self.catalog.day(self.catalog.days - 1)), EVENING if evening else None, None

    @staticmethod
    def _format_in_date(day: str, format: FormatFilter) -> FormatFilter:
        """The format a date says with its day ('明晚IMAX', 'IMAX tomorrow', '周六3D'), as models pass the user's
        words: the format the showtimes are of, unless ``format`` names another."""
        said = FORMAT_SAID.search(day)
        if said is None:
            return format
        named = cast(FormatFilter, said[1].upper())
        if format not in ("any", named):
            raise InvalidInputError(
                f"date {shown(day)} asks for {named}, and format for {format}.",
                f"Pass the format once, in format ('{named}' or '{format}'), and only the day in date.",
                field="date",
            )
        return named

    def _day(self, value: str, now: datetime) -> date | None:
        today = local(now).date()
        try:
            day = read_day(value, today, DAY_WORDS | weekday_words(today))
        except ValueError as exc:
            if (meanings := next_weekday(value, today)) is not None:
                coming, week_after = meanings
                raise InvalidInputError(
                    f"date {shown(value)} can mean {coming:%A} {coming.isoformat()} (the coming one) or "
                    f"{week_after.isoformat()} (the one of next week).",
                    f"Ask the user which, then pass it as YYYY-MM-DD (or '{coming:%A}' for the coming one).",
                    field="date",
                ) from exc
            raise InvalidInputError(
                f"date {shown(value)} is not a date.",
                "Give the day as YYYY-MM-DD (e.g. 2026-11-27) or '12月24日' / 'Dec 24', 'today', 'tonight', 'tomorrow' "
                "or a weekday ('Friday'), "
                "or '' for every day ahead.",
                field="date",
            ) from exc
        if day is not None:
            self._published(day, value, today)
        return day

    def _published(self, day: date, value: str, today: date) -> None:
        """Refuses a day whose showtimes are not listed: passed, or beyond the published days (an empty page would
        not say why)."""
        if day < today:
            raise InvalidInputError(
                f"date {shown(value)} has passed: today is {today.isoformat()} ({today:%A}) in Helsinki, and only "
                "upcoming showtimes are listed.",
                f"Give today or a later day as YYYY-MM-DD (e.g. {today.isoformat()}), 'today' or 'tomorrow', or '' "
                "for every day ahead.",
                field="date",
            )
        last = self.catalog.day(self.catalog.days - 1)  # ``now()`` published the days up to the horizon
        if day > last:
            raise InvalidInputError(
                f"date {shown(value)} is too far ahead: showtimes are published until {last.isoformat()} "
                f"({last:%A}), {(last - today).days} days from today ({today.isoformat()}) in Helsinki.",
                f"Pick a day up to {last.isoformat()} as YYYY-MM-DD, 'today' or 'tomorrow', or '' for every day ahead.",
                field="date",
            )

    def _languages(self, language: str) -> set[str] | None:
        text = language.strip()
        if not text:
            return None
        known = {f.language for f in self.catalog.films.values()}
        wanted = known & LANGUAGE_ALIASES.get(fold(text), set()) or {
            lang for lang in known if fold(text) == fold(lang) or text == self.catalog.language_zh.get(lang)
        }
        if not wanted:
            ahead = self.catalog.after(self.catalog.ordered, self.now())
            options = sorted({self.catalog.films[s.film_id].language_label for s in ahead})
            raise InvalidInputError(
                f"language {shown(language)} is not a language of the films showing.",
                f"Use one of: {', '.join(options)} (English or Chinese name), or '' for any.",
                field="language",
            )
        return wanted

    def find_showtimes(
        self,
        user_id: str,
        *,
        movie_id: str = "",
        cinema_id: str = "",
        date: str = "",
        address: str = "",
        lat: float = 0,
        lng: float = 0,
        format: FormatFilter = "any",
        language: str = "",
        time_from: str = "",
        time_to: str = "",
        sort: ShowtimeSort = "auto",
        limit: int = 10,
        cursor: str = "",
    ) -> ShowtimePage:
        now = self.now()
        film = self.film(movie_id) if movie_id else None
        cinema = self.cinema(cinema_id) if cinema_id else None
        format = self._format_in_date(date, format)  # '明晚IMAX', 'IMAX tomorrow': 'not a date'
        date = take_match(FORMAT_SAID, date)[0]
        day, last_day, said_from, said_to = self._days(date, now)
        earliest, latest = read_time(time_from, "time_from"), read_time(time_to, "time_to")
        # 'tonight', 'saturday afternoon': its hours, where time_from / time_to leave them open and agree
        if earliest is None and (said_from is None or latest is None or said_from <= latest):
            earliest = said_from
        if latest is None and (said_to is None or earliest is None or said_to >= earliest):
            latest = said_to
        if earliest and latest and latest < earliest:
            raise InvalidInputError(
                f"time_to {time_to} is before time_from {time_from}.",
                "Give the window within one day (time_from ≤ time_to), or leave one of them ''.",
                field="time_to",
            )
        languages = self._languages(language)
        origin, _ = self.resolve_place(user_id, address, lat, lng)
        cols = self.catalog.columns
        assert cols is not None  # ``now()`` generated the days ahead, and with them the columns
        films_ok = None
        if languages is not None:
            films_ok = np.array([self.catalog.films[f].language in languages for f in cols.film_ids], dtype=bool)
        days = (last_day - day).days + 1 if day is not None and last_day is not None else 1  # a weekend is two
        found = cols.select(
            now,
            day=day,
            days=days,
            film=film.id if film else "",
            cinema=cinema.id if cinema else "",
            format=format,
            films_ok=films_ok,
            earliest=earliest,
            latest=latest,
        )
        # the sort key of each showtime, most significant first; the last part (start-order position) is unique
        # and breaks ties by id, as ``ordered`` is in (start, id) order
        parts: list[npt.NDArray[Any]] = [cols.start[found], found]
        if origin is not None:
            metres = cols.cinema_distances(origin.lat, origin.lng)
            distance = metres[cols.cinema[found]]
            if sort == "start_time":
                parts = [cols.start[found], distance, found]
                order = np.lexsort(parts[::-1])
            else:
                parts = [cols.local_day(found), distance, cols.start[found], found]
                order = cols.by_day_then_distance(found, parts[0], metres)
            found, parts = found[order], [p[order] for p in parts]
        # the day as read ('Friday' and its date are one search), not as written
        asked = asked_digest({"movie_id": movie_id, "cinema_id": cinema_id, "date": day, "until": last_day,
                              "address": address,
                              "lat": lat, "lng": lng, "format": format, "language": language,
                              "time_from": earliest, "time_to": time_to, "sort": sort})  # fmt: skip
        begin = self._page_start(cols, parts, cursor, asked)
        chosen = found[begin : begin + limit].tolist()
        page = [cols.recs[p] for p in chosen]
        more = begin + limit < len(found) and bool(chosen)
        last = begin + len(chosen) - 1
        key = [p[last].item() for p in parts[:-1]] + [page[-1].id] if more else []
        info = PageInfo(next_cursor=key_cursor(key, "movies.showtimes", asked) if more else "", total=len(found))
        with Session(self.engine) as session:
            remaining = self.seating.remaining(session, [s.id for s in page], now)
        note = ""
        if not len(found) and not cursor and (format != "any" or films_ok is not None):
            other = cols.select(now, day=day, days=days, film=film.id if film else "",
                                cinema=cinema.id if cinema else "", earliest=earliest, latest=latest)  # fmt: skip
            timed = day is not None or bool(earliest or latest)
            note = self._other_kinds(cols, other, film, cinema, format, language, timed)
        if not len(found) and not cursor and cinema is not None and not cinema.open_in(local(now).month):
            note = (  # an empty page with no word: 'no showtimes' read as sold out, or a bug
                f"{cinema.display_name} is an open-air summer cinema: it shows films only in "
                f"{season_months(cinema.season_months)}. movies_search_cinemas lists the cinemas open now."
            )
        elif not len(found) and not cursor and (day is not None or earliest or latest):  # and in what was asked, when
            instead = self._instead(cols, now, day, days, film, cinema, format, films_ok, language, earliest, latest)
            note = f"{note} {instead}" if note else instead
        return ShowtimePage(
            showtimes=[self.showtime_model(s, remaining[s.id], now, origin) for s in page],
            booking_fee=self.money(pricing.BOOKING_FEE_MINOR),
            tier_names=self.tier_names(),
            subtitles=SUBTITLES,
            page=info,
            note=note,
        )

    def _other_kinds(
        self,
        cols: ShowtimeColumns,
        other: npt.NDArray[np.int64],
        film: FilmRec | None,
        cinema: CinemaRec | None,
        format: FormatFilter,
        language: str,
        timed: bool,
    ) -> str:
        """The note of a page left empty by its format or language, where ``other`` (the same days, times, film and
        cinema in any format and language) is not: the formats and languages there are instead. Inception asked for
        in IMAX was an empty page with no note at all, or 'nor on any later day published' with a day, though it
        showed every day in 2D. '' when ``other`` is empty too (then the day or time is what to change).

        ``other`` are positions in ``cols``: with no day or cinema said, a grown city's every showtime ahead (tens
        of thousands), so what they offer is read from the columns, each film and format once."""
        if not len(other):
            return ""
        what = film.display_title if film else "showtimes"
        where = f" at {cinema.display_name}" if cinema else ""
        then = " then" if timed else ""
        asked = _kinds_said(format, language)
        offered = []
        if format != "any":
            offered.append(f"in {', '.join(sorted(FORMATS[f] for f in set(cols.format[other].tolist())))}")
        if language:
            films = dict.fromkeys(cols.film[other].tolist())  # each film once, in the order it first shows
            labels = (self.catalog.films[cols.film_ids[f]].language_label for f in films)
            offered.append(f"in {', '.join(dict.fromkeys(labels))}")
        count = f"{len(other)} showtime{'s' if len(other) > 1 else ''}"
        return (
            f"No {what}{where} {' and '.join(asked)}{then}; {count}{then} {' and '.join(offered)}. The first: "
            f"{self._said(cols.recs[int(other[0])])}. Pass format 'any' and language '' for all of them, or one of "
            "those."
        )

    def _instead(
        self,
        cols: ShowtimeColumns,
        now: datetime,
        day: date | None,
        days: int,
        film: FilmRec | None,
        cinema: CinemaRec | None,
        format: FormatFilter,
        films_ok: npt.NDArray[np.bool_] | None,
        language: str = "",
        earliest: time | None = None,
        latest: time | None = None,
    ) -> str:
        """The note of a page left empty by its day or time (``days`` from ``day``): what fits the rest nearest to what
        was asked (the same day's showtimes nearest the start window first: '午夜场' was offered the day's first
        matinees). The same day at other times when a time left it empty; else the next showtime after the day asked;
        else the last one published before it. ('今晚' of a film showing only in the afternoons came back empty with
        nothing to offer; then Saturday evening of a film showing Saturday afternoon offered today's, days before the
        day asked.)"""
        # 'Inception in IMAX': none later
        what = " ".join([film.display_title if film else "showtimes", *_kinds_said(format, language)])
        where = f" at {cinema.display_name}" if cinema else ""

        def rest(after: datetime, day: date | None = None, days: int = 1) -> list[int]:
            """What fits all but the day and time asked (the day given: only on it), after ``after``."""
            film_id, cinema_id = film.id if film else "", cinema.id if cinema else ""
            found = cols.select(after, day=day, days=days, film=film_id, cinema=cinema_id, format=format,
                                films_ok=films_ok)  # fmt: skip
            return [int(p) for p in found]

        if day is not None:
            same = rest(now, day, days)
            if same and (earliest or latest):  # nearest the window asked first, then in time
                same.sort(key=lambda p: (_minutes_off(local(cols.recs[p].starts_at).time(), earliest, latest), p))
            if same:
                last_day = day + timedelta(days=days - 1)
                shown_days = f"{day:%a %d %b}" + (f"–{last_day:%a %d %b}" if days > 1 else "")
                listed = "; ".join(self._said(cols.recs[p]) for p in same[:3])
                more = f"; and {len(same) - 3} more" if len(same) > 3 else ""
                return f"No {what}{where} at that time on {shown_days}. At other times then: {listed}{more}."
        after = now
        if day is not None:
            after = max(now, datetime.combine(day + timedelta(days=days), time(0), tzinfo=CITY_TZ))
        later = rest(after)
        if later:
            return f"No {what}{where} on that day or time. The next after it: {self._said(cols.recs[later[0]])}."
        earlier = rest(now)
        if earlier:
            last = self._said(cols.recs[earlier[-1]])
            return f"No {what}{where} on that day or time, nor on any later day published. The last before it: {last}."
        return f"No {what}{where} on that day or time, nor on any later day published."

    def _said(self, rec: ShowtimeRec) -> str:
        """A showtime as a note names it: when, what, where, and its id to book by."""
        showing = self.catalog.films[rec.film_id]
        place = self.catalog.cinemas[rec.cinema_id].display_name
        return (
            f"{local(rec.starts_at):%a %d %b %H:%M}, {showing.display_title} ({rec.format}) at {place}, "
            f"showtime_id {rec.id}"
        )

    def _page_start(self, cols: ShowtimeColumns, parts: list[npt.NDArray[Any]], cursor: str, asked: str) -> int:
        """Where the page after ``cursor`` starts: an offset (older cursors), or just after the showtime whose
        sort key the cursor holds, wherever it now stands."""
        after = read_cursor(cursor, "movies.showtimes", asked)
        if isinstance(after, int):
            return after
        *head, showtime_id = after
        rec = self.catalog.showtimes.get(showtime_id) if isinstance(showtime_id, str) else None
        if rec is None or len(head) != len(parts) - 1 or not all(isinstance(k, int | float) for k in head):
            raise not_our_cursor(cursor)
        position = bisect.bisect_left(cols.recs, (rec.starts_at, rec.id), key=lambda s: (s.starts_at, s.id))
        return count_through(parts, (*head, position))

    def seat_map(self, user_id: str, showtime_id: str) -> MovieSeatMap:
        rec = self.showtime(showtime_id)
        now = self.now()
        with Session(self.engine) as session:
            seat_map = self.seating.seat_map(session, rec.id, now=now, user_id=user_id)
        remaining = {t.tier: t.free for t in seat_map.tiers}
        return MovieSeatMap(
            showtime=self.showtime_model(rec, remaining, now),
            screen="The screen is in front of row A; rows further back are higher. Best seats: around row "
            f"{seat_map.sections[0].rows[round(len(seat_map.sections[0].rows) * 0.6)].row}, centre.",
            seat_map=seat_map,
            booking_fee=self.money(pricing.BOOKING_FEE_MINOR),
            tier_names=self.tier_names(),
        )


def _kinds_said(format: str, language: str) -> list[str]:
    """A showtime search's format and language as a note says them ('in IMAX', "in 'Chinese'")."""
    return [*([f"in {format}"] if format != "any" else []), *([f"in {shown(language)}"] if language else [])]


def season_months(months: list[int]) -> str:
    """The months a seasonal cinema shows films in, by name ('June, July, August')."""
    return ", ".join(date(2000, m, 1).strftime("%B") for m in months)


def _query_words(query: str) -> list[tuple[str, ...]]:
    """Each word of a query to look for, once, with what else it may mean: without a word for film joined to it
    ('动作片' → '动作'). Words that only say 'film' or ask ('a horror movie', '找一部') or are only punctuation are
    left out unless they are all it has."""
    words = list(dict.fromkeys(fold(query).split()))
    # a lone '/' is the separator of a title copied from a result ('Hero / 英雄'), no word of any film
    kept = [
        w
        for w in words
        if w not in FILLER and any(ch.isalnum() for ch in w) and not (has_cjk(w) and not CJK_FILLER.sub("", w))
    ] or words
    return [tuple(dict.fromkeys(_variants(w))) for w in kept]


def only_asks(query: str) -> bool:
    """Whether every word of ``query`` only asks for a film ('a good new movie', '推荐一部电影', '最近有什么好看的电影')
    and names none."""
    words = fold(query).split()
    return bool(words) and all(
        w in FILLER or not any(ch.isalnum() for ch in w) or (has_cjk(w) and CJK_FILLER.sub("", w) in ("", *FILLER))
        for w in words
    )


def _variants(word: str) -> list[str]:
    """What a query word may mean: itself; a Chinese word without ``CJK_FILLER``; an English plural as its singular
    ('comedies' found no film: the genre is 'comedy'); either without a word for film."""
    bare = CJK_FILLER.sub("", word) if has_cjk(word) else word
    forms = [word, bare] if bare else [word]
    if word.isascii() and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):  # 'comedies', 'thrillers'
        forms.append(word[:-3] + "y" if word.endswith("ies") else word[:-1])
    return [*forms, *(f.removesuffix(s) for f in forms for s in FILM_WORDS if f.endswith(s) and f != s)]


def _showtime_words(query: str) -> list[str]:
    """The words of a film search that ask about showtimes rather than films: a format ('IMAX', '3D') or a day
    ('tonight', '今晚', 'tomorrow'). 'IMAX' and '今晚' came back as an empty page with no note: 'no IMAX films'."""
    folded = " ".join(fold(query).split())
    days = [w for w in (*DAY_WORDS, *EVENING_DAYS) if w and (w == folded or f" {w} " in f" {folded} " or (
        has_cjk(w) and w in folded))]  # fmt: skip
    formats = [f for f in FORMATS if f.lower() in folded.split()]
    return formats + sorted(set(days), key=len, reverse=True)[:1]


def _words_in(needle: str, text: str) -> bool:
    """``needle`` occurs in ``text`` as whole words and numbers: 'kaivokatu 4' is not in 'kaivokatu 45'."""
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        start = text.find(needle, start + 1)
    return False


def _one_line(a: dict[str, Any]) -> str:
    street = f"{a['street']} {a.get('housenumber', '')}".strip()
    return ", ".join(p for p in (street, f"{a.get('postcode', '')} {a.get('city', 'Helsinki')}".strip()) if p)


def _street_addresses(fixtures_dir: Path) -> list[dict[str, Any]]:
    path = fixtures_dir / "osm" / "addresses.json"
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["addresses"])


def _minutes_off(start: time, earliest: time | None, latest: time | None) -> int:
    """How many minutes ``start`` lies outside the window [earliest, latest] (0 inside; an open end bounds nothing)."""
    at = start.hour * 60 + start.minute
    if earliest is not None and at < (low := earliest.hour * 60 + earliest.minute):
        return low - at
    if latest is not None and at > (high := latest.hour * 60 + latest.minute):
        return at - high
    return 0
