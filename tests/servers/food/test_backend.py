"""The provider API on its own: the contract a real Ele.me adapter would implement."""

from __future__ import annotations

import httpx

from shared.kit.client import IN_PROCESS_BASE
from tests.servers.food.conftest import FoodEnv
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
    fees = [r["delivery_fee"]["amount_minor"] for r in by_fee]
    ratings = [r["rating"] for r in by_rating]
    assert fees == sorted(fees) and ratings == sorted(ratings, reverse=True)


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
