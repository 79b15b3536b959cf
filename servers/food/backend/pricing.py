"""The bill: exact integer arithmetic with every line explained.

Kept apart from the service because the cart view, the quote and the placed order must
compute the very same numbers: a quote that differs from the charge by a cent is a bug.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import InvalidInputError, NotFoundError, shown
from shared.geo import haversine_m
from shared.schemas.common import GeoPoint, Money, check_id, format_money
from shared.schemas.food import Bill, BillLine
from shared.text import fold

from .catalog import ItemRec, OptionGroupRec, OptionRec, RestaurantRec
from .slots import PICKUP_TO_RIDE, PREP_STARTS

DETOUR = 1.3  # road distance is about 1.3 × the straight line in a city grid
RIDER_SPEED_M_PER_MIN = 250  # 15 km/h on a bike in town


@dataclass(frozen=True)
class Coupon:
    code: str
    description: str
    kind: str
    amount_minor: int
    percent: int
    max_discount_minor: int
    min_subtotal_minor: int
    restaurant_id: str
    valid_from: datetime
    valid_until: datetime
    per_user_limit: int


def scaled_minor(minor: int, factor: float) -> int:
    """A grown restaurant's price of its template's ``minor`` (``growth.PRICE_FACTOR``), to 10 cents; 0 stays 0."""
    return round(minor * factor / 10) * 10 if minor else 0


def delivery_distance_m(rest: RestaurantRec, to: GeoPoint) -> int:
    return round(haversine_m(rest.location, to) * DETOUR)


def delivery_fee_minor(rest: RestaurantRec, distance_m: int) -> int:
    km = math.ceil(distance_m / 100) / 10  # charged per started 100 m
    return rest.delivery.base_fee_minor + round(rest.delivery.fee_per_km_minor * km)


def delivery_rule(rest: RestaurantRec, currency: str) -> str:
    d = rest.delivery
    return (
        f"{format_money(d.base_fee_minor, currency)} base + {format_money(d.fee_per_km_minor, currency)}/km "
        f"by road distance (per started 100 m), within {d.radius_m / 1000:.1f} km; "
        f"minimum order {format_money(d.min_order_minor, currency)}"
    )


SHORTEST_RIDE_MIN = 3
#: An order's minutes besides cooking and the ride: the kitchen starts a while after the order, the rider leaves a
#: while after pickup (``slots.lead``, which the order's timeline follows).
HANDLING_MIN = (PREP_STARTS + PICKUP_TO_RIDE) // timedelta(minutes=1)


def travel_minutes(distance_m: int) -> int:
    """The rider's ride from the restaurant to the door, as an order's timeline counts it."""
    return max(SHORTEST_RIDE_MIN, round(distance_m / RIDER_SPEED_M_PER_MIN))


def eta_minutes(rest: RestaurantRec, distance_m: int) -> int:
    """Minutes from ordering now to the door, as the placed order's timeline will have it (``slots.lead``), so the
    ETA a search or quote states is the one the order keeps."""
    return HANDLING_MIN + rest.prep_minutes + travel_minutes(distance_m)


def option_label(option: OptionRec) -> str:
    """An option's name as the menu shows it ('Mild / 微辣'): what the user said is in either half."""
    return f"{option.name} / {option.name_zh}" if option.name_zh else option.name


def valid_options(item: ItemRec) -> str:
    """The item's option ids with their names, for an error that must say which ones it takes."""
    return ", ".join(f"{o.id} ({option_label(o)})" for g in item.option_groups for o in g.options) or "none"


OPTION_WORDS = {"coke": "coca-cola"}
"""What people call an option besides the menu's name for it ('Coke Zero' is the Coca-Cola Zero)."""


def options_named(item: ItemRec, said: str) -> list[tuple[str, str]]:
    """The item's options ``said`` names ('微辣', 'mild', 'Mild / 微辣'), as (name, id) pairs; else those whose names
    hold every word said ('Coke Zero': Coca-Cola Zero; 'zero' alone too), which may be several."""
    word = fold(" ".join(said.split()))
    options = [o for g in item.option_groups for o in g.options]
    exact = [(option_label(o), o.id) for o in options
             if word in {fold(o.name), fold(o.name_zh), fold(option_label(o))} - {""}]  # fmt: skip
    words = [OPTION_WORDS.get(w, w) for w in word.split()]
    if exact or word.startswith("opt_") or not words or min(map(len, words)) < 3:
        return exact
    return [(option_label(o), o.id) for o in options if all(w in fold(option_label(o)) for w in words)]


def check_option_entries(item: ItemRec, option_ids: list[str], field: str) -> None:
    """Refuse an empty (or blank) option id naming where it is (``field``, e.g. 'items[0].option_ids'): "Option ''
    is not an option of …" left the model to find which of its lists held it."""
    for j, oid in enumerate(option_ids):
        if not oid.strip():
            raise InvalidInputError(
                f"{field}[{j}] is empty: it takes an option id starting with 'opt_'.",
                f"Valid option ids for {item.name} ({item.id}), as food_get_restaurant lists them: "
                f"{valid_options(item)}; or leave the empty entry out.",
                field=f"{field}[{j}]",
            )


