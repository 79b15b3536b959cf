"""A trip needs two places and a time the user names: the same place at both ends is no trip, and a departure in
the past is said to be one.

A route from 'home' to 'home' used to snap both ends to the network and answer 586 m with a tram ride (transit)
or 129 m in heavy traffic (driving); a matrix with one place in both lists gave that non-zero cell. A departure
the day before was routed without a word, while an arrival in the past got a note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mcp import Client

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
