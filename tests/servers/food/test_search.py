"""Search by option and ingredient, sold-out dishes flagged, empty pages explained, a minimum-order filter."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from servers.food.backend.catalog import Catalog
from servers.food.backend.pricing import delivery_distance_m
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import ok

FAR_EAST = {"lat": 60.23, "lng": 25.05}  # Helsinki, but beyond every restaurant's delivery radius


def catalog(env: FoodEnv) -> Catalog:
    return env.app.state.service.catalog


async def everything(c: Client, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a search."""
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = await ok(c, "food_search_restaurants", {**args, "limit": 20, "cursor": cursor})
        found += page["restaurants"]
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return found


@pytest.mark.parametrize(("en", "zh"), [("oat milk latte", "燕麦奶拿铁"), ("oat milk coffee", "燕麦奶咖啡")])
async def test_dishes_are_found_by_their_options_in_english_and_chinese(food: FoodEnv, en: str, zh: str) -> None:
    async with Client(food.server) as c:
        home = (await ok(c, "food_list_addresses"))["addresses"][0]["location"]
        english = await everything(c, {"query": en})
        chinese = await everything(c, {"query": zh})
        plain = await everything(c, {"query": "latte"})
    point = type(catalog(food).restaurants[english[0]["id"]].location)(**home)
    offering = {
        rest.id
        for rest, item in catalog(food).items.values()
        if any(o.name == "Oat milk" for g in item.option_groups for o in g.options)
        and delivery_distance_m(rest, point) <= rest.delivery.radius_m
    }
    assert english and {r["id"] for r in english} == {r["id"] for r in chinese} == offering
    for hit in english + chinese:
        assert any("Oat milk / 燕麦奶" in d.get("options", []) for d in hit["matched_dishes"])
    first = english[0]["matched_dishes"][0]
    assert "latte" in first["name"].lower() or en == "oat milk coffee"
    assert first["item_id"].startswith("itm_")
    assert len(plain) > len(english) or {r["id"] for r in plain} >= offering


async def test_a_sold_out_dish_is_flagged_in_matched_dishes(food: FoodEnv) -> None:
    rest, item = next((r, i) for r, i in catalog(food).items.values() if i.sold_out)
    async with Client(food.server) as c:
        here = await everything(c, {"query": item.name, "lat": rest.lat, "lng": rest.lng, "sort": "distance"})
    hit = next(r for r in here if r["id"] == rest.id)
    dish = next(d for d in hit["matched_dishes"] if d["item_id"] == item.id)
    assert dish["sold_out"] is True
    others = [d for r in here for d in r.get("matched_dishes", []) if d["item_id"] != item.id]
    assert all("sold_out" not in d for d in others if not catalog(food).items[d["item_id"]][1].sold_out)


async def test_words_of_a_dish_match_at_word_starts_only(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        tea = await everything(c, {"query": "tea"})
    assert tea
    assert not any("steak" in d["name"].lower() for r in tea for d in r.get("matched_dishes", [])), (
        "'tea' is not in 'steak'"
    )


@pytest.mark.parametrize("query", ["", "pizza"])
async def test_an_address_outside_every_delivery_area_gets_a_reason(food: FoodEnv, query: str) -> None:
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": query, **FAR_EAST})
    assert page["restaurants"] == []
    assert "No restaurant" in page["note"] and "delivers within" in page["note"] and "km away" in page["note"]


async def test_an_empty_page_says_whether_nothing_matched_or_everything_is_closed(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        nothing = await ok(c, "food_search_restaurants", {"query": "zzqx"})
        chatty = await ok(c, "food_search_restaurants", {"query": "best margherita please"})
        food.clock.set(food.clock.now().replace(hour=5, minute=0), backwards=True)
        closed = await ok(c, "food_search_restaurants", {"query": "sushi", "open_now": True})
        found = await ok(c, "food_search_restaurants", {"query": "sushi"})
    assert nothing["restaurants"] == [] and "No restaurant, dish or option matches 'zzqx'" in nothing["note"]
    assert chatty["restaurants"] and "'best'" in chatty["note"], "an unknown word is left out, and said so"
    assert "note" not in found and found["restaurants"]
    assert closed["restaurants"] == [] and "closed now" in closed["note"] and "deliver_at" in closed["note"]


async def test_one_coffee_can_skip_restaurants_whose_minimum_order_is_higher(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        every = await everything(c, {"query": "coffee"})
        cheap = await everything(c, {"query": "coffee", "max_min_order_minor": 500})
        by_min = await everything(c, {"query": "coffee", "sort": "min_order"})
        none = await ok(c, "food_search_restaurants", {"query": "ramen", "max_min_order_minor": 500})
    assert cheap and all(r["min_order"]["amount_minor"] <= 500 for r in cheap)
    assert {r["id"] for r in cheap} == {r["id"] for r in every if r["min_order"]["amount_minor"] <= 500}
    assert len(cheap) < len(every)
    minimums = [r["min_order"]["amount_minor"] for r in by_min]
    assert minimums == sorted(minimums) and len(by_min) == len(every)
    assert none["restaurants"] == []  # ramen places all want €8 or more
    assert "minimum order above €5.00" in none["note"] and "max_min_order_minor" in none["note"]


@pytest.mark.parametrize(("typed", "name"), [("morrisons", "MorriSon's"), ("puttes bar", "Putte's"),
                                             ("Morrison’s pizzeria", "MorriSon's")])  # fmt: skip
async def test_a_name_with_an_apostrophe_is_found_typed_without_it(food: FoodEnv, typed: str, name: str) -> None:
    """People and speech-to-text drop the apostrophe: 'morrisons' found nothing, and 'puttes bar' dropped 'puttes'
    and listed every bar."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": typed, "limit": 5})
    assert page["restaurants"] and page["restaurants"][0]["name"].startswith(name), page
