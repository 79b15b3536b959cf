"""Holds, purchases and refunds: seats are claimed once, money moves exactly once.

A hold claims seats in the shared seating engine for ``HOLD_TTL`` (free; it lapses by the clock
with no background job). The money path is the account's checkout core: a purchase quote binds a
confirmation token to the hold, its seats and its exact total; buying with that token sells the
hold's seats and charges the wallet in the same transaction, and a token that already bought
returns that order (a retry never charges twice). A refund quote binds a token to the order and the
amount under the policy — the whole order or some of its seats; refunding credits the wallet (the
ledger's unique key allows one refund per refund id, and every refund has its own) and puts those
seats back on sale.

Orders keep their seats as JSON; a refunded seat carries the id of the refund that gave it back. An
order refunded before single seats could be (``refund_id`` set, no seat naming a refund) is refunded
whole. Seat ids stored in the older form read as today's.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from shared.account import Checkout, Offer, fingerprint, release_to_afford
from shared.clock import local
from shared.cursor import keyset_slice, latest_placed, newest_first, placed_now
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.kit.db import pipelined, session_scope
from shared.phrases import latest_order_said
from shared.prices import plain_tier, tier_by_price
from shared.schemas.common import check_id, check_no_blank, new_id
from shared.schemas.movies import (
    ConfirmRequest,
    HoldRequest,
    MovieHold,
    MovieOrder,
    MovieSeat,
    MovieTicket,
    OrderFilter,
    OrderPage,
    OrderStatus,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
    RefundQuote,
    RefundQuoteRequest,
)
from shared.schemas.seating import SeatHold
from shared.seating import MAX_SEATS_PER_HOLD, several_seats

from . import pricing
from .catalog import ShowtimeRec
from .models import OrderRow
from .room_words import SAID_AS, SEATS_FOR_ALL, rows_said, seats_elsewhere
from .service import MoviesService


class OrderDesk:
    def __init__(self, service: MoviesService) -> None:
        self.svc = service
        self.checkout = Checkout(
            "movies",
            currency=service.currency,
            decline_hint=release_to_afford("movies_release_hold"),
        )

    # ----- holds -----------------------------------------------------------------------
    def _hold(self, hold: SeatHold) -> MovieHold:
        svc = self.svc
        rec = svc.catalog.showtimes[hold.inventory_id]
        return MovieHold(
            id=hold.hold_id,
            status=hold.status,
            showtime_id=rec.id,
            movie_title=svc.catalog.films[rec.film_id].display_title,
            cinema_name=svc.catalog.cinemas[rec.cinema_id].display_name,
            auditorium=svc.catalog.auditoriums[rec.auditorium_id].display_name,
            starts_at=local(rec.starts_at),
            format=rec.format,
            seats=[
                MovieSeat(
                    seat_id=s.seat_id,
                    section=s.section,
                    row=s.row,
                    number=s.number,
                    label=s.label,
                    kind=s.kind,
                    tier=s.tier,
                    price=s.price,
                    fee=svc.money(pricing.BOOKING_FEE_MINOR),
                    total=svc.money(s.price.amount_minor + pricing.BOOKING_FEE_MINOR),
                )
                for s in hold.seats
            ],
            bill=pricing.bill([(s.tier, s.price.amount_minor) for s in hold.seats], svc.currency),
            expires_at=local(hold.expires_at),
        )

    def _refuse_unless_on_sale(self, session: Session, rec: ShowtimeRec, now: datetime, *, count: bool) -> None:
        """Refuse a showtime that is over, closed or (when ``count``) sold out, with the reason and the fix."""
        svc = self.svc
        film = svc.catalog.films[rec.film_id]
        when = f"{local(rec.starts_at):%a %d %b %H:%M}"
        others = f"Find another showtime with movies_find_showtimes(movie_id='{film.id}')."
        if rec.starts_at <= now:
            raise ConflictError(f"The {when} showing of {film.title} has already started or is over.", others)
        if now >= rec.starts_at - pricing.SALES_CLOSE_BEFORE:
            raise ConflictError(
                f"Online sales for the {when} showing of {film.title} closed 10 minutes before the start.", others
            )
        spec = svc.spec(rec.id)
        if len(spec.blocked) >= len(spec.layout.seats) or (
            count and sum(svc.seating.remaining(session, [rec.id], now)[rec.id].values()) <= 0
        ):
            raise ConflictError(f"The {when} showing of {film.title} is sold out.", others)

    def hold(self, user_id: str, request: HoldRequest) -> MovieHold:
        svc = self.svc
        if request.seat_ids:  # 'H7,H8', 'H排7、8座': each seat its own entry
            request = request.model_copy(update={"seat_ids": several_seats(request.seat_ids)})
        rec = svc.showtime(request.showtime_id)
        check_no_blank(
            request.seat_ids,
            field="seat_ids",
            takes="a seat id such as 'SALI1-ROWF-SEAT7'",
            none_means="the best available seats (a quantity, optionally a tier)",
            source="the seat ids from movies_get_seat_map",
        )
        explicit = [s.strip().upper() for s in request.seat_ids]
        tiers = svc.catalog.tiers(rec.auditorium_id)
        said = plain_tier(request.tier)  # '连座', 'together': side by side, as best available always is
        rows = None if explicit else rows_said(said)  # '后排', 'back row': where, the best seats there
        tier = next((t for t in SEATS_FOR_ALL if t in tiers), "STD") if rows else pricing.tier_code(said)
        # '最便宜的', 'best': as tickets reads a tier by its price; never a wheelchair space, couple seats in pairs
        fits = [t for t in tiers if t != "WHEELCHAIR" and (t != "COUPLE" or request.quantity % 2 == 0)]
        if tier == pricing.BEST_VIEW:
            tier = "PREMIUM" if "PREMIUM" in tiers else "STD"
        else:
            tier = tier_by_price(said, pricing.tier_prices(rec.format, rec.starts_at, fits)) or tier
        if explicit and (tier or request.quantity):
            raise InvalidInputError(
                "Give either seat_ids or tier + quantity, not both.",
                "Pass exact seats from movies_get_seat_map, or a tier and how many best-available seats.",
            )
        if not explicit:
            if request.quantity < 1:
                raise InvalidInputError(
                    "Say which seats: seat_ids, or a quantity ≥ 1 of best-available seats (optionally a tier).",
                    f"Tiers of this showtime: {', '.join(tiers)}.",
                    field="quantity",
                )
            tier = tier or "STD"
            if tier not in tiers:
                where = (
                    f" {shown(request.tier)} is where to sit: pick those seats from movies_get_seat_map (row A is "
                    "nearest the screen) and pass seat_ids; best-available seats are the middle ones."
                    if pricing.PLACE_IN_ROOM.search(said)
                    else self._tier_elsewhere(rec, tier)
                )
                raise InvalidInputError(
                    f"tier {shown(request.tier)} is not a tier of this screen.{where}",
                    f"Use one of: {', '.join(pricing.tier_label(t) for t in tiers)}.",
                    field="tier",
                )
            if tier == "COUPLE" and request.quantity % 2:
                raise InvalidInputError(
                    "Couple seats are sold in pairs.",
                    "Ask for an even quantity of COUPLE seats (2 per pair).",
                    field="quantity",
                )
        count = len(explicit) or request.quantity
        limit = min(pricing.PER_USER_LIMIT, MAX_SEATS_PER_HOLD)
        if count > limit:
            raise ConflictError(
                f"{count} seats is more than the limit of {limit} tickets per account for one showtime.",
                f"Hold at most {limit}.",
                field="quantity",
            )
        if explicit:
            # unknown ids or half couple pairs: refused now, quoting the seats as given ('two middle seats')
            svc.catalog.layouts[rec.auditorium_id].resolve([s.strip() for s in request.seat_ids])
        key = f"seats:{','.join(sorted(explicit))}" if explicit else f"tier:{tier}:{count}"
        if rows:
            key = f"rows:{rows}:{count}"
        now = svc.now()
        with session_scope(svc.engine) as session:
            self._refuse_unless_on_sale(session, rec, now, count=False)
            ttl = min(pricing.HOLD_TTL, rec.starts_at - pricing.SALES_CLOSE_BEFORE - now)
            # One seat selection per showtime, as the app keeps: the same request (or the very seats) again is that
            # hold, a retry; another replaces it. Two coexisted, the first blocking its seats for ten minutes after
            # the user had changed their mind, and counting against the limit. All in this user's turn (the
            # account's, which also refuses an unknown account), so racing requests of theirs take turns; a new hold
            # that fails rolls the release back with it. The turn, the user's live holds and the seats taken are
            # read in one round trip on PostgreSQL.
            turn, live_rows, taken = pipelined(
                session,
                [
                    svc.accounts.turn_read(user_id),
                    svc.seating.live_holds_read(user_id, now),
                    svc.seating.unavailable_read(rec.id, now),
                ],
            )
            svc.accounts.turn_taken(turn, user_id)
            live = svc.seating.live_holds_from(live_rows, now, [rec.id])
            again = svc.seating.match_hold(live, rec.id, request_key=key, seat_ids=explicit)
            if again is not None:
                return self._hold(again)
            for old in live:
                svc.seating.release(session, old.hold.hold_id, user_id=user_id, now=now)
            there: list[str] = []
            if rows:  # the best seats in those rows: the rest of the room counts as taken
                spec = svc.spec(rec.id)
                taken_now = (
                    svc.seating.unavailable(session, spec, now) if live else svc.seating.unavailable_from(taken, spec)
                ) | seats_elsewhere(spec.layout, rows)
                best = next(  # standard seats there first, else premium ones
                    (
                        seats
                        for t in SEATS_FOR_ALL
                        if t in tiers and (seats := spec.layout.best_available(t, count, taken_now))
                    ),
                    [],
                )
                if not best:
                    raise ConflictError(
                        f"No {count} seats side by side are free in {SAID_AS[rows]} of this screen (couple seats and "
                        "wheelchair spaces aside).",
                        "Hold without a place (the best available anywhere), or pick seats from movies_get_seat_map "
                        "and pass seat_ids.",
                        field="tier",
                    )
                there = [seat.seat_id for seat in best]
            try:
                hold = svc.seating.hold(
                    session,
                    rec.id,
                    user_id=user_id,
                    now=now,
                    ttl=ttl,
                    seat_ids=explicit or there or None,
                    tier="" if explicit or there else tier,
                    quantity=0 if explicit or there else count,
                    request_key=key,
                    limit=pricing.PER_USER_LIMIT,
                    wheelchair=tier == "WHEELCHAIR",  # a space and its companions' seats, only when asked for
                    looked_up=True,
                    # the seats taken as read with the turn, unless this user's own were released since
                    unavailable=None if live or explicit else svc.seating.unavailable_from(taken, svc.spec(rec.id)),
                )
            except ConflictError as exc:
                if "limit" in exc.details:  # what is held here was released above: only tickets bought count
                    have = int(exc.details.get("have", 0))
                    raise ConflictError(
                        f"You already own {have} ticket(s) for this showtime; the limit is {pricing.PER_USER_LIMIT} "
                        f"per account, so {count} more is too many.",
                        f"Ask for at most {max(0, pricing.PER_USER_LIMIT - have)}, or refund tickets with "
                        "movies_refund.",
                        field="quantity",
                    ) from exc
                self._refuse_unless_on_sale(session, rec, now, count=True)  # sold out says so; else the engine's why
                raise
            return self._hold(hold).model_copy(update={"replaced_hold_ids": [old.hold.hold_id for old in live]})

    def _tier_elsewhere(self, rec: ShowtimeRec, tier: str) -> str:
        """Where the film shows that day in a screen with ``tier`` (couple seats, recliners), as a refusal's pointer:
        '情侣座' at a screen without them was refused with this screen's tiers alone, and the agent had to read each
        showtime's tiers to find the couples' hall. '' when none does, or ``tier`` is no tier of any screen."""
        svc = self.svc
        if tier not in pricing.TIER_ORDER:
            return ""
        cols = svc.catalog.columns
        assert cols is not None
        now = svc.now()
        found = cols.select(now, day=local(rec.starts_at).date(), days=1, film=rec.film_id, cinema="", format="any",
                            films_ok=None, earliest=None, latest=None)  # fmt: skip
        there = [
            other
            for other in (cols.recs[int(p)] for p in found)
            if tier in svc.catalog.tiers(other.auditorium_id) and other.starts_at - pricing.SALES_CLOSE_BEFORE > now
        ]
        if not there:
            return f" {svc.catalog.films[rec.film_id].title} shows in no screen with {tier} seats that day."
        shows = "; ".join(
            f"{local(o.starts_at):%H:%M} at {svc.catalog.cinemas[o.cinema_id].display_name}, "
            f"{svc.catalog.auditoriums[o.auditorium_id].display_name} (showtime_id {o.id})"
            for o in there[:3]
        )
        return f" The film shows that day in a screen with {tier} seats: {shows}."

    def release(self, user_id: str, hold_id: str) -> MovieHold:
        svc = self.svc
        check_id(hold_id, "hld", field="hold_id", source="movies_hold_seats")
        now = svc.now()
        with session_scope(svc.engine) as session:
            current = self._own(session, user_id, hold_id, now)
            if current.status == "sold":
                raise ConflictError(
                    f"Hold {hold_id} was already bought as order {current.order_id}.",
                    "To give the tickets back, refund the order with movies_refund.",
                )
            if current.status == "expired":
                return self._hold(current)
            return self._hold(svc.seating.release(session, hold_id, user_id=user_id, now=now))

    def _own(self, session: Session, user_id: str, hold_id: str, now: datetime) -> SeatHold:
        try:
            return self.svc.seating.get_hold(session, hold_id, user_id=user_id, now=now)
        except NotFoundError as exc:
            raise NotFoundError(
                f"No hold {shown(hold_id)} for this account.",
                "Holds belong to the account that made them; hold seats with movies_hold_seats.",
                field="hold_id",
            ) from exc

    def _refuse_unless_held(self, hold: SeatHold) -> None:
        if hold.status == "expired":
            raise ConflictError(
                f"Hold {hold.hold_id} expired at {local(hold.expires_at):%H:%M:%S} and its seats went back on sale; "
                "nothing was bought.",
                "Hold seats again with movies_hold_seats, then buy the new hold.",
            )
        if hold.status == "released":
            raise ConflictError(f"Hold {hold.hold_id} was released; nothing was bought.", "Hold seats again.")
        if hold.status == "sold":
            raise ConflictError(
                f"Hold {hold.hold_id} was already bought as order {hold.order_id}.", "See it with movies_list_orders."
            )

    def _refuse_if_closed(self, rec: ShowtimeRec, now: datetime) -> None:
        if now >= rec.starts_at - pricing.SALES_CLOSE_BEFORE:
            title = self.svc.catalog.films[rec.film_id].title
            raise ConflictError(
                f"Online sales for this showing of {title} closed at "
                f"{local(rec.starts_at - pricing.SALES_CLOSE_BEFORE):%H:%M}; nothing was bought.",
                f"Find another showtime with movies_find_showtimes(movie_id='{rec.film_id}').",
            )

    # ----- purchase --------------------------------------------------------------------
    @staticmethod
    def _purchase_offer(hold: MovieHold, expires_at: datetime) -> Offer:
        """The hold as the user confirms it: which seats, for how much, until the hold lapses."""
        return Offer(
            amount_minor=hold.bill.total.amount_minor,
            fingerprint=fingerprint(hold.id, [s.seat_id for s in hold.seats]),
            expires_at=expires_at,
        )

    def quote_purchase(self, user_id: str, request: PurchaseQuoteRequest) -> PurchaseQuote:
        svc = self.svc
        check_id(request.hold_id, "hld", field="hold_id", source="movies_hold_seats")
        now = svc.now()
        with session_scope(svc.engine) as session:
            svc.accounts.user(session, user_id)
            seat_hold = self._own(session, user_id, request.hold_id, now)
            self._refuse_unless_held(seat_hold)
            rec = svc.catalog.showtimes[seat_hold.inventory_id]
            self._refuse_if_closed(rec, now)
            hold = self._hold(seat_hold)
            quote = self.checkout.quote(  # a wallet that cannot pay is declined here, before any token
                session,
                user_id,
                action="purchase",
                subject_id=hold.id,
                direction="charge",
                offer=self._purchase_offer(hold, seat_hold.expires_at),
                now=now,
            )
            seats = "; ".join(s.label for s in hold.seats)
            n = len(hold.seats)
            return PurchaseQuote(
                confirmation_token=quote.token,
                expires_at=local(quote.expires_at),
                hold_id=hold.id,
                movie_title=hold.movie_title,
                starts_at=hold.starts_at,
                cinema_name=hold.cinema_name,
                auditorium=hold.auditorium,
                format=hold.format,
                seats=hold.seats,
                bill=hold.bill,
                wallet_after=svc.money(quote.balance_after),
                refund_policy_text=pricing.REFUND_POLICY_TEXT,
                summary=(
                    f"Buy {n} ticket(s) for {hold.movie_title} ({hold.format}) on "
                    f"{hold.starts_at:%a %d %b %H:%M} at {svc.catalog.cinemas[rec.cinema_id].name}, "
                    f"{hold.auditorium} ({seats}): tickets {hold.bill.tickets.display} + booking fee "
                    f"{svc.money(pricing.BOOKING_FEE_MINOR).display} × {n} = {hold.bill.total.display} from the wallet."
                ),
            )

    def purchase(self, user_id: str, hold_id: str, request: ConfirmRequest) -> MovieOrder:
        svc = self.svc
        check_id(hold_id, "hld", field="hold_id", source="movies_hold_seats")
        with session_scope(svc.engine) as session:
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="purchase", subject_id=hold_id,
                subject="hold",
            )  # fmt: skip
            now = svc.now()  # read once the wallet is ours: time may have moved while this waited for it
            if claim.result_id:  # this very token already bought: a retry
                order = session.get(OrderRow, claim.result_id)
                assert order is not None
                return self._order(order, now)
            seat_hold = self._own(session, user_id, hold_id, now)
            self._refuse_unless_held(seat_hold)
            rec = svc.catalog.showtimes[seat_hold.inventory_id]
            self._refuse_if_closed(rec, now)
            self.checkout.require_live(claim, now)
            hold = self._hold(seat_hold)
            self.checkout.require_unchanged(claim, self._purchase_offer(hold, seat_hold.expires_at), what="hold")
            order_id = new_id("mvo")
            svc.seating.sell(session, hold_id, user_id=user_id, order_id=order_id, now=now)  # all seats or none
            order = OrderRow(
                id=order_id,
                user_id=user_id,
                showtime_id=rec.id,
                hold_id=hold.id,
                quote_token=claim.token,
                seats=[
                    {
                        "seat_id": s.seat_id,
                        "label": s.label,
                        "tier": s.tier,
                        "price_minor": s.price.amount_minor,
                        "refund_id": "",
                    }
                    for s in hold.seats
                ],
                tickets_minor=hold.bill.tickets.amount_minor,
                fee_minor=hold.bill.booking_fee.amount_minor,
                total_minor=hold.bill.total.amount_minor,
                currency=svc.currency,
                pickup_code=_pickup_code(order_id),
                placed_at=placed_now(session, OrderRow.placed_at, OrderRow.user_id, user_id, now),
            )
            session.add(order)
            self.checkout.settle(
                session, claim, ref=order_id, now=now, memo=f"{len(hold.seats)} ticket(s) for {hold.movie_title}"
            )
            session.flush()
            return self._order(order, now)

    # ----- orders ----------------------------------------------------------------------
    def _refunded(self, order: OrderRow) -> set[str]:
        """Seat ids (as stored) of the order that were given back."""
        if order.refund_id and not any(s.get("refund_id") for s in order.seats):
            return {s["seat_id"] for s in order.seats}  # refunded whole before single seats could be
        return {s["seat_id"] for s in order.seats if s.get("refund_id")}

    def _status(self, order: OrderRow) -> OrderStatus:
        refunded = self._refunded(order)
        if not refunded:
            return "paid"
        return "refunded" if len(refunded) == len(order.seats) else "partly_refunded"

    def _order(self, order: OrderRow, now: datetime) -> MovieOrder:
        svc = self.svc
        rec = svc.catalog.showtimes[order.showtime_id]
        film = svc.catalog.films[rec.film_id]
        layout = svc.catalog.layouts[rec.auditorium_id]
        over = rec.starts_at + pricing.TRAILERS + timedelta(minutes=film.runtime_min) <= now
        refunded = self._refunded(order)
        valid = [s for s in order.seats if s["seat_id"] not in refunded]
        if not valid:
            refund_now = "This order has been refunded."
        else:
            rule = pricing.refund_for(sum(s["price_minor"] for s in valid), rec.starts_at - now)
            some = f"the {len(valid)} valid seat(s)" if refunded else f"all {len(valid)} seat(s)"
            refund_now = (
                f"Refunding {some} now returns {svc.money(rule.refund_minor).display} (single seats too). {rule.rule}"
                if rule.refund_minor is not None
                else f"No refund now. {rule.rule}"
            )
        fee = svc.money(pricing.BOOKING_FEE_MINOR)
        tickets = []
        for s in order.seats:
            info = layout.seats.get(layout.canonical(s["seat_id"]))
            tickets.append(
                MovieTicket(
                    seat_id=info.seat_id if info else s["seat_id"],
                    seat=s["label"],
                    tier=s["tier"],
                    kind=info.kind if info else "standard",
                    price=svc.money(s["price_minor"]),
                    fee=fee,
                    total=svc.money(s["price_minor"] + pricing.BOOKING_FEE_MINOR),
                    status="refunded" if s["seat_id"] in refunded else ("used" if over else "valid"),
                )
            )
        return MovieOrder(
            id=order.id,
            status=self._status(order),
            showtime_id=rec.id,
            movie_title=film.display_title,
            cinema_name=svc.catalog.cinemas[rec.cinema_id].display_name,
            auditorium=svc.catalog.auditoriums[rec.auditorium_id].display_name,
            starts_at=local(rec.starts_at),
            format=rec.format,
            pickup_code=order.pickup_code,
            tickets=tickets,
            bill=pricing.bill([(s["tier"], s["price_minor"]) for s in order.seats], order.currency),
            refunded=svc.money(order.refunded_minor),
            placed_at=local(order.placed_at),
            refund_now=refund_now,
        )

    def _own_order(self, session: Session, user_id: str, order_id: str, *, lock: bool = False) -> OrderRow:
        latest_order_said(order_id, lambda: latest_placed(session, OrderRow, user_id), "order_id", "movies_list_orders")
        check_id(order_id, "mvo", field="order_id", source="movies_list_orders")
        stmt = select(OrderRow).where(OrderRow.id == order_id)
        if lock:
            stmt = stmt.with_for_update()
        row = session.exec(stmt).first()
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"No order {shown(order_id)} for this account.", "List orders with movies_list_orders.")
        return row

    def get(self, user_id: str, order_id: str) -> MovieOrder:
        now = self.svc.now()
        with Session(self.svc.engine) as session:
            return self._order(self._own_order(session, user_id, order_id), now)

    def list_orders(self, user_id: str, status: OrderFilter = "any", limit: int = 5, cursor: str = "") -> OrderPage:
        svc = self.svc
        now = svc.now()
        with Session(svc.engine) as session:
            rows = session.exec(
                select(OrderRow)
                .where(OrderRow.user_id == user_id)
                .order_by(col(OrderRow.placed_at).desc(), col(OrderRow.id))
            ).all()
        wanted = []
        for row in rows:
            starts = svc.catalog.showtimes[row.showtime_id].starts_at
            refunded = self._status(row) == "refunded"
            if (
                status == "any"
                or (status == "refunded" and refunded)
                or (status == "upcoming" and starts > now and not refunded)
                or (status == "past" and starts <= now and not refunded)
            ):
                wanted.append(row)
        # stable while orders come and go; a cursor of another list is refused
        page, info = keyset_slice(wanted, newest_first, cursor, limit, scope="movies.orders")
        return OrderPage(orders=[self._order(r, now) for r in page], page=info)

    # ----- refunds ---------------------------------------------------------------------
    def _refundable(
        self, order: OrderRow, seat_ids: list[str], now: datetime
    ) -> tuple[ShowtimeRec, list[dict[str, Any]], pricing.RefundRule]:
        """The order's seats ``seat_ids`` name (all valid ones when empty) and what refunding them returns now."""
        rec = self.svc.catalog.showtimes[order.showtime_id]
        layout = self.svc.catalog.layouts[rec.auditorium_id]
        refunded = self._refunded(order)
        by_id = {layout.canonical(s["seat_id"]): s for s in order.seats}
        if seat_ids:
            wanted = [layout.canonical(sid) for sid in seat_ids]
            if len(set(wanted)) != len(wanted):
                raise InvalidInputError("A seat is listed twice.", "List each seat id once.", field="seat_ids")
            for sid in wanted:
                if sid not in by_id:  # its seats named: '只退一张' (refund one) sent the model off to list orders
                    left = [s["seat_id"] for s in order.seats if s["seat_id"] not in refunded]
                    raise NotFoundError(
                        f"Seat {shown(sid)} is not part of order {order.id}.",
                        f"Its seats not refunded are {', '.join(left)}: pass those to refund (ask the user which, if "
                        "they said only how many), or [] for all of them.",
                        field="seat_ids",
                    )
                if by_id[sid]["seat_id"] in refunded:
                    raise ConflictError(f"Seat {sid} was already refunded.", "Leave it out.", field="seat_ids")
                partner = layout.seats[sid].partner if sid in layout.seats else ""
                if partner and partner in by_id and partner not in wanted and by_id[partner]["seat_id"] not in refunded:
                    raise InvalidInputError(
                        f"Seat {sid} is half of a couple seat sold as a pair with {partner}.",
                        f"Refund both {sid} and {partner}, or neither.",
                        field="seat_ids",
                    )
            seats = [by_id[sid] for sid in wanted]
        else:
            seats = [s for s in order.seats if s["seat_id"] not in refunded]
            if not seats:
                raise ConflictError(f"Order {order.id} was already refunded.", "Nothing left to refund.")
        return rec, seats, pricing.refund_for(sum(s["price_minor"] for s in seats), rec.starts_at - now)

    @staticmethod
    def _refund_offer(
        order: OrderRow, seat_ids: list[str], refund_minor: int, rec: ShowtimeRec, now: datetime
    ) -> Offer:
        """The refund as the user confirms it; the token lapses with the quote or with the refund window."""
        return Offer(
            amount_minor=refund_minor,
            fingerprint=fingerprint(order.id, sorted(seat_ids)),
            expires_at=min(now + pricing.REFUND_QUOTE_TTL, rec.starts_at - pricing.REFUND_UNTIL_BEFORE),
            payload={"seat_ids": seat_ids},
        )

    def quote_refund(self, user_id: str, order_id: str, request: RefundQuoteRequest | None = None) -> RefundQuote:
        svc = self.svc
        now = svc.now()
        asked = list(request.seat_ids) if request else []
        _check_refund_seats(asked, none_means="every valid seat of the order")
        with session_scope(svc.engine) as session:
            order = self._own_order(session, user_id, order_id)
            rec, seats, rule = self._refundable(order, asked, now)
            if rule.refund_minor is None:
                raise ConflictError(
                    f"Order {order_id} cannot be refunded now: {rule.rule}",
                    "Nothing was changed. Films are refundable until 1 hour before the showtime.",
                )
            layout = svc.catalog.layouts[rec.auditorium_id]
            ids = [layout.canonical(s["seat_id"]) for s in seats]
            quote = self.checkout.quote(  # the same seats and amount, asked again: the live token, not another one
                session,
                user_id,
                action="refund",
                subject_id=order_id,
                direction="refund",
                offer=self._refund_offer(order, ids, rule.refund_minor, rec, now),
                now=now,
            )
            paid_minor = sum(s["price_minor"] + pricing.BOOKING_FEE_MINOR for s in seats)
            back, paid = svc.money(rule.refund_minor), svc.money(paid_minor)
            kept = svc.money(paid_minor - rule.refund_minor)
            film = svc.catalog.films[rec.film_id]
            which = "; ".join(s["label"] for s in seats)
            return RefundQuote(
                confirmation_token=quote.token,
                expires_at=local(quote.expires_at),
                order_id=order_id,
                seat_ids=ids,
                paid=paid,
                kept=kept,
                refund=back,
                rule=rule.rule,
                wallet_after=svc.money(quote.balance_after),
                summary=(
                    f"Refund {len(seats)} of {len(order.seats)} ticket(s) for {film.title} on "
                    f"{local(rec.starts_at):%a %d %b %H:%M} ({which}): {back.display} back to the wallet of "
                    f"{paid.display} paid (booking fee {kept.display} kept); the seats go back on sale."
                ),
            )

    def refund(self, user_id: str, order_id: str, request: RefundConfirm) -> MovieOrder:
        svc = self.svc
        _check_refund_seats(request.seat_ids, none_means="the seats of the quote this token confirms")
        with session_scope(svc.engine) as session:
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="refund", subject_id=order_id,
                subject="order",
            )  # fmt: skip
            now = svc.now()  # read once the wallet is ours: time may have moved while this waited for it
            order = self._own_order(session, user_id, order_id, lock=True)
            layout = svc.catalog.layouts[svc.catalog.showtimes[order.showtime_id].auditorium_id]
            self.checkout.require_as_asked(claim, "seat_ids", [layout.canonical(s) for s in request.seat_ids])
            if claim.result_id:  # this very token already refunded: a retry
                return self._order(order, now)
            quoted = [str(s) for s in claim.payload.get("seat_ids", [])]
            refunded = {layout.canonical(r) for r in self._refunded(order)}
            if gone := [s for s in quoted if s in refunded]:  # by another token since: its seats cannot be left out
                left = len(order.seats) - len(refunded)
                raise ConflictError(
                    f"Confirmation token {claim.token} was quoted for seats {', '.join(quoted)}, but "
                    f"{', '.join(gone)} {'was' if len(gone) == 1 else 'were'} already refunded by another "
                    "confirmation; nothing was refunded.",
                    f"Quote the {left} seat(s) left with movies_refund(order_id='{order_id}') without a token, and "
                    "confirm that amount with the user."
                    if left
                    else "Nothing is left to refund: see the order with movies_list_orders.",
                )
            rec, seats, rule = self._refundable(order, quoted, now)
            if rule.refund_minor is None:
                raise ConflictError(f"Order {order_id} cannot be refunded now: {rule.rule}", "Nothing was changed.")
            self.checkout.require_live(claim, now)
            ids = [layout.canonical(s["seat_id"]) for s in seats]
            offer = self._refund_offer(order, ids, rule.refund_minor, rec, now)
            self.checkout.require_unchanged(claim, offer, what="order")
            refund_id = new_id("rfd")  # one per refund: the ledger's key (vertical, ref, kind) takes each once
            giving_back = {s["seat_id"] for s in seats}
            order.seats = [  # a new list: the JSON column notices the change
                {**s, "refund_id": refund_id if s["seat_id"] in giving_back else s.get("refund_id", "")}
                for s in order.seats
            ]
            order.refunded_minor += rule.refund_minor
            order.refund_id, order.refunded_at = refund_id, now
            svc.seating.unsell(session, order_id, ids, rec.id)
            session.add(order)
            film = svc.catalog.films[rec.film_id]
            self.checkout.settle(
                session, claim, ref=refund_id, now=now, memo=f"Refund of {len(seats)} ticket(s) for {film.title}"
            )
            session.flush()
            return self._order(order, now)


def _pickup_code(order_id: str) -> str:
    digest = int(hashlib.sha256(order_id.encode()).hexdigest()[:10], 16)
    return f"{digest % 10**8:08d}"


def _check_refund_seats(seat_ids: list[str], *, none_means: str) -> None:
    """A blank seat id is refused: dropped, ``['']`` read as ``[]`` and quoted a refund of the whole order."""
    check_no_blank(
        seat_ids,
        field="seat_ids",
        takes="the seat id of one of the order's tickets, such as 'SALI1-ROWF-SEAT7'",
        none_means=none_means,
        source="the seat ids of its tickets from movies_list_orders (tickets[].seat_id)",
    )
