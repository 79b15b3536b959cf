"""Event-ticketing wire models: what the Damai-like provider API and the tickets tools exchange.

Seat maps and seat holds come from the shared seating engine (``shared.schemas.seating``); this
module adds what is specific to live events: venues, events with sessions and price tiers, sale
windows, per-user limits, real-name attendees, e-tickets and refunds by policy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas.account import ConfirmStatus, Outcome, WalletNow
from shared.schemas.common import GeoPoint, Money, PageInfo, WireModel
from shared.schemas.seating import SEAT_MAP_LEGEND, SectionMap

Category = Literal["concert", "classical", "theatre", "musical", "dance", "comedy", "sports", "exhibition", "family"]
CategoryFilter = Literal[
    "any", "concert", "classical", "theatre", "musical", "dance", "comedy", "sports", "exhibition", "family"
]
CATEGORY_ZH: dict[str, str] = {
    "concert": "演唱会",
    "classical": "古典音乐",
    "theatre": "话剧",
    "musical": "音乐剧",
    "dance": "舞蹈",
    "comedy": "脱口秀",
    "sports": "体育",
    "exhibition": "展览",
    "family": "亲子",
}
SessionStatus = Literal["on_sale", "not_yet_on_sale", "sold_out", "sales_closed", "past"]
Availability = Literal["available", "few_left", "sold_out", "not_yet_on_sale", "sales_closed"]
RefundPolicy = Literal["standard", "strict", "no_refund"]
IdType = Literal["id_card", "passport", "hk_macao_permit", "taiwan_permit"]
HoldStatus = Literal["active", "expired", "released", "purchased"]
OrderStatus = Literal["paid", "partly_refunded", "refunded"]
OrderFilter = Literal["any", "upcoming", "past", "refunded"]
TicketStatus = Literal["valid", "refunded", "used"]
EventSort = Literal["date", "price", "distance", "relevance"]


# ----- catalog ----------------------------------------------------------------------------------
class Venue(WireModel):
    """A real venue of central Helsinki (OpenStreetMap)."""

    id: str = Field(description="Venue id (vnu_…).")
    name: str = Field(description="Name, with the English and Chinese names when they differ.")
    kind: str = Field(description="theatre, concert_hall, arts_centre, events_venue, nightclub, museum …")
    address: str = Field(description="Street address.")
    area: str = Field(description="District, English / 中文, e.g. 'Kamppi / 坎皮'.")
    location: GeoPoint = Field(description="Where the venue is.")
    capacity: int = Field(description="Seats and standing places in all.")
    sections: list[str] = Field(description="Sections as 'CODE: name', e.g. 'STL: Stalls / 池座'.")


class TierPrice(WireModel):
    """One price tier of one session."""

    code: str = Field(description="Tier code to pass as tier, e.g. VIP, A, B, C, STANDING, ENTRY.")
    name: str = Field(description="Tier name, English / 中文.")
    price: Money = Field(description="Face value per ticket (the service fee comes on top).")
    remaining: int = Field(
        description="Tickets of this tier still for sale (not sold, not held), wheelchair spaces included."
    )
    wheelchair_spaces: int = Field(
        description="How many of remaining are wheelchair spaces: those go only to a wheelchair request "
        "(wheelchair=true: one space plus companion places), so anyone else can get remaining - wheelchair_spaces."
    )
    sections: list[str] = Field(description="Section codes where this tier's seats are.")


class EventSession(WireModel):
    """One performance (场次) with its prices and what is left."""

    id: str = Field(description="Session id (ses_…); pass as session_id.")
    starts_at: datetime = Field(description="Start, Helsinki local time with offset.")
    ends_at: datetime = Field(description="Expected end, Helsinki local time.")
    status: SessionStatus = Field(
        description="Whether tickets can be bought now, and if not why: sold_out also when every seat was sold "
        "before its sales open (nothing to wait for)."
    )
    sales_open_at: datetime = Field(description="When sales open (local time).")
    sales_close_at: datetime = Field(description="When sales close: one hour before the start.")
    tiers: list[TierPrice] = Field(description="Price tiers with remaining counts.")
    remaining: int = Field(
        description="Tickets still for sale in all tiers, wheelchair spaces included (tiers[].wheelchair_spaces)."
    )


class EventSummary(WireModel):
    """One search hit; details, sessions and tiers via tickets_get_event."""

    id: str = Field(description="Event id (evt_…).")
    title: str = Field(description="Title, English / 中文.")
    category: Category = Field(description="Event category.")
    category_label: str = Field(description="Category, English / 中文, e.g. 'theatre / 话剧'.")
    performer: str = Field(description="Performer, company or curator.")
    genre: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="A concert's music genre, English / 中文, e.g. 'jazz / 爵士'; absent for other events.",
    )
    venue_id: str = Field(description="Venue id (vnu_…).")
    venue_name: str = Field(description="Venue name.")
    area: str = Field(description="District of the venue.")
    language: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="The language it is performed in, as the organiser says ('in English', 'in Finnish with English "
        "and Chinese surtitles'); absent when not said (concerts, exhibitions).",
    )
    next_session_id: str = Field(
        description="The matching session to book: the soonest on sale with tickets left; else the soonest whose "
        "sales open later with tickets left (sales_open_at says when); else, when none has tickets to sell, the "
        "soonest matching one (availability says why)."
    )
    next_session_at: datetime = Field(description="When that session starts (local time).")
    sales_open_at: datetime | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="When sales open for next_session_id (local time); present only when nothing matching is on "
        "sale yet (availability not_yet_on_sale).",
    )
    sessions_matching: int = Field(description="How many sessions match the date filter.")
    price_from: Money | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="Cheapest face value a user can still buy over the matching sessions: tiers with tickets left in "
        "sessions on sale, else in sessions whose sales open later; within the asked price range when one is given. "
        "Absent when nothing is left to buy (availability sold_out or sales_closed).",
    )
    price_to: Money | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="Dearest face value over the same tiers as price_from; absent with it.",
    )
    availability: Availability = Field(description="Best availability over the matching sessions.")
    distance_m: int | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="Straight-line metres from lat/lng; present only when lat/lng were given.",
    )


class EventPage(WireModel):
    events: list[EventSummary] = Field(description="Matching events.")
    page: PageInfo = Field(description="Pagination: pass page.next_cursor as cursor for more.")
    note: str = Field(
        default="",
        exclude_if=lambda value: not value,
        description="Why the page is empty (query words no event has, or the dates, time, price, category or area "
        "that left matching events out, with the nearest there is); absent when events were found.",
    )


class EventDetail(WireModel):
    """Everything needed to choose a session and a tier, and the rules that apply."""

    id: str = Field(description="Event id (evt_…).")
    title: str = Field(description="Title, English / 中文.")
    category: Category = Field(description="Event category.")
    category_label: str = Field(description="Category, English / 中文.")
    performer: str = Field(description="Performer, company or curator, English / 中文.")
    genre: str | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="A concert's music genre, English / 中文, e.g. 'jazz / 爵士'; absent for other events.",
    )
    description: str = Field(description="What the event is.")
    duration_min: int = Field(description="Expected length in minutes.")
    venue: Venue = Field(description="Where it happens.")
    sessions: list[EventSession] = Field(description="All sessions of the season, earliest first.")
    service_fee: Money = Field(description="Service fee added per ticket.")
    per_user_limit: int = Field(description="Most tickets one account may hold or buy for this event (all sessions).")
    real_name_required: bool = Field(
        description="实名制: every ticket needs a saved attendee (tickets_save_attendee) named at purchase."
    )
    refund_policy: RefundPolicy = Field(description="Which refund rules apply.")
    refund_policy_text: str = Field(description="The refund rules in words.")
    sale_window: str = Field(description="When tickets are sold, in words.")


# ----- seat maps (rows and sections come from the shared seating engine) ------------------------
class SeatMap(WireModel):
    """Which seats of one session are free, compact: one string per row."""

    session_id: str = Field(description="Session id.")
    event_title: str = Field(description="Event.")
    starts_at: datetime = Field(description="Session start (local time).")
    status: SessionStatus = Field(description="Whether tickets can be bought now.")
    legend: str = Field(default=SEAT_MAP_LEGEND, description="What each character of a row string means.")
    seat_id_format: str = Field(description="How to build a seat id from the map.")
    tiers: list[TierPrice] = Field(description="Prices and remaining counts per tier.")
    sections: list[SectionMap] = Field(
        description="Sections, front of house first. A standing section draws no places: its free count includes "
        "its free wheelchair spaces (its wheelchair_spaces says how many, as tiers[].wheelchair_spaces does per tier)."
    )


# ----- holds and purchase -----------------------------------------------------------------------
class HeldSeat(WireModel):
    """One seat of a hold or a quote, priced as on its e-ticket: price + fee = total."""

    seat_id: str = Field(description="Seat id as in the seat map, e.g. 'STL-ROW5-SEAT12'.")
    label: str = Field(
        description="Human label, e.g. 'Stalls, row 5, seat 12' or 'Stalls, row 11, wheelchair space 18'."
    )
    tier: str = Field(description="Tier code.")
    price: Money = Field(description="Face value of this ticket (the tier price).")
    fee: Money = Field(description="Service fee on this ticket.")
    total: Money = Field(description="price + fee: what this ticket costs in all.")
    accessible: bool = Field(description="True for a wheelchair space (its companions are ordinary seats).")


class BillLine(WireModel):
    label: str = Field(description="What this line is.")
    amount: Money = Field(description="Amount.")
    rule: str = Field(default="", description="How it was computed.")


class Bill(WireModel):
    """The exact price, explained line by line: tier price × n + service fee × n."""

    tickets: Money = Field(description="Face value of all tickets.")
    service_fee: Money = Field(description="Service fee for all tickets.")
    total: Money = Field(description="What will be charged.")
    lines: list[BillLine] = Field(description="The same, as explained lines.")


class Hold(WireModel):
    """Seats kept for this user for a few minutes; free, buy them with tickets_purchase."""

    id: str = Field(description="Hold id (hld_…); pass as hold_id.")
    status: HoldStatus = Field(description="active until it expires, is released or is bought.")
    event_id: str = Field(description="Event id.")
    event_title: str = Field(description="Event title.")
    session_id: str = Field(description="Session id.")
    starts_at: datetime = Field(description="Session start (local time).")
    venue_name: str = Field(description="Venue.")
    seats: list[HeldSeat] = Field(description="The held seats.")
    together: bool = Field(
        default=True,
        description="The seats sit side by side in one row (standing places: always). false when best available "
        "could only find scattered seats: tell the user before buying, or release and try another tier or session.",
    )
    bill: Bill = Field(description="What buying them costs.")
    expires_at: datetime = Field(description="The seats go back on sale at this time (simulated clock).")
    real_name_required: bool = Field(description="Purchase needs one attendee_id per seat.")


class HoldRequest(WireModel):
    session_id: str = Field(description="Session id (ses_…).")
    seat_ids: list[str] = Field(default_factory=list, description="Exact seats from the seat map.")
    tier: str = Field(default="", description="Tier code for best-available seats.")
    quantity: int = Field(default=0, description="How many best-available seats.")
    wheelchair: bool = Field(
        default=False,
        description="Best available as one wheelchair space plus quantity - 1 companion seats beside it (standing: "
        "places of the same area).",
    )


class AttendeeRef(WireModel):
    id: str = Field(description="Attendee id (att_…).")
    name: str = Field(description="Name on the ticket.")
    id_number_masked: str = Field(description="Masked ID number.")


class PurchaseQuoteRequest(WireModel):
    hold_id: str = Field(description="Hold to buy (hld_…).")
    attendee_ids: list[str] = Field(default_factory=list, description="One saved attendee per seat, in seat order.")


class PurchaseQuote(WireModel):
    """The exact offer the user confirms before the wallet is charged."""

    confirmation_token: str = Field(description="Pass back to buy exactly this.")
    expires_at: datetime = Field(description="Token expiry: when the hold expires (simulated clock).")
    hold_id: str = Field(description="The hold being bought.")
    event_title: str = Field(description="Event.")
    starts_at: datetime = Field(description="Session start (local time).")
    venue_name: str = Field(description="Venue.")
    seats: list[HeldSeat] = Field(description="Seats being bought.")
    attendees: list[AttendeeRef] = Field(description="Ticket holders, in seat order (empty if not real-name).")
    bill: Bill = Field(description="Exact bill.")
    wallet_after: Money = Field(description="Wallet balance after paying.")
    refund_policy_text: str = Field(description="Refund rules that will apply.")
    summary: str = Field(description="One line to show the user before they confirm.")


class ConfirmRequest(WireModel):
    confirmation_token: str = Field(description="Token from the quote.")


class PurchaseConfirm(ConfirmRequest):
    attendee_ids: list[str] = Field(
        default_factory=list,
        description="The attendees the caller means; refused unless they are the quote's. Empty = as quoted.",
    )


class RefundConfirm(ConfirmRequest):
    ticket_ids: list[str] = Field(
        default_factory=list,
        description="The tickets the caller means; refused unless they are the quote's. Empty = as quoted.",
    )


class PurchaseResult(Outcome):
    """Either a quote to confirm, or the paid order with its e-tickets."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the quote and call again with its token; "
        "done: paid, e-tickets issued; declined: the user said no, nothing charged."
    )
    quote: PurchaseQuote | None = Field(default=None, description="The exact offer awaiting confirmation.")
    order: Order | None = Field(default=None, description="The paid order.")


