"""Search by option and ingredient, sold-out dishes flagged, empty pages explained, a minimum-order filter."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from servers.food.backend import ranking
from servers.food.backend.pricing import delivery_distance_m
from shared.text import any_of_words
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import everything, ok


@pytest.fixture
def food(food_readonly: FoodEnv) -> FoodEnv:
    """This module's searches change nothing: they share one backend (a test that moves the clock takes
    ``fresh_food``)."""
    return food_readonly

FAR_EAST = {"lat": 60.23, "lng": 25.05}  # Helsinki, but beyond every restaurant's delivery radius


@pytest.mark.parametrize(("en", "zh"), [("oat milk latte", "燕麦奶拿铁"), ("oat milk coffee", "燕麦奶咖啡")])
async def test_dishes_are_found_by_their_options_in_english_and_chinese(food: FoodEnv, en: str, zh: str) -> None:
    async with Client(food.server) as c:
        home = (await ok(c, "food_list_addresses"))["addresses"][0]["location"]
        english = await everything(c, {"query": en})
        chinese = await everything(c, {"query": zh})
        plain = await everything(c, {"query": "latte"})
    point = type(food.catalog.restaurants[english[0]["id"]].location)(**home)
    offering = {
        rest.id
        for rest, item in food.catalog.items.values()
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
    """Searched by the last word of its name ('latte' for the sold-out Matcha latte), the sold-out dish is flagged
    and the dishes beside it that can be ordered are not (by its whole name it was the only match: nothing beside
    it was checked)."""
    rest, item = next((r, i) for r, i in food.catalog.items.values() if i.sold_out)
    async with Client(food.server) as c:
        word = item.name.split()[-1]
        here = await everything(c, {"query": word, "lat": rest.lat, "lng": rest.lng, "sort": "distance"})
    hit = next(r for r in here if r["id"] == rest.id)
    dish = next(d for d in hit["matched_dishes"] if d["item_id"] == item.id)
    assert dish["sold_out"] is True
    others = [d for r in here for d in r.get("matched_dishes", []) if d["item_id"] != item.id]
    available = [d for d in others if not food.catalog.items[d["item_id"]][1].sold_out]
    assert available, (word, others)
    assert all("sold_out" not in d for d in available)


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


async def test_an_empty_page_says_whether_nothing_matched_or_everything_is_closed(fresh_food: FoodEnv) -> None:
    async with Client(fresh_food.server) as c:
        nothing = await ok(c, "food_search_restaurants", {"query": "zzqx"})
        chatty = await ok(c, "food_search_restaurants", {"query": "best margherita please"})
        fresh_food.clock.set(fresh_food.clock.now().replace(hour=5, minute=0), backwards=True)
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


@pytest.mark.parametrize(("query", "tag"), [("vegetarian pizza", "vegetarian"), ("素食披萨", "vegetarian")])
async def test_a_diet_word_finds_the_dishes_the_menu_tags_with_it(food: FoodEnv, query: str, tag: str) -> None:
    """'vegetarian pizza' found nothing although the menus tag Margherita vegetarian: the tags were not searched,
    so only a vegan restaurant (by cuisine) could satisfy the word."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
    assert found, f"{query!r} finds nothing"
    items = {item.id: item for _, item in food.catalog.items.values()}
    for hit in found:
        tags = [items[d["item_id"]].tags for d in hit["matched_dishes"]]
        assert any(tag in t or "vegan" in t for t in tags), hit["name"]
    assert any("Margherita" in d["name"] for hit in found for d in hit["matched_dishes"])


async def test_gluten_free_finds_gluten_free_dishes_not_coffee(food: FoodEnv) -> None:
    """'gluten free' left 'gluten' out and matched 'free' in coffee options ('lactose-free'): cafés for a coeliac.
    Every dish shown is gluten-free, or made so by the option shown with it (a pizza's gluten-free base)."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "gluten free", "limit": 20})
    items = {item.id: item for _, item in food.catalog.items.values()}
    assert page["restaurants"] and "gluten" not in page.get("note", "")
    for hit in page["restaurants"]:
        for d in hit["matched_dishes"]:
            made_so = any(o.startswith("Gluten-free ") for o in d.get("options", []))
            assert "gluten_free" in items[d["item_id"]].tags or made_so, (hit["name"], d)


@pytest.mark.parametrize(
    ("bare", "accented"), [("cafe latte", "café latte"), ("jalapenos", "jalapeños"), ("pho", "phở")]
)
async def test_accents_do_not_count_either_way(food: FoodEnv, bare: str, accented: str) -> None:
    """'jalapenos' found nothing and 'café latte' a sixteenth of 'cafe latte': menus and names are written with
    accents, people type them or not, so a search treats 'é' as 'e' on both sides (as nav's geocoder does)."""
    async with Client(food.server) as c:
        plain = await everything(c, {"query": bare})
        marked = await everything(c, {"query": accented})
    assert plain and [r["id"] for r in plain] == [r["id"] for r in marked]


async def test_a_finnish_name_is_found_without_its_umlauts(food: FoodEnv) -> None:
    rest = next(r for r in food.catalog.restaurants.values() if "ä" in r.name or "ö" in r.name)
    bare = rest.name.replace("ä", "a").replace("ö", "o").replace("Ä", "A").replace("Ö", "O")
    async with Client(food.server) as c:
        found = await everything(c, {"query": bare, "lat": rest.lat, "lng": rest.lng})
    assert rest.id in {r["id"] for r in found}, bare


@pytest.mark.parametrize(
    ("plural", "singular"), [("pizzas", "pizza"), ("margheritas", "margherita"), ("kebabs", "kebab")]
)
async def test_a_plural_finds_what_its_singular_finds(food: FoodEnv, plural: str, singular: str) -> None:
    """'pizzas' found the 18 menus with a 'Pizzas' category but not the pizza places without one (29 for 'pizza'),
    and 'margheritas' found nothing: words match at word starts, so a plural never reached its singular."""
    async with Client(food.server) as c:
        many = await everything(c, {"query": plural})
        one = await everything(c, {"query": singular})
    assert one and {r["id"] for r in many} == {r["id"] for r in one}


async def test_a_plural_does_not_reach_words_that_merely_start_like_its_stem(food: FoodEnv) -> None:
    """'fries' is on menus as written: it keeps to them, not to 'fried chicken' through 'frie'."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": "fries"})
    assert found
    for hit in found:
        assert all("fries" in d["name"].lower() for d in hit["matched_dishes"]), hit["matched_dishes"]


async def test_sorted_by_distance_the_distances_shown_never_go_down(food: FoodEnv) -> None:
    """sort='distance' ranked by the rounded road distance while each result shows the straight-line one: two
    restaurants a metre apart on the road tied and went by id, and the page read '108 m, 107 m, 110 m, 109 m'."""
    async with Client(food.server) as c:
        found = await everything(c, {"sort": "distance"})
    shown = [r["distance_m"] for r in found]
    assert len(found) > 100 and shown == sorted(shown)


@pytest.mark.parametrize(
    ("finnish", "english"),
    [
        ("pitsa", "pizza"),
        ("hampurilainen", "burger"),
        ("kahvi", "coffee"),
        ("lohi", "salmon"),
        ("kana", "chicken"),
        ("kasvis", "vegetarian"),
        ("kiinalainen", "chinese"),
        ("intialainen", "indian"),
        ("nuudelit", "noodles"),
        ("jäätelö", "gelato"),
        ("brunssi", "brunch"),
        ("lohikeitto", "salmon soup"),  # found grilled salmon first: 'keitto' (soup) was dropped
        ("linssikeitto", "lentil soup"),
    ],
)
async def test_the_everyday_finnish_food_words_find_what_the_english_ones_find(
    food: FoodEnv, finnish: str, english: str
) -> None:
    """The city is Helsinki and its people search in Finnish: 'pitsa', 'hampurilainen', 'kahvi', 'lohi' found
    nothing (the menus are in English and Chinese), so a Finnish query now reads its English word as well."""
    async with Client(food.server) as c:
        fi = await everything(c, {"query": finnish})
        en = await everything(c, {"query": english})
    assert en and {r["id"] for r in en} <= {r["id"] for r in fi}


@pytest.mark.parametrize(("pinyin", "chinese"), [("jiaozi", "饺子"), ("huoguo", "火锅")])
async def test_a_dish_in_pinyin_finds_what_its_chinese_name_finds(food: FoodEnv, pinyin: str, chinese: str) -> None:
    """'jiaozi' found nothing: people type Chinese dishes in pinyin when they cannot type the characters."""
    async with Client(food.server) as c:
        typed = await everything(c, {"query": pinyin})
        native = await everything(c, {"query": chinese})
    assert typed and {r["id"] for r in native} <= {r["id"] for r in typed}


async def test_branches_of_one_name_are_told_apart_by_their_street(food: FoodEnv) -> None:
    """Four 'Hanko Sushi' came back with only an id, a name and a distance: an agent could not say which was which
    without reading each restaurant."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": "Hanko Sushi"})
    branches = [r for r in found if r["name"].lower() == "hanko sushi"]
    assert len(branches) >= 2
    streets = [r["street"] for r in branches if r.get("street")]
    assert len(set(streets)) >= 2, streets  # (two are in one building, Stockmann at Aleksanterinkatu 52, as in OSM)


async def test_a_finnish_soup_finds_the_soup_first(food: FoodEnv) -> None:
    """'lohikeitto' (salmon soup) was read as 'salmon' alone: grilled salmon and nigiri came first and the salmon
    soups from rank 6."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "lohikeitto", "limit": 5})
    assert page["restaurants"]
    for r in page["restaurants"]:
        assert any("Salmon soup" in d["name"] for d in r["matched_dishes"]), r


async def test_a_diet_word_matches_food_not_the_drinks_every_place_sells(food: FoodEnv) -> None:
    """Diet tags are on drinks too (sparkling water, lager, sencha are 'vegan'): searched, they made every bar and
    café a 'vegan' match with a drink as its dish. A diet search is about the food."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": "vegan"})
    drinks = {
        item.id
        for rest, item in food.catalog.items.values()
        for cat in rest.menu
        if item in cat.items and cat.name in ("Drinks", "Coffee", "Tea", "Milk tea", "Fruit tea")
    }
    assert found and not [d["name"] for hit in found for d in hit["matched_dishes"] if d["item_id"] in drinks]


