"""Movie-ticket wire models: what the Taopiaopiao-like provider API and the movies tools exchange.

Seat maps and held seats come from the shared seating engine (``shared.schemas.seating``); this
module adds films, cinemas with their auditoriums, showtimes with format and language, bills with
a booking fee, orders with a pickup code, and refunds until one hour before the showtime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas.account import ConfirmStatus, Outcome, WalletNow
from shared.schemas.common import GeoPoint, Money, PageInfo, WireModel
from shared.schemas.seating import HoldStatus, SeatKind, SeatMap

Genre = Literal[
    "action",
    "adventure",
    "animation",
    "biography",
    "comedy",
    "crime",
    "documentary",
    "drama",
    "family",
    "fantasy",
    "history",
    "horror",
    "music",
    "musical",
    "mystery",
    "romance",
    "sci_fi",
    "sport",
    "thriller",
    "war",
    "western",
]
GENRE_LABELS: dict[str, tuple[str, str]] = {
    "action": ("Action", "动作"),
    "adventure": ("Adventure", "冒险"),
    "animation": ("Animation", "动画"),
    "biography": ("Biography", "传记"),
    "comedy": ("Comedy", "喜剧"),
    "crime": ("Crime", "犯罪"),
    "documentary": ("Documentary", "纪录片"),
    "drama": ("Drama", "剧情"),
    "family": ("Family", "家庭"),
    "fantasy": ("Fantasy", "奇幻"),
    "history": ("History", "历史"),
    "horror": ("Horror", "恐怖"),
    "music": ("Music", "音乐"),
    "musical": ("Musical", "歌舞"),
    "mystery": ("Mystery", "悬疑"),
    "romance": ("Romance", "爱情"),
    "sci_fi": ("Sci-Fi", "科幻"),
    "sport": ("Sport", "运动"),
    "thriller": ("Thriller", "惊悚"),
    "war": ("War", "战争"),
    "western": ("Western", "西部"),
}
FilmStatus = Literal["now_showing", "coming_soon", "not_in_cinemas"]
ShowingFilter = Literal["now_showing", "coming_soon", "all"]
Format = Literal["2D", "3D", "IMAX"]
FormatFilter = Literal["any", "2D", "3D", "IMAX"]
ShowtimeStatus = Literal["on_sale", "sold_out", "sales_closed", "past"]
OrderStatus = Literal["paid", "partly_refunded", "refunded"]
ShowtimeSort = Literal["auto", "start_time"]
OrderFilter = Literal["any", "upcoming", "past", "refunded"]
TicketStatus = Literal["valid", "refunded", "used"]


def genre_label(code: str) -> str:
    en, zh = GENRE_LABELS[code]
    return f"{en} / {zh}"


# ----- films ------------------------------------------------------------------------------------
class FilmSummary(WireModel):
    """One search hit; cast, crew and showing dates via movies_get_movie."""

    id: str = Field(description="Film id (mov_…); pass as movie_id.")
    title: str = Field(description="Title as released; 'English / 中文' when the film has an official Chinese title.")
    year: int = Field(description="Year of first release.")
    genres: list[str] = Field(description="Genres, English / 中文, e.g. 'Action / 动作'.")
    runtime_min: int = Field(description="Running time in minutes.")
    language: str = Field(description="Original language, English / 中文.")
    age_rating: str = Field(description="MPAA rating (G, PG, PG-13, R) or '' when unrated.")
    tomatometer: int = Field(description="Critics' Tomatometer, 0–100 (% positive reviews).")
    status: FilmStatus = Field(description="now_showing, coming_soon (opens on opens_on) or not_in_cinemas.")
    opens_on: str = Field(description="First day in cinemas here, YYYY-MM-DD (Helsinki); '' if not programmed.")
    formats: list[Format] = Field(description="Formats it screens in here (2D, 3D, IMAX); [] if not programmed.")


class FilmPage(WireModel):
    films: list[FilmSummary] = Field(description="Matching films.")
    page: PageInfo = Field(description="Pagination: pass page.next_cursor as cursor for more.")
    note: str = Field(
        default="",
        description="When no film of the status asked matches but others do (a film opening next week when "
        "now_showing was asked): which, and how to list them; '' otherwise.",
    )


class FilmDetail(WireModel):
    """A film with its credits, reception and where and when it runs here."""

    id: str = Field(description="Film id (mov_…).")
    title: str = Field(description="Title as released; 'English / 中文' when the film has an official Chinese title.")
    year: int = Field(description="Year of first release.")
    genres: list[str] = Field(description="Genres, English / 中文.")
    runtime_min: int = Field(description="Running time in minutes.")
    director: str = Field(description="Director(s).")
    cast: list[str] = Field(description="The cast, up to 40 names (alphabetical; the source has no billing order).")
    language: str = Field(description="Original language, English / 中文; screenings are subtitled fi/sv.")
    languages: list[str] = Field(description="Languages spoken in the film.")
    country: str = Field(description="Producing countries.")
    age_rating: str = Field(description="MPAA rating, '' when unrated.")
    tomatometer: int = Field(description="Critics' Tomatometer, 0–100.")
    critic_rating: float = Field(description="Average critic score out of 10.")
    reviews: int = Field(description="How many critic reviews the Tomatometer counts.")
    oscars: int = Field(description="Academy Awards won.")
    wikidata: str = Field(description="Wikidata item of the film, e.g. Q4941.")
    status: FilmStatus = Field(description="now_showing, coming_soon or not_in_cinemas.")
    opens_on: str = Field(description="First day in cinemas here (YYYY-MM-DD), '' if not programmed.")
    last_day: str = Field(description="Last day of the current run (YYYY-MM-DD), '' if not programmed.")
    returns_on: str = Field(
        default="",
        description="When the film comes back after last_day, in a later run already published (YYYY-MM-DD); '' "
        "if it does not. 'Is it still on after last_day?' is yes when this is set.",
    )
    formats: list[Format] = Field(description="Formats it screens in here.")
    cinemas: list[str] = Field(description="Cinemas with upcoming showtimes, 'cin_…: name'.")
    upcoming_showtimes: int = Field(description="Showtimes still ahead; list them with movies_find_showtimes.")


# ----- cinemas ----------------------------------------------------------------------------------
class Auditorium(WireModel):
    """One screen of a cinema."""

    number: str = Field(description="Screen number within the cinema.")
    name: str = Field(description="Screen name, local / 中文.")
    formats: list[Format] = Field(description="Formats this screen can show.")
    seats: int = Field(description="Seats in all (couple seats count two).")
    features: str = Field(description="Premium rows, couple seats, wheelchair spaces.")


class Cinema(WireModel):
    """A real cinema of central Helsinki (OpenStreetMap)."""

    id: str = Field(description="Cinema id (cin_…); pass as cinema_id.")
    name: str = Field(description="Name, local / English / 中文 when they differ.")
    address: str = Field(description="Street address.")
    area: str = Field(description="District, English / 中文.")
    location: GeoPoint = Field(description="Where the cinema is.")
    distance_m: int | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="Straight-line metres from the given address or lat/lng; present only when a place was given.",
    )
    formats: list[Format] = Field(description="Formats shown here.")
    auditoriums: list[Auditorium] = Field(description="Its screens.")
    wheelchair: bool = Field(
        description="Step-free access: OpenStreetMap says wheelchair=yes, or its screens have wheelchair spaces."
    )
    open_now: str = Field(description="'' when showing films this season, else why not (e.g. summer-only).")
    showtimes_today: int = Field(description="Showtimes still on sale today.")


class CinemaPage(WireModel):
    cinemas: list[Cinema] = Field(description="Cinemas, nearest first when a place was given.")
    origin: str = Field(description="The place distances are measured from, or '' when none was given.")
    page: PageInfo = Field(description="Pagination.")


# ----- showtimes --------------------------------------------------------------------------------
class TierPrice(WireModel):
    """The price of one seat tier at one showtime."""

    tier: str = Field(
        description="Tier code: STD, PREMIUM, COUPLE (price per seat; couple seats come in pairs) or WHEELCHAIR "
        "(a wheelchair space; asked for by this tier, it comes with quantity - 1 companion seats beside it)."
    )
    price: Money = Field(description="Ticket price per seat (the booking fee comes on top).")
    free: int = Field(description="Seats of this tier free right now.")


class Showtime(WireModel):
    """One screening (场次): film, cinema, screen, start, format, language, prices and seats left."""

    id: str = Field(description="Showtime id (sht_…); pass as showtime_id.")
    movie_id: str = Field(description="Film id.")
    movie_title: str = Field(description="Film title.")
    cinema_id: str = Field(description="Cinema id.")
    cinema_name: str = Field(description="Cinema name.")
    auditorium: str = Field(description="Screen, e.g. 'Sali 1 / 1号厅 IMAX'.")
    starts_at: datetime = Field(description="Start, Helsinki local time with offset.")
    ends_at: datetime = Field(description="Expected end (runtime plus 15 minutes of trailers).")
    format: Format = Field(description="2D, 3D or IMAX.")
    language: str = Field(description="Spoken language, English / 中文.")
    status: ShowtimeStatus = Field(description="on_sale, sold_out, sales_closed (10 min before the start) or past.")
    pricing: str = Field(description="How the ticket price was set, e.g. 'IMAX evening' or '2D weekday matinee'.")
    tiers: list[TierPrice] = Field(description="Ticket price and free seats per tier (names: tier_names).")
    free: int = Field(description="Free seats in all.")
    distance_m: int | None = Field(
        default=None,
        exclude_if=lambda v: v is None,
        description="Metres from the given place to the cinema; present only when a place was given.",
    )


class ShowtimePage(WireModel):
    showtimes: list[Showtime] = Field(
        description="Showtimes in the order asked for (sort): soonest first, or with a place each day's nearest first."
    )
    booking_fee: Money = Field(description="Online booking fee per ticket, on top of every tier price.")
    tier_names: list[str] = Field(description="What the tier codes mean, 'CODE: English / 中文'.")
    subtitles: str = Field(description="Subtitles of the screenings.")
    page: PageInfo = Field(description="Pagination.")
    note: str = Field(
        default="",
        description="When the page is empty because of the day or time asked: the next showtime that fits "
        "everything else, to offer instead; '' otherwise.",
    )


class MovieSeatMap(WireModel):
    """A showtime's seat map: the screen is in front of row A."""

    showtime: Showtime = Field(description="The showtime the map is for.")
    screen: str = Field(description="Where the screen is, relative to the rows.")
    seat_map: SeatMap = Field(description="Free and taken seats per row, tiers and prices.")
    booking_fee: Money = Field(description="Online booking fee per ticket, on top of the tier price.")
    tier_names: list[str] = Field(description="What the tier codes mean, 'CODE: English / 中文'.")


