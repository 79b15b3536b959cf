"""Distances and the city the suite lives in."""

from __future__ import annotations

import math
from functools import cache
from zoneinfo import ZoneInfo

from shared.errors import InvalidInputError
from shared.growth import radius_m
from shared.schemas.common import GeoPoint

EARTH_RADIUS_M = 6_371_008.8
CITY_NAME = "Helsinki"
CITY_TZ = ZoneInfo("Europe/Helsinki")
CITY_CENTRE = GeoPoint(lat=60.1705, lng=24.9440)
SERVICE_RADIUS_M = 15_000


def haversine_m(a: GeoPoint, b: GeoPoint) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lng, b.lat, b.lng))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@cache
def service_radius_m(scale: int = 1) -> float:
    """How far from the centre a point may be: the real city's 15 km, or farther when the sandbox was grown past it
    (``shared.growth``: a scale-200 city reaches ~19.5 km), with a kilometre's margin for the outer streets."""
    if scale <= 1:
        return SERVICE_RADIUS_M
    return max(SERVICE_RADIUS_M, radius_m(scale) + 1000)


def _as_given(field: str, point: GeoPoint) -> str:
    """``point`` in the form ``field`` takes: two arguments ('lat/lng', 'near_lat/near_lng') or one text ('origin')."""
    if "/" in field:
        lat, lng = field.split("/", 1)
        return f"{lat} {point.lat:.6f} and {lng} {point.lng:.6f}"
    return f"{field} '{point.lat:.6f},{point.lng:.6f}'"


def require_in_city(point: GeoPoint, field: str = "lat/lng", *, scale: int = 1, instead: str = "") -> GeoPoint:
    """Refuse points that are valid coordinates but nowhere near the service area (of a sandbox grown ``scale``×:
    pass ``Sandbox.scale``, so a grown district's addresses are in the city).

    ``instead`` names what else the calling tool accepts in place of the point, in that tool's terms (e.g. "an
    address: a street and number or a saved address's label, with lat and lng 0"); the hint offers nothing else, so
    it never suggests an argument the tool does not have."""
    far = haversine_m(point, CITY_CENTRE)
    if far > service_radius_m(scale):
        other = f", or {instead}" if instead else ""
        if (point.lat == 0) != (point.lng == 0):  # one of the pair left at its 'not given' 0
            given, missing = ("lat", "lng") if point.lng == 0 else ("lng", "lat")
            raise InvalidInputError(
                f"{field} has {given} but {missing} is 0: a point needs both ({point.lat:.5f}, {point.lng:.5f} is "
                f"{far / 1000:,.0f} km from {CITY_NAME}).",
                f"Give {missing} too (central {CITY_NAME} is around lat 60.17, lng 24.94){other}.",
                field=field,
            )
        swapped = GeoPoint(lat=point.lng, lng=point.lat) if abs(point.lng) <= 90 else None
        if swapped and haversine_m(swapped, CITY_CENTRE) <= service_radius_m(scale):  # GeoJSON's order: lng first
            raise InvalidInputError(
                f"{field} ({point.lat:.5f}, {point.lng:.5f}) has lat and lng swapped: {CITY_NAME} is at lat 60.17, "
                "lng 24.94 (GeoJSON writes lng first).",
                f"Call again with {_as_given(field, swapped)}{other}.",
                field=field,
            )
        raise InvalidInputError(
            f"{field} ({point.lat:.5f}, {point.lng:.5f}) is {far / 1000:,.0f} km from {CITY_NAME}, "
            "outside the service area.",
            f"Use a point in central {CITY_NAME} (around lat 60.17, lng 24.94){other}.",
            field=field,
        )
    return point
