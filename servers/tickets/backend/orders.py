"""Holds, purchases and refunds: seats are claimed once, money moves exactly once.

A hold claims seats for ``HOLD_TTL`` (free; it lapses by the clock with no background job). The
money path is the account's checkout core: a purchase quote binds a confirmation token to the hold,
its seats, the attendees and the exact total; buying with that token charges the wallet, turns the
claims into sold seats and issues e-tickets, and a token that already bought returns that order (a
retry after a lost response never charges twice). A refund quote binds a token to tickets and an
amount under the event's policy; refunding credits the wallet once (the ledger's unique key) and
puts the seats back on sale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from shared.account import Checkout, Offer, fingerprint, release_to_afford
from shared.clock import local
from shared.cursor import keyset_slice, latest_placed, newest_first, placed_now
from shared.errors import ConflictError, InvalidInputError, NotFoundError, shown
from shared.kit.db import pipelined, session_scope
from shared.phrases import latest_order_said
from shared.prices import WHEELCHAIR_SAID, plain_tier, tier_by_price
from shared.schemas.common import check_id, check_no_blank, new_id
from shared.schemas.seating import HoldStatus as SeatHoldStatus
from shared.schemas.seating import SeatHold
from shared.schemas.tickets import (
    AttendeeRef,
    ETicket,
    HeldSeat,
    Hold,
    HoldRequest,
    HoldStatus,
    Order,
    OrderFilter,
    OrderPage,
    OrderStatus,
    PurchaseConfirm,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
    RefundQuote,
    RefundQuoteRequest,
)
from shared.seating import several_seats
from shared.text import fold

from . import pricing
from .catalog import EventRec, SectionRec, SessionRec, TierRec, VenueRec
from .models import AttendeeRow, OrderRow, TicketRow
from .service import SessionState, TicketsService
from .tier_words import part_said, sections_in, tiers_in

REFUND_QUOTE_TTL = timedelta(minutes=5)
MAX_SEATS_PER_HOLD = 10
_STATUS: dict[SeatHoldStatus, HoldStatus] = {  # the engine's hold states as tickets has always named them
    "held": "active",
    "sold": "purchased",
    "released": "released",
    "expired": "expired",
}


_tickets_t, _orders_t = TicketRow.__table__, OrderRow.__table__  # type: ignore[attr-defined]
_OWNED = (  # prebuilt: counted on every hold
    select_columns(func.count().label("owned"))
    .select_from(_tickets_t.join(_orders_t, _orders_t.c.id == _tickets_t.c.order_id))
    .where(
        _orders_t.c.user_id == bindparam("user_id"),
        _tickets_t.c.event_id == bindparam("event_id"),
        _tickets_t.c.refund_id == "",
    )
)


_TIER_WORDS = re.compile(r"(?:类|档|票|区|座位?|\s*(?:tier|tickets?|seats?|class))$", re.IGNORECASE)


_STANDING_SAID = frozenset({"ga", "general admission", "standing room", "站席", "站区", "站位"})
"""Other ways to ask for standing places than the tier's names (Standing / 站票)."""


def tier_code(said: str, prices: Mapping[str, int], tiers: Sequence[TierRec] = ()) -> str:
    """The tier code a hold asks for as people say it: 'a', 'A类', 'VIP票', 'B档' (the tier's word for class or
    ticket dropped), a tier's name ('站票', 'Standing', 'general admission'), or 'cheapest' / 最便宜的 and 'best' /
    最贵的 (this session's cheapest or dearest tier). 'A类', '站票' and '最便宜的' were refused as no tier."""
    picked = tier_by_price(said, prices)
    if picked is not None:
        return picked
    folded = fold(" ".join(said.split()))
    named = {fold(n): t.code for t in tiers for n in (t.name, t.name_zh) if n}
    if folded in named:
        return named[folded]
    if folded in _STANDING_SAID and any(t.code == "STANDING" for t in tiers):
        return "STANDING"
    return _TIER_WORDS.sub("", " ".join(said.split()).lower()).strip().upper()


_FRONT_SAID = frozenset({"front", "front row", "front rows", "the front", "前排", "第一排", "靠前", "靠前的", "前面"})


def sections_said(said: str, venue: VenueRec) -> tuple[str, list[SectionRec]]:
    """The venue's sections ``said`` names: by a section's code or name ('池座', 'left terrace'), or as its floor or
    its stands ('内场', '看台票'; then 'floor' or 'stands' comes first)."""
    folded = fold(" ".join(said.split()))
    named = [s for s in venue.sections if folded in {fold(s.code), fold(s.name), fold(s.name_zh)}]
    part = "" if named else part_said(folded)
    return part, named or (sections_in(part, venue.sections) if part else [])


def the_one_tier_there(said: str, event: EventRec, venue: VenueRec) -> str:
    """The tier a hold asks for by where ('内场' of a club: its standing floor, sold as one tier), when one tier sells
    all of it; '' when ``said`` names no part of the venue, or several tiers sell there (the refusal lists them)."""
    there = tiers_in(event, sections_said(said, venue)[1])
    return there[0] if len(there) == 1 else ""


