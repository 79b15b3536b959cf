"""Error wording through the real MCP protocol, with the four servers on one sandbox (the ``lifestyle`` fixture of
``tests/conftest.py``): bad input is refused in the terms of the tool the model called, says what was wrong and how
to fix it, and changes nothing (nav's cases at the end).

- a point outside the city: the hint offers only what that tool takes instead (``address_id``, ``address``,
  ``area``, or lat/lng 0), never "a saved address id" to a tool without one;
- an id left empty: the error names the parameter and the tool a valid id comes from; a blank entry in a list of
  ids (seat_ids, option_ids) is refused where it stands, never dropped, since ``[]`` is itself an answer (best
  available seats, a refund of every seat) that ``['']`` must not turn into;
- a day that has passed: the search is refused naming the day and today's date (the sandbox clock, Helsinki
  time), instead of an empty page that does not say why;
- a day beyond the published schedule: refused naming the day and the last day there is anything for.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from mcp import Client

from shared.geo import CITY_TZ
from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import err, free_options, groups_of, ok, orderable, pick_options
from tests.servers.journeys import (
    buy_event_tickets,
    buy_movie_tickets,
    hold_event_seats,
    hold_movie_seats,
    order_food,
)

FAR = {"lat": 31.2, "lng": 121.5}  # Shanghai: valid coordinates, 7,380 km from Helsinki
OLD_HINT = "or a saved address id"

# ----- a point outside the city --------------------------------------------------------------------------------

# every food, tickets and movies tool taking lat and lng: its other required arguments and what its hint must offer
POINT_TOOLS: dict[str, tuple[str, dict[str, Any], str]] = {
    "food_search_restaurants": ("food", {}, "address_id: a saved address's id from food_list_addresses"),
    "food_save_address": (
        "food",
        {"label": "Far", "street": "Kaivokatu", "housenumber": "4"},
        "lat and lng 0 to look up the street and housenumber",
    ),
    "tickets_search_events": ("tickets", {}, "area: a district of Helsinki such as 'Kamppi'"),
    "movies_search_cinemas": ("movies", {}, "address: a street and number ('Kaivokatu 4') or a saved address"),
    "movies_find_showtimes": ("movies", {}, "address: a street and number ('Kaivokatu 4') or a saved address"),
}


async def properties(c: Client) -> dict[str, dict[str, Any]]:
    """Each tool's input properties, as a client sees them."""
    return {t.name: t.input_schema.get("properties", {}) for t in (await c.list_tools()).tools}


@pytest.mark.parametrize("tool", sorted(POINT_TOOLS))
async def test_a_point_outside_the_city_is_refused_with_what_that_tool_takes_instead(
    lifestyle: Lifestyle, tool: str
) -> None:
    vertical, args, instead = POINT_TOOLS[tool]
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        tools = await properties(c)
        text = await err(c, tool, args | FAR)
    # the table names every tool of this server that takes a point
    assert {name for name, props in tools.items() if {"lat", "lng"} <= props.keys()} == {
        name for name, (v, _, _) in POINT_TOOLS.items() if v == vertical
    }
    assert text.startswith("lat/lng (31.20000, 121.50000) is 7,380 km from Helsinki, outside the service area."), text
    assert OLD_HINT not in text, text
    offered = text.split("(around lat 60.17, lng 24.94), or ", 1)[1]
    assert offered.startswith(instead), text
    named = instead.split(":")[0].split()[0]  # the argument the hint sends the model to
    assert named in tools[tool], f"{tool} has no {named!r} argument: {text}"
    assert lifestyle.snapshot() == before


@pytest.mark.parametrize("tool", sorted(POINT_TOOLS))
async def test_half_a_point_is_refused_as_half_a_point_not_as_far_away(lifestyle: Lifestyle, tool: str) -> None:
    """lat 60.17 with lng left 0 was '1,371 km from Helsinki, outside the service area': true of the point read,
    but the fix is the missing coordinate."""
    vertical, args, instead = POINT_TOOLS[tool]
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        no_lng = await err(c, tool, args | {"lat": 60.17, "lng": 0})
        no_lat = await err(c, tool, args | {"lat": 0, "lng": 24.94})
    assert no_lng.startswith("lat/lng has lat but lng is 0: a point needs both"), no_lng
    assert no_lat.startswith("lat/lng has lng but lat is 0: a point needs both"), no_lat
    assert "Give lng too" in no_lng and "Give lat too" in no_lat and instead in no_lng, no_lng
    assert lifestyle.snapshot() == before


