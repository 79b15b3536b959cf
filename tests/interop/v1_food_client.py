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


async def main(command: str, data_dir: str) -> None:
    params = StdioServerParameters(command=command, args=[], env={"LIFESTYLE_DATA_DIR": data_dir})
    seen = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        seen["protocol"] = init.protocolVersion
        seen["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
        page = await call(session, "food_search_restaurants", {"query": "pizza", "open_now": True, "limit": 10})
        for rest in page["restaurants"]:
            menu = await call(session, "food_get_restaurant", {"restaurant_id": rest["id"]})
            items = [
                i
                for c in menu["menu"]
                for i in c["items"]
                if not i["sold_out"]
                and all(sum(not o["sold_out"] for o in g["options"]) >= g["min_select"] for g in i["option_groups"])
            ]
            if items:
                break
        item = items[0]
        options = [
            o["id"]
            for g in item["option_groups"]
            for o in [x for x in g["options"] if not x["sold_out"]][: g["min_select"]]
        ]
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
