"""Two processes of the servers (``lifestyle-mcp serve``, twice) on ONE PostgreSQL database, as a deployment
behind a load balancer runs them: eight users send their requests to both at once, interleaved, over streamable
HTTP: cart writes, orders quoted on one replica and confirmed on the other (and confirmed on both at the same
moment), seat holds and purchases in one shared session, holds given back. Afterwards every invariant holds:
no seat is sold twice, every wallet is the sum of its ledger, each user saw only their own cart and orders, and
every order acknowledged exists exactly once, with exactly one charge.

``invariants`` (the database-wide checks) and ``Replica`` (one ``lifestyle-mcp serve`` process) serve
``test_kill.py`` and ``benchmarks/reliability.py`` too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy import text
from sqlalchemy.engine import Engine

from servers.food.backend import app as food_app
from servers.tickets.backend import app as tickets_app
from shared.account.credentials import issue_token
from shared.kit.server import LifestyleServer
from tests.fuzz.strategies import text_of, verdict
from tests.sandboxes import NOON
from tests.servers.food.helpers import ok
from tests.servers.test_concurrency import find_plan
from tests.support import fresh_engine, sandbox_settings

BIN = Path(sys.executable).parent
USERS = 8
ROUNDS = 2
SERVED = ("food", "tickets", "movies", "nav")  # lifestyle-mcp serve: one port each, in this order


# ----- the sandbox and the processes ---------------------------------------------------------------------------
@dataclass
class Shared:
    """A sandbox (food and tickets) on one database, prepared here before any replica starts."""

    data_dir: Path
    database_url: str
    engine: Engine
    servers: dict[str, LifestyleServer]

    @property
    def env(self) -> dict[str, str]:
        """What a replica process is started with: the same data dir (service key) and database."""
        return {
            "PATH": os.environ["PATH"],
            "LIFESTYLE_DATA_DIR": str(self.data_dir),
            "LIFESTYLE_DATABASE_URL": self.database_url,
            "LIFESTYLE_LOG_LEVEL": "WARNING",
        }


def shared_sandbox(data_dir: Path, database_url: str, users: list[str], wallet: int = 100_000) -> Shared:
    """Food and tickets seeded on the database (the clock frozen at a Wednesday noon), and ``users`` with money."""
    settings = {v: sandbox_settings(v, data_dir, NOON, database_url) for v in ("food", "tickets")}
    engine = fresh_engine(settings["food"])
    sandboxes = {"food": food_app.prepare(settings["food"], engine=engine),
                 "tickets": tickets_app.prepare(settings["tickets"], engine=engine)}  # fmt: skip
    home = sandboxes["food"].accounts.list_addresses("usr_demo").addresses[0]
    for n, user in enumerate(users):
        sandboxes["food"].accounts.add_user(user, f"Replica user {n}", wallet_minor=wallet, addresses=[home])
    from servers.food.server import build_server as food_server
    from servers.tickets.server import build_server as tickets_server

    servers = {
        "food": food_server(settings["food"], app=food_app.create_app(settings["food"], sandbox=sandboxes["food"])),
        "tickets": tickets_server(
            settings["tickets"], app=tickets_app.create_app(settings["tickets"], sandbox=sandboxes["tickets"])
        ),
    }
    return Shared(data_dir=data_dir, database_url=database_url, engine=engine, servers=servers)


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Process:
    """A subprocess a test starts, kills with ``kill -9`` and stops; subclasses say how to start it."""

    proc: subprocess.Popen[bytes] | None

    def kill(self) -> None:
        """``kill -9``: no handler runs, no transaction is finished, nothing is flushed."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            finally:
                self.proc.kill()
            self.proc = None