# ----- holds and purchase -----------------------------------------------------------------------
class BillLine(WireModel):
    label: str = Field(description="What this line is.")
    amount: Money = Field(description="Amount.")
    rule: str = Field(default="", description="How it was computed.")


class Bill(WireModel):
    """The exact price: ticket prices + booking fee × tickets."""

    tickets: Money = Field(description="Ticket prices of all seats.")
    booking_fee: Money = Field(description="Booking fee for all tickets.")
    total: Money = Field(description="What will be charged.")
    lines: list[BillLine] = Field(description="The same, as explained lines.")


class MovieSeat(WireModel):
    """One seat of a hold or a quote, priced as on its ticket: price + fee = total."""

    seat_id: str = Field(description="Seat id as in the seat map, e.g. 'SALI1-ROWH-SEAT15'.")
    section: str = Field(description="Screen code, the first part of the seat id.")
    row: str = Field(description="Row label.")
    number: int = Field(description="Seat number in the row.")
    label: str = Field(description="Human label, e.g. 'Sali 1, row H, seat 15' or 'Sali 1, row A, wheelchair space 1'.")
    kind: SeatKind = Field(description="standard, accessible (a wheelchair space), or a couple-pair half.")
    tier: str = Field(description="Tier code.")
    price: Money = Field(description="Ticket price of this seat (the tier price).")
    fee: Money = Field(description="Booking fee on this seat.")
    total: Money = Field(description="price + fee: what this seat costs in all.")


