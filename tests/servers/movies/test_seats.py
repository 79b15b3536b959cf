"""Seats as people mean them, through the tools: the best available is the centre of the best rows, a wheelchair
space comes with its companion's seat, and a seat id says which screen, row and seat it is."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client
from sqlalchemy import select, update
from sqlmodel import Session

from servers.movies.backend.catalog import ShowtimeRec
from servers.movies.backend.models import SEAT_CLAIMS, SEAT_HOLDS, OrderRow
from shared.kit.db import session_scope
from shared.seating import BEST_AVAILABLE_ORDER
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import err, free_run, ok, pick, status_of

LARGE = ("cin_n1376356017-1", "cin_n1381017800-1")  # Kinopalatsi Sali 1 and Bio Rex: aisles after seats 5 and 19
SEAT_ID = re.compile(r"^[A-Z0-9_]+-ROW[A-Z0-9]+-SEAT\d+$")


def large_showtime(env: MoviesEnv, free: list[tuple[str, int]]) -> ShowtimeRec:
    """The soonest on-sale showtime, 3+ hours ahead, in a large screen where these (row, number) seats are free."""
    svc = env.service
    for rec in status_of(env)["on_sale"]:
        if rec.auditorium_id not in LARGE or rec.starts_at - svc.now() < timedelta(hours=3):
            continue
        spec = svc.spec(rec.id)
        code = spec.layout.layout.sections[0].code
        if all(f"{code}-ROW{row}-SEAT{n}" not in spec.blocked for row, n in free):
            return rec
    raise AssertionError("no showtime in the fixtures matches")


def take(env: MoviesEnv, rec: ShowtimeRec, user: str, seat_ids: list[str]) -> list[str]:
    """Another account holds these seats (those still free), straight through the engine, ten at a time; returns
    the hold ids."""
    svc = env.service
    spec = svc.spec(rec.id)
    now = svc.now()
    with session_scope(svc.engine) as session:
        gone = svc.seating.unavailable(session, spec, now)
    wanted = [s for s in seat_ids if s not in gone]
    holds = []
    for i in range(0, len(wanted), 10):
        with session_scope(svc.engine) as session:
            hold = svc.seating.hold(
                session, rec.id, user_id=user, now=now, ttl=timedelta(minutes=10), seat_ids=wanted[i : i + 10]
            )
            holds.append(hold.hold_id)
    return holds


def claims(env: MoviesEnv, rec: ShowtimeRec) -> dict[str, tuple[str, str]]:
    """seat id -> (user, order) of every claim of the showtime, as stored."""
    with Session(env.engine) as session:
        rows = session.connection().execute(
            select(SEAT_CLAIMS.c.seat_id, SEAT_CLAIMS.c.user_id, SEAT_CLAIMS.c.order_id).where(
                SEAT_CLAIMS.c.inventory_id == rec.id
            )
        )
        return {seat: (user, order) for seat, user, order in rows}


async def test_two_seats_in_the_middle_are_the_centre_of_the_next_row_not_the_aisle_block(movies: MoviesEnv) -> None:
    """With the sweet-spot row K gone and row J's centre block taken, the old pick was J-20/J-21 beside the aisle;
    the centre pair of row I comes first now, and the tool says in what order it chooses."""
    rec = large_showtime(movies, [("I", 12), ("I", 13), ("J", 20), ("J", 21)])
    layout = movies.service.spec(rec.id).layout
    code = layout.layout.sections[0].code
    gone = [s.seat_id for s in layout.seats.values() if s.row == "K" or (s.row == "J" and 6 <= s.number <= 19)]
    take(movies, rec, "usr_alice", [sid for sid in gone if layout.seats[sid].tier == "STD"])
    async with Client(movies.server) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
    assert BEST_AVAILABLE_ORDER in (tools["movies_hold_seats"].description or "")
    assert [s["seat_id"] for s in hold["seats"]] == [f"{code}-ROWI-SEAT12", f"{code}-ROWI-SEAT13"]
    mine = {seat for seat, (user, order) in claims(movies, rec).items() if user == "usr_demo"}
    assert mine == {f"{code}-ROWI-SEAT12", f"{code}-ROWI-SEAT13"}


async def test_a_wheelchair_space_comes_with_a_companion_seat_beside_it(movies_any_db: MoviesEnv) -> None:
    env = movies_any_db
    companions = [("A", 2), ("A", 21), ("I", 2), ("I", 23)]
    rec = large_showtime(env, companions)
    code = env.service.spec(rec.id).layout.layout.sections[0].code
    beside = [f"{code}-ROW{row}-SEAT{n}" for row, n in companions]
    blocking = take(env, rec, "usr_alice", beside)  # every seat next to one of the four wheelchair spaces
    async with Client(env.server_for("usr_bob")) as bob:
        refused = await err(bob, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 2})
        alone = await ok(bob, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 1})
        await ok(bob, "movies_release_hold", {"hold_id": alone["id"]})
    async with Client(env.server_for("usr_alice")) as alice:
        for hold_id in blocking:
            await ok(alice, "movies_release_hold", {"hold_id": hold_id})
    before = env.wallet()
    async with Client(env.server) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "WHEELCHAIR", "quantity": 2})
        quote = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        paid = await ok(c, "movies_purchase", {"hold_id": hold["id"],
                                               "confirmation_token": quote["quote"]["confirmation_token"]})  # fmt: skip
    assert "4 wheelchair space(s) of tier WHEELCHAIR are free, but none has 1 free companion seat(s)" in refused
    assert "Only" not in refused
    assert [(s["tier"], s["kind"]) for s in alone["seats"]] == [("WHEELCHAIR", "accessible")]
    seats = hold["seats"]
    assert sorted((s["tier"], s["kind"]) for s in seats) == [("STD", "standard"), ("WHEELCHAIR", "accessible")]
    assert seats[0]["row"] == seats[1]["row"] and abs(seats[0]["number"] - seats[1]["number"]) == 1
    space = next(s for s in seats if s["kind"] == "accessible")
    assert "wheelchair space" in space["label"] and "wheelchair space" in quote["quote"]["summary"]
    spec = env.service.spec(rec.id)
    total = spec.prices["WHEELCHAIR"] + spec.prices["STD"] + 2 * 95
    assert hold["bill"]["total"]["amount_minor"] == total and env.wallet() == before - total
    tickets = paid["order"]["tickets"]
    assert [(t["kind"], "wheelchair space" in t["seat"]) for t in tickets] == [
        (s["kind"], s["kind"] == "accessible") for s in seats
    ]
    assert {seat for seat, (user, order) in claims(env, rec).items() if order == paid["order"]["id"]} == {
        s["seat_id"] for s in seats
    }


async def test_seat_ids_name_the_screen_row_and_seat_and_the_old_form_still_works(movies: MoviesEnv) -> None:
    rec = large_showtime(movies, [("K", 12), ("K", 13)])
    code = movies.service.spec(rec.id).layout.layout.sections[0].code
    async with Client(movies.server) as c:
        seat_map = await ok(c, "movies_get_seat_map", {"showtime_id": rec.id})
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["H-K-12", "h-k-13"]})
        today = [f"{code}-ROWK-SEAT12", f"{code}-ROWK-SEAT13"]
        again = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": today})
        unknown = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["H-H-99"]})
    assert code in ("SALI1", "REX") and seat_map["seat_map"]["sections"][0]["code"] == code
    assert "ROW<row>-SEAT<number>" in seat_map["seat_map"]["seat_id_format"]
    assert [s["seat_id"] for s in hold["seats"]] == [f"{code}-ROWK-SEAT12", f"{code}-ROWK-SEAT13"]
    assert again == hold and all(SEAT_ID.match(s["seat_id"]) for s in hold["seats"])
    assert "does not exist" in unknown and f"'{code}-ROWA-SEAT" in unknown


async def test_orders_and_holds_stored_with_old_seat_ids_read_and_refund_as_today(movies: MoviesEnv) -> None:
    """A database from before seat ids changed form: its claims, holds and orders say 'H-K-12'. Orders list today's
    ids, the seats stay taken, and refunding one seat by today's id gives it back."""
    rec = large_showtime(movies, [("K", 12), ("K", 13)])
    layout = movies.service.spec(rec.id).layout
    async with Client(movies.server) as c:
        order = await buy_seats(c, rec.id, [layout.canonical("H-K-12"), layout.canonical("H-K-13")])
    new_ids = [t["seat_id"] for t in order["tickets"]]
    old = {sid: layout.seats[sid].legacy_id for sid in new_ids}
    with session_scope(movies.engine) as session:  # written as the previous version wrote them
        conn = session.connection()
        for new, legacy in old.items():
            conn.execute(update(SEAT_CLAIMS).where(SEAT_CLAIMS.c.seat_id == new).values(seat_id=legacy))
        row = session.get(OrderRow, order["id"])
        assert row is not None
        row.seats = [{k: v for k, v in s.items() if k != "refund_id"} | {"seat_id": old[s["seat_id"]]}
                     for s in row.seats]  # fmt: skip
        held = conn.execute(select(SEAT_HOLDS.c.seats).where(SEAT_HOLDS.c.id == row.hold_id)).scalar_one()
        conn.execute(
            update(SEAT_HOLDS).where(SEAT_HOLDS.c.id == row.hold_id).values(seats=[[old[s], p] for s, p in held])
        )
        session.add(row)
    async with Client(movies.server) as c:
        listed = await ok(c, "movies_list_orders", {})
        async with Client(movies.server_for("usr_bob")) as bob:
            taken = await err(bob, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": new_ids[:1]})
        offer = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": new_ids[1:]})
        done = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": new_ids[1:],
                                             "confirmation_token": offer["quote"]["confirmation_token"]})  # fmt: skip
        async with Client(movies.server_for("usr_bob")) as bob:
            freed = await ok(bob, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": new_ids[1:]})
    assert [t["seat_id"] for t in listed["orders"][0]["tickets"]] == new_ids
    assert "no longer available" in taken
    assert offer["quote"]["seat_ids"] == new_ids[1:]
    assert [t["status"] for t in done["order"]["tickets"]] == ["valid", "refunded"]
    assert freed["status"] == "held"
    assert claims(movies, rec)[old[new_ids[0]]] == ("usr_demo", order["id"]), "the other seat is still sold"


async def test_holding_again_for_the_showtime_replaces_your_hold(movies: MoviesEnv) -> None:
    """A user who changes their mind ('just seat B') holds again: the new selection replaces the old hold, whose
    other seat goes back on sale at once instead of staying blocked for ten minutes (two holds of one user used to
    coexist); a failed new hold leaves the old one as it was."""
    rec = pick(movies)
    a, b = free_run(movies, rec, 2)
    taken = next(s for s in movies.service.spec(rec.id).layout.seats if s not in (a, b))
    async with Client(movies.server) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [a, b]})
        async with Client(movies.server_for("usr_bob")) as bob:
            theirs = await ok(bob, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [taken]})
        before = movies.snapshot()
        await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [b, taken]})  # Bob has that one
        assert movies.snapshot() == before  # refused: the old hold stands
        alone = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [b]})
        async with Client(movies.server_for("usr_bob")) as bob:
            freed = await ok(bob, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [a]})
    assert [s["seat_id"] for s in theirs["seats"]] == [taken]
    assert [s["seat_id"] for s in alone["seats"]] == [b] and alone["replaced_hold_ids"] == [hold["id"]]
    assert [s["seat_id"] for s in freed["seats"]] == [a] and freed["replaced_hold_ids"] == [theirs["id"]]


