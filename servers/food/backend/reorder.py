"""Order again (再来一单): a past order's lines as cart lines, against today's menu.

What can no longer be had (a dish sold out or gone from the menu, an option sold out or no longer
offered, a restaurant that left the platform) is reported line by line instead of failing the
whole refill; what remains goes into the cart as the user ordered it then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from shared.cursor import latest_placed
from shared.errors import LifestyleError, NotFoundError, shown
from shared.phrases import latest_order_said
from shared.schemas.common import check_id
from shared.schemas.food import NotAdded

from . import pricing
from .catalog import Catalog, RestaurantRec
from .models import OrderRow


def past_order(session: Session, user_id: str, order_id: str) -> OrderRow:
    """One of the user's own orders (another user's is "not found" alike); '上一单' / 'my last order' (再来一单) is
    refused with the latest one's id."""
    latest_order_said(order_id, lambda: latest_placed(session, OrderRow, user_id), "from_order_id", "food_list_orders")
    check_id(order_id, "ord", field="from_order_id", source="food_list_orders")
    order = session.get(OrderRow, order_id)
    if order is None or order.user_id != user_id:
        raise NotFoundError(f"No order {shown(order_id)} for this user.", "List orders with food_list_orders.")
    return order


def refill(
    catalog: Catalog, order: OrderRow, line_key: Callable[[str, list[str]], str]
) -> tuple[RestaurantRec | None, list[dict[str, Any]], list[NotAdded]]:
    """(the restaurant, the cart lines that can be added, the lines that cannot and why); ``line_key`` names
    a cart line as the cart does."""
    rest = catalog.restaurants.get(order.restaurant_id)
    past = order.snapshot.get("lines", [])
    lines: dict[str, dict[str, Any]] = {}
    skipped: list[NotAdded] = []

    def skip(line: dict[str, Any], reason: str) -> None:
        skipped.append(
            NotAdded(
                item_id=line["item_id"],
                name=line["name"],
                quantity=line["quantity"],
                options=line.get("options", []),
                reason=reason,
            )
        )

    for line in past:
        if rest is None:
            skip(line, f"{order.snapshot.get('restaurant_name', 'The restaurant')} is no longer on the platform.")
            continue
        found = catalog.items.get(line["item_id"])
        if found is None or found[0].id != rest.id:
            skip(line, "No longer on the menu.")
            continue
        item = found[1]
        if item.sold_out:
            skip(line, "Sold out today.")
            continue
        option_ids = catalog.canonical_options(line.get("option_ids", []))
        offered = {o.id: o for g in item.option_groups for o in g.options}
        gone = [oid for oid in option_ids if oid not in offered]
        if gone:
            names = [
                n for oid, n in zip(line.get("option_ids", []), line.get("options", []), strict=False) if oid in gone
            ]
            skip(line, f"Option {names[0] if names else gone[0]} is no longer offered; choose another.")
            continue
        sold = [offered[oid].name for oid in option_ids if offered[oid].sold_out]
        if sold:
            skip(line, f"Option {sold[0]} is sold out; choose another.")
            continue
        try:
            pricing.resolve_options(item, option_ids)
        except LifestyleError as e:  # the item's choices changed since (a group became required, …)
            skip(line, f"Its options changed: {e.message}")
            continue
        key = line_key(item.id, option_ids)
        if key in lines:
            lines[key]["quantity"] += line["quantity"]
        else:
            lines[key] = {"line_id": key, "item_id": item.id, "option_ids": option_ids, "quantity": line["quantity"]}
    return rest, list(lines.values()), skipped
