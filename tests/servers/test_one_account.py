"""One account across the four servers, through their tools: one wallet pays for food, tickets and movies and takes
refunds back, and one address book serves food, movies and nav."""

from __future__ import annotations

from mcp import Client

from shared.account.wallet import statement
from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import err, ok
from tests.servers.journeys import (
    buy_event_tickets,
    buy_movie_tickets,
    cancel_food,
    order_food,
    refund_event_tickets,
    refund_movie_tickets,
)
from tests.support import provider


async def test_one_wallet_pays_food_tickets_and_movies_and_every_server_reports_one_balance(
    lifestyle_any_db: Lifestyle,
) -> None:
    env = lifestyle_any_db
    start = env.sandbox.accounts.me("usr_demo").wallet.amount_minor
    async with (
        Client(env.server("food")) as food,
        Client(env.server("tickets")) as tickets,
        Client(env.server("movies")) as movies,
    ):
        meal = await order_food(food)
        concert = await buy_event_tickets(tickets)
        film = await buy_movie_tickets(movies)
        film_back = await refund_movie_tickets(movies, film["order"]["id"])
        concert_back = await refund_event_tickets(tickets, concert["order"]["id"])
        meal_back = await cancel_food(food, meal["order"]["id"])
        listed = {  # 'how much is left?', 'did my refund arrive?': every orders list shows the one wallet
            v: (await ok(c, f"{v}_list_orders", {}))["wallet"]
            for v, c in (("food", food), ("tickets", tickets), ("movies", movies))
        }
    charged = [meal["order"]["bill"]["total"], concert["order"]["bill"]["total"], film["order"]["bill"]["total"]]
    refunded = [film_back["order"]["refunded"], concert_back["order"]["refunded"], meal_back["order"]["refunded"]]
    expected = start - sum(m["amount_minor"] for m in charged) + sum(m["amount_minor"] for m in refunded)

    # each result says the balance after its step, each step moving the same one wallet
    after = [r["wallet"]["amount_minor"] for r in (meal, concert, film, film_back, concert_back, meal_back)]
    balances = [start]
    for step in [-c["amount_minor"] for c in charged] + [r["amount_minor"] for r in refunded]:
        balances.append(balances[-1] + step)
    assert after == balances[1:]
    assert after[-1] == expected
    assert all(r["amount_minor"] > 0 for r in refunded)  # each refund gave something back (the rest was a fee)

    # every provider of the sandbox reports that one balance
    for app in env.apps.values():
        async with provider(app) as http:
            assert (await http.get("/account")).json()["wallet"]["amount_minor"] == expected

    # and the ledger is every movement once, summing to the balance
    book = statement(env.engine, "usr_demo", limit=50)
    assert book.balance.amount_minor == expected == sum(e.amount.amount_minor for e in book.entries)
    latest = [(e["vertical"], e["kind"], e["amount"]["amount_minor"]) for e in listed["food"]["latest"]]
    assert latest == [(e.vertical, e.kind, e.amount.amount_minor) for e in book.entries[:5]]
    assert latest[:3] == [("food", "refund", refunded[2]["amount_minor"]),
                          ("tickets", "refund", refunded[1]["amount_minor"]),
                          ("movies", "refund", refunded[0]["amount_minor"])]  # fmt: skip
    assert all(w == listed["food"] and w["balance"]["amount_minor"] == expected for w in listed.values()), listed
    moves = sorted((e.vertical, e.kind, abs(e.amount.amount_minor)) for e in book.entries if e.kind != "opening")
    assert moves == sorted(
        [(v, "charge", c["amount_minor"]) for v, c in zip(("food", "tickets", "movies"), charged, strict=True)]
        + [(v, "refund", r["amount_minor"]) for v, r in zip(("movies", "tickets", "food"), refunded, strict=True)]
    )


