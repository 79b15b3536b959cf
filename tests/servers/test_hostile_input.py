"""Hostile input at both edges (issue 11): through the MCP protocol on every server, and at a provider's HTTP API.

Every hostile call ends in an ``Error: `` tool error a model can act on (never the masked "failed inside the
server"), under 1 KB however much was sent, and nothing is stored. NUL bytes matter on PostgreSQL, which refuses
them only when a row is written, so the tests that write run on both databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, MCPError
from mcp.types import INVALID_PARAMS, TextContent

from servers.nav.backend.graph import RoadNetwork
from shared.errors import ErrorBody
from shared.kit.hygiene import EDGE_BODY_MAX, EDGE_URL_MAX, ITEMS_MAX
from tests.sandboxes import VERTICALS, Lifestyle, make_lifestyle
from tests.servers.food.conftest import FoodEnv, make_env
from tests.servers.food.helpers import fill_cart, ok
from tests.support import provider

MB = 1_000_000
BRIEF = 1024  # bytes an error may take, whatever was sent


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def untouched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, network: RoadNetwork
) -> Iterator[Lifestyle]:
    """One sandbox per database for the tests here that must store nothing (each proves it with a snapshot)."""
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_lifestyle(tmp_path_factory.mktemp("hostile"), network, url)
    yield env
    env.engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def food_any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FoodEnv]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else ""
    env = make_env(tmp_path, url)
    yield env
    env.engine.dispose()


async def refused(c: Client, tool: str, args: dict[str, Any]) -> str:
    """Call a tool that must refuse: an actionable tool error, briefly. Returns its text."""
    result = await c.call_tool(tool, args)
    first = result.content[0] if result.content else None
    text = first.text if isinstance(first, TextContent) else ""
    assert result.is_error, f"{tool} accepted {str(args)[:200]}: {text[:200]}"
    assert text.startswith("Error: ") and "inside the server" not in text and "Error executing tool" not in text, text
    assert len(text.encode()) < BRIEF, f"{tool}: a {len(text.encode()):,}-byte error"
    return text


def is_id(name: str) -> bool:
    return name in ("cursor", "confirmation_token") or name.endswith(("_id", "_ids"))


def placeholder(prop: dict[str, Any]) -> Any:
    """A harmless value of the parameter's type, for the required parameters beside the one under test."""
    kind = prop["type"]
    if "enum" in prop:
        return prop["enum"][0]
    if kind == "array":
        return [placeholder(prop["items"])]
    if kind == "object":
        return {name: placeholder(sub) for name, sub in prop["properties"].items()}
    return {"string": "x", "integer": 1, "number": 0, "boolean": False}[kind]


def hostile(name: str, prop: dict[str, Any]) -> Iterator[Any]:
    """Values no parameter like this may accept: too big, too many, or not text at all."""
    kind = prop["type"]
    if kind == "string":
        yield from ("x" * MB, "a\x00b", "a\x1b[2Jb", "a\ud800b")
        if is_id(name):
            # cannot be sent as a header, or be one path segment (a name said for an id may hold 'ä' and spaces)
            yield "cft_ä" if name == "confirmation_token" else "ord_1/../x"
    elif kind == "integer":
        yield from (2**63, -(2**63), 10**30, "9" * 30)
    elif kind == "number":
        yield from (1e300, -1e300)
    elif kind == "array":
        many = [placeholder(prop["items"])] * 10_000
        yield from (many, json.dumps(many))  # the second as clients that send arrays as JSON text do
        for value in hostile(name, prop["items"]):
            yield [value]
    elif kind == "object":
        base = placeholder(prop)
        for sub, sub_prop in prop["properties"].items():
            for value in hostile(sub, sub_prop):
                yield base | {sub: value}


async def test_hostile_values_in_every_parameter_of_every_tool_are_refused_briefly_and_store_nothing(
    untouched: Lifestyle,
) -> None:
    env = untouched
    before = env.snapshot()
    calls = 0
    for vertical in VERTICALS:
        async with Client(env.server(vertical)) as c:
            for tool in (await c.list_tools()).tools:
                schema = tool.input_schema
                required = {n: placeholder(schema["properties"][n]) for n in schema.get("required", [])}
                for name, prop in schema["properties"].items():
                    for value in hostile(name, prop):
                        text = await refused(c, tool.name, required | {name: value})
                        assert name in text, text  # it names the argument to fix
                        calls += 1
    assert calls > 400
    assert env.snapshot() == before