async def buy_seats(c: Client, showtime_id: str, seat_ids: list[str]) -> dict[str, Any]:
    hold = await ok(c, "movies_hold_seats", {"showtime_id": showtime_id, "seat_ids": seat_ids})
    quote = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
    token = quote["quote"]["confirmation_token"]
    return (await ok(c, "movies_purchase", {"hold_id": hold["id"], "confirmation_token": token}))["order"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("said", "tier", "quantity"),
    [("Standard", "STD", 2), ("普通座", "STD", 1), ("Premium recliner", "PREMIUM", 2), ("优选座", "PREMIUM", 1),
     ("情侣座", "COUPLE", 2), ("Couple seat", "COUPLE", 2), ("无障碍座", "WHEELCHAIR", 1),
     # by price, as tickets reads a tier (it was 'not a tier of this screen'): never a wheelchair space, couple
     # seats only in pairs
     ("最便宜的", "STD", 2), ("cheapest", "STD", 1), ("best", "PREMIUM", 1), ("最贵的", "COUPLE", 2),
     # the best seats are the best view, the premium recliners' middle, not the couple sofas of the back row (the
     # dearest): '最好的位置' was 'not a tier of this screen', 'best' for two took a couple pair
     ("best", "PREMIUM", 2), ("最好的位置", "PREMIUM", 2), ("best seats", "PREMIUM", 2), ("最佳观影区", "PREMIUM", 1),
     ("most expensive", "COUPLE", 2),
     # other words for a tier: '无障碍' (accessible) was 'not a tier of this screen' beside '无障碍座'
     ("无障碍", "WHEELCHAIR", 1), ("轮椅位", "WHEELCHAIR", 1), ("accessible", "WHEELCHAIR", 1),
     ("双人座", "COUPLE", 2), ("loveseat", "COUPLE", 2), ("躺椅", "PREMIUM", 1), ("普通", "STD", 1),
     ("regular", "STD", 2)],
)  # fmt: skip
async def test_a_tier_can_be_named_as_tier_names_shows_it(
    movies: MoviesEnv, said: str, tier: str, quantity: int
) -> None:
    """Every showtime page lists tier_names as 'STD: Standard / 普通座'; a tier asked for by one of those names was
    refused as 'not a tier of this screen'."""
    rec = pick(movies, min_hours=3, tier="COUPLE", free=2)
    async with Client(movies.server) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": said, "quantity": quantity})
        unknown = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "tier": "VIP", "quantity": 1})
    assert [s["tier"] for s in hold["seats"]] == [tier] * quantity
    assert "STD (Standard / 普通座)" in unknown


