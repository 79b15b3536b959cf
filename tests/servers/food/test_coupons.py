"""The cart lists the coupons the user could use on it, each with its rule and whether it applies now."""

from __future__ import annotations

from typing import Any

from mcp import Client
from sqlmodel import Session

from servers.food.backend.models import OrderRow
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import err, fill_cart, ok


def by_code(cart: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in cart["coupons"]}


async def test_the_cart_lists_usable_coupons_with_the_saving_it_would_get_and_why_others_do_not_apply(
    food: FoodEnv,
) -> None:
    async with Client(food.server) as c:
        small = await fill_cart(c)
        big = await fill_cart(c, min_total_minor=2500)
        best = next(x for x in big["coupons"] if x["applies"])
        applied = await ok(c, "food_update_cart", {"coupon_code": best["code"]})
    small_coupons, big_coupons = by_code(small), by_code(big)
    subtotal = small["bill"]["items_subtotal"]["amount_minor"]
    assert "SUMMER25" not in small_coupons, "an expired coupon is not offered"
    welcome = small_coupons["WELCOME5"]
    if subtotal < 2000:
        assert not welcome["applies"] and "€20.00" in welcome["why_not"] and welcome["saving"]["amount_minor"] == 0
    assert big_coupons["WELCOME5"]["applies"] and "why_not" not in big_coupons["WELCOME5"]
    flags = [x["applies"] for x in big["coupons"]]
    assert flags == sorted(flags, reverse=True), "applicable coupons come first"
    savings = [x["saving"]["amount_minor"] for x in big["coupons"] if x["applies"]]
    assert savings == sorted(savings, reverse=True) and best["saving"]["amount_minor"] == savings[0] > 0
    assert applied["coupon_code"] == best["code"] and applied["bill"]["discount"] == best["saving"]


async def test_a_quote_without_a_coupon_says_which_one_would_save_most(food: FoodEnv) -> None:
    """The cart lists its coupons, but an agent going straight to checkout quoted €34.54 while HELLO20 would have
    taken €6 off, and the user was never told (Ele.me picks the best red packet at checkout). The quote names the
    coupon that would save most, in its summary for the user too; with a coupon in the cart it names none."""
    async with Client(food.server) as c:
        cart = await fill_cart(c, min_total_minor=2500)
        bare = (await ok(c, "food_place_order", {}))["quote"]
        best = max((x for x in cart["coupons"] if x["applies"]), key=lambda x: x["saving"]["amount_minor"])
        await ok(c, "food_update_cart", {"coupon_code": best["code"]})
        used = (await ok(c, "food_place_order", {}))["quote"]
    assert bare["unused_coupon"]["code"] == best["code"] and bare["unused_coupon"]["saving"] == best["saving"]
    assert f"Coupon {best['code']} would save {best['saving']['display']}; it is not applied." in bare["summary"]
    assert bare["bill"]["discount"]["amount_minor"] == 0
    assert "unused_coupon" not in used and "Coupon" not in used["summary"]
    total = bare["bill"]["total"]["amount_minor"]
    assert used["bill"]["total"]["amount_minor"] == total - best["saving"]["amount_minor"]


async def test_the_coupon_that_saves_most_asked_for_by_what_it_does_is_applied(food: FoodEnv) -> None:
    """'用最划算的红包' (use the best-value red packet) reached food_update_cart as coupon_code='最划算的': 'No coupon
    最划算的', though the cart listed what each would save. Asked so ('the best coupon', '最划算的', 'best'), the
    coupon that saves most now is applied; with none that applies, the cart is refused unchanged and says why."""
    async with Client(food.server) as c:
        cart = await fill_cart(c, min_total_minor=2500)
        best = max((x for x in cart["coupons"] if x["applies"]), key=lambda x: x["saving"]["amount_minor"])
        said = {}
        for words in ("最划算的", "the best coupon", "best"):
            said[words] = await ok(c, "food_update_cart", {"coupon_code": words})
            await ok(c, "food_update_cart", {"coupon_code": "none"})
        await ok(c, "food_update_cart", {"clear": True})
        none_yet = await err(c, "food_update_cart", {"coupon_code": "最划算的"})
    for words, applied in said.items():
        assert applied["coupon_code"] == best["code"] and applied["bill"]["discount"] == best["saving"], words
    assert none_yet.startswith("Add items before applying a coupon"), none_yet


async def test_a_one_use_coupon_is_listed_as_used_up_after_an_order_with_it(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        await fill_cart(c, min_total_minor=2500)
        await ok(c, "food_update_cart", {"coupon_code": "HELLO20"})
        quote = await ok(c, "food_place_order", {})
        order = (await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]}))["order"]
        again = await fill_cart(c, min_total_minor=2500)
    hello = by_code(again)["HELLO20"]
    assert not hello["applies"] and "already used" in hello["why_not"]
    assert by_code(again)["WELCOME5"]["applies"]
    with Session(food.engine) as session:
        row = session.get(OrderRow, order["id"])
        assert row is not None and row.coupon_code == "HELLO20"


