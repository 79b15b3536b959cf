"""Food's share of a grown city (``lifestyle-mcp sandbox create --scale N``): full restaurant documents for the
grown restaurants of ``shared.growth.restaurants``, and a past order for every crowd user.

A grown restaurant copies the menu of its template (a real restaurant) dish for dish: the same names, options
and sold-out flags under its own ids (``itm_g12_0042_3`` for the template's ``itm_n…_3``), with its own prices,
opening hours, rating and delivery terms (``variant``). Keeping the dishes' words the template's is what lets the
search index match dishes per template menu (425 of them) however big the city grows (``search.Index``). The
option groups are stored already shared, as ``Catalog`` shares the fixtures' per-item groups, so a grown
restaurant loads without aliases.

Everything is a pure function of the scale and the fixtures, inserted in bulk (SQLAlchemy core, lists of dicts):
ORM objects one by one would take minutes for the scale pack's 50,000 restaurants and 100,000 orders.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from shared.account.accounts import address_model
from shared.account.models import AddressRow
from shared.geo import EARTH_RADIUS_M
from shared.growth import tiles
from shared.growth.restaurants import GrownRestaurant, grown_restaurants
from shared.schemas.common import format_money

from . import pricing
from .catalog import CategoryRec, OptionRec, RestaurantRec, bilingual
from .models import OrderRow, RestaurantRow
from .service import line_key  # the cart's own line naming, so 'order again' finds the same lines

BATCH = 2000
PRICE_FACTOR = (0.92, 0.96, 1.0, 1.04, 1.08, 0.98, 1.02, 1.12)
"""A grown restaurant's prices against its template's, by variant: the same dish costs a little more uptown."""
HOURS_SHIFT = ((-30, 0), (0, 30), (30, 0), (0, -30), (-60, 0), (30, 60), (0, 0), (0, 30))
"""(opening, closing) moved by so many minutes, by variant: not every café on the street opens at 10:00."""
ORDERS_BEFORE = 60
CURRENCY = "EUR"
RIDERS = ("Mikko", "Aino", "Li Wei", "Jussi", "Hanna", "Chen Jie", "Oskari", "Sanna")
"""Past orders of the crowd fall in the days before the sandbox opens (all delivered long ago)."""


def _hhmm(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def shifted_hours(hours: dict[str, list[list[str]]], variant: int) -> dict[str, list[list[str]]]:
    """The template's week with each span's ends moved by the variant's shift; round-the-clock or very short spans
    and spans that would cross another stay as they are."""
    early, late = HOURS_SHIFT[variant]
    out: dict[str, list[list[str]]] = {}
    for day, spans in hours.items():
        moved = []
        for start, end in spans:
            a, b = _minutes(start), _minutes(end)
            length = (b - a) % 1440 or 1440
            new = length - early + late
            if len(spans) > 1 or length >= 23 * 60 or not 60 <= new < 23 * 60:
                moved.append([start, end])
            else:
                moved.append([_hhmm(a + early), _hhmm(b + late)])
        out[day] = moved
    return out


def _renamed(doc: Any, old: str, new: str, factor: float) -> Any:
    """A copy of a menu part with the template's id prefix replaced and prices scaled."""
    if isinstance(doc, list):
        return [_renamed(x, old, new, factor) for x in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key == "id":
            kind, _, rest = value.partition("_")
            out[key] = f"{kind}_{new}{rest.removeprefix(old)}"
        elif key in ("price_minor", "price_delta_minor"):
            out[key] = pricing.scaled_minor(value, factor)
        else:
            out[key] = _renamed(value, old, new, factor)
    return out


MARK = "@R@"
"""Stands for a grown restaurant's id prefix in a menu prepared once per template and variant."""


def _available(options: list[OptionRec]) -> list[OptionRec]:
    return [o for o in options if not o.sold_out]


class Menus:
    """The grown menus, prepared once per (template, variant) and stamped with each restaurant's ids: a menu
    differs between two restaurants of one template and variant only in its ids. Also each such menu's dishes as
    past orders name them (with their required options), for the crowd's order history."""

    def __init__(self, templates: dict[str, RestaurantRec]) -> None:
        self.templates = templates
        self._text: dict[tuple[str, int], str] = {}
        self._dishes: dict[tuple[str, int], list[dict[str, Any]]] = {}

    def text(self, template: str, variant: int) -> str:
        key = (template, variant)
        if key not in self._text:
            rec = self.templates[template]
            menu = [c.model_dump(mode="json") for c in rec.menu]
            self._text[key] = json.dumps(_renamed(menu, rec.id.removeprefix("rst_"), MARK, PRICE_FACTOR[variant]))
        return self._text[key]

    def menu(self, template: str, variant: int, restaurant_id: str) -> list[dict[str, Any]]:
        menu: list[dict[str, Any]] = json.loads(self.text(template, variant).replace(MARK, restaurant_id[4:]))
        return menu

    def dishes(self, template: str, variant: int) -> list[dict[str, Any]]:
        """Orderable dishes (not sold out), each with the first options of its required groups, ids marked."""
        key = (template, variant)
        if key not in self._dishes:
            out = []
            for cat in json.loads(self.text(template, variant)):
                for item in CategoryRec.model_validate(cat).items:
                    if item.sold_out:
                        continue
                    options = [
                        o for g in item.option_groups for o in [o for o in g.options if not o.sold_out][: g.least]
                    ]
                    out.append(
                        {
                            "item_id": item.id,
                            "name": bilingual(item.name, item.name_zh),
                            "options": [bilingual(o.name, o.name_zh) for o in options],
                            "option_ids": sorted(o.id for o in options),
                            "unit": pricing.unit_price_minor(item, options),
                        }
                    )
            self._dishes[key] = out
        return self._dishes[key]


def restaurant_doc(grown: GrownRestaurant, template: RestaurantRec, menus: Menus | None = None) -> dict[str, Any]:
    """The full document of a grown restaurant, as the fixtures spell a real one (plus where it came from)."""
    v = grown.variant
    factor = PRICE_FACTOR[v]
    d = template.delivery
    return {
        "id": grown.id,
        "place_id": f"plc_{grown.id}",
        "name": grown.name,
        "name_zh": grown.name_zh,
        "kind": grown.kind,
        "cuisines": list(grown.cuisines),
        "lat": grown.lat,
        "lng": grown.lng,
        "street": grown.street,
        "housenumber": grown.housenumber,
        "postcode": grown.postcode,
        "district": grown.district,
        "template": template.id,
        "price_factor": factor,  # search prices a matched dish without reading the menu (``Columns.price_factor``)
        "rating": round(min(5.0, max(1.0, template.rating + (v - 3.5) * 0.06)), 1),
        "rating_count": max(3, round(template.rating_count * (0.25 + 0.2 * v))),
        "price_level": template.price_level,
        "opening_hours": shifted_hours(template.opening_hours, v),
        "prep_minutes": max(5, template.prep_minutes + (v % 3 - 1) * 2),
        "delivery": {
            "radius_m": d.radius_m,
            "base_fee_minor": d.base_fee_minor + (v % 3 - 1) * 20,
            "fee_per_km_minor": d.fee_per_km_minor,
            "min_order_minor": pricing.scaled_minor(d.min_order_minor, factor),
            "packaging_fee_minor": d.packaging_fee_minor,
        },
        "menu": (menus or Menus({template.id: template})).menu(template.id, v, grown.id),
    }


def restaurant_docs(fixtures_dir: Path, scale: int, templates: dict[str, RestaurantRec]) -> Iterator[dict[str, Any]]:
    """Every grown restaurant's document; ``templates`` are the real ones with their option groups shared."""
    menus = Menus(templates)
    for grown in grown_restaurants(fixtures_dir, scale):
        yield restaurant_doc(grown, templates[grown.template], menus)


# ----- the crowd's past orders -----------------------------------------------------------------------------------


def _money_doc(minor: int, currency: str) -> dict[str, Any]:
    return {"amount_minor": minor, "currency": currency, "display": format_money(minor, currency)}


def bill_doc(delivery: dict[str, int], subtotal: int, distance_m: int, currency: str) -> dict[str, Any]:
    """``pricing.build_bill`` without a coupon, as the JSON an order's snapshot keeps (built as plain dicts: the
    pydantic models cost more than the rest of an order; a test holds the two equal)."""
    packaging = delivery["packaging_fee_minor"]
    km = math.ceil(distance_m / 100) / 10
    fee = delivery["base_fee_minor"] + round(delivery["fee_per_km_minor"] * km)
    total = subtotal + packaging + fee
    rule = (
        f"{format_money(delivery['base_fee_minor'], currency)} + "
        f"{format_money(delivery['fee_per_km_minor'], currency)}/km × {km:.1f} km"
    )
    lines = [
        ("Items", subtotal, "sum of item prices with options × quantity"),
        ("Packaging", packaging, "per order"),
        ("Delivery", fee, rule),
        ("Total", total, "items + packaging + delivery − discount"),
    ]
    return {
        "items_subtotal": _money_doc(subtotal, currency),
        "packaging_fee": _money_doc(packaging, currency),
        "delivery_fee": _money_doc(fee, currency),
        "discount": _money_doc(0, currency),
        "total": _money_doc(total, currency),
        "lines": [{"label": label, "amount": _money_doc(v, currency), "rule": r} for label, v, r in lines],
        "distance_m": distance_m,
    }


def road_distance(doc: dict[str, Any], home: dict[str, Any]) -> int:
    """``pricing.delivery_distance_m`` from a restaurant document to an address document (the same haversine on
    plain floats: a GeoPoint per try costs more than the arithmetic)."""
    la1, lo1 = math.radians(doc["lat"]), math.radians(doc["lng"])
    la2, lo2 = math.radians(home["location"]["lat"]), math.radians(home["location"]["lng"])
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(h)) * pricing.DETOUR)


