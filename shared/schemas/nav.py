"""Wire models of the navigation vertical (Amap-like): geocoding, places, routes, weather, maps."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas.common import GeoPoint, PageInfo, WireModel

TravelMode = Literal["driving", "walking", "cycling", "transit"]
Maneuver = Literal[
    "depart", "straight", "slight_left", "left", "sharp_left", "slight_right", "right", "sharp_right", "u_turn",
    "arrive", "board", "alight", "walk",
]  # fmt: skip
Traffic = Literal["light", "moderate", "heavy", "none"]
CandidateKind = Literal["saved", "address", "place", "street", "district", "stop"]
GeocodeStatus = Literal["confident", "ambiguous", "not_found"]
OpenStatus = Literal["open", "closed", "unknown"]
Condition = Literal["clear", "partly_cloudy", "cloudy", "fog", "drizzle", "rain", "sleet", "snow", "thunderstorm"]
MapSize = Literal["small", "medium", "large"]
MAX_QUERY = 200  # characters of a geocoding query (or a free-text route end) the provider accepts
MAX_RADIUS_M = 5000
"""The widest radius a places search takes."""


class GeocodeCandidate(WireModel):
    """One interpretation of a geocoding query."""

    kind: CandidateKind = Field(
        description="saved (one of the user's saved addresses: Home, Work…), address (street + number), place (a "
        "named POI), street, district (a part of the city, e.g. Kluuvi or Keskusta, at its marked centre) or stop."
    )
    id: str = Field(
        description="adr_…, plc_…, stp_… or dst_… id: pass it as a route origin/destination to mean exactly this "
        "candidate; '' for a street (pass its 'lat,lng' instead)."
    )
    name: str = Field(description="What matched, e.g. 'Kinopalatsi' or 'Fabianinkatu 39'.")
    address: str = Field(
        description="One-line street address, e.g. 'Kaisaniemenkatu 2, 00100 Helsinki' (a stop: its lines)."
    )
    location: GeoPoint = Field(description="Coordinates.")
    confidence: float = Field(
        description="Match score 0–1 of this candidate (1 = one of its names exactly). Whether the first candidate "
        "is the answer is the result's status, not this number."
    )
    category: str = Field(default="", description="Category slug (places; tram_stop/station for stops), e.g. cinema.")
    distance_m: int = Field(
        default=0, description="Straight-line metres from the result's center (the bias point, else the city centre)."
    )


class GeocodeResult(WireModel):
    query: str = Field(description="The query as understood.")
    status: GeocodeStatus = Field(
        description="confident: the first candidate is the answer, use its id; ambiguous: several candidates fit (a "
        "chain's branches, a category, near-equal names, only weak matches, or a house number the street does not "
        "have: its nearest numbers and the street are listed, the message says which numbers it has): pick one id, "
        "never assume the first; not_found: nothing fits (candidates, if any, are only spellings to check)."
    )
    message: str = Field(description="One sentence on what was found and what to do next.")
    center: GeoPoint = Field(description="Where distance_m is measured from: the bias point, else the city centre.")
    candidates: list[GeocodeCandidate] = Field(
        description="Best first; places that are one spot on the ground (a stop's platforms) appear once."
    )


class PlaceSummary(WireModel):
    """A place with its coordinates, always."""

    id: str = Field(description="Place id (plc_…): pass to nav_get_place or as a route origin/destination.")
    name: str = Field(description="Local name.")
    name_en: str = Field(default="", description="English name when OSM has one.")
    name_zh: str = Field(default="", description="Chinese name when OSM has one.")
    category: str = Field(description="Category slug, e.g. restaurant, cinema, museum.")
    category_label: str = Field(description="Category in English and Chinese, e.g. 'Cinema 电影院'.")
    location: GeoPoint = Field(description="Coordinates.")
    address: str = Field(description="One-line address ('' when OSM has none).")
    distance_m: int = Field(description="Straight-line distance from the search point in metres.")
    open_status: OpenStatus = Field(description="Open right now, closed, or unknown (no hours on record).")
    wheelchair: str = Field(default="", description="Wheelchair access as OpenStreetMap has it: yes, limited, no, ''.")


class PlacePage(WireModel):
    center: GeoPoint = Field(description="The search point.")
    radius_m: int = Field(description="Search radius in metres.")
    places: list[PlaceSummary] = Field(description="Best match first (nearest first without a keyword).")
    page: PageInfo = Field(description="Pass page.next_cursor back as cursor for more.")
    note: str = Field(default="", description="How the query was read (24h, open now, words left out); why empty.")


class NearbyStop(WireModel):
    id: str = Field(description="Stop id (stp_…).")
    name: str = Field(description="Stop name.")
    distance_m: int = Field(description="Straight-line distance in metres.")
    lines: list[str] = Field(description="Lines serving it, e.g. ['tram 2', 'tram 4'].")


class PlaceDetail(PlaceSummary):
    opening_hours: dict[str, str] = Field(
        description="This week's hours by day (mon…sun), e.g. '10:00–22:00' or 'closed'; seasonal hours (summer, "
        "winter) as they hold today, opening_hours_raw has every season."
    )
    opening_hours_raw: str = Field(description="Hours as tagged in OpenStreetMap.")
    phone: str = Field(description="Phone number, if known.")
    website: str = Field(description="Website, if known.")
    cuisines: list[str] = Field(description="Cuisines (food places).")
    nearby_stops: list[NearbyStop] = Field(description="Closest public-transport stops.")


class NearestAddress(WireModel):
    street: str = Field(description="Street name.")
    housenumber: str = Field(description="House number.")
    postcode: str = Field(description="Postal code ('' if unknown).")
    city: str = Field(description="City.")
    one_line: str = Field(description="Street, number, postcode and city on one line.")
    location: GeoPoint = Field(description="Entrance coordinates.")
    distance_m: int = Field(description="Distance from the queried point in metres.")


class ReverseGeocodeResult(WireModel):
    location: GeoPoint = Field(description="The queried point.")
    address: NearestAddress = Field(description="Nearest street address.")
    street: str = Field(description="Nearest named street (may differ from the address's street).")
    nearby_places: list[PlaceSummary] = Field(description="Up to three closest named places.")


class Endpoint(WireModel):
    """A route end as resolved from the caller's text."""

    input: str = Field(description="What was passed.")
    name: str = Field(description="Resolved name or address.")
    location: GeoPoint = Field(description="Resolved coordinates.")
    snap_m: int = Field(description="Distance from the point to the road network in metres.")


