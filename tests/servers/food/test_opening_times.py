"""What a restaurant's times say when it is closed, and after midnight: a closed restaurant said when it opens
nowhere and promised a delivery in 33 minutes; past midnight, a bar open on Friday's late hours showed Saturday's."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mcp import Client

from servers.food.backend.catalog import RestaurantRec
from shared.geo import CITY_TZ
from tests.servers.food.conftest import LUNCH, FoodEnv
from tests.servers.food.helpers import fill_cart, ok


def named(env: FoodEnv, name: str) -> RestaurantRec:
    return next(r for r in env.catalog.restaurants.values() if r.name == name)


async def found(c: Client, rest: RestaurantRec, **args: Any) -> dict[str, Any]:
    """The restaurant as a search by its name, delivering to its door, lists it."""
    page = await ok(c, "food_search_restaurants", {"query": rest.name, "lat": rest.lat, "lng": rest.lng, **args})
    return next(r for r in page["restaurants"] if r["id"] == rest.id)


async def test_a_closed_restaurant_says_when_it_opens_and_promises_no_delivery_time(food: FoodEnv) -> None:
    """Wednesday 12:30: Yes Yes Yes opens at 16:00. It said is_open false with eta_minutes 33, as if an order placed
    now would come in half an hour."""
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH, backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, yes)
        detail = (await ok(c, "food_get_restaurant", {"restaurant_id": yes.id}))["restaurant"]
    for shown in (hit, detail):
        assert shown["is_open"] is False
        assert shown["eta_minutes"] is None
        assert datetime.fromisoformat(shown["opens_at"]) == LUNCH.replace(hour=16, minute=0)
        assert shown["opens_at"] == "2026-11-25T16:00:00+02:00"


async def test_an_open_restaurant_has_a_delivery_time_and_no_opening(food: FoodEnv) -> None:
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH.replace(hour=18), backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, yes)
    assert hit["is_open"] is True and hit["opens_at"] is None
    assert isinstance(hit["eta_minutes"], int) and hit["eta_minutes"] > 0


async def test_a_kitchen_closing_before_it_could_cook_opens_at_its_next_opening(food: FoodEnv) -> None:
    """Open by its hours at 23:55 on Wednesday, but the food would be ready after midnight: not taking orders, and
    the next time it does is Thursday 16:00."""
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH.replace(hour=23, minute=55), backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, yes)
    assert hit["is_open"] is False and hit["eta_minutes"] is None
    assert datetime.fromisoformat(hit["opens_at"]) == (LUNCH + timedelta(days=1)).replace(hour=16, minute=0)


async def test_sorted_by_delivery_time_the_closed_restaurants_come_last(food: FoodEnv) -> None:
    food.clock.set(LUNCH.replace(hour=7, minute=30), backwards=True)  # breakfast: some open, many not yet
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"sort": "delivery_time", "limit": 20})
        shown = page["restaurants"]
        while page["page"]["next_cursor"]:
            page = await ok(
                c,
                "food_search_restaurants",
                {"sort": "delivery_time", "limit": 20, "cursor": page["page"]["next_cursor"]},
            )
            shown += page["restaurants"]
    opened = [r["is_open"] for r in shown]
    assert True in opened and False in opened
    assert opened == sorted(opened, reverse=True), "every open restaurant before every closed one"
    etas = [r["eta_minutes"] for r in shown if r["is_open"]]
    assert etas == sorted(etas)
    assert all(r["eta_minutes"] is None and r["opens_at"] for r in shown if not r["is_open"])


def local(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CITY_TZ)


async def test_after_midnight_the_hours_shown_are_the_span_it_is_open_in(food: FoodEnv) -> None:
    """Saturday 01:42: Kaarle XII is open on Friday's 20:00–04:00, and showed Saturday's hours (20:00–04:00) as if
    it opened tonight; is_open and hours_today disagreed."""
    kaarle = named(food, "Kaarle XII")
    assert kaarle.opening_hours["fri"] == [["20:00", "04:00"]] and kaarle.opening_hours["sat"] == [["20:00", "04:00"]]
    async with Client(food.server) as c:
        food.clock.set(local(28, 1, 42), backwards=True)
        late = await found(c, kaarle)
        detail = (await ok(c, "food_get_restaurant", {"restaurant_id": kaarle.id}))["restaurant"]
        food.clock.set(local(28, 12, 0))
        noon = await found(c, kaarle)
        food.clock.set(local(29, 1, 42))  # Sunday 01:42: on Saturday's span, and Sunday is closed
        sunday = await found(c, kaarle)
    for shown in (late, detail):
        assert shown["is_open"] is True
        assert shown["hours_today"] == "Fri 20:00–04:00 (now); Sat 20:00–04:00"
    assert noon["is_open"] is False and noon["hours_today"] == "20:00–04:00"
    assert sunday["is_open"] is True and sunday["hours_today"] == "Sat 20:00–04:00 (now); Sun closed"


async def test_a_cart_refused_before_closing_time_past_midnight_names_the_span_that_closes(food: FoodEnv) -> None:
    """Saturday 03:50, Friday's span closes at 04:00: the cart's problem quoted Saturday's hours (20:00–04:00)."""
    kaarle = named(food, "Kaarle XII")
    dish = next(i for cat in kaarle.menu for i in cat.items if not i.sold_out and not i.option_groups)
    food.clock.set(local(28, 3, 50), backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, kaarle)
        cart = await ok(
            c,
            "food_update_cart",
            {"restaurant_id": kaarle.id, "replace_cart": True, "items": [{"item_id": dish.id, "quantity": 1}]},
        )
    assert hit["is_open"] is False and hit["hours_today"] == "Fri 20:00–04:00 (now); Sat 20:00–04:00"
    assert datetime.fromisoformat(hit["opens_at"]) == local(28, 20, 0)
    closing = next(p for p in cart["problems"] if "closes before it could cook" in p)
    assert "hours: Fri 20:00–04:00 (now); Sat 20:00–04:00" in closing, closing