@pytest.mark.parametrize("tool", sorted(POINT_TOOLS))
async def test_a_point_given_lng_first_is_refused_as_swapped_with_the_pair_to_send(
    lifestyle: Lifestyle, tool: str
) -> None:
    """(24.9384, 60.1699), the pair in GeoJSON's order, was '4,754 km from Helsinki, outside the service area': true
    of the point read, but the fix is to swap them, and the refusal says so with the pair to send."""
    vertical, args, instead = POINT_TOOLS[tool]
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        text = await err(c, tool, args | {"lat": 24.9384, "lng": 60.1699})
    assert text.startswith("lat/lng (24.93840, 60.16990) has lat and lng swapped"), text
    assert "Call again with lat 60.169900 and lng 24.938400, or " + instead in text, text
    assert lifestyle.snapshot() == before


async def test_nav_says_a_swapped_pair_in_the_form_each_argument_takes(lifestyle: Lifestyle) -> None:
    """nav takes a point as text ('lat,lng' in origin) or as near_lat/near_lng: the swap is said in that form."""
    async with Client(lifestyle.server("nav")) as nav:
        route = await err(nav, "nav_route", {"origin": "24.9384,60.1699", "destination": "Oodi"})
        near = await err(nav, "nav_geocode", {"query": "Oodi", "near_lat": 24.9384, "near_lng": 60.1699})
    assert "has lat and lng swapped" in route and "Call again with origin '60.169900,24.938400'" in route, route
    assert "Call again with near_lat 60.169900 and near_lng 24.938400" in near, near


async def test_a_price_in_euros_where_cents_go_is_named_as_such(lifestyle: Lifestyle) -> None:
    """price_max_minor=50 meant €50 and found nothing 'at €0.50 or less': the note says they are cents, and what €50
    is in them."""
    async with Client(lifestyle.server("tickets")) as tickets:
        euros = await ok(tickets, "tickets_search_events", {"price_max_minor": 50})
        cents = await ok(tickets, "tickets_search_events", {"price_max_minor": 5})
    assert euros["events"] == [] and "(in cents: €50 is 5000)" in euros["note"], euros["note"]
    assert "(cents)" in cents["note"] and "is 500" not in cents["note"], cents["note"]  # €5 is below every ticket


# ----- a name where an id goes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vertical", "tool", "args", "said"),
    [
        ("movies", "movies_find_showtimes", {"cinema_id": "Kinopalatsi"}, "is cin_n1376356017. Call again with"),
        ("movies", "movies_get_movie", {"movie_id": "Interstellar"}, "is mov_q13417189. Call again with"),
        ("food", "food_get_restaurant", {"restaurant_id": "Zucchini"}, "is rst_n4692013476. Call again with"),
        ("food", "food_get_restaurant", {"restaurant_id": "McDonalds"}, "names 4: McDonald's (Mannerheimintie 16"),
        # told apart by venue and dates, the soonest first: two runs of Giselle are at the Swedish Theatre
        ("tickets", "tickets_get_event", {"event_id": "Giselle"}, "names 3: Giselle / 吉赛尔 (Musiikkitalo / Helsinki "
         "Music Centre / 赫尔辛基音乐中心, 17 Dec–22 Dec): evt_7660b8ad05; Giselle / 吉赛尔 (Svenska Teatern / Swedish "
         "Theatre / 瑞典剧院, 17 Dec–2 Jan)"),
        # names with spaces, brackets or Chinese were refused by the id alphabet before any name was looked up
        ("movies", "movies_find_showtimes", {"cinema_id": "Bio Rex"}, "is cin_n1381017800. Call again with"),
        ("movies", "movies_get_movie", {"movie_id": "星际穿越"}, "is mov_q13417189. Call again with"),
        ("food", "food_get_restaurant", {"restaurant_id": "Ravintola Ragu (Italian kitchen)"}, "is rst_n4573822789."),
        ("food", "food_get_restaurant", {"restaurant_id": "麦当劳"}, "names 4: McDonald's (Mannerheimintie 16"),
        ("tickets", "tickets_get_event", {"event_id": "Peer Gynt"}, "names 3: Peer Gynt / 培尔·金特 (Lilla Teatern"),
        # a Chinese cinema name said short or with another word for cinema was 'nothing here is called that'
        ("movies", "movies_find_showtimes", {"cinema_id": "基诺宫"}, "is cin_n1376356017. Call again with"),
        ("movies", "movies_find_showtimes", {"cinema_id": "雷克斯电影院"}, "is cin_n1381017800. Call again with"),
        ("movies", "movies_find_showtimes", {"cinema_id": "恩格尔"}, "names 2: Kesäkino Engel"),
    ],
)
async def test_a_name_passed_where_an_id_goes_is_refused_with_its_id(
    lifestyle: Lifestyle, vertical: str, tool: str, args: dict[str, Any], said: str
) -> None:
    """A model passing the name the user said ('Kinopalatsi') where an id goes was told only that ids start with
    'cin_', and had to search for what it already named. Still refused, and nothing changes, but the error gives
    the id it names, or the ids to choose from when it names several (four McDonald's, three runs of Giselle)."""
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        refused = await err(c, tool, args)
    field = next(iter(args))
    assert refused.startswith(f"{field} '{args[field]}' is a name, not an id") and said in refused, refused
    assert lifestyle.snapshot() == before