class RouteStep(WireModel):
    maneuver: Maneuver = Field(description="What to do at the start of the step.")
    instruction: str = Field(description="Turn-by-turn sentence, e.g. 'Turn left onto Mannerheimintie'.")
    street: str = Field(description="Street (or line) followed in this step; '' if unnamed.")
    distance_m: int = Field(description="Length of the step in metres.")
    duration_s: int = Field(description="Time for the step in seconds.")


class TransitLeg(WireModel):
    kind: Literal["walk", "tram", "metro"] = Field(description="Walk, or the vehicle ridden.")
    line: str = Field(description="Line number, e.g. '4' or 'M1'; '' for walking.")
    headsign: str = Field(description="Direction (last stop) of the vehicle; '' for walking.")
    from_name: str = Field(description="Where the leg starts (stop or origin).")
    to_name: str = Field(description="Where the leg ends (stop or destination).")
    depart_at: datetime = Field(description="Departure time (local, with offset).")
    arrive_at: datetime = Field(description="Arrival time.")
    stops: int = Field(description="Stops ridden (0 for walking).")
    headway_min: int = Field(description="Minutes between vehicles at that time (0 for walking).")
    distance_m: int = Field(description="Length in metres.")


class Route(WireModel):
    mode: TravelMode = Field(description="Travel mode.")
    summary: str = Field(description="One line: duration, distance, main streets or lines.")
    distance_m: int = Field(description="Total length in metres.")
    duration_s: int = Field(description="Total travel time in seconds, including waiting for transit.")
    depart_at: datetime = Field(
        description="When to leave the origin (transit: as late as still catches the first vehicle; arrive_by: the "
        "latest departure that arrives in time)."
    )
    arrive_at: datetime = Field(description="Arrival time.")
    traffic: Traffic = Field(description="Driving: traffic level at departure; 'none' for other modes.")
    via: list[str] = Field(description="Main streets (or lines) in order.")
    steps: list[RouteStep] = Field(description="Turn-by-turn steps; consecutive segments of a street are merged.")
    legs: list[TransitLeg] = Field(description="Transit: walk/ride legs with times; empty for other modes.")
    polyline: str = Field(description="Geometry as an encoded polyline (precision 5, Google format).")


