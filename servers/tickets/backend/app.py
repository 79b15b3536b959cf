"""The mocked Damai-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; the OpenAPI document at
``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
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
from shared.schemas.tickets import (
    Attendee,
    AttendeeInput,
    AttendeeList,
    CategoryFilter,
    ConfirmRequest,
    EventDetail,
    EventPage,
    Hold,
    HoldRequest,
    Order,
    OrderFilter,
    OrderPage,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundQuote,
    RefundQuoteRequest,
    SeatMap,
)

from . import seed
from .catalog import Catalog
from .inventory import Inventory
from .models import TicketsTable
from .orders import OrderDesk
from .service import TicketsService

log = logging.getLogger(__name__)


def prepare_engine(settings: Settings, *, at: datetime | None = None) -> Engine:
    """Open the database and seed it on first run, anchoring the season on ``at`` (default: the
    configured clock start, else now)."""
    url = settings.effective_database_url
    when = at or settings.clock_start or datetime.now(UTC)
    return open_seeded(url, TicketsTable.metadata, seed.is_seeded, lambda s: seed.seed(s, settings.fixtures_dir, when))


def reset_database(settings: Settings) -> None:
    when = settings.clock_start or datetime.now(UTC)
    reset_url(
        settings.effective_database_url, TicketsTable.metadata, lambda s: seed.seed(s, settings.fixtures_dir, when)
    )


def create_app(settings: Settings, *, clock: SimClock | None = None, engine: Engine | None = None) -> FastAPI:
    clock = clock or make_clock(settings)
    engine = engine or prepare_engine(settings, at=clock.now())
    with Session(engine) as session:
        catalog = Catalog.build(*seed.load(session))
    svc = TicketsService(engine, catalog, Inventory(catalog), clock)
    if catalog.sessions and max(s.starts_at for s in catalog.sessions.values()) < clock.now():
        log.warning("tickets: every session of the seeded season is over; `tickets-mcp reset` starts a new one")
    desk = OrderDesk(svc)

    app = FastAPI(
        title="Event tickets provider (mock)",
        version="1.0.0",
        description="Damai-like event ticketing API behind tickets-mcp. Amounts are integer minor units.",
        responses=ERROR_RESPONSES,
    )
    app.state.clock = clock
    app.state.engine = engine
    app.state.service = svc
    install_error_handlers(app)
    app.include_router(clock_router(clock))

    @app.get("/events", tags=["catalog"], response_model=EventPage)
    async def search_events(
        query: str = "",
        category: CategoryFilter = "any",
        area: str = "",
        lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        lng: Annotated[float, Query(ge=-180, le=180)] = 0,
        date_from: str = "",
        date_to: str = "",
        price_min_minor: Annotated[int, Query(ge=0)] = 0,
        price_max_minor: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        cursor: str = "",
    ) -> Response:
        page = svc.search(
            query=query,
            category=category,
            area=area,
            lat=lat,
            lng=lng,
            date_from=date_from,
            date_to=date_to,
            price_min_minor=price_min_minor,
            price_max_minor=price_max_minor,
            limit=limit,
            cursor=cursor,
        )
        return json_response(page)

    @app.get("/events/{event_id}", tags=["catalog"], response_model=EventDetail)
    async def get_event(event_id: str) -> Response:
        return json_response(svc.event_detail(event_id))

    @app.get("/sessions/{session_id}/seatmap", tags=["seats"], response_model=SeatMap)
    async def seat_map(user: CallerId, session_id: str, section: str = "") -> Response:
        return json_response(svc.seat_map(user, session_id, section))

    @app.post("/holds", tags=["seats"])
    def hold_seats(user: CallerId, body: HoldRequest) -> Hold:
        return desk.hold(user, body)

    @app.post("/holds/{hold_id}/release", tags=["seats"])
    def release_hold(user: CallerId, hold_id: str) -> Hold:
        return desk.release(user, hold_id)

    @app.post("/orders/quote", tags=["orders"])
    def quote_purchase(user: CallerId, body: PurchaseQuoteRequest) -> PurchaseQuote:
        return desk.quote_purchase(user, body)

    @app.post("/holds/{hold_id}/purchase", tags=["orders"])
    def purchase(user: CallerId, hold_id: str, body: ConfirmRequest) -> Order:
        return desk.purchase(user, hold_id, body)

    @app.get("/orders", tags=["orders"])
    def list_orders(
        user: CallerId, status: OrderFilter = "any", limit: Annotated[int, Query(ge=1, le=20)] = 5, cursor: str = ""
    ) -> OrderPage:
        return desk.list_orders(user, status, limit, cursor)

    @app.get("/orders/{order_id}", tags=["orders"])
    def get_order(user: CallerId, order_id: str) -> Order:
        return desk.get(user, order_id)

    @app.post("/orders/{order_id}/refund/quote", tags=["orders"])
    def quote_refund(user: CallerId, order_id: str, body: RefundQuoteRequest) -> RefundQuote:
        return desk.quote_refund(user, order_id, body)

    @app.post("/orders/{order_id}/refund", tags=["orders"])
    def refund(user: CallerId, order_id: str, body: ConfirmRequest) -> Order:
        return desk.refund(user, order_id, body)

    @app.get("/me", tags=["account"])
    def me(user: CallerId) -> User:
        return svc.me(user)

    @app.get("/attendees", tags=["account"])
    def list_attendees(user: CallerId) -> AttendeeList:
        return svc.list_attendees(user)

    @app.post("/attendees", tags=["account"])
    def save_attendee(user: CallerId, body: AttendeeInput) -> Attendee:
        return svc.save_attendee(user, body)

    return app
