"""A geocoder an agent can trust, through the protocol: every answer says whether it is confident, ambiguous or not
found, and route, matrix and map refuse an ambiguous end with its candidates instead of routing from a guess."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from shared.account import open_sandbox
from shared.schemas.account import AddressInput
from shared.schemas.common import GeoPoint
from tests.servers.food.helpers import err, every_page, ok
from tests.servers.nav.conftest import NavEnv
from tests.servers.nav.geocode_cases import CATHEDRAL, one_id, place, rows

OODI = place("Helsingin keskustakirjasto Oodi")


async def test_a_landmark_resolves_by_its_common_names_not_to_a_shop_sharing_a_word(nav: NavEnv) -> None:
    oodi = one_id(OODI)
    async with Client(nav.server) as c:
        found = {
            q: await ok(c, "nav_geocode", {"query": q})
            for q in (
                "Oodi library",
                "Oodi",
                "Helsinki Central Library",
                "颂歌图书馆",
                "Helsingfors centrumbibliotek Ode",
            )
        }
        shop = await ok(c, "nav_geocode", {"query": "BR"})
    for q, got in found.items():
        assert (got["status"], got["candidates"][0]["id"]) == ("confident", oodi), q
        assert got["message"].startswith("Confident: ") and "Helsingin keskustakirjasto Oodi" in got["message"]
    assert all(c["name"] != "BR" for got in found.values() for c in got["candidates"])
    assert (shop["status"], shop["candidates"][0]["name"]) == ("confident", "BR")  # the shop itself is still found


async def test_home_without_a_saved_home_is_not_found_and_never_a_hotel(nav_rw: NavEnv) -> None:
    nav_rw.sandbox.accounts.add_user("usr_nohome", "No Home")
    async with Client(nav_rw.server_for("usr_nohome")) as c:
        home = await ok(c, "nav_geocode", {"query": "Home"})
        route = await err(c, "nav_route", {"origin": "Home", "destination": "Kiasma", "mode": "walking"})
    assert (home["status"], home["candidates"]) == ("not_found", [])
    assert "none is labelled Home" in home["message"] and "food_save_address" in home["message"]
    assert route.startswith("origin 'Home': 'Home' means the account's home address") and "EasyHomes" not in route
    async with Client(nav_rw.server) as c:  # usr_demo has one
        saved = await ok(c, "nav_geocode", {"query": "Home"})
    assert (saved["status"], saved["candidates"][0]["kind"]) == ("confident", "saved")


async def test_a_chain_is_ambiguous_until_a_bias_point_is_clearly_nearest_one_branch(nav: NavEnv) -> None:
    hakaniemi = rows(place("Scandic Hakaniemi"))[0]
    there = one_id(place("McDonald's", "Siltasaarenkatu"))
    async with Client(nav.server) as c:
        anywhere = await ok(c, "nav_geocode", {"query": "McDonald's"})
        near = await ok(
            c, "nav_geocode", {"query": "McDonald's", "near_lat": hakaniemi["lat"], "near_lng": hakaniemi["lng"]}
        )
    assert anywhere["status"] == "ambiguous" and "3 places are called McDonald's" in anywhere["message"]
    assert [x["name"] for x in anywhere["candidates"]] == ["McDonald's"] * 3
    distances = [x["distance_m"] for x in anywhere["candidates"]]
    assert distances == sorted(distances) and distances[0] > 0  # from the city centre, nearest first
    assert near["status"] == "confident" and near["candidates"][0]["id"] == there
    assert near["candidates"][0]["distance_m"] < 150 and "nearest to the bias point" in near["message"]
    assert near["center"] == {"lat": hakaniemi["lat"], "lng": hakaniemi["lng"]}


async def test_route_matrix_and_map_refuse_an_ambiguous_end_and_name_its_candidates(nav: NavEnv) -> None:
    kings = [r["id"] for r in rows(place("Burger King", "Mannerheimintie"))
             + rows(place("Burger King", "Aleksanterinkatu")) + rows(place("Burger King", "restaurant"))]  # fmt: skip
    async with Client(nav.server) as c:
        route = await err(c, "nav_route", {"origin": "Kiasma", "destination": "Burger King", "mode": "walking"})
        matrix = await err(c, "nav_distance_matrix", {"origins": ["McDonald's"], "destinations": ["Oodi"]})
        drawn = await err(c, "nav_render_map", {"origin": "cinema", "destination": "Oodi", "size": "small"})
        picked = await ok(c, "nav_route", {"origin": "Kiasma", "destination": kings[0], "mode": "walking"})
    assert route.startswith("destination 'Burger King' is ambiguous (3 places have that name), so no route")
    assert all(k in route for k in kings)
    assert "Pass the id of the one meant as destination (e.g. destination='plc_" in route
    assert matrix.startswith('origins[0] "McDonald\'s" is ambiguous (3 places have that name)')
    assert drawn.startswith("origin 'cinema' is ambiguous (it names a kind of place, not one place)")
    assert "Kinopalatsi = plc_" in drawn
    assert picked["destination"]["name"] == "Burger King" and picked["routes"][0]["distance_m"] > 0


async def test_a_route_to_a_chain_takes_the_branch_clearly_nearest_the_origin_and_says_so(nav: NavEnv) -> None:
    branch = rows(place("Burger King", "Aleksanterinkatu"))[0]
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {"origin": "Hotel Kämp", "destination": "Burger King", "mode": "walking"})
    assert got["destination"]["location"] == {"lat": branch["lat"], "lng": branch["lng"]}
    assert any("took the one nearest the other end" in n and "3 places" in n for n in got["notes"]), got["notes"]


async def test_an_unknown_place_is_not_found_with_spellings_to_check_not_a_guess(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        church = await ok(c, "nav_geocode", {"query": "Temppeliaukio church"})
        unknown = await ok(c, "nav_geocode", {"query": "Zorbulon Tower"})
        city = await ok(c, "nav_geocode", {"query": "Helsinki"})
        route = await err(c, "nav_route", {"origin": "Kiasma", "destination": "Temppeliaukio church"})
    # a known sight off the map is said to be one (it was 'Nothing matches … the closest spellings are listed')
    assert church["status"] == "not_found" and "Rock Church) is in Töölö, west of this map" in church["message"]
    assert church["candidates"] == []  # named as the sight it is, not guessed at
    # a name on no map: not found, with the nearest spellings to check, none of them taken for it
    assert unknown["status"] == "not_found" and unknown["candidates"], unknown
    assert all(x["confidence"] < 0.55 for x in unknown["candidates"])
    assert city["status"] == "not_found" and "whole city" in city["message"]
    assert route.startswith("destination 'Temppeliaukio church': Temppeliaukio Church (the Rock Church)"), route


async def test_the_geocode_tool_tells_the_model_what_the_status_means(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
    geocode, route = tools["nav_geocode"], tools["nav_route"]
    assert (
        geocode.description
        and "'confident'" in geocode.description
        and "never assume the first" in (geocode.description)
    )
    assert geocode.output_schema and "status" in geocode.output_schema["properties"]
    assert route.description and "ambiguous name is refused" in route.description


async def test_a_label_saved_by_another_server_is_found_by_the_next_geocode(nav_any_db: NavEnv) -> None:
    """Nav keeps each user's labels in memory; a save in another process of the sandbox (here: a second sandbox
    handle on the same database, as food's server is) must still be seen by the very next call."""
    nav_any_db.sandbox.accounts.add_user("usr_mover", "Mover")
    async with Client(nav_any_db.server_for("usr_mover")) as c:
        before = await ok(c, "nav_geocode", {"query": "Mökki"})
        elsewhere = open_sandbox(nav_any_db.settings)
        try:
            elsewhere.accounts.save_address("usr_mover", AddressInput(
                label="Mökki", street="Fabianinkatu", housenumber="39", location=GeoPoint(lat=60.1726, lng=24.9493)
            ))  # fmt: skip
        finally:
            elsewhere.engine.dispose()
        after = await ok(c, "nav_geocode", {"query": "mökki"})
        home = await ok(c, "nav_geocode", {"query": "koti"})
    assert before["status"] != "confident" or before["candidates"][0]["kind"] != "saved"
    assert (after["status"], after["candidates"][0]["kind"]) == ("confident", "saved")
    assert after["candidates"][0]["name"].startswith("Mökki (Fabianinkatu 39)")
    assert not any(x["kind"] == "saved" for x in home["candidates"])  # no Home saved: 'koti' names none of theirs


