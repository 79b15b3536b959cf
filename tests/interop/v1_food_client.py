"""An outside client: the mcp 1.x SDK (what Qwen-Agent, LangChain and most desktop clients embed),
run from its own virtual environment, driving food-mcp over stdio through the whole job.

usage: <venv with mcp<2>/bin/python v1_food_client.py /abs/path/food-mcp DATA_DIR
Prints one JSON object with what it saw; exits non-zero on any failure.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def call(session, name, args):
    result = await session.call_tool(name, args)
    text = result.content[0].text
    if result.isError:
        raise SystemExit(f"{name} failed: {text}")
    assert json.loads(text) == result.structuredContent, name
    return result.structuredContent


def free(groups, item, gid):
    """Option ids of group ``gid`` that ``item`` can have now."""
    return [o["id"] for o in groups[gid]["options"] if o["id"] not in item.get("sold_out_options", [])]


async def main(command: str, data_dir: str) -> None:
    # a Wednesday noon in Helsinki: the job orders from a pizzeria open now, whenever the suite runs
    env = {"LIFESTYLE_DATA_DIR": data_dir, "LIFESTYLE_CLOCK_START": "2026-11-25T12:00:00+02:00"}
    params = StdioServerParameters(command=command, args=[], env=env)
    seen = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        seen["protocol"] = init.protocolVersion
        seen["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
        page = await call(session, "food_search_restaurants", {"query": "pizza", "open_now": True, "limit": 10})
        for rest in page["restaurants"]:
            menu = await call(session, "food_get_restaurant", {"restaurant_id": rest["id"]})
            # Option groups are listed once in the menu; items name theirs by id. A rule 'choose N…' needs N.
            groups = {g["id"]: g for g in menu["menu"]["option_groups"]}
            least = {
                gid: int(g["rule"].split()[1]) if g["rule"].startswith("choose ") else 0 for gid, g in groups.items()
            }

            items = [
                i
                for c in menu["menu"]["categories"]
                for i in c["items"]
                if not i.get("sold_out")
                and all(len(free(groups, i, gid)) >= least[gid] for gid in i.get("option_groups", []))
            ]
            if items:
                break
        item = items[0]
        options = [oid for gid in item.get("option_groups", []) for oid in free(groups, item, gid)[: least[gid]]]
        qty = max(1, -(-rest["min_order"]["amount_minor"] // item["price"]["amount_minor"]))
        cart = await call(
            session,
            "food_update_cart",
            {
                "restaurant_id": rest["id"],
                "replace_cart": True,
                "items": [{"item_id": item["id"], "quantity": qty, "option_ids": options}],
            },
        )
        seen["cart_total"] = cart["bill"]["total"]["amount_minor"]
        quote = await call(session, "food_place_order", {})
        seen["first_status"] = quote["status"]
        placed = await call(session, "food_place_order", {"confirmation_token": quote["quote"]["confirmation_token"]})
        order_id = placed["order"]["id"]
        seen["order_status"] = (await call(session, "food_get_order", {"order_id": order_id}))["status"]
        offer = await call(session, "food_cancel_order", {"order_id": order_id})
        done = await call(
            session,
            "food_cancel_order",
            {"order_id": order_id, "confirmation_token": offer["quote"]["confirmation_token"]},
        )
        seen["cancelled"] = done["order"]["status"]
        seen["refunded"] = done["order"]["refunded"]["amount_minor"]
    print(json.dumps(seen))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
