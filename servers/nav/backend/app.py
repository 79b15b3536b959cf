"""The mocked Amap-like navigation provider API: the contract a real adapter would implement.

Routes are thin: they parse, call the service and return wire models. Errors raised by the
service become HTTP statuses in ``shared.kit.backend``; ``/openapi.json`` is the contract.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Annotated

from fastapi import FastAPI, Query
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared.clock import SimClock
from shared.errors import InvalidInputError
from shared.kit.backend import ERROR_RESPONSES, clock_router, install_error_handlers
from shared.kit.db import ensure_seeded, make_engine
from shared.kit.settings import Settings
from shared.schemas.common import GeoPoint
from shared.schemas.nav import (
    GeocodeResult,
    MapImage,
    MapMarker,
    MapRequest,
    MapSummary,
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
from .render import ATTRIBUTION, render_map
from .routing import Router, decode_polyline
from .service import NavService
from .transit import Transit


def make_clock(settings: Settings) -> SimClock:
    return SimClock(start=settings.clock_start, scale=settings.time_scale)


def prepare_engine(settings: Settings) -> Engine:
    engine = make_engine(settings.effective_database_url)
    ensure_seeded(engine, NavTable.metadata, seed.is_seeded, lambda s: seed.seed(s, settings.fixtures_dir))
    return engine


def reset_database(settings: Settings) -> None:
    from shared.kit.db import reset

    engine = make_engine(settings.effective_database_url)
    reset(engine, NavTable.metadata, lambda s: seed.seed(s, settings.fixtures_dir))
    engine.dispose()


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
        query: str = "",
        limit: Annotated[int, Query(ge=1, le=10)] = 5,
        near_lat: Annotated[float, Query(ge=-90, le=90)] = 0,
        near_lng: Annotated[float, Query(ge=-180, le=180)] = 0,
    ) -> GeocodeResult:
        near = GeoPoint(lat=near_lat, lng=near_lng) if (near_lat or near_lng) else None
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
    def weather(day: Annotated[date | None, Query(alias="date")] = None,
                days: Annotated[int, Query(ge=1, le=7)] = 1) -> WeatherResult:  # fmt: skip
        return svc.weather(day, days)

    @app.post("/map", tags=["maps"])
    def draw_map(body: MapRequest) -> MapImage:
        if len(body.place_ids) > 20:
            raise InvalidInputError("place_ids has more than 20 places.", "Mark at most 20 places.", field="place_ids")
        if bool(body.origin) != bool(body.destination):
            raise InvalidInputError(
                "A route needs both origin and destination.",
                "Pass both to draw a route, or neither to draw only places.",
                field="origin" if not body.origin else "destination",
            )
        lines: list[tuple[list[tuple[float, float]], tuple[int, int, int]]] = []
        markers: list[tuple[str, tuple[float, float], tuple[int, int, int]]] = []
        shown: list[MapMarker] = []
        route_text = ""
        if body.origin:
            result = svc.route(RouteRequest(origin=body.origin, destination=body.destination, mode=body.mode,
                                            depart_at=body.depart_at))  # fmt: skip
            best = result.routes[0]
            lines.append((decode_polyline(best.polyline), (200, 40, 120) if body.mode == "transit" else (30, 110, 230)))
            route_text = best.summary
            for label, end, colour in (("A", result.origin, (40, 160, 70)), ("B", result.destination, (210, 50, 50))):
                markers.append((label, (end.location.lat, end.location.lng), colour))
                shown.append(MapMarker(label=label, name=end.name, location=end.location))
        for n, place_id in enumerate(body.place_ids, start=1):
            place = svc.place(place_id)
            markers.append((str(n), (place.row.lat, place.row.lng), (90, 70, 200)))
            shown.append(MapMarker(label=str(n), name=place.data["name"], location=place.point))
        png, sw, ne = render_map(network, lines, markers, body.size)
        parts = [route_text] if route_text else []
        if body.place_ids:
            parts.append(f"{len(body.place_ids)} place{'s' if len(body.place_ids) != 1 else ''} marked")
        title = "; ".join(parts) or "Central Helsinki"
        from .render import SIZES

        width, height = SIZES[body.size]
        summary = MapSummary(
            title=title, width=width, height=height, south_west=GeoPoint(lat=round(sw[0], 6), lng=round(sw[1], 6)),
            north_east=GeoPoint(lat=round(ne[0], 6), lng=round(ne[1], 6)), markers=shown, route=route_text,
            attribution=ATTRIBUTION,
        )  # fmt: skip
        return MapImage(summary=summary, png_base64=base64.b64encode(png).decode())

    return app
