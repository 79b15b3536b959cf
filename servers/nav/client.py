"""Typed client for the navigation provider API: the only way the tools reach the backend."""

from __future__ import annotations

from datetime import date

from shared.kit.client import BackendClient, seg
from shared.schemas.common import IdParam
from shared.schemas.nav import (
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
    StreetMap,
    WeatherResult,
)

PLACE_ID = IdParam("place_id", "plc", "nav_search_places or nav_geocode")


class NavClient(BackendClient):
    vertical = "nav"

    async def geocode(self, query: str, limit: int = 5, near_lat: float = 0, near_lng: float = 0) -> GeocodeResult:
        params = {"query": query, "limit": limit, "near_lat": near_lat, "near_lng": near_lng}
        return await self.call("GET", "/geocode", GeocodeResult, params=params)

    async def reverse_geocode(self, lat: float, lng: float) -> ReverseGeocodeResult:
        return await self.call("GET", "/reverse", ReverseGeocodeResult, params={"lat": lat, "lng": lng})

    async def search_places(
        self,
        *,
        query: str = "",
        category: str = "",
        lat: float = 0,
        lng: float = 0,
        radius_m: int = 1000,
        open_now: bool = False,
        limit: int = 10,
        cursor: str = "",
        near: str = "",
    ) -> PlacePage:
        params = {
            "near": near,
            "query": query,
            "category": category,
            "lat": lat,
            "lng": lng,
            "radius_m": radius_m,
            "open_now": open_now,
            "limit": limit,
            "cursor": cursor,
        }
        return await self.call("GET", "/places", PlacePage, params=params)

    async def get_place(self, place_id: str) -> PlaceDetail:
        return await self.call("GET", f"/places/{seg(place_id, PLACE_ID)}", PlaceDetail)

    async def route(self, body: RouteRequest) -> RouteResult:
        return await self.call("POST", "/routes", RouteResult, json=body.model_dump(mode="json"), repeatable=True)

    async def distance_matrix(self, body: MatrixRequest) -> MatrixResult:
        return await self.call("POST", "/matrix", MatrixResult, json=body.model_dump(mode="json"), repeatable=True)

    async def weather(self, day: date | str = "", days: int = 1) -> WeatherResult:
        """``day``: a date, or 'YYYY-MM-DD' / 'today' / 'tomorrow' / '' (today) read on the provider's clock."""
        text = day.isoformat() if isinstance(day, date) else day
        return await self.call("GET", "/weather", WeatherResult, params={"date": text, "days": days})

    async def render_map(self, body: MapRequest) -> MapImage:
        return await self.call("POST", "/map", MapImage, json=body.model_dump(mode="json"), repeatable=True)

    async def map_streets(self, south: float, west: float, north: float, east: float) -> StreetMap:
        """The street lines inside a box, for a map the caller draws itself (the route map view)."""
        params = {"south": south, "west": west, "north": north, "east": east}
        return await self.call("GET", "/streets", StreetMap, params=params)