def past_order(
    user_id: str,
    home: dict[str, Any],
    doc: dict[str, Any],
    dishes: list[dict[str, Any]],
    placed: datetime,
    rng: random.Random,
    currency: str,
    nth: int = 1,
) -> dict[str, Any] | None:
    """One delivered order of a crowd user's as a food_order row (its snapshot as ``OrderDesk`` freezes one)."""
    if not dishes:
        return None
    prefix = doc["id"].removeprefix("rst_")
    lines: dict[str, dict[str, Any]] = {}
    for _ in range(rng.randint(1, 3)):
        dish = rng.choice(dishes)
        quantity = rng.choice((1, 1, 1, 2))
        item_id = dish["item_id"].replace(MARK, prefix)
        option_ids = [o.replace(MARK, prefix) for o in dish["option_ids"]]
        line_id = line_key(item_id, option_ids)
        if line_id in lines:
            continue
        lines[line_id] = {
            "line_id": line_id,
            "item_id": item_id,
            "name": dish["name"],
            "options": dish["options"],
            "option_ids": option_ids,
            "quantity": quantity,
            "unit_price": _money_doc(dish["unit"], currency),
            "line_total": _money_doc(dish["unit"] * quantity, currency),
        }
    subtotal = sum(line["line_total"]["amount_minor"] for line in lines.values())
    distance = road_distance(doc, home)
    bill = bill_doc(doc["delivery"], subtotal, distance, currency)
    order_id = f"ord_c{user_id.removeprefix('usr_c')}_{nth}"  # never one a real order (ord_<hex>) could have
    return {
        "id": order_id,
        "user_id": user_id,
        "restaurant_id": doc["id"],
        "quote_token": f"qt_{order_id}",
        "total_minor": bill["total"]["amount_minor"],
        "currency": currency,
        "payment_method": rng.choice(("wallet", "wallet", "cash")),
        "coupon_code": "",
        "note": "",
        "snapshot": {
            "deliver_at": "",
            "restaurant_name": doc["name"],
            "restaurant_location": [doc["lat"], doc["lng"]],
            "address": home,
            "lines": list(lines.values()),
            "bill": bill,
            "prep_min": doc["prep_minutes"],
            "travel_min": pricing.travel_minutes(distance),
            "rider": {
                "name": rng.choice(RIDERS),
                "phone": f"+358 40 *** {rng.randint(1000, 9999)}",
                "start": [doc["lat"], doc["lng"]],
            },
        },
        "placed_at": placed,
        "cancelled_at": None,
        "cancel_reason": "",
        "refunded_minor": 0,
    }