async def test_one_word_naming_part_of_a_name_or_a_near_spelling_is_listed_never_routed_to(nav: NavEnv) -> None:
    """'Paris' is not the shop 'Fashion Paris', nor 'Tokyo' the shop 'Tokyokan', nor 'Atlantis' the attraction
    'Atlantit': one word that matches one word of a longer name, the start of a word or a word a letter off is a
    candidate to pick by id, and route and matrix refuse it with that id instead of routing there. A misspelt whole
    name still resolves."""
    meant = {"Paris": place("Fashion Paris"), "Stockholm": place("Ølhus Stockholm"), "Tokyo": place("Tokyokan"),
             "Atlantis": place("Atlantit")}  # fmt: skip
    async with Client(nav.server) as c:
        for query, ref in meant.items():
            found = await ok(c, "nav_geocode", {"query": query})
            route = await err(c, "nav_route", {"origin": "home", "destination": query, "mode": "walking"})
            matrix = await err(c, "nav_distance_matrix", {"origins": ["home"], "destinations": [query]})
            assert (found["status"], found["candidates"][0]["id"]) == ("ambiguous", one_id(ref)), query
            assert "no confident match" in found["message"] and "equally well" not in found["message"]
            assert route.startswith(f"destination '{query}' is ambiguous (nothing matches it confidently)"), route
            assert matrix.startswith(f"destinations[0] '{query}' is ambiguous"), matrix
            assert f"{ref.name} = {one_id(ref)}" in route and f"{ref.name} = {one_id(ref)}" in matrix
        typo = await ok(c, "nav_geocode", {"query": "Kinopalatsy"})
        routed = await ok(c, "nav_route", {"origin": "home", "destination": "Kinopalatsy", "mode": "walking"})
    assert (typo["status"], typo["candidates"][0]["id"]) == ("confident", one_id(place("Kinopalatsi")))
    assert routed["destination"]["name"] == "Kinopalatsi"


