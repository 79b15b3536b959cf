"""The mocked Taopiaopiao-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; ``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import FastAPI, Query, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.clock import SimClock
from shared.kit.backend import (
    ERROR_RESPONSES,
    CallerId,
    clock_router,
    install_error_handlers,
    json_response,
    make_clock,
)
from shared.kit.db import open_seeded, reset_url
from shared.kit.settings import Settings
from shared.schemas.common import User
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
    RefundQuote,
    ShowingFilter,
    ShowtimePage,
)

from . import seed
from .models import MoviesTable
from .orders import OrderDesk
from .service import MoviesService

log = logging.getLogger(__name__)


def prepare_engine(settings: Settings, *, clock: SimClock | None = None) -> Engine:
    """Open the database and seed it on first run, anchoring the season on the simulated now (the
    given clock, else one made from the settings)."""
    url = settings.effective_database_url
    when = (clock or make_clock(settings)).now()
    return open_seeded(url, MoviesTable.metadata, seed.is_seeded, lambda s: seed.seed(s, settings.fixtures_dir, when))


def reset_database(settings: Settings) -> None:
    when = make_clock(settings).now()
    reset_url(
        settings.effective_database_url, MoviesTable.metadata, lambda s: seed.seed(s, settings.fixtures_dir, when)
    )


def create_app(settings: Settings, *, clock: SimClock | None = None, engine: Engine | None = None) -> FastAPI:
    clock = clock or make_clock(settings)
    engine = engine or prepare_engine(settings, clock=clock)
    with Session(engine) as session:
        catalog = seed.load(session, settings.fixtures_dir, clock.now())
    svc = MoviesService(engine, catalog, clock, settings.fixtures_dir)
    desk = OrderDesk(svc)

    app = FastAPI(
        title="Movie tickets provider (mock)",
        version="1.0.0",
        description="Taopiaopiao-like cinema ticketing API behind movies-mcp. Amounts are integer minor units.",
        responses=ERROR_RESPONSES,
    )
    app.state.clock = clock
    app.state.engine = engine
    app.state.service = svc
    app.state.desk = desk
    install_error_handlers(app)
    app.include_router(clock_router(clock))

    @app.get("/movies", tags=["catalog"], response_model=FilmPage)
    async def search_movies(
        query: str = "",
        showing: ShowingFilter = "now_showing",
        genre: str = "",
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        cursor: str = "",
    ) -> Response:
        return json_response(svc.search_movies(query=query, showing=showing, genre=genre, limit=limit, cursor=cursor))

    @app.get("/movies/{movie_id}", tags=["catalog"], response_model=FilmDetail)
    async def get_movie(movie_id: str) -> Response:
        return json_response(svc.movie_detail(movie_id))

    @app.get("/cinemas", tags=["catalog"], response_model=CinemaPage)
    async def search_cinemas(
        user: CallerId,
        address: str = "",
        lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        lng: Annotated[float, Query(ge=-180, le=180)] = 0,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        cursor: str = "",
    ) -> Response:
        return json_response(svc.search_cinemas(user, address=address, lat=lat, lng=lng, limit=limit, cursor=cursor))

    @app.get("/showtimes", tags=["catalog"], response_model=ShowtimePage)
    async def find_showtimes(
        user: CallerId,
        movie_id: str = "",
        cinema_id: str = "",
        date: str = "",
        address: str = "",
        lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        lng: Annotated[float, Query(ge=-180, le=180)] = 0,
        format: FormatFilter = "any",
        language: str = "",
        limit: Annotated[int, Query(ge=1, le=20)] = 10,
        cursor: str = "",
    ) -> Response:
        page = svc.find_showtimes(
            user,
            movie_id=movie_id,
            cinema_id=cinema_id,
            date=date,
            address=address,
            lat=lat,
            lng=lng,
            format=format,
            language=language,
            limit=limit,
            cursor=cursor,
        )
        return json_response(page)

    @app.get("/showtimes/{showtime_id}/seatmap", tags=["seats"], response_model=MovieSeatMap)
    async def seat_map(user: CallerId, showtime_id: str) -> Response:
        return json_response(svc.seat_map(user, showtime_id))

    @app.post("/holds", tags=["seats"])
    def hold_seats(user: CallerId, body: HoldRequest) -> MovieHold:
        return desk.hold(user, body)

    @app.post("/holds/{hold_id}/release", tags=["seats"])
    def release_hold(user: CallerId, hold_id: str) -> MovieHold:
        return desk.release(user, hold_id)

    @app.post("/orders/quote", tags=["orders"])
    def quote_purchase(user: CallerId, body: PurchaseQuoteRequest) -> PurchaseQuote:
        return desk.quote_purchase(user, body)

    @app.post("/holds/{hold_id}/purchase", tags=["orders"])
    def purchase(user: CallerId, hold_id: str, body: ConfirmRequest) -> MovieOrder:
        return desk.purchase(user, hold_id, body)

    @app.get("/orders", tags=["orders"])
    def list_orders(
        user: CallerId, status: OrderFilter = "any", limit: Annotated[int, Query(ge=1, le=20)] = 5, cursor: str = ""
    ) -> OrderPage:
        return desk.list_orders(user, status, limit, cursor)

    @app.get("/orders/{order_id}", tags=["orders"])
    def get_order(user: CallerId, order_id: str) -> MovieOrder:
        return desk.get(user, order_id)

    @app.post("/orders/{order_id}/refund/quote", tags=["orders"])
    def quote_refund(user: CallerId, order_id: str) -> RefundQuote:
        return desk.quote_refund(user, order_id)

    @app.post("/orders/{order_id}/refund", tags=["orders"])
    def refund(user: CallerId, order_id: str, body: ConfirmRequest) -> MovieOrder:
        return desk.refund(user, order_id, body)

    @app.get("/me", tags=["account"])
    def me(user: CallerId) -> User:
        return svc.me(user)

    return app
