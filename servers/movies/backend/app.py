"""The mocked Taopiaopiao-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; ``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

import logging
from typing import Annotated, cast

from fastapi import FastAPI, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.account import Sandbox, prepare_vertical
from shared.account.api import Caller
from shared.kit.backend import QueryModel, SeatWrites, json_response, provider_app, provider_routes, serve_routes
from shared.kit.settings import Settings
from shared.schemas.movies import (
    CinemaPage,
    ConfirmRequest,
    FilmDetail,
    FilmPage,
    FormatFilter,
    HoldRequest,
    MovieHold,
    MovieOrder,
    MovieSeatMap,
    OrderFilter,
    OrderPage,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
    RefundQuote,
    RefundQuoteRequest,
    ShowingFilter,
    ShowtimePage,
    ShowtimeSort,
)

from . import seed
from .models import MoviesTable
from .orders import OrderDesk
from .service import MoviesService

log = logging.getLogger(__name__)


class ShowtimeQuery(BaseModel):
    """``GET /showtimes``: which showtimes (``MoviesService.find_showtimes`` reads each)."""

    movie_id: str = ""
    cinema_id: str = ""
    date: str = ""
    address: str = ""
    lat: float = Field(0, ge=-90, le=90)
    lng: float = Field(0, ge=-180, le=180)
    format: FormatFilter = "any"
    language: str = ""
    time_from: str = ""
    time_to: str = ""
    sort: ShowtimeSort = "auto"
    limit: int = Field(10, ge=1, le=20)
    cursor: str = ""


SHOWTIME_QUERY = QueryModel(ShowtimeQuery)


def prepare(settings: Settings, *, engine: Engine | None = None) -> Sandbox:
    """The sandbox with the movies tables created and, on first run, seeded (the season anchored on the
    sandbox clock)."""
    return prepare_vertical(settings, "movies", MoviesTable.metadata, seed.is_seeded, seed.seed, engine=engine)


def create_app(settings: Settings, *, sandbox: Sandbox | None = None) -> FastAPI:
    sandbox = sandbox or prepare(settings)
    with Session(sandbox.engine) as session:
        catalog = seed.load(session, settings.fixtures_dir, sandbox.clock.now())
    svc = MoviesService(sandbox, catalog)
    desk = OrderDesk(svc)
    seats = SeatWrites(sandbox.engine)  # holds and releases: on the loop on PostgreSQL

    app = provider_app(
        settings,
        sandbox,
        title="Movie tickets provider (mock)",
        description="Taopiaopiao-like cinema ticketing API behind movies-mcp. Amounts are integer minor units.",
        own_retries=frozenset({("POST", "/holds")}),
    )
    app.state.service = svc
    app.state.desk = desk
    app.state.seats = seats
    serve_routes(app, ROUTES)
    return app


ROUTES = provider_routes()


def _svc(request: Request) -> MoviesService:
    return cast(MoviesService, request.app.state.service)


def _desk(request: Request) -> OrderDesk:
    return cast(OrderDesk, request.app.state.desk)


def _seats(request: Request) -> SeatWrites:
    return cast(SeatWrites, request.app.state.seats)


@ROUTES.get("/movies", tags=["catalog"], response_model=FilmPage)
async def search_movies(
    request: Request,
    query: str = "",
    showing: ShowingFilter = "now_showing",
    genre: str = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    cursor: str = "",
) -> Response:
    return json_response(
        _svc(request).search_movies(query=query, showing=showing, genre=genre, limit=limit, cursor=cursor)
    )


@ROUTES.get("/movies/{movie_id}", tags=["catalog"], response_model=FilmDetail)
async def get_movie(request: Request, movie_id: str) -> Response:
    return json_response(_svc(request).movie_detail(movie_id))


@ROUTES.get("/cinemas", tags=["catalog"], response_model=CinemaPage)
async def search_cinemas(
    request: Request,
    user: Caller,
    address: str = "",
    lat: Annotated[float, Query(ge=-90, le=90)] = 0,
    lng: Annotated[float, Query(ge=-180, le=180)] = 0,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    cursor: str = "",
) -> Response:
    return json_response(
        _svc(request).search_cinemas(user, address=address, lat=lat, lng=lng, limit=limit, cursor=cursor)
    )


@ROUTES.get("/showtimes", tags=["catalog"], response_model=ShowtimePage, openapi_extra=SHOWTIME_QUERY.openapi)
async def find_showtimes(
    request: Request, user: Caller, q: Annotated[ShowtimeQuery, SHOWTIME_QUERY.depends]
) -> Response:
    return json_response(_svc(request).find_showtimes(user, **dict(q)))


@ROUTES.get("/showtimes/{showtime_id}/seatmap", tags=["seats"], response_model=MovieSeatMap)
async def seat_map(request: Request, user: Caller, showtime_id: str) -> Response:
    return json_response(_svc(request).seat_map(user, showtime_id))


@ROUTES.post("/holds", tags=["seats"], response_model=MovieHold)
async def hold_seats(request: Request, user: Caller, body: HoldRequest) -> Response:
    return json_response(await _seats(request).run(lambda: _desk(request).hold(user, body)))


@ROUTES.post("/holds/{hold_id}/release", tags=["seats"], response_model=MovieHold)
async def release_hold(request: Request, user: Caller, hold_id: str) -> Response:
    return json_response(await _seats(request).run(lambda: _desk(request).release(user, hold_id)))


@ROUTES.post("/orders/quote", tags=["orders"])
def quote_purchase(request: Request, user: Caller, body: PurchaseQuoteRequest) -> PurchaseQuote:
    return _desk(request).quote_purchase(user, body)


@ROUTES.post("/holds/{hold_id}/purchase", tags=["orders"])
def purchase(request: Request, user: Caller, hold_id: str, body: ConfirmRequest) -> MovieOrder:
    return _desk(request).purchase(user, hold_id, body)


@ROUTES.get("/orders", tags=["orders"])
def list_orders(
    request: Request,
    user: Caller,
    status: OrderFilter = "any",
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
    cursor: str = "",
) -> OrderPage:
    return _desk(request).list_orders(user, status, limit, cursor)


@ROUTES.get("/orders/{order_id}", tags=["orders"])
def get_order(request: Request, user: Caller, order_id: str) -> MovieOrder:
    return _desk(request).get(user, order_id)


@ROUTES.post("/orders/{order_id}/refund/quote", tags=["orders"])
def quote_refund(request: Request, user: Caller, order_id: str, body: RefundQuoteRequest | None = None) -> RefundQuote:
    return _desk(request).quote_refund(user, order_id, body)


@ROUTES.post("/orders/{order_id}/refund", tags=["orders"])
def refund(request: Request, user: Caller, order_id: str, body: RefundConfirm) -> MovieOrder:
    return _desk(request).refund(user, order_id, body)
