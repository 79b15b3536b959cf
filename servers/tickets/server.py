"""tickets-mcp: the MCP tools of the event-ticketing vertical.

Each tool is a few lines: validate the shape, call ``TicketsClient``, return a wire model.
Holding seats is free and needs no confirmation; money only moves after the user confirms the
exact amount: by elicitation when the client can be asked, otherwise through a quote whose
confirmation token the second call passes. The same token never buys or refunds twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import Context, Elicit, ElicitationResult, Resolve
from mcp.server.mcpserver.prompts.base import UserMessage
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference
from pydantic import Field

from shared.kit.apps import ui_meta, views_extension
from shared.kit.consent import Consent, MoneyWords, ask_consent, settle
from shared.kit.server import PAY, READ, WRITE, ClientLifespan, LifestyleServer, make_server
from shared.kit.settings import Settings
from shared.schemas.tickets import (
    CATEGORY_ZH,
    Attendee,
    AttendeeInput,
    AttendeeList,
    CategoryFilter,
    EventDetail,
    EventPage,
    Hold,
    HoldRequest,
    IdType,
    Order,
    OrderFilter,
    OrderList,
    PurchaseQuote,
    PurchaseQuoteRequest,
    PurchaseResult,
    RefundQuote,
    RefundResult,
    SeatMap,
)
from shared.seating import BEST_AVAILABLE_ORDER

from .client import TicketsClient

if TYPE_CHECKING:
    from fastapi import FastAPI

INSTRUCTIONS = """Event tickets in Helsinki (Damai-like): concerts, classical, theatre, musicals, dance,
comedy, sports, exhibitions, family shows. Typical flow: tickets_search_events (English or Chinese:
'Peer Gynt', '话剧', '演唱会') → tickets_get_event (sessions, price tiers, rules) → tickets_get_seat_map →
tickets_hold_seats (exact seats or best N in a tier; free, lapses after 10 minutes) →
tickets_purchase (the user confirms the exact total; real-name events need one saved attendee per
ticket: tickets_list_attendees / tickets_save_attendee) → tickets_list_orders (e-tickets) →
tickets_refund (by the event's policy, confirmed). Never invent ids: use the ones tools return.
Amounts are integer cents (amount_minor); times are Helsinki local time.
The wallet and saved addresses are the user's one account, shared with the other lifestyle servers: quotes show
the balance after paying, results the balance now."""


HOLD_SEATS = (
    "Hold seats for 10 minutes while the user decides: free and needs no confirmation, but counts toward the "
    "per-account limit and only works while the session is on sale. Returns the hold id, the seats (each with its "
    "face value, service fee and total), the exact bill and when the hold expires. Repeating the same request while "
    "its hold is active returns that hold, so a retry never holds twice; release it first to choose again. "
    "together is false when best available could only find scattered seats: say so before buying. "
    f"{BEST_AVAILABLE_ORDER}"
)


def _client(ctx: Context[Any, Any]) -> TicketsClient:
    client: TicketsClient = ctx.request_context.lifespan_context
    return client


# ----- confirmation resolvers: hidden from the input schema, run before the tool body ---------
async def _purchase_quote(
    ctx: Context[Any, Any], hold_id: str, attendee_ids: list[str], confirmation_token: str
) -> PurchaseQuote | None:
    if confirmation_token:
        return None
    return await _client(ctx).quote_purchase(PurchaseQuoteRequest(hold_id=hold_id, attendee_ids=attendee_ids))


async def _purchase_consent(
    ctx: Context[Any, Any], quote: Annotated[PurchaseQuote | None, Resolve(_purchase_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Buy now?") if quote else None


async def _refund_quote(
    ctx: Context[Any, Any], order_id: str, ticket_ids: list[str], confirmation_token: str
) -> RefundQuote | None:
    return None if confirmation_token else await _client(ctx).quote_refund(order_id, ticket_ids)


async def _refund_consent(
    ctx: Context[Any, Any], quote: Annotated[RefundQuote | None, Resolve(_refund_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Go ahead?") if quote else None


def build_server(settings: Settings | None = None, *, app: FastAPI | None = None) -> LifestyleServer:
    """The tickets server. ``app`` lets tests share one in-process backend (and its clock)."""
    settings = settings or Settings.for_vertical("tickets")

    def create_backend() -> FastAPI:
        from .backend.app import create_app

        return app or create_app(settings)

    lifespan = ClientLifespan(settings, TicketsClient, create_backend)
    # MCP Apps hosts draw the seat map and let the user tap seats to hold them (shared/views/seat_picker.html).
    mcp = make_server(
        "tickets", settings, lifespan, INSTRUCTIONS, extensions=[views_extension("tickets", "seat_picker")]
    )

    @mcp.tool(annotations=READ)
    async def tickets_search_events(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                description="Words to find in the title, performer, venue, category, concert genre or the "
                "language, English, Finnish or Chinese, e.g. 'Peer Gynt', 'Mahler', 'Musiikkitalo', 'konsertti', "
                "'jazz', '摇滚演唱会', '话剧', 'comedy in English'. Empty "
                "lists everything. "
                "Day words (today, tonight, tomorrow, Friday, Friday night, this weekend, next week, December, next "
                "month, Christmas, New Years Eve; tänään, perjantaina, joulukuussa; 今晚, 明天, 周五, 周六晚上, "
                "下周五, 周末, 下周, 十二月, 下个月, 月底, 跨年) and parts of the day (morning, afternoon, 上午, "
                "下午) are read as those dates and hours (evenings from 17:00), within date_from/date_to, not as title "
                "words; next Friday is not (ask which Friday). A price said with a bound (under €40, alle 40 "
                "euroa, 40欧以下, over 50 euros) is read as price_max_minor / price_min_minor; 'cheap' / '便宜' "
                "(and 'free' / '免费': nothing is free entry) ranks the lowest price first; what is left said "
                "('还有票的', 'sold out'; 快售罄 or selling fast: few left) keeps events by their availability "
                "now. The note says why a page is empty."
            ),
        ] = "",
        category: Annotated[CategoryFilter, Field(description="Only this kind of event; 'any' for all.")] = "any",
        area: Annotated[
            str, Field(description="District of Helsinki, e.g. 'Kamppi', 'Kluuvi', '坎皮'; '' for the whole city.")
        ] = "",
        lat: Annotated[
            float, Field(description="Latitude (WGS-84) to sort by distance from; 0 = unset.", ge=-90, le=90)
        ] = 0,
        lng: Annotated[
            float, Field(description="Longitude (WGS-84) to sort by distance from; 0 = unset.", ge=-180, le=180)
        ] = 0,
        date_from: Annotated[
            str,
            Field(description="Earliest session date, YYYY-MM-DD (Helsinki) or '12月24日' / 'Dec 24'; '' = from now."),
        ] = "",
        date_to: Annotated[
            str, Field(description="Latest session date, YYYY-MM-DD (Helsinki) or '12月24日' / 'Dec 24'; '' = open.")
        ] = "",
        time_from: Annotated[
            str,
            Field(description="Earliest session start time of day, HH:MM (Helsinki, 24-hour), e.g. '18:00'; '' = any."),
        ] = "",
        time_to: Annotated[
            str,
            Field(description="Latest session start time of day, HH:MM (Helsinki, 24-hour), e.g. '20:00'; '' = any."),
        ] = "",
        price_min_minor: Annotated[
            int, Field(description="Lowest ticket face value in cents (e.g. 2000 = €20); 0 = open.", ge=0)
        ] = 0,
        price_max_minor: Annotated[
            int, Field(description="Highest ticket face value in cents (e.g. 6000 = €60); 0 = open.", ge=0)
        ] = 0,
        limit: Annotated[int, Field(description="Results per page, 1–20.", ge=1, le=20)] = 5,
        cursor: Annotated[
            str, Field(description="page.next_cursor from the previous call; '' for the first page.")
        ] = "",
    ) -> EventPage:
        """Find upcoming events by words, category, district, dates, time of day and price, with the next session
        to book (and when its sales open if none is on sale yet), the price range still for sale and availability.
        Best query match first, then nearest (with lat/lng), then soonest; events whose every matching session was
        sold out before its sale opened come after all the others."""
        return await _client(ctx).search_events(
            query=query,
            category=category,
            area=area,
            lat=lat,
            lng=lng,
            date_from=date_from,
            date_to=date_to,
            time_from=time_from,
            time_to=time_to,
            price_min_minor=price_min_minor,
            price_max_minor=price_max_minor,
            limit=limit,
            cursor=cursor,
        )

    @mcp.tool(annotations=READ)
    async def tickets_get_event(
        ctx: Context[Any, Any],
        event_id: Annotated[str, Field(description="Event id (evt_…) from tickets_search_events.")],
    ) -> EventDetail:
        """An event's sessions (with status, price tiers and remaining tickets), venue, service fee, sale window,
        per-account limit, real-name requirement and refund policy."""
        return await _client(ctx).get_event(event_id)

    @mcp.tool(annotations=READ, meta=ui_meta("tickets", "seat_picker"))
    async def tickets_get_seat_map(
        ctx: Context[Any, Any],
        session_id: Annotated[str, Field(description="Session id (ses_…) from tickets_get_event.")],
        section: Annotated[
            str,
            Field(
                description="Only this section, by code (e.g. STL, BAL, FLR) or name ('Balcony', '楼座'); '' for "
                "every section."
            ),
        ] = "",
    ) -> SeatMap:
        """Which seats of a session are free: one string per row ('.' free, 'a' wheelchair space, 'x' taken, 'y'
        held by you), the tier of each row, and prices with remaining counts per tier (wheelchair_spaces: how many
        of them only a wheelchair request gets). Seat ids read on their own:
        SECTION-ROW<row>-SEAT<number>, e.g. 'STL-ROW5-SEAT12' (seat_id_format)."""
        return await _client(ctx).seat_map(session_id, section)

    @mcp.tool(annotations=WRITE, description=HOLD_SEATS)
    async def tickets_hold_seats(
        ctx: Context[Any, Any],
        session_id: Annotated[str, Field(description="Session id (ses_…) from tickets_get_event.")],
        seat_ids: Annotated[
            list[str],
            Field(
                description="Exact seats from tickets_get_seat_map, e.g. ['STL-ROW5-SEAT11', 'STL-ROW5-SEAT12']; "
                "[] to let the venue choose by tier and quantity."
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        tier: Annotated[
            str,
            Field(
                description="Tier code for best-available seats, e.g. VIP, A, B, C, STANDING, ENTRY ('A类', 'VIP票' "
                "too), or 'cheapest' / 'best' for this session's cheapest or dearest tier; '' where the session "
                "sells one tier only."
            ),
        ] = "",
        quantity: Annotated[
            int, Field(description="How many best-available seats in that tier (adjacent when possible).", ge=0, le=10)
        ] = 0,
        wheelchair: Annotated[
            bool,
            Field(
                description="True: best available as one wheelchair space of the tier plus quantity - 1 companion "
                "seats right beside it, or on a standing floor other places of the same area (quantity 2: the space "
                "and one companion). Only such a request gets wheelchair spaces (tiers[].wheelchair_spaces)."
            ),
        ] = False,
    ) -> Hold:
        """See ``HOLD_SEATS``."""
        body = HoldRequest(
            session_id=session_id, seat_ids=seat_ids, tier=tier, quantity=quantity, wheelchair=wheelchair
        )
        return await _client(ctx).hold_seats(body)

    @mcp.tool(annotations=WRITE)
    async def tickets_release_hold(
        ctx: Context[Any, Any],
        hold_id: Annotated[str, Field(description="Hold id (hld_…) from tickets_hold_seats.")],
    ) -> Hold:
        """Give held seats back at once (holds also lapse by themselves). Releasing twice is harmless."""
        return await _client(ctx).release_hold(hold_id)

    @mcp.tool(annotations=PAY)
    async def tickets_purchase(
        ctx: Context[Any, Any],
        quote: Annotated[PurchaseQuote | None, Resolve(_purchase_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_purchase_consent)],
        hold_id: Annotated[str, Field(description="Hold id (hld_…) from tickets_hold_seats.")],
        attendee_ids: Annotated[
            list[str],
            Field(
                description="Real-name events: one saved attendee id (att_…) per seat, in seat order, from "
                "tickets_list_attendees. [] otherwise. With a confirmation_token: as quoted, or []."
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, passed only after the user "
                "confirmed that exact total."
            ),
        ] = "",
    ) -> PurchaseResult:
        """Buy a hold from the wallet: tier price × n plus the service fee per ticket. The user must confirm the
        exact total: the client is asked directly when it supports it; otherwise the first call returns
        status=confirmation_required with a quote and a token, and a second call with that token buys. The same
        token never buys twice. Issues e-tickets."""
        client = _client(ctx)
        words: MoneyWords[Order] = MoneyWords(
            tool="tickets_purchase",
            pending="Not bought yet.",
            declined="The user declined; nothing was bought. The hold stays until it lapses, or release it with "
            "tickets_release_hold.",
            done=lambda order: f"Paid; order {order.id} issued.",
            again={"hold_id": hold_id},
            until="when the hold lapses",
        )
        return await settle(
            client, PurchaseResult, quote=quote, answer=answer, token=confirmation_token,
            act=lambda token: client.purchase(hold_id, token, attendee_ids), words=words,
        )  # fmt: skip

    @mcp.tool(annotations=READ)
    async def tickets_list_orders(
        ctx: Context[Any, Any],
        status: Annotated[
            OrderFilter,
            Field(
                description="Which orders: any, upcoming (a show in progress included: its tickets are still valid), "
                "past (the show has ended) or refunded (fully)."
            ),
        ] = "any",
        limit: Annotated[int, Field(description="Orders per page, 1–10.", ge=1, le=10)] = 5,
        cursor: Annotated[str, Field(description="page.next_cursor from the previous call.")] = "",
    ) -> OrderList:
        """The user's orders, newest first, with e-tickets (seat, holder with masked ID, entry code) and what a
        refund would return now; and the wallet: its balance now and latest movements (one wallet with food and
        movies: 'did my refund arrive?')."""
        client = _client(ctx)
        page = await client.list_orders(status, limit, cursor)
        return OrderList(orders=page.orders, page=page.page, wallet=await client.wallet_now())

    @mcp.tool(annotations=PAY)
    async def tickets_refund(
        ctx: Context[Any, Any],
        quote: Annotated[RefundQuote | None, Resolve(_refund_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_refund_consent)],
        order_id: Annotated[str, Field(description="Order id (tko_…) from tickets_list_orders.")],
        ticket_ids: Annotated[
            list[str],
            Field(
                description="Only these tickets (tkt_…) of the order; [] for every valid one. With a "
                "confirmation_token: the quoted tickets or [] (others are refused: quote them first)."
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, after the user accepted that refund."
            ),
        ] = "",
    ) -> RefundResult:
        """Refund tickets under the event's policy (standard: 7+ days before the start all but €2 per ticket,
        48 h–7 days 80%, under 48 h none; some events are stricter or non-refundable). The user confirms the exact
        refund first, as with buying; the money goes back to the wallet once and the seats go back on sale."""
        client = _client(ctx)
        words: MoneyWords[Order] = MoneyWords(
            tool="tickets_refund",
            pending="Not refunded yet.",
            declined="The user kept the tickets; nothing changed.",
            # the amount confirmed goes back; order.refunded is every refund of the order so far, said as such so a
            # second partial refund is not reported as the sum of both
            done=lambda order: f"Refunded as confirmed; this order has had {order.refunded.display} back in all.",
            again={"order_id": order_id},
        )
        return await settle(
            client, RefundResult, quote=quote, answer=answer, token=confirmation_token,
            act=lambda token: client.refund(order_id, token, ticket_ids), words=words,
        )  # fmt: skip

    @mcp.tool(annotations=READ)
    async def tickets_list_attendees(ctx: Context[Any, Any]) -> AttendeeList:
        """The saved ticket holders (常用购票人) with their ids; ID numbers are masked."""
        return await _client(ctx).list_attendees()

    @mcp.tool(annotations=WRITE)
    async def tickets_save_attendee(
        ctx: Context[Any, Any],
        name: Annotated[str, Field(description="Full name exactly as on the ID, e.g. 'Wang Fang' or '王芳'.")],
        id_type: Annotated[
            IdType, Field(description="id_card (居民身份证), passport, hk_macao_permit or taiwan_permit.")
        ],
        id_number: Annotated[
            str, Field(description="The ID number, e.g. 18 characters for an id_card. Stored, never shown in full.")
        ],
    ) -> Attendee:
        """Save a ticket holder for real-name events; saving the same ID again returns the same attendee. An
        account keeps at most 50 attendees."""
        return await _client(ctx).save_attendee(AttendeeInput(name=name, id_type=id_type, id_number=id_number))

    _add_extras(mcp, lifespan)
    return mcp


def _add_extras(mcp: LifestyleServer, lifespan: ClientLifespan[TicketsClient]) -> None:
    """Prompts, the seat-map resource and argument completion: conveniences, never required."""

    @mcp.prompt(title="Find a show")
    def find_a_show(category: str = "", when: str = "this weekend", people: str = "2") -> list[UserMessage]:
        """Find an event, pick good seats and buy tickets with confirmation."""
        what = f"a {category} event" if category else "something good to see"
        return [
            UserMessage(
                f"Find {what} in Helsinki {when} for {people} people. Show me the options with prices, then pick the "
                "best available seats together, tell me the exact total and the refund policy, and ask me before "
                "buying."
            )
        ]

    @mcp.prompt(title="My tickets")
    def my_tickets() -> list[UserMessage]:
        """Show upcoming tickets and what a refund would return now."""
        return [
            UserMessage(
                "Which tickets do I have coming up? List each event with its time, venue, seats and entry codes, and "
                "say what I would get back if I refunded now."
            )
        ]

    @mcp.resource(
        "tickets://sessions/{session_id}/seatmap",
        mime_type="application/json",
        description="A session's seat map: free and taken seats per row, tiers and prices.",
    )
    async def seat_map(session_id: str, ctx: Context[Any, Any]) -> str:
        return (await _client(ctx).seat_map(session_id)).model_dump_json()

    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        prefix = argument.value.lower()
        if argument.name == "category":
            values = [v for pair in CATEGORY_ZH.items() for v in pair if v.lower().startswith(prefix)]
        elif argument.name == "when":
            values = [v for v in ("tonight", "this weekend", "next week", "this month") if v.startswith(prefix)]
        elif argument.name == "people":
            values = [str(n) for n in range(1, 7) if str(n).startswith(prefix)]
        elif argument.name == "session_id" and (client := lifespan.current()) is not None:
            # The completion handler gets no Context, so it uses the running lifespan's client.
            page = await client.search_events(limit=10)
            values = [e.next_session_id for e in page.events if e.next_session_id.startswith(argument.value)]
        else:
            return None
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)