async def test_a_route_to_nothing_names_the_closest_spellings_with_their_ids(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        found = await ok(c, "nav_geocode", {"query": "Times Square"})
        route = await err(c, "nav_route", {"origin": "home", "destination": "Times Square"})
        matrix = await err(c, "nav_distance_matrix", {"origins": ["home"], "destinations": ["Times Square"]})
    assert found["status"] == "not_found" and found["candidates"]
    for text, role in ((route, "destination"), (matrix, "destinations[0]")):
        assert text.startswith(f"{role} 'Times Square': Nothing in Helsinki matches 'Times Square'."), text
        assert "are listed" not in text and "The closest spellings: " in text
        assert all(f"{x['name']} = {x['id']} (" in text for x in found["candidates"]), text


async def test_the_finnish_word_for_work_names_the_saved_work_address(nav: NavEnv) -> None:
    """'koti' (home) found the saved Home, but 'työ' and 'työpaikka' (work) were not found: the words for a label are
    matched after folding accents ('työ' → 'tyo'), and the table's ö spellings never matched."""
    async with Client(nav.server) as c:
        words = {q: await ok(c, "nav_geocode", {"query": q}) for q in ("työ", "Työpaikka", "tyo")}
        route = await ok(c, "nav_route", {"origin": "koti", "destination": "työ", "mode": "walking"})
        work = await ok(c, "nav_geocode", {"query": "work"})
    for q, got in words.items():
        assert (got["status"], got["candidates"][0]["id"]) == ("confident", work["candidates"][0]["id"]), q
    assert route["destination"]["name"].startswith("Work")


async def test_coordinates_given_to_the_geocoder_point_to_reverse_geocoding(nav: NavEnv) -> None:
    """'60.1699,24.9384' was answered 'Nothing in Helsinki matches … Check the spelling': the geocoder reads names
    and addresses, so the answer names the tools that take a point."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": "60.1699, 24.9384"})
        route = await ok(c, "nav_route", {"origin": "60.1699,24.9384", "destination": "Kiasma", "mode": "walking"})
    assert (got["status"], got["candidates"]) == ("not_found", [])
    assert "coordinate pair" in got["message"] and "nav_reverse_geocode" in got["message"]
    assert "spelling" not in got["message"] and route["routes"]


async def test_a_stop_named_with_its_kind_is_not_described_twice(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": "Kauppatori"})
    assert got["status"] == "confident" and got["candidates"][0]["kind"] == "stop"
    assert "Kauppatori (tram stop, tram " in got["message"] and "tram_stop" not in got["message"], got["message"]


async def test_place_search_reads_finnish_kinds_and_puts_the_place_named_first(nav: NavEnv) -> None:
    """'kahvila' is the Finnish for café: cafés nearest first, not 'Vila' (a clothes shop, a piece of the word);
    'Oodi library' is Oodi before the nearer libraries."""
    async with Client(nav.server) as c:
        cafes = await ok(c, "nav_search_places", {"query": "kahvila", "limit": 20})
        oodi = await ok(c, "nav_search_places", {"query": "Oodi library"})
        libraries = await ok(c, "nav_search_places", {"query": "kirjasto"})
    kinds = {p["category"] for p in cafes["places"]}
    assert kinds == {"cafe"} and len(cafes["places"]) == 20, [(p["name"], p["category"]) for p in cafes["places"]]
    distances = [p["distance_m"] for p in cafes["places"]]
    assert distances == sorted(distances)
    assert oodi["places"][0]["id"] == one_id(OODI)
    assert {p["category"] for p in oodi["places"]} == {"library"} and len(oodi["places"]) > 1
    assert one_id(OODI) in {p["id"] for p in libraries["places"]}


async def test_a_kind_inside_a_longer_kind_word_is_not_read_and_the_kind_comes_before_names(nav: NavEnv) -> None:
    """'parking near Stockmann' listed parks among the car parks ('park' is in 'parking'), and 'park' listed Q-Park
    and Autoparkki before the parks (their names hold the word, as a park's kind does). A kind's word that is only
    part of a longer kind's word is not read, and places of the kind named come before names that hold its word."""
    async with Client(nav.server) as c:
        parking = await every_page(c, "nav_search_places", "places", {"query": "parking near Stockmann"}, 20)
        parks = await every_page(c, "nav_search_places", "places", {"query": "park"}, 20)
        chinese = await every_page(c, "nav_search_places", "places", {"query": "公园"}, 20)
        trams = await ok(c, "nav_search_places", {"query": "电车站", "limit": 20})
    assert parking and {p["category"] for p in parking} == {"parking"}, [(p["name"], p["category"]) for p in parking]
    kinds = [p["category"] for p in parks]
    first = kinds.index(next(k for k in kinds if k != "park"))
    assert first == len(chinese) and set(kinds[:first]) == {"park"}, [(p["category"], p["name"]) for p in parks]
    assert {p["category"] for p in trams["places"]} == {"tram_stop"}


async def test_the_other_servers_ids_and_names_of_a_place_route_to_it(nav: NavEnv) -> None:
    """After booking a film an agent routes to the cinema as movies showed it: 'cin_n1381017800', or 'Bio Rex / Bio
    Rex Lasipalatsi / 雷克斯影院（玻璃宫）'. The id was 'Nothing in Helsinki matches' and the name in three languages
    'ambiguous' with Bio Rex its only candidate. Food's, tickets' and movies' ids of a real place are its place here
    (the same OpenStreetMap id), and a name in several languages is the place its names agree on."""
    async with Client(nav.server) as c:
        by_ids = await ok(c, "nav_route", {"origin": "cin_n1381017800", "destination": "vnu_n5244326399",
                                           "mode": "walking"})  # fmt: skip
        by_names = await ok(c, "nav_route", {"origin": "Bio Rex / Bio Rex Lasipalatsi / 雷克斯影院（玻璃宫）",
                                             "destination": "Paasitorni / Paasitorni Congress Hall / 帕西托尼会议中心",
                                             "mode": "walking"})  # fmt: skip
        pizza = await ok(c, "nav_geocode", {"query": "rst_n389078466"})
        unknown = await ok(c, "nav_geocode", {"query": "vnu_n1"})
        mixed = await ok(c, "nav_geocode", {"query": "Kinopalatsi / Paasitorni"})
    ends = lambda r: (r["origin"]["name"], r["destination"]["name"])  # noqa: E731
    assert ends(by_ids) == ends(by_names) == ("Bio Rex", "Paasitorni")
    assert by_ids["routes"][0]["distance_m"] == by_names["routes"][0]["distance_m"] > 500
    assert pizza["status"] == "confident" and pizza["candidates"][0]["id"] == "plc_n389078466"
    assert pizza["candidates"][0]["name"] == "Classic Pizza" and "(food)" in pizza["message"]
    assert unknown["status"] == "not_found" and "an id of the tickets server" in unknown["message"], unknown
    assert mixed["status"] != "confident"  # two places: no guess


@pytest.mark.parametrize(
    ("end", "said"),
    [
        ("evt_d60f8c9924", "is an event of the tickets server, not a place: pass its venue_id (vnu_…"),
        ("ses_62a5ac6dc8", "is a session of the tickets server, not a place: pass its event's venue_id"),
        ("sht_ff5bf8c5eedd", "is a showtime of the movies server, not a place: pass the cinema_id the showtime"),
        ("ord_22718b7cc92b", "is an order of the food server, not a place: pass the restaurant_id"),
        ("tko_0d277697a67b", "is an order of the tickets server, not a place: pass its event's venue_id"),
        ("mvo_0d277697a67b", "is an order of the movies server, not a place: pass the cinema_id"),
    ],
)
async def test_an_id_of_the_other_servers_that_names_no_place_says_which_to_pass(
    nav: NavEnv, end: str, said: str
) -> None:
    """After booking, 'how do I get there' came with the event's, session's or showtime's id: 'Nothing in Helsinki
    matches; check the spelling'. The refusal says what the id is and which id of the same result is the place."""
    async with Client(nav.server) as c:
        refused = await err(c, "nav_route", {"origin": "home", "destination": end, "mode": "walking"})
        found = await ok(c, "nav_geocode", {"query": end})
    assert refused.startswith(f"destination '{end}': '{end}' {said}"), refused
    assert found["status"] == "not_found" and said in found["message"], found


@pytest.mark.parametrize("end", ["我的位置", "current location", "当前位置", "me"])
async def test_where_the_user_is_as_a_routes_end_asks_for_their_position(nav: NavEnv, end: str) -> None:
    """'我的位置' (my location) or 'current location' as a route's origin was 'Nothing in Helsinki matches; check the
    spelling': it is where the user is, which no call has told the server, and the refusal says how to give it."""
    async with Client(nav.server) as c:
        refused = await err(c, "nav_route", {"origin": end, "destination": "Oodi", "mode": "walking"})
    assert refused.startswith(f"origin '{end}': '{end}' is where the user is, which this server is not told: pass"), (
        refused
    )
    assert "'lat,lng'" in refused and "Nothing in Helsinki matches" not in refused


async def test_chinese_that_only_asks_where_or_how_is_cut_before_places_are_read(nav: NavEnv) -> None:
    """'附近有什么好吃的' ('anything good to eat nearby') and '哪里可以停车' ('where can I park') found nothing, and
    '去赫尔辛基大教堂怎么走' ('how do I get to Helsinki Cathedral') listed nearer churches first and was not found as
    a route's end. The asking is cut: food nearby is restaurants, 停车 is parking, and the cathedral is the place."""
    async with Client(nav.server) as c:
        food = await ok(c, "nav_search_places", {"query": "附近有什么好吃的"})
        parking = await ok(c, "nav_search_places", {"query": "哪里可以停车"})
        plain = await ok(c, "nav_search_places", {"query": "停车场"})
        church = await ok(c, "nav_search_places", {"query": "去赫尔辛基大教堂怎么走"})
        found = await ok(c, "nav_geocode", {"query": "去赫尔辛基大教堂怎么走"})
        route = await ok(c, "nav_route", {"origin": "home", "destination": "赫尔辛基大教堂在哪里？", "mode": "walking"})
        metro = await ok(c, "nav_search_places", {"query": "地铁站在哪"})
    assert food["places"] and {p["category"] for p in food["places"]} == {"restaurant"}, food
    assert parking["places"] == plain["places"] and parking["places"]
    assert church["places"][0]["id"] == found["candidates"][0]["id"] == one_id(CATHEDRAL), church["places"][0]
    assert found["status"] == "confident" and route["destination"]["name"] == "Helsingin tuomiokirkko"
    assert metro["places"] and "in no name here" not in metro["note"], metro["note"]


async def test_english_questions_near_me_and_a_spot_of_several_places_search_as_asked(nav: NavEnv) -> None:
    """'atm near me' searched around a place named 'me' (not found); 'hotel near the railway station' was refused as
    ambiguous between the station and its square 40 m apart (now the Central Station by name); 'where can I buy
    groceries' matched a bar's long name; 'coffee shop' read Shop as a second kind. Each now searches as a person
    means it."""
    async with Client(nav.server) as c:
        me = await ok(c, "nav_search_places", {"query": "atm near me", "limit": 20})
        atms = await ok(c, "nav_search_places", {"query": "atm", "limit": 20})
        hotels = await ok(c, "nav_search_places", {"query": "hotel near the railway station"})
        central = await ok(c, "nav_search_places", {"query": "hotel near the Central Station"})
        groceries = await ok(c, "nav_search_places", {"query": "where can I buy groceries"})
        shops = await ok(c, "nav_search_places", {"query": "is there a supermarket?"})
        coffee = await ok(c, "nav_search_places", {"query": "coffee shop", "limit": 20})
    assert me["places"] == atms["places"] and me["places"]
    assert hotels["places"] and {p["category"] for p in hotels["places"]} == {"hotel"}
    # 'the railway station' is the Central Station, as locals say it (an alias since 'the station' was one)
    assert hotels["places"] == central["places"], hotels.get("note")
    assert groceries["places"] and groceries["places"] == shops["places"]
    assert {p["category"] for p in groceries["places"]} == {"supermarket"}
    assert {p["category"] for p in coffee["places"]} == {"cafe"}


async def test_near_me_without_a_position_says_it_is_measured_from_the_centre(nav: NavEnv) -> None:
    """'离我最近的厕所' (the toilet nearest me) with no position was measured from the city centre and said nothing,
    so an agent told the user of the centre's nearest as theirs: the note says so and how to pass where they are."""
    here = {"lat": 60.1690, "lng": 24.9400}
    async with Client(nav.server) as c:
        said = {
            q: await ok(c, "nav_search_places", {"query": q, "limit": 3})
            for q in ("离我最近的厕所", "pharmacy near me", "附近的药店")
        }
        placed = await ok(c, "nav_search_places", {"query": "附近的药店", **here, "limit": 3})
        plain = await ok(c, "nav_search_places", {"query": "药店", "limit": 3})
        homed = await ok(c, "nav_search_places", {"query": "附近的药店", "near": "home", "limit": 3})
    for q, page in said.items():
        assert page["places"] and "Measured from the city centre" in page["note"] and "lat/lng" in page["note"], q
    for page in (placed, plain, homed):
        assert page["places"] and "Measured from the city centre" not in page["note"], page["note"]


async def test_place_search_does_not_match_a_name_on_a_fuzzy_piece_of_one_of_its_words(nav: NavEnv) -> None:
    """'Kiasma' listed 'Vita Lääkäriasema' and 'Salaattiasema' (the 'iasema' in them is five letters of six); a
    name that holds the query whole, as a word or inside a compound, still matches."""
    async with Client(nav.server) as c:
        kiasma = await ok(c, "nav_search_places", {"query": "Kiasma", "limit": 20})
        compound = await ok(c, "nav_search_places", {"query": "asema", "limit": 20})
    names = [p["name"] for p in kiasma["places"]]
    assert names and all("kiasma" in name.lower() for name in names), names
    assert {"Salaattiasema", "Vita Lääkäriasema"} <= {p["name"] for p in compound["places"]}, compound["places"]


async def test_a_real_place_off_the_map_is_not_found_saying_where_the_map_ends(nav: NavEnv) -> None:
    """'Suomenlinna' (an island fortress off the map) was only told to check its spelling, '岩石教堂' (the Rock
    Church) too, and 'Uspenski Cathedral' came back as Helsinki Cathedral, another church: a sight people ask for
    just off the map is named as such (``shared.landmarks.OFF_MAP``), with the way there where there is one on the
    map; the Suomenlinna ferry pier is on it, by that name too."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": "Suomenlinna"})
        rock = await ok(c, "nav_geocode", {"query": "岩石教堂"})
        uspenski = await ok(c, "nav_geocode", {"query": "Uspenski Cathedral"})
        pier = await ok(c, "nav_geocode", {"query": "芬兰堡渡轮码头"})
        kamppi = await ok(c, "nav_geocode", {"query": "坎皮购物中心"})  # the map ends at its east wall
        tennis = await ok(c, "nav_geocode", {"query": "Tennispalatsi"})  # Finnkino's multiplex, a street west
        cathedral = await ok(c, "nav_geocode", {"query": "the cathedral"})  # the one on the map, as locals say
        ferry = {"origin": "Central Station", "destination": "Suomenlinna ferry", "mode": "walking"}
        walk = await ok(c, "nav_route", ferry)
        airport = [await ok(c, "nav_geocode", {"query": q}) for q in ("airport", "the airport", "机场")]
        station = await ok(c, "nav_geocode", {"query": "plc_w122595198"})  # where the airport trains leave from
    assert got["status"] == "not_found" and got["message"].startswith("Suomenlinna, the sea fortress, is an island")
    # 'airport' alone, as people say it, was 'Nothing in Helsinki matches: check the spelling'
    assert all(a["message"].startswith("Helsinki Airport is in Vantaa") for a in airport), airport
    assert "plc_w122595198" in airport[0]["message"]
    assert station["candidates"][0]["name"] == "Helsingin päärautatieasema"
    assert "plc_n1815986142" in got["message"] and "covers central Helsinki only" in got["message"], got["message"]
    assert rock["status"] == "not_found" and rock["message"].startswith("Temppeliaukio Church"), rock["message"]
    assert uspenski["status"] == "not_found" and uspenski["candidates"] == [], uspenski
    assert kamppi["status"] == "not_found" and kamppi["message"].startswith("Kamppi shopping centre"), kamppi
    assert tennis["status"] == "not_found" and "Salomonkatu 15 in Kamppi, just west" in tennis["message"], tennis
    assert cathedral["status"] == "confident" and cathedral["candidates"][0]["id"] == "plc_w419479428", cathedral
    assert pier["status"] == "confident" and pier["candidates"][0]["id"] == "plc_n1815986142", pier
    assert walk["destination"]["name"].startswith("Kolera-allas") and walk["routes"][0]["distance_m"] > 0, walk


@pytest.mark.parametrize(
    ("query", "starts"),
    [
        ("Parliament House", "Parliament House (Eduskuntatalo) is at Mannerheimintie 30"),
        ("国会大厦", "Parliament House (Eduskuntatalo)"),
        ("芬兰大厦", "Finlandia Hall is on Töölönlahti bay"),
        ("National Museum of Finland", "The National Museum of Finland is at Mannerheimintie 34"),
        ("设计博物馆", "The Design Museum is at Korkeavuorenkatu 23"),
        ("总统府", "The Presidential Palace is at Pohjoisesplanadi 1"),
        ("摩天轮", "SkyWheel and the Allas Sea Pool"),
        ("Kaivopuisto", "Kaivopuisto park is on the seafront"),
    ],
)
async def test_a_famous_sight_just_off_the_map_says_where_it_is(nav: NavEnv, query: str, starts: str) -> None:
    """'Parliament House' came back as not found with the university library as its closest spelling, 'National
    Museum of Finland' as ambiguous with the Ateneum, 'Finlandia Hall' with Finlandia Caviar, '总统府' (the
    Presidential Palace) and '摩天轮' (SkyWheel) as nothing at all: each is just off the map, and says so, with the
    nearest place on it where there is one ('Kolera-allas', the ferry pier, keeps its own name)."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": query})
        pier = await ok(c, "nav_geocode", {"query": "Kolera-allas"})
    assert got["status"] == "not_found" and got["candidates"] == [], got
    assert got["message"].startswith(starts) and "covers central Helsinki only" in got["message"], got["message"]
    assert pier["status"] == "confident" and pier["candidates"][0]["id"] == "plc_n1815986142", pier