@pytest.mark.parametrize(("english", "chinese"), [("beer", "啤酒")])
async def test_a_drink_asked_for_in_english_is_found_as_in_chinese(food: FoodEnv, english: str, chinese: str) -> None:
    """'beer' found one restaurant (by its name) where '啤酒' found the 71 that pour a lager: the menus say 'Lager'."""
    async with Client(food.server) as c:
        en = await everything(c, {"query": english})
        zh = await everything(c, {"query": chinese})
    assert len(zh) > 10 and {r["id"] for r in zh} <= {r["id"] for r in en}


async def test_ice_cream_is_not_iced_coffee(food: FoodEnv) -> None:
    """'ice cream' dropped 'cream' (on no menu) and matched 'ice' in 'Iced latte': 42 cafés for an ice cream."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "ice cream", "limit": 20})
    assert page["restaurants"], page["note"]
    assert not any("iced" in d["name"].lower() for hit in page["restaurants"] for d in hit.get("matched_dishes", []))
    assert all("gelato" in r["name"].lower() or r.get("matched_dishes") for r in page["restaurants"])


@pytest.mark.parametrize(
    "query",
    ["something to eat", "food near me", "takeaway", "外卖", "餐厅", "ravintola", "吃点东西", "随便吃点", "eats",
     "grub", "a bite to eat", "中午吃什么", "晚上吃点啥"],
)
async def test_a_query_that_asks_for_nothing_in_particular_lists_everything_nearby(food: FoodEnv, query: str) -> None:
    """'something to eat', '外卖' (takeaway) or 'restaurant' found nothing ('No restaurant, dish or option matches')
    or only the names holding the word ('Fazer Food & Co'): they ask for any restaurant, as an empty query does."""
    async with Client(food.server) as c:
        vague = await ok(c, "food_search_restaurants", {"query": query, "limit": 20})
        anything = await ok(c, "food_search_restaurants", {"query": "", "limit": 20})
    assert vague["page"]["total"] == anything["page"]["total"]
    assert [r["id"] for r in vague["restaurants"]] == [r["id"] for r in anything["restaurants"]]
    assert "every restaurant" in vague["note"]


async def test_a_hyphen_typed_between_words_matches_the_name_written_apart(food: FoodEnv) -> None:
    """'Burger-King' found nothing while every Burger King says it with a space; a word the catalog itself writes
    with a hyphen is still found whole."""
    async with Client(food.server) as c:
        spaced = await everything(c, {"query": "Burger King"})
        hyphen = await everything(c, {"query": "Burger-King"})
        glued = await everything(c, {"query": "Pikku-Jaskan grilli"})
    kings = {r["id"] for r in spaced if r["name"] == "Burger King / 汉堡王"}
    assert kings and kings <= {r["id"] for r in hyphen}, [r["name"] for r in hyphen]
    assert "Pikku-Jaskan Grilli" in {r["name"] for r in glued}, [r["name"] for r in glued]


@pytest.mark.parametrize(
    ("chinese", "name"), [("麦当劳", "McDonald's"), ("汉堡王", "Burger King"), ("星巴克", "Starbucks")]
)
async def test_a_chain_by_its_chinese_name(food: FoodEnv, chinese: str, name: str) -> None:
    """'麦当劳' found nothing and '汉堡王' listed every burger (汉堡 and an unknown 王): OSM gives these restaurants no
    Chinese name. A chain's Chinese name (fixtures/vocab/chains_zh.json) finds its branches, with a dish after it,
    and is shown beside the name, as films' and dishes' are ('McDonald's' alone read as untranslated)."""
    async with Client(food.server) as c:
        by_chinese = await everything(c, {"query": chinese})
        by_name = await everything(c, {"query": name})
        fries = await everything(c, {"query": f"{chinese}的薯条"})
        menu = await ok(c, "food_get_restaurant", {"restaurant_id": by_chinese[0]["id"]})
    branches = {r["id"] for r in by_name if r["name"] == f"{name} / {chinese}"}
    assert branches and {r["id"] for r in by_chinese} == branches, [r["name"] for r in by_chinese]
    assert menu["restaurant"]["name"] == f"{name} / {chinese}"
    if name != "Starbucks":  # no fries there
        assert {r["id"] for r in fries} == branches
        assert all(any(d["name"] == "Fries / 薯条" for d in r["matched_dishes"]) for r in fries)


async def test_branches_of_a_chain_are_told_apart_by_their_street_address(food: FoodEnv) -> None:
    """OpenStreetMap gives 120 of the restaurants no address: two of the three Subways in a search had no street,
    and their detail read 'Helsinki,  Helsinki'. A restaurant takes its building's (the nearest street address
    within 40 m); one with none near is just in the city."""
    async with Client(food.server) as c:
        branches = await everything(c, {"query": "Subway"})
        details = [await ok(c, "food_get_restaurant", {"restaurant_id": r["id"]}) for r in branches]
        lone = await ok(c, "food_get_restaurant", {"restaurant_id": "rst_n1369465684"})  # nothing within 40 m
    streets = [r.get("street", "") for r in branches]
    assert len(branches) == 3 and all(streets) and len(set(streets)) == 3, streets
    for branch, detail in zip(branches, details, strict=True):
        assert detail["restaurant"]["address"].startswith(f"{branch['street']}, "), detail["restaurant"]["address"]
        assert detail["restaurant"]["address"].endswith("Helsinki")
    assert lone["restaurant"]["address"] in ("Helsinki", "00100 Helsinki"), lone["restaurant"]["address"]


@pytest.mark.parametrize(
    ("query", "chain", "dish"),
    [
        ("Big Mac", "McDonald's / 麦当劳", "Big Mac / 巨无霸"),
        ("巨无霸", "McDonald's / 麦当劳", "Big Mac / 巨无霸"),
        ("whopper", "Burger King / 汉堡王", "Whopper / 皇堡"),
        ("皇堡套餐", "Burger King / 汉堡王", "Whopper Meal / 皇堡套餐"),
        ("teriyaki sub", "Subway / 赛百味", "Chicken Teriyaki sub / 照烧鸡肉潜艇堡"),
    ],
)
async def test_a_chain_is_found_by_the_dishes_it_is_known_for(food: FoodEnv, query: str, chain: str, dish: str) -> None:
    """'Big Mac', '巨无霸' and 'Whopper' were on no menu: McDonald's and Burger King served the generated burger bar's
    cheeseburger. Every branch lists the chain's own dishes first, at the chain's prices, and only its branches
    have them."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
        menu = await ok(c, "food_get_restaurant", {"restaurant_id": found[0]["id"]})
    assert found and {r["name"] for r in found} == {chain}, [r["name"] for r in found]
    assert all(dish in [d["name"] for d in r["matched_dishes"]] for r in found)
    assert len({next(d["price"]["amount_minor"] for d in r["matched_dishes"] if d["name"] == dish) for r in found}) == 1
    assert dish in [i["name"] for i in menu["menu"]["categories"][0]["items"]]


@pytest.mark.parametrize(
    ("asked", "dish"),
    [
        ("2 pizzas", "pizza"),
        ("pizza for 4", "pizza"),
        ("3 burgers", "burgers"),
        ("2杯拿铁", "拿铁"),
        ("2份炒饭", "炒饭"),
        ("两份炒饭", "炒饭"),
        ("三个汉堡", "汉堡"),
        ("两人份火锅", "火锅"),
    ],
)
async def test_a_quantity_in_the_query_finds_what_the_dish_alone_finds(food: FoodEnv, asked: str, dish: str) -> None:
    """An agent passes the user's words: '2 pizzas' and '2杯拿铁' found nothing ('2' is on menus only as a count, as
    in 'Salmon nigiri (2)'), '3 burgers' the one restaurant with a '3' somewhere, and '2份炒饭' left out '份炒饭' and
    listed the dishes with a '2'. A number, or a Chinese numeral with its measure word (两份, 三个), is how many, not
    what: it is not searched."""
    async with Client(food.server) as c:
        many = await everything(c, {"query": asked})
        one = await everything(c, {"query": dish})
        page = await ok(c, "food_search_restaurants", {"query": asked})
    assert one and {r["id"] for r in many} == {r["id"] for r in one}
    assert "Left out" not in page.get("note", ""), page["note"]


@pytest.mark.parametrize(
    ("query", "name"),
    [("Latitude 25", "Latitude 25"), ("三文鱼", "Salmon"), ("三明治", "sandwich"), ("Salmon nigiri (2)", "nigiri")],
)
async def test_numbers_that_are_part_of_a_name_still_find_it(food: FoodEnv, query: str, name: str) -> None:
    """三文鱼 (salmon), 三明治 (sandwich) and 'Latitude 25' start with or hold a number, and are not quantities."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
    assert found
    named = [r for r in found if name.lower() in r["name"].lower()]
    dishes = [d for r in found for d in r.get("matched_dishes", []) if name.lower() in d["name"].lower()]
    assert named[:1] == found[:1] if name == "Latitude 25" else dishes


@pytest.mark.parametrize(
    ("asked", "plain"),
    [
        ("japanese food", "japanese"),
        ("indian food", "indian"),
        ("korean food", "korean"),
        ("italian food", "italian"),
        ("vegan food", "vegan"),
        ("pizza restaurant", "pizza"),
        ("sushi restaurants", "sushi"),
        ("chinese restaurant", "chinese"),
        ("日本料理餐厅", "日本料理"),
    ],
)
async def test_a_word_for_any_restaurant_beside_a_cuisine_or_dish_does_not_narrow_it(
    food: FoodEnv, asked: str, plain: str
) -> None:
    """'japanese food', 'indian food' and 'pizza restaurant' found nothing, and 'italian food' only the two Italian
    places with 'Food' in their name: 'food' and 'restaurant' are on the catalog (in names, in 'Bar food'), so they
    had to match as well. Beside what the user asks for they ask for nothing more, as alone they ask for anything."""
    async with Client(food.server) as c:
        wide = await everything(c, {"query": asked})
        narrow = await everything(c, {"query": plain})
    assert narrow and {r["id"] for r in narrow} <= {r["id"] for r in wide}
    assert len(wide) == len(narrow), sorted({r["name"] for r in wide} - {r["name"] for r in narrow})


