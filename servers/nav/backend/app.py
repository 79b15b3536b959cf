"""The mocked Amap-like navigation provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; ``/openapi.json`` is the contract.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.clock import SimClock
from shared.geo import require_in_city
from shared.kit.backend import ERROR_RESPONSES, clock_router, install_error_handlers, make_clock
from shared.kit.db import open_seeded, reset_url
from shared.kit.settings import Settings
from shared.schemas.common import GeoPoint
from shared.schemas.nav import (
    MAX_QUERY,
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
from .transit import Transit


def prepare_engine(settings: Settings) -> Engine:
    url = settings.effective_database_url
    return open_seeded(url, NavTable.metadata, seed.is_seeded, lambda s: seed.seed(s, settings.fixtures_dir))


def reset_database(settings: Settings) -> None:
    reset_url(settings.effective_database_url, NavTable.metadata, lambda s: seed.seed(s, settings.fixtures_dir))


def create_app(
    settings: Settings,
    *,
    clock: SimClock | None = None,
    engine: Engine | None = None,
    network: RoadNetwork | None = None,
) -> FastAPI:
    """The provider app. ``network`` lets tests share one road network (and its prepared hierarchies)."""
    clock = clock or make_clock(settings)
    engine = engine or prepare_engine(settings)
    network = network or load_network(settings.fixtures_dir, settings.cache_dir / "nav")
    with Session(engine) as session:
        places, addresses = seed.places(session), seed.addresses(session)
    router = Router(network)
    transit = Transit(settings.fixtures_dir, network, router)
    svc = NavService(places, addresses, seed.categories(settings.fixtures_dir), network, router, transit, clock)

    app = FastAPI(
        title="Navigation provider (mock)",
        version="1.0.0",
        description="Amap-like geocoding, places, routing, weather and static maps for central Helsinki.",
        responses=ERROR_RESPONSES,
    )
    app.state.clock = clock
    app.state.engine = engine
    app.state.service = svc
    install_error_handlers(app)
    app.include_router(clock_router(clock))

    @app.get("/geocode", tags=["geo"])
    def geocode(
        query: Annotated[
            str, Query(description=f"Address, place name or category; at most {MAX_QUERY} characters.")
        ] = "",
        limit: Annotated[int, Query(ge=1, le=10)] = 5,
        near_lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        near_lng: Annotated[float, Query(ge=-180, le=180)] = 0,
    ) -> GeocodeResult:
        near = (
            require_in_city(GeoPoint(lat=near_lat, lng=near_lng), "near_lat/near_lng")
            if (near_lat or near_lng)
            else None
        )
        return svc.geocode(query, limit, near)

    @app.get("/reverse", tags=["geo"])
    def reverse(
        lat: Annotated[float, Query(ge=-90, le=90)], lng: Annotated[float, Query(ge=-180, le=180)]
    ) -> ReverseGeocodeResult:
        return svc.reverse(lat, lng)

    @app.get("/places", tags=["places"])
    def search_places(
        query: str = "",
        category: str = "",
        lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        lng: Annotated[float, Query(ge=-180, le=180)] = 0,
        radius_m: Annotated[int, Query(ge=50, le=5000)] = 1000,
        open_now: bool = False,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
        cursor: str = "",
    ) -> PlacePage:
        return svc.search_places(query=query, category=category, lat=lat, lng=lng, radius_m=radius_m,
                                 open_now=open_now, limit=limit, cursor=cursor)  # fmt: skip

    @app.get("/places/{place_id}", tags=["places"])
    def get_place(place_id: str) -> PlaceDetail:
        return svc.get_place(place_id)

    @app.post("/routes", tags=["routing"])
    def route(body: RouteRequest) -> RouteResult:
        return svc.route(body)

    @app.post("/matrix", tags=["routing"])
    def matrix(body: MatrixRequest) -> MatrixResult:
        return svc.matrix(body)

    @app.get("/weather", tags=["weather"])
    def weather(
        day: Annotated[str, Query(alias="date", description="YYYY-MM-DD, 'today' or 'tomorrow'; '' = today.")] = "",
        days: Annotated[int, Query(ge=1, le=7)] = 1,
    ) -> WeatherResult:
        return svc.weather(day, days)

    @app.post("/map", tags=["maps"])
    def draw_map(body: MapRequest) -> MapImage:
        return svc.render_map(body)

    return app