async def test_a_house_number_written_with_hao_is_that_number(nav: NavEnv) -> None:
    """Chinese writes a house number with 号 ('Mannerheimintie 5号', 'Fabianinkatu 39号, 赫尔辛基'): both were 'Nothing
    in Helsinki matches', and a route between two such addresses was refused. The main streets are found by the
    names Chinese guides give them too ('曼纳海姆大街5号', '亚历山大街')."""
    async with Client(nav.server) as c:
        five = await ok(c, "nav_geocode", {"query": "Mannerheimintie 5号"})
        plain = await ok(c, "nav_geocode", {"query": "Mannerheimintie 5"})
        city = await ok(c, "nav_geocode", {"query": "Fabianinkatu 39号, 赫尔辛基"})
        walk = await ok(c, "nav_route", {"origin": "Mannerheimintie 5号", "destination": "Kaivokatu 4 号",
                                         "mode": "walking"})  # fmt: skip
        chinese = await ok(c, "nav_geocode", {"query": "曼纳海姆大街5号"})  # as Chinese guides name the street
        street = await ok(c, "nav_geocode", {"query": "亚历山大街"})
    assert five["status"] == "confident" and five["candidates"][0] == plain["candidates"][0], five
    assert city["status"] == "confident" and city["candidates"][0]["name"] == "Fabianinkatu 39", city
    assert walk["destination"]["name"].startswith("Kaivokatu 4") and walk["routes"][0]["distance_m"] > 0, walk
    assert chinese["status"] == "confident" and chinese["candidates"][0] == plain["candidates"][0], chinese
    assert street["status"] == "confident" and street["candidates"][0]["name"] == "Aleksanterinkatu", street


