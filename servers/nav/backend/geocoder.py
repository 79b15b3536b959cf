"""Geocoding an agent can trust: scored candidates and a verdict (confident, ambiguous or not found).

A query is folded (case, accents, traditional Chinese characters), cut into tokens (words; CJK
text into character bigrams) and compared with every name a target has: its local, English,
Swedish and Chinese names and the common names in ``shared.landmarks.ALIASES``. A candidate's score is

    coverage of the query × (0.8 + 0.2 × coverage of the name)   (+ an exact-name bonus)
    + a small prior (landmarks and places with names in several languages first)

where coverage is weighted by how rare a token is (``helsingin`` or ``ravintola`` say little,
``oodi`` a lot). A query token matches a name token exactly, by a small edit (typos), as an
inflected form ('Ateneumin') or as the head of a compound ('kirjasto' in 'keskustakirjasto'), or
through the target's category ('library' matches a library, not a shop called 'BR'). Every query
word must be explained, so a shared token alone never wins.

Candidates that are one place on the ground (the same name within ``CLUSTER_M``: a tram stop's
platforms, a node and a building outline) collapse into one. The best is *confident* only if it
scores at least ``CONFIDENT`` and beats the next distinct candidate by ``MARGIN``; a chain's
branches tie, and a bias point decides only when one branch is clearly the nearest. A query of one word
has nothing else to confirm it, so it is *the* answer only when it spells a whole name (``_spells``): 'Paris' is
not the shop 'Fashion Paris', nor 'Tokyo' the shop 'Tokyokan', nor 'Atlantis' the attraction 'Atlantit'. A query
made only of category words ('cinema', '电影院') is a category: its places, nearest first.

A grown city (``--scale 100``: 70,000 targets, 'cafe' in 6,000 names, chains of 99 branches) must not
cost a query a scan, so the score of every touched name is first computed at once with numpy (posting
lists per token), and only the names at the head of that ranking, as many as the answer shows, are
scored one by one (``Geocoder.lookup``); the rest cannot change what a caller sees. Collapsing compares
a candidate only with kept ones of its name in neighbouring grid cells, and a category lists its
nearest places without sorting the city. ``tests/servers/nav/test_geocode_index.py`` holds these to a
full scan.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from shared.geo import EARTH_RADIUS_M, haversine_m
from shared.schemas.common import GeoPoint
from shared.text import any_of_words, fold, take_out

Status = Literal["confident", "ambiguous", "not_found"]
Reason = Literal["match", "chain", "category", "nearest", "tie", "weak", "nothing", "city", "number"]  # number: service

CONFIDENT = 0.8  # the best candidate's score must reach this …
MARGIN = 0.08  # … and beat the next distinct candidate by this much
PLAUSIBLE = 0.55  # below this a candidate is not an answer at all (listed only as a suggestion)
SUGGEST = 0.35
EXACT_BONUS = 0.05  # the whole query is one of the target's names
CATEGORY_SIM = 0.9  # 'library' explains a library as well as a near-spelling would
CONTEXT_SIM = 0.9  # 'Mannerheimintie' in 'Alko Mannerheimintie' explains the Alko on that street
CLUSTER_M = 150.0  # same name, this close: one place on the ground
TWIN_M = 60.0  # a landmark's node and its building outline, under different names
NAMESAKE_M = 250.0  # a landmark and what shares its name this close (a square and its station): one destination
CHAIN_FACTOR, CHAIN_GAP_M = 2.0, 200.0  # a bias point picks a branch only if the next is twice as far and 200 m more
CATEGORY_SCORE = 0.7
SPELLS = 90  # a lone query word is a name's word misspelt if fuzz.ratio reaches this: 'kinopalatsy', not 'atlantis'
INFLECTION = 3  # … or that word with up to this many letters added: 'ateneumin', 'musiikkitalon'

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]+")
POSTCODE = re.compile(r"\b\d{5}\b")
CITY_WORDS = {"helsinki", "helsingin", "helsingfors", "hki", "stadi", "finland", "suomi", "suomen", "finlands"}
CJK_CITY = ("赫尔辛基", "芬兰")
STOPWORDS = {"the", "of", "and", "a", "an", "in", "at", "to", "ja", "och", "i", "av", "de", "la", "le", "der", "die"}
LOW_WEIGHT = {**dict.fromkeys(CITY_WORDS, 0.15), **dict.fromkeys(STOPWORDS, 0.1)}
LANDMARK = {
    "museum", "library", "theatre", "cinema", "arts_centre", "station", "place_of_worship", "park", "events_venue",
    "gallery", "attraction", "concert_hall",
}  # fmt: skip
# Ties on one spot: the street first.
KIND_ORDER = {"saved": 0, "address": 1, "street": 2, "district": 3, "place": 4, "stop": 5}
# Grid cells (degrees) for collapsing: 222 m tall, and wide enough up to latitude 74°, more than CLUSTER_M and
# TWIN_M, so two points that close are always in neighbouring cells.
CELL_LAT, CELL_LNG = 0.002, 0.005
SLACK = 1e-9  # numpy and Python sum a score in different orders: a bound this much under a threshold still counts

# Traditional characters of Helsinki's Chinese place names and common queries, to their simplified forms.
T2S = str.maketrans(
    "爾車國樓館書圖劇場藝術東廣園廳會電鐵樂學門區號飯麵雞魚點舊際導蘭亞瑪當頌詩農貿禮靜愛納蘇華馬長輪碼頭島灣動見鐘錶買賣貨鋪"
    "劃議臺體歷築現紀念畫觀覽賓頓義",
    "尔车国楼馆书图剧场艺术东广园厅会电铁乐学门区号饭面鸡鱼点旧际导兰亚玛当颂诗农贸礼静爱纳苏华马长轮码头岛湾动见钟表买卖货铺"
    "划议台体历筑现纪念画观览宾顿义",
)

# Words for a kind of place in the suite's languages, beyond the category vocabulary's own (fixtures/vocab).
CATEGORY_WORDS = {
    "library": ["library", "libraries", "kirjasto", "bibliotek", "biblioteket", "图书馆"],
    "museum": ["museum", "museums", "museo", "museet", "taidemuseo", "konstmuseum", "博物馆", "美术馆", "艺术馆"],
    "gallery": ["galleria", "galleri", "画廊"],
    "theatre": ["teatteri", "teater", "teatern", "剧院", "剧场"],
    "cinema": ["cinemas", "kino", "elokuvateatteri", "biograf", "电影院", "影院"],
    "place_of_worship": ["churches", "kirkko", "kyrka", "kyrkan", "教堂"],
    "station": ["asema", "metroasema", "metro station", "train station", "stationen", "车站", "地铁站"],
    "park": ["parks", "puisto", "parken", "公园"],
    "hotel": ["hotels", "hotelli", "hotell", "酒店", "宾馆", "旅馆"],
    "restaurant": [
        *("restaurants", "ravintola", "餐厅", "餐馆", "饭店", "饭馆", "菜馆", "料理店", "好吃的", "吃饭", "美食"),
    ],
    "cafe": ["cafes", "coffee shop", "coffee shops", "kahvila", "kafe", "咖啡馆", "咖啡店"],
    "pharmacy": ["apotek", "药店", "药房"],
    "supermarket": ["supermarkets", "groceries", "grocery", "grocery store", "ruokakauppa", "超市", "买菜"],
    "bar": ["baari", "酒吧"],
    "pub": ["pubi", "酒馆"],
    "hospital": ["sairaala", "sjukhus", "医院"],
    "post_office": ["posti", "邮局"],
    "bank": ["pankki", "银行"],
    "atm": ["pankkiautomaatti", "取款机"],
    "parking": ["pysakointi", "parkkihalli", "停车场", "停车"],
    "tram_stop": ["tram stop", "raitiovaunupysakki", "电车站"],
    "toilets": ["toilets", "restrooms", "bathroom", "public toilet", "loo", "vessa", "wc", "厕所", "卫生间", "洗手间"],
    "attraction": ["attractions", "tourist attraction", "tourist attractions", "sights", "sightseeing", "名胜", "景区"],
}


@dataclass(frozen=True)
class Unmapped:
    """A kind of place the map has none of: the words it is asked for by, and what to say instead."""

    words: tuple[str, ...]
    advice: str


UNMAPPED_KINDS = {
    "fuel stations": Unmapped(
        words=(
            *("gas station", "gas stations", "petrol station", "petrol stations", "fuel station", "fuel stations"),
            *("filling station", "加油站", "huoltoasema", "bensa-asema", "bensiiniasema", "tankstelle"),
        ),
        advice="For an electric car, 'EV charger' / 充电桩 finds the chargers.",
    ),
    "police stations": Unmapped(
        words=(
            *("police", "police station", "police stations", "poliisi", "poliisiasema", "poliisilaitos"),
            *("警察局", "派出所", "公安局", "警局", "警察"),
        ),
        advice="In an emergency call 112 (police, ambulance, fire brigade); Helsinki Police's main station is in "
        "Pasila, Ratapihantie 11, north of this map.",
    ),
}
"""Kinds of place people ask for that the map has none of (OpenStreetMap's central Helsinki extract has no fuel
station and no police station): 'gas station' found railway stations by its 'station', and '加油站' and '警察局'
were told to widen the radius."""
_UNMAPPED_BY_WORD = {w: kind for kind, unmapped in UNMAPPED_KINDS.items() for w in unmapped.words}
_UNMAPPED = re.compile(any_of_words(_UNMAPPED_BY_WORD))


def unmapped_kind(query: str) -> str:
    """The kind of place ``query`` asks for that the map has none of (``UNMAPPED_KINDS``), or ''."""
    m = _UNMAPPED.search(fold(query))
    return _UNMAPPED_BY_WORD[m.group()] if m else ""


# Chains' names in Chinese, by the local name every branch carries.
BRANDS = {
    "McDonald's": ["麦当劳"], "Burger King": ["汉堡王"], "Subway": ["赛百味"], "Hesburger": ["赫斯汉堡"],
    "Espresso House": ["浓缩咖啡屋"], "Marimekko": ["玛丽美歌"], "H&M": ["海恩斯莫里斯"], "Lidl": ["历德"],
    "Stockmann": ["斯托克曼"], "Alko": ["国营酒类专卖店"],
}  # fmt: skip


def fold_text(text: str) -> str:
    """Lower case, no accents, simplified Chinese; apostrophes dropped ('McDonald's' → 'mcdonalds')."""
    if text.isascii():  # no accent, no Chinese, no ’: the same, without a pass over every character (index build)
        return text.lower().replace("'", "")
    return fold(text.translate(T2S)).replace("'", "").replace("’", "")


def _strip_cjk_city(run: str) -> str:
    for word in CJK_CITY:
        run = run.replace(word, "")
    return run


@functools.lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokenize(text))


