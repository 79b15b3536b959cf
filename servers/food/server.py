"""food-mcp: the MCP tools of the food-delivery vertical.

Each tool is a few lines: validate the shape, call ``FoodClient``, return a wire model.
Money only moves after the user confirms the exact amount: by elicitation when the client
can be asked, otherwise through a quote whose confirmation token the second call passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import Context, Elicit, ElicitationResult, Resolve
from mcp.server.mcpserver.prompts.base import UserMessage
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference
from pydantic import Field

from shared.kit.apps import ui_meta, views_extension
from shared.kit.consent import Consent, MoneyWords, ask_consent, settle
from shared.kit.server import PAY, READ, WRITE, ClientLifespan, LifestyleServer, given, make_server
from shared.kit.settings import Settings
from shared.schemas.account import MAX_LABEL, MAX_NOTES, MAX_STREET, Address, AddressInput, AddressList
from shared.schemas.common import GeoPoint
from shared.schemas.food import (
    CancelQuote,
    CancelResult,
    Cart,
    CartItemInput,
    CartUpdate,
    Order,
    OrderFilter,
    OrderList,
    OrderQuote,
    PaymentMethod,
    PlaceOrder,
    PlaceOrderResult,
    QuoteRequest,
    RestaurantDetail,
    RestaurantPage,
    SortKey,
)

from .client import FoodClient

if TYPE_CHECKING:
    from fastapi import FastAPI

INSTRUCTIONS = """Food delivery in Helsinki (Ele.me-like). Typical flow: food_list_addresses →
food_search_restaurants (query in English or Chinese: 'pizza', '火锅', '燕麦奶咖啡') → food_get_restaurant
(menu with option ids) → food_update_cart → food_get_cart (exact bill, problems, usable coupons) →
food_place_order (the user confirms the exact total; deliver_at books a later slot) → food_get_order to track.
Order again: food_update_cart(from_order_id=…).
The addresses and the wallet are the user's one account, shared with the tickets, movies and nav servers:
quotes show the balance after paying, results the balance now.
Never invent ids: use the ones tools return. Amounts are integer cents (amount_minor)."""


def _client(ctx: Context[Any, Any]) -> FoodClient:
    client: FoodClient = ctx.request_context.lifespan_context
    return client


# ----- confirmation resolvers: hidden from the input schema, run before the tool body ---------
async def _order_quote(
    ctx: Context[Any, Any],
    address_id: str,
    payment_method: PaymentMethod,
    note: str,
    deliver_at: str,
    confirmation_token: str,
) -> OrderQuote | None:
    if confirmation_token:
        return None
    body = QuoteRequest(address_id=address_id, payment_method=payment_method, note=note, deliver_at=deliver_at)
    return await _client(ctx).quote_order(body)


async def _order_consent(
    ctx: Context[Any, Any], quote: Annotated[OrderQuote | None, Resolve(_order_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Place this order?") if quote else None


async def _cancel_quote(ctx: Context[Any, Any], order_id: str, confirmation_token: str) -> CancelQuote | None:
    return None if confirmation_token else await _client(ctx).quote_cancel(order_id)


async def _cancel_consent(
    ctx: Context[Any, Any], quote: Annotated[CancelQuote | None, Resolve(_cancel_quote)]
) -> Elicit[Consent] | None:
    return ask_consent(ctx, f"{quote.summary} Go ahead?") if quote else None


def _lapses(quote: CancelQuote | None) -> str:
    """Why a cancel token lapses early: the refund drops (or cancelling ends) before the usual expiry."""
    if quote is None or quote.refund_drops_at is None or quote.refund_then is None:
        return ""
    if quote.refund_drops_at > quote.expires_at:
        return ""
    then = quote.refund_then
    return f"when the refund drops to {then.display}" if then.amount_minor else "when cancelling ends"


def build_server(settings: Settings | None = None, *, app: FastAPI | None = None) -> LifestyleServer:
    """The food server. ``app`` lets tests share one in-process backend (and its clock)."""
    settings = settings or Settings.for_vertical("food")

    def create_backend() -> FastAPI:
        from .backend.app import create_app

        return app or create_app(settings)

    lifespan = ClientLifespan(settings, FoodClient, create_backend)
    # MCP Apps hosts show the menu and cart view with these results (shared/views/menu_cart.html).
    mcp = make_server("food", settings, lifespan, INSTRUCTIONS, extensions=[views_extension("food", "menu_cart")])

    @mcp.tool(annotations=READ)
    async def food_search_restaurants(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                description="Restaurant name, cuisine, dish, ingredient, diet or option, English or Chinese (everyday "
                "Finnish food words too), e.g. 'sushi', '火锅', 'margherita', 'vegetarian pizza', 'oat milk latte', "
                "'燕麦奶咖啡', 'pitsa'. Several words must all match one dish (or the "
                "restaurant). 'cheap' / '便宜' ranks the lowest price level first; 'late night' / '夜宵' lists only "
                "kitchens taking orders at 23:00 tonight; 'free delivery' / '免配送费' ranks the lowest fee first "
                "and 'fast delivery' / '送得快' the soonest, 'top rated' / '评分高' the best rated; 'delivered to "
                "work' / '送到公司' searches from that saved address; 'open now' / '营业中' lists only kitchens taking "
                "orders "
                "now and a delivery time ('within 30 minutes', '30分钟内送达') only those delivering that soon; chains "
                "by Chinese name ('麦当劳'); a dish price "
                "('sushi under 20 euros', '20欧以下的寿司') keeps restaurants with a matching dish at that price; "
                "'上次点的那家' / 'my usual' lists those the user ordered from. Empty lists everything nearby."
            ),
        ] = "",
        address_id: Annotated[
            str,
            Field(
                description="Deliver to this saved address (adr_… from "
                "food_list_addresses). Empty: use lat/lng or the first saved "
                "address."
            ),
        ] = "",
        lat: Annotated[
            float, Field(description="Latitude (WGS-84) to deliver to when no address_id; 0 = unset.", ge=-90, le=90)
        ] = 0,
        lng: Annotated[
            float, Field(description="Longitude (WGS-84) to deliver to when no address_id; 0 = unset.", ge=-180, le=180)
        ] = 0,
        open_now: Annotated[bool, Field(description="Only restaurants open right now.")] = False,
        sort: Annotated[
            SortKey,
            Field(
                description="Order of results: relevance, distance, rating, delivery_time (open ones first), fee "
                "(delivery fee), min_order (lowest minimum order first) or popular (the most ratings first)."
            ),
        ] = "relevance",
        max_min_order_minor: Annotated[
            int,
            Field(
                description="Only restaurants whose minimum order (food subtotal) is at most this many cents, e.g. 450 "
                "when the user wants just one €4.50 coffee; 0 = no limit.",
                ge=0,
            ),
        ] = 0,
        limit: Annotated[int, Field(description="Results per page, 1–20.", ge=1, le=20)] = 5,
        cursor: Annotated[
            str, Field(description="page.next_cursor from the previous call; '' for the first page.")
        ] = "",
    ) -> RestaurantPage:
        """Find restaurants that deliver to an address, by name, cuisine, dish, ingredient or option, with fee,
        minimum order, ETA (null while closed: opens_at says when it opens) and rating. matched_dishes name the
        dishes that matched (item_id, price, matching options, sold_out when it cannot be ordered now). An empty page
        carries a note saying why (nothing matches, nobody delivers to that point, all closed, minimum orders too
        high) and what to try."""
        return await _client(ctx).search_restaurants(
            query=query,
            address_id=address_id,
            lat=lat,
            lng=lng,
            open_now=open_now,
            sort=sort,
            limit=limit,
            cursor=cursor,
            max_min_order_minor=max_min_order_minor,
        )

    @mcp.tool(annotations=READ, meta=ui_meta("food", "menu_cart"))
    async def food_get_restaurant(
        ctx: Context[Any, Any],
        restaurant_id: Annotated[
            str,
            Field(description="Restaurant id (rst_…) from food_search_restaurants, or its map place's (plc_…, nav)."),
        ],
        address_id: Annotated[
            str, Field(description="Saved address to price delivery for; '' = first saved address.")
        ] = "",
    ) -> RestaurantDetail:
        """A restaurant's details and full menu. menu.categories[].items[] have id, name, price and, when
        present, tags, sold_out, the ids of the option groups they offer and sold_out_options. Option groups
        (size, spice…) are listed once in menu.option_groups with a rule ('choose 1', 'optional, up to 3') and
        options (id, name with price, extra_minor in menu.currency cents). Absent flags/lists mean false/empty."""
        return await _client(ctx).get_restaurant(restaurant_id, address_id)

    @mcp.tool(annotations=READ)
    async def food_list_addresses(ctx: Context[Any, Any]) -> AddressList:
        """The user's saved addresses with their ids and coordinates: one address book, also used by the movies and
        nav servers (nav routes from 'home' or any saved label)."""
        return await _client(ctx).list_addresses()

    @mcp.tool(annotations=WRITE)
    async def food_save_address(
        ctx: Context[Any, Any],
        label: Annotated[
            str,
            Field(
                description="Name for the address, e.g. Home, Work. Saving an existing label updates it.",
                max_length=MAX_LABEL,
            ),
        ],
        street: Annotated[
            str,
            Field(
                description="Street name, e.g. Mannerheimintie (or the whole address, 'Fredrikinkatu 39 B, 00120 "
                "Helsinki', or a place of the map by name, 'Oodi', saved at its address).",
                max_length=MAX_STREET,
            ),
        ],
        housenumber: Annotated[
            str, Field(description="House number, e.g. 5 or 12 B; '' when street ends with it.", max_length=20)
        ] = "",
        postcode: Annotated[str, Field(description="Postal code, e.g. 00100.", max_length=10)] = "",
        notes: Annotated[str, Field(description="Courier instructions, e.g. door code.", max_length=MAX_NOTES)] = "",
        lat: Annotated[
            float, Field(description="Latitude of the entrance; 0 = look the street address up.", ge=-90, le=90)
        ] = 0,
        lng: Annotated[
            float, Field(description="Longitude of the entrance; 0 = look the street address up.", ge=-180, le=180)
        ] = 0,
    ) -> Address:
        """Save (or update by label) an address in the user's one address book; coordinates are looked up when not
        given. Every lifestyle server sees it: movies measures cinema distances from it, nav routes from its label.
        The book keeps at most 50 addresses; saving under an existing label replaces that address."""
        location = GeoPoint(lat=lat, lng=lng) if (lat or lng) else None
        body = AddressInput(
            label=label, street=street, housenumber=housenumber, postcode=postcode, notes=notes, location=location
        )
        return await _client(ctx).save_address(body)

    @mcp.tool(annotations=READ, meta=ui_meta("food", "menu_cart"))
    async def food_get_cart(ctx: Context[Any, Any]) -> Cart:
        """The cart with its exact bill (items, options, packaging, delivery fee by distance, coupon, total), any
        problem that would stop ordering now (closed, sold out, minimum order, out of range) and the coupons valid
        today for it: each with its rule, whether it applies now (why_not if not) and what it would save. While the
        restaurant is closed eta_minutes is null, opens_at says when it opens and earliest_slot is the first
        delivery slot food_place_order(deliver_at=…) can book."""
        return await _client(ctx).get_cart()

    @mcp.tool(annotations=WRITE)
    async def food_update_cart(
        ctx: Context[Any, Any],
        restaurant_id: Annotated[
            str,
            Field(
                description="Restaurant (rst_…, or its map place's plc_…) the items come from; '' = the restaurant "
                "whose menu the item ids are from (with from_order_id, that order's restaurant)."
            ),
        ] = "",
        items: Annotated[
            list[CartItemInput],
            Field(
                description="Lines to set: [{item_id: 'itm_…', quantity: 2, option_ids: ['opt_…']}]. quantity sets the "
                "line's quantity (0 removes it); the same item with other options is another line. Give each line "
                "once, with its total quantity.",
            ),
        ] = [],  # noqa: B006 - pydantic copies defaults
        coupon_code: Annotated[
            str,
            Field(
                description="Coupon code to apply ('best': the one saving most now); 'none' removes it; '' leaves it."
            ),
        ] = "",
        address_id: Annotated[
            str, Field(description="Delivery address id (adr_…) or its label ('Home', 'Work'); '' leaves it.")
        ] = "",
        replace_cart: Annotated[
            bool,
            Field(description="The cart holds another restaurant's food: empty it first. Only after the user agreed."),
        ] = False,
        clear: Annotated[bool, Field(description="Empty the cart.")] = False,
        from_order_id: Annotated[
            str,
            Field(
                description="Order again (再来一单): fill the cart with this past order's items and options "
                "(ord_… from food_list_orders) and its address; what is no longer available is listed in not_added. "
                "A non-empty cart is replaced only with replace_cart=true. '' = no."
            ),
        ] = "",
    ) -> Cart:
        """Set item quantities (with options), the coupon or the delivery address, or refill the cart from a past
        order; returns the repriced cart. A cart holds one restaurant (switching needs replace_cart=true) and at most
        50 different lines of up to 50 each."""
        body = CartUpdate(
            from_order_id=from_order_id,
            restaurant_id=restaurant_id,
            items=items,
            coupon_code=coupon_code,
            address_id=address_id,
            replace_cart=replace_cart,
            clear=clear,
        )
        return await _client(ctx).update_cart(body)

    @mcp.tool(annotations=PAY)
    async def food_place_order(
        ctx: Context[Any, Any],
        quote: Annotated[OrderQuote | None, Resolve(_order_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_order_consent)],
        address_id: Annotated[
            str, Field(description="Delivery address id (adr_…) or its label ('Home', 'Work'); '' uses the cart's.")
        ] = "",
        payment_method: Annotated[
            PaymentMethod, Field(description="wallet (charged now) or cash on delivery.")
        ] = "wallet",
        note: Annotated[str, Field(description="Note for the restaurant or courier.")] = "",
        deliver_at: Annotated[
            str,
            Field(
                description="Scheduled delivery (预约送达): a 15-minute slot (:00/:15/:30/:45) up to 3 days ahead, "
                "Helsinki time, as 'YYYY-MM-DDTHH:MM' (e.g. '2026-11-26T18:30'), 'HH:MM' for today (late in the "
                "evening '00:30' is after midnight) or a day and a time ('tomorrow 18:30', 'Fri 6pm', "
                "'明天晚上6点半', 'tomorrow at noon'); the restaurant must be open to cook it, not now. '' = as soon "
                "as possible ('ASAP', '尽快' too)."
            ),
        ] = "",
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, "
                "passed only after the user confirmed that exact "
                "total."
            ),
        ] = "",
    ) -> PlaceOrderResult:
        """Order the cart, now or for a delivery slot (deliver_at; a restaurant closed now can be booked for when
        it is open, and the order's timeline runs back from the slot). The user must confirm the exact total: the
        client is asked directly when it supports it; otherwise the first call returns status=confirmation_required
        with a quote and a token, and a second call with that token places the order as quoted (a token sent with
        another address_id, deliver_at, note or payment_method than its quote's is refused; '' and leaving one out
        keep the quote's). The same token never orders twice."""
        client = _client(ctx)
        words: MoneyWords[Order] = MoneyWords(
            tool="food_place_order",
            pending="Not ordered yet.",
            declined="The user declined; nothing was ordered.",
            done=lambda order: f"Order {order.id} placed.",
        )
        return await settle(
            client, PlaceOrderResult, quote=quote, answer=answer, token=confirmation_token, words=words,
            act=lambda token: client.place_order(PlaceOrder(
                confirmation_token=token, address_id=address_id, deliver_at=deliver_at, note=note,
                payment_method=payment_method if given("payment_method") else "",  # left out: as quoted
            )),
        )  # fmt: skip

    @mcp.tool(annotations=READ)
    async def food_get_order(
        ctx: Context[Any, Any],
        order_id: Annotated[str, Field(description="Order id (ord_…) from food_place_order or food_list_orders.")],
    ) -> Order:
        """Track an order: status timeline, rider position and ETA, and what cancelling now would refund."""
        return await _client(ctx).get_order(order_id)

    @mcp.tool(annotations=READ)
    async def food_list_orders(
        ctx: Context[Any, Any],
        status: Annotated[
            OrderFilter, Field(description="Which orders: any, active (not yet delivered), delivered or cancelled.")
        ] = "any",
        limit: Annotated[int, Field(description="Orders per page, 1–20.", ge=1, le=20)] = 10,
        cursor: Annotated[str, Field(description="page.next_cursor from the previous call.")] = "",
    ) -> OrderList:
        """Past and current orders, newest first, and the wallet they were paid from: its balance now and latest
        movements ('how much is left?', 'did my refund arrive?'; one wallet with tickets and movies)."""
        client = _client(ctx)
        page = await client.list_orders(status, limit, cursor)
        return OrderList(orders=page.orders, page=page.page, wallet=await client.wallet_now())

    @mcp.tool(annotations=PAY)
    async def food_cancel_order(
        ctx: Context[Any, Any],
        quote: Annotated[CancelQuote | None, Resolve(_cancel_quote)],
        answer: Annotated[ElicitationResult[Consent], Resolve(_cancel_consent)],
        order_id: Annotated[str, Field(description="Order id (ord_…) to cancel.")],
        reason: Annotated[str, Field(description="Why the user cancels.")] = "",
        confirmation_token: Annotated[
            str,
            Field(
                description="Token from a previous confirmation_required result, after the user accepted that refund."
            ),
        ] = "",
    ) -> CancelResult:
        """Cancel an order under the stated policy (full refund before the restaurant accepts, or for a scheduled
        order before the kitchen starts; 50% while preparing; refused after pickup). The user confirms the exact
        refund first, as with ordering; the quote says until when it is valid and when (local time) the refund
        drops (refund_drops_at, refund_then)."""
        client = _client(ctx)
        words: MoneyWords[Order] = MoneyWords(
            tool="food_cancel_order",
            pending="Not cancelled yet.",
            declined="The user kept the order; nothing changed.",
            done=lambda order: f"Order {order.id} cancelled; refunded {order.refunded.display}.",
            again={"order_id": order_id},
            until=_lapses(quote),
        )
        return await settle(
            client, CancelResult, quote=quote, answer=answer, token=confirmation_token,
            act=lambda token: client.cancel_order(order_id, token, reason), words=words,
        )  # fmt: skip

    _add_extras(mcp, lifespan)
    return mcp


def _add_extras(mcp: LifestyleServer, lifespan: ClientLifespan[FoodClient]) -> None:
    """Prompts, the menu resource and argument completion: conveniences, never required."""

    @mcp.prompt(title="Order dinner")
    def order_dinner(people: str = "2", cuisine: str = "", address_label: str = "Home") -> list[UserMessage]:
        """Order dinner for a group delivered to a saved address."""
        what = f"{cuisine} " if cuisine else ""
        return [
            UserMessage(
                f"Order {what}dinner for {people} people delivered to my '{address_label}' address. Find a well-rated "
                "restaurant that is open now and delivers there, suggest dishes for everyone, show me the exact bill "
                "and "
                "ask me before placing the order."
            )
        ]

    @mcp.prompt(title="Where is my food?")
    def track_order() -> list[UserMessage]:
        """Check on the most recent active order."""
        return [
            UserMessage(
                "Where is my food? Find my active order and tell me its status, where the rider is and when it arrives."
            )
        ]

    @mcp.resource(
        "food://restaurants/{restaurant_id}/menu",
        mime_type="application/json",
        description="A restaurant's menu with prices and option ids.",
    )
    async def menu(restaurant_id: str, ctx: Context[Any, Any]) -> str:
        detail = await _client(ctx).get_restaurant(restaurant_id)
        return detail.model_dump_json()

    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        # The completion handler gets no Context, so it uses the running lifespan's client.
        prefix = argument.value.lower()
        client = lifespan.current()
        if client is None:
            return None
        if argument.name == "cuisine":
            cuisines = (await client.cuisines()).cuisines
            names = [c.en for c in cuisines] + [c.zh for c in cuisines]
            values = [v for v in names if v.lower().startswith(prefix)]
        elif argument.name == "address_label":
            labels = [a.label for a in (await client.list_addresses()).addresses]
            values = [v for v in labels if v.lower().startswith(prefix)]
        elif argument.name == "people":
            values = [str(n) for n in range(1, 9) if str(n).startswith(prefix)]
        else:
            return None
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)