async def test_a_district_is_found_by_its_names_and_routed_to_from_its_marked_centre(nav: NavEnv) -> None:
    """Districts were not on the map: 'Kaartinkaupunki' and 'city center' were not found and 'Kaisaniemi' was a tie
    of its park's garden, a restaurant and a hotel. OpenStreetMap marks each district's centre (``districts.json``)."""
    async with Client(nav.server) as c:
        asked = ("Kaartinkaupunki", "Gardesstaden", "city center", "市中心", "Kaisaniemi", "卡尔廷考蓬基")
        found = {q: await ok(c, "nav_geocode", {"query": q}) for q in asked}
        route = await ok(c, "nav_route", {"origin": "Kaartinkaupunki", "destination": "Oodi", "mode": "walking"})
        kluuvi = await ok(c, "nav_geocode", {"query": "Kluuvi"})  # the district and the shopping centre
        district = next(x["id"] for x in kluuvi["candidates"] if x["kind"] == "district")
        by_id = await ok(c, "nav_route", {"origin": district, "destination": "Oodi", "mode": "walking"})
        again = await ok(c, "nav_geocode", {"query": district})
    names = {q: (got["status"], got["candidates"][0]["kind"], got["candidates"][0]["name"]) for q, got in found.items()}
    assert names == {
        "Kaartinkaupunki": ("confident", "district", "Kaartinkaupunki"),
        "Gardesstaden": ("confident", "district", "Kaartinkaupunki"),
        "city center": ("confident", "district", "Keskusta"),
        "市中心": ("confident", "district", "Keskusta"),
        "Kaisaniemi": ("confident", "district", "Kaisaniemi"),
        "卡尔廷考蓬基": ("confident", "district", "Kaartinkaupunki"),  # the Chinese name tickets shows for the area
    }
    assert found["Kaartinkaupunki"]["message"] == (
        "Confident: 'Kaartinkaupunki' is Kaartinkaupunki (district, Helsinki)."
    )
    assert route["origin"]["name"] == "Kaartinkaupunki" and route["routes"][0]["distance_m"] > 500
    assert kluuvi["status"] == "ambiguous" and district.startswith("dst_")  # an id to pick it by, as places have
    assert by_id["origin"]["name"] == "Kluuvi" and again["candidates"][0]["kind"] == "district"