async def test_text_with_a_nul_or_control_character_is_refused_before_anything_is_stored(
    food_any_db: FoodEnv,
) -> None:
    """Addresses, order notes and cancel reasons: each refused whole, before the quote as after it; line breaks,
    tabs and any script are text, stored and read back as sent."""
    env = food_any_db
    async with Client(env.server) as food:
        await fill_cart(food)
        before = env.snapshot()
        address = {"label": "Work", "street": "Mannerheimintie", "housenumber": "1"}
        assert "street" in await refused(food, "food_save_address", address | {"street": "Mannerheimintie\x00"})
        assert "notes" in await refused(food, "food_save_address", address | {"notes": "ring\x07"})
        assert "note" in await refused(food, "food_place_order", {"note": "door code\x00 12"})
        assert env.snapshot() == before
        quote = await ok(food, "food_place_order", {"note": "door code 12"})
        quoted = env.snapshot()
        token = quote["quote"]["confirmation_token"]
        assert "note" in await refused(food, "food_place_order", {"note": "door\x00", "confirmation_token": token})
        assert env.snapshot() == quoted

        note = "door code 12\n\tring twice ☎ 🙂 门铃"
        quote = await ok(food, "food_place_order", {"note": note})
        done = await ok(
            food, "food_place_order", {"note": note, "confirmation_token": quote["quote"]["confirmation_token"]}
        )
        order_id = done["order"]["id"]
        assert (await ok(food, "food_get_order", {"order_id": order_id}))["note"] == note
        async with provider(env.app) as http:  # and the provider's guard hands the route the body as it came
            address = {
                "label": "Työ 工作",
                "street": "Mannerheimintie",
                "housenumber": "1",
                "notes": "ring\tthen\nwait",
            }
            saved = await http.post("/account/addresses", json=address)
        assert saved.status_code == 200, saved.text
        assert (saved.json()["label"], saved.json()["notes"]) == (address["label"], address["notes"])

        placed = env.snapshot()
        assert "reason" in await refused(food, "food_cancel_order", {"order_id": order_id, "reason": "late\x00"})
        assert env.snapshot() == placed
        quote = await ok(food, "food_cancel_order", {"order_id": order_id, "reason": "late"})
        quoted = env.snapshot()
        token = quote["quote"]["confirmation_token"]
        cancel = {"order_id": order_id, "reason": "late\x00", "confirmation_token": token}
        assert "reason" in await refused(food, "food_cancel_order", cancel)
        assert env.snapshot() == quoted
        assert (await ok(food, "food_get_order", {"order_id": order_id}))["status"] != "cancelled"


async def test_a_confirmation_token_that_is_not_ascii_is_refused_and_the_real_one_still_works(
    food_any_db: FoodEnv,
) -> None:
    env = food_any_db
    async with Client(env.server) as food:
        await fill_cart(food)
        quote = await ok(food, "food_place_order", {})
        token = quote["quote"]["confirmation_token"]
        before = env.snapshot()
        for bad in (token + "ä", "cft_☃", token.replace("cft_", "cft_\u200b"), token + "\ud800", token + "\n"):
            assert "confirmation_token" in await refused(food, "food_place_order", {"confirmation_token": bad})
        assert env.snapshot() == before
        done = await ok(food, "food_place_order", {"confirmation_token": token})
    assert done["status"] == "done"


async def test_a_query_too_long_for_a_url_is_refused_by_the_tool_not_by_the_http_client(untouched: Lifestyle) -> None:
    """httpx cannot build a URL with a query over 64 KB; the argument is refused long before, by name."""
    async with Client(untouched.server("food")) as food, Client(untouched.server("nav")) as nav:
        assert "query" in await refused(food, "food_search_restaurants", {"query": "ä" * 70_000})
        assert "query" in await refused(nav, "nav_search_places", {"query": "pizza " * 12_000})


async def test_text_within_every_bound_that_still_makes_too_long_a_url_gets_an_error_that_says_so(
    untouched: Lifestyle,
) -> None:
    """Each argument is within its bound, but four bytes a character, percent-encoded, add up past the provider's
    URL limit: the provider's 414 reaches the model as a sentence, not as a crash."""
    emoji = "😀"
    args = {"address": emoji * 500, "language": emoji * 500, "date": emoji * 64, "time_from": emoji * 64}
    async with Client(untouched.server("movies")) as movies:
        text = await refused(movies, "movies_find_showtimes", args)
    assert f"at most {EDGE_URL_MAX:,}" in text and "Send less text" in text


