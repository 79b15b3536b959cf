"""What a real session of two users finds in a sandbox: the ids the fuzzers send so their calls reach past
validation (``tests/fuzz/conftest.py`` builds the sandbox and runs it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mcp import Client

from tests.fuzz.strategies import harvest
from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import fill_cart, ok
from tests.servers.journeys import (
    buy_event_tickets,
    buy_movie_tickets,
    hold_event_seats,
    hold_movie_seats,
    order_food,
)


@dataclass
class Fuzzed:
    """The sandbox the fuzzer works on, and what a real session found in it."""

    env: Lifestyle
    pools: dict[str, list[str]]
    alices: set[str]  # ids only Alice's results contained: the fuzzing user must never read them
    confirmations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # tool -> arguments that act
    problems: dict[str, list[str]] = field(default_factory=dict)


async def real_session(
    env: Lifestyle, user: str, found: dict[str, set[str]], confirmations: dict[str, list[dict[str, Any]]]
) -> None:
    """What a real user does before the fuzzer starts: order, buy, hold, ask for quotes, save things. Every
    result's ids go into the pools; every quote left unconfirmed becomes the arguments that would confirm it
    (so the fuzzer can move money, and try to with someone else's token)."""

    async def keep(c: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        got = await ok(c, tool, args)
        harvest(got, found)
        if got.get("status") == "confirmation_required":
            token = got["quote"]["confirmation_token"]
            confirmations.setdefault(tool, []).append({**(args or {}), "confirmation_token": token})
        return got

    async with Client(env.server("food", user)) as food:
        page = await keep(food, "food_search_restaurants", {"open_now": True, "sort": "rating", "limit": 5})
        for summary in page["restaurants"][:3]:
            await keep(food, "food_get_restaurant", {"restaurant_id": summary["id"]})
        meal = await order_food(food)
        harvest(meal, found)
        await keep(food, "food_cancel_order", {"order_id": meal["order"]["id"]})  # a refund quote: its token
        harvest(await fill_cart(food), found)
        await keep(food, "food_place_order", {})  # an order quote on a full cart: its token
        await keep(food, "food_list_addresses")
    async with Client(env.server("tickets", user)) as tickets:
        concert = await buy_event_tickets(tickets, 2)
        harvest(concert, found)
        hold = await hold_event_seats(tickets, 2, skip=1)
        harvest(hold, found)
        await keep(tickets, "tickets_purchase", {"hold_id": hold["id"]})
        await keep(tickets, "tickets_get_seat_map", {"session_id": concert["order"]["session_id"]})
        await keep(tickets, "tickets_save_attendee", {"name": f"Fuzz {user[4:].title()}", "id_type": "passport",
                                                      "id_number": f"XP{abs(hash(user)) % 10**7:07d}"})  # fmt: skip
        await keep(tickets, "tickets_refund", {"order_id": concert["order"]["id"]})
    async with Client(env.server("movies", user)) as movies:
        film = await buy_movie_tickets(movies, 2)
        harvest(film, found)
        hold = await hold_movie_seats(movies, 2)
        harvest(hold, found)
        await keep(movies, "movies_purchase", {"hold_id": hold["id"]})
        await keep(movies, "movies_get_seat_map", {"showtime_id": hold["showtime_id"]})
        await keep(movies, "movies_search_movies", {"limit": 5})
        await keep(movies, "movies_search_cinemas", {})
    async with Client(env.server("nav", user)) as nav:
        await keep(nav, "nav_search_places", {"limit": 10})
        await keep(nav, "nav_geocode", {"query": "Kiasma"})