@pytest.mark.parametrize("name", ["Ravintola China", "Fazer Food Market", "Restaurant Haven", "Apollo Street Bar"])
async def test_a_name_holding_such_a_word_is_still_found_first(food: FoodEnv, name: str) -> None:
    rest = next(r for r in food.catalog.restaurants.values() if r.name == name)
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": name, "lat": rest.lat, "lng": rest.lng})
    assert page["restaurants"][0]["id"] == rest.id, [r["name"] for r in page["restaurants"]]


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("韩国菜", "Bibimbap"),  # the cuisine as people say it (韩国料理 and 韩餐 were known)
        ("冰淇淋", "gelato"),
        ("果汁", "Juice"),
        ("smoothie", "Juice"),
        ("红酒", "wine"),
        ("烧烤", "steak"),
        ("炸鸡", "Karaage"),
        ("fried chicken", "Karaage"),
    ],
)
async def test_everyday_words_the_menus_spell_otherwise_find_what_they_mean(
    food: FoodEnv, query: str, finds: str
) -> None:
    """韩国菜, 冰淇淋, 果汁, 红酒, 烧烤 and 'smoothie' found nothing; 炸鸡 and 'fried chicken' found other places."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": query, "limit": 20})
    shown = [r["name"] + " " + " ".join(d["name"] for d in r.get("matched_dishes", [])) for r in page["restaurants"]]
    text = " ".join(shown)
    assert finds.lower() in text.lower(), (query, text)


@pytest.mark.parametrize("query", ["cheap sushi", "便宜的寿司", "便宜一点的寿司"])  # 一点: a little, not 1 o'clock
async def test_a_word_for_cheap_ranks_the_lowest_price_level_first(food: FoodEnv, query: str) -> None:
    """'cheap' and 便宜 are on no menu: they were left out of the query, and a price level 3 place came first."""
    async with Client(food.server) as c:
        plain = await ok(c, "food_search_restaurants", {"query": "sushi", "limit": 20})
        cheap = await ok(c, "food_search_restaurants", {"query": query, "limit": 20})
    assert cheap["page"]["total"] == plain["page"]["total"]
    levels = [r["price_level"] for r in plain["restaurants"]]
    assert cheap["restaurants"][0]["price_level"] == min(levels) < plain["restaurants"][0]["price_level"]
    assert "Read as a price" in cheap["note"] and "Left out" not in cheap["note"], cheap["note"]


async def test_words_that_match_apart_but_never_together_say_what_each_finds_alone(food: FoodEnv) -> None:
    """'gluten free pizza' was split into 'gluten', 'free' and 'pizza', and the empty page said only to try a dish
    (pizzas have a gluten-free base now): no sushi is gluten-free here, while either alone is on menus, which the
    agent can offer instead."""
    async with Client(food.server) as c:
        both = await ok(c, "food_search_restaurants", {"query": "gluten free sushi"})
        alone = [
            (await ok(c, "food_search_restaurants", {"query": q, "limit": 1}))["page"]["total"]
            for q in ("gluten free", "sushi")
        ]
    assert both["page"]["total"] == 0 and min(alone) > 0
    assert "'gluten free' alone" in both["note"] and "'sushi' alone" in both["note"], both["note"]
    assert "'free' alone" not in both["note"]


@pytest.mark.parametrize(
    ("asked", "dish"), [("想吃辣的", "辣"), ("我想喝奶茶", "奶茶"), ("来点饺子吧", "饺子"), ("好吃的披萨", "披萨")]
)
async def test_chinese_said_as_a_wish_finds_what_the_dish_word_finds(food: FoodEnv, asked: str, dish: str) -> None:
    """'想吃辣的' (I fancy something spicy) found nothing: with no dish name starting at 吃 or 的, the run '吃辣的' was
    one unknown word. Characters that only ask (想, 吃, 喝, 来点, 的, 吧) end such a run instead of joining it."""
    async with Client(food.server) as c:
        wished = await everything(c, {"query": asked})
        plain = await everything(c, {"query": dish})
    assert plain and {r["id"] for r in wished} == {r["id"] for r in plain}


async def test_late_night_lists_only_kitchens_taking_orders_late_tonight(food: FoodEnv) -> None:
    """'late night burger' and '夜宵' had 'late night' left out as on no menu, and a burger bar closing at 21:00 came
    first. They now list only restaurants taking orders at 23:00 tonight, and say so; 'late lunch' (not a night) is
    'lunch' with 'late' left out, every restaurant, where it found nothing."""
    async with Client(food.server) as c:
        late = await everything(c, {"query": "late night burger"})
        burgers = await everything(c, {"query": "burger"})
        night = await ok(c, "food_search_restaurants", {"query": "夜宵"})
        lunch = await ok(c, "food_search_restaurants", {"query": "late lunch"})
    assert late and {r["id"] for r in late} < {r["id"] for r in burgers}
    closing = {r["hours_today"].rsplit("–", 1)[1] for r in late}
    assert all(end >= "23:30" or end <= "06:00" for end in closing), closing  # 24:00, 02:00 …; never 21:00
    assert night["restaurants"] and "taking orders at 23:00" in night["note"], night["note"]
    assert lunch["page"]["total"] > 100 and "Left out of the query: 'late'" in lunch["note"], lunch["note"]


async def test_free_or_fast_delivery_said_in_the_query_orders_the_page(food: FoodEnv) -> None:
    """'free delivery pizza' silently listed fewer pizzerias ('free' matched other dishes' words) and '送得快的汉堡'
    left its words out. Delivery words order the matches instead: the lowest fee first, with the coupon that makes
    delivery free (no fee is zero here: it grows with the distance), or the soonest delivery first."""
    async with Client(food.server) as c:
        pizza = await everything(c, {"query": "pizza"})
        free = {q: await everything(c, {"query": q}) for q in ("free delivery pizza", "免配送费的披萨")}
        note = (await ok(c, "food_search_restaurants", {"query": "free delivery pizza"}))["note"]
        burgers = await everything(c, {"query": "汉堡"})
        fast = await everything(c, {"query": "送得快的汉堡"})
    ids = lambda page: [r["id"] for r in page]  # noqa: E731
    assert sorted(ids(free["free delivery pizza"])) == sorted(ids(pizza)) and ids(free["免配送费的披萨"]) == ids(
        free["free delivery pizza"]
    )
    fees = [r["delivery_fee"]["amount_minor"] for r in free["free delivery pizza"]]
    assert fees == sorted(fees) and "FREEDEL" in note and "lowest delivery fee first" in note, note
    assert sorted(ids(fast)) == sorted(ids(burgers))
    etas = [r["eta_minutes"] for r in fast if r["eta_minutes"] is not None]
    assert etas and etas == sorted(etas)


async def test_open_now_and_a_delivery_time_said_in_the_query_filter_the_page(fresh_food: FoodEnv) -> None:
    """'sushi open now' and '营业中的火锅' left their words out as 'on no menu', and '30分钟内能送到的披萨' ('pizza I
    can get within 30 minutes') put a 31-minute delivery first. 'Open now' is read as ``open_now``; a delivery time
    keeps the restaurants open now that deliver that soon, in the order of the rest of the query; a time nothing meets
    says how soon the soonest match comes."""
    async with Client(fresh_food.server) as c:
        # most still closed
        fresh_food.clock.set((fresh_food.clock.now() + timedelta(days=1)).replace(hour=10, minute=30))
        sushi = await everything(c, {"query": "sushi"})
        open_sushi = await everything(c, {"query": "sushi", "open_now": True})
        said_open = {
            q: await everything(c, {"query": q}) for q in ("sushi open now", "营业中的寿司", "现在还营业的寿司")
        }
        open_note = (await ok(c, "food_search_restaurants", {"query": "sushi open now"}))["note"]
        fresh_food.clock.set(fresh_food.clock.now().replace(hour=13))
        pizza = await everything(c, {"query": "pizza"})
        asked = ("30分钟内能送到的披萨", "pizza delivered within 30 minutes")
        within = {q: await everything(c, {"query": q}) for q in asked}
        note = (await ok(c, "food_search_restaurants", {"query": "pizza within 30 minutes"}))["note"]
        half = await everything(c, {"query": "半小时送达的披萨"})
        never = await ok(c, "food_search_restaurants", {"query": "pizza in under 5 minutes"})
    ids = lambda page: [r["id"] for r in page]  # noqa: E731
    assert 0 < len(open_sushi) < len(sushi), "at 10:30 some sushi kitchens are closed: the test needs both"
    assert ids(said_open["sushi open now"]) == ids(said_open["营业中的寿司"]) == ids(open_sushi)
    assert ids(said_open["现在还营业的寿司"]) == ids(open_sushi)  # 'still open now': '现在还营业' was on no menu
    assert "Read as open now" in open_note and "Left out" not in open_note, open_note
    fast = [r for r in pizza if r["eta_minutes"] is not None and r["eta_minutes"] <= 30]
    assert 0 < len(fast) < len(pizza), "some pizza places must take longer than 30 minutes: the test needs both"
    assert ids(within["30分钟内能送到的披萨"]) == ids(within["pizza delivered within 30 minutes"]) == ids(fast)
    assert ids(half) == ids(fast)
    assert "within 30 min" in note and "Left out" not in note, note
    soonest = min(r["eta_minutes"] for r in pizza if r["eta_minutes"] is not None)
    assert never["restaurants"] == [] and f"the soonest takes {soonest} min" in never["note"], never["note"]


async def test_chinese_asking_words_where_to_deliver_and_best_rated_are_read_not_searched(food: FoodEnv) -> None:
    """'附近有什么好吃的' ('anything good to eat nearby?') found nothing ('有什么' joined its run), '早餐送到公司'
    ('breakfast to the office') searched around home with '送到公司' left out, '评分高的日料' ('top rated Japanese')
    kept its order with '评分高' left out, and 'Japanese' / '日料' found no sushi bar. Asking words are cut, where to
    deliver picks the saved address of that label, 'top rated' orders by rating, and sushi and ramen places are
    Japanese restaurants."""
    async with Client(food.server) as c:
        anything = await ok(c, "food_search_restaurants", {"query": "附近有什么好吃的"})
        everything_near = await ok(c, "food_search_restaurants", {})
        work = next(a for a in (await ok(c, "food_list_addresses"))["addresses"] if a["label"] == "Work")
        to_work = {q: await everything(c, {"query": q}) for q in ("早餐送到公司", "breakfast delivered to work")}
        at_work = await everything(c, {"query": "早餐", "address_id": work["id"]})
        note = (await ok(c, "food_search_restaurants", {"query": "早餐送到公司"}))["note"]
        rated = {q: await everything(c, {"query": q}) for q in ("评分高的日料", "top rated japanese")}
        japanese = await everything(c, {"query": "日料"})
        sushi = await everything(c, {"query": "sushi"})
        healthy = await ok(c, "food_search_restaurants", {"query": "something healthy"})
    ids = lambda page: [r["id"] for r in page]  # noqa: E731
    assert healthy["restaurants"] and "Left out" not in healthy.get("note", ""), healthy["note"]  # 'something' asks
    assert anything["page"]["total"] == everything_near["page"]["total"] > 100, anything["note"]
    assert "names no dish, cuisine or restaurant" in anything["note"]
    assert ids(to_work["早餐送到公司"]) == ids(to_work["breakfast delivered to work"]) == ids(at_work)
    assert note.startswith("Read as delivering to Work (") and work["street"] in note, note
    assert "Left out" not in note
    assert ids(rated["评分高的日料"]) == ids(rated["top rated japanese"])
    ratings = [r["rating"] for r in rated["评分高的日料"]]
    assert ratings == sorted(ratings, reverse=True) and sorted(ids(rated["评分高的日料"])) == sorted(ids(japanese))
    assert set(ids(sushi)) < set(ids(japanese)), "every sushi bar is a Japanese restaurant, not the other way round"


async def test_a_label_saved_as_said_is_the_address_meant_before_the_one_the_word_means(fresh_food: FoodEnv) -> None:
    """A user who saved 'Mannerheimintie 20' as '公司' (the office) and searched '送到公司的咖啡' got coffee delivered
    to Work (Kaivokatu 11), the address the word means, not the one saved under that very label; '公司附近的咖啡'
    likewise. The label as said comes first, as it does where an address_id is a label; 'to work' still means Work.
    It saves an address: a sandbox of its own, not the module's read-only one."""
    async with Client(fresh_food.server) as c:
        office = await ok(c, "food_save_address", {"label": "公司", "street": "Mannerheimintie", "housenumber": "20"})
        said = {q: await ok(c, "food_search_restaurants", {"query": q}) for q in ("送到公司的咖啡", "公司附近的咖啡")}
        work = await ok(c, "food_search_restaurants", {"query": "coffee delivered to work"})
        by_id = await ok(c, "food_search_restaurants", {"query": "咖啡", "address_id": office["id"]})
    for q, page in said.items():
        assert page["near"] == office["location"], (q, page["note"])
        assert [r["id"] for r in page["restaurants"]] == [r["id"] for r in by_id["restaurants"]], q
        assert page["note"].startswith("Read as delivering to 公司 (Mannerheimintie 20"), page["note"]
    assert work["near"] != office["location"] and work["note"].startswith("Read as delivering to Work ("), work["note"]


async def test_a_dish_price_said_in_the_query_filters_the_matched_dishes_at_their_own_prices(food: FoodEnv) -> None:
    """'sushi under 20 euros' listed every sushi place with no dish price anywhere on the page (the note said it was
    not filtered): the agent had to open each menu. Now every matched dish shows its price, and a price said keeps
    the restaurants with a matching dish they sell at it, showing those dishes; a price too low says how many it left
    out, and a price with no dish to price says so."""
    async with Client(food.server) as c:
        said = {
            q: await everything(c, {"query": q})
            for q in ("sushi under 10 euros", "10欧以下的寿司", "sushi", "sushi over 15 euros")
        }
        low = await ok(c, "food_search_restaurants", {"query": "sushi under 3 euros"})
        between = await everything(c, {"query": "pizza between 12 and 13 euros"})
        range_note = (await ok(c, "food_search_restaurants", {"query": "12到13欧的披萨"}))["note"]
        vague = await ok(c, "food_search_restaurants", {"query": "under 10 euros"})
        note = (await ok(c, "food_search_restaurants", {"query": "sushi under 10 euros"}))["note"]
        menus = {r["id"]: await ok(c, "food_get_restaurant", {"restaurant_id": r["id"]}) for r in said["sushi"]}
    prices = {
        i["id"]: i["price"]["amount_minor"]
        for m in menus.values()
        for cat in m["menu"]["categories"]
        for i in cat["items"]
    }
    every = [r["id"] for r in said["sushi"]]
    under = [r["id"] for r in said["sushi under 10 euros"]]
    assert under == [r["id"] for r in said["10欧以下的寿司"]]
    assert 0 < len(under) < len(every) and under == [r for r in every if r in under]  # fewer, in the same order
    for r in said["sushi"]:  # every matched dish has its menu price (a sushi place by its cuisine alone may have none)
        assert all(d["price"]["amount_minor"] == prices[d["item_id"]] for d in r.get("matched_dishes", []))
    for r in said["sushi under 10 euros"]:
        assert r["matched_dishes"] and all(
            d["price"]["amount_minor"] <= 1000 and not d.get("sold_out") for d in r["matched_dishes"]
        ), r
    for r in said["sushi over 15 euros"]:
        assert r["matched_dishes"] and all(d["price"]["amount_minor"] >= 1500 for d in r["matched_dishes"]), r
    for r in said["sushi"]:  # a restaurant left out had no orderable matched dish at that price
        if r["id"] not in under:
            assert all(d["price"]["amount_minor"] > 1000 or d.get("sold_out") for d in r.get("matched_dishes", [])), r
    assert note.startswith("Read a dish price (at most €10.00): only restaurants with a matching dish at that price")
    assert low["restaurants"] == [] and f"none of the {len(every)} restaurant(s) here" in low["note"], low["note"]
    assert "Nothing" not in low["note"]  # not the no-match explanation: they match, at other prices
    assert "but no dish to price" in vague["note"], vague["note"]
    assert between and all(1200 <= d["price"]["amount_minor"] <= 1300 for r in between for d in r["matched_dishes"])
    assert range_note.startswith("Read a dish price (at least €12.00 and at most €13.00)"), range_note


async def test_nearby_and_shop_in_chinese_are_not_dish_words(food: FoodEnv) -> None:
    """'我附近的寿司店' ('a sushi place near me') said "Left out of the query: '附近', '店' (on no menu)": every search
    is of restaurants near the delivery point, as 'nearby sushi' already read in English."""
    async with Client(food.server) as c:
        said = {
            q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
            for q in ("我附近的寿司店", "附近的寿司", "寿司")
        }
    pages = [(page["restaurants"], page["page"]["total"], page.get("note")) for page in said.values()]
    assert pages[0] == pages[1] == pages[2], said["我附近的寿司店"].get("note")  # the cursor names the query it pages
    assert said["寿司"]["restaurants"] and "note" not in said["寿司"]


@pytest.mark.parametrize(
    ("query", "cuisine"),
    [
        ("附近的意大利餐厅", "意大利菜"),
        ("找一家泰国餐厅", "泰国菜"),
        ("韩国料理店", "韩国料理"),
        ("墨西哥餐馆", "墨西哥菜"),
    ],
)
async def test_a_country_and_a_word_for_restaurant_in_chinese_ask_for_its_cuisine(
    food: FoodEnv, query: str, cuisine: str
) -> None:
    """'附近的意大利餐厅' (Italian restaurants nearby) found nothing: 意大利餐厅 was one unknown word, though 意大利菜
    found them. 餐厅 / 餐馆 / 料理店 say 'a restaurant' and end the country's name, which is a word of its cuisine's."""
    async with Client(food.server) as c:
        asked = await everything(c, {"query": query})
        named = await everything(c, {"query": cuisine})
    assert asked and [r["id"] for r in asked] == [r["id"] for r in named]
    assert any(cuisine in label for label in asked[0]["cuisines"]), asked[0]  # then dishes named so (Italian B.M.T.)


async def test_deals_asked_for_name_the_coupons_in_force(food: FoodEnv) -> None:
    """'有优惠的' (any deals?), 'pizza deals' and '满减的披萨' found nothing (the words are on no menu): they list what
    the rest asks for, and the note names the coupons in force, which apply at checkout."""
    async with Client(food.server) as c:
        said = {
            q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
            for q in ("pizza deals", "满减的披萨", "pizza", "有优惠的", "")
        }
    deals, chinese, pizza, any_deal, everything_near = said.values()
    assert deals["restaurants"] and deals["restaurants"] == chinese["restaurants"] == pizza["restaurants"]
    assert any_deal["page"]["total"] == everything_near["page"]["total"] > 0
    for page in (deals, chinese, any_deal):
        assert page["note"].startswith("Read as asking for deals"), page.get("note")
        assert all(code in page["note"] for code in ("WELCOME5", "LUNCH10", "FREEDEL", "PIZZA3")), page["note"]


@pytest.mark.parametrize(("mild", "plain"), [("不辣的川菜", "川菜"), ("不要辣的中餐", "中餐"), ("mild curry", "curry")])
async def test_a_dish_asked_for_not_spicy_is_one_not_tagged_spicy(food: FoodEnv, mild: str, plain: str) -> None:
    """'不辣的川菜' (Sichuan food, not spicy) left '不辣' out as on no menu and showed the kitchens without a dish;
    'mild curry' listed the vindaloo. Only dishes not tagged spicy are matched and shown, a kitchen found by its
    cuisine showing its menu's."""
    async with Client(food.server) as c:
        tame = await everything(c, {"query": mild})
        every = await everything(c, {"query": plain})
        note = (await ok(c, "food_search_restaurants", {"query": mild}))["note"]

    def spicy(dish: dict[str, Any]) -> bool:
        return "spicy" in food.catalog.items[dish["item_id"]][1].tags

    shown = [d for r in tame for d in r["matched_dishes"]]
    assert tame and all(r["matched_dishes"] for r in tame) and not any(spicy(d) for d in shown), shown[:5]
    assert {r["id"] for r in tame} <= {r["id"] for r in every} and note.startswith("Read as not spicy")
    if plain == "curry":
        assert any(spicy(d) for r in every for d in r["matched_dishes"])


async def test_a_healthy_meal_in_chinese_is_the_salads_and_bowls(food: FoodEnv) -> None:
    """'减肥餐' and '健康餐' (a diet or healthy meal) found nothing, though 'healthy' found the salad bars."""
    async with Client(food.server) as c:
        pages = [await everything(c, {"query": q}) for q in ("减肥餐", "健康餐", "低卡", "healthy")]
    assert pages[0] and all([r["id"] for r in p] == [r["id"] for r in pages[-1]] for p in pages)


async def test_a_street_address_or_district_said_as_where_to_deliver_is_searched_from(food: FoodEnv) -> None:
    """'pizza to Mannerheimintie 5' searched from home and left 'mannerheimintie' out as on no menu: a street address
    of the map or a district said as where to deliver is where distances, fees and times are measured from (the
    note says to save it before ordering there); a number the map lacks is said with the numbers it has, and 'to go'
    is no dish."""
    street = {"lat": 60.1694433, "lng": 24.9397734}  # Mannerheimintie 5 on the map
    async with Client(food.server) as c:
        said = {
            q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
            for q in ("pizza to Mannerheimintie 5", "送到Mannerheimintie 5的披萨", "pizza delivered to Kamppi",
                      "pizza to Fredrikinkatu 34", "pizza", "sushi to go", "sushi")
        }  # fmt: skip
        there = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20, **street})
    english, chinese, district, missing, pizza, to_go, sushi = said.values()
    for page in (english, chinese):
        assert page["near"] == street and page["restaurants"] == there["restaurants"], page.get("note")
        assert page["note"].startswith("Read as delivering to Mannerheimintie 5"), page["note"]
        assert "food_save_address" in page["note"]
    assert district["near"] == {"lat": 60.1688, "lng": 24.933} and district["restaurants"] != pizza["restaurants"]
    assert missing["restaurants"] == pizza["restaurants"] and "Fredrikinkatu has numbers" in missing["note"]
    assert to_go["restaurants"] == sushi["restaurants"] and to_go["restaurants"]


