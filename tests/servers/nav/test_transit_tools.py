"""Transit through the protocol: the caller insists on a mode (transit rides even when walking is faster, and says by
how much), leaves at depart_at or arrives by arrive_by (the latest departure that makes it), and gets up to three
alternatives: the next (or earlier) departures and other lines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from mcp import Client

from shared.kit.settings import REPO_FIXTURES
from tests.servers.food.helpers import err, ok
from tests.servers.nav.conftest import RUSH, NavEnv
from tests.servers.nav.geocode_cases import one_id, place, rows, stop

DEADLINE = "2026-11-25T09:00:00+02:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def rides(route: dict[str, Any]) -> list[dict[str, Any]]:
    return [leg for leg in route["legs"] if leg["kind"] != "walk"]


def ends() -> dict[str, str]:
    """Two tram stops a short ride apart: a platform of each, by its id in fixtures/nav/transit.json."""
    return {"origin": min(r["id"] for r in rows(stop("Eteläranta"))),
            "destination": min(r["id"] for r in rows(stop("Kaisaniemenpuisto")))}  # fmt: skip


async def test_transit_rides_even_when_walking_is_faster_and_says_by_how_much(nav: NavEnv) -> None:
    trip = {"origin": "Kiasma", "destination": one_id(place("Helsingin keskustakirjasto Oodi"))}
    async with Client(nav.server) as c:
        walk = (await ok(c, "nav_route", {**trip, "mode": "walking"}))["routes"][0]
        got = await ok(c, "nav_route", {**trip, "mode": "transit"})
        matrix = await ok(c, "nav_distance_matrix", {"origins": [trip["origin"]], "destinations": [trip["destination"]],
                                                     "mode": "transit"})  # fmt: skip
    best = got["routes"][0]
    assert best["mode"] == "transit" and rides(best) and best["duration_s"] > walk["duration_s"]
    note = next(n for n in got["notes"] if n.startswith("Walking is faster"))
    walk_min, ride_min = round(walk["duration_s"] / 60), round(best["duration_s"] / 60)
    assert note.startswith(f"Walking is faster: {walk_min} min on foot against {ride_min} min by {best['via'][0]}")
    assert f"({ride_min - walk_min} min less)" in note and "mode 'walking'" in note
    assert matrix["cells"][0]["duration_s"] == best["duration_s"]  # the matrix rides as the route does


async def test_transit_leaves_as_late_as_still_catches_the_first_vehicle(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {**ends(), "mode": "transit", "depart_at": "2026-11-25T08:00"})
    best = got["routes"][0]
    first_walk, first_ride = best["legs"][0], rides(best)[0]
    assert at(best["depart_at"]) >= RUSH and best["depart_at"] == first_walk["depart_at"]
    slack = at(first_ride["depart_at"]) - at(first_walk["arrive_at"])
    assert timedelta(0) <= slack <= timedelta(minutes=2)  # at the stop about a minute early, not ten
    assert at(best["arrive_at"]) - at(best["depart_at"]) == timedelta(seconds=best["duration_s"])


async def test_transit_alternatives_are_the_next_departures_and_other_lines(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {**ends(), "mode": "transit", "depart_at": "2026-11-25T08:00",
                                        "alternatives": True})  # fmt: skip
    routes = got["routes"]
    assert 2 <= len(routes) <= 4 and all(rides(r) for r in routes)
    firsts = [(rides(r)[0]["line"], rides(r)[0]["depart_at"]) for r in routes]
    assert len(set(firsts)) == len(firsts)  # each is another vehicle
    best = at(routes[0]["arrive_at"])
    assert all(best <= at(r["arrive_at"]) <= best + timedelta(minutes=30) for r in routes)
    assert [at(r["arrive_at"]) for r in routes[1:]] == sorted(at(r["arrive_at"]) for r in routes[1:])
    assert len({line for line, _ in firsts}) >= 2  # another line among them
    async with Client(nav.server) as c:
        plain = await ok(c, "nav_route", {**ends(), "mode": "transit", "depart_at": "2026-11-25T08:00"})
    assert plain["routes"] == routes[:1]


async def test_arrive_by_plans_the_latest_departure_that_arrives_in_time(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {**ends(), "mode": "transit", "arrive_by": DEADLINE, "alternatives": True})
        best = got["routes"][0]
        later = await ok(
            c,
            "nav_route",
            {**ends(), "mode": "transit", "depart_at": (at(best["depart_at"]) + timedelta(minutes=2)).isoformat()},
        )
    deadline = at(DEADLINE)  # fmt: skip
    assert rides(best) and at(best["arrive_at"]) <= deadline
    assert at(later["routes"][0]["arrive_at"]) > deadline  # leaving two minutes later misses it
    assert f"Leave by {at(best['depart_at']):%H:%M} to arrive by 09:00" in " ".join(got["notes"])
    others = got["routes"][1:]
    assert others and all(at(r["arrive_at"]) <= deadline and r["depart_at"] <= best["depart_at"] for r in others)


async def test_arrive_by_works_by_road_too(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(
            c,
            "nav_route",
            {
                "origin": "Kinopalatsi",
                "destination": "Helsingin tuomiokirkko",
                "mode": "driving",
                "arrive_by": "2026-11-25T09:00",
                "alternatives": True,
            },
        )
    deadline = at(DEADLINE)  # fmt: skip
    best = got["routes"][0]
    assert deadline - timedelta(minutes=2) <= at(best["arrive_at"]) <= deadline
    assert at(best["depart_at"]) + timedelta(seconds=best["duration_s"]) == at(best["arrive_at"])
    assert all(at(r["arrive_at"]) <= deadline for r in got["routes"])
    assert got["notes"][0].startswith(f"Leave by {at(best['depart_at']):%H:%M} to arrive by 09:00")


async def test_transit_walks_only_when_no_tram_or_metro_runs(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {**ends(), "mode": "transit", "depart_at": "2026-11-25T03:00"})
    best = got["routes"][0]
    assert [leg["kind"] for leg in best["legs"]] == ["walk"]
    assert any("No tram or metro journey is possible" in n and "so the route walks" in n for n in got["notes"])


async def test_depart_at_and_arrive_by_are_exclusive_and_checked(nav: NavEnv) -> None:
    trip = {"origin": "Kiasma", "destination": "Ateneum", "mode": "transit"}
    async with Client(nav.server) as c:
        both = await err(c, "nav_route", {**trip, "depart_at": "2026-11-25T08:00", "arrive_by": DEADLINE})
        bad = await err(c, "nav_route", {**trip, "arrive_by": "soon"})
        far = await err(c, "nav_route", {**trip, "arrive_by": "2030-01-01T09:00"})
        drawn = await c.call_tool("nav_render_map", {**trip, "arrive_by": DEADLINE, "size": "small"})
        tools = {t.name: t for t in (await c.list_tools()).tools}
    assert both.startswith("depart_at and arrive_by were both given") and "latest departure" in both
    assert bad.startswith("arrive_by 'soon' is not a date-time") and "ISO 8601" in bad
    assert far.startswith("arrive_by 2030-01-01 is more than a year from today")
    assert not drawn.is_error and drawn.structured_content and "public transport" in drawn.structured_content["route"]
    props = tools["nav_route"].input_schema["properties"]
    assert props["arrive_by"]["type"] == "string" and props["arrive_by"]["default"] == ""
    assert "latest departure" in props["arrive_by"]["description"]
    assert "even when walking would be faster" in props["mode"]["description"]
    assert "up to three" in props["alternatives"]["description"]


async def test_arrive_by_at_night_walks_instead_of_the_last_tram_hours_earlier(nav: NavEnv) -> None:
    """Arriving by 03:30 (no trams run) used to take the last tram of the evening: 'Leave by 01:26 to arrive by
    03:30 (arrives 01:48)', two hours early for a 16-minute walk. A journey arriving more than an hour before the
    deadline is no service, as a vehicle more than an hour away is when leaving at a time: the route walks."""
    trip = {"origin": "Kiasma", "destination": "Kauppatori", "mode": "transit"}
    async with Client(nav.server) as c:
        night = await ok(c, "nav_route", {**trip, "arrive_by": "2026-11-25T03:30"})
        walk = (await ok(c, "nav_route", {**trip, "mode": "walking", "arrive_by": "2026-11-25T03:30"}))["routes"][0]
        morning = await ok(c, "nav_route", {**trip, "arrive_by": "2026-11-25T05:40"})
    best = night["routes"][0]
    assert not rides(best) and best["arrive_at"] == walk["arrive_at"] == "2026-11-25T03:30:00+02:00"
    assert best["duration_s"] == walk["duration_s"]
    assert any(n.startswith("No tram or metro journey is possible here at this time") for n in night["notes"])
    assert any("arrives 03:30" in n for n in night["notes"])
    assert rides(morning["routes"][0])  # the first tram of the morning still makes a 05:40 deadline


async def test_the_best_journey_leaves_as_late_as_any_that_arrives_as_early(nav: NavEnv) -> None:
    """From home to Kiasma at 23:55 the best journey walked to tram 4 at Aleksanterinkatu, leaving 23:57, while the
    first alternative caught the same tram a stop further on, leaving 23:59 and arriving at the same 00:09: the
    best of equal arrivals is the one that leaves latest (and walks least), with alternatives or without."""
    trip = {"origin": "home", "destination": "Kiasma", "mode": "transit", "depart_at": "2026-11-25T23:55"}
    async with Client(nav.server) as c:
        many = await ok(c, "nav_route", {**trip, "alternatives": True})
        one = await ok(c, "nav_route", trip)
    best, *others = many["routes"]
    assert others and rides(best)
    for other in others:
        assert not (at(other["arrive_at"]) <= at(best["arrive_at"]) and at(other["depart_at"]) > at(best["depart_at"]))
    assert one["routes"][0]["depart_at"] == best["depart_at"] and one["routes"][0]["arrive_at"] == best["arrive_at"]


async def test_a_journey_to_a_tram_stop_has_no_walk_of_zero_metres(nav: NavEnv) -> None:
    """Kiasma to the Kauppatori tram stop on Saturday morning rides tram 2 to that stop, and the steps ended 'Walk 0 m
    to destination': a walk of nothing is no step (its leg stays, with the times)."""
    trip = {"origin": "Kiasma", "destination": "Kauppatori", "mode": "transit", "depart_at": "2026-11-28T08:00"}
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", trip)
    route = got["routes"][0]
    assert rides(route)
    assert not [s for s in route["steps"] if s["maneuver"] == "walk" and s["distance_m"] == 0], route["steps"]
    assert route["steps"][0]["maneuver"] in ("walk", "board") and route["steps"][-1]["maneuver"] == "arrive"