# ----- orders and e-tickets ---------------------------------------------------------------------
class ETicket(WireModel):
    """One e-ticket (电子票); the code is what the door scanner reads."""

    id: str = Field(description="Ticket id (tkt_…); pass in ticket_ids to refund just this one.")
    seat_id: str = Field(description="Seat id.")
    seat: str = Field(description="Seat label, e.g. 'Stalls, row 5, seat 12' or 'Stalls, row 11, wheelchair space 18'.")
    tier: str = Field(description="Tier code.")
    accessible: bool = Field(description="True for a wheelchair space.")
    price: Money = Field(description="Face value of this ticket, as on the hold and the quote.")
    fee: Money = Field(description="Service fee paid on this ticket.")
    total: Money = Field(description="price + fee: what was paid for this ticket.")
    attendee: str = Field(description="Ticket holder with masked ID, '' when not real-name.")
    code: str = Field(description="Entry code shown as a QR code at the door.")
    status: TicketStatus = Field(description="valid, refunded, or used (the session is over).")


class Order(WireModel):
    id: str = Field(description="Order id (tko_…).")
    status: OrderStatus = Field(description="paid, partly_refunded or refunded.")
    event_id: str = Field(description="Event id.")
    event_title: str = Field(description="Event title.")
    session_id: str = Field(description="Session id.")
    starts_at: datetime = Field(description="Session start (local time).")
    venue_name: str = Field(description="Venue.")
    tickets: list[ETicket] = Field(description="The e-tickets.")
    bill: Bill = Field(description="What was charged.")
    refunded: Money = Field(description="Refunded so far.")
    placed_at: datetime = Field(description="When it was paid.")
    refund_now: str = Field(description="What refunding every valid ticket now would return, or why it cannot.")