async def test_an_address_saved_through_food_is_where_movies_and_nav_start(lifestyle: Lifestyle) -> None:
    env = lifestyle
    async with Client(env.server("food")) as food:
        studio = await ok(food, "food_save_address", {"label": "Studio", "street": "Fabianinkatu", "housenumber": "39"})
    where = studio["location"]
    async with Client(env.server("movies")) as movies:
        by_label = await ok(movies, "movies_search_cinemas", {"address": "studio"})
        by_point = await ok(movies, "movies_search_cinemas", {"lat": where["lat"], "lng": where["lng"]})
        by_id = await ok(movies, "movies_find_showtimes", {"address": studio["id"], "limit": 3})
    async with Client(env.server("nav")) as nav:
        route = await ok(nav, "nav_route", {"origin": "Studio", "destination": "Kinopalatsi", "mode": "walking"})
        found = await ok(nav, "nav_geocode", {"query": "studio"})
    assert "Studio" in by_label["origin"]
    distances = [(c["id"], c["distance_m"]) for c in by_label["cinemas"]]
    assert distances == [(c["id"], c["distance_m"]) for c in by_point["cinemas"]] and distances[0][1] > 0
    assert by_id["showtimes"] and all(s["distance_m"] > 0 for s in by_id["showtimes"])
    assert route["origin"]["location"] == where and route["origin"]["name"].startswith("Studio")
    assert found["candidates"][0]["kind"] == "saved" and found["candidates"][0]["id"] == studio["id"]


async def test_an_address_is_found_as_people_write_its_number(lifestyle: Lifestyle) -> None:
    """'5 a' and '20b' are the map's '5' (staircase A of a house the map knows only as 5) and '20 B': 'Could not find
    Mannerheimintie 5 a' sent the user off to find coordinates for a house the map has."""
    wanted = [
        ("Mannerheimintie", "5 a"), ("Mannerheimintie", "5"), ("mannerheimintie", "20b"),
        ("Mannerheimintie", "20 B"), ("Mannerheimintie", "13 a"), ("Mannerheimintie", "13A"),
    ]  # fmt: skip
    async with Client(lifestyle.server("food")) as food:
        saved = {
            number: await ok(food, "food_save_address", {"label": f"Try {n}", "street": street, "housenumber": number})
            for n, (street, number) in enumerate(wanted)
        }
    where = {number: (a["location"]["lat"], a["location"]["lng"]) for number, a in saved.items()}
    assert where["5 a"] == where["5"] and where["20b"] == where["20 B"] and where["13 a"] == where["13A"]
    assert saved["5 a"]["housenumber"] == "5 a"  # kept as the user wrote it


async def test_an_address_written_whole_in_street_is_saved_as_street_and_number(lifestyle: Lifestyle) -> None:
    """'Aleksanterinkatu 52' whole in street (as models send an address) was 'housenumber: required': the number is
    read off the street's end, as written ('39 B'); a street with no number anywhere names what is missing and saves
    nothing."""
    async with Client(lifestyle.server("food")) as food:
        whole = await ok(food, "food_save_address", {"label": "Gym", "street": "Aleksanterinkatu 52"})
        apart = await ok(food, "food_save_address", {"label": "G2", "street": "Aleksanterinkatu", "housenumber": "52"})
        staircase = await ok(food, "food_save_address", {"label": "Aunt", "street": "Fredrikinkatu 39 B"})
        none = await err(food, "food_save_address", {"label": "Cafe", "street": "Fredrikinkatu"})
        book = await ok(food, "food_list_addresses", {})
    assert (whole["street"], whole["housenumber"]) == ("Aleksanterinkatu", "52")
    assert whole["location"] == apart["location"]
    assert (staircase["street"], staircase["housenumber"]) == ("Fredrikinkatu", "39 B")
    assert none.startswith("housenumber is missing") and "Aleksanterinkatu 52" in none, none
    assert "Cafe" not in [a["label"] for a in book["addresses"]]


