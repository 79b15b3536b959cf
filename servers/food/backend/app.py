"""The mocked Ele.me-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; the OpenAPI document at
``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from shared.account import Sandbox, prepare_vertical
from shared.account.api import Caller
from shared.kit.backend import IfNoneMatch, QueryModel, provider_app
from shared.kit.settings import Settings
from shared.schemas.food import (
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
from .catalog import Vocabulary
from .models import FoodTable
from .orders import OrderDesk
from .service import FoodService


class RestaurantQuery(BaseModel):
    """``GET /restaurants``: what to look for and where (``FoodService.search`` reads each)."""

    query: str = ""
    address_id: str = ""
    lat: float = Field(0, ge=-90, le=90)
    lng: float = Field(0, ge=-180, le=180)
    open_now: bool = False
    sort: SortKey = "relevance"
    limit: int = Field(10, ge=1, le=50)
    cursor: str = ""
    max_min_order_minor: int = Field(0, ge=0)


RESTAURANT_QUERY = QueryModel(RestaurantQuery)


def prepare(settings: Settings, *, engine: Engine | None = None) -> Sandbox:
    """The sandbox with the food tables created and, on first run, seeded."""
    return prepare_vertical(settings, "food", FoodTable.metadata, seed.is_seeded, seed.seed, engine=engine)


def create_app(settings: Settings, *, sandbox: Sandbox | None = None) -> FastAPI:
    sandbox = sandbox or prepare(settings)
    catalog = seed.load_catalog(sandbox.engine, Vocabulary.load(settings.fixtures_dir))
    svc = FoodService(sandbox, catalog)
    desk = OrderDesk(svc)

    app = provider_app(
        settings,
        sandbox,
        title="Food delivery provider (mock)",
        description="Ele.me-like food delivery API behind food-mcp. Amounts are integer minor units.",
    )
    app.state.service = svc
    # In process, the kit's client revalidates the catalog answers it keeps against this (see ReadCache).
    app.state.current_etag = svc.reads.etag

    @app.get("/restaurants", tags=["catalog"], response_model=RestaurantPage, openapi_extra=RESTAURANT_QUERY.openapi)
    async def search_restaurants(
        user: Caller, q: Annotated[RestaurantQuery, RESTAURANT_QUERY.depends], if_none_match: IfNoneMatch = None
    ) -> Response:
        asked = dict(q)
        if svc.reads_orders(q.query):  # '上次点的那家': it changes with each order, which no tag watches
            return svc.reads.uncached(lambda: svc.search(user, **asked))
        return svc.reads.respond(("search", user, *asked.values()), lambda: svc.search(user, **asked), if_none_match)

    @app.get("/restaurants/{restaurant_id}", tags=["catalog"], response_model=RestaurantDetail)
    async def get_restaurant(
        user: Caller, restaurant_id: str, address_id: str = "", if_none_match: IfNoneMatch = None
    ) -> Response:
        key = ("restaurant", user, restaurant_id, address_id)
        return svc.reads.respond(key, lambda: svc.restaurant_detail(user, restaurant_id, address_id), if_none_match)

    @app.get("/cuisines", tags=["catalog"])
    async def cuisines() -> CuisineList:
        return svc.cuisines()

    @app.get("/cart", tags=["cart"])
    def get_cart(user: Caller) -> Cart:
        return svc.get_cart(user)

    @app.put("/cart", tags=["cart"])
    def update_cart(user: Caller, body: CartUpdate) -> Cart:
        return svc.update_cart(user, body)

    @app.post("/orders/quote", tags=["orders"])
    def quote_order(user: Caller, body: QuoteRequest) -> OrderQuote:
        return desk.quote(user, body)

    @app.post("/orders", tags=["orders"])
    def place_order(user: Caller, body: PlaceOrder) -> Order:
        return desk.place(user, body)

    @app.get("/orders", tags=["orders"])
    def list_orders(
        user: Caller, status: OrderFilter = "any", limit: Annotated[int, Query(ge=1, le=50)] = 10, cursor: str = ""
    ) -> OrderPage:
        return desk.list(user, status, limit, cursor)

    @app.get("/orders/{order_id}", tags=["orders"])
    def get_order(user: Caller, order_id: str) -> Order:
        return desk.get(user, order_id)

    @app.post("/orders/{order_id}/cancel/quote", tags=["orders"])
    def quote_cancel(user: Caller, order_id: str) -> CancelQuote:
        return desk.quote_cancel(user, order_id)

    @app.post("/orders/{order_id}/cancel", tags=["orders"])
    def cancel_order(user: Caller, order_id: str, body: CancelOrder) -> Order:
        return desk.cancel(user, order_id, body)

    return app