@dataclass
class Replica(Process):
    """One ``lifestyle-mcp serve`` process (all four servers, one port each), startable again on its ports."""

    env: dict[str, str]
    log: Path
    first_port: int = 0  # 0 until the first start: serve --port 0 binds free ports and prints them
    proc: subprocess.Popen[bytes] | None = None
    _log_from: int = 0

    @property
    def urls(self) -> dict[str, str]:
        return {v: f"http://127.0.0.1:{self.first_port + n}/mcp" for n, v in enumerate(SERVED)}

    def start(self, *, wait: bool = True) -> None:
        self._launch()
        if wait:
            self.wait()

    def _launch(self) -> None:
        self._log_from = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "lifestyle-mcp"), "serve", "--port", str(self.first_port)],
                env=self.env, stdout=subprocess.PIPE if not self.first_port else subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        if not self.first_port:  # the sockets are bound before their URLs are printed: no other test can take them
            assert self.proc.stdout is not None
            line = self.proc.stdout.readline().decode()
            if line.startswith("food"):
                self.first_port = int(line.split()[1].rsplit(":", 1)[1].split("/")[0])

    def wait(self, tries: int = 3) -> None:
        """Until every server of the process listens. A port taken meanwhile by someone else (free ports are only
        free when looked at) means new ports and another start; any other death says why, from the log."""
        deadline = time.monotonic() + 60
        while not all(not _free(self.first_port + n) for n in range(len(SERVED))):
            assert self.proc is not None
            if self.proc.poll() is not None:
                why = self.log.read_bytes()[self._log_from :].decode(errors="replace")
                if "cannot listen" in why and tries > 1:  # a restart on its old ports, taken meanwhile: new ones
                    self.first_port = 0
                    self._launch()
                    self.wait(tries - 1)
                    return
                raise AssertionError(f"the replica on port {self.first_port} did not start: {why[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica on port {self.first_port} did not start within a minute")
            time.sleep(0.05)  # waiting for a subprocess to listen, not timing anything


@contextmanager
def replicas(shared: Shared, count: int, logs: Path) -> Iterator[list[Replica]]:
    """``count`` replicas started side by side (their start-ups overlap), stopped at the end whatever happens."""
    with ExitStack() as stack:
        running = [Replica(env=shared.env, log=logs / f"replica{n}.log") for n in range(count)]
        for replica in running:
            stack.callback(replica.stop)
        for replica in running:
            replica.start(wait=False)
        for replica in running:
            replica.wait()
        yield running


@asynccontextmanager
async def over_http(url: str, token: str) -> AsyncIterator[Client]:
    """An MCP client on a replica (as ``tests.support.mcp_over_http``) whose pool drops idle connections after 2 s.

    uvicorn closes an idle connection after 5 s, the very age at which httpx stops reusing one: a request sent
    on a connection in the moment the server closes it fails with ``ReadError``, and the SDK's client then ends
    the whole MCP session. ``benchmarks/reliability.py`` counts that race ("client sessions lost"); these tests
    are about what the servers store, so their clients stay clear of it.
    """
    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx2.Timeout(30, read=300),
        limits=httpx2.Limits(keepalive_expiry=2.0),
    )
    async with http, Client(streamable_http_client(url, http_client=http)) as client:
        yield client


