"""Cursor mix-ups through the real MCP protocol, with all four servers on one sandbox (the ``lifestyle`` fixture of
``tests/conftest.py``): a list refuses a cursor another list issued, of its own server or another one, with an error
that names the list it came from and says how to fix it, and each list still pages with its own cursor."""

from __future__ import annotations

import base64

from mcp import Client

from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import err, ok
from tests.servers.journeys import buy_event_tickets


def refused(text: str, issued: str) -> None:
    assert "different list" in text and f"({issued})" in text and "next_cursor" in text, text


async def test_a_nav_places_cursor_is_refused_by_every_other_verticals_lists_and_still_pages_nav(
    lifestyle: Lifestyle,
) -> None:
    async with (
        Client(lifestyle.server("nav")) as nav,
        Client(lifestyle.server("food")) as food,
        Client(lifestyle.server("tickets")) as tickets,
        Client(lifestyle.server("movies")) as movies,
    ):
        first = await ok(nav, "nav_search_places", {"category": "restaurant", "limit": 5})
        cursor = first["page"]["next_cursor"]
        second = await ok(nav, "nav_search_places", {"category": "restaurant", "limit": 5, "cursor": cursor})
        # a cursor issued before cursors named their list still pages it (a client in mid-pagination)
        legacy = base64.urlsafe_b64encode(b"o:5").decode().rstrip("=")
        again = await ok(nav, "nav_search_places", {"category": "restaurant", "limit": 5, "cursor": legacy})
        assert again["places"] == second["places"]
        for client, tool in (
            (food, "food_search_restaurants"),
            (food, "food_list_orders"),
            (tickets, "tickets_search_events"),
            (tickets, "tickets_list_orders"),
            (movies, "movies_search_movies"),  # an offset list too: it used to skip five films
            (movies, "movies_search_cinemas"),
            (movies, "movies_find_showtimes"),
            (movies, "movies_list_orders"),
        ):
            refused(await err(client, tool, {"cursor": cursor}), "nav.places")
    ids = [p["id"] for p in first["places"] + second["places"]]
    assert len(ids) == len(set(ids)) == 10


async def test_a_lists_cursor_is_refused_by_another_list_of_the_same_server_and_pages_its_own(
    lifestyle: Lifestyle,
) -> None:
    async with (
        Client(lifestyle.server("food")) as food,
        Client(lifestyle.server("tickets")) as tickets,
        Client(lifestyle.server("movies")) as movies,
    ):
        # food: a search cursor (a key of the same kind an order list reads) is no order-list cursor
        shops = await ok(food, "food_search_restaurants", {"limit": 3})
        refused(await err(food, "food_list_orders", {"cursor": shops["page"]["next_cursor"]}), "food.search")
        more_shops = await ok(food, "food_search_restaurants", {"limit": 3, "cursor": shops["page"]["next_cursor"]})
        assert not {r["id"] for r in shops["restaurants"]} & {r["id"] for r in more_shops["restaurants"]}

        # movies: two offset lists, and a key list against the order list
        films = await ok(movies, "movies_search_movies", {"showing": "all", "limit": 2})
        refused(await err(movies, "movies_search_cinemas", {"cursor": films["page"]["next_cursor"]}), "movies.films")
        refused(await err(movies, "movies_find_showtimes", {"cursor": films["page"]["next_cursor"]}), "movies.films")
        more_films = await ok(movies, "movies_search_movies", {"showing": "all", "limit": 2,
                                                                "cursor": films["page"]["next_cursor"]})  # fmt: skip
        assert not {f["id"] for f in films["films"]} & {f["id"] for f in more_films["films"]}
        shows = await ok(movies, "movies_find_showtimes", {"limit": 2})
        refused(await err(movies, "movies_list_orders", {"cursor": shows["page"]["next_cursor"]}), "movies.showtimes")
        refused(await err(movies, "movies_search_movies", {"cursor": shows["page"]["next_cursor"]}), "movies.showtimes")
        cinemas = await ok(movies, "movies_search_cinemas", {"limit": 2})
        more_cinemas = await ok(movies, "movies_search_cinemas", {"limit": 2, "cursor": cinemas["page"]["next_cursor"]})
        assert not {c["id"] for c in cinemas["cinemas"]} & {c["id"] for c in more_cinemas["cinemas"]}

        # tickets: the order list's cursor is refused by the search, and pages the orders
        await buy_event_tickets(tickets, 1)
        await buy_event_tickets(tickets, 1)
        orders = await ok(tickets, "tickets_list_orders", {"limit": 1})
        mine = orders["page"]["next_cursor"]
        assert orders["page"]["total"] == 2 and mine
        refused(await err(tickets, "tickets_search_events", {"cursor": mine}), "tickets.orders")
        rest = await ok(tickets, "tickets_list_orders", {"limit": 1, "cursor": mine})
        assert [o["id"] for o in rest["orders"]] != [o["id"] for o in orders["orders"]]
        assert not rest["page"]["next_cursor"]
        events = await ok(tickets, "tickets_search_events", {"limit": 2})
        refused(await err(tickets, "tickets_list_orders", {"cursor": events["page"]["next_cursor"]}), "tickets.events")