def tokenize(text: str) -> list[str]:
    """Words, and CJK runs as character bigrams (a lone character stays itself); the city's CJK name dropped."""
    return list(_tokens(text))


def _tokenize(text: str) -> list[str]:
    """Words, and CJK runs as character bigrams (a lone character stays itself); the city's CJK name dropped."""
    out: list[str] = []
    for piece in WORD.findall(fold_text(text)):
        if CJK.fullmatch(piece):
            run = _strip_cjk_city(piece)
            out += [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else ([run] if run else [])
        else:
            out.append(piece)
    return out


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """What makes two names the same: folded, punctuation and the city's CJK name dropped."""
    parts = WORD.findall(fold_text(text))
    return " ".join(p for p in (_strip_cjk_city(p) if CJK.fullmatch(p) else p for p in parts) if p)


@dataclass
class Target:
    """Something a query can name: a place, a transit stop, a street or a district."""

    kind: str
    id: str
    name: str
    address: str
    category: str
    point: GeoPoint
    key: str  # name_key of the local name: equal keys close together are one place
    prior: float = 0.0
    extent: list[GeoPoint] = field(default_factory=list)  # a street's points
    street: str = ""  # a place's street: 'Alko Mannerheimintie' is the Alko on Mannerheimintie

    def gap_m(self, other: Target) -> float:
        """Metres from ``other``'s point to this target (to the nearest of a street's points)."""
        points = self.extent or [self.point]
        return min(haversine_m(p, other.point) for p in points)


@dataclass
class Entry:
    target: int
    key: str
    core: str  # the key without the city's name: 'helsinki city hall' and 'city hall' are one name
    tokens: list[str]
    weights: list[float]
    context: list[str]  # the target's street, which may explain a query word but is not part of the name


@dataclass
class Scored:
    target: Target
    score: float  # how well it matches: ranks candidates, and is what a rival is measured by
    exact: bool = False
    distance_m: float = 0.0
    firm: float = -1.0  # the score it may be *the* answer by (lower when only a common word of it matched)

    def __post_init__(self) -> None:
        if self.firm < 0:
            self.firm = self.score


@dataclass
class Verdict:
    status: Status
    reason: Reason
    candidates: list[Scored]  # a category's nearest only, when ``lookup`` was given a limit
    categories: list[str] = field(default_factory=list)
    branches: int = 0  # chain: how many places share the winning name
    total: int = -1  # how many candidates there are (a category's places on the map), listed or not
    note: str = ""  # number: what the street lacks, e.g. 'Mannerheimintie has no number 99999 on the map: …'

    def __post_init__(self) -> None:
        if self.total < 0:
            self.total = len(self.candidates)


@dataclass
class QueryToken:
    text: str
    weight: float
    categories: set[str]
    sims: dict[str, float]


def _plain(token: str) -> str:
    """A city word misspelt by one letter is that word ('helsinky' says as little as 'helsinki')."""
    if token in LOW_WEIGHT or len(token) < 6 or CJK.match(token):
        return token
    return next((w for w in CITY_WORDS if len(w) >= 6 and Levenshtein.distance(token, w) <= 1), token)


def _core(key: str) -> str:
    return " ".join(t for t in key.split() if t not in CITY_WORDS)


def _cell(p: GeoPoint) -> tuple[int, int]:
    return math.floor(p.lat / CELL_LAT), math.floor(p.lng / CELL_LNG)


def _distances_m(lat: np.ndarray, lng: np.ndarray, origin: GeoPoint) -> np.ndarray:
    """``haversine_m`` from ``origin`` to many points at once (to within rounding: it only preselects)."""
    la1, lo1 = math.radians(origin.lat), math.radians(origin.lng)
    la2, lo2 = np.radians(lat), np.radians(lng)
    h = np.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


def _same_spot(a: Target, b: Target, twins: bool) -> bool:
    """One place on the ground: the same name close together (a stop's platforms, a stop on its street), or (with
    ``twins``, for a name that matched both) two landmarks of one category a few metres apart: OpenStreetMap's node
    and outline of one station."""
    if a.key == b.key:
        return a.gap_m(b) <= CLUSTER_M
    return twins and a.category == b.category and a.category in LANDMARK and a.gap_m(b) <= TWIN_M


NEAREST = re.compile(
    r"(?<!\w)(?:the\s+)?(?:nearest|closest|nearby|near\s+me|close\s+by|lähin|lähimmät|lähellä)(?!\w)"
    r"|离我最近的?|最近的|附近的?|周围的?|旁边的?",
    re.IGNORECASE,
)
"""Words that ask for the nearest of a kind ('nearest pharmacy', '附近的药店', '最近的地铁站', 'lähin apteekki'): they
were matched as name words, so each of these was 'not found'."""


def nearest_words(text: str) -> tuple[str, bool]:
    """``text`` without the words asking for the nearest, and whether it had any (never all of it)."""
    rest, asked = take_out(NEAREST, text)
    return (rest, True) if rest and asked else (text, False)


def as_nearest(verdict: Verdict) -> Verdict:
    """A kind of place or a chain's branches, asked for as the nearest: the nearest one to the bias point (or the
    other end of a route) is the answer. Anything else is as it was."""
    if verdict.candidates and verdict.reason in ("category", "chain") and verdict.status != "not_found":
        return Verdict("confident", "nearest", verdict.candidates, categories=verdict.categories,
                       branches=verdict.branches, total=verdict.total)  # fmt: skip
    return verdict


def _landmark(t: Target) -> bool:
    """Something a place is named after: a district, a street, a stop or a landmark (a station, a park)."""
    return t.kind in ("district", "street", "stop") or t.category in LANDMARK


def _namesake(tied: list[Scored]) -> Scored | None:
    """The landmark that same-named candidates all stand close to (``NAMESAKE_M``), or None: 'Rautatientori' is the
    square and the metro station under it, 210 m apart, one destination whichever is meant, where a walker asked
    'which one?' would be puzzled. Branches of a chain (no landmark among them) and names spread further apart (the
    Kluuvi district's centre and the Kluuvi shopping centre's entrances, 270 m and more) stay a question."""
    spot = next((s for s in tied if _landmark(s.target)), None)
    if spot is None or any(s is not spot and spot.target.gap_m(s.target) > NAMESAKE_M for s in tied):
        return None
    return spot


class Vocabulary:
    """The informative words of every name, indexed so that a query word finds its near-spellings, inflections
    and compound heads by looking up neighbours (sorted words, sorted reversed words, words by length) instead of
    comparing itself with every word: a grown city has many times the words, a query must not cost that much more."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.known = set(self.words)
        self._reversed = sorted(w[::-1] for w in self.words)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for w in self.words:
            self._by_length[len(w)].append(w)
        self._near: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self.words)

    def near_length(self, n: int) -> list[str]:
        """Words that can score a fuzz.ratio of 80 or more against an ``n``-letter word: 2·min/(n + m) ≥ 0.8
        needs m within [2n/3, 3n/2]."""
        found = self._near.get(n)
        if found is None:
            lengths = range(math.ceil(2 * n / 3), math.floor(3 * n / 2) + 1)
            found = self._near[n] = [w for m in lengths for w in self._by_length.get(m, [])]
        return found

    def starting(self, token: str) -> list[str]:
        """Longer words (of 4+ letters) that begin with ``token``."""
        i = bisect.bisect_right(self.words, token)
        out: list[str] = []
        while i < len(self.words) and self.words[i].startswith(token):
            out.append(self.words[i])
            i += 1
        return out

    def prefixes_of(self, token: str) -> list[str]:
        """Shorter words (of 4+ letters) that ``token`` begins with."""
        return [token[:k] for k in range(4, len(token)) if token[:k] in self.known]

    def ending(self, token: str) -> list[str]:
        """Longer words that end with ``token``."""
        rev = token[::-1]
        i = bisect.bisect_right(self._reversed, rev)
        out: list[str] = []
        while i < len(self._reversed) and self._reversed[i].startswith(rev):
            out.append(self._reversed[i][::-1])
            i += 1
        return out


class SpotGrid:
    """Kept candidates by name and grid cell (and landmarks by category and cell), so that whether a new one is
    the same spot as a kept one (``_same_spot``) is asked only of those that could be: same name or same landmark
    category, in a neighbouring cell. Exactly the heads a comparison with every kept one finds."""

    def __init__(self, twins: bool) -> None:
        self.twins = twins
        self._by_key: dict[tuple[str, int, int], list[Target]] = defaultdict(list)
        self._by_category: dict[tuple[str, int, int], list[Target]] = defaultdict(list)

    def _near(self, index: dict[tuple[str, int, int], list[Target]], name: str, p: GeoPoint) -> Iterable[Target]:
        ci, cj = _cell(p)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                yield from index.get((name, ci + di, cj + dj), ())

    def seen(self, t: Target) -> bool:
        """``t`` is one place on the ground with a kept candidate."""
        if any(_same_spot(h, t, self.twins) for h in self._near(self._by_key, t.key, t.point)):
            return True
        twin = self.twins and t.category in LANDMARK
        return twin and any(_same_spot(h, t, True) for h in self._near(self._by_category, t.category, t.point))

    def keep(self, t: Target) -> None:
        """A kept candidate is near a point if any of its points (a street's extent) is."""
        for cell in {_cell(p) for p in (t.extent or [t.point])}:
            self._by_key[(t.key, *cell)].append(t)
            if self.twins and t.category in LANDMARK:
                self._by_category[(t.category, *cell)].append(t)


@dataclass
class CategoryTable:
    """A category's places as arrays, for listing the nearest without sorting them all. ``lone`` marks places with
    no place of the same name within ``CLUSTER_M`` (with a metre's margin): they are always listed, whatever the
    order; only the others need collapsing in the query's order."""

    targets: list[Target]
    lat: np.ndarray
    lng: np.ndarray
    lone: np.ndarray

    @classmethod
    def of(cls, targets: list[Target]) -> CategoryTable:
        lat = np.array([t.point.lat for t in targets], dtype=np.float64)
        lng = np.array([t.point.lng for t in targets], dtype=np.float64)
        return cls(targets, lat, lng, np.ones(len(targets), dtype=bool))


def _mark_crowded(tables: list[CategoryTable]) -> None:
    """Clear ``lone`` for every place with a same-named place (of any category) within ``CLUSTER_M`` + 1 m. Places
    sorted by name and latitude are compared with the k-th next one, k = 1, 2, … while any such pair is of one name
    and close enough north–south to be that near (a great circle is never shorter than its change of latitude)."""
    keys = [t.key for table in tables for t in table.targets]
    if not keys:
        return
    codes = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    code = np.array([codes[key] for key in keys], dtype=np.int64)
    lat = np.concatenate([table.lat for table in tables])
    lng = np.concatenate([table.lng for table in tables])
    order = np.lexsort((lat, code))
    c, la, lo = code[order], np.radians(lat[order]), np.radians(lng[order])
    near_m = CLUSTER_M + 1.0
    crowded = np.zeros(len(order), dtype=bool)
    k = 1
    while k < len(order):
        i = np.flatnonzero((c[k:] == c[:-k]) & (la[k:] - la[:-k] <= near_m / EARTH_RADIUS_M))
        if not len(i):
            break
        j = i + k
        h = np.sin((la[j] - la[i]) / 2) ** 2 + np.cos(la[i]) * np.cos(la[j]) * np.sin((lo[j] - lo[i]) / 2) ** 2
        close = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) <= near_m
        crowded[i[close]] = True
        crowded[j[close]] = True
        k += 1
    lone = np.ones(len(order), dtype=bool)
    lone[order[crowded]] = False
    start = 0
    for table in tables:
        table.lone = lone[start : start + len(table.targets)]
        start += len(table.targets)


class Geocoder:
    def __init__(
        self,
        targets: list[Target],
        names: list[list[str]],
        categories: dict[str, list[str]],
        station_lines: Mapping[str, str] | None = None,
    ) -> None:
        """``names[i]`` are every name of ``targets[i]``; ``categories`` maps a category slug to its words;
        ``station_lines``: each station place's line ('metro', 'rail'), for the nearest station of a line."""
        self.targets = targets
        self.by_id = {t.id: t for t in targets if t.id}
        df: Counter[str] = Counter()  # in how many targets' names a token occurs
        for variants in names:
            df.update({tok for name in variants for tok in tokenize(name)})
        total = max(len(targets), 2)
        self._weight = {t: LOW_WEIGHT.get(t, 0.35 + 0.65 * min(1.0, math.log(total / n) / math.log(total)))
                        for t, n in df.items()}  # fmt: skip
        self.unique = {t for t, n in df.items() if n == 1 and t not in LOW_WEIGHT}
        self.entries: list[Entry] = []
        index: dict[str, list[int]] = defaultdict(list)
        for i, variants in enumerate(names):
            context = tokenize(targets[i].street)
            for name in dict.fromkeys(variants):
                toks = list(dict.fromkeys(tokenize(name)))
                if not toks:
                    continue
                key = name_key(name)
                self.entries.append(Entry(i, key, _core(key), toks, [self.weight(t) for t in toks], context))
                for t in toks:
                    index[t].append(len(self.entries) - 1)
        self.vocab = sorted(index | {t: [] for t in df})
        self.postings = {tok: np.array(ids, dtype=np.int64) for tok, ids in index.items()}  # token → names holding it
        # Near-spellings, inflections and compounds only of informative words: 'suomenlinna' is not 'suomen …'.
        self.fuzzy_vocab = Vocabulary(t for t in self.vocab if not CJK.match(t) and t not in LOW_WEIGHT)
        self.category_words: dict[str, set[str]] = defaultdict(set)  # folded word or phrase → slugs
        for slug, words in categories.items():
            for word in words:
                self.category_words[name_key(word)].add(slug)
        # Category phrases: CJK ones are looked for in the query's text, word ones by their first word.
        self._cjk_phrases: list[tuple[str, list[str], set[str]]] = []
        self._word_phrases: dict[str, list[tuple[list[str], set[str]]]] = defaultdict(list)
        for phrase, slugs in self.category_words.items():
            parts = tokenize(phrase)
            if not parts:
                continue
            if CJK.match(phrase):
                self._cjk_phrases.append((phrase, parts, slugs))
            else:
                self._word_phrases[parts[0]].append((parts, slugs))
        self.by_category: dict[str, list[Target]] = defaultdict(list)
        for target in targets:
            if target.kind == "place":
                self.by_category[target.category].append(target)
        self._tables = {slug: CategoryTable.of(ts) for slug, ts in self.by_category.items()}
        _mark_crowded(list(self._tables.values()))
        lines = station_lines or {}
        if (stations := self._tables.get("station")) is not None:
            for line in sorted(set(lines.values())):
                on = np.array([lines.get(t.id) == line for t in stations.targets], dtype=bool)
                self._tables[f"station:{line}"] = CategoryTable(
                    [t for t, keep in zip(stations.targets, on.tolist(), strict=True) if keep],
                    stations.lat[on], stations.lng[on], stations.lone[on],
                )  # fmt: skip
        self._arrays()

    def _arrays(self) -> None:
        """What scores every touched name at once (``_bounds``): each name's prior, token weight and category (as a
        code), names by their street's tokens (context); names by key and core (``_exact``). A target's names are
        consecutive entries, ``_first[t]`` up to ``_first[t + 1]``."""
        n = len(self.entries)
        owner = np.fromiter((e.target for e in self.entries), dtype=np.int64, count=n)
        self._first: list[int] = np.searchsorted(owner, np.arange(len(self.targets) + 1)).tolist()
        self._category_codes = {slug: i for i, slug in enumerate(sorted({t.category for t in self.targets}))}
        codes = np.array([self._category_codes[t.category] for t in self.targets], dtype=np.int64)
        self._category_code = codes[owner] if n else np.zeros(0, dtype=np.int64)
        self._prior = np.array([t.prior for t in self.targets], dtype=np.float64)[owner]
        self._name_weight = np.fromiter((sum(e.weights) for e in self.entries), dtype=np.float64, count=n)
        context: dict[str, list[int]] = defaultdict(list)
        for i in range(len(self.targets)):
            a, b = self._first[i], self._first[i + 1]
            if a < b:
                for tok in dict.fromkeys(self.entries[a].context):  # every name of a target has its street
                    context[tok].extend(range(a, b))
        self._context = {tok: np.array(ids, dtype=np.int64) for tok, ids in context.items()}
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_core: dict[str, list[int]] = defaultdict(list)
        for e, entry in enumerate(self.entries):
            self._by_key[entry.key].append(e)
            if entry.core:
                self._by_core[entry.core].append(e)

    def weight(self, token: str) -> float:
        return self._weight.get(token, LOW_WEIGHT.get(token, 1.0))

    # ----- matching -----------------------------------------------------------------------------
    def _token_sims(self, token: str) -> dict[str, float]:
        """Vocabulary tokens this query token may stand for, with a similarity in 0–1."""
        sims: dict[str, float] = {token: 1.0} if token in self._weight else {}
        if CJK.match(token) or len(token) < 4 or token in LOW_WEIGHT:
            return sims
        cutoff = 85 if len(token) == 4 else 80
        vocab = self.fuzzy_vocab
        for other, score, _ in process.extract(token, vocab.near_length(len(token)), scorer=fuzz.ratio,
                                               score_cutoff=cutoff, limit=None):  # fmt: skip
            sims[other] = max(sims.get(other, 0.0), score / 100)
        prefixed = {*vocab.starting(token), *vocab.prefixes_of(token)}
        for other in prefixed:  # an inflection ('ateneumin') or a compound's first part
            short, long_ = (token, other) if len(token) < len(other) else (other, token)
            sim = 0.9 if len(long_) - len(short) <= 3 else (0.7 if len(short) >= 5 else 0.0)
            if sim > sims.get(other, 0.0):
                sims[other] = sim
        if len(token) >= 5:  # the head of a compound: 'kirjasto' in 'keskustakirjasto'
            for other in vocab.ending(token):
                if other not in prefixed and sims.get(other, 0.0) < 0.75:
                    sims[other] = 0.75
        return sims

    def _query(self, text: str) -> list[QueryToken]:
        tokens = list(dict.fromkeys(_plain(t) for t in tokenize(text)))
        if any(t not in LOW_WEIGHT for t in tokens):  # 'Stockmann Helsinki': the city's name says nothing more
            tokens = [t for t in tokens if t not in CITY_WORDS]
        folded = fold_text(text)
        cats: list[set[str]] = [set() for _ in tokens]
        if CJK.search(folded):
            for phrase, parts, slugs in self._cjk_phrases:
                if phrase in folded:
                    for i, t in enumerate(tokens):
                        if t in parts:
                            cats[i] |= slugs
        for i, t in enumerate(tokens):
            for parts, slugs in self._word_phrases.get(t, ()):
                if tokens[i : i + len(parts)] == parts:
                    for j in range(i, i + len(parts)):
                        cats[j] |= slugs
        return [QueryToken(t, self.weight(t), cats[i], self._token_sims(t)) for i, t in enumerate(tokens)]

    def _score(self, query: list[QueryToken], qkey: str, entry: Entry) -> tuple[float, bool, bool]:
        """(score, weak, exact): coverage of the query × (0.8 + 0.2 × coverage of the name), 1 + EXACT_BONUS
        for the name itself. A name matched on less than half its weight is weak: it cannot be *the*
        answer unless a matched word is in no other name: 'National Museum' is not Ateneum for sharing
        'national'. A one-word query is weak too unless it spells the whole name (``_spells``)."""
        if entry.key == qkey or (entry.core and entry.core == _core(qkey)):
            return 1.0 + EXACT_BONUS, False, True
        category = self.targets[entry.target].category
        num = den = 0.0
        matched: dict[str, float] = {}
        for q in query:
            best = 0.0
            for tok in entry.tokens:
                sim = q.sims.get(tok, 0.0)
                if sim > best:
                    best = sim
                if sim > matched.get(tok, 0.0):
                    matched[tok] = sim
            if category in q.categories:
                best = max(best, CATEGORY_SIM)
            if best < CONTEXT_SIM and any(q.sims.get(tok, 0.0) >= 0.8 for tok in entry.context):
                best = CONTEXT_SIM
            num += q.weight * best
            den += q.weight
        q_cov = num / den if den else 0.0
        n_num = sum(w * matched.get(t, 0.0) for t, w in zip(entry.tokens, entry.weights, strict=True))
        n_cov = n_num / sum(entry.weights)
        weak = n_cov < 0.5 and not any(matched.get(t, 0.0) >= 0.8 for t in entry.tokens if t in self.unique)
        words = [q.text for q in query if q.text not in LOW_WEIGHT]
        if len(words) == 1 and not self._spells(words[0], entry):
            weak = True
        return q_cov * (0.8 + 0.2 * n_cov), weak, False

    @staticmethod
    def _spells(word: str, entry: Entry) -> bool:
        """Whether a query of this one word names the whole of ``entry``: every word of the name but the city's
        and stopwords is ``word`` itself, a misspelling close enough to stand alone (``SPELLS``: a long word has
        room for a typo, a short one is then another word) or ``word`` inflected ('Ateneumin'). One word that
        matches one word of a longer name ('Paris' in 'Fashion Paris', even 'Ekberg' in 'Cafe Ekberg': 'fashion'
        and 'cafe' are as much a name as a kind), only the start of a word ('Tokyo' in 'Tokyokan') or a word two
        letters off ('Atlantis', 'Atlantit') may mean something else entirely, and nothing else in the query can
        tell: such a match is listed, never *the* answer."""
        for tok in entry.tokens:
            if tok in LOW_WEIGHT:
                continue
            inflected = len(tok) >= 4 and word.startswith(tok) and len(word) - len(tok) <= INFLECTION
            if tok != word and not inflected and fuzz.ratio(word, tok) < SPELLS:
                return False
        return True

    def _bounds(self, query: list[QueryToken]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(touched names as a mask over all names and as ids, their scores): every name holding a token a query
        word may stand for, scored at once as ``_score`` scores one (without its exact-name case), in arrays as
        long as the touched names, not all names. Sums run in another order than ``_score``'s, so a score here
        decides only which names ``_score`` looks at, with ``SLACK``."""
        n = len(self.entries)
        touched = np.zeros(n, dtype=bool)
        for q in query:
            for tok in q.sims:
                if (ids := self.postings.get(tok)) is not None:
                    touched[ids] = True
        idx = np.flatnonzero(touched)
        pos = np.empty(n, dtype=np.int64)  # a touched name's place in ``idx``
        pos[idx] = np.arange(len(idx))
        categories = self._category_code[idx]
        num = np.zeros(len(idx), dtype=np.float64)
        den = 0.0
        matched: dict[str, float] = {}
        for q in query:
            best = np.zeros(len(idx), dtype=np.float64)
            for tok, sim in sorted(q.sims.items(), key=lambda kv: kv[1]):  # ascending: a name's best sim is set last
                if (ids := self.postings.get(tok)) is not None:
                    best[pos[ids]] = sim
                if sim > matched.get(tok, 0.0):
                    matched[tok] = sim
            for slug in q.categories:
                if (code := self._category_codes.get(slug)) is not None:
                    hit = categories == code
                    best[hit] = np.maximum(best[hit], CATEGORY_SIM)
            for tok, sim in q.sims.items():
                if sim >= 0.8 and (ids := self._context.get(tok)) is not None:
                    at = pos[ids[touched[ids]]]
                    best[at] = np.maximum(best[at], CONTEXT_SIM)
            num += q.weight * best
            den += q.weight
        named = np.zeros(len(idx), dtype=np.float64)
        for tok, sim in matched.items():
            if (ids := self.postings.get(tok)) is not None:
                named[pos[ids]] += self.weight(tok) * sim  # a name holds a token once
        q_cov = num / den if den else np.zeros(len(idx))
        return touched, idx, q_cov * (0.8 + 0.2 * named / self._name_weight[idx]) + self._prior[idx]

    def _exact(self, qkey: str, touched: np.ndarray) -> list[int]:
        """Touched names that are the query itself (``_score``'s exact case)."""
        core = _core(qkey)
        found = {*self._by_key.get(qkey, ()), *(self._by_core.get(core, ()) if core else ())}
        return [e for e in sorted(found) if touched[e]]

    @staticmethod
    def _floor(low: float, ranked: np.ndarray, rank: int, top: Scored | None = None) -> float:
        """A floor that lets in about ``rank`` names (``ranked``: the scores from ``_bounds``, best first) and, when
        ``top`` could be *the* answer, every score tied with it (a chain's branches, a rival to be beaten by
        ``MARGIN``); never under ``low``."""
        cut = float(ranked[rank]) if rank < len(ranked) else low
        if top is not None and top.firm >= CONFIDENT:
            cut = min(cut, top.score - MARGIN - 0.001)
        return max(low, cut)

    def _prefix(
        self,
        query: list[QueryToken],
        qkey: str,
        touched: np.ndarray,
        ids: np.ndarray,
        bound: np.ndarray,
        exact: list[int],
        extra: list[Scored],
        floor: float,
        origin: GeoPoint,
        known: dict[int, Scored],
    ) -> list[Scored]:
        """Every candidate scoring at least ``floor``, ranked: the head of the ranking of all candidates. A target is
        scored on all its touched names, as a scan would (its firmness may come from a name under the floor);
        ``known`` keeps the targets scored for a higher floor, so a lower one scores only the new ones."""
        chosen = {self.entries[e].target for e in [*ids[bound >= floor - SLACK].tolist(), *exact]}
        first = self._first
        names = sorted(e for t in chosen - known.keys() for e in range(first[t], first[t + 1]) if touched[e])
        for t, s in self._scored(query, qkey, names).items():
            s.distance_m = haversine_m(origin, s.target.point)
            known[t] = s
        scored = [s for s in [*known.values(), *extra] if s.score >= floor]
        scored.sort(key=lambda s: (-s.score, KIND_ORDER[s.target.kind], s.distance_m, s.target.id))
        return scored

    def _scored(self, query: list[QueryToken], qkey: str, entries: Iterable[int]) -> dict[int, Scored]:
        """Each target's best score over ``entries`` (and whether one of them is its exact name)."""
        best: dict[int, Scored] = {}
        for e in entries:
            entry = self.entries[e]
            score, weak, exact = self._score(query, qkey, entry)
            target = self.targets[entry.target]
            found = best.setdefault(entry.target, Scored(target, -1.0, firm=-1.0))
            found.score = max(found.score, score + target.prior)
            found.firm = max(found.firm, min(score + target.prior, CONFIDENT - 0.01) if weak else score + target.prior)
            found.exact = found.exact or exact
        return best

    def lookup(
        self,
        text: str,
        near: GeoPoint | None,
        origin: GeoPoint,
        extra: list[Scored] | None = None,
        limit: int | None = None,
        *,
        kind_asked: bool = False,
        line: str = "",
    ) -> Verdict:
        """Every candidate for ``text`` with a verdict. ``extra`` are scored candidates found elsewhere (street
        addresses); ``origin`` is where distances are measured from (the bias point or the city centre). With
        ``limit``, only what a caller shown ``limit`` candidates sees is listed: the first ``limit`` + 1, every one
        tied with the best (a chain's branches), a category's nearest ``limit`` (``Verdict.total`` counts them all).

        Only names that can matter are scored one by one (``_prefix``): candidates are ranked best first and one
        collapses only into a better one, so those above a floor are the head of the full ranking. The floor drops
        (never under ``PLAUSIBLE``, or ``SUGGEST`` when nothing is plausible) until the head holds the first
        ``limit`` + 1 and, if the best is firm enough to be the answer, every candidate within ``MARGIN`` of it:
        whether it is confident, or a chain's branch, depends on those alone. A category's answer needs no scores
        at all. ``kind_asked``: the text was asked for as the nearest of its kind, so a place named only as the kind
        is (an ATM called 'ATM') is one of them, not the answer by its name: '最近的ATM' was that one, 192 m away,
        before another at 83 m. ``line``: the line of stations the text asks for ('地铁站': 'metro'), so the kind
        'station' is that line's stations only ('最近的地铁站' was the railway station, 60 m nearer than the metro)."""
        kind, nearest = nearest_words(text)
        if nearest:
            return as_nearest(self.lookup(kind, near, origin, extra, limit, kind_asked=True, line=line))
        text = POSTCODE.sub(" ", text)
        query = self._query(text)
        words = [q for q in query if q.text not in STOPWORDS]
        if words and all(q.text in CITY_WORDS for q in words):
            return Verdict("not_found", "city", [])
        qkey = name_key(text)
        extra = extra or []
        touched, ids, bound = self._bounds(query)
        exact = self._exact(qkey, touched)
        slugs = sorted(set.intersection(*[q.categories for q in words])) if words else []
        named = bool(exact) or any(s.exact for s in extra)
        if slugs and all(q.categories for q in words) and (kind_asked or not named):
            lined = [f"station:{line}" if s == "station" and f"station:{line}" in self._tables else s for s in slugs]
            return self._category(lined, origin, limit)
        best = max([float(bound.max()) if len(bound) else -1.0, *(s.score for s in extra),
                    *(1 + EXACT_BONUS + self.targets[self.entries[e].target].prior for e in exact)])  # fmt: skip
        low, need = (PLAUSIBLE, 2) if best >= PLAUSIBLE - SLACK else (SUGGEST, 3)
        need = need if limit is None else max(need, limit + 1)
        ranked = -np.sort(-bound[bound >= low - SLACK])  # what each floor would let in: a few more names each time
        rank = 2 * need
        floor = low if limit is None else self._floor(low, ranked, rank)
        if best >= CONFIDENT:  # the best may be the answer: start with every score tied with it
            floor = max(low, min(floor, best - MARGIN - 0.001))
        for s in extra:
            s.distance_m = haversine_m(origin, s.target.point)
        known: dict[int, Scored] = {}
        while True:
            scored = self._prefix(query, qkey, touched, ids, bound, exact, extra, floor, origin, known)
            heads = self._cluster(scored)
            if floor <= low:
                if low == PLAUSIBLE and not heads:  # the best was only a rounding away from plausible
                    low = floor = SUGGEST
                    continue
                break
            top = heads[0] if heads else None
            if top and len(heads) >= need and (top.firm < CONFIDENT or floor <= top.score - MARGIN):
                break  # the first ``need`` are known and, when the best may be the answer, all tied with it
            rank *= 4
            floor = max(low, min(floor - 0.05, self._floor(low, ranked, rank, top)))
        plausible = [s for s in heads if s.score >= PLAUSIBLE]
        if not plausible:
            return Verdict("not_found", "nothing", heads[:3])
        top = plausible[0]
        rival = plausible[1] if len(plausible) > 1 else None
        if top.firm >= CONFIDENT and (rival is None or top.firm - rival.score >= MARGIN):
            return Verdict("confident", "match", plausible)
        tied = [s for s in plausible if top.score - s.score < MARGIN]
        if top.firm >= CONFIDENT and len({s.target.key for s in tied}) == 1:  # branches of one chain
            spot = _namesake(tied)
            if spot is not None:
                return Verdict("confident", "match", [spot, *(s for s in plausible if s is not spot)])
            if near is not None:
                tied.sort(key=lambda s: s.distance_m)
                d1, d2 = tied[0].distance_m, tied[1].distance_m
                if d2 >= CHAIN_FACTOR * d1 and d2 - d1 >= CHAIN_GAP_M:
                    rest = [s for s in plausible if s is not tied[0]]
                    return Verdict("confident", "chain", [tied[0], *rest], branches=len(tied))
            return Verdict("ambiguous", "chain", sorted(tied, key=lambda s: s.distance_m), branches=len(tied))
        return Verdict("ambiguous", "tie" if top.score >= CONFIDENT and len(tied) > 1 else "weak", plausible)

    def _cluster(self, scored: list[Scored], twins: bool = True) -> list[Scored]:
        """One candidate per place on the ground (``_same_spot``): the better one (earlier) stands for both."""
        heads: list[Scored] = []
        grid = SpotGrid(twins)
        for s in scored:
            if not grid.seen(s.target):
                heads.append(s)
                grid.keep(s.target)
        return heads

    def _category(self, slugs: list[str], origin: GeoPoint, limit: int | None = None) -> Verdict:
        """A category's places, nearest first, one per place on the ground; with ``limit``, only the nearest
        ``limit`` are listed (a grown city has 10,000 cafés) and ``total`` counts them all."""
        tables = [t for s in slugs if (t := self._tables.get(s)) is not None]
        targets = [t for table in tables for t in table.targets]
        lat = np.concatenate([t.lat for t in tables]) if tables else np.zeros(0)
        lng = np.concatenate([t.lng for t in tables]) if tables else np.zeros(0)
        lone = np.concatenate([t.lone for t in tables]) if tables else np.zeros(0, dtype=bool)
        rough = _distances_m(lat, lng, origin)
        crowded = self._ordered(targets, rough, np.flatnonzero(~lone), origin)
        total = int(lone.sum()) + len(self._cluster(crowded, twins=False))
        want = len(targets) if limit is None else limit
        k = min(len(targets), max(want, 1))
        while True:
            prefix = self._ordered(targets, rough, None, origin, k)
            places = self._cluster(prefix, twins=False)
            if len(places) >= want or len(prefix) >= len(targets):
                break
            k = min(len(targets), 4 * k)
        places = places[:want]
        if total == 1:
            return Verdict("confident", "category", places, categories=slugs, total=total)
        return Verdict("ambiguous" if total else "not_found", "category", places, categories=slugs, total=total)

    @staticmethod
    def _ordered(targets: list[Target], rough: np.ndarray, which: np.ndarray | None, origin: GeoPoint,
                 k: int | None = None) -> list[Scored]:  # fmt: skip
        """``targets[which]`` (or, with ``k``, the nearest ``k`` or a few more) as scored places in the order of
        their exact distances and ids: what sorting them all would put first. ``rough`` (numpy's distances) only
        preselects; a margin far above its rounding keeps every place that could come first."""
        if which is None:
            if not len(targets):
                return []
            assert k is not None
            cut = float(np.partition(rough, k - 1)[k - 1]) if k < len(rough) else math.inf
            which = np.flatnonzero(rough <= cut + 0.01)
        else:
            cut = math.inf
        places = [Scored(targets[i], CATEGORY_SCORE, False, haversine_m(origin, targets[i].point))
                  for i in which.tolist()]  # fmt: skip
        places.sort(key=lambda s: (s.distance_m, s.target.id))
        return [s for s in places if s.distance_m <= cut + 0.005]