# ----- what must hold whatever happened ------------------------------------------------------------------------
def invariants(engine: Engine) -> dict[str, list[Any]]:
    """Everything that must hold in a sandbox at any commit, read from the database (empty lists when it does):
    money is the sum of its ledger; a charge has its order and an order (paid from the wallet) its one charge,
    of the same amount; a ticket order has its tickets and its seats; no seat is sold twice."""
    with engine.connect() as conn:

        def rows(sql: str) -> list[Any]:
            return list(conn.execute(text(sql)).all())

        found: dict[str, list[Any]] = {
            "wallet is not the sum of its ledger": rows(
                "SELECT w.user_id, w.balance_minor, COALESCE(SUM(l.amount_minor), 0) FROM account_wallet w "
                "LEFT JOIN account_ledger l ON l.user_id = w.user_id GROUP BY w.user_id, w.balance_minor "
                "HAVING w.balance_minor <> COALESCE(SUM(l.amount_minor), 0)"
            ),
            "charged twice for one confirmation": rows(
                "SELECT quote_token, COUNT(*) FROM account_ledger WHERE kind = 'charge' AND quote_token <> '' "
                "GROUP BY quote_token HAVING COUNT(*) > 1"
            ),
            "seat sold twice": rows(
                "SELECT session_id, seat_id, COUNT(*) FROM tickets_ticket WHERE refund_id = '' "
                "GROUP BY session_id, seat_id HAVING COUNT(*) > 1"
            ),
            "ticket order without tickets": rows(
                "SELECT o.id FROM tickets_order o LEFT JOIN tickets_ticket t ON t.order_id = o.id "
                "GROUP BY o.id HAVING COUNT(t.id) = 0"
            ),
            "sold ticket whose seat is not the order's": rows(
                "SELECT t.id, t.seat_id FROM tickets_ticket t LEFT JOIN tickets_seat_claim c "
                "ON c.inventory_id = t.session_id AND c.seat_id = t.seat_id AND c.order_id = t.order_id "
                "WHERE t.refund_id = '' AND c.seat_id IS NULL"
            ),
            "seat sold to no order": rows(
                "SELECT c.inventory_id, c.seat_id, c.order_id FROM tickets_seat_claim c "
                "LEFT JOIN tickets_ticket t ON t.order_id = c.order_id AND t.seat_id = c.seat_id "
                "AND t.refund_id = '' WHERE c.order_id <> '' AND t.id IS NULL"
            ),
        }
        for vertical, table, paid in (
            ("food", "food_order", "o.payment_method = 'wallet'"),
            ("tickets", "tickets_order", "1 = 1"),
            ("movies", "movies_order", "1 = 1"),
        ):
            found[f"{vertical} charge without its order"] = rows(
                f"SELECT l.ref, l.amount_minor FROM account_ledger l LEFT JOIN {table} o ON o.id = l.ref "
                f"WHERE l.vertical = '{vertical}' AND l.kind = 'charge' "
                "AND (o.id IS NULL OR o.user_id <> l.user_id OR o.total_minor <> -l.amount_minor)"
            )
            found[f"{vertical} order without its one charge"] = rows(
                f"SELECT o.id, COUNT(l.id) FROM {table} o LEFT JOIN account_ledger l ON l.ref = o.id "
                f"AND l.vertical = '{vertical}' AND l.kind = 'charge' WHERE {paid} "
                "GROUP BY o.id HAVING COUNT(l.id) <> 1"
            )
    return {what: bad for what, bad in found.items() if bad}


# ----- the errands -----------------------------------------------------------------------------------------------


@dataclass
class Seen:
    """What one user was told, by either replica."""

    orders: list[str] = field(default_factory=list)  # acknowledged food orders
    ticket_orders: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    last_cart: list[int] = field(default_factory=list)  # quantities of the last cart written
    carts: list[dict[str, Any]] = field(default_factory=list)  # every cart read back
    listed: list[set[str]] = field(default_factory=list)  # order ids each replica listed at the end
    refused: list[str] = field(default_factory=list)  # tool errors (each checked to be actionable)