def _homes_by_tile(session: Session, scale: int) -> dict[int, list[dict[str, Any]]]:
    """The crowd's Home addresses (``usr_c…``, shared.account.growth) by the district they live in."""
    city = tiles(scale)
    table = AddressRow.__table__  # type: ignore[attr-defined]
    out: dict[int, list[dict[str, Any]]] = {}
    rows = session.execute(select(table).where(table.c.user_id.startswith("usr_c"), table.c.seq == 0))
    for row in rows.mappings():
        number = row["user_id"].removeprefix("usr_c")
        if not number.isdigit():  # a real user whose name starts with c (usr_carol)
            continue
        n = int(number)
        where = city[1 + (n - 1) % (len(city) - 1)]  # as the account's growth placed them
        home = address_model(AddressRow.model_construct(**row)).model_dump(mode="json")
        out.setdefault(where.number, []).append({"n": n, "user_id": row["user_id"], "home": home})
    return out


def crowd_orders(
    homes: list[dict[str, Any]], docs: list[dict[str, Any]], menus: Menus, now: datetime, currency: str
) -> Iterator[dict[str, Any]]:
    """A past order for every crowd user living in the district, from one of its restaurants (``docs``) that
    delivers to them; every fifth user has a second one."""
    for who in homes:
        n, home = who["n"], who["home"]
        rng = random.Random(n)
        for k in range(2 if n % 5 == 0 else 1):
            doc = _nearby(docs, rng, home)
            placed = now - timedelta(days=rng.uniform(1, ORDERS_BEFORE), minutes=k)
            dishes = menus.dishes(doc["template"], doc["variant"])
            order = past_order(who["user_id"], home, doc, dishes, placed, rng, currency, k + 1)
            if order is not None:
                yield order


