"""nav-mcp: the MCP tools of the navigation vertical (Amap-like).

Each tool is a few lines: validate the shape, call ``NavClient``, return a wire model. Routes
run on the real OpenStreetMap street network of central Helsinki; ``nav_render_map`` returns
a PNG as image content next to a JSON summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.prompts.base import UserMessage
from mcp.types import (
    CallToolResult,
    Completion,
    CompletionArgument,
    CompletionContext,
    ImageContent,
    PromptReference,
    ResourceTemplateReference,
    TextContent,
)
from pydantic import Field

from shared.kit.apps import ui_meta, views_extension
from shared.kit.server import READ, ClientLifespan, LifestyleServer, make_server
from shared.kit.settings import Settings
from shared.schemas.nav import (
    MAX_QUERY,
    MAX_RADIUS_M,
    GeocodeResult,
    MapRequest,
    MapSize,
    MapSummary,
    MatrixRequest,
    MatrixResult,
    PlaceDetail,
    PlacePage,
    ReverseGeocodeResult,
    RouteRequest,
    RouteResult,
    StreetMap,
    TravelMode,
    WeatherResult,
)

from .client import NavClient

if TYPE_CHECKING:
    from fastapi import FastAPI

INSTRUCTIONS = """Navigation in central Helsinki (Amap-like). nav_geocode turns an address (Finnish street names:
'Fabianinkatu 39') or a place name (English, Finnish, Swedish or Chinese: 'Kinopalatsi', '赫尔辛基大教堂')
into candidates with a status: only 'confident' names the answer; on 'ambiguous' ask the user or pick a candidate id,
never the first by default. nav_search_places finds places near a point; nav_route gives distance, duration and
turn-by-turn steps by driving, walking, cycling or transit (origin/destination as plc_/adr_/stp_/dst_ id, a saved
address such as 'home' or 'work', 'lat,lng' or text; ambiguous text is refused with its candidates), leaving at
depart_at or arriving by arrive_by; nav_distance_matrix compares up to 10 × 10 trips; nav_weather forecasts by
date; nav_render_map draws a route and places as a PNG. Reuse ids that tools return; never invent coordinates."""

ENDPOINT_HELP = (
    "a place id (plc_…), address id (adr_…), stop id (stp_…) or district id (dst_…) from nav_geocode / "
    "nav_search_places, a restaurant, venue or cinema id from the food, tickets or movies server (rst_…, vnu_…, "
    "cin_…), one of the user's saved addresses ('home', 'work', another label, or its adr_ id), 'lat,lng' such as "
    "'60.1699,24.9384', or an address or place name (as another server shows it: 'Kinopalatsi / 基诺宫影城')"
)


def _client(ctx: Context[Any, Any]) -> NavClient:
    client: NavClient = ctx.request_context.lifespan_context
    return client


def build_server(settings: Settings | None = None, *, app: FastAPI | None = None) -> LifestyleServer:
    """The nav server. ``app`` lets tests share one in-process backend (and its clock)."""
    settings = settings or Settings.for_vertical("nav")

    def create_backend() -> FastAPI:
        from .backend.app import create_app

        return app or create_app(settings)

    lifespan = ClientLifespan(settings, NavClient, create_backend)
    # MCP Apps hosts show the route map view with these results (shared/views/route_map.html).
    mcp = make_server("nav", settings, lifespan, INSTRUCTIONS, extensions=[views_extension("nav", "route_map")])

    @mcp.tool(annotations=READ)
    async def nav_geocode(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                description="Street address (Finnish street names), place name or category (English, Finnish, "
                "Swedish or Chinese), e.g. "
                "'Mannerheimintie 5', 'Oodi library', '赫尔辛基大教堂', 'cinema', or a saved label such as 'home'; "
                "'nearest pharmacy' / '附近的药店' is the nearest of the kind to near_lat/near_lng (else the city "
                "centre). At most 200 characters.",
                max_length=MAX_QUERY,
            ),
        ],
        limit: Annotated[int, Field(description="Candidates to return, 1–10.", ge=1, le=10)] = 5,
        near_lat: Annotated[
            float,
            Field(
                description="Bias point latitude: distance_m is measured from it and it picks the nearest branch "
                "of a chain when one is clearly nearest; 0 = none (city centre).",
                ge=-90,
                le=90,
            ),
        ] = 0,
        near_lng: Annotated[
            float, Field(description="Bias point longitude (with near_lat); 0 = none.", ge=-180, le=180)
        ] = 0,
    ) -> GeocodeResult:
        """Turn an address or place name into ranked candidates (saved address, address, place, street or stop) with
        ids, one-line addresses, a 0–1 score and the distance from the bias point, plus a status: 'confident' (the
        first candidate is the answer: use its id), 'ambiguous' (a chain's branches, a category, near-equal names or
        only weak matches: ask or pick an id, never assume the first) or 'not_found'. Fuzzy (typos, inflections) and
        multilingual: landmarks resolve by their common English, Finnish, Swedish and Chinese names, street addresses
        by their Finnish street names (the map has no Swedish ones: 'Mannerheimvägen 5' is not found)."""
        return await _client(ctx).geocode(query, limit, near_lat, near_lng)

    @mcp.tool(annotations=READ)
    async def nav_reverse_geocode(
        ctx: Context[Any, Any],
        lat: Annotated[float, Field(description="Latitude (WGS-84), e.g. 60.1699.", ge=-90, le=90)],
        lng: Annotated[float, Field(description="Longitude (WGS-84), e.g. 24.9384.", ge=-180, le=180)],
    ) -> ReverseGeocodeResult:
        """The nearest street address and street to a point, plus the closest named places."""
        return await _client(ctx).reverse_geocode(lat, lng)

    @mcp.tool(annotations=READ)
    async def nav_search_places(
        ctx: Context[Any, Any],
        query: Annotated[
            str,
            Field(
                description="Keyword: name, cuisine or kind, English/Finnish/Chinese, e.g. 'pizza', 'museum', "
                "'咖啡'. Empty lists everything nearby. One that says where ('cafe near Kamppi', 'Kamppi附近的咖啡', "
                "'restaurants in Kamppi', '坎皮的餐厅') searches around that place, as near does; '24h' / '24小时' "
                "keeps places open round the clock, 'open now' / '现在营业' is open_now, 'metro station' / '地铁站' "
                "and 'train station' / '火车站' keep that line's stations. The result's note says how it was read."
            ),
        ] = "",
        near: Annotated[
            str,
            Field(
                description="Search around this place instead of lat/lng: a name, address, district, saved address "
                "or id, e.g. 'Kamppi', 'Oodi', 'Mannerheimintie 5', 'home'; an ambiguous name is refused with its "
                "candidates. '' = use lat/lng."
            ),
        ] = "",
        category: Annotated[
            str,
            Field(
                description="Only this category slug, e.g. restaurant, cafe, bar, pub, cinema, theatre, museum, "
                "hotel, park, supermarket, pharmacy, toilets, tram_stop, bus_station, attraction, mall, books, "
                "hairdresser, optician, embassy, bureau_de_change, gym, swimming_pool (saunas), charging_station, "
                "bicycle_rental (city bikes), taxi, marketplace, ferry_terminal; '' = any."
            ),
        ] = "",
        lat: Annotated[float, Field(description="Search around this latitude; 0 = city centre.", ge=-90, le=90)] = 0,
        lng: Annotated[float, Field(description="Search around this longitude; 0 = city centre.", ge=-180, le=180)] = 0,
        radius_m: Annotated[
            int, Field(description=f"Search radius in metres, 50–{MAX_RADIUS_M}.", ge=50, le=MAX_RADIUS_M)
        ] = 1000,
        open_now: Annotated[bool, Field(description="Only places open right now (by their posted hours).")] = False,
        limit: Annotated[int, Field(description="Results per page, 1–20.", ge=1, le=20)] = 10,
        cursor: Annotated[
            str, Field(description="page.next_cursor from the previous call; '' for the first page.")
        ] = "",
    ) -> PlacePage:
        """Find places near a point or a named place by keyword and/or category, with coordinates, distance, address
        and whether they are open now. Best match first; nearest first without a keyword."""
        return await _client(ctx).search_places(
            query=query,
            category=category,
            lat=lat,
            lng=lng,
            radius_m=radius_m,
            open_now=open_now,
            limit=limit,
            cursor=cursor,
            near=near,
        )

    @mcp.tool(annotations=READ)
    async def nav_get_place(
        ctx: Context[Any, Any],
        place_id: Annotated[str, Field(description="Place id (plc_…) from nav_search_places or nav_geocode.")],
    ) -> PlaceDetail:
        """A place's details: coordinates, address, weekly opening hours, phone, website, wheelchair access and the
        nearest tram/metro stops with their lines."""
        return await _client(ctx).get_place(place_id)

    @mcp.tool(annotations=READ, meta=ui_meta("nav", "route_map"))
    async def nav_route(
        ctx: Context[Any, Any],
        origin: Annotated[str, Field(description=f"Where to start: {ENDPOINT_HELP}.", max_length=MAX_QUERY)],
        destination: Annotated[str, Field(description=f"Where to go: {ENDPOINT_HELP}.", max_length=MAX_QUERY)],
        mode: Annotated[
            TravelMode,
            Field(
                description="driving (one-way streets, traffic by time of day), walking, cycling or transit (always "
                "rides a tram or metro, with timetables and walks to and from the stops, even when walking would be "
                "faster: a note then says by how much)."
            ),
        ] = "driving",
        depart_at: Annotated[
            str,
            Field(
                description="Leave at this time: ISO 8601, e.g. '2026-11-25T08:30' (Helsinki time), or as the user "
                "says it ('tomorrow 08:30', '明天早上8点', 'Fri 6pm'); '' = now. Traffic and timetables depend on it. "
                "Not together with arrive_by."
            ),
        ] = "",
        arrive_by: Annotated[
            str,
            Field(
                description="Arrive by this time instead, written as depart_at is ('19:00', '今晚7点前' as '今晚7点'): "
                "plans the latest departure that still arrives in time; '' = no deadline. Not together with depart_at."
            ),
        ] = "",
        alternatives: Annotated[
            bool,
            Field(
                description="Also return alternatives: up to two other routes by road, or for transit up to three "
                "other journeys (the next departures, or earlier ones with arrive_by, and other lines)."
            ),
        ] = False,
    ) -> RouteResult:
        """A route on the real street network: distance, duration, departure and arrival time, main streets and short
        turn-by-turn steps with street names (transit: walk/ride legs with lines, stops and departure times), plus
        an encoded polyline. Best route first; notes say when walking beats transit, when to leave, or which branch
        of a chain was taken. Text ends must geocode confidently: an ambiguous name is refused with its candidate
        ids (pass one of them instead)."""
        body = RouteRequest(
            origin=origin,
            destination=destination,
            mode=mode,
            depart_at=depart_at,
            arrive_by=arrive_by,
            alternatives=alternatives,
        )
        return await _client(ctx).route(body)

    @mcp.tool(annotations=READ)
    async def nav_distance_matrix(
        ctx: Context[Any, Any],
        origins: Annotated[
            list[str], Field(description=f"1–10 origins, each {ENDPOINT_HELP}.", min_length=1, max_length=10)
        ],
        destinations: Annotated[
            list[str], Field(description="1–10 destinations, same forms as origins.", min_length=1, max_length=10)
        ],
        mode: Annotated[TravelMode, Field(description="driving, walking, cycling or transit.")] = "driving",
        depart_at: Annotated[
            str,
            Field(description="Departure time: ISO 8601 (Helsinki time if no offset) or 'tomorrow 8:30'; '' = now."),
        ] = "",
    ) -> MatrixResult:
        """Travel time and distance for every origin × destination pair (up to 10 × 10), e.g. to pick the closest
        of several places. Cells are row by row with their indices. Transit cells ride a tram or metro when any
        journey can (as nav_route does); ambiguous names are refused with their candidate ids."""
        body = MatrixRequest(origins=origins, destinations=destinations, mode=mode, depart_at=depart_at)
        return await _client(ctx).distance_matrix(body)

    @mcp.tool(annotations=READ)
    async def nav_weather(
        ctx: Context[Any, Any],
        date: Annotated[
            str,
            Field(
                description="First day: YYYY-MM-DD (or '12月24日', 'Dec 24'), 'today', 'tomorrow' or a weekday "
                "('Saturday', 'lauantai', '周六': "
                "the next one), or days ('this weekend', '周末', 'next week', 'next month': all of them unless days "
                "says more, a month's as far as forecasts reach); '' = today. Up to 14 days ahead."
            ),
        ] = "",
        days: Annotated[int, Field(description="Number of days, 1–7.", ge=1, le=7)] = 1,
    ) -> WeatherResult:
        """Weather forecast for Helsinki by date: condition, min/max temperature, precipitation, wind, sunrise and
        sunset, four parts of the day and one practical hint."""
        return await _client(ctx).weather(date, days)

    @mcp.tool(annotations=READ)
    async def nav_render_map(
        ctx: Context[Any, Any],
        origin: Annotated[
            str, Field(description=f"Route start to draw: {ENDPOINT_HELP}; '' = no route.", max_length=MAX_QUERY)
        ] = "",
        destination: Annotated[
            str, Field(description="Route end to draw (same forms); '' = no route.", max_length=MAX_QUERY)
        ] = "",
        mode: Annotated[TravelMode, Field(description="Travel mode of the drawn route.")] = "driving",
        place_ids: Annotated[
            list[str], Field(description="Places (plc_…) to mark with numbers 1, 2, …; up to 20.", max_length=20)
        ] = [],  # noqa: B006 - pydantic copies defaults
        size: Annotated[MapSize, Field(description="small 480×360, medium 800×600 or large 1200×900.")] = "medium",
        depart_at: Annotated[
            str, Field(description="Departure time for the route: ISO 8601 or 'tomorrow 08:30'; '' = now.")
        ] = "",
        arrive_by: Annotated[
            str,
            Field(description="Or arrive by this time (as depart_at): the route leaves as late as makes it; '' = no."),
        ] = "",
    ) -> Annotated[CallToolResult, MapSummary]:
        """A PNG map of central Helsinki showing a route (A → B) and/or numbered places, returned as an image
        together with a JSON summary of what is drawn."""
        body = MapRequest(
            origin=origin,
            destination=destination,
            mode=mode,
            depart_at=depart_at,
            arrive_by=arrive_by,
            place_ids=place_ids,
            size=size,
        )
        image = await _client(ctx).render_map(body)
        summary = image.summary.model_dump(mode="json")
        return CallToolResult(
            content=[
                TextContent(type="text", text=image.summary.model_dump_json()),
                ImageContent(type="image", data=image.png_base64, mime_type="image/png"),
            ],
            structured_content=summary,
        )

    # Only the route map view calls this (visibility ["app"]): hosts keep it out of the model's tool list.
    @mcp.tool(annotations=READ, meta=ui_meta("nav", "route_map", app_only=True))
    async def nav_map_streets(
        ctx: Context[Any, Any],
        min_lat: Annotated[
            float, Field(description="Southern edge of the box (latitude), e.g. 60.165.", ge=-90, le=90)
        ],
        min_lng: Annotated[
            float, Field(description="Western edge of the box (longitude), e.g. 24.930.", ge=-180, le=180)
        ],
        max_lat: Annotated[
            float, Field(description="Northern edge of the box (latitude), e.g. 60.175.", ge=-90, le=90)
        ],
        max_lng: Annotated[
            float, Field(description="Eastern edge of the box (longitude), e.g. 24.950.", ge=-180, le=180)
        ],
    ) -> StreetMap:
        """The streets inside a box as encoded polylines with their names and classes (major roads, streets,
        paths), for drawing a map under a route without map tiles. Used by the route map view."""
        return await _client(ctx).map_streets(min_lat, min_lng, max_lat, max_lng)

    _add_extras(mcp, lifespan)
    return mcp


LANDMARKS = ("Kinopalatsi", "Kiasma", "Oodi", "Ateneum", "Helsingin tuomiokirkko", "Musiikkitalo", "Kauppatori")
MODES = ("walking", "transit", "cycling", "driving")


def _add_extras(mcp: LifestyleServer, lifespan: ClientLifespan[NavClient]) -> None:
    """A prompt with argument completion: conveniences, never required."""

    @mcp.prompt(title="Get me there")
    def get_me_there(destination: str, origin: str = "home", mode: str = "walking") -> list[UserMessage]:
        """The best way from a saved address (or anywhere) to a place, with the route drawn on a map."""
        return [
            UserMessage(
                f"How do I get from {origin} to {destination} by {mode}? Find the place, plan the route (say how long "
                "it takes and when to leave), show me the turns and draw it on a map."
            )
        ]

    @mcp.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        prefix = argument.value.lower()
        if argument.name == "mode":
            values = [m for m in MODES if m.startswith(prefix)]
        elif argument.name in ("origin", "destination"):
            # The completion handler gets no Context, so it uses the running lifespan's client (the acting user's).
            client = lifespan.current()
            labels = [a.label for a in (await client.list_addresses()).addresses] if client is not None else []
            values = [v for v in [*labels, *LANDMARKS] if v.lower().startswith(prefix)]
        else:
            values = []
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)
