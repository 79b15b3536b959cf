"""Beyond tools: prompts with argument completion, the menu resource and logging/setLevel."""

from __future__ import annotations

import json
import logging

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, PromptReference, TextResourceContents

from tests.servers.food.conftest import FoodEnv
from tests.servers.food.helpers import ok


async def test_prompt_arguments_complete_cuisines_in_both_languages_and_saved_addresses(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        prompts = {p.name for p in (await c.list_prompts()).prompts}
        ref = PromptReference(type="ref/prompt", name="order_dinner")
        pizza = await c.complete(ref, {"name": "cuisine", "value": "piz"})
        hotpot = await c.complete(ref, {"name": "cuisine", "value": "火"})
        labels = await c.complete(ref, {"name": "address_label", "value": ""})
        rendered = await c.get_prompt("order_dinner", {"people": "2", "cuisine": "Hot pot", "address_label": "Home"})
    assert {"order_dinner", "track_order"} <= prompts
    assert "Pizza" in pizza.completion.values
    assert "火锅" in hotpot.completion.values
    assert "Home" in labels.completion.values
    assert "Hot pot" in rendered.messages[0].content.text  # type: ignore[union-attr]


async def test_a_menu_resource_of_no_restaurant_is_the_callers_mistake_saying_why(food: FoodEnv) -> None:
    """food://restaurants/rst_nope/menu was 'Error creating resource from template' (-32603, the server's fault by
    its code): the provider's refusal, with where ids come from, is the answer, as the tool gives it."""
    async with Client(food.server) as c:
        with pytest.raises(MCPError) as nothing:
            await c.read_resource("food://restaurants/rst_nope/menu")
        with pytest.raises(MCPError) as named:
            await c.read_resource("food://restaurants/Zucchini/menu")
    assert nothing.value.error.code == named.value.error.code == INVALID_PARAMS
    assert "No restaurant 'rst_nope'" in nothing.value.error.message and "food_search_restaurants" in str(nothing.value)
    assert "is a name, not an id" in named.value.error.message and "rst_n4692013476" in named.value.error.message


async def test_the_menu_resource_matches_the_menu_tool(food: FoodEnv) -> None:
    async with Client(food.server) as c:
        rid = (await ok(c, "food_search_restaurants", {"limit": 1}))["restaurants"][0]["id"]
        detail = await ok(c, "food_get_restaurant", {"restaurant_id": rid})
        read = await c.read_resource(f"food://restaurants/{rid}/menu")
    content = read.contents[0]
    assert isinstance(content, TextResourceContents)
    assert json.loads(content.text)["menu"] == detail["menu"]


@pytest.mark.filterwarnings("ignore:The logging capability is deprecated")
@pytest.mark.parametrize("level", ["debug", "error"])
async def test_legacy_clients_can_set_the_log_level_but_not_the_operators(food: FoodEnv, level: str) -> None:
    before = [logging.getLogger(name).level for name in ("", "servers", "shared")]
    async with Client(food.server, mode="legacy") as c:
        await c.set_logging_level(level)  # type: ignore[arg-type]
    assert food.server.client_log_level == level
    assert [logging.getLogger(name).level for name in ("", "servers", "shared")] == before  # one user of many