@pytest.mark.parametrize(
    ("vertical", "tool", "args", "search"),
    [
        ("movies", "movies_find_showtimes", {"movie_id": "Dune"}, "movies_search_movies"),
        ("movies", "movies_get_movie", {"movie_id": "沙丘"}, "movies_search_movies"),
        ("movies", "movies_find_showtimes", {"cinema_id": "Finnkino Tennispalatsi"}, "movies_search_cinemas"),
        ("food", "food_get_restaurant", {"restaurant_id": "Noma"}, "food_search_restaurants"),
        ("tickets", "tickets_get_event", {"event_id": "Swan Lake"}, "tickets_search_events"),
    ],
)
async def test_a_name_of_nothing_here_passed_where_an_id_goes_says_so_and_to_search(
    lifestyle: Lifestyle, vertical: str, tool: str, args: dict[str, Any], search: str
) -> None:
    """'Dune' (a film not showing here) as movie_id was 'not a valid id: ids of this kind start with mov_', which
    reads as a mistyped id: the model retried with made-up ids. It is a name of nothing here; a search tells."""
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        refused = await err(c, tool, args)
    field = next(iter(args))
    assert refused.startswith(f"{field} '{args[field]}' is not an id"), refused
    assert "nothing here is called that" in refused and f"Look it up by name with {search}" in refused, refused
    assert lifestyle.snapshot() == before


# ----- an id left empty -------------------------------------------------------------------------------------------

Setup = Callable[[Client], Awaitable[dict[str, Any]]]


def given(args: dict[str, Any]) -> Setup:
    async def setup(c: Client) -> dict[str, Any]:
        return args

    return setup


async def an_empty_item(c: Client) -> dict[str, Any]:
    shop = (await ok(c, "food_search_restaurants", {"limit": 1}))["restaurants"][0]
    return {"restaurant_id": shop["id"], "items": [{"item_id": "", "quantity": 1}]}


async def an_empty_attendee(c: Client) -> dict[str, Any]:
    hold = await hold_event_seats(c, 1)
    return {"hold_id": hold["id"], "attendee_ids": [""]}


async def an_empty_ticket(c: Client) -> dict[str, Any]:
    done = await buy_event_tickets(c, 1)
    return {"order_id": done["order"]["id"], "ticket_ids": [""]}


async def an_item_with_one_option(c: Client) -> tuple[str, str, str]:
    """A restaurant, a dish on its menu and one option that is a valid choice for it by itself."""
    for shop in (await ok(c, "food_search_restaurants", {"limit": 10}))["restaurants"]:
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": shop["id"]})
        for item in orderable(detail):
            chosen = pick_options(detail, item)
            if not chosen:  # no group needs a choice: one optional option is a choice by itself
                chosen = [o["id"] for g in groups_of(detail, item) for o in free_options(item, g)][:1]
            if len(chosen) == 1:
                return shop["id"], item["id"], chosen[0]
    raise AssertionError("no dish with a one-option choice in the fixtures")


async def an_empty_option(c: Client) -> dict[str, Any]:
    shop, item, _ = await an_item_with_one_option(c)
    return {"restaurant_id": shop, "items": [{"item_id": item, "quantity": 1, "option_ids": [""]}]}


async def a_free_event_seat(c: Client) -> dict[str, Any]:
    """A seat that is free again (held best-available, then released), with its session and tier."""
    hold = await hold_event_seats(c, 1)
    await ok(c, "tickets_release_hold", {"hold_id": hold["id"]})
    return {"session_id": hold["session_id"], "tier": hold["seats"][0]["tier"], "seat_id": hold["seats"][0]["seat_id"]}


async def a_free_movie_seat(c: Client) -> dict[str, Any]:
    hold = await hold_movie_seats(c, 1)
    await ok(c, "movies_release_hold", {"hold_id": hold["id"]})
    return {"showtime_id": hold["showtime_id"], "seat_id": hold["seats"][0]["seat_id"]}


async def an_empty_event_seat(c: Client) -> dict[str, Any]:
    free = await a_free_event_seat(c)  # with tier and quantity, [''] was read as [] and held best-available seats
    return {"session_id": free["session_id"], "seat_ids": [""], "tier": free["tier"], "quantity": 1}


async def an_empty_movie_seat(c: Client) -> dict[str, Any]:
    free = await a_free_movie_seat(c)  # with a quantity, ['  '] was read as [] and held the best available
    return {"showtime_id": free["showtime_id"], "seat_ids": ["  "], "quantity": 1}


async def an_empty_refund_seat(c: Client) -> dict[str, Any]:
    done = await buy_movie_tickets(c, 2)  # [''] was read as [] and quoted a refund of both seats
    return {"order_id": done["order"]["id"], "seat_ids": [""]}