async def test_a_street_spelt_otherwise_is_read_as_the_map_spells_it(food: FoodEnv) -> None:
    """'pizza to Manerheimintie 5' (one n short) searched from home and said only that 'manerheimintie' is on no
    menu: the street the map spells most like it is where to deliver, and the note says so; a number that street
    lacks, or a street like none, is said with the streets spelt alike or left out."""
    street = {"lat": 60.1694433, "lng": 24.9397734}  # Mannerheimintie 5 on the map
    async with Client(food.server) as c:
        typo = await ok(c, "food_search_restaurants", {"query": "pizza to Manerheimintie 5", "limit": 20})
        there = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20, **street})
        no_number = await ok(c, "food_search_restaurants", {"query": "pizza to Manerheimintie 999", "limit": 20})
        home = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20})
    assert typo["near"] == street and typo["restaurants"] == there["restaurants"]
    assert typo["note"].startswith("Read as delivering to Mannerheimintie 5 (as the map spells 'Manerheimintie 5')")
    assert no_number["restaurants"] == home["restaurants"]
    assert "but no street called 'Manerheimintie' is on the map; streets spelt alike: Mannerheimintie" in (
        no_number["note"]
    )


async def test_a_landmark_said_as_where_to_deliver_is_searched_from(food: FoodEnv) -> None:
    """'送到中央火车站的披萨' searched from home with '送到中央火车站' left out as on no menu: a landmark by its common
    name (shared.landmarks, as nav and movies read it) is where the search measures from; '甜品' (desserts) found
    nothing."""
    station = {"lat": 60.1712064, "lng": 24.9412091}  # Helsingin päärautatieasema
    async with Client(food.server) as c:
        said = {q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
                for q in ("送到中央火车站的披萨", "pizza to the Central Station")}  # fmt: skip
        there = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20, **station})
        desserts = await ok(c, "food_search_restaurants", {"query": "甜品", "limit": 20})
        sweets = await ok(c, "food_search_restaurants", {"query": "甜点", "limit": 20})
    for q, page in said.items():
        assert page["near"] == station and page["restaurants"] == there["restaurants"], (q, page.get("note"))
        assert page["note"].startswith("Read as delivering to Helsingin päärautatieasema"), page["note"]
    assert desserts["restaurants"] and desserts["restaurants"] == sweets["restaurants"]


