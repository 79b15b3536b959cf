"""The geocoder's labelled set: what each query must come back as.

Answers are named the way the fixtures name them (``fixtures/osm/places.json``, ``addresses.json``,
``fixtures/nav/transit.json``, ``fixtures/users.json``); ``test_geocode_quality`` resolves every name to
its ids there, so no id here is invented, and a name the fixtures lack fails the test. A case lists
every acceptable answer (one place can be several fixture rows: a stop's platforms, a station's node
and outline), or the status that must come back instead: ``AMBIGUOUS`` (a chain, a category, a tie)
or ``NOT_FOUND``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from servers.nav.backend.seed import districts
from shared.kit.settings import default_fixtures


@dataclass(frozen=True)
class Ref:
    """A fixture row by name: kind place, stop, address, street or saved; ``where`` tells rows of one name apart
    (a place's street, an address's house number, a saved address's user)."""

    kind: str
    name: str
    where: str = ""


def place(name: str, street: str = "") -> Ref:
    return Ref("place", name, street)


def stop(name: str) -> Ref:
    return Ref("stop", name)


def address(street: str, number: str) -> Ref:
    return Ref("address", street, number)


def street(name: str) -> Ref:
    return Ref("street", name)


def district(name: str) -> Ref:
    return Ref("district", name)


def saved(label: str, user: str = "usr_demo") -> Ref:
    return Ref("saved", label, user)


AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Case:
    group: str
    query: str
    expect: tuple[Ref, ...] | str  # any of these is right, or the status that must come back
    user: str = ""
    near: Ref | None = None  # the bias point: this place's location
    category: str = ""  # AMBIGUOUS as a category: every candidate is of this kind


def ok(group: str, query: str, *expect: Ref, user: str = "", near: Ref | None = None) -> Case:
    return Case(group, query, expect, user=user, near=near)


def ambiguous(group: str, query: str, category: str = "", near: Ref | None = None) -> Case:
    return Case(group, query, AMBIGUOUS, near=near, category=category)


def missing(group: str, query: str, user: str = "") -> Case:
    return Case(group, query, NOT_FOUND, user=user)


SAME_SPOT_M = 300  # rows one name stands for without a street must be one place on the ground


@cache
def fixtures() -> dict[str, Any]:
    root = default_fixtures()

    def read(*parts: str) -> Any:
        return json.loads(root.joinpath(*parts).read_text(encoding="utf-8"))

    return {
        "place": read("osm", "places.json")["places"],
        "address": read("osm", "addresses.json")["addresses"],
        "stop": read("nav", "transit.json")["stops"],
        "district": districts(root),  # OSM's, and those shared.districts adds where the map reaches
        "user": read("users.json")["users"],
    }


def _metres(a: dict[str, Any], b: dict[str, Any]) -> float:
    dy = (a["lat"] - b["lat"]) * 111_195
    dx = (a["lng"] - b["lng"]) * 111_195 * math.cos(math.radians(a["lat"]))
    return math.hypot(dx, dy)


def rows(ref: Ref) -> list[dict[str, Any]]:
    """The fixture rows a reference names (never empty; one spot unless told apart by ``where``)."""
    data = fixtures()
    if ref.kind == "saved":
        user = next(u for u in data["user"] if u["id"] == ref.where)
        found = [a for a in user["addresses"] if a["label"] == ref.name]
    elif ref.kind == "address":
        found = [a for a in data["address"] if a["street"] == ref.name and a["housenumber"] == ref.where]
    elif ref.kind == "street":
        found = [a for a in data["address"] if a["street"] == ref.name]
        assert found, f"no addresses on {ref.name}"
        return [{**found[0], "id": f"street:{ref.name}"}]
    elif ref.kind == "district":
        found = [d for d in data["district"] if d["name"] == ref.name]
        assert found, f"no district {ref.name}"
        return [{**found[0], "id": f"district:{ref.name}"}]
    else:
        found = [r for r in data[ref.kind] if r["name"] == ref.name]
        if ref.where:
            found = [r for r in found if r.get("category") == ref.where or r.get("street", "").startswith(ref.where)]
    assert found, f"{ref} names no row of the fixtures"
    if ref.kind == "place" and not ref.where:
        assert all(_metres(found[0], r) < SAME_SPOT_M for r in found), f"{ref} names places far apart: add a street"
    return found


def one_id(ref: Ref) -> str:
    """The id of the one fixture row ``ref`` names."""
    found = rows(ref)
    assert len(found) == 1, f"{ref} names {len(found)} rows"
    return str(found[0]["id"])


def expected_ids(case: Case) -> set[str]:
    assert not isinstance(case.expect, str)
    return {r["id"] for ref in case.expect for r in rows(ref)}


OODI = place("Helsingin keskustakirjasto Oodi")
CATHEDRAL = place("Helsingin tuomiokirkko")
MUSIC = place("Musiikkitalo")
THEATRE = place("Suomen Kansallisteatteri")
KIASMA = place("Kiasma")
ATENEUM = place("Ateneum")
CITY_HALL = place("Helsingin kaupungintalo")
MARKET_HALL = place("Vanha Kauppahalli")
CHAPEL = place("Kampin kappeli")
GARDEN = place("Kaisaniemen kasvitieteellinen puutarha")
# The central station: OpenStreetMap's outline and node, and the metro station below it (its name_en is "Central
# Railway Station").
STATION = (place("Helsingin päärautatieasema"), place("Helsinki"), place("Rautatientori", "Asemanaukio"),
           stop("Rautatientori"))  # fmt: skip
NATIONAL_LIBRARY = (place("Kansalliskirjasto", "Unioninkatu"), place("Kansalliskirjasto", "Fabianinkatu"))
UNIVERSITY = (place("Helsingin yliopisto", "school"), place("Helsingin yliopisto", "station"),
              stop("Helsingin yliopisto"))  # fmt: skip
RAILWAY_SQUARE = (place("Rautatientori", "bus_station"), place("Rautatientori", "Asemanaukio"), stop("Rautatientori"))
MARKET_SQUARE = (stop("Kauppatori"), place("Kauppatori"))
SENATE_SQUARE = (stop("Senaatintori"), place("Senaatintori"))

CASES: list[Case] = [
    # ----- landmarks and named places by their local (Finnish) names ----------------------------------------------
    ok("local name", "Kiasma", KIASMA),
    ok("local name", "Ateneum", ATENEUM),
    ok("local name", "Oodi", OODI),
    ok("local name", "Keskustakirjasto Oodi", OODI),
    ok("local name", "Musiikkitalo", MUSIC),
    ok("local name", "Kinopalatsi", place("Kinopalatsi")),
    ok("local name", "Suomen Kansallisteatteri", THEATRE),
    ok("local name", "Kansallisteatteri", THEATRE),
    ok("local name", "Svenska Teatern", place("Svenska Teatern")),
    ok("local name", "Amos Rex", place("Amos Rex")),
    ok("local name", "Helsingin tuomiokirkko", CATHEDRAL),
    ok("local name", "Tuomiokirkko", CATHEDRAL),
    ok("local name", "Vanha kirkko", place("Vanha kirkko")),
    ok("local name", "Kampin kappeli", CHAPEL),
    ok("local name", "Helsingin kaupungintalo", CITY_HALL),
    ok("local name", "Vanha Kauppahalli", MARKET_HALL),
    ok("local name", "Helsingin päärautatieasema", *STATION),
    ok("local name", "Rautatieasema", *STATION),
    ok("local name", "Kansalliskirjasto", *NATIONAL_LIBRARY),
    ok("local name", "Havis Amanda", place("Havis Amanda")),
    ok("local name", "Kolme seppää", place("Kolme seppää")),
    ok("local name", "Esplanadinpuisto", place("Esplanadinpuisto")),
    ok("local name", "Kaisaniemen kasvitieteellinen puutarha", GARDEN),
    ok("local name", "Savoy-teatteri", place("Savoy-teatteri")),
    ok("local name", "Bio Rex", place("Bio Rex")),
    ok("local name", "Kino Engel", place("Kino Engel")),
    ok("local name", "Lilla Teatern", place("Lilla Teatern")),
    ok("local name", "Paasitorni", place("Paasitorni")),
    ok("local name", "Stockmann", place("Stockmann")),
    ok("local name", "Hotel Kämp", place("Hotel Kämp")),
    ok("local name", "Hotelli Torni", place("Hotelli Torni")),
    ok("local name", "Pääposti", place("Pääposti")),
    ok("local name", "Päivälehden museo", place("Päivälehden museo")),
    ok("local name", "Suomen Pankin rahamuseo", place("Suomen Pankin rahamuseo")),
    ok("local name", "Tuomiokirkon krypta", place("Tuomiokirkon krypta")),
    ok("local name", "Akateeminen Kirjakauppa", place("Akateeminen Kirjakauppa")),
    ok("local name", "Vltava", place("Vltava")),
    ok("local name", "Zetor", place("Zetor")),
    ok("local name", "Cafe Ekberg", place("Cafe Ekberg")),
    ok("local name", "Café Strindberg", place("Café Strindberg")),
    ok("local name", "Kappeli", place("Kappeli")),
    ok("local name", "Lidl", place("Lidl")),
    ok("local name", "Hilton Helsinki Strand", place("Hilton Helsinki Strand")),
    ok("local name", "Radisson Blu Plaza", place("Radisson Blu Plaza")),
    ok("local name", "Kauppakeskus Kluuvi", place("Kauppakeskus Kluuvi")),
    ok("local name", "Teatteri Forum", place("Teatteri Forum")),
    ok("local name", "WHS Teatteri Union", place("WHS Teatteri Union")),
    ok("local name", "Iittala Store", place("Iittala Store")),
    ok("local name", "Yliopiston apteekki", place("Yliopiston apteekki", "Mannerheimintie")),
    ok(
        "local name",
        "Lasipalatsi",
        place("Lasipalatsi", "restaurant"),
        place("Lasipalatsi", "tram_stop"),
        stop("Lasipalatsi"),
    ),
    ok("local name", "BR", place("BR")),
    # ----- English names ------------------------------------------------------------------------------------------
    ok("English", "Helsinki Cathedral", CATHEDRAL),
    ok("English", "cathedral", CATHEDRAL),
    ok("English", "the cathedral", CATHEDRAL),
    ok("English", "Oodi library", OODI),
    ok("English", "Oodi Central Library", OODI),
    ok("English", "Helsinki Central Library", OODI),
    ok("English", "central library", OODI),
    ok("English", "Music Centre", MUSIC),
    ok("English", "Helsinki Music Centre", MUSIC),
    ok("English", "Finnish National Theatre", THEATRE),
    ok("English", "national theatre", THEATRE),
    ok("English", "Museum of Modern Art Kiasma", KIASMA),
    ok("English", "Kiasma museum", KIASMA),
    ok("English", "Museum of Contemporary Art", KIASMA),
    ok("English", "Ateneum art museum", ATENEUM),
    ok("English", "Old Market Hall", MARKET_HALL),
    ok("English", "City Hall", CITY_HALL),
    ok("English", "Helsinki City Hall", CITY_HALL),
    ok("English", "Kamppi Chapel", CHAPEL),
    ok("English", "Chapel of Silence", CHAPEL),
    ok("English", "Central Railway Station", *STATION),
    ok("English", "railway station", *STATION),
    ok("English", "Helsinki railway station", *STATION),
    ok("English", "central station", *STATION),
    ok("English", "Swedish Theatre", place("Svenska Teatern")),
    ok("English", "The Three Smiths", place("Kolme seppää")),
    ok("English", "Botanical Garden", GARDEN),
    ok("English", "Kaisaniemi Botanic Garden", GARDEN),
    ok("English", "National Library of Finland", *NATIONAL_LIBRARY),
    ok("English", "Old Church", place("Vanha kirkko")),
    ok("English", "Bank of Finland Museum", place("Suomen Pankin rahamuseo")),
    ok("English", "Amos Anderson Art Museum", place("Amos Anderson taidemuseo")),
    ok("English", "University of Helsinki", *UNIVERSITY),
    ok("English", "Railway Square", *RAILWAY_SQUARE),
    # the square and the metro station under it, 210 m apart: one destination, the station (it has an address);
    # it was 'ambiguous: 2 places are called Rautatientori' and nav_route refused it
    ok("local name", "Rautatientori", place("Rautatientori", "Asemanaukio"), stop("Rautatientori")),
    # the nearest of a kind, asked as people ask it: each was 'not found' (its words were read as a name's)
    ok("nearest", "nearest pharmacy", place("Kluuvin Apteekki")),
    ok("nearest", "附近的药店", place("Kluuvin Apteekki")),
    ok("nearest", "lähin apteekki", place("Kluuvin Apteekki")),
    # OpenStreetMap's public toilets have no name: 'nearest toilet' was not found and 'public toilet' found pubs
    ok("nearest", "nearest toilet", place("Public toilet", "Keskuskatu")),
    ok("nearest", "最近的洗手间", place("Public toilet", "Keskuskatu")),
    ok("nearest", "附近的厕所", place("Public toilet", "Keskuskatu")),
    # an ATM that OSM names just 'ATM' (192 m) was the answer by its name, before the nearest (83 m)
    ok("nearest", "最近的ATM", place("Otto. automaatti (ATM)")),
    ok("nearest", "nearest atm", place("Otto. automaatti (ATM)")),
    ok("English", "Savoy Theatre", place("Savoy-teatteri")),
    ok("English", "Market Square", *MARKET_SQUARE),
    ok("English", "Senate Square", *SENATE_SQUARE),
    ok("English", "Esplanade Park", place("Esplanadinpuisto")),
    ok("English", "cathedral crypt", place("Tuomiokirkon krypta")),
    ok("English", "The Fazer Rooster", place("Fazerin kukko")),
    ok("English", "Stockmann department store", place("Stockmann")),
    ok("English", "University library", place("Helsingin yliopiston pääkirjasto")),
    ok("English", "Helsinki University Library", place("Helsingin yliopiston pääkirjasto")),
    # ----- a name with its street or kind ---------------------------------------------------------------------------
    ok("name and street", "Alko Mannerheimintie", place("Alko", "Mannerheimintie")),
    ok("name and street", "Burger King Mannerheimintie", place("Burger King", "Mannerheimintie")),
    ok("name and street", "Hesburger Kasarmikatu", place("Hesburger", "Kasarmikatu")),
    ok("name and street", "Forex Bank Aleksanterinkatu", place("Forex Bank", "Aleksanterinkatu")),
    # OSM tags this Subway with no address: it has its building's (fixtures/build_city.py with_nearest_addresses)
    ok("name and street", "Subway Aleksanterinkatu", place("Subway", "Aleksanterinkatu")),
    ok("name and street", "Lidl Kaivokatu", place("Lidl")),
    ok("name and street", "Stockmann Helsinki", place("Stockmann")),
    ok("name and street", "Kappeli restaurant", place("Kappeli")),
    ok("name and street", "Savoy restaurant", place("Ravintola Savoy")),
    ok("name and street", "Rautatientorin metroasema", place("Rautatientori", "station"), stop("Rautatientori")),
    ok("name and street", "Torni hotel", place("Hotelli Torni")),
    # ----- Swedish names ------------------------------------------------------------------------------------------
    ok("Swedish", "Helsingfors domkyrka", CATHEDRAL),
    ok("Swedish", "Domkyrkan", CATHEDRAL),
    ok("Swedish", "Musikhuset", MUSIC),
    ok("Swedish", "Gamla kyrkan", place("Vanha kirkko")),
    ok("Swedish", "Gamla Saluhallen", MARKET_HALL),
    ok("Swedish", "Stadshuset", CITY_HALL),
    ok("Swedish", "Kampens kapell", CHAPEL),
    ok("Swedish", "Helsingfors centralstation", *STATION),
    ok("Swedish", "Nationalbiblioteket", *NATIONAL_LIBRARY),
    ok("Swedish", "Esplanadparken", place("Esplanadinpuisto")),
    ok("Swedish", "Järnvägstorget", *RAILWAY_SQUARE),
    ok("Swedish", "Finlands nationalteater", THEATRE),
    ok("Swedish", "Helsingfors centrumbibliotek Ode", OODI),
    ok("Swedish", "Kajsaniemi botaniska trädgård", GARDEN),
    ok("Swedish", "Observatorieberget", place("Tähtitornin vuori")),
    ok("Swedish", "Tölöviksparken", place("Töölönlahden puisto")),
    ok("Swedish", "Amos Andersons konstmuseum", place("Amos Anderson taidemuseo")),
    # ----- Chinese names (simplified and traditional) -----------------------------------------------------------
    ok("Chinese", "赫尔辛基大教堂", CATHEDRAL),
    ok("Chinese", "大教堂", CATHEDRAL),
    ok("Chinese", "赫爾辛基座堂", CATHEDRAL),
    ok("Chinese", "赫尔辛基座堂", CATHEDRAL),
    ok("Chinese", "中央车站", *STATION),
    ok("Chinese", "火车站", *STATION),
    ok("Chinese", "赫尔辛基中央车站", *STATION),
    ok("Chinese", "赫爾辛基中央車站", *STATION),
    ok("Chinese", "芬兰国家剧院", THEATRE),
    ok("Chinese", "国家剧院", THEATRE),
    ok("Chinese", "音乐中心", MUSIC),
    ok("Chinese", "赫尔辛基音乐中心", MUSIC),
    ok("Chinese", "当代艺术博物馆", KIASMA),
    ok("Chinese", "奇亚斯玛", KIASMA),
    ok("Chinese", "雅典娜美术馆", ATENEUM),
    ok("Chinese", "颂歌图书馆", OODI),
    ok("Chinese", "中央图书馆", OODI),
    ok("Chinese", "赫尔辛基中央图书馆", OODI),
    ok("Chinese", "市政厅", CITY_HALL),
    ok("Chinese", "赫尔辛基市政厅", CITY_HALL),
    ok("Chinese", "老农贸市场", MARKET_HALL),
    ok("Chinese", "老市场", MARKET_HALL),
    ok("Chinese", "康比静默礼拜堂", CHAPEL),
    ok("Chinese", "爱斯普拉纳地公园", place("Esplanadinpuisto")),
    ok("Chinese", "中國樓酒家", place("Ravintola China")),
    ok("Chinese", "中国楼酒家", place("Ravintola China")),
    ok("Chinese", "国家图书馆", *NATIONAL_LIBRARY),
    ok("Chinese", "植物园", GARDEN),
    ok("Chinese", "赫尔辛基大学", *UNIVERSITY),
    ok("Chinese", "斯托克曼百货", place("Stockmann")),
    ok("Chinese", "大学图书馆", place("Helsingin yliopiston pääkirjasto")),
    ambiguous("Chinese", "麦当劳"),  # every McDonald's
    # ----- misspellings, missing accents, inflected forms -------------------------------------------------------
    ok("misspelling", "Kinopalatsy", place("Kinopalatsi")),
    ok("misspelling", "Kiasama", KIASMA),
    ok("misspelling", "Ateneumm", ATENEUM),
    ok("misspelling", "Musikkitalo", MUSIC),
    ok("misspelling", "Musiikitalo", MUSIC),
    ok("misspelling", "Tuomikirkko", CATHEDRAL),
    ok("misspelling", "Helsingin tuomikirkko", CATHEDRAL),
    ok("misspelling", "Kansallisteateri", THEATRE),
    ok("misspelling", "Stokmann", place("Stockmann")),
    ok("misspelling", "Helsinky Cathedral", CATHEDRAL),
    ok("misspelling", "Cathedrall", CATHEDRAL),
    ok("misspelling", "Kaupungintallo", CITY_HALL),
    ok("misspelling", "Svenska Teatren", place("Svenska Teatern")),
    ok("misspelling", "Esplanaadinpuisto", place("Esplanadinpuisto")),
    ok("misspelling", "Kampin kapeli", CHAPEL),
    ok("misspelling", "Hotel Kamp", place("Hotel Kämp")),
    ok("misspelling", "Toolonlahden puisto", place("Töölönlahden puisto")),
    ok("misspelling", "Kaisaniemen kasvitieteelinen puutarha", GARDEN),
    ok("misspelling", "Radison Blu", place("Radisson Blu Plaza")),
    ok("misspelling", "Akateminen Kirjakauppa", place("Akateeminen Kirjakauppa")),
    ok("misspelling", "Ateneumin taidemuseo", ATENEUM),
    ok("misspelling", "Kiasman museo", KIASMA),
    ok("misspelling", "Kolme sepaa", place("Kolme seppää")),
    ok("misspelling", "Musiikkitalon", MUSIC),
    ok("misspelling", "Oodin kirjasto", OODI),
    ok("misspelling", "Päivälehti museum", place("Päivälehden museo")),
    # ----- street addresses and streets ---------------------------------------------------------------------------
    ok("address", "Fabianinkatu 39", address("Fabianinkatu", "39")),
    ok("address", "Fabianinkatu 39, 00100 Helsinki", address("Fabianinkatu", "39")),
    ok("address", "fabianinkatu 39 helsinki", address("Fabianinkatu", "39")),
    ok("address", "Fabianikatu 39", address("Fabianinkatu", "39")),
    ok("address", "Unioninkatu 40", address("Unioninkatu", "40")),
    ok("address", "Mannerheimintie 5", address("Mannerheimintie", "5")),
    ok("address", "Mannerheimintie 13A", address("Mannerheimintie", "13A")),
    ok("address", "Aleksanterinkatu 52", address("Aleksanterinkatu", "52")),
    ok("address", "Yrjonkatu 27", address("Yrjönkatu", "27")),
    ok("address", "Bulevardi 5", address("Bulevardi", "5")),
    ok("address", "Pohjoisesplanadi 29", address("Pohjoisesplanadi", "29")),
    ok("address", "Kalevankatu 3 B", address("Kalevankatu", "3 B")),
    ok("address", "Annankatu 13", address("Annankatu", "13")),
    ok("address", "Eteläranta 12", address("Eteläranta", "12")),
    ok("address", "Kaivokatu 8", address("Kaivokatu", "8")),
    ok("address", "Töölönlahdenkatu 4", address("Töölönlahdenkatu", "4")),
    ok("address", "赫尔辛基 Lönnrotinkatu 13", address("Lönnrotinkatu", "13")),
    ambiguous("address", "Fabianinkatu 999"),
    ambiguous("address", "Mannerheimintie 400"),
    missing("address", "Nonexistentkatu 5"),
    ok("street", "Mannerheimintie", street("Mannerheimintie")),
    ok("street", "Bulevardi", street("Bulevardi")),
    ok("street", "Pohjoisesplanadi", street("Pohjoisesplanadi")),
    ok("street", "Eteläesplanadi", street("Eteläesplanadi")),
    ok("street", "Yrjönkatu", street("Yrjönkatu")),
    ok("street", "Fabianinkatu", street("Fabianinkatu")),
    ok("street", "Korkeavuorenkatu", street("Korkeavuorenkatu")),
    ok("street", "Annankatu", street("Annankatu")),
    ok("street", "Uudenmaankatu", street("Uudenmaankatu")),
    # ----- transit stops ------------------------------------------------------------------------------------------
    ok("stop", "Kauppatori", *MARKET_SQUARE),
    ok("stop", "Senaatintori", *SENATE_SQUARE),
    ok("stop", "Ylioppilastalo", stop("Ylioppilastalo"), place("Ylioppilastalo")),
    ok("stop", "Kansallisarkisto", stop("Kansallisarkisto"), place("Kansallisarkisto")),
    ok("stop", "Kaisaniemenpuisto", stop("Kaisaniemenpuisto"), place("Kaisaniemenpuisto")),
    ok("stop", "Rautatieasema (M)", stop("Rautatieasema (M)"), place("Rautatieasema (M)")),
    ok("stop", "Kauppatori tram stop", *MARKET_SQUARE),
    # ----- the user's saved addresses -----------------------------------------------------------------------------
    ok("saved", "home", saved("Home"), user="usr_demo"),
    ok("saved", "Home", saved("Home"), user="usr_demo"),
    ok("saved", "家", saved("Home"), user="usr_demo"),
    ok("saved", "koti", saved("Home"), user="usr_demo"),
    ok("saved", "my home", saved("Home"), user="usr_demo"),
    ok("saved", "work", saved("Work"), user="usr_demo"),
    ok("saved", "office", saved("Work"), user="usr_demo"),
    ok("saved", "公司", saved("Work"), user="usr_demo"),
    ok("saved", "Gym", saved("Gym"), user="usr_demo"),
    ok("saved", "home", saved("Home", "usr_alice"), user="usr_alice"),
    missing("saved", "Home"),
    missing("saved", "home"),
    missing("saved", "work"),
    missing("saved", "家"),
    missing("saved", "koti"),
    # ----- kinds of place: a category is never one answer ---------------------------------------------------------
    ambiguous("category", "cinema", "cinema"),
    ambiguous("category", "电影院", "cinema"),
    ambiguous("category", "movies", "cinema"),
    ambiguous("category", "museum", "museum"),
    ambiguous("category", "博物馆", "museum"),
    ambiguous("category", "library", "library"),
    ambiguous("category", "图书馆", "library"),
    ambiguous("category", "kirjasto", "library"),
    ambiguous("category", "pharmacy", "pharmacy"),
    ambiguous("category", "apteekki", "pharmacy"),
    ambiguous("category", "hotel", "hotel"),
    ambiguous("category", "酒店", "hotel"),
    ambiguous("category", "supermarket", "supermarket"),
    ambiguous("category", "church", "place_of_worship"),
    ambiguous("category", "park", "park"),
    ambiguous("category", "公园", "park"),
    ambiguous("category", "theatre", "theatre"),
    ambiguous("category", "coffee", "cafe"),
    ambiguous("category", "咖啡馆", "cafe"),
    ambiguous("category", "post office", "post_office"),
    ambiguous("category", "hospital", "hospital"),
    ambiguous("category", "gallery", "gallery"),
    # ----- chains: branches tie unless a bias point is clearly nearest one --------------------------------------------
    ambiguous("chain", "McDonald's"),
    ambiguous("chain", "Burger King"),
    ambiguous("chain", "Hesburger"),
    ambiguous("chain", "Subway"),
    ambiguous("chain", "Espresso House"),
    ambiguous("chain", "Robert's Coffee"),
    ambiguous("chain", "R-kioski"),
    ambiguous("chain", "Marimekko"),
    ambiguous("chain", "Fafa's"),
    ambiguous("chain", "Classic Pizza"),
    ambiguous("chain", "Forex Bank"),
    ambiguous("chain", "Alko"),
    ambiguous("chain", "Kultajousi"),
    ambiguous("chain", "Pupu"),
    ambiguous("chain", "McDonald's", near=KIASMA),  # 340 m and 670 m away: neither is clearly the nearest
    ok("chain near", "McDonald's", place("McDonald's", "Siltasaarenkatu"), near=place("Scandic Hakaniemi")),
    ok("chain near", "Hesburger", place("Hesburger", "Kasarmikatu"), near=place("S-Market Kasarmitori")),
    ok("chain near", "Fafa's", place("Fafa's", "Siltasaarenkatu"), near=place("S-Market Hakaniemi")),
    ok("chain near", "Burger King", place("Burger King", "Aleksanterinkatu"), near=place("Hotel Kämp")),
    ok("chain near", "Burger King", place("Burger King", "Mannerheimintie"), near=place("Vanha kirkko")),
    ok("chain near", "Subway", place("Subway", "Mannerheimintie"), near=place("Zetor")),
    ok("chain near", "Forex Bank", place("Forex Bank", "Aleksanterinkatu"), near=place("Stockmann")),
    # ----- near-equal names, weak matches -------------------------------------------------------------------------
    ambiguous("tie", "Amos"),
    ambiguous("tie", "Savoy"),
    ambiguous("tie", "Kämp"),
    ambiguous("tie", "Fazer"),
    ambiguous("tie", "Scandic"),
    ambiguous("tie", "pizza"),
    ambiguous("tie", "sushi"),
    ambiguous("tie", "Engel"),
    ambiguous("tie", "Salutorget"),  # a restaurant of that name, and the Swedish name of Kauppatori
    ok("district", "Kaisaniemi", district("Kaisaniemi")),  # the district, not its park's garden, restaurant, hotel…
    ok("district", "Kaartinkaupunki", district("Kaartinkaupunki")),  # was not found: districts were not on the map
    ok("district", "Gardesstaden", district("Kaartinkaupunki")),  # its Swedish name
    ok("district", "city center", district("Keskusta")),
    ok("district", "市中心", district("Keskusta")),
    ok("district", "Siltasaari", district("Siltasaari")),
    ok("district", "卡尔廷考蓬基", district("Kaartinkaupunki")),  # tickets' Chinese name for the area
    ok("district", "哈卡涅米", district("Hakaniemi")),
    # districts OpenStreetMap's extract does not mark, from shared.districts: 'Kamppi' was a chapel or a hotel
    ok("district", "Kamppi", district("Kamppi")),
    ok("district", "坎皮", district("Kamppi")),
    ok("district", "Kampissa", district("Kamppi")),  # 'in Kamppi', as Finnish says it
    ok("district", "Punavuori", district("Punavuori")),
    ok("district", "Kronohagen", district("Kruununhaka")),  # its Swedish name
    ok("district", "Hakaniemessä", district("Hakaniemi")),  # a marked district takes the Finnish forms too
    missing("nothing", "Töölö"),  # a district the map does not reach: was 'ambiguous' between streets named for it
    missing("nothing", "托洛"),
    ambiguous("tie", "Kluuvi"),  # the district, and the Kluuvi shopping centre's two entries
    ambiguous("tie", "National Museum"),  # not on the map; Ateneum (Finnish *National* Gallery) only shares a word
    # ----- nothing on the map -------------------------------------------------------------------------------------
    missing("nothing", "zzqxw vvvv"),
    missing("nothing", "Eiffel Tower"),
    missing("nothing", "Temppeliaukio church"),
    missing("nothing", "Suomenlinna"),
    missing("nothing", "Linnanmäki"),
    missing("nothing", "Helsinki Airport"),
    missing("nothing", "Tallinn"),
    missing("nothing", "Stockholm Arlanda airport"),
    missing("nothing", "asdfgh"),
    missing("nothing", "Helsinki"),
    missing("nothing", "Kamppi shopping centre"),
    missing("nothing", "Sibelius Monument"),
    missing("nothing", "Hartwall Arena"),
    missing("nothing", "Tennispalatsi"),
    missing("nothing", "Finnkino"),
    missing("nothing", "埃菲尔铁塔"),
    missing("nothing", "Uspenski Cathedral"),  # east of the map; 'cathedral' alone would be Helsingin tuomiokirkko
    missing("nothing", "Finlandia Hall"),
    missing("nothing", "国家博物馆"),
    missing("nothing", "岩石教堂"),
]
