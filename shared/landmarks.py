"""Landmarks by the names people call them ('the Central Station', '中央火车站', 'Oodi', '大教堂'), for every vertical.

Nav geocodes them with its full index; movies measured cinema distances only from a street, a cinema or a district,
and refused '赫尔辛基中央火车站' with 'use nav_geocode'. ``Landmarks`` reads the same places and common names, and
finds the landmark a text names: a small exact lookup, not a geocoder.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from shared.errors import shown
from shared.schemas.common import GeoPoint
from shared.text import any_of_words, fold, has_cjk, take_match

# Common names of landmarks and districts that OpenStreetMap does not carry, by place id (fixtures/osm/places.json)
# or district id (fixtures/nav/districts.json).
ALIASES = {
    # Keskusta (OSM names it 'City center' only); the Chinese district names are those tickets gives its areas
    # (fixtures/build_tickets.py DISTRICTS), so one name means one place
    "dst_n4246817520": ["City centre", "City center", "Downtown", "Helsinki city centre", "Helsinki centre", "市中心",
                        "市区"],
    "dst_n1376356019": ["克卢维"],  # Kluuvi
    "dst_n340107890": ["卡尔廷考蓬基"],  # Kaartinkaupunki
    "dst_n673773964": ["哈卡涅米"],  # Hakaniemi
    "plc_w596937289": [  # Helsingin keskustakirjasto Oodi
        "Oodi", "Keskustakirjasto", "Central Library", "Oodi Central Library", "Oodi library", "颂歌图书馆",
        "中央图书馆", "奥迪图书馆", "Ode",
    ],
    "plc_w419479428": [  # Helsingin tuomiokirkko
        "Tuomiokirkko", "Domkyrkan", "Lutheran Cathedral", "St Nicholas' Church", "Helsinki Cathedral", "Cathedral",
        "赫尔辛基大教堂", "大教堂", "白教堂", "路德大教堂",
    ],
    "plc_w122595198": [  # Helsingin päärautatieasema
        "Rautatieasema", "Päärautatieasema", "Central Station", "Railway Station", "Helsinki Central Station",
        "the station", "the train station", "the railway station",
        "Centralstationen", "中央车站", "火车站", "赫尔辛基火车站", "赫尔辛基中央车站", "中央火车站",
    ],
    "plc_w122595207": ["Kansallisteatteri", "National Theatre", "芬兰国家剧院", "国家剧院"],  # Suomen Kansallisteatteri
    "plc_w58023634": [  # Musiikkitalo
        "Music Centre", "Music Center", "Helsinki Music Center", "Musikhuset", "赫尔辛基音乐中心", "音乐中心", "音乐厅",
    ],
    "plc_w8042215": [  # Kiasma
        "Kiasma Museum of Contemporary Art", "Museum of Contemporary Art", "Nykytaiteen museo Kiasma",
        "奇亚斯玛当代艺术博物馆", "当代艺术博物馆", "奇亚斯玛",
    ],
    "plc_w8033120": [  # Ateneum
        "Ateneum Art Museum", "Taidemuseo Ateneum", "Finnish National Gallery", "雅典娜美术馆", "阿黛浓美术馆",
        "阿黛浓美术馆",
    ],
    "plc_w24337154": ["Kaupungintalo", "市政厅"],  # Helsingin kaupungintalo
    "plc_w123814071": ["老市场", "老市场大厅", "老集市"],  # Vanha Kauppahalli
    "plc_n1815986142": [  # Kolera-allas: the Market Square pier, where the Suomenlinna ferry leaves
        "Suomenlinna ferry", "Suomenlinna ferry pier", "Market Square ferry pier", "Suomenlinnan lautta",
        "芬兰堡渡轮码头", "芬兰堡渡轮", "芬兰堡码头", "去芬兰堡的渡轮",
    ],
    "plc_n5887336141": ["Amos Rex Art Museum", "阿莫斯雷克斯美术馆", "阿莫斯雷克斯"],  # Amos Rex
    "plc_w185401488": ["Chapel of Silence", "Kamppi Chapel of Silence", "Hiljaisuuden kappeli", "静默教堂"],
    "plc_w122965398": ["瑞典剧院"],  # Svenska Teatern
    "plc_w123525345": ["Old Church", "老教堂"],  # Vanha kirkko
    "plc_n1376320186": ["Havis Amanda fountain", "哈维斯阿曼达", "美人鱼雕像"],  # Havis Amanda
    "plc_n1380976595": ["Three Smiths Statue", "三铁匠雕像", "三个铁匠"],  # Kolme seppää
    "plc_w28328802": ["Esplanadi", "Espa", "Esplanade Park", "Esplanadi park", "滨海公园", "埃斯普拉纳迪公园"],
    # Kaisaniemen kasvitieteellinen puutarha
    "plc_w122869882": ["Botanic Garden", "Kaisaniemi Botanic Garden", "植物园"],
    "plc_w122595247": ["National Library", "芬兰国家图书馆", "国家图书馆"],  # Kansalliskirjasto
    "plc_w446178813": ["Helsinki University", "赫尔辛基大学"],  # Helsingin yliopisto
    "plc_w122595241": ["Stockmann department store", "斯托克曼百货", "斯托克曼"],  # Stockmann
    "plc_n1376356017": ["Kinopalatsi cinema"],  # Kinopalatsi
    "plc_n159708942": ["Market Square", "Salutorget", "集市广场", "露天市场"],  # Kauppatori (tram stop at the square)
    "plc_n314026741": ["Senate Square", "Senatstorget", "参议院广场"],  # Senaatintori (tram stop at the square)
    "plc_n1380974090": ["火车站广场"],  # Rautatientori
    # Helsingin yliopiston pääkirjasto
    "plc_n1007942428": ["Kaisa House", "Kaisa-talo", "赫尔辛基大学图书馆", "大学图书馆"],
}  # fmt: skip

STREETS_ZH = {
    "曼纳海姆大街": "Mannerheimintie", "曼纳海姆路": "Mannerheimintie", "曼纳海姆街": "Mannerheimintie",
    "亚历山大大街": "Aleksanterinkatu", "亚历山大街": "Aleksanterinkatu", "亚历山大路": "Aleksanterinkatu",
}  # fmt: skip
"""The main streets as Chinese guides name them ('曼纳海姆大街5号' is Mannerheimintie 5): a street the map spells only
in Finnish was 'no street called' that, and '曼纳海姆大街' nothing at all."""
_STREETS_ZH = re.compile("|".join(sorted(STREETS_ZH, key=len, reverse=True)))


def finnish_street(text: str) -> str:
    """``text`` with a main street's Chinese name (``STREETS_ZH``) as the map spells it, a space before its number."""
    return _STREETS_ZH.sub(lambda m: f" {STREETS_ZH[m[0]]} ", text).strip()