def _nearby(docs: list[dict[str, Any]], rng: random.Random, home: dict[str, Any]) -> dict[str, Any]:
    """A restaurant of the district that delivers to ``home`` (the nearest of a few tried when none does)."""
    tried = []
    for _ in range(8):
        doc = docs[rng.randrange(len(docs))]
        distance = road_distance(doc, home)
        if distance <= doc["delivery"]["radius_m"]:
            return doc
        tried.append((distance, doc["id"], doc))
    return min(tried)[2]


def grow(session: Session, fixtures_dir: Path, scale: int, templates: dict[str, RestaurantRec], now: datetime) -> None:
    """Insert the grown restaurants and the crowd's order history in the seeding transaction, district by
    district (a district's documents are kept for its residents' orders, then let go)."""
    session.flush()
    homes = _homes_by_tile(session, scale)
    by_tile: dict[int, list[GrownRestaurant]] = {}
    for grown in grown_restaurants(fixtures_dir, scale):
        by_tile.setdefault(grown.tile, []).append(grown)
    menus = Menus(templates)
    restaurants: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for number, district in by_tile.items():
        docs = [restaurant_doc(g, templates[g.template], menus) for g in district]
        restaurants += [{"id": doc["id"], "data": doc} for doc in docs]
        variants = [{**doc, "variant": g.variant} for doc, g in zip(docs, district, strict=True)]
        orders += crowd_orders(homes.get(number, []), variants, menus, now, CURRENCY)
        if len(restaurants) >= BATCH:
            session.execute(insert(RestaurantRow), restaurants)
            restaurants = []
        if len(orders) >= BATCH:
            session.execute(insert(OrderRow), orders)
            orders = []
    if restaurants:
        session.execute(insert(RestaurantRow), restaurants)
    if orders:
        session.execute(insert(OrderRow), orders)
