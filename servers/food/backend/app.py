"""The mocked Ele.me-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; the OpenAPI document at
``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.clock import SimClock
from shared.kit.backend import ERROR_RESPONSES, CallerId, IfNoneMatch, clock_router, install_error_handlers, make_clock
from shared.kit.db import open_seeded, reset_url
from shared.kit.settings import Settings
from shared.schemas.common import Address, User
from shared.schemas.food import (
    AddressInput,
    AddressList,
    CancelOrder,
    CancelQuote,
    Cart,
    CartUpdate,
    CuisineList,
    Order,
    OrderFilter,
    OrderPage,
    OrderQuote,
    PlaceOrder,
    QuoteRequest,
    RestaurantDetail,
    RestaurantPage,
    SortKey,
)

from . import seed
from .catalog import Catalog, RestaurantRec, load_cuisines
from .models import FoodTable
from .orders import OrderDesk
from .service import FoodService


def prepare_engine(settings: Settings) -> Engine:
    url = settings.effective_database_url
    return open_seeded(url, FoodTable.metadata, seed.is_seeded, lambda s: seed.seed(s, settings.fixtures_dir))


def reset_database(settings: Settings) -> None:
    reset_url(settings.effective_database_url, FoodTable.metadata, lambda s: seed.seed(s, settings.fixtures_dir))


def create_app(settings: Settings, *, clock: SimClock | None = None, engine: Engine | None = None) -> FastAPI:
    clock = clock or make_clock(settings)
    engine = engine or prepare_engine(settings)
    with Session(engine) as session:
        records = [RestaurantRec.model_validate(r) for r in seed.restaurants(session)]
    catalog = Catalog.from_records(records, load_cuisines(settings.fixtures_dir))
    svc = FoodService(engine, catalog, clock)
    desk = OrderDesk(svc)
    streets = seed.street_index(settings.fixtures_dir)

    app = FastAPI(
        title="Food delivery provider (mock)",
        version="1.0.0",
        description="Ele.me-like food delivery API behind food-mcp. Amounts are integer minor units.",
        responses=ERROR_RESPONSES,
    )
    app.state.clock = clock
    app.state.engine = engine
    app.state.service = svc
    # In process, the kit's client revalidates the catalog answers it keeps against this (see ReadCache).
    app.state.current_etag = svc.reads.etag
    install_error_handlers(app)
    app.include_router(clock_router(clock))

    @app.get("/restaurants", tags=["catalog"], response_model=RestaurantPage)
    async def search_restaurants(
        user: CallerId,
        if_none_match: IfNoneMatch = None,
        query: str = "",
        address_id: str = "",
        lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        lng: Annotated[float, Query(ge=-180, le=180)] = 0,
        open_now: bool = False,
        sort: SortKey = "relevance",
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        cursor: str = "",
    ) -> Response:
        key = ("search", user, query, address_id, lat, lng, open_now, sort, limit, cursor)
        return svc.reads.respond(
            key,
            lambda: svc.search(
                user,
                query=query,
                address_id=address_id,
                lat=lat,
                lng=lng,
                open_now=open_now,
                sort=sort,
                limit=limit,
                cursor=cursor,
            ),
            if_none_match,
        )

    @app.get("/restaurants/{restaurant_id}", tags=["catalog"], response_model=RestaurantDetail)
    async def get_restaurant(
        user: CallerId, restaurant_id: str, address_id: str = "", if_none_match: IfNoneMatch = None
    ) -> Response:
        key = ("restaurant", user, restaurant_id, address_id)
        return svc.reads.respond(key, lambda: svc.restaurant_detail(user, restaurant_id, address_id), if_none_match)

    @app.get("/cuisines", tags=["catalog"])
    async def cuisines() -> CuisineList:
        return svc.cuisines()

    @app.get("/me", tags=["account"])
    def me(user: CallerId) -> User:
        return svc.me(user)

    @app.get("/addresses", tags=["account"])
    def list_addresses(user: CallerId) -> AddressList:
        return svc.list_addresses(user)

    @app.post("/addresses", tags=["account"])
    def save_address(user: CallerId, body: AddressInput) -> Address:
        return svc.save_address(user, body, streets)

    @app.get("/cart", tags=["cart"])
    def get_cart(user: CallerId) -> Cart:
        return svc.get_cart(user)

    @app.put("/cart", tags=["cart"])
    def update_cart(user: CallerId, body: CartUpdate) -> Cart:
        return svc.update_cart(user, body)

    @app.post("/orders/quote", tags=["orders"])
    def quote_order(user: CallerId, body: QuoteRequest) -> OrderQuote:
        return desk.quote(user, body)

    @app.post("/orders", tags=["orders"])
    def place_order(user: CallerId, body: PlaceOrder) -> Order:
        return desk.place(user, body)

    @app.get("/orders", tags=["orders"])
    def list_orders(
        user: CallerId, status: OrderFilter = "any", limit: Annotated[int, Query(ge=1, le=50)] = 10, cursor: str = ""
    ) -> OrderPage:
        return desk.list(user, status, limit, cursor)

    @app.get("/orders/{order_id}", tags=["orders"])
    def get_order(user: CallerId, order_id: str) -> Order:
        return desk.get(user, order_id)

    @app.post("/orders/{order_id}/cancel/quote", tags=["orders"])
    def quote_cancel(user: CallerId, order_id: str) -> CancelQuote:
        return desk.quote_cancel(user, order_id)

    @app.post("/orders/{order_id}/cancel", tags=["orders"])
    def cancel_order(user: CallerId, order_id: str, body: CancelOrder) -> Order:
        return desk.cancel(user, order_id, body)

    return app
