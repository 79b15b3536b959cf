"""A trip needs two places and a time the user names: the same place at both ends is no trip, and a departure in
the past is said to be one.

A route from 'home' to 'home' used to snap both ends to the network and answer 586 m with a tram ride (transit)
or 129 m in heavy traffic (driving); a matrix with one place in both lists gave that non-zero cell. A departure
the day before was routed without a word, while an arrival in the past got a note."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from mcp import Client

from shared.schemas.account import AddressInput
from tests.servers.food.helpers import err, ok
from tests.servers.nav.conftest import RUSH, NavEnv

CATHEDRAL = "Helsinki Cathedral"


@pytest.mark.parametrize("mode", ["walking", "driving", "cycling", "transit"])
async def test_a_route_from_a_place_to_itself_is_refused_saying_so(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server) as c:
        home = await err(c, "nav_route", {"origin": "home", "destination": "home", "mode": mode})
        place = await err(c, "nav_route", {"origin": CATHEDRAL, "destination": CATHEDRAL, "mode": mode})
    for text in (home, place):
        assert "are the same place" in text and "no trip to plan" in text and "destination" in text, text


@pytest.mark.parametrize("mode", ["walking", "driving", "transit"])
async def test_a_matrix_cell_from_a_place_to_itself_is_zero(nav: NavEnv, mode: str) -> None:
    async with Client(nav.server) as c:
        got = await ok(
            c, "nav_distance_matrix", {"origins": [CATHEDRAL, "Kiasma"], "destinations": ["Oodi", CATHEDRAL],
                                       "mode": mode},
        )  # fmt: skip
    cells = {(x["origin"], x["destination"]): x for x in got["cells"]}
    assert cells[(0, 1)] == {"origin": 0, "destination": 1, "reachable": True, "distance_m": 0, "duration_s": 0}
    assert all(cells[k]["distance_m"] > 0 for k in [(0, 0), (1, 0), (1, 1)])


async def test_a_departure_in_the_past_is_routed_with_a_note_saying_so(nav: NavEnv) -> None:
    when = f"{RUSH - timedelta(days=1):%Y-%m-%d}T08:30"  # the clock stands at RUSH
    async with Client(nav.server) as c:
        past = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "depart_at": when})
        now = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi"})
    assert any("already past" in n and when.replace("T", " ") in n for n in past["notes"]), past["notes"]
    assert not any("already past" in n for n in now["notes"]), now["notes"]


@pytest.mark.parametrize(("field", "said"), [("depart_at", "6am"), ("depart_at", "早上6点"), ("arrive_by", "06:30")])
async def test_a_time_of_day_alone_that_has_passed_is_tomorrows(nav: NavEnv, field: str, said: str) -> None:
    """'arrive by 6:30' said at 08:00 was this morning's: a trip 'as it would have gone then', leaving hours ago. A
    time of day without a day that has passed today is tomorrow's, and the notes say so; a day said keeps its day."""
    tomorrow = f"{RUSH + timedelta(days=1):%a %d %b}"
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", field: said})
        today = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", field: f"today {said}"})
    at = got["routes"][0]["depart_at" if field == "depart_at" else "arrive_at"]
    assert at.startswith(f"{RUSH + timedelta(days=1):%Y-%m-%d}"), at
    assert any(f"as tomorrow, {tomorrow}" in n for n in got["notes"]), got["notes"]
    assert today["routes"][0]["depart_at"].startswith(f"{RUSH:%Y-%m-%d}"), today["routes"][0]


