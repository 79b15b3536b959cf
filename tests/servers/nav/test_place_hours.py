"""Opening hours of the nav places: the OSM parser of the fixture builders, the committed schedules it
writes, and a place's hours through the real protocol."""

from __future__ import annotations

import json
from datetime import datetime
from types import ModuleType

import pytest
from mcp import Client

from shared.geo import CITY_TZ
from shared.kit.settings import REPO_FIXTURES
from tests.servers.food.helpers import ok
from tests.servers.nav.conftest import NavEnv
from tests.support import fixture_script


def builder() -> ModuleType:
    return fixture_script("build_city")


def week(*groups: tuple[str, str]) -> dict[str, list[list[str]]]:
    """``week(("mon tue", "10:00-18:00"), ...)``: those days open those hours, every other day closed."""
    out: dict[str, list[list[str]]] = {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    for days, span in groups:
        for d in days.split():
            out[d] = [span.split("-")]
    return out


WEEKDAYS = "mon tue wed thu fri"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # single-digit hours, no space after ';'
            "Mo-Fr 7:30-19:00;Sa 8:30-17:00;Su 9:00-17:00",
            week((WEEKDAYS, "07:30-19:00"), ("sat", "08:30-17:00"), ("sun", "09:00-17:00")),
        ),
        (  # 'Tu, Fr' with a space
            "Tu, Fr 10:00-18:00; We-Th 10:00-20:00; Sa-Su 10:00-17:00",
            week(("tue fri", "10:00-18:00"), ("wed thu", "10:00-20:00"), ("sat sun", "10:00-17:00")),
        ),
        (  # no space after the day
            "Mo-Th 11:00-23:00; Fr11:00-24:00; Sa 12:00-24:00; Su 12:00-21:00",
            week(
                ("mon tue wed thu", "11:00-23:00"),
                ("fri sat", "11:00-24:00"),
                ("sat", "12:00-24:00"),
                ("sun", "12:00-21:00"),
            ),
        ),
        (  # rules separated by commas, a PH rule skipped
            "Mo-Fr 11:00-23:00, Sa-Su 12:00-23:00; PH off",
            week((WEEKDAYS, "11:00-23:00"), ("sat sun", "12:00-23:00")),
        ),
        (  # 'Su closed' in a comma rule; a later ';' rule replaces the day's hours
            "Mo-Fr 07:30-20:00, Sa 10:00-19:00, Su closed; Sa 12:00-18:00",
            week((WEEKDAYS, "07:30-20:00"), ("sat", "12:00-18:00")),
        ),
        (  # hours without minutes, a closing at midnight, past midnight
            "Su-Th 15-00; Fr-Sa 15-02",
            week(("sun mon tue wed thu", "15:00-24:00"), ("fri sat", "15:00-02:00")),
        ),
        ("24/7", week(("mon tue wed thu fri sat sun", "00:00-24:00"))),
    ],
)
def test_the_parser_reads_the_common_osm_forms(raw: str, expected: dict[str, list[list[str]]]) -> None:
    assert builder().parse_hours(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Mo-Fr 9:00-18:00; Sa 10:00-15:00; Jun 1 - Aug 31 Sa off; PH off",  # a season would change the hours
        'Mo-Fr 11:00-15:00 open "Lunch"',
        "Mo-Fr 16:00-, Sa 14:00-",
        "Mon - Fri 11am - 11pm",
        "closed",
    ],
)
def test_the_parser_gives_up_rather_than_guess(raw: str) -> None:
    assert builder().parse_hours(raw) is None


