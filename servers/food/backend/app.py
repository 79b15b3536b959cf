"""The mocked Ele.me-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; the OpenAPI document at
``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import FastAPI, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from shared.account import Sandbox, prepare_vertical
from shared.account.api import Caller
from shared.kit.backend import IfNoneMatch, QueryModel, provider_app, provider_routes, serve_routes
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

    app = provider_app(
        settings,
        sandbox,
        title="Food delivery provider (mock)",
        description="Ele.me-like food delivery API behind food-mcp. Amounts are integer minor units.",
    )
    app.state.service = svc
    app.state.desk = OrderDesk(svc)
    # In process, the kit's client revalidates the catalog answers it keeps against this (see ReadCache).
    app.state.current_etag = svc.reads.etag
    serve_routes(app, ROUTES)
    return app


ROUTES = provider_routes()


def _svc(request: Request) -> FoodService:
    return cast(FoodService, request.app.state.service)


def _desk(request: Request) -> OrderDesk:
    return cast(OrderDesk, request.app.state.desk)


@ROUTES.get("/restaurants", tags=["catalog"], response_model=RestaurantPage, openapi_extra=RESTAURANT_QUERY.openapi)
async def search_restaurants(
    request: Request,
    user: Caller,
    q: Annotated[RestaurantQuery, RESTAURANT_QUERY.depends],
    if_none_match: IfNoneMatch = None,
) -> Response:
    svc, asked = _svc(request), dict(q)
    if svc.reads_orders(q.query):  # '上次点的那家': it changes with each order, which no tag watches
        return svc.reads.uncached(lambda: svc.search(user, **asked))
    return svc.reads.respond(("search", user, *asked.values()), lambda: svc.search(user, **asked), if_none_match)


@ROUTES.get("/restaurants/{restaurant_id}", tags=["catalog"], response_model=RestaurantDetail)
async def get_restaurant(
    request: Request, user: Caller, restaurant_id: str, address_id: str = "", if_none_match: IfNoneMatch = None
) -> Response:
    svc, key = _svc(request), ("restaurant", user, restaurant_id, address_id)
    return svc.reads.respond(key, lambda: svc.restaurant_detail(user, restaurant_id, address_id), if_none_match)


@ROUTES.get("/cuisines", tags=["catalog"])
async def cuisines(request: Request) -> CuisineList:
    return _svc(request).cuisines()


@ROUTES.get("/cart", tags=["cart"])
def get_cart(request: Request, user: Caller) -> Cart:
    return _svc(request).get_cart(user)


@ROUTES.put("/cart", tags=["cart"])
def update_cart(request: Request, user: Caller, body: CartUpdate) -> Cart:
    return _svc(request).update_cart(user, body)


@ROUTES.post("/orders/quote", tags=["orders"])
def quote_order(request: Request, user: Caller, body: QuoteRequest) -> OrderQuote:
    return _desk(request).quote(user, body)


@ROUTES.post("/orders", tags=["orders"])
def place_order(request: Request, user: Caller, body: PlaceOrder) -> Order:
    return _desk(request).place(user, body)


@ROUTES.get("/orders", tags=["orders"])
def list_orders(
    request: Request,
    user: Caller,
    status: OrderFilter = "any",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    cursor: str = "",
) -> OrderPage:
    return _desk(request).list(user, status, limit, cursor)


@ROUTES.get("/orders/{order_id}", tags=["orders"])
def get_order(request: Request, user: Caller, order_id: str) -> Order:
    return _desk(request).get(user, order_id)


@ROUTES.post("/orders/{order_id}/cancel/quote", tags=["orders"])
def quote_cancel(request: Request, user: Caller, order_id: str) -> CancelQuote:
    return _desk(request).quote_cancel(user, order_id)


@ROUTES.post("/orders/{order_id}/cancel", tags=["orders"])
def cancel_order(request: Request, user: Caller, order_id: str, body: CancelOrder) -> Order:
    return _desk(request).cancel(user, order_id, body)
