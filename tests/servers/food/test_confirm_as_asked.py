"""A confirmation token places what its quote offered, and only when the call asks for that.

A token sent with another address, slot, payment method or note than its quote's used to place the quoted order
and drop what the agent asked for, so the agent told the user the food was coming to the office while it went home.
Now such a call is refused and nothing moves; '' (and leaving an argument out) keep the quote's. An explicit
payment_method='wallet' on a cash quote is refused too: it used to read as the default and pay cash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from shared.geo import CITY_TZ
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import err, fill_cart, ok


async def quote(c: Client, **args: object) -> dict[str, Any]:
    result = await ok(c, "food_place_order", dict(args))
    assert result["status"] == "confirmation_required"
    return result["quote"]


async def orders(c: Client) -> list[dict[str, Any]]:
    return (await ok(c, "food_list_orders", {}))["orders"]


@pytest.mark.parametrize(
    ("quoted", "asked", "words"),
    [
        ({"address_id": "adr_demo_1"}, {"address_id": "adr_demo_2"}, "address_id 'adr_demo_1', not 'adr_demo_2'"),
        ({}, {"payment_method": "cash"}, "payment_method 'wallet', not 'cash'"),
        ({"payment_method": "cash"}, {"payment_method": "wallet"}, "payment_method 'cash', not 'wallet'"),
        ({"note": "ring twice"}, {"note": "leave at the door"}, "note 'ring twice', not 'leave at the door'"),
        ({}, {"deliver_at": "14:00"}, "deliver_at '' (as soon as possible), not '14:00'"),
        ({"deliver_at": "14:00"}, {"deliver_at": "14:15"}, "deliver_at 2026-11-25T14:00, not '14:15'"),
    ],
)
async def test_a_token_sent_with_other_arguments_is_refused_and_changes_nothing(
    food: FoodEnv, quoted: dict[str, str], asked: dict[str, str], words: str
) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        offer = await quote(c, **quoted)
        before = food.wallet()
        token = offer["confirmation_token"]
        refused = await err(c, "food_place_order", {"confirmation_token": token, **asked})
        after_refusal = (food.wallet(), await orders(c), (await ok(c, "food_get_cart", {}))["lines"])
        placed = await ok(c, "food_place_order", {"confirmation_token": token, **quoted})
    assert words in refused and "nothing was ordered" in refused and "without a token" in refused
    if "payment_method" in asked:  # its enum has no '': keeping the quote's means leaving it out
        assert "(or leave payment_method out)" in refused and "(or '')" not in refused
    assert after_refusal == (before, [], cart["lines"]), "the refusal moved money, placed or emptied the cart"
    assert placed["status"] == "done" and placed["order"]["bill"]["total"] == offer["bill"]["total"]
    if "address_id" in quoted:
        assert placed["order"]["address"]["id"] == quoted["address_id"]


async def test_a_token_confirmed_with_what_it_was_quoted_for_places_it(food: FoodEnv) -> None:
    """The elicitation-less two-step with every argument repeated (as a model does) still places the order, a
    scheduled slot named in 'HH:MM' included, and a retry gets the same order."""
    async with Client(food.server) as c:
        await fill_cart(c)
        local = food.clock.now().astimezone(CITY_TZ)
        slot = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        args = {"address_id": "adr_demo_2", "note": "3rd floor", "deliver_at": f"{slot:%H:%M}"}
        offer = await quote(c, **args)
        placed = await ok(c, "food_place_order", {"confirmation_token": offer["confirmation_token"], **args})
        again = await ok(c, "food_place_order", {"confirmation_token": offer["confirmation_token"], **args})
    assert placed["status"] == "done" and again["order"]["id"] == placed["order"]["id"]
    assert datetime.fromisoformat(placed["order"]["scheduled_for"]) == slot
    assert placed["order"]["address"]["id"] == "adr_demo_2"


async def test_a_cash_quote_confirmed_without_a_payment_method_is_paid_cash(food: FoodEnv) -> None:
    """Leaving payment_method out of the confirmation keeps the quote's cash, and the wallet is not charged."""
    async with Client(food.server) as c:
        await fill_cart(c)
        offer = await quote(c, payment_method="cash")
        before = food.wallet()
        placed = await ok(c, "food_place_order", {"confirmation_token": offer["confirmation_token"]})
    assert placed["status"] == "done" and placed["order"]["payment_method"] == "cash"
    assert food.wallet() == before


async def test_a_token_does_not_deliver_to_a_saved_address_edited_after_its_quote(food: FoodEnv) -> None:
    """The user confirmed 'to Kaivokatu 4'; 'Home' was then saved again as another street a few metres off (same id,
    same fee) and the token placed the order there. Now the token is refused naming both addresses, and a fresh
    quote is a fresh token for the address as it is now."""
    async with Client(food.server) as c:
        await fill_cart(c)
        first = await quote(c)
        home = first["address"]
        spot = home["location"]
        moved = await ok(
            c,
            "food_save_address",
            {
                "label": home["label"],
                "street": "Mannerheimintie",
                "housenumber": "1",
                "lat": spot["lat"] + 0.00001,
                "lng": spot["lng"],
            },
        )
        assert moved["id"] == home["id"]
        before, wallet = food.snapshot(), food.wallet()
        text = await err(c, "food_place_order", {"confirmation_token": first["confirmation_token"]})
        after = food.snapshot()
        fresh = await quote(c)
    assert "Kaivokatu 4" in text and "Mannerheimintie 1" in text
    assert after == before and food.wallet() == wallet and not after["food_order"]
    assert fresh["confirmation_token"] != first["confirmation_token"] and "Mannerheimintie 1" in fresh["summary"]


