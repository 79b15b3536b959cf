"""Diet words: vegan food is vegetarian, not the other way round. 'vegan pizza' returned the Margherita (cheese),
because Vegan listed 'vegetarian' and '素食' as its synonyms and every synonym was searched."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from servers.food.backend.catalog import RestaurantRec
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import everything, ok


def named(env: FoodEnv, name: str) -> RestaurantRec:
    return next(r for r in env.catalog.restaurants.values() if r.name == name)


@pytest.mark.parametrize("query", ["vegan pizza", "vegan", "纯素", "vegaani", "plant-based"])
async def test_a_vegan_search_shows_only_vegan_food(food: FoodEnv, query: str) -> None:
    """A vegetarian dish (the Margherita, a cheesecake) is no answer to 'vegan': every dish shown is tagged vegan,
    and a restaurant without one is listed only for serving the vegan cuisine."""
    zucchini = named(food, "Zucchini")
    items = {item.id: item for _, item in food.catalog.items.values()}
    async with Client(food.server) as c:
        home = await everything(c, {"query": query})
        there = await everything(c, {"query": query, "lat": zucchini.lat, "lng": zucchini.lng})
    shown = [(hit["name"], d) for hit in home + there for d in hit.get("matched_dishes", [])]
    assert not [f"{name}: {d['name']}" for name, d in shown if "vegan" not in items[d["item_id"]].tags]
    for hit in home + there:
        assert hit.get("matched_dishes") or "Vegan / 纯素" in hit["cuisines"], hit


async def test_vegetarian_finds_vegan_places_too_but_vegan_finds_a_vegetarian_place_by_its_vegan_dishes(
    food: FoodEnv,
) -> None:
    """One way: Zucchini (OSM 'vegetarian;vegan') is found by 'vegetarian', '素食' and 'vegan' for its cuisine; Yes
    Yes Yes (OSM 'vegetarian') by 'vegetarian' for its cuisine, and by 'vegan' only for the vegan dish it has."""
    zucchini = named(food, "Zucchini")
    near = {"lat": zucchini.lat, "lng": zucchini.lng}
    async with Client(food.server) as c:
        found = {q: {r["name"]: r for r in await everything(c, {"query": q, **near})} for q in ("vegetarian", "素食")}
        vegan = {r["name"]: r for r in await everything(c, {"query": "vegan", **near})}
    for query, hits in found.items():
        assert {"Zucchini", "Yes Yes Yes"} <= set(hits), query
    assert "Vegan / 纯素" in vegan["Zucchini"]["cuisines"]
    assert [d["name"] for d in vegan["Yes Yes Yes"]["matched_dishes"]] == ["Falafel plate / 法拉费拼盘"]


async def test_vegan_is_纯素_and_vegetarian_is_素食(food: FoodEnv) -> None:
    """素食 is vegetarian; the vegan cuisine's Chinese label is 纯素."""
    async with Client(food.server) as c:
        zucchini = await ok(c, "food_get_restaurant", {"restaurant_id": named(food, "Zucchini").id})
        yes = await ok(c, "food_get_restaurant", {"restaurant_id": named(food, "Yes Yes Yes").id})
    assert zucchini["restaurant"]["cuisines"] == ["Vegan / 纯素", "Vegetarian / 素食"]
    assert yes["restaurant"]["cuisines"] == ["Vegetarian / 素食"]


async def test_a_dish_word_in_a_restaurants_name_is_not_a_dish_it_does_not_have(food: FoodEnv) -> None:
    """'vegan pizza' listed Dedo's Pizza Kebab with its falafel wrap: the name said 'pizza' and the wrap was vegan,
    though the menu's one pizza (a kebab pizza) is not. A word of the name stands for the menu only where no dish
    says it; here none of the city's pizzas is vegan, and the page says what each word finds alone."""
    dedo = named(food, "Dedo's Pizza Kebab")
    async with Client(food.server) as c:
        vegan_pizza = await ok(c, "food_search_restaurants", {"query": "vegan pizza", "lat": dedo.lat, "lng": dedo.lng})
        pizza = await everything(c, {"query": "pizza", "lat": dedo.lat, "lng": dedo.lng})
    assert vegan_pizza["restaurants"] == [], vegan_pizza
    assert "'pizza' alone" in vegan_pizza["note"] and "'vegan' alone" in vegan_pizza["note"], vegan_pizza["note"]
    ours = next(r for r in pizza if r["id"] == dedo.id)  # the name still finds the place for 'pizza' itself
    assert [d["name"] for d in ours["matched_dishes"]] == ["Kebab pizza / 烤肉披萨"], ours


@pytest.mark.parametrize(("query", "instead"), [("vegan pizza", "vegetarian pizza"), ("纯素披萨", "素食披萨")])
async def test_nothing_vegan_offers_the_vegetarian_dish(food: FoodEnv, query: str, instead: str) -> None:
    """No pizza in the city is vegan, and the page said only what each word finds alone; many who ask for a vegan
    pizza would take a vegetarian one, which 18 places have. The note offers the looser dish with its count, and
    searching it finds those places (within the delivery radius, some of them)."""
    async with Client(food.server) as c:
        strict = await ok(c, "food_search_restaurants", {"query": query})
        loose = await ok(c, "food_search_restaurants", {"query": instead})
        tiramisu = await ok(c, "food_search_restaurants", {"query": "vegan tiramisu"})
    assert strict["restaurants"] == [], strict
    offer = re.search(rf"but '{instead}' is at (\d+) restaurant\(s\) in the city", strict["note"])
    assert offer is not None, strict["note"]
    assert 0 < loose["page"]["total"] <= int(offer.group(1)), (loose["page"], offer.group(0))
    assert tiramisu["restaurants"] == [] and "anywhere, but" not in tiramisu["note"], tiramisu["note"]
