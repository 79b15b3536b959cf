"""The mocked Amap-like navigation provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; ``/openapi.json`` is the contract.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.account import Sandbox, prepare_vertical
from shared.account.api import Caller
from shared.geo import require_in_city
from shared.growth import tiles
from shared.kit.backend import QueryModel, json_response, provider_app, provider_routes, serve_routes
from shared.kit.settings import Settings
from shared.landmarks import venue_names
from shared.schemas.common import GeoPoint
from shared.schemas.nav import (
    MAX_QUERY,
    MAX_RADIUS_M,
    GeocodeResult,
    MapImage,
    MapRequest,
    MatrixRequest,
    MatrixResult,
    PlaceDetail,
    PlacePage,
    ReverseGeocodeResult,
    RouteRequest,
    RouteResult,
    WeatherResult,
)

from . import seed
from .graph import RoadNetwork, load_network
from .models import NavTable
from .routing import Router
from .service import NavService
from .streets import STREET_ROUTES, StreetIndex
from .tiled import TiledRouter
from .transit import Transit


class GeocodeQuery(BaseModel):
    """``GET /geocode``: what to find, how many, and near where."""

    query: str = Field("", description=f"Address, place name or category; at most {MAX_QUERY} characters.")
    limit: int = Field(5, ge=1, le=10)
    near_lat: float = Field(0, ge=-90, le=90)
    near_lng: float = Field(0, ge=-180, le=180)


GEOCODE_QUERY = QueryModel(GeocodeQuery)


def prepare(settings: Settings, *, engine: Engine | None = None) -> Sandbox:
    """The sandbox with the nav tables created and, on first run, seeded."""
    return prepare_vertical(settings, "nav", NavTable.metadata, seed.is_seeded, seed.seed, engine=engine)


def create_app(settings: Settings, *, sandbox: Sandbox | None = None, network: RoadNetwork | None = None) -> FastAPI:
    """The provider app. ``network`` lets tests share one road network (and its prepared hierarchies)."""
    sandbox = sandbox or prepare(settings)
    network = network or load_network(settings.fixtures_dir, settings.cache_dir / "nav")
    with Session(sandbox.engine) as session:
        places, addresses = seed.places(session), seed.addresses(session)
    router = Router(network)
    transit = Transit(settings.fixtures_dir, network, router)  # trams and the metro run in the real city only
    if sandbox.scale > 1:  # every district's copy of the streets, joined by link roads
        router = TiledRouter(network, tiles(sandbox.scale))
    categories = seed.categories(settings.fixtures_dir)
    svc = NavService(places, addresses, categories, network, router, transit, sandbox.clock, sandbox.accounts,
                     scale=sandbox.scale, districts=seed.districts(settings.fixtures_dir),
                     venues=venue_names(settings.fixtures_dir),
                     cuisines=seed.cuisines(settings.fixtures_dir))  # fmt: skip

    app = provider_app(
        settings,
        sandbox,
        title="Navigation provider (mock)",
        description="Amap-like geocoding, places, routing, weather and static maps for central Helsinki; origins "
        "and destinations may name the caller's saved addresses ('home', a label, an adr_ id).",
    )
    app.state.service = svc
    app.state.warm = lambda: svc.geocoder  # a launched server builds it before the first call (warm start)
    app.state.streets = StreetIndex(network, router)
    serve_routes(app, ROUTES)
    serve_routes(app, STREET_ROUTES)  # GET /streets: lines for maps drawn by clients
    return app


ROUTES = provider_routes()


def _svc(request: Request) -> NavService:
    return cast(NavService, request.app.state.service)


@ROUTES.get("/geocode", tags=["geo"], response_model=GeocodeResult, openapi_extra=GEOCODE_QUERY.openapi)
async def geocode(  # async: a lookup in memory; a worker thread and back cost more than it (shared.kit.backend)
    request: Request, user: Caller, q: Annotated[GeocodeQuery, GEOCODE_QUERY.depends]
) -> Response:
    near = (
        require_in_city(GeoPoint(lat=q.near_lat, lng=q.near_lng), "near_lat/near_lng", instead="0 and 0 for no bias")
        if (q.near_lat or q.near_lng)
        else None
    )
    return json_response(_svc(request).geocode(q.query, q.limit, near, user_id=user))


@ROUTES.get("/reverse", tags=["geo"])
def reverse(
    request: Request, lat: Annotated[float, Query(ge=-90, le=90)], lng: Annotated[float, Query(ge=-180, le=180)]
) -> ReverseGeocodeResult:
    return _svc(request).reverse(lat, lng)


@ROUTES.get("/places", tags=["places"])
def search_places(
    request: Request,
    user: Caller,
    query: str = "",
    category: str = "",
    lat: Annotated[float, Query(ge=-90, le=90)] = 0,
    lng: Annotated[float, Query(ge=-180, le=180)] = 0,
    radius_m: Annotated[int, Query(ge=50, le=MAX_RADIUS_M)] = 1000,
    open_now: bool = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    cursor: str = "",
    near: str = "",
) -> PlacePage:
    return _svc(request).search_places(query=query, category=category, lat=lat, lng=lng, radius_m=radius_m,
                             open_now=open_now, limit=limit, cursor=cursor, near=near, user_id=user)  # fmt: skip


@ROUTES.get("/places/{place_id}", tags=["places"])
def get_place(request: Request, place_id: str) -> PlaceDetail:
    return _svc(request).get_place(place_id)


@ROUTES.post("/routes", tags=["routing"])
def route(request: Request, user: Caller, body: RouteRequest) -> RouteResult:
    return _svc(request).route(body, user)


@ROUTES.post("/matrix", tags=["routing"])
def matrix(request: Request, user: Caller, body: MatrixRequest) -> MatrixResult:
    return _svc(request).matrix(body, user)


@ROUTES.get("/weather", tags=["weather"])
def weather(
    request: Request,
    day: Annotated[
        str, Query(alias="date", description="YYYY-MM-DD, 'today', 'tomorrow' or a weekday; '' = today.")
    ] = "",
    days: Annotated[int, Query(ge=1, le=7)] = 1,
) -> WeatherResult:
    return _svc(request).weather(day, days)


@ROUTES.post("/map", tags=["maps"])
def draw_map(request: Request, user: Caller, body: MapRequest) -> MapImage:
    return _svc(request).render_map(body, user)