OFF_MAP: dict[tuple[str, ...], str] = {
    ("Suomenlinna", "Sveaborg", "Suomenlinna fortress", "芬兰堡", "芬兰城堡", "苏奥门林纳"): (
        "Suomenlinna, the sea fortress, is an island off this map: the HSL ferry there (15 min) leaves from the Market "
        "Square pier, Kolera-allas (plc_n1815986142), which can be routed to"
    ),
    ("Temppeliaukio", "Temppeliaukio Church", "Temppeliaukion kirkko", "Rock Church", "Church of the Rock", "岩石教堂",
     "石头教堂", "坦佩利奥基奥教堂"): "Temppeliaukio Church (the Rock Church) is in Töölö, west of this map",
    ("Uspenski Cathedral", "Uspenskin katedraali", "Uspenski", "乌斯别斯基大教堂", "乌斯本斯基教堂", "东正教堂"): (
        "Uspenski Cathedral (the Orthodox one) is in Katajanokka, just east of this map; Helsinki Cathedral "
        "(Tuomiokirkko, Lutheran) is on it"
    ),
    ("Sibelius Monument", "Sibelius-monumentti", "Sibelius Park", "西贝柳斯纪念碑", "西贝柳斯公园"): (
        "the Sibelius Monument is in Töölö's Sibelius Park, north-west of this map"
    ),
    ("Helsinki Airport", "Helsinki-Vantaa", "Helsinki-Vantaa Airport", "lentoasema", "赫尔辛基机场", "万塔机场",
     "机场", "airport", "the airport", "Vantaa airport", "lentokenttä", "flygplats"): (
        "Helsinki Airport is in Vantaa, 17 km north of this map: the I and P trains there (about 30 min) leave from "
        "the Central Station, Helsingin päärautatieasema (plc_w122595198), which can be routed to"
    ),
    ("Olympic Stadium", "Olympiastadion", "奥林匹克体育场"): "the Olympic Stadium is in Töölö, north of this map",
    ("Seurasaari", "Seurasaari Open-Air Museum", "塞乌拉岛", "塞拉岛露天博物馆"): (
        "Seurasaari and its open-air museum are on an island west of the city, off this map"
    ),
    ("Kamppi shopping centre", "Kamppi shopping center", "Kampin kauppakeskus", "Kamppi Center", "坎皮购物中心",
     "坎皮商场"): (
        "Kamppi shopping centre (with the long-distance bus terminal under it) is at Urho Kekkosen katu 1, just west "
        "of this map; Kamppi's east side, Forum and Lasipalatsi are on it"
    ),
    ("Tennispalatsi", "Finnkino Tennispalatsi", "Tennis Palace", "网球宫", "网球宫影城", "网球宫电影院"): (
        "Tennispalatsi, Finnkino's multiplex (HAM, the city art museum, is in the same building), is at Salomonkatu "
        "15 in Kamppi, just west of this map; the cinemas on it are Kinopalatsi, Bio Rex and Kino Engel"
    ),
    ("Linnanmäki", "Linnanmaki", "林南马基", "林南马基游乐园"): (
        "Linnanmäki, the amusement park, is in Alppila, north of this map"
    ),
    ("Parliament House", "Parliament of Finland", "Finnish Parliament", "Eduskuntatalo", "Eduskunta", "Riksdagshuset",
     "国会大厦", "芬兰国会", "芬兰议会", "议会大厦"): (
        "Parliament House (Eduskuntatalo) is at Mannerheimintie 30, just west of this map across the street from "
        "Kiasma (plc_w8042215), which can be routed to"
    ),
    ("Finlandia Hall", "Finlandia-talo", "Finlandiahuset", "芬兰大厦", "芬兰宫", "芬兰厅"): (
        "Finlandia Hall is on Töölönlahti bay at Mannerheimintie 13e, just west of this map beside the Music Centre "
        "(Musiikkitalo, plc_w58023634), which can be routed to"
    ),
    ("National Museum of Finland", "Finnish National Museum", "Kansallismuseo", "Nationalmuseum", "芬兰国家博物馆",
     "国家博物馆"): "the National Museum of Finland is at Mannerheimintie 34 in Töölö, just north-west of this map",
    ("Finnish National Opera", "National Opera", "Helsinki Opera House", "Kansallisooppera", "芬兰国家歌剧院",
     "国家歌剧院", "赫尔辛基歌剧院"): (
        "the Finnish National Opera is on Töölönlahti bay in Töölö, north-west of this map"
    ),
    ("Design Museum", "Designmuseo", "Designmuseet", "设计博物馆"): (
        "the Design Museum is at Korkeavuorenkatu 23 in Kaartinkaupunki, just south of this map"
    ),
    ("Presidential Palace", "Presidentinlinna", "Presidentens slott", "总统府", "总统官邸"): (
        "the Presidential Palace is at Pohjoisesplanadi 1, just east of this map beside the Market Square "
        "(Kauppatori, plc_n159708942), which can be routed to"
    ),
    ("SkyWheel", "SkyWheel Helsinki", "Helsinki SkyWheel", "Finnair SkyWheel", "Allas Sea Pool", "摩天轮",
     "赫尔辛基摩天轮", "海水泳池"): (
        "SkyWheel and the Allas Sea Pool are on the Katajanokka quay, just east of this map past the Market Square "
        "(Kauppatori, plc_n159708942), which can be routed to"
    ),
    ("Kaivopuisto", "Kaivopuisto park", "Brunnsparken", "凯沃公园", "卡伊沃公园"): (
        "Kaivopuisto park is on the seafront in Ullanlinna, south of this map"
    ),
    ("Löyly", "Löyly sauna", "洛伊吕桑拿"): "Löyly, the public sauna, is in Hernesaari, south-west of this map",
    ("Hietaniemi beach", "Hietaniemen uimaranta", "Hietsu", "希耶塔涅米海滩"): (
        "Hietaniemi beach (Hietsu) is in Töölö, west of this map"
    ),
}  # fmt: skip
"""Sights and places people ask for that lie just off the map (central Helsinki): 'Suomenlinna' was 'nothing
matches, check the spelling', and 'Uspenski Cathedral' came back as Helsinki Cathedral, another church."""
_OFF_MAP = {fold(name): said for names, said in OFF_MAP.items() for name in names}
_OFF_MAP_PATTERN = re.compile(any_of_words(_OFF_MAP, word=r"\w"))


