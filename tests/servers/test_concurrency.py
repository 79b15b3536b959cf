"""Sixteen users at once on one process of each server, over streamable HTTP: each fills a cart at the same
restaurant and orders, and holds and buys seats of the same session. Nobody sees another's cart, nobody's
order holds another's lines, no seat is sold twice, and every wallet moved by exactly its own orders."""

from __future__ import annotations

from collections import Counter
from typing import Any

import anyio
from mcp import Client
from sqlmodel import Session

from shared.account.credentials import issue_token
from shared.account.wallet import ledger_total
from tests.sandboxes import Lifestyle
from tests.servers.food.helpers import ok, orderable, pick_options
from tests.servers.journeys import confirm
from tests.servers.test_isolation import four_servers
from tests.support import mcp_over_http

USERS = 16
OPENING = 50_000


async def errand(
    urls: dict[str, str], token: str, n: int, plan: dict[str, Any], out: dict[int, dict[str, Any]]
) -> None:
    """User n: a cart of n + base units of one dish, ordered; then two seats of the shared session, bought."""
    async with mcp_over_http(urls["food"], token) as food:
        quantity = plan["quantity"] + n
        line = {"item_id": plan["item_id"], "quantity": quantity, "option_ids": plan["option_ids"]}
        cart = await ok(food, "food_update_cart", {"restaurant_id": plan["restaurant_id"], "items": [line]})
        again = await ok(food, "food_get_cart")
        meal = await confirm(food, "food_place_order", {})
    async with mcp_over_http(urls["tickets"], token) as tickets:
        hold = await ok(tickets, "tickets_hold_seats", {"session_id": plan["session_id"], "tier": plan["tier"],
                                                        "quantity": 2})  # fmt: skip
        seats = await confirm(tickets, "tickets_purchase", {"hold_id": hold["id"]})
    out[n] = {"quantity": quantity, "cart": cart, "again": again, "meal": meal, "seats": seats}



async def find_plan(food_server: Any, tickets_server: Any, seats_needed: int, per_user: int) -> dict[str, Any]:
    """One dish of an open restaurant, and one on-sale session with room for everybody whose event lets one user
    have ``per_user`` seats (found in process)."""
    plan: dict[str, Any] = {}
    async with Client(food_server) as food, Client(tickets_server) as tickets:
        page = await ok(food, "food_search_restaurants", {"open_now": True, "sort": "rating", "limit": 10})
        for summary in page["restaurants"]:
            detail = await ok(food, "food_get_restaurant", {"restaurant_id": summary["id"]})
            dishes = orderable(detail)
            if dishes:
                dish = dishes[0]
                need = -(-summary["min_order"]["amount_minor"] // dish["price"]["amount_minor"])
                plan |= {"restaurant_id": summary["id"], "item_id": dish["id"], "quantity": max(1, need),
                         "option_ids": pick_options(detail, dish)}  # fmt: skip
                break
        events = await ok(tickets, "tickets_search_events", {"limit": 20})
        for summary in events["events"]:
            event = await ok(tickets, "tickets_get_event", {"event_id": summary["id"]})
            if event["real_name_required"] or event["per_user_limit"] < per_user:
                continue
            room = [(s, t) for s in event["sessions"] if s["status"] == "on_sale" for t in s["tiers"]
                    if t["sections"] and t["remaining"] >= seats_needed]  # fmt: skip
            if room:
                plan |= {"session_id": room[0][0]["id"], "tier": room[0][1]["code"]}
                break
    assert {"item_id", "session_id"} <= set(plan), plan
    return plan

async def test_sixteen_users_at_once_keep_their_own_carts_orders_seats_and_money(lifestyle_any_db: Lifestyle) -> None:
    env = lifestyle_any_db
    home = env.sandbox.accounts.list_addresses("usr_demo").addresses[0]
    users = [f"usr_crowd{n:02d}" for n in range(USERS)]
    for n, user in enumerate(users):
        env.sandbox.accounts.add_user(user, f"Crowd {n}", wallet_minor=OPENING, addresses=[home])
    tokens = [issue_token(env.engine, user) for user in users]
    # What everyone will ask for: one dish of the best open restaurant, and one session with room for all.
    plan = await find_plan(env.server("food"), env.server("tickets"), 2 * USERS, 2)

    results: dict[int, dict[str, Any]] = {}
    with four_servers(env) as urls:
        async with anyio.create_task_group() as group:
            for n in range(USERS):
                group.start_soon(errand, urls, tokens[n], n, plan, results)

    assert sorted(results) == list(range(USERS))
    sold: list[str] = []
    for n, got in results.items():
        mine = [line["quantity"] for line in got["cart"]["lines"]]
        assert mine == [got["quantity"]] and got["again"]["lines"] == got["cart"]["lines"]  # only their own line
        assert [line["quantity"] for line in got["meal"]["order"]["lines"]] == [got["quantity"]]
        order = got["seats"]["order"]
        assert len(order["tickets"]) == 2
        sold += [t["seat_id"] for t in order["tickets"]]
        spent = got["meal"]["order"]["bill"]["total"]["amount_minor"] + order["bill"]["total"]["amount_minor"]
        assert got["seats"]["wallet"]["amount_minor"] == OPENING - spent
        with Session(env.engine) as session:
            assert ledger_total(session, users[n]) == OPENING - spent
    assert [seat for seat, times in Counter(sold).items() if times > 1] == []