class OrderPage(WireModel):
    orders: list[Order] = Field(description="Orders, newest first.")
    page: PageInfo = Field(description="Pagination.")


class OrderList(OrderPage):
    """A page of orders with the wallet they were paid from."""

    wallet: WalletNow = Field(description="The one wallet's balance now and its latest movements (every service's).")


class RefundQuoteRequest(WireModel):
    ticket_ids: list[str] = Field(default_factory=list, description="Tickets to refund; empty = every valid one.")


class RefundQuote(WireModel):
    confirmation_token: str = Field(description="Pass back to refund exactly this.")
    expires_at: datetime = Field(description="Token expiry (simulated clock).")
    order_id: str = Field(description="Order.")
    ticket_ids: list[str] = Field(description="Tickets to be refunded.")
    paid: Money = Field(description="What those tickets cost.")
    fee: Money = Field(description="What the policy keeps.")
    refund: Money = Field(description="What goes back to the wallet.")
    rule: str = Field(description="Which policy rule applies and why.")
    wallet_after: Money = Field(description="Wallet balance after the refund.")
    summary: str = Field(description="One line to show the user before they confirm.")


class RefundResult(Outcome):
    """Either a refund quote to confirm, or the order after the refund."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the refund and call again with its token; "
        "done: refunded to the wallet and the seats are back on sale; declined: nothing changed."
    )
    quote: RefundQuote | None = Field(default=None, description="The refund awaiting confirmation.")
    order: Order | None = Field(default=None, description="The order after the refund.")


# ----- attendees --------------------------------------------------------------------------------
class Attendee(WireModel):
    """A saved ticket holder (常用购票人); the ID number is never shown in full."""

    id: str = Field(description="Attendee id (att_…); pass in attendee_ids.")
    name: str = Field(description="Full name as on the ID.")
    id_type: IdType = Field(description="Kind of ID document.")
    id_number_masked: str = Field(description="ID number with the middle hidden, e.g. 1101**********1234.")


class AttendeeInput(WireModel):
    name: str = Field(description="Full name as on the ID.")
    id_type: IdType = Field(description="Kind of ID document.")
    id_number: str = Field(description="ID number.")


class AttendeeList(WireModel):
    attendees: list[Attendee] = Field(description="Saved attendees, oldest first.")


PurchaseResult.model_rebuild()
