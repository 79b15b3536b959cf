"""Order lists through the real MCP protocol on a frozen sandbox clock, as evaluations and tests run it: orders
placed one after another at one instant still list newest first, so 'my latest order' is the last one placed."""

from __future__ import annotations

from mcp import Client

from shared.account.wallet import top_up
from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import ok
from tests.servers.journeys import buy_event_tickets, buy_movie_tickets, order_food

PLACED = 4  # in a random order, four orders list as placed one time in 24


async def test_orders_placed_at_one_frozen_instant_list_newest_first(lifestyle: Lifestyle) -> None:
    top_up(lifestyle.engine, "usr_demo", 200_000, lifestyle.sandbox.clock.now())
    async with (
        Client(lifestyle.server("food")) as food,
        Client(lifestyle.server("tickets")) as tickets,
        Client(lifestyle.server("movies")) as movies,
    ):
        placed = {
            "food": [(await order_food(food))["order"]["id"] for _ in range(PLACED)],
            "tickets": [(await buy_event_tickets(tickets, 1))["order"]["id"] for _ in range(PLACED)],
            "movies": [(await buy_movie_tickets(movies, 1))["order"]["id"] for _ in range(PLACED)],
        }
        listed = {
            "food": await ok(food, "food_list_orders", {"limit": 10}),
            "tickets": await ok(tickets, "tickets_list_orders", {"limit": 10}),
            "movies": await ok(movies, "movies_list_orders", {"limit": 10}),
        }
    for vertical, ids in placed.items():
        assert [o["id"] for o in listed[vertical]["orders"]] == ids[::-1], vertical