async def test_seats_said_by_row_and_number_are_held(movies: MoviesEnv) -> None:
    """'E7' and 'E-8', as a user reads them off the seat map, hold row E seats 7 and 8 of the screen (they were
    'Seat E7 does not exist here')."""
    rec = large_showtime(movies, [("E", 7), ("E", 8)])
    async with Client(movies.server) as c:
        held = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["E7", "e-8"]})
    assert [(s["row"], s["number"]) for s in held["seats"]] == [("E", 7), ("E", 8)], held
    assert all(SEAT_ID.match(s["seat_id"]) for s in held["seats"])


@pytest.mark.parametrize(
    "said", [["Row E seat 7", "row E, seat 8"], ["E排7座", "E排8号"], ["rivi E paikka 7", "Row E #8"]]
)
async def test_seats_said_in_words_are_held(movies: MoviesEnv, said: list[str]) -> None:
    """'Row E seat 7' and 'E排7座' were refused as ids before any seat was looked at ('ids hold only ASCII letters,
    digits…'): a seat said by row and number in words is that seat, and a refusal quotes it as said."""
    rec = large_showtime(movies, [("E", 7), ("E", 8)])
    async with Client(movies.server) as c:
        held = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": said})
        missing = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["row Z seat 99"]})
        odd = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["E7; DROP TABLE"]})
    assert [(s["row"], s["number"]) for s in held["seats"]] == [("E", 7), ("E", 8)], held
    assert "seat 'row z seat 99' does not exist here" in missing.lower(), missing
    assert "is not a valid seat" in odd and "Nothing was changed" in odd, odd


async def test_several_seats_in_one_entry_are_each_held(movies: MoviesEnv) -> None:
    """'K12,K13', 'K12-K13', 'K排12、13座' and 'row K seats 12 and 13', each as one entry of seat_ids (as models and
    people join them), were one seat that 'does not exist here': each names both seats."""
    rec = large_showtime(movies, [("K", 12), ("K", 13)])
    code = movies.service.spec(rec.id).layout.layout.sections[0].code
    both = [f"{code}-ROWK-SEAT12", f"{code}-ROWK-SEAT13"]
    held = {}
    async with Client(movies.server) as c:
        for said in ("K12,K13", "K12-K13", "K排12、13座", "row K seats 12 and 13", ",".join(both)):
            hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": [said]})
            held[said] = [s["seat_id"] for s in hold["seats"]]
        backwards = await err(c, "movies_hold_seats", {"showtime_id": rec.id, "seat_ids": ["K13-K12"]})
    assert all(seats == both for seats in held.values()), held
    assert "'K13-K12' does not exist here" in backwards, backwards