async def test_a_saved_address_by_its_label_is_that_address(food: FoodEnv) -> None:
    """'Work' passed as address_id was refused as no id (ids start with 'adr_'), though the user's address book
    names one so: a label (or 'home' / 'work' in any case) is that saved address in the cart, the quote and the
    confirmation, which stores and places its id ('office' is Work too); a label the book lacks is refused and
    changes nothing."""
    async with Client(food.server) as c:
        await fill_cart(c)
        cart = await ok(c, "food_update_cart", {"address_id": "Work"})
        offer = await quote(c, address_id="work")
        token = offer["confirmation_token"]
        placed = await ok(c, "food_place_order", {"confirmation_token": token, "address_id": "Work"})
        before = await ok(c, "food_get_cart", {})
        unknown = await err(c, "food_update_cart", {"address_id": "Cottage"})
        after = await ok(c, "food_get_cart", {})
    assert cart["address"]["id"] == "adr_demo_2", cart["address"]
    assert placed["status"] == "done" and placed["order"]["address"]["id"] == "adr_demo_2"
    assert "'Cottage'" in unknown and before == after


async def test_a_place_on_the_map_as_address_id_says_what_it_is_and_how_to_save_it(food: FoodEnv) -> None:
    """To deliver to the cinema, an agent passed address_id '基诺宫影城' (or 'Oodi', 'Mannerheimintie 5') and was told
    'not a valid id: ids start with adr_'; a label never saved ('Cottage') likewise. The refusal names the place the
    text reads as and how to save it, or the labels there are, and the cart is unchanged."""
    async with Client(food.server) as c:
        await fill_cart(c)
        before = await ok(c, "food_get_cart", {})
        said = {a: await err(c, "food_update_cart", {"address_id": a}) for a in ("基诺宫影城", "Mannerheimintie 5")}
        ordered = await err(c, "food_place_order", {"address_id": "Oodi"})
        unknown = await err(c, "food_update_cart", {"address_id": "Cottage"})
        after = await ok(c, "food_get_cart", {})
    assert said["基诺宫影城"].startswith("address_id '基诺宫影城' is no saved address: it reads as Kinopalatsi")
    assert all("food_save_address" in t and "saved now: Home, Work, Gym" in t for t in [*said.values(), ordered])
    assert "Helsingin keskustakirjasto Oodi" in ordered, ordered
    assert "neither the id nor the label of a saved address (saved now: Home, Work, Gym)" in unknown, unknown
    assert before == after


async def test_a_dish_named_where_its_id_goes_is_refused_with_its_id(food: FoodEnv) -> None:
    """'千层面' passed as item_id was refused by the id alphabet, 'Lasagne' as no 'itm_' id: the refusal gives the
    id of the dish of that restaurant's menu the name names, and the cart is unchanged."""
    ragu = "rst_n4573822789"
    async with Client(food.server) as c:
        before = await ok(c, "food_get_cart", {})
        said = [
            await err(c, "food_update_cart", {"restaurant_id": ragu, "items": [{"item_id": name, "quantity": 1}]})
            for name in ("千层面", "lasagne")
        ]
        after = await ok(c, "food_get_cart", {})
    for refused in said:
        assert "is a name, not an id: Lasagne / 千层面 is itm_n4573822789_3" in refused, refused
    assert before == after


async def test_words_of_a_dishs_name_where_its_id_goes_are_refused_with_the_ids_they_name(food: FoodEnv) -> None:
    """'Twin-pot' (the menu says 'Twin-pot (spicy + mild)') and '宫保' (宫保鸡丁) were 'not a valid id: ids start with
    itm_': words of a dish's name give its id, words of several give each, and the cart is unchanged."""
    china = "rst_n151006260"  # Ravintola China: broths, kung pao chicken
    async with Client(food.server) as c:
        before = await ok(c, "food_get_cart", {})
        said = {}
        for name in ("Twin-pot", "宫保", "broth", "zz"):
            line = {"item_id": name, "quantity": 1}
            said[name] = await err(c, "food_update_cart", {"restaurant_id": china, "items": [line]})
        after = await ok(c, "food_get_cart", {})
    assert "is a name, not an id: Twin-pot (spicy + mild) / 鸳鸯锅底 is itm_n151006260_4" in said["Twin-pot"]
    assert "is a name, not an id: Kung pao chicken / 宫保鸡丁 is itm_n151006260_10" in said["宫保"]
    assert "names 3: Spicy Sichuan broth" in said["broth"] and "Mushroom broth" in said["broth"]
    assert "is not an id" in said["zz"] and "nothing here is called that" in said["zz"]
    assert before == after