async def test_the_nearest_of_a_kind_is_the_answer_and_a_route_goes_to_the_one_nearest_its_start(nav: NavEnv) -> None:
    """'nearest pharmacy', '附近的药店' and a route to '最近的地铁站' were 'not found': the words asking for the nearest
    were read as a name's. The nearest of the kind to the bias point is confident (to the city centre without one, as
    the message says), and a route goes to the one nearest its other end, with a note saying so."""
    home = {"near_lat": 60.1702821, "near_lng": 24.9437487}
    async with Client(nav.server) as c:
        centre = await ok(c, "nav_geocode", {"query": "nearest pharmacy"})
        biased = await ok(c, "nav_geocode", {"query": "附近的药店", **home})
        kind = await ok(c, "nav_geocode", {"query": "药店", **home})
        route = await ok(c, "nav_route", {"origin": "home", "destination": "最近的地铁站", "mode": "walking"})
    assert centre["status"] == "confident" and "to the city centre" in centre["message"], centre["message"]
    assert biased["status"] == "confident" and biased["candidates"][0]["name"] == "Kluuvin Apteekki"
    assert kind["status"] == "ambiguous"  # the kind alone still lists them for a choice
    assert route["routes"][0]["distance_m"] < 500, route["routes"][0]["summary"]
    assert any("took the nearest to the other end" in n for n in route.get("notes", [])), route.get("notes")