async def test_an_address_with_its_flat_is_saved_at_its_house_with_the_flat_in_the_notes(lifestyle: Lifestyle) -> None:
    """'Fabianinkatu 39 B 12' (house 39, staircase B, flat 12), as Finnish addresses are written, was 'housenumber
    is missing', and housenumber '4 as 5' (asunto: flat) was not on the map: the house is where the map looks, and
    the flat goes to the notes the courier reads, before the user's own."""
    async with Client(lifestyle.server("food")) as food:
        whole = await ok(food, "food_save_address", {"label": "Aunt", "street": "Fabianinkatu 39 B 12"})
        house = await ok(food, "food_save_address", {"label": "House", "street": "Fabianinkatu 39 B"})
        apart = await ok(food, "food_save_address", {"label": "Flat", "street": "Kaivokatu", "housenumber": "4 as 5",
                                                      "notes": "door code 1234"})  # fmt: skip
        postcode = await ok(food, "food_save_address", {"label": "PC", "street": "Mannerheimintie 5, 00100 Helsinki"})
    assert (whole["street"], whole["housenumber"], whole["notes"]) == ("Fabianinkatu", "39 B", "flat 12"), whole
    assert whole["location"] == house["location"]
    assert (apart["housenumber"], apart["notes"]) == ("4", "flat 5; door code 1234"), apart
    assert (postcode["housenumber"], postcode["postcode"], postcode["notes"]) == ("5", "00100", ""), postcode


async def test_an_address_written_with_its_city_or_as_a_place_is_saved_at_its_street_and_number(
    lifestyle: Lifestyle,
) -> None:
    """'Fredrikinkatu 39 B, 00120 Helsinki' (postcode and city written after it) and '中央火车站' (the Central Station,
    a place by its name) were 'housenumber is missing': the city and postcode are read off the end, and a place of
    the map is saved at its own address and entrance, its name in the notes."""
    async with Client(lifestyle.server("food")) as food:
        written = await ok(food, "food_save_address", {"label": "Aunt", "street": "Fredrikinkatu 39 B, 00120 Helsinki"})
        city = await ok(food, "food_save_address", {"label": "A2", "street": "Fredrikinkatu 39 B, Helsinki"})
        plain = await ok(food, "food_save_address", {"label": "A3", "street": "Fredrikinkatu 39 B"})
        station = await ok(food, "food_save_address", {"label": "车站", "street": "赫尔辛基中央火车站"})
        oodi = await ok(food, "food_save_address", {"label": "Library", "street": "Oodi", "notes": "by the door"})
        bare = await err(food, "food_save_address", {"label": "Cafe", "street": "Kaivokatu"})
    assert (written["street"], written["housenumber"], written["postcode"]) == ("Fredrikinkatu", "39 B", "00120")
    assert written["location"] == city["location"] == plain["location"] and city["postcode"] == ""
    assert (station["street"], station["housenumber"]) == ("Kaivokatu", "1"), station
    assert station["notes"] == "Helsingin päärautatieasema" and station["location"]["lat"] > 0
    assert (oodi["street"], oodi["housenumber"], oodi["notes"]) == ("Töölönlahdenkatu", "4", "by the door"), oodi
    assert bare.startswith("housenumber is missing"), bare


async def test_an_address_the_map_lacks_is_refused_with_what_it_has(lifestyle: Lifestyle) -> None:
    """'Fredrikinkatu 34' said only 'Could not find', though the map has 32 and 39 on that street, and a misspelt
    'Manerheimintie' the same: the refusal lists the street's numbers and the nearest, or the streets spelt alike, and
    a street typed in lower case is saved as the map spells it."""
    async with Client(lifestyle.server("food")) as food:
        gap = await err(food, "food_save_address", {"label": "Work", "street": "Fredrikinkatu", "housenumber": "34"})
        typo = await err(food, "food_save_address", {"label": "Aunt", "street": "Manerheimintie", "housenumber": "5"})
        saved = await ok(food, "food_save_address", {"label": "Work", "street": "fredrikinkatu", "housenumber": "32"})
        book = await ok(food, "food_list_addresses", {})
    assert "Fredrikinkatu has numbers 26, 28, 30, 32, 39" in gap and "meant 32 or 30" in gap, gap
    assert "streets spelt alike: Mannerheimintie" in typo, typo
    assert saved["street"] == "Fredrikinkatu"
    assert [a["label"] for a in book["addresses"]].count("Work") == 1  # the refusals saved nothing