CATHEDRAL = "plc_w419479428"  # 'Jun-Aug: Su-Sa 09:00-24:00; Sep-May: Su-Sa 09:00-18:00'
EVERY_DAY = "mon tue wed thu fri sat sun"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # the Cathedral: two seasons, no week of its own
            "Jun-Aug: Su-Sa 09:00-24:00; Sep-May: Su-Sa 09:00-18:00",
            week()
            | {
                "seasons": [
                    {"from": "06-01", "to": "08-31", "days": week((EVERY_DAY, "09:00-24:00"))},
                    {"from": "09-01", "to": "05-31", "days": week((EVERY_DAY, "09:00-18:00"))},
                ]
            },
        ),
        (  # a summer Saturday off: the season names only the day it changes
            "Mo-Fr 9:00-18:00; Sa 10:00-15:00; Jun 1 - Aug 31 Sa off; PH off",
            week((WEEKDAYS, "09:00-18:00"), ("sat", "10:00-15:00"))
            | {"seasons": [{"from": "06-01", "to": "08-31", "days": {"sat": []}}]},
        ),
        (  # the dates of a year long past hold no more
            "Sa 10:00-16:00; Mo-Fr 07:30-18:00; 2017 Jul 1 - 2017 Aug 8 Sa off; PH off",
            week((WEEKDAYS, "07:30-18:00"), ("sat", "10:00-16:00")),
        ),
        ("10:30-18:00", week((EVERY_DAY, "10:30-18:00"))),  # times alone: every day
        ("closed", week()),
        ("24/7", week((EVERY_DAY, "00:00-24:00"))),
        ("Mo-Fr 10:00-18:00; 11:00-15:00", None),  # would close every weekday at 15:00: surely not meant
        ("Seasonal, only summer time", None),
    ],
)
def test_nav_reads_seasons_of_a_places_hours(raw: str, expected: dict[str, object] | None) -> None:
    assert fixture_script("build_nav").parse_place_hours(raw) == expected


async def test_the_cathedral_is_open_on_a_summer_evening_and_closed_on_a_winter_one(nav_rw: NavEnv) -> None:
    """Its hours are two seasons ('Jun-Aug: … 09:00-24:00; Sep-May: … 09:00-18:00'), which nav could not read: its
    status was 'unknown' all year."""
    async with Client(nav_rw.server) as c:
        nav_rw.clock.freeze(datetime(2026, 12, 10, 20, 0, tzinfo=CITY_TZ))
        winter = await ok(c, "nav_get_place", {"place_id": CATHEDRAL})
        nav_rw.clock.freeze(datetime(2027, 7, 8, 20, 0, tzinfo=CITY_TZ))
        summer = await ok(c, "nav_get_place", {"place_id": CATHEDRAL})
        found = await ok(c, "nav_search_places", {"query": "Tuomiokirkko", "open_now": True})
    assert (winter["open_status"], winter["opening_hours"]["thu"]) == ("closed", "09:00–18:00")
    assert (summer["open_status"], summer["opening_hours"]["thu"]) == ("open", "09:00–24:00")
    assert CATHEDRAL in [p["id"] for p in found["places"]]


def test_the_committed_place_hours_are_what_the_parser_makes_of_the_places() -> None:
    places = json.loads((REPO_FIXTURES / "osm" / "places.json").read_text(encoding="utf-8"))["places"]
    committed = json.loads((REPO_FIXTURES / "nav" / "place_hours.json").read_text(encoding="utf-8"))["hours"]
    parse = fixture_script("build_nav").parse_place_hours
    assert committed == {p["id"]: h for p in places if p["opening_hours"] and (h := parse(p["opening_hours"]))}
    tagged = [p for p in places if p["opening_hours"]]
    assert len(committed) >= 0.95 * len(tagged)


async def test_a_cafe_with_single_digit_hours_is_open_on_a_wednesday_morning(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        place = await ok(c, "nav_get_place", {"place_id": "plc_n151006533"})
    assert place["opening_hours_raw"] == "Mo-Fr 7:30-19:00;Sa 8:30-17:00;Su 9:00-17:00"
    assert place["opening_hours"] and place["opening_hours"]["wed"] != "closed"
    assert place["open_status"] == "open"