def blanked(args: dict[str, Any]) -> dict[str, Any]:
    """The same arguments with every empty id, alone or in a list (items' option ids included), made '  '."""

    def blank(value: Any) -> Any:
        if value == "":
            return "  "
        if isinstance(value, list):
            return [blank(v) for v in value]
        if isinstance(value, dict):
            return {k: blank(v) if k.endswith(("_id", "_ids")) else v for k, v in value.items()}
        return value

    return {k: blank(v) if k.endswith(("_id", "_ids")) or k == "items" else v for k, v in args.items()}


# (vertical, tool, the argument as the error must name it, what it says of it, where a valid id comes from, setup)
EMPTY_IDS: list[tuple[str, str, str, str, str, Setup]] = [
    ("food", "food_get_restaurant", "restaurant_id", "is empty", "food_search_restaurants",
     given({"restaurant_id": ""})),
    ("food", "food_get_order", "order_id", "is empty", "food_list_orders", given({"order_id": ""})),
    ("food", "food_cancel_order", "order_id", "is empty", "food_list_orders", given({"order_id": ""})),
    ("food", "food_update_cart", "restaurant_id", "is required", "food_search_restaurants",
     given({"restaurant_id": "", "items": [{"item_id": "itm_x", "quantity": 1}]})),
    ("food", "food_update_cart", "items[0].item_id", "is empty", "food_get_restaurant", an_empty_item),
    ("food", "food_update_cart", "items[0].option_ids[0]", "is empty", "food_get_restaurant", an_empty_option),
    ("tickets", "tickets_get_event", "event_id", "is empty", "tickets_search_events", given({"event_id": ""})),
    ("tickets", "tickets_get_seat_map", "session_id", "is empty", "tickets_get_event", given({"session_id": ""})),
    ("tickets", "tickets_hold_seats", "session_id", "is empty", "tickets_get_event",
     given({"session_id": "", "tier": "A", "quantity": 1})),
    ("tickets", "tickets_hold_seats", "seat_ids[0]", "is empty", "tickets_get_seat_map", an_empty_event_seat),
    ("tickets", "tickets_release_hold", "hold_id", "is empty", "tickets_hold_seats", given({"hold_id": ""})),
    ("tickets", "tickets_purchase", "hold_id", "is empty", "tickets_hold_seats", given({"hold_id": ""})),
    ("tickets", "tickets_purchase", "attendee_ids[0]", "is empty", "tickets_list_attendees", an_empty_attendee),
    ("tickets", "tickets_refund", "order_id", "is empty", "tickets_list_orders", given({"order_id": ""})),
    ("tickets", "tickets_refund", "ticket_ids[0]", "is empty", "tickets_list_orders", an_empty_ticket),
    ("movies", "movies_get_movie", "movie_id", "is empty", "movies_search_movies", given({"movie_id": ""})),
    ("movies", "movies_get_seat_map", "showtime_id", "is empty", "movies_find_showtimes",
     given({"showtime_id": ""})),
    ("movies", "movies_hold_seats", "showtime_id", "is empty", "movies_find_showtimes",
     given({"showtime_id": "", "quantity": 1})),
    ("movies", "movies_hold_seats", "seat_ids[0]", "is empty", "movies_get_seat_map", an_empty_movie_seat),
    ("movies", "movies_release_hold", "hold_id", "is empty", "movies_hold_seats", given({"hold_id": ""})),
    ("movies", "movies_purchase", "hold_id", "is empty", "movies_hold_seats", given({"hold_id": ""})),
    ("movies", "movies_refund", "order_id", "is empty", "movies_list_orders", given({"order_id": ""})),
    ("movies", "movies_refund", "seat_ids[0]", "is empty", "movies_list_orders", an_empty_refund_seat),
]  # fmt: skip

# id parameters where '' is itself an answer, so leaving them empty is no mistake (a list of ids whose [] is an
# answer is in EMPTY_IDS: a blank entry in it is a mistake, not [])
BLANK_MEANS: dict[tuple[str, str], str] = {
    ("food_search_restaurants", "address_id"): "lat/lng or the first saved address",
    ("food_get_restaurant", "address_id"): "the first saved address",
    ("food_update_cart", "address_id"): "leave the address",
    ("food_update_cart", "from_order_id"): "no reorder",
    ("food_place_order", "address_id"): "the cart's address",
    ("movies_find_showtimes", "movie_id"): "any film",
    ("movies_find_showtimes", "cinema_id"): "any cinema",
}


def root(field: str) -> str:
    """The tool's own argument a field is in: 'items[0].item_id' is in items, 'attendee_ids[0]' in attendee_ids."""
    return field.split("[")[0].split(".")[0]


