"""The mocked Damai-like provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; the OpenAPI document at
``/openapi.json`` is the provider contract.
"""

from __future__ import annotations

import logging
from typing import Annotated, cast

from fastapi import FastAPI, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.account import Sandbox, prepare_vertical
from shared.account.api import Caller, Reader
from shared.kit.backend import QueryModel, SeatWrites, json_response, provider_app, provider_routes, serve_routes
from shared.kit.settings import Settings
from shared.schemas.tickets import (
    Attendee,
    AttendeeInput,
    AttendeeList,
    CategoryFilter,
    EventDetail,
    EventPage,
    Hold,
    HoldRequest,
    Order,
    OrderFilter,
    OrderPage,
    PurchaseConfirm,
    PurchaseQuote,
    PurchaseQuoteRequest,
    RefundConfirm,
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


class EventQuery(BaseModel):
    """``GET /events``: what to look for (``TicketsService.search`` reads each)."""

    query: str = ""
    category: CategoryFilter = "any"
    area: str = ""
    lat: float = Field(0, ge=-90, le=90)
    lng: float = Field(0, ge=-180, le=180)
    date_from: str = ""
    date_to: str = ""
    time_from: str = ""
    time_to: str = ""
    price_min_minor: int = Field(0, ge=0)
    price_max_minor: int = Field(0, ge=0)
    limit: int = Field(10, ge=1, le=50)
    cursor: str = ""


EVENT_QUERY = QueryModel(EventQuery)


def prepare(settings: Settings, *, engine: Engine | None = None) -> Sandbox:
    """The sandbox with the tickets tables created and, on first run, seeded (the season anchored on the
    week of the sandbox clock's now)."""
    return prepare_vertical(settings, "tickets", TicketsTable.metadata, seed.is_seeded, seed.seed, engine=engine)


def create_app(settings: Settings, *, sandbox: Sandbox | None = None) -> FastAPI:
    sandbox = sandbox or prepare(settings)
    with Session(sandbox.engine) as session:
        catalog = Catalog.build(*seed.load(session))
    svc = TicketsService(sandbox, catalog, Inventory(catalog))
    if catalog.sessions and max(s.starts_at for s in catalog.sessions.values()) < svc.now():
        log.warning("tickets: every session of the seeded season is over; `lifestyle-mcp reset` starts a new one")
    desk = OrderDesk(svc)
    seats = SeatWrites(sandbox.engine)  # holds and releases: on the loop on PostgreSQL

    app = provider_app(
        settings,
        sandbox,
        title="Event tickets provider (mock)",
        description="Damai-like event ticketing API behind tickets-mcp. Amounts are integer minor units.",
        own_retries=frozenset({("POST", "/holds")}),
    )
    app.state.service = svc
    app.state.desk = desk
    app.state.seats = seats
    serve_routes(app, ROUTES)
    return app


ROUTES = provider_routes()


def _svc(request: Request) -> TicketsService:
    return cast(TicketsService, request.app.state.service)


def _desk(request: Request) -> OrderDesk:
    return cast(OrderDesk, request.app.state.desk)


def _seats(request: Request) -> SeatWrites:
    return cast(SeatWrites, request.app.state.seats)


@ROUTES.get("/events", tags=["catalog"], response_model=EventPage, openapi_extra=EVENT_QUERY.openapi)
async def search_events(request: Request, user: Reader, q: Annotated[EventQuery, EVENT_QUERY.depends]) -> Response:
    return json_response(_svc(request).search(user_id=user, **dict(q)))


@ROUTES.get("/events/{event_id}", tags=["catalog"], response_model=EventDetail)
async def get_event(request: Request, event_id: str) -> Response:
    return json_response(_svc(request).event_detail(event_id))


@ROUTES.get("/sessions/{session_id}/seatmap", tags=["seats"], response_model=SeatMap)
async def seat_map(request: Request, user: Caller, session_id: str, section: str = "") -> Response:
    return json_response(_svc(request).seat_map(user, session_id, section))


@ROUTES.post("/holds", tags=["seats"], response_model=Hold)
async def hold_seats(request: Request, user: Caller, body: HoldRequest) -> Response:
    # the hot write path: serialized once
    return json_response(await _seats(request).run(lambda: _desk(request).hold(user, body)))


@ROUTES.post("/holds/{hold_id}/release", tags=["seats"], response_model=Hold)
async def release_hold(request: Request, user: Caller, hold_id: str) -> Response:
    return json_response(await _seats(request).run(lambda: _desk(request).release(user, hold_id)))


@ROUTES.post("/orders/quote", tags=["orders"])
def quote_purchase(request: Request, user: Caller, body: PurchaseQuoteRequest) -> PurchaseQuote:
    return _desk(request).quote_purchase(user, body)


@ROUTES.post("/holds/{hold_id}/purchase", tags=["orders"])
def purchase(request: Request, user: Caller, hold_id: str, body: PurchaseConfirm) -> Order:
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
def get_order(request: Request, user: Caller, order_id: str) -> Order:
    return _desk(request).get(user, order_id)


@ROUTES.post("/orders/{order_id}/refund/quote", tags=["orders"])
def quote_refund(request: Request, user: Caller, order_id: str, body: RefundQuoteRequest) -> RefundQuote:
    return _desk(request).quote_refund(user, order_id, body)


@ROUTES.post("/orders/{order_id}/refund", tags=["orders"])
def refund(request: Request, user: Caller, order_id: str, body: RefundConfirm) -> Order:
    return _desk(request).refund(user, order_id, body)


@ROUTES.get("/attendees", tags=["account"])
def list_attendees(request: Request, user: Caller) -> AttendeeList:
    return _svc(request).list_attendees(user)


@ROUTES.post("/attendees", tags=["account"])
def save_attendee(request: Request, user: Caller, body: AttendeeInput) -> Attendee:
    return _svc(request).save_attendee(user, body)