def off_map(text: str) -> str:
    """What to say of a known sight off the map that ``text`` names (the longest name it holds), or ''."""
    name = off_map_name(text)
    return _OFF_MAP[name] if name else ""


def off_map_name(text: str) -> str:
    """The longest name of a sight off the map that ``text`` holds, folded ('' for none)."""
    found = [m[0] for m in _OFF_MAP_PATTERN.finditer(fold(" ".join(text.split())))]
    return max(found, key=len) if found else ""


KINDS = frozenset(
    {"museum", "library", "theatre", "cinema", "arts_centre", "station", "place_of_worship", "park", "events_venue"}
    | {"gallery", "attraction", "concert_hall", "mall", "marketplace", "ferry_terminal", "swimming_pool", "hotel"}
    | {"school", "bus_station"}
)
"""The kinds of place people give as where they are ('near the Ateneum', '大教堂附近'); shops and restaurants are
found by nav."""


HERE_WORDS = frozenset(
    {"me", "here", "us", "my location", "where i am", "my position", "this place", "我", "这里"}
    | {"current location", "my current location", "current position", "where i am now", "我的位置"}
    | {"当前位置", "我现在的位置", "我在的地方", "我这里", "我这儿", "这儿", "现在的位置"}
)
"""Where the user already is ('atm near me', '离我最近'): no place to look up."""


