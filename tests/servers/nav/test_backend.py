"""The provider API on its own, on SQLite and PostgreSQL: the contract a real Amap adapter would implement."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from servers.nav.backend.app import prepare
from shared.account import reset_sandbox
from tests.servers.nav.conftest import NavEnv
from tests.support import auth, provider


def client(env: NavEnv) -> httpx.AsyncClient:
    return provider(env.app)


async def test_the_openapi_document_lists_every_route(nav: NavEnv) -> None:
    async with client(nav) as http:
        spec = (await http.get("/openapi.json")).json()
    assert {"/geocode", "/reverse", "/places", "/places/{place_id}", "/routes", "/matrix", "/weather", "/map"} <= set(
        spec["paths"]
    )
    assert "ErrorBody" in spec["components"]["schemas"]


async def test_places_are_seeded_and_served_from_either_database(nav_any_db: NavEnv) -> None:
    with nav_any_db.engine.connect() as conn:
        places = conn.execute(text("SELECT count(*) FROM nav_place")).scalar_one()
        addresses = conn.execute(text("SELECT count(*) FROM nav_address")).scalar_one()
    assert places > 1000 and addresses > 500
    async with client(nav_any_db) as http:
        page = (await http.get("/places", params={"category": "cinema", "radius_m": 3000})).json()
        detail = (await http.get(f"/places/{page['places'][0]['id']}")).json()
    assert {p["name"] for p in page["places"]} >= {"Kinopalatsi", "Bio Rex"}
    assert detail["id"] == page["places"][0]["id"] and detail["location"]["lat"] > 60


async def test_reset_reloads_the_fixtures(nav_rw: NavEnv) -> None:
    with nav_rw.engine.begin() as conn:
        conn.execute(text("DELETE FROM nav_place"))
    reset_sandbox(nav_rw.settings)
    prepare(nav_rw.settings, engine=nav_rw.engine)
    with nav_rw.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM nav_place")).scalar_one() > 1000


async def test_errors_carry_a_status_code_and_a_hint(nav: NavEnv) -> None:
    async with client(nav) as http:
        missing = await http.get("/places/plc_missing")
        unreachable = await http.post("/routes", json={"origin": "60.2050,24.9650", "destination": "Kiasma"})
        bad_mode = await http.post("/routes", json={"origin": "Kiasma", "destination": "Oodi", "mode": "boat"})
        half_map = await http.post("/map", json={"origin": "Kiasma"})
    assert missing.status_code == 404 and missing.json()["hint"]
    assert unreachable.status_code == 404 and unreachable.json()["details"]["field"] == "origin"
    assert bad_mode.status_code == 422 and bad_mode.json()["code"] == "invalid_input"
    assert half_map.status_code == 422 and "both" in half_map.json()["hint"]


async def test_departure_time_moves_with_the_simulated_clock(nav_rw: NavEnv) -> None:
    body = {"origin": "Kinopalatsi", "destination": "Kiasma", "mode": "driving"}
    async with client(nav_rw) as http:
        rush = (await http.post("/routes", json=body)).json()["routes"][0]
        moved = await http.post(
            "/admin/clock",
            json={"set_to": "2026-11-25T03:00:00+02:00", "backwards": True},
            headers=auth(nav_rw.app, "", "admin"),
        )
        assert moved.status_code == 200, moved.text
        night = (await http.post("/routes", json=body)).json()["routes"][0]
    assert rush["depart_at"].startswith("2026-11-25T08:00") and night["depart_at"].startswith("2026-11-25T03:00")
    assert (rush["traffic"], night["traffic"]) == ("heavy", "light")
    assert night["duration_s"] < rush["duration_s"]