async def test_a_search_cursor_sent_with_other_arguments_is_refused_and_the_same_search_still_pages(
    lifestyle: Lifestyle,
) -> None:
    """Page 2 of 'restaurants near the centre' is no place to start 'cafés' or the restaurants near another point:
    the cursor carries a digest of the arguments that chose the list, and only that search accepts it."""
    asked = {"category": "restaurant", "limit": 5}
    async with Client(lifestyle.server("nav")) as nav:
        first = await ok(nav, "nav_search_places", asked)
        cursor = first["page"]["next_cursor"]
        for other in (
            {"category": "cafe"},
            {"category": "restaurant", "query": "pizza"},
            {"category": "restaurant", "lat": 60.1699, "lng": 24.9384},
            {"category": "restaurant", "radius_m": 500},
            {"category": "restaurant", "open_now": True},
        ):
            text = await err(nav, "nav_search_places", {**other, "limit": 5, "cursor": cursor})
            assert "other arguments" in text and "same arguments" in text and "''" in text, (other, text)
        second = await ok(nav, "nav_search_places", {**asked, "cursor": cursor})
        # a cursor of this list issued before cursors carried their arguments still pages it
        older = base64.urlsafe_b64encode(b"o:nav.places:5").decode().rstrip("=")
        again = await ok(nav, "nav_search_places", {**asked, "cursor": older})
    assert again["places"] == second["places"]
    ids = [p["id"] for p in first["places"] + second["places"]]
    assert len(ids) == len(set(ids)) == 10


async def test_movies_offset_lists_refuse_a_cursor_sent_with_other_arguments(lifestyle: Lifestyle) -> None:
    """Page 2 of the films 'now showing' read as an offset into the comedies skipped five comedies; of the cinemas
    near home, into those near another point."""
    async with Client(lifestyle.server("movies")) as movies:
        films = await ok(movies, "movies_search_movies", {"showing": "all", "limit": 2})
        cinemas = await ok(movies, "movies_search_cinemas", {"limit": 2})
        for tool, cursor, other in (
            ("movies_search_movies", films["page"]["next_cursor"], {"showing": "all", "genre": "comedy"}),
            ("movies_search_movies", films["page"]["next_cursor"], {"showing": "now_showing"}),
            ("movies_search_cinemas", cinemas["page"]["next_cursor"], {"lat": 60.1699, "lng": 24.9384}),
        ):
            text = await err(movies, tool, {**other, "limit": 2, "cursor": cursor})
            assert "other arguments" in text and "same arguments" in text, (tool, other, text)
        more = await ok(movies, "movies_search_movies", {"showing": "all", "limit": 2,
                                                         "cursor": films["page"]["next_cursor"]})  # fmt: skip
    assert not {f["id"] for f in films["films"]} & {f["id"] for f in more["films"]}


async def test_key_cursor_searches_refuse_a_cursor_sent_with_other_arguments(lifestyle: Lifestyle) -> None:
    """A key cursor is a position in one search's order: sent with another query, sort or day it would start that
    other search after a row of the first (with another sort, anywhere). Each search still pages its own."""
    async with (
        Client(lifestyle.server("food")) as food,
        Client(lifestyle.server("tickets")) as tickets,
        Client(lifestyle.server("movies")) as movies,
    ):
        cases = [
            (food, "food_search_restaurants", {"limit": 3}, [{"sort": "distance"}, {"query": "pizza"}]),
            (tickets, "tickets_search_events", {"limit": 3}, [{"category": "concert"}, {"query": "Mahler"}]),
            (movies, "movies_find_showtimes", {"limit": 3}, [{"sort": "start_time"}, {"date": "tomorrow"}]),
        ]
        for client, tool, asked, others in cases:
            first = await ok(client, tool, asked)
            cursor = first["page"]["next_cursor"]
            assert cursor, tool
            for other in others:
                text = await err(client, tool, {**asked, **other, "cursor": cursor})
                assert "other arguments" in text and "same arguments" in text, (tool, other, text)
            await ok(client, tool, {**asked, "cursor": cursor})
