"""The cancel quote says until when it holds and when, in local time, the refund drops."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mcp import Client

from shared.geo import CITY_TZ
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import err, fill_cart, ok


async def place(c: Client) -> dict[str, Any]:
    quote = await ok(c, "food_place_order", {})
    placed = await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    return placed["order"]


def marks(order: dict[str, Any]) -> dict[str, datetime]:
    return {s["status"]: datetime.fromisoformat(s["at"]) for s in order["timeline"]}


async def test_before_acceptance_the_quote_lapses_when_the_restaurant_accepts_and_the_refund_halves(
    food: FoodEnv,
) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        order = await place(c)
        offer = await ok(c, "food_cancel_order", {"order_id": order["id"]})
        food.clock.advance(timedelta(minutes=2))  # the restaurant accepts
        after_charge = food.wallet()
        text = await err(
            c,
            "food_cancel_order",
            {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]},
        )
    quote = offer["quote"]
    total = order["bill"]["total"]["amount_minor"]
    accepted = marks(order)["accepted"]
    drops = datetime.fromisoformat(quote["refund_drops_at"])
    assert quote["refund"]["amount_minor"] == total and quote["refund_then"]["amount_minor"] == total // 2
    assert drops == accepted and drops.utcoffset() == accepted.astimezone(CITY_TZ).utcoffset()
    assert datetime.fromisoformat(quote["expires_at"]) == accepted, "the token lapses when the refund drops"
    assert f"valid until {accepted:%H:%M}" in quote["summary"] and f"At {accepted:%H:%M}" in quote["summary"]
    assert "accept" in quote["summary"] and quote["refund_then"]["display"] in quote["summary"]
    assert "when the refund drops" in offer["message"]
    assert "expired" in text and food.wallet() == after_charge


async def test_while_preparing_the_quote_says_when_cancelling_ends(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        order = await place(c)
        food.clock.advance(timedelta(minutes=4))
        offer = await ok(c, "food_cancel_order", {"order_id": order["id"]})
    quote = offer["quote"]
    pickup = marks(order)["picked_up"]
    assert quote["refund"]["amount_minor"] == order["bill"]["total"]["amount_minor"] // 2
    assert datetime.fromisoformat(quote["refund_drops_at"]) == pickup and quote["refund_then"]["amount_minor"] == 0
    assert datetime.fromisoformat(quote["expires_at"]) == min(
        pickup, datetime.fromisoformat(order["placed_at"]) + timedelta(minutes=4 + 5)
    )
    assert "can no longer be cancelled" in quote["summary"] and f"{pickup:%H:%M}" in quote["summary"]


async def test_the_token_that_placed_an_order_cannot_cancel_it_and_the_error_speaks_of_the_token(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        quote = await ok(c, "food_place_order", {})
        token = quote["quote"]["confirmation_token"]
        order = (await ok(c, "food_place_order", {"confirmation_token": token}))["order"]
        before, wallet = food.snapshot(), food.wallet()
        text = await err(c, "food_cancel_order", {"order_id": order["id"], "confirmation_token": token})
    # it read "unknown" of the token the user had just confirmed the order with
    assert f"Confirmation token {token} was quoted for the order of cart, not for the cancel of {order['id']}" in text
    assert f"the token already made {order['id']}, which stands" in text
    assert "without a token for a fresh quote" in text and "Idempotency-Key" not in text
    assert food.snapshot() == before and food.wallet() == wallet


async def test_cancelling_a_cancelled_order_again_says_it_is_done_and_what_was_refunded(food: FoodEnv) -> None:
    """A second cancel (a retry without the token) said 'cannot be cancelled: already cancelled' and told the user to
    contact the restaurant if something was wrong with the food, of an order that never came."""
    async with Client(food.server) as c:
        await fill_cart(c)
        order = await place(c)
        offer = await ok(c, "food_cancel_order", {"order_id": order["id"]})
        token = offer["quote"]["confirmation_token"]
        await ok(c, "food_cancel_order", {"order_id": order["id"], "confirmation_token": token})
        before = food.snapshot()
        text = await err(c, "food_cancel_order", {"order_id": order["id"]})
    assert food.snapshot() == before
    assert f"Order {order['id']} is already cancelled" in text, text
    assert offer["quote"]["refund"]["display"] in text and "wrong with the food" not in text, text
