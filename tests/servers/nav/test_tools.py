"""The nav tools through the real MCP protocol (in memory), against the real backend."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, ImageContent, PromptReference, TextContent

from shared.errors import NotFoundError
from shared.geo import CITY_TZ, haversine_m
from shared.schemas.common import GeoPoint
from tests.servers.food.helpers import err, every_page, ok
from tests.servers.nav.conftest import NavEnv
from tests.support import provider

MODES = pytest.mark.parametrize("mode", ["auto", "legacy"])
TOOLS = {
    "nav_geocode",
    "nav_reverse_geocode",
    "nav_search_places",
    "nav_get_place",
    "nav_route",
    "nav_distance_matrix",
    "nav_weather",
    "nav_render_map",
    "nav_map_streets",  # app-only (visibility ["app"]): the route map view draws the streets with it
}


@MODES
async def test_the_server_offers_exactly_the_nine_nav_tools(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server, mode=mode) as c:
        tools = (await c.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    assert all(t.annotations and t.annotations.read_only_hint for t in tools)


async def test_geocoding_is_fuzzy_and_bilingual(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        cinema = await ok(c, "nav_geocode", {"query": "kinopalatsi"})
        typo = await ok(c, "nav_geocode", {"query": "Kinopalatsy"})
        cathedral = await ok(c, "nav_geocode", {"query": "赫尔辛基大教堂"})
        address = await ok(c, "nav_geocode", {"query": "Fabianinkatu 39, Helsinki"})
        cinemas = await ok(c, "nav_geocode", {"query": "电影院", "limit": 10})
    assert cinema["status"] == "confident" and cinema["candidates"][0]["name"] == "Kinopalatsi"
    assert cinema["candidates"][0]["confidence"] >= 0.9
    assert typo["status"] == "confident" and typo["candidates"][0]["id"] == cinema["candidates"][0]["id"]
    assert cathedral["status"] == "confident" and cathedral["candidates"][0]["name"] == "Helsingin tuomiokirkko"
    top = address["candidates"][0]
    assert (address["status"], top["kind"], top["name"], top["confidence"]) == (
        "confident", "address", "Fabianinkatu 39", 1.0
    )
    assert top["id"].startswith("adr_") and 60.16 < top["location"]["lat"] < 60.18
    assert cinemas["status"] == "ambiguous" and len(cinemas["candidates"]) == 4
    assert {x["category"] for x in cinemas["candidates"]} == {"cinema"}
    assert "kind of place" in cinemas["message"]


async def test_reverse_geocoding_names_the_nearest_address_street_and_places(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_reverse_geocode", {"lat": 60.1726, "lng": 24.9493})
    assert got["address"]["one_line"].startswith("Fabianinkatu 39")
    assert got["address"]["distance_m"] < 20
    assert len(got["nearby_places"]) == 3 and all(p["location"] for p in got["nearby_places"])


async def test_place_search_pages_with_a_cursor_and_always_has_coordinates(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        first = await ok(c, "nav_search_places", {"category": "restaurant", "limit": 5})
        second = await ok(
            c, "nav_search_places", {"category": "restaurant", "limit": 5, "cursor": first["page"]["next_cursor"]}
        )
        open_now = await ok(c, "nav_search_places", {"open_now": True, "limit": 20, "radius_m": 2000})
        coffee = await ok(c, "nav_search_places", {"query": "咖啡", "limit": 5})
    ids = [p["id"] for p in first["places"] + second["places"]]
    assert len(ids) == len(set(ids)) == 10
    dists = [p["distance_m"] for p in first["places"] + second["places"]]
    assert dists == sorted(dists)
    assert all(p["category"] == "restaurant" and p["location"]["lat"] for p in first["places"])
    assert open_now["places"] and all(p["open_status"] == "open" for p in open_now["places"])
    assert coffee["places"] and all(p["category"] == "cafe" for p in coffee["places"])


async def test_a_place_has_hours_and_nearby_stops(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        hit = (await ok(c, "nav_geocode", {"query": "Kinopalatsi"}))["candidates"][0]
        place = await ok(c, "nav_get_place", {"place_id": hit["id"]})
    assert place["name"] == "Kinopalatsi" and place["category"] == "cinema"
    assert place["nearby_stops"] and place["nearby_stops"][0]["lines"]


@MODES
async def test_a_driving_route_has_street_names_steps_and_alternatives(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server, mode=mode) as c:
        got = await ok(
            c,
            "nav_route",
            {"origin": "Kinopalatsi", "destination": "Helsingin tuomiokirkko", "mode": "driving", "alternatives": True},
        )
    best = got["routes"][0]
    assert best["mode"] == "driving" and best["traffic"] == "heavy"
    assert 500 < best["distance_m"] < 3000 and best["duration_s"] > 60
    assert best["steps"][0]["maneuver"] == "depart" and best["steps"][-1]["maneuver"] == "arrive"
    assert any(s["street"] == "Unioninkatu" for s in best["steps"])
    assert len(got["routes"]) >= 2 and got["routes"][1]["duration_s"] >= best["duration_s"]
    assert got["origin"]["name"] == "Kinopalatsi"


async def test_every_mode_routes_between_the_same_places(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        spots = (await ok(c, "nav_search_places", {"category": "museum", "limit": 2}))["places"]
        a, b = spots[0]["id"], spots[1]["id"]
        times = {
            m: (await ok(c, "nav_route", {"origin": a, "destination": b, "mode": m}))["routes"][0]
            for m in ("driving", "walking", "cycling", "transit")
        }
    assert times["walking"]["duration_s"] > times["cycling"]["duration_s"]
    assert times["transit"]["legs"]


async def test_transit_rides_a_tram_with_departure_times(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        stops = {
            q: (await ok(c, "nav_geocode", {"query": q}))["candidates"][0]["id"]
            for q in ("Eteläranta tram stop", "Kaisaniemenpuisto")
        }
        got = await ok(
            c,
            "nav_route",
            {
                "origin": stops["Eteläranta tram stop"],
                "destination": stops["Kaisaniemenpuisto"],
                "mode": "transit",
                "depart_at": "2026-11-25T08:00",
            },
        )
    assert all(stop.startswith("stp_") for stop in stops.values())
    legs = got["routes"][0]["legs"]
    rides = [leg for leg in legs if leg["kind"] == "tram"]
    assert rides and rides[0]["line"] and rides[0]["headway_min"] > 0 and rides[0]["stops"] >= 1
    assert rides[0]["depart_at"] >= "2026-11-25T08:00"
    assert any(s["maneuver"] == "board" for s in got["routes"][0]["steps"])


async def test_the_matrix_matches_single_routes(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(
            c,
            "nav_distance_matrix",
            {
                "origins": ["Kinopalatsi", "Kiasma"],
                "destinations": ["Ateneum", "60.1699,24.9384", "Oodi"],
                "mode": "driving",
            },
        )
        single = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi"})
    assert len(got["cells"]) == 6 and all(cell["reachable"] for cell in got["cells"])
    cell = next(x for x in got["cells"] if (x["origin"], x["destination"]) == (1, 2))
    assert abs(cell["duration_s"] - single["routes"][0]["duration_s"]) <= 1


async def test_weather_is_deterministic_by_date(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        a = await ok(c, "nav_weather", {"date": "2026-11-27", "days": 2})
        b = await ok(c, "nav_weather", {"date": "2026-11-27", "days": 2})
        today = await ok(c, "nav_weather", {})
        too_far = await err(c, "nav_weather", {"date": "2027-03-01"})
    assert a == b and [d["date"] for d in a["days"]] == ["2026-11-27", "2026-11-28"]
    assert today["days"][0]["date"] == "2026-11-25"
    assert a["days"][0]["temp_min_c"] <= a["days"][0]["temp_max_c"]
    assert "2026-11-25" in too_far and "YYYY-MM-DD" in too_far


async def test_weather_reads_the_day_words_every_server_reads(nav: NavEnv) -> None:
    """The weather had its own copy of the day words, without Finnish or 'the day after tomorrow': 'huomenna' was
    refused here while movies and food read it as tomorrow. One table (``shared.dates.DAY_WORDS``) serves all, and
    a weekday ('lauantai', the next Saturday; today's own name is today) is read as movies reads it."""
    async with Client(nav.server) as c:
        said = {w: (await ok(c, "nav_weather", {"date": w}))["days"][0]["date"] for w in
                ("huomenna", "tomorrow", "明天", "后天", "ylihuomenna", "day after tomorrow", "tänään", "lauantai",
                 "Saturday", "周六", "wednesday", "11月28日", "Nov 28", "28.11.")}  # fmt: skip
    tomorrow, after = "2026-11-26", "2026-11-27"
    assert said == {"huomenna": tomorrow, "tomorrow": tomorrow, "明天": tomorrow, "后天": after, "ylihuomenna": after,
                    "day after tomorrow": after, "tänään": "2026-11-25", "lauantai": "2026-11-28",
                    "Saturday": "2026-11-28", "周六": "2026-11-28", "wednesday": "2026-11-25", "11月28日": "2026-11-28",
                    "Nov 28": "2026-11-28", "28.11.": "2026-11-28"}  # fmt: skip


async def test_weather_for_a_weekend_covers_its_days(nav: NavEnv) -> None:
    """'this weekend', '周末' and 'tomorrow night' were refused as 'not a date' here, while tickets read them: the
    weather reads the same phrases (``shared.dates.DAY_PHRASES``), a weekend as its two days."""
    async with Client(nav.server) as c:
        said = {w: [d["date"] for d in (await ok(c, "nav_weather", {"date": w}))["days"]]
                for w in ("this weekend", "周末", "viikonloppuna", "tomorrow night", "明天下午3点", "tomorrow at 7")}
    weekend = ["2026-11-28", "2026-11-29"]
    # a time after the day ('明天下午3点', as an agent passes 'will it rain at 3 tomorrow') is the day's forecast
    assert said == {"this weekend": weekend, "周末": weekend, "viikonloppuna": weekend,
                    "tomorrow night": ["2026-11-26"], "明天下午3点": ["2026-11-26"],
                    "tomorrow at 7": ["2026-11-26"]}  # fmt: skip


async def test_weather_for_a_month_gives_its_days_that_have_a_forecast(nav: NavEnv) -> None:
    """'next month' (December) reaches past the last forecast (2026-12-08): its days so far, with a note saying the
    rest has no forecast yet, rather than a refusal to ask for fewer days; a month wholly past it is refused."""
    async with Client(nav.server) as c:
        december = await ok(c, "nav_weather", {"date": "next month"})
        january = await err(c, "nav_weather", {"date": "tammikuussa"})
        weekend = await ok(c, "nav_weather", {"date": "this weekend"})
        afternoon = await ok(c, "nav_weather", {"date": "周六下午"})
    assert [d["date"] for d in afternoon["days"]] == ["2026-11-28"]  # a part of the day: the day, with its periods
    assert [d["date"] for d in december["days"]] == [f"2026-12-0{n}" for n in range(1, 9)]
    assert "runs to 2026-12-31, but forecasts reach only 2026-12-08" in december["note"], december["note"]
    assert january.startswith("No forecast for 2027-01-01–2027-01-31"), january
    assert weekend["note"] == ""


async def test_weather_for_too_many_days_says_how_many_the_date_has_not_to_change_it(nav: NavEnv) -> None:
    """Forecasts reach 2026-12-08: 2026-12-08 is a fine date, and it is ``days`` that asks past the last forecast."""
    async with Client(nav.server) as c:
        last_day = await err(c, "nav_weather", {"date": "2026-12-08", "days": 7})
        near_end = await err(c, "nav_weather", {"date": "2026-12-05", "days": 7})
        one = await ok(c, "nav_weather", {"date": "2026-12-08", "days": 1})
        earlier = await ok(c, "nav_weather", {"date": "2026-12-02", "days": 7})
    assert last_day.startswith("No forecast for 7 days from 2026-12-08 (to 2026-12-14)"), last_day
    assert "at most 1 day from 2026-12-08" in last_day and "Pass days=1 or fewer" in last_day
    assert "a date no later than 2026-12-02 for 7 days" in last_day and "Pass a date in that range" not in last_day
    assert "at most 4 days from 2026-12-05" in near_end and "Pass days=4 or fewer" in near_end
    assert [d["date"] for d in one["days"]] == ["2026-12-08"]
    assert [d["date"] for d in earlier["days"]][-1] == "2026-12-08"


async def test_render_map_returns_a_png_and_a_summary(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        place = (await ok(c, "nav_geocode", {"query": "Ateneum"}))["candidates"][0]["id"]
        result = await c.call_tool(
            "nav_render_map",
            {
                "origin": "Kinopalatsi",
                "destination": "Kiasma",
                "mode": "walking",
                "place_ids": [place],
                "size": "small",
            },
        )
    assert not result.is_error
    text, image = result.content
    assert isinstance(text, TextContent) and isinstance(image, ImageContent)
    assert base64.b64decode(image.data)[:8] == b"\x89PNG\r\n\x1a\n" and image.mime_type == "image/png"
    summary = result.structured_content
    assert summary is not None and summary["width"] == 480
    assert [m["label"] for m in summary["markers"]] == ["A", "B", "1"] and "walking" in summary["route"]


@MODES
async def test_bad_input_gets_errors_that_say_how_to_fix_it(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server, mode=mode) as c:
        empty = await err(c, "nav_geocode", {"query": "  "})
        nowhere = await ok(c, "nav_geocode", {"query": "zzqxw vvvv"})
        no_route = await err(c, "nav_route", {"origin": "zzqxw vvvv", "destination": "Kiasma"})
        abroad = await err(c, "nav_route", {"origin": "39.9042,116.4074", "destination": "Kiasma"})
        off_map = await err(c, "nav_route", {"origin": "60.2050,24.9650", "destination": "Kiasma"})
        blank = await err(c, "nav_route", {"origin": "", "destination": "Kiasma"})
        bad_mode = await err(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "mode": "boat"})
        bad_time = await err(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "depart_at": "soon"})
        bad_place = await err(c, "nav_get_place", {"place_id": "plc_nope"})
        big = await err(c, "nav_distance_matrix", {"origins": ["Kiasma"] * 11, "destinations": ["Oodi"]})
        category = await err(c, "nav_search_places", {"category": "spaceport"})
    assert "empty" in empty and "Mannerheimintie" in empty
    assert nowhere["status"] == "not_found" and nowhere["candidates"] == []
    assert "Nothing in Helsinki matches" in nowhere["message"]
    assert no_route.startswith("origin 'zzqxw vvvv': Nothing in Helsinki matches") and "plc_" in no_route
    assert "outside the service area" in abroad
    assert "No driving route" in off_map and "map covers central Helsinki" in off_map
    assert "origin is empty" in blank
    assert "mode: Input should be 'driving', 'walking', 'cycling' or 'transit' (got 'boat')" in bad_mode
    assert "ISO 8601" in bad_time
    assert "plc_nope" in bad_place and "nav_search_places" in bad_place
    assert "origins: List should have at most 10 items" in big and "not 11" in big
    assert "restaurant" in category