async def test_a_venue_by_the_name_tickets_or_movies_show_is_where_to_search_from(food: FoodEnv) -> None:
    """After booking at '基诺宫影城' (how movies shows Kinopalatsi), '基诺宫影城附近的火锅' left '基诺宫影城附近'
    out as on no menu and searched from home: the names tickets and movies show for their venues are landmarks in
    every server (shared.landmarks.venue_names), as nav already read them."""
    kinopalatsi = {"lat": 60.1711318, "lng": 24.9462642}
    async with Client(food.server) as c:
        said = {q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
                for q in ("基诺宫影城附近的火锅", "hot pot near 基诺宫影城", "基诺宫附近的火锅")}  # fmt: skip
        there = await ok(c, "food_search_restaurants", {"query": "火锅", "limit": 20, **kinopalatsi})
        theatre = await ok(c, "food_search_restaurants", {"query": "论坛剧院附近的咖啡", "limit": 20})
    for q, page in said.items():
        assert page["near"] == kinopalatsi and page["restaurants"] == there["restaurants"], (q, page.get("note"))
        assert page["note"].startswith("Read as delivering to Kinopalatsi"), page["note"]
    # 论坛剧院 is how tickets shows Teatteri Forum
    assert theatre["note"].startswith("Read as delivering to Teatteri Forum"), theatre["note"]


async def test_a_kind_of_place_or_a_sight_off_the_map_said_as_where_is_named_as_such(food: FoodEnv) -> None:
    """'电影院附近的汉堡' (burgers near the cinema: which of four?) and 'pizza near Suomenlinna' (an island off the map)
    left the place out as words 'on no menu' and searched from home without a word of why. The dish is still searched
    from the delivery point, and the note says what the place is: a kind, with the ones on the map, or off the map."""
    async with Client(food.server) as c:
        kinds = {q: (await ok(c, "food_search_restaurants", {"query": q, "limit": 20}),
                     await ok(c, "food_search_restaurants", {"query": dish, "limit": 20}))
                 for q, dish in (("电影院附近的汉堡", "汉堡"), ("burger near a cinema", "burger"))}  # fmt: skip
        pizza = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20})
        island = await ok(c, "food_search_restaurants", {"query": "pizza near Suomenlinna", "limit": 20})
        orthodox = await ok(c, "food_search_restaurants", {"query": "pizza near Uspenski Cathedral", "limit": 20})
        lutheran = await ok(c, "food_search_restaurants", {"query": "pizza near the cathedral", "limit": 20})
    for q, (page, home) in kinds.items():
        assert page["restaurants"] == home["restaurants"] and page["near"] == home["near"], q
        assert "is a kind of place (Cinema 电影院), not one place: 4 on the map (Kinopalatsi" in page["note"], page
        assert "on no menu" not in page["note"] and "Searched from the delivery point" in page["note"]
    assert island["restaurants"] == pizza["restaurants"], island["note"]
    assert "Suomenlinna, the sea fortress, is an island off this map" in island["note"], island["note"]
    # 'the cathedral' is Helsinki Cathedral on the map; the Orthodox one, a street east of it, is not
    assert orthodox["restaurants"] == pizza["restaurants"] and "just east of this map" in orthodox["note"], orthodox
    assert lutheran["note"].startswith("Read as delivering to Helsingin tuomiokirkko"), lutheran["note"]


async def test_a_dish_on_no_menu_is_not_searched_by_the_word_that_only_says_how_it_is(food: FoodEnv) -> None:
    """'hot dog' (on no menu here) was searched as 'hot' and listed the hot-pot kitchen and spicy dishes first, saying
    only that 'dog' was on no menu: a word that only says how a dish is ('hot', 'grilled') is no search for it. As
    '热狗', it finds nothing and says so; 'hot pot' and 'spicy noodles' are dishes here and are found as before."""
    async with Client(food.server) as c:
        said = {q: await ok(c, "food_search_restaurants", {"query": q}) for q in ("hot dog", "grilled xyzzy")}
        hot_pot = await ok(c, "food_search_restaurants", {"query": "hot pot"})
        noodles = await ok(c, "food_search_restaurants", {"query": "spicy noodles"})
    for q, page in said.items():
        assert page["restaurants"] == [], (q, [r["name"] for r in page["restaurants"]])
        assert page["note"].startswith(f"No restaurant, dish or option matches '{q}'."), page["note"]
    assert any("Hot pot / 火锅" in r["cuisines"] for r in hot_pot["restaurants"][:3]), hot_pot["restaurants"][:3]
    assert noodles["restaurants"] and "on no menu" not in noodles.get("note", "")


async def test_who_the_meal_is_for_is_how_much_to_order_not_a_dish(food: FoodEnv) -> None:
    """'pizza for the family' found nothing ('family' is in one restaurant's name, never beside a pizza), and '两人份的
    寿司' (sushi for two) or 'sushi for 4' searched words no dish has: who it is for is how much to order, said in the
    note, and the dish is searched as said alone."""
    async with Client(food.server) as c:
        pairs = (("pizza for the family", "pizza"), ("两人份的寿司", "寿司"), ("sushi for 4", "sushi"),
                 ("全家吃的披萨", "披萨"))  # fmt: skip
        pages = {q: (await ok(c, "food_search_restaurants", {"query": q, "limit": 20}),
                     await ok(c, "food_search_restaurants", {"query": dish, "limit": 20}))
                 for q, dish in pairs}  # fmt: skip
    for q, (page, dish) in pages.items():
        assert page["restaurants"] and page["restaurants"] == dish["restaurants"], (q, page["note"])
        assert "as who it is for: choose the quantities in the cart" in page["note"], page["note"]
    two = pages["两人份的寿司"][0]["note"]
    assert two.startswith("Read '两人份' as who it is for"), two


async def test_a_label_the_user_gave_an_address_is_where_to_deliver(fresh_food: FoodEnv) -> None:
    """'送到女朋友家的奶茶' (milk tea to my girlfriend's, an address the user saved under that label) left
    '送到女朋友家' out as on no menu and searched from home: only 'home' and 'work' were read as labels in the query."""
    async with Client(fresh_food.server) as c:  # it saves an address
        saved = await ok(c, "food_save_address", {"label": "女朋友家", "street": "Fabianinkatu", "housenumber": "39"})
        said = {q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
                for q in ("送到女朋友家的奶茶", "女朋友家附近的奶茶")}  # fmt: skip
        there = await ok(c, "food_search_restaurants", {"query": "奶茶", "address_id": saved["id"], "limit": 20})
    for q, page in said.items():
        assert page["near"] == saved["location"] and page["restaurants"] == there["restaurants"], (q, page["note"])
        assert page["note"].startswith("Read as delivering to 女朋友家 (Fabianinkatu 39"), page["note"]


async def test_a_place_said_as_where_to_look_around_is_searched_from(food: FoodEnv) -> None:
    """'pizza near Oodi', '坎皮附近的寿司', '离家最近的咖啡' and '公司附近的午餐' left the place out as on no menu and
    searched from the default address: 'near' a landmark, district or street is read as 'to' it, near a saved
    address's label as that address, and 'near me' as the delivery point it already is."""
    oodi = {"lat": 60.1735368, "lng": 24.9380965}
    async with Client(food.server) as c:
        near = await ok(c, "food_search_restaurants", {"query": "pizza near Oodi", "limit": 20})
        there = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20, **oodi})
        work = await ok(c, "food_search_restaurants", {"query": "公司附近的寿司", "limit": 20})
        to_work = await ok(c, "food_search_restaurants", {"query": "寿司送到公司", "limit": 20})
        me = await ok(c, "food_search_restaurants", {"query": "pizza near me", "limit": 20})
        pizza = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20})
    assert near["near"] == oodi and near["restaurants"] == there["restaurants"], near.get("note")
    assert near["note"].startswith("Read as delivering to Helsingin keskustakirjasto Oodi"), near["note"]
    assert work["restaurants"] == to_work["restaurants"] and work["note"].startswith("Read as delivering to Work")
    assert me["restaurants"] == pizza["restaurants"] and "on no menu" not in me.get("note", "")


