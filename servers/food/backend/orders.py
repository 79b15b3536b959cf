"""Orders: quote → confirm → lifecycle → cancel, with money moving exactly once.

The money path is the account's checkout core: a quote binds a confirmation token to a fingerprint
of the cart, address, payment method and note and to the exact total. Placing with a token
re-prices the cart and refuses if anything moved, and a token that already became an order returns
that order (a retry after a lost response never charges twice). Status is derived from the
placement time (or the booked delivery slot) and the simulated clock, so there are no background
jobs to run or to forget.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shared.account import Checkout, Claim, Offer, fingerprint
from shared.clock import local, utc
from shared.cursor import keyset_slice, latest_placed, newest_first, placed_now
from shared.errors import ConflictError, NotFoundError, shown
from shared.geo import CITY_TZ
from shared.kit.db import session_scope
from shared.phrases import latest_order_said
from shared.schemas.account import Address
from shared.schemas.common import GeoPoint, check_id, new_id
from shared.schemas.food import (
    Bill,
    CancelOrder,
    CancelQuote,
    CartLine,
    Order,
    OrderFilter,
    OrderPage,
    OrderQuote,
    OrderStatus,
    OrderSummary,
    PaymentMethod,
    PlaceOrder,
    QuoteRequest,
    Rider,
    TimelineStep,
)

from . import pricing, slots
from .models import CartRow, OrderRow
from .service import FoodService
from .slots import ACCEPT_AFTER, PICKUP_TO_RIDE, PREP_STARTS

QUOTE_TTL = timedelta(minutes=10)
CANCEL_QUOTE_TTL = timedelta(minutes=5)
CART = "cart"  # the subject an order quote is for: the user's one cart
RIDER_NAMES = ("Aleksi", "Wei", "Noora", "Jonas", "Li Na", "Mikko", "Sanna", "Chen")
ACTIVE: tuple[OrderStatus, ...] = ("placed", "accepted", "preparing", "picked_up", "delivering")
POLICY = (
    "Cancellation: full refund before the restaurant accepts (about 2 minutes after ordering); "
    "50% refund while it is being prepared; no cancellation once the rider has picked it up."
)
SCHEDULED_POLICY = (
    "Cancellation (scheduled order): full refund until the kitchen starts (at {start}); "
    "50% refund while it is being prepared; no cancellation once the rider has picked it up."
)
DROP_EVENTS: dict[OrderStatus, str] = {
    "accepted": "the restaurant is expected to accept the order",
    "preparing": "the kitchen is expected to start cooking",
    "picked_up": "the rider is expected to pick the food up",
}


FIX_PROBLEMS = (
    "Nothing was ordered. Do what each problem says: food_update_cart for the items, the coupon or the address, "
    "deliver_at to order ahead while the restaurant is closed"
)
"""The hint of a refused order: the problems carry their own fixes, and 'fix the cart' sent a model to change a
cart that was fine when only the time was wrong (a closed restaurant)."""


class OrderDesk:
    def __init__(self, service: FoodService) -> None:
        self.svc = service
        self.checkout = Checkout(
            "food",
            currency=service.currency,
            decline_hint="Pay cash on delivery (payment_method='cash') or remove items.",
        )

    # ----- quoting and placing ---------------------------------------------------------
    @staticmethod
    def _offer(
        row: CartRow, address: Address, method: PaymentMethod, note: str, total: int, now: datetime, deliver_at: str
    ) -> Offer:
        """The cart as the user confirms it: what it holds, where and when it goes, how it is paid, for how much.
        Where is the address as it reads, not only its id: saving the label again (same id) between the quote and
        the confirmation used to send the order to the new street the user never saw."""
        where = (address.id, address.one_line, address.location.lat, address.location.lng)
        parts: tuple[object, ...] = (row.restaurant_id, row.lines, row.coupon_code, *where, method, note)
        return Offer(
            amount_minor=total,
            fingerprint=fingerprint(*parts, deliver_at) if deliver_at else fingerprint(*parts),
            expires_at=now + QUOTE_TTL,
            method=method,
            payload={"address_id": address.id, "address": address.one_line, "note": note, "deliver_at": deliver_at},
        )

    def quote(self, user_id: str, request: QuoteRequest) -> OrderQuote:
        svc = self.svc
        with session_scope(svc.engine) as session:
            svc.accounts.user(session, user_id)
            row = svc._cart_row(session, user_id)
            if request.address_id:
                address_id = svc.saved_address(session, user_id, request.address_id).id  # a label said: its id
                row = CartRow.model_validate(row.model_dump() | {"address_id": address_id})
            now = svc.now()
            when = slots.asked(request.deliver_at)  # '尽快', 'ASAP': '' by another name
            slot = slots.parse(when, now) if when else None
            priced = svc.price_cart(session, user_id, row, slot=slot, with_coupons=False)
            if not priced.cart.can_order:
                raise ConflictError(
                    "The cart cannot be ordered yet: " + " ".join(priced.cart.problems),
                    FIX_PROBLEMS + ", then try again.",
                )
            assert priced.address is not None and priced.cart.bill is not None and priced.rest is not None
            bill = priced.cart.bill
            if slot is not None:
                slots.check(priced.rest, slot, self._lead(priced.rest.prep_minutes, bill.distance_m), now)
                eta = math.ceil((slot - now).total_seconds() / 60)
            else:  # orderable now: taking orders, so the cart has its delivery time
                assert priced.cart.eta_minutes is not None
                eta = priced.cart.eta_minutes
            deliver_at = slot.astimezone(CITY_TZ).isoformat() if slot is not None else ""
            offer = self._offer(
                row,
                priced.address,
                request.payment_method,
                request.note.strip(),
                bill.total.amount_minor,
                now,
                deliver_at,
            )
            quote = self.checkout.quote(
                session, user_id, action="order", subject_id=CART, direction="charge", offer=offer, now=now
            )
            unused = (
                None
                if row.coupon_code
                else self.svc.coupons.best(
                    session, user_id, priced.rest, bill.items_subtotal.amount_minor, bill.delivery_fee.amount_minor, now
                )
            )
            left = f" Coupon {unused.code} would save {unused.saving.display}; it is not applied." if unused else ""
            pay = "wallet" if request.payment_method == "wallet" else "cash on delivery"
            arriving = (
                f"delivered at {slot:%a %d %b %H:%M} (scheduled)"
                if slot is not None
                else f"arriving in about {eta} min"
            )
            return OrderQuote(
                confirmation_token=quote.token,
                expires_at=local(quote.expires_at),
                restaurant_name=priced.cart.restaurant_name,
                address=priced.address,
                payment_method=request.payment_method,
                bill=bill,
                eta_minutes=eta,
                deliver_at=slot,
                wallet_after=svc.money(quote.balance_after),
                unused_coupon=unused,
                summary=(
                    f"Order {sum(line.quantity for line in priced.lines)} item(s) from {priced.rest.name} to "
                    f"{priced.address.one_line}, pay {bill.total.display} by {pay}, {arriving}.{left}"
                ),
            )

    def place(self, user_id: str, request: PlaceOrder) -> Order:
        svc = self.svc
        with session_scope(svc.engine) as session:
            # The user's turn first (as food_update_cart takes it): a cart change racing this order either lands
            # before it (and the fingerprint refuses the order) or after it (in the emptied cart), never lost.
            svc.accounts.take_turn(session, user_id)
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="order", subject_id=CART, subject="cart"
            )
            now = svc.now()
            said = request.address_id.strip()
            if said and not said.startswith("adr_"):  # a label ('Work'), as the quote read it
                request = request.model_copy(update={"address_id": svc.saved_address(session, user_id, said).id})
            self._require_as_asked(claim, request, now)
            if claim.result_id:  # this very token already ordered: a retry
                return self._order(session, session.get(OrderRow, claim.result_id))  # type: ignore[arg-type]
            self.checkout.require_live(claim, now)
            row = svc._cart_row(session, user_id)
            address_id, note = claim.payload["address_id"], claim.payload["note"]
            deliver_at = claim.payload.get("deliver_at", "")
            slot = datetime.fromisoformat(deliver_at) if deliver_at else None
            method: PaymentMethod = "cash" if claim.row.method == "cash" else "wallet"
            as_quoted = CartRow.model_validate(row.model_dump() | {"address_id": address_id})
            priced = svc.price_cart(session, user_id, as_quoted, slot=slot, with_coupons=False)
            bill = priced.cart.bill
            total = bill.total.amount_minor if bill else 0
            if priced.address is None:
                raise ConflictError(
                    "The order cannot be placed now: " + " ".join(priced.cart.problems),
                    FIX_PROBLEMS + ", and quote again.",
                )
            quoted_at, now_at = str(claim.payload.get("address", "")), priced.address.one_line
            if quoted_at and quoted_at != now_at:
                raise ConflictError(
                    f"The delivery address {priced.address.label} ({address_id}) was changed after this quote: the "
                    f"user confirmed {quoted_at}, it now reads {now_at}; nothing was ordered.",
                    "Call again without a token to quote the order to the address as it is now, and confirm that "
                    "with the user.",
                )
            offer = self._offer(row, priced.address, method, note, total, now, deliver_at)
            if offer.fingerprint != claim.row.fingerprint:
                self.checkout.require_unchanged(claim, offer, what="cart")
            if not priced.cart.can_order or bill is None:
                raise ConflictError(
                    "The order cannot be placed now: " + " ".join(priced.cart.problems),
                    FIX_PROBLEMS + ", and quote again.",
                )
            self.checkout.require_unchanged(claim, offer, what="cart")
            assert priced.rest is not None and priced.address is not None
            if slot is not None:  # time passed since the quote: the slot may be too soon now
                slots.check(priced.rest, slot, self._lead(priced.rest.prep_minutes, bill.distance_m), now)
            order_id = new_id("ord")
            self.checkout.settle(session, claim, ref=order_id, now=now, memo=f"Order from {priced.rest.name}")
            order = OrderRow(
                id=order_id,
                user_id=user_id,
                restaurant_id=priced.rest.id,
                quote_token=claim.token,
                total_minor=bill.total.amount_minor,
                currency=svc.currency,
                payment_method=method,
                coupon_code=priced.coupon.code if priced.coupon else "",
                note=note,
                snapshot=self._snapshot(order_id, priced.rest, priced.address, priced.lines, bill, slot),
                placed_at=placed_now(session, OrderRow.placed_at, OrderRow.user_id, user_id, now),
            )
            session.add(order)
            row.lines, row.restaurant_id, row.coupon_code = [], "", ""
            row.version += 1
            session.add(row)
            session.flush()
            return self._order(session, order)

    def _require_as_asked(self, claim: Claim, request: PlaceOrder, now: datetime) -> None:
        """Refuse a token sent with another address, slot, payment method or note than its quote's: placing the
        quoted order would deliver or charge otherwise than the agent now asks, and it would tell the user so."""
        check = self.checkout.require_value_as_asked
        address = str(claim.payload["address_id"])
        check(claim, "address_id", request.address_id.strip(), address, same=request.address_id.strip() == address)
        quoted = claim.payload.get("deliver_at", "")
        slot = datetime.fromisoformat(quoted) if quoted else None
        asked = slots.asked(request.deliver_at)
        when = f"{slot.astimezone(CITY_TZ):%Y-%m-%dT%H:%M}" if slot else "'' (as soon as possible)"
        quoted_at = when if slot else ""
        check(claim, "deliver_at", asked, quoted_at, same=slots.names(asked, slot, now, local(claim.row.created_at)),
              quoted_shown=when)  # fmt: skip
        method = "cash" if claim.row.method == "cash" else "wallet"
        same = request.payment_method == method  # the tool's enum has no '': the default is left out instead
        check(claim, "payment_method", request.payment_method, method, same=same, keep="leave payment_method out")
        note = str(claim.payload["note"])
        check(claim, "note", request.note.strip(), note, same=request.note.strip() == note)

    @staticmethod
    def _lead(prep_min: int, distance_m: int) -> timedelta:
        return slots.lead(prep_min, pricing.travel_minutes(distance_m))

    def _snapshot(
        self,
        order_id: str,
        rest: pricing.RestaurantRec,
        address: Address,
        lines: list[CartLine],
        bill: Bill,
        slot: datetime | None,
    ) -> dict[str, object]:
        """Everything the order needs later, frozen now: menus and fees may change after."""
        rng = random.Random(order_id)
        travel_min = pricing.travel_minutes(bill.distance_m)
        return {
            "deliver_at": utc(slot).isoformat() if slot is not None else "",
            "restaurant_name": rest.name,
            "restaurant_location": [rest.lat, rest.lng],
            "address": address.model_dump(mode="json"),
            "lines": [line.model_dump(mode="json") for line in lines],
            "bill": bill.model_dump(mode="json"),
            "prep_min": rest.prep_minutes,
            "travel_min": travel_min,
            "rider": {
                "name": rng.choice(RIDER_NAMES),
                "phone": f"+358 40 *** {rng.randint(10, 99)}{rng.randint(10, 99)}",
                "start": [rest.lat + rng.uniform(-0.006, 0.006), rest.lng + rng.uniform(-0.012, 0.012)],
            },
        }

    # ----- lifecycle -------------------------------------------------------------------
    @staticmethod
    def _slot(order: OrderRow) -> datetime | None:
        """The booked delivery slot of a scheduled order (None: as soon as possible)."""
        value = order.snapshot.get("deliver_at", "")
        return utc(datetime.fromisoformat(value)) if value else None

    @classmethod
    def _milestones(cls, order: OrderRow) -> list[tuple[OrderStatus, datetime]]:
        """The lifecycle, from the placement or, for a scheduled order, back from its slot."""
        placed = utc(order.placed_at)
        snap = order.snapshot
        slot = cls._slot(order)
        start = slot - slots.lead(snap["prep_min"], snap["travel_min"]) if slot is not None else placed
        picked = start + PREP_STARTS + timedelta(minutes=snap["prep_min"])
        return [
            ("placed", placed),
            ("accepted", start + ACCEPT_AFTER),
            ("preparing", start + PREP_STARTS),
            ("picked_up", picked),
            ("delivering", picked + PICKUP_TO_RIDE),
            ("delivered", picked + PICKUP_TO_RIDE + timedelta(minutes=snap["travel_min"])),
        ]

    def status(self, order: OrderRow, now: datetime) -> OrderStatus:
        if order.cancelled_at is not None:
            return "cancelled"
        current: OrderStatus = "placed"
        for status, at in self._milestones(order):
            if at <= now:
                current = status
        return current

    @staticmethod
    def _lerp(a: list[float], b: list[float], t: float) -> GeoPoint:
        if t >= 1:
            return GeoPoint(lat=b[0], lng=b[1])
        t = max(t, 0.0)
        return GeoPoint(lat=round(a[0] + (b[0] - a[0]) * t, 6), lng=round(a[1] + (b[1] - a[1]) * t, 6))

    def _rider(self, order: OrderRow, status: OrderStatus, now: datetime) -> Rider | None:
        if status in ("placed", "cancelled"):
            return None
        snap = order.snapshot
        marks = dict(self._milestones(order))
        rest, home = (
            snap["restaurant_location"],
            [snap["address"]["location"]["lat"], snap["address"]["location"]["lng"]],
        )
        if status in ("accepted", "preparing"):
            span = (marks["picked_up"] - marks["accepted"]).total_seconds()
            where = self._lerp(snap["rider"]["start"], rest, (now - marks["accepted"]).total_seconds() / span)
        elif status == "picked_up":
            where = self._lerp(rest, rest, 0)
        else:
            span = (marks["delivered"] - marks["delivering"]).total_seconds()
            where = self._lerp(rest, home, (now - marks["delivering"]).total_seconds() / span)
        return Rider(name=snap["rider"]["name"], phone=snap["rider"]["phone"], location=where)

    def _refund_for(self, order: OrderRow, status: OrderStatus) -> tuple[int | None, str]:
        """(refund in minor units or None if refused, the reason)."""
        charged = order.total_minor if order.payment_method == "wallet" else 0
        note = "" if order.payment_method == "wallet" else " (cash order: nothing was charged)"
        if status == "placed":
            return charged, "Full refund: the restaurant has not accepted yet." + note
        if status == "accepted" and self._slot(order) is not None:
            return charged, "Full refund: the kitchen has not started this scheduled order yet." + note
        if status in ("accepted", "preparing"):
            return charged // 2, "50% refund: the restaurant is already preparing the food." + note
        if status == "cancelled":
            return None, "The order is already cancelled."
        return None, f"The order is {status.replace('_', ' ')}; it can no longer be cancelled."

    def _policy(self, order: OrderRow) -> str:
        if self._slot(order) is None:
            return POLICY
        kitchen = dict(self._milestones(order))["preparing"]
        return SCHEDULED_POLICY.format(start=f"{local(kitchen):%a %H:%M}")

    def _next_drop(self, order: OrderRow, now: datetime) -> tuple[datetime, int, OrderStatus] | None:
        """When cancelling next gets worse (the refund drops, or cancelling ends: refund 0), the refund from then
        and the step that causes it; None when nothing changes any more."""
        current, _ = self._refund_for(order, self.status(order, now))
        for status, at in self._milestones(order):
            if at > now:
                then, _ = self._refund_for(order, status)
                if then != current:
                    return at, then or 0, status
        return None

    def _order(self, session: Session, order: OrderRow) -> Order:
        now = self.svc.now()
        status = self.status(order, now)
        snap = order.snapshot
        steps = [TimelineStep(status=s, at=at.astimezone(CITY_TZ), done=at <= now) for s, at in self._milestones(order)]
        if order.cancelled_at is not None:
            cancelled_at = utc(order.cancelled_at)
            steps = [s for s in steps if s.done and s.at <= cancelled_at]
            steps.append(TimelineStep(status="cancelled", at=cancelled_at.astimezone(CITY_TZ), done=True))
        refund, why = self._refund_for(order, status)
        policy = self._policy(order) + (
            f" Cancelling now: {self.svc.money(refund).display} back. {why}" if refund is not None else f" {why}"
        )
        delivered_at = self._milestones(order)[-1][1]
        slot = self._slot(order)
        return Order(
            id=order.id,
            status=status,
            restaurant_id=order.restaurant_id,
            restaurant_name=snap["restaurant_name"],
            address=Address.model_validate(snap["address"]),
            lines=[CartLine.model_validate(x) for x in snap["lines"]],
            bill=Bill.model_validate(snap["bill"]),
            payment_method=order.payment_method,
            note=order.note,
            placed_at=utc(order.placed_at).astimezone(CITY_TZ),
            scheduled_for=slot.astimezone(CITY_TZ) if slot is not None else None,
            eta=delivered_at.astimezone(CITY_TZ) if status in ACTIVE else None,
            timeline=steps,
            rider=self._rider(order, status, now),
            cancellation_policy=policy,
            refunded=self.svc.money(order.refunded_minor),
            cancel_reason=order.cancel_reason,
        )

    def _own_order(self, session: Session, user_id: str, order_id: str, *, lock: bool = False) -> OrderRow:
        latest_order_said(order_id, lambda: latest_placed(session, OrderRow, user_id), "order_id", "food_list_orders")
        check_id(order_id, "ord", field="order_id", source="food_list_orders")
        stmt = select(OrderRow).where(OrderRow.id == order_id)
        if lock:
            stmt = stmt.with_for_update()
        row = session.exec(stmt).first()
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"No order {shown(order_id)} for this user.", "List orders with food_list_orders.")
        return row

    def get(self, user_id: str, order_id: str) -> Order:
        with Session(self.svc.engine) as session:
            return self._order(session, self._own_order(session, user_id, order_id))

    def list(self, user_id: str, status: OrderFilter = "any", limit: int = 10, cursor: str = "") -> OrderPage:
        now = self.svc.now()
        with Session(self.svc.engine) as session:
            rows = session.exec(
                select(OrderRow)
                .where(OrderRow.user_id == user_id)
                .order_by(col(OrderRow.placed_at).desc(), col(OrderRow.id))
            ).all()
            wanted = []
            for row in rows:
                current = self.status(row, now)
                if status == "any" or current == status or (status == "active" and current in ACTIVE):
                    wanted.append(
                        OrderSummary(
                            id=row.id,
                            restaurant_name=row.snapshot["restaurant_name"],
                            status=current,
                            total=self.svc.money(row.total_minor),
                            placed_at=utc(row.placed_at).astimezone(CITY_TZ),
                            item_count=sum(line["quantity"] for line in row.snapshot["lines"]),
                            scheduled_for=local(slot) if (slot := self._slot(row)) is not None else None,
                        )
                    )
            # stable while orders come and go; a cursor of another list is refused
            page, info = keyset_slice(wanted, newest_first, cursor, limit, scope="food.orders")
            return OrderPage(orders=page, page=info)

    # ----- cancelling ------------------------------------------------------------------
    def _refund_offer(self, order: OrderRow, refund: int, now: datetime) -> Offer:
        """The refund as the user confirms it; the token lapses when the refund would drop, if that comes sooner."""
        drop = self._next_drop(order, now)
        expires = now + CANCEL_QUOTE_TTL if drop is None else min(now + CANCEL_QUOTE_TTL, drop[0])
        return Offer(
            amount_minor=refund,
            fingerprint=fingerprint(order.id),
            expires_at=expires,
            method="wallet" if order.payment_method == "wallet" else "cash",
        )

    def quote_cancel(self, user_id: str, order_id: str) -> CancelQuote:
        svc = self.svc
        with session_scope(svc.engine) as session:
            order = self._own_order(session, user_id, order_id)
            now = svc.now()
            if order.cancelled_at is not None:  # a retry: done already, and no food came to complain about
                back = (
                    f"{svc.money(order.refunded_minor).display} was refunded"
                    if order.payment_method == "wallet"
                    else "it was a cash order, so nothing was charged"
                )
                raise ConflictError(
                    f"Order {order_id} is already cancelled ({local(order.cancelled_at):%a %H:%M}); {back}.",
                    "Nothing more to do: food_get_order shows it.",
                )
            refund, why = self._refund_for(order, self.status(order, now))
            if refund is None:
                raise ConflictError(
                    f"Order {order_id} cannot be cancelled: {why}",
                    "If something is wrong with the food, contact the restaurant.",
                )
            quote = self.checkout.quote(
                session,
                user_id,
                action="cancel",
                subject_id=order_id,
                direction="refund",
                offer=self._refund_offer(order, refund, now),
                now=now,
            )
            shown = svc.money(refund).display
            name = order.snapshot["restaurant_name"]
            expires = local(quote.expires_at)
            drop = self._next_drop(order, now)
            summary = (
                f"Cancel order {order_id} from {name} and refund {shown} to the wallet."
                if order.payment_method == "wallet"
                else f"Cancel cash order {order_id} from {name} (nothing to refund)."
            )
            summary += f" This offer is valid until {expires:%H:%M}."
            if drop is not None:
                at, then, step = drop
                after = (
                    f"the refund drops to {svc.money(then).display}"
                    if then
                    else ("it can no longer be cancelled" if step == "picked_up" else "the refund drops to nothing")
                )
                summary += f" At {local(at):%H:%M} {DROP_EVENTS.get(step, 'the order moves on')} and {after}."
            return CancelQuote(
                confirmation_token=quote.token,
                expires_at=expires,
                order_id=order_id,
                refund=svc.money(refund),
                policy=why,
                refund_drops_at=local(drop[0]) if drop is not None else None,
                refund_then=svc.money(drop[1]) if drop is not None else None,
                wallet_after=svc.money(quote.balance_after),
                summary=summary,
            )

    def cancel(self, user_id: str, order_id: str, request: CancelOrder) -> Order:
        svc = self.svc
        with session_scope(svc.engine) as session:
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="cancel", subject_id=order_id,
                subject="order",
            )  # fmt: skip
            order = self._own_order(session, user_id, order_id, lock=True)
            if claim.result_id:  # this very token already cancelled it: a retry
                return self._order(session, order)
            now = svc.now()
            self.checkout.require_live(claim, now)
            refund, why = self._refund_for(order, self.status(order, now))
            if refund is None:
                raise ConflictError(f"Order {order_id} cannot be cancelled: {why}", "Nothing was changed.")
            self.checkout.require_unchanged(claim, self._refund_offer(order, refund, now), what="order")
            order.cancelled_at = now
            order.cancel_reason = request.reason.strip() or "cancelled by customer"
            if order.payment_method == "wallet":
                order.refunded_minor = refund
            session.add(order)
            self.checkout.settle(
                session, claim, ref=order_id, now=now, memo=f"Cancelled order from {order.snapshot['restaurant_name']}"
            )
            session.flush()
            return self._order(session, order)