class MovieHold(WireModel):
    """Seats kept for this user for a few minutes; free. Buy them with movies_purchase."""

    id: str = Field(description="Hold id (hld_…); pass as hold_id.")
    status: HoldStatus = Field(description="held until it expires or is released; sold once bought.")
    showtime_id: str = Field(description="Showtime id.")
    movie_title: str = Field(description="Film.")
    cinema_name: str = Field(description="Cinema.")
    auditorium: str = Field(description="Screen.")
    starts_at: datetime = Field(description="Showtime start (local time).")
    format: Format = Field(description="2D, 3D or IMAX.")
    seats: list[MovieSeat] = Field(description="The held seats, each with its price, booking fee and total.")
    bill: Bill = Field(description="What buying them costs.")
    expires_at: datetime = Field(description="The seats go back on sale at this time unless bought (simulated clock).")
    replaced_hold_ids: list[str] = Field(
        default_factory=list,
        exclude_if=lambda v: not v,
        description="Your earlier holds for this showtime that this one replaced (released): one seat selection per "
        "showtime, as the app keeps. Absent when there were none.",
    )


class HoldRequest(WireModel):
    showtime_id: str = Field(description="Showtime id (sht_…).")
    seat_ids: list[str] = Field(default_factory=list, description="Exact seats from the seat map.")
    tier: str = Field(
        default="",
        description="Tier for best-available seats: STD, PREMIUM, COUPLE or WHEELCHAIR (one wheelchair space plus "
        "quantity - 1 companion seats beside it); '' = STD.",
    )
    quantity: int = Field(default=0, description="How many best-available seats.")


