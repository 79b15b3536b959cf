"""The compact menu of food_get_restaurant: option groups listed once, nothing a model needs lost."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from sqlmodel import Session

from servers.food.backend.catalog import ItemRec, RestaurantRec
from servers.food.backend.models import CartRow
from servers.food.backend.service import line_key
from shared.schemas.common import format_money
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import err, groups_of, least, menu_items, ok


def find_item(env: FoodEnv, want: Any) -> tuple[RestaurantRec, ItemRec]:
    for rest, item in env.catalog.items.values():
        if want(item):
            return rest, item
    raise AssertionError("no such item in the fixtures")


async def test_every_option_group_is_listed_once_and_items_name_theirs(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"limit": 20})
        details = [await ok(c, "food_get_restaurant", {"restaurant_id": r["id"]}) for r in page["restaurants"]]
    for detail in details:
        menu = detail["menu"]
        assert menu["currency"] == "EUR"
        groups = menu["option_groups"]
        group_ids = [g["id"] for g in groups]
        option_ids = [o["id"] for g in groups for o in g["options"]]
        assert len(set(group_ids)) == len(group_ids) and len(set(option_ids)) == len(option_ids)
        shapes = [(g["name"], g["rule"], [(o["name"], o.get("extra_minor", 0)) for o in g["options"]]) for g in groups]
        assert len(shapes) == len({repr(s) for s in shapes}), "an option group is listed twice"
        used = {gid for item in menu_items(detail) for gid in item.get("option_groups", [])}
        assert used == set(group_ids)
        for item in menu_items(detail):
            rec = food.catalog.items[item["id"]][1]
            # Left out when false/empty, present otherwise.
            assert item.get("sold_out", False) == rec.sold_out and ("sold_out" in item) == rec.sold_out
            assert item.get("tags", []) == rec.tags and ("tags" in item) == bool(rec.tags)
            assert ("option_groups" in item) == bool(rec.option_groups)
            assert "description" not in item or item["description"]
            offered = groups_of(detail, item)
            assert [len(g["options"]) for g in offered] == [len(g.options) for g in rec.option_groups]
            for group, grec in zip(offered, rec.option_groups, strict=True):
                assert least(group) == grec.least
                assert group["rule"].endswith(str(grec.max_select))
                for option, orec in zip(group["options"], grec.options, strict=True):
                    assert option.get("extra_minor", 0) == orec.price_delta_minor
                    assert ("extra_minor" in option) == bool(orec.price_delta_minor)
                    if orec.price_delta_minor > 0:
                        assert option["name"].endswith(f"(+{format_money(orec.price_delta_minor, 'EUR')})")


async def test_extras_and_rules_mean_what_the_menu_says(food: FoodEnv) -> None:
    rest, rec = find_item(
        food,
        lambda i: (
            not i.sold_out
            and any(
                g.least == 1 == g.max_select and any(o.price_delta_minor for o in g.options) for g in i.option_groups
            )
        ),
    )
    async with Client(food.server) as c:
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": rest.id})
        item = next(i for i in menu_items(detail) if i["id"] == rec.id)
        offered = groups_of(detail, item)
        one = next(g for g in offered if g["rule"] == "choose 1" and any("extra_minor" in o for o in g["options"]))
        priced = next(
            o for o in one["options"] if "extra_minor" in o and o["id"] not in item.get("sold_out_options", [])
        )
        others = [
            next(o["id"] for o in g["options"] if o["id"] not in item.get("sold_out_options", []))
            for g in offered
            if g is not one and least(g)
        ]
        cart = await ok(
            c,
            "food_update_cart",
            {
                "restaurant_id": rest.id,
                "replace_cart": True,
                "items": [{"item_id": rec.id, "quantity": 2, "option_ids": [priced["id"], *others]}],
            },
        )
        two = await err(
            c,
            "food_update_cart",
            {
                "restaurant_id": rest.id,
                "items": [{"item_id": rec.id, "quantity": 1, "option_ids": [o["id"] for o in one["options"]] + others}],
            },
        )
        none = await err(
            c,
            "food_update_cart",
            {"restaurant_id": rest.id, "items": [{"item_id": rec.id, "quantity": 1, "option_ids": others}]},
        )
    line = cart["lines"][0]
    assert line["unit_price"]["amount_minor"] == item["price"]["amount_minor"] + priced["extra_minor"]
    assert sorted(line["option_ids"]) == sorted([priced["id"], *others])
    assert "needs exactly 1" in two and "needs exactly 1" in none


async def test_sold_out_options_are_named_on_their_item_and_refused(food: FoodEnv) -> None:
    rest, rec = find_item(
        food, lambda i: not i.sold_out and any(o.sold_out for g in i.option_groups for o in g.options)
    )
    sold = next(o.id for g in rec.option_groups for o in g.options if o.sold_out)
    async with Client(food.server) as c:
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": rest.id})
        item = next(i for i in menu_items(detail) if i["id"] == rec.id)
        text = await err(
            c,
            "food_update_cart",
            {
                "restaurant_id": rest.id,
                "replace_cart": True,
                "items": [{"item_id": rec.id, "quantity": 1, "option_ids": [sold]}],
            },
        )
    assert item["sold_out_options"] == [sold]
    assert "sold out" in text
    # The same option of another item sharing the group is not sold out there.
    twins = [
        i
        for i in menu_items(detail)
        if i["id"] != rec.id and set(i.get("option_groups", [])) & set(item["option_groups"])
    ]
    assert any(sold not in i.get("sold_out_options", []) for i in twins) or not twins


async def test_per_item_option_ids_from_before_sharing_still_work(food: FoodEnv) -> None:
    """Carts saved before option groups were shared, and clients holding an older menu, keep working."""
    aliases = food.catalog.option_aliases
    old_of = {new: old for old, new in aliases.items() if old != new}
    rest, rec = find_item(
        food,
        lambda i: (
            not i.sold_out
            and not any(o.sold_out for g in i.option_groups for o in g.options)
            and any(g.least for g in i.option_groups)
            and all(
                any(old_of.get(o.id, "").startswith(f"opt_{i.id[4:]}_") for o in g.options) for g in i.option_groups
            )
        ),
    )
    shared = [g.options[0].id for g in rec.option_groups if g.least]
    legacy = sorted(
        next(old for old, new in aliases.items() if new == oid and old.startswith(f"opt_{rec.id[4:]}_"))
        for oid in shared
    )
    assert legacy != sorted(shared)
    with Session(food.engine) as session:  # a cart stored with the per-item ids
        row = session.get(CartRow, food.settings.user) or CartRow(user_id=food.settings.user)
        row.restaurant_id = rest.id
        row.lines = [{"line_id": line_key(rec.id, legacy), "item_id": rec.id, "option_ids": legacy, "quantity": 1}]
        session.add(row)
        session.commit()
    async with Client(food.server) as c:
        stored = await ok(c, "food_get_cart", {})
        again = await ok(
            c,
            "food_update_cart",
            {"restaurant_id": rest.id, "items": [{"item_id": rec.id, "quantity": 3, "option_ids": shared}]},
        )
        old_ids = await ok(
            c,
            "food_update_cart",
            {"restaurant_id": rest.id, "items": [{"item_id": rec.id, "quantity": 2, "option_ids": legacy}]},
        )
    assert stored["lines"][0]["option_ids"] == sorted(shared)
    assert [(line["option_ids"], line["quantity"]) for line in again["lines"]] == [(sorted(shared), 3)]
    assert [(line["option_ids"], line["quantity"]) for line in old_ids["lines"]] == [(sorted(shared), 2)]


async def test_drinks_and_sides_take_no_pizza_sizes_or_toppings(food: FoodEnv) -> None:
    """Sizes and extras belong to a cuisine's own dishes: No Pizza's lemonade offered a 'Large' at +€4.00 (a
    pizza's) and 'Extra cheese', and a ramen bar's karaage 'Extra noodles'."""
    async with Client(food.server) as c:
        pizza = await ok(c, "food_get_restaurant", {"restaurant_id": "rst_n5906657573"})
        found = await ok(c, "food_search_restaurants", {"query": "ramen", "limit": 20})
        ramen = [await ok(c, "food_get_restaurant", {"restaurant_id": r["id"]}) for r in found["restaurants"]]
    pizzas, drinks = ([i for cat in pizza["menu"]["categories"] if cat["name"].startswith(name) for i in cat["items"]]
                      for name in ("Pizzas", "Drinks"))  # fmt: skip
    assert drinks and all(groups_of(pizza, d) == [] for d in drinks)
    assert any(g["name"].startswith("Extras") for p in pizzas for g in groups_of(pizza, p))  # the pizzas keep theirs
    sides = [(d, i) for d in ramen for cat in d["menu"]["categories"] if cat["name"].startswith("Sides")
             for i in cat["items"]]  # fmt: skip
    assert sides and not [i["name"] for d, i in sides if groups_of(d, i)]


async def test_cart_lines_name_their_options_in_both_languages_as_the_dish(food: FoodEnv) -> None:
    """A cart line read 'Diavola / 魔鬼辣披萨' with options ['Large', 'Hot']: the dish in both languages, its options
    in English only, unlike the menu, the search's matched options and the crowd's past orders ('Large / 大份')."""
    async with Client(food.server) as c:
        found = await ok(c, "food_search_restaurants", {"query": "diavola", "open_now": True})
        rid = found["restaurants"][0]["id"]
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": rid})
        item = next(i for i in menu_items(detail) if i["name"].startswith("Diavola"))
        wanted = [next(o["id"] for o in g["options"]) for g in groups_of(detail, item) if least(g)]
        cart = await ok(
            c,
            "food_update_cart",
            {"restaurant_id": rid, "items": [{"item_id": item["id"], "quantity": 1, "option_ids": wanted}]},
        )
        line = cart["lines"][0]
    names = {o["id"]: o["name"] for g in detail["menu"]["option_groups"] for o in g["options"]}
    assert line["option_ids"] and " / " in line["name"]
    assert sorted(line["options"]) == sorted(names[oid].split(" (+")[0] for oid in line["option_ids"])


@pytest.mark.parametrize(
    ("name", "cuisine", "dish", "not_dish"),
    [
        ("Ravintola Ragu (Italian kitchen)", "Italian / 意大利菜", "Lasagne", "Kung pao chicken"),
        ("Namaskaar India express", "Indian / 印度菜", "Butter chicken", "Doner kebab"),
        ("Pikku Nepal", "Nepalese / 尼泊尔菜", "Dal bhat", "Lasagne"),
        ("Noodle Bar", "Noodles / 面条", "Dan dan noodles", "Caesar salad"),
        ("Ravintola Teatteri", "Finnish / 芬兰菜", "Salmon soup", "Sencha"),
        ("Harald", "Finnish / 芬兰菜", "Salmon soup", "Kung pao chicken"),
        ("Unicafe Metsätalo", "Finnish / 芬兰菜", "Salmon soup", "Kung pao chicken"),
        ("Memphis", "Burgers / 汉堡", "Cheeseburger", "Kung pao chicken"),
        ("Casa Largo", "Italian / 意大利菜", "Lasagne", "Kung pao chicken"),
        ("Skiffer", "Pizza / 披萨", "Margherita", "Chicken teriyaki"),
        ("Long Wall", "Chinese / 中餐", "Kung pao chicken", "Salmon soup"),
    ],
)
async def test_a_kitchen_cooks_what_its_name_says(
    food: FoodEnv, name: str, cuisine: str, dish: str, not_dish: str
) -> None:
    """A restaurant OSM gives no cuisine had one guessed by its kind, so an Italian kitchen served the Chinese menu and
    Ravintola Teatteri tea (its 'tea' read inside 'Teatteri'); a name that says its cuisine in words now decides it.
    Where the name says none, the kitchen the place is known for does (Harald's Nordic food, Memphis's burgers), and
    a guess of a far cuisine is a Finnish kitchen: 'spicy' listed Harald and the university canteens for their Kung
    pao chicken."""
    async with Client(food.server) as c:
        (found,) = (await ok(c, "food_search_restaurants", {"query": name, "limit": 1}))["restaurants"]
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": found["id"]})
    dishes = {i["name"].split(" / ")[0] for cat in detail["menu"]["categories"] for i in cat["items"]}
    assert found["name"] == name and found["cuisines"] == [cuisine], found
    assert dish in dishes and not_dish not in dishes, sorted(dishes)


async def test_a_meal_asks_for_its_drink_and_is_ordered_with_the_one_chosen(food: FoodEnv) -> None:
    """A chain's meal (巨无霸套餐) comes with a drink of the user's choice, as on Ele.me: without one it is refused
    with the drinks to choose from, and nothing is put in the cart; with one it is priced as the menu says."""
    async with Client(food.server) as c:
        found = await ok(c, "food_search_restaurants", {"query": "巨无霸套餐", "limit": 1})
        branch = found["restaurants"][0]
        meal = next(d for d in branch["matched_dishes"] if d["name"] == "Big Mac Meal / 巨无霸套餐")
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": branch["id"]})
        groups = {g["id"]: g for g in detail["menu"]["option_groups"]}
        item = next(i for cat in detail["menu"]["categories"] for i in cat["items"] if i["id"] == meal["item_id"])
        drink = next(groups[g] for g in item["option_groups"] if groups[g]["name"] == "Drink / 饮料")
        line = {"item_id": meal["item_id"], "quantity": 1}
        refused = await err(c, "food_update_cart", {"restaurant_id": branch["id"], "items": [line]})
        empty = await ok(c, "food_get_cart")
        zero = next(o for o in drink["options"] if o["name"] == "Coca-Cola Zero / 零度可乐")
        chosen = {**line, "option_ids": [zero["id"]]}
        cart = await ok(c, "food_update_cart", {"restaurant_id": branch["id"], "items": [chosen]})
    assert "'Drink'" in refused and all(o["id"] in refused for o in drink["options"]), refused
    assert drink["rule"] == "choose 1" and not empty["lines"]
    (bought,) = cart["lines"]
    assert bought["options"] == ["Coca-Cola Zero / 零度可乐"]
    assert bought["unit_price"]["amount_minor"] == meal["price"]["amount_minor"] == 1190


async def test_an_option_named_by_the_user_is_refused_with_its_id_and_the_choices_are_bilingual(food: FoodEnv) -> None:
    """少辣 → the agent passes '微辣' (or 'Mild') where the option id goes: that was 'not an option', leaving the agent
    to match names against a list that showed only the English ones ('opt_… (Mild)')."""
    rest, rec = find_item(
        food, lambda i: not i.sold_out and any(g.least and all(o.name_zh for o in g.options) for g in i.option_groups)
    )
    group = next(g for g in rec.option_groups if g.least and all(o.name_zh for o in g.options))
    option = next(o for o in group.options if not o.sold_out)
    before = food.snapshot()
    async with Client(food.server) as c:
        said = [
            await err(
                c,
                "food_update_cart",
                {"restaurant_id": rest.id, "items": [{"item_id": rec.id, "quantity": 1, "option_ids": [name]}]},
            )
            for name in (option.name_zh, option.name.lower())
        ]
        missing = await err(
            c, "food_update_cart", {"restaurant_id": rest.id, "items": [{"item_id": rec.id, "quantity": 1}]}
        )
    label = f"{option.name} / {option.name_zh}"
    assert all(f"is a name, not an id: {label} is {option.id}" in text for text in said), said
    first = next(g for g in rec.option_groups if g.least)  # the group the refusal is about
    shown = [f"{o.id} ({o.name} / {o.name_zh})" if o.name_zh else f"{o.id} ({o.name})" for o in first.options]
    assert all(choice in missing for choice, o in zip(shown, first.options, strict=True) if not o.sold_out), missing
    assert food.snapshot() == before


async def test_an_option_said_in_other_words_is_refused_with_the_ids_it_may_mean(food: FoodEnv) -> None:
    """'Coke Zero' for a Big Mac Meal's drink was 'not an option' with the whole list: the menu says 'Coca-Cola Zero'.
    Words that every word of one option's name holds (or people's names for them: 'coke') are refused with its id, or
    with each id when they fit several; a drink the menu lacks ('pepsi') is still not an option, and the refusal says
    where a wish no option is goes: the order's note."""
    async with Client(food.server) as c:
        branch = (await ok(c, "food_search_restaurants", {"query": "巨无霸套餐", "limit": 1}))["restaurants"][0]
        meal = next(d for d in branch["matched_dishes"] if d["name"] == "Big Mac Meal / 巨无霸套餐")
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": branch["id"]})
        said = {
            name: await err(c, "food_update_cart", {"restaurant_id": branch["id"], "items": [
                {"item_id": meal["item_id"], "quantity": 1, "option_ids": [name]}]})
            for name in ("Coke Zero", "coke", "pepsi")
        }  # fmt: skip
    drinks = {o["name"]: o["id"] for g in detail["menu"]["option_groups"] for o in g["options"]}
    zero = next(i for n, i in drinks.items() if n.startswith("Coca-Cola Zero"))
    cola = next(i for n, i in drinks.items() if n.startswith("Coca-Cola /"))
    assert f"is a name, not an id: Coca-Cola Zero / 零度可乐 is {zero}" in said["Coke Zero"], said["Coke Zero"]
    assert "names 2" in said["coke"] and zero in said["coke"] and cola in said["coke"], said["coke"]
    assert "'pepsi' is not an option of Big Mac Meal" in said["pepsi"], said["pepsi"]
    # a wish no option is ('少冰', less ice) goes in the order's note, as on the app: the refusal says so
    assert "put it in the order's note (food_place_order note='pepsi')" in said["pepsi"], said["pepsi"]
