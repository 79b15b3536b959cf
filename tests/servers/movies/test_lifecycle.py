"""Holds lapse, sales close and the refund window shuts on the simulated clock, from timestamps alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from mcp import Client

from servers.movies.backend import pricing
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import buy, err, ok, pick


async def test_a_hold_lapses_by_the_clock_and_its_seats_are_free_again(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        free = (await ok(c, "movies_get_seat_map", {"showtime_id": rec.id}))["seat_map"]["free"]
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
        held = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        quote = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        movies.clock.advance(pricing.HOLD_TTL + timedelta(seconds=1))
        lapsed = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        before = movies.snapshot()
        token = quote["quote"]["confirmation_token"]
        text = await err(c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": token})
        requote = await err(c, "movies_purchase", {"hold_id": hold["id"]})
        unchanged = movies.snapshot() == before
        released = await ok(c, "movies_release_hold", {"hold_id": hold["id"]})
        again = await ok(
            c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [s["seat_id"] for s in hold["seats"]]}
        )
    assert held["seat_map"]["free"] == free - 2
    assert sum(r["seats"].count("y") for r in held["seat_map"]["sections"][0]["rows"]) == 2
    assert lapsed["seat_map"]["free"] == free
    assert "expired" in text and "nothing was bought" in text and "expired" in requote
    assert unchanged
    assert released["status"] == "expired"
    assert again["status"] == "held"


async def test_a_hold_never_outlives_the_online_sale(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    movies.clock.set(rec.starts_at - timedelta(minutes=14))
    async with Client(movies.server) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 1})
    assert datetime.fromisoformat(hold["expires_at"]) == rec.starts_at - pricing.SALES_CLOSE_BEFORE


async def test_refunds_close_one_hour_before_and_tickets_are_used_after_the_show(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    film = movies.service.catalog.films[rec.film_id]
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2)
        late = await buy(c, rec.id, 1)
        movies.clock.set(rec.starts_at - timedelta(hours=1, minutes=1))
        offer = await ok(c, "movies_refund", {"order_id": order["id"]})
        movies.clock.set(rec.starts_at - timedelta(minutes=59))
        before = movies.snapshot()
        expired_token = await err(
            c, "movies_refund", {"order_id": order["id"], "confirmation_token": offer["quote"]["confirmation_token"]}
        )
        too_late = await err(c, "movies_refund", {"order_id": late["id"]})
        unchanged = movies.snapshot() == before
        listed = await ok(c, "movies_list_orders", {"status": "upcoming"})
        movies.clock.set(rec.starts_at + pricing.TRAILERS + timedelta(minutes=film.runtime_min + 1))
        past = await ok(c, "movies_list_orders", {"status": "past"})
    assert offer["quote"]["refund"]["amount_minor"] == order["bill"]["tickets"]["amount_minor"]
    assert "refunds close 1 hour before" in expired_token and "refunds close 1 hour before" in too_late
    assert unchanged
    assert all(o["refund_now"].startswith("No refund now") for o in listed["orders"])
    assert {t["status"] for o in past["orders"] for t in o["tickets"]} == {"used"}


async def test_at_exactly_one_hour_before_a_refund_is_refused_not_quoted_with_a_dead_token(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 1)
        movies.clock.set(rec.starts_at - pricing.REFUND_UNTIL_BEFORE)
        before = movies.snapshot()
        text = await err(c, "movies_refund", {"order_id": order["id"]})
    assert "refunds close 1 hour before" in text
    assert movies.snapshot() == before
