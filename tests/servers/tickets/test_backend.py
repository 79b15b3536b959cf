"""The provider API on its own: the contract a real Damai adapter would implement, and its behaviour
when many clients race for the same seats."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from sqlmodel import Session, select

from servers.tickets.backend.app import prepare
from servers.tickets.backend.models import SEAT_CLAIMS, SEAT_HOLDS, MetaRow, OrderRow, TicketRow
from shared.account import clock as sandbox_clock
from shared.account.models import LedgerRow, WalletRow
from shared.account.wallet import ledger_total
from tests.servers.food.helpers import ok
from tests.servers.tickets.conftest import NOON, TicketsEnv
from tests.servers.tickets.helpers import pick
from tests.support import auth, fresh_engine, provider, sandbox_settings


def client(env: TicketsEnv, user: str = "usr_demo") -> httpx.AsyncClient:
    """The provider API as an MCP server of this sandbox calls it for ``user`` (a signed credential)."""
    return provider(env.app, user)


async def test_the_openapi_document_lists_every_route_and_the_error_body(tickets: TicketsEnv) -> None:
    async with client(tickets) as http:
        spec = (await http.get("/openapi.json")).json()
    assert {
        "/events",
        "/events/{event_id}",
        "/sessions/{session_id}/seatmap",
        "/holds",
        "/holds/{hold_id}/release",
        "/orders/quote",
        "/holds/{hold_id}/purchase",
        "/orders",
        "/orders/{order_id}/refund/quote",
        "/orders/{order_id}/refund",
        "/attendees",
        "/account",
        "/account/wallet",
    } <= set(spec["paths"])
    assert "/me" not in spec["paths"]  # the account's routes serve the user and the wallet
    assert "ErrorBody" in spec["components"]["schemas"]


async def test_errors_carry_a_status_code_and_a_hint(tickets: TicketsEnv) -> None:
    async with client(tickets) as http:
        missing = await http.get("/events/evt_missing")
        invalid = await http.post("/holds", json={"session_id": "ses_x", "quantity": "two"})
        unknown_user = await http.get("/attendees", headers=auth(tickets.app, "usr_ghost"))
        anonymous = await http.get("/orders", headers={"Authorization": ""})
        named_only = await http.get("/orders", headers={"Authorization": "", "X-Lifestyle-User": "usr_demo"})
        conflict = await http.post(
            "/holds", json={"session_id": pick(tickets).session.id, "tier": "NOPE", "quantity": 1}
        )
    assert missing.status_code == 404 and missing.json()["code"] == "not_found" and missing.json()["hint"]
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"
    assert unknown_user.status_code == 404 and "usr_ghost" in unknown_user.json()["message"]
    assert anonymous.status_code == 401 and named_only.status_code == 401  # naming a user is not a credential
    assert conflict.status_code == 422 and "Use one of" in conflict.json()["hint"]


async def test_the_admin_clock_moves_simulated_time_for_the_admin_only(tickets: TicketsEnv) -> None:
    admin = auth(tickets.app, "", "admin")
    async with client(tickets) as http:
        before = (await http.get("/admin/clock", headers=admin)).json()
        after = (await http.post("/admin/clock", json={"advance_seconds": 3600}, headers=admin)).json()
        as_user = await http.post("/admin/clock", json={"advance_seconds": 3600})
    assert before["scale"] == 0 and after["now"] > before["now"]
    assert as_user.status_code == 403
    assert tickets.service.now() == datetime.fromisoformat(after["now"])  # the service tells time by that clock


def test_seeding_anchors_the_season_on_the_sandbox_clock_read_in_its_own_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When servers start together, tickets may get its turn to seed with a stale copy of the clock; reading
    the clock again on a second connection would wait on the seeding transaction's own SQLite lock."""
    monkeypatch.setattr(sandbox_clock, "STALE_AFTER_S", -1.0)  # every clock read goes to the database
    settings = sandbox_settings("tickets", tmp_path, NOON)
    sandbox = prepare(settings, engine=fresh_engine(settings))
    try:
        with Session(sandbox.engine) as session:
            anchor = session.get(MetaRow, "season_anchor")
    finally:
        sandbox.engine.dispose()
    assert anchor is not None and datetime.fromisoformat(anchor.value) == datetime(2026, 11, 23, tzinfo=NOON.tzinfo)


