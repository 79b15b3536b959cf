"""An order walks placed → delivered on the simulated clock, derived from timestamps alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from mcp import Client

from shared.geo import haversine_m
from shared.schemas.common import GeoPoint
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import fill_cart, ok


def _point(p: dict[str, float]) -> GeoPoint:
    return GeoPoint(lat=p["lat"], lng=p["lng"])


async def test_an_order_progresses_to_delivery_and_the_rider_moves_to_the_door(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        quote = await ok(c, "food_place_order", {})
        order = (await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]}))["order"]
        seen: list[str] = []
        distances: list[float] = []
        home = _point(order["address"]["location"])
        for _ in range(90):
            now = await ok(c, "food_get_order", {"order_id": order["id"]})
            if not seen or seen[-1] != now["status"]:
                seen.append(now["status"])
            if now["status"] == "delivering":
                distances.append(haversine_m(_point(now["rider"]["location"]), home))
            if now["status"] == "delivered":
                break
            food.clock.advance(timedelta(minutes=1))
        final = await ok(c, "food_get_order", {"order_id": order["id"]})
    assert seen == ["placed", "accepted", "preparing", "picked_up", "delivering", "delivered"]
    assert distances == sorted(distances, reverse=True) and len(distances) >= 2
    assert final["eta"] is None and final["rider"]["location"] == order["address"]["location"]
    assert all(step["done"] for step in final["timeline"])
    assert [s["status"] for s in final["timeline"]] == seen


async def test_the_eta_and_timeline_are_stated_up_front_and_hold(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        quote = await ok(c, "food_place_order", {})
        order = (await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]}))["order"]
        assert order["rider"] is None and [s["done"] for s in order["timeline"]][:2] == [True, False]
        eta = order["eta"]
        food.clock.advance(timedelta(minutes=quote["quote"]["eta_minutes"] + 5))
        later = await ok(c, "food_get_order", {"order_id": order["id"]})
    assert later["status"] == "delivered"
    assert later["timeline"][-1]["at"] == eta


async def test_active_and_delivered_filters_follow_the_clock(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        quote = await ok(c, "food_place_order", {})
        await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
        active = await ok(c, "food_list_orders", {"status": "active"})
        food.clock.advance(timedelta(hours=2))
        still_active = await ok(c, "food_list_orders", {"status": "active"})
        delivered = await ok(c, "food_list_orders", {"status": "delivered"})
    assert len(active["orders"]) == 1 and still_active["orders"] == []
    assert delivered["orders"][0]["status"] == "delivered"


async def test_the_quoted_eta_is_the_placed_orders_delivery_time(food: FoodEnv) -> None:
    """The minutes a quote states are the minutes the order's timeline then takes to the door (they used to differ
    by a minute either way: the quote rounded the ride up and counted one more minute of handling)."""
    async with Client(food.server) as c:
        await fill_cart(c)
        quote = (await ok(c, "food_place_order", {}))["quote"]
        order = (await ok(c, "food_place_order", {"confirmation_token": quote["confirmation_token"]}))["order"]
    steps = {step["status"]: datetime.fromisoformat(step["at"]) for step in order["timeline"]}
    assert steps["delivered"] - steps["placed"] == timedelta(minutes=quote["eta_minutes"])
    assert order["eta"] is not None and datetime.fromisoformat(order["eta"]) == steps["delivered"]
