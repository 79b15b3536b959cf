"""movies-mcp: the MCP tools of the movie-ticket vertical (Taopiaopiao-like).

Each tool is a few lines: validate the shape, call ``MoviesClient``, return a wire model. Holding
seats is free and needs no confirmation; money only moves after the user confirms the exact
amount: by elicitation when the client can be asked, otherwise through a quote whose confirmation
token the second call passes. The same token never buys or refunds twice.
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
from shared.schemas.movies import (
    GENRE_LABELS,
    CinemaPage,
    FilmDetail,
    FilmPage,
    FormatFilter,
    HoldRequest,
    MovieHold,
    MovieOrder,
    MovieSeatMap,
    OrderFilter,
    OrderList,
    PurchaseQuote,
    PurchaseResult,
    RefundQuote,
    RefundResult,
    ShowingFilter,
    ShowtimePage,
    ShowtimeSort,
)
from shared.seating import BEST_AVAILABLE_ORDER

from .client import MoviesClient

if TYPE_CHECKING:
    from fastapi import FastAPI

INSTRUCTIONS = """Movie tickets in Helsinki (Taopiaopiao-like): films, cinemas, showtimes and seats. Typical flow:
movies_search_movies (now showing or coming soon; English or Chinese: 'Nolan', '动作', '科幻') → movies_get_movie →
movies_find_showtimes (by film and/or cinema, day, near an address, IMAX/3D/2D, language) → movies_get_seat_map →
movies_hold_seats (exact seats or best N; free, lapses after 10 minutes) → movies_purchase (the user confirms the
exact total) → movies_list_orders (pickup code) → movies_refund (until 1 hour before the showtime, confirmed).
movies_search_cinemas finds cinemas near an address: a street, or a saved address by id or label (e.g. 'Home').
Never invent ids: use the ones tools return. Amounts are integer cents (amount_minor); times are Helsinki local
time.
The wallet and saved addresses are the user's one account, shared with the other lifestyle servers: quotes show
the balance after paying, results the balance now."""


def _client(ctx: Context[Any, Any]) -> MoviesClient:
    client: MoviesClient = ctx.request_context.lifespan_context
    return client


# ----- confirmation resolvers: hidden from the input schema, run before the tool body ---------
async def _purchase_quote(ctx: Context[Any, Any], hold_id: str, confirmation_token: str) -> PurchaseQuote | None:
    return None if confirmation_token else await _client(ctx).quote_purchase(hold_id)


async def _purchase_consent(
    ctx: Context[Any, Any], quote: Annotated[PurchaseQuote | None, Resolve(_purchase_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Buy now?") if quote else None


async def _refund_quote(
    ctx: Context[Any, Any], order_id: str, seat_ids: list[str], confirmation_token: str
) -> RefundQuote | None:
    return None if confirmation_token else await _client(ctx).quote_refund(order_id, seat_ids)


async def _refund_consent(
    ctx: Context[Any, Any], quote: Annotated[RefundQuote | None, Resolve(_refund_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Go ahead?") if quote else None


HOLD_SEATS = (
    "Hold seats for 10 minutes while the user decides: free and needs no confirmation, at most 6 tickets per account "
    "per showtime, only while the showtime is on sale. Returns the hold id, the seats (each with its ticket price, "
    "booking fee and total), the exact bill and when the hold expires. Repeating the same request while its hold is "
    "active returns that hold; holding other seats for the same showtime replaces (releases) your earlier hold there "
    "(replaced_hold_ids), as the app keeps one selection per showtime. "
    f"{BEST_AVAILABLE_ORDER} Cinemas rank the rows about 60% back best."
)

PlaceAddress = Annotated[
    str,
    Field(
        description="Where the user is: a street address in central Helsinki ('Kaivokatu 4'), a landmark ('Central "
        "Station', 'Oodi', '大教堂'), a district ('Kamppi', 'Töölö'), or one of the user's saved addresses by id or "
        "label ('adr_demo_1', 'Home', 'Work'); 'near me' / '离我最近的' for the account's home; '' for none. "
        "lat/lng win when given."
    ),
]
Lat = Annotated[float, Field(description="Latitude (WGS-84) of the user; 0 = unset.", ge=-90, le=90)]
Lng = Annotated[float, Field(description="Longitude (WGS-84) of the user; 0 = unset.", ge=-180, le=180)]


def build_server(settings: Settings | None = None, *, app: FastAPI | None = None) -> LifestyleServer:
    """The movies server. ``app`` lets tests share one in-process backend (and its clock)."""
    settings = settings or Settings.for_vertical("movies")

    def create_backend() -> FastAPI:
        from .backend.app import create_app

        return app or create_app(settings)

    lifespan = ClientLifespan(settings, MoviesClient, create_backend)
    # MCP Apps hosts draw the seat map and let the user tap seats to hold them (shared/views/seat_picker.html).
    mcp = make_server("movies", settings, lifespan, INSTRUCTIONS, extensions=[views_extension("movies", "seat_picker")])

    @mcp.tool(annotations=READ)
    async def movies_search_movies(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                description="Words to find in the title, director, cast, genre or language, English or Chinese (genres "
                "and languages in Finnish too; people by their names in Latin letters: Nolan, not 诺兰), e.g. "
                "'Inception', 'kung fu', '动作片', '粤语', 'kauhu', a country ('韩国电影', '国产片'). 'coming soon' / "
                "即将上映 lists the films not out yet and a format ('IMAX', '3D电影') the films screened in it. Empty "
                "lists everything."
            ),
        ] = "",
        showing: Annotated[
            ShowingFilter,
            Field(
                description="now_showing (in cinemas now), coming_soon (opening later) or all (the whole catalogue)."
            ),
        ] = "now_showing",
        genre: Annotated[
            str,
            Field(
                description="Only this genre, English, Chinese or Finnish, e.g. 'action', 'sci-fi', '动作', '科幻', "
                "'kauhu'; '' for any."
            ),
        ] = "",
        limit: Annotated[int, Field(description="Results per page, 1–20.", ge=1, le=20)] = 5,
        cursor: Annotated[
            str, Field(description="page.next_cursor from the previous call; '' for the first page.")
        ] = "",
    ) -> FilmPage:
        """Find films now showing or coming soon (or anywhere in the catalogue) by words and genre, with genres in
        English and Chinese, runtime, language, Tomatometer, opening day and formats. Best match first."""
        return await _client(ctx).search_movies(query=query, showing=showing, genre=genre, limit=limit, cursor=cursor)

    @mcp.tool(annotations=READ)
    async def movies_get_movie(
        ctx: Context[Any, Any],
        movie_id: Annotated[str, Field(description="Film id (mov_…) from movies_search_movies.")],
    ) -> FilmDetail:
        """A film's director, cast, language, country, age rating, critics' score, run dates here, formats and the
        cinemas showing it."""
        return await _client(ctx).get_movie(movie_id)

    @mcp.tool(annotations=READ)
    async def movies_search_cinemas(
        ctx: Context[Any, Any],
        address: PlaceAddress = "",
        lat: Lat = 0,
        lng: Lng = 0,
        limit: Annotated[int, Field(description="Results per page, 1–10.", ge=1, le=10)] = 5,
        cursor: Annotated[str, Field(description="page.next_cursor from the previous call.")] = "",
    ) -> CinemaPage:
        """Cinemas nearest first from a street address, one of the user's saved addresses (id or label, e.g.
        'Home') or lat/lng: screens with their formats (IMAX, 3D) and seat features, wheelchair access and how many
        showtimes are still on sale today."""
        return await _client(ctx).search_cinemas(address=address, lat=lat, lng=lng, limit=limit, cursor=cursor)

    @mcp.tool(annotations=READ)
    async def movies_find_showtimes(
        ctx: Context[Any, Any],
        movie_id: Annotated[str, Field(description="Only this film (mov_…); '' for any.")] = "",
        cinema_id: Annotated[
            str, Field(description="Only this cinema (cin_…, or its map place's plc_… from nav); '' for any.")
        ] = "",
        date: Annotated[
            str,
            Field(
                description="Day as YYYY-MM-DD (Helsinki) or as people write it ('12月24日', 'Dec 24'), 'today', "
                "'tonight' (today from 17:00, or from time_from), "
                "'tomorrow' or a weekday ('Friday', 'perjantai', '周五': the next one, today included; 下周五: next "
                "week's), a day's evening or part ('tomorrow night', '周六晚上', 'saturday afternoon'), or days "
                "('this weekend', '周末', 'next week', 'December'); '' for every day ahead."
            ),
        ] = "",
        address: PlaceAddress = "",
        lat: Lat = 0,
        lng: Lng = 0,
        format: Annotated[FormatFilter, Field(description="Only 2D, 3D or IMAX screenings; 'any' for all.")] = "any",
        language: Annotated[
            str,
            Field(
                description="Spoken language, English, Chinese or Finnish, e.g. 'English', 'Mandarin', '粤语', "
                "'englanti'; '' any."
            ),
        ] = "",
        time_from: Annotated[
            str,
            Field(
                description="Earliest start time of day, HH:MM (Helsinki, 24-hour), e.g. '18:00' for 'after 18:00'; "
                "'' = any. For 'around 19:00' pass time_from '18:30' and time_to '19:30'."
            ),
        ] = "",
        time_to: Annotated[
            str, Field(description="Latest start time of day, HH:MM (Helsinki, 24-hour), e.g. '21:00'; '' = any.")
        ] = "",
        sort: Annotated[
            ShowtimeSort,
            Field(
                description="auto: soonest first, but with a place each day's nearest cinemas first; start_time: "
                "strictly by start time (nearest first on equal times)."
            ),
        ] = "auto",
        limit: Annotated[int, Field(description="Results per page, 1–10.", ge=1, le=10)] = 5,
        cursor: Annotated[str, Field(description="page.next_cursor from the previous call.")] = "",
    ) -> ShowtimePage:
        """Upcoming showtimes (场次) by film and/or cinema, day, start-time window, format and language: start and
        end, screen, price and free seats per seat tier, and status; the booking fee and tier names once per page.
        Soonest first; with a place, each day's nearest first unless sort=start_time. Page on with
        page.next_cursor."""
        return await _client(ctx).find_showtimes(
            movie_id=movie_id,
            cinema_id=cinema_id,
            date=date,
            address=address,
            lat=lat,
            lng=lng,
            format=format,
            language=language,
            time_from=time_from,
            time_to=time_to,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )

    @mcp.tool(annotations=READ, meta=ui_meta("movies", "seat_picker"))
    async def movies_get_seat_map(
        ctx: Context[Any, Any],
        showtime_id: Annotated[str, Field(description="Showtime id (sht_…) from movies_find_showtimes.")],
    ) -> MovieSeatMap:
        """Which seats of a showtime are free: one string per row, front (screen) first ('.' free, 'a' wheelchair
        space, '<' '>' couple pair, 'y' held by you, 'x' taken, ' ' aisle), the tier of each row, and prices. Seat
        ids read on their own: SCREEN-ROW<row>-SEAT<number>, e.g. 'SALI1-ROWH-SEAT15' (seat_map.seat_id_format)."""
        return await _client(ctx).seat_map(showtime_id)

    @mcp.tool(annotations=WRITE, description=HOLD_SEATS)
    async def movies_hold_seats(
        ctx: Context[Any, Any],
        showtime_id: Annotated[str, Field(description="Showtime id (sht_…) from movies_find_showtimes.")],
        seat_ids: Annotated[
            list[str],
            Field(
                description="Exact seats from movies_get_seat_map, e.g. ['SALI1-ROWF-SEAT7', 'SALI1-ROWF-SEAT8']; "
                "couple seats in pairs. [] to let the cinema choose the best available."
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        tier: Annotated[
            str,
            Field(
                description="Tier for best-available seats: STD, PREMIUM, COUPLE, or WHEELCHAIR = one wheelchair "
                "space plus quantity - 1 companion seats right beside it (quantity 2: the space and one companion); "
                "a name from tier_names ('Standard', '情侣座') works too, 'cheapest' / 'most expensive' for this "
                "showtime's cheapest or dearest seats, 'best' / '最好的位置' for the best view (PREMIUM's middle, "
                "else STD's), rows said as where ('后排' / 'back rows', '前排', '第一排', '最后一排': the best seats "
                "there); '' = STD (the middle ones first: '中间' / 'middle' too)."
            ),
        ] = "",
        quantity: Annotated[
            int, Field(description="How many best-available seats, side by side (0 with seat_ids).", ge=0, le=6)
        ] = 0,
    ) -> MovieHold:
        """See ``HOLD_SEATS``."""
        body = HoldRequest(showtime_id=showtime_id, seat_ids=seat_ids, tier=tier, quantity=quantity)
        return await _client(ctx).hold_seats(body)

    @mcp.tool(annotations=WRITE)
    async def movies_release_hold(
        ctx: Context[Any, Any],
        hold_id: Annotated[str, Field(description="Hold id (hld_…) from movies_hold_seats.")],
    ) -> MovieHold:
        """Give held seats back at once (holds also lapse by themselves). Releasing twice is harmless."""
        return await _client(ctx).release_hold(hold_id)

    @mcp.tool(annotations=PAY)
    async def movies_purchase(
        ctx: Context[Any, Any],
        quote: Annotated[PurchaseQuote | None, Resolve(_purchase_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_purchase_consent)],
        hold_id: Annotated[str, Field(description="Hold id (hld_…) from movies_hold_seats.")],
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, passed only after the user "
                "confirmed that exact total."
            ),
        ] = "",
    ) -> PurchaseResult:
        """Buy a hold from the wallet: ticket prices plus the booking fee per ticket. The user must confirm the exact
        total: the client is asked directly when it supports it; otherwise the first call returns
        status=confirmation_required with a quote and a token, and a second call with that token buys. The same
        token never buys twice. Returns the order with its pickup code."""
        client = _client(ctx)
        words: MoneyWords[MovieOrder] = MoneyWords(
            tool="movies_purchase",
            pending="Not bought yet.",
            declined="The user declined; nothing was bought. The hold stays until it lapses, or release it with "
            "movies_release_hold.",
            done=lambda order: f"Paid; order {order.id}, pickup code {order.pickup_code}.",
            again={"hold_id": hold_id},
            until="when the hold lapses",
        )
        return await settle(
            client, PurchaseResult, quote=quote, answer=answer, token=confirmation_token,
            act=lambda token: client.purchase(hold_id, token), words=words,
        )  # fmt: skip

    @mcp.tool(annotations=READ)
    async def movies_list_orders(
        ctx: Context[Any, Any],
        status: Annotated[OrderFilter, Field(description="Which orders: any, upcoming, past or refunded.")] = "any",
        limit: Annotated[int, Field(description="Orders per page, 1–10.", ge=1, le=10)] = 5,
        cursor: Annotated[str, Field(description="page.next_cursor from the previous call.")] = "",
    ) -> OrderList:
        """The user's movie orders, newest first: film, cinema, screen, time, seats, pickup code (取票码) and what a
        refund would return now; and the wallet: its balance now and latest movements (one wallet with food and
        tickets: 'did my refund arrive?')."""
        client = _client(ctx)
        page = await client.list_orders(status, limit, cursor)
        return OrderList(orders=page.orders, page=page.page, wallet=await client.wallet_now())

    @mcp.tool(annotations=PAY)
    async def movies_refund(
        ctx: Context[Any, Any],
        quote: Annotated[RefundQuote | None, Resolve(_refund_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_refund_consent)],
        order_id: Annotated[str, Field(description="Order id (mvo_…) from movies_list_orders.")],
        seat_ids: Annotated[
            list[str],
            Field(
                description="Only these seats of the order (seat_id of its tickets in movies_list_orders), e.g. one "
                "of two; couple seats in pairs. [] for every valid seat. With a confirmation_token: the quoted "
                "seats or [] (other seats are refused: quote them first)."
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, after the user accepted that refund."
            ),
        ] = "",
    ) -> RefundResult:
        """Refund an order or some of its seats: allowed until 1 hour before the showtime; the ticket prices of those
        seats go back to the wallet (their booking fees are kept) and the seats go back on sale. The user confirms
        the exact refund first, as with buying; the money goes back once per confirmed refund."""
        client = _client(ctx)
        words: MoneyWords[MovieOrder] = MoneyWords(
            tool="movies_refund",
            pending="Not refunded yet.",
            declined="The user kept the tickets; nothing changed.",
            done=lambda order: f"Refunded; {order.refunded.display} back in all.",
            again={"order_id": order_id},
        )
        return await settle(
            client, RefundResult, quote=quote, answer=answer, token=confirmation_token,
            act=lambda token: client.refund(order_id, token, seat_ids), words=words,
        )  # fmt: skip

    _add_extras(mcp, lifespan)
    return mcp


def _add_extras(mcp: LifestyleServer, lifespan: ClientLifespan[MoviesClient]) -> None:
    """A prompt, the seat-map resource and argument completion: conveniences, never required."""

    @mcp.prompt(title="Movie night")
    def movie_night(genre: str = "", when: str = "tonight", people: str = "2") -> list[UserMessage]:
        """Find a film and a showtime, pick seats together and buy with confirmation."""
        what = f"a {genre} film" if genre else "a good film"
        return [
            UserMessage(
                f"Find {what} showing in Helsinki {when} for {people} people near me. Show the options with times, "
                "format and prices, hold the best seats side by side, tell me the exact total and the refund rule, "
                "and ask me before buying."
            )
        ]

    @mcp.resource(
        "movies://showtimes/{showtime_id}/seatmap",
        mime_type="application/json",
        description="A showtime's seat map: free and taken seats per row, tiers and prices.",
    )
    async def seat_map(showtime_id: str, ctx: Context[Any, Any]) -> str:
        return (await _client(ctx).seat_map(showtime_id)).model_dump_json()

    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        prefix = argument.value.lower()
        if argument.name == "genre":
            values = [v for code, (en, zh) in GENRE_LABELS.items() for v in (code, zh) if v.lower().startswith(prefix)]
        elif argument.name == "when":
            values = [v for v in ("tonight", "tomorrow", "this weekend") if v.startswith(prefix)]
        elif argument.name == "people":
            values = [str(n) for n in range(1, 7) if str(n).startswith(prefix)]
        elif argument.name == "showtime_id" and (client := lifespan.current()) is not None:
            page = await client.find_showtimes(limit=20)
            values = [s.id for s in page.showtimes if s.id.startswith(argument.value)]
        else:
            return None
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)