async def test_the_nearest_station_of_a_line_said_is_that_lines(nav: NavEnv) -> None:
    """'最近的地铁站' geocoded to the railway station (Helsinki, 168 m from the centre) and a walk there, where the
    metro is 230 m off: nav_search_places told the lines apart, the geocoder did not. A line said keeps its stations,
    the message names the line, and 'nearest station' without one still takes either."""
    metro, rail = {"plc_n418089207", "plc_n418089202"}, {"plc_w122595198", "plc_n25389429"}
    async with Client(nav.server) as c:
        asked = ("最近的地铁站", "nearest metro station", "nearest train station", "最近的火车站", "最近的车站")
        said = {q: await ok(c, "nav_geocode", {"query": q}) for q in asked}
        kind = await ok(c, "nav_geocode", {"query": "地铁站"})
        route = await ok(c, "nav_route", {"origin": "home", "destination": "最近的地铁站", "mode": "walking"})
    for q in ("最近的地铁站", "nearest metro station"):
        assert said[q]["status"] == "confident" and said[q]["candidates"][0]["id"] in metro, (q, said[q])
        assert "nearest Metro station 地铁站" in said[q]["message"], said[q]["message"]
    for q in ("nearest train station", "最近的火车站"):
        assert said[q]["candidates"][0]["id"] in rail and "Railway station" in said[q]["message"], (q, said[q])
    assert said["最近的车站"]["candidates"][0]["id"] in metro | rail
    assert {c["id"] for c in kind["candidates"]} == metro, kind["candidates"]
    assert route["destination"]["name"] == "Rautatientori", route["destination"]