async def test_an_argument_a_tool_does_not_take_is_refused_with_the_name_it_takes_and_changes_nothing(
    untouched: Lifestyle,
) -> None:
    """The SDK drops unknown names: ``near='Kamppi'`` searched around the city centre and said nothing of it (nav
    takes near now; ``around`` stands for any name a tool does not take)."""
    env = untouched
    before = env.snapshot()
    async with Client(env.server("nav")) as nav, Client(env.server("food")) as food:
        text = await refused(nav, "nav_search_places", {"query": "pharmacy", "around": "Kamppi"})
        assert "takes no argument 'around'" in text and "lat, lng, radius_m" in text, text
        text = await refused(nav, "nav_search_places", {"query": "pharmacy", "radius": 500})
        assert "'radius' (did you mean 'radius_m'?)" in text, text
        text = await refused(food, "food_update_cart", {"restaurant_id": "rst_x", "items": [], "coupon_id": "c"})
        assert "takes no argument 'coupon_id' (did you mean 'coupon_code'?)" in text, text
        text = await refused(food, "food_list_addresses", {"user": "usr_other"})
        assert "it takes no arguments" in text, text
        filler = await food.call_tool("food_list_addresses", {"random_string": "x"})  # a client's own, not the model's
        assert not filler.is_error, filler.content
        for tool in (await food.list_tools()).tools:  # every tool, those that take no arguments too
            assert "takes no argument 'zz_unknown'" in await refused(food, tool.name, {"zz_unknown": 1})
    assert env.snapshot() == before


async def test_an_argument_named_as_other_apis_name_it_is_pointed_at_ours(untouched: Lifestyle) -> None:
    """'max_price' was refused with every argument listed but no guess (price_max_minor spells it in another order),
    so a model had to find it in a list of thirteen; a name another API uses for the same part ('page_size', 'q',
    'startDate') is pointed at ours, and a name two of ours share words with names both."""
    before = untouched.snapshot()
    async with Client(untouched.server("tickets")) as tickets:
        guesses = {
            name: await refused(tickets, "tickets_search_events", {name: value})
            for name, value in (("max_price", 40), ("startDate", "2026-12-24"), ("page_size", 5), ("q", "Giselle"),
                                ("price", 40))
        }  # fmt: skip
    assert "'max_price' (did you mean 'price_max_minor'?)" in guesses["max_price"]
    assert "'startDate' (did you mean 'date_from'?)" in guesses["startDate"]
    assert "'page_size' (did you mean 'limit'?)" in guesses["page_size"]
    assert "'q' (did you mean 'query'?)" in guesses["q"]
    assert "'price' (did you mean 'price_min_minor' or 'price_max_minor'?)" in guesses["price"]
    async with Client(untouched.server("movies")) as movies:
        film = await refused(movies, "movies_find_showtimes", {"film_id": "mov_q13417189"})
        title = await refused(movies, "movies_search_movies", {"title": "Interstellar"})
    assert "'film_id' (did you mean 'movie_id'?)" in film, film  # it said cinema_id, a near spelling
    assert "'title' (did you mean 'query'?)" in title, title
    assert untouched.snapshot() == before


async def test_too_many_items_and_out_of_range_numbers_are_refused_before_validation_spends_time_on_them(
    untouched: Lifestyle,
) -> None:
    async with Client(untouched.server("food")) as food, Client(untouched.server("movies")) as movies:
        line = {"item_id": "itm_x", "quantity": 1}
        text = await refused(food, "food_update_cart", {"restaurant_id": "rst_x", "items": [line] * 100_000})
        assert f"at most {ITEMS_MAX}" in text
        text = await refused(
            food, "food_update_cart", {"restaurant_id": "rst_x", "items": [line | {"quantity": 2**40}]}
        )
        assert "items[0].quantity" in text and "2,147,483,647" in text
        seats = json.dumps([f"A-ROW1-SEAT{n}" for n in range(10_000)])
        assert "seat_ids" in await refused(movies, "movies_hold_seats", {"showtime_id": "sht_x", "seat_ids": seats})