@pytest.mark.parametrize(("said", "hour"), [("6点", 18), ("六点半", 18), ("at 7", 19)])
async def test_a_bare_hour_whose_morning_has_passed_is_this_evenings(nav: NavEnv, said: str, hour: int) -> None:
    """'3点出发' said at noon was 3 in the night (tomorrow's 03:00), '8点' tomorrow's 08:00: an hour said with
    nothing to say morning or evening is the coming one, as people say it, and the notes say how it was read."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "depart_at": said})
    depart = datetime.fromisoformat(got["routes"][0]["depart_at"])
    assert RUSH.hour < hour and (depart.date(), depart.hour) == (RUSH.date(), hour), depart
    assert any(f"as {hour}:" in n and "today" in n and "has passed" in n for n in got["notes"]), got["notes"]


@pytest.mark.parametrize("mode", ["walking", "cycling", "driving"])
async def test_the_steps_add_up_to_the_route_including_the_last_stretch_off_the_road(nav: NavEnv, mode: str) -> None:
    """Oodi stands back from the roads (177 m from one open to cars). The stretch from the road to the origin was in
    the first step, but the stretch to the destination was in no step: the driving steps added up to 989 m of a
    1,165 m route. It belongs to the last step before 'arrive', as the first stretch belongs to the first."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_route", {"origin": "home", "destination": "Oodi", "mode": mode})
    route = got["routes"][0]
    steps = route["steps"]
    assert got["destination"]["snap_m"] > 20
    assert abs(sum(s["distance_m"] for s in steps) - route["distance_m"]) <= len(steps)
    assert abs(sum(s["duration_s"] for s in steps) - route["duration_s"]) <= len(steps)
    assert steps[-1] == {"maneuver": "arrive", "instruction": "Arrive at the destination", "street": "",
                         "distance_m": 0, "duration_s": 0}  # fmt: skip


async def test_a_date_without_a_time_of_day_is_refused_not_routed_at_midnight(nav: NavEnv) -> None:
    """'2026-11-26' (an agent passing 'tomorrow' as a date) used to be read as midnight: a route at 00:00 with night
    traffic and night timetables, without a word. Traffic and timetables depend on the hour, so it asks for one."""
    trip = {"origin": "home", "destination": "Kiasma"}
    async with Client(nav.server) as c:
        leave = await err(c, "nav_route", {**trip, "depart_at": "2026-11-26"})
        arrive = await err(c, "nav_route", {**trip, "mode": "transit", "arrive_by": "2026-11-26"})
        matrix = await err(c, "nav_distance_matrix", {"origins": ["home"], "destinations": ["Kiasma"],
                                                      "depart_at": "2026-11-26"})  # fmt: skip
        midnight = await ok(c, "nav_route", {**trip, "depart_at": "2026-11-26T00:00"})  # said outright: fine
    assert leave.startswith("depart_at '2026-11-26' is a date without a time of day")
    assert "'2026-11-26T08:30'" in leave
    assert arrive.startswith("arrive_by '2026-11-26' is a date without a time of day")
    assert matrix.startswith("depart_at '2026-11-26' is a date without a time of day")
    assert midnight["routes"][0]["depart_at"] == "2026-11-26T00:00:00+02:00"


async def test_an_end_beside_a_courtyard_path_is_not_routed_round_the_block(nav: NavEnv) -> None:
    """Home to the Alko at Aleksanterinkatu 52 was a 22-minute, 1.8 km walk: the node nearest its entrance (10 m)
    lies on a courtyard path joined to the streets far away, while another 11 m away gives 250 m. A route that
    detours that much tries the other nodes near each end, the walk to them counted."""
    async with Client(nav.server) as c:
        shop = await ok(c, "nav_route", {"origin": "home", "destination": "plc_n6049453001", "mode": "walking"})
        street = await ok(c, "nav_route", {"origin": "home", "destination": "Aleksanterinkatu 52", "mode": "walking"})
        grid = await ok(c, "nav_distance_matrix", {"origins": ["home"], "destinations": ["plc_n6049453001"],
                                                   "mode": "walking"})  # fmt: skip
    shop_m, street_m = shop["routes"][0]["distance_m"], street["routes"][0]["distance_m"]
    assert shop_m < 400 and abs(shop_m - street_m) < 150, (shop["routes"][0]["summary"], street_m)
    assert grid["cells"][0]["distance_m"] < 400  # the matrix goes as the route does


