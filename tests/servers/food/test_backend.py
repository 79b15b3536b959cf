"""The provider API on its own: the contract a real Ele.me adapter would implement."""

from __future__ import annotations

import asyncio

import httpx
from mcp import Client

from shared.kit.client import IN_PROCESS_BASE
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import fill_cart, ok, orderable, pick_options
from tests.support import auth


def client(env: FoodEnv, user: str = "usr_demo") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=env.app), base_url=IN_PROCESS_BASE, headers=auth(env.app, user)
    )


async def test_the_openapi_document_lists_every_route_and_the_error_body(food: FoodEnv) -> None:
    async with client(food) as http:
        spec = (await http.get("/openapi.json")).json()
    paths = set(spec["paths"])
    assert {
        "/restaurants",
        "/restaurants/{restaurant_id}",
        "/cart",
        "/orders",
        "/orders/quote",
        "/orders/{order_id}/cancel",
        "/account/addresses",
        "/account",
        "/account/wallet",
    } <= paths
    assert "ErrorBody" in spec["components"]["schemas"]


async def test_errors_carry_a_status_code_and_a_hint(food: FoodEnv) -> None:
    async with client(food) as http:
        missing = await http.get("/restaurants/rst_missing")
        invalid = await http.put("/cart", json={"restaurant_id": "rst_x", "items": [{"item_id": 1}]})
        unknown_user = await http.get("/account", headers=auth(food.app, "usr_ghost"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found" and missing.json()["hint"]
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"
    assert unknown_user.status_code == 404


async def test_search_results_are_sorted_as_asked(food: FoodEnv) -> None:
    async with client(food) as http:
        by_fee = (await http.get("/restaurants", params={"sort": "fee", "limit": 30})).json()["restaurants"]
        by_rating = (await http.get("/restaurants", params={"sort": "rating", "limit": 30})).json()["restaurants"]
        by_eta = (await http.get("/restaurants", params={"sort": "delivery_time", "limit": 50})).json()["restaurants"]
    fees = [r["delivery_fee"]["amount_minor"] for r in by_fee]
    ratings = [r["rating"] for r in by_rating]
    etas = [r["eta_minutes"] for r in by_eta]  # ranked in arrays (columns.eta), shown one by one (pricing.eta_minutes)
    assert fees == sorted(fees) and ratings == sorted(ratings, reverse=True)
    assert etas == sorted(etas) and len(set(etas)) > 3


async def test_the_admin_clock_moves_simulated_time_for_the_admin_only(food: FoodEnv) -> None:
    admin = auth(food.app, "", "admin")
    async with client(food) as http:
        before = (await http.get("/admin/clock", headers=admin)).json()
        after = (await http.post("/admin/clock", json={"advance_seconds": 3600}, headers=admin)).json()
        as_user = await http.post("/admin/clock", json={"advance_seconds": 3600})
        anonymous = await http.get("/admin/clock", headers={"Authorization": ""})
    assert before["scale"] == 0
    assert after["now"] > before["now"]
    assert as_user.status_code == 403 and anonymous.status_code == 401


async def test_saving_an_address_looks_up_real_street_coordinates(food: FoodEnv) -> None:
    async with client(food) as http:
        saved = (await http.get("/account/addresses")).json()["addresses"][0]
        body = {"label": "Office", "street": saved["street"], "housenumber": saved["housenumber"]}
        created = await http.post("/account/addresses", json=body)
        again = await http.post("/account/addresses", json={**body, "notes": "3rd floor"})
        listed = (await http.get("/account/addresses")).json()["addresses"]
    assert created.status_code == 200, created.text
    assert created.json()["location"]["lat"] > 60
    assert again.json()["id"] == created.json()["id"] and again.json()["notes"] == "3rd floor"
    assert len([a for a in listed if a["label"] == "Office"]) == 1


async def test_an_order_and_a_cart_change_at_the_same_moment_never_lose_the_change(food_any_db: FoodEnv) -> None:
    """Two agents of one user: one confirms the order while the other adds a dish. The dish ends up in the order
    (the order saw it), in the cart (it came after), or the order is refused as changed; never nowhere."""
    env = food_any_db
    async with Client(env.server) as c:
        cart = await fill_cart(c)
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": cart["restaurant_id"]})
    base = [{"item_id": x["item_id"], "quantity": x["quantity"], "option_ids": x["option_ids"]} for x in cart["lines"]]
    extra = next(i for i in orderable(detail) if i["id"] not in {x["item_id"] for x in base})
    line = {"item_id": extra["id"], "quantity": 1, "option_ids": pick_options(detail, extra)}

    async with client(env) as http:
        for _ in range(8):
            await http.put("/cart", json={"clear": True})
            await http.put("/cart", json={"restaurant_id": cart["restaurant_id"], "items": base})
            quote = (await http.post("/orders/quote", json={})).json()
            placed, updated = await asyncio.gather(
                http.post("/orders", json={"confirmation_token": quote["confirmation_token"]}),
                http.put("/cart", json={"restaurant_id": cart["restaurant_id"], "items": [line]}),
            )
            now_in_cart = {x["item_id"] for x in (await http.get("/cart")).json()["lines"]}
            ordered = {x["item_id"] for x in placed.json()["lines"]} if placed.status_code == 200 else set()
            assert updated.status_code == 200, updated.text
            assert placed.status_code in (200, 409), placed.text
            assert extra["id"] in ordered | now_in_cart
            assert not (ordered & now_in_cart)  # and nothing ordered comes back into the cart