def check_known_options(item: ItemRec, option_ids: list[str], field: str, aliases: dict[str, str]) -> None:
    """Refuse an option id the item does not offer naming where it is (``field``, e.g. 'items[0].option_ids'), as
    ``check_option_entries`` does for an empty one: resolve_options sees the ids sorted and could only say
    'option_ids'. ``aliases`` maps older per-item ids to the shared ones they still resolve to."""
    offered = {opt.id for group in item.option_groups for opt in group.options}
    for j, oid in enumerate(option_ids):
        if aliases.get(oid, oid) not in offered:
            if named := options_named(item, oid):  # the user's word for it ('微辣'): refused with its id
                source = f"the options of {item.name} ({item.id}) in food_get_restaurant"
                check_id(oid, "opt", field=f"{field}[{j}]", source=source, names=lambda _: named)
            # a wish the menu has no option for ('少冰', 'no coriander'), as the user said it: the order's note
            # is where it goes, as on the app ('备注'); an id of no option is only the wrong id
            wish = "" if oid.startswith("opt_") else (
                f"; or, as a request the menu has no option for, leave it out and put it in the order's note "
                f"(food_place_order note={shown(oid)})"
            )  # fmt: skip
            raise NotFoundError(
                f"{field}[{j}] {shown(oid)} is not an option of {item.name} ({item.id}).",
                f"Valid option ids for {item.name} ({item.id}), as food_get_restaurant lists them: "
                f"{valid_options(item)}{wish or '; or leave the entry out'}.",
                field=f"{field}[{j}]",
            )


def resolve_options(item: ItemRec, option_ids: list[str]) -> list[OptionRec]:
    """Check the chosen options against the item's groups; raise with the fix if wrong."""
    by_id = {opt.id: (group, opt) for group in item.option_groups for opt in group.options}
    unknown = [oid for oid in option_ids if oid not in by_id]
    if unknown:
        raise NotFoundError(
            f"Option {shown(unknown[0])} is not an option of {item.name} ({item.id}).",
            f"Valid option ids for this item: {valid_options(item)}.",
            field="option_ids",
        )
    if len(set(option_ids)) != len(option_ids):
        raise InvalidInputError(f"An option was chosen twice for {item.name}.", "List each option id once.")
    chosen: list[OptionRec] = []
    for group in item.option_groups:
        picked = [by_id[oid][1] for oid in option_ids if by_id[oid][0].id == group.id]
        low = group.least
        if not low <= len(picked) <= group.max_select:
            choices = ", ".join(f"{o.id} ({option_label(o)})" for o in group.options if not o.sold_out)
            span = f"exactly {low}" if low == group.max_select else f"{low} to {group.max_select}"
            raise InvalidInputError(
                f"{item.name} needs {span} option(s) from '{group.name}', got {len(picked)}.",
                f"Choose from: {choices}.",
                field="option_ids",
            )
        chosen += picked
    return chosen


def choice_rule(group: OptionGroupRec) -> str:
    """The group's limits in a few words, as the menu shows them; resolve_options enforces the numbers."""
    low, high = group.least, group.max_select
    if not low:
        return f"optional, up to {high}"
    return f"choose {low}" if low == high else f"choose {low} to {high}"


def unit_price_minor(item: ItemRec, options: list[OptionRec]) -> int:
    return item.price_minor + sum(o.price_delta_minor for o in options)


def coupon_discount(coupon: Coupon, subtotal: int, delivery_fee: int) -> int:
    if coupon.kind == "free_delivery":
        return delivery_fee
    if coupon.kind == "percent":
        off = subtotal * coupon.percent // 100
        return min(off, coupon.max_discount_minor) if coupon.max_discount_minor else off
    return min(coupon.amount_minor, subtotal)


def build_bill(rest: RestaurantRec, subtotal: int, distance_m: int, coupon: Coupon | None, currency: str) -> Bill:
    packaging = rest.delivery.packaging_fee_minor
    fee = delivery_fee_minor(rest, distance_m)
    discount = coupon_discount(coupon, subtotal, fee) if coupon else 0
    total = subtotal + packaging + fee - discount
    m = lambda v: Money.of(v, currency)  # noqa: E731
    lines = [
        BillLine(label="Items", amount=m(subtotal), rule="sum of item prices with options × quantity"),
        BillLine(label="Packaging", amount=m(packaging), rule="per order"),
        BillLine(
            label="Delivery",
            amount=m(fee),
            rule=(
                f"{format_money(rest.delivery.base_fee_minor, currency)} + "
                f"{format_money(rest.delivery.fee_per_km_minor, currency)}/km × "
                f"{math.ceil(distance_m / 100) / 10:.1f} km"
            ),
        ),
    ]
    if coupon:
        lines.append(BillLine(label=f"Coupon {coupon.code}", amount=m(-discount), rule=coupon.description))
    lines.append(BillLine(label="Total", amount=m(total), rule="items + packaging + delivery − discount"))
    return Bill(
        items_subtotal=m(subtotal),
        packaging_fee=m(packaging),
        delivery_fee=m(fee),
        discount=m(discount),
        total=m(total),
        lines=lines,
        distance_m=distance_m,
    )