async def test_a_restaurants_own_coupon_is_offered_only_in_its_cart(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        empty = await ok(c, "food_get_cart", {})
        cart = await fill_cart(c)
    assert all(not x["applies"] and x["why_not"] for x in empty["coupons"])
    assert "PIZZA3" in by_code(empty) and "only" in by_code(empty)["PIZZA3"]["why_not"].lower()
    assert ("PIZZA3" in by_code(cart)) == (cart["restaurant_id"] == "rst_n1369465663")


async def test_a_code_typed_with_spaces_or_in_lower_case_is_the_same_code(food: FoodEnv) -> None:
    """' welcome5' and 'WELCOME 5' (pasted from a message, or read out) were 'No coupon': codes have no spaces."""
    async with Client(food.server) as c:
        await fill_cart(c, min_total_minor=2500)
        spaced = await ok(c, "food_update_cart", {"coupon_code": " welcome 5 "})
        removed = await ok(c, "food_update_cart", {"coupon_code": " None "})
    assert spaced["coupon_code"] == "WELCOME5" and spaced["bill"]["discount"]["amount_minor"] == 500
    assert removed["coupon_code"] == "" and removed["bill"]["discount"]["amount_minor"] == 0


async def test_a_coupon_named_by_what_it_is_is_refused_with_the_codes_there_are(food: FoodEnv) -> None:
    """'新人红包' (the new-customer red packet) was 'No coupon 新人红包. Check the code': the refusal lists the codes
    there are with what each does, so the next call can pass one, and the cart is unchanged."""
    async with Client(food.server) as c:
        before = await fill_cart(c, min_total_minor=2500)
        text = await err(c, "food_update_cart", {"coupon_code": "新人红包"})
        after = await ok(c, "food_get_cart", {})
    assert text.startswith("No coupon '新人红包'.") and "WELCOME5 (€5 off your order of €20 or more)" in text, text
    assert "HELLO20 (" in text and "coupon_code='best'" in text, text
    assert after["coupon_code"] == before["coupon_code"] and after["lines"] == before["lines"]


async def test_a_coupon_the_cart_no_longer_qualifies_for_says_how_to_drop_it(food: FoodEnv) -> None:
    """The cart kept WELCOME5 after lines were removed and could not be ordered, saying only 'It is not applied.':
    the problem now names both ways out, as the quote's refusal repeats it."""
    async with Client(food.server) as c:
        cart = await fill_cart(c, min_total_minor=2500)
        await ok(c, "food_update_cart", {"coupon_code": "WELCOME5"})
        line = cart["lines"][0]
        assert line["unit_price"]["amount_minor"] < 2000, "one of the dish must be under WELCOME5's €20"
        smaller = await ok(
            c,
            "food_update_cart",
            {
                "restaurant_id": cart["restaurant_id"],
                "items": [{"item_id": line["item_id"], "option_ids": line["option_ids"], "quantity": 1}],
            },
        )
    problem = next(p for p in smaller["problems"] if "WELCOME5" in p)
    assert not smaller["can_order"] and "coupon_code='none'" in problem


async def test_a_used_up_coupon_is_refused_with_a_way_out_that_works(food: FoodEnv) -> None:
    """Applying a one-use coupon again said 'Adjust the cart', which no cart can: it says to order without it."""
    async with Client(food.server) as c:
        await fill_cart(c, min_total_minor=2500)
        await ok(c, "food_update_cart", {"coupon_code": "HELLO20"})
        quote = await ok(c, "food_place_order", {})
        await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
        await fill_cart(c, min_total_minor=2500)
        text = await err(c, "food_update_cart", {"coupon_code": "HELLO20"})
    assert "already used" in text and "Adjust the cart" not in text, text
    assert "cannot apply to this order" in text and "coupon_code='none'" in text, text


async def test_a_refused_coupon_says_the_items_sent_with_it_were_not_added(food: FoodEnv) -> None:
    """Items sent with an expired coupon were refused with the coupon's reason alone, and an agent told the user the
    items were in the cart: the whole update is refused, and the error says so."""
    async with Client(food.server) as c:
        cart = await fill_cart(c)
        line = cart["lines"][0]
        before = await ok(c, "food_get_cart", {})
        text = await err(c, "food_update_cart", {"restaurant_id": cart["restaurant_id"], "coupon_code": "SUMMER25",
                                                 "items": [{"item_id": line["item_id"], "quantity": 5,
                                                            "option_ids": line["option_ids"]}]})  # fmt: skip
        after = await ok(c, "food_get_cart", {})
        alone = await err(c, "food_update_cart", {"coupon_code": "SUMMER25"})
    assert "Nothing in the cart was changed" in text and "without coupon_code" in text, text
    assert after["lines"] == before["lines"]
    assert "Nothing in the cart was changed" not in alone  # a coupon alone: nothing else was asked
