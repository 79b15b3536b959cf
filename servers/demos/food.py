"""Food: search → menu → cart → confirmed order → track → cancel, over stdio."""

from __future__ import annotations

from mcp import Client

from servers.demos import Stage, advance, call, paid, say


async def demo(stage: Stage) -> None:
    say("\n=== food-mcp (Ele.me-like) over stdio ===")
    async with Client(stage.params("food-mcp")) as c:
        home = (await call(c, "food_list_addresses"))["addresses"][0]
        say(f"    delivering to {home['label']}: {home['street']} {home['housenumber']}")
        hits = await call(
            c, "food_search_restaurants", {"query": "披萨", "address_id": home["id"], "open_now": True, "limit": 3}
        )
        for r in hits["restaurants"]:
            say(
                f"    {r['name']} · {r['rating']}★ · {r['distance_m']} m · "
                f"fee {(r['delivery_fee'] or {}).get('display', 'n/a')} · "
                f"{r['eta_minutes']} min"
            )
        if not hits["restaurants"]:
            hits = await call(c, "food_search_restaurants", {"open_now": True, "limit": 3})
        rest = hits["restaurants"][0]
        menu = await call(c, "food_get_restaurant", {"restaurant_id": rest["id"]})
        # Option groups are listed once per menu; an item names the ones it offers, each with a rule.
        groups = {g["id"]: g for g in menu["menu"]["option_groups"]}
        item = next(i for cat in menu["menu"]["categories"] for i in cat["items"] if not i.get("sold_out"))
        options = [
            next(o["id"] for o in groups[gid]["options"] if o["id"] not in item.get("sold_out_options", []))
            for gid in item.get("option_groups", [])
            if groups[gid]["rule"].startswith("choose")
        ]
        quantity = max(1, -(-rest["min_order"]["amount_minor"] // item["price"]["amount_minor"]))
        say(f"    choosing {quantity} × {item['name']} ({item['price']['display']})")
        cart = await call(
            c,
            "food_update_cart",
            {
                "restaurant_id": rest["id"],
                "replace_cart": True,
                "items": [{"item_id": item["id"], "quantity": quantity, "option_ids": options}],
            },
        )
        for line in cart["bill"]["lines"]:
            say(f"    {line['label']:<12} {line['amount']['display']:>9}   {line['rule']}")
        first = await call(c, "food_place_order", {})
        say(f"    {first['status']}: {first['quote']['summary']}")
        say("    (the user says yes)")
        placed = await call(c, "food_place_order", {"confirmation_token": first["quote"]["confirmation_token"]})
        order = placed["order"]
        say(f"    placed {order['id']}, ETA {order['eta'][11:16]}")
        say(paid(placed))
        for _ in range(12):
            advance(stage, 5)  # the demo moves the sandbox's clock; the server reads it on the next request
            now = await call(c, "food_get_order", {"order_id": order["id"]})
            rider = now["rider"]
            where = (
                f" · rider {rider['name']} at {rider['location']['lat']:.5f},{rider['location']['lng']:.5f}"
                if rider
                else ""
            )
            say(f"    status {now['status']}{where}")
            if now["status"] == "delivered":
                break
        await call(
            c,
            "food_update_cart",
            {
                "restaurant_id": rest["id"],
                "items": [{"item_id": item["id"], "quantity": quantity, "option_ids": options}],
            },
        )
        second = await call(c, "food_place_order", {})
        second = await call(c, "food_place_order", {"confirmation_token": second["quote"]["confirmation_token"]})
        say(paid(second))
        offer = await call(c, "food_cancel_order", {"order_id": second["order"]["id"], "reason": "changed my mind"})
        say(f"    {offer['quote']['summary']}")
        done = await call(
            c,
            "food_cancel_order",
            {"order_id": second["order"]["id"], "confirmation_token": offer["quote"]["confirmation_token"]},
        )
        say(f"    {done['message']}")
        say(paid(done))
        history = await call(c, "food_list_orders", {})
        for o in history["orders"]:
            say(f"    {o['id']} · {o['restaurant_name']} · {o['status']} · {o['total']['display']}")