@pytest.mark.parametrize(
    ("vertical", "tool", "field", "says", "source", "setup"),
    EMPTY_IDS,
    ids=[f"{tool}-{field}" for _, tool, field, *_ in EMPTY_IDS],
)
async def test_an_empty_id_is_refused_naming_the_argument_and_where_a_valid_one_comes_from(
    lifestyle: Lifestyle, vertical: str, tool: str, field: str, says: str, source: str, setup: Setup
) -> None:
    async with Client(lifestyle.server(vertical)) as c:
        tools = await properties(c)
        args = await setup(c)
        before = lifestyle.snapshot()
        text = await err(c, tool, args)
        blank = await err(c, tool, blanked(args))  # '  ' is as empty as '': it used to be "not a valid id"
    assert text.startswith(f"{field} {says}"), text
    assert source in text, text
    assert blank == text, (blank, text)
    assert field in tools[tool] or root(field) in tools[tool]
    assert lifestyle.snapshot() == before
    # every id argument of this server's tools is either in the table or one where '' is an answer
    covered = {(t, root(f)) for v, t, f, *_ in EMPTY_IDS if v == vertical}
    ids = {(name, p) for name, props in tools.items() for p in props if p.endswith(("_id", "_ids"))}
    assert ids - covered - BLANK_MEANS.keys() == set()


BlankSetup = Callable[[Client], Awaitable[tuple[dict[str, Any], list[str]]]]


async def an_event_seat_and_a_blank(c: Client) -> tuple[dict[str, Any], list[str]]:
    free = await a_free_event_seat(c)  # the blank was dropped and the one real seat held
    return {"session_id": free["session_id"], "seat_ids": [free["seat_id"], ""]}, [
        "[] for the best available seats by tier and quantity"
    ]


async def a_movie_seat_and_a_blank(c: Client) -> tuple[dict[str, Any], list[str]]:
    free = await a_free_movie_seat(c)
    return {"showtime_id": free["showtime_id"], "seat_ids": [free["seat_id"], " "]}, ["[] for the best available"]


async def a_bought_seat_and_a_blank(c: Client) -> tuple[dict[str, Any], list[str]]:
    order = (await buy_movie_tickets(c, 2))["order"]  # the blank was dropped and one seat of two quoted
    return {"order_id": order["id"], "seat_ids": [order["tickets"][0]["seat_id"], ""]}, [
        "[] for every valid seat of the order"
    ]


async def a_quoted_seat_and_a_blank(c: Client) -> tuple[dict[str, Any], list[str]]:
    order = (await buy_movie_tickets(c, 2))["order"]
    seat = order["tickets"][0]["seat_id"]
    quote = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [seat]})
    token = quote["quote"]["confirmation_token"]
    return {"order_id": order["id"], "seat_ids": [seat, ""], "confirmation_token": token}, [
        "[] for the seats of the quote"
    ]


async def an_option_and_a_blank(c: Client) -> tuple[dict[str, Any], list[str]]:
    shop, item, option = await an_item_with_one_option(c)
    detail = await ok(c, "food_get_restaurant", {"restaurant_id": shop})
    dish = next(i for cat in detail["menu"]["categories"] for i in cat["items"] if i["id"] == item)
    offered = [o["id"] for g in groups_of(detail, dish) for o in g["options"]]
    return {"restaurant_id": shop, "items": [{"item_id": item, "quantity": 1, "option_ids": [option, " "]}]}, offered


# (vertical, tool, the entry as the error must name it, setup: arguments with a blank after a real id, and what the
# error must say besides: what [] would do instead, or the dish's valid option ids)
BLANK_ENTRIES: list[tuple[str, str, str, BlankSetup]] = [
    ("tickets", "tickets_hold_seats", "seat_ids[1]", an_event_seat_and_a_blank),
    ("movies", "movies_hold_seats", "seat_ids[1]", a_movie_seat_and_a_blank),
    ("movies", "movies_refund", "seat_ids[1]", a_bought_seat_and_a_blank),
    ("movies", "movies_refund", "seat_ids[1]", a_quoted_seat_and_a_blank),
    ("food", "food_update_cart", "items[0].option_ids[1]", an_option_and_a_blank),
]


@pytest.mark.parametrize(
    ("vertical", "tool", "field", "setup"),
    BLANK_ENTRIES,
    ids=["tickets-hold", "movies-hold", "movies-refund-quote", "movies-refund-confirm", "food-option"],
)
async def test_a_blank_entry_among_real_ids_is_refused_where_it_stands_not_dropped(
    lifestyle: Lifestyle, vertical: str, tool: str, field: str, setup: BlankSetup
) -> None:
    async with Client(lifestyle.server(vertical)) as c:
        args, says = await setup(c)
        before = lifestyle.snapshot()
        text = await err(c, tool, args)
        assert lifestyle.snapshot() == before  # nothing held, quoted, refunded or put in the cart
        # the blank was the only thing wrong: without it the same call goes through
        fixed = {k: [v for v in val if v.strip()] if k == "seat_ids" else val for k, val in args.items()}
        if "items" in args:
            fixed["items"] = [{**args["items"][0], "option_ids": args["items"][0]["option_ids"][:1]}]
        await ok(c, tool, fixed)
    assert text.startswith(f"{field} is empty"), text
    for said in says:
        assert said in text, text