@MODES
async def test_out_of_range_coordinates_are_an_input_error_not_a_crash(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server, mode=mode) as c:
        route = await err(c, "nav_route", {"origin": "91,200", "destination": "Kiasma"})
        matrix = await err(c, "nav_distance_matrix", {"origins": ["Kiasma"], "destinations": ["Oodi", "91,200"]})
        drawn = await err(c, "nav_render_map", {"origin": "Kiasma", "destination": "91,200", "size": "small"})
    for text, field in ((route, "origin"), (matrix, "destinations[1]"), (drawn, "destination")):
        assert text.startswith(f"{field} (91, 200) is not a coordinate"), text
        assert "latitude must be within ±90" in text and "central Helsinki (around lat 60.17, lng 24.94)" in text
        assert "Error executing tool" not in text


async def test_transit_matrix_names_the_end_that_cannot_snap(nav: NavEnv) -> None:
    args = {"origins": ["Kiasma"], "destinations": ["Oodi", "60.2050,24.9650"], "mode": "transit"}
    async with Client(nav.server) as c:
        text = await err(c, "nav_distance_matrix", args)
    assert "the destinations[1] (60.20500, 24.96500) is" in text and "map covers central Helsinki" in text


async def test_transit_matrix_marks_a_pair_without_any_connection_unreachable(
    nav_rw: NavEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    transit = nav_rw.app.state.service.transit
    real_plan = transit.plan

    def plan(a: Any, b: Any, depart: Any, roles: tuple[str, str] = ("origin", "destination")) -> Any:
        if roles[1] == "destinations[1]":  # as if walls stood between: both ends snap, no path joins them
            raise NotFoundError("No walking route connects these points.", "Try another destination.")
        return real_plan(a, b, depart, roles)

    monkeypatch.setattr(transit, "plan", plan)
    async with Client(nav_rw.server) as c:
        got = await ok(c, "nav_distance_matrix", {"origins": ["Kiasma"], "destinations": ["Oodi", "Ateneum"],
                                                  "mode": "transit"})  # fmt: skip
    reach = {(cell["origin"], cell["destination"]): cell for cell in got["cells"]}
    assert reach[(0, 0)]["reachable"] and reach[(0, 0)]["duration_s"] > 0
    assert not reach[(0, 1)]["reachable"] and reach[(0, 1)]["duration_s"] == 0


async def test_geocode_refuses_a_bias_point_outside_the_city(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        text = await err(c, "nav_geocode", {"query": "Kiasma", "near_lat": 39.9, "near_lng": 116.4})
        inside = await ok(c, "nav_geocode", {"query": "Kiasma", "near_lat": 60.17, "near_lng": 24.94})
    assert text.startswith("near_lat/near_lng (39.90000, 116.40000)") and "outside the service area" in text
    assert inside["candidates"][0]["name"] == "Kiasma" and inside["center"] == {"lat": 60.17, "lng": 24.94}
    assert 0 < inside["candidates"][0]["distance_m"] < 1000


async def test_long_text_is_refused_and_not_echoed_back(nav: NavEnv) -> None:
    long = "Mannerheimintie " * 320  # 5,120 characters; 5,119 once stripped
    async with Client(nav.server) as c:
        query = await err(c, "nav_geocode", {"query": long})
        origin = await err(c, "nav_route", {"origin": long, "destination": "Kiasma"})
        tool = next(t for t in (await c.list_tools()).tools if t.name == "nav_geocode")
    assert tool.input_schema["properties"]["query"]["maxLength"] == 200
    assert "query: String should have at most 200 characters" in query and len(query) < 400
    assert "origin: String should have at most 200 characters" in origin and len(origin) < 400
    async with provider(nav.app) as http:
        direct = await http.get("/geocode", params={"query": long})
        nothing = await http.get("/geocode", params={"query": "zq" * 100})
    assert direct.status_code == 422 and direct.json()["details"]["field"] == "query"
    assert len(direct.json()["message"]) < 150
    assert nothing.status_code == 200 and nothing.json()["status"] == "not_found"
    assert len(nothing.json()["message"]) < 250  # the query is clipped, not echoed whole


async def test_weather_asks_the_backend_once_and_reads_relative_days_on_its_clock(
    nav_rw: NavEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = nav_rw.app.state.service
    calls: list[object] = []
    real = svc.weather

    def counted(day: Any, days: int) -> Any:
        calls.append(day)
        return real(day, days)

    monkeypatch.setattr(svc, "weather", counted)
    async with Client(nav_rw.server) as c:
        tomorrow = await ok(c, "nav_weather", {"date": "tomorrow"})
        chinese = await ok(c, "nav_weather", {"date": "明天"})
        bad = await err(c, "nav_weather", {"date": "soon"})
    assert len(calls) == 3
    assert tomorrow["days"][0]["date"] == chinese["days"][0]["date"] == "2026-11-26"
    assert bad.startswith("date 'soon' is not a date") and "YYYY-MM-DD" in bad


async def test_saved_addresses_are_route_ends_by_label_word_and_id_for_their_owner_only(nav: NavEnv) -> None:
    demo_home = nav.sandbox.accounts.list_addresses("usr_demo").addresses[0]
    alice_home = nav.sandbox.accounts.list_addresses("usr_alice").addresses[0]
    async with Client(nav.server) as c:
        found = await ok(c, "nav_geocode", {"query": "Home"})
        by_word = await ok(c, "nav_route", {"origin": "home", "destination": "Kiasma", "mode": "walking"})
        chinese = await ok(c, "nav_route", {"origin": "家", "destination": "work", "mode": "walking"})
        by_id = await ok(c, "nav_route", {"origin": demo_home.id, "destination": "Kiasma", "mode": "walking"})
        foreign = await err(c, "nav_route", {"origin": alice_home.id, "destination": "Kiasma", "mode": "walking"})
    assert found["candidates"][0]["kind"] == "saved" and found["candidates"][0]["id"] == demo_home.id
    assert by_word["origin"]["location"] == demo_home.location.model_dump()
    assert by_word["origin"]["name"].startswith("Home")
    assert chinese["destination"]["name"].startswith("Work")
    assert by_id["origin"]["location"] == by_word["origin"]["location"]
    assert "No address has id" in foreign  # another user's address is nobody's for demo
    async with Client(nav.server_for("usr_alice")) as alice:
        hers = await ok(alice, "nav_route", {"origin": "home", "destination": "Kiasma", "mode": "walking"})
    assert hers["origin"]["location"] == alice_home.location.model_dump()


async def test_a_departure_far_from_today_is_an_input_error_not_a_crash(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        texts = [
            await err(c, tool, {"origin": "Kiasma", "destination": "Oodi", "depart_at": when})
            for tool in ("nav_route", "nav_render_map")
            for when in ("0001-01-02T00:00", "9999-12-31T23:00+00:00")
        ]
    assert all("more than a year from today" in t for t in texts), texts


async def test_the_route_prompt_completes_modes_and_the_users_own_places(nav: NavEnv) -> None:
    ref = PromptReference(type="ref/prompt", name="get_me_there")
    async with Client(nav.server) as c:
        modes = await c.complete(ref, {"name": "mode", "value": "tr"})
        places = await c.complete(ref, {"name": "origin", "value": "g"})
        unknown = await c.complete(PromptReference(type="ref/prompt", name="nope"), {"name": "x", "value": ""})
        prompt = await c.get_prompt("get_me_there", {"destination": "Kiasma"})
    assert modes.completion.values == ["transit"]
    assert places.completion.values == ["Gym"]  # usr_demo's saved 'Gym', before any landmark
    assert unknown.completion.values == []
    assert "Kiasma" in str(prompt.messages[0].content)


async def test_a_prompt_without_its_required_argument_or_unknown_is_the_callers_mistake(nav: NavEnv) -> None:
    """get_me_there without destination, and a prompt name that is not one, were 'Internal server error' (-32603):
    an error that reads as the server's and says nothing of what to send. They are invalid params, saying what."""
    async with Client(nav.server) as c:
        with pytest.raises(MCPError) as missing:
            await c.get_prompt("get_me_there", {"origin": "home"})
        with pytest.raises(MCPError) as unknown:
            await c.get_prompt("take_me_home", {})
    assert missing.value.error.code == unknown.value.error.code == INVALID_PARAMS
    assert missing.value.error.message.startswith("Prompt get_me_there needs destination."), missing.value.error
    assert "destination, origin (optional), mode (optional)" in missing.value.error.message
    assert "There is no prompt 'take_me_home'" in unknown.value.error.message, unknown.value.error


async def test_a_place_name_where_a_place_id_goes_is_refused_with_its_id(nav: NavEnv) -> None:
    """nav_get_place('Oodi') and a map's place_ids ['Oodi'] were 'No place has id 'Oodi'', where every other server
    names the id a name stands for: the same refusal here, with the branches of a chain told apart by address."""
    async with Client(nav.server) as c:
        oodi = await err(c, "nav_get_place", {"place_id": "Oodi"})
        chain = await err(c, "nav_render_map", {"place_ids": ["plc_w596937289", "McDonalds"]})
        nothing = await err(c, "nav_get_place", {"place_id": "Dune cinema"})
        by_id = await ok(c, "nav_get_place", {"place_id": "plc_w596937289"})
    assert oodi.startswith("place_id 'Oodi' is a name, not an id: Helsingin keskustakirjasto Oodi"), oodi
    assert "is plc_w596937289. Call again with place_id='plc_w596937289'" in oodi and by_id["name"].endswith("Oodi")
    assert chain.startswith("place_ids[1] 'McDonalds' is a name, not an id, and names 3"), chain
    assert "McDonald's (Mannerheimintie 16, 00100 Helsinki): plc_n1369465624" in chain, chain
    assert "is not an id" in nothing and "nav_geocode" in nothing, nothing


async def test_a_kind_searched_lists_the_nearest_first_even_past_one_named_as_the_kind(nav: NavEnv) -> None:
    """'ATM' listed the cash machine OpenStreetMap names just 'ATM' (192 m) before the nearest (83 m): a name that is
    the query scored it as the place asked for by name. A place named only as its kind is one of them; a name beside
    the kind ('Oodi library') still comes first."""
    async with Client(nav.server) as c:
        kinds = {q: await ok(c, "nav_search_places", {"query": q, "limit": 20}) for q in ("ATM", "取款机")}
        named = await ok(c, "nav_search_places", {"query": "Oodi library", "limit": 5})
    for q, page in kinds.items():
        distances = [p["distance_m"] for p in page["places"]]
        assert page["places"] and distances == sorted(distances), (q, page["places"][:3])
    assert named["places"][0]["name"] == "Helsingin keskustakirjasto Oodi"


async def test_a_bike_in_any_wording_is_a_city_bike_station(nav: NavEnv) -> None:
    """'自行车' (bicycle) and 'bike' found nothing within 1000 m, though 15 city bike stations are on the map: only
    '单车', 'city bike' and the like were the kind's words."""
    async with Client(nav.server) as c:
        said = {q: await ok(c, "nav_search_places", {"query": q, "limit": 5}) for q in ("自行车", "bike", "共享单车")}
    for q, page in said.items():
        assert page["places"] and all(p["category"] == "bicycle_rental" for p in page["places"]), (q, page)
    assert said["自行车"]["places"] == said["共享单车"]["places"]


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("买药", "pharmacy"),  # 'buy medicine': nothing within 1000 m, six pharmacies on the map
        ("where can I buy medicine", "pharmacy"),
        ("可以买药的地方", "pharmacy"),
        ("能吃早餐的地方", "cafe"),  # 'somewhere for breakfast': read as the cuisine, which no café records
        ("breakfast", "cafe"),
        ("附近哪里可以停车", "parking"),
        ("car park", "parking"),
        ("取钱", "atm"),
        ("卖花的店", "florist"),
        ("买菜", "supermarket"),
    ],
)
async def test_a_kind_of_place_said_by_what_one_does_there_is_that_kind(nav: NavEnv, query: str, kind: str) -> None:
    """People ask for a pharmacy by what they need ('买药', 'buy medicine'), a café by breakfast, a car park as
    '停车' or 'car park': those found nothing, being no kind's word."""
    async with Client(nav.server) as c:
        page = await ok(c, "nav_search_places", {"query": query, "limit": 5})
    assert page["places"] and all(p["category"] == kind for p in page["places"]), (page["note"], page["places"][:2])
    nearby = "附近" in query  # said with no position: measured from the centre, and the note says so
    assert page["note"].startswith("Measured from the city centre") if nearby else page["note"] == "", page["note"]


async def test_places_are_searched_around_a_named_place_said_apart_or_in_the_query(nav: NavEnv) -> None:
    """'cafe near Kamppi' was searched as a name around the city centre: the cafés came a kilometre from Kamppi. The
    place is resolved as a route's end is (an ambiguous one refused with its candidates, unless they are all one
    spot: 'Engel' names the cinema, its summer cinema and its café, around one courtyard), in English or Chinese."""
    async with Client(nav.server) as c:
        apart = await ok(c, "nav_search_places", {"query": "cafe", "near": "Kamppi", "limit": 5})
        said = await ok(c, "nav_search_places", {"query": "cafe near Kamppi", "limit": 5})
        chinese = await ok(c, "nav_search_places", {"query": "坎皮附近的咖啡", "limit": 5})
        centre = await ok(c, "nav_search_places", {"query": "cafe", "limit": 5})
        unclear = await err(c, "nav_search_places", {"query": "cafe near Hanko Sushi"})  # five branches
        engel = await ok(c, "nav_search_places", {"query": "sushi near Engel"})
        picked = await ok(c, "nav_search_places", {"query": "sushi near Engel", "near": "plc_n307465178"})
        named = await ok(c, "nav_search_places", {"query": "Around the World", "limit": 5})  # a name, no place
    kamppi = {"lat": 60.1688, "lng": 24.933}  # shared.districts
    assert apart["center"] == said["center"] == chinese["center"] == kamppi
    assert apart["places"] == said["places"] == chinese["places"] and apart["places"][0]["category"] == "cafe"
    assert centre["places"] != apart["places"]
    assert "nothing was searched" in unclear and "plc_n6139262609" in unclear, unclear
    assert picked["center"] != centre["center"] and picked["places"], picked
    assert engel["places"] and engel["note"].startswith("Searched around ") and "Engel" in engel["note"], engel
    assert haversine_m(GeoPoint(**engel["center"]), GeoPoint(**picked["center"])) < 300
    assert named["center"] == centre["center"]


@pytest.mark.parametrize(
    ("query", "kind", "district"),
    [
        ("restaurants in Kamppi", "restaurant", "Kamppi"),
        ("Kamppi restaurants", "restaurant", "Kamppi"),
        ("坎皮的餐厅", "restaurant", "Kamppi"),
        ("kahvila Kampissa", "cafe", "Kamppi"),
        ("红山的酒吧", "bar", "Punavuori"),
        ("cafés in the Kruununhaka area", "cafe", "Kruununhaka"),
    ],
)
async def test_a_district_said_beside_a_kind_of_place_is_where_to_look(
    nav: NavEnv, query: str, kind: str, district: str
) -> None:
    """'restaurants in Kamppi' and '坎皮的餐厅' listed the city centre's restaurants, the district left out as 'in no
    name here'; only 'near Kamppi' / '坎皮附近' moved the search. Said beside a kind, a district is where to look, as
    'near' says it; a place of that kind named for it keeps the name ('pharmacy Kluuvi': Kluuvin Apteekki first)."""
    async with Client(nav.server) as c:
        page = await ok(c, "nav_search_places", {"query": query, "limit": 5})
        near = await ok(c, "nav_search_places", {"query": kind, "near": district, "limit": 5})
        named = await ok(c, "nav_search_places", {"query": "pharmacy Kluuvi", "limit": 1})
    assert page["center"] == near["center"] and page["places"] == near["places"], page["note"]
    assert page["places"] and all(p["category"] == kind for p in page["places"])
    assert page["note"] == f"Read '{district}' as where to look: places around the district's centre.", page["note"]
    assert named["places"][0]["name"] == "Kluuvin Apteekki" and named["note"] == "", named


async def test_open_late_and_open_today_said_in_the_query_filter_by_the_hours(nav_rw: NavEnv) -> None:
    """'cafe open late' and 'museum open today' had those words left out as in no name: cafés closing at 18:00 and a
    museum closed all day were listed. 'Open late' keeps the places open at 23:00 tonight, 'open today' those open
    now or later today, as their notes say."""
    async with Client(nav_rw.server) as c:
        late = await every_page(c, "nav_search_places", "places", {"query": "cafe open late"}, 20)
        today = await every_page(c, "nav_search_places", "places", {"query": "museum open today"}, 20)
        museums = await every_page(c, "nav_search_places", "places", {"query": "museum"}, 20)
        note = (await ok(c, "nav_search_places", {"query": "深夜营业的咖啡馆"}))["note"]
        open_later: set[str] = set()
        now = nav_rw.clock.now()
        at_eleven: list[dict[str, object]] = []
        for hour, minute in [(h, 30) for h in range(now.hour, 23)] + [(23, 0), (23, 30)]:  # the rest of today
            nav_rw.clock.set(now.replace(hour=hour, minute=minute))
            found = await every_page(c, "nav_search_places", "places", {"query": "museum", "open_now": True}, 20)
            open_later |= {p["id"] for p in found}
            if (hour, minute) == (23, 0):
                at_eleven = await every_page(c, "nav_search_places", "places", {"query": "cafe", "open_now": True}, 20)
    assert late and {p["id"] for p in late} == {p["id"] for p in at_eleven}
    assert {p["id"] for p in today} == open_later < {p["id"] for p in museums}, "some museum must be shut today"
    assert note.startswith("Read as open late: only places open at 23:00 tonight"), note


async def test_open_late_in_the_small_hours_means_open_now(nav_rw: NavEnv) -> None:
    """At 01:15 'open late' kept the places open at 23:00 the coming evening, 22 hours away, and the note said
    'tonight': in the small hours it is the places open now (``shared.hours.late_from``, as food reads it). '还开着的'
    (still open) is open now here as it is to food: it was searched as a name."""
    now = nav_rw.clock.now()
    small_hours = (now + timedelta(days=1)).replace(hour=1, minute=15)
    async with Client(nav_rw.server) as c:
        nav_rw.clock.set(small_hours)
        late = await ok(c, "nav_search_places", {"query": "bar open late", "limit": 20})
        open_now = await ok(c, "nav_search_places", {"query": "bar", "open_now": True, "limit": 20})
        still_open = await ok(c, "nav_search_places", {"query": "还开着的酒吧", "limit": 20})
        bars_open = await ok(c, "nav_search_places", {"query": "酒吧", "open_now": True, "limit": 20})
        nav_rw.clock.set(small_hours.replace(hour=23, minute=0))
        at_eleven = await ok(c, "nav_search_places", {"query": "bar", "open_now": True, "limit": 20})
    ids = [p["id"] for p in late["places"]]
    assert ids and ids == [p["id"] for p in open_now["places"]], (late, open_now)
    assert ids != [p["id"] for p in at_eleven["places"]], "some bar must close between 23:00 and 01:15"
    assert late["note"].startswith("Read as open late: only places open at 01:15 (now)"), late["note"]
    assert still_open["places"] and still_open["places"] == bars_open["places"], (still_open, bars_open)


async def test_places_open_round_the_clock_or_now_as_the_query_says(nav: NavEnv) -> None:
    """'24小时便利店' found nothing (searched as a name; and a Chinese kind inside a longer query was not read), '24h
    pharmacy' listed pharmacies shut at night, and an empty page or a word matched by nothing said nothing. Hours
    words are filters now, taken out of the words to match, and the note says how the query was read."""
    async with Client(nav.server) as c:
        shops = {
            q: await ok(c, "nav_search_places", {"query": q, "limit": 20}) for q in ("24小时便利店", "24h convenience")
        }
        every_shop = await ok(c, "nav_search_places", {"query": "便利店", "limit": 20})
        pharmacy = await ok(c, "nav_search_places", {"query": "24h pharmacy"})
        open_now = await ok(c, "nav_search_places", {"query": "pharmacy open now", "limit": 20})
        pharmacies = await ok(c, "nav_search_places", {"query": "pharmacy", "limit": 20})
        cafes = await ok(c, "nav_search_places", {"query": "xyzzy cafe"})
        cafe = await ok(c, "nav_search_places", {"query": "cafe"})
        nothing = await ok(c, "nav_search_places", {"query": "qwertyuiop"})
    round_the_clock = {p["id"] for p in shops["24小时便利店"]["places"]}
    assert round_the_clock == {p["id"] for p in shops["24h convenience"]["places"]}
    assert round_the_clock < {p["id"] for p in every_shop["places"]}
    assert all(p["category"] == "convenience" and p["open_status"] == "open" for p in shops["24小时便利店"]["places"])
    assert "only places open 24/7" in shops["24小时便利店"]["note"]
    assert pharmacy["places"] == [] and "open round the clock: widen radius_m" in pharmacy["note"], pharmacy["note"]
    assert open_now["places"] and all(p["open_status"] == "open" for p in open_now["places"])
    assert len(open_now["places"]) < len(pharmacies["places"]) and "Read as open now" in open_now["note"]
    assert [p["id"] for p in cafes["places"]] == [p["id"] for p in cafe["places"]]
    assert "'xyzzy' is in no name here, so it was left out" in cafes["note"] and cafe["note"] == ""
    assert nothing["places"] == [] and nothing["note"].startswith("Nothing within 5000 m, the widest a search reaches")


async def test_metro_and_railway_stations_are_told_apart(nav: NavEnv) -> None:
    """OSM tags metro and railway stations alike ('station'): 'metro station' near the Central Station listed the
    railway station first, '地铁站' listed every railway station, 'train station' the metro, 'subway station' the
    Subway restaurants, and every one read 'Station 车站'. A line said keeps that line's stations (by their metro
    stop), the label says which line a station serves, and the note says what was left out."""
    metro, rail = {"plc_n418089207", "plc_n418089202"}, {"plc_w122595198", "plc_n25389429"}
    async with Client(nav.server) as c:
        asked = {
            q: await ok(c, "nav_search_places", {"query": q, "near": "Helsinki Central Station", "limit": 20})
            for q in ("metro station", "地铁站", "subway station", "metroasema", "train station", "火车站")
        }
        every = await ok(c, "nav_search_places", {"category": "station", "near": "Helsinki Central Station"})
        named = await ok(c, "nav_search_places", {"query": "Rautatientori metro station"})
        place = await ok(c, "nav_get_place", {"place_id": "plc_n418089207"})
    stations = {q: {p["id"] for p in page["places"] if p["category"] == "station"} for q, page in asked.items()}
    for q in ("metro station", "地铁站", "subway station", "metroasema"):
        assert stations[q] == metro and asked[q]["places"][0]["id"] in metro, (q, asked[q]["places"])
        assert asked[q]["note"] == "Read as metro stations: railway stations are left out.", (q, asked[q]["note"])
    assert all(p["category"] == "station" for p in asked["subway station"]["places"])  # no Subway sandwiches
    for q in ("train station", "火车站"):
        assert stations[q] == rail and asked[q]["places"][0]["id"] in rail, (q, asked[q]["places"])
        assert asked[q]["note"] == "Read as railway stations: metro stations are left out.", (q, asked[q]["note"])
    labels = {p["id"]: p["category_label"] for p in every["places"]}
    assert labels == {**dict.fromkeys(metro, "Metro station 地铁站"), **dict.fromkeys(rail, "Railway station 火车站")}
    assert named["places"][0]["id"] == "plc_n418089207", named["places"][:2]
    assert place["category_label"] == "Metro station 地铁站"


async def test_the_nearest_kind_to_a_named_place_is_searched_around_it(nav: NavEnv) -> None:
    """'离赫尔辛基大教堂最近的地铁站' ('the metro station nearest the cathedral') searched the whole phrase around the
    centre, reading 教堂 as a kind; 'nearest metro station to Helsinki Cathedral' and 'pharmacy closest to Oodi'
    likewise. They say where, as 'near' does."""
    async with Client(nav.server) as c:
        said = {
            q: await ok(c, "nav_search_places", {"query": q, "limit": 3})
            for q in (
                "离赫尔辛基大教堂最近的地铁站",
                "nearest metro station to Helsinki Cathedral",
                "pharmacy closest to Oodi",
            )
        }
        apart = await ok(c, "nav_search_places", {"query": "metro station", "near": "Helsinki Cathedral", "limit": 3})
        pharmacy = await ok(c, "nav_search_places", {"query": "pharmacy", "near": "Oodi", "limit": 3})
    for q in ("离赫尔辛基大教堂最近的地铁站", "nearest metro station to Helsinki Cathedral"):
        assert said[q]["center"] == apart["center"] and said[q]["places"] == apart["places"], said[q]
        assert said[q]["places"][0]["name"] == "Helsingin yliopisto", said[q]["places"]
    assert said["pharmacy closest to Oodi"]["places"] == pharmacy["places"]
    assert all(p["category"] == "pharmacy" for p in pharmacy["places"])


async def test_public_toilets_are_on_the_map_by_what_people_call_them(nav: NavEnv) -> None:
    """OpenStreetMap names no public toilet, so none was a place: '附近的厕所' found nothing and 'public toilet'
    listed pubs ('Kitty's Public House'). Each is a place of its kind, named by who runs it where OSM says, with
    its hours and wheelchair access; the station's, mapped once per door, is one place."""
    async with Client(nav.server) as c:
        pages = {
            q: await ok(c, "nav_search_places", {"query": q, "limit": 20, "radius_m": 5000})
            for q in ("public toilet", "厕所", "卫生间", "wc")
        }
        kind = await ok(c, "nav_search_places", {"category": "toilets", "limit": 20, "radius_m": 5000})
        station = await ok(c, "nav_get_place", {"place_id": "plc_n4642563718"})
    ids = {p["id"] for p in kind["places"]}
    assert len(ids) == 15 and all(p["category_label"] == "Public toilet 公共厕所" for p in kind["places"])
    for q, page in pages.items():  # every toilet first ('public toilet': then places only named 'Public …')
        assert {p["id"] for p in page["places"][: len(ids)]} == ids, (q, [p["name"] for p in page["places"]])
    names = {p["name"] for p in kind["places"]}
    assert {"Public toilet", "Public toilet (Sokos Hakaniemi)"} <= names
    assert station["wheelchair"] == "yes" and station["address"].startswith("Elielinaukio 3")
    assert "plc_n4642563719" not in ids and "plc_n4642563720" not in ids


@pytest.mark.parametrize(
    ("queries", "cuisine", "word"),
    [
        (("italian restaurant", "意大利餐厅", "附近的意大利餐厅"), "italian", "italian"),
        (("中餐馆", "中餐厅", "chinese restaurant"), "chinese", "chinese"),
        (("日本料理店", "japanese restaurant"), "japanese", "japanese"),
    ],
)
async def test_a_cuisine_said_beside_restaurant_keeps_the_places_that_cook_it(
    nav: NavEnv, queries: tuple[str, ...], cuisine: str, word: str
) -> None:
    """'italian restaurant' and '意大利餐厅' listed every restaurant, nearest first (the cuisine was searched as a name,
    then left out); '日本料理店' found nothing. A cuisine said beside a kind of place keeps those OpenStreetMap records
    as cooking it, or named for it."""
    wide = {"limit": 20, "radius_m": 3000}
    async with Client(nav.server) as c:
        pages = [await ok(c, "nav_search_places", {"query": q, **wide}) for q in queries]
        every = await ok(c, "nav_search_places", {"category": "restaurant", **wide})
    places = nav.app.state.service.place_by_id
    found = [p["id"] for p in pages[0]["places"]]
    # the same places (a name that is the query itself ranks first, as for every kind)
    assert found and all({p["id"] for p in page["places"]} == set(found) for page in pages)
    assert all(cuisine in places[i].data["cuisines"] or word in places[i].data["name"].lower() for i in found)
    assert len(found) < every["page"]["total"] and all(p["category"] == "restaurant" for p in pages[0]["places"])
    assert pages[0]["note"].startswith("Read as "), pages[0]["note"]


@pytest.mark.parametrize(
    ("queries", "cuisine", "words"),
    [
        (("寿司", "寿司店", "sushi places", "能吃寿司的地方", "sushi"), "sushi", ("sushi",)),
        (("甜品店", "面包店", "甜品", "desserts"), "bakery", ("bakery", "konditoria")),
    ],
)
async def test_a_cuisine_alone_lists_the_places_that_cook_it(
    nav: NavEnv, queries: tuple[str, ...], cuisine: str, words: tuple[str, ...]
) -> None:
    """'寿司' (sushi), '寿司店' (a sushi bar), '甜品店' or '面包店' found nothing: 'Nothing within 5000 m matches by
    name or kind', though '寿司餐厅' listed the sushi bars; 'sushi places' listed statues (a 'place' of no kind). A
    cuisine alone, or beside a word for a shop, is where they cook it, as on Amap: the places of every kind where
    one eats that a cuisine said beside 'restaurant' or 'cafe' keeps of that kind."""
    wide = {"limit": 20, "radius_m": 3000}
    async with Client(nav.server) as c:
        pages = [await ok(c, "nav_search_places", {"query": q, **wide}) for q in queries]
        cafes = await ok(c, "nav_search_places", {"query": f"{queries[-1]} cafe", **wide})
    places = nav.app.state.service.place_by_id
    found = {p["id"] for p in pages[-1]["places"]}
    assert {p["id"] for p in cafes["places"]} <= found  # of every kind of eating place: the cafés among them
    assert found and all({p["id"] for p in page["places"]} == found for page in pages), [
        [p["name"] for p in page["places"]] for page in pages
    ]
    named = lambda i: any(w in places[i].data["name"].lower() for w in words)  # noqa: E731
    assert all(cuisine in places[i].data["cuisines"] or named(i) for i in found)
    assert all(page["note"].startswith("Read as ") for page in pages), [page["note"] for page in pages]


async def test_a_kind_said_lists_other_places_only_named_with_every_word(nav: NavEnv) -> None:
    """'public toilet' listed the toilets, then two pubs called 'Public House' (a word of the query in their name).
    Beside the places of the kind said, a place of another kind is listed only where its name holds every word of the
    query: 'park' still finds Q-Park after the parks."""
    wide = {"limit": 20, "radius_m": 3000}
    async with Client(nav.server) as c:
        toilets = await every_page(c, "nav_search_places", "places", {"query": "public toilet", **wide}, 20)
        parks = await every_page(c, "nav_search_places", "places", {"query": "park", **wide}, 20)
    assert toilets and {p["category"] for p in toilets} == {"toilets"}, [p["name"] for p in toilets]
    kinds = [p["category"] for p in parks]
    assert "parking" in kinds and kinds.index("parking") > kinds.index("park")


@pytest.mark.parametrize(
    ("queries", "kind", "one"),
    [
        (("书店", "bookshop", "kirjakauppa"), "books", "Akateeminen Kirjakauppa"),
        (("理发店", "hairdresser", "barber"), "hairdresser", ""),
        (("购物中心", "shopping centre", "商场"), "mall", "Forum"),
        (("公交站", "bus station"), "bus_station", "Elielinaukio"),
        (("换钱", "currency exchange"), "bureau_de_change", "Forex Bank"),
        (("大使馆", "embassy"), "embassy", ""),
        # gyms, saunas, chargers, city bikes, taxis, market halls and the ferry found nothing: not read from the map
        (("健身房", "fitness centre", "kuntosali"), "gym", "Motivus"),  # "gym" also lists Gymnasiet Lärkan after
        (("桑拿", "sauna", "游泳馆"), "swimming_pool", "Yrjönkadun uimahalli"),
        (("充电桩", "EV charging"), "charging_station", "EV charging, Elielinaukio"),
        (("city bike", "共享单车"), "bicycle_rental", "Kiasma kaupunkipyöräasema"),
        (("打车", "taxi"), "taxi", "Taxi stand, Kaivokatu"),
        (("菜市场", "market hall"), "marketplace", "Vanha Kauppahalli"),
        (("渡轮", "ferry"), "ferry_terminal", "Kolera-allas"),
    ],
)
async def test_the_shops_and_offices_people_ask_for_are_kinds_of_place(
    nav: NavEnv, queries: tuple[str, ...], kind: str, one: str
) -> None:
    """'书店' (bookshop), '理发店', '购物中心', '公交站' found nothing: every shop was a 'shop' and an embassy or the
    bus terminal 'other'. OpenStreetMap's shop and amenity types people ask for are kinds of their own."""
    wide = {"limit": 20, "radius_m": 3000}
    async with Client(nav.server) as c:
        pages = [await ok(c, "nav_search_places", {"query": q, **wide}) for q in queries]
        by_kind = await ok(c, "nav_search_places", {"category": kind, **wide})
    for q, page in zip(queries, pages, strict=True):
        assert page["places"] and {p["category"] for p in page["places"]} == {kind}, (q, page.get("note"))
        assert {p["id"] for p in page["places"]} == {p["id"] for p in by_kind["places"]}, q
    assert not one or one in {p["name"] for p in by_kind["places"]}


async def test_wheelchair_access_said_in_the_query_keeps_the_places_that_have_it(nav: NavEnv) -> None:
    """'无障碍厕所' and 'wheelchair accessible toilet' listed every toilet whatever its access (the words were
    searched as a name and matched nothing). They keep the places OpenStreetMap records as accessible ('yes', or
    'limited'), say so, and show each place's access."""
    async with Client(nav.server) as c:
        wide = {"limit": 20, "radius_m": 5000}
        every = await ok(c, "nav_search_places", {"query": "厕所", **wide})
        said = {q: await ok(c, "nav_search_places", {"query": q, **wide})
                for q in ("无障碍厕所", "wheelchair accessible toilet", "accessible toilets")}  # fmt: skip
        cafes = await ok(c, "nav_search_places", {"query": "轮椅能进的咖啡馆", **wide})
    accessible = [p["id"] for p in every["places"] if p["wheelchair"] in ("yes", "limited")]
    assert 0 < len(accessible) < len(every["places"])
    for q, page in said.items():
        assert [p["id"] for p in page["places"]] == accessible, q
        assert page["note"].startswith("Read as wheelchair accessible"), page["note"]
    assert cafes["places"] and all(p["category"] == "cafe" for p in cafes["places"])
    assert all(p["wheelchair"] in ("yes", "limited") for p in cafes["places"])


async def test_a_page_the_hours_left_empty_names_the_nearest_places_that_keep_other_hours(nav: NavEnv) -> None:
    """'24小时营业的药店' (a pharmacy open round the clock) said only 'Nothing within 1000 m matches 药店', though six
    pharmacies were there, and at 5000 m it still said 'widen radius_m (up to 5000)'. The note names the nearest that
    match at other hours, with today's hours, and never asks for a radius beyond the widest."""
    async with Client(nav.server) as c:
        night = await ok(c, "nav_search_places", {"query": "24小时营业的药店"})
        widest = await ok(c, "nav_search_places", {"query": "24h pharmacy", "radius_m": 5000})
        pharmacies = await ok(c, "nav_search_places", {"query": "pharmacy", "limit": 3})
        nothing = await ok(c, "nav_search_places", {"query": "qwertyuiop", "radius_m": 5000})
    nearest = [p["name"] for p in pharmacies["places"]]
    for page in (night, widest):
        assert page["places"] == [] and "match but keep other hours, nearest first: " in page["note"], page["note"]
        listed = page["note"].split("nearest first: ")[1]
        assert [part.split(" (")[0] for part in listed.split("; ")] == nearest, listed
        assert "today 07:00–24:00" in listed or "hours unknown" in listed, listed
    assert "widen radius_m (up to 5000)" in night["note"] and "widen" not in widest["note"], widest["note"]
    assert nothing["note"] == "Nothing within 5000 m matches 'qwertyuiop': search by kind (category).", nothing["note"]


async def test_a_police_station_asked_for_is_answered_with_the_emergency_number(nav: NavEnv) -> None:
    """'警察局', '派出所' and 'police station' were told to widen a radius no wider one could match (the map has no
    police station): the note says so and gives the emergency number, not a railway station for 'station'."""
    async with Client(nav.server) as c:
        asked = ("警察局", "附近的派出所", "police station")
        pages = {q: await ok(c, "nav_search_places", {"query": q}) for q in asked}
    for q, page in pages.items():
        assert page["places"] == [] and page["note"].startswith("The map has no police stations"), (q, page["note"])
        assert "call 112" in page["note"] and "widen" not in page["note"], q


async def test_what_the_map_has_none_of_is_said_so_not_left_to_a_wider_radius(nav: NavEnv) -> None:
    """'加油站' (a fuel station) was told to widen the radius, which could never find one: the map has none; 'gas
    station' listed railway stations by its 'station'; 'qwertyuiop' was told to widen a radius no wider one matches.
    A name the map has beyond the radius still says to widen it."""
    async with Client(nav.server) as c:
        fuel = {q: await ok(c, "nav_search_places", {"query": q}) for q in ("加油站", "nearest gas station",
                                                                            "petrol station near Kamppi")}  # fmt: skip
        nowhere = await ok(c, "nav_search_places", {"query": "qwertyuiop"})
        far = await ok(c, "nav_search_places", {"query": "Kiasma", "near": "Kamppi", "radius_m": 100})
        trains = await ok(c, "nav_search_places", {"query": "train station"})
    for q, page in fuel.items():
        assert page["places"] == [] and page["note"].startswith("The map has no fuel stations"), (q, page["note"])
        assert "widen" not in page["note"] and "充电桩" in page["note"], q
    assert nowhere["note"].startswith("Nothing within 5000 m, the widest a search reaches, matches 'qwertyuiop'")
    assert "a wider radius will not find it" in nowhere["note"] and "widen" not in nowhere["note"], nowhere["note"]
    assert far["note"].startswith("Nothing within 100 m matches 'Kiasma': widen radius_m"), far["note"]
    assert trains["places"] and all(p["category"] == "station" for p in trains["places"])


async def test_a_day_a_place_must_be_open_on_keeps_those_open_that_day(nav: NavEnv) -> None:
    """'pharmacy open on Sunday' and '周日开门的药店' listed every pharmacy, the day left out as 'in no name here',
    and '明天早上7点开门的药店' (open tomorrow at 7) found nothing: a day keeps the places open some time on it, an hour
    of a day those open then, and a page the hours left empty gives the nearest's hours on that day, not today's."""
    svc = nav.app.state.service
    sunday = date(2026, 11, 29)  # the sandbox's clock: Wednesday 25 November
    async with Client(nav.server) as c:
        said = {q: await ok(c, "nav_search_places", {"query": q})
                for q in ("pharmacy open on Sunday", "周日开门的药店")}  # fmt: skip
        every = await ok(c, "nav_search_places", {"query": "pharmacy"})
        early = await ok(c, "nav_search_places", {"query": "明天早上7点开门的药店"})
        none = await ok(c, "nav_search_places", {"query": "pharmacy open tomorrow at 5am"})
    places = {p.row.id: p for p in svc.places}
    open_sunday = [p["id"] for p in every["places"] if svc._open_on_day(places[p["id"]], sunday)]
    assert 0 < len(open_sunday) < len(every["places"]), open_sunday
    for q, page in said.items():
        assert [p["id"] for p in page["places"]] == open_sunday, q
        assert "only places open some time on Sun 29 Nov" in page["note"], page["note"]
    seven = datetime(2026, 11, 26, 7, 0, tzinfo=CITY_TZ)
    assert [p["id"] for p in early["places"]] == [
        p["id"] for p in every["places"] if svc.open_status(places[p["id"]], seven) == "open"
    ]
    assert "open at 07:00 Thu" in early["note"], early["note"]
    assert none["places"] == [] and "keep other hours" in none["note"], none["note"]
    assert "today" not in none["note"].split("nearest first: ")[1], none["note"]


async def test_an_hour_a_place_must_be_open_at_is_read_before_where(nav_rw: NavEnv) -> None:
    """'restaurants near Kinopalatsi open after 11pm' was 'Nothing in Helsinki matches Kinopalatsi open after 11pm':
    the place said ran to the end of the query. Hours words are read first, and an hour said ('open after 11pm',
    '营业到12点以后', 'open until midnight') is the moment the places must be open at."""
    async with Client(nav_rw.server) as c:
        said = await every_page(
            c, "nav_search_places", "places", {"query": "restaurants near Kinopalatsi open after 11pm"}, 20
        )
        midnight = await ok(c, "nav_search_places", {"query": "基诺宫附近营业到12点以后的餐厅"})
        morning = await ok(c, "nav_search_places", {"query": "cafe open at 7am"})
        kamppi = await every_page(c, "nav_search_places", "places", {"query": "cafe near Kamppi open now"}, 20)
        kamppi_apart = await every_page(
            c, "nav_search_places", "places", {"query": "cafe", "near": "Kamppi", "open_now": True}, 20
        )
        now = nav_rw.clock.now()
        nav_rw.clock.set(now.replace(hour=23, minute=0))
        at_eleven = await every_page(
            c, "nav_search_places", "places", {"query": "restaurant", "near": "Kinopalatsi", "open_now": True}, 20
        )
    assert said and [p["id"] for p in said] == [p["id"] for p in at_eleven]
    assert midnight["note"].startswith("Read as open at the hour said: only places open at 00:00 Thu"), midnight["note"]
    assert kamppi and kamppi == kamppi_apart
    assert morning["note"].startswith("Read as open at the hour said: only places open at 07:00 Thu"), morning["note"]


async def test_an_hour_said_with_still_open_is_that_hour_not_now(nav_rw: NavEnv) -> None:
    """'基诺宫附近晚上10点还开门的餐厅' (restaurants near Kinopalatsi still open at 10 pm) was read as open now,
    '还开门的' taken for 'still open', and '晚上10点' left out as in no name: at noon it listed what is open at noon.
    The hour said with it is the moment, as 'open after 10pm' is."""
    async with Client(nav_rw.server) as c:
        said = await every_page(c, "nav_search_places", "places", {"query": "基诺宫附近晚上10点还开门的餐厅"}, 20)
        note = (await ok(c, "nav_search_places", {"query": "基诺宫附近晚上10点还开门的餐厅"}))["note"]
        english = await every_page(
            c, "nav_search_places", "places", {"query": "restaurants near Kinopalatsi open after 10pm"}, 20
        )
        now = await every_page(c, "nav_search_places", "places", {"query": "基诺宫附近现在还开门的餐厅"}, 20)
    assert note.startswith("Read as open at the hour said: only places open at 22:00 Wed"), note
    assert "晚上10点" not in note and said and [p["id"] for p in said] == [p["id"] for p in english]
    assert [p["id"] for p in said] != [p["id"] for p in now]  # noon's list is another


async def test_best_rated_said_is_answered_with_the_map_keeping_no_ratings(nav: NavEnv) -> None:
    """'评分高的咖啡馆' (top-rated cafés) said only that '评分高的' is in no name: the map has no ratings, and the note
    says so and where ratings are (restaurants that deliver); the cafés are those of a plain 'cafe' search."""
    async with Client(nav.server) as c:
        rated = {q: await ok(c, "nav_search_places", {"query": q}) for q in ("评分高的咖啡馆", "top rated cafe")}
        plain = await ok(c, "nav_search_places", {"query": "咖啡馆"})
    for q, page in rated.items():
        assert page["places"] and page["places"] == plain["places"], q
        assert page["note"].startswith("Read as asking for the best rated: the map keeps no ratings"), page["note"]
        assert "in no name here" not in page["note"], page["note"]


async def test_weather_for_days_joined_the_next_few_days_or_a_date_time(nav: NavEnv) -> None:
    """'周五到周日' (Friday to Sunday), '未来三天' (the next three days) and an ISO date-time were 'not a date': they
    are the days from the first to the last, today and the days after it, and the date-time's day."""
    async with Client(nav.server) as c:
        said = {
            q: [d["date"] for d in (await ok(c, "nav_weather", {"date": q}))["days"]]
            for q in ("周五到周日", "Friday to Sunday", "未来三天", "next 3 days", "2026-11-27T19:00:00+02:00")
        }
    weekend = ["2026-11-27", "2026-11-28", "2026-11-29"]  # the sandbox's clock: Wednesday 25 November
    assert said["周五到周日"] == said["Friday to Sunday"] == weekend, said
    assert said["未来三天"] == said["next 3 days"] == ["2026-11-25", "2026-11-26", "2026-11-27"], said
    assert said["2026-11-27T19:00:00+02:00"] == ["2026-11-27"], said


async def test_weather_asked_as_a_question_around_the_day_is_that_days(nav: NavEnv) -> None:
    """'明天会下雨吗' (will it rain tomorrow?), 'will it rain on Saturday?' and '周末天气怎么样' (the weekend's
    weather?), passed whole as the date, were 'not a date': the day is read from what is left, and a question with no
    day ('会下雪吗') is today's; a word that is no day is still refused."""
    async with Client(nav.server) as c:
        said = {
            q: [d["date"] for d in (await ok(c, "nav_weather", {"date": q}))["days"]]
            for q in ("明天会下雨吗", "will it rain on Saturday?", "what's the weather like tomorrow", "周末天气怎么样",
                      "会下雪吗", "下周一要带伞吗", "what to wear tomorrow", "明天穿什么",
                      "do I need an umbrella on Saturday", "周六需要带伞吗？")
        }  # fmt: skip
        wrong = await err(c, "nav_weather", {"date": "banana"})
    assert said["明天会下雨吗"] == said["what's the weather like tomorrow"] == ["2026-11-26"], said
    assert said["will it rain on Saturday?"] == ["2026-11-28"], said
    assert said["周末天气怎么样"] == ["2026-11-28", "2026-11-29"], said
    assert said["会下雪吗"] == ["2026-11-25"], said
    # what to bring or wear is asked of the day's forecast too ('下周一要带伞吗' was 'not a date')
    assert said["下周一要带伞吗"] == ["2026-11-30"], said
    assert said["what to wear tomorrow"] == said["明天穿什么"] == ["2026-11-26"], said
    assert said["do I need an umbrella on Saturday"] == said["周六需要带伞吗？"] == ["2026-11-28"], said
    assert "is not a date" in wrong


async def test_weather_asked_which_day_or_for_now_is_those_days_forecast(nav: NavEnv) -> None:
    """'这周哪天最冷' (which day this week is coldest), '周末哪天适合出门' (which weekend day suits going out), 'which
    day will be the warmest next week', '现在' and 'now' were 'not a date': the question is asked of the days said
    (the forecast of each lets the agent pick), and now is today."""
    async with Client(nav.server) as c:
        said = {
            q: [d["date"] for d in (await ok(c, "nav_weather", {"date": q}))["days"]]
            for q in ("这周哪天最冷", "这周最冷的是哪天", "周末哪天适合出门", "which day will be the warmest next week",
                      "现在", "what is the weather like now", "this week", "周末", "next week")
        }  # fmt: skip
    assert said["这周哪天最冷"] == said["这周最冷的是哪天"] == said["this week"], said
    assert said["周末哪天适合出门"] == said["周末"] == ["2026-11-28", "2026-11-29"], said
    assert said["which day will be the warmest next week"] == said["next week"], said
    assert said["现在"] == said["what is the weather like now"] == ["2026-11-25"], said


async def test_a_distance_said_is_the_search_radius(nav: NavEnv) -> None:
    """'500米以内的药店' (a pharmacy within 500 m) and 'pharmacy within 300 m' listed every pharmacy within the default
    1000 m, the distance left out as 'in no name here': a distance said is the radius (up to the widest, 5000 m), as
    radius_m gives it."""
    async with Client(nav.server) as c:
        said = await ok(c, "nav_search_places", {"query": "500米以内的药店"})
        given = await ok(c, "nav_search_places", {"query": "药店", "radius_m": 500})
        every = await ok(c, "nav_search_places", {"query": "药店"})
        near = await ok(c, "nav_search_places", {"query": "pharmacy within 300 m"})
        far = await ok(c, "nav_search_places", {"query": "10公里以内的药店"})
    assert said["radius_m"] == 500 and said["places"] == given["places"], said["note"]
    assert len(said["places"]) < len(every["places"])
    assert said["note"].startswith("Read '500米以内' as the radius: places within 500 m."), said["note"]
    assert near["radius_m"] == 300 and all(p["distance_m"] <= 300 for p in near["places"])
    assert far["radius_m"] == 5000 and "the widest a search reaches: 5000 m" in far["note"], far["note"]


async def test_what_the_map_does_not_record_is_said_so_not_left_out_as_a_name(nav: NavEnv) -> None:
    """'免费WiFi的咖啡馆' (cafés with free WiFi) and 'dog friendly cafe' listed every café, saying only that the words
    were 'in no name here', as if each had it: the map records neither, and the note says so."""
    async with Client(nav.server) as c:
        wifi = await ok(c, "nav_search_places", {"query": "免费WiFi的咖啡馆"})
        dogs = await ok(c, "nav_search_places", {"query": "dog friendly cafe"})
        cafes = await ok(c, "nav_search_places", {"query": "咖啡馆"})
    for page, said in ((wifi, "免费WiFi"), (dogs, "dog friendly")):
        assert page["places"] == cafes["places"], page["note"]
        assert page["note"].startswith(f"Read '{said}' as asked of the place: the map does not record it"), page["note"]
        assert "in no name here" not in page["note"]