def means_here(where: str) -> bool:
    """Whether a place said ('me' of 'near me', '我' of '离我最近') is where the user already is (``HERE_WORDS``)."""
    return fold(where).rstrip("?!. ") in HERE_WORDS


NEAR_SAID = re.compile(
    r"(?<!\w)(?:near|around|close to|next to|nearest to|closest to)\s+(?P<en>[^,?!]+?)\s*(?=$|[,?!])"
    r"|(?:离|距离?)?(?P<zh>(?:(?-i:[A-Z])[\w'’.&-]*\s+)*[^\s的,，]+?)(?:附近|周边|旁边|最近)的?",
    re.IGNORECASE,
)
"""A place said as where to look around ('concerts near Oodi', '中央火车站附近的音乐会', '离大教堂最近的演出'): a
vertical searching by words reads it as the point to measure from. A name of several capitalised words before 附近
is all of it ('Helsinki Music Centre附近的餐厅' was 'Centre', no place)."""
NEARBY = re.compile(r"^\s*(?:附近|周边|身边|就近)的?|(?<!\w)(?:nearby|near by|close by)(?!\w)", re.IGNORECASE)
"""'Nearby' with no place ('附近的演出', 'concerts nearby'): where the user is, as 'near me' (``HERE_WORDS``)."""