class PurchaseQuoteRequest(WireModel):
    hold_id: str = Field(description="Hold to buy (hld_…).")


class PurchaseQuote(WireModel):
    """The exact offer the user confirms before the wallet is charged."""

    confirmation_token: str = Field(description="Pass back to buy exactly this.")
    expires_at: datetime = Field(description="Token expiry: when the hold lapses (simulated clock).")
    hold_id: str = Field(description="The hold being bought.")
    movie_title: str = Field(description="Film.")
    starts_at: datetime = Field(description="Showtime start (local time).")
    cinema_name: str = Field(description="Cinema.")
    auditorium: str = Field(description="Screen.")
    format: Format = Field(description="2D, 3D or IMAX.")
    seats: list[MovieSeat] = Field(description="Seats being bought, each with its price, booking fee and total.")
    bill: Bill = Field(description="Exact bill.")
    wallet_after: Money = Field(description="Wallet balance after paying.")
    refund_policy_text: str = Field(description="Refund rules that will apply.")
    summary: str = Field(description="One line to show the user before they confirm.")


class ConfirmRequest(WireModel):
    confirmation_token: str = Field(description="Token from the quote.")


class RefundConfirm(ConfirmRequest):
    seat_ids: list[str] = Field(
        default_factory=list,
        description="The seats the caller means; refused unless they are the quote's. Empty = as quoted.",
    )


class MovieTicket(WireModel):
    seat_id: str = Field(description="Seat id; pass in seat_ids to refund just this seat.")
    seat: str = Field(description="Seat label, e.g. 'Sali 1, row F, seat 7' or 'Sali 1, row A, wheelchair space 1'.")
    tier: str = Field(description="Tier code.")
    kind: SeatKind = Field(description="standard, accessible (a wheelchair space), or a couple-pair half.")
    price: Money = Field(description="Ticket price of this seat, as on the hold and the quote.")
    fee: Money = Field(description="Booking fee paid on this seat.")
    total: Money = Field(description="price + fee: what was paid for this seat.")
    status: TicketStatus = Field(description="valid, refunded, or used (the showtime is over).")


class MovieOrder(WireModel):
    """A paid order (电影票订单): show the pickup code at the door or the ticket machine."""

    id: str = Field(description="Order id (mvo_…).")
    status: OrderStatus = Field(description="paid, partly_refunded (some seats given back) or refunded.")
    showtime_id: str = Field(description="Showtime id.")
    movie_title: str = Field(description="Film.")
    cinema_name: str = Field(description="Cinema.")
    auditorium: str = Field(description="Screen.")
    starts_at: datetime = Field(description="Showtime start (local time).")
    format: Format = Field(description="2D, 3D or IMAX.")
    pickup_code: str = Field(description="取票码: the code for the door scanner or the ticket machine.")
    tickets: list[MovieTicket] = Field(description="One ticket per seat.")
    bill: Bill = Field(description="What was charged.")
    refunded: Money = Field(description="Refunded so far.")
    placed_at: datetime = Field(description="When it was paid.")
    refund_now: str = Field(description="What a refund would return now, or why it cannot.")


class PurchaseResult(Outcome):
    """Either a quote to confirm, or the paid order."""

    status: ConfirmStatus = Field(
        description="confirmation_required: show the quote and call again with its token; "
        "done: paid, tickets issued; declined: the user said no, nothing charged."
    )
    quote: PurchaseQuote | None = Field(default=None, description="The exact offer awaiting confirmation.")
    order: MovieOrder | None = Field(default=None, description="The paid order.")


class OrderPage(WireModel):
    orders: list[MovieOrder] = Field(description="Orders, newest first.")
    page: PageInfo = Field(description="Pagination.")


class OrderList(OrderPage):
    """A page of orders with the wallet they were paid from."""

    wallet: WalletNow = Field(description="The one wallet's balance now and its latest movements (every service's).")


class RefundQuoteRequest(WireModel):
    seat_ids: list[str] = Field(
        default_factory=list, description="Seats of the order to refund; empty = every valid one."
    )


class RefundQuote(WireModel):
    confirmation_token: str = Field(description="Pass back to refund exactly this.")
    expires_at: datetime = Field(description="Token expiry (simulated clock).")
    order_id: str = Field(description="Order.")
    seat_ids: list[str] = Field(description="Seats to be refunded.")
    paid: Money = Field(description="What those seats cost (ticket prices + booking fees).")
    kept: Money = Field(description="What the policy keeps (their booking fees).")
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
    order: MovieOrder | None = Field(default=None, description="The order after the refund.")


PurchaseResult.model_rebuild()
RefundResult.model_rebuild()