async def test_asking_for_a_recommendation_or_a_good_one_reads_as_rated_or_any(food: FoodEnv) -> None:
    """'推荐一家评价好的' (recommend one well reviewed) found nothing, 'recommend a well reviewed pizza place' left
    'place' out as on no menu and 'a good burger joint' found nothing ('good' at two restaurants): a request for a
    recommendation and words for a good one name no dish, and '评价好的' / '口碑最好的' are the best rated first."""
    async with Client(food.server) as c:
        said = {q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
                for q in ("推荐一家评价好的日料", "日料", "recommend a well reviewed pizza place", "pizza",
                          "a good burger joint", "burger", "口碑最好的披萨")}  # fmt: skip
    names = {q: {r["id"] for r in page["restaurants"]} for q, page in said.items()}
    totals = {q: page["page"]["total"] for q, page in said.items()}
    ratings = [r["rating"] for r in said["推荐一家评价好的日料"]["restaurants"]]
    assert totals["推荐一家评价好的日料"] == totals["日料"] and ratings == sorted(ratings, reverse=True), ratings
    assert said["推荐一家评价好的日料"]["note"].startswith("Read as highly rated"), said["推荐一家评价好的日料"]["note"]
    assert totals["recommend a well reviewed pizza place"] == totals["pizza"] == totals["口碑最好的披萨"], totals
    assert "Left out" not in said["recommend a well reviewed pizza place"]["note"]
    assert names["burger"] <= names["a good burger joint"] and names["burger"], said["a good burger joint"]["note"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("piza", "pizza"), ("hamburguer", "hamburger"), ("capuccino", "cappuccino"), ("suhsi", "sushi"),
     ("vegeterian", "vegetarian"), ("lasagna", "lasagne"), ("kebap", "kebab")],
)  # fmt: skip
async def test_a_word_misspelt_by_one_letter_is_read_as_the_menus_spell_it(
    food: FoodEnv, typed: str, meant: str
) -> None:
    """'piza', 'hamburguer' and 'capuccino' found nothing, while nav and movies read a typo as the name meant: a word
    on no menu one letter off a menu's word (or, of four letters, off a cuisine's name: 'late' is no 'latte') is
    that word, and the note says so."""
    async with Client(food.server) as c:
        said = await ok(c, "food_search_restaurants", {"query": typed, "limit": 20})
        right = await ok(c, "food_search_restaurants", {"query": meant, "limit": 20})
    assert said["restaurants"] and said["restaurants"] == right["restaurants"], said["note"]
    assert said["note"].startswith(f"Read '{typed}' as '{meant}', as the menus spell it."), said["note"]


async def test_the_words_of_a_sentence_around_a_search_are_not_searched(food: FoodEnv) -> None:
    """'something vegetarian under 15 euros that can arrive in 30 min' listed one restaurant, Cantina West: 'can'
    matched the start of its name, and 'that' and 'arrive' were left out as on no menu. Such words of a sentence
    are no part of what is searched."""
    async with Client(food.server) as c:
        sentence = "something vegetarian under 15 euros that can arrive in 30 min"
        said = await ok(c, "food_search_restaurants", {"query": sentence, "limit": 20})
        plain = await ok(c, "food_search_restaurants", {"query": "vegetarian under 15 euros in 30 min", "limit": 20})
    assert said["page"]["total"] == plain["page"]["total"] > 1, said["note"]
    assert said["restaurants"] == plain["restaurants"] and "Left out" not in said["note"], said["note"]


async def test_a_street_address_written_with_hao_is_delivered_to(food: FoodEnv) -> None:
    """'送到Fabianinkatu 39号的披萨' (号 as Chinese writes a house number) was searched from home, the address left out:
    it is read as 'Fabianinkatu 39'."""
    async with Client(food.server) as c:
        hao = await ok(c, "food_search_restaurants", {"query": "送到Fabianinkatu 39号的披萨", "limit": 20})
        plain = await ok(c, "food_search_restaurants", {"query": "送到Fabianinkatu 39的披萨", "limit": 20})
    assert hao["near"] == plain["near"] and hao["restaurants"] == plain["restaurants"], hao["note"]
    assert hao["note"].startswith("Read as delivering to Fabianinkatu 39:"), hao["note"]


async def test_a_main_street_named_in_chinese_is_saved_and_delivered_to(fresh_food: FoodEnv) -> None:
    """'曼纳海姆大街20号' (Mannerheimintie 20, as Chinese guides name the street) was 'no street called' that when
    saved, and '送到亚历山大街52号的披萨' searched from home. It saves an address: a sandbox of its own."""
    async with Client(fresh_food.server) as c:
        saved = await ok(c, "food_save_address", {"label": "朋友家", "street": "曼纳海姆大街20号"})
        said = await ok(c, "food_search_restaurants", {"query": "送到亚历山大街52号的披萨", "limit": 20})
        plain = await ok(c, "food_search_restaurants", {"query": "送到Aleksanterinkatu 52的披萨", "limit": 20})
    assert (saved["street"], saved["housenumber"]) == ("Mannerheimintie", "20"), saved
    assert said["near"] == plain["near"] and said["restaurants"] == plain["restaurants"], said["note"]
    assert said["note"].startswith("Read as delivering to Aleksanterinkatu 52:"), said["note"]


@pytest.mark.parametrize("query", ["sushi in Kamppi", "坎皮的寿司", "sushi in the Kamppi area", "sushi Kampissa"])
async def test_a_district_said_as_where_is_searched_from_as_near_it_is(food: FoodEnv, query: str) -> None:
    """'sushi in Kamppi' and '坎皮的寿司' left the district out as on no menu and searched from home; only 'near
    Kamppi' / '坎皮附近' moved the search. A district said as where something is reads as 'near' it does."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": query, "limit": 20})
        near = await ok(c, "food_search_restaurants", {"query": "sushi near Kamppi", "limit": 20})
    assert page["near"] == near["near"] == {"lat": 60.1688, "lng": 24.933}  # shared.districts
    assert page["restaurants"] == near["restaurants"] and page["note"] == near["note"], page["note"]
    assert page["note"].startswith("Read as delivering to Kamppi (the district's centre"), page["note"]


@pytest.mark.parametrize(("absent", "stand_in"), [("肯德基", "炸鸡"), ("KFC", "fried chicken"), ("想吃肯德基", "炸鸡")])
async def test_a_chain_the_city_lacks_is_answered_with_what_it_sells(food: FoodEnv, absent: str, stand_in: str) -> None:
    """'肯德基' and 'KFC' found nothing, with a note suggesting pizza: no KFC is here, so the answer is the fried
    chicken that is, and the note says so (as Ele.me answers 'no KFC nearby')."""
    async with Client(food.server) as c:
        asked = await ok(c, "food_search_restaurants", {"query": absent, "limit": 20})
        sold = await ok(c, "food_search_restaurants", {"query": stand_in, "limit": 20})
    assert asked["restaurants"] and asked["restaurants"] == sold["restaurants"]
    assert asked["note"].startswith("There is no KFC in this city"), asked["note"]


@pytest.mark.parametrize(
    ("dish", "kitchen"), [("烤鸭", "中餐"), ("Peking duck", "Chinese"), ("想吃馄饨", "饺子"), ("tempura", "Japanese")]
)
async def test_a_dish_no_menu_lists_is_answered_with_the_kitchens_of_its_kind(
    food: FoodEnv, dish: str, kitchen: str
) -> None:
    """'烤鸭', '馄饨' and 'tempura' found nothing, with a note suggesting pizza: no menu here lists them, so the answer
    is the kitchens that cook their kind, and the note says the dish itself is on none of their menus."""
    async with Client(food.server) as c:
        asked = await ok(c, "food_search_restaurants", {"query": dish, "limit": 20})
        kitchens = await ok(c, "food_search_restaurants", {"query": kitchen, "limit": 20})
    assert asked["restaurants"] and asked["restaurants"] == kitchens["restaurants"]
    assert asked["note"].startswith("No menu here lists"), asked["note"]
    assert "(none of them lists it)" in asked["note"], asked["note"]


async def test_every_dish_read_as_its_kitchen_is_on_no_menu_and_finds_that_kitchen(
    food: FoodEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of ``OFF_MENU_DISHES`` names a cuisine of the vocabulary and, while no menu lists it, lists that cuisine's
    kitchens; one a menu has (宫保鸡丁, were it in the table) is searched as itself, its dishes shown."""
    monkeypatch.setitem(ranking.OFF_MENU_DISHES, "宫保鸡丁", ("kung pao chicken", "chinese"))
    monkeypatch.setattr(ranking, "_OFF_MENU", re.compile(any_of_words(ranking.OFF_MENU_DISHES)))
    async with Client(food.server) as c:
        for said in ranking.OFF_MENU_DISHES:
            if said == "宫保鸡丁":
                continue
            page = await ok(c, "food_search_restaurants", {"query": said, "limit": 5})
            assert page["restaurants"] and page.get("note", "").startswith(f"No menu here lists '{said}"), (said, page)
        listed = await ok(c, "food_search_restaurants", {"query": "宫保鸡丁", "limit": 3})
    assert listed["restaurants"][0]["matched_dishes"] and "No menu here lists" not in listed.get("note", ""), listed


async def test_lunch_or_dinner_in_chinese_asks_for_any_restaurant(food: FoodEnv) -> None:
    """'便宜的午餐' (a cheap lunch) listed only breakfast cafés: 午餐 was read inside 早午餐 (brunch). Like 'lunch', it
    says when, not what: any restaurant, the cheapest first."""
    async with Client(food.server) as c:
        lunch = await ok(c, "food_search_restaurants", {"query": "便宜的午餐", "limit": 20})
        cheap = await ok(c, "food_search_restaurants", {"query": "便宜", "limit": 20})
        brunch = await ok(c, "food_search_restaurants", {"query": "早午餐", "limit": 20})
    assert lunch["restaurants"] == cheap["restaurants"] and lunch["page"]["total"] > brunch["page"]["total"]
    assert {r["cuisines"][0] for r in brunch["restaurants"]} == {"Breakfast / 早餐"}


