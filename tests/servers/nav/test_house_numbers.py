"""A house number the street does not have, through the protocol: nav_geocode is never confident about the street
while dropping the number (as 'Mannerheimintie 99999' was, its five digits read as a postcode), it says which
numbers the street has and lists the nearest ones; route and matrix refuse such an end instead of routing to the
street's middle; real addresses, with or without a postcode, stay confident."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.servers.food.helpers import err, ok
from tests.servers.nav.conftest import NavEnv

REAL = ["Mannerheimintie 5", "Fabianinkatu 39", "Kaivokatu 4", "Fabianinkatu 39, 00100 Helsinki", "Kaivokatu 4 00100"]


@pytest.mark.parametrize(
    ("query", "street", "numbers"),
    [
        ("Mannerheimintie 99999", "Mannerheimintie", "1–24"),
        ("Mannerheimintie 400", "Mannerheimintie", "1–24"),
        ("Fabianinkatu 999", "Fabianinkatu", "2–39"),
        ("Fabianinkatu 99999, Helsinki", "Fabianinkatu", "2–39"),
    ],
)
async def test_a_number_the_street_lacks_is_not_confident_and_says_which_numbers_it_has(
    nav: NavEnv, query: str, street: str, numbers: str
) -> None:
    number = query.split(",")[0].split()[-1]
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": query})
    assert got["status"] == "ambiguous"
    assert f"{street} has no number {number}" in got["message"] and f"its numbers run {numbers}" in got["message"]
    assert "Ask the user" in got["message"]
    first = got["candidates"][0]
    assert first["kind"] == "address" and first["name"].startswith(f"{street} ") and first["id"].startswith("adr_")
    assert all(c["name"] != f"{street} {number}" for c in got["candidates"])


async def test_real_addresses_stay_confident_and_five_digits_after_a_street_are_no_postcode(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        for query in REAL:
            got = await ok(c, "nav_geocode", {"query": query})
            top = got["candidates"][0]
            assert (got["status"], top["kind"]) == ("confident", "address"), query
            assert query.startswith(top["name"]) and top["confidence"] == 1.0
        postcode = await ok(c, "nav_geocode", {"query": "Mannerheimintie 00100"})  # the city's postcodes start 00
        number = await ok(c, "nav_geocode", {"query": "Mannerheimintie 99999"})
    assert (postcode["status"], postcode["candidates"][0]["name"]) == ("confident", "Mannerheimintie")
    assert number["status"] == "ambiguous" and number["candidates"][0]["kind"] == "address"


async def test_route_and_matrix_refuse_the_missing_number_and_route_to_a_listed_one(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        route = await err(c, "nav_route", {"origin": "Kiasma", "destination": "Mannerheimintie 99999"})
        matrix = await err(c, "nav_distance_matrix", {"origins": ["Mannerheimintie 99999"], "destinations": ["Kiasma"]})
        listed = await ok(c, "nav_geocode", {"query": "Mannerheimintie 99999"})
        fixed = await ok(c, "nav_route", {"origin": "Kiasma", "destination": listed["candidates"][0]["id"]})
    for text, role in ((route, "destination"), (matrix, "origins[0]")):
        assert text.startswith(f"{role} 'Mannerheimintie 99999' is ambiguous"), text
        assert "Mannerheimintie has no number 99999" in text and "adr_" in text and "Ask the user" in text
    assert fixed["destination"]["name"] == listed["candidates"][0]["name"]


@pytest.mark.parametrize(
    ("query", "building"),
    [
        ("Fabianinkatu 39 B 12", "Fabianinkatu 39"),  # used to be confidently Fabianinkatu 12, 60 m away
        ("Fabianinkatu 39 B", "Fabianinkatu 39"),  # used to be ambiguous between 38 and 39
        ("fabianinkatu 39b", "Fabianinkatu 39"),
        ("Kaivokatu 4 A 5", "Kaivokatu 4"),  # used to be not found
        ("Kaivokatu 4 as 5", "Kaivokatu 4"),
        ("Kaivokatu 4 A 5, 00100 Helsinki", "Kaivokatu 4"),
        ("Mannerheimintie 20 B 3", "Mannerheimintie 20 B"),  # the staircase's own entry when the map has one
    ],
)
async def test_a_finnish_staircase_and_flat_number_find_the_building(nav: NavEnv, query: str, building: str) -> None:
    """Finnish addresses name a staircase letter and a flat after the house number ('Fabianinkatu 39 B 12': house
    39, staircase B, flat 12). The map has houses, not staircases: the house is the answer, and the flat number is
    never read as the house number."""
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": query})
        route = await ok(c, "nav_route", {"origin": query, "destination": "Kiasma", "mode": "walking"})
    first = got["candidates"][0]
    assert (got["status"], first["kind"], first["name"]) == ("confident", "address", building), got["message"]
    assert route["origin"]["location"] == first["location"]


async def test_a_staircase_letter_does_not_hide_a_missing_house_number(nav: NavEnv) -> None:
    async with Client(nav.server) as c:
        got = await ok(c, "nav_geocode", {"query": "Fabianinkatu 999 B 12"})
    assert got["status"] == "ambiguous" and "Fabianinkatu has no number 999" in got["message"]