def _sections_named(sections: Sequence[SectionRec]) -> str:
    """'T1: First Tier / 一层楼座, TL: Left Terrace / 左侧看台': sections with their names, as a refusal lists them."""
    return ", ".join(f"{s.code}: {' / '.join(n for n in (s.name, s.name_zh) if n)}" for s in sections)


def _where_said(said: str, event: EventRec, venue: VenueRec) -> str:
    """Where to sit said as the tier ('balcony', '池座', 'front row', '前排'): which tiers sell seats there, and how
    to hold them. They were refused with the tiers alone, as if the user had named a price class wrongly."""
    part, sections = sections_said(said, venue)
    if sections:
        there = tiers_in(event, sections)
        names = _sections_named(sections)
        what = f"the {part} here ({names})" if part else f"a section ({names})"
        seats = "whose seats are" if len(sections) == 1 else "whose seats are in"
        return (
            f" {shown(said)} is {what}, {seats} tier {' or '.join(there)}: hold one of those tiers, or pick seats "
            f"there from tickets_get_seat_map(section={' / '.join(repr(s.code) for s in sections)}) and pass seat_ids."
            if there
            else f" {shown(said)} is {what}, which this event does not sell."
        )
    if part:
        return f" {venue.display_name} has no {part}: its sections are {_sections_named(venue.sections)}."
    folded = fold(" ".join(said.split()))
    if " ".join(said.split()).lower() in WHEELCHAIR_SAID:
        spaces = ", ".join(t.code for t in event.tiers if t.code != "STANDING") or "a tier"
        return (
            f" {shown(said)} asks for a wheelchair space: call again with wheelchair=true and a tier ({spaces}; "
            "tickets_get_seat_map gives each tier's wheelchair_spaces); quantity - 1 companion seats come beside it."
        )
    if folded in _FRONT_SAID:
        front = [t.code for t in event.tiers if 0 in t.ranks]
        return (
            f" The front rows are tier {' or '.join(front)} (its best seats are held first); for exact seats, pick "
            "them from tickets_get_seat_map and pass seat_ids."
            if front
            else ""
        )
    return ""


def _tier_said(tier: TierRec) -> str:
    """'STANDING (Standing / 站票)', 'VIP': a tier's code with its names where they say more."""
    names = [n for n in dict.fromkeys((tier.name, tier.name_zh)) if n and n != tier.code]
    return f"{tier.code} ({' / '.join(names)})" if names else tier.code