_NEAREST = re.compile(r"^(?:the\s+)?(?:nearest|closest)(?:\s+one)?(?!\w)|^(?:离?我?)?最近的?")


def said_here(address: str, kinds: frozenset[str] = frozenset()) -> bool:
    """Whether an address given is where the user is ('near me', '我附近', '附近', 'nearby', 'the nearest',
    '离我最近的'), perhaps with a word for what is looked for (``kinds``: '离我最近的电影院', 'cinemas near me'): no
    place of the map, so a vertical measures from the account's home, as tickets' 'near me' does."""
    text = fold(address).strip(" ?!.,，。？")
    if means_here(text):
        return True
    if (nearest := _NEAREST.match(text)) is not None and text[nearest.end() :].strip() in kinds | {""}:
        return True
    rest, m = take_match(NEAR_SAID, text)
    if m is not None and not means_here((m["en"] or m["zh"] or "").strip()):
        return False
    if m is None:
        rest, m = take_match(NEARBY, text)
    return m is not None and (not rest or rest in kinds)


@dataclass(frozen=True)
class Landmark:
    id: str
    name: str
    point: GeoPoint
    address: str


CINEMA_WORDS = ("露天夏日影院", "艺术影院", "电影院", "影城", "影院")
"""How a Chinese cinema name ends ('基诺宫影城', '恩格尔艺术影院'): people drop the word or say another one."""


def cinema_short_names(name_zh: str) -> list[str]:
    """The other names people give a cinema its Chinese name ends in a word for cinema: '基诺宫影城' is also
    '基诺宫', '基诺宫电影院', '基诺宫影院' (the stem is a transliteration, so it names nothing else; a stem two
    cinemas share names neither, by the callers' rules). Names ending otherwise have none: '论坛剧院' is not '论坛'."""
    bare = re.sub(r"（[^）]*）", "", name_zh).strip()
    word = next((w for w in CINEMA_WORDS if bare.endswith(w)), "")
    stem = bare[: -len(word)] if word else ""
    if len(stem) < 2:
        return []
    return [n for n in (stem, f"{stem}电影院", f"{stem}影院", f"{stem}影城") if n != bare]


def venue_names(fixtures_dir: Path) -> dict[str, list[str]]:
    """Place id → the names tickets and movies show for it ('Kino Engel / 恩格尔艺术影院', 'Forum Theatre / 论坛剧院'):
    a user reads a venue or cinema there and gives it as where to go or to deliver ('基诺宫影城附近的火锅'). Read from
    their fixtures (data, not their code), so one name means one place in every server."""
    out: dict[str, list[str]] = {}
    for path, key in (
        (fixtures_dir / "tickets" / "venues.json", "venues"),
        (fixtures_dir / "movies" / "cinemas.json", "cinemas"),
    ):
        for v in json.loads(path.read_text(encoding="utf-8"))[key] if path.exists() else []:
            said = [n for n in (v.get("name_en", ""), v.get("name_zh", "")) if n and n != v["name"]]
            said += cinema_short_names(v.get("name_zh", ""))
            if v.get("place_id") and said:
                out.setdefault(v["place_id"], []).extend(said)
    return out


_ARTICLE = re.compile(r"^(?:(?:a|an|the|any|some|one)\s+|一个|一家|某个|某家)")
"""The article before a kind said as where ('near a cinema', '一家酒店附近'): an English one is a word of its own
('theatre' and 'atm' begin with 'the' and 'a')."""