async def test_every_name_tickets_and_movies_show_for_a_venue_finds_it(nav: NavEnv) -> None:
    """A user reads 'Kino Engel / 恩格尔艺术影院' in movies or 'Forum Theatre / 论坛剧院' in tickets and asks for the
    way there: 20 of those names were 'not found' (nav knew the OSM names only). Each name either server shows for
    a venue or cinema is that place, confidently."""
    fixtures = nav.settings.fixtures_dir
    shown = [
        (v["place_id"], name)
        for path, key in (("tickets/venues.json", "venues"), ("movies/cinemas.json", "cinemas"))
        for v in json.loads((fixtures / path).read_text(encoding="utf-8"))[key]
        for name in (v["name"], v.get("name_en", ""), v.get("name_zh", ""))
        if name
    ]
    async with Client(nav.server) as c:
        found = {(pid, name): await ok(c, "nav_geocode", {"query": name}) for pid, name in shown}
    wrong = {k: (g["status"], g["candidates"][0]["name"] if g["candidates"] else "") for k, g in found.items()
             if g["status"] != "confident" or g["candidates"][0]["id"] != k[0]}  # fmt: skip
    assert len(shown) > 60 and wrong == {}, wrong


async def test_the_nearest_of_a_kind_to_a_place_said_is_found_around_that_place(nav: NavEnv) -> None:
    """'nearest toilet to home', '离家最近的厕所' and 'nearest pharmacy to Oodi' were 'not found' (the whole phrase
    was looked up as a name), though nav_search_places and a route's end read them. The nearest of the kind to the
    place said is the answer, measured from there; a place said that is not one place is a plain not_found with
    its candidates, not a failed call."""
    toilet = one_id(place("Public toilet", "Keskuskatu"))
    async with Client(nav.server) as c:
        home = {q: await ok(c, "nav_geocode", {"query": q}) for q in ("nearest toilet to home", "离家最近的厕所")}
        oodi = await ok(c, "nav_geocode", {"query": "nearest pharmacy to Oodi"})
        around = await ok(c, "nav_search_places", {"query": "pharmacy", "near": "Oodi", "limit": 1})
        unclear = await ok(c, "nav_geocode", {"query": "nearest toilet to McDonald's"})
    for q, found in home.items():
        assert (found["status"], found["candidates"][0]["id"]) == ("confident", toilet), (q, found["message"])
        assert "to Home: Kaivokatu 4" in found["message"] and found["candidates"][0]["distance_m"] < 100
    assert oodi["status"] == "confident" and oodi["candidates"][0]["id"] == around["places"][0]["id"]
    assert oodi["candidates"][0]["distance_m"] == around["places"][0]["distance_m"]
    assert unclear["status"] == "not_found" and "plc_n606996931" in unclear["message"], unclear["message"]
    assert "route" not in unclear["message"]