# (tool, the entry as the error must name it, where a valid id comes from, setup: an empty entry, sent blanked too)
BLANK_AS_EMPTY: list[tuple[str, str, str, Setup]] = [
    ("tickets_purchase", "attendee_ids[0]", "tickets_list_attendees", an_empty_attendee),
    ("tickets_refund", "ticket_ids[0]", "tickets_list_orders", an_empty_ticket),
]


@pytest.mark.parametrize(("tool", "field", "source", "setup"), BLANK_AS_EMPTY, ids=["attendee", "ticket"])
async def test_a_blank_ticket_or_attendee_id_is_empty_as_an_empty_one_is(
    lifestyle: Lifestyle, tool: str, field: str, source: str, setup: Setup
) -> None:
    async with Client(lifestyle.server("tickets")) as c:
        args = await setup(c)
        before = lifestyle.snapshot()
        text = await err(c, tool, blanked(args))
        empty = await err(c, tool, args)
    # '  ' was "is not a valid id", which reads as a mistyped id, not one left out
    assert text.startswith(f"{field} is empty: it takes an id starting with "), text
    assert source in text and "is not a valid id" not in text, text
    assert text == empty, (text, empty)
    assert lifestyle.snapshot() == before


async def test_an_unknown_option_id_is_refused_where_it_stands_with_the_dish_s_options(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("food")) as c:
        args, offered = await an_option_and_a_blank(c)
        line = args["items"][0]
        args["items"] = [{**line, "option_ids": [line["option_ids"][0], "opt_nosuch"]}]
        before = lifestyle.snapshot()
        text = await err(c, "food_update_cart", args)
    # it said "Option 'opt_nosuch' is not an option of …", leaving the model to find which of its lists held it
    assert text.startswith("items[0].option_ids[1] 'opt_nosuch' is not an option of "), text
    assert "food_get_restaurant" in text, text
    for option in offered:
        assert option in text, text
    assert lifestyle.snapshot() == before


# ----- a day that has passed --------------------------------------------------------------------------------------


def today_of(lifestyle: Lifestyle) -> str:
    return lifestyle.sandbox.clock.now().astimezone(CITY_TZ).date().isoformat()


def days_before(lifestyle: Lifestyle, days: int) -> str:
    return (lifestyle.sandbox.clock.now().astimezone(CITY_TZ).date() - timedelta(days=days)).isoformat()


Days = Callable[[Lifestyle], dict[str, str]]