class Landmarks:
    """Every landmark of the city by each of its names, folded; a name two landmarks share names neither.
    ``venues``: the names tickets and movies show for their venues (``venue_names``), which are landmarks too.
    ``kinds``: the vocabulary of kinds of place (fixtures/vocab/place_categories.json), to tell a kind said as
    where ('电影院附近', 'near a cinema') from a place."""

    def __init__(
        self,
        places: list[dict[str, object]],
        venues: dict[str, list[str]] | None = None,
        kinds: list[dict[str, object]] | None = None,
    ) -> None:
        by_name: dict[str, set[str]] = {}
        self.places: dict[str, Landmark] = {}
        self.kind_words: dict[str, tuple[str, str]] = {}  # folded word -> (category, 'Cinema 电影院')
        for k in kinds or []:
            label = " ".join(str(k[n]) for n in ("en", "zh") if k.get(n))
            words = [k.get("en"), k.get("zh"), *(k.get("synonyms") or [])]  # type: ignore[misc]
            for word in words:
                if word:
                    self.kind_words.setdefault(fold(str(word)), (str(k["slug"]), label))
        self.of_kind: dict[str, list[str]] = {}  # category -> the names of its places, as OSM has them
        venue_said = venues or {}
        for p in places:
            pid = str(p["id"])
            self.of_kind.setdefault(str(p["category"]), []).append(str(p["name"]))
            if p["category"] not in KINDS and pid not in ALIASES and pid not in venue_said:
                continue
            street = f"{p.get('street', '')} {p.get('housenumber', '')}".strip()
            point = GeoPoint(lat=float(p["lat"]), lng=float(p["lng"]))  # type: ignore[arg-type]
            self.places[pid] = Landmark(pid, str(p["name"]), point, f"{street}, Helsinki" if street else "Helsinki")
            names = [p["name"], p.get("name_en", ""), p.get("name_sv", ""), p.get("name_zh", ""), *ALIASES.get(pid, []),
                     *venue_said.get(pid, [])]  # fmt: skip
            for name in names:
                key = fold(str(name or "")).strip()
                if len(key) >= (2 if has_cjk(key) else 4):
                    by_name.setdefault(key, set()).add(pid)
        self.names = {key: next(iter(ids)) for key, ids in by_name.items() if len(ids) == 1}
        self._pattern = re.compile(any_of_words(self.names))

    @staticmethod
    @functools.cache
    def load(fixtures_dir: Path) -> Landmarks:
        doc = json.loads((fixtures_dir / "osm" / "places.json").read_text(encoding="utf-8"))
        vocab = fixtures_dir / "vocab" / "place_categories.json"
        kinds = json.loads(vocab.read_text(encoding="utf-8")) if vocab.exists() else []
        return Landmarks(doc["places"], venue_names(fixtures_dir), kinds)

    def find(self, text: str) -> Landmark | None:
        """The landmark whose name ``text`` holds (the longest such name: 'Kamppi Chapel of Silence', not Kamppi),
        or None."""
        folded = fold(" ".join(text.split()))
        found = [m[0] for m in self._pattern.finditer(folded)]
        if not found:
            return None
        name = max(found, key=len)
        if len(off_map_name(text)) > len(name):  # 'Uspenski Cathedral' is off the map, not the Cathedral on it
            return None
        return self.places[self.names[name]]

    def not_one_place(self, where: str) -> str:
        """Why ``where``, said as where to look around or deliver, is no one place, as a clause ('' when it names
        none such): a kind of place ('电影院附近的汉堡', 'near a cinema': which of the four?) or a sight off the map
        ('芬兰堡附近'). Both were left out as words on no menu, or of no event, and the search went on from home."""
        sight = off_map(where)
        if sight:
            return sight
        said = fold(" ".join(where.split()))
        said = _ARTICLE.sub("", said)
        kind = self.kind_words.get(said) or self.kind_words.get(said.removesuffix("s"))
        names = self.of_kind.get(kind[0], []) if kind else []
        if kind is None or not names:
            return ""
        listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        return (
            f"{shown(where)} is a kind of place ({kind[1]}), not one place: {len(names)} on the map ({listed}). Name "
            "the one meant, or find them nearest first with nav_search_places"
        )