@pytest.mark.parametrize(
    ("query", "deliver_at"),
    [
        ("pizza delivered by 7pm", "2026-11-25T19:00"),
        ("pizza at 19:00 tomorrow", "2026-11-26T19:00"),
        ("明天中午12点送到的披萨", "2026-11-26T12:00"),
        ("pizza at 3am", "2026-11-26T03:00"),
        ("明天中午能送到的披萨", "2026-11-26T12:00"),  # a meal's part of the day: when that meal is wanted
        ("今天晚上送到的披萨", "2026-11-25T19:00"),
    ],
)
async def test_a_delivery_time_said_keeps_the_kitchens_taking_orders_then(
    food: FoodEnv, query: str, deliver_at: str
) -> None:
    """'pizza delivered by 7pm' was an empty page: 'by' and 'at' were searched as words (two restaurants' names hold
    them). The time is read as deliver_at reads it: the pizzerias taking orders then are listed, and the note gives
    the deliver_at that schedules it."""
    async with Client(food.server) as c:
        timed = await everything(c, {"query": query})
        page = await ok(c, "food_search_restaurants", {"query": query, "limit": 1})
        pizza = await everything(c, {"query": "pizza"})
    assert timed and {r["id"] for r in timed} <= {r["id"] for r in pizza}, page["note"]
    assert f"deliver_at='{deliver_at}'" in page["note"], page["note"]
    if deliver_at.endswith("03:00"):  # few kitchens take orders in the small hours
        assert len(timed) < len(pizza)


async def test_a_delivery_hour_that_has_passed_today_is_tomorrows(food: FoodEnv) -> None:
    """'早餐 8点前送到' (breakfast delivered before 8) said at noon was read as this morning's 08:00, 'a delivery time
    that has passed', and every breakfast place listed: a search looks ahead, so it is tomorrow's 08:00, and the
    breakfast kitchens taking orders then are listed with the deliver_at that schedules it."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "早餐 8点前送到", "limit": 1})
        timed = await everything(c, {"query": "早餐 8点前送到"})
        breakfast = await everything(c, {"query": "早餐"})
    assert "deliver_at='2026-11-26T08:00'" in page["note"] and "has passed" not in page["note"], page["note"]
    assert timed and {r["id"] for r in timed} < {r["id"] for r in breakfast}


@pytest.mark.parametrize("query", ["下午茶", "afternoon tea"])
async def test_afternoon_tea_is_tea_and_cake(food: FoodEnv, query: str) -> None:
    """'下午茶' (afternoon tea) left out '下午' as on no menu and searched '茶' alone: it is tea and cakes and pastries,
    as the cafés serve them, in either language."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
        page = await ok(c, "food_search_restaurants", {"query": query})
        tea = await everything(c, {"query": "tea"})
    assert "Left out" not in page.get("note", ""), page["note"]
    assert {r["id"] for r in tea} < {r["id"] for r in found}
    assert all(r["matched_dishes"] for r in found)


async def test_a_rating_a_fee_or_a_distance_said_bounds_the_restaurants(food: FoodEnv) -> None:
    """'评分4.5以上的寿司' (sushi rated 4.5 and up) and 'sushi rated above 4.5' were read as a dish price of at least
    €4.50, the rating left out; '配送费3欧以下的披萨' (delivery fee under €3) found no pizza at €3; '1公里以内的咖啡'
    (coffee within 1 km) left '公里以内' out as on no menu. Each is a bound on the restaurants, as the page shows
    them."""
    async with Client(food.server) as c:
        sushi = await everything(c, {"query": "sushi"})
        rated = {q: await everything(c, {"query": q}) for q in ("评分4.5以上的寿司", "sushi rated above 4.5")}
        note = (await ok(c, "food_search_restaurants", {"query": "评分4.5以上的寿司"}))["note"]
        pizza = await everything(c, {"query": "pizza"})
        cheap_fee = await everything(c, {"query": "配送费3欧以下的披萨"})
        coffee = await everything(c, {"query": "coffee"})
        near = await everything(c, {"query": "coffee within 300 m"})
    good = [r["id"] for r in sushi if r["rating"] >= 4.5]
    assert 0 < len(good) < len(sushi)
    for q, found in rated.items():
        assert [r["id"] for r in found] == good, q
    assert "as a bound: only restaurants rated at least 4.5" in note and "dish price" not in note, note
    assert cheap_fee and [r["id"] for r in cheap_fee] == [
        r["id"] for r in pizza if r["delivery_fee"]["amount_minor"] <= 300
    ]
    assert near and [r["id"] for r in near] == [r["id"] for r in coffee if r["distance_m"] <= 300]
    assert len(near) < len(coffee)


@pytest.mark.parametrize("query", ["麻辣烫", "来份麻辣烫", "malatang"])
async def test_malatang_is_on_the_hot_pot_kitchens_menu(food: FoodEnv, query: str) -> None:
    """'麻辣烫' (Chinese students' staple) was on no menu; the hot-pot kitchen cooks it by the bowl, at the spice
    level asked, as its other spicy dishes."""
    async with Client(food.server) as c:
        found = await everything(c, {"query": query})
        menu = await ok(c, "food_get_restaurant", {"restaurant_id": found[0]["id"]})
    assert [r["name"] for r in found] == ["Ravintola China / 中國樓酒家"], [r["name"] for r in found]
    dishes = {d["name"] for d in found[0]["matched_dishes"]}
    assert dishes == {"Malatang, pick your own / 自选麻辣烫", "Beef malatang / 肥牛麻辣烫"}, dishes
    groups = {g["id"]: g["name"] for g in menu["menu"]["option_groups"]}
    bowls = [i for cat in menu["menu"]["categories"] for i in cat["items"] if "malatang" in i["name"].lower()]
    assert bowls and all("Spice level / 辣度" in [groups[g] for g in i["option_groups"]] for i in bowls)


async def test_fast_food_is_the_kitchens_tagged_so_and_cheap_with_a_little_is_cheap(food: FoodEnv) -> None:
    """'快餐' (one of Ele.me's first categories) and 'fast food' found nothing or every restaurant nearby, though
    the map tags 54 kitchens fast food; '便宜点的快餐' ('somewhat cheap fast food') read 便宜 as cheap and searched
    '点的快餐'."""
    async with Client(food.server) as c:
        nearby = {r["id"] for r in await everything(c, {"query": ""})}
        kuaican = await everything(c, {"query": "快餐"})
        english = await everything(c, {"query": "fast food"})
        first = await ok(c, "food_search_restaurants", {"query": "便宜点的快餐"})
        cheap = await everything(c, {"query": "便宜点的快餐"})
        burgers = await everything(c, {"query": "快餐店的汉堡"})
    tagged = {r.id for r in food.catalog.restaurants.values() if r.kind == "fast_food"} & nearby
    assert len(tagged) >= 40 and {r["id"] for r in kuaican} == {r["id"] for r in english} == tagged
    assert {"Hesburger", "McDonald's", "Subway"} <= {r["name"].split(" / ")[0] for r in kuaican}
    assert first["note"].startswith("Read as a price") and {r["id"] for r in cheap} == tagged
    levels = [r["price_level"] for r in cheap]
    assert levels[0] == 1 and levels == sorted(levels)
    assert burgers and {r["id"] for r in burgers} <= tagged and all(r.get("matched_dishes") for r in burgers)


async def test_a_name_of_several_english_words_before_a_chinese_near_is_the_place(food: FoodEnv) -> None:
    """'Helsinki Music Centre附近的披萨' left 'music', 'centre' out as on no menu and searched from home: only the last
    word before 附近 was read as the place, and a Latin name ending right before a Chinese character was no whole word.
    A name of several capitalised words said before 附近 is the place, as said in English ('near')."""
    music_centre = {"lat": 60.173773, "lng": 24.9354908}  # Musiikkitalo
    async with Client(food.server) as c:
        said = {q: await ok(c, "food_search_restaurants", {"query": q, "limit": 20})
                for q in ("Helsinki Music Centre附近的披萨", "pizza near Helsinki Music Centre",
                          "Music Centre附近的披萨")}  # fmt: skip
        there = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 20, **music_centre})
        station = await ok(c, "food_search_restaurants", {"query": "Central Station附近的寿司", "limit": 5})
    for q, page in said.items():
        assert page["near"] == music_centre and page["restaurants"] == there["restaurants"], (q, page.get("note"))
        assert page["note"].startswith("Read as delivering to Musiikkitalo"), page["note"]
    assert station["note"].startswith("Read as delivering to Helsingin päärautatieasema"), station["note"]


async def test_an_hour_a_kitchen_must_take_orders_at_is_read_as_said(food: FoodEnv) -> None:
    """'pizza open until midnight' and '营业到凌晨2点的披萨' left those words out as on no menu: the hour said is when
    the kitchen must still take orders (the minute before 'until'), as 'late night' is 23:00."""
    async with Client(food.server) as c:
        midnight = await everything(c, {"query": "pizza open until midnight"})
        note = (await ok(c, "food_search_restaurants", {"query": "pizza open until midnight"}))["note"]
        small_hours = await ok(c, "food_search_restaurants", {"query": "营业到凌晨2点的披萨"})
        late = await everything(c, {"query": "late night pizza"})
        pizza = await everything(c, {"query": "pizza"})
    assert midnight and {r["id"] for r in midnight} <= {r["id"] for r in late} < {r["id"] for r in pizza}
    assert "only restaurants taking orders at 23:59 Wed are listed" in note, note
    assert "taking orders at 01:59 Thu" in small_hours["note"], small_hours["note"]


async def test_a_low_minimum_order_or_popular_said_orders_the_page(food: FoodEnv) -> None:
    """'起送价低的披萨' (pizza with a low minimum order) and '销量最高的汉堡' (the best-selling burgers) had those words
    left out as on no menu, in the usual order: they ask for the lowest minimum order first, and for the most rated
    first (sales are not published), as sort='min_order' and sort='popular' give them."""
    async with Client(food.server) as c:
        low = await everything(c, {"query": "起送价低的披萨"})
        by_minimum = await everything(c, {"query": "披萨", "sort": "min_order"})
        popular = {q: await everything(c, {"query": q}) for q in ("销量最高的汉堡", "most popular burger")}
        by_ratings = await everything(c, {"query": "汉堡", "sort": "popular"})
        note = (await ok(c, "food_search_restaurants", {"query": "销量最高的汉堡"}))["note"]
    assert low and [r["id"] for r in low] == [r["id"] for r in by_minimum]
    minimums = [r["min_order"]["amount_minor"] for r in low]
    assert minimums == sorted(minimums) and minimums[0] < minimums[-1]
    for q, page in popular.items():
        assert page and [r["id"] for r in page] == [r["id"] for r in by_ratings], q
    counts = [r["rating_count"] for r in by_ratings]
    assert counts == sorted(counts, reverse=True) and "Read as popular: the most rated first" in note, note


