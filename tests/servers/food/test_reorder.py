"""Order again (再来一单): the cart refilled from a past order, with what is no longer available reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from servers.food.backend import seed
from tests.servers.food.conftest import LUNCH, FoodEnv
from tests.servers.food.helpers import err, fill_cart, free_options, groups_of, ok, orderable, pick_options


async def place(c: Client) -> dict[str, Any]:
    quote = await ok(c, "food_place_order", {})
    placed = await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    return placed["order"]


def with_an_option(detail: dict[str, Any], item: dict[str, Any]) -> list[str]:
    """A valid choice for ``item`` that picks at least one option."""
    chosen = pick_options(detail, item)
    if not chosen:
        chosen = [free_options(item, groups_of(detail, item)[0])[0]["id"]]
    return chosen


async def four_line_order(c: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """An order of four dishes, two of them with options, from an open restaurant (and its menu)."""
    page = await ok(c, "food_search_restaurants", {"open_now": True, "sort": "rating", "limit": 20})
    for summary in page["restaurants"]:
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": summary["id"]})
        items = orderable(detail)
        optioned = [i for i in items if i.get("option_groups")]
        plain = [i for i in items if i not in optioned]
        if len(optioned) >= 2 and len(items) >= 4:
            chosen = [*optioned[:2], *(plain + optioned[2:])[:2]]
            lines = [
                {"item_id": i["id"], "quantity": 3, "option_ids": with_an_option(detail, i) if i in optioned else []}
                for i in chosen
            ]
            cart = await ok(
                c, "food_update_cart", {"restaurant_id": summary["id"], "replace_cart": True, "items": lines}
            )
            if cart["can_order"]:
                return await place(c), detail
    raise AssertionError("no restaurant with four orderable dishes, two with options")


async def test_ordering_again_refills_the_cart_with_the_same_dishes_options_and_address(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        order = await four_line_order(c)
        food.clock.advance(timedelta(hours=2))
        cart = await ok(c, "food_update_cart", {"from_order_id": order[0]["id"]})
        busy = await err(c, "food_update_cart", {"from_order_id": order[0]["id"]})
        replaced = await ok(c, "food_update_cart", {"from_order_id": order[0]["id"], "replace_cart": True})
    past = order[0]
    assert cart["restaurant_id"] == past["restaurant_id"] and "not_added" not in cart
    assert [(x["item_id"], x["option_ids"], x["quantity"]) for x in cart["lines"]] == [
        (x["item_id"], x["option_ids"], x["quantity"]) for x in past["lines"]
    ]
    assert cart["address"]["id"] == past["address"]["id"] and cart["can_order"]
    assert cart["bill"]["items_subtotal"] == past["bill"]["items_subtotal"]
    assert "replace_cart" in busy
    assert replaced["lines"] == cart["lines"]


@pytest.fixture
def own_catalog() -> Iterator[None]:
    """A catalog of this test's own: it changes the menus in memory, and apps over identical sandboxes share one
    (``seed.load_catalog``), so it is built afresh for the test and forgotten after it."""
    seed._REAL_CITIES.clear()
    yield
    seed._REAL_CITIES.clear()


@pytest.mark.usefixtures("own_catalog")
async def test_what_is_no_longer_available_is_reported_and_the_rest_is_added(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        order, _ = await four_line_order(c)
        lines = order["lines"]
        cat = food.catalog
        # Since then: one dish sold out, one option sold out, one option dropped, one dish taken off the menu.
        cat.items[lines[0]["item_id"]][1].option_groups = [
            g.model_copy(update={"options": [o for o in g.options if o.id not in lines[0]["option_ids"]]})
            for g in cat.items[lines[0]["item_id"]][1].option_groups
        ]
        for group in cat.items[lines[1]["item_id"]][1].option_groups:
            for option in group.options:
                option.sold_out = option.sold_out or option.id in lines[1]["option_ids"]
        cat.items[lines[2]["item_id"]][1].sold_out = True
        del cat.items[lines[3]["item_id"]]
        food.clock.set(LUNCH + timedelta(hours=16))  # and the restaurant is closed at 04:30
        cart = await ok(c, "food_update_cart", {"from_order_id": order["id"]})
    reasons = {x["item_id"]: x["reason"] for x in cart["not_added"]}
    assert list(reasons) == [line["item_id"] for line in lines]
    assert "no longer offered" in reasons[lines[0]["item_id"]]
    assert "sold out" in reasons[lines[1]["item_id"]].lower() and "Option" in reasons[lines[1]["item_id"]]
    assert "Sold out" in reasons[lines[2]["item_id"]]
    assert "no longer on the menu" in reasons[lines[3]["item_id"]].lower()
    assert [x["quantity"] for x in cart["not_added"]] == [line["quantity"] for line in lines]
    assert cart["lines"] == [] and cart["restaurant_id"] == ""


async def test_a_closed_restaurant_is_refilled_and_the_cart_says_when_it_can_be_delivered(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        order = await place(c)
        food.clock.set(LUNCH + timedelta(hours=16))
        cart = await ok(c, "food_update_cart", {"from_order_id": order["id"]})
    assert len(cart["lines"]) == len(order["lines"]) and not cart["can_order"]
    assert any("closed now" in p and "deliver_at" in p for p in cart["problems"])
    assert cart["earliest_slot"] and cart["earliest_slot"][:10] == "2026-11-26"


async def test_another_users_order_cannot_be_ordered_again(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c)
        order = await place(c)
    before = food.snapshot()
    async with Client(food.server_for("usr_alice")) as alice:
        text = await err(alice, "food_update_cart", {"from_order_id": order["id"]})
        bad = await err(alice, "food_update_cart", {"from_order_id": "rst_123"})
    assert "No order" in text and "from_order_id" in bad
    assert food.snapshot() == before


async def test_a_search_for_where_the_user_ordered_before_lists_those_restaurants(food: FoodEnv) -> None:
    """'上次点的那家' (where I ordered last time) found nothing, '我常点的' listed 72 kitchens with a size called
    'Regular / 常规' and 'order again from last time' a bar called Time Bar: searched as words. They ask for the
    restaurants the user ordered from, the latest first, with the order to refill the cart from; an answer kept from
    before an order is not reused after it."""
    async with Client(food.server) as c:
        before = await ok(c, "food_search_restaurants", {"query": "上次点的那家"})
        cart = await fill_cart(c, query="pizza")
        order = await place(c)
        asked = ("上次点的那家", "我常点的", "my usual", "order again from last time", "再来一单")
        said = {q: await ok(c, "food_search_restaurants", {"query": q}) for q in asked}
        pizza = await ok(c, "food_search_restaurants", {"query": "我上次点的披萨"})
        sushi = await ok(c, "food_search_restaurants", {"query": "上次的寿司"})
    assert before["restaurants"] == [] and "you have no orders yet" in before["note"], before["note"]
    for q, page in said.items():
        assert [r["id"] for r in page["restaurants"]] == [cart["restaurant_id"]], (q, page["note"])
        assert f"from_order_id='{order['id']}'" in page["note"], (q, page["note"])
    assert [r["id"] for r in pizza["restaurants"]] == [cart["restaurant_id"]], pizza["note"]
    assert pizza["restaurants"][0]["matched_dishes"], pizza["restaurants"][0]
    assert sushi["restaurants"] == [] and "None of them has '寿司' now." in sushi["note"], sushi["note"]