async def test_the_sdks_own_validation_errors_quote_at_most_a_line_of_what_was_sent(untouched: Lifestyle) -> None:
    """Values the SDK's validation refuses (a wrong enum value, unknown keys) are quoted briefly too."""
    async with Client(untouched.server("nav")) as nav, Client(untouched.server("food")) as food:
        text = await refused(nav, "nav_route", {"origin": "Oodi", "destination": "Kiasma", "mode": "teleport" * MB})
        assert "mode" in text and "(8,000,000 characters)" in text
        line = {"item_id": "itm_x", "quantity": 1, "k" * 100_000: 1}
        text = await refused(food, "food_update_cart", {"restaurant_id": "rst_x", "items": [line] * ITEMS_MAX})
        assert "Extra inputs are not permitted" in text and "more problems" in text
        text = await refused(food, "x" * MB, {})
        assert "no tool" in text


# ----- the provider's HTTP edge ------------------------------------------------------------------------------
def refusal(response: httpx.Response, status: int) -> ErrorBody:
    assert response.status_code == status, response.text[:300]
    assert len(response.content) < BRIEF
    return ErrorBody.model_validate_json(response.content)


async def test_the_provider_refuses_an_oversized_url_or_body_before_reading_it(untouched: Lifestyle) -> None:
    async def chunks() -> Any:
        for _ in range(EDGE_BODY_MAX // 1000 + 2):
            yield b" " * 1000

    before = untouched.snapshot()
    async with provider(untouched.apps["food"]) as http:
        long_url = await http.get("/restaurants", params={"query": "x" * EDGE_URL_MAX})
        assert refusal(long_url, 414).code == "uri_too_long"
        declared = await http.post("/account/addresses", content=b" " * (EDGE_BODY_MAX + 1))
        assert refusal(declared, 413).code == "too_large"
        streamed = await http.post("/account/addresses", content=chunks())
        assert refusal(streamed, 413).code == "too_large"
    assert untouched.snapshot() == before


async def test_the_provider_refuses_control_characters_and_overlong_strings_in_the_query_or_json(
    untouched: Lifestyle,
) -> None:
    env = untouched
    address = {"label": "Work", "street": "Mannerheimintie", "housenumber": "1"}
    before = env.snapshot()
    async with provider(env.apps["food"]) as http:
        nul_query = await http.get("/restaurants", params={"query": "pizza\x00"})
        assert "U+0000" in refusal(nul_query, 422).message
        nul_body = await http.post("/account/addresses", json=address | {"street": "Mannerheimintie\x00"})
        assert "body.street" in refusal(nul_body, 422).message
        surrogate = await http.post(
            "/account/addresses",
            content=b'{"label": "Work", "street": "Mannerheimintie\\ud800", "housenumber": "1"}',
            headers={"Content-Type": "application/json"},
        )
        assert "U+D800" in refusal(surrogate, 422).message
        overlong = await http.post("/account/addresses", json=address | {"notes": "n" * 5000})
        assert "body.notes" in refusal(overlong, 422).message
        nested = await http.put("/cart", content=b"[" * 100_000, headers={"Content-Type": "application/json"})
        assert "nested" in refusal(nested, 422).message
        many = await http.put("/cart", json={"items": [{"item_id": "itm_x", "quantity": 1, "k" * 3000: 1}] * 60})
        assert "more" in refusal(many, 422).message
    assert env.snapshot() == before


async def test_resource_uris_and_prompt_arguments_get_the_hygiene_tool_arguments_get(untouched: Lifestyle) -> None:
    """Their errors are protocol errors (INVALID_PARAMS), short, and never the masked internal error."""
    async with Client(untouched.server("food")) as food:
        for uri in (
            f"food://restaurants/{'x' * 100_000}/menu",  # the SDK's "Unknown resource" used to quote it whole
            "food://restaurants/rst_%00/menu",
            "food://restaurants/rst_%ED%A0%80/menu",  # a surrogate, percent-encoded: no UTF-8
        ):
            with pytest.raises(MCPError) as caught:
                await food.read_resource(uri)
            assert caught.value.code == INVALID_PARAMS and len(caught.value.message.encode()) < BRIEF
        for arguments in ({"cuisine": "x" * MB}, {"cuisine": "thai\x00"}, {"x" * MB: "thai"}):
            with pytest.raises(MCPError) as caught:
                await food.get_prompt("order_dinner", arguments)
            assert caught.value.code == INVALID_PARAMS and len(caught.value.message.encode()) < BRIEF
        with pytest.raises(MCPError) as caught:
            await food.get_prompt("x" * MB, {})
        assert caught.value.code == INVALID_PARAMS and len(caught.value.message.encode()) < BRIEF
        prompt = await food.get_prompt("order_dinner", {"cuisine": "Thai 泰国菜", "people": "3"})
    assert "Thai 泰国菜" in str(prompt.messages[0].content)