class RouteResult(WireModel):
    origin: Endpoint = Field(description="Resolved origin.")
    destination: Endpoint = Field(description="Resolved destination.")
    routes: list[Route] = Field(description="Best route first, then alternatives if asked for.")
    notes: list[str] = Field(
        description="Anything worth telling the user, e.g. that walking is faster than the transit journey and by "
        "how much, or when to leave to arrive in time."
    )


DEPART_SAID = (
    "Departure time: ISO 8601 (Helsinki time when no offset) or as people say it ('tomorrow 08:30', '明天早上8点', "
    "'Fri 6pm'), read on the sandbox's clock; '' means now."
)


class RouteRequest(WireModel):
    origin: str = Field(description="Place id, address id, stop id, saved address label ('home'), 'lat,lng' or text.")
    destination: str = Field(description="Same forms as origin.")
    mode: TravelMode = Field(default="driving", description="Travel mode.")
    depart_at: str = Field(default="", description=DEPART_SAID)
    arrive_by: str = Field(
        default="",
        description="Arrive by this time, written as depart_at is: plan the latest departure that makes it (not "
        "with depart_at); '' = no deadline.",
    )
    alternatives: bool = Field(
        default=False,
        description="Also return alternatives: up to two other routes, or for transit up to three other journeys.",
    )


class MatrixRequest(WireModel):
    origins: list[str] = Field(description="1–10 origins (same forms as a route).")
    destinations: list[str] = Field(description="1–10 destinations.")
    mode: TravelMode = Field(default="driving", description="Travel mode.")
    depart_at: str = Field(default="", description=DEPART_SAID)


class MatrixCell(WireModel):
    origin: int = Field(description="Index into origins.")
    destination: int = Field(description="Index into destinations.")
    reachable: bool = Field(description="False when no route exists.")
    distance_m: int = Field(description="Route length in metres (0 if unreachable).")
    duration_s: int = Field(description="Travel time in seconds (0 if unreachable).")


class MatrixResult(WireModel):
    mode: TravelMode = Field(description="Travel mode.")
    origins: list[Endpoint] = Field(description="Resolved origins.")
    destinations: list[Endpoint] = Field(description="Resolved destinations.")
    cells: list[MatrixCell] = Field(description="One cell per origin × destination, row by row.")


class WeatherPeriod(WireModel):
    name: Literal["night", "morning", "afternoon", "evening"] = Field(description="Part of the day.")
    temp_c: float = Field(description="Temperature in °C.")
    condition: Condition = Field(description="Sky and precipitation.")


class WeatherDay(WireModel):
    date: dt.date = Field(description="Local date.")
    condition: Condition = Field(description="Prevailing weather.")
    condition_label: str = Field(description="Condition in English and Chinese, e.g. 'Light rain 小雨'.")
    temp_min_c: float = Field(description="Minimum temperature in °C.")
    temp_max_c: float = Field(description="Maximum temperature in °C.")
    precipitation_mm: float = Field(description="Total precipitation in mm.")
    precipitation_chance: int = Field(description="Chance of precipitation in percent.")
    wind_ms: float = Field(description="Mean wind speed in m/s.")
    sunrise: str = Field(description="Local sunrise time HH:MM.")
    sunset: str = Field(description="Local sunset time HH:MM.")
    periods: list[WeatherPeriod] = Field(description="Night, morning, afternoon and evening.")
    advice: str = Field(description="One practical hint, e.g. take an umbrella.")


