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


async def every_page(c: Client, tool: str, items: str, args: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """The ``items`` of every page of a paginated ``tool`` search, ``limit`` at a time."""
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = await ok(c, tool, {**args, "limit": limit, "cursor": cursor})
        found += page[items]
        cursor = page["page"]["next_cursor"]
        if not cursor:
            return found


async def everything(c: Client, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a food_search_restaurants search."""
    return await every_page(c, "food_search_restaurants", "restaurants", args, 20)


async def err(client: Client, tool: str, args: dict[str, Any]) -> str:
    """Call a tool that must fail with a tool error; returns the error text after its 'Error: ' (every tool error
    starts so, for clients that drop isError)."""
    result = await client.call_tool(tool, args)
    assert result.is_error, f"{tool} unexpectedly succeeded: {result.structured_content}"
    first = result.content[0]
    assert isinstance(first, TextContent)
    assert first.text.startswith("Error: "), first.text
    return first.text.removeprefix("Error: ")


def menu_items(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Every dish of a food_get_restaurant result, in menu order."""
    return [i for cat in detail["menu"]["categories"] for i in cat["items"]]


def groups_of(detail: dict[str, Any], item: dict[str, Any]) -> list[dict[str, Any]]:
    """The option groups an item offers, looked up by id in the menu's shared list."""
    groups = {g["id"]: g for g in detail["menu"]["option_groups"]}
    return [groups[gid] for gid in item.get("option_groups", [])]


def least(group: dict[str, Any]) -> int:
    """Fewest options a group needs, read from its rule ('choose 1', 'choose 1 to 2', 'optional, up to 3')."""
    rule = group["rule"]
    return int(rule.split()[1]) if rule.startswith("choose ") else 0


def free_options(item: dict[str, Any], group: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in group["options"] if o["id"] not in item.get("sold_out_options", [])]


def orderable(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Dishes that can be ordered now: not sold out, and every group has enough available options."""
    return [
        i
        for i in menu_items(detail)
        if not i.get("sold_out") and all(len(free_options(i, g)) >= least(g) for g in groups_of(detail, i))
    ]


def pick_options(detail: dict[str, Any], item: dict[str, Any]) -> list[str]:
    """The cheapest valid option choice: the minimum number of available options per group."""
    chosen: list[str] = []
    for group in groups_of(detail, item):
        chosen += [o["id"] for o in free_options(item, group)[: least(group)]]
    return chosen


async def fill_cart(client: Client, *, query: str = "", min_total_minor: int = 0) -> dict[str, Any]:
    """Put an orderable cart together from the first open, deliverable restaurant with available dishes."""
    page = await ok(
        client, "food_search_restaurants", {"query": query, "open_now": True, "sort": "rating", "limit": 20}
    )
    for summary in page["restaurants"]:
        detail = await ok(client, "food_get_restaurant", {"restaurant_id": summary["id"]})
        items = orderable(detail)
        if not items:
            continue
        item = items[0]
        need = max(summary["min_order"]["amount_minor"], min_total_minor, 1)
        quantity = max(1, -(-need // item["price"]["amount_minor"]))
        cart = await ok(
            client,
            "food_update_cart",
            {
                "restaurant_id": summary["id"],
                "replace_cart": True,
                "items": [{"item_id": item["id"], "quantity": quantity, "option_ids": pick_options(detail, item)}],
            },
        )
        if cart["can_order"]:
            return cart
    raise AssertionError("no orderable restaurant found in the fixtures")