async def cart_at(c: Client, rest: RestaurantRec) -> dict[str, Any]:
    """A cart of one dish (no options) at ``rest``, as food_update_cart returns it."""
    dish = next(i for cat in rest.menu for i in cat.items if not i.sold_out and not i.option_groups)
    return await ok(
        c,
        "food_update_cart",
        {"restaurant_id": rest.id, "replace_cart": True, "items": [{"item_id": dish.id, "quantity": 2}]},
    )


async def test_a_cart_at_a_closed_restaurant_says_when_it_opens_and_promises_no_delivery_time(food: FoodEnv) -> None:
    """Wednesday 12:30, Yes Yes Yes opens at 16:00: its search hit said eta_minutes null and opens_at 16:00, while the
    cart said eta_minutes 33 beside a problem saying it is closed. The cart agrees with the search now, and a slot
    is still booked."""
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH, backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, yes)
        updated = await cart_at(c, yes)
        read = await ok(c, "food_get_cart", {})
        quote = await ok(c, "food_place_order", {"deliver_at": read["earliest_slot"]})
        placed = await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    for cart in (updated, read):
        assert cart["can_order"] is False
        assert cart["eta_minutes"] is None
        assert cart["opens_at"] == hit["opens_at"] == "2026-11-25T16:00:00+02:00"
        [closed] = cart["problems"]
        assert "closed now (opens Wed 16:00)" in closed and "deliver_at" in closed
        assert datetime.fromisoformat(cart["earliest_slot"]) > datetime.fromisoformat(cart["opens_at"])
    assert quote["quote"]["eta_minutes"] > 0 and quote["quote"]["deliver_at"] == read["earliest_slot"]
    assert placed["status"] == "done" and placed["order"]["scheduled_for"] == read["earliest_slot"]


async def test_a_cart_at_an_open_restaurant_has_a_delivery_time_and_no_opening(food: FoodEnv) -> None:
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH.replace(hour=18), backwards=True)
    async with Client(food.server) as c:
        cart = await cart_at(c, yes)
        page = await ok(c, "food_search_restaurants", {"query": yes.name, "address_id": cart["address"]["id"]})
    hit = next(r for r in page["restaurants"] if r["id"] == yes.id)
    assert cart["can_order"] is True and cart["opens_at"] is None
    assert cart["eta_minutes"] == hit["eta_minutes"] and cart["eta_minutes"] > 0


async def test_a_cart_at_a_kitchen_closing_before_it_could_cook_opens_at_its_next_opening(food: FoodEnv) -> None:
    """23:55 on Wednesday: open by its hours, but the food would be ready after midnight, so no delivery time; it
    next takes orders on Thursday at 16:00, as its search hit says."""
    yes = named(food, "Yes Yes Yes")
    food.clock.set(LUNCH.replace(hour=23, minute=55), backwards=True)
    async with Client(food.server) as c:
        hit = await found(c, yes)
        cart = await cart_at(c, yes)
    assert cart["can_order"] is False and cart["eta_minutes"] is None
    assert cart["opens_at"] == hit["opens_at"]
    assert datetime.fromisoformat(cart["opens_at"]) == (LUNCH + timedelta(days=1)).replace(hour=16, minute=0)
    assert any("closes before it could cook" in p for p in cart["problems"])


async def test_an_empty_cart_has_no_delivery_time(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await ok(c, "food_update_cart", {"clear": True})
    assert cart["eta_minutes"] is None and cart["opens_at"] is None and cart["can_order"] is False


async def test_a_cart_for_an_address_beyond_the_delivery_range_promises_no_delivery_time(food: FoodEnv) -> None:
    """An address beyond the restaurant's range still showed 'eta 31 min' and a first slot to book, next to the
    problem that no rider goes there."""
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        rest = food.catalog.restaurants[cart["restaurant_id"]]
        north = (rest.delivery.radius_m + 1000) / 111_000  # a kilometre past the range, straight north
        far = await ok(
            c,
            "food_save_address",
            {"label": "Cottage", "street": "Far away", "housenumber": "1",
             "lat": rest.location.lat + north, "lng": rest.location.lng},
        )  # fmt: skip
        away = await ok(c, "food_update_cart", {"address_id": far["id"]})
        near = await ok(c, "food_get_restaurant", {"restaurant_id": rest.id})
        there = await ok(c, "food_get_restaurant", {"restaurant_id": rest.id, "address_id": far["id"]})
    assert cart["eta_minutes"] is not None and cart["earliest_slot"] is not None
    assert not away["can_order"] and any("delivers within" in p for p in away["problems"]), away["problems"]
    assert (away["eta_minutes"], away["earliest_slot"]) == (None, None)
    # the restaurant's page said 'delivers: false' beside a fee and an ETA, which an agent quoted
    assert near["restaurant"]["delivers"] and near["restaurant"]["delivery_fee"]["amount_minor"] > 0
    assert not there["restaurant"]["delivers"]
    assert (there["restaurant"]["delivery_fee"], there["restaurant"]["eta_minutes"]) == (None, None)