class OrderDesk:
    def __init__(self, service: TicketsService) -> None:
        self.svc = service
        self.checkout = Checkout(
            "tickets",
            currency=service.currency,
            decline_hint=release_to_afford("tickets_release_hold"),
        )

    # ----- holds -----------------------------------------------------------------------
    def _hold(self, hold: SeatHold) -> Hold:
        svc = self.svc
        rec = svc.catalog.sessions[hold.inventory_id]
        event = svc.catalog.events[rec.event_id]
        return Hold(
            id=hold.hold_id,
            status=_STATUS[hold.status],
            event_id=event.id,
            event_title=event.display_title,
            session_id=rec.id,
            starts_at=local(rec.starts_at),
            venue_name=svc.catalog.venues[event.venue_id].display_name,
            seats=[
                HeldSeat(
                    seat_id=s.seat_id,
                    label=s.label,
                    tier=s.tier,
                    price=svc.money(s.price.amount_minor),
                    fee=svc.money(event.service_fee_minor),
                    total=svc.money(s.price.amount_minor + event.service_fee_minor),
                    accessible=s.kind == "accessible",
                )
                for s in hold.seats
            ],
            together=svc.inventory.layout(event).together(s.seat_id for s in hold.seats),
            bill=pricing.bill(
                [(s.tier, s.price.amount_minor) for s in hold.seats], event.service_fee_minor, svc.currency
            ),
            expires_at=local(hold.expires_at),
            real_name_required=event.real_name,
        )

    def hold(self, user_id: str, request: HoldRequest) -> Hold:
        svc = self.svc
        if request.seat_ids:  # 'H7,H8', 'H排7、8座': each seat its own entry
            request = request.model_copy(update={"seat_ids": several_seats(request.seat_ids)})
        seating = svc.inventory.engine
        rec = svc.session_rec(request.session_id)
        event = svc.catalog.events[rec.event_id]
        check_no_blank(
            request.seat_ids,
            field="seat_ids",
            takes="a seat id such as 'STL-ROW5-SEAT11'",
            none_means="the best available seats by tier and quantity",
            source="the seat ids from tickets_get_seat_map",
        )
        explicit = [s.strip() for s in request.seat_ids]
        if explicit and (request.tier or request.quantity or request.wheelchair):
            raise InvalidInputError(
                "Give either seat_ids or tier + quantity (+ wheelchair), not both.",
                "Pass exact seats from the seat map, or a tier code and how many best-available seats.",
            )
        said_tier = plain_tier(request.tier)  # 'A区连座': tier A, side by side as best available always is
        tier = ""  # the tier code of a best-available hold, read once below
        if not explicit and not said_tier and request.quantity >= 1 and len(rec.prices) == 1:
            (said_tier,) = rec.prices  # one tier (standing, one price): how many is all there is to say
        if not explicit:
            if not said_tier or request.quantity < 1:
                tiers = ", ".join(f"{code} {svc.money(price).display}" for code, price in rec.prices.items())
                raise InvalidInputError(
                    "Say which seats: seat_ids, or tier and quantity ≥ 1."
                    if request.quantity < 1
                    else f"Say which tier: this session sells {len(rec.prices)} at different prices.",
                    f"Tiers of this session: {tiers} (tier 'cheapest' takes the cheapest).",
                    field="quantity" if request.quantity < 1 else "tier",
                )
            venue = svc.catalog.venues[event.venue_id]
            tier = tier_code(said_tier, rec.prices, event.tiers)
            if event.tier(tier) is None:
                tier = the_one_tier_there(said_tier, event, venue) or tier  # '内场' of a standing floor
            if event.tier(tier) is None:
                raise InvalidInputError(
                    f"tier {shown(request.tier)} is not a tier of {event.title}."
                    + _where_said(said_tier, event, venue),
                    f"Use one of: {', '.join(_tier_said(t) for t in event.tiers)} (or 'cheapest').",
                    field="tier",
                )
        count = len(explicit) or request.quantity
        if count > min(MAX_SEATS_PER_HOLD, event.per_user_limit):
            raise ConflictError(
                f"{count} seats is more than the limit of {event.per_user_limit} per account for {event.title}.",
                f"Hold at most {event.per_user_limit}.",
                field="quantity",
            )
        seats = svc.inventory.resolve(event, explicit) if explicit else []
        layout = svc.inventory.layout(event)
        if request.wheelchair and tier in layout.tier_totals and tier not in layout.wheelchair_tiers:
            raise InvalidInputError(
                f"Tier {tier} of {event.title} has no wheelchair spaces.",
                f"Wheelchair spaces are in tier(s): {', '.join(layout.wheelchair_tiers) or 'none at this venue'}.",
                field="tier",
            )
        now = svc.now()
        with session_scope(svc.engine) as session:
            # What a hold reads, in one round trip on PostgreSQL: this user's turn first (one hold at a time per
            # user, so the limit holds under races), then their live holds for the event, the tickets they own
            # for it and the seats taken now (for the engine's best available).
            turn, live_rows, owned_rows, taken = pipelined(
                session,
                [
                    svc.accounts.turn_read(user_id),
                    seating.live_holds_read(user_id, now),
                    (_OWNED, {"user_id": user_id, "event_id": event.id}),
                    seating.unavailable_read(rec.id, now),
                ],
            )
            svc.accounts.turn_taken(turn, user_id)
            timed = svc.status(rec, 1, now)  # refusals by the clock first: they need no count of seats
            if timed == "not_yet_on_sale":  # unless all was sold before the sale opens: then it is sold out
                svc.refuse_unless_on_sale(svc.states(session, [rec], now)[0], event, now, session)
            elif timed != "on_sale":
                svc.refuse_unless_on_sale(SessionState(rec, timed, {}), event, now)
            key = (
                f"seats:{','.join(sorted(s.seat_id for s in seats))}"
                if explicit
                else f"tier:{tier}:{count}" + (":wheelchair" if request.wheelchair else "")
            )
            # One read of this user's live holds for the event serves both the retry (the same request, or exactly
            # the seats of a live hold, however it was asked) and the event-wide limit (not the engine's per-session
            # one).
            live = seating.live_holds_from(live_rows, now, [s.id for s in event.sessions])
            again = seating.match_hold(live, rec.id, request_key=key, seat_ids=[s.seat_id for s in seats])
            if again is not None:  # the same request again (a retry): the hold it already made
                return self._hold(again)
            held = sum(len(h.hold.seats) for h in live)
            owned = int(owned_rows[0]["owned"])
            used = held + owned
            if used + count > event.per_user_limit:
                limit = event.per_user_limit
                if owned >= limit:  # nothing to release: only a refund frees a slot
                    fix = "To free a slot, refund a ticket with tickets_refund."
                    if held:
                        fix += " Also release held seats you no longer want with tickets_release_hold."
                    raise ConflictError(
                        f"This account already owns {owned} ticket(s) for {event.title}, the limit of {limit} per "
                        f"account" + (f" (and holds {held} more seat(s))" if held else "") + ".",
                        fix,
                    )
                left = limit - used
                fixes = []
                if held:
                    fixes.append("release a hold you no longer want with tickets_release_hold")
                if left > 0:
                    fixes.append(f"ask for at most {left} seat(s)")
                if owned:
                    fixes.append("refund a ticket with tickets_refund")
                raise ConflictError(
                    f"This account already owns {owned} and holds {held} ticket(s) for {event.title}; the limit is "
                    f"{limit} per account, so {count} more is too many.",
                    _sentence(fixes or ["ask for fewer seats"]),
                )
            try:
                if tier and tier not in layout.tier_totals:  # a tier with no seats zoned here
                    raise ConflictError(f"No seats of tier {tier} here.", "", remaining=0)
                hold = seating.hold(
                    session,
                    rec.id,
                    user_id=user_id,
                    now=now,
                    ttl=min(pricing.HOLD_TTL, rec.starts_at - pricing.SALES_CLOSE_BEFORE - now),
                    seat_ids=[s.seat_id for s in seats] or None,
                    tier=tier,
                    quantity=0 if explicit else count,
                    request_key=key,
                    allow_split=not request.wheelchair,  # companions sit right beside the space, or not at all
                    wheelchair=request.wheelchair,
                    looked_up=True,  # this user's turn is taken (the row lock above) and no earlier hold matched
                    unavailable=None if explicit else seating.unavailable_from(taken, seating.spec(rec.id)),
                )
            except ConflictError as exc:  # only now count what is left: to say "sold out", or how many remain
                state = svc.states(session, [rec], now)[0]
                svc.refuse_unless_on_sale(state, event, now, session)
                # remaining counts the wheelchair spaces too, which a request without wheelchair cannot get: 'Only 2
                # left; 2 asked' when both are spaces read as a contradiction
                spaces = seating.free_spaces(session, [rec.id], now)[rec.id]
                plain = {t: n - min(n, spaces[t]) for t, n in state.remaining.items()}
                if "remaining" in exc.details:  # best available found too few seats (wheelchair refusals say why)
                    what = "place" if all(s.standing for s in layout.seats.values() if s.tier == tier) else "seat"
                    besides = (
                        f", besides {spaces[tier]} wheelchair space(s), which only a wheelchair request "
                        "(wheelchair=true) gets"
                        if spaces[tier]
                        else ""
                    )
                    left = plain.get(tier, 0)
                    raise ConflictError(
                        f"Tier {tier} is sold out for this session{besides}."
                        if left == 0  # 'Only 0 place(s) left' read as a glitch, not as sold out
                        else f"Only {left} {what}(s) left in tier {tier} for this session{besides}; {count} asked.",
                        ("Ask for another tier" if left == 0 else "Ask for fewer, or another tier") + " (left: "
                        f"{', '.join(f'{t}: {n}' for t, n in plain.items() if n) or 'none'}).",
                    ) from exc
                if seats and all(s.standing for s in seats) and "your_holds" not in exc.details:
                    # the seat map draws no places in a standing area, so "pick free seats" there cannot be followed
                    place = seats[0].tier
                    plus = f", plus {spaces[place]} wheelchair space(s)" if spaces[place] else ""
                    raise ConflictError(
                        f"Standing place(s) {', '.join(s.seat_id for s in seats)} are already taken.",
                        f"Standing places need no id: hold them by tier and quantity instead, e.g. tier='{place}', "
                        f"quantity={len(seats)} ({plain.get(place, 0)} left in {place}{plus}).",
                    ) from exc
                raise
            return self._hold(hold)

    def _own_hold(self, session: Session, user_id: str, hold_id: str, now: datetime) -> SeatHold:
        check_id(hold_id, "hld", field="hold_id", source="tickets_hold_seats")
        try:
            return self.svc.inventory.engine.get_hold(session, hold_id, user_id=user_id, now=now)
        except NotFoundError as exc:
            raise NotFoundError(
                f"No hold {shown(hold_id)} for this account.",
                "Holds belong to the account that made them; hold seats with tickets_hold_seats.",
            ) from exc

    def release(self, user_id: str, hold_id: str) -> Hold:
        svc = self.svc
        now = svc.now()
        with session_scope(svc.engine) as session:
            current = self._own_hold(session, user_id, hold_id, now)
            if current.status == "sold":
                raise ConflictError(
                    f"Hold {hold_id} was already bought as order {current.order_id}.",
                    "To give the tickets back, refund them with tickets_refund.",
                )
            if current.status != "held":  # released or lapsed already: nothing to give back
                return self._hold(current)
            return self._hold(svc.inventory.engine.release(session, hold_id, user_id=user_id, now=now))

    def _refuse_unless_active(self, hold: SeatHold) -> None:
        if hold.status == "expired":
            raise ConflictError(
                f"Hold {hold.hold_id} expired at {local(hold.expires_at):%H:%M:%S} and its seats went back on sale; "
                "nothing was bought.",
                "Hold seats again with tickets_hold_seats, then buy the new hold.",
            )
        if hold.status == "released":
            raise ConflictError(f"Hold {hold.hold_id} was released; nothing was bought.", "Hold seats again.")
        if hold.status == "sold":
            raise ConflictError(
                f"Hold {hold.hold_id} was already bought as order {hold.order_id}.", "See it with tickets_list_orders."
            )

    # ----- purchase --------------------------------------------------------------------
    def _attendees(
        self, session: Session, user_id: str, event: EventRec, hold: SeatHold, attendee_ids: list[str]
    ) -> list[AttendeeRow]:
        n = len(hold.seats)
        if not attendee_ids:
            if event.real_name:
                raise InvalidInputError(
                    f"{event.title} is a real-name event (实名制): every ticket needs its holder.",
                    f"Pass {n} attendee_ids (one per seat, in seat order) from tickets_list_attendees; save new ones "
                    "with tickets_save_attendee.",
                    field="attendee_ids",
                )
            return []
        if len(attendee_ids) != n:
            raise InvalidInputError(
                f"{len(attendee_ids)} attendee_ids for {n} seat(s).",
                f"Pass exactly {n}: one attendee per seat, in seat order.",
                field="attendee_ids",
            )
        if len(set(attendee_ids)) != n:
            raise InvalidInputError(
                "The same attendee is named for two seats.",
                "Each ticket needs a different person (一人一票).",
                field="attendee_ids",
            )
        out = []
        for i, aid in enumerate(attendee_ids):
            check_id(aid, "att", field=f"attendee_ids[{i}]", source="tickets_list_attendees")
            att = session.get(AttendeeRow, aid)
            if att is None or att.user_id != user_id:
                raise NotFoundError(
                    f"No saved attendee {shown(aid)} for this account.",
                    "List them with tickets_list_attendees or save one with tickets_save_attendee.",
                    field="attendee_ids",
                )
            out.append(att)
        already = session.exec(
            select(TicketRow.attendee_id).where(
                TicketRow.session_id == hold.inventory_id,
                col(TicketRow.attendee_id).in_(attendee_ids),
                TicketRow.refund_id == "",
            )
        ).all()
        if already:
            who = next(a.name for a in out if a.id == already[0])
            raise ConflictError(
                f"{who} already has a ticket for this session.",
                "One ticket per person per session: name someone else.",
                field="attendee_ids",
            )
        return out

    @staticmethod
    def _purchase_offer(hold: SeatHold, attendee_ids: list[str], total: int) -> Offer:
        """The hold as the user confirms it: its seats, their holders and the total, until the hold lapses."""
        return Offer(
            amount_minor=total,
            fingerprint=fingerprint(hold.hold_id, [s.seat_id for s in hold.seats], attendee_ids),
            expires_at=hold.expires_at,
            payload={"attendee_ids": attendee_ids},
        )

    def quote_purchase(self, user_id: str, request: PurchaseQuoteRequest) -> PurchaseQuote:
        svc = self.svc
        now = svc.now()
        with session_scope(svc.engine) as session:
            svc.accounts.user(session, user_id)
            row = self._own_hold(session, user_id, request.hold_id, now)
            self._refuse_unless_active(row)
            rec = svc.catalog.sessions[row.inventory_id]
            event = svc.catalog.events[rec.event_id]
            self._refuse_if_closed(rec, event, now)
            attendees = self._attendees(session, user_id, event, row, request.attendee_ids)
            hold = self._hold(row)
            offer = self._purchase_offer(row, [a.id for a in attendees], hold.bill.total.amount_minor)
            quote = self.checkout.quote(
                session, user_id, action="purchase", subject_id=row.hold_id, direction="charge", offer=offer, now=now
            )
            refs = [AttendeeRef(id=a.id, name=a.name, id_number_masked=pricing.mask_id(a.id_number)) for a in attendees]
            n = len(row.seats)
            holders = f" for {', '.join(a.name for a in attendees)}" if attendees else ""
            fee_each = svc.money(event.service_fee_minor).display
            # best available found only scattered seats: the confirmation says so, not only a flag on the hold
            apart = (
                "" if hold.together else " The seats are not side by side: no seats of this tier together were left."
            )
            return PurchaseQuote(
                confirmation_token=quote.token,
                expires_at=local(quote.expires_at),
                hold_id=row.hold_id,
                event_title=event.display_title,
                starts_at=local(rec.starts_at),
                venue_name=hold.venue_name,
                seats=hold.seats,
                attendees=refs,
                bill=hold.bill,
                wallet_after=svc.money(quote.balance_after),
                refund_policy_text=pricing.POLICY_TEXT[event.refund_policy],
                summary=(
                    f"Buy {n} ticket(s){holders} for {event.title} on {local(rec.starts_at):%a %d %b %H:%M} at "
                    f"{svc.catalog.venues[event.venue_id].name} ({'; '.join(s.label for s in hold.seats)}): "
                    f"tickets {hold.bill.tickets.display} + service fee {fee_each} × {n} = "
                    f"{hold.bill.total.display} from the wallet." + apart
                ),
            )

    def _refuse_if_closed(self, rec: SessionRec, event: EventRec, now: datetime) -> None:
        if now >= rec.starts_at - pricing.SALES_CLOSE_BEFORE:
            raise ConflictError(
                f"Sales for this session of {event.title} closed at "
                f"{local(rec.starts_at - pricing.SALES_CLOSE_BEFORE):%H:%M}; nothing was bought.",
                self.svc.other_sessions(rec, event, now),
            )

    def purchase(self, user_id: str, hold_id: str, request: PurchaseConfirm) -> Order:
        svc = self.svc
        with session_scope(svc.engine) as session:
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="purchase", subject_id=hold_id,
                subject="hold",
            )  # fmt: skip
            self.checkout.require_as_asked(claim, "attendee_ids", request.attendee_ids, ordered=True)
            now = svc.now()
            if claim.result_id:  # this very token already bought: a retry
                return self._order(session, session.get(OrderRow, claim.result_id), now)  # type: ignore[arg-type]
            row = self._own_hold(session, user_id, hold_id, now)
            self._refuse_unless_active(row)
            rec = svc.catalog.sessions[row.inventory_id]
            event = svc.catalog.events[rec.event_id]
            self._refuse_if_closed(rec, event, now)
            self.checkout.require_live(claim, now)
            attendees = self._attendees(session, user_id, event, row, list(claim.payload["attendee_ids"]))
            hold = self._hold(row)
            total = hold.bill.total.amount_minor
            offer = self._purchase_offer(row, [a.id for a in attendees], total)
            self.checkout.require_unchanged(claim, offer, what="hold")
            order_id = new_id("tko")
            try:  # locks the hold and sells all its seats or none; never sells what is not held
                svc.inventory.engine.sell(session, row.hold_id, user_id=user_id, order_id=order_id, now=now)
            except ConflictError as exc:  # it changed since it was read: say why as above, else the seats lapsed
                self._refuse_unless_active(svc.inventory.engine.get_hold(session, hold_id, user_id=user_id, now=now))
                raise ConflictError(
                    f"Hold {row.hold_id} no longer owns its seats; nothing was bought.", "Hold seats again."
                ) from exc
            self.checkout.settle(
                session, claim, ref=order_id, now=now, memo=f"{len(row.seats)} ticket(s) for {event.title}"
            )
            order = OrderRow(
                id=order_id,
                user_id=user_id,
                event_id=event.id,
                session_id=rec.id,
                hold_id=row.hold_id,
                quote_token=claim.token,
                tickets_minor=hold.bill.tickets.amount_minor,
                fee_minor=hold.bill.service_fee.amount_minor,
                total_minor=total,
                currency=svc.currency,
                placed_at=placed_now(session, OrderRow.placed_at, OrderRow.user_id, user_id, now),
            )
            session.add(order)
            for n, seat in enumerate(row.seats):
                ticket_id = new_id("tkt")
                att = attendees[n] if attendees else None
                session.add(
                    TicketRow(
                        id=ticket_id,
                        order_id=order_id,
                        session_id=rec.id,
                        event_id=event.id,
                        position=n,
                        seat_id=seat.seat_id,
                        seat_label=seat.label,
                        tier=seat.tier,
                        price_minor=seat.price.amount_minor,
                        fee_minor=event.service_fee_minor,
                        attendee_id=att.id if att else "",
                        attendee=f"{pricing.mask_name(att.name)} ({pricing.mask_id(att.id_number)})" if att else "",
                        code=self._code(ticket_id, order_id, n),
                    )
                )
            session.flush()
            return self._order(session, order, now)

    @staticmethod
    def _code(ticket_id: str, order_id: str, position: int) -> str:
        digest = hashlib.sha256(f"{ticket_id}:{order_id}".encode()).hexdigest()[:12].upper()
        return f"HTX1-{order_id.removeprefix('tko_').upper()}-{position + 1:02d}-{digest}"

    # ----- orders ----------------------------------------------------------------------
    def _tickets(self, session: Session, order_id: str, *, lock: bool = False) -> list[TicketRow]:
        stmt = select(TicketRow).where(TicketRow.order_id == order_id).order_by(col(TicketRow.position))
        if lock:
            stmt = stmt.with_for_update()
        return list(session.exec(stmt).all())

    def _order(self, session: Session, order: OrderRow, now: datetime) -> Order:
        svc = self.svc
        event = svc.catalog.events[order.event_id]
        rec = svc.catalog.sessions[order.session_id]
        tickets = self._tickets(session, order.id)
        layout = svc.inventory.layout(event)
        wheelchair_spaces = {s for s in layout.seats.values() if s.accessible}
        over = svc.catalog.ends_at(rec) <= now
        valid = [t for t in tickets if not t.refund_id]
        status: OrderStatus = "paid" if len(valid) == len(tickets) else ("refunded" if not valid else "partly_refunded")
        if valid:
            rule = pricing.refund_for(
                event.refund_policy, [t.price_minor + t.fee_minor for t in valid], rec.starts_at - now, svc.currency
            )
            refund_now = (
                f"Refunding all {len(valid)} valid ticket(s) now returns {svc.money(rule.refund_minor).display}. "
                f"{rule.rule}"
                if rule.refund_minor is not None
                else f"No refund now. {rule.rule}"
            )
        else:
            refund_now = "Every ticket of this order has been refunded."
        return Order(
            id=order.id,
            status=status,
            event_id=event.id,
            event_title=event.display_title,
            session_id=rec.id,
            starts_at=local(rec.starts_at),
            venue_name=svc.catalog.venues[event.venue_id].display_name,
            tickets=[
                ETicket(
                    id=t.id,
                    seat_id=layout.canonical(t.seat_id),  # tickets issued before ids changed form read the same
                    seat=t.seat_label,
                    tier=t.tier,
                    accessible=layout.seats.get(layout.canonical(t.seat_id)) in wheelchair_spaces,
                    price=svc.money(t.price_minor),
                    fee=svc.money(t.fee_minor),
                    total=svc.money(t.price_minor + t.fee_minor),
                    attendee=t.attendee,
                    code=t.code,
                    status="refunded" if t.refund_id else ("used" if over else "valid"),
                )
                for t in tickets
            ],
            bill=pricing.bill([(t.tier, t.price_minor) for t in tickets], event.service_fee_minor, order.currency),
            refunded=svc.money(order.refunded_minor),
            placed_at=local(order.placed_at),
            refund_now=refund_now,
        )

    def _own_order(self, session: Session, user_id: str, order_id: str, *, lock: bool = False) -> OrderRow:
        latest_order_said(
            order_id, lambda: latest_placed(session, OrderRow, user_id), "order_id", "tickets_list_orders"
        )
        check_id(order_id, "tko", field="order_id", source="tickets_list_orders")
        stmt = select(OrderRow).where(OrderRow.id == order_id)
        if lock:
            stmt = stmt.with_for_update()
        row = session.exec(stmt).first()
        if row is None or row.user_id != user_id:
            raise NotFoundError(
                f"No order {shown(order_id)} for this account.", "List orders with tickets_list_orders."
            )
        return row

    def get(self, user_id: str, order_id: str) -> Order:
        now = self.svc.now()
        with Session(self.svc.engine) as session:
            return self._order(session, self._own_order(session, user_id, order_id), now)

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
                # over when its tickets are 'used' (``_order``): a show in progress is upcoming, its tickets valid
                over = svc.catalog.ends_at(svc.catalog.sessions[row.session_id]) <= now
                fully = row.refunded_minor > 0 and all(t.refund_id for t in self._tickets(session, row.id))
                if (
                    status == "any"
                    or (status == "refunded" and fully)
                    or (status == "upcoming" and not over and not fully)
                    or (status == "past" and over and not fully)
                ):
                    wanted.append(row)
            # stable while orders come and go; a cursor of another list is refused
            page, info = keyset_slice(wanted, newest_first, cursor, limit, scope="tickets.orders")
            return OrderPage(orders=[self._order(session, r, now) for r in page], page=info)

    # ----- refunds ---------------------------------------------------------------------
    def _refundable(
        self, session: Session, order: OrderRow, ticket_ids: list[str], *, lock: bool, quoted: bool = False
    ) -> list[TicketRow]:
        """The order's tickets to refund: ``ticket_ids``, else every valid one. ``quoted``: the ids are a
        confirmation's, which the caller cannot edit, so a ticket refunded since the quote asks for a new quote
        instead of saying to leave it out."""
        tickets = self._tickets(session, order.id, lock=lock)
        by_id = {t.id: t for t in tickets}
        if ticket_ids:
            if len(set(ticket_ids)) != len(ticket_ids):
                raise InvalidInputError("A ticket is listed twice.", "List each ticket id once.", field="ticket_ids")
            for i, tid in enumerate(ticket_ids):
                if tid.strip() and not tid.startswith("tkt_"):  # a seat said for its ticket ('A-5-7', '只退一张')
                    _not_a_ticket(f"ticket_ids[{i}]", tid, [t for t in tickets if not t.refund_id])
                check_id(tid, "tkt", field=f"ticket_ids[{i}]", source="tickets_list_orders (tickets[].id)")
                if tid not in by_id:
                    raise NotFoundError(
                        f"Ticket {shown(tid)} is not part of order {order.id}.",
                        "Use ticket ids from this order in tickets_list_orders, or [] for all of them.",
                        field="ticket_ids",
                    )
                if by_id[tid].refund_id and quoted:
                    raise ConflictError(
                        f"Ticket {tid} of this confirmation was refunded after the quote was made; nothing was "
                        "refunded now.",
                        f"Quote the refund again with tickets_refund(order_id='{order.id}') and no confirmation_token, "
                        "then confirm the new amount with the user.",
                    )
                if by_id[tid].refund_id:
                    raise ConflictError(f"Ticket {tid} was already refunded.", "Leave it out.", field="ticket_ids")
            return [by_id[t] for t in ticket_ids]
        valid = [t for t in tickets if not t.refund_id]
        if not valid:
            raise ConflictError(f"Every ticket of order {order.id} was already refunded.", "Nothing left to refund.")
        return valid

    @staticmethod
    def _refund_offer(
        order_id: str, ticket_ids: list[str], refund: int, now: datetime, event: EventRec, rec: SessionRec
    ) -> Offer:
        """The tickets to give back and what the policy returns for them now; the token lapses with the quote or
        when the policy's refund next drops, whichever comes first."""
        drop = pricing.next_drop(event.refund_policy, rec.starts_at - now)
        lapses = now + REFUND_QUOTE_TTL if drop is None else min(now + REFUND_QUOTE_TTL, rec.starts_at - drop)
        return Offer(
            amount_minor=refund,
            fingerprint=fingerprint(order_id, ticket_ids),
            expires_at=lapses,
            payload={"ticket_ids": ticket_ids},
        )

    def quote_refund(self, user_id: str, order_id: str, request: RefundQuoteRequest) -> RefundQuote:
        svc = self.svc
        now = svc.now()
        with session_scope(svc.engine) as session:
            order = self._own_order(session, user_id, order_id)
            tickets = self._refundable(session, order, request.ticket_ids, lock=False)
            event = svc.catalog.events[order.event_id]
            rec = svc.catalog.sessions[order.session_id]
            paid = [t.price_minor + t.fee_minor for t in tickets]
            rule = pricing.refund_for(event.refund_policy, paid, rec.starts_at - now, svc.currency)
            if rule.refund_minor is None:
                raise ConflictError(
                    f"Order {order_id} cannot be refunded now: {rule.rule}",
                    "Nothing was changed. The full policy is in tickets_get_event (refund_policy_text).",
                )
            ids = [t.id for t in tickets]
            quote = self.checkout.quote(
                session,
                user_id,
                action="refund",
                subject_id=order_id,
                direction="refund",
                offer=self._refund_offer(order_id, ids, rule.refund_minor, now, event, rec),
                now=now,
            )
            back = svc.money(rule.refund_minor)
            return RefundQuote(
                confirmation_token=quote.token,
                expires_at=local(quote.expires_at),
                order_id=order_id,
                ticket_ids=ids,
                paid=svc.money(sum(paid)),
                fee=svc.money(sum(paid) - rule.refund_minor),
                refund=back,
                rule=rule.rule,
                wallet_after=svc.money(quote.balance_after),
                summary=(
                    f"Refund {len(ids)} ticket(s) for {event.title} on {local(rec.starts_at):%a %d %b %H:%M}: "
                    f"{back.display} back to the wallet of {svc.money(sum(paid)).display} paid "
                    f"(fee {svc.money(sum(paid) - rule.refund_minor).display}); the seats go back on sale."
                ),
            )

    def refund(self, user_id: str, order_id: str, request: RefundConfirm) -> Order:
        svc = self.svc
        with session_scope(svc.engine) as session:
            claim = self.checkout.redeem(
                session, user_id, token=request.confirmation_token, action="refund", subject_id=order_id,
                subject="order",
            )  # fmt: skip
            self.checkout.require_as_asked(claim, "ticket_ids", request.ticket_ids)
            order = self._own_order(session, user_id, order_id, lock=True)
            now = svc.now()
            if claim.result_id:  # this very token already refunded: a retry
                return self._order(session, order, now)
            self.checkout.require_live(claim, now)
            tickets = self._refundable(session, order, list(claim.payload["ticket_ids"]), lock=True, quoted=True)
            event = svc.catalog.events[order.event_id]
            rec = svc.catalog.sessions[order.session_id]
            rule = pricing.refund_for(
                event.refund_policy, [t.price_minor + t.fee_minor for t in tickets], rec.starts_at - now, svc.currency
            )
            if rule.refund_minor is None:
                raise ConflictError(f"Order {order_id} cannot be refunded now: {rule.rule}", "Nothing was changed.")
            offer = self._refund_offer(order_id, [t.id for t in tickets], rule.refund_minor, now, event, rec)
            self.checkout.require_unchanged(claim, offer, what="order")
            refund_id = new_id("rfd")
            self.checkout.settle(
                session, claim, ref=refund_id, now=now, memo=f"Refund of {len(tickets)} ticket(s) for {event.title}"
            )
            order.refunded_minor += rule.refund_minor
            for t in tickets:
                t.refund_id, t.refunded_at = refund_id, now
            svc.inventory.unsell(session, rec.id, [t.seat_id for t in tickets], order_id)
            session.add_all([order, *tickets])
            session.flush()
            return self._order(session, order, now)


def _sentence(options: list[str]) -> str:
    """Alternatives joined with "or" as one sentence: its first letter upper-cased, the rest (tool names) kept."""
    text = ", or ".join(options)
    return text[:1].upper() + text[1:] + "."


def _not_a_ticket(field: str, said: str, valid: list[TicketRow]) -> None:
    """Refuse what is no ticket id with the ticket it names (a seat, by its id or label: what users say they give
    back), else with the order's tickets left to refund: '只退一张' (refund one) sent the model to list orders."""
    key = fold(said)
    named = [t for t in valid if key in (fold(t.seat_id), fold(t.seat_label))]
    if len(named) == 1:
        raise InvalidInputError(
            f"{field} {shown(said)} is a seat, not a ticket id: its ticket is {named[0].id}.",
            f"Call again with {field}='{named[0].id}'.",
            field=field,
        )
    if valid:
        listed = "; ".join(f"{t.id} (seat {t.seat_label})" for t in valid[:8])
        raise InvalidInputError(
            f"{field} {shown(said)} is not a ticket id: ids start with 'tkt_'. This order's tickets not refunded: "
            f"{listed}.",
            "Pass the ids of those to refund (ask the user which, if they said only how many), or [] for all of them.",
            field=field,
        )
