"""Coupons: which exist, whether one applies to a cart now (and why not), and the ones a cart could use.

One judge (``problem``) decides for applying a code, for the bill and for the list the cart shows,
so the list never offers a coupon that applying would refuse.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from shared.clock import local
from shared.errors import NotFoundError, shown
from shared.schemas.common import Money
from shared.schemas.food import CouponOption

from . import pricing
from .catalog import Catalog, RestaurantRec
from .models import CouponRow, OrderRow
from .pricing import Coupon


def _coupon(row: CouponRow) -> Coupon:
    d = row.data
    return Coupon(
        code=row.code,
        description=d["description"],
        kind=d["kind"],
        amount_minor=d.get("amount_minor", 0),
        percent=d.get("percent", 0),
        max_discount_minor=d.get("max_discount_minor", 0),
        min_subtotal_minor=d.get("min_subtotal_minor", 0),
        restaurant_id=d.get("restaurant_id", ""),
        valid_from=datetime.fromisoformat(d["valid_from"]),
        valid_until=datetime.fromisoformat(d["valid_until"]),
        per_user_limit=d.get("per_user_limit", 0),
    )


DROP = "order without it (food_update_cart(coupon_code='none') removes it from the cart)"


@dataclass(frozen=True)
class Refusal:
    """Why a coupon does not apply to a cart (``Coupons.problem``), and whether changing the cart can mend it: the
    advice follows from the rule that refused, rather than from the rules checked again ('Adjust the cart' sent the
    model to change a cart that could never qualify)."""

    why: str
    cart_can_fix: bool
    """Only a short subtotal or another restaurant's cart is mended by changing the cart; a coupon used up or out
    of its dates is not."""

    @property
    def remedy(self) -> str:
        """What the user can do about it."""
        if self.cart_can_fix:
            return f"Change the cart so it qualifies, or {DROP}."
        return f"It cannot apply to this order: {DROP}, or use another of the cart's coupon options."


BEST_COUPON = re.compile(
    r"(?:the )?(?:best|biggest|best[- ]value|cheapest|any)(?: (?:coupon|deal|discount|one))?|auto|automatic"
    r"|最(?:划算|优惠|省钱|便宜|大|多)的?(?:红包|优惠券|券|优惠)?|(?:自动|随便)(?:用|选)?(?:红包|优惠券|券)?",
    re.IGNORECASE,
)
"""A coupon asked for by what it does, not its code ('the best coupon', '用最划算的红包' → '最划算的'): 'No coupon
最划算的', though the cart listed what each coupon would save."""


