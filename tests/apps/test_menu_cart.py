"""The menu and cart (food) in headless Chromium: the whole menu as cards, options as choices, and quantity changes
in the view setting the server-side cart (read back through the server), with the live bill beside it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import AppsStack
from tests.apps.test_seat_picker import check_theme


def restaurant_with_choices(stack: AppsStack) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An open restaurant, and one of its dishes offering a 'choose 1' option group (with that group)."""
    found = stack.call("food", "food_search_restaurants", {})["structuredContent"]["restaurants"]
    for summary in found:
        detail = stack.call("food", "food_get_restaurant", {"restaurant_id": summary["id"]})["structuredContent"]
        groups = {g["id"]: g for g in detail["menu"]["option_groups"]}
        for category in detail["menu"]["categories"]:
            for item in category["items"]:
                for group_id in item.get("option_groups", []):
                    group = groups[group_id]
                    if not item.get("sold_out") and group["rule"] == "choose 1" and len(group["options"]) > 1:
                        return detail, item, group
    raise AssertionError("no dish with a choice")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_menu_cards_and_quantity_changes_update_the_server_cart_and_the_live_bill(
    stack: AppsStack, open_view: Any, theme: str
) -> None:
    detail, item, group = restaurant_with_choices(stack)
    stack.call("food", "food_update_cart", {"clear": True})
    restaurant_id = detail["restaurant"]["id"]
    shown = open_view("food", "food_get_restaurant", {"restaurant_id": restaurant_id}, theme=theme)
    check_theme(shown, theme)
    items = [i for c in detail["menu"]["categories"] for i in c["items"]]
    expect(shown.view.locator(".card")).to_have_count(len(items))
    expect(shown.view.locator("h2")).to_have_count(len(detail["menu"]["categories"]) + 1)  # + "Your cart"
    card = shown.view.locator(f'.card[data-item-id="{item["id"]}"]')
    expect(card.locator(".price")).to_have_text(item["price"]["display"])

    second = group["options"][1]
    card.locator(f'input[value="{second["id"]}"]').check()
    card.locator(".plus").click()
    expect(card.locator("output")).to_have_text("1", timeout=15_000)
    card.locator(".plus").click()
    expect(card.locator("output")).to_have_text("2", timeout=15_000)

    server = stack.call("food", "food_get_cart", {})["structuredContent"]
    assert server["restaurant_id"] == restaurant_id
    [line] = server["lines"]
    assert (line["item_id"], line["quantity"]) == (item["id"], 2)
    assert second["id"] in line["option_ids"]
    expect(shown.view.locator("#total span").last).to_have_text(server["bill"]["total"]["display"])

    card.locator(".minus").click()
    expect(card.locator("output")).to_have_text("1", timeout=15_000)
    server = stack.call("food", "food_get_cart", {})["structuredContent"]
    assert [(x["item_id"], x["quantity"]) for x in server["lines"]] == [(item["id"], 1)]
    expect(shown.view.locator("#total span").last).to_have_text(server["bill"]["total"]["display"])
    assert {c["name"] for c in shown.host("calls")} == {"food_get_cart", "food_update_cart"}
    assert not any(c["name"] == "food_place_order" for c in shown.host("calls"))
    shown.assert_clean()


def test_a_closed_restaurants_menu_says_when_it_opens(stack: AppsStack, open_view: Any) -> None:
    """Wednesday noon: the menu of Yes Yes Yes, which opens at 16:00, said only 'closed now', while its result
    carries opens_at; the header names the day and time, as the cart's problem does ('opens Wed 16:00')."""
    found = stack.call("food", "food_search_restaurants", {"query": "Yes Yes Yes"})["structuredContent"]
    closed = next(r for r in found["restaurants"] if r["name"] == "Yes Yes Yes")
    assert not closed["is_open"] and closed["eta_minutes"] is None
    assert datetime.fromisoformat(closed["opens_at"]).strftime("%a %H:%M") == "Wed 16:00"
    shown = open_view("food", "food_get_restaurant", {"restaurant_id": closed["id"]})
    expect(shown.view.locator("#subtitle")).to_contain_text("closed now, opens Wed 16:00")
    shown.assert_clean()
