"""Errands as an agent runs them, through the tools only: order food, buy event and movie tickets, give them back.

Each finds what it needs in the real catalog the way a model would (search, read, choose), so the tests that use
them work on any day the sandbox is set to and across users who compete for the same seats.
"""

from __future__ import annotations

from typing import Any

from mcp import Client

from tests.servers.food.helpers import fill_cart, ok


async def confirm(c: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    """The two-step money call: quote, then act with the token (the user said yes)."""
    quote = await ok(c, tool, args)
    assert quote["status"] == "confirmation_required", quote
    done = await ok(c, tool, args | {"confirmation_token": quote["quote"]["confirmation_token"]})
    assert done["status"] == "done", done
    return done


async def order_food(c: Client) -> dict[str, Any]:
    await fill_cart(c)
    return await confirm(c, "food_place_order", {})


async def cancel_food(c: Client, order_id: str) -> dict[str, Any]:
    return await confirm(c, "food_cancel_order", {"order_id": order_id})


async def hold_event_seats(c: Client, quantity: int = 2, skip: int = 0) -> dict[str, Any]:
    """Best-available seats of the cheapest seated tier with room, in the first on-sale session (no real-name
    rule): what a thrifty user asks for, and affordable from the demo wallets."""
    page = await ok(c, "tickets_search_events", {"limit": 20})
    seen = 0
    for summary in page["events"]:
        event = await ok(c, "tickets_get_event", {"event_id": summary["id"]})
        if event["real_name_required"]:
            continue
        for session in event["sessions"]:
            if session["status"] != "on_sale":
                continue
            tiers = sorted(
                (t for t in session["tiers"] if t["sections"] and t["remaining"] >= quantity * 4),
                key=lambda t: t["price"]["amount_minor"],
            )
            if tiers:
                if seen < skip:
                    seen += 1
                    continue
                args = {"session_id": session["id"], "tier": tiers[0]["code"], "quantity": quantity}
                return await ok(c, "tickets_hold_seats", args)
    raise AssertionError("no on-sale session with room in the fixtures")


async def buy_event_tickets(c: Client, quantity: int = 2) -> dict[str, Any]:
    hold = await hold_event_seats(c, quantity)
    return await confirm(c, "tickets_purchase", {"hold_id": hold["id"]})


async def refund_event_tickets(c: Client, order_id: str) -> dict[str, Any]:
    return await confirm(c, "tickets_refund", {"order_id": order_id})


async def hold_movie_seats(c: Client, quantity: int = 2) -> dict[str, Any]:
    """Best-available standard seats at the soonest showtime more than two hours ahead (still refundable)."""
    page = await ok(c, "movies_find_showtimes", {"date": "tomorrow", "limit": 10})
    for show in page["showtimes"]:
        free = {t["tier"]: t["free"] for t in show["tiers"]}
        if show["status"] == "on_sale" and free.get("STD", 0) >= quantity * 4:
            return await ok(c, "movies_hold_seats", {"showtime_id": show["id"], "quantity": quantity})
    raise AssertionError("no on-sale showtime tomorrow with room")


async def buy_movie_tickets(c: Client, quantity: int = 2) -> dict[str, Any]:
    hold = await hold_movie_seats(c, quantity)
    return await confirm(c, "movies_purchase", {"hold_id": hold["id"]})


async def refund_movie_tickets(c: Client, order_id: str) -> dict[str, Any]:
    return await confirm(c, "movies_refund", {"order_id": order_id})