class Coupons:
    def __init__(self, catalog: Catalog, currency: str) -> None:
        self.catalog = catalog
        self.currency = currency

    def money(self, minor: int) -> Money:
        return Money.of(minor, self.currency)

    def in_force(self, session: Session, now: datetime) -> list[Coupon]:
        """The coupons in force now (any restaurant's, or one's own), by code."""
        coupons = [_coupon(row) for row in session.exec(select(CouponRow).order_by(col(CouponRow.code))).all()]
        return [c for c in coupons if c.valid_from <= now <= c.valid_until]

    def free_delivery(self, session: Session, now: datetime) -> list[Coupon]:
        """The coupons in force now that make delivery free."""
        return [c for c in self.in_force(session, now) if c.kind == "free_delivery"]

    def get(self, session: Session, code: str) -> Coupon:
        """The coupon a code names, however it was typed: codes are upper case and have no spaces."""
        row = session.get(CouponRow, "".join(code.split()).upper())
        if row is None:  # the codes there are, with what each does: '新人红包' (the new-customer one) named none
            rows = session.exec(select(CouponRow).order_by(col(CouponRow.code))).all()
            there = "; ".join(f"{r.code} ({r.data['description']})" for r in rows[:8])
            raise NotFoundError(
                f"No coupon {shown(code)}.",
                f"Coupon codes: {there}; pass one as coupon_code (coupon_code='best' picks the one saving most), or "
                "order without one.",
            )
        return _coupon(row)

    @staticmethod
    def used(session: Session, user_id: str, codes: list[str]) -> Counter[str]:
        """How often the user used each of ``codes`` on orders that were not cancelled."""
        rows = session.exec(
            select(OrderRow.coupon_code).where(
                OrderRow.user_id == user_id,
                col(OrderRow.coupon_code).in_(codes),
                OrderRow.cancelled_at == None,  # noqa: E711
            )
        ).all()
        return Counter(rows)

    def problem(
        self,
        session: Session,
        user_id: str,
        coupon: Coupon,
        rest: RestaurantRec,
        subtotal: int,
        now: datetime,
        used: Counter[str] | None = None,
    ) -> Refusal | None:
        """Why ``coupon`` does not apply to this cart, or None if it does."""
        fmt = self.money
        if not coupon.valid_from <= now <= coupon.valid_until:
            span = f"{local(coupon.valid_from):%Y-%m-%d} to {local(coupon.valid_until):%Y-%m-%d}"
            return Refusal(f"Coupon {coupon.code} is only valid {span}.", cart_can_fix=False)
        if coupon.restaurant_id and coupon.restaurant_id != rest.id:
            other = self.catalog.restaurants.get(coupon.restaurant_id)
            where = other.name if other else coupon.restaurant_id
            return Refusal(f"Coupon {coupon.code} only works at {where}.", cart_can_fix=True)
        if subtotal < coupon.min_subtotal_minor:
            short = fmt(coupon.min_subtotal_minor - subtotal).display
            need = fmt(coupon.min_subtotal_minor).display
            return Refusal(f"Coupon {coupon.code} needs items worth {need}; add {short} more.", cart_can_fix=True)
        if coupon.per_user_limit:
            times = (used if used is not None else self.used(session, user_id, [coupon.code]))[coupon.code]
            if times >= coupon.per_user_limit:
                return Refusal(f"Coupon {coupon.code} was already used {times} time(s), its limit.", cart_can_fix=False)
        return None

    def options(
        self,
        session: Session,
        user_id: str,
        rest: RestaurantRec | None,
        subtotal: int,
        delivery_fee: int,
        now: datetime,
    ) -> list[CouponOption]:
        """The coupons valid today for this cart's restaurant, applicable ones first (largest saving first)."""
        coupons = [_coupon(row) for row in session.exec(select(CouponRow)).all()]
        coupons = [
            c
            for c in coupons
            if c.valid_from <= now <= c.valid_until
            and (not c.restaurant_id or rest is None or c.restaurant_id == rest.id)
        ]
        used = self.used(session, user_id, [c.code for c in coupons if c.per_user_limit])
        out: list[tuple[tuple[object, ...], CouponOption]] = []
        for c in coupons:
            if rest is None or not subtotal:
                why = "Add items to the cart first."
                if c.restaurant_id:
                    other = self.catalog.restaurants.get(c.restaurant_id)
                    why = f"Only at {other.name if other else c.restaurant_id}; add items from there first."
            else:
                refusal = self.problem(session, user_id, c, rest, subtotal, now, used)
                why = refusal.why if refusal else ""
            saving = 0 if why else pricing.coupon_discount(c, subtotal, delivery_fee)
            option = CouponOption(
                code=c.code, rule=c.description, applies=not why, why_not=why, saving=self.money(saving)
            )
            out.append(((bool(why), -saving, c.code), option))
        out.sort(key=lambda entry: entry[0])
        return [option for _, option in out]

    def best(
        self, session: Session, user_id: str, rest: RestaurantRec, subtotal: int, delivery_fee: int, now: datetime
    ) -> CouponOption | None:
        """The coupon that would take most off this cart now (None when none applies): Ele.me picks the best red
        packet at checkout; here the user chooses ('用最划算的红包'), and the quote names it when they have not."""
        usable = [
            c for c in self.options(session, user_id, rest, subtotal, delivery_fee, now)
            if c.applies and c.saving.amount_minor > 0
        ]  # fmt: skip
        return max(usable, key=lambda c: c.saving.amount_minor) if usable else None
