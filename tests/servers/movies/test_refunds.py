"""Money on movie tickets: one price per seat from hold to ticket, and refunding some seats of an order."""

from __future__ import annotations

from datetime import timedelta

from mcp import Client
from sqlmodel import Session, col, select

from servers.movies.backend import pricing
from servers.movies.backend.models import SEAT_CLAIMS, OrderRow
from shared.account.models import LedgerRow
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import buy, err, free_run, ok, pick, status_of

FEE = pricing.BOOKING_FEE_MINOR


def sold_seats(env: MoviesEnv, order_id: str) -> set[str]:
    with Session(env.engine) as session:
        rows = session.connection().execute(select(SEAT_CLAIMS.c.seat_id).where(SEAT_CLAIMS.c.order_id == order_id))
        return set(rows.scalars())


async def test_the_hold_the_quote_and_the_tickets_show_one_price_and_one_fee_per_seat(movies: MoviesEnv) -> None:
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        hold = await ok(c, "movies_hold_seats", {"showtime_id": rec.id, "quantity": 2})
        quote = await ok(c, "movies_purchase", {"hold_id": hold["id"]})
        paid = await ok(c, "movies_purchase", {"hold_id": hold["id"],
                                               "confirmation_token": quote["quote"]["confirmation_token"]})  # fmt: skip
    price = movies.service.spec(rec.id).prices["STD"]
    each = {"price": price, "fee": FEE, "total": price + FEE}
    for seats in (hold["seats"], quote["quote"]["seats"], paid["order"]["tickets"]):
        assert [{k: s[k]["amount_minor"] for k in each} for s in seats] == [each, each]
    assert paid["order"]["bill"] == hold["bill"] == quote["quote"]["bill"]
    assert sum(t["total"]["amount_minor"] for t in paid["order"]["tickets"]) == hold["bill"]["total"]["amount_minor"]
    assert f"€{FEE / 100:.2f} × 2" in quote["quote"]["summary"]


async def test_one_of_two_seats_is_refunded_and_the_other_stays_sold(movies_any_db: MoviesEnv) -> None:
    env = movies_any_db
    rec = pick(env, min_hours=3)
    price = env.service.spec(rec.id).prices["STD"]
    async with Client(env.server) as c:
        order = await buy(c, rec.id, 2)
        first, second = (t["seat_id"] for t in order["tickets"])
        before, free = env.wallet(), (await ok(c, "movies_get_seat_map", {"showtime_id": rec.id}))["seat_map"]["free"]
        offer = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [second.lower()]})
        done = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [second],
                                             "confirmation_token": offer["quote"]["confirmation_token"]})  # fmt: skip
        retry = await ok(c, "movies_refund", {"order_id": order["id"],
                                              "confirmation_token": offer["quote"]["confirmation_token"]})  # fmt: skip
        half = env.wallet()
        again = await err(c, "movies_refund", {"order_id": order["id"], "seat_ids": [second]})
        stranger = await err(c, "movies_refund", {"order_id": order["id"], "seat_ids": ["SALI9-ROWZ-SEAT1"]})
        after = (await ok(c, "movies_get_seat_map", {"showtime_id": rec.id}))["seat_map"]["free"]
        assert sold_seats(env, order["id"]) == {first}
        rest = await ok(c, "movies_refund", {"order_id": order["id"]})
        last = await ok(c, "movies_refund", {"order_id": order["id"],
                                             "confirmation_token": rest["quote"]["confirmation_token"]})  # fmt: skip
        refunded = await ok(c, "movies_list_orders", {"status": "refunded"})
    quote = offer["quote"]
    assert quote["seat_ids"] == [second] and quote["refund"]["amount_minor"] == price
    assert quote["paid"]["amount_minor"] == price + FEE and quote["kept"]["amount_minor"] == FEE
    assert "1 of 2 ticket(s)" in quote["summary"]
    assert done["status"] == "done" and done["order"]["status"] == "partly_refunded"
    assert [t["status"] for t in done["order"]["tickets"]] == ["valid", "refunded"]
    assert retry["order"] == done["order"], "the same token never refunds twice"
    assert half == before + price == done["wallet"]["amount_minor"]
    assert "already refunded" in again and "not part of order" in stranger
    # the seats left to refund are named (only the one not refunded), not a lookup in movies_list_orders
    assert f"Its seats not refunded are {first}:" in stranger, stranger
    assert after == free + 1, "the refunded seat is back on sale"
    assert rest["quote"]["seat_ids"] == [first] and rest["quote"]["refund"]["amount_minor"] == price
    assert last["order"]["status"] == "refunded" and last["order"]["refunded"]["amount_minor"] == 2 * price
    assert [o["id"] for o in refunded["orders"]] == [order["id"]]
    assert env.wallet() == before + 2 * price and sold_seats(env, order["id"]) == set()
    with Session(env.engine) as session:
        moves = session.exec(
            select(LedgerRow)
            .where(LedgerRow.vertical == "movies", LedgerRow.kind == "refund")
            .order_by(col(LedgerRow.id))
        ).all()
        row = session.get(OrderRow, order["id"])
    assert [m.amount_minor for m in moves] == [price, price]
    assert len({m.ref for m in moves}) == 2 and all(m.ref.startswith("rfd_") for m in moves)  # a refund id each
    assert row is not None and {s["refund_id"] for s in row.seats} == {m.ref for m in moves}


