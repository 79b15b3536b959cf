"""Business rules of the food provider: catalog search, menus and the cart (addresses are the account's).

Every public method takes the acting user's id and runs in one transaction; anything it
refuses is refused with a ``LifestyleError`` before any row changes. Orders live in
``orders.py``; prices in ``pricing.py``; query matching in ``search.py``; coupons in ``coupons.py``;
delivery slots in ``slots.py``; refilling a cart from a past order in ``reorder.py``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlmodel import Session, col, select

from shared.account import Sandbox
from shared.account.accounts import LABEL_WORDS, fold_label
from shared.cursor import count_through, key_cursor, not_our_cursor, read_cursor
from shared.districts import district_in
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.geo import haversine_m, require_in_city
from shared.hours import describe_now, describe_week_short, is_open, next_opening
from shared.kit.backend import ReadCache
from shared.kit.db import session_scope
from shared.landmarks import Landmarks
from shared.phrases import OPEN_NOW, TOP_RATED
from shared.prices import SaidPrice, read_price
from shared.schemas.account import Address
from shared.schemas.common import GeoPoint, Money, PageInfo, asked_digest, check_id, from_the_map
from shared.schemas.food import (
    Cart,
    CartItemInput,
    CartLine,
    CartUpdate,
    Cuisine,
    CuisineList,
    MatchedDish,
    Menu,
    MenuCategory,
    MenuItem,
    MenuOption,
    NotAdded,
    OptionGroup,
    RestaurantDetail,
    RestaurantInfo,
    RestaurantPage,
    RestaurantSummary,
    SortKey,
)
from shared.text import cheap_first, fold, has_cjk, plain, take_match, take_out

from . import pricing, reorder, slots
from .catalog import Catalog, ItemRec, RestaurantRec, bilingual
from .coupons import BEST_COUPON, Coupons
from .models import CartRow, OrderRow
from .pricing import Coupon
from .ranking import (
    DEALS,
    FAST_DELIVERY,
    FOR_WHOM,
    FREE_DELIVERY,
    KITCHEN_REQUEST,
    LOW_MIN_ORDER,
    NOT_SPICY,
    ORDERED_BEFORE,
    POPULAR,
    TO_GO,
    absent_chain,
    bounds_said,
    cursor_key,
    deliver_to,
    deliver_to_place,
    delivery_within,
    id_rank,
    late_night,
    minute_of_week,
    near_saved,
    off_menu_dish,
    sort_columns,
)
from .search import GENERIC, LOOSER_DIET, MAX_DISHES, Index, LeftOut, Lookup, Shown, folded, matched

MAX_QUANTITY = 50
MAX_LINES = 50
"""Different lines (a dish with its options) in one cart: a meal, not a warehouse order."""
MENUS = 256
"""Wire menus kept built (the scale pack has 50,000 restaurants: only the recently viewed stay). Few: a menu is
~70 objects that every full collection walks (a cold one is built in ~0.1 ms), and the provider's read cache and
the client's already answer repeats of a view."""


def line_key(item_id: str, option_ids: list[str]) -> str:
    """A cart line's id: the same item with the same (sorted) options is the same line."""
    return "ln_" + hashlib.sha1(json.dumps([item_id, option_ids]).encode()).hexdigest()[:10]


@dataclass
class PricedCart:
    """A cart with everything needed to quote it, computed once."""

    row: CartRow
    rest: RestaurantRec | None
    address: Address | None
    lines: list[CartLine]
    coupon: Coupon | None
    problems: list[str]
    cart: Cart


