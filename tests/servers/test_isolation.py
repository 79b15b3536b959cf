"""Many users, one process per server, over streamable HTTP: every request acts for its bearer token's user, and
nobody reaches anybody else's cart, order, hold, ticket, address or attendee, by id or by guessing.

One process of each of the four servers serves both users, as a deployment would; their tokens come from the
sandbox (``lifestyle-mcp token``). Requests without a valid token are refused with 401 before any tool runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta

import httpx2

from shared.account.credentials import issue_token
from tests.conftest import free_port, serve_in_thread
from tests.sandboxes import VERTICALS, Lifestyle
from tests.servers.food.helpers import err, fill_cart, ok
from tests.servers.journeys import buy_event_tickets, buy_movie_tickets, confirm, hold_event_seats, hold_movie_seats
from tests.support import mcp_over_http

QUOTED_ID = re.compile(r"\b[a-z]{3}_[0-9a-f]{12}\b")
"""A random id as refusals quote it ('ord_e6096bb38668', 'cft_8803710db53d')."""


@contextmanager
def four_servers(env: Lifestyle) -> Iterator[dict[str, str]]:
    """Each vertical's MCP server on its own port with bearer-token auth; yields their /mcp URLs."""
    urls: dict[str, str] = {}
    with ExitStack() as stack:
        for vertical in VERTICALS:
            port = free_port()
            url = f"http://127.0.0.1:{port}/mcp"
            server = env.server(vertical, user="usr_nobody", public_url=url)  # the default user is never used
            stack.enter_context(serve_in_thread(server.streamable_http_app(), port=port))
            urls[vertical] = url
        yield urls