@pytest.mark.parametrize(
    ("field", "said", "legs"),
    [
        ("destination", "Oodi via Stockmann", ("Kiasma", "Stockmann", "Oodi")),
        ("destination", "经过Stockmann到Oodi", ("Kiasma", "Stockmann", "Oodi")),
        ("origin", "Kiasma through Ateneum", ("Kiasma", "Ateneum", "Oodi")),
    ],
)
async def test_a_stop_on_the_way_said_in_an_end_is_two_routes(nav: NavEnv, field: str, said: str, legs: tuple) -> None:
    """'Oodi via Stockmann' as the destination was 'Nothing in Helsinki matches', which sent the model to spell it
    better: a route has two ends, so the refusal names the two routes that make the trip, and nothing is routed."""
    ends = {"origin": "Kiasma", "destination": "Oodi", field: said}
    async with Client(nav.server) as c:
        text = await err(c, "nav_route", ends)
        first = await ok(c, "nav_route", {"origin": legs[0], "destination": legs[1]})
    a, stop, b = legs
    assert f"says a stop on the way ('{stop}')" in text, text
    assert f"origin '{a}' to destination '{stop}', then origin '{stop}' to destination '{b}'" in text, text
    assert first["routes"], "the legs it names route"


@pytest.mark.parametrize(
    ("said", "at"),
    [("明天凌晨3点", "2026-11-26T03:00"), ("明天半夜12点", "2026-11-26T00:00"), ("今天深夜11点", "2026-11-25T23:00")],
)
async def test_small_hours_said_in_chinese_are_the_nights(nav: NavEnv, said: str, at: str) -> None:
    """'明天凌晨3点' (3 in the small hours tomorrow) was 'not a date-time', and a night's 12 (半夜12点) noon: 凌晨,
    清晨, 半夜 and 深夜 are parts of the day as 早上 and 晚上 are, and at 3 a.m. no tram runs, so the trip walks."""
    async with Client(nav.server) as c:
        got = await ok(
            c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "mode": "transit", "depart_at": said}
        )
    assert got["routes"][0]["depart_at"].startswith(at), got["routes"][0]["depart_at"]
    if at.endswith("T03:00"):
        assert any(n.startswith("No tram or metro journey is possible") for n in got["notes"]), got["notes"]


async def test_work_said_in_english_is_the_office_saved_in_chinese(nav_rw: NavEnv) -> None:
    """A user whose office is saved as '公司' asked for a route to 'work' and was told no work address is saved: a
    label is found by any word for what it means."""
    nav_rw.sandbox.accounts.add_user("usr_zh", "Zh")
    async with Client(nav_rw.server_for("usr_zh")) as c:
        office = await ok(c, "nav_geocode", {"query": "Fabianinkatu 33", "limit": 1})
        nav_rw.sandbox.accounts.save_address("usr_zh", AddressInput(label="公司", street="Fabianinkatu 33"))
        got = await ok(c, "nav_route", {"origin": "Kiasma", "destination": "work", "mode": "walking"})
    assert got["destination"]["name"].startswith("公司"), got["destination"]
    assert got["destination"]["location"] == office["candidates"][0]["location"]


@pytest.mark.parametrize(
    "said", ["明天上午10点前", "明天上午10点之前到", "tomorrow by 10am", "明天上午10点左右", "by 10am tomorrow"]
)
async def test_an_arrival_said_with_before_or_about_is_that_time(nav: NavEnv, said: str) -> None:
    """arrive_by '明天上午10点前' (before 10 tomorrow morning) was 'not a date-time': 'before' / 'by' / '前' / '左右'
    said with the time leave it that time."""
    async with Client(nav.server) as c:
        got = await ok(
            c, "nav_route", {"origin": "Kiasma", "destination": "Oodi", "mode": "transit", "arrive_by": said}
        )
        plain = await ok(
            c,
            "nav_route",
            {"origin": "Kiasma", "destination": "Oodi", "mode": "transit", "arrive_by": "tomorrow 10:00"},
        )
    assert got["routes"] == plain["routes"] and got["routes"], got.get("notes")