async def test_home_and_work_said_in_other_words_are_the_saved_ones(lifestyle: Lifestyle) -> None:
    """'my place', 'the office', 'my work' were 'Nothing in Helsinki matches': they are the saved Home and Work in
    every server, as 'home', '我家' and '公司' are."""
    async with Client(lifestyle.server("nav")) as nav, Client(lifestyle.server("movies")) as movies:
        said = await ok(nav, "nav_route", {"origin": "my place", "destination": "the office", "mode": "walking"})
        plain = await ok(nav, "nav_route", {"origin": "home", "destination": "work", "mode": "walking"})
        mine = await ok(nav, "nav_route", {"origin": "my flat", "destination": "my work", "mode": "walking"})
        flat = await ok(movies, "movies_search_cinemas", {"address": "my apartment"})
    for route in (said, mine):
        assert route["origin"]["name"].startswith("Home: ") and route["destination"]["name"].startswith("Work: ")
        assert route["routes"][0]["distance_m"] == plain["routes"][0]["distance_m"]
    assert flat["origin"].startswith("Home: "), flat["origin"]


async def test_a_place_found_on_the_map_is_that_restaurant_or_cinema_on_their_servers(lifestyle: Lifestyle) -> None:
    """nav routes to a restaurant or a cinema by food's or movies' id; the other way round, a sushi bar found with
    nav_search_places (plc_…) and passed to food was 'not an id, and nothing here is called that', and a cinema's
    map id likewise. A map place that is a restaurant or cinema here is it; one that is not says so."""
    async with Client(lifestyle.server("nav")) as nav:
        (sushi,) = (await ok(nav, "nav_search_places", {"query": "sushi", "category": "restaurant", "limit": 1}))[
            "places"
        ]
        (cinema,) = (await ok(nav, "nav_search_places", {"category": "cinema", "limit": 1}))["places"]
        (shop,) = (await ok(nav, "nav_geocode", {"query": "Stockmann", "limit": 1}))["candidates"]
    async with Client(lifestyle.server("food")) as food, Client(lifestyle.server("movies")) as movies:
        menu = await ok(food, "food_get_restaurant", {"restaurant_id": sushi["id"]})
        cart = await ok(food, "food_update_cart", {"restaurant_id": sushi["id"], "items": [
            {"item_id": menu["menu"]["categories"][0]["items"][0]["id"], "quantity": 1}]})  # fmt: skip
        shows = await ok(movies, "movies_find_showtimes", {"cinema_id": cinema["id"], "limit": 3})
        no_food = await err(food, "food_get_restaurant", {"restaurant_id": shop["id"]})
        no_films = await err(movies, "movies_find_showtimes", {"cinema_id": shop["id"]})
    assert menu["restaurant"]["name"] == sushi["name"] and menu["restaurant"]["id"].startswith("rst_")
    assert cart["restaurant_id"] == menu["restaurant"]["id"] and len(cart["lines"]) == 1
    assert shows["showtimes"] and {s["cinema_name"].split(" / ")[0] for s in shows["showtimes"]} == {cinema["name"]}
    assert f"restaurant_id '{shop['id']}' is a place on the map (nav's id), and no restaurant here" in no_food
    assert "no cinema here is that place" in no_films and "movies_search_cinemas" in no_films
