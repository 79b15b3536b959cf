"""Diet words: vegan food is vegetarian, not the other way round. 'vegan pizza' returned the Margherita (cheese),
because Vegan listed 'vegetarian' and '素食' as its synonyms and every synonym was searched."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from servers.food.backend.catalog import RestaurantRec
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import everything, ok


@pytest.fixture
def food(food_readonly: FoodEnv) -> FoodEnv:
    """This module's searches change nothing: they share one backend (a test that moves the clock takes
    ``fresh_food``)."""
    return food_readonly


def named(env: FoodEnv, name: str) -> RestaurantRec:
    return next(r for r in env.catalog.restaurants.values() if r.name == name)


@pytest.mark.parametrize("query", ["vegan pizza", "vegan", "纯素", "vegaani", "plant-based"])
async def test_a_vegan_search_shows_only_vegan_food(food: FoodEnv, query: str) -> None:
    """A vegetarian dish (the Margherita, a cheesecake) is no answer to 'vegan': every dish shown is tagged vegan or
    made vegan by the option shown with it (a Margherita with vegan cheese), and a restaurant without one is listed
    only for serving the vegan cuisine."""
    zucchini = named(food, "Zucchini")
    items = {item.id: item for _, item in food.catalog.items.values()}
    async with Client(food.server) as c:
        home = await everything(c, {"query": query})
        there = await everything(c, {"query": query, "lat": zucchini.lat, "lng": zucchini.lng})
    shown = [(hit["name"], d) for hit in home + there for d in hit.get("matched_dishes", [])]
    made_vegan = lambda d: any(o.startswith("Vegan ") for o in d.get("options", []))  # noqa: E731
    not_vegan = [f"{name}: {d['name']}" for name, d in shown if "vegan" not in items[d["item_id"]].tags]
    assert not [d for name, d in shown if "vegan" not in items[d["item_id"]].tags and not made_vegan(d)], not_vegan
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
    says it: the pizzerias whose Margherita comes with vegan cheese are listed, Dedo's is not."""
    dedo = named(food, "Dedo's Pizza Kebab")
    async with Client(food.server) as c:
        vegan_pizza = await everything(c, {"query": "vegan pizza", "lat": dedo.lat, "lng": dedo.lng})
        pizza = await everything(c, {"query": "pizza", "lat": dedo.lat, "lng": dedo.lng})
    assert vegan_pizza and dedo.id not in {r["id"] for r in vegan_pizza}, vegan_pizza
    assert all(d.get("options") == ["Vegan cheese / 纯素奶酪"] for r in vegan_pizza for d in r["matched_dishes"])
    ours = next(r for r in pizza if r["id"] == dedo.id)  # the name still finds the place for 'pizza' itself
    assert [d["name"] for d in ours["matched_dishes"]] == ["Kebab pizza / 烤肉披萨"], ours


@pytest.mark.parametrize(
    ("query", "instead"), [("vegan onion rings", "vegetarian onion rings"), ("纯素洋葱圈", "素食洋葱圈")]
)
async def test_nothing_vegan_offers_the_vegetarian_dish(food: FoodEnv, query: str, instead: str) -> None:
    """No onion rings in the city are vegan, and the page said only what each word finds alone; many who ask for
    vegan onion rings would take vegetarian ones, which 24 places have. The note offers the looser dish with its
    count, and searching it finds those places (within the delivery radius, some of them)."""
    async with Client(food.server) as c:
        strict = await ok(c, "food_search_restaurants", {"query": query})
        loose = await ok(c, "food_search_restaurants", {"query": instead})
        tiramisu = await ok(c, "food_search_restaurants", {"query": "vegan tiramisu"})
    assert strict["restaurants"] == [], strict
    offer = re.search(rf"but '{instead}' is at (\d+) restaurant\(s\) in the city", strict["note"])
    assert offer is not None, strict["note"]
    assert 0 < loose["page"]["total"] <= int(offer.group(1)), (loose["page"], offer.group(0))
    assert tiramisu["restaurants"] == [] and "anywhere, but" not in tiramisu["note"], tiramisu["note"]


async def test_a_dish_that_is_all_of_the_query_comes_before_a_menu_that_has_it_in_parts(food: FoodEnv) -> None:
    """'vegan burger' listed five burger bars for their vegan fries before Zucchini and its Vegan burger (serving
    burgers and having something vegan scored as much as the dish itself, and nearer came first), then the burger
    bars with only vegan fries after it; and 'gluten free pizza' found nothing, as no pizzeria made one. The diet is
    what the burger is made of: only a vegan burger is a match (Zucchini's, and Burger King's Plant-based Whopper,
    a burger by its name), and pizzas and burgers come on a gluten-free base or bun on request (an option, shown
    with the dish)."""
    vegan_burgers = {"Vegan burger / 素汉堡", "Plant-based Whopper / 植物皇堡"}
    async with Client(food.server) as c:
        burger = await everything(c, {"query": "vegan burger"})
        gluten_free = await everything(c, {"query": "gluten free pizza"})
        zh = await everything(c, {"query": "无麸质披萨"})
    assert "Zucchini" in [r["name"] for r in burger], burger
    assert all(r["matched_dishes"] and {d["name"] for d in r["matched_dishes"]} <= vegan_burgers for r in burger), [
        (r["name"], [d["name"] for d in r["matched_dishes"]]) for r in burger
    ]
    assert gluten_free and [r["id"] for r in gluten_free] == [r["id"] for r in zh]
    for r in gluten_free:
        assert r["matched_dishes"], r
        assert all(d["options"] == ["Gluten-free base / 无麸质饼底"] for d in r["matched_dishes"]), r


@pytest.mark.parametrize("query", ["halal", "清真", "清真餐厅", "附近有清真的吗"])
async def test_halal_food_is_found_in_english_and_chinese(food: FoodEnv, query: str) -> None:
    """'halal' and '清真' matched nothing: no menu said it. Helsinki's kebab and Middle Eastern kitchens serve halal
    food and their menus tag it; every dish shown for the word is tagged halal, and every restaurant listed has
    one."""
    items = {item.id: item for _, item in food.catalog.items.values()}
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
    assert len(found) >= 10, [r["name"] for r in found]
    for hit in found:
        assert hit["matched_dishes"] and all("halal" in items[d["item_id"]].tags for d in hit["matched_dishes"]), hit


@pytest.mark.parametrize("query", ["vegan burger", "纯素汉堡"])
async def test_a_vegetarian_place_offers_only_its_vegan_dishes_for_a_vegan_one(food: FoodEnv, query: str) -> None:
    """Zucchini (OSM 'vegetarian;vegan') listed its Halloumi burger beside its Vegan burger for 'vegan burger': its
    cuisine stood for 'vegan' on every dish. Where the menu says which dishes are vegan, only those answer; no
    burger shown for the query anywhere is without the vegan tag."""
    items = {item.id: item for _, item in food.catalog.items.values()}
    zucchini = named(food, "Zucchini")
    async with Client(food.server) as c:
        found = await everything(c, {"query": query, "lat": zucchini.lat, "lng": zucchini.lng})
    there = next(r for r in found if r["id"] == zucchini.id)
    assert [d["name"] for d in there["matched_dishes"]] == ["Vegan burger / 素汉堡"], there
    burgers = [d for r in found for d in r["matched_dishes"] if "burger" in d["name"].lower()]
    assert burgers and all("vegan" in items[d["item_id"]].tags for d in burgers), burgers
