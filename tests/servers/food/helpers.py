"""Small helpers the food tests share: calling tools and building a valid cart from real data."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client
from mcp.types import TextContent


async def ok(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call a tool that must succeed; its structured content must equal its text (clients read one or other)."""
    result = await client.call_tool(tool, args or {})
    text = result.content[0].text if result.content and isinstance(result.content[0], TextContent) else ""
    assert not result.is_error, f"{tool} failed: {text}"
    assert result.structured_content is not None
    assert json.loads(text) == result.structured_content
    return result.structured_content


async def err(client: Client, tool: str, args: dict[str, Any]) -> str:
    """Call a tool that must fail with a tool error; returns the error text."""
    result = await client.call_tool(tool, args)
    assert result.is_error, f"{tool} unexpectedly succeeded: {result.structured_content}"
    first = result.content[0]
    assert isinstance(first, TextContent)
    return first.text


def pick_options(item: dict[str, Any]) -> list[str]:
    """The cheapest valid option choice: the minimum number of available options per group."""
    chosen: list[str] = []
    for group in item["option_groups"]:
        free = [o for o in group["options"] if not o["sold_out"]]
        chosen += [o["id"] for o in free[: group["min_select"]]]
    return chosen


async def fill_cart(client: Client, *, query: str = "", min_total_minor: int = 0) -> dict[str, Any]:
    """Put an orderable cart together from the first open, deliverable restaurant with available dishes."""
    page = await ok(client, "food_search_restaurants", {"query": query, "open_now": True, "sort": "rating",
                                                          "limit": 20})
    for summary in page["restaurants"]:
        detail = await ok(client, "food_get_restaurant", {"restaurant_id": summary["id"]})
        items = [i for cat in detail["menu"] for i in cat["items"] if not i["sold_out"]
                 and all(len([o for o in g["options"] if not o["sold_out"]]) >= g["min_select"]
                         for g in i["option_groups"])]
        if not items:
            continue
        item = items[0]
        need = max(summary["min_order"]["amount_minor"], min_total_minor, 1)
        quantity = max(1, -(-need // item["price"]["amount_minor"]))
        cart = await ok(client, "food_update_cart", {
            "restaurant_id": summary["id"], "replace_cart": True,
            "items": [{"item_id": item["id"], "quantity": quantity, "option_ids": pick_options(item)}],
        })
        if cart["can_order"]:
            return cart
    raise AssertionError("no orderable restaurant found in the fixtures")
