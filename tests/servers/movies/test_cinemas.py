"""A cinema's wheelchair access agrees with its screens: one whose screens have wheelchair spaces (tier WHEELCHAIR)
is not listed as without step-free access."""

from __future__ import annotations

from datetime import timedelta

from mcp import Client

from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import err, ok, status_of


async def test_a_cinema_with_wheelchair_spaces_is_listed_with_wheelchair_access(movies: MoviesEnv) -> None:
    now = movies.service.now()
    rec = next(
        r
        for r in status_of(movies)["on_sale"]
        if r.cinema_id == "cin_n2493674692" and r.starts_at - now > timedelta(hours=3)
    )
    async with Client(movies.server) as c:
        page = await ok(c, "movies_search_cinemas", {"lat": 60.1675, "lng": 24.9525, "limit": 10})
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 1})
    cinemas = {x["id"]: x for x in page["cinemas"]}
    engel = cinemas["cin_n2493674692"]
    assert engel["name"].startswith("Kino Engel") and engel["wheelchair"] is True
    assert [(s["tier"], s["kind"]) for s in hold["seats"]] == [("WHEELCHAIR", "accessible")]
    for cinema in cinemas.values():
        spaces = any("wheelchair spaces" in a["features"] for a in cinema["auditoriums"])
        assert cinema["wheelchair"] or not spaces, cinema["name"]
    assert cinemas["cin_n2493672735"]["wheelchair"] is False, "the open-air screen has no spaces and no OSM tag"


async def test_bio_rex_has_its_street_address_in_lasipalatsi(movies_readonly: MoviesEnv) -> None:
    """OpenStreetMap's Bio Rex node has no address tags; the cinema is in Lasipalatsi, Mannerheimintie 22-24."""
    async with Client(movies_readonly.server) as c:
        page = await ok(c, "movies_search_cinemas", {"address": "Mannerheimintie 22-24", "limit": 10})
    rex = next(x for x in page["cinemas"] if x["id"] == "cin_n1381017800")
    assert rex["address"] == "Mannerheimintie 22-24, 00100 Helsinki"
    assert page["cinemas"][0]["id"] == rex["id"] and rex["distance_m"] < 50, "its point is at that address"


async def test_a_district_is_a_place_to_search_from_in_finnish_english_and_chinese(movies_readonly: MoviesEnv) -> None:
    """'cinemas near Kamppi' was refused as no street address, although tickets files venues under Kamppi and
    people name their district more than their street."""
    async with Client(movies_readonly.server) as c:
        pages = [
            await ok(c, "movies_search_cinemas", {"address": said, "limit": 4})
            for said in ("Kamppi", "坎皮附近", "Kampissa")
        ]
        hakaniemi = await ok(c, "movies_search_cinemas", {"address": "Hakaniemi", "limit": 4})
        kallio = await err(c, "movies_search_cinemas", {"address": "Kallio"})
    for page in pages:
        assert page["origin"] == "Kamppi (the district's centre)", page["origin"]
        assert page["cinemas"][0]["id"] == "cin_n1381017800", "Bio Rex is Kamppi's nearest"
    assert hakaniemi["cinemas"][0]["id"] == "cin_n1376356017", "Kinopalatsi is Hakaniemi's nearest"
    assert "a district (Kluuvi, Kamppi," in kallio


async def test_a_landmark_is_a_place_to_search_from(movies_readonly: MoviesEnv) -> None:
    """'离中央火车站最近的电影院': the address '赫尔辛基中央火车站' was refused ('use nav_geocode'), though people
    say where they are by a landmark. The Central Station, Oodi or the cathedral by their common names (in English,
    Finnish or Chinese) is where distances are measured from, as from its coordinates; a landmark named after a
    district ('Kamppi Chapel of Silence') is itself, not the district's centre."""
    station = {"lat": 60.1712064, "lng": 24.9412091}
    async with Client(movies_readonly.server) as c:
        said = {
            q: await ok(c, "movies_search_cinemas", {"address": q, "limit": 4})
            for q in ("赫尔辛基中央火车站", "Central Station", "Rautatieasema")
        }
        exact = await ok(c, "movies_search_cinemas", {**station, "limit": 4})
        cathedral = await ok(c, "movies_search_cinemas", {"address": "大教堂附近", "limit": 4})
        chapel = await ok(c, "movies_search_cinemas", {"address": "Kamppi Chapel of Silence", "limit": 4})
        kamppi = await ok(c, "movies_search_cinemas", {"address": "Kamppi", "limit": 4})
    for q, page in said.items():
        assert page["origin"].startswith("Helsingin päärautatieasema"), (q, page["origin"])
        assert [(x["id"], x["distance_m"]) for x in page["cinemas"]] == [
            (x["id"], x["distance_m"]) for x in exact["cinemas"]
        ], q
    assert cathedral["origin"].startswith("Helsingin tuomiokirkko"), cathedral["origin"]
    assert chapel["origin"] != kamppi["origin"] and "Kamppi" in kamppi["origin"], chapel["origin"]


async def test_a_landmark_named_in_english_before_a_chinese_near_is_that_landmark(movies_readonly: MoviesEnv) -> None:
    """'Helsinki Music Centre附近' measured from the Central Station (OSM's node named 'Helsinki'): a Latin name ending
    right before a Chinese character was no whole word, so only 'Helsinki' matched. It is Musiikkitalo."""
    async with Client(movies_readonly.server) as c:
        near = await ok(c, "movies_search_cinemas", {"address": "Helsinki Music Centre附近", "limit": 4})
        plain = await ok(c, "movies_search_cinemas", {"address": "Helsinki Music Centre", "limit": 4})
    assert near["origin"].startswith("Musiikkitalo") and near["cinemas"] == plain["cinemas"], near["origin"]