# (vertical, tool, arguments naming a day that has passed, the argument to change, arguments from today on)
PAST_DAYS: list[tuple[str, str, Days, str, Days]] = [
    ("movies", "movies_find_showtimes", lambda env: {"date": "2020-01-01"}, "date",
     lambda env: {"date": today_of(env)}),
    ("movies", "movies_find_showtimes", lambda env: {"date": days_before(env, 1)}, "date",
     lambda env: {"date": "today"}),
    ("tickets", "tickets_search_events", lambda env: {"date_from": "2020-01-01", "date_to": "2020-01-05"}, "date_to",
     lambda env: {"date_from": "2020-01-01", "date_to": today_of(env)}),
    ("tickets", "tickets_search_events", lambda env: {"date_to": days_before(env, 1)}, "date_to",
     lambda env: {"date_to": today_of(env)}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("vertical", "tool", "past", "field", "upcoming"),
    PAST_DAYS,
    ids=["movies-2020", "movies-yesterday", "tickets-2020-range", "tickets-until-yesterday"],
)
async def test_a_search_for_a_day_that_has_passed_says_so_and_what_today_is(
    lifestyle: Lifestyle,
    vertical: str,
    tool: str,
    past: Days,
    field: str,
    upcoming: Days,
) -> None:
    args, today = past(lifestyle), today_of(lifestyle)
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        text = await err(c, tool, args)
        await ok(c, tool, upcoming(lifestyle))  # today itself is still searched, whatever it finds
    assert args[field] in text and ("has passed" in text or "have passed" in text), text
    assert f"today is {today}" in text and "in Helsinki" in text, text
    assert field in text, text  # the argument to change
    assert lifestyle.snapshot() == before


# ----- a day beyond the published schedule ------------------------------------------------------------------------

UNTIL = re.compile(r"until (\d{4}-\d{2}-\d{2}) \(")

# (vertical, tool, arguments naming a day past the schedule, the argument to change, what a page of results holds)
FAR_DAYS: list[tuple[str, str, dict[str, str], str, str]] = [
    ("movies", "movies_find_showtimes", {"date": "2030-01-01"}, "date", "showtimes"),
    ("tickets", "tickets_search_events", {"date_from": "2030-01-01", "date_to": "2030-02-01"}, "date_from", "events"),
    ("tickets", "tickets_search_events", {"date_from": "2030-01-01"}, "date_from", "events"),
]


@pytest.mark.parametrize(
    ("vertical", "tool", "far", "field", "found"), FAR_DAYS, ids=["movies", "tickets-range", "tickets-from"]
)
async def test_a_search_beyond_the_published_schedule_says_how_far_ahead_it_goes(
    lifestyle: Lifestyle, vertical: str, tool: str, far: dict[str, str], field: str, found: str
) -> None:
    before = lifestyle.snapshot()
    async with Client(lifestyle.server(vertical)) as c:
        text = await err(c, tool, far)
        named = UNTIL.search(text)
        assert named, text
        last = date.fromisoformat(named.group(1))
        # the day named is the last one with anything on it: it has results, the day after is refused as well
        assert (await ok(c, tool, {field: last.isoformat()}))[found], text
        after = (last + timedelta(days=1)).isoformat()
        assert UNTIL.search(await err(c, tool, {field: after})), after
        # a search within the schedule that matches nothing (no start that late) is an empty page, not this refusal
        assert (await ok(c, tool, {field: last.isoformat(), "time_from": "23:59"}))[found] == []
    assert far[field] in text and field in text, text
    assert last > date.fromisoformat(today_of(lifestyle)), text
    assert lifestyle.snapshot() == before


async def test_a_search_after_the_season_has_ended_says_so(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("tickets")) as c:
        named = UNTIL.search(await err(c, "tickets_search_events", {"date_from": "2030-01-01"}))
        assert named, "no last day named"
        last = date.fromisoformat(named.group(1))
        # the day after the last session: every session has started, so nothing is left to list
        lifestyle.sandboxes["tickets"].clock.set(datetime.combine(last + timedelta(days=1), time(12), CITY_TZ))
        before = lifestyle.snapshot()
        text = await err(c, "tickets_search_events", {})  # was an empty page that did not say why
        dated = await err(c, "tickets_search_events", {"date_to": (last + timedelta(days=30)).isoformat()})
    assert text.startswith("The tickets season has ended: the last session in the calendar started "), text
    assert last.isoformat() in text and f"it is now {last + timedelta(days=1)} 12:00" in text, text
    assert "in Helsinki" in text and "tickets_list_orders" in text, text
    assert dated == text, dated
    assert lifestyle.snapshot() == before


# ----- nav: the same two refusals in its own terms ------------------------------------------------------------------


async def test_nav_refuses_a_far_point_and_an_empty_place_id_in_its_own_terms(lifestyle: Lifestyle) -> None:
    async with Client(lifestyle.server("nav")) as c:
        tools = await properties(c)
        far_origin = await err(c, "nav_route", {"origin": "31.2,121.5", "destination": "Oodi", "mode": "walking"})
        far_centre = await err(c, "nav_search_places", {"category": "cafe"} | FAR)
        far_bias = await err(c, "nav_geocode", {"query": "Oodi", "near_lat": 31.2, "near_lng": 121.5})
        empty = await err(c, "nav_get_place", {"place_id": ""})
    assert "outside the service area" in far_origin and "a place id (plc_…) or a saved address" in far_origin
    assert far_centre.endswith("or 0 and 0 for the centre.") and OLD_HINT not in far_centre, far_centre
    assert "or 0 and 0 for no bias" in far_bias, far_bias
    assert empty.startswith("place_id is empty") and "nav_search_places" in empty, empty
    assert {"lat", "lng"} <= tools["nav_search_places"].keys() and "place_id" in tools["nav_get_place"]


async def test_nav_reverse_geocode_outside_the_map_says_what_it_covers_and_what_to_do(lifestyle: Lifestyle) -> None:
    before = lifestyle.snapshot()
    async with Client(lifestyle.server("nav")) as c:
        text = await err(c, "nav_reverse_geocode", FAR)
        centre = await ok(c, "nav_reverse_geocode", {"lat": 60.1705, "lng": 24.9440})  # the point it names works
    assert text.startswith("lat/lng (31.20000, 121.50000) is 7,380 km from Helsinki, outside the service area."), text
    box = re.search(r"The map covers .*\(lat (\d+\.\d+)–(\d+\.\d+), lng (\d+\.\d+)–(\d+\.\d+)", text)
    assert box, text  # what the map covers, in words and numbers
    south, north, west, east = map(float, box.groups())
    assert south <= 60.1705 <= north and west <= 24.9440 <= east, text
    assert "lat 60.1705, lng 24.9440" in text and "nav_geocode" in text, text  # what to do instead
    assert centre["address"]["one_line"], centre
    assert lifestyle.snapshot() == before


async def test_a_required_argument_left_out_is_named_with_the_values_it_takes(lifestyle: Lifestyle) -> None:
    """An attendee saved without id_type was 'id_type: Field required (got {'name': '李四', 'id_number': …})': the
    other arguments echoed back (an ID number among them), and not what id_type takes."""
    before = lifestyle.snapshot()
    async with Client(lifestyle.server("tickets")) as c:
        attendee = await err(c, "tickets_save_attendee", {"name": "李四", "id_number": "110101199003071234"})
        hold = await err(c, "tickets_hold_seats", {"quantity": 2})
    assert "id_type: required, and not given: one of 'id_card', 'passport', 'hk_macao_permit'" in attendee, attendee
    assert "110101199003071234" not in attendee and "Field required" not in attendee, attendee
    assert "session_id: required, and not given." in hold, hold
    assert lifestyle.snapshot() == before


async def test_my_latest_order_where_an_order_id_goes_is_refused_with_that_orders_id(lifestyle: Lifestyle) -> None:
    """'where is my order?' → food_get_order(order_id='最近的订单') or tickets_refund(order_id='last') was 'not a valid
    id: ids start with ord_': the refusal gives the latest order's id in each vertical, or says there is none."""
    async with Client(lifestyle.server("food")) as food, Client(lifestyle.server("tickets")) as tickets, \
            Client(lifestyle.server("movies")) as movies:  # fmt: skip
        none_yet = await err(food, "food_get_order", {"order_id": "最近的订单"})
        await order_food(food)
        meal = (await order_food(food))["order"]  # the later of two
        seats = (await buy_event_tickets(tickets))["order"]
        film = (await buy_movie_tickets(movies))["order"]
        before = lifestyle.snapshot()
        said = {
            "food": await err(food, "food_get_order", {"order_id": "my latest order"}),
            "cancel": await err(food, "food_cancel_order", {"order_id": "刚才的订单"}),
            "tickets": await err(tickets, "tickets_refund", {"order_id": "last"}),
            "movies": await err(movies, "movies_refund", {"order_id": "上一单"}),
            "again": await err(food, "food_update_cart", {"from_order_id": "上一单", "replace_cart": True}),  # 再来一单
            # 'cancel the one I just ordered': '刚才那单', '这个订单' and 'that order' were 'not a valid id'
            "that": await err(food, "food_cancel_order", {"order_id": "刚才那单"}),
            "this": await err(tickets, "tickets_refund", {"order_id": "这个订单"}),
            "just": await err(movies, "movies_refund", {"order_id": "the order I just placed"}),
        }
    assert "asks for your latest order, and there is none yet" in none_yet, none_yet
    pairs = (("food", meal), ("cancel", meal), ("tickets", seats), ("movies", film), ("that", meal), ("this", seats),
             ("just", film))  # fmt: skip
    for vertical, order in pairs:
        assert f"reads as your latest order: {order['id']}, placed " in said[vertical], (vertical, said[vertical])
        assert f"Call again with order_id='{order['id']}'" in said[vertical]
    assert f"Call again with from_order_id='{meal['id']}'" in said["again"], said["again"]
    assert lifestyle.snapshot() == before


async def test_where_in_the_room_said_as_a_seat_is_refused_as_such(lifestyle: Lifestyle) -> None:
    """'后排' (the back rows), 'two middle seats' or '前排中间' passed as seat ids were 'Seat … does not exist here',
    read as a mistyped seat: the refusal says it is where in the room, and how to pick seats there (in movies, rows
    said as the tier too)."""
    async with Client(lifestyle.server("movies")) as movies, Client(lifestyle.server("tickets")) as tickets:
        show = (await ok(movies, "movies_find_showtimes", {"movie_id": "mov_q13417189", "limit": 1}))["showtimes"][0]
        before = lifestyle.snapshot()
        said = [
            await err(movies, "movies_hold_seats", {"showtime_id": show["id"], "seat_ids": ["后排"]}),
            await err(movies, "movies_hold_seats", {"showtime_id": show["id"], "seat_ids": ["two middle seats"]}),
            await err(tickets, "tickets_hold_seats", {"session_id": "ses_a88529ffa9", "seat_ids": ["前排中间"]}),
        ]
    for refused in said:
        assert "says where in the room, not which seat" in refused, refused
        assert "_get_seat_map (front rows first)" in refused and "a tier and a quantity" in refused, refused
    assert said[1].startswith("Seat 'two middle seats' says"), said[1]  # quoted as said, not 'TWO MIDDLE SEATS'
    assert "tier '后排' (the back rows)" in said[0] and "后排" not in said[2].split("says where")[1], said
    assert lifestyle.snapshot() == before