async def test_no_token_a_bad_one_or_an_expired_one_gets_401_and_the_metadata_says_where_to_get_one(
    lifestyle: Lifestyle,
) -> None:
    expired = issue_token(lifestyle.engine, "usr_alice", ttl=timedelta(seconds=-1))
    good = issue_token(lifestyle.engine, "usr_alice")
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}  # fmt: skip
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with four_servers(lifestyle) as urls:
        async with httpx2.AsyncClient(timeout=30) as http:
            for vertical, url in urls.items():
                answers = {
                    name: await http.post(url, json=init, headers=headers | auth)
                    for name, auth in (
                        ("none", {}),
                        ("bad", {"Authorization": "Bearer lsk_not-a-real-token"}),
                        ("expired", {"Authorization": f"Bearer {expired}"}),
                        ("not bearer", {"Authorization": f"Basic {good}"}),
                        ("good", {"Authorization": f"Bearer {good}"}),
                    )
                }
                metadata = await http.get(url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp"))
                assert {k: r.status_code for k, r in answers.items()} == {
                    "none": 401, "bad": 401, "expired": 401, "not bearer": 401, "good": 200,
                }, vertical  # fmt: skip
                challenge = answers["none"].headers["www-authenticate"]
                assert challenge.startswith("Bearer ") and "resource_metadata=" in challenge
                assert metadata.status_code == 200 and metadata.json()["resource"] == url


async def test_two_users_on_one_process_each_never_reach_the_others_things(lifestyle_any_db: Lifestyle) -> None:
    env = lifestyle_any_db
    alice_token, bob_token = issue_token(env.engine, "usr_alice"), issue_token(env.engine, "usr_bob")
    with four_servers(env) as urls:
        # ----- Alice's errands, over HTTP
        async with mcp_over_http(urls["food"], alice_token) as food:
            secret = await ok(food, "food_save_address", {"label": "Secret", "street": "Fabianinkatu",
                                                           "housenumber": "39", "notes": "door code 9999"})  # fmt: skip
            await fill_cart(food)
            meal = await confirm(food, "food_place_order", {})
            cancel_offer = await ok(food, "food_cancel_order", {"order_id": meal["order"]["id"]})
            await fill_cart(food)  # and something in her cart
        async with mcp_over_http(urls["tickets"], alice_token) as tickets:
            person = {"name": "Alice Virtanen", "id_type": "passport", "id_number": "XP1234567"}
            alice_attendee = await ok(tickets, "tickets_save_attendee", person)
            alice_event_hold = await hold_event_seats(tickets, 2)
            concert = await buy_event_tickets(tickets, 2)
        async with mcp_over_http(urls["movies"], alice_token) as movies:
            alice_movie_hold = await hold_movie_seats(movies, 2)
            film = await buy_movie_tickets(movies, 2)
        assert meal["order"]["address"]["label"] == "Home"  # it went to her own Home

        # ----- Bob's own hold, to try Alice's attendee on it
        async with mcp_over_http(urls["tickets"], bob_token) as tickets:
            bob_hold = await hold_event_seats(tickets, 1, skip=1)

        before = env.snapshot()
        refusals: list[str] = []
        async with mcp_over_http(urls["food"], bob_token) as food:
            cart = await ok(food, "food_get_cart")
            addresses = await ok(food, "food_list_addresses")
            orders = await ok(food, "food_list_orders", {})
            meal_id = meal["order"]["id"]
            her_token = cancel_offer["quote"]["confirmation_token"]
            refusals += [
                await err(food, "food_get_order", {"order_id": meal_id}),
                await err(food, "food_cancel_order", {"order_id": meal_id}),
                await err(food, "food_cancel_order", {"order_id": meal_id, "confirmation_token": her_token}),
                await err(food, "food_update_cart", {"address_id": secret["id"]}),
                await err(food, "food_get_restaurant", {"restaurant_id": cart.get("restaurant_id") or "rst_x",
                                                        "address_id": secret["id"]}),
                await err(food, "food_get_order", {"order_id": "ord_000000000000"}),
            ]  # fmt: skip
        async with mcp_over_http(urls["tickets"], bob_token) as tickets:
            ticket_orders = await ok(tickets, "tickets_list_orders", {})
            attendees = await ok(tickets, "tickets_list_attendees")
            refusals += [
                await err(tickets, "tickets_release_hold", {"hold_id": alice_event_hold["id"]}),
                await err(tickets, "tickets_purchase", {"hold_id": alice_event_hold["id"]}),
                await err(tickets, "tickets_purchase", {"hold_id": bob_hold["id"],
                                                        "attendee_ids": [alice_attendee["id"]]}),
                await err(tickets, "tickets_refund", {"order_id": concert["order"]["id"]}),
                await err(tickets, "tickets_refund", {"order_id": concert["order"]["id"],
                                                      "ticket_ids": [concert["order"]["tickets"][0]["id"]]}),
                await err(tickets, "tickets_release_hold", {"hold_id": "hld_000000000000"}),
            ]  # fmt: skip
        async with mcp_over_http(urls["movies"], bob_token) as movies:
            movie_orders = await ok(movies, "movies_list_orders", {})
            refusals += [
                await err(movies, "movies_release_hold", {"hold_id": alice_movie_hold["id"]}),
                await err(movies, "movies_purchase", {"hold_id": alice_movie_hold["id"]}),
                await err(movies, "movies_refund", {"order_id": film["order"]["id"]}),
                await err(movies, "movies_search_cinemas", {"address": secret["id"]}),
            ]
        async with mcp_over_http(urls["nav"], bob_token) as nav:
            refusals += [await err(nav, "nav_route", {"origin": secret["id"], "destination": "Kiasma"})]
            his_secret = await nav.call_tool("nav_geocode", {"query": "Secret"})
        after = env.snapshot()

    assert after == before  # nothing Bob tried changed anything
    assert cart["lines"] == [] and orders["orders"] == []
    assert "Secret" not in str(addresses) and "9999" not in str(addresses)
    assert ticket_orders["orders"] == [] and movie_orders["orders"] == [] and attendees["attendees"] == []
    for page in (orders, ticket_orders, movie_orders):  # his wallet only: none of Alice's charges
        assert [e["kind"] for e in page["wallet"]["latest"]] == ["opening"], page["wallet"]
    assert all(("No " in r or "unknown" in r or "not " in r) for r in refusals), refusals
    # the ids a refusal quotes are random hex, which may hold '9999' (a fresh clone's CI once failed on one)
    said = [QUOTED_ID.sub("<id>", r) for r in refusals]
    assert all("usr_alice" not in r and "9999" not in r for r in said), said
    assert "9999" not in QUOTED_ID.sub("<id>", str(his_secret.content))
    assert "saved" not in str(his_secret.structured_content)


async def test_one_user_sees_the_same_account_from_every_server_over_http(lifestyle: Lifestyle) -> None:
    token = issue_token(lifestyle.engine, "usr_carol")
    with four_servers(lifestyle) as urls:
        async with mcp_over_http(urls["food"], token) as food:
            saved = await ok(food, "food_save_address", {"label": "Mökki", "street": "Fabianinkatu",
                                                          "housenumber": "39"})  # fmt: skip
            await fill_cart(food)
            meal = await confirm(food, "food_place_order", {})
        async with mcp_over_http(urls["nav"], token) as nav:
            route = await ok(nav, "nav_route", {"origin": "mökki", "destination": "Kiasma", "mode": "walking"})
        async with mcp_over_http(urls["movies"], token, mode="legacy") as movies:
            film = await buy_movie_tickets(movies, 1)
    assert route["origin"]["location"] == saved["location"]
    assert film["wallet"]["amount_minor"] == meal["wallet"]["amount_minor"] - film["order"]["bill"]["total"][
        "amount_minor"]  # fmt: skip


async def test_a_deployment_plugs_in_its_own_token_verifier_by_setting(lifestyle: Lifestyle) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    server = lifestyle.server("food", public_url=url, token_verifier="tests.servers.plugged_verifier:build")
    sandbox_token = issue_token(lifestyle.engine, "usr_alice")  # the sandbox's own tokens are not this server's
    with serve_in_thread(server.streamable_http_app(), port=port):
        async with mcp_over_http(url, "issuer-token-for-carol") as food:
            book = await ok(food, "food_list_addresses")
        async with httpx2.AsyncClient(timeout=30) as http:
            refused = await http.post(url, json={}, headers={"Authorization": f"Bearer {sandbox_token}"})
            nobody = await http.post(url, json={}, headers={"Authorization": "Bearer issuer-token-for-nobody"})
    carols = lifestyle.sandbox.accounts.list_addresses("usr_carol").addresses
    assert [a["id"] for a in book["addresses"]] == [a.id for a in carols]
    assert refused.status_code == 401
    assert nobody.status_code == 401  # a token that names no user never acts for the server's local user
