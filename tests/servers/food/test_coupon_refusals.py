"""A coupon's refusal and its advice come from one rule: the advice followed from the rules checked again, so an
expired coupon on a cart that was also short of its minimum said 'Change the cart so it qualifies', which no cart
can."""

from __future__ import annotations

from datetime import datetime

from mcp import Client

from shared.geo import CITY_TZ
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import fill_cart, ok


async def test_an_expired_coupon_on_a_short_cart_is_not_mended_by_changing_the_cart(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        cart = await fill_cart(c, min_total_minor=2500)
        await ok(c, "food_update_cart", {"coupon_code": "WELCOME5"})
        line = cart["lines"][0]
        assert line["unit_price"]["amount_minor"] < 2000, "one of the dish must be under WELCOME5's €20"
        await ok(
            c,
            "food_update_cart",
            {
                "restaurant_id": cart["restaurant_id"],
                "items": [{"item_id": line["item_id"], "option_ids": line["option_ids"], "quantity": 1}],
            },
        )
        food.clock.set(datetime(2028, 1, 5, 12, 30, tzinfo=CITY_TZ))  # WELCOME5 ran until the end of 2027
        later = await ok(c, "food_get_cart")
    problem = next(p for p in later["problems"] if "WELCOME5" in p)
    assert problem == (
        "Coupon WELCOME5 is only valid 2026-01-01 to 2027-12-31. It is not applied, and the cart cannot be ordered "
        "with it. It cannot apply to this order: order without it (food_update_cart(coupon_code='none') removes it "
        "from the cart), or use another of the cart's coupon options."
    )
