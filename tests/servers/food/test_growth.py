"""Food in a grown city (scale 3): every grown district has restaurants on its copies of real addresses, with
full menus copied from real ones, found by the indexed search exactly as a plain pass over the city would find
them, ordered through the tools, and the crowd of users has an order history; search pages by key cursors stay
stable while the restaurants' state changes between pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mcp import Client
from sqlalchemy import func, select

from servers.food.backend import growth, pricing
from servers.food.backend.models import OrderRow, RestaurantRow
from servers.food.backend.service import FoodService
from shared.account.growth import USERS_PER_SCALE
from shared.geo import haversine_m
from shared.growth import sites_in, tile
from shared.growth.restaurants import RESTAURANTS_PER_TILE, grown_restaurants
from shared.hours import is_open
from shared.kit.settings import default_fixtures
from shared.schemas.common import GeoPoint
from shared.schemas.food import Bill
from tests.conftest import scratch_pg
from tests.servers.food.conftest import FoodEnv, make_env
from tests.servers.food.helpers import ok, orderable, pick_options

REAL_RESTAURANTS = 425
SCALE = 3


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FoodEnv]:
    env = make_env(tmp_path_factory.mktemp("food-scale3"), scale=SCALE)
    yield env
    env.engine.dispose()


def count(env: FoodEnv, table: Any) -> int:
    with env.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def service(env: FoodEnv) -> FoodService:
    svc: FoodService = env.app.state.service
    return svc


def test_a_grown_city_has_restaurants_and_crowd_orders_in_proportion_to_its_scale(grown: FoodEnv) -> None:
    restaurants = count(grown, RestaurantRow)
    assert restaurants == REAL_RESTAURANTS + (SCALE - 1) * RESTAURANTS_PER_TILE
    assert restaurants >= 50_000 * SCALE // 100  # the scale pack's floor, scaled
    assert len(service(grown).catalog.columns) == restaurants
    crowd = SCALE * USERS_PER_SCALE
    assert count(grown, OrderRow) >= crowd  # every crowd user ordered at least once


async def test_a_grown_restaurant_stands_on_an_address_of_its_district_with_a_full_menu(grown: FoodEnv) -> None:
    record = grown_restaurants(default_fixtures(), SCALE)[-1]
    district = tile(record.tile)
    async with Client(grown.server) as c:
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": record.id})
    info = detail["restaurant"]
    assert info["name"].startswith(record.name)
    assert info["address"] == f"{record.street} {record.housenumber}, {district.district}, Helsinki"
    sites = list(sites_in(default_fixtures(), district))
    point = GeoPoint.model_validate(info["location"])
    assert min(abs(s.lat - point.lat) + abs(s.lng - point.lng) for s in sites) < 0.0002  # a few metres off
    template = service(grown).catalog.restaurants[record.template]
    items = [i for cat in detail["menu"]["categories"] for i in cat["items"]]
    assert [i["id"].removeprefix(f"itm_{record.id[4:]}_") for i in items] == [
        i.id.removeprefix(f"itm_{template.id[4:]}_") for cat in template.menu for i in cat.items
    ]
    assert all(i["id"].startswith(f"itm_{record.id[4:]}_") for i in items)


async def test_search_near_a_grown_restaurant_finds_it_by_a_dish_under_its_own_item_ids(grown: FoodEnv) -> None:
    svc = service(grown)
    record = next(r for r in grown_restaurants(default_fixtures(), SCALE) if "dumplings" in r.cuisines)
    dish = next(i for cat in svc.catalog.restaurants[record.template].menu for i in cat.items if not i.sold_out)
    async with Client(grown.server) as c:
        page = await ok(
            c,
            "food_search_restaurants",
            {"query": dish.name, "lat": record.lat, "lng": record.lng, "limit": 20, "sort": "distance"},
        )
    hit = next(r for r in page["restaurants"] if r["id"] == record.id)
    assert hit["distance_m"] < 10
    own = f"itm_{record.id[4:]}_{dish.id.rpartition('_')[2]}"
    assert own in [d["item_id"] for d in hit["matched_dishes"]]


async def test_a_grown_copy_of_a_chain_is_a_branch_of_that_chain(grown: FoodEnv) -> None:
    """A grown restaurant copies a real one's menu dish for dish: a copy of McDonald's (its Big Mac) was called
    'Golden Express'. A copy of a chain's restaurant is another branch of the chain, told apart by its street where
    the district has one already, as the real branches are; other copies keep their made-up names."""
    svc = service(grown)
    records = grown_restaurants(default_fixtures(), SCALE)
    branches = [r for r in records if svc.catalog.restaurants[r.template].name == "McDonald's"]
    assert len(branches) > 1
    assert all(r.name.startswith("McDonald's") and r.name_zh.startswith("麦当劳") for r in branches)
    assert len({(r.tile, r.name) for r in branches}) == len(branches)
    one_off = next(r for r in records if svc.catalog.restaurants[r.template].name == "Théhuone")
    assert not one_off.name.startswith("Théhuone")
    near = branches[-1]
    async with Client(grown.server) as c:
        page = await ok(c, "food_search_restaurants", {"query": "巨无霸", "lat": near.lat, "lng": near.lng, "limit": 20,
                                                        "sort": "distance"})  # fmt: skip
    hit = next(r for r in page["restaurants"] if r["id"] == near.id)
    assert hit["name"].startswith("McDonald's") and "Big Mac / 巨无霸" in [d["name"] for d in hit["matched_dishes"]]


async def test_a_grown_restaurant_shows_and_filters_its_matched_dishes_at_its_own_prices(grown: FoodEnv) -> None:
    """A grown restaurant sells its template's dishes at its own prices (dearer uptown): a matched dish shows that
    price, and a price said in the query is held against it, not against the template's (the search reads no menu:
    the factor is in the columns)."""
    svc = service(grown)
    record = next(r for r in grown_restaurants(default_fixtures(), SCALE) if growth.PRICE_FACTOR[r.variant] > 1.05)
    dish = max(
        (i for cat in svc.catalog.restaurants[record.template].menu for i in cat.items if not i.sold_out),
        key=lambda i: i.price_minor,
    )
    at = {"lat": record.lat, "lng": record.lng, "limit": 20, "sort": "distance"}
    own_id = f"itm_{record.id[4:]}_{dish.id.rpartition('_')[2]}"
    async with Client(grown.server) as c:
        menu = await ok(c, "food_get_restaurant", {"restaurant_id": record.id})
        prices = {i["id"]: i["price"]["amount_minor"] for cat in menu["menu"]["categories"] for i in cat["items"]}
        own = prices[own_id]
        assert own > dish.price_minor  # dearer than the template's: the case a template price would get wrong
        below = f"{dish.name} under {(own - 1) / 100:.2f} euros"
        pages = {q: await ok(c, "food_search_restaurants", {"query": q, **at}) for q in (dish.name, below)}
    hits = {q: next((r for r in page["restaurants"] if r["id"] == record.id), None) for q, page in pages.items()}
    plain = hits[dish.name]
    assert plain is not None and own_id in [d["item_id"] for d in plain["matched_dishes"]]
    assert all(d["price"]["amount_minor"] == prices[d["item_id"]] for d in plain["matched_dishes"])
    priced = hits[below]  # the dish costs a cent more here than the bound, though its template's price is under it
    assert priced is None or own_id not in [d["item_id"] for d in priced["matched_dishes"]], priced
    assert all(d["price"]["amount_minor"] < own for r in pages[below]["restaurants"] for d in r["matched_dishes"])


def plain_pass(svc: FoodService, near: GeoPoint, query: str, open_now: bool) -> list[str]:
    """What the search must return, by the pricing rules over every restaurant of the city (no grid, no columns):
    ids ordered by distance (the straight-line one each result shows, then by road), the sort whose key needs no
    text score."""
    now = svc.now()
    look = svc.index.lookup(query) if query else None
    cols = svc.catalog.columns
    found = []
    for i, rid in enumerate(cols.ids):
        rest = cols.record(i)
        if look is not None and not look.scores(np.array([i]), cols.template)[0]:
            continue
        distance = pricing.delivery_distance_m(rest, near)
        if distance > rest.delivery.radius_m or (open_now and not is_open(rest.opening_hours, now)):
            continue
        found.append((round(haversine_m(rest.location, near)), distance, rid))
    return [rid for *_, rid in sorted(found)]


@pytest.mark.parametrize(("query", "open_now"), [("", False), ("coffee", True), ("咖啡", False)])
async def test_the_indexed_search_pages_through_exactly_what_a_plain_pass_finds(
    grown: FoodEnv, query: str, open_now: bool
) -> None:
    near = GeoPoint(lat=60.1700 + tile(1).dlat, lng=24.9400 + tile(1).dlng / 2)  # between the centre and Kallio
    expected = plain_pass(service(grown), near, query, open_now)
    assert len(expected) > 20
    seen: list[str] = []
    cursor = ""
    async with Client(grown.server) as c:
        while True:
            args = {"query": query, "lat": near.lat, "lng": near.lng, "open_now": open_now, "sort": "distance"}
            page = await ok(c, "food_search_restaurants", args | {"limit": 17, "cursor": cursor})
            seen += [r["id"] for r in page["restaurants"]]
            assert page["page"]["total"] == len(expected)
            cursor = page["page"]["next_cursor"]
            if not cursor:
                break
    assert seen == expected


async def test_a_page_after_a_cursor_starts_after_its_restaurant_though_earlier_ones_closed_meanwhile(
    food: FoodEnv,
) -> None:
    """An offset cursor would skip a restaurant here: one on the first page closes before the second is asked."""
    args = {"open_now": True, "sort": "distance", "limit": 8}
    async with Client(food.server) as c:
        first = await ok(c, "food_search_restaurants", args)
        shown = [r["id"] for r in first["restaurants"]]
        svc = service(food)
        hours = [svc.catalog.restaurants[rid].opening_hours for rid in shown]
        start = food.clock.now()
        later = next(
            at
            for at in (start + timedelta(minutes=m) for m in range(15, 24 * 60, 15))
            if any(not is_open(h, at) for h in hours[:-1]) and is_open(hours[-1], at)
        )
        food.clock.set(later)
        second = await ok(c, "food_search_restaurants", args | {"cursor": first["page"]["next_cursor"]})
        fresh = await ok(c, "food_search_restaurants", args | {"limit": 20})
    now_listed = [r["id"] for r in fresh["restaurants"]]
    after = now_listed[now_listed.index(shown[-1]) + 1 :]
    assert [r["id"] for r in second["restaurants"]] == after[:8]
    assert not set(shown) & {r["id"] for r in second["restaurants"]}


async def test_a_grown_restaurant_takes_an_order_delivered_to_an_address_in_its_district(grown: FoodEnv) -> None:
    svc = service(grown)
    now = svc.now()
    record = next(
        r
        for r in grown_restaurants(default_fixtures(), SCALE)
        if r.tile == 2 and is_open(svc.catalog.restaurants[r.id].opening_hours, now)
    )
    async with Client(grown.server_for("usr_c000002")) as c:  # a crowd user living in tile 2
        home = (await ok(c, "food_list_addresses"))["addresses"][0]
        assert home["id"] == "adr_c000002_1"
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": record.id})
        item = orderable(detail)[0]
        need = detail["restaurant"]["min_order"]["amount_minor"]
        quantity = max(1, -(-need // item["price"]["amount_minor"]))
        await ok(
            c,
            "food_save_address",
            {"label": "Office", "street": record.street, "housenumber": record.housenumber,
             "lat": record.lat + 0.001, "lng": record.lng},
        )  # fmt: skip
        office = next(a for a in (await ok(c, "food_list_addresses"))["addresses"] if a["label"] == "Office")
        cart = await ok(
            c,
            "food_update_cart",
            {"restaurant_id": record.id, "replace_cart": True, "address_id": office["id"],
             "items": [{"item_id": item["id"], "quantity": quantity, "option_ids": pick_options(detail, item)}]},
        )  # fmt: skip
        assert cart["can_order"], cart["problems"]
        quote = await ok(c, "food_place_order", {})
        placed = await ok(c, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
    assert placed["order"]["restaurant_id"] == record.id
    assert placed["order"]["bill"]["total"] == quote["quote"]["bill"]["total"]


async def test_a_crowd_user_has_a_past_order_priced_as_the_bill_rules_say_and_can_order_it_again(
    grown: FoodEnv,
) -> None:
    async with Client(grown.server_for("usr_c000005")) as c:  # every fifth user ordered twice
        orders = (await ok(c, "food_list_orders", {}))["orders"]
        assert len(orders) == 2 and all(o["status"] == "delivered" for o in orders)
        order = await ok(c, "food_get_order", {"order_id": orders[0]["id"]})
        again = await ok(c, "food_update_cart", {"from_order_id": orders[0]["id"], "replace_cart": True})
    rest = service(grown).catalog.restaurants[order["restaurant_id"]]
    subtotal = sum(line["line_total"]["amount_minor"] for line in order["lines"])
    bill = pricing.build_bill(rest, subtotal, order["bill"]["distance_m"], None, "EUR")
    assert Bill.model_validate(order["bill"]) == bill
    assert order["bill"]["distance_m"] == pricing.delivery_distance_m(rest, GeoPoint(**order["address"]["location"]))
    for line in order["lines"]:
        _, item = service(grown).catalog.items[line["item_id"]]
        assert line["unit_price"]["amount_minor"] == item.price_minor + sum(
            o.price_delta_minor for g in item.option_groups for o in g.options if o.id in line["option_ids"]
        )
    assert [x["item_id"] for x in again["lines"]] == [x["item_id"] for x in order["lines"]]
    assert again.get("not_added", []) == []


def test_a_grown_sandbox_on_postgresql_loads_its_catalog_without_menus_and_reads_a_menu_by_id(
    tmp_path: Path,
) -> None:
    with scratch_pg("food_growth") as url:
        env = make_env(tmp_path, url, scale=2)
        try:
            svc = service(env)
            record = grown_restaurants(default_fixtures(), 2)[7]
            assert record.id in svc.catalog.columns.position and record.id not in svc.catalog.resident
            menu = svc.restaurant_detail("usr_demo", record.id).menu
            assert menu.categories and menu.categories[0].items[0].id.startswith(f"itm_{record.id[4:]}_")
        finally:
            env.engine.dispose()
