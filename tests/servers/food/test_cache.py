"""Catalog answers kept by the client: repeats skip the backend, and nothing stale or foreign is ever served.

The backend names every catalog answer with an ETag (the simulated minute and a write
generation); the kit's client keeps answers and reuses one only while the backend still
reports that tag. These tests move the state underneath a kept answer in every way it can
move: the clock passes closing time, another client rewrites the address searches start
from, and another user asks the same question.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from mcp import Client

from servers.food.client import FoodClient
from servers.food.server import build_server
from shared.account import open_sandbox
from shared.schemas.account import Address, AddressInput
from shared.schemas.common import GeoPoint
from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import ok
from tests.support import provider

ELSEWHERE = {"lat": 60.1717823, "lng": 24.9454723}  # another street in the centre


def count_requests(env: FoodEnv) -> list[str]:
    """Every request that reaches the backend app, as 'METHOD path'."""
    seen: list[str] = []

    class Counter:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                seen.append(f"{scope['method']} {scope['path']}")
            await self.app(scope, receive, send)

    env.app.add_middleware(Counter)
    return seen


def closing_minute(hours_today: str) -> tuple[int, int] | None:
    """When the last opening interval of the day ends, if that is between lunch and midnight."""
    end = hours_today.split("–")[-1].strip()
    if len(end) != 5 or ":" not in end:
        return None
    hour, minute = int(end[:2]), int(end[3:])
    return (hour, minute) if (13, 0) <= (hour, minute) <= (23, 58) else None


async def test_repeated_catalog_reads_skip_the_backend_and_return_the_same_answer(food: FoodEnv) -> None:
    seen = count_requests(food)
    async with Client(food.server) as c:
        first = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 5})
        after_search = len(seen)
        again = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 5})
        rid = first["restaurants"][0]["id"]
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": rid})
        after_detail = len(seen)
        detail_again = await ok(c, "food_get_restaurant", {"restaurant_id": rid})
        other = await ok(c, "food_search_restaurants", {"query": "pizza", "limit": 6})
    assert again == first and detail_again == detail
    assert seen[after_search - 1].startswith("GET /restaurants")
    assert len(seen) == after_detail + 1  # only the search with other arguments went out
    assert len(other["restaurants"]) == 6


async def test_a_kept_answer_is_not_served_once_the_clock_passes_closing_time(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        page = await ok(c, "food_search_restaurants", {"open_now": True, "sort": "rating", "limit": 20})
        rest = next(r for r in page["restaurants"] if closing_minute(r["hours_today"]))
        args = {"open_now": True, "sort": "rating", "limit": 20}
        before = await ok(c, "food_get_restaurant", {"restaurant_id": rest["id"]})
        assert (await ok(c, "food_get_restaurant", {"restaurant_id": rest["id"]})) == before
        hour, minute = closing_minute(rest["hours_today"]) or (0, 0)
        closes = food.clock.now().replace(hour=hour, minute=minute, second=0)
        # open means it would still cook an order placed now: accepted 2 minutes on, cooked from 3, ready in prep
        prep = food.app.state.service.catalog.restaurants[rest["id"]].prep_minutes
        food.clock.set(closes - timedelta(minutes=3 + prep))
        last_minute = await ok(c, "food_get_restaurant", {"restaurant_id": rest["id"]})
        food.clock.set(closes - timedelta(minutes=2 + prep))  # open by its hours, but the food would be late
        too_late = await ok(c, "food_get_restaurant", {"restaurant_id": rest["id"]})
        page_too_late = await ok(c, "food_search_restaurants", args)
        food.clock.set(closes + timedelta(minutes=1))
        after = await ok(c, "food_get_restaurant", {"restaurant_id": rest["id"]})
        page_after = await ok(c, "food_search_restaurants", args)
    assert before["restaurant"]["is_open"] and last_minute["restaurant"]["is_open"]
    assert not too_late["restaurant"]["is_open"] and not after["restaurant"]["is_open"]
    assert rest["id"] not in {r["id"] for r in page_after["restaurants"] + page_too_late["restaurants"]}


@pytest.mark.parametrize("writer", ["this server", "another client", "another process"])
async def test_moving_the_default_address_changes_the_next_search(food: FoodEnv, writer: str) -> None:
    async with Client(food.server) as c:
        home = (await ok(c, "food_list_addresses"))["addresses"][0]
        before = await ok(c, "food_search_restaurants", {"limit": 5})
        detail_before = await ok(c, "food_get_restaurant", {"restaurant_id": before["restaurants"][0]["id"]})
        moved = {"label": home["label"], "street": "Mikonkatu", "housenumber": "8", **ELSEWHERE}
        if writer == "this server":
            await ok(c, "food_save_address", moved)
        elif writer == "another client":  # the same account, changed behind this server's back
            body = {k: v for k, v in moved.items() if k not in ELSEWHERE} | {"location": ELSEWHERE}
            async with provider(food.app) as other:
                assert (await other.post("/account/addresses", json=body)).status_code == 200
        else:  # another server's process on the same sandbox (its own engine, clock and caches)
            other_sandbox = open_sandbox(food.settings)
            try:
                other_sandbox.accounts.save_address("usr_demo", AddressInput(
                    label=home["label"], street="Mikonkatu", housenumber="8", location=GeoPoint(**ELSEWHERE)
                ))  # fmt: skip
            finally:
                other_sandbox.engine.dispose()
        after = await ok(c, "food_search_restaurants", {"limit": 5})
        detail_after = await ok(c, "food_get_restaurant", {"restaurant_id": before["restaurants"][0]["id"]})
    assert before["near"] == home["location"]
    assert after["near"] == ELSEWHERE
    assert detail_after["restaurant"]["distance_m"] != detail_before["restaurant"]["distance_m"]


async def test_an_account_created_with_an_address_after_a_call_in_its_name_is_served_from_that_address(
    food: FoodEnv,
) -> None:
    """A call made for an id before the account existed is refused for want of an address; the account then made
    with one (``add_user``, as the evals make theirs) is served from it at once, not from what was kept."""
    async with Client(food.server_for("usr_later")) as c:
        early = await c.call_tool("food_search_restaurants", {"limit": 3})
        food.sandbox.accounts.add_user("usr_later", "Later", addresses=[Address(
            id="adr_later", label="Home", street="Mikonkatu", housenumber="8", location=GeoPoint(**ELSEWHERE)
        )])  # fmt: skip
        page = await ok(c, "food_search_restaurants", {"limit": 3})
    assert early.is_error
    assert page["near"] == ELSEWHERE


async def test_two_users_asking_the_same_question_each_get_their_own_answer(food: FoodEnv) -> None:
    alice = build_server(food.settings.model_copy(update={"user": "usr_alice"}), app=food.app)
    async with Client(food.server) as demo_client, Client(alice) as alice_client:
        demo_addresses = (await ok(demo_client, "food_list_addresses"))["addresses"]
        alice_addresses = (await ok(alice_client, "food_list_addresses"))["addresses"]
        pages = {}
        for _ in range(2):  # the second round would be served from whatever each client kept
            pages["demo"] = await ok(demo_client, "food_search_restaurants", {"limit": 5})
            pages["alice"] = await ok(alice_client, "food_search_restaurants", {"limit": 5})
    assert pages["demo"]["near"] == demo_addresses[0]["location"]
    assert pages["alice"]["near"] == alice_addresses[0]["location"]
    assert pages["demo"]["near"] != pages["alice"]["near"]


async def test_over_the_network_a_kept_answer_is_revalidated_with_a_conditional_get(food: FoodEnv) -> None:
    statuses: list[int] = []

    async def record(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    http = provider(food.app, event_hooks={"response": [record]})
    client = FoodClient(http)  # no in-process app to ask: every reuse is a conditional GET
    try:
        page = await client.search_restaurants(limit=20, open_now=True, sort="rating")
        rest = next(r for r in page.restaurants if closing_minute(r.hours_today))
        first = await client.get_restaurant(rest.id)
        again = await client.get_restaurant(rest.id)
        hour, minute = closing_minute(rest.hours_today) or (0, 0)
        food.clock.set(food.clock.now().replace(hour=hour, minute=minute) + timedelta(minutes=1), backwards=True)
        closed = await client.get_restaurant(rest.id)
    finally:
        await client.aclose()
    assert statuses == [200, 200, 304, 200]
    assert again is first
    assert first.restaurant.is_open and not closed.restaurant.is_open


async def test_catalog_answers_carry_a_validator_that_changes_with_the_minute(food: FoodEnv) -> None:
    async with provider(food.app) as http:
        first = await http.get("/restaurants", params={"limit": 3})
        tag = first.headers["etag"]
        same = await http.get("/restaurants", params={"limit": 3}, headers={"If-None-Match": tag})
        food.clock.advance(timedelta(seconds=61))
        later = await http.get("/restaurants", params={"limit": 3}, headers={"If-None-Match": tag})
        orders = await http.get("/orders")
    assert "no-cache" in first.headers["cache-control"] and "private" in first.headers["cache-control"]
    assert same.status_code == 304 and same.content == b""
    assert later.status_code == 200 and later.headers["etag"] != tag
    assert "etag" not in orders.headers  # only catalog reads are declared cacheable