async def test_a_price_said_with_a_cuisine_keeps_the_restaurants_with_a_dish_of_the_menu_at_it(food: FoodEnv) -> None:
    """'20欧以下的中餐' (Chinese food under €20) found none of the 27 Chinese restaurants ('none ... with a matching
    dish has one at that price'): matched by their cuisine, they had no matched dish to price. Now their menus are
    priced, the dishes that fit shown; '人均20欧以下' and '不超过20欧' say the same ('人均20欧以下' was about €20 with
    '欧以下' left out as on no menu)."""
    async with Client(food.server) as c:
        every = await everything(c, {"query": "中餐"})
        asked = ("20欧以下的中餐", "人均20欧以下的中餐", "不超过20欧的中餐")
        said = {q: await everything(c, {"query": q}) for q in asked}
        cheap = await everything(c, {"query": "chinese food under 8 euros"})
        note = (await ok(c, "food_search_restaurants", {"query": "人均20欧以下的中餐"}))["note"]
    under = said["20欧以下的中餐"]
    assert all(page == under for page in said.values())
    assert under and {r["id"] for r in under} <= {r["id"] for r in every}
    for r in under + cheap:
        assert any("Chinese" in k for k in r["cuisines"]), r["cuisines"]
        assert r["matched_dishes"] and all(not d.get("sold_out") for d in r["matched_dishes"]), r
    assert all(d["price"]["amount_minor"] <= 2000 for r in under for d in r["matched_dishes"])
    assert all(d["price"]["amount_minor"] <= 800 for r in cheap for d in r["matched_dishes"])
    assert 0 < len(cheap) < len(under)
    assert note.startswith("Read a dish price (at most €20.00): only restaurants") and "Left out" not in note, note


async def test_a_price_said_roughly_is_a_fifth_either_side(food: FoodEnv) -> None:
    """'人均30左右的日料' (Japanese food, about €30 a head) left '人均左右' out as on no menu and dropped the 30; '人均
    15的汉堡' likewise: a price said roughly, or per head, is the dishes within a fifth of it either side."""
    async with Client(food.server) as c:
        said = {q: await everything(c, {"query": q})
                for q in ("人均30左右的日料", "人均15的汉堡", "burgers around 15 euros")}  # fmt: skip
        apart = {
            "人均30左右的日料": await everything(c, {"query": "日料 24到36欧"}),
            "人均15的汉堡": await everything(c, {"query": "汉堡 12到18欧"}),
        }
        note = (await ok(c, "food_search_restaurants", {"query": "人均30左右的日料"}))["note"]
    for q, page in apart.items():
        assert page and said[q] == page, q
    assert said["burgers around 15 euros"] == apart["人均15的汉堡"]
    assert "at least €24.00 and at most €36.00" in note, note


@pytest.mark.parametrize(
    ("query", "dishes"),
    [
        ("米饭", ("rice",)),
        ("盖浇饭", ("rice",)),
        ("米线", ("rice noodles", "pho bo", "bun cha")),
        ("我想吃螺蛳粉", ("rice noodles", "pho bo", "bun cha")),
        ("兰州拉面", ("beef noodle soup",)),
        ("麻辣香锅", ("malatang",)),
        ("日式咖喱", ("katsu curry",)),
        ("汤面", ("noodle soup", "ramen", "pho bo")),
    ],
)
async def test_chinese_dish_words_the_menus_spell_otherwise(food: FoodEnv, query: str, dishes: tuple[str, ...]) -> None:
    """'米饭' (rice) found nothing while 'rice' found 30 restaurants, and '米线' (rice noodles), '兰州拉面' (Lanzhou
    beef noodles), '麻辣香锅' nothing beside the pho, the beef noodle soup and the malatang: they are searched as the
    menus spell those dishes."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": query, "limit": 20})
    assert page["restaurants"], (query, page.get("note"))
    shown = [m["name"].split(" / ")[0].lower() for r in page["restaurants"] for m in r.get("matched_dishes", [])]
    assert shown and all(any(d in name for d in dishes) for name in shown), (query, shown)


async def test_curry_rice_is_a_curry(food: FoodEnv) -> None:
    """'咖喱饭' and 'curry rice' found nothing ('咖喱' alone 33 restaurants, '饭' alone 82, no dish both): a curry
    comes with rice, so they are the curries."""
    async with Client(food.server) as c:
        curry = await everything(c, {"query": "curry"})
        said = [await everything(c, {"query": q}) for q in ("咖喱饭", "curry rice")]
    assert curry and all(page == curry for page in said)


async def test_western_food_is_what_the_european_kitchens_cook(food: FoodEnv) -> None:
    """'西餐' (Western food, as Chinese users name the European kitchens) found nothing: it is what 'italian',
    'steakhouse', 'burgers', 'pizza', 'finnish' and 'sandwiches' find, each as the search reads it (a kitchen of the
    cuisine, or one cooking a dish of it)."""
    kitchens = ("italian", "steakhouse", "burgers", "pizza", "finnish", "sandwiches")
    async with Client(food.server) as c:
        said = {q: await everything(c, {"query": q}) for q in ("西餐", "western food")}
        each = {q: await everything(c, {"query": q}) for q in kitchens}
    found = {r["id"] for r in said["西餐"]}
    assert found and found == {r["id"] for r in said["western food"]}
    assert found == {r["id"] for q in kitchens for r in each[q]}


async def test_what_to_leave_out_is_a_request_for_the_kitchen(food: FoodEnv) -> None:
    """'burger no onions' kept the one burger bar with onions on its menu and '不要香菜的越南粉' (pho, no coriander)
    left '不要香菜' out as 'on no menu': what to leave out or go easy on is for the kitchen, which no menu records; the
    search is the rest, and the note says to put it in the order's note."""
    pairs = {"burger no onions": "burger", "不要香菜的越南粉": "越南粉", "pho without coriander": "pho"}
    pairs["奶茶 少冰"] = "奶茶"  # less ice: no drink's option here
    async with Client(food.server) as c:
        said = {q: await everything(c, {"query": q}) for q in pairs}
        plain = {q: await everything(c, {"query": base}) for q, base in pairs.items()}
        notes = {q: (await ok(c, "food_search_restaurants", {"query": q}))["note"] for q in pairs}
    for q in pairs:
        assert said[q] and [r["id"] for r in said[q]] == [r["id"] for r in plain[q]], q
        assert "as a request for the kitchen" in notes[q] and "food_place_order note=" in notes[q], notes[q]


async def test_two_dishes_no_one_dish_has_name_the_restaurants_that_serve_both(food: FoodEnv) -> None:
    """'芝士蛋糕 拿铁' (a cheesecake and a latte) asks one dish to have both, as 'vegan pizza' must, so nothing
    matches; the note counted each alone. It now names the nearest restaurants that have each in different dishes,
    and their menus do have both."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "芝士蛋糕 拿铁"})
        assert page["restaurants"] == []
        note = page["note"]
        assert "No one dish has all of them together" in note and "in different dishes; the nearest: " in note, note
        named = re.findall(r"\((rst_\w+)\)", note.split("the nearest: ")[1])
        assert named
        for restaurant_id in named:
            menu = await ok(c, "food_get_restaurant", {"restaurant_id": restaurant_id})
            dishes = [i["name"] for cat in menu["menu"]["categories"] for i in cat["items"]]
            assert any("芝士蛋糕" in d for d in dishes) and any("拿铁" in d for d in dishes), (restaurant_id, dishes)


async def test_every_kitchen_sells_a_cola_and_a_drink_is_no_dish_at_a_price(food: FoodEnv) -> None:
    """Only 12 of 425 menus had a cola: 'pizza 可乐' found no restaurant. Every menu without one now ends with soft
    drinks (tagged 'drink'), so it lists the pizzerias with their cola; and a price said of a kitchen ('sushi under 3
    euros') is not met by its €2.50 cola."""
    async with Client(food.server) as c:
        both = await ok(c, "food_search_restaurants", {"query": "pizza 可乐", "limit": 5})
        pizzas = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 5})
        menu = await ok(c, "food_get_restaurant", {"restaurant_id": pizzas["restaurants"][0]["id"]})
        cheap = await ok(c, "food_search_restaurants", {"query": "sushi under 3 euros"})
    assert both["restaurants"] and all("Pizza / 披萨" in r["cuisines"] for r in both["restaurants"])
    assert all(any("可乐" in d["name"] for d in r["matched_dishes"]) for r in both["restaurants"])
    colas = [i for cat in menu["menu"]["categories"] for i in cat["items"] if "可口可乐" in i["name"]]
    assert colas and all("drink" in i["tags"] for i in colas)
    assert cheap["restaurants"] == [], [r["name"] for r in cheap["restaurants"]]


@pytest.mark.parametrize("query", ["面包店", "附近的面包房", "面包", "糕点", "bakeries", "leipomo"])
async def test_a_bakery_asked_for_by_its_everyday_names_lists_the_bakeries(food: FoodEnv, query: str) -> None:
    """'面包店' (a bakery) listed Hesburger and Burger King: 面包 matched their 'Gluten-free bun / 无麸质面包' option,
    and three burgers a restaurant outscored one sourdough loaf. The bakery's everyday names, Chinese, English and
    Finnish, name the bakeries' cuisine (Bakery & desserts / 烘焙甜点), so they come first."""
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": query, "limit": 5})
    cuisines = [r["cuisines"] for r in page["restaurants"]]
    assert len(cuisines) == 5 and all("Bakery & desserts / 烘焙甜点" in c for c in cuisines), (query, page)


async def test_can_still_deliver_asked_with_an_hour_lists_those_taking_orders_then(fresh_food: FoodEnv) -> None:
    """'晚上11点还能送的' (which can still deliver at 11 pm) read the hour and then searched '还能送的' as a dish: 'No
    restaurant, dish or option matches'. Delivering is what every restaurant listed does: those taking orders then."""
    async with Client(fresh_food.server) as c:
        said = await everything(c, {"query": "晚上11点还能送的"})
        plain = await everything(c, {"query": "晚上11点"})
    assert said and [r["id"] for r in said] == [r["id"] for r in plain]