async def test_a_ride_is_signed_with_where_the_line_ends_not_its_next_stop_on_the_map(nav: NavEnv) -> None:
    """The metro one stop east was 'towards Helsingin yliopisto' (the next station, the map's last) and a tram
    'towards Lasipalatsi': the vehicle's sign and every journey planner say Vuosaari or Mellunmäki, Käpylä."""
    metro = {"origin": "home", "destination": "赫尔辛基大学"}  # Kaivokatu 4 to the university: M1 or M2, one stop
    back = {"origin": metro["destination"], "destination": metro["origin"]}
    on_the_map = {s["name"] for s in json.loads((REPO_FIXTURES / "nav" / "transit.json").read_text())["stops"]}
    async with Client(nav.server) as c:
        east = await ok(c, "nav_route", {**metro, "mode": "transit", "depart_at": "2026-11-25T08:00"})
        west = await ok(c, "nav_route", {**back, "mode": "transit", "depart_at": "2026-11-25T08:00"})
        tram = await ok(c, "nav_route", {**ends(), "mode": "transit", "depart_at": "2026-11-25T08:00"})
    signs = {"east": {"M1": "Vuosaari", "M2": "Mellunmäki"}, "west": {"M1": "Matinkylä", "M2": "Tapiola"}}
    for way, got in (("east", east), ("west", west)):
        metro = [(r, leg) for r in got["routes"] for leg in rides(r) if leg["line"] in ("M1", "M2")]
        assert metro, got["routes"]
        for route, leg in metro:
            assert leg["headsign"] == signs[way][leg["line"]]
            boards = [s["instruction"] for s in route["steps"] if s["maneuver"] == "board"]
            assert any(f"metro {leg['line']} towards {leg['headsign']} at" in b for b in boards), boards
    tram_rides = rides(tram["routes"][0])
    assert tram_rides and all(r["headsign"] and r["headsign"] not in on_the_map for r in tram_rides)