async def test_racing_clients_never_sell_a_seat_twice(tickets_any_db: TicketsEnv) -> None:
    """Four accounts, 32 concurrent attempts at overlapping seats of one row: holds and purchases race in the
    backend (holds on its event loop on PostgreSQL, in worker threads on SQLite; purchases in worker threads); each
    seat ends up in at most one paid order, each order has exactly its hold's seats, and every wallet moved by
    exactly its orders."""
    env = tickets_any_db
    p = pick(env, min_days=3, free=6)
    seats = env.service.inventory.seats(p.event)
    blocked = env.service.inventory.presold(p.session.id)
    rows: dict[tuple[str, str], list[str]] = {}
    for s in seats.values():
        if s.tier == p.tier and s.seat_id not in blocked:
            rows.setdefault((s.section, s.row), []).append(s.seat_id)
    pool = max(rows.values(), key=len)[:8]
    users = ["usr_demo", "usr_alice", "usr_bob", "usr_carol"]
    wallets = {u: env.wallet(u) for u in users}
    outcomes: Counter[str] = Counter()
    bought: set[str] = set()

    async def attempt(user: str, n: int) -> None:
        rng = random.Random(f"{user}:{n}")
        body: dict[str, Any] = {"session_id": p.session.id}
        if n % 2:
            body["seat_ids"] = rng.sample(pool, 2)
        else:
            body |= {"tier": p.tier, "quantity": 1 + n % 4 // 2}
        async with client(env, user) as http:
            hold = await http.post("/holds", json=body)
            if hold.status_code != 200:
                outcomes[f"hold {hold.status_code}"] += 1
                return
            quote = await http.post("/orders/quote", json={"hold_id": hold.json()["id"]})
            if quote.status_code != 200:  # the wallet ran dry, or its twin request bought this very hold
                assert quote.status_code == 402 or "already bought" in quote.text, quote.text
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
        tickets = session.exec(select(TicketRow).where(TicketRow.session_id == p.session.id)).all()
        orders = session.exec(select(OrderRow).where(OrderRow.session_id == p.session.id)).all()
        claims = (
            session.connection()
            .execute(
                select(SEAT_CLAIMS.c.seat_id, SEAT_CLAIMS.c.order_id).where(SEAT_CLAIMS.c.inventory_id == p.session.id)
            )
            .all()
        )
        charges = session.exec(
            select(LedgerRow).where(LedgerRow.vertical == "tickets", LedgerRow.kind == "charge")
        ).all()
        for order in orders:
            hold = session.connection().execute(select(SEAT_HOLDS).where(SEAT_HOLDS.c.id == order.hold_id)).first()
            assert hold is not None and hold.order_id == order.id
            mine = sorted(t.seat_id for t in tickets if t.order_id == order.id)
            assert mine == sorted(seat_id for seat_id, _ in hold.seats)
            assert {seat for seat, owner in claims if owner == order.id} == set(mine)
        balances = {u: session.get(WalletRow, u).balance_minor for u in users}  # type: ignore[union-attr]
        ledgers = {u: ledger_total(session, u) for u in users}
    sold = [t.seat_id for t in tickets]
    assert len(sold) == len(set(sold)), "a seat was sold twice"
    assert bought == {o.id for o in orders} and len(orders) >= 1 and outcomes["hold 409"] >= 1
    assert sorted((c.ref, c.user_id, -c.amount_minor) for c in charges) == sorted(
        (o.id, o.user_id, o.total_minor) for o in orders
    )  # one charge per order, for its total
    for user in users:
        spent = sum(o.total_minor for o in orders if o.user_id == user)
        assert balances[user] == wallets[user] - spent == ledgers[user]


async def test_on_sqlite_a_hold_waiting_for_the_write_lock_leaves_the_server_answering(tickets: TicketsEnv) -> None:
    """On SQLite every transaction takes the database's one write lock and may wait for it up to the busy timeout
    (30 s). A seat hold waits in a worker thread there (``SeatWrites``), so meanwhile the server goes on answering
    what needs no database (here the tool list, on the same session); waiting on the event loop, as holds do on
    PostgreSQL, it would stall the whole in-process server until the lock came free."""
    p = pick(tickets, min_days=3, free=6)
    path = tickets.engine.url.database
    assert path and tickets.engine.dialect.name == "sqlite"
    locker = sqlite3.connect(path, isolation_level=None)  # another writer of the sandbox: another process, say
    try:
        locker.execute("BEGIN IMMEDIATE")
        async with Client(tickets.server) as c, anyio.create_task_group() as tg:
            held: list[dict[str, Any]] = []

            async def hold() -> None:
                args = {"session_id": p.session.id, "tier": p.tier, "quantity": 1}
                held.append(await ok(c, "tickets_hold_seats", args))

            tg.start_soon(hold)
            await anyio.sleep(0.3)  # the hold is waiting for the lock now
            tools = await c.list_tools()
            assert tools.tools and not held, "the server did not answer while a hold waited"
            locker.execute("COMMIT")
        assert held[0]["seats"], held  # and the hold went through once the lock was free
    finally:
        locker.close()


async def _both(a: Any, b: Any) -> tuple[httpx.Response, httpx.Response]:
    out: list[httpx.Response] = []

    async def run(coro: Any) -> None:
        out.append(await coro)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, a)
        tg.start_soon(run, b)
    return out[0], out[1]