class FoodService:
    def __init__(self, sandbox: Sandbox, catalog: Catalog, currency: str = "EUR") -> None:
        self.engine = sandbox.engine
        self.clock = sandbox.clock
        self.accounts = sandbox.accounts
        self.catalog = catalog
        if catalog.search_index is None:
            catalog.search_index = Index(catalog)
        self.index: Index = catalog.search_index
        self.coupons = Coupons(catalog, currency)
        self._whole_menus: dict[int, tuple[Shown, ...]] = {}
        self.currency = currency
        self._menus: OrderedDict[str, Menu] = OrderedDict()
        self.scale = sandbox.scale
        self.reads = ReadCache(self.clock)
        self.fixtures_dir = sandbox.fixtures_dir

    # ----- helpers -------------------------------------------------------------------
    @functools.cached_property
    def landmarks(self) -> Landmarks:
        """Read when a search first says a place to deliver to, not at start."""
        return Landmarks.load(self.fixtures_dir)

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    def money(self, minor: int) -> Money:
        return Money.of(minor, self.currency)

    def restaurant(self, restaurant_id: str) -> RestaurantRec:
        restaurant_id = from_the_map(restaurant_id, self._by_place, field="restaurant_id", kind="restaurant",
                                     source="food_search_restaurants")  # fmt: skip
        check_id(
            restaurant_id, "rst", field="restaurant_id", source="food_search_restaurants", names=self._restaurants_named
        )
        rest = self.catalog.restaurants.get(restaurant_id)
        if rest is None:
            raise NotFoundError(
                f"No restaurant {shown(restaurant_id)}.", "Find restaurant ids with food_search_restaurants."
            )
        return rest

    @functools.cached_property
    def _by_place(self) -> dict[str, str]:
        """Each restaurant's id by its map place's (nav's ``plc_…``)."""
        return {r.place_id: r.id for r in self.catalog.restaurants.values() if r.place_id}

    def _restaurants_named(self, name: str) -> list[tuple[str, str]]:
        said = plain(fold(name))  # 'McDonalds' is McDonald's
        return [
            (f"{r.name} ({r.address_line})", r.id)
            for r in self.catalog.restaurants.values()
            if said in (plain(fold(r.name)), fold(r.name_zh))
        ]

    def saved_address(self, session: Session, user_id: str, address_id: str) -> Address:
        """The user's saved address ``address_id`` (or label). A place on the map passed instead ('基诺宫影城',
        'Mannerheimintie 5': to deliver to the cinema) was 'not a valid id: ids start with adr_'; it is named, with
        how to save it, so the agent can ask the user for a label and save it."""
        try:
            return self.accounts.address(session, user_id, address_id, source="food_list_addresses")
        except (InvalidInputError, NotFoundError):
            if address_id.strip().startswith("adr_") or not address_id.strip():
                raise
            labels = ", ".join(row.label for row in self.accounts.rows(session, user_id)) or "none"
            spot = self._place_said(address_id)
            if spot is None:  # 'Zzyzx', 'mum's': a label the user has not saved
                raise InvalidInputError(
                    f"address_id {shown(address_id)} is neither the id nor the label of a saved address (saved now: "
                    f"{labels}).",
                    "Pass one of those labels or its id (food_list_addresses), or save the address with "
                    "food_save_address first.",
                    field="address_id",
                ) from None
            raise InvalidInputError(
                f"address_id {shown(address_id)} is no saved address: it reads as {spot[1]} on the map.",
                "Save it with food_save_address (a label, its street and housenumber) and pass the id it returns "
                f"(saved now: {labels}).",
                field="address_id",
            ) from None

    def _summary(
        self, rest: RestaurantRec, near: GeoPoint, now: datetime, dishes: list[MatchedDish]
    ) -> RestaurantSummary:
        straight = round(haversine_m(rest.location, near))
        distance = pricing.delivery_distance_m(rest, near)
        taking = slots.taking_orders(rest, now)  # open by its hours but closing before it could cook: not open
        delivers = distance <= rest.delivery.radius_m
        return RestaurantSummary(
            id=rest.id,
            name=bilingual(rest.name, rest.name_zh),
            cuisines=[self.catalog.cuisine_label(c) for c in rest.cuisines],
            rating=rest.rating,
            rating_count=rest.rating_count,
            price_level=rest.price_level,
            street=f"{rest.street} {rest.housenumber}".strip(),
            distance_m=straight,
            is_open=taking,
            opens_at=None if taking else next_opening(rest.opening_hours, now),
            hours_today=describe_now(rest.opening_hours, now),  # the span it is in now, past midnight too
            delivers=delivers,
            # beyond its range there is no fee or ETA to quote: 'delivers false, €11.64, 84 min' was read as a price
            delivery_fee=self.money(pricing.delivery_fee_minor(rest, distance)) if delivers else None,
            min_order=self.money(rest.delivery.min_order_minor),
            # a closed kitchen delivers nothing in 30 minutes: an ETA 'if ordered now' would be a promise it breaks
            eta_minutes=pricing.eta_minutes(rest, distance) if taking and delivers else None,
            matched_dishes=dishes,
        )

    def _where(self, session: Session, user_id: str, address_id: str, lat: float, lng: float) -> GeoPoint:
        """The delivery point: an explicit address, explicit coordinates, or the default address."""
        if address_id:
            return self.saved_address(session, user_id, address_id).location
        if lat or lng:
            return require_in_city(
                GeoPoint(lat=lat, lng=lng),
                scale=self.scale,
                instead="address_id: a saved address's id from food_list_addresses (it wins over lat/lng)",
            )
        default = self.accounts.default_address(session, user_id)
        if default is None:
            raise InvalidInputError(
                "No delivery point: no address_id or lat/lng given and no saved address.",
                "Save one with food_save_address or pass lat and lng.",
            )
        return default.location

    # ----- catalog -------------------------------------------------------------------
    def search(
        self,
        user_id: str,
        *,
        query: str = "",
        address_id: str = "",
        lat: float = 0,
        lng: float = 0,
        open_now: bool = False,
        sort: SortKey = "relevance",
        limit: int = 10,
        cursor: str = "",
        max_min_order_minor: int = 0,
    ) -> RestaurantPage:
        """Restaurants that deliver to the point, ranked; a page after the cursor's restaurant.

        Vectorised over the restaurants near the point (``columns.Columns``): the text match is a score per
        restaurant from ``search.Index``, distance, fee, delivery time and open-now are numpy columns, and wire
        models are built only for the page returned."""
        q, to = deliver_to(take_out(TO_GO, query.strip())[0])
        if not to:  # '离家最近的咖啡', 'pizza near me': the words say where only
            q, to = near_saved(q)
        to = "" if address_id or lat or lng else to  # a point the caller gave wins over the words
        to_note = ""
        with Session(self.engine) as session:
            saved = self.accounts.find(session, user_id, to) if to else None
            near = saved.location if saved is not None else self._where(session, user_id, address_id, lat, lng)
        if saved is None and not to and not (address_id or lat or lng):  # 'pizza to Mannerheimintie 5'
            rest_q, place = deliver_to_place(q)
            if place:  # a label the user gave an address ('送到女朋友家的奶茶'): that address
                with Session(self.engine) as session:
                    saved = self.accounts.find(session, user_id, place)
                if saved is not None:
                    q, near = rest_q, saved.location
            spot = self._place_said(place) if place and saved is None else None
            if spot is not None:
                q, near = rest_q, spot[0]
                to_note = (
                    f"Read as delivering to {spot[1]}: distances, fees and times from there. It is no saved address: "
                    "to order there, save it with food_save_address and pass its address_id to food_update_cart."
                )
            elif place and (unplaced := self.accounts.unplaced(place)):
                q = rest_q
                why = unplaced[:1].lower() + unplaced[1:]  # 'No street called …' goes on the sentence
                to_note = f"Read {shown(place)} as where to deliver, but {why} Searched from the delivery point."
            elif place and (why := self.landmarks.not_one_place(place)):  # '电影院附近的汉堡', 'near Suomenlinna'
                q = rest_q
                to_note = f"Read {shown(place)} as where to deliver, but {why}. Searched from the delivery point."
        if saved is not None:
            to_note = f"Read as delivering to {saved.label} ({saved.one_line}): distances, fees and times from there."
        elif to:
            meant = LABEL_WORDS.get(fold_label(to), to)
            to_note = (f"No saved address is your {meant} one: searched from the default delivery point. Save it with "
                       "food_save_address, or pass address_id.")  # fmt: skip
        now = self.now()
        q, cheap = cheap_first(q)
        q, late = late_night(q, now)
        q, said_open = take_out(OPEN_NOW, q)
        open_now = open_now or said_open
        q, within = delivery_within(q)  # before the price: '30 minutes' is no amount, but keeps its number out of it
        q, when, when_words = slots.when_said(q, now)  # likewise: '7pm' and '19:00' are no price
        when = when if when is not None and when > now else None
        q, least_rating, most_fee, farthest, bound_words = bounds_said(q)  # before the price: '4.5' is no euro
        price = read_price(q)  # 'sushi under 20 euros': a price, not words of a dish
        q = price.query if price else q
        q, free = take_out(FREE_DELIVERY, q)
        q, fast = take_out(FAST_DELIVERY, q)
        absent = absent_chain(q)
        if absent is not None:  # '肯德基': none here; what it sells is
            q = absent[2]
        off_menu = self._off_menu(q)
        if off_menu is not None:  # '烤鸭': on no menu here; the kitchens that cook its kind are
            q = off_menu[2]
        q, deals = take_out(DEALS, q)
        q, whom = take_match(FOR_WHOM, q)  # 'pizza for the family': how much, not which dish
        q, mild = take_out(NOT_SPICY, q)
        q, request = take_match(KITCHEN_REQUEST, q)  # '不要香菜', 'no onions': for the kitchen, not the search
        q, rated = take_out(TOP_RATED, q)
        q, low_minimum = take_out(LOW_MIN_ORDER, q)
        q, popular = take_out(POPULAR, q)
        before = ORDERED_BEFORE.search(q)  # '上次点的那家', 'my usual': the restaurants ordered from
        q = take_out(ORDERED_BEFORE, q)[0] if before is not None else q
        reordered = sort == "relevance" and (free or fast or rated or low_minimum or popular)
        if reordered:  # the order they ask for, among what matches the rest
            sort = ("fee" if free else "delivery_time" if fast else "rating" if rated else "min_order" if low_minimum
                    else "popular")  # fmt: skip
        cols = self.catalog.columns
        vague = bool(q) and self.index.vague(q)  # 'something to eat': any restaurant, as an empty query
        look = self.index.lookup(q) if q and not vague else None
        at = cols.near(near.lat, near.lng)
        score = look.scores(at, cols.template) if look is not None else np.zeros(len(at), np.int64)
        if look is not None:
            at, score = at[score > 0], score[score > 0]
        distance = cols.road_distance(at, near.lat, near.lng)
        open_ = cols.taking_orders(minute_of_week(now))[at]
        keep = distance <= cols.radius[at]
        if open_now:
            keep &= open_
        if max_min_order_minor:
            keep &= cols.min_order[at] <= max_min_order_minor
        if least_rating:
            keep &= cols.rating[at] >= least_rating - 1e-9
        if most_fee:
            keep &= cols.fee(at, distance) <= most_fee
        if farthest:  # as the page shows distance_m: straight from the delivery point
            keep &= cols.straight_distance(at, near.lat, near.lng) <= farthest
        past: list[tuple[str, str]] = []
        if before is not None:  # each restaurant ordered from, the latest first
            past = self._ordered_from(user_id)
            past_rank = np.full(len(cols), len(past), np.int64)
            for n, (rid, _) in enumerate(past):
                if rid in cols.position:
                    past_rank[cols.position[rid]] = n
            keep &= past_rank[at] < len(past)
        if late is not None:
            keep &= cols.taking_orders(minute_of_week(late))[at]
        if when is not None:
            keep &= cols.taking_orders(minute_of_week(when))[at]
        soonest = 0  # with a delivery time said: the soonest delivery of what it left out, when it left out all
        if within is not None:
            eta = cols.eta(at, distance)
            could = keep & open_
            keep &= open_ & (eta <= within)
            if could.any() and not keep.any():
                soonest = int(eta[could].min())
        at, score, distance, open_ = at[keep], score[keep], distance[keep], open_[keep]
        priced = look is not None and bool(price)  # 'sushi under 20 euros': a sushi dish at that price, here
        before_price = len(at)
        if priced:
            assert look is not None
            fits = self._with_dish(look, at, lambda d, i: self._sells_at(d, i, price), whole_menu=True)
            at, score, distance, open_ = at[fits], score[fits], distance[fits], open_[fits]
        if mild and look is not None:
            tame = self._with_dish(look, at, lambda d, i: not self._spicy(d), whole_menu=True)
            at, score, distance, open_ = at[tame], score[tame], distance[tame], open_[tame]
        straight = cols.straight_distance(at, near.lat, near.lng)
        columns = sort_columns(cols, sort, at, score, distance, open_, straight, cheap)
        if past and sort == "relevance":
            columns = [past_rank[at], *columns]
        order = np.lexsort(columns[::-1])
        ranked = [c[order] for c in columns]
        asked = asked_digest({"query": query, "address_id": address_id, "lat": lat, "lng": lng, "open_now": open_now,
                              "sort": sort, "max_min_order_minor": max_min_order_minor})  # fmt: skip
        after = read_cursor(cursor, "food.search", asked)
        if isinstance(after, int):
            start = after
        else:
            if len(after) != len(ranked) or not isinstance(after[-1], str):
                raise not_our_cursor(cursor)
            start = count_through(ranked, (*after[:-1], id_rank(cols.ids, after[-1])))
        page = order[start : start + limit]
        more = start + limit < len(order)
        next_cursor = key_cursor(cursor_key(ranked, start + limit - 1, cols), "food.search", asked) if more else ""
        ignored = look.ignored if look is not None else self.index.unknown(q) if vague else []
        ignored = [w for w in ignored if w not in GENERIC]  # 'something healthy': 'something' asks, it is no dish
        note = [f"Left out of the query: {', '.join(repr(w) for w in ignored)} (on no menu)."] if ignored else []
        if look is not None and look.respelt:  # 'piza': the menus' spelling
            read = ", ".join(f"{shown(said)} as {shown(spelt)}" for said, spelt in look.respelt)
            note.insert(0, f"Read {read}, as the menus spell it.")
        if cheap and sort == "relevance":
            note.append("Read as a price: the lowest price level (1–4) first among equally good matches.")
        if price:
            note.append(self._price_note(price, priced, before_price if not len(order) else 0))
        if free:
            note.append(self._free_delivery_note(reordered))
        if fast and not free:
            note.append("Read as fast delivery" + (": the soonest delivery first." if reordered else "."))
        if absent is not None:
            note.insert(0, f"There is no {absent[0]} in this city: read as {shown(absent[1])}, which these sell.")
        if off_menu is not None:
            note.insert(0, f"No menu here lists {off_menu[0]}: read as {shown(off_menu[1])}, the kitchens that cook "
                           "its kind (none of them lists it).")  # fmt: skip
        if deals:
            note.append(self._deals_note())
        if whom is not None:
            note.append(
                f"Read {shown(whom[0].strip().removesuffix('的'))} as who it is for: choose the quantities in the cart "
                "(food_update_cart); a restaurant's minimum order and fee are per order."
            )
        if mild:
            note.append(
                "Read as not spicy: only dishes not tagged spicy are matched and shown (a spicy dish's spice level has "
                "no 'none')."
                if look is not None
                else "Read as not spicy: name a dish or cuisine to find its dishes that are not spicy."
            )
        if request is not None:
            asked = request[0].strip().removesuffix("的")
            note.append(
                f"Read {shown(asked)} as a request for the kitchen: no menu records what a dish leaves out, so it was "
                f"not searched; put it in the order's note (food_place_order note='{asked}')."
            )
        if before is not None:
            note.append(self._ordered_before_note(before[0].strip(), past))
        if to_note:
            note.insert(0, to_note)
        if rated and not (free or fast):
            note.append("Read as highly rated" + (": the best rated first." if reordered else "."))
        if low_minimum and not (free or fast or rated):
            note.append("Read as a low minimum order" + (": the lowest minimum order first." if reordered else "."))
        if popular and not (free or fast or rated or low_minimum):
            note.append(
                "Read as popular" + (": the most rated first (sales are not published; each rating is an order "
                                     "someone rated)." if reordered else ".")
            )  # fmt: skip
        if said_open:
            note.append("Read as open now: only restaurants taking orders now are listed.")
        if bound_words:
            kept = [f"rated at least {least_rating:g}" if least_rating else "",
                    f"delivering here for at most {self.money(most_fee).display}" if most_fee else "",
                    f"within {farthest} m (distance_m)" if farthest else ""]  # fmt: skip
            note.append(f"Read {', '.join(map(shown, bound_words))} as a bound: only restaurants "
                        f"{' and '.join(k for k in kept if k)} are listed.")  # fmt: skip
        if within is not None:
            note.append(self._within_note(within, soonest))
        if when is not None:
            note.append(
                f"Read {shown(when_words)} as when to deliver ({slots.show(when)}): only restaurants taking orders "
                f"then are listed; to have it delivered then, order with deliver_at='{when:%Y-%m-%dT%H:%M}'."
            )
        elif when_words:
            note.append(f"Read {shown(when_words)} as a delivery time that has passed: every restaurant is listed.")
        if late is not None:
            none = "; none that matches does: search without it for those open earlier" if not len(order) else ""
            then = f"{late:%H:%M} {late:%a}"
            note.append(f"Read as late night: only restaurants taking orders at {then} are listed{none}.")
        if vague:
            note.append(
                f"{shown(q)} names no dish, cuisine or restaurant, so this lists every restaurant nearby; ask what "
                "they fancy, or search a dish or cuisine."
            )
        if not len(order) and past:  # what the user ordered from: the note says so, not that nothing matches
            note.append(f"None of them has {shown(q)} now." if q else "None of them delivers here now.")
        elif not len(order) and before is None and not (priced and before_price) and not soonest:
            left = self._left_out(look, near, now, open_now, max_min_order_minor)
            note.append(left.why(q, near, max_min_order_minor, self.money))
            if look is not None and not left.matched and len(look.parts) > 1:
                note.append(self._parts_alone(look.parts, near))
                if looser := self._looser(q, look.parts):
                    note.append(looser)
        summaries = []
        for k in page.tolist():
            i, t = int(at[k]), int(cols.template[at[k]])
            dishes = self._page_dishes(look, i, t, price if priced else None, mild) if look is not None else []
            summaries.append(self._summary(cols.record(i), near, now, dishes))
        info = PageInfo(next_cursor=next_cursor, total=len(order))
        return RestaurantPage(restaurants=summaries, page=info, near=near, note=" ".join(note))

    def _in_city(self, query: str) -> int:
        """How many restaurants of the whole city ``query`` matches (not only those near the delivery point)."""
        return int(self._matching(query).sum())

    def _matching(self, query: str) -> npt.NDArray[np.bool_]:
        """Which restaurants of the whole city ``query`` matches."""
        cols = self.catalog.columns
        return self.index.lookup(query).scores(np.arange(len(cols), dtype=np.int64), cols.template) > 0

    def _parts_alone(self, parts: tuple[str, ...], near: GeoPoint) -> str:
        """What each word of a query that matched nothing matches alone: 'gluten free pizza' is on no menu as one
        dish, while 'pizza' is at 29 restaurants and 'gluten free' at 12, which the agent can offer instead. Where
        some restaurants have every one of them, in different dishes ('炸鸡 可乐': fried chicken, and a cola to go
        with it), the nearest are named: the search asks one dish to have them all ('vegan pizza' is no vegan salad
        beside a pizza), which a meal of two dishes is not."""
        each = [self._matching(p) for p in parts]
        counts = ", ".join(
            f"{shown(p)} alone {int(m.sum())} restaurant(s) in the city" for p, m in zip(parts, each, strict=True)
        )
        note = f"No one dish has all of them together: {counts}."
        every = np.flatnonzero(np.logical_and.reduce(each)).astype(np.int64)
        if len(every):
            cols = self.catalog.columns
            nearest = every[np.argsort(cols.road_distance(every, near.lat, near.lng), kind="stable")[:3]]
            named = ", ".join(f"{cols.names[i]} ({cols.ids[i]})" for i in nearest.tolist())
            note += (
                f" {len(every)} restaurant(s) in the city have each of them, in different dishes; the nearest: "
                f"{named}: food_get_restaurant shows their menus."
            )
        return f"{note} Search one, or ask the user which matters more."

    @staticmethod
    def _within_note(within: int, soonest: int) -> str:
        """How a delivery time said in the query was read; ``soonest``: the soonest delivery among the matches it
        left out, when it left out all of them."""
        if soonest:
            return (
                f"Read a delivery time (within {within} min): nothing that matches and delivers here now makes it; the "
                f"soonest takes {soonest} min. Ask whether that will do, or search without the time."
            )
        return (
            f"Read a delivery time (within {within} min): only restaurants open now that deliver that soon are listed."
        )

    def _price_note(self, price: SaidPrice, priced: bool, priced_out: int) -> str:
        """How a dish price said in the query was read: a filter on the matched dishes (at each restaurant's own
        prices), or, with no dish to price ('something under 10 euros'), no filter, said so rather than left out as
        'on no menu'. ``priced_out``: how many matches that deliver here the price left out, when it left out all."""
        bound = " and ".join(
            f"{word} {self.money(minor).display}"
            for word, minor in (("at least", price.min_minor), ("at most", price.max_minor))
            if minor
        )
        if not priced:
            return (
                f"Read a dish price ({bound}) but no dish to price: name a dish or cuisine ('sushi under 20 euros') "
                "to filter by it. 'cheap' orders by price level."
            )
        if priced_out:
            return (
                f"Read a dish price ({bound}): none of the {priced_out} restaurant(s) here with a matching dish has "
                "one at that price (sold-out dishes do not count); search without the price to see them."
            )
        return (
            f"Read a dish price ({bound}): only restaurants with a matching dish at that price are listed, with "
            "those dishes (each at the restaurant's own price, before options)."
        )

    def _own_price(self, template_minor: int, position: int) -> int:
        """A matched dish's price at the restaurant at ``position``: its template's, scaled where it was grown."""
        factor = float(self.catalog.columns.price_factor[position])
        return pricing.scaled_minor(template_minor, factor) if factor else template_minor

    def _with_dish(
        self, look: Lookup, at: npt.NDArray[np.int64], test: Callable[[Shown, int], bool], whole_menu: bool = False
    ) -> npt.NDArray[np.bool_]:
        """Which restaurants at positions ``at`` have a matched dish that passes ``test`` (the dish, the restaurant's
        position): sold now at the price said, not spicy; with ``whole_menu``, a restaurant matched by its cuisine or
        name (no dish matched) by any dish of its menu ('chinese under 20 euros': any Chinese dish at that price).
        Once per (template menu, price factor): a grown city has thousands of copies of a few menus."""
        cols = self.catalog.columns
        seen: dict[tuple[int, float], bool] = {}
        out = np.zeros(len(at), np.bool_)
        for j, i in enumerate(at.tolist()):
            t = int(cols.template[i])
            dishes = look.shown(i, t) or (self._menu(t) if whole_menu else ())
            key = (id(dishes), float(cols.price_factor[i]))  # the lookup's own tuple: one per menu it matched
            if key not in seen:
                seen[key] = any(test(d, i) for d in dishes)
            out[j] = seen[key]
        return out

    def _menu(self, template: int) -> tuple[Shown, ...]:
        """A template's whole menu as matched dishes, in menu order (kept: a page asks for it per restaurant), but
        its drinks: 'sushi under 3 euros' is no sushi place's €2.50 cola."""
        if template not in self._whole_menus:
            self._whole_menus[template] = tuple(
                (d.item.id, d.label, (), d.item.sold_out, d.item.price_minor)
                for d in self.index.dishes[template]
                if "drink" not in d.item.tags
            )
        return self._whole_menus[template]

    def _spicy(self, dish: Shown) -> bool:
        found = self.catalog.items.get(dish[0])
        return found is not None and "spicy" in found[1].tags

    def _sells_at(self, dish: Shown, position: int, price: SaidPrice) -> bool:
        """Whether the restaurant at ``position`` sells this matched dish now at the price said (at its own price)."""
        return not dish[3] and price.fits(self._own_price(dish[4], position))

    def _page_dishes(
        self, look: Lookup, position: int, template: int, price: SaidPrice | None, mild: bool = False
    ) -> list[MatchedDish]:
        """The matched dishes a result shows: the first ``MAX_DISHES``, or the first the restaurant sells now at the
        price said, or the first not spicy."""
        dishes = look.shown(position, template)
        if price is not None:  # a restaurant matched by its cuisine ('中餐 20欧以下'): the dishes of its menu that fit
            dishes = tuple(d for d in dishes or self._menu(template) if self._sells_at(d, position, price))
        if mild:
            dishes = tuple(d for d in dishes or self._menu(template) if not self._spicy(d))
        return self._own_dishes(dishes[:MAX_DISHES], position, template)

    def _place_said(self, place: str) -> tuple[GeoPoint, str] | None:
        """Where a place said as where to deliver is: a street address of the map, a landmark ('送到中央火车站',
        'to Oodi': ``shared.landmarks``), or a district's centre."""
        found = self.accounts.locate(place)
        if found is not None:
            return found
        alike = self.accounts.locate_spelt_alike(place)  # 'Manerheimintie 5' was dropped as a word on no menu
        if alike is not None:
            return alike[0], f"{alike[1]} (as the map spells {shown(place)})"
        landmark = self.landmarks.find(place)
        if landmark is not None:
            return landmark.point, f"{landmark.name} ({landmark.address})"
        district = district_in(place)  # the district alone ('Kamppi', '坎皮'), not a place in it ('Kamppi station')
        if district is not None and (fold(district.name) == fold(place) or has_cjk(place)):
            return district.point, f"{district.name} (the district's centre; a street address is exact)"
        return None

    def _off_menu(self, query: str) -> tuple[str, str, str] | None:
        """(the dish as said and named, the cuisine read instead, the query with it) for a dish of
        ``OFF_MENU_DISHES`` that no menu, name or option of the catalog has."""
        found = off_menu_dish(query)
        if found is None:
            return None
        said, dish, slug, start, end = found
        cuisine = self.catalog.cuisines.get(slug)
        if cuisine is None or self.index.known(self.index.part(folded(said))):
            return None
        label = cuisine.zh if has_cjk(said) else cuisine.en
        named = f"{shown(said)} ({dish})" if dish else shown(said)
        return named, label, f"{query[:start]} {label} {query[end:]}".strip()

    @staticmethod
    def reads_orders(query: str) -> bool:
        """Whether a search reads the user's orders ('上次点的那家', 'my usual'): its answer changes with every order
        placed or cancelled, which the read cache's tag does not watch."""
        return ORDERED_BEFORE.search(query) is not None

    def _ordered_from(self, user_id: str) -> list[tuple[str, str]]:
        """Each restaurant ``user_id`` ordered from (orders not cancelled), the latest first, with that latest order's
        id."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(OrderRow.restaurant_id, OrderRow.id)
                .where(OrderRow.user_id == user_id, col(OrderRow.cancelled_at).is_(None))
                .order_by(col(OrderRow.placed_at).desc(), col(OrderRow.id))
            ).all()
        latest: dict[str, str] = {}
        for rid, oid in rows:
            latest.setdefault(rid, oid)
        return list(latest.items())

    def _ordered_before_note(self, said: str, past: list[tuple[str, str]]) -> str:
        if not past:
            return (
                f"Read {shown(said)} as the restaurants you ordered from before: you have no orders yet (cancelled "
                "ones aside). Search a dish or a cuisine instead."
            )
        rid, oid = past[0]
        name = self.catalog.restaurants[rid].name if rid in self.catalog.restaurants else rid
        return (
            f"Read {shown(said)} as the restaurants you ordered from before, the latest first; food_update_cart "
            f"from_order_id='{oid}' puts your last order (from {name}) in the cart again."
        )

    def _deals_note(self) -> str:
        """The coupons in force, as Ele.me shows its 满减 and 红包: a deal is taken at checkout, not a dish."""
        with Session(self.engine) as session:
            coupons = self.coupons.in_force(session, self.now())
        if not coupons:
            return "Read as asking for deals: no coupon is in force now."
        said = []
        for c in coupons:
            rest = self.catalog.restaurants.get(c.restaurant_id) if c.restaurant_id else None
            only = f" (at {rest.name} only)" if rest and rest.name not in c.description else ""
            said.append(f"{c.code}: {c.description}{only}")
        return (
            "Read as asking for deals: coupons apply at checkout, to the cart (food_update_cart coupon_code; "
            f"food_get_cart shows which apply and what each saves). In force now: {'; '.join(said)}."
        )

    def _free_delivery_note(self, reordered: bool) -> str:
        """What 'free delivery' can mean here: fees grow with the distance, so none is free by itself; a coupon
        that makes it free is the honest answer (Ele.me's 免配送费 is a promotion too)."""
        with Session(self.engine) as session:
            coupons = self.coupons.free_delivery(session, self.now())
        offer = "; ".join(f"coupon {c.code}: {c.description}" for c in coupons)
        return (
            "Read as free delivery" + (": the lowest delivery fee first. " if reordered else ". ")
            + "No restaurant delivers free by itself (the fee grows with the distance)"
            + (f", but {offer}." if coupons else ", and no coupon in force makes it free.")
        )  # fmt: skip

    def _looser(self, query: str, parts: tuple[str, ...]) -> str:
        """The query with its diet word loosened (``LOOSER_DIET``), where that finds something: no pizza in the
        city is vegan, but 18 restaurants have a vegetarian one, which many asking for 'vegan pizza' would take."""
        for part in parts:
            loose = LOOSER_DIET.get(part)
            if loose is None:
                continue
            instead = re.sub(re.escape(part), loose, query, count=1, flags=re.IGNORECASE)
            if found := self._in_city(instead):
                return (
                    f"No {shown(query)} anywhere, but {shown(instead)} is at {found} restaurant(s) in the city: offer "
                    f"it if {part} is a preference rather than a must."
                )
        return ""

    def _own_dishes(self, dishes: tuple[Shown, ...], position: int, template: int) -> list[MatchedDish]:
        """A template's matched dishes under the restaurant's own item ids and prices (a grown one renames them)."""
        model, restaurant_id = self.catalog.templates[template].id, self.catalog.columns.ids[position]
        if model == restaurant_id:
            return [matched(d, self.money(d[4])) for d in dishes]
        old, new = "itm_" + model.removeprefix("rst_"), "itm_" + restaurant_id.removeprefix("rst_")
        return [matched(d, self.money(self._own_price(d[4], position)), new + d[0].removeprefix(old)) for d in dishes]

    def _left_out(self, look: Lookup | None, near: GeoPoint, now: datetime, open_now: bool, cap: int) -> LeftOut:
        """Why a search found nothing, over the whole city (rare, so a plain pass over every restaurant)."""
        cols = self.catalog.columns
        at = np.arange(len(cols), dtype=np.int64)
        if look is not None:
            at = at[look.scores(at, cols.template) > 0]
        left = LeftOut(matched=len(at))
        distance = cols.road_distance(at, near.lat, near.lng)
        far = distance > cols.radius[at]
        left.out_of_range = int(far.sum())
        if left.out_of_range:
            beyond = distance[far] - cols.radius[at[far]]
            k = int(np.lexsort((at[far], distance[far], beyond))[0])
            left.nearest = (int(beyond[k]), int(distance[far][k]), cols.record(int(at[far][k])))
        at = at[~far]
        if open_now:
            open_ = cols.taking_orders(minute_of_week(now))[at]
            opens: dict[int, datetime | None] = {}
            for i in at[~open_].tolist():
                left.closed += 1
                h = int(cols.hours[i])
                if h not in opens:
                    opens[h] = next_opening(cols.schedules[h], now)
                nxt = opens[h]
                if nxt is not None and (left.opens is None or nxt < left.opens[0]):
                    left.opens = (nxt, cols.record(i))
            at = at[open_]
        if cap:
            dear = at[cols.min_order[at] > cap]
            left.over_min = len(dear)
            if len(dear):
                left.lowest = cols.record(int(dear[np.argmin(cols.min_order[dear])]))
        return left

    def restaurant_detail(self, user_id: str, restaurant_id: str, address_id: str = "") -> RestaurantDetail:
        rest = self.restaurant(restaurant_id)
        with Session(self.engine) as session:
            near = (
                self._where(session, user_id, address_id, 0, 0)
                if address_id
                else (self.accounts.default_address(session, user_id) or None)
            )
        point = near if isinstance(near, GeoPoint) else (near.location if near else rest.location)
        summary = self._summary(rest, point, self.now(), [])
        return RestaurantDetail(
            restaurant=RestaurantInfo(
                **dict(summary),
                address=rest.address_line,
                location=rest.location,
                opening_hours=describe_week_short(rest.opening_hours),
                packaging_fee=self.money(rest.delivery.packaging_fee_minor),
                delivery_rule=pricing.delivery_rule(rest, self.currency),
            ),
            menu=self.menu(rest),
        )

    def menu(self, rest: RestaurantRec) -> Menu:
        """The wire menu, built once per restaurant: menus only change when the catalog is reloaded.

        Compact on purpose (every value is copied and checked on both sides of every call): option
        groups are listed once and items name theirs by id, option prices are integer extras in
        the menu's currency with the amount in the option's name, and false/empty fields are left out.
        """
        cached = self._menus.get(rest.id)
        if cached is not None:
            self._menus.move_to_end(rest.id)
            return cached
        menu = Menu(
            currency=self.currency,
            option_groups=[
                OptionGroup(
                    id=g.id,
                    name=bilingual(g.name, g.name_zh),
                    rule=pricing.choice_rule(g),
                    options=[
                        MenuOption(
                            id=o.id,
                            name=self._option_label(bilingual(o.name, o.name_zh), o.price_delta_minor),
                            extra_minor=o.price_delta_minor,
                        )
                        for o in g.options
                    ],
                )
                for g in self.catalog.option_groups.get(rest.id, [])
            ],
            categories=[
                MenuCategory(
                    id=cat.id,
                    name=bilingual(cat.name, cat.name_zh),
                    items=[
                        MenuItem(
                            id=item.id,
                            name=bilingual(item.name, item.name_zh),
                            description=item.description,
                            price=self.money(item.price_minor),
                            sold_out=item.sold_out,
                            tags=item.tags,
                            option_groups=[g.id for g in item.option_groups],
                            sold_out_options=[o.id for g in item.option_groups for o in g.options if o.sold_out],
                        )
                        for item in cat.items
                    ],
                )
                for cat in rest.menu
            ],
        )
        self._menus[rest.id] = menu
        while len(self._menus) > MENUS:
            self._menus.popitem(last=False)
        return menu

    def _option_label(self, name: str, extra_minor: int) -> str:
        if not extra_minor:
            return name
        return f"{name} ({'+' if extra_minor > 0 else ''}{self.money(extra_minor).display})"

    def cuisines(self) -> CuisineList:
        return CuisineList(cuisines=[Cuisine(slug=c.slug, en=c.en, zh=c.zh) for c in self.catalog.cuisines.values()])

    # ----- cart ------------------------------------------------------------------------
    def _cart_row(self, session: Session, user_id: str) -> CartRow:
        row = session.get(CartRow, user_id)
        return row if row is not None else CartRow(user_id=user_id)

    def price_cart(
        self,
        session: Session,
        user_id: str,
        row: CartRow,
        *,
        slot: datetime | None = None,
        with_coupons: bool = True,
    ) -> PricedCart:
        """The cart priced now. With ``slot`` (a scheduled delivery, checked by the caller) a restaurant closed now
        is no problem; ``with_coupons`` lists the coupons the cart could use (the cart views, not the order desk)."""
        rest = self.catalog.restaurants.get(row.restaurant_id) if row.restaurant_id else None
        address = None
        if row.address_id:
            try:
                address = self.saved_address(session, user_id, row.address_id)
            except NotFoundError:
                address = None
        address = address or self.accounts.default_address(session, user_id)
        lines: list[CartLine] = []
        problems: list[str] = []
        subtotal = 0
        for stored in row.lines:
            rest_item = self.catalog.items.get(stored["item_id"])
            if rest_item is None:
                problems.append(f"Item {stored['item_id']} is no longer on the menu; remove it (quantity 0).")
                continue
            _, item = rest_item
            option_ids = self.catalog.canonical_options(stored["option_ids"])
            options = pricing.resolve_options(item, option_ids)
            unit = pricing.unit_price_minor(item, options)
            subtotal += unit * stored["quantity"]
            lines.append(
                CartLine(
                    line_id=stored["line_id"],
                    item_id=item.id,
                    name=bilingual(item.name, item.name_zh),
                    options=[bilingual(o.name, o.name_zh) for o in options],  # as the dish, the menu and past orders
                    option_ids=option_ids,
                    quantity=stored["quantity"],
                    unit_price=self.money(unit),
                    line_total=self.money(unit * stored["quantity"]),
                )
            )
            if item.sold_out or any(o.sold_out for o in options):
                problems.append(f"{item.name} (or a chosen option) is sold out; remove it (quantity 0).")
        coupon = None
        bill = None
        eta: int | None = None
        opens: datetime | None = None
        fee = 0
        first_slot = None
        now = self.now()
        if rest is not None and lines:
            point = address.location if address else rest.location
            distance = pricing.delivery_distance_m(rest, point)
            fee = pricing.delivery_fee_minor(rest, distance)
            span = slots.lead(rest.prep_minutes, pricing.travel_minutes(distance))
            reachable = distance <= rest.delivery.radius_m  # beyond it no rider comes, now or for any slot
            first_slot = slots.earliest(rest, span, now) if reachable else None
            taking = slots.taking_orders(rest, now)  # as its search hit: open, and not closing before it could cook
            if not taking:
                opens = next_opening(rest.opening_hours, now)
            if slot is None and not is_open(rest.opening_hours, now):
                problems.append(slots.closed_problem(rest, now, first_slot))
            elif slot is None and not taking:
                problems.append(slots.closing_problem(rest, now, first_slot))
            if address is None:
                problems.append("No delivery address: save one with food_save_address.")
            if row.coupon_code:
                coupon = self.coupons.get(session, row.coupon_code)
                refusal = self.coupons.problem(session, user_id, coupon, rest, subtotal, now)
                if refusal:
                    problems.append(
                        f"{refusal.why} It is not applied, and the cart cannot be ordered with it. {refusal.remedy}"
                    )
                    coupon = None
            if not reachable:
                problems.append(
                    f"{rest.name} delivers within {rest.delivery.radius_m / 1000:.1f} km by road; "
                    f"this address is {distance / 1000:.1f} km away. Pick a closer restaurant or another address."
                )
            if subtotal < rest.delivery.min_order_minor:
                short = self.money(rest.delivery.min_order_minor - subtotal).display
                problems.append(
                    f"Minimum order at {rest.name} is {self.money(rest.delivery.min_order_minor).display} "
                    f"of items; add {short} more."
                )
            bill = pricing.build_bill(rest, subtotal, distance, coupon, self.currency)
            # a closed kitchen delivers nothing in 30 minutes: the search's rule (null, and opens_at says when)
            eta = pricing.eta_minutes(rest, distance) if taking and reachable else None
        coupons = (
            self.coupons.options(session, user_id, rest if lines else None, subtotal, fee, now) if with_coupons else []
        )
        cart = Cart(
            restaurant_id=rest.id if rest else "",
            restaurant_name=bilingual(rest.name, rest.name_zh) if rest else "",
            address=address,
            lines=lines,
            coupon_code=row.coupon_code,
            bill=bill,
            eta_minutes=eta,
            opens_at=opens,
            problems=problems if lines else ["The cart is empty: add items with food_update_cart."],
            can_order=bool(lines) and not problems,
            earliest_slot=first_slot,
            coupons=coupons,
        )
        return PricedCart(row=row, rest=rest, address=address, lines=lines, coupon=coupon, problems=problems, cart=cart)

    def get_cart(self, user_id: str) -> Cart:
        with Session(self.engine) as session:
            self.accounts.user(session, user_id)
            return self.price_cart(session, user_id, self._cart_row(session, user_id)).cart

    def _restaurant_of(self, items: list[CartItemInput]) -> str:
        """The one restaurant whose menu holds every item given, or '' ('2 more of itm_…' sent without restaurant_id
        was refused although the item id says whose dish it is)."""
        owners = set()
        for line in items:
            try:
                owners.add(self.catalog.items[line.item_id.strip()][0].id)
            except KeyError:
                return ""
        return owners.pop() if len(owners) == 1 else ""

    def update_cart(self, user_id: str, update: CartUpdate) -> Cart:
        with session_scope(self.engine) as session:
            self.accounts.take_turn(session, user_id)  # one cart write per user at a time
            row = self._cart_row(session, user_id)
            lines = [self._canonical_line(line) for line in row.lines]
            restaurant_id = row.restaurant_id
            if update.clear:
                lines, restaurant_id = [], ""
            not_added: list[NotAdded] = []
            if update.from_order_id:
                lines, restaurant_id, not_added = self._order_again(session, user_id, row, lines, update)
            if update.items:
                wanted = (
                    update.restaurant_id.strip()
                    or (restaurant_id if update.from_order_id else "")
                    or self._restaurant_of(update.items)
                )
                if not wanted:
                    raise InvalidInputError(
                        "restaurant_id is required when setting items.",
                        "Pass the id (rst_…) of the restaurant they are from, as food_search_restaurants returned it.",
                        field="restaurant_id",
                    )
                rest = self.restaurant(wanted)
                if lines and restaurant_id and restaurant_id != rest.id:
                    if not update.replace_cart:
                        current = self.catalog.restaurants[restaurant_id]
                        raise ConflictError(
                            f"Your cart holds {sum(line['quantity'] for line in lines)} item(s) from {current.name}; "
                            f"a cart can only hold one restaurant's food.",
                            f"Ask the user, then call again with replace_cart=true to empty it and start a cart at "
                            f"{rest.name}.",
                        )
                    lines = []
                restaurant_id = rest.id
                lines = self._apply_items(rest, lines, update)
            if len(lines) > MAX_LINES and len(lines) > len(row.lines):
                raise ConflictError(
                    f"A cart holds at most {MAX_LINES} different lines (a dish with its options); this change would "
                    f"make it {len(lines)}, so nothing was changed.",
                    "Raise the quantity of a line already in the cart, remove lines with quantity 0, or order this "
                    "cart first.",
                    limit=MAX_LINES,
                )
            if update.address_id:
                row.address_id = self.saved_address(session, user_id, update.address_id).id  # a label said: its id
            code = "".join(update.coupon_code.split())  # ' welcome 5 ', as pasted or read out, is WELCOME5
            if code:
                if code.lower() == "none":
                    row.coupon_code = ""
                else:
                    best_asked = BEST_COUPON.fullmatch(" ".join(update.coupon_code.split()))  # '最划算的', 'best'
                    coupon = None if best_asked else self.coupons.get(session, code)
                    probe = CartRow(
                        user_id=user_id, restaurant_id=restaurant_id, lines=lines, address_id=row.address_id
                    )
                    priced = self.price_cart(session, user_id, probe, with_coupons=False)
                    if priced.rest is None:
                        raise ConflictError("Add items before applying a coupon.", "Fill the cart first.")
                    subtotal = priced.cart.bill.items_subtotal.amount_minor if priced.cart.bill else 0
                    if coupon is None:
                        fee = priced.cart.bill.delivery_fee.amount_minor if priced.cart.bill else 0
                        best = self.coupons.best(session, user_id, priced.rest, subtotal, fee, self.now())
                        if best is None:
                            raise ConflictError(
                                f"coupon_code {shown(update.coupon_code)} asks for the coupon that saves most, and "
                                "none applies to this cart now. Nothing in the cart was changed.",
                                "food_get_cart lists the coupons valid today with why each does not apply.",
                            )
                        coupon = self.coupons.get(session, best.code)
                    refusal = self.coupons.problem(session, user_id, coupon, priced.rest, subtotal, self.now())
                    if refusal:  # the whole update is refused with it: say so, or the items were thought added
                        rest_of = update.items or update.address_id or update.from_order_id or update.clear
                        raise ConflictError(
                            refusal.why + (" Nothing in the cart was changed." if rest_of else ""),
                            refusal.remedy
                            + (" Call again without coupon_code to make the other changes." if rest_of else ""),
                        )
                    row.coupon_code = coupon.code
            row.lines = lines
            row.restaurant_id = restaurant_id if lines else ""
            if not lines:
                row.coupon_code = ""
            row.version += 1
            session.add(row)
            session.flush()
            cart = self.price_cart(session, user_id, row).cart
            return cart.model_copy(update={"not_added": not_added}) if not_added else cart

    def _order_again(
        self, session: Session, user_id: str, row: CartRow, lines: list[dict[str, Any]], update: CartUpdate
    ) -> tuple[list[dict[str, Any]], str, list[NotAdded]]:
        """The cart lines of a past order of this user's (再来一单), and what could not be added; the order's address
        becomes the cart's when it is still saved and no other was asked for."""
        order = reorder.past_order(session, user_id, update.from_order_id)
        if lines and not update.replace_cart:
            current = self.catalog.restaurants.get(row.restaurant_id)
            raise ConflictError(
                f"Your cart holds {sum(line['quantity'] for line in lines)} item(s)"
                f"{' from ' + current.name if current else ''}; ordering {order.id} again replaces them.",
                "Ask the user, then call again with replace_cart=true (or clear=true).",
            )
        rest, again, not_added = reorder.refill(self.catalog, order, line_key)
        address_id = order.snapshot.get("address", {}).get("id", "")
        if address_id and not update.address_id:
            with contextlib.suppress(NotFoundError):  # deleted since: the cart keeps its own
                row.address_id = self.saved_address(session, user_id, address_id).id
        return again, rest.id if rest is not None and again else "", not_added

    def _canonical_line(self, line: dict[str, Any]) -> dict[str, Any]:
        """A stored cart line with shared option ids (carts saved before option groups were shared)."""
        option_ids = self.catalog.canonical_options(line["option_ids"])
        if option_ids == line["option_ids"]:
            return dict(line)
        return {**line, "option_ids": option_ids, "line_id": line_key(line["item_id"], option_ids)}

    @staticmethod
    def _refuse_missing_line(item: ItemRec, option_ids: list[str], lines: list[dict[str, object]]) -> None:
        """Removing a line the cart does not have: refused when the cart has other lines of the item, since a
        line is the item *with its options* and a removal naming the wrong options used to change nothing
        silently; the error lists the item's lines so the model can name the one it meant. With no line of the
        item at all the removal is already done (a retried removal), so it stays a no-op."""
        same_item = [line for line in lines if line["item_id"] == item.id]
        if not same_item:
            return
        names = {opt.id: bilingual(opt.name, opt.name_zh) for group in item.option_groups for opt in group.options}

        def options(ids: object) -> str:
            chosen = [names.get(str(oid), str(oid)) for oid in ids] if isinstance(ids, list) else []
            return f"[{', '.join(chosen)}]" if chosen else "[no options]"

        listed = "; ".join(f"{options(line['option_ids'])} ×{line['quantity']}" for line in same_item)
        ids = "; ".join(f"{options(line['option_ids'])}: option_ids={line['option_ids']}" for line in same_item)
        raise NotFoundError(
            f"No line of {item.name} with exactly {options(option_ids)} in the cart; its {item.name} lines: {listed}.",
            f"Pass the option_ids of the line to remove with quantity 0 ({ids}); nothing was changed.",
            field="option_ids",
        )

    @staticmethod
    def _dishes_named(rest: RestaurantRec, said: str) -> list[tuple[str, str]]:
        """The dishes of ``rest``'s menu a name passed as an item id names ('千层面', 'Lasagne'), with their ids: the
        whole name, else words of it ('Twin-pot' for 'Twin-pot (spicy + mild)', '宫保' for 宫保鸡丁, 'chicken' for
        every chicken dish), which were 'not a valid id' though the menu shows them so."""
        wanted = fold(said)
        menu = [(item, fold(item.name), fold(item.name_zh)) for category in rest.menu for item in category.items]
        named = [(item, en, zh) for item, en, zh in menu if wanted in (en, zh)]
        if not named and len(wanted) >= (2 if has_cjk(wanted) else 3):
            words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
            named = [(item, en, zh) for item, en, zh in menu if words.search(en) or (has_cjk(wanted) and wanted in zh)]
        return [(bilingual(item.name, item.name_zh), item.id) for item, _, _ in named]

    def _apply_items(
        self, rest: RestaurantRec, lines: list[dict[str, object]], update: CartUpdate
    ) -> list[dict[str, object]]:
        seen: dict[str, int] = {}  # line id → the entry that set it
        for i, entry in enumerate(update.items):
            if entry.quantity < 0 or entry.quantity > MAX_QUANTITY:
                raise InvalidInputError(
                    f"quantity {entry.quantity} for {entry.item_id} is out of range.",
                    f"Use 1–{MAX_QUANTITY} to set a quantity, or 0 to remove the line.",
                    field="quantity",
                )
            check_id(
                entry.item_id,
                "itm",
                field=f"items[{i}].item_id",
                source="food_get_restaurant",
                names=lambda said, rest=rest: self._dishes_named(rest, said),  # type: ignore[misc]
            )
            found = self.catalog.items.get(entry.item_id)
            if found is None or found[0].id != rest.id:
                raise NotFoundError(
                    f"Item {shown(entry.item_id)} is not on {rest.name}'s menu.",
                    f"Read the menu with food_get_restaurant(restaurant_id='{rest.id}').",
                    field="item_id",
                )
            item = found[1]
            pricing.check_option_entries(item, entry.option_ids, f"items[{i}].option_ids")
            option_ids = self.catalog.canonical_options(entry.option_ids)
            line_id = line_key(item.id, option_ids)
            if line_id in seen:
                # Quantities set a line, so a second entry for it silently replaced the first ('one water for me,
                # two for the kids' became 2): the model adds them up, knowing which the user meant.
                first = seen[line_id]
                total = update.items[first].quantity + entry.quantity
                raise InvalidInputError(
                    f"items[{first}] and items[{i}] are the same line: {item.name} ({item.id}) with the same options.",
                    f"Give it once with its total quantity (quantity {total} if both are wanted); nothing was changed.",
                    field=f"items[{i}]",
                )
            seen[line_id] = i
            kept = [line for line in lines if line["line_id"] != line_id]
            if entry.quantity == 0 and len(kept) == len(lines):
                self._refuse_missing_line(item, option_ids, lines)
            lines = kept
            if entry.quantity == 0:
                continue
            pricing.check_known_options(item, entry.option_ids, f"items[{i}].option_ids", self.catalog.option_aliases)
            options = pricing.resolve_options(item, option_ids)
            if item.sold_out:
                raise ConflictError(f"{item.name} is sold out today.", "Pick another dish from the menu.")
            sold = [o.name for o in options if o.sold_out]
            if sold:
                raise ConflictError(f"Option {sold[0]} of {item.name} is sold out.", "Choose another option.")
            lines.append({"line_id": line_id, "item_id": item.id, "option_ids": option_ids, "quantity": entry.quantity})
        return lines