class WeatherResult(WireModel):
    city: str = Field(description="City of the forecast.")
    days: list[WeatherDay] = Field(description="One entry per requested day.")
    source: str = Field(description="Where the forecast comes from (a deterministic simulation).")
    note: str = Field(default="", description="Days asked for that have no forecast yet ('next month'), if any.")


class MapRequest(WireModel):
    origin: str = Field(default="", description="Route origin; '' draws no route.")
    destination: str = Field(default="", description="Route destination.")
    mode: TravelMode = Field(default="driving", description="Travel mode of the drawn route.")
    depart_at: str = Field(default="", description=DEPART_SAID)
    arrive_by: str = Field(default="", description="Arrive by this time instead (not with depart_at); '' = none.")
    place_ids: list[str] = Field(default_factory=list, description="Places to mark (plc_…), up to 20.")
    size: MapSize = Field(default="medium", description="Image size.")


class MapMarker(WireModel):
    label: str = Field(description="Label drawn on the map: A (origin), B (destination) or 1, 2, … for places.")
    name: str = Field(description="What the marker stands for.")
    location: GeoPoint = Field(description="Coordinates.")


class MapSummary(WireModel):
    title: str = Field(description="What the map shows.")
    width: int = Field(description="Image width in pixels.")
    height: int = Field(description="Image height in pixels.")
    south_west: GeoPoint = Field(description="Bottom-left corner.")
    north_east: GeoPoint = Field(description="Top-right corner.")
    markers: list[MapMarker] = Field(description="Markers drawn, with their labels.")
    route: str = Field(description="The route drawn, in one line ('' if none).")
    attribution: str = Field(description="Map data credit.")


class MapImage(WireModel):
    summary: MapSummary = Field(description="What is on the image.")
    png_base64: str = Field(description="The PNG image, base64-encoded.")


StreetKind = Literal["major", "street", "path"]
MAX_STREET_POINTS = 8000  # coordinates in one street map: enough for a few km² of city, small for a view to draw
MAX_STREET_BYTES = 40_000  # JSON of one street map: a route's box keeps its paths, the whole city its roads


class StreetLine(WireModel):
    """One street (or a stretch of it) as a line to draw under a route."""

    name: str = Field(description="Street name, e.g. 'Mannerheimintie'; '' for an unnamed way.")
    road_class: str = Field(description="OpenStreetMap highway class, e.g. primary, residential, footway.")
    kind: StreetKind = Field(
        description="How a map draws it: major (main roads, widest), street (other roads) or path (foot and "
        "cycle ways, steps, squares)."
    )
    polyline: str = Field(description="Its geometry as a Google encoded polyline (precision 5).")


class StreetMap(WireModel):
    """The street network inside a box, for a map the client draws itself (no tile server)."""

    south_west: GeoPoint = Field(description="Bottom-left corner of the box asked for.")
    north_east: GeoPoint = Field(description="Top-right corner of the box asked for.")
    streets: list[StreetLine] = Field(description="Lines touching the box: major roads first, then streets, paths.")
    points: int = Field(description="Coordinates in all the polylines together.")
    left_out: list[StreetKind] = Field(
        description=f"Kinds not included because the box holds more than {MAX_STREET_BYTES // 1000} KB of lines or "
        f"{MAX_STREET_POINTS} points: paths first, then streets (ask for a smaller box, e.g. around the route, to "
        "get them); empty when everything is there."
    )
    attribution: str = Field(description="Map data credit to show with the drawing.")