async def test_couple_seats_are_refunded_as_a_pair_and_closed_refunds_stay_closed(movies: MoviesEnv) -> None:
    rec = next(
        r
        for r in status_of(movies)["on_sale"]
        if "COUPLE" in movies.service.catalog.tiers(r.auditorium_id)
        and r.starts_at - movies.service.now() > timedelta(hours=3)
        and movies.service.spec(r.id).layout.best_available("COUPLE", 2, movies.service.spec(r.id).blocked)
    )
    pair = free_run(movies, rec, 2, "COUPLE")
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2, "COUPLE")
        assert [t["seat_id"] for t in order["tickets"]] == pair
        before = movies.snapshot()
        half = await err(c, "movies_refund", {"order_id": order["id"], "seat_ids": [pair[0]]})
        twice = await err(c, "movies_refund", {"order_id": order["id"], "seat_ids": [pair[0], pair[0]]})
        unchanged = movies.snapshot() == before
        whole = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": pair})
        movies.clock.set(rec.starts_at - timedelta(minutes=59))
        late = await err(c, "movies_refund", {"order_id": order["id"], "seat_ids": pair})
    assert "couple seat" in half and "Refund both" in half and "twice" in twice and unchanged
    assert whole["quote"]["seat_ids"] == pair
    assert "refunds close 1 hour before" in late


async def test_an_order_refunded_whole_before_seats_could_be_still_reads_refunded(movies: MoviesEnv) -> None:
    """Orders refunded by the previous version kept the refund on the order alone."""
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 2)
        with Session(movies.engine) as session:
            row = session.get(OrderRow, order["id"])
            assert row is not None
            row.seats = [{k: v for k, v in s.items() if k != "refund_id"} for s in row.seats]
            row.refund_id, row.refunded_minor = "rfd_older", row.tickets_minor
            session.add(row)
            session.commit()
        listed = await ok(c, "movies_list_orders", {"status": "refunded"})
        text = await err(c, "movies_refund", {"order_id": order["id"]})
    assert listed["orders"][0]["status"] == "refunded"
    assert {t["status"] for t in listed["orders"][0]["tickets"]} == {"refunded"}
    assert "already refunded" in text


async def test_a_whole_order_refund_confirmed_after_one_seat_went_back_asks_for_a_new_quote(movies: MoviesEnv) -> None:
    """The token was quoted for all three seats; once one of them is refunded on its own, confirming it was refused
    with 'Leave it out', which the agent cannot do with a token (its seats are the quote's): it must quote again."""
    rec = pick(movies, min_hours=3)
    async with Client(movies.server) as c:
        order = await buy(c, rec.id, 3)
        whole = await ok(c, "movies_refund", {"order_id": order["id"]})
        first = order["tickets"][0]["seat_id"]
        one = await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [first]})
        await ok(c, "movies_refund", {"order_id": order["id"], "seat_ids": [first],
                                      "confirmation_token": one["quote"]["confirmation_token"]})  # fmt: skip
        before = movies.snapshot()
        token = whole["quote"]["confirmation_token"]
        text = await err(c, "movies_refund", {"order_id": order["id"], "confirmation_token": token})
        assert movies.snapshot() == before
        again = await ok(c, "movies_refund", {"order_id": order["id"]})
    assert "Leave it out" not in text
    assert first in text and "nothing was refunded" in text
    assert f"movies_refund(order_id='{order['id']}')" in text
    assert again["quote"]["seat_ids"] == [t["seat_id"] for t in order["tickets"][1:]]
