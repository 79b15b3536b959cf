"""The provider API on its own: the contract a real Taopiaopiao adapter would implement, and its behaviour
when many clients race for the same seats."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import anyio
import httpx
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from servers.movies.backend.models import SEAT_CLAIMS, SEAT_HOLDS, OrderRow
from shared.account.models import LedgerRow, WalletRow
from shared.account.wallet import ledger_total
from tests.servers.movies.conftest import MoviesEnv
from tests.servers.movies.helpers import pick
from tests.support import auth, provider


def client(env: MoviesEnv, user: str = "usr_demo") -> httpx.AsyncClient:
    return provider(env.app, user)


async def test_the_openapi_document_lists_every_route_and_the_error_body(movies_readonly: MoviesEnv) -> None:
    async with client(movies_readonly) as http:
        spec = (await http.get("/openapi.json")).json()
    assert {
        "/movies",
        "/movies/{movie_id}",
        "/cinemas",
        "/showtimes",
        "/showtimes/{showtime_id}/seatmap",
        "/holds",
        "/holds/{hold_id}/release",
        "/orders/quote",
        "/holds/{hold_id}/purchase",
        "/orders",
        "/orders/{order_id}/refund/quote",
        "/orders/{order_id}/refund",
        "/account",
        "/account/addresses",
        "/account/wallet",
    } <= set(spec["paths"])
    assert "ErrorBody" in spec["components"]["schemas"]


async def test_errors_carry_a_status_code_and_a_hint(movies_readonly: MoviesEnv) -> None:
    env = movies_readonly
    async with client(env) as http:
        missing = await http.get("/movies/mov_missing")
        invalid = await http.post("/holds", json={"showtime_id": "sht_x", "quantity": "two"})
        unknown_user = await http.get("/account", headers=auth(env.app, "usr_ghost"))
        anonymous = await http.get("/orders", headers={"Authorization": ""})
        bad_tier = await http.post("/holds", json={"showtime_id": pick(env).id, "tier": "NOPE", "quantity": 1})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found" and missing.json()["hint"]
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"
    assert unknown_user.status_code == 404
    assert anonymous.status_code == 401  # knowing a user id is not enough: a signed credential names the user
    assert bad_tier.status_code == 422 and "Use one of" in bad_tier.json()["hint"]


async def test_the_admin_clock_moves_simulated_time_for_the_admin_only(movies: MoviesEnv) -> None:
    admin = auth(movies.app, "", "admin")
    async with client(movies) as http:
        before = (await http.get("/admin/clock", headers=admin)).json()
        after = (await http.post("/admin/clock", json={"advance_seconds": 3600}, headers=admin)).json()
        as_user = await http.post("/admin/clock", json={"advance_seconds": 3600})
    assert before["scale"] == 0 and after["now"] > before["now"]
    assert as_user.status_code == 403
    assert movies.service.now() == movies.clock.now()  # the movies backend runs on the sandbox clock it set


async def test_racing_clients_never_sell_a_seat_twice(movies_any_db: MoviesEnv) -> None:
    """Four accounts, 32 concurrent attempts at the same eight seats of one row: holds and purchases race in the
    backend's worker threads, every purchase sent twice at once. Each seat ends up in at most one paid order,
    each order holds exactly its hold's seats, and every wallet moved by exactly its orders."""
    env = movies_any_db
    rec = pick(env, min_hours=3, free=12)
    spec = env.service.spec(rec.id)
    rows: dict[str, list[str]] = {}
    for s in spec.layout.seats.values():
        if s.tier == "STD" and s.seat_id not in spec.blocked:
            rows.setdefault(s.row, []).append(s.seat_id)
    pool = max(rows.values(), key=len)[:8]
    users = ["usr_demo", "usr_alice", "usr_bob", "usr_carol"]
    wallets = {u: env.wallet(u) for u in users}
    outcomes: Counter[str] = Counter()
    bought: set[str] = set()

    async def attempt(user: str, n: int) -> None:
        rng = random.Random(f"{user}:{n}")
        body: dict[str, Any] = {"showtime_id": rec.id}
        if n % 2:
            body["seat_ids"] = rng.sample(pool, 2)
        else:
            body |= {"tier": "STD", "quantity": 1 + n % 4 // 2}
        async with client(env, user) as http:
            hold = await http.post("/holds", json=body)
            if hold.status_code != 200:
                assert hold.status_code == 409, hold.text
                outcomes[f"hold {hold.status_code}"] += 1
                return
            quote = await http.post("/orders/quote", json={"hold_id": hold.json()["id"]})
            if quote.status_code != 200:  # the wallet ran dry, its twin request bought this very hold, or a later
                # hold of the same user for this showtime replaced it (one selection per showtime)
                assert quote.status_code == 402 or "already bought" in quote.text or "was released" in quote.text, (
                    quote.text
                )
                outcomes[f"quote {quote.status_code}"] += 1
                return
            token = quote.json()["confirmation_token"]
            url = f"/holds/{hold.json()['id']}/purchase"
            first, second = await _both(
                http.post(url, json={"confirmation_token": token}), http.post(url, json={"confirmation_token": token})
            )
            if first.status_code != 200:
                assert first.status_code in (402, 409) and second.status_code == first.status_code, first.text
                outcomes[f"purchase {first.status_code}"] += 1
                return
            assert second.status_code == 200, second.text
            assert first.json()["id"] == second.json()["id"]  # the same token never buys twice
            bought.add(first.json()["id"])

    async with anyio.create_task_group() as tg:
        for user in users:
            for n in range(8):
                tg.start_soon(attempt, user, n)

    with Session(env.engine) as session:
        orders = session.exec(select(OrderRow).where(OrderRow.showtime_id == rec.id)).all()
        conn = session.connection()
        claims = conn.execute(
            core_select(SEAT_CLAIMS.c.seat_id, SEAT_CLAIMS.c.order_id).where(SEAT_CLAIMS.c.inventory_id == rec.id)
        ).all()
        holds = {r.id: r for r in conn.execute(core_select(SEAT_HOLDS).where(SEAT_HOLDS.c.inventory_id == rec.id))}
        charges = session.exec(
            select(LedgerRow).where(LedgerRow.vertical == "movies", LedgerRow.kind == "charge")
        ).all()
        balances = {u: session.get(WalletRow, u).balance_minor for u in users}  # type: ignore[union-attr]
        totals = {u: ledger_total(session, u) for u in users}
    sold = [s["seat_id"] for o in orders for s in o.seats]
    assert len(sold) == len(set(sold)), "a seat was sold twice"
    for order in orders:
        mine = sorted(s["seat_id"] for s in order.seats)
        assert mine == sorted(seat for seat, _ in holds[order.hold_id].seats)
        assert sorted(seat for seat, oid in claims if oid == order.id) == mine
        assert holds[order.hold_id].order_id == order.id
    assert bought == {o.id for o in orders} and len(orders) >= 1 and outcomes["hold 409"] >= 1
    assert sorted(c.ref for c in charges) == sorted(o.id for o in orders)  # one charge per order, no other
    for user in users:
        spent = sum(o.total_minor for o in orders if o.user_id == user)
        assert balances[user] == wallets[user] - spent == totals[user]  # the balance is the sum of the ledger


async def _both(a: Any, b: Any) -> tuple[httpx.Response, httpx.Response]:
    out: list[httpx.Response] = []

    async def run(coro: Any) -> None:
        out.append(await coro)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, a)
        tg.start_soon(run, b)
    return out[0], out[1]