async def test_leaving_now_in_the_users_words_is_leaving_now(nav: NavEnv) -> None:
    """'现在' (now) passed as depart_at was 'not a date-time'; 'now' already read as ''. Food's words for it ('尽快',
    'right away') were not nav's, nor '现在出发' (leave now): one reader serves both (shared.dates.means_now)."""
    trip = {**ends(), "mode": "transit"}
    words = ("现在", "马上", "ASAP", "now", "尽快", "现在出发", "right away", "越快越好")
    async with Client(nav.server) as c:
        plain = await ok(c, "nav_route", trip)
        said = {w: await ok(c, "nav_route", {**trip, "depart_at": w}) for w in words}
    for word, got in said.items():
        assert got["routes"] == plain["routes"], word


async def test_a_time_said_as_people_say_it_is_read_on_the_sandboxs_clock(nav: NavEnv) -> None:
    """'明天早上8点' and 'tomorrow 8:30' were 'not a date-time': an agent had to turn them into ISO dates, though only
    the sandbox knows which day 'tomorrow' is (its clock is simulated). Read as food reads a delivery slot."""
    trip = {**ends(), "mode": "transit"}
    tomorrow = (RUSH + timedelta(days=1)).date().isoformat()
    async with Client(nav.server) as c:
        said = await ok(c, "nav_route", {**trip, "depart_at": "明天早上8点"})
        short = await ok(c, "nav_route", {**trip, "depart_at": "明早8点"})  # a day and its part in one word
        iso = await ok(c, "nav_route", {**trip, "depart_at": f"{tomorrow}T08:00"})
        english = await ok(c, "nav_route", {**trip, "depart_at": "tomorrow 8am"})
        by_said = await ok(c, "nav_route", {**trip, "arrive_by": "今晚7点"})
        by_iso = await ok(c, "nav_route", {**trip, "arrive_by": f"{RUSH.date().isoformat()}T19:00"})
        matrix = await ok(c, "nav_distance_matrix", {"origins": [trip["origin"]], "destinations": [trip["destination"]],
                                                     "mode": "transit", "depart_at": "明天早上8点"})  # fmt: skip
        vague = await err(c, "nav_route", {**trip, "depart_at": "sometime soon"})
    assert said["routes"] == iso["routes"] == english["routes"] == short["routes"]
    assert said["routes"][0]["depart_at"].startswith(tomorrow)
    assert by_said["routes"] == by_iso["routes"]
    assert matrix["cells"][0]["duration_s"] == said["routes"][0]["duration_s"]
    assert "is not a date-time" in vague and "tomorrow 08:30" in vague


async def test_a_departure_said_as_how_long_from_now_is_read_on_the_sandboxs_clock(nav: NavEnv) -> None:
    """'半小时后' (in half an hour) and 'in 30 minutes' were 'not a date-time': they are now plus that, on the
    sandbox's clock, as its time written out."""
    trip = {**ends(), "mode": "transit"}
    now = nav.clock.now()
    later = (now + timedelta(minutes=30)).replace(second=0, microsecond=0)
    if now.second or now.microsecond:
        later += timedelta(minutes=1)
    async with Client(nav.server) as c:
        said = {w: await ok(c, "nav_route", {**trip, "depart_at": w}) for w in ("半小时后", "in 30 minutes")}
        written = await ok(c, "nav_route", {**trip, "depart_at": later.strftime("%Y-%m-%dT%H:%M")})
    for word, got in said.items():
        assert got["routes"] == written["routes"], word