async def call(c: Client, seen: Seen, tool: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """A tool call whose refusal is allowed (a race lost) but must be an actionable error, never a crash."""
    result = await c.call_tool(tool, args)
    wrong = verdict(result)
    assert not wrong, f"{tool}: {wrong}: {text_of(result)}"
    if result.is_error:
        seen.refused.append(f"{tool}: {text_of(result)}")
        return None
    assert result.structured_content is not None
    return result.structured_content


async def errand(urls: list[dict[str, str]], token: str, n: int, plan: dict[str, Any], seen: Seen) -> None:
    """User n, alternating replicas request by request: carts, an order quoted on one replica and confirmed on
    both at once, seats held and bought across replicas, a hold given back; then the orders listed on each."""
    async with AsyncExitStack() as stack:
        food = [await stack.enter_async_context(over_http(u["food"], token)) for u in urls]
        tickets = [await stack.enter_async_context(over_http(u["tickets"], token)) for u in urls]
        for r in range(ROUNDS):
            a, b = (r + n) % 2, (r + n + 1) % 2
            for step, quantity in enumerate((1, 3, plan["quantity"] + n)):  # three writes, on alternate replicas
                line = {"item_id": plan["item_id"], "quantity": quantity, "option_ids": plan["option_ids"]}
                cart = await ok(food[(a + step) % 2], "food_update_cart",
                                {"restaurant_id": plan["restaurant_id"], "items": [line]})  # fmt: skip
                seen.carts.append(cart)
            seen.last_cart = [plan["quantity"] + n]
            seen.carts.append(await ok(food[b], "food_get_cart"))
            quote = await ok(food[a], "food_place_order", {})
            token_args = {"confirmation_token": quote["quote"]["confirmation_token"]}
            done: list[dict[str, Any] | None] = [None, None]

            async def confirm(
                i: int, done: list[dict[str, Any] | None] = done, args: dict[str, Any] = token_args
            ) -> None:
                done[i] = await call(food[i], seen, "food_place_order", args)

            async with anyio.create_task_group() as group:  # the same confirmation on both replicas at once
                group.start_soon(confirm, 0)
                group.start_soon(confirm, 1)
            ids = {d["order"]["id"] for d in done if d is not None and d["status"] == "done"}
            assert len(ids) == 1, (done, seen.refused[-2:])
            seen.orders += ids
            hold = await call(tickets[a], seen, "tickets_hold_seats",
                              {"session_id": plan["session_id"], "tier": plan["tier"], "quantity": 2})  # fmt: skip
            if hold is not None:
                quote = await ok(tickets[b], "tickets_purchase", {"hold_id": hold["id"]})
                bought = await ok(tickets[a], "tickets_purchase", {"hold_id": hold["id"],
                                  "confirmation_token": quote["quote"]["confirmation_token"]})  # fmt: skip
                assert bought["status"] == "done", bought
                seen.ticket_orders.append(bought["order"]["id"])
                seen.seats += [t["seat_id"] for t in bought["order"]["tickets"]]
            spare = await call(tickets[b], seen, "tickets_hold_seats",
                               {"session_id": plan["session_id"], "tier": plan["tier"], "quantity": 1})  # fmt: skip
            if spare is not None:
                await ok(tickets[a], "tickets_release_hold", {"hold_id": spare["id"]})
        # an order that is nobody's here: refused (an actionable error that names no user), never a crash
        assert await call(food[b], seen, "food_get_order", {"order_id": "ord_000000000000"}) is None
        for i in (0, 1):
            mine = await ok(food[i], "food_list_orders", {"limit": 20})
            theirs = await ok(tickets[i], "tickets_list_orders", {"limit": 10})
            seen.listed.append({o["id"] for o in mine["orders"]} | {o["id"] for o in theirs["orders"]})


async def test_two_replicas_on_one_postgresql_database_keep_every_invariant_under_interleaved_users(
    tmp_path: Path, pg_url: str
) -> None:
    users = [f"usr_replica{n:02d}" for n in range(USERS)]
    shared = shared_sandbox(tmp_path / "data", pg_url, users)
    plan = await find_plan(shared.servers["food"], shared.servers["tickets"], (2 + 1) * USERS * ROUNDS, 2 * ROUNDS + 1)
    tokens = [issue_token(shared.engine, user) for user in users]
    seen = {n: Seen() for n in range(USERS)}
    with replicas(shared, 2, tmp_path) as running:
        urls = [r.urls for r in running]
        async with anyio.create_task_group() as group:
            for n in range(USERS):
                group.start_soon(errand, urls, tokens[n], n, plan, seen[n])
    broken = invariants(shared.engine)
    with shared.engine.connect() as conn:
        stored = [tuple(row) for row in conn.execute(text("SELECT id, user_id FROM food_order"))]
        stored += [tuple(row) for row in conn.execute(text("SELECT id, user_id FROM tickets_order"))]
    shared.engine.dispose()

    assert broken == {}
    owner = dict(stored)
    assert len(owner) == len(stored)  # every order id once
    sold: list[str] = []
    for n, got in seen.items():
        acknowledged = set(got.orders) | set(got.ticket_orders)
        assert len(got.orders) == ROUNDS and len(acknowledged) == len(got.orders) + len(got.ticket_orders)
        assert all(owner.get(order) == users[n] for order in acknowledged)  # each exists, and is theirs
        assert {o for o, u in owner.items() if u == users[n]} == acknowledged  # nothing they were not told of
        assert got.listed == [acknowledged, acknowledged]  # both replicas list exactly their own orders
        for cart in got.carts:  # only ever their own line of the dish, never someone else's quantity
            assert all(line["item_id"] == plan["item_id"] for line in cart["lines"]), cart
        assert [line["quantity"] for line in got.carts[-1]["lines"]] == got.last_cart  # no cart write lost
        assert got.refused and all("usr_" not in refusal for refusal in got.refused), got.refused
        sold += got.seats
    assert [seat for seat, times in Counter(sold).items() if times > 1] == []
    assert len(sold) >= 2 * USERS  # contention is real, but most users got their seats
